"""The local executor: real plans in worker processes, each under a time and memory limit.

The failure cases run module-level functions in real worker processes (they
import this module there): one sleeps past the time limit, one allocates past
the memory limit, one leaves with ``os._exit``. The orphan tests start a
parent in a subprocess, kill it, and check that its workers go too.
"""

from __future__ import annotations

import functools
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import ehcp_audit
from ehcp_audit.batch import PlanTask, audit_task, warm_up
from ehcp_audit.batch._executors import (
    CRASHED,
    OUT_OF_MEMORY,
    TIMEOUT,
    Done,
    ExecutorError,
    LocalExecutor,
    make_executor,
)
from ehcp_audit.batch._progress import make_progress

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
HERE = Path(__file__).resolve().parent


# --- task functions the workers run (module level, so they pickle by name) ------------


def behave(task: tuple[str, float]) -> int:
    """Do what the task says, then return the worker's process id."""
    what, amount = task
    if what == "sleep":
        time.sleep(amount)
    elif what == "grow":  # touch memory 10 MB at a time, slowly enough to be sampled
        held = []
        for _ in range(int(amount) // 10):
            held.append(b"x" * (10 * 1024 * 1024))
            time.sleep(0.04)
        time.sleep(5)
    elif what == "huge":  # one allocation far past the limit at once
        bytearray(int(amount) * 1024 * 1024)
    elif what == "exit":
        os._exit(int(amount))
    elif what == "signal":
        os.kill(os.getpid(), int(amount))
        time.sleep(5)
    elif what == "raise":
        raise ValueError("plan text that must not be reported")
    return os.getpid()


def mark_started(folder: str) -> None:
    """An initializer that leaves one file per worker process that ran it."""
    Path(folder, f"init-{os.getpid()}").touch()


def fail_to_start() -> None:
    raise RuntimeError("no pipeline")


def start_slowly() -> None:
    """An initializer as slow as building the pipeline, or slower."""
    time.sleep(3.0)


def by_task(results: list[Done]) -> dict[object, Done]:
    return {done.task: done for done in results}


# --- real plans ------------------------------------------------------------------------


def test_real_plans_all_come_back_as_audited_in_process() -> None:
    plans = [
        CORPUS / name
        for name in ("p01.docx", "p02.pdf", "p08.txt", "p06.md", "p11.docx", "p05.pdf")
    ]
    plans.append(CORPUS / "bad" / sorted(os.listdir(CORPUS / "bad"))[0])
    tasks = [PlanTask(path=str(plan), file=plan.name) for plan in plans]
    with make_executor(jobs=2, initializer=warm_up, time_limit=60) as executor:
        results = by_task(list(executor.run(audit_task, tasks)))
    assert set(results) == set(tasks)
    for task in tasks:
        done = results[task]
        assert done.failure is None, done.detail
        record = done.value
        assert record["batch"]["file"] == task.file
        if "error" in record:
            with pytest.raises(ehcp_audit.EhcpAuditError) as raised:
                ehcp_audit.audit(task.path)
            assert record["error"]["code"] == raised.value.code
        else:
            expected = ehcp_audit.to_dict(ehcp_audit.audit(task.path))
            assert record["overall"] == expected["overall"]
            assert record["findings"] == expected["findings"]


# --- limits and failures -----------------------------------------------------------------


def test_a_task_past_the_time_limit_is_stopped_and_the_others_finish() -> None:
    tasks = [("sleep", 60.0), *[("sleep", 0.05 * i) for i in range(6)]]
    started = time.monotonic()
    with make_executor(jobs=2, time_limit=1.0) as executor:
        results = by_task(list(executor.run(behave, tasks)))
    assert time.monotonic() - started < 15
    slow = results[("sleep", 60.0)]
    assert (slow.failure, slow.detail, slow.value) == (TIMEOUT, "stopped after 1 s", None)
    assert all(results[task].failure is None for task in tasks[1:])
    assert all(isinstance(results[task].value, int) for task in tasks[1:])


def test_a_task_growing_past_the_memory_limit_is_stopped() -> None:
    tasks = [("grow", 600.0), ("sleep", 0.1), ("sleep", 0.2)]
    with make_executor(jobs=2, memory_limit_mb=200, time_limit=30) as executor:
        results = by_task(list(executor.run(behave, tasks)))
    grown = results[("grow", 600.0)]
    assert grown.failure == OUT_OF_MEMORY
    assert grown.detail.startswith("stopped at ") and "the limit is 200 MB" in grown.detail
    assert results[("sleep", 0.1)].failure is results[("sleep", 0.2)].failure is None


def test_a_sudden_huge_allocation_meets_the_address_space_cap() -> None:
    """Too fast for the sampler: RLIMIT_AS turns it into a MemoryError in the task."""
    if not Path("/proc/self/statm").exists():
        pytest.skip("the address-space cap is measured from /proc")
    with make_executor(jobs=1, memory_limit_mb=200) as executor:
        [done] = executor.run(behave, [("huge", 4096.0)])
        [after] = executor.run(behave, [("sleep", 0.0)])  # the same worker goes on
    assert (done.failure, done.detail) == (OUT_OF_MEMORY, "ran out of memory (MemoryError)")
    assert after.failure is None


@pytest.mark.parametrize(
    ("task", "detail"),
    [
        (("exit", 3.0), "the worker process exited with code 3"),
        (("signal", float(signal.SIGSEGV)), "the worker process was killed by SIGSEGV"),
        (("raise", 0.0), "the task raised ValueError"),
    ],
    ids=["exit", "segfault", "raises"],
)
def test_a_crashing_task_is_reported_and_the_others_finish(
    task: tuple[str, float], detail: str
) -> None:
    tasks = [task, *[("sleep", 0.01 * i) for i in range(5)]]
    with make_executor(jobs=2) as executor:
        results = by_task(list(executor.run(behave, tasks)))
    crashed = results[task]
    assert (crashed.failure, crashed.detail, crashed.value) == (CRASHED, detail, None)
    assert "plan text" not in crashed.detail
    assert all(results[t].failure is None for t in tasks[1:])


def test_the_initializer_runs_once_per_worker_and_again_in_a_replacement(tmp_path: Path) -> None:
    initializer = functools.partial(mark_started, str(tmp_path))
    with make_executor(jobs=2, initializer=initializer) as executor:
        first = list(executor.run(behave, [("sleep", 0.02)] * 12))
        started = {int(p.name.split("-")[1]) for p in tmp_path.iterdir()}
        assert len(started) == 2
        assert {done.value for done in first} <= started
        [crashed] = executor.run(behave, [("exit", 1.0)])
        assert crashed.failure == CRASHED
        list(executor.run(behave, [("sleep", 0.02)] * 4))
    assert len(list(tmp_path.iterdir())) == 3


def test_an_initializer_that_fails_stops_the_run() -> None:
    executor = make_executor(jobs=1, initializer=fail_to_start)
    with executor, pytest.raises(ExecutorError, match="initializer raised RuntimeError"):
        list(executor.run(behave, [("sleep", 0.0)]))


def test_a_memory_limit_below_a_fresh_worker_is_a_clear_error() -> None:
    executor = make_executor(jobs=1, memory_limit_mb=1)
    with executor, pytest.raises(ExecutorError, match="below what a worker needs to start"):
        list(executor.run(behave, [("sleep", 0.0)]))


def test_tasks_are_taken_lazily_at_most_one_per_worker() -> None:
    taken: list[int] = []

    def tasks():
        # The first task ends at once; the next ones keep both workers busy for half a
        # second, so no further task can be wanted before the first result is read, even
        # on a loaded machine (short equal sleeps let a third and fourth slip in).
        for i in range(20):
            taken.append(i)
            yield ("sleep", 0.0 if i == 0 or i > 3 else 0.5)

    with make_executor(jobs=2) as executor:
        results = executor.run(behave, tasks())
        next(results)
        assert len(taken) <= 3  # two handed out, perhaps a third after the first finished
        assert len(list(results)) == 19
    assert len(taken) == 20


def test_start_returns_while_the_workers_are_still_starting() -> None:
    """The batch starts its workers, then loads the rules while they build their pipelines."""
    with make_executor(jobs=2, initializer=start_slowly) as executor:
        began = time.perf_counter()
        executor.start()
        assert time.perf_counter() - began < 2.0  # not held for the initializer (3 s)
        assert len(executor.worker_pids()) == 2
        started = set(executor.worker_pids())
        assert sorted(by_task(list(executor.run(behave, [("sleep", 0.0)] * 3)))) == [("sleep", 0.0)]
        assert started == set(executor.worker_pids())  # the same workers ran the tasks


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown executor"):
        make_executor("threads")
    with pytest.raises(ValueError, match="jobs"):
        make_executor(jobs=0)
    with pytest.raises(ValueError, match="Dask"):
        make_executor("local", scheduler="tcp://127.0.0.1:8786")


# --- no orphans ------------------------------------------------------------------------------

PARENT = textwrap.dedent(
    """
    import sys, threading, time
    from ehcp_audit.batch._executors import make_executor
    from test_batch_executors import behave

    executor = make_executor(jobs=2)
    threading.Thread(
        target=lambda: list(executor.run(behave, [("sleep", 120.0)] * 4)), daemon=True
    ).start()
    while len(executor.worker_pids()) < 2 or not all(w.busy for w in executor._workers):
        time.sleep(0.05)
    print("ready", flush=True)
    time.sleep(120)
    """
)


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc: each process's parent id)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize(
    "how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name
)
def test_no_worker_outlives_its_parent(how: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "ready"
        descendants = _children(parent.pid)
        assert len(descendants) >= 2  # the two workers (and the fork server)
        parent.send_signal(how)
        parent.wait(10)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in descendants) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in descendants if _alive(pid)] == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def loaded(name: str) -> bool:
    """Whether the worker running this has ``name`` imported (before any task imports it)."""
    return name in sys.modules


PRELOADED = textwrap.dedent(
    """
    import sys
    from ehcp_audit.batch._executors import make_executor
    from test_batch_executors import loaded

    preload = sys.argv[1:]
    with make_executor(jobs=1, preload=preload) as executor:
        print(next(executor.run(loaded, ["colorsys"])).value)
    """
)


@pytest.mark.parametrize("preload", [["colorsys"], []], ids=["preloaded", "not-preloaded"])
def test_workers_start_with_the_preloaded_modules(preload: list[str]) -> None:
    # A fresh interpreter: the fork server starts with this run's preload list.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", PRELOADED, *preload],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(bool(preload))


def test_leaving_a_run_early_stops_the_busy_workers() -> None:
    executor = LocalExecutor(jobs=2)
    try:
        # The 60 s task is handed out before the 1 s one, so it is running when that ends.
        results = executor.run(behave, [("sleep", 60.0), ("sleep", 1.0), ("sleep", 60.0)])
        assert next(results).task == ("sleep", 1.0)
        busy = [w.process.pid for w in executor._workers if w.busy]
        results.close()
        assert busy and not any(_alive(pid) for pid in busy)
    finally:
        executor.close()
    assert executor.worker_pids() == []


# --- progress ---------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_progress_off_a_terminal_is_plain_periodic_lines() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = make_progress(200, stream, "plans", clock=clock)
    for _ in range(100):
        clock.now += 0.25
        progress.advance()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5  # every 10%: 20, 40, ... 100 (10 s apart at 4 a second: same)
    assert lines[-1] == "audited 100 of 200 plans (4.0 a second, about 25 s left)"
    clock.now += 12  # a stall: the next plan prints at once, 10 s after the last line
    progress.advance()
    assert stream.getvalue().splitlines()[-1].startswith("audited 101 of 200 plans")
    for _ in range(99):
        progress.advance()
    progress.close()
    assert stream.getvalue().splitlines()[-1].startswith("audited 200 of 200 plans (")
    assert "left" not in stream.getvalue().splitlines()[-1]


def test_progress_with_nothing_to_do_says_nothing() -> None:
    stream = io.StringIO()
    progress = make_progress(0, stream, "plans")
    progress.advance()
    progress.close()
    assert stream.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_a_bar_with_count_rate_and_time_left() -> None:
    stream = Terminal()
    progress = make_progress(10, stream, "plans")
    for _ in range(4):
        progress.advance()
    progress.close()
    shown = stream.getvalue()
    assert "\r" in shown and "4/10" in shown
    assert "plans/s" in shown or "s/ plans" in shown  # the rate, whichever way up
    assert "<" in shown  # elapsed<remaining
