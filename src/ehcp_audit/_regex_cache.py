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
never written anywhere. The file is a :class:`~._disk_cache.DiskCache`
(where it goes, how it is turned off and pruned). Anything amiss (no such
private API in this Python, a file from another build, a damaged or
unwritable file) falls back to ``re.compile``: the cache can make start-up
faster, never different. Each entry was checked equal to ``re.compile``'s
own pattern (same pattern, flags and code) when it was made.
"""

from __future__ import annotations

import logging
import re
import sys
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._disk_cache import DiskCache

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

_FORMAT = 2

Key = tuple[str, int]
#: (flags, code as the bytes of an ``array("I")``, groups, group index, index group):
#: bytes, because reading a list of ints back costs four times as long.
Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


def _new_cache() -> DiskCache | None:
    if not _CAN_CACHE:
        return None
    build = f"{sys.implementation.cache_tag}-{sys.version_info.micro}-{_sre.MAGIC}-{_sre.CODESIZE}"
    return DiskCache("patterns", _FORMAT, build)


_CACHE = _new_cache()


def cache_file() -> Path | None:
    """The cache file for this Python build, or None when the cache is off or impossible."""
    return None if _CACHE is None else _CACHE.path


def compile_data(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)`` for a pattern from rule or lexicon data, cached on disk.

    Never pass text from a plan: the source is written to the cache file.
    Raises ``re.error`` as ``re.compile`` does.
    """
    flags = int(flags)
    if _CACHE is None or _CACHE.path is None:
        return re.compile(source, flags)
    key = (source, flags)
    entry = _CACHE.get(key)
    if entry is not None:
        pattern = _rebuilt(source, entry)
        if pattern is not None:
            return pattern
    pattern, made = _compiled(source, flags)
    if made is not None:
        _CACHE.put(key, made)
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
    if _CACHE is not None:
        _CACHE.save()


def reset() -> None:
    """Forget the loaded entries, so the next pattern reads the cache file again (tests)."""
    global _CACHE
    _CACHE = _new_cache()


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
