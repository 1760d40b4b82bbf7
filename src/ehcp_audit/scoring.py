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

A council's own rule (from a configuration's ``rule_dirs``) takes part
without replacing the scoring file: when the file does not name it, its
``principles = [N]`` make it a :class:`Hold` on principle N. While such a
rule fails at level error or warning, principle N is rated at most its
``principles_level`` (default: ``good`` for a warning, so the principle
cannot be excellent; ``room_for_improvement`` for an error), and the
principle's reasons and confidence say which rule holds it back.

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

from attrs import evolve, frozen

from ._model import (
    Confidence,
    ConfidenceLevel,
    Evidence,
    Finding,
    Level,
    Overall,
    PlanAudit,
    PrincipleRating,
    Rating,
)
from ._toml import Table, read_toml

__all__ = [
    "Assessment",
    "BatchShare",
    "Descriptor",
    "DescriptorCheck",
    "Hold",
    "LevelCheck",
    "PrincipleSpec",
    "Ratings",
    "Requirement",
    "RuleState",
    "Scoring",
    "assess",
    "batch_share",
    "describe_confidence",
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
class Descriptor:
    """One rubric descriptor: it holds when at least ``n`` of the rules in ``of`` pass.

    The rules listed together are independent kinds of evidence for the same
    thing ("the family took part in planning": attendance recorded, or their
    dated comments on the draft, or their request changing the plan), so a
    single missed cue does not decide a rating on its own, while the level
    still needs every descriptor the rubric's cell names.
    """

    says: str
    of: tuple[str, ...]
    n: int = 1

    def describe(self) -> str:
        if len(self.of) == 1:
            return self.of[0]
        if self.n == 1:
            return "any of " + ", ".join(self.of)
        if self.n == len(self.of):
            return "all of " + ", ".join(self.of)
        return f"at least {self.n} of " + ", ".join(self.of)


@frozen
class Requirement:
    """What one level needs: every descriptor must hold."""

    descriptors: tuple[Descriptor, ...] = ()

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for d in self.descriptors for r in d.of))

    def describe(self) -> str:
        return "; ".join(
            d.describe() if d.says == d.describe() else f"{d.says} ({d.describe()})"
            for d in self.descriptors
        )


@frozen
class Hold:
    """A rule outside the scoring file that holds one principle back while it fails.

    A council's own rule says which principles it bears on (``principles =
    [N]``); while it does not pass, principle N is rated at most ``ceiling``
    (its ``principles_level``; by default good for a warning, room for
    improvement for an error), whatever the rubric's descriptors reach. The
    scoring file is not replaced: the hold is laid over it.
    """

    rule: str
    principle: int
    ceiling: Rating
    level: Level = Level.WARNING

    def describe(self) -> str:
        return f"{self.rule} passes (while it fails, the rating is at most {_words(self.ceiling)})"


@frozen
class PrincipleSpec:
    number: int
    name: str
    good: Requirement
    excellent: Requirement
    #: Rules outside the scoring file that cap this principle while they fail.
    holds: tuple[Hold, ...] = ()


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

    def with_holds(self, holds: Iterable[Hold]) -> Scoring:
        """This policy with ``holds`` laid over the principles they name."""
        wanted = tuple(holds)
        return evolve(
            self,
            principles=tuple(
                evolve(p, holds=p.holds + tuple(h for h in wanted if h.principle == p.number))
                for p in self.principles
            ),
        )

    @property
    def rule_ids(self) -> tuple[str, ...]:
        ids: list[str] = []
        for p in self.principles:
            ids += p.good.rule_ids + p.excellent.rule_ids
        return tuple(dict.fromkeys(ids))


# -- loading ---------------------------------------------------------------------------


def load_scoring(path: Path, known_rules: Collection[str] | None = None) -> Scoring:
    """Read a scoring file strictly; rule ids are checked against ``known_rules`` when given."""
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


def _bands(overall: Table) -> tuple[Band, ...]:
    raw = overall.raw("bands")
    if not isinstance(raw, list) or not raw or not all(isinstance(b, dict) for b in raw):
        overall.fail(
            "bands",
            'expected a list of tables { min = 6, max = 10, rating = "requires_improvement" }',
        )
    bands = []
    for index, item in enumerate(raw):
        entry = Table(item, overall.where, f"{overall.key('bands')}[{index}].")
        low = entry.integer("min", required=True)
        high = entry.integer("max", required=True)
        rating = entry.choice("rating", [o.value for o in Overall], required=True)
        entry.done()
        assert low is not None and high is not None
        if low > high:
            entry.fail("min", f"is greater than max ({low} > {high})")
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


def _principles(table: Table, known_rules: Collection[str] | None) -> tuple[PrincipleSpec, ...]:
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


def _requirement(sub: Table, name: str, known_rules: Collection[str] | None) -> Requirement:
    """A level's requirement: ``descriptors``, and/or the older ``all`` and ``at_least`` keys.

    ``all = [A, B]`` is shorthand for two descriptors of one rule each, and
    ``at_least = { n, of }`` for one descriptor; ``descriptors`` says what
    each descriptor is in the rubric's words and which rules evidence it.
    """
    req = sub.table(name, required=True)
    req.done(("all", "at_least", "descriptors"))
    keyed = [("all", Descriptor(rule, (rule,))) for rule in req.strings("all")]
    inner = req.table("at_least")
    if inner is not None:
        keyed.append(("at_least.of", _counted(inner, "at least {n} of the rules listed")))
    raw = req.raw("descriptors") if req.has("descriptors") else []
    if not isinstance(raw, list) or not all(isinstance(d, dict) for d in raw):
        req.fail("descriptors", 'expected a list of { says = "...", any = [...] } tables')
    for index, item in enumerate(raw):
        key = f"descriptors[{index}]"
        table = Table(item, req.where, f"{req.key(key)}.")
        table.done(("says", "any", "at_least"))
        says = table.string("says", required=True, nonempty=True)
        nested = table.table("at_least")
        if table.has("any") == (nested is not None):
            table.fail("any", "give exactly one of 'any = [...]' and 'at_least = { n, of }'")
        if nested is not None:
            keyed.append((f"{key}.at_least.of", _counted(nested, says)))
        else:
            rules = table.strings("any", required=True, nonempty=True)
            keyed.append((f"{key}.any", Descriptor(says, rules)))
    if not keyed:
        req.fail(
            "descriptors",
            "say which rules must pass: 'descriptors = [{ says = \"...\", any = [...] }]', "
            "'all = [...]' or 'at_least = { n = 1, of = [...] }'",
        )
    if known_rules is not None:
        for key, descriptor in keyed:
            for rule_id in descriptor.of:
                if rule_id not in known_rules:
                    req.fail(key, f"no rule {rule_id!r} is loaded (rule ids are pack.Rule)")
    return Requirement(tuple(descriptor for _, descriptor in keyed))


def _counted(inner: Table, says: str) -> Descriptor:
    inner.done(("n", "of"))
    of = inner.strings("of", required=True, nonempty=True)
    n = inner.integer("n", required=True, minimum=1) or 1
    if n > len(of):
        inner.fail("n", f"asks for {n} of a list of {len(of)}")
    return Descriptor(says.format(n=n), of, n)


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
class DescriptorCheck:
    """Whether one descriptor holds on this plan, and on how much evidence."""

    descriptor: Descriptor
    states: tuple[RuleState, ...]

    @property
    def passing(self) -> int:
        return sum(1 for state in self.states if state.passed)

    @property
    def holds(self) -> bool:
        return self.passing >= self.descriptor.n

    @property
    def support(self) -> int:
        """Independent pieces of evidence behind it: quoted sentences over the passing rules.

        A rule that passed without quoting anything (it found nothing wrong,
        or did not apply) rests on no single sentence, so it counts as firm
        support (three, the level at which confidence is high).
        """
        quotes: set[tuple[Any, ...]] = set()
        firm = 0
        for state in self.states:
            if not state.passed:
                continue
            if state.finding is None or not state.finding.evidence:
                firm += 3
                continue
            quotes.update((e.text, e.section, e.location) for e in state.finding.evidence)
        return firm + len(quotes)


@frozen
class LevelCheck:
    """Whether one level's requirement holds, descriptor by descriptor."""

    rating: Rating
    requirement: Requirement
    descriptors: tuple[DescriptorCheck, ...]

    @property
    def holds(self) -> bool:
        return all(check.holds for check in self.descriptors)

    @property
    def states(self) -> tuple[RuleState, ...]:
        seen: dict[str, RuleState] = {}
        for check in self.descriptors:
            for state in check.states:
                seen.setdefault(state.rule, state)
        return tuple(seen.values())

    @property
    def failing(self) -> tuple[DescriptorCheck, ...]:
        return tuple(check for check in self.descriptors if not check.holds)


@frozen
class Assessment:
    """The reasoning behind one principle's rating.

    ``reached`` is what the rubric's descriptors reach; ``held_back`` says
    which failing rules (a council's own, with ``principles``) cap it, when
    any do, so the rating may be lower than ``reached``.
    """

    spec: PrincipleSpec
    levels: tuple[LevelCheck, ...]
    rating: PrincipleRating
    reached: Rating = Rating.ROOM_FOR_IMPROVEMENT
    held_back: tuple[str, ...] = ()


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
    checks = tuple(
        DescriptorCheck(d, tuple(_state(r, findings, not_run) for r in d.of))
        for d in requirement.descriptors
    )
    return LevelCheck(rating, requirement, checks)


def _reasons(levels: Sequence[LevelCheck]) -> tuple[str, ...]:
    reasons = []
    for level in levels:
        name = level.rating.value.replace("_", " ")
        verdict = "reached" if level.holds else "not reached"
        reasons.append(f"{name}: {verdict}; needs {level.requirement.describe()}")
        for check in level.descriptors:
            if len(check.states) > 1 or check.descriptor.says != check.descriptor.of[0]:
                held = "holds" if check.holds else "does not hold"
                reasons.append(
                    f"  {check.descriptor.says}: {held} "
                    f"({check.passing} of {len(check.states)} passed, {check.descriptor.n} needed)"
                )
            for state in check.states:
                reasons.append(f"    {state.describe()}")
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


def _confidence(
    rating: Rating,
    good: LevelCheck,
    excellent: LevelCheck,
    held: Sequence[Hold] = (),
) -> Confidence:
    """How firm the rating is: its weakest reached descriptor and the gap to the next level.

    A failing rule that holds the principle back (``held``) is one more
    check missing for each level above its ceiling.
    """
    reached = {
        Rating.ROOM_FOR_IMPROVEMENT: (),
        Rating.GOOD: good.descriptors,
        Rating.EXCELLENT: good.descriptors + excellent.descriptors,
    }[rating]
    weakest = min((check.support for check in reached), default=3)
    fragile = tuple(check.descriptor.says for check in reached if check.support <= 1)
    above = {Rating.ROOM_FOR_IMPROVEMENT: good, Rating.GOOD: excellent}.get(rating)
    next_level: Rating | None = None
    missing: tuple[str, ...] = ()
    if above is not None:
        next_level = above.rating
        missing = tuple(check.descriptor.says for check in above.failing)
        missing += tuple(h.describe() for h in held if SCORES[h.ceiling] < SCORES[next_level])
    short_by = len(missing)
    gap = short_by if next_level is not None else 3
    if weakest <= 1 or gap == 1:
        level = ConfidenceLevel.LOW
    elif weakest == 2 or gap == 2:
        level = ConfidenceLevel.MEDIUM
    else:
        level = ConfidenceLevel.HIGH
    return Confidence(level, fragile, next_level, short_by, missing)


def assess(
    spec: PrincipleSpec, findings: Mapping[str, Finding], not_run: Mapping[str, str]
) -> Assessment:
    """Rate one principle from the findings (by rule id) and the rules that did not run.

    The rubric's levels decide the rating; then a failing rule that holds
    this principle back (:class:`Hold`) caps it, and the reasons say so.
    """
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
    reached = rating
    held = _failing_holds(spec, findings)
    held_back: tuple[str, ...] = ()
    if held:
        rating, held_back = _hold_back(rating, held)
        reasons += held_back
    confidence = _confidence(rating, good, excellent, held)
    result = PrincipleRating(
        number=spec.number,
        name=spec.name,
        rating=rating,
        score=SCORES[rating],
        evidence=_evidence(levels),
        reasons=(
            f"rated {rating.value.replace('_', ' ')} (score {SCORES[rating]})",
            *reasons,
            describe_confidence(confidence),
        ),
        confidence=confidence,
    )
    return Assessment(spec, levels, result, reached, held_back)


def _failing_holds(spec: PrincipleSpec, findings: Mapping[str, Finding]) -> tuple[Hold, ...]:
    """The principle's holds whose rule ran on this plan and did not pass."""
    failing = []
    for hold in spec.holds:
        finding = findings.get(hold.rule)
        if finding is not None and not finding.passed:
            failing.append(hold)
    return tuple(failing)


def _hold_back(rating: Rating, held: Sequence[Hold]) -> tuple[Rating, tuple[str, ...]]:
    """The rating capped by the lowest ceiling among failing holds, and the reasons why."""
    lowest = min(held, key=lambda hold: SCORES[hold.ceiling])
    capped = lowest.ceiling if SCORES[lowest.ceiling] < SCORES[rating] else rating
    lines = [
        f"held back: {hold.rule} did not pass ({hold.level.value}); while it fails, "
        f"principle {hold.principle} is rated at most {_words(hold.ceiling)}"
        for hold in held
    ]
    if capped is not rating:
        lines.append(
            f"so rated {_words(capped)} (score {SCORES[capped]}), not the {_words(rating)} "
            "the rubric's descriptors reach"
        )
    return capped, tuple(lines)


def _words(rating: Rating) -> str:
    return rating.value.replace("_", " ")


def describe_confidence(confidence: Confidence) -> str:
    """The confidence in words, for reasons, ``explain`` and reports."""
    parts = [f"confidence {confidence.level.value}"]
    if confidence.fragile:
        parts.append("rests on a single sentence for: " + "; ".join(confidence.fragile))
    if confidence.next_level is not None and confidence.short_by:
        step = "one check" if confidence.short_by == 1 else f"{confidence.short_by} checks"
        parts.append(
            f"{step} short of {confidence.next_level.value.replace('_', ' ')}: "
            + "; ".join(confidence.missing)
        )
    return ", ".join(parts)


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
