"""Compiled rule and lexicon patterns, kept on disk between runs.

Why: the shipped rules and lexicons hold about a thousand regular
expressions, and Python's ``re`` parses each one in pure Python: about
0.3 s of every ``ehcp-audit check`` and of every batch worker's start-up
went on compiling the same patterns again. ``re`` cannot persist a compiled
pattern (pickling one just compiles it again), so this module keeps what
the compiler produces (the ``_sre`` code, the flags and the group names)
in one file per Python build, and rebuilds the pattern from it with
``_sre.compile``, which is C and checks the code it is given.

Only patterns from rule and lexicon *data* come here (:func:`compile_data`);
a pattern built from a plan (a child's name) is compiled with ``re`` and
never written anywhere. The file goes under ``$EHCP_AUDIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/ehcp-audit``, else ``~/.cache/ehcp-audit``;
``EHCP_AUDIT_CACHE_DIR=off`` turns the cache off. Anything amiss (no such
private API in this Python, a file from another build, a damaged or
unwritable file) falls back to ``re.compile``: the cache can make start-up
faster, never different. Each entry was checked equal to ``re.compile``'s
own pattern (same pattern, flags and code) when it was made.
"""

from __future__ import annotations

import atexit
import logging
import marshal
import os
import re
import sys
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_log = logging.getLogger(__name__)

try:  # the compiler's own steps; the same in CPython 3.11 to 3.13
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _CAN_CACHE = (
        sys.implementation.name == "cpython"
        and hasattr(_sre, "compile")
        and array("I").itemsize == _sre.CODESIZE
    )
except ImportError:  # pragma: no cover - another Python implementation
    _CAN_CACHE = False

OFF = "off"
_FORMAT = 2
# A save keeps every pattern this process used and, of the others, only as many
# as it used: patterns edited away (a new version, a council's edited rules) go
# within a few runs instead of piling up, and a run that used few keeps the rest.
_KEEP_UNUSED = 1.0

Key = tuple[str, int]
#: (flags, code as the bytes of an ``array("I")``, groups, group index, index group):
#: bytes, because reading a list of ints back costs four times as long.
Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


class _Store:
    """The entries of the cache file, read on first use and written at exit when new ones came."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.entries: dict[Key, Entry] = {}
        self.used: set[Key] = set()
        self.loaded = False
        self.dirty = False
        self.registered = False

    def load(self) -> None:
        self.loaded = True
        self.path = cache_file()
        if self.path is None:
            return
        try:
            data = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return  # no file yet, or one this Python cannot read: start afresh
        if isinstance(data, dict) and data.get("format") == _FORMAT:
            entries = data.get("entries")
            if isinstance(entries, dict):
                self.entries = entries

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        self.dirty = False
        keep = {key: self.entries[key] for key in self.used if key in self.entries}
        room = int(len(keep) * _KEEP_UNUSED)
        for key, entry in self.entries.items():
            if room <= 0:
                break
            if key not in keep:
                keep[key] = entry
                room -= 1
        try:
            from ._atomic import write_bytes_atomic

            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self.path, marshal.dumps({"format": _FORMAT, "entries": keep}))
        except (OSError, ValueError) as error:  # a read-only home: run without the cache
            _log.debug("pattern cache not written: %s", error)


_STORE = _Store()


def cache_file() -> Path | None:
    """The cache file for this Python build, or None when the cache is off or impossible."""
    if not _CAN_CACHE:
        return None
    chosen = os.environ.get("EHCP_AUDIT_CACHE_DIR", "")
    if chosen.strip().lower() == OFF:
        return None
    if chosen:
        folder = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        folder = (Path(base) if base else Path.home() / ".cache") / "ehcp-audit"
    build = f"{sys.implementation.cache_tag}-{sys.version_info.micro}-{_sre.MAGIC}-{_sre.CODESIZE}"
    return folder / f"patterns-{build}.marshal"


def compile_data(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)`` for a pattern from rule or lexicon data, cached on disk.

    Never pass text from a plan: the source is written to the cache file.
    Raises ``re.error`` as ``re.compile`` does.
    """
    flags = int(flags)
    if not _STORE.loaded:
        _STORE.load()
    if _STORE.path is None:
        return re.compile(source, flags)
    key = (source, flags)
    entry = _STORE.entries.get(key)
    if entry is not None:
        pattern = _rebuilt(source, entry)
        if pattern is not None:
            _STORE.used.add(key)
            return pattern
    pattern, entry = _compiled(source, flags)
    if entry is not None:
        _STORE.entries[key] = entry
        _STORE.used.add(key)
        _STORE.dirty = True
        if not _STORE.registered:
            _STORE.registered = True
            atexit.register(_STORE.save)
    return pattern


def longest_first(words: Iterable[str]) -> list[str]:
    """Distinct ``words`` longest first, ties in alphabetical order, for a regex alternation.

    Longest first so the alternation prefers the longest phrase; ties sorted
    so the pattern's source is the same in every process (a set's order
    changes with the hash seed), which keeps the cache's keys stable.
    """
    return sorted(set(words), key=lambda word: (-len(word), word))


def save() -> None:
    """Write the cache now if new patterns were compiled (a worker process exits without atexit)."""
    _STORE.save()


def reset() -> None:
    """Forget the loaded entries, so the next pattern reads the cache file again (tests)."""
    global _STORE
    _STORE = _Store()


def _compiled(source: str, flags: int) -> tuple[re.Pattern[str], Entry | None]:
    """The pattern by ``re``'s own steps, and its entry if it rebuilds equal to ``re.compile``'s."""
    reference = re.compile(source, flags)  # raises re.error for a bad pattern, as before
    if flags & re.DEBUG:
        return reference, None
    try:
        parsed = _parser.parse(source, flags)
        code = array("I", _compiler._code(parsed, flags)).tobytes()
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry: Entry = (
            flags | parsed.state.flags,
            code,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
    except Exception as error:
        _log.debug("pattern not cached: %s", type(error).__name__)
        return reference, None
    rebuilt = _rebuilt(source, entry)
    return reference, entry if rebuilt == reference else None


def _rebuilt(source: str, entry: Any) -> re.Pattern[str] | None:
    """The pattern from a cache entry; None when the entry is not one ``_sre`` accepts."""
    try:
        final_flags, code_bytes, groups, groupindex, indexgroup = entry
        code = array("I")
        code.frombytes(code_bytes)
        pattern: re.Pattern[str] = _sre.compile(
            source, final_flags, code.tolist(), groups, groupindex, indexgroup
        )
    except Exception:
        return None
    return pattern
