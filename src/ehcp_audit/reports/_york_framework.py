"""York's Joint Partnership Auditing Framework, read from ``rules/york_framework.toml``.

The audit form reproduces the framework's own words (header fields, the six
principles, indicators and descriptors, the summary table), so a reader can
lay the filled-in form beside the paper one. Those words are data, not code:
a local area with its own version of the framework edits the file. This
module only reads and checks it, so a damaged file fails with a plain
:class:`~ehcp_audit._errors.ConfigError` before any form is half-written.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from attrs import frozen

from .._errors import ConfigError
from .._resources import rules_dir

__all__ = ["LEVELS", "OUTCOMES", "Framework", "FrameworkPrinciple", "load_framework"]

#: The three descriptor levels, lowest first, as principle ratings name them.
LEVELS = ("room_for_improvement", "good", "excellent")
#: The three overall outcomes, lowest first, as the record's ``overall`` names them.
OUTCOMES = ("requires_improvement", "good", "outstanding")

_HEADER_KEYS = ("organisation", "service_area", "description", "audit_date", "auditor")
_COLUMN_KEYS = ("number", "principle", "indicator", *LEVELS, "score", "notes")
_SUMMARY_KEYS = ("title", "outcome", "summary", "next_steps", "review_date", "signature")


@frozen
class FrameworkPrinciple:
    """One row of the Service Development Measurement Tool, in York's words."""

    number: int
    principle: str
    indicator: str
    descriptors: dict[str, str]  # level (LEVELS) -> descriptor text


@frozen
class Framework:
    """The whole form's fixed text: labels, the six rows and the outcome names."""

    title: str
    source: str
    header: dict[str, str]
    columns: dict[str, str]
    summary: dict[str, str]
    outcomes: dict[str, str]  # OUTCOMES -> label
    principles: tuple[FrameworkPrinciple, ...]

    def principle(self, number: int) -> FrameworkPrinciple:
        return next(p for p in self.principles if p.number == number)


def _strings(data: Any, keys: tuple[str, ...], where: str, name: str) -> dict[str, str]:
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: [{where}] is missing")
    missing = [k for k in keys if not isinstance(data.get(k), str) or not data[k].strip()]
    if missing:
        raise ConfigError(f"{name}: [{where}] needs text for {', '.join(missing)}")
    return {k: data[k] for k in keys}


def _principle(entry: Any, name: str) -> FrameworkPrinciple:
    if not isinstance(entry, dict) or not isinstance(entry.get("number"), int):
        raise ConfigError(f"{name}: every [[principle]] needs a whole-number 'number'")
    texts = _strings(entry, ("principle", "indicator", *LEVELS), "principle", name)
    return FrameworkPrinciple(
        number=entry["number"],
        principle=texts["principle"],
        indicator=texts["indicator"],
        descriptors={level: texts[level] for level in LEVELS},
    )


def _parse(path: Path) -> Framework:
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{name} could not be read ({type(exc).__name__}: {exc})") from None
    top = _strings(data, ("title", "source"), "top level", name)
    summary_table = data.get("summary")
    principles = tuple(_principle(entry, name) for entry in data.get("principle", ()))
    if sorted(p.number for p in principles) != [1, 2, 3, 4, 5, 6]:
        raise ConfigError(f"{name} needs one [[principle]] for each of the numbers 1 to 6")
    return Framework(
        title=top["title"],
        source=top["source"],
        header=_strings(data.get("header"), _HEADER_KEYS, "header", name),
        columns=_strings(data.get("columns"), _COLUMN_KEYS, "columns", name),
        summary=_strings(summary_table, _SUMMARY_KEYS, "summary", name),
        outcomes=_strings(
            (summary_table or {}).get("outcomes"), OUTCOMES, "summary.outcomes", name
        ),
        principles=tuple(sorted(principles, key=lambda p: p.number)),
    )


@cache
def load_framework(path: Path | None = None) -> Framework:
    """The framework at ``path`` (default ``rules/york_framework.toml``), cached per path."""
    return _parse(path if path is not None else rules_dir() / "york_framework.toml")
