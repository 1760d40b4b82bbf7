"""Start-up work kept on disk between runs: one file of values per kind, per Python build.

Why: every ``ehcp-audit`` command and every batch worker starts by reading
the same rule and lexicon files and compiling the same patterns; doing that
afresh each time was most of what a case worker waited for beyond spaCy's
own start. The compiled patterns (:mod:`._regex_cache`) and the parsed rule
files (:func:`._toml.parse_toml`) are kept here, keyed by what they were
made from, so a changed file or pattern is simply a new key.

Only values made from rule, lexicon and settings *data* come here, never
anything from a plan. The files go under ``$EHCP_AUDIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/ehcp-audit``, else ``~/.cache/ehcp-audit``;
``EHCP_AUDIT_CACHE_DIR=off`` turns caching off. A missing, damaged,
foreign or unwritable file only costs time: the caller makes the value
itself. Files are written atomically at exit (or by :meth:`DiskCache.save`)
when something new was added, and hold what the run used plus at most as
many other values, so stale ones leave within a few runs.

The files are trusted as Python trusts its ``__pycache__``: a value is used
as it was written. So the folder is made private (0o700), and a folder or
file that another user owns or may write, or a file that is a link, is not
used; each file carries a SHA-256 of its values, so a damaged file (a full
disk, a crash while writing) is noticed and ignored rather than read.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import marshal
import os
import stat
import sys
import weakref
from collections.abc import Hashable
from pathlib import Path
from typing import Any

__all__ = ["OFF", "DiskCache", "cache_folder", "save_all"]

_log = logging.getLogger(__name__)

OFF = "off"
#: Of the values a run did not use, a save keeps at most this many per value it used.
_KEEP_UNUSED = 1.0


#: Every live cache of this process, so they can all be written at once (:func:`save_all`);
#: one dropped (a test's fresh cache replacing the old) leaves with its last reference.
_ALL: weakref.WeakSet[DiskCache] = weakref.WeakSet()


def cache_folder() -> Path | None:
    """Where the cache files go, or None when caching is turned off (or there is no home)."""
    chosen = os.environ.get("EHCP_AUDIT_CACHE_DIR", "")
    if chosen.strip().lower() == OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base:
        return Path(base) / "ehcp-audit"
    try:  # a container user with no HOME and no passwd entry has no home
        return Path.home() / ".cache" / "ehcp-audit"
    except (RuntimeError, KeyError, OSError):
        return None


def save_all() -> None:
    """Write every cache of this process that has something new (a worker, a test session)."""
    for cache in _ALL:
        cache.save()


def _private(path: Path) -> bool:
    """Whether ``path`` (not a link) is this user's own and no one else may write it."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no owners to check (Windows)
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class DiskCache:
    """One cache file: ``name`` and the build tag name it, ``fmt`` says how its values are laid out.

    ``build`` should change whenever a value made by one Python could not be
    used by another (the marshal format, a private API's code); values are
    anything ``marshal`` writes.
    """

    def __init__(self, name: str, fmt: int, build: str = "") -> None:
        self.name = name
        self.fmt = fmt
        self.build = build or f"{sys.implementation.cache_tag}-{sys.version_info.micro}"
        self._path: Path | None = None
        self._entries: dict[Hashable, Any] = {}
        self._used: set[Hashable] = set()
        self._loaded = False
        self._dirty = False
        self._registered = False
        _ALL.add(self)

    @property
    def path(self) -> Path | None:
        """The file, or None when caching is off (known once the cache has been read)."""
        if not self._loaded:
            self._load()
        return self._path

    def get(self, key: Hashable) -> Any | None:
        """The value kept under ``key``, or None."""
        if not self._loaded:
            self._load()
        value = self._entries.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key``; the file is written at exit (or by :meth:`save`)."""
        if not self._loaded:
            self._load()
        if self._path is None:
            return
        self._entries[key] = value
        self._used.add(key)
        self._dirty = True
        if not self._registered:
            self._registered = True
            atexit.register(self.save)

    def save(self) -> None:
        """Write the file now if anything new was put (a worker process exits without atexit)."""
        if not self._dirty or self._path is None:
            return
        self._dirty = False
        keep = {key: self._entries[key] for key in self._used if key in self._entries}
        room = int(len(keep) * _KEEP_UNUSED)
        for key, value in self._entries.items():
            if room <= 0:
                break
            if key not in keep:
                keep[key] = value
                room -= 1
        try:
            from ._atomic import write_bytes_atomic

            folder = self._path.parent
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(folder) or (self._path.exists() and not _private(self._path)):
                return  # someone else's folder or file: leave it alone
            values = marshal.dumps(keep)
            digest = hashlib.sha256(values).digest()
            data = {"format": self.fmt, "sha256": digest, "entries": values}
            write_bytes_atomic(self._path, marshal.dumps(data))
        except Exception as error:  # a full disk, a read-only home: run without the cache
            _log.debug("%s cache not written: %s", self.name, type(error).__name__)

    def _load(self) -> None:
        self._loaded = True
        folder = cache_folder()
        if folder is None:
            return
        self._path = folder / f"{self.name}-{self.build}.marshal"
        if not (_private(folder) and _private(self._path)):
            return  # none yet, or not ours alone: start afresh (and write it if we may)
        try:
            data = marshal.loads(self._path.read_bytes())
            values = data["entries"] if isinstance(data, dict) else None
            if not isinstance(values, bytes) or data.get("format") != self.fmt:
                return
            if hashlib.sha256(values).digest() != data.get("sha256"):
                return  # damaged: ignore it, and the next save replaces it
            entries = marshal.loads(values)
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            return  # one this Python cannot read: start afresh
        if isinstance(entries, dict):
            self._entries = entries
