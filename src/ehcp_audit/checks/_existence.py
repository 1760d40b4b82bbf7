"""``existence``: something that must not appear in scope (vague provision, jargon).

The rule passes when nothing it looks for occurs; otherwise every
occurrence is cited, so the writer can find and fix each one. What it looks
for is a cue kind (``cue``, narrowed by ``where``), a ``pattern`` or literal
``phrases``, or several of these (their union).
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from .._model import PlanAudit
from ._match import Matcher, occurrences, parse_matcher
from ._spec import CheckResult, RuleSpec, Table

KEYS = ("cue", "where", "pattern", "phrases")


@frozen
class Params:
    matcher: Matcher


def parse(table: Table) -> tuple[Params, None]:
    matcher = parse_matcher(table)
    assert matcher is not None
    return Params(matcher), None


def default_section(params: Params, scope: Sequence[str]) -> str:
    return scope[0] if scope else "A"


def check(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    params: Params = rule.params
    found = occurrences(plan, rule.scope, params.matcher)
    if not found:
        return CheckResult(True)
    return CheckResult(
        False, tuple(o.evidence for o in found), f"{rule.message} ({len(found)} found)"
    )


def describe(params: Params) -> str:
    return f"passes when none of these occur: {params.matcher.describe()}"
