"""Write output files atomically, so a crash never leaves half a report.

The text goes to a temporary file in the destination folder, is flushed to
disk, then renamed over the target in one step (``os.replace`` is atomic on
POSIX and Windows when both paths are on the same file system). Around that
step:

- :func:`check_target` is the check a caller makes before any long work:
  the folder must exist (it is never created: a mistyped path should fail,
  not scatter folders), be a folder and be writable; an existing target must
  be a writable regular file (a device or pipe is refused: leave ``-o`` out
  to write to standard output).
- A symlink at the path is followed on purpose, as a shell's ``>`` and
  ``open()`` do: the file it points to is replaced and the link stays a link
  (renaming over the link itself would silently turn it into a file).
- The new file keeps the old one's mode (and owner, where allowed); a new
  file gets the usual ``0o666`` less the umask, not ``mkstemp``'s ``0o600``.
- The temporary file, which holds plan text, is removed on any exception
  and also on SIGTERM or SIGHUP: while it exists, those signals (when their
  default action, death, is in force) raise instead, the file is removed,
  and the signal is then delivered again so the process still dies of it.

Failures are :class:`~ehcp_audit._errors.OutputError`, whose messages name
paths but never the text being written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from ._errors import OutputError

#: Signals whose default action kills the process without running ``finally``.
_FATAL_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission was refused",
    errno.EPERM: "permission was refused",
    errno.ELOOP: "the path has too many symbolic links (a loop?)",
    errno.ENAMETOOLONG: "the path is too long",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "part of the path is a file, not a folder",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def check_target(path: str | os.PathLike[str]) -> Path:
    """The file a report for ``path`` will be written to; raise OutputError if it cannot be.

    Symlinks are resolved (the link's target is what gets replaced). Call it
    before the work whose result is to be written, so that a mistyped path
    fails at once rather than after the audit.
    """
    return _inspect(path)[0]


def _inspect(path: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None]:
    """The resolved target and its current status (None: it does not exist yet), checked."""
    given = os.fspath(path)
    if not given:
        raise OutputError("no output file was named")
    target = Path(os.path.realpath(given))
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write to {given}: {_reason(exc)}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{given} is a folder: name a file to write the report to")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(
                f"{given} is not a regular file (a device or pipe); "
                "leave out -o to write the report to standard output"
            )
        if not os.access(target, os.W_OK):
            raise OutputError(f"{given} is read-only: make it writable or name another file")
    folder = target.parent
    try:
        folder_info = folder.stat()
    except FileNotFoundError:
        raise OutputError(f"the folder {folder} does not exist (create it first)") from None
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {_reason(exc)}") from None
    if not stat.S_ISDIR(folder_info.st_mode):
        raise OutputError(f"{folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in the folder {folder}: read-only, or no permission")
    return target, info


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace the file at ``path`` (or the file a symlink there points to) with ``text``.

    Either the whole new text is there afterwards, or the old file is
    untouched and no temporary file remains. Raises OutputError.
    """
    write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """As :func:`write_text_atomic`, for a binary file (a Word document, say)."""
    target, old = _inspect(path)
    try:
        with _signals_raise():
            _replace(target, data, old)
        _sync_folder(target.parent)
    except OSError as exc:
        raise OutputError(f"could not write {path}: {_reason(exc)}") from None


def _replace(target: Path, data: bytes, old: os.stat_result | None) -> None:
    fd, tmp = _create_temporary(target)
    try:
        try:
            if old is not None:
                _copy_owner_and_mode(fd, old)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new hidden file beside ``target``, created with 0o666 less the umask (as ``open``)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    while True:
        tmp = target.with_name(f".{target.name[:100]}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
        except BaseException:
            # A signal can land after the file was made but before os.open
            # returned; the name is random and O_EXCL, so if it exists it is ours.
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _copy_owner_and_mode(fd: int, old: os.stat_result) -> None:
    """Give the new file the old one's owner (where allowed) and then its mode.

    The owner first: changing it clears set-id bits that the mode then restores.
    """
    if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != _owner(fd):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, old.st_uid, old.st_gid)
    if hasattr(os, "fchmod"):  # not on Windows, where only a read-only bit exists
        os.fchmod(fd, stat.S_IMODE(old.st_mode))


def _owner(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_uid, info.st_gid


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk, where the platform allows opening a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Terminated(BaseException):
    """A fatal signal arrived while a temporary file existed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise (so cleanup runs), then are delivered again.

    Only signals left at their default action (death) are taken over: a
    handler the application installed, or an ignored signal, is left alone.
    Python handles signals only in the main thread; elsewhere this does
    nothing, and the exception path still cleans up.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken = [s for s in _FATAL_SIGNALS if signal.getsignal(s) == signal.SIG_DFL]

    def stop(signum: int, frame: FrameType | None) -> None:
        for other in taken:  # a second signal must not interrupt the cleanup
            signal.signal(other, signal.SIG_IGN)
        raise _Terminated(signum)

    for signum in taken:
        signal.signal(signum, stop)
    arrived: int | None = None
    try:
        yield
    except _Terminated as terminated:
        arrived = terminated.signum
    finally:
        for signum in taken:
            signal.signal(signum, signal.SIG_DFL)
    if arrived is not None:
        signal.raise_signal(arrived)
        raise SystemExit(128 + arrived)  # pragma: no cover - the signal ends the process first
