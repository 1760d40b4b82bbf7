"""Run one pure function over many tasks in worker processes, each under a time and memory limit.

Why worker *processes*: PDFium (the PDF reader) is not thread-safe, and the
audit is CPU-bound Python that threads would not speed up. Each worker builds
the spaCy pipeline once (the ``initializer``), then audits plan after plan.

Why a pool of our own rather than :class:`concurrent.futures.ProcessPoolExecutor`
or :class:`multiprocessing.pool.Pool`: a pathological plan must be stopped
and reported while the rest go on. Killing a worker breaks a whole
``ProcessPoolExecutor`` (every pending future fails with ``BrokenProcessPool``),
and ``Pool`` silently replaces a dead worker but never returns its task. Here
the parent owns each worker and its current task, so it can:

- hand tasks out one at a time (a slow plan never holds a queue of others;
  the task iterable is read lazily, so at most ``jobs`` tasks are in flight);
- stop a worker whose plan has run past ``time_limit`` seconds, or whose
  resident memory (sampled from ``/proc/PID/statm`` on Linux, the worker's
  whole footprint including its pipeline) passes ``memory_limit_mb``, report
  that plan as ``timeout`` or ``out_of_memory`` and start a fresh worker
  (the memory limit reads ``/proc``, so it is enforced on Linux only;
  elsewhere only the time limit applies);
- report a worker that died on its own (a crash in a C library, ``os._exit``)
  as ``crashed``, with its exit code or signal.

As a backstop for an allocation too sudden for the sampler to see, each
worker also caps its address space (``RLIMIT_AS``) after start-up, at what it
had mapped then plus twice the memory limit (room enough that gradual growth
meets the sampler first): a runaway allocation then raises
``MemoryError`` inside the task (the task function reports it) instead of
pushing the machine into swap.

No worker outlives the parent: workers ignore Ctrl-C (the parent handles it
and stops them), ask Linux to kill them when their parent dies
(``PR_SET_PDEATHSIG``), and watch a pipe whose only writer is the parent,
leaving at once when it closes (which covers every platform, and a parent
killed with SIGKILL).

Workers start with the ``forkserver`` method where the platform has it, else
``spawn``: never a plain ``fork`` of a parent that may hold threads or an
open PDFium document.

:func:`make_executor` is the one entry point; ``kind="dask"`` gives the same
:class:`Executor` over a Dask cluster (:mod:`._dask`, an optional extra).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol, TypeVar

from attrs import frozen

__all__ = [
    "CRASHED",
    "OUT_OF_MEMORY",
    "TIMEOUT",
    "Done",
    "Executor",
    "ExecutorError",
    "LocalExecutor",
    "default_jobs",
    "make_executor",
]

T = TypeVar("T")

#: The failure codes a :class:`Done` can carry (the same codes as the batch's error records).
TIMEOUT = "timeout"
OUT_OF_MEMORY = "out_of_memory"
CRASHED = "crashed"

#: How often (seconds) the parent checks the workers' clocks and memory while it waits.
_POLL = 0.1
#: How long (seconds) close() lets idle workers leave on their own before killing them.
_GRACE = 2.0


@frozen
class Done:
    """One task's outcome: its ``value`` (what the function returned) or a ``failure``.

    ``failure`` is None when the function returned, else ``"timeout"``,
    ``"out_of_memory"`` or ``"crashed"``; ``detail`` says what happened in
    plain words (``"stopped after 120 s"``), never anything from the plan.
    """

    task: Any
    value: Any | None
    failure: str | None
    detail: str = ""


class Executor(Protocol):
    """Maps a picklable module-level function over picklable tasks, in worker processes."""

    def run(self, fn: Callable[[T], Any], tasks: Iterable[T]) -> Iterator[Done]:
        """Each task's :class:`Done`, as they finish (in any order)."""
        ...

    def close(self) -> None:
        """Stop every worker. The executor cannot be used afterwards."""
        ...


class ExecutorError(Exception):
    """The workers could not be started (their initializer failed, or an extra is missing).

    A usage or set-up problem, not a bad plan: the batch cannot go on.
    """


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the platform tells it)."""
    with contextlib.suppress(AttributeError, OSError):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def make_executor(
    kind: str = "local",
    *,
    jobs: int | None = None,
    time_limit: float = 120.0,
    memory_limit_mb: int = 2048,
    scheduler: str | None = None,
    initializer: Callable[[], None] | None = None,
    preload: Sequence[str] = (),
) -> Executor:
    """An executor of ``kind`` ``"local"`` (worker processes here) or ``"dask"``.

    ``jobs`` is the number of workers (default: the cores; with Dask and a
    ``scheduler`` address, the cluster's own workers are used and ``jobs``
    only bounds how many tasks are in flight). ``initializer`` runs once in
    each worker before its first task (and again in a worker started to
    replace one that was stopped). ``preload`` names modules the local
    executor's fork server imports once, so that each worker starts with
    them loaded (ignored by Dask). Raises ValueError for a bad argument and
    :class:`ExecutorError` when Dask is asked for but not installed.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if time_limit <= 0:
        raise ValueError(f"the time limit must be positive, not {time_limit}")
    if memory_limit_mb <= 0:
        raise ValueError(f"the memory limit must be positive, not {memory_limit_mb}")
    if kind == "local":
        if scheduler is not None:
            raise ValueError("a scheduler address is for the Dask executor (--executor dask)")
        return LocalExecutor(
            jobs=jobs or default_jobs(),
            time_limit=time_limit,
            memory_limit_mb=memory_limit_mb,
            initializer=initializer,
            preload=preload,
        )
    if kind == "dask":
        from ._dask import DaskExecutor

        return DaskExecutor(
            jobs=jobs,
            time_limit=time_limit,
            memory_limit_mb=memory_limit_mb,
            scheduler=scheduler,
            initializer=initializer,
        )
    raise ValueError(f"unknown executor {kind!r}: use 'local' or 'dask'")


# --- the parent's side ---------------------------------------------------------------


class _Worker:
    """One worker process, its end of the task pipe and the task it is running."""

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.ready = False  # its initializer has finished
        self.busy = False
        self.tasks_run = 0
        self.task: Any = None
        self.started = 0.0  # time.monotonic() when the current task was handed out

    def resident_mb(self) -> float | None:
        return resident_mb(self.process.pid)

    def stop(self) -> None:
        """Kill the process and wait for it (a killed worker is gone in milliseconds)."""
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(_GRACE)
        self.conn.close()


class LocalExecutor:
    """``jobs`` worker processes on this machine, each plan under a time and memory limit.

    Workers start on the first :meth:`run` and are reused by later runs;
    :meth:`close` (or leaving a ``with`` block) stops them.
    """

    def __init__(
        self,
        *,
        jobs: int,
        time_limit: float = 120.0,
        memory_limit_mb: int = 2048,
        initializer: Callable[[], None] | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        methods = multiprocessing.get_all_start_methods()
        # Typed loosely: typeshed's BaseContext lacks Process, which every real context has.
        self._context: Any = multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else "spawn"
        )
        if preload and self._context.get_start_method() == "forkserver":
            # The fork server (one clean, single-threaded process) imports these once and
            # every worker forks from it with them loaded: spaCy's import alone was half a
            # second of each worker's start. Applies when this process's server starts.
            self._context.set_forkserver_preload(list(preload))
        self.jobs = jobs
        self.time_limit = time_limit
        self.memory_limit_mb = memory_limit_mb
        self._initializer = initializer
        self._workers: list[_Worker] = []
        # Workers wait on the reading end; the parent never writes, and when it
        # dies (however it dies) the pipe closes and every worker leaves.
        self._alive_reader, self._alive_writer = self._context.Pipe(duplex=False)
        self._closed = False

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def worker_pids(self) -> list[int]:
        """The process ids of the current workers (for monitoring and tests)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def run(self, fn: Callable[[T], Any], tasks: Iterable[T]) -> Iterator[Done]:
        """Run ``fn`` on every task; yield each :class:`Done` as it finishes.

        Tasks are taken from the iterable only when a worker is free for one.
        Leaving the loop early stops the workers still busy (their results
        would have nowhere to go); idle ones stay for the next run.
        """
        if self._closed:
            raise RuntimeError("this executor has been closed")
        pending = iter(tasks)
        exhausted = False
        try:
            while True:
                self._replace_missing()
                exhausted = self._hand_out(fn, pending, exhausted)
                if exhausted and not any(w.busy for w in self._workers):
                    return
                finished = list(self._collect())
                # Refill the workers that just finished before the caller handles their
                # results (storing a record takes milliseconds): no worker waits on the parent.
                exhausted = self._hand_out(fn, pending, exhausted)
                yield from finished
                yield from self._enforce_limits()
        finally:
            for worker in [w for w in self._workers if w.busy]:
                self._remove(worker)

    def start(self) -> None:
        """Start the workers now, without waiting for them to be ready.

        They build their pipelines (the initializer, about a second) while the
        caller goes on with its own preparation; :meth:`run` hands them tasks
        once they are ready.
        """
        if self._closed:
            raise RuntimeError("this executor has been closed")
        self._replace_missing()

    def close(self) -> None:
        """Stop every worker: idle ones are asked to leave, the rest are killed."""
        if self._closed:
            return
        self._closed = True
        for worker in self._workers:
            if worker.ready and not worker.busy:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        deadline = time.monotonic() + _GRACE
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.stop()
        self._workers.clear()
        self._alive_writer.close()
        self._alive_reader.close()

    # -- the steps of run() ----------------------------------------------------------

    def _replace_missing(self) -> None:
        while len(self._workers) < self.jobs:
            self._workers.append(self._start_worker())

    def _start_worker(self) -> _Worker:
        parent_conn, child_conn = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(child_conn, self._alive_reader, self._initializer, self.memory_limit_mb),
            name="ehcp-audit-worker",
            daemon=True,
        )
        process.start()
        child_conn.close()
        return _Worker(process, parent_conn)

    def _hand_out(self, fn: Callable[[T], Any], pending: Iterator[T], exhausted: bool) -> bool:
        """Give one task to each ready, idle worker; True once the tasks have run out."""
        for worker in self._workers:
            if exhausted:
                break
            if not worker.ready or worker.busy:
                continue
            try:
                task = next(pending)
            except StopIteration:
                return True
            worker.task, worker.busy, worker.started = task, True, time.monotonic()
            worker.tasks_run += 1
            # If the worker has died, _collect sees its end and reports the task.
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send((fn, task))
        return exhausted

    def _collect(self) -> Iterator[Done]:
        """Wait a little for messages and deaths; yield the tasks they finish."""
        waitables: list[Any] = [w.conn for w in self._workers]
        waitables += [w.process.sentinel for w in self._workers]
        ready = set(wait(waitables, timeout=self._wait_time()))
        for worker in list(self._workers):
            if worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    message = None
                if message is not None:
                    done = self._receive(worker, message)
                    if done is not None:
                        yield done
                    continue
            if worker.conn in ready or worker.process.sentinel in ready:
                yield from self._died(worker)

    def _wait_time(self) -> float:
        """Until the next limit check is due: the poll interval, or sooner for a deadline."""
        now = time.monotonic()
        deadlines = [w.started + self.time_limit - now for w in self._workers if w.busy]
        return max(0.0, min([_POLL, *deadlines]))

    def _receive(self, worker: _Worker, message: tuple[str, Any]) -> Done | None:
        kind, payload = message
        if kind == "ready":
            worker.ready = True
            return None
        if kind == "init_failed":
            raise ExecutorError(f"a worker could not start: its initializer raised {payload}")
        task = worker.task
        worker.task, worker.busy = None, False
        if kind == "done":
            return Done(task, payload, None)
        if payload == "MemoryError":  # the address-space backstop, or a real shortage
            return Done(task, None, OUT_OF_MEMORY, "ran out of memory (MemoryError)")
        return Done(task, None, CRASHED, f"the task raised {payload}")

    def _died(self, worker: _Worker) -> Iterator[Done]:
        """A worker ended on its own: report its task, if any, as crashed."""
        worker.process.join(_GRACE)
        code = worker.process.exitcode
        self._workers.remove(worker)
        worker.stop()
        if not worker.ready and not worker.busy:
            raise ExecutorError(f"a worker could not start: it {_ending(code)}")
        if worker.busy:
            yield Done(worker.task, None, CRASHED, f"the worker process {_ending(code)}")

    def _enforce_limits(self) -> Iterator[Done]:
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.busy and now - worker.started > self.time_limit:
                yield self._stopped(worker, TIMEOUT, f"stopped after {self.time_limit:g} s")
                continue
            if not worker.ready:
                continue  # still building its pipeline: not a plan's fault
            used = worker.resident_mb()
            if used is None or used <= self.memory_limit_mb:
                continue
            detail = f"stopped at {used:.0f} MB (the limit is {self.memory_limit_mb} MB)"
            if worker.busy:
                yield self._stopped(worker, OUT_OF_MEMORY, detail)
            elif worker.tasks_run == 0:  # a fresh worker: replacing it would loop for ever
                raise ExecutorError(
                    f"the memory limit ({self.memory_limit_mb} MB) is below what a worker "
                    f"needs to start ({used:.0f} MB): raise the limit"
                )
            else:  # grown between plans: replace it quietly
                self._remove(worker)

    def _stopped(self, worker: _Worker, failure: str, detail: str) -> Done:
        """Stop a worker over a limit and report its task; unless its result just came in."""
        with contextlib.suppress(EOFError, OSError):
            if worker.conn.poll(0):  # it finished after all: take the result
                done = self._receive(worker, worker.conn.recv())
                if done is not None:
                    return done
        task = worker.task
        self._remove(worker)
        return Done(task, None, failure, detail)

    def _remove(self, worker: _Worker) -> None:
        worker.stop()
        self._workers.remove(worker)


def _ending(code: int | None) -> str:
    """How a process ended, in words: 'exited with code 3', 'was killed by SIGSEGV'."""
    if code is None:
        return "stopped for an unknown reason"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name}"
    return f"exited with code {code}"


def resident_mb(pid: int | None) -> float | None:
    """A process's resident memory in MiB, from /proc (None where that cannot be read)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            resident_pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return resident_pages * _PAGE_SIZE / (1024 * 1024)


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# --- the worker's side ---------------------------------------------------------------


def _worker_main(
    conn: Connection,
    alive: Connection,
    initializer: Callable[[], None] | None,
    memory_limit_mb: int,
) -> None:
    """A worker's life: start up once, then run tasks until told to stop or orphaned."""
    _die_with_parent(alive)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        if initializer is not None:
            initializer()
    except BaseException as exc:
        conn.send(("init_failed", type(exc).__name__))
        return
    _cap_address_space(memory_limit_mb)
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, task = message
        try:
            reply: tuple[str, Any] = ("done", fn(task))
        except BaseException as exc:  # the task's own failure, named by type only (privacy)
            reply = ("raised", type(exc).__name__)
        try:
            conn.send(reply)
        except Exception as exc:  # e.g. a result that cannot be pickled
            conn.send(("raised", f"{type(exc).__name__} (its result could not be sent back)"))


def _die_with_parent(alive: Connection) -> None:
    """Leave as soon as the parent is gone, however it went."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            alive.recv_bytes()  # never written to: returns only by EOF when the parent dies
        os._exit(70)

    threading.Thread(target=watch, name="ehcp-audit-parent-watch", daemon=True).start()


def _cap_address_space(memory_limit_mb: int) -> None:
    """Cap the worker's address space at what it maps now plus twice the memory limit.

    A backstop for one sudden huge allocation; the parent's sampling of
    resident memory stops gradual growth well before this cap is reached.
    Measured: the spaCy pipeline and the corpus plans audit normally under it.
    """
    try:
        import resource
    except ImportError:  # Windows
        return
    mapped = _mapped_bytes()
    if mapped is None:
        return
    cap = mapped + 2 * memory_limit_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _mapped_bytes() -> int | None:
    """This process's virtual memory size, from /proc (None where that cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None
