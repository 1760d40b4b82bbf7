"""``occurrence``: something that must appear at least (or at most) N times in scope.

Counts cues of a kind (``cue``, ``where``) or sentences matching a
``pattern``/``phrases``; with ``distinct = "category"`` (or any cue field or
attribute) it counts the different values instead, so "contributions from at
least two of education, health and social care" is ``cue = "agency"``,
``distinct = "category"``, ``min = 2``. The evidence is what was counted
(for ``distinct``, the first cue of each value).
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from .._model import PlanAudit
from ._match import Matcher, Occurrence, cue_value, occurrences, parse_matcher
from ._spec import CheckResult, RuleSpec, Table

KEYS = ("cue", "where", "pattern", "phrases", "min", "max", "distinct")


@frozen
class Params:
    matcher: Matcher
    min: int | None = None
    max: int | None = None
    distinct: str | None = None


def parse(table: Table) -> tuple[Params, None]:
    from ..nlp._kinds import known_name

    matcher = parse_matcher(table)
    assert matcher is not None
    low = table.integer("min", minimum=0)
    high = table.integer("max", minimum=0)
    if low is None and high is None:
        table.fail("min", "give 'min' and/or 'max' (how many occurrences are allowed)")
    if low is not None and high is not None and low > high:
        table.fail("min", f"is greater than max ({low} > {high})")
    distinct = table.string("distinct", nonempty=True) if table.has("distinct") else None
    if distinct is not None:
        if matcher.cue is None or matcher.pattern is not None:
            table.fail("distinct", "counts distinct values of cues: use it with 'cue' alone")
        if not known_name(matcher.cue.kind, distinct):
            table.fail(
                "distinct",
                f"cues of kind {matcher.cue.kind!r} have no field or attribute {distinct!r}",
            )
    return Params(matcher=matcher, min=low, max=high, distinct=distinct), None


def default_section(params: Params, scope: Sequence[str]) -> str:
    return scope[0] if scope else "A"


def _distinct(found: list[Occurrence], name: str) -> tuple[int, list[Occurrence]]:
    """How many different values of ``name`` the cues carry, and a cue for each.

    A list-valued attribute (a views-method cue naming "questionnaire" and
    "conversation") contributes each of its values.
    """
    firsts: dict[str, Occurrence] = {}
    for occurrence in found:
        assert occurrence.cue is not None
        value = cue_value(occurrence.cue, name)
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        for item in values:
            if item in (None, "", False):
                continue
            firsts.setdefault(str(item).casefold(), occurrence)
    evidence = list({id(o): o for o in firsts.values()}.values())
    return len(firsts), evidence


def check(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    params: Params = rule.params
    found = occurrences(plan, rule.scope, params.matcher)
    if params.distinct is not None:
        count, found = _distinct(found, params.distinct)
    else:
        count = len(found)
    low_ok = params.min is None or count >= params.min
    high_ok = params.max is None or count <= params.max
    evidence = tuple(o.evidence for o in found)
    if low_ok and high_ok:
        return CheckResult(True, evidence)
    what = f"different {params.distinct} values" if params.distinct else "found"
    bound = f"at least {params.min}" if not low_ok else f"at most {params.max}"
    return CheckResult(False, evidence, f"{rule.message} ({count} {what}; {bound} expected)")


def describe(params: Params) -> str:
    bounds = []
    if params.min is not None:
        bounds.append(f"at least {params.min}")
    if params.max is not None:
        bounds.append(f"at most {params.max}")
    counted = f"distinct {params.distinct} of " if params.distinct else ""
    return f"{' and '.join(bounds)} {counted}{params.matcher.describe()}"
