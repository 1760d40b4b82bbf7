"""Findings -> a rating per co-production principle -> an overall rating.

The policy is data (``rules/scoring.toml``, or the file a configuration
names): for each of York's six principles, which rules must pass for
*good* and which for *excellent* (``all = [...]`` and/or ``at_least = { n,
of = [...] }``). This reads the rubric as it is written: a level is reached
when all its descriptors hold, excellent also needs everything good needs,
and a principle is rated at the highest level reached, room for
improvement otherwise (scores 1, 2, 3). The six scores add up to 6-18; the
overall rating comes from the score bands, capped when principle 1 (the
child's and family's voice, which is statutory) is room for improvement;
a plan shows effective co-production when its overall rating is one of
``effective``.

A rule that did not apply to the plan (``applies_when``) or that the
configuration switched off counts as passed, and the reasons say so:
a Preparing-for-Adulthood requirement cannot hold a seven-year-old's plan
back. Every rating carries the reasons a person would give and the
evidence of the findings it rests on, so it can be explained from them
alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from ._model import Evidence, Finding, Overall, PlanAudit, PrincipleRating, Rating

__all__ = [
    "Assessment",
    "BatchShare",
    "LevelCheck",
    "PrincipleSpec",
    "Ratings",
    "Requirement",
    "RuleState",
    "Scoring",
    "assess",
    "batch_share",
    "load_scoring",
    "rate",
]

SCORES: Mapping[Rating, int] = {Rating.ROOM_FOR_IMPROVEMENT: 1, Rating.GOOD: 2, Rating.EXCELLENT: 3}
OVERALL_ORDER: tuple[Overall, ...] = (
    Overall.REQUIRES_IMPROVEMENT,
    Overall.GOOD,
    Overall.OUTSTANDING,
)
PRINCIPLES = range(1, 7)
MIN_TOTAL, MAX_TOTAL = 6, 18
DEFAULT_TARGET = 0.9


@frozen
class Requirement:
    """Rules that must pass: every one of ``all``, and at least ``n`` of ``of``."""

    all: tuple[str, ...] = ()
    at_least: int = 0
    of: tuple[str, ...] = ()

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.all + self.of))

    def describe(self) -> str:
        parts = []
        if self.all:
            parts.append("all of " + ", ".join(self.all))
        if self.of:
            parts.append(f"at least {self.at_least} of " + ", ".join(self.of))
        return " and ".join(parts)


@frozen
class PrincipleSpec:
    number: int
    name: str
    good: Requirement
    excellent: Requirement


@frozen
class Band:
    min: int
    max: int
    rating: Overall


@frozen
class Scoring:
    """A loaded scoring file."""

    path: Path | None
    principles: tuple[PrincipleSpec, ...]
    bands: tuple[Band, ...]
    principle_1_cap: Overall = Overall.REQUIRES_IMPROVEMENT
    effective: tuple[Overall, ...] = (Overall.GOOD, Overall.OUTSTANDING)
    target: float = DEFAULT_TARGET

    def principle(self, number: int) -> PrincipleSpec | None:
        return next((p for p in self.principles if p.number == number), None)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        ids: list[str] = []
        for p in self.principles:
            ids += p.good.rule_ids + p.excellent.rule_ids
        return tuple(dict.fromkeys(ids))


# -- loading ---------------------------------------------------------------------------


def load_scoring(path: Path, known_rules: Collection[str] | None = None) -> Scoring:
    """Read a scoring file strictly; rule ids are checked against ``known_rules`` when given."""
    from .checks._spec import Table, read_toml

    table = Table(read_toml(path), path)
    table.done(("target", "overall", "principle"))
    target = table.number("target")
    if target is not None and not 0 < target <= 1:
        table.fail("target", "must be a share between 0 and 1 (0.9 means 90%)")
    overall = table.table("overall", required=True)
    assert overall is not None
    overall.done(("bands", "principle_1_cap", "effective"))
    bands = _bands(overall)
    cap = overall.choice(
        "principle_1_cap", [o.value for o in Overall], default=Overall.REQUIRES_IMPROVEMENT.value
    )
    effective = (
        overall.strings("effective") if overall.has("effective") else ("good", "outstanding")
    )
    for value in effective:
        if value not in [o.value for o in Overall]:
            overall.fail(
                "effective",
                f"{value!r} is not an overall rating ({', '.join(o.value for o in Overall)})",
            )
    principles = _principles(table, known_rules)
    return Scoring(
        path=path,
        principles=principles,
        bands=bands,
        principle_1_cap=Overall(cap),
        effective=tuple(Overall(v) for v in effective),
        target=DEFAULT_TARGET if target is None else target,
    )


def _bands(overall: Any) -> tuple[Band, ...]:
    from .checks._spec import Table

    raw = overall.raw("bands")
    if not isinstance(raw, list) or not raw or not all(isinstance(b, dict) for b in raw):
        overall.fail(
            "bands",
            'expected a list of tables { min = 6, max = 10, rating = "requires_improvement" }',
        )
    bands = []
    for index, item in enumerate(raw):
        band = Table(item, overall.where, f"{overall.key('bands')}[{index}].")
        low = band.integer("min", required=True)
        high = band.integer("max", required=True)
        rating = band.choice("rating", [o.value for o in Overall], required=True)
        band.done()
        assert low is not None and high is not None and rating is not None
        if low > high:
            band.fail("min", f"is greater than max ({low} > {high})")
        bands.append(Band(low, high, Overall(rating)))
    bands.sort(key=lambda b: b.min)
    expected = MIN_TOTAL
    for band in bands:
        if band.min != expected:
            state = (
                f"{band.min} is covered twice"
                if band.min < expected
                else f"{expected} is not covered"
            )
            problem = f"must cover each total {MIN_TOTAL}-{MAX_TOTAL} once; {state}"
            overall.fail("bands", problem)
        expected = band.max + 1
    if expected != MAX_TOTAL + 1:
        overall.fail(
            "bands",
            f"must cover every total from {MIN_TOTAL} to {MAX_TOTAL}; they end at {expected - 1}",
        )
    return tuple(bands)


def _principles(table: Any, known_rules: Collection[str] | None) -> tuple[PrincipleSpec, ...]:
    from .checks._spec import Table

    raw = table.raw("principle")
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        table.fail("principle", "expected [[principle]] tables, one per principle 1 to 6")
    specs: dict[int, PrincipleSpec] = {}
    for index, item in enumerate(raw):
        sub = Table(item, table.where, f"principle[{index}].")
        sub.done(("number", "name", "good", "excellent"))
        number = sub.integer("number", required=True)
        assert number is not None
        if number not in PRINCIPLES:
            sub.fail("number", f"{number} is not a principle number (1 to 6)")
        if number in specs:
            sub.fail("number", f"principle {number} is defined twice")
        specs[number] = PrincipleSpec(
            number=number,
            name=sub.string("name", required=True, nonempty=True),
            good=_requirement(sub, "good", known_rules),
            excellent=_requirement(sub, "excellent", known_rules),
        )
    missing = [str(n) for n in PRINCIPLES if n not in specs]
    if missing:
        table.fail(
            "principle", f"principle(s) {', '.join(missing)} not defined (all six are needed)"
        )
    return tuple(specs[n] for n in PRINCIPLES)


def _requirement(sub: Any, name: str, known_rules: Collection[str] | None) -> Requirement:
    req = sub.table(name, required=True)
    req.done(("all", "at_least"))
    everything = req.strings("all")
    at_least, of = 0, ()
    inner = req.table("at_least")
    if inner is not None:
        inner.done(("n", "of"))
        of = inner.strings("of", required=True, nonempty=True)
        at_least = inner.integer("n", required=True, minimum=1) or 1
        if at_least > len(of):
            inner.fail("n", f"asks for {at_least} of a list of {len(of)}")
    if not everything and not of:
        req.fail(
            "all",
            "say which rules must pass: 'all = [...]' and/or 'at_least = { n = 1, of = [...] }'",
        )
    if known_rules is not None:
        for key, ids in (("all", everything), ("at_least.of", of)):
            for rule_id in ids:
                if rule_id not in known_rules:
                    req.fail(key, f"no rule {rule_id!r} is loaded (rule ids are pack.Rule)")
    return Requirement(all=everything, at_least=at_least, of=of)


# -- rating -------------------------------------------------------------------------------


@frozen
class RuleState:
    """How one rule named by a requirement stood on this plan."""

    rule: str
    passed: bool
    finding: Finding | None = None
    note: str = ""

    def describe(self) -> str:
        if self.finding is not None:
            return f"{self.rule} {'passed' if self.passed else 'did not pass'}"
        return f"{self.rule} {self.note}, so it counts as passed"


@frozen
class LevelCheck:
    """Whether one level's requirement holds, rule by rule."""

    rating: Rating
    requirement: Requirement
    holds: bool
    states: tuple[RuleState, ...]
    counted: int = 0


@frozen
class Assessment:
    """The reasoning behind one principle's rating."""

    spec: PrincipleSpec
    levels: tuple[LevelCheck, ...]
    rating: PrincipleRating


@frozen
class Ratings:
    principles: tuple[PrincipleRating, ...]
    overall: Overall
    total_score: int
    effective_coproduction: bool


def _state(rule_id: str, findings: Mapping[str, Finding], not_run: Mapping[str, str]) -> RuleState:
    finding = findings.get(rule_id)
    if finding is not None:
        return RuleState(rule_id, finding.passed, finding)
    reason = not_run.get(rule_id)
    if reason is not None:
        return RuleState(rule_id, True, None, f"did not apply ({reason})")
    return RuleState(rule_id, True, None, "was not run")


def _level(
    rating: Rating,
    requirement: Requirement,
    findings: Mapping[str, Finding],
    not_run: Mapping[str, str],
) -> LevelCheck:
    states = {rule_id: _state(rule_id, findings, not_run) for rule_id in requirement.rule_ids}
    all_hold = all(states[r].passed for r in requirement.all)
    counted = sum(1 for r in requirement.of if states[r].passed)
    holds = all_hold and counted >= requirement.at_least
    return LevelCheck(rating, requirement, holds, tuple(states.values()), counted)


def _reasons(levels: Sequence[LevelCheck]) -> tuple[str, ...]:
    reasons = []
    for level in levels:
        name = level.rating.value.replace("_", " ")
        verdict = "reached" if level.holds else "not reached"
        reasons.append(f"{name}: {verdict}; needs {level.requirement.describe()}")
        for state in level.states:
            reasons.append(f"  {state.describe()}")
        if level.requirement.of:
            reasons.append(
                f"  {level.counted} of the {len(level.requirement.of)} listed passed "
                f"({level.requirement.at_least} needed)"
            )
    return tuple(reasons)


def _evidence(levels: Sequence[LevelCheck]) -> tuple[Evidence, ...]:
    seen: dict[tuple[Any, ...], Evidence] = {}
    for level in levels:
        for state in level.states:
            if state.finding is None:
                continue
            for item in state.finding.evidence:
                seen.setdefault((item.text, item.section, item.location), item)
    return tuple(seen.values())


def assess(
    spec: PrincipleSpec, findings: Mapping[str, Finding], not_run: Mapping[str, str]
) -> Assessment:
    """Rate one principle from the findings (by rule id) and the rules that did not run."""
    good = _level(Rating.GOOD, spec.good, findings, not_run)
    excellent = _level(Rating.EXCELLENT, spec.excellent, findings, not_run)
    if good.holds and excellent.holds:
        rating = Rating.EXCELLENT
    elif good.holds:
        rating = Rating.GOOD
    else:
        rating = Rating.ROOM_FOR_IMPROVEMENT
    levels = (good, excellent)
    reasons = _reasons(levels)
    if excellent.holds and not good.holds:
        reasons += ("excellent also needs everything good needs, so it is not reached",)
    result = PrincipleRating(
        number=spec.number,
        name=spec.name,
        rating=rating,
        score=SCORES[rating],
        evidence=_evidence(levels),
        reasons=(f"rated {rating.value.replace('_', ' ')} (score {SCORES[rating]})", *reasons),
    )
    return Assessment(spec, levels, result)


def overall_for(total: int, principle_1: Rating, scoring: Scoring) -> Overall:
    """The overall rating for a total score, with the principle-1 cap applied."""
    band = next((b for b in scoring.bands if b.min <= total <= b.max), None)
    overall = band.rating if band is not None else Overall.REQUIRES_IMPROVEMENT
    if principle_1 is Rating.ROOM_FOR_IMPROVEMENT:
        cap = OVERALL_ORDER.index(scoring.principle_1_cap)
        overall = OVERALL_ORDER[min(OVERALL_ORDER.index(overall), cap)]
    return overall


def rate(
    findings: Iterable[Finding], scoring: Scoring, not_run: Mapping[str, str] | None = None
) -> Ratings:
    """Rate all six principles, then the plan overall."""
    by_rule = {f.rule: f for f in findings}
    skipped = dict(not_run or {})
    principles = tuple(assess(spec, by_rule, skipped).rating for spec in scoring.principles)
    total = sum(p.score for p in principles)
    first = next(p.rating for p in principles if p.number == 1)
    overall = overall_for(total, first, scoring)
    return Ratings(principles, overall, total, overall in scoring.effective)


# -- batches -------------------------------------------------------------------------------


@frozen
class BatchShare:
    """How many plans in a batch show effective co-production, against the target."""

    plans: int
    rated: int
    effective: int
    target: float

    @property
    def share(self) -> float | None:
        return self.effective / self.rated if self.rated else None

    @property
    def meets_target(self) -> bool:
        share = self.share
        return share is not None and share >= self.target


def batch_share(
    results: Iterable[PlanAudit | bool | None], target: float = DEFAULT_TARGET
) -> BatchShare:
    """The share of rated plans that show effective co-production.

    ``results`` are audits (or their ``effective_coproduction`` flags); a
    plan that was not rated (no scoring policy, or it could not be audited:
    ``None``) is counted in ``plans`` but not in the share.
    """
    plans = rated = effective = 0
    for result in results:
        plans += 1
        flag = result.effective_coproduction if isinstance(result, PlanAudit) else result
        if flag is None:
            continue
        rated += 1
        effective += int(bool(flag))
    return BatchShare(plans=plans, rated=rated, effective=effective, target=target)
