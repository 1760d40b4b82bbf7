"""Run rules over a plan: each rule that applies gives one :class:`~ehcp_audit._model.Finding`.

A rule whose ``applies_when`` does not hold (a Preparing-for-Adulthood rule
for a seven-year-old) gives no finding; the reason is kept so scoring can
count it as passed and say so. Unknown age or year means the rule applies:
the audit reads the plan, and a plan that does not say how old the child is
is judged by every rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from .._model import Finding, PlanAudit, PlanDetails
from ._blocks import year_number
from ._spec import AppliesWhen, RuleSpec, rule_kinds


@frozen
class RuleRun:
    """The findings of one run, and the rules that did not apply (id -> reason)."""

    findings: tuple[Finding, ...]
    skipped: tuple[tuple[str, str], ...] = ()


def _is_16_plus(details: PlanDetails) -> bool | None:
    if details.age is not None:
        return details.age >= 16
    year = year_number(details.year_group)
    return None if year is None else year >= 12


def skip_reason(condition: AppliesWhen | None, details: PlanDetails) -> str | None:
    """Why a rule does not apply to this plan, or None when it applies."""
    if condition is None:
        return None
    age, year = details.age, year_number(details.year_group)
    if condition.min_age is not None and age is not None and age < condition.min_age:
        return f"applies from age {condition.min_age}; the child is {age}"
    if condition.max_age is not None and age is not None and age > condition.max_age:
        return f"applies up to age {condition.max_age}; the child is {age}"
    if condition.min_year is not None and year is not None and year < condition.min_year:
        return f"applies from Year {condition.min_year}; the plan gives {details.year_group}"
    if condition.young_person_16_plus is not None:
        over = _is_16_plus(details)
        if over is not None and over != condition.young_person_16_plus:
            return (
                "applies to young people aged 16 or over"
                if condition.young_person_16_plus
                else "applies to children under 16"
            )
    return None


def run_rule(plan: PlanAudit, rule: RuleSpec) -> Finding:
    """Run one rule regardless of ``applies_when`` (the self-tests use this too)."""
    result = rule_kinds()[rule.kind].check(plan, rule)
    message = result.message or (rule.summary if result.passed else rule.message)
    return Finding(
        rule=rule.id,
        level=rule.level,
        principles=rule.principles,
        passed=result.passed,
        message=message,
        suggestion="" if result.passed else rule.suggestion,
        evidence=result.evidence,
    )


def run_rules(plan: PlanAudit, rules: Iterable[RuleSpec]) -> RuleRun:
    """Every rule that applies, in the order given."""
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    for rule in rules:
        reason = skip_reason(rule.applies_when, plan.details)
        if reason is not None:
            skipped.append((rule.id, reason))
            continue
        findings.append(run_rule(plan, rule))
    return RuleRun(tuple(findings), tuple(skipped))
