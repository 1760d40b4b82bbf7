"""The same :class:`~._executors.Executor` over a Dask cluster, for batches beyond one machine.

``--executor dask --scheduler ADDRESS`` connects to a running cluster
(``dask scheduler`` and ``dask worker`` processes, which must see the plans
at the same paths, e.g. on shared storage); with no address, an in-process
``LocalCluster`` is started here. Either way the same pure per-plan function
is mapped over the tasks and the batch writes the same outputs.

Workers are processes with one thread each (PDFium, the PDF reader, is not
thread-safe). The ``initializer`` runs once in each worker, as a worker
plugin, so each builds the spaCy pipeline once, as local workers do.

Limits: Dask cannot stop one task, only a worker. So each task runs beside a
small watcher thread which, when the plan passes the time limit or the
worker's resident memory passes the memory limit, records why (a Dask event
the client reads) and then kills its own worker process; the nanny starts a
fresh one. A LocalCluster is made with ``allowed-failures`` 0, so a plan that
killed its worker comes back at once rather than being retried by Dask; on a
cluster of your own, set ``distributed.scheduler.allowed-failures: 0`` in the
scheduler's configuration for the same effect (Dask's default retries it 3
times first). A plan whose worker died without the watcher saying why (a
crash, or a plan queued on a worker that another plan crashed) is tried once
more, alone on the cluster, and reported as crashed only if it fails again.

Dask is an optional extra (``pip install "ehcp-audit[dask]"``): this module
is imported only when asked for, and says how to install it when it is missing.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ._executors import CRASHED, OUT_OF_MEMORY, TIMEOUT, Done, ExecutorError, resident_mb

try:
    import dask
    import distributed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as missing:
    raise ExecutorError(
        'the Dask executor needs Dask: pip install "ehcp-audit[dask]"'
        f" ({missing.name or 'distributed'} is not installed)"
    ) from None

__all__ = ["DaskExecutor"]

T = TypeVar("T")

#: The Dask event topic on which a worker records why it stopped a plan.
_TOPIC = "ehcp-audit-stopped"
#: How often (seconds) the watcher checks the plan's time and the worker's memory.
_POLL = 0.1
#: How long (seconds) the watcher waits for its event to reach the scheduler before the kill.
_FLUSH = 0.5
#: The detail of a plan whose worker died without saying why.
_DIED = "the Dask worker running it died (twice: it was tried again alone)"
#: The end of the tasks.
_END = object()
#: Dask's own memory guard (the nanny's) sits above ours, so ours names the plan first.
_DASK_MEMORY_MARGIN = 1.25


class _Initializer(WorkerPlugin):  # type: ignore[misc]
    """Runs the executor's initializer once in each worker (and in each replacement)."""

    name = "ehcp-audit-initializer"

    def __init__(self, initializer: Callable[[], None]) -> None:
        self.initializer = initializer

    def setup(self, worker: Any) -> None:
        self.initializer()


class DaskExecutor:
    """Tasks on a Dask cluster (an address) or an in-process LocalCluster (no address)."""

    def __init__(
        self,
        *,
        jobs: int | None = None,
        time_limit: float = 120.0,
        memory_limit_mb: int = 2048,
        scheduler: str | None = None,
        initializer: Callable[[], None] | None = None,
    ) -> None:
        from ._executors import default_jobs

        self.time_limit = time_limit
        self.memory_limit_mb = memory_limit_mb
        self._cluster: Any = None
        if scheduler:
            try:
                self._client = distributed.Client(scheduler, timeout="30s")
            except OSError as exc:
                raise ExecutorError(f"could not reach the Dask scheduler at {scheduler}") from exc
        else:
            workers = jobs or default_jobs()
            # No retries, and no task queued behind a running one on a worker (which
            # would die with it): a worker holds only the plan it is auditing.
            settings = {
                "distributed.scheduler.allowed-failures": 0,
                "distributed.scheduler.worker-saturation": 1.0,
            }
            with dask.config.set(settings):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    # Dask's HTTP endpoint (health checks) on a free loopback port, not 8787.
                    scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                    memory_limit=f"{round(memory_limit_mb * _DASK_MEMORY_MARGIN)}MiB",
                )
            self._client = distributed.Client(self._cluster)
        if initializer is not None:
            try:
                self._client.register_plugin(_Initializer(initializer))
            except Exception as exc:  # raised again here from the workers' setup
                self.close()
                raise ExecutorError(
                    f"a Dask worker could not start: its initializer raised {type(exc).__name__}"
                ) from None
        threads = sum(self._client.nthreads().values()) or 1
        #: Tasks in flight: every worker thread busy and one ready to go. Few more, since
        #: Dask places tasks on workers eagerly, and a task queued behind one that kills
        #: its worker dies with it.
        self.window = max(jobs or 0, threads) + 1

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, fn: Callable[[T], Any], tasks: Iterable[T]) -> Iterator[Done]:
        """Run ``fn`` on every task on the cluster; yield each :class:`Done` as it finishes."""
        pending = iter(tasks)
        flight: dict[Any, tuple[T, int]] = {}  # each future's task and its attempt
        suspects: deque[T] = deque()  # tasks whose worker died without saying why
        finished = distributed.as_completed()

        def submit(task: T, attempt: int = 1) -> None:
            future = self._client.submit(
                _call, fn, task, self.time_limit, self.memory_limit_mb, pure=False
            )
            flight[future] = (task, attempt)
            finished.add(future)

        def refill() -> None:
            if suspects:  # each tried again alone, so it can only kill a worker of its own
                if not flight:
                    submit(suspects.popleft(), 2)
                return
            while len(flight) < self.window:
                task = next(pending, _END)
                if task is _END:
                    return
                submit(task)  # type: ignore[arg-type]

        try:
            refill()
            for future in finished:
                task, attempt = flight.pop(future)
                done = self._done(future, task)
                if done.detail == _DIED and attempt == 1:
                    # Its worker died: it may have crashed it, or been queued behind the
                    # plan that did. Alone on the second try, a plan that kills a worker
                    # again is the one that crashes.
                    suspects.append(task)
                else:
                    yield done
                refill()
        finally:
            if flight:
                self._client.cancel(list(flight))

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this executor started one."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def _done(self, future: Any, task: Any) -> Done:
        if future.status == "finished":
            return Done(task, future.result(), None)
        error = future.exception()
        if isinstance(error, distributed.KilledWorker):
            failure, detail = self._why_stopped(future.key)
            return Done(task, None, failure, detail)
        if isinstance(error, MemoryError):
            return Done(task, None, OUT_OF_MEMORY, "ran out of memory (MemoryError)")
        return Done(task, None, CRASHED, f"the task raised {type(error).__name__}")

    def _why_stopped(self, key: Any) -> tuple[str, str]:
        """What the watcher recorded before killing the worker, or that the worker died."""
        for _, message in self._client.get_events(_TOPIC):
            if message.get("key") == str(key):
                return message["failure"], message["detail"]
        return CRASHED, _DIED


def _call(fn: Callable[[T], Any], task: T, time_limit: float, memory_limit_mb: int) -> Any:
    """Run on a worker: ``fn(task)``, with a watcher that stops the worker past a limit."""
    worker = distributed.get_worker()
    key = str(worker.get_current_task())
    done = threading.Event()
    watcher = threading.Thread(
        target=_watch,
        args=(worker, key, done, time_limit, memory_limit_mb),
        name="ehcp-audit-limits",
        daemon=True,
    )
    watcher.start()
    try:
        return fn(task)
    finally:
        done.set()


def _watch(
    worker: Any, key: str, done: threading.Event, time_limit: float, memory_limit_mb: int
) -> None:
    started = time.monotonic()
    while not done.wait(_POLL):
        if time.monotonic() - started > time_limit:
            failure, detail = TIMEOUT, f"stopped after {time_limit:g} s"
        else:
            used = resident_mb(os.getpid())
            if used is None or used <= memory_limit_mb:
                continue
            failure = OUT_OF_MEMORY
            detail = f"stopped at {used:.0f} MB (the limit is {memory_limit_mb} MB)"
        worker.log_event(_TOPIC, {"key": key, "failure": failure, "detail": detail})
        time.sleep(_FLUSH)
        if not done.is_set():
            os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
        return
