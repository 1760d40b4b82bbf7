"""Comparing two audit rounds, on two real batch output folders.

The rounds are made at test time with ``run_batch`` from corpus plans: the
second round keeps one plan as it was, revises another under the same file
name (a different plan's content), renames a third, adds a new plan and
drops two (one of them unreadable). Expected figures are read from each
round's own exports (``summary.json``, ``results.jsonl``), never typed in.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ehcp_audit._errors import OutputError
from ehcp_audit.batch import BatchOptions, run_batch
from ehcp_audit.batch._compare import (
    compare_outdirs,
    comparison_dict,
    newcombe_interval,
    render_text,
)
from ehcp_audit.cli import main
from ehcp_audit.reports.html_report import render_report

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"

OLD = {
    "p01.docx": "p01.docx",
    "p02.docx": "p02.docx",
    "p08.txt": "p08.txt",
    "p06.md": "p06.md",
    "corrupt.pdf": "bad/corrupt.pdf",
}
NEW = {
    "p01.docx": "p01.docx",  # unchanged
    "p02.docx": "p04.docx",  # revised: other content under the same name
    "renamed/p08 v2.txt": "p08.txt",  # the same content under a new name
    "p12.docx": "p12.docx",  # new this round
}


def _round(root: Path, name: str, files: dict[str, str]) -> Path:
    plans = root / f"{name}-plans"
    for target, source in files.items():
        (plans / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / source, plans / target)
    outdir = root / name
    run_batch([str(plans)], BatchOptions(outdir=outdir, jobs=1, forms=False, html=False))
    return outdir


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("rounds")
    return _round(root, "2025-Q3", OLD), _round(root, "2025-Q4", NEW)


def _summary(outdir: Path) -> dict[str, Any]:
    return json.loads((outdir / "summary.json").read_text(encoding="utf-8"))


def _overall_by_file(outdir: Path) -> dict[str, str]:
    out = {}
    for line in (outdir / "results.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        out[record["batch"]["file"]] = record.get("overall") or "not audited"
    return out


def test_each_round_reads_as_its_summary(rounds: tuple[Path, Path]) -> None:
    d = comparison_dict(compare_outdirs(*rounds))
    for side, outdir in zip(("old", "new"), rounds, strict=True):
        summary = _summary(outdir)
        got = d[side]
        assert got["label"] == outdir.name
        assert got["finished"] is not None
        for key in ("files", "plans", "audited", "errors", "target", "overall"):
            assert got[key] == summary[key], key
        for key in ("count", "of", "share", "ci95", "met"):
            assert got["effective"][key] == summary["effective"][key], key
        for number, row in d["principles"].items():
            counts = {k: summary["principles"][number][k] for k in row[side]}
            assert row[side] == counts
            assert row["name"] == summary["principles"][number]["name"]
    assert d["old"]["files"] == len(OLD) and d["new"]["files"] == len(NEW)
    old_share, new_share = d["old"]["effective"]["share"], d["new"]["effective"]["share"]
    assert d["effective_change"]["points"] == pytest.approx((new_share - old_share) * 100)
    lo, hi = d["effective_change"]["ci95_points"]
    assert lo < d["effective_change"]["points"] < hi
    assert d["effective_change"]["beyond_chance"] == (lo > 0 or hi < 0)


def test_plans_are_matched_by_content_then_file_name(rounds: tuple[Path, Path]) -> None:
    d = comparison_dict(compare_outdirs(*rounds))
    old, new = _overall_by_file(rounds[0]), _overall_by_file(rounds[1])
    assert old["p02.docx"] != new["p02.docx"], "the revised plan must change its rating"
    assert d["changed"] == [
        {
            "file": "p02.docx",
            "old_file": "p02.docx",
            "old_overall": old["p02.docx"],
            "new_overall": new["p02.docx"],
            "direction": "down"
            if ["requires_improvement", "good", "outstanding"].index(new["p02.docx"])
            < ["requires_improvement", "good", "outstanding"].index(old["p02.docx"])
            else "up",
            "matched_by": "file name",
        }
    ]
    # p01 (same file) and p08 (renamed, same content) are followed; each kept its rating
    assert old["p01.docx"] == new["p01.docx"] and old["p08.txt"] == new["renamed/p08 v2.txt"]
    assert d["same_overall"] == 2
    assert d["only_old"] == ["corrupt.pdf", "p06.md"]
    assert d["only_new"] == ["p12.docx"]


def test_text_fits_80_columns_and_says_what_moved(rounds: tuple[Path, Path]) -> None:
    comparison = compare_outdirs(*rounds)
    text = render_text(comparison)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    d = comparison_dict(comparison)
    for side in ("old", "new"):
        e = d[side]["effective"]
        assert f"{e['count']} of {e['of']} plans ({e['share']:.0%})" in text
    assert "2025-Q3" in text and "2025-Q4" in text
    assert "p02.docx:" in text and "(content changed)" in text
    assert "Only in the earlier round (2): corrupt.pdf, p06.md" in text
    assert "Only in the later round (1): p12.docx" in text
    for number, row in d["principles"].items():
        assert f"{number}. {row['name'].split()[0]}" in text
    changed = text.split("Plans whose overall rating changed")[1].split("kept the same")[0]
    assert "p02.docx" in changed and "p08" not in changed and "p01" not in changed


def test_the_compare_command_prints_the_same_figures(rounds: tuple[Path, Path]) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["compare", str(rounds[0]), str(rounds[1]), "--format", "json"], out, err)
    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue()) == json.loads(
        json.dumps(comparison_dict(compare_outdirs(*rounds)))
    )
    out = io.StringIO()
    assert main(["compare", str(rounds[0]), str(rounds[1])], out, err) == 0
    assert out.getvalue() == render_text(compare_outdirs(*rounds))


def test_exports_alone_are_enough(rounds: tuple[Path, Path], tmp_path: Path) -> None:
    """An OUTDIR copied without its database (results.jsonl and summary.json) still compares."""
    copy = tmp_path / "2025-Q3"
    copy.mkdir()
    for name in ("results.jsonl", "summary.json"):
        shutil.copy(rounds[0] / name, copy / name)
    from_db = comparison_dict(compare_outdirs(*rounds))
    from_exports = comparison_dict(compare_outdirs(copy, rounds[1]))
    assert from_exports["old"]["finished"] is None
    for d in (from_db, from_exports):
        d["old"].pop("finished")
        d["old"].pop("outdir")
    assert from_exports == from_db


def test_the_board_report_shows_the_comparison(rounds: tuple[Path, Path]) -> None:
    d = comparison_dict(compare_outdirs(*rounds))
    records = [
        json.loads(line)
        for line in (rounds[1] / "results.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    html = render_report(records, _summary(rounds[1]), comparison=d)
    section = html.split('id="comparison"')[1].split("</section>")[0]
    for side in ("old", "new"):
        assert f"{d[side]['effective']['share']:.0%}" in section
        assert d[side]["label"] in section
    assert d["principles"]["1"]["name"] in section


def test_a_folder_that_is_not_a_batch_output(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="batch"):
        compare_outdirs(tmp_path, tmp_path)
    with pytest.raises(OutputError, match="not a folder"):
        compare_outdirs(tmp_path / "missing", tmp_path)


def test_newcombe_interval_matches_the_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, table II example (a): 56/70 against
    # 48/80, difference 0.2000 with 95% interval 0.0524 to 0.3339 (method 10).
    old = {"count": 48, "of": 80, "share": 48 / 80}
    new = {"count": 56, "of": 70, "share": 56 / 70}
    lo, hi = newcombe_interval(old, new)  # type: ignore[misc]
    assert lo == pytest.approx(5.24, abs=0.01)
    assert hi == pytest.approx(33.39, abs=0.01)
    assert newcombe_interval({"count": 0, "of": 0, "share": None}, new) is None


def test_a_round_with_no_rated_plan(rounds: tuple[Path, Path], tmp_path: Path) -> None:
    """A round where nothing could be audited: the change cannot be measured, and says so."""
    errors = tmp_path / "2025-Q2"
    errors.mkdir()
    lines = (rounds[0] / "results.jsonl").read_text(encoding="utf-8").splitlines()
    failed = [line for line in lines if '"error"' in line and json.loads(line).get("error")]
    assert failed, "the old round has its unreadable plan"
    (errors / "results.jsonl").write_text("\n".join(failed) + "\n", encoding="utf-8")
    comparison = compare_outdirs(errors, rounds[1])
    d = comparison_dict(comparison)
    assert d["old"]["effective"]["share"] is None
    assert d["effective_change"] == {
        "points": None,
        "ci95_points": None,
        "beyond_chance": None,
        "direction": None,
        "method": d["effective_change"]["method"],
    }
    text = render_text(comparison)
    assert "no plan was rated" in text
    assert "Change: cannot be measured" in text
    assert max(len(line) for line in text.splitlines()) <= 80
