"""The atomic write: whole file or old file, the target's mode, symlinks, no leftovers.

The SIGTERM tests run the real command in a subprocess whose write is made
slow (``os.fsync`` patched to wait, from a wrapper script, so the library
needs no test hook), kill it mid-write and look for temporary files.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ehcp_audit._atomic import check_target, write_text_atomic
from ehcp_audit._errors import OutputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus_samples" / "sample_plan.docx"

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes, links and signals")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@posix_only
def test_an_existing_target_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@posix_only
def test_a_new_target_gets_the_usual_mode_less_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "report.json", "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o640  # not 0o600


@posix_only
def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "real.json"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o644)
    link = tmp_path / "latest.json"
    link.symlink_to(Path("reports") / "real.json")
    write_text_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(Path("reports") / "real.json")
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == leftovers(real.parent) == []


@posix_only
def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "latest.json"
    link.symlink_to("made.json")
    write_text_atomic(link, "new")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "new"


@posix_only
def test_a_symlink_loop_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError, match="symbolic links"):
        write_text_atomic(tmp_path / "a", "new")


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_text_atomic(tmp_path / "missing" / "report.json", "new")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "afile" / "report.json", "not a folder"),
        (lambda p: p, "is a folder"),
    ],
    ids=["under-a-file", "onto-a-folder"],
)
def test_impossible_targets_are_refused_before_writing(
    tmp_path: Path, make: object, expected: str
) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputError, match=expected):
        check_target(make(tmp_path))  # type: ignore[operator]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old report")
    real_write = os.write

    def half_then_fail(fd: int, data: object) -> int:
        real_write(fd, bytes(data)[:10])  # type: ignore[call-overload]
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(OutputError) as caught:
        write_text_atomic(target, "new report " * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old report"
    assert leftovers(tmp_path) == []
    if code == errno.ENOSPC:
        assert "disk is full" in caught.value.message


def test_a_failed_fsync_or_rename_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    for name in ("fsync", "replace"):
        with monkeypatch.context() as patch:
            patch.setattr(os, name, lambda *_: (_ for _ in ()).throw(OSError(errno.ENOSPC, "")))
            with pytest.raises(OutputError, match="disk is full"):
                write_text_atomic(target, "new")
        assert not target.exists() and leftovers(tmp_path) == []


def test_signal_handlers_are_restored_after_a_write(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    write_text_atomic(tmp_path / "report.json", "new")
    assert signal.getsignal(signal.SIGTERM) == before


SLOW_WRITE = textwrap.dedent(
    """
    import os, sys, time
    real_fsync = os.fsync
    def slow_fsync(fd):
        sys.stderr.write("WRITING\\n"); sys.stderr.flush()
        time.sleep({pause})
        real_fsync(fd)
    os.fsync = slow_fsync
    {body}
    """
)


def kill_mid_write(
    body: str, signum: int, cwd: Path, pause: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``body`` with an fsync that waits ``pause`` s, send ``signum`` once it waits."""
    script = SLOW_WRITE.format(body=body, pause=pause)
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:  # wait for the write to begin
        lines.append(line)
        if line == "WRITING\n":
            break
    else:
        proc.wait(10)
        pytest.fail(f"never began writing: {''.join(lines)}")
    assert leftovers(cwd), "the temporary file should exist while the write waits"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, "".join(lines) + err)


@posix_only
@pytest.mark.slow
def test_sigterm_mid_write_from_the_cli_leaves_no_temporary_file(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("the good report from yesterday")
    body = (
        "from ehcp_audit.cli import main\n"
        f"main(['check', {str(SAMPLE)!r}, '--format', 'json', '-o', {str(report)!r}])"
    )
    done = kill_mid_write(body, signal.SIGTERM, tmp_path)
    assert done.returncode == -signal.SIGTERM, done.stderr  # it still dies of the signal
    assert leftovers(tmp_path) == []
    assert report.read_text() == "the good report from yesterday"


@posix_only
def test_sighup_mid_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    body = (
        "from ehcp_audit._atomic import write_text_atomic\n"
        "write_text_atomic('report.txt', 'plan text ' * 100000)"
    )
    done = kill_mid_write(body, signal.SIGHUP, tmp_path)
    assert done.returncode == -signal.SIGHUP, done.stderr
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_an_ignored_sigterm_does_not_stop_the_write(tmp_path: Path) -> None:
    """Only a signal's default action (death) is taken over; an ignored one stays ignored."""
    body = (
        "import signal\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "from ehcp_audit._atomic import write_text_atomic\n"
        "write_text_atomic('report.txt', 'done')"
    )
    done = kill_mid_write(body, signal.SIGTERM, tmp_path, pause=1)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.txt").read_text() == "done"


def test_a_read_only_target_is_refused_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file means "do not overwrite"; ``os.replace`` alone would ignore that."""
    target = tmp_path / "report.json"
    target.write_text("old")
    real_access = os.access
    monkeypatch.setattr(  # as a non-root user sees a 0o444 file (root may write anything)
        os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode)
    )
    with pytest.raises(OutputError, match="read-only"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
