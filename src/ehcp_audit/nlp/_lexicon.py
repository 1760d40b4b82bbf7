"""Load the lexicons and patterns the rule components use (``rules/lexicons/``).

Kept as data so a council can add its own services ("Acorn Family Hub") or
phrasings without touching code. Each file is TOML; its shape is described
at the top of the file itself.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

from .._errors import ConfigError
from .._resources import rules_dir


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed lexicon ``rules/lexicons/NAME.toml`` (cached per process)."""
    path = rules_dir() / "lexicons" / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"lexicon file missing: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def compile_pattern(source: str, where: str) -> re.Pattern[str]:
    """Compile a case-insensitive regex from lexicon data, naming the file on error."""
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}: pattern {source!r} does not compile: {exc}") from None
