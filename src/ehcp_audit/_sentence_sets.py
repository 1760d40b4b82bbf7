"""Fresh-sentence sets: TOML files of sentences written to test one cue kind.

Labelled plans measure the tool on whole plans, but a plan holds only a few
sentences of each kind, and fixing a miss from a labelled plan's own wording
fits the tool to that plan. A sentence set instead states a *class* of
sentence (``pattern``) with several freshly written positives and the
near-miss negatives a naive detector would take, so recall and precision are
measured per class and a fix must generalise. The format is documented in
``corpus_samples/sentences/README.md``; this module reads and validates it
(strictly: a typo in a key would otherwise silently drop a case or a bar).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from ._errors import ConfigError
from ._model import SECTION_CODES
from .nlp._kinds import CUE_KINDS, known_name

#: Where a case may be placed: the personal details ("front") or a section A-K.
PLACES: tuple[str, ...] = ("front", *SECTION_CODES)

_TOP_KEYS = frozenset({"kind", "description", "min_recall", "min_precision", "plan", "case"})
_PLAN_KEYS = frozenset({"name", "preferred_name", "age", "parents", "section"})
_CASE_KEYS = frozenset({"text", "expect", "pattern", "section", "heading", "before", "attributes"})


@frozen
class PlanDefaults:
    """The synthetic plan's personal details, so the tool learns who the child is."""

    name: str = "Sam Taylor"
    preferred_name: str | None = None
    age: int = 10
    parents: tuple[str, ...] = ()
    section: str = "A"


@frozen
class SentenceCase:
    """One sentence under test, where it sits and what the tool should make of it."""

    number: int
    text: str
    expect: bool
    pattern: str
    section: str
    heading: str | None = None
    before: str | None = None
    attributes: Mapping[str, Any] = field(factory=dict)


@frozen
class SentenceSet:
    """One set file: the cue kind it tests, the bars it holds and its cases."""

    path: Path
    kind: str
    description: str
    min_recall: float
    min_precision: float
    plan: PlanDefaults
    cases: tuple[SentenceCase, ...]

    @property
    def name(self) -> str:
        """The file's stem: figures are named after it (``child_voice.recall``)."""
        return self.path.stem


def find_set_files(path: Path) -> list[Path]:
    """The set files at ``path``: the file itself, or a folder's ``*.toml`` in name order."""
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.glob("*.toml") if p.is_file())
    raise ConfigError(f"{path}: no such file or folder of sentence sets")


def load_sets(path: Path) -> list[SentenceSet]:
    """Every set at ``path``, validated; raises :class:`ConfigError` naming file and key."""
    files = find_set_files(path)
    if not files:
        raise ConfigError(f"{path}: holds no *.toml sentence sets")
    return [load_set(file) for file in files]


def load_set(path: Path) -> SentenceSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    return _parse(data, _Where(path))


@frozen
class _Where:
    """Builds error messages that name the file and the key at fault."""

    path: Path

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {key}: {problem}")


def _unknown(table: Mapping[str, Any], known: frozenset[str], where: _Where, prefix: str) -> None:
    for key in table:
        if key not in known:
            listed = ", ".join(sorted(known))
            raise where.error(f"{prefix}{key}", f"unknown key (known keys: {listed})")


def _typed(
    table: Mapping[str, Any],
    key: str,
    check: Callable[[Any], bool],
    what: str,
    where: _Where,
    prefix: str,
    default: Any = None,
    required: bool = False,
) -> Any:
    if key not in table:
        if required:
            raise where.error(f"{prefix}{key}", f"missing (it must be {what})")
        return default
    value = table[key]
    if not check(value):
        raise where.error(f"{prefix}{key}", f"must be {what}, not {value!r}")
    return value


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _fraction(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _place(value: Any) -> bool:
    return value in PLACES


_PLACE = "one of " + ", ".join(PLACES)


def _parse(data: Mapping[str, Any], where: _Where) -> SentenceSet:
    _unknown(data, _TOP_KEYS, where, "")
    kinds = "a cue kind (" + ", ".join(CUE_KINDS) + ")"
    kind = _typed(data, "kind", lambda v: v in CUE_KINDS, kinds, where, "", required=True)
    plan = _plan(data.get("plan", {}), where)
    raw_cases = data.get("case")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise where.error("case", "missing: give at least one [[case]] table")
    cases = tuple(_case(raw, n, plan, kind, where) for n, raw in enumerate(raw_cases, start=1))
    return SentenceSet(
        path=where.path,
        kind=kind,
        description=_typed(data, "description", _text, "text", where, "", default=""),
        min_recall=float(
            _typed(data, "min_recall", _fraction, "a number 0-1", where, "", required=True)
        ),
        min_precision=float(
            _typed(data, "min_precision", _fraction, "a number 0-1", where, "", required=True)
        ),
        plan=plan,
        cases=cases,
    )


def _plan(raw: Any, where: _Where) -> PlanDefaults:
    if not isinstance(raw, dict):
        raise where.error("plan", "must be a table ([plan])")
    _unknown(raw, _PLAN_KEYS, where, "plan.")
    defaults = PlanDefaults()
    parents = _typed(
        raw,
        "parents",
        lambda v: isinstance(v, list) and all(_text(p) for p in v),
        "a list of names",
        where,
        "plan.",
        default=[],
    )
    return PlanDefaults(
        name=_typed(raw, "name", _text, "text", where, "plan.", default=defaults.name),
        preferred_name=_typed(raw, "preferred_name", _text, "text", where, "plan."),
        age=_typed(
            raw,
            "age",
            lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 25,
            "a whole number of years 0-25",
            where,
            "plan.",
            default=defaults.age,
        ),
        parents=tuple(parents),
        section=_typed(raw, "section", _place, _PLACE, where, "plan.", default=defaults.section),
    )


def _case(raw: Any, number: int, plan: PlanDefaults, kind: str, where: _Where) -> SentenceCase:
    prefix = f"case {number}: "
    if not isinstance(raw, dict):
        raise where.error(f"case {number}", "must be a table ([[case]])")
    _unknown(raw, _CASE_KEYS, where, prefix)
    attributes = _typed(
        raw, "attributes", lambda v: isinstance(v, dict), "a table", where, prefix, default={}
    )
    for name in attributes:
        if not known_name(kind, name):
            raise where.error(f"{prefix}attributes.{name}", f"not an attribute of {kind} cues")
    return SentenceCase(
        number=number,
        text=_typed(raw, "text", _text, "the sentence under test", where, prefix, required=True),
        expect=_typed(
            raw,
            "expect",
            lambda v: isinstance(v, bool),
            "true or false",
            where,
            prefix,
            required=True,
        ),
        pattern=_typed(
            raw, "pattern", _text, "the general class it stands for", where, prefix, required=True
        ),
        section=_typed(raw, "section", _place, _PLACE, where, prefix, default=plan.section),
        heading=_typed(raw, "heading", _text, "text", where, prefix),
        before=_typed(raw, "before", _text, "text", where, prefix),
        attributes=attributes,
    )
