"""Which findings become feedback in the plan itself, where, and in what words.

Internal; shared by the Word comments (:mod:`.annotate_docx`) and the HTML
review page (:mod:`.review_html`), so both say the same thing in the same
places. A case worker reads this feedback inside the document they are
editing, so:

- Only failed findings become notes; each says what is wrong and what to do,
  in the rule's own words with no rule identifier and none of the engine's
  measurement detail ("(0 found; at least 1 expected)").
- A note sits on a whole *sentence*: evidence that quotes a fragment (an
  acronym, a vague phrase) is widened to the sentence around it, and the
  fragment is named in the note ("Here: SALT"). The same sentence cited by
  several findings gets one note listing them, most important first.
- A failed finding with nothing to quote (something is missing) sits on the
  heading of the section its rule looks at; when that section is not in the
  plan, or the rule looks at the whole plan, it goes into the summary.
- The summary gives the overall rating and each principle's rating.

Sentences are found as the text report finds them
(:func:`~ehcp_audit.checks._match.sentence_span`) and messages cleaned as
the board report cleans them (:func:`._plain.clean_message`), so a note
quotes and says what the other reports do. Locations are the reader's
(block index, character range in the block's text), so each output format
maps them back to its own positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from attrs import frozen

from .._model import Block, Evidence, Finding, Level, PlanAudit, Section, evolve
from ..checks._match import sentence_span
from ._plain import clean_message, rating_words

if TYPE_CHECKING:
    from .._config import Config

#: The words a case worker sees for each level, most important first.
LEVEL_WORDS: Mapping[Level, str] = {
    Level.ERROR: "Must fix",
    Level.WARNING: "Should fix",
    Level.SUGGESTION: "Worth doing",
}
_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.SUGGESTION: 2}

#: Who the feedback is from, as Word shows it beside each comment.
AUTHOR = "ehcp-audit"
INITIALS = "EA"


@frozen
class Point:
    """One finding in plain words, as it reads in a note.

    ``here`` names the fragments of the sentence the finding quoted, when it
    quoted less than the sentence (an acronym, a vague phrase); ``missing``
    says the finding quoted nothing: it is about what the section lacks.
    """

    level: Level
    message: str
    suggestion: str
    rule: str
    here: tuple[str, ...] = ()
    missing: bool = False

    @property
    def text(self) -> str:
        """The point as a short paragraph: level, what is wrong, what to do."""
        lines = [f"{LEVEL_WORDS[self.level]}: {self.message}"]
        if self.here:
            lines.append("Here: " + ", ".join(f'"{h}"' for h in self.here))
        if self.suggestion:
            lines.append(f"What to do: {self.suggestion}")
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
    missing_sections: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The summary comment: the ratings, then what could not be placed in the text."""
        lines = [f"ehcp-audit review. Overall: {self.overall}."]
        lines.extend(f"Principle {n} ({name}): {rating}." for n, name, rating in self.principles)
        if self.missing_sections:
            lines.append("")
            lines.append("Sections not found: " + ", ".join(self.missing_sections) + ".")
        if self.unplaced:
            lines.append("")
            lines.append("About the plan as a whole:")
            lines.extend(p.text for p in self.unplaced)
        placed = len(self.notes)
        lines.append("")
        lines.append(
            f"{placed} comment{'s' if placed != 1 else ''} follow in the text. "
            "The ratings are a guide for your own review, not a decision."
        )
        return "\n".join(lines)


def gather(result: PlanAudit, scopes: Mapping[str, tuple[str, ...]] | None = None) -> Feedback:
    """The feedback for a plan: one note per place, in document order.

    ``scopes`` maps a rule id to the sections it looks at (from the rule
    files: see :func:`rule_scopes`); it places findings that quote nothing.
    """
    blocks = {b.index: b for b in result.document.blocks}
    by_place: dict[tuple[int, int, int], list[tuple[Point, str]]] = {}
    unplaced: list[Point] = []
    for finding in _failed(result.findings):
        placed = _place_evidence(finding, blocks, by_place)
        if not placed:
            heading = _heading_for(finding, result, scopes or {})
            point = _point(finding, (), missing=True)
            if heading is None:
                unplaced.append(point)
            else:
                section, block = heading
                begin, stop = sentence_span(block.text, 0, len(block.text))
                by_place.setdefault((block.index, begin, stop), []).append((point, section.code))
    notes = [_note(key, entries, blocks[key[0]]) for key, entries in sorted(by_place.items())]
    return Feedback(
        overall=rating_words(result.overall),
        principles=tuple((p.number, p.name, rating_words(p.rating)) for p in result.principles),
        notes=tuple(notes),
        unplaced=tuple(_merged(unplaced)),
        missing_sections=result.missing_sections,
    )


def _failed(findings: Iterable[Finding]) -> list[Finding]:
    """The failed findings, most important first (stable within a level)."""
    return sorted((f for f in findings if not f.passed), key=lambda f: _LEVEL_ORDER[f.level])


def _point(finding: Finding, here: tuple[str, ...], missing: bool = False) -> Point:
    return Point(
        level=finding.level,
        message=clean_message(finding.message),
        suggestion=finding.suggestion.strip(),
        rule=finding.rule,
        here=here,
        missing=missing,
    )


def _place_evidence(
    finding: Finding,
    blocks: Mapping[int, Block],
    by_place: dict[tuple[int, int, int], list[tuple[Point, str]]],
) -> bool:
    """Add a point for each sentence the finding quotes; False when it quotes none."""
    sentences: dict[tuple[int, int, int], tuple[str, list[str]]] = {}
    for evidence in finding.evidence:
        span = _sentence(evidence, blocks)
        if span is None:
            continue
        block, begin, stop = span
        section, fragments = sentences.setdefault(
            (block.index, begin, stop), (evidence.section, [])
        )
        quoted = " ".join(evidence.text.split())
        sentence = " ".join(block.text[begin:stop].split())
        if quoted and quoted != sentence and quoted not in fragments:
            fragments.append(quoted)
    for (index, begin, stop), (section, fragments) in sentences.items():
        by_place.setdefault((index, begin, stop), []).append(
            (_point(finding, tuple(fragments)), section)
        )
    return bool(sentences)


def _sentence(evidence: Evidence, blocks: Mapping[int, Block]) -> tuple[Block, int, int] | None:
    """The block and sentence a piece of evidence sits in, when its location is known."""
    location = evidence.location
    if location is None:
        return None
    block = blocks.get(location.block)
    if block is None or not block.text.strip():
        return None
    begin, stop = sentence_span(block.text, location.start, location.end)
    if begin >= stop:
        return None
    return block, begin, stop


def _heading_for(
    finding: Finding, result: PlanAudit, scopes: Mapping[str, tuple[str, ...]]
) -> tuple[Section, Block] | None:
    """The heading block of the first section in the rule's scope that the plan has."""
    blocks = {b.index: b for b in result.document.blocks}
    codes = [e.section for e in finding.evidence] or list(scopes.get(finding.rule, ()))
    for code in codes:
        section = result.section(code)
        if section is None or section.code in ("front", "other"):
            continue
        index = section.heading_block
        if index is None and section.blocks:
            index = section.blocks[0].index
        block = blocks.get(index) if index is not None else None
        if block is not None and block.text.strip():
            return section, block
    return None


def _merged(points: Iterable[Point]) -> list[Point]:
    """Points with the same message and suggestion said once (two packs often agree)."""
    seen: dict[tuple[str, str], Point] = {}
    for point in points:
        key = (point.message, point.suggestion)
        kept = seen.get(key)
        if kept is None:
            seen[key] = point
        elif point.here and not set(point.here) <= set(kept.here):
            here = kept.here + tuple(h for h in point.here if h not in kept.here)
            seen[key] = evolve(kept, here=here)
    return list(seen.values())


def _note(key: tuple[int, int, int], entries: list[tuple[Point, str]], block: Block) -> Note:
    index, start, end = key
    points = sorted(_merged(p for p, _ in entries), key=lambda p: _LEVEL_ORDER[p.level])
    return Note(
        section=entries[0][1],
        block=index,
        start=start,
        end=end,
        quote=block.text[start:end],
        points=tuple(points),
    )


def rule_scopes(config: Config | None = None) -> dict[str, tuple[str, ...]]:
    """Each loaded rule's scope (the sections it reads), from the rule files in force.

    ``config`` is the settings the plan was audited with (default: discovered).
    """
    from .._config import load_config
    from ..checks import load_policy

    settings = load_config() if config is None else config
    return {rule.id: rule.scope for rule in load_policy(settings).rules}
