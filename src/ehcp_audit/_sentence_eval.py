"""Run fresh-sentence sets through the real pipeline and measure each set.

Each case is placed in a small synthetic Markdown plan of its own: personal
details naming the child (and parents), so the tool learns who speaks; every
section A-K with a neutral filler, so the plan is an EHCP; and in the case's
section its optional sub-heading, its ``before`` context and then the case
text, last. The plan goes through the same reading, sectioning and cue
finding as any plan (``analyse``), with the pipeline built once per process.

One plan per case, never several cases in one plan: the tool remembers
names and acronyms across a plan, so a case placed after another could be
judged on its neighbour's context. At about 2 ms a plan this costs little.

A case is *covered* when a cue of the set's kind sits in one of the case's
own blocks (the blocks at the end of its section whose text is part of the
case text) and carries the case's ``attributes``. Locating the case by its
blocks rather than by text similarity keeps short cues (an acronym, a
one-word answer) from matching an unrelated sentence that happens to share
a few letters, and keeps a cue on the ``before`` context from counting.
Recall is covered positives / positives; precision is covered positives /
all covered cases (a covered negative is a false positive). A case whose
plan cannot be audited counts as wrong either way, with the error shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from ._errors import InputError
from ._evaluation import Ratio, bound_problems, show
from ._model import Cue, Document, PlanAudit
from ._sentence_sets import PlanDefaults, SentenceCase, SentenceSet
from .checks._selftest import FILLER, HEADINGS
from .nlp._kinds import CUE_FIELDS

DETAILS_HEADING = "Personal details"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def synthetic_plan(case: SentenceCase, plan: PlanDefaults) -> str:
    """The Markdown plan a case is audited in (see the module docstring)."""
    details = [f"- **Name:** {plan.name}"]
    if plan.preferred_name:
        details.append(f"- **Preferred name:** {plan.preferred_name}")
    details.append(f"- **Age:** {plan.age}")
    details += [f"- **Parent/carer:** {parent}" for parent in plan.parents]
    parts = ["# Education, Health and Care Plan", f"## {DETAILS_HEADING}", "\n".join(details)]
    if case.section == "front":
        parts += _case_parts(case)
    for code, heading in HEADINGS:
        parts.append(f"## {heading}")
        parts += _case_parts(case) if code == case.section else [FILLER]
    return "\n\n".join(parts) + "\n"


def _case_parts(case: SentenceCase) -> list[str]:
    parts = [f"### {case.heading}"] if case.heading else []
    return parts + [p for p in (case.before, case.text) if p]


def _letters(text: str) -> str:
    """Letters and digits only, case-folded: Markdown marks and table pipes drop out."""
    return _NOT_ALNUM.sub("", text.casefold())


def case_blocks(document: Document, case: SentenceCase) -> frozenset[int]:
    """Indices of the blocks holding the case text: the last ones before the next heading."""
    own = DETAILS_HEADING if case.section == "front" else dict(HEADINGS)[case.section]
    headings = [DETAILS_HEADING, *(h for _, h in HEADINGS)]
    following = headings[headings.index(own) + 1 :]
    texts = [b.text.strip() for b in document.blocks]
    start = texts.index(own) if own in texts else -1
    end = next((i for i in range(start + 1, len(texts)) if texts[i] in following), len(texts))
    wanted = _letters(case.text)
    found: set[int] = set()
    for index in range(end - 1, start, -1):
        letters = _letters(texts[index])
        if not letters:
            continue
        if letters not in wanted:
            break
        found.add(document.blocks[index].index)
    return frozenset(found)


def _has(cue: Cue, name: str, expected: Any) -> bool:
    actual = getattr(cue, name) if name in CUE_FIELDS else cue.attributes.get(name)
    if actual == expected:
        return True
    if not isinstance(actual, list | tuple | frozenset | set):
        return False
    return not isinstance(expected, list) and expected in actual


@frozen
class CaseResult:
    """What the tool made of one case."""

    case: SentenceCase
    covered: bool
    #: Cues of the set's kind in the case's blocks (whether or not their attributes fit).
    cues: tuple[Cue, ...] = ()
    error: str | None = None

    @property
    def correct(self) -> bool:
        return self.error is None and self.covered is self.case.expect

    def describe(self) -> str:
        """One line for a wrong case: its text, its pattern, and what the tool did."""
        line = f"[{self.case.pattern}] (case {self.case.number}) {self.case.text}"
        if self.error:
            return f"{line}  -- could not audit: {self.error}"
        if not self.case.expect and self.cues:
            return f"{line}  -- rule {self.cues[0].rule}"
        if self.case.expect and self.cues:
            found = ", ".join(f"{k}={v!r}" for k, v in self.cues[0].attributes.items())
            return f"{line}  -- found, but with {found}"
        return line


def run_case(
    sentence_set: SentenceSet,
    case: SentenceCase,
    *,
    model: str | None = None,
    extra_variants: Mapping[str, Sequence[str]] | None = None,
) -> CaseResult:
    from ._audit import analyse

    source = synthetic_plan(case, sentence_set.plan).encode("utf-8")
    try:
        plan: PlanAudit = analyse(source, model=model, extra_variants=extra_variants)
    except InputError as error:
        return CaseResult(case, covered=False, error=f"{error.code}: {error.message}")
    blocks = case_blocks(plan.document, case)
    if not blocks:
        return CaseResult(case, covered=False, error="the case text was not found in the plan")
    cues = tuple(c for c in plan.cues if c.kind == sentence_set.kind and c.location.block in blocks)
    covered = any(all(_has(c, k, v) for k, v in case.attributes.items()) for c in cues)
    return CaseResult(case, covered=covered, cues=cues)


@frozen
class SetResult:
    """One set's cases, and its recall and precision."""

    sentence_set: SentenceSet
    results: tuple[CaseResult, ...]

    @property
    def misses(self) -> list[CaseResult]:
        return [r for r in self.results if r.case.expect and not r.correct]

    @property
    def false_positives(self) -> list[CaseResult]:
        return [r for r in self.results if not r.case.expect and not r.correct]

    @property
    def recall(self) -> Ratio:
        positives = [r for r in self.results if r.case.expect]
        return Ratio(sum(r.correct for r in positives), len(positives))

    @property
    def precision(self) -> Ratio:
        hits = self.recall.hits
        return Ratio(hits, hits + len(self.false_positives))

    def below_bars(self) -> list[str]:
        """The set's own ``min_recall``/``min_precision`` it falls short of, in words."""
        bars = {
            f"{self.sentence_set.name}.recall": self.sentence_set.min_recall,
            f"{self.sentence_set.name}.precision": self.sentence_set.min_precision,
        }
        return bound_problems(self.figure, bars, {}, "the set's minimum")

    def figure(self, name: str) -> float | None:
        prefix = f"{self.sentence_set.name}."
        metric = name.removeprefix(prefix)
        if not name.startswith(prefix) or metric not in ("recall", "precision"):
            return None
        ratio = self.recall if metric == "recall" else self.precision
        return ratio.value


@frozen
class SentenceEvaluation:
    """Every set's results, with figures named ``SET.recall`` and ``SET.precision``."""

    sets: tuple[SetResult, ...]

    def knows(self, name: str) -> bool:
        return any(name in _figure_names(s) for s in self.sets)

    def figure(self, name: str) -> float | None:
        for result in self.sets:
            if name in _figure_names(result):
                return result.figure(name)
        return None

    def shortfalls(self, minimums: dict[str, float], maximums: dict[str, float]) -> list[str]:
        return bound_problems(self.figure, minimums, maximums)

    def below_bars(self) -> list[str]:
        return [problem for result in self.sets for problem in result.below_bars()]


def _figure_names(result: SetResult) -> tuple[str, str]:
    name = result.sentence_set.name
    return f"{name}.recall", f"{name}.precision"


def evaluate_sets(
    sets: Sequence[SentenceSet],
    *,
    model: str | None = None,
    extra_variants: Mapping[str, Sequence[str]] | None = None,
) -> SentenceEvaluation:
    """Run every case of every set; one synthetic plan per case."""
    return SentenceEvaluation(
        tuple(
            SetResult(
                s,
                tuple(
                    run_case(s, case, model=model, extra_variants=extra_variants)
                    for case in s.cases
                ),
            )
            for s in sets
        )
    )


def _ratio_dict(ratio: Ratio) -> dict[str, Any]:
    return {"value": ratio.value, "hits": ratio.hits, "total": ratio.total}


def _case_dict(result: CaseResult) -> dict[str, Any]:
    return {
        "case": result.case.number,
        "text": result.case.text,
        "pattern": result.case.pattern,
        "section": result.case.section,
        "expect": result.case.expect,
        "rules": [c.rule for c in result.cues],
        "error": result.error,
    }


def to_dict(evaluation: SentenceEvaluation) -> list[dict[str, Any]]:
    return [
        {
            "name": r.sentence_set.name,
            "path": str(r.sentence_set.path),
            "kind": r.sentence_set.kind,
            "cases": len(r.results),
            "recall": _ratio_dict(r.recall),
            "precision": _ratio_dict(r.precision),
            "min_recall": r.sentence_set.min_recall,
            "min_precision": r.sentence_set.min_precision,
            "misses": [_case_dict(c) for c in r.misses],
            "false_positives": [_case_dict(c) for c in r.false_positives],
        }
        for r in evaluation.sets
    ]


def _shown(ratio: Ratio) -> str:
    return f"{show(ratio.value)} ({ratio.hits}/{ratio.total})"


def render_text(evaluation: SentenceEvaluation, verbose: bool = False) -> str:
    cases = sum(len(r.results) for r in evaluation.sets)
    lines = [f"{len(evaluation.sets)} sentence set(s), {cases} case(s)", ""]
    lines.append(f"{'set':<28} {'kind':<22} {'cases':>5}  {'recall':<15}  precision")
    for r in evaluation.sets:
        lines.append(
            f"{r.sentence_set.name:<28} {r.sentence_set.kind:<22} {len(r.results):>5}  "
            f"{_shown(r.recall):<15}  {_shown(r.precision)}"
        )
    if verbose:
        for r in evaluation.sets:
            wrong = [("missed", c) for c in r.misses] + [
                ("false positive", c) for c in r.false_positives
            ]
            if wrong:
                lines += ["", f"{r.sentence_set.name} ({r.sentence_set.path}):"]
                lines += [f"  {label}: {c.describe()}" for label, c in wrong]
    return "\n".join(lines) + "\n"
