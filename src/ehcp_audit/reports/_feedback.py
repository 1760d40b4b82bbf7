"""Which fixes become notes in the plan itself, where, and in what words.

Internal; shared by the Word comments (:mod:`.annotate_docx`) and the HTML
review page (:mod:`.review_html`), so both say the same thing in the same
places. What to fix comes from :func:`._fixes.plan_fixes`, as the text
report has it: findings merged (the same sentences, or one rubric
descriptor), plain words with no rule identifier or measurement, whole
sentences quoted, most important first, and a draft judged as a draft.
This module only decides where each fix is said:

- on each sentence the fix quotes; a sentence several fixes quote gets one
  note listing them, most important first, naming the fragment each
  pointed at ("Here: SALT");
- on the heading of the section it is about when it quotes nothing
  (something is missing); a fix about the whole plan, or about a section
  the plan lacks, goes into the summary;
- on a draft, what can only be done once the family has seen the plan
  goes into the summary as "to do after consultation", never on the text.

The summary gives the overall rating and each principle's, as the text
report judges them. Locations are the reader's (block index, character
range in the block's text); each output maps them to its own positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from attrs import frozen

from .._model import Block, Level, PlanAudit
from ._fixes import Fix, judged_ratings, plan_fixes
from ._plain import rating_words

if TYPE_CHECKING:
    from ..checks import Policy

#: The words a case worker sees for each level, most important first.
LEVEL_WORDS: Mapping[Level, str] = {
    Level.ERROR: "Must fix",
    Level.WARNING: "Should fix",
    Level.SUGGESTION: "Worth doing",
}
#: What a draft's after-consultation fix is called instead of its level.
LATER_WORDS = "To do after consultation"
#: Why those fixes do not count yet, said above them.
DRAFT_WORDS = (
    "This plan is a draft. These can only be done once the family has seen it, "
    "so they do not count against it yet."
)
#: Said with the ratings, wherever they are shown.
GUIDE_WORDS = "The ratings are a guide for your own review, not a decision."

#: Who the feedback is from, as Word shows it beside each comment.
AUTHOR = "ehcp-audit"
INITIALS = "EA"


@frozen
class Point:
    """One fix in plain words, as it reads in a note.

    ``here`` names what in the sentence the fix pointed at, when that is
    less than the sentence (an acronym, a vague phrase); ``missing`` says
    the fix quotes nothing: it is about what the section lacks. ``rules``
    keeps the merged rules' ids, for tools (never shown in the words).
    """

    level: Level
    message: str
    suggestions: tuple[str, ...]
    rules: tuple[str, ...]
    here: str = ""
    missing: bool = False
    later: bool = False

    @property
    def label(self) -> str:
        return LATER_WORDS if self.later else LEVEL_WORDS[self.level]

    @property
    def text(self) -> str:
        """The point as a short paragraph: level, what is wrong, where, what to do."""
        lines = [f"{self.label}: {self.message}"]
        if self.here:
            lines.append(f"Here: {self.here}")
        lines.extend(f"What to do: {s}" for s in self.suggestions)
        return "\n".join(lines)


@frozen
class Note:
    """Feedback on one place in the plan: a sentence, or a section heading.

    ``start``/``end`` are offsets into block ``block``'s text; ``quote`` is
    the text between them. Points about the words come first, then those
    about what the section lacks (a note on a heading).
    """

    section: str
    block: int
    start: int
    end: int
    quote: str
    points: tuple[Point, ...]

    @property
    def on_heading(self) -> bool:
        """Whether the note says what is missing from the section it heads."""
        return any(p.missing for p in self.points)

    @property
    def text(self) -> str:
        """The note as a comment: one short paragraph per point."""
        found = [p.text for p in self.points if not p.missing]
        missing = [p.text for p in self.points if p.missing]
        if missing:
            found.append("Missing from this section:\n" + "\n\n".join(missing))
        return "\n\n".join(found)


@frozen
class Feedback:
    """Everything a reviewed copy shows: the ratings, the notes, and what has no place."""

    overall: str
    principles: tuple[tuple[int, str, str], ...]
    notes: tuple[Note, ...]
    unplaced: tuple[Point, ...] = ()
    later: tuple[Point, ...] = ()
    missing_sections: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The summary comment: the ratings, then what has no place in the text."""
        lines = [f"ehcp-audit review. Overall: {self.overall}."]
        lines.extend(f"Principle {n} ({name}): {rating}." for n, name, rating in self.principles)
        if self.missing_sections:
            lines += ["", "Sections not found: " + ", ".join(self.missing_sections) + "."]
        if self.unplaced:
            lines += ["", "About the plan as a whole:"]
            lines.extend(p.text for p in self.unplaced)
        if self.later:
            lines += ["", DRAFT_WORDS]
            lines.extend(p.text for p in self.later)
        placed = len(self.notes)
        lines += [
            "",
            f"{placed} comment{'s' if placed != 1 else ''} follow in the text. {GUIDE_WORDS}",
        ]
        return "\n".join(lines)


def gather(result: PlanAudit, policy: Policy | None = None) -> Feedback:
    """The feedback for a plan: one note per place, in document order.

    ``policy`` is the one the plan was audited under (rules and scoring,
    :func:`~ehcp_audit.checks.load_policy`); it merges the fixes, places
    fixes that quote nothing on their section's heading and judges a draft
    as a draft. Without it each finding stands alone and the audit's own
    ratings are shown.
    """
    judged = judged_ratings(result, policy)
    blocks = {b.index: b for b in result.document.blocks}
    places: dict[tuple[int, int, int], list[tuple[Point, str]]] = {}
    unplaced: list[Point] = []
    later: list[Point] = []
    for fix in plan_fixes(result, policy, judged):
        if fix.after_consultation:
            later.append(_point(fix, later=True))
            continue
        quoted = False
        for quote in fix.quotes:
            if quote.block is None or quote.block not in blocks:
                continue
            start, end = _trimmed(blocks[quote.block].text, quote.start, quote.end)
            if start < end:
                point = _point(fix, here=quote.fragment)
                places.setdefault((quote.block, start, end), []).append(
                    (point, quote.place.section)
                )
                quoted = True
        if quoted:
            continue
        heading = _heading_block(result, fix, policy)
        if heading is None:
            unplaced.append(_point(fix, missing=True))
        else:
            code, block = heading
            key = (block.index, *_trimmed(block.text, 0, len(block.text)))
            places.setdefault(key, []).append((_point(fix, missing=True), code))
    notes = [_note(key, entries, blocks[key[0]]) for key, entries in sorted(places.items())]
    return Feedback(
        overall=rating_words(judged.overall),
        principles=tuple((p.number, p.name, rating_words(p.rating)) for p in judged.principles),
        notes=tuple(notes),
        unplaced=tuple(unplaced),
        later=tuple(later),
        missing_sections=result.missing_sections,
    )


def _point(fix: Fix, *, here: str = "", missing: bool = False, later: bool = False) -> Point:
    return Point(
        level=fix.level,
        message=fix.message,
        suggestions=fix.suggestions,
        rules=fix.rules,
        here=here,
        missing=missing,
        later=later,
    )


def _heading_block(result: PlanAudit, fix: Fix, policy: Policy | None) -> tuple[str, Block] | None:
    """The heading of the first section the fix is about that the plan has, with its code."""
    codes = [fix.section] if fix.section else []
    for finding in fix.findings:
        spec = policy.rule(finding.rule) if policy is not None else None
        codes.extend(spec.scope if spec is not None else ())
    for code in dict.fromkeys(codes):
        section = result.section(code)
        if section is None or code in ("front", "other"):
            continue
        index = section.heading_block
        if index is None and section.blocks:
            index = section.blocks[0].index
        block = next((b for b in result.document.blocks if b.index == index), None)
        if block is not None and block.text.strip():
            return code, block
    return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` of ``text`` without white space at either end (one place, one key)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _note(key: tuple[int, int, int], entries: Iterable[tuple[Point, str]], block: Block) -> Note:
    index, start, end = key
    listed = list(entries)
    points: dict[tuple[str, tuple[str, ...]], Point] = {}
    for point, _ in listed:  # two fixes saying the same thing are said once
        points.setdefault((point.message, point.suggestions), point)
    return Note(
        section=listed[0][1],
        block=index,
        start=start,
        end=end,
        quote=block.text[start:end],
        points=tuple(points.values()),
    )
