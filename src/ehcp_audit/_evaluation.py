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
- agencies: per category, whether the tool finds input from that category.

Plans that cannot be audited are reported, not fatal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from attrs import field, frozen

from ._errors import InputError
from ._labels import LabelledPlan, compare_sections, find_labelled_plans, fold
from ._model import Cue, PlanAudit

SENTENCE_KINDS: tuple[str, ...] = ("child_voice", "parent_voice", "vague_provision", "quantified_provision")
VOICE_KINDS = frozenset({"child_voice", "parent_voice"})
AGENCY_CATEGORIES: tuple[str, ...] = ("education", "health", "social_care", "voluntary_community")

#: Figures where lower is better; ``--max`` applies to these, ``--min`` to the rest.
LOWER_IS_BETTER = frozenset({"voice_trap_fp_rate", "false_sections"})


def sentences_match(a: str, b: str) -> bool:
    """The label schema's rule: longest common substring >= half the shorter text."""
    x, y = fold(a), fold(b)
    if not x or not y:
        return False
    longest = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y)).size
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


def _cue_texts(cues: Iterable[Cue], kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return [c.text for c in cues if c.kind in wanted]


def _recall_precision(labelled: Sequence[str], found: Sequence[str]) -> tuple[Ratio, Ratio, list[str]]:
    matched = [any(sentences_match(s, c) for c in found) for s in labelled]
    useful = sum(1 for c in found if any(sentences_match(s, c) for s in labelled))
    missed = [s for s, ok in zip(labelled, matched, strict=True) if not ok]
    return Ratio(sum(matched), len(labelled)), Ratio(useful, len(found)), missed


def evaluate_plan(result: PlanAudit, labels: dict[str, Any], path: Path) -> PlanEvaluation:
    figures: dict[str, Ratio] = {}
    misses: dict[str, list[str]] = {}
    if "sections_present" in labels or "sections_absent" in labels:
        sections = compare_sections(result, labels)
        figures["section_recall"] = Ratio(len(sections.found), len(sections.found) + len(sections.not_found))
        figures["false_sections"] = Ratio(len(sections.false_positives), len(labels.get("sections_absent", [])))
        misses["sections"] = list(sections.not_found) + [f"{c} (absent)" for c in sections.false_positives]
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
    return PlanEvaluation(path=path, figures=figures, misses=misses)


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

    def figure(self, name: str) -> float | None:
        ratio = self.totals.get(name)
        if ratio is None:
            return None
        if name == "false_sections":
            return float(ratio.hits)
        return ratio.value

    def shortfalls(self, minimums: dict[str, float], maximums: dict[str, float]) -> list[str]:
        """Plain sentences naming each figure outside its bound."""
        problems = []
        for name, bound in minimums.items():
            value = self.figure(name)
            if value is None or value < bound:
                problems.append(f"{name} = {_show(value)} is below the minimum {bound:g}")
        for name, bound in maximums.items():
            value = self.figure(name)
            if value is None or value > bound:
                problems.append(f"{name} = {_show(value)} is above the maximum {bound:g}")
        return problems


def _show(value: float | None) -> str:
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
        return PlanEvaluation(path=labelled.plan_path, error=f"{error.code}: {error.message}")
    return evaluate_plan(result, labelled.labels, labelled.plan_path)


def to_dict(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "figures": {
            name: {"value": evaluation.figure(name), "hits": r.hits, "total": r.total}
            for name, r in evaluation.totals.items()
        },
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
    lines = [f"{len(evaluation.plans)} labelled plan file(s)"]
    for plan in evaluation.plans:
        if plan.error:
            lines.append(f"  could not audit {plan.path.name}: {plan.error}")
    lines.append("")
    lines.append(f"{'figure':<36} {'value':>7}  (hits/total)")
    for name, ratio in evaluation.totals.items():
        lines.append(f"{name:<36} {_show(evaluation.figure(name)):>7}  ({ratio.hits}/{ratio.total})")
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
