"""``required_section``: the plan has these sections (and, if asked, they are filled in).

The Code of Practice (9.62) lists sections A to K; a plan without one, or
with only the template's prompt in it, is incomplete. ``any_of = true``
lets one of several sections satisfy the rule (a council that merges H1 and
H2). A section covered by a merged heading ("Sections H1 and H2") is not
missing, and counts as filled when the section it was merged into is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen

from .._model import SECTION_CODES, Evidence, PlanAudit
from ._blocks import heading_evidence, section_filled
from ._spec import CheckResult, RuleSpec, Table, section_codes

KEYS = ("sections", "filled", "any_of")


@frozen
class Params:
    sections: tuple[str, ...]
    filled: bool = False
    any_of: bool = False


def parse(table: Table) -> tuple[Params, None]:
    sections = section_codes(table, "sections", required=True)
    if not sections:
        table.fail("sections", "must list at least one section")
    return Params(
        sections=sections,
        filled=bool(table.boolean("filled", default=False)),
        any_of=bool(table.boolean("any_of", default=False)),
    ), None


def default_section(params: Params, scope: Sequence[str]) -> str:
    return scope[0] if scope else params.sections[0]


def _state(plan: PlanAudit, code: str) -> tuple[bool, bool, list[Evidence]]:
    """(present, filled, evidence) for one section code."""
    section = plan.section(code)
    if section is None:
        merged = code in SECTION_CODES and code not in plan.missing_sections
        if merged and code == "H2" and (h1 := plan.section("H1")) is not None:
            return True, section_filled(h1), [heading_evidence(plan, h1)]
        return merged, merged, []
    evidence = [heading_evidence(plan, section)]
    filled = section_filled(section)
    if not filled:
        evidence += [
            Evidence(text=f.text, section=f.section, location=f.location)
            for f in plan.unfilled_fields
            if f.section == code
        ]
    return True, filled, evidence


def check(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    params: Params = rule.params
    missing: list[str] = []
    empty: list[str] = []
    good: list[Evidence] = []
    bad: list[Evidence] = []
    for code in params.sections:
        present, filled, cited = _state(plan, code)
        if not present:
            missing.append(code)
        elif params.filled and not filled:
            empty.append(code)
            bad += cited
        else:
            good += cited
    satisfied = len(params.sections) - len(missing) - len(empty)
    passed = satisfied > 0 if params.any_of else satisfied == len(params.sections)
    if passed:
        return CheckResult(True, tuple(good))
    detail = []
    if missing:
        detail.append("missing: " + ", ".join(missing))
    if empty:
        detail.append("not filled in: " + ", ".join(empty))
    return CheckResult(False, tuple(bad), f"{rule.message} ({'; '.join(detail)})")


def describe(params: Any) -> str:
    joined = (" or " if params.any_of else " and ").join(params.sections)
    return f"section(s) {joined} present" + (" and filled in" if params.filled else "")
