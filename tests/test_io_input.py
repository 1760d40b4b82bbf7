"""Reading the input: only regular files are opened, and their bytes are read once.

A FIFO, pipe, device, socket or folder is refused from ``os.stat`` before
any ``open()`` (opening a FIFO blocks until a writer comes; /dev/zero streams
for ever). The error path reuses the bytes already read: the hash and format
in an error report come from the input error itself, never a second read.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import ehcp_audit
from ehcp_audit import _audit
from ehcp_audit._errors import NotAFile, TooLarge, Unreadable
from ehcp_audit._limits import MIB, Limits
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "corpus_samples" / "bad"
SAMPLE = ROOT / "corpus_samples" / "sample_plan.docx"

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def within(seconds: float, action: Callable[[], object], release: Callable[[], None]) -> object:
    """Run ``action`` in a thread; fail (after ``release`` unblocks it) if it takes longer."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = action()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        release()
        worker.join(5)
        pytest.fail(f"blocked for more than {seconds} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


def release_fifo(path: Path) -> Callable[[], None]:
    def release() -> None:  # a writer's open unblocks a reader blocked in open()
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)

    return release


@posix_only
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.docx"
    os.mkfifo(fifo)
    with pytest.raises(NotAFile, match="pipe") as caught:
        within(10, lambda: ehcp_audit.audit(fifo), release_fifo(fifo))
    assert caught.value.code == "unreadable"


@posix_only
def test_a_fifo_from_the_cli_with_json_does_not_hang(tmp_path: Path) -> None:
    """The real command, with a timeout: before, the JSON error path read the FIFO again."""
    fifo = tmp_path / "plan.pdf"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "ehcp_audit", "check", str(fifo), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {fifo}: unreadable: this is a pipe (FIFO)")
    source = json.loads(proc.stdout)["source"]
    assert source["sha256"] == "" and source["format"] is None  # nothing was read


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")
def test_an_anonymous_pipe_is_refused() -> None:
    read_end, write_end = os.pipe()
    try:
        with pytest.raises(NotAFile, match="pipe"):
            ehcp_audit.audit(f"/dev/fd/{read_end}")
    finally:
        os.close(read_end)
        os.close(write_end)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    with pytest.raises(NotAFile, match="device"):
        ehcp_audit.audit(device)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAFile, match="folder"):
        ehcp_audit.audit(tmp_path)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    if len(os.fsencode(path)) > 100:
        pytest.skip("temporary path too long for a Unix socket")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(NotAFile, match="socket"):
            ehcp_audit.audit(path)


@posix_only
def test_a_fifo_swapped_in_after_stat_does_not_block_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: stat saw a regular file, open meets a FIFO. O_NONBLOCK and fstat close it."""
    regular = tmp_path / "regular.txt"
    regular.write_text("x")
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    real_stat = os.stat

    def stat_sees_a_file(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if os.fspath(path) == str(fifo):  # type: ignore[arg-type]
            return real_stat(regular)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat_sees_a_file)
    with pytest.raises(NotAFile, match="pipe"):
        within(10, lambda: _audit.load_bytes(fifo), release_fifo(fifo))


def test_missing_file_and_bad_names(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match="does not exist"):
        ehcp_audit.audit(tmp_path / "missing.docx")
    with pytest.raises(Unreadable, match="not valid"):
        ehcp_audit.audit("plan\0.docx")
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(Unreadable, match="as if it were a folder"):
        ehcp_audit.audit(afile / "plan.docx")


def test_oversized_file_is_refused_from_its_size_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: no disk used
        handle.truncate(3 * MIB)
    monkeypatch.setattr(os, "read", lambda *_: pytest.fail("read a file already known too big"))
    with pytest.raises(TooLarge):
        _audit.load_bytes(big, Limits(max_bytes=2 * MIB))


def test_a_huge_limit_does_not_allocate_it(tmp_path: Path) -> None:
    """``read(limit + 1)`` allocates the whole limit up front: reads go in chunks instead."""
    plan = tmp_path / "plan.txt"
    plan.write_bytes(b"Section A\n" * 10)
    data, path = _audit.load_bytes(plan, Limits(max_bytes=1 << 50))
    assert data == plan.read_bytes() and path == str(plan)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_file_that_reports_size_zero_is_still_read_whole() -> None:
    data, _ = _audit.load_bytes("/proc/self/status")
    assert b"Name:" in data


def test_a_file_growing_past_the_limit_while_read_is_refused(tmp_path: Path) -> None:
    """The size check after the read holds even when fstat's size was within the limit."""
    plan = tmp_path / "plan.txt"
    plan.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def fstat_says_small(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[stat.ST_SIZE] = 10
        return os.stat_result(info)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fstat", fstat_says_small)
        with pytest.raises(TooLarge):
            _audit.load_bytes(plan, Limits(max_bytes=50))


def test_the_json_error_path_reads_the_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = _audit._read_regular_file

    def counting(path: str, limit: int) -> bytes:
        reads.append(path)
        return real(path, limit)

    monkeypatch.setattr(_audit, "_read_regular_file", counting)
    plan = BAD / "password.pdf"
    code, out, _ = run("check", str(plan), "--format", "json")
    assert code == 2
    assert reads == [str(plan)]
    source = json.loads(out)["source"]
    assert source["sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()
    assert source["format"] == "pdf"


def test_input_errors_from_the_library_name_the_bytes_they_refused() -> None:
    plan = BAD / "blank.pdf"
    with pytest.raises(ehcp_audit.InputError) as caught:
        ehcp_audit.audit(plan)
    assert caught.value.sha256 == hashlib.sha256(plan.read_bytes()).hexdigest()
    assert caught.value.format == "pdf"
    with pytest.raises(ehcp_audit.InputError) as unread:
        ehcp_audit.audit(plan.with_name("missing.pdf"))
    assert unread.value.sha256 is None and unread.value.format is None


def test_a_regular_file_still_audits() -> None:
    result = ehcp_audit.audit(SAMPLE)
    assert result.source.path == str(SAMPLE)
    assert result.source.sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
