"""Fuzz for longer: the property-based suite's strategies, fresh examples, for N minutes.

    python bench/fuzz.py --minutes N [--scale S] [--only NAME ...] [--timeout SECONDS]

``tests/test_fuzz.py`` runs a fixed, small set of examples in CI; this runs
the same strategies (``STRATEGIES`` there) with fresh randomness and, with
``--scale``, larger inputs (longer runs, more paragraphs, bigger blocks,
deeper nesting), cycling through them in batches until the time is up.

The property is the suite's: every input ends in an audit or a typed
:class:`~ehcp_audit.InputError`. An example that takes longer than
``--timeout`` seconds (30, the hardening issue's bound) counts as a hang
(an alarm interrupts it where Python code runs; a long C call, such as
spaCy's tokenizer, is caught when it returns).
When an input breaks the property, Hypothesis shrinks it and the smallest
failing input is saved as ``tests/crashers/<strategy>-<sha256>.bin`` (``.bin.gz``
over 64 KB), where ``test_crashers_replay`` runs it from then on: fix the
bug, keep the file. A hang is saved as it came, unshrunk: each shrink step
would take as long again.
At the end it prints, per strategy, the examples run, the failures and the
slowest example, then the process's peak memory (``ru_maxrss``). Exit code
1 when anything was saved. A rule or settings file that fails to load
(:class:`~ehcp_audit.ConfigError`, which every input would meet) stops the
run at once with exit code 2, saving nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import itertools
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, Verbosity, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import HypothesisWarning  # noqa: E402
from test_fuzz import CRASHERS, PLAN_TEXT, STRATEGIES, audit_or_input_error  # noqa: E402

from ehcp_audit import ConfigError  # noqa: E402

#: Examples per Hypothesis run (each run starts again from the simplest example).
BATCH = 25
#: Inputs larger than this are saved gzipped (``test_crashers_replay`` reads both).
GZIP_OVER = 64 * 1024


class Hang(Exception):
    """An example ran past ``--timeout`` (raised by the alarm, where Python code runs)."""


class TimedOut(BaseException):
    """An example took longer than ``--timeout``, however it ended.

    Not an ``Exception``, so Hypothesis passes it straight out instead of
    shrinking: each shrink step of a slow input would take as long again
    (and the code under test may wrap :class:`Hang` in an error of its own).
    """


class Broken(BaseException):
    """The rules or settings fail to load: every input would fail, so stop, saving nothing."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after ``seconds`` (POSIX only; else no limit)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"no result after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@attrs.define
class Tally:
    """What one strategy has done so far."""

    examples: int = 0
    failures: int = 0
    slowest: float = 0.0
    saved: list[str] = attrs.Factory(list)


def run_batch(name: str, strategy: st.SearchStrategy[bytes], tally: Tally, timeout: float) -> None:
    """:data:`BATCH` fresh examples of ``strategy``; save the shrunk input of a failure.

    A batch always runs to its end (stopping inside one would make a failure
    look flaky to Hypothesis while it shrinks), so the run ends after the
    batch under way when the time is up.
    """
    failing: list[bytes] = []

    @settings(
        max_examples=BATCH,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,  # inputs can be megabytes: the saved file is the report
    )
    @given(strategy)
    def example(data: bytes) -> None:
        started = time.perf_counter()
        try:
            with time_limit(timeout):
                audit_or_input_error(data)
        except ConfigError as error:
            raise Broken(f"the rules or settings are broken, not the input: {error}") from None
        except BaseException as error:
            failing[:] = [data]  # the last to fail is the shrunk one Hypothesis replays
            if time.perf_counter() - started >= timeout:
                raise TimedOut(f"{time.perf_counter() - started:.1f} s") from error
            raise
        finally:
            elapsed = time.perf_counter() - started
            tally.examples += 1
            tally.slowest = max(tally.slowest, elapsed)
        if elapsed > timeout:  # the alarm waits for a long C call (spaCy's) to return
            failing[:] = [data]
            raise TimedOut(f"{elapsed:.1f} s")

    try:
        example()
    except (Exception, TimedOut) as error:
        tally.failures += 1
        path = save(name, failing[0])
        tally.saved.append(path.name)
        what = f"took over {timeout:g} s" if isinstance(error, TimedOut) else "broke the property"
        print(f"\n{name}: an input of {len(failing[0]):,} bytes {what}; saved {path}")
        traceback.print_exc(limit=-6)


def preflight() -> None:
    """Raise :class:`Broken` unless the property holds on the corpus plan the strategies vary."""
    try:
        audit_or_input_error(PLAN_TEXT.encode("utf-8"))
    except Exception as error:
        raise Broken(f"the property fails on the corpus plan itself: {error!r}") from None


def save(name: str, data: bytes) -> Path:
    """Save ``data`` under :data:`CRASHERS`, gzipped when large (they are mostly repetitive)."""
    CRASHERS.mkdir(exist_ok=True)
    path = CRASHERS / f"{name}-{hashlib.sha256(data).hexdigest()[:16]}.bin"
    if len(data) > GZIP_OVER:
        path = path.with_name(path.name + ".gz")
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def peak_memory_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, required=True, help="how long to run")
    parser.add_argument(
        "--scale", type=int, default=4, help="size multiplier for large strategies (default 4)"
    )
    parser.add_argument("--only", nargs="+", choices=sorted(STRATEGIES), help="these strategies")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before an example is a hang"
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", "Generating overly large repr", HypothesisWarning)
    if not args.minutes > 0 or args.scale < 1 or not args.timeout > 0:
        parser.error("--minutes and --timeout must be above 0, --scale at least 1")
    names = args.only or sorted(STRATEGIES)
    strategies = {name: STRATEGIES[name][0](args.scale) for name in names}
    tallies = {name: Tally() for name in names}
    until = time.monotonic() + args.minutes * 60
    try:
        preflight()
        for name in itertools.cycle(names):
            if time.monotonic() > until:
                break
            run_batch(name, strategies[name], tallies[name], args.timeout)
            print(".", end="", flush=True)
    except Broken as error:
        print(f"\nstopped: {error}")
        return 2
    print()
    print(f"{'strategy':<22}{'examples':>10}{'failures':>10}{'slowest s':>11}")
    for name, tally in tallies.items():
        print(f"{name:<22}{tally.examples:>10}{tally.failures:>10}{tally.slowest:>11.2f}")
    peak = peak_memory_mb()
    if peak is not None:
        print(f"peak memory (ru_maxrss): {peak:,.0f} MB")
    saved = list(dict.fromkeys(path for tally in tallies.values() for path in tally.saved))
    for path in saved:
        print(f"saved: {CRASHERS / path}")
    return 1 if saved else 0


if __name__ == "__main__":
    raise SystemExit(main())
