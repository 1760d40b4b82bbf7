"""How far a batch has got: a live bar on a terminal, a plain line now and then otherwise.

On a terminal, a tqdm bar shows the count, the rate and the time left. When
the output goes to a file or a CI log, a redrawn bar would fill it with
carriage returns, so a plain line is written instead every 10% of the plans
or every 10 seconds, whichever comes first, and once at the end::

    audited 120 of 200 plans (3.1 a second, about 26 s left)

Progress never shows a file's name or any plan text: only counts and times
(privacy: a CI log may be read by people the plans' families never agreed to).
With nothing to do (``total`` 0) nothing is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol, TextIO

__all__ = ["Progress", "make_progress"]

#: Plain lines: at least this often (seconds) ...
_EVERY_SECONDS = 10.0
#: ... or at every tenth of the total.
_EVERY_SHARE = 0.1


class Progress(Protocol):
    """What a batch tells as it goes: ``advance`` after each plan, ``close`` at the end."""

    def advance(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


def make_progress(
    total: int,
    stream: TextIO,
    label: str = "plans",
    *,
    clock: Callable[[], float] = time.monotonic,
) -> Progress:
    """A progress display for ``total`` items (``label`` names them: "plans") on ``stream``.

    A tqdm bar when ``stream`` is a terminal, plain periodic lines when not,
    nothing when ``total`` is 0. ``clock`` is for tests.
    """
    if total <= 0:
        return _Silent()
    if _is_terminal(stream):
        return _Bar(total, stream, label)
    return _Lines(total, stream, label, clock)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class _Silent:
    def advance(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class _Bar:
    """tqdm's bar: count, share, elapsed and remaining time, rate."""

    def __init__(self, total: int, stream: TextIO, label: str) -> None:
        from tqdm import tqdm

        self._bar: Any = tqdm(
            total=total,
            file=stream,
            desc="auditing",
            unit=f" {label}",
            unit_scale=False,
            dynamic_ncols=True,
            leave=True,
        )

    def advance(self, n: int = 1) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()


class _Lines:
    """One line every tenth of the way or every 10 seconds, and one at the end."""

    def __init__(self, total: int, stream: TextIO, label: str, clock: Callable[[], float]) -> None:
        self._total, self._stream, self._label, self._clock = total, stream, label, clock
        self._done = 0
        self._started = self._last_time = clock()
        self._last_done = 0
        self._closed = False

    def advance(self, n: int = 1) -> None:
        self._done = min(self._total, self._done + n)
        now = self._clock()
        step = max(1, round(self._total * _EVERY_SHARE))
        due = self._done - self._last_done >= step or now - self._last_time >= _EVERY_SECONDS
        if due and self._done < self._total:
            self._write(now)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._done != self._last_done or self._done == 0:
            self._write(self._clock())

    def _write(self, now: float) -> None:
        self._last_done, self._last_time = self._done, now
        line = f"audited {self._done} of {self._total} {self._label}"
        elapsed = now - self._started
        if self._done and elapsed > 0:
            rate = self._done / elapsed
            left = (self._total - self._done) / rate
            timing = f"{rate:.1f} a second"
            line += f" ({timing}, about {_duration(left)} left)" if left else f" ({timing})"
        self._stream.write(line + "\n")
        self._stream.flush()


def _duration(seconds: float) -> str:
    """'26 s', '4 min', '1 h 5 min': as precise as a person reading a log needs."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
