"""Agreement between the tool and human auditors' label files.

A local authority runs ``ehcp-audit eval DIR`` over plans its own officers
audited by hand, to see how far the tool agrees with them before relying on
it. Every figure is computed as ``shared/label-schema.md`` defines it:

- sections: a labelled section is found when the tool's section of that code
  contains the labelled opening words; a section labelled absent that the
  tool returns is a false section;
- sentences: a labelled sentence is matched by a cue of the same kind when
  their longest common substring (case and white space folded) is at least
  half as long as the shorter of the two;
- voice traps: the share of ``voice_traps`` sentences matched by any
  ``child_voice`` or ``parent_voice`` cue;
- agencies: per category, whether the tool finds input from that category;
- ratings (calibration): where labels carry ``principles``, ``overall`` and
  ``effective``, exact agreement and agreement within one step per
  principle, quadratic-weighted Cohen's kappa over all principle ratings, a
  confusion matrix per principle, and agreement on overall and effective.

Plans that cannot be audited are reported, not fatal: ``plans_audited`` is
the share that could be (a real plan refused as ``not_an_ehcp`` is the worst
outcome the tool has, so it is a figure a bar can hold, not a footnote).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from attrs import field, frozen

from ._errors import InputError
from ._labels import LabelledPlan, compare_sections, find_labelled_plans, fold
from ._model import Cue, PlanAudit

SENTENCE_KINDS: tuple[str, ...] = (
    "child_voice",
    "parent_voice",
    "vague_provision",
    "quantified_provision",
)
VOICE_KINDS = frozenset({"child_voice", "parent_voice"})
AGENCY_CATEGORIES: tuple[str, ...] = ("education", "health", "social_care", "voluntary_community")

#: Principle ratings in order, so "within one step" and kappa's weights can be computed.
RATINGS: tuple[str, ...] = ("room_for_improvement", "good", "excellent")

#: Figures where lower is better; ``--max`` applies to these, ``--min`` to the rest.
LOWER_IS_BETTER = frozenset({"voice_trap_fp_rate", "false_sections"})


def sentences_match(a: str, b: str) -> bool:
    """The label schema's rule: longest common substring >= half the shorter text."""
    x, y = fold(a), fold(b)
    if not x or not y:
        return False
    longest = (
        SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y)).size
    )
    return longest * 2 >= min(len(x), len(y))


@frozen
class Ratio:
    """A count-based figure that keeps its numerator and denominator, for explaining it."""

    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.hits + other.hits, self.total + other.total)


@frozen
class PlanEvaluation:
    """What one plan file contributed to the figures."""

    path: Path
    error: str | None = None
    figures: dict[str, Ratio] = field(factory=dict)
    misses: dict[str, list[str]] = field(factory=dict)
    #: (principle, labelled rating, tool's rating or None) for calibration.
    ratings: tuple[tuple[int, str, str | None], ...] = ()


def _cue_texts(cues: Iterable[Cue], kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return [c.text for c in cues if c.kind in wanted]


def _recall_precision(
    labelled: Sequence[str], found: Sequence[str]
) -> tuple[Ratio, Ratio, list[str]]:
    matched = [any(sentences_match(s, c) for c in found) for s in labelled]
    useful = sum(1 for c in found if any(sentences_match(s, c) for s in labelled))
    missed = [s for s, ok in zip(labelled, matched, strict=True) if not ok]
    return Ratio(sum(matched), len(labelled)), Ratio(useful, len(found)), missed


def evaluate_plan(result: PlanAudit, labels: dict[str, Any], path: Path) -> PlanEvaluation:
    figures: dict[str, Ratio] = {"plans_audited": Ratio(1, 1)}
    misses: dict[str, list[str]] = {}
    if "sections_present" in labels or "sections_absent" in labels:
        sections = compare_sections(result, labels)
        figures["section_recall"] = Ratio(
            len(sections.found), len(sections.found) + len(sections.not_found)
        )
        figures["false_sections"] = Ratio(
            len(sections.false_positives), len(labels.get("sections_absent", []))
        )
        misses["sections"] = list(sections.not_found) + [
            f"{c} (absent)" for c in sections.false_positives
        ]
    for kind in SENTENCE_KINDS:
        if kind not in labels:
            continue
        recall, precision, missed = _recall_precision(labels[kind], _cue_texts(result.cues, [kind]))
        figures[f"{kind}_recall"] = recall
        figures[f"{kind}_precision"] = precision
        misses[kind] = missed
    if "voice_traps" in labels:
        voice = _cue_texts(result.cues, VOICE_KINDS)
        caught = [t for t in labels["voice_traps"] if any(sentences_match(t, c) for c in voice)]
        figures["voice_trap_fp_rate"] = Ratio(len(caught), len(labels["voice_traps"]))
        misses["voice_traps_taken_for_voice"] = caught
    if "agencies_contributing" in labels:
        found = {c.category for c in result.cues if c.kind == "agency"}
        for category in AGENCY_CATEGORIES:
            labelled = bool(labels["agencies_contributing"].get(category))
            if labelled:
                figures[f"agency_recall.{category}"] = Ratio(int(category in found), 1)
            figures[f"agency_precision.{category}"] = (
                Ratio(int(labelled), 1) if category in found else Ratio(0, 0)
            )
        figures["agency_recall"] = sum(
            (figures.get(f"agency_recall.{c}", Ratio()) for c in AGENCY_CATEGORIES), Ratio()
        )
    pairs = _calibrate(result, labels, figures, misses)
    return PlanEvaluation(path=path, figures=figures, misses=misses, ratings=pairs)


def _step(rating: str | None) -> int | None:
    return RATINGS.index(rating) if rating in RATINGS else None


def _calibrate(
    result: PlanAudit,
    labels: dict[str, Any],
    figures: dict[str, Ratio],
    misses: dict[str, list[str]],
) -> tuple[tuple[int, str, str | None], ...]:
    """Add the rating agreement figures; return the (principle, label, tool) pairs.

    A plan the tool did not rate (no scoring policy) disagrees with every label.
    """
    pairs: list[tuple[int, str, str | None]] = []
    tool = {p.number: p.rating.value for p in result.principles}
    # Agreement split by the tool's own confidence shows whether "low" really
    # marks the ratings a QA officer should check by hand.
    sure = {p.number: p.confidence.level.value for p in result.principles if p.confidence}
    disagreements: list[str] = []
    for key, labelled in sorted((labels.get("principles") or {}).items()):
        number = int(key)
        mine = tool.get(number)
        pairs.append((number, labelled, mine))
        a, b = _step(labelled), _step(mine)
        exact = Ratio(int(labelled == mine), 1)
        near = Ratio(int(a is not None and b is not None and abs(a - b) <= 1), 1)
        figures[f"principle_exact.{number}"] = exact
        figures[f"principle_within_one.{number}"] = near
        figures["principle_exact"] = figures.get("principle_exact", Ratio()) + exact
        figures["principle_within_one"] = figures.get("principle_within_one", Ratio()) + near
        level = sure.get(number)
        if level is not None:
            by_level = f"principle_exact.confidence_{level}"
            figures[by_level] = figures.get(by_level, Ratio()) + exact
        if labelled != mine:
            shown = mine or "not rated"
            said = f" (confidence {level})" if level else ""
            disagreements.append(f"principle {number}: labelled {labelled}, tool {shown}{said}")
    if "overall" in labels:
        overall = result.overall.value if result.overall is not None else None
        figures["overall_agreement"] = Ratio(int(overall == labels["overall"]), 1)
        if overall != labels["overall"]:
            shown = overall or "not rated"
            disagreements.append(f"overall: labelled {labels['overall']}, tool {shown}")
    if "effective" in labels:
        effective = result.effective_coproduction
        figures["effective_agreement"] = Ratio(int(effective is labels["effective"]), 1)
        if effective is not labels["effective"]:
            disagreements.append(f"effective: labelled {labels['effective']}, tool {effective}")
    if pairs or "overall" in labels or "effective" in labels:
        misses["ratings"] = disagreements
    return tuple(pairs)


def quadratic_weighted_kappa(
    pairs: Sequence[tuple[int, int]], categories: int = len(RATINGS)
) -> float | None:
    """Cohen's kappa with quadratic weights over (rater A, rater B) category indices.

    ``1 - sum(w * observed) / sum(w * expected)`` with ``w[i][j] = (i - j)^2 / (k - 1)^2``
    and the expected counts from the two raters' marginals. None when there are
    no pairs or both raters used a single, shared category (kappa is undefined).
    """
    if not pairs:
        return None
    n = len(pairs)
    observed = [[0] * categories for _ in range(categories)]
    for a, b in pairs:
        observed[a][b] += 1
    rows = [sum(observed[i]) for i in range(categories)]
    cols = [sum(observed[i][j] for i in range(categories)) for j in range(categories)]
    scale = (categories - 1) ** 2
    disagreement = expected = 0.0
    for i in range(categories):
        for j in range(categories):
            weight = (i - j) ** 2 / scale
            disagreement += weight * observed[i][j]
            expected += weight * rows[i] * cols[j] / n
    if expected == 0:
        return None
    return 1 - disagreement / expected


def confusion_matrix(pairs: Iterable[tuple[str, str | None]]) -> list[list[int]]:
    """Counts with rows = labelled rating and columns = the tool's, in :data:`RATINGS` order."""
    matrix = [[0] * len(RATINGS) for _ in RATINGS]
    for labelled, mine in pairs:
        a, b = _step(labelled), _step(mine)
        if a is not None and b is not None:
            matrix[a][b] += 1
    return matrix


@frozen
class Evaluation:
    plans: tuple[PlanEvaluation, ...]

    @property
    def totals(self) -> dict[str, Ratio]:
        sums: dict[str, Ratio] = defaultdict(Ratio)
        for plan in self.plans:
            for name, ratio in plan.figures.items():
                sums[name] = sums[name] + ratio
        return dict(sorted(sums.items()))

    @property
    def rating_pairs(self) -> list[tuple[int, str, str | None]]:
        return [pair for plan in self.plans for pair in plan.ratings]

    @property
    def kappa(self) -> float | None:
        """Quadratic-weighted kappa over every principle rating the tool gave."""
        steps = [(_step(a), _step(b)) for _, a, b in self.rating_pairs]
        return quadratic_weighted_kappa(
            [(a, b) for a, b in steps if a is not None and b is not None]
        )

    def confusion(self, principle: int) -> list[list[int]]:
        return confusion_matrix((a, b) for n, a, b in self.rating_pairs if n == principle)

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a figure this evaluation computed (for --min/--max typos)."""
        return name == "kappa" or name in self.totals

    def figure(self, name: str) -> float | None:
        if name == "kappa":
            return self.kappa
        ratio = self.totals.get(name)
        if ratio is None:
            return None
        if name == "false_sections":
            return float(ratio.hits)
        return ratio.value

    def shortfalls(self, minimums: dict[str, float], maximums: dict[str, float]) -> list[str]:
        """Plain sentences naming each figure outside its bound."""
        return bound_problems(self.figure, minimums, maximums)


def bound_problems(
    figure: Callable[[str], float | None],
    minimums: Mapping[str, float],
    maximums: Mapping[str, float],
    minimum_name: str = "the minimum",
) -> list[str]:
    """Plain sentences naming each figure outside its bound (a missing figure is outside)."""
    problems = []
    for name, bound in minimums.items():
        value = figure(name)
        if value is None or value < bound:
            problems.append(f"{name} = {show(value)} is below {minimum_name} {bound:g}")
    for name, bound in maximums.items():
        value = figure(name)
        if value is None or value > bound:
            problems.append(f"{name} = {show(value)} is above the maximum {bound:g}")
    return problems


def show(value: float | None) -> str:
    """A figure as printed: three decimals, or ``n/a`` when it has no denominator."""
    return "n/a" if value is None else f"{value:.3f}"


def evaluate_folder(folder: Path, audit_fn: Callable[[Path], PlanAudit]) -> Evaluation:
    """Audit every labelled plan in ``folder`` and compare it with its labels."""
    plans: list[PlanEvaluation] = []
    for labelled in find_labelled_plans(folder):
        plans.append(_evaluate_one(labelled, audit_fn))
    return Evaluation(tuple(plans))


def _evaluate_one(labelled: LabelledPlan, audit_fn: Callable[[Path], PlanAudit]) -> PlanEvaluation:
    try:
        result = audit_fn(labelled.plan_path)
    except InputError as error:
        return PlanEvaluation(
            path=labelled.plan_path,
            error=f"{error.code}: {error.message}",
            figures={"plans_audited": Ratio(0, 1)},
        )
    return evaluate_plan(result, labelled.labels, labelled.plan_path)


def calibration_dict(evaluation: Evaluation) -> dict[str, Any] | None:
    """Kappa and the confusion matrices, when labels carried principle ratings."""
    pairs = evaluation.rating_pairs
    if not pairs:
        return None
    principles = sorted({n for n, _, _ in pairs})
    return {
        "kappa": evaluation.kappa,
        "pairs": sum(1 for _, _, b in pairs if b is not None),
        "unrated": sum(1 for _, _, b in pairs if b is None),
        "ratings": list(RATINGS),
        "confusion": {str(n): evaluation.confusion(n) for n in principles},
    }


def to_dict(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "calibration": calibration_dict(evaluation),
        "figures": {
            name: {"value": evaluation.figure(name), "hits": r.hits, "total": r.total}
            for name, r in evaluation.totals.items()
        },
        "refused": [str(p.path) for p in evaluation.plans if p.error],
        "plans": [
            {
                "path": str(p.path),
                "error": p.error,
                "figures": {n: {"hits": r.hits, "total": r.total} for n, r in p.figures.items()},
                "misses": p.misses,
            }
            for p in evaluation.plans
        ],
    }


def render_text(evaluation: Evaluation, verbose: bool = False) -> str:
    refused = [plan for plan in evaluation.plans if plan.error]
    lines = [
        f"{len(evaluation.plans)} labelled plan file(s): "
        f"{len(evaluation.plans) - len(refused)} audited, {len(refused)} refused"
    ]
    for plan in refused:
        lines.append(f"  could not audit {plan.path.name}: {plan.error}")
    lines.append("")
    lines.append(f"{'figure':<36} {'value':>7}  (hits/total)")
    for name, ratio in evaluation.totals.items():
        lines.append(f"{name:<36} {show(evaluation.figure(name)):>7}  ({ratio.hits}/{ratio.total})")
    lines += _calibration_lines(evaluation)
    if verbose:
        for plan in evaluation.plans:
            missed = {k: v for k, v in plan.misses.items() if v}
            if missed:
                lines.append("")
                lines.append(f"{plan.path.name}:")
                for kind, items in missed.items():
                    for item in items:
                        lines.append(f"  {kind}: {item}")
    return "\n".join(lines) + "\n"


def _calibration_lines(evaluation: Evaluation) -> list[str]:
    calibration = calibration_dict(evaluation)
    if calibration is None:
        return []
    kappa = show(calibration["kappa"])
    lines = ["", f"{'kappa (quadratic-weighted)':<36} {kappa:>7}  ({calibration['pairs']} ratings)"]
    if calibration["unrated"]:
        lines.append(f"  {calibration['unrated']} labelled rating(s) the tool did not give")
    short = {"room_for_improvement": "rfi", "good": "good", "excellent": "exc"}
    lines.append("")
    lines.append("Confusion per principle (rows: labels; columns: tool; rfi / good / exc):")
    for number, matrix in calibration["confusion"].items():
        lines.append(f"  principle {number}")
        for name, row in zip(RATINGS, matrix, strict=True):
            lines.append(f"    {short[name]:<5}" + "".join(f"{count:>6}" for count in row))
    return lines
