"""``conditional``: for each X there is a Y (each need has provision and an outcome).

Two forms. Section to section: ``for_each = { section = "B" }``,
``require = [{ section = "F" }, { section = "E" }]``. In a combined table
(Somerset's "needs | provision | outcomes") each row whose B cell has
content must have content in its F and E cells too, which is exactly how a
reader checks that every need is met; a required section the table has no
column for is checked as a section instead. A plan with no table rows for
the ``for_each`` section falls back to: when that section is filled, every
required section is present and filled.

Cue to cue: ``for_each = { cue = "outcome" }``, ``require = [{ cue =
"child_voice", same = "section" }]``, where ``same`` is ``"row"`` (same
table row, or same paragraph outside tables), ``"section"`` or ``"plan"``.

The evidence is what lacks its partner (a need with no provision beside
it), so the writer can go straight to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen

from .._model import Cue, Evidence, PlanAudit, RowLink
from ._blocks import block_at, has_content, quote, section_filled
from ._match import CueFilter, cue_evidence, cues_of_kind, parse_cue_filter, scoped_cues
from ._spec import CheckResult, RuleSpec, Table, section_code

KEYS = ("for_each", "require")
SAME = ("row", "section", "plan")


@frozen
class CueRequirement:
    cue: CueFilter
    same: str = "section"


@frozen
class Params:
    for_section: str | None = None
    require_sections: tuple[str, ...] = ()
    for_cue: CueFilter | None = None
    require_cues: tuple[CueRequirement, ...] = ()


def parse(table: Table) -> tuple[Params, None]:
    head = table.table("for_each", required=True)
    assert head is not None
    items = table.raw("require")
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        table.fail("require", 'expected a non-empty list of tables such as { section = "F" }')
    requires = [Table(item, table.where, f"require[{n}].") for n, item in enumerate(items)]
    if head.has("section"):
        code = section_code(head, "section", required=True)
        head.done(("section",))
        codes = []
        for sub in requires:
            if not sub.has("section"):
                sub.fail(
                    "section", "for_each names a section, so each requirement names a section too"
                )
            codes.append(section_code(sub, "section", required=True))
            sub.done(("section",))
        return Params(for_section=code, require_sections=tuple(c for c in codes if c)), None
    cue = parse_cue_filter(head)
    if cue is None:
        head.fail("section", "say what to check: 'section' or 'cue'")
    head.done(("cue", "where"))
    needs = []
    for sub in requires:
        wanted = parse_cue_filter(sub)
        if wanted is None:
            sub.fail("cue", "for_each names a cue, so each requirement names a cue too")
        same = sub.choice("same", SAME, default="section")
        sub.done(("cue", "where", "same"))
        needs.append(CueRequirement(cue=wanted, same=same or "section"))
    return Params(for_cue=cue, require_cues=tuple(needs)), None


def default_section(params: Params, scope: Sequence[str]) -> str:
    if scope:
        return scope[0]
    return params.for_section or "A"


def check(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    params: Params = rule.params
    if params.for_section is not None:
        return _check_sections(plan, rule, params)
    return _check_cues(plan, rule, params)


def _cells_filled(plan: PlanAudit, link: RowLink, code: str) -> bool:
    return any(has_content(block_at(plan, i)) for i in link.blocks_for(code))


def _has_column(link: RowLink, code: str) -> bool:
    return any(c == code for c, _ in link.cells)


def _section_ok(plan: PlanAudit, code: str) -> bool:
    section = plan.section(code)
    return section is not None and section_filled(section)


def _check_sections(plan: PlanAudit, rule: RuleSpec, params: Params) -> CheckResult:
    source = params.for_section
    assert source is not None
    links = [link for link in plan.row_links if link.blocks_for(source)]
    if not links:
        return _fallback(plan, rule, params)
    checked: list[Evidence] = []
    lacking: list[Evidence] = []
    absent: set[str] = set()
    for link in links:
        blocks = [b for i in link.blocks_for(source) if has_content(b := block_at(plan, i))]
        if not blocks:
            continue
        evidence = quote(blocks[0], source)  # type: ignore[arg-type]
        checked.append(evidence)
        missing = [
            code
            for code in params.require_sections
            if not (
                _cells_filled(plan, link, code)
                if _has_column(link, code)
                else _section_ok(plan, code)
            )
        ]
        if missing:
            lacking.append(evidence)
            absent.update(missing)
    if not lacking:
        return CheckResult(True, tuple(checked))
    order = [c for c in params.require_sections if c in absent]
    return CheckResult(
        False,
        tuple(lacking),
        f"{rule.message} ({len(lacking)} of {len(checked)} rows lack {', '.join(order)})",
    )


def _fallback(plan: PlanAudit, rule: RuleSpec, params: Params) -> CheckResult:
    source = params.for_section
    assert source is not None
    section = plan.section(source)
    if section is None or not section_filled(section):
        return CheckResult(True)
    missing = [code for code in params.require_sections if not _section_ok(plan, code)]
    cited = tuple(quote(b, source) for b in section.blocks if has_content(b))[:1]
    if not missing:
        return CheckResult(True, cited)
    return CheckResult(
        False, cited, f"{rule.message} (section {source} is filled; {', '.join(missing)} not)"
    )


def _same(a: Cue, b: Cue, same: str) -> bool:
    if same == "plan":
        return True
    if same == "section":
        return a.section == b.section
    if a.location.table is not None and a.location.row is not None:
        return (a.location.table, a.location.row) == (b.location.table, b.location.row)
    return a.location.block == b.location.block


def _check_cues(plan: PlanAudit, rule: RuleSpec, params: Params) -> CheckResult:
    assert params.for_cue is not None
    sources = scoped_cues(plan, rule.scope, params.for_cue)
    partners = [
        [c for c in cues_of_kind(plan, need.cue.kind) if need.cue.matches(c)]
        for need in params.require_cues
    ]
    lacking = [
        cue
        for cue in sources
        if not all(
            any(other is not cue and _same(cue, other, need.same) for other in found)
            for need, found in zip(params.require_cues, partners, strict=True)
        )
    ]
    if not lacking:
        return CheckResult(True, tuple(cue_evidence(c) for c in sources))
    return CheckResult(
        False,
        tuple(cue_evidence(c) for c in lacking),
        f"{rule.message} ({len(lacking)} of {len(sources)} lack it)",
    )


def describe(params: Any) -> str:
    if params.for_section is not None:
        return (
            f"each row with content in {params.for_section} has content in "
            + " and ".join(params.require_sections)
            + " (by table row where the plan links them, else by section)"
        )
    needs = " and ".join(f"a {n.cue.kind} cue in the same {n.same}" for n in params.require_cues)
    return f"each {params.for_cue.kind} cue has {needs}"
