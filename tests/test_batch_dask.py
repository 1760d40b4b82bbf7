"""The Dask executor on an in-process LocalCluster (loopback only): the same results and limits.

Dask is in the test extra, so this runs in CI (no importorskip). One cluster
of two workers serves the whole module, to keep it to seconds; the tests
that stop a worker run last, and the initializer count allows for the
workers started to replace them.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_batch_executors import CORPUS, behave, by_task, fail_to_start, mark_started

import ehcp_audit
from ehcp_audit.batch import PlanTask, audit_task, warm_up
from ehcp_audit.batch._executors import (
    CRASHED,
    OUT_OF_MEMORY,
    TIMEOUT,
    ExecutorError,
    make_executor,
)


def start(folder: str) -> None:
    """The workers' initializer: the real warm-up, and a file to count the workers by."""
    warm_up()
    mark_started(folder)


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dask-init")


@pytest.fixture(scope="module")
def executor(started: Path) -> Iterator[object]:
    initializer = functools.partial(start, str(started))
    with make_executor(
        "dask", jobs=2, time_limit=3.0, memory_limit_mb=450, initializer=initializer
    ) as made:
        yield made


def test_real_plans_come_back_as_audited_in_process(executor, started: Path) -> None:
    plans = [CORPUS / n for n in ("p01.docx", "p02.pdf", "p08.txt")]
    tasks = [PlanTask(path=str(plan), file=plan.name) for plan in plans]
    results = by_task(list(executor.run(audit_task, tasks)))
    assert set(results) == set(tasks)
    for task in tasks:
        assert results[task].failure is None, results[task].detail
        expected = ehcp_audit.to_dict(ehcp_audit.audit(task.path))
        assert results[task].value["overall"] == expected["overall"]
        assert results[task].value["findings"] == expected["findings"]
    assert len(list(started.iterdir())) == 2  # once per worker, not per plan


def test_a_scheduler_address_connects_to_that_cluster(executor) -> None:
    """--scheduler ADDRESS: a client of a running cluster (here the module's own)."""
    address = executor._cluster.scheduler_address
    assert address.startswith("tcp://127.0.0.1:")
    with make_executor("dask", scheduler=address) as remote:
        assert remote._cluster is None  # nothing started here
        results = list(remote.run(behave, [("sleep", 0.01)] * 3))
    assert [done.failure for done in results] == [None, None, None]
    assert executor._cluster.status.name == "running"  # closing the client left it running


def test_tasks_are_bounded_in_flight(executor) -> None:
    taken: list[int] = []

    def tasks():
        for i in range(30):
            taken.append(i)
            yield ("sleep", 0.01)

    results = executor.run(behave, tasks())
    next(results)
    assert len(taken) <= executor.window + 1
    assert len(list(results)) == 29


def test_a_task_that_raises_is_reported_by_type_only(executor) -> None:
    [done] = executor.run(behave, [("raise", 0.0)])
    assert (done.failure, done.detail) == (CRASHED, "the task raised ValueError")


def test_a_task_past_the_time_limit_is_stopped_and_the_others_finish(executor) -> None:
    tasks = [("sleep", 60.0), *[("sleep", 0.05 * i) for i in range(4)]]
    began = time.monotonic()
    results = by_task(list(executor.run(behave, tasks)))
    assert time.monotonic() - began < 20
    assert (results[tasks[0]].failure, results[tasks[0]].detail) == (TIMEOUT, "stopped after 3 s")
    assert all(results[t].failure is None for t in tasks[1:])


def test_a_task_growing_past_the_memory_limit_is_stopped(executor) -> None:
    [done] = executor.run(behave, [("grow", 1200.0)])
    assert done.failure == OUT_OF_MEMORY
    assert "the limit is 450 MB" in done.detail


def test_a_worker_that_dies_is_reported_as_crashed(executor, started: Path) -> None:
    results = by_task(list(executor.run(behave, [("exit", 3.0), ("sleep", 0.1)])))
    assert (results[("exit", 3.0)].failure, results[("sleep", 0.1)].failure) == (CRASHED, None)
    # Replacements for the stopped workers ran the initializer too.
    assert len(list(started.iterdir())) >= 3


def test_importing_the_package_does_not_import_dask() -> None:
    code = "import sys, ehcp_audit, ehcp_audit.batch; print('distributed' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def test_without_dask_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    """As if the extra were not installed: a usage error (exit 2) naming the extra."""
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "from ehcp_audit.cli import main\n"
        f"sys.exit(main(['batch', {str(CORPUS / 'p01.docx')!r}, '--out', {str(tmp_path / 'out')!r},"
        " '--executor', 'dask', '--no-forms']))\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.returncode == 2, shown.stderr
    assert 'pip install "ehcp-audit[dask]"' in shown.stderr
    assert "Traceback" not in shown.stderr


def test_an_initializer_that_fails_is_a_clear_error() -> None:
    with pytest.raises(ExecutorError, match="initializer raised RuntimeError"):
        make_executor("dask", jobs=1, initializer=fail_to_start)
