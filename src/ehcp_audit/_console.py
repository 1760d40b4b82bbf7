"""The ``ehcp-audit`` command's entry point: run the CLI, then leave without tearing Python down.

Why: when a command has finished, Python's own shutdown frees every object
one by one (spaCy's vocabulary and tables, the compiled rule patterns): about
0.2 s after an audit, a fifth of what a case worker waits for ``check``,
spent on memory the operating system takes back at once anyway. So once
:func:`~ehcp_audit.cli.main` has returned, the output is flushed and the exit
handlers have run (logging is flushed, the pattern cache saved), the process
ends with ``os._exit``. When another thread is still alive (a server, a
progress monitor), or a profiler or debugger watches (``python -m cProfile``
writes its figures after the command returns), the ordinary exit runs.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

# The cyclic garbage collector's generation thresholds for a command's run.
# Python's default (700, 10, 10) sweeps the young objects every 700 new ones
# and the whole heap often while spaCy and the rules load hundreds of
# thousands of long-lived objects: about 0.1 s of a ``check``. Audits make
# little cyclic garbage (a 12-plan ``check`` peaks 2 MB higher with the
# collector off), so it sweeps less often here; it still sweeps.
GC_THRESHOLDS = (100_000, 20, 10)


def run() -> NoReturn:
    """The console script: ``main()``'s exit code, without the interpreter's teardown."""
    gc.set_threshold(*GC_THRESHOLDS)  # before the imports: they make most of the objects
    from .cli import main

    leave(main())


def leave(code: int) -> NoReturn:
    """End the process with ``code`` once output is flushed and the exit handlers have run."""
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    watched = sys.getprofile() is not None or sys.gettrace() is not None  # a profiler, debugger
    if run_exit_handlers is None or watched or threading.active_count() > 1:
        sys.exit(code)
    flushed = _flush()
    run_exit_handlers()
    flushed = _flush() and flushed
    # Output that could not be written is an error, as Python's own exit makes it (120).
    os._exit(code if flushed or code else _UNFLUSHED)


#: Python's exit status when it cannot flush standard output at exit.
_UNFLUSHED = 120


def _flush() -> bool:
    """Flush standard output and error; False when something could not be written."""
    ok = True
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a full disk, a reader gone, a closed stream
            ok = False
    return ok
