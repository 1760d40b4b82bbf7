"""The console command's exit: everything said and saved, then no interpreter teardown.

``ehcp_audit._console.run`` ends the process with ``os._exit`` once the
command has returned (teardown was a fifth of a ``check``). These tests hold
it to the ordinary exit's promises: the whole output arrives through a pipe,
the exit code is the command's, exit handlers run (the pattern cache is
saved), and a thread still at work is waited for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ehcp_audit._resources import sample_plan

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cache: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EHCP_AUDIT_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, **kw
    )


def test_the_whole_report_arrives_and_the_cache_is_saved(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    done = _run(["-m", "ehcp_audit", "check", str(sample_plan()), "--format", "json"], cache)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # complete: it parses to its last brace
    assert report["overall"] and report["findings"]
    assert len(done.stdout) > 20_000
    assert list(cache.glob("patterns-*.marshal"))  # the exit handler that saves it ran


def test_the_exit_code_is_the_commands(tmp_path: Path) -> None:
    missing = _run(["-m", "ehcp_audit", "check", str(tmp_path / "no-such-plan.docx")], tmp_path)
    assert missing.returncode == 2 and "no-such-plan.docx" in missing.stderr
    weak = ROOT / "corpus_samples" / "p08.txt"  # rates below good
    below = _run(["-m", "ehcp_audit", "check", str(weak), "--fail-under", "good"], tmp_path)
    assert below.returncode == 1, below.stderr
    assert "below target" in below.stderr and below.stdout.strip()


def test_exit_handlers_run_and_a_working_thread_is_waited_for(tmp_path: Path) -> None:
    handler, thread = tmp_path / "handler.txt", tmp_path / "thread.txt"
    script = textwrap.dedent(
        f"""
        import atexit, threading, time
        from pathlib import Path
        from ehcp_audit._console import leave
        atexit.register(lambda: Path({str(handler)!r}).write_text("ran"))
        def work():
            time.sleep(0.5)
            Path({str(thread)!r}).write_text("finished")
        threading.Thread(target=work).start()
        print("bye")
        leave(3)
        """
    )
    done = _run(["-c", script], tmp_path)
    assert done.returncode == 3
    assert done.stdout == "bye\n"
    assert handler.read_text() == "ran" and thread.read_text() == "finished"


def test_without_threads_it_leaves_at_once_after_the_handlers(tmp_path: Path) -> None:
    handler = tmp_path / "handler.txt"
    script = textwrap.dedent(
        f"""
        import atexit, sys
        from pathlib import Path
        from ehcp_audit._console import leave
        atexit.register(lambda: Path({str(handler)!r}).write_text("ran"))
        sys.stdout.write("unflushed text")  # still in the buffer: leave() flushes it
        leave(0)
        """
    )
    done = _run(["-c", script], tmp_path)
    assert (done.returncode, done.stdout) == (0, "unflushed text")
    assert handler.read_text() == "ran"


def test_the_console_script_is_run() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'ehcp-audit = "ehcp_audit._console:run"' in text


def test_a_profiler_still_gets_its_figures(tmp_path: Path) -> None:
    figures = tmp_path / "check.prof"
    done = _run(
        ["-m", "cProfile", "-o", str(figures), "-m", "ehcp_audit", "check", str(sample_plan())],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    import pstats

    assert pstats.Stats(str(figures)).total_calls > 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_output_that_cannot_be_written_is_an_error(tmp_path: Path) -> None:
    """As Python's own exit: a failed final flush (a full disk) exits 120, not 0."""
    script = textwrap.dedent(
        """
        import sys
        from ehcp_audit._console import leave
        sys.stdout.write("x" * 100)
        leave(0)
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 120
