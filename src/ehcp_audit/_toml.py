"""Strict reading of TOML files: the helpers every data file of ehcp-audit shares.

The configuration (:mod:`._config`), the scoring policy (:mod:`.scoring`)
and the rule files (:mod:`.checks`) are all read the same way: every value
typed, every key accounted for, every problem a
:class:`~ehcp_audit.ConfigError` naming the file and the dotted key. These
helpers live here, below all three, so that each imports them at the top and
no import runs back up the line (``checks`` uses ``_config`` and
``scoring``; neither of them uses ``checks``).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, NoReturn, overload

from ._disk_cache import DiskCache
from ._errors import ConfigError

__all__ = ["Table", "read_toml", "type_name"]


class Table:
    """A TOML table being read strictly: every read is typed, every key accounted for.

    ``where`` names the file; ``prefix`` the dotted path of this table inside
    it, so an error says exactly which key is wrong.
    """

    def __init__(self, data: Mapping[str, Any], where: Path | str, prefix: str = "") -> None:
        self.data = dict(data)
        self.where = where
        self.prefix = prefix
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> NoReturn:
        raise ConfigError(f"{self.where}: key '{self.key(name)}': {problem}")

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str) -> Any:
        self.used.add(name)
        return self.data.get(name)

    def _get(self, name: str, kinds: tuple[type, ...], what: str, required: bool) -> Any:
        self.used.add(name)
        if name not in self.data:
            if required:
                raise ConfigError(f"{self.where}: key '{self.key(name)}' is required but missing")
            return None
        value = self.data[name]
        if isinstance(value, bool) and bool not in kinds:
            self.fail(name, f"expected {what}, got true/false")
        if not isinstance(value, kinds):
            self.fail(name, f"expected {what}, got {type_name(value)}")
        return value

    def string(
        self, name: str, *, required: bool = False, default: str = "", nonempty: bool = False
    ) -> str:
        value = self._get(name, (str,), "a string", required)
        if value is None:
            return default
        if nonempty and not value.strip():
            self.fail(name, "must not be empty")
        return value

    def boolean(self, name: str, default: bool | None = None) -> bool | None:
        value = self._get(name, (bool,), "true or false", False)
        return default if value is None else value

    def integer(
        self, name: str, *, required: bool = False, minimum: int | None = None
    ) -> int | None:
        value = self._get(name, (int,), "a whole number", required)
        if value is not None and minimum is not None and value < minimum:
            self.fail(name, f"must be at least {minimum}")
        return value

    def number(self, name: str, *, required: bool = False) -> float | None:
        value = self._get(name, (int, float), "a number", required)
        return None if value is None else float(value)

    def strings(
        self, name: str, *, required: bool = False, nonempty: bool = False
    ) -> tuple[str, ...]:
        value = self._get(name, (list,), "a list of strings", required)
        if value is None:
            return ()
        if not all(isinstance(v, str) for v in value):
            self.fail(name, "expected a list of strings")
        if nonempty and not value:
            self.fail(name, "must list at least one item")
        return tuple(value)

    @overload
    def table(self, name: str, *, required: Literal[True]) -> Table: ...
    @overload
    def table(self, name: str, *, required: bool = False) -> Table | None: ...
    def table(self, name: str, *, required: bool = False) -> Table | None:
        value = self._get(name, (dict,), "a table", required)
        if value is None:
            return None
        return Table(value, self.where, f"{self.key(name)}.")

    @overload
    def choice(
        self, name: str, choices: Iterable[str], *, required: Literal[True], default: None = None
    ) -> str: ...
    @overload
    def choice(
        self, name: str, choices: Iterable[str], *, required: bool = False, default: str
    ) -> str: ...
    @overload
    def choice(
        self,
        name: str,
        choices: Iterable[str],
        *,
        required: bool = False,
        default: str | None = None,
    ) -> str | None: ...
    def choice(
        self,
        name: str,
        choices: Iterable[str],
        *,
        required: bool = False,
        default: str | None = None,
    ) -> str | None:
        options = tuple(choices)
        value = self._get(name, (str,), "a string", required)
        if value is None:
            return default
        if value not in options:
            self.fail(name, f"{value!r} is not one of {', '.join(options)}")
        return value

    def done(self, allowed: Iterable[str] | None = None) -> None:
        """Refuse any key that was not read (or, if given, is not in ``allowed``)."""
        known = set(allowed) if allowed is not None else self.used
        for name in self.data:
            if name not in known:
                listed = ", ".join(sorted(known)) or "none"
                self.fail(name, f"unknown key (expected one of: {listed})")


def type_name(value: Any) -> str:
    return {
        str: "a string",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
        bool: "true/false",
    }.get(type(value), type(value).__name__)


_PARSED = DiskCache("toml", 1)


def parse_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, kept on disk by the text's hash for the next run.

    Parsing the shipped rule and lexicon files (about 600 KB of TOML, in
    pure Python) was 30 to 50 ms of every command's start. Each call returns
    fresh objects (callers may change what they get). Raises
    ``tomllib.TOMLDecodeError`` as ``tomllib.loads`` does; a file holding
    dates and times (which ``marshal`` cannot keep) is parsed every time.
    """
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    kept = _PARSED.get(key)
    if isinstance(kept, bytes):
        try:
            data = marshal.loads(kept)
        except (EOFError, ValueError, TypeError):
            data = None
        if isinstance(data, dict):
            return data
    data = tomllib.loads(text)
    with contextlib.suppress(ValueError):  # a date or time in the file: nothing to keep
        _PARSED.put(key, marshal.dumps(data))
    return data


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every failure into a ConfigError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({type(exc).__name__})") from None
    try:
        return parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
