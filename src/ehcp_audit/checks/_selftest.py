"""Run each rule's own test cases: texts it must fire on, texts it must pass.

A rule whose must-fire cases do not fire is broken, not quiet, so every
rule carries examples and ``ehcp-audit rules test`` (and pytest) runs them.
Each test text goes into one section (the rule's first scope section,
unless the case names another) of a small synthetic Markdown plan about
"Sam Taylor"; the other sections A-K hold a neutral filler, so the plan is
an EHCP and the rule is judged on the test text. A case may instead give a
whole plan (``{ plan = "..." }``, in a multi-line TOML string) when it
needs headings, tables, ages or a missing section. The plan goes through
the same reading, sectioning and cue-finding as a real one; only the rule
under test is then run on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from .._errors import ConfigError, InputError
from ._engine import run_rule, skip_reason
from ._spec import RuleSpec, RuleTest

#: The synthetic plan's sections: code and the heading that names it.
HEADINGS: tuple[tuple[str, str], ...] = (
    ("A", "Section A – Views, interests and aspirations"),
    ("B", "Section B – Special educational needs"),
    ("C", "Section C – Health needs"),
    ("D", "Section D – Social care needs"),
    ("E", "Section E – Outcomes"),
    ("F", "Section F – Special educational provision"),
    ("G", "Section G – Health provision"),
    ("H1", "Section H1 – Social care provision (Chronically Sick and Disabled Persons Act 1970)"),
    ("H2", "Section H2 – Other social care provision"),
    ("I", "Section I – Placement"),
    ("J", "Section J – Personal budget"),
    ("K", "Section K – Advice and information"),
)
FRONT = "- **Name:** Sam Taylor\n- **Preferred name:** Sam"
FILLER = "Nothing further to add."


def synthetic_plan(text: str, section: str) -> str:
    """A minimal Markdown EHCP with ``text`` as the body of ``section``."""
    if section != "front" and section not in dict(HEADINGS):
        raise ConfigError(
            f"test text cannot be placed in section {section!r}; give a whole 'plan' instead"
        )
    parts = [
        "# Education, Health and Care Plan",
        "## Personal details",
        text if section == "front" else FRONT,
    ]
    for code, heading in HEADINGS:
        parts += [f"## {heading}", text if code == section else FILLER]
    return "\n\n".join(parts) + "\n"


@frozen
class CaseResult:
    """One test case of one rule: did the rule behave as the case expects?"""

    rule: str
    case: str
    ok: bool
    detail: str = ""


def run_case(rule: RuleSpec, case: RuleTest, model: str | None = None) -> CaseResult:
    """Run one case; a plan that cannot be read is a failed case, not a crash."""
    from .._audit import analyse

    source = (
        case.plan if case.plan is not None else synthetic_plan(case.text or "", case.section or "A")
    )
    try:
        plan = analyse(source.encode("utf-8"), model=model)
    except InputError as error:
        return CaseResult(
            rule.id, case.label, False, f"the test plan could not be audited ({error.code})"
        )
    reason = skip_reason(rule.applies_when, plan.details)
    if reason is not None:
        return CaseResult(rule.id, case.label, False, f"the rule did not apply ({reason})")
    finding = run_rule(plan, rule)
    fired = not finding.passed
    if case.expect == "fire" and not fired:
        return CaseResult(rule.id, case.label, False, "expected the rule to fire, but it passed")
    if case.expect == "pass" and fired:
        return CaseResult(
            rule.id,
            case.label,
            False,
            f"expected the rule to pass, but it fired: {finding.message}",
        )
    return CaseResult(rule.id, case.label, True)


def run_selftests(rules: Iterable[RuleSpec], model: str | None = None) -> list[CaseResult]:
    """Every case of every rule, in order; a rule without cases gives one failed result."""
    results: list[CaseResult] = []
    for rule in rules:
        if not rule.tests:
            results.append(CaseResult(rule.id, "-", False, "the rule has no [tests]"))
            continue
        results += [run_case(rule, case, model) for case in rule.tests]
    return results


def missing_cases(rule: RuleSpec) -> list[str]:
    """Which of ``fire``/``pass`` a rule has no case for."""
    kinds = {case.expect for case in rule.tests}
    return [k for k in ("fire", "pass") if k not in kinds]
