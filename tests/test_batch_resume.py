"""A 200-plan batch: every good plan audited, every bad file reported, and resuming after a kill.

The batch runs as the real command in a child process. It is killed with
SIGKILL (no clean-up of any kind) once about half the plans are stored; the
second run must audit only the rest: no plan is audited twice, and the ones
stored before the kill keep their run and their timestamp.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_corpus import make_batch

from ehcp_audit.batch import open_store

PLANS = 200


def _stored(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.Error:  # not made yet
        return 0


def _batch(plans: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "ehcp_audit", "batch", str(plans), "--out", str(out)]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_200_plan_batch_killed_half_way_finishes_on_the_next_run_without_auditing_twice(
    tmp_path: Path,
) -> None:
    folder = make_batch(tmp_path / "plans", PLANS)
    out = tmp_path / "out"
    command = [*_batch(folder.root, out), "--jobs", "2", "--no-forms", "--no-html"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = out / "audit.sqlite"
    deadline = time.monotonic() + 120
    while _stored(database) < PLANS // 2 and child.poll() is None:
        assert time.monotonic() < deadline, "the batch stored too few plans in two minutes"
        time.sleep(0.05)
    assert child.poll() is None, "the batch finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with open_store(out) as store:
        before = {r["key"]: r for r in store.results()}
        latest = store.latest_run()
        assert latest is not None and latest.finished is None  # stopped, not finished
    assert PLANS // 2 <= len(before) < PLANS + len(folder.bad)
    assert not (out / "results.jsonl").exists()  # the exports come only from a finished run

    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "hold personal data" in done.stderr
    files = PLANS + len(folder.bad) + len(folder.duplicates)
    assert done.stdout.startswith(f"{files} file(s), {PLANS + len(folder.bad)} distinct plan(s)")

    with open_store(out) as store:
        after = {r["key"]: r for r in store.results()}
        runs = store.runs()
    assert len(after) == PLANS + len(folder.bad)  # every distinct content, good or bad, once
    for key, row in before.items():
        assert after[key] == row  # kept: same run, same time, audited once
    assert all(row["audits"] == 1 for row in after.values())
    assert runs[1].audited == len(after) - len(before)
    assert runs[1].reused == len(before)

    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    by_file = {r["batch"]["file"]: r for r in records}
    expected = {*folder.good, *folder.bad, *folder.duplicates}
    assert set(by_file) == expected  # the lock file and hidden files were skipped
    for name in folder.good:
        assert "error" not in by_file[name], (name, by_file[name].get("error"))
        assert by_file[name]["overall"] in {"requires_improvement", "good", "outstanding"}
    for name in folder.bad:
        assert by_file[name]["error"]["code"], name
    for copy, original in folder.duplicates.items():  # the one found first is the original
        first, second = sorted((copy, original))
        assert by_file[first]["batch"]["duplicate_of"] is None
        assert by_file[second]["batch"]["duplicate_of"] == first
        assert by_file[copy]["principles"] == by_file[original]["principles"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["files"] == len(expected)
    assert summary["audited"] == PLANS
    assert summary["errors"] == len(folder.bad)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_ctrl_c_stops_the_batch_with_what_it_audited_kept_and_the_next_run_finishes(
    tmp_path: Path,
) -> None:
    folder = make_batch(tmp_path / "plans", 24, duplicates=0)
    out = tmp_path / "out"
    command = [*_batch(folder.root, out), "--jobs", "2", "--no-forms"]
    # Its own process group, as a terminal's foreground job: Ctrl-C reaches workers too.
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while _stored(out / "audit.sqlite") < 6 and child.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert "stopped: every plan audited so far is kept" in err
    kept = _stored(out / "audit.sqlite")
    assert kept >= 6

    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    with open_store(out) as store:
        results = store.results()
        assert [r.audited for r in store.runs()][1] == len(results) - kept
    assert len(results) == 24 + len(folder.bad)
    assert all(r["audits"] == 1 for r in results)
    assert (out / "report.html").is_file()
