"""``metric``: a measure of the plan with a threshold (readability, shares of cues).

Measures:

- ``flesch_reading_ease``, ``flesch_kincaid_grade``: the mean over the
  sections in scope, weighted by their words (a long section counts more);
- ``words``, ``sentences``: totals over the sections in scope;
- ``attribute_share`` with ``cue`` and ``attribute`` (and optional
  ``where``): the share of those cues whose attribute is true, e.g. the
  share of outcomes that are time-bound; ``"ratio:outcome.time_bound"`` is
  the same thing written in one string;
- ``"share:quantified_provision/vague_provision"``: cues of the first kind
  as a share of all the kinds named (``a / (a + b)``).

``min``/``max`` are the thresholds. When there is nothing to measure (no
section long enough, no cues of the kind) the rule passes, unless
``when_empty = "fail"``: whether "no outcomes at all" is a failure is a
policy choice, so it is data. The measured value is reported in the
finding's message; for shares the evidence is the cues that pull the share
down (when failing) or up (when passing).
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from .._model import Evidence, PlanAudit
from ._match import CueFilter, cue_evidence, parse_cue_filter, parse_where, scoped_cues
from ._spec import CheckResult, RuleSpec, Table

KEYS = ("metric", "cue", "where", "attribute", "min", "max", "when_empty")
READABILITY = ("flesch_reading_ease", "flesch_kincaid_grade")
TOTALS = ("words", "sentences")
SHARES = ("share", "attribute_share")


@frozen
class Params:
    metric: str
    min: float | None = None
    max: float | None = None
    when_empty: str = "pass"
    cue: CueFilter | None = None
    attribute: str | None = None
    kinds: tuple[str, ...] = ()


def parse(table: Table) -> tuple[Params, None]:
    from ..nlp._kinds import CUE_KINDS, known_name

    metric = table.string("metric", required=True, nonempty=True)
    low, high = table.number("min"), table.number("max")
    if low is None and high is None:
        table.fail("min", "give 'min' and/or 'max' (the threshold)")
    if low is not None and high is not None and low > high:
        table.fail("min", f"is greater than max ({low:g} > {high:g})")
    when_empty = table.choice("when_empty", ("pass", "fail"), default="pass") or "pass"
    base = Params(metric=metric, min=low, max=high, when_empty=when_empty)
    if metric in READABILITY or metric in TOTALS:
        for key in ("cue", "where", "attribute"):
            if table.has(key):
                table.fail(key, f"is not used with metric {metric!r}")
        return base, None
    if metric.startswith("share:"):
        kinds = tuple(k.strip() for k in metric.removeprefix("share:").split("/"))
        if len(kinds) < 2 or not all(kinds):
            table.fail(
                "metric", "write a share as 'share:KIND/OTHER_KIND' (first kind over all named)"
            )
        for kind in kinds:
            if kind not in CUE_KINDS:
                table.fail("metric", f"{kind!r} is not a cue kind any component produces")
        for key in ("cue", "where", "attribute"):
            if table.has(key):
                table.fail(key, "is not used with a 'share:' metric")
        return Params(metric="share", min=low, max=high, when_empty=when_empty, kinds=kinds), None
    if metric.startswith("ratio:"):
        kind, _, attribute = metric.removeprefix("ratio:").partition(".")
        if not kind or not attribute:
            table.fail(
                "metric", "write a ratio as 'ratio:KIND.ATTRIBUTE', e.g. 'ratio:outcome.time_bound'"
            )
        if kind not in CUE_KINDS:
            table.fail("metric", f"{kind!r} is not a cue kind any component produces")
        if not known_name(kind, attribute):
            table.fail("metric", f"cues of kind {kind!r} have no attribute {attribute!r}")
        for key in ("cue", "attribute"):
            if table.has(key):
                table.fail(key, "is already given by the 'ratio:' metric")
        cue = CueFilter(kind=kind, where=parse_where(table, kind))
        return Params(
            metric="attribute_share",
            min=low,
            max=high,
            when_empty=when_empty,
            cue=cue,
            attribute=attribute,
        ), None
    if metric == "attribute_share":
        measured = parse_cue_filter(table)
        if measured is None:
            table.fail("cue", "metric 'attribute_share' needs 'cue' (which cues to measure)")
        cue = measured
        attribute = table.string("attribute", required=True, nonempty=True)
        if not known_name(cue.kind, attribute):
            table.fail("attribute", f"cues of kind {cue.kind!r} have no attribute {attribute!r}")
        return Params(
            metric=metric, min=low, max=high, when_empty=when_empty, cue=cue, attribute=attribute
        ), None
    known = (*READABILITY, *TOTALS, "attribute_share", "share:A/B", "ratio:KIND.ATTRIBUTE")
    table.fail("metric", f"{metric!r} is not a measure ehcp-audit knows ({', '.join(known)})")


def default_section(params: Params, scope: Sequence[str]) -> str:
    return scope[0] if scope else "A"


def _within(params: Params, value: float) -> bool:
    return (params.min is None or value >= params.min) and (
        params.max is None or value <= params.max
    )


def _show(params: Params, value: float) -> str:
    return f"{value:.0%}" if params.metric in SHARES else f"{value:.1f}"


def _bounds(params: Params) -> str:
    parts = []
    if params.min is not None:
        parts.append(f"minimum {_show(params, params.min)}")
    if params.max is not None:
        parts.append(f"maximum {_show(params, params.max)}")
    return ", ".join(parts)


def measure(plan: PlanAudit, rule: RuleSpec) -> tuple[float | None, list[Evidence], list[Evidence]]:
    """The value, the evidence for it and the evidence against it."""
    params: Params = rule.params
    wanted = set(rule.scope)
    if params.metric in READABILITY or params.metric in TOTALS:
        rows = [m for m in plan.metrics if not wanted or m.section in wanted]
        if params.metric in TOTALS:
            return (float(sum(getattr(m, params.metric) for m in rows)) if rows else None), [], []
        scored = [(getattr(m, params.metric), m.words) for m in rows]
        scored = [(v, w) for v, w in scored if v is not None and w > 0]
        total = sum(w for _, w in scored)
        return (sum(v * w for v, w in scored) / total if total else None), [], []
    if params.metric == "share":
        counts = [scoped_cues(plan, rule.scope, CueFilter(kind)) for kind in params.kinds]
        denominator = sum(len(c) for c in counts)
        good = [cue_evidence(c) for c in counts[0]]
        bad = [cue_evidence(c) for group in counts[1:] for c in group]
        return (len(counts[0]) / denominator if denominator else None), good, bad
    assert params.cue is not None and params.attribute is not None
    cues = scoped_cues(plan, rule.scope, params.cue)
    good = [cue_evidence(c) for c in cues if c.attributes.get(params.attribute)]
    bad = [cue_evidence(c) for c in cues if not c.attributes.get(params.attribute)]
    return (len(good) / len(cues) if cues else None), good, bad


def check(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    params: Params = rule.params
    value, good, bad = measure(plan, rule)
    if value is None:
        passed = params.when_empty == "pass"
        note = "nothing to measure"
        return CheckResult(passed, (), None if passed else f"{rule.message} ({note})")
    measured = f"measured {_show(params, value)}; {_bounds(params)}"
    if _within(params, value):
        return CheckResult(True, tuple(good), f"{rule.summary} ({measured})")
    return CheckResult(False, tuple(bad), f"{rule.message} ({measured})")


def describe(params: Params) -> str:
    if params.metric == "share":
        what = f"share of {params.kinds[0]} among {', '.join(params.kinds)} cues"
    elif params.metric == "attribute_share":
        assert params.cue is not None
        what = f"share of {params.cue.kind} cues with {params.attribute} true"
    else:
        what = params.metric.replace("_", " ")
    return f"{what}: {_bounds(params)}; when nothing to measure: {params.when_empty}"
