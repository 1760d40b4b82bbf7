"""Speaker scope rules (``rules/lexicons/speakers.toml``), in the style of medspaCy's ConText.

Why: whose words a sentence carries often is not in the sentence at all. A
sub-heading "Mum's views" makes the "I" under it the mother's; a paragraph
signed off "(Jo Reid, class teacher)" makes the "I" before it a teacher's;
"Dana (mum): '...'" makes the quotation hers. ConText answers the same
question for clinical notes (the *experiencer* of a finding) with trigger
rules that each carry a category, a direction and a scope; here the rules
are data, and this module only loads them and finds their triggers. Which
person a trigger's ``who`` phrase names is the voice component's call (it
knows the child's names and the people the plan introduced).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ..._errors import ConfigError
from .._lexicon import compile_pattern, lexicon_cache, load

LEXICON = "speakers"
CATEGORIES = frozenset({"speaker", "child", "family", "professional"})
DIRECTIONS = frozenset({"forward", "backward", "pseudo"})
APPLIES_TO = frozenset({"label", "sentence"})
#: "unquoted": the scope ends at the first block that does not open with a quotation.
TERMINATORS = frozenset({"speaker", "heading", "unquoted"})


@frozen
class ScopeRule:
    """One trigger: what it matches, whose words it marks, and how far."""

    name: str
    pattern: re.Pattern[str]
    category: str
    applies_to: str
    direction: str
    max_scope: int
    terminated_by: frozenset[str]
    #: the label gives the speaker the whole block, third-person description of the
    #: child included ("What Ana's parents say about her", "In our words"), not
    #: only the first person and quotations under it ("Parents' views")
    third_person: bool = False


@frozen
class Trigger:
    """A rule that fired, with the speaker phrase it captured ("" for a fixed category)."""

    rule: ScopeRule
    who: str
    role: str
    start: int
    end: int


@frozen
class ScopeRules:
    """The loaded rules, by where they apply (``[child_name]`` is read by ``details``)."""

    labels: tuple[ScopeRule, ...]
    sentences: tuple[ScopeRule, ...]


def _rule(raw: Mapping[str, Any], where: str) -> ScopeRule:
    def text(key: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be a string")
        return value

    name = text("name")
    category, applies_to, direction = text("category"), text("applies_to"), text("direction")
    terminated = raw.get("terminated_by", [])
    max_scope = raw.get("max_scope", 0)
    if category not in CATEGORIES or direction not in DIRECTIONS or applies_to not in APPLIES_TO:
        raise ConfigError(f"{where} [{name}]: unknown category, direction or applies_to")
    if not isinstance(terminated, list) or not set(terminated) <= TERMINATORS:
        raise ConfigError(f"{where} [{name}]: terminated_by must list {sorted(TERMINATORS)}")
    if not isinstance(max_scope, int) or max_scope < 0:
        raise ConfigError(f"{where} [{name}]: max_scope must be a whole number >= 0")
    third_person = raw.get("third_person", False)
    if not isinstance(third_person, bool) or (third_person and applies_to != "label"):
        raise ConfigError(f"{where} [{name}]: third_person must be true or false, on labels only")
    return ScopeRule(
        name,
        compile_pattern(text("pattern"), f"{where} [{name}]"),
        category,
        applies_to,
        direction,
        max_scope,
        frozenset(terminated),
        third_person,
    )


@lexicon_cache
def scope_rules() -> ScopeRules:
    """The speaker rules, validated and compiled once per process."""
    data = load(LEXICON)
    where = f"rules/lexicons/{LEXICON}.toml"
    raw_rules = data.get("scope")
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{where}: needs [[scope]] rules")
    rules = [_rule(r, where) for r in raw_rules]
    return ScopeRules(
        labels=tuple(r for r in rules if r.applies_to == "label"),
        sentences=tuple(r for r in rules if r.applies_to == "sentence"),
    )


def _trigger(rule: ScopeRule, m: re.Match[str]) -> Trigger:
    groups = m.groupdict()
    who = next((groups[g] for g in ("who", "who2") if groups.get(g)), "") or ""
    return Trigger(rule, who.strip(" ,"), (groups.get("role") or "").strip(), m.start(), m.end())


#: A paragraph number opening a label ("1.5 Parents' views", "2) Our views"): not part of it.
_NUMBERED = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){0,2}[.)]?\s+(?=\D)")


@lexicon_cache
def label_trigger(label: str) -> Trigger | None:
    """The first label rule a sub-heading or row label fires (a pseudo-trigger blocks the rest).

    A paragraph number before the label is dropped first: a plan with numbered
    paragraphs puts "1.5 Parents' views (written by ...):" where another plan
    has a sub-heading.
    """
    label = _NUMBERED.sub("", label)
    if not label:
        return None
    rules = scope_rules().labels
    if any(r.pattern.search(label) for r in rules if r.direction == "pseudo"):
        return None
    for rule in rules:
        m = rule.pattern.search(label) if rule.direction != "pseudo" else None
        if m:
            return _trigger(rule, m)
    return None


def sentence_triggers(text: str) -> list[Trigger]:
    """Every sentence rule that fires on ``text`` (pseudo-triggers suppress the others)."""
    found: list[Trigger] = []
    for rule in scope_rules().sentences:
        m = rule.pattern.search(text)
        if m is None:
            continue
        if rule.direction == "pseudo":
            return []
        found.append(_trigger(rule, m))
    return found
