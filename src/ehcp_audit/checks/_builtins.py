"""Built-in Python checks: what the rubric asks for that data rules cannot say.

Each is registered in ``pyproject.toml`` under the ``ehcp_audit.checks``
entry point group and also listed in :data:`BUILTINS`, so they work from a
source checkout too. Each reads its settings from the rule's ``options``
table; the options each accepts are in :data:`OPTIONS`, and the loader
refuses others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .._errors import ConfigError
from .._model import Cue, Evidence, PlanAudit
from ._blocks import has_content, year_number
from ._match import cue_evidence, sentence_span
from ._spec import CheckResult, RuleSpec

# -- review date ----------------------------------------------------------------------


def review_date_set(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """The plan states when it will be reviewed (a date in the personal details or text)."""
    date = plan.details.review_date
    if date is None:
        return CheckResult(False)
    return CheckResult(True, (Evidence(text=f"Review date: {date.isoformat()}", section="front"),))


# -- outcomes that take up what the child and family said -----------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Words every plan uses whatever the child said: sharing them links nothing.
_GENERIC_WORDS = """
    able about above after again against also always another around because been before
    being better between both cannot could does doing done during each either enough every
    from further have having help helped helping here into just know like likes liked make
    makes many might more most much must need needs never next only other others over really
    same should some such than that their them then there these they thing things this those
    through time times under until very want wants wanted well were what when where which
    while will with within without would your yours year years week weeks term terms month
    months support supported supporting adult adults staff school setting home people
    person child young parent parents family mum dad carer carers develop developing
    progress improve improved skills skill learn learning access provide provided able
    feel feels felt think thinks thought said says told tell talk talked good best better
    happy important enjoy enjoys enjoyed love loves loved find finds found going make
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_VOICE_KINDS = ("child_voice", "parent_voice")


def _stems(text: str, names: Iterable[str]) -> set[str]:
    skip = {n.casefold() for n in names}
    stems = set()
    for word in _WORD.findall(text):
        low = word.casefold().replace("’", "'").split("'")[0]
        if len(low) < 4 or low in _GENERIC or low in skip:
            continue
        stems.add(low[:5])
    return stems


def _outcome_sentences(plan: PlanAudit, sections: tuple[str, ...]) -> list[Evidence]:
    cues = [c for c in plan.cues if c.kind == "outcome" and c.section in sections]
    if cues:
        return [cue_evidence(c) for c in cues]
    found = []
    for section in plan.sections:
        if section.code not in sections:
            continue
        for block in section.blocks:
            if not has_content(block):
                continue
            start = 0
            while start < len(block.text):
                begin, end = sentence_span(block.text, start, start)
                if end > begin:
                    found.append(
                        Evidence(block.text[begin:end], section.code, block.location(begin, end))
                    )
                start = max(end, start) + 1
    return found


def outcomes_take_up_views(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """Outcomes visibly take up what the child or family said (shared words, names aside)."""
    views_in = tuple(_option_list(rule, "views_sections", ["A"]))
    outcomes_in = tuple(_option_list(rule, "outcome_sections", ["E"]))
    needed = _option_int(rule, "min_links", 1)
    names = [n for n in (plan.details.name, plan.details.preferred_name) if n]
    names += [part for n in names for part in n.split()]
    voices = [c for c in plan.cues if c.kind in _VOICE_KINDS and c.section in views_in]
    if not voices:
        return CheckResult(False, (), f"{rule.message} (no child or parent views found to take up)")
    voice_stems = [(_stems(c.text, names), c) for c in voices]
    links: list[Evidence] = []
    linked = 0
    for outcome in _outcome_sentences(plan, outcomes_in):
        words = _stems(outcome.text, names)
        partner: Cue | None = next((c for stems, c in voice_stems if stems & words), None)
        if partner is not None:
            linked += 1
            links += [outcome, cue_evidence(partner)]
    if linked >= needed:
        return CheckResult(True, tuple(links))
    return CheckResult(
        False, tuple(links), f"{rule.message} ({linked} outcome(s) linked; {needed} expected)"
    )


# -- advice from every regulation 6(1) source -----------------------------------------

REG6_SOURCES = ("parent", "school", "medical", "educational_psychologist", "social_care")
_SOURCE_WORDS = {
    "parent": "the parent or young person",
    "school": "the school or setting",
    "medical": "health (medical advice)",
    "educational_psychologist": "an educational psychologist",
    "social_care": "social care",
    "preparing_for_adulthood": "preparing for adulthood",
}


def reg6_advice_complete(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """K lists advice from each regulation 6(1) source (preparing for adulthood from Year 9)."""
    required = list(_option_list(rule, "sources", list(REG6_SOURCES)))
    from_year = _option_int(rule, "pfa_from_year", 9)
    year = year_number(plan.details.year_group)
    age = plan.details.age
    # Year 9 starts at 13 and ends at 14; with only an age, count from 14 to be sure.
    old_enough = year >= from_year if year is not None else age is not None and age >= from_year + 5
    if old_enough and "preparing_for_adulthood" not in required:
        required.append("preparing_for_adulthood")
    scope = set(rule.scope or ("K",))
    firsts: dict[str, Evidence] = {}
    for cue in plan.cues:
        if cue.kind == "agency" and cue.section in scope:
            source = cue.attributes.get("reg6_source")
            if isinstance(source, str):
                firsts.setdefault(source, cue_evidence(cue))
    evidence = tuple(firsts[s] for s in required if s in firsts)
    missing = [s for s in required if s not in firsts]
    if not missing:
        return CheckResult(True, evidence)
    words = ", ".join(_SOURCE_WORDS.get(s, s) for s in missing)
    return CheckResult(False, evidence, f"{rule.message} (no advice from {words})")


# -- options ---------------------------------------------------------------------------


def _option_list(rule: RuleSpec, name: str, default: list[str]) -> list[str]:
    value = rule.options.get(name, default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{rule.path}: key 'options.{name}': expected a list of strings")
    return value


def _option_int(rule: RuleSpec, name: str, default: int) -> int:
    value = rule.options.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{rule.path}: key 'options.{name}': expected a whole number")
    return value


BUILTINS: dict[str, Callable[[PlanAudit, RuleSpec], CheckResult]] = {
    "review_date_set": review_date_set,
    "outcomes_take_up_views": outcomes_take_up_views,
    "reg6_advice_complete": reg6_advice_complete,
}

#: The ``options`` each built-in check accepts, with their types (the loader refuses others).
OPTIONS: dict[str, dict[str, type]] = {
    "review_date_set": {},
    "outcomes_take_up_views": {"views_sections": list, "outcome_sections": list, "min_links": int},
    "reg6_advice_complete": {"sources": list, "pfa_from_year": int},
}


def option_problem(name: str, options: dict[str, Any]) -> tuple[str, str] | None:
    """(option, problem) for the first option a built-in check cannot use, if any."""
    allowed = OPTIONS.get(name)
    if allowed is None:
        return None
    for key in sorted(options):
        if key not in allowed:
            listed = ", ".join(sorted(allowed)) or "none"
            return key, f"unknown option for check {name!r} (expected one of: {listed})"
        value = options[key]
        if allowed[key] is int and (not isinstance(value, int) or isinstance(value, bool)):
            return key, "expected a whole number"
        if allowed[key] is list and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            return key, "expected a list of strings"
    return None
