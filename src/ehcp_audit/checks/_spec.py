"""A rule as loaded from its TOML file, and the strict loader that reads it.

One rule per file, ``<pack>/<Rule>.toml``, identified everywhere as
``pack.Rule`` (Vale's convention). Loading is strict because a rule that is
misread does not fail, it passes quietly, and a quiet pass in an audit is a
wrong judgement about a child's plan. So an unknown key, a wrong type, a
section code or cue kind that does not exist, or a pattern that does not
compile is a :class:`~ehcp_audit.ConfigError` naming the file and the key.

The header (``kind``, ``message``, ``description``, ``level``, ``scope``,
``principles``, ``principles_level``, ``weight``, ``suggestion``, ``link``, ``applies_when``,
``after_consultation``, ``tests``) is read here; each kind's own keys are read by its module
(``_existence.py`` …), which returns a small frozen ``params`` object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from attrs import field, frozen

from .._errors import ConfigError
from .._model import ALL_SECTION_CODES, Evidence, Level, Rating
from .._regex_cache import compile_data
from .._toml import Table, read_toml, type_name

__all__ = [
    "AppliesWhen",
    "CheckResult",
    "RuleSpec",
    "RuleTest",
    "Table",
    "compile_regex",
    "load_rule",
    "phrase_regex",
    "read_toml",
    "rule_kinds",
    "section_code",
    "section_codes",
]

#: A pack or rule name: it becomes half of an id used in config files and output.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")

COMMON_KEYS: tuple[str, ...] = (
    "kind",
    "message",
    "description",
    "level",
    "scope",
    "principles",
    "principles_level",
    "weight",
    "suggestion",
    "link",
    "applies_when",
    "after_consultation",
    "tests",
)
APPLIES_WHEN_KEYS: tuple[str, ...] = ("min_age", "max_age", "min_year", "young_person_16_plus")


@frozen
class AppliesWhen:
    """When a rule applies; unknown age or year means it applies."""

    min_age: int | None = None
    max_age: int | None = None
    min_year: int | None = None
    young_person_16_plus: bool | None = None

    def describe(self) -> str:
        parts = []
        if self.min_age is not None:
            parts.append(f"aged {self.min_age} or over")
        if self.max_age is not None:
            parts.append(f"aged {self.max_age} or under")
        if self.min_year is not None:
            parts.append(f"in Year {self.min_year} or above")
        if self.young_person_16_plus is True:
            parts.append("a young person aged 16 or over")
        if self.young_person_16_plus is False:
            parts.append("under 16")
        return " and ".join(parts) or "always"


@frozen
class RuleTest:
    """One of a rule's own test cases.

    ``expect`` is ``"fire"`` (the rule must not pass) or ``"pass"``. Exactly
    one of ``text`` (placed into ``section`` of a small synthetic plan) and
    ``plan`` (a whole Markdown plan) is set.
    """

    expect: str
    index: int
    text: str | None = None
    section: str | None = None
    plan: str | None = None

    @property
    def label(self) -> str:
        return f"{self.expect}[{self.index}]"


@frozen
class CheckResult:
    """What a check returns: whether the rule passed and the evidence it rests on.

    ``message`` replaces the rule's own message when the check has something
    more precise to say (the measured value, the sections missing).
    """

    passed: bool
    evidence: tuple[Evidence, ...] = ()
    message: str | None = None


@frozen
class RuleSpec:
    """A rule, ready to run. ``params`` is the kind's own parsed settings."""

    id: str
    pack: str
    name: str
    path: Path
    kind: str
    message: str
    description: str
    level: Level = Level.WARNING
    scope: tuple[str, ...] = ()
    principles: tuple[int, ...] = ()
    #: How far a failing rule outside the scoring file holds its principles
    #: back (None: by its level; see :mod:`ehcp_audit.scoring`).
    principles_level: Rating | None = None
    weight: float = 1.0
    suggestion: str = ""
    link: str = ""
    applies_when: AppliesWhen | None = None
    #: Only the family's response to the draft can meet it (their comments on the
    #: draft, decisions reported back): a report shows it on a draft as "to do
    #: after consultation", not as a failure.
    after_consultation: bool = False
    tests: tuple[RuleTest, ...] = ()
    params: Any = None
    options: Mapping[str, Any] = field(factory=dict, eq=False, hash=False)

    @property
    def summary(self) -> str:
        """The description's first sentence: what a passing finding says."""
        text = " ".join(self.description.split())
        match = re.search(r"(?<=[.!?])\s", text)
        return text[: match.start()] if match else text


def section_codes(table: Table, name: str, *, required: bool = False) -> tuple[str, ...]:
    codes = table.strings(name, required=required)
    for code in codes:
        if code not in ALL_SECTION_CODES:
            table.fail(name, f"{code!r} is not a section code ({', '.join(ALL_SECTION_CODES)})")
    return codes


def section_code(table: Table, name: str, *, required: bool = False) -> str | None:
    code = table.string(name, required=required) if (required or table.has(name)) else None
    if code is not None and code not in ALL_SECTION_CODES:
        table.fail(name, f"{code!r} is not a section code ({', '.join(ALL_SECTION_CODES)})")
    return code


def compile_regex(table: Table, name: str, source: str) -> re.Pattern[str]:
    try:
        return compile_data(source, re.IGNORECASE)
    except re.error as exc:
        table.fail(name, f"pattern {source!r} does not compile: {exc}")


def phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex: any white space between words, whole words at the ends."""
    body = r"\s+".join(re.escape(word) for word in phrase.split())
    start = r"\b" if phrase[:1].isalnum() else ""
    end = r"\b" if phrase[-1:].isalnum() else ""
    return f"{start}{body}{end}"


def _applies_when(table: Table) -> AppliesWhen | None:
    sub = table.table("applies_when")
    if sub is None:
        return None
    result = AppliesWhen(
        min_age=sub.integer("min_age", minimum=0),
        max_age=sub.integer("max_age", minimum=0),
        min_year=sub.integer("min_year"),
        young_person_16_plus=sub.boolean("young_person_16_plus"),
    )
    sub.done(APPLIES_WHEN_KEYS)
    if (
        result.min_age is not None
        and result.max_age is not None
        and result.min_age > result.max_age
    ):
        sub.fail("min_age", "is greater than max_age")
    return result


def _tests(table: Table, default_section: str | None) -> tuple[RuleTest, ...]:
    sub = table.table("tests")
    if sub is None:
        return ()
    cases: list[RuleTest] = []
    for expect in ("fire", "pass"):
        items = sub.raw(expect)
        if items is None:
            continue
        if not isinstance(items, list):
            sub.fail(expect, f"expected a list of texts or tables, got {type_name(items)}")
        for index, item in enumerate(items):
            cases.append(_test_case(sub, expect, index, item, default_section))
    sub.done(("fire", "pass"))
    return tuple(cases)


def _test_case(
    sub: Table, expect: str, index: int, item: Any, default_section: str | None
) -> RuleTest:
    if isinstance(item, str):
        return RuleTest(expect=expect, index=index, text=item, section=default_section)
    if not isinstance(item, dict):
        sub.fail(f"{expect}[{index}]", f"expected a text or a table, got {type_name(item)}")
    case = Table(item, sub.where, f"{sub.key(expect)}[{index}].")
    plan = case.string("plan") if case.has("plan") else None
    text = case.string("text") if case.has("text") else None
    section = section_code(case, "section")
    case.done(("plan", "text", "section"))
    if (plan is None) == (text is None):
        sub.fail(f"{expect}[{index}]", "give either 'text' (with an optional 'section') or 'plan'")
    if plan is not None and section is not None:
        case.fail("section", "a whole 'plan' has no section to place text in")
    return RuleTest(
        expect=expect, index=index, text=text, section=section or default_section, plan=plan
    )


def _principles(table: Table) -> tuple[int, ...]:
    value = table.raw("principles")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        table.fail("principles", "expected a list of principle numbers (1 to 6)")
    for number in value:
        if not 1 <= number <= 6:
            table.fail("principles", f"{number} is not a principle number (1 to 6)")
    if len(set(value)) != len(value):
        table.fail("principles", "lists a principle twice")
    return tuple(value)


#: The ratings a failing rule may hold its principles at (excellent would hold nothing).
HOLD_LEVELS: tuple[str, ...] = (Rating.ROOM_FOR_IMPROVEMENT.value, Rating.GOOD.value)


def _principles_level(table: Table) -> Rating | None:
    if not table.has("principles_level"):
        return None
    if not table.has("principles"):
        table.fail("principles_level", "needs 'principles' (which principles it holds back)")
    return Rating(table.choice("principles_level", HOLD_LEVELS, required=True))


@cache
def rule_kinds() -> Mapping[str, Any]:
    """Kind name -> module with ``KEYS``, ``parse(table)`` and ``check(plan, rule)``."""
    from . import (
        _conditional,
        _existence,
        _metric,
        _occurrence,
        _python,
        _required_section,
    )

    return {
        "required_section": _required_section,
        "existence": _existence,
        "occurrence": _occurrence,
        "conditional": _conditional,
        "metric": _metric,
        "python": _python,
    }


def load_rule(path: Path, pack: str) -> RuleSpec:
    """Read and check one rule file; the rule's name is the file's stem."""
    name = path.stem
    if not NAME.fullmatch(pack):
        raise ConfigError(
            f"{path}: pack folder name {pack!r} must start with a letter (letters, digits, _ and -)"
        )
    if not NAME.fullmatch(name):
        raise ConfigError(
            f"{path}: rule file name {name!r} must start with a letter (letters, digits, _ and -)"
        )
    table = Table(read_toml(path), path)
    kinds = rule_kinds()
    kind = table.choice("kind", kinds, required=True)
    assert kind is not None
    module = kinds[kind]
    for key in table.data:
        if key not in COMMON_KEYS and key not in module.KEYS:
            owners = [name for name, other in kinds.items() if key in other.KEYS]
            if owners:
                table.fail(
                    key, f"is not used by kind {kind!r} (it belongs to: {', '.join(owners)})"
                )
    table.done(COMMON_KEYS + tuple(module.KEYS))
    level = table.choice("level", [lv.value for lv in Level], default=Level.WARNING.value)
    scope = section_codes(table, "scope")
    weight = table.number("weight")
    if weight is not None and weight < 0:
        table.fail("weight", "must not be negative")
    spec_fields: dict[str, Any] = {
        "id": f"{pack}.{name}",
        "pack": pack,
        "name": name,
        "path": path,
        "kind": kind,
        "message": table.string("message", required=True, nonempty=True),
        "description": table.string("description", required=True, nonempty=True),
        "level": Level(level),
        "scope": scope,
        "principles": _principles(table),
        "principles_level": _principles_level(table),
        "weight": 1.0 if weight is None else weight,
        "suggestion": table.string("suggestion"),
        "link": table.string("link"),
        "applies_when": _applies_when(table),
        "after_consultation": bool(table.boolean("after_consultation", default=False)),
    }
    params, options = module.parse(table)
    spec_fields["tests"] = _tests(table, module.default_section(params, scope))
    return RuleSpec(**spec_fields, params=params, options=options or {})
