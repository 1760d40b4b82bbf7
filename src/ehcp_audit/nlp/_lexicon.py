"""Load the lexicons and patterns the rule components use (``rules/lexicons/``).

Kept as data so a council can add its own services ("Acorn Family Hub") or
phrasings without touching code. Each file is TOML; its shape is described
at the top of the file itself.

A council adds to them without editing the installed package through the
configuration's ``lexicon_dirs``: folders holding files named like the
shipped ones (``agencies.toml``, ``acronyms.toml`` …) whose word lists and
entries are merged into the shipped lexicon (:func:`merge_lexicon`). They
can only add: a list is extended (an entry already shipped is not repeated;
an entry with the ``id`` or ``name`` of a shipped one is refused), a table
is merged key by key, and a new key is accepted only in the tables that are
maps of words (:data:`OPEN_TABLES`: the acronym glossary, pattern macros,
irregular verb forms). Changing a setting (a pattern, a number) or naming a
key the shipped file does not have is a :class:`~ehcp_audit.ConfigError`
naming the file and the key, as for rule files.

The folders in force are set per process (:func:`use_lexicon_dirs`, called
by every audit with its configuration's folders); every cache built from
lexicon data is a :func:`lexicon_cache` and is emptied when they change, so
one process can audit with different configurations in turn (not at the
same time in several threads).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, overload

from .._errors import ConfigError
from .._regex_cache import compile_data
from .._resources import rules_dir
from .._toml import parse_toml, type_name

#: Tables whose keys are words, not settings: a lexicon folder may add keys to them.
OPEN_TABLES: Mapping[str, frozenset[str]] = {
    "acronyms": frozenset({"glossary"}),
    "outcomes": frozenset({"macros"}),
    "provision": frozenset({"macros"}),
    "signals": frozenset({"macros"}),
    "voice": frozenset({"verbs.irregular"}),
}

_F = TypeVar("_F", bound=Callable[..., Any])
_CACHES: list[Any] = []
_ACTIVE: tuple[Path, ...] = ()


@overload
def lexicon_cache(function: _F) -> _F: ...
@overload
def lexicon_cache(*, maxsize: int | None = None) -> Callable[[_F], _F]: ...
def lexicon_cache(
    function: _F | None = None, *, maxsize: int | None = None
) -> _F | Callable[[_F], _F]:
    """``functools.lru_cache`` for anything built from lexicon data, emptied when it changes."""

    def wrap(inner: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(inner)
        _CACHES.append(cached)
        return cached  # type: ignore[return-value]

    return wrap(function) if function is not None else wrap


def shipped_names() -> tuple[str, ...]:
    """The lexicons the package ships (file stems of ``rules/lexicons/*.toml``)."""
    return tuple(sorted(p.stem for p in (rules_dir() / "lexicons").glob("*.toml")))


def active_lexicon_dirs() -> tuple[Path, ...]:
    """The lexicon folders in force in this process."""
    return _ACTIVE


def use_lexicon_dirs(folders: Iterable[Path]) -> None:
    """Put ``folders``' lexicons in force (none: the shipped ones alone), checking them first.

    Every lexicon a folder adds to is merged now, so a wrong file is a
    :class:`~ehcp_audit.ConfigError` before any plan is read, and the
    caches built from the previous lexicons are emptied.
    """
    global _ACTIVE
    wanted = tuple(Path(folder) for folder in folders)
    if wanted == _ACTIVE:
        return
    for name in sorted({stem for folder in wanted for stem in _extra_files(folder)}):
        _merged(name, wanted)
    _ACTIVE = wanted
    for cached in _CACHES:
        cached.cache_clear()


def load(name: str) -> dict[str, Any]:
    """The parsed lexicon ``rules/lexicons/NAME.toml``, with the folders' additions merged in."""
    return _merged(name, _ACTIVE)


@lru_cache(maxsize=64)
def _merged(name: str, folders: tuple[Path, ...]) -> dict[str, Any]:
    data = _read(rules_dir() / "lexicons" / f"{name}.toml")
    for folder in folders:
        extra = folder / f"{name}.toml"
        if extra.is_file():
            data = merge_lexicon(data, _read(extra), extra, OPEN_TABLES.get(name, frozenset()))
    return data


def _read(path: Path) -> dict[str, Any]:
    try:
        return parse_toml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"lexicon file missing: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({type(exc).__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _extra_files(folder: Path) -> list[str]:
    """The lexicons a folder adds to; any other TOML file in it is an error."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: lexicon folder not found")
    known = shipped_names()
    names = []
    for path in sorted(folder.glob("*.toml")):
        if path.stem not in known:
            raise ConfigError(
                f"{path}: not a lexicon ehcp-audit ships; name the file after the one it adds "
                f"to: {', '.join(f'{n}.toml' for n in known)}"
            )
        names.append(path.stem)
    return names


class _Problem(Exception):
    """What is wrong with one key of an added lexicon (the caller names the file and key)."""


def merge_lexicon(
    shipped: Mapping[str, Any],
    extra: Mapping[str, Any],
    where: Path | str,
    open_tables: frozenset[str] = frozenset(),
    prefix: str = "",
) -> dict[str, Any]:
    """``shipped`` with ``extra``'s words and entries added (see the module docstring)."""
    merged = dict(shipped)
    for key, value in extra.items():
        try:
            merged[key] = _merge_key(shipped, key, value, where, open_tables, prefix)
        except _Problem as problem:
            raise ConfigError(f"{where}: key '{prefix}{key}': {problem}") from None
    return merged


def _merge_key(
    shipped: Mapping[str, Any],
    key: str,
    value: Any,
    where: Path | str,
    open_tables: frozenset[str],
    prefix: str,
) -> Any:
    """The merged value of one key of an added lexicon."""
    if key not in shipped:
        if prefix.rstrip(".") not in open_tables:
            listed = ", ".join(sorted(shipped)) or "none"
            raise _Problem(f"not a key of the shipped lexicon (expected one of: {listed})")
        _check_like(value, list(shipped.values()))
        return value
    base = shipped[key]
    if isinstance(base, dict):
        if not isinstance(value, dict):
            raise _Problem(f"expected a table, like the shipped lexicon, got {_kind(value)}")
        return merge_lexicon(base, value, where, open_tables, f"{prefix}{key}.")
    if isinstance(base, list):
        if not isinstance(value, list):
            raise _Problem(f"expected a list, like the shipped lexicon, got {_kind(value)}")
        return _extend(base, value)
    raise _Problem(
        "a lexicon folder adds words and entries to lists and tables; it cannot "
        f"change a setting ({_kind(base)} in the shipped lexicon)"
    )


def _extend(base: list[Any], value: list[Any]) -> list[Any]:
    """``base`` and then ``value``'s items that are new, each checked against ``base``'s kind."""
    if base and all(isinstance(item, str) for item in base):
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise _Problem("expected a list of non-empty strings, like the shipped lexicon")
        return base + [item for item in dict.fromkeys(value) if item not in base]
    if base and all(isinstance(item, dict) for item in base):
        for index, item in enumerate(value):
            try:
                _check_entry(base, item)
            except _Problem as problem:
                raise _Problem(f"entry {index + 1}: {problem}") from None
        return base + list(value)
    raise _Problem("the shipped lexicon's list cannot be added to from a lexicon folder")


def _check_entry(base: list[dict[str, Any]], item: Any) -> None:
    """An added table entry has the keys every shipped one has, and no key none has."""
    if not isinstance(item, dict):
        raise _Problem(f"expected a table, like the shipped entries, got {_kind(item)}")
    allowed: set[str] = set().union(*(entry.keys() for entry in base))
    needed: set[str] = set.intersection(*(set(entry.keys()) for entry in base))
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise _Problem(
            f"unknown key {unknown[0]!r} (expected one of: {', '.join(sorted(allowed))})"
        )
    missing = sorted(needed - set(item))
    if missing:
        raise _Problem(f"key {missing[0]!r} is required")
    for ident in ("id", "name"):
        if ident in needed and any(entry[ident] == item[ident] for entry in base):
            raise _Problem(
                f"{ident} {item[ident]!r} is already shipped: a lexicon folder only adds"
            )


def _check_like(value: Any, siblings: Sequence[Any]) -> None:
    """A new key of an open table holds what its siblings hold (a string, or a list of them)."""
    if isinstance(value, str) and value.strip() and any(isinstance(s, str) for s in siblings):
        return
    words = isinstance(value, list) and value and all(isinstance(v, str) for v in value)
    if words and any(isinstance(s, list) for s in siblings):
        return
    raise _Problem("expected a string or a list of strings, like the other keys of this table")


def _kind(value: Any) -> str:
    return type_name(value)


def compile_pattern(source: str, where: str, *, cache: bool = True) -> re.Pattern[str]:
    """Compile a case-insensitive regex from lexicon data, naming the file on error.

    ``cache=False`` for a pattern holding anything from a plan (a child's
    name): cached patterns are written to disk (:mod:`ehcp_audit._regex_cache`).
    """
    try:
        if cache:
            return compile_data(source, re.IGNORECASE)
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        added = f" (with the lexicon folders {', '.join(map(str, _ACTIVE))})" if _ACTIVE else ""
        raise ConfigError(f"{where}{added}: pattern {source!r} does not compile: {exc}") from None
