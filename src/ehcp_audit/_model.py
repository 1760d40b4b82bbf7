"""Value types for everything the audit passes along its one-way line.

bytes -> :class:`Document` (ordered :class:`Block` s) -> :class:`Section` s ->
cues -> findings -> ratings -> reports.

All types are frozen attrs classes: a stage never changes what an earlier
stage produced, so results can be cached, compared and serialised safely.
Locations are precise enough to anchor a Word comment or a report line: a
block index in document order, a character range inside that block's text
(as a reader sees it, with tracked changes accepted), and where they apply
the PDF page and the table/row/column of a cell.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import field, frozen


class BlockKind(enum.StrEnum):
    """What a block of text is in the source document."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    FORM_FIELD = "form_field"


class SourceFormat(enum.StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    TEXT = "text"


class FoundBy(enum.StrEnum):
    """How the sectionizer recognised a section heading (reported to users)."""

    HEADING_STYLE = "heading_style"
    OUTLINE_LEVEL = "outline_level"
    FONT = "font"
    TABLE_CELL = "table_cell"
    TEXT_PATTERN = "text_pattern"


#: Section codes in statutory order (SEND Code of Practice 9.62), plus the
#: personal-details preamble and a bin for what belongs nowhere.
SECTION_CODES: tuple[str, ...] = (
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H1",
    "H2",
    "I",
    "J",
    "K",
)
ALL_SECTION_CODES: tuple[str, ...] = ("front", *SECTION_CODES, "other")


@frozen
class Location:
    """Where a piece of evidence sits in the source file.

    ``start``/``end`` are character offsets into the owning block's ``text``.
    ``label`` is a short human string such as ``"page 3, table 2 row 4"``.
    """

    block: int
    start: int = 0
    end: int = 0
    page: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    label: str = ""


@frozen
class CellRef:
    """A table cell's coordinates, with the header row of its table.

    ``table`` counts tables in document order from 1 (nested tables get their
    own number); ``row`` and ``column`` count from 0 over the *visual* grid,
    so a horizontally merged cell is reported once at its first column.
    ``header`` holds the texts of the table's first row, which is how combined
    B/F/E tables are recognised. ``parent_table`` is set for nested tables.
    """

    table: int
    row: int
    column: int
    header: tuple[str, ...] = ()
    parent_table: int | None = None


@frozen
class Block:
    """One paragraph, heading, list item, table cell or form field.

    Reader-supplied hints (``style``, ``outline_level``, ``bold``,
    ``font_size``, ``body_font_size``) let the sectionizer recognise headings
    without knowing which format the text came from. ``heading_level`` is set
    only when the *reader* is sure the block is a heading (a Word heading
    style, an outline level, a PDF font clearly larger than the page's body
    text, a Markdown ``#``); ``heading_source`` says which.
    """

    index: int
    kind: BlockKind
    text: str
    page: int | None = None
    cell: CellRef | None = None
    style: str | None = None
    heading_level: int | None = None
    heading_source: FoundBy | None = None
    bold: bool = False
    font_size: float | None = None
    body_font_size: float | None = None
    checked: bool | None = None
    placeholder: bool = False

    def location(self, start: int = 0, end: int | None = None) -> Location:
        """The location of ``text[start:end]`` inside this block."""
        stop = len(self.text) if end is None else end
        return Location(
            block=self.index,
            start=start,
            end=stop,
            page=self.page,
            table=self.cell.table if self.cell else None,
            row=self.cell.row if self.cell else None,
            column=self.cell.column if self.cell else None,
            label=self.label,
        )

    @property
    def label(self) -> str:
        """Short human description of where this block is."""
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.cell is not None:
            parts.append(f"table {self.cell.table} row {self.cell.row + 1}")
        else:
            parts.append(f"paragraph {self.index + 1}")
        return ", ".join(parts)


@frozen
class Document:
    """A plan as read from its bytes: body blocks in reading order.

    Headers and footers (``furniture``) are kept apart from the body because
    they repeat on every page and are not part of any section, but they stay
    available since personal details (name, date of birth) often sit there.
    """

    format: SourceFormat
    blocks: tuple[Block, ...]
    furniture: tuple[Block, ...] = ()
    pages: int | None = None
    sha256: str = ""

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@frozen
class Section:
    """One statutory section of the plan, gathered from wherever it sits.

    A section can be spread over several headings and tables (a B/F/E table
    per area of need); its blocks are in document order. ``heading`` is the
    first heading as written, ``subsections`` the sub-headings met inside it.
    ``filled`` is false when the body holds only unfilled placeholders.
    """

    code: str
    heading: str
    found_by: FoundBy
    blocks: tuple[Block, ...] = ()
    heading_block: int | None = None
    subsections: tuple[str, ...] = ()
    filled: bool = True

    @property
    def content_blocks(self) -> tuple[Block, ...]:
        """Blocks that carry real content (placeholders left out)."""
        return tuple(b for b in self.blocks if not b.placeholder)

    @property
    def text(self) -> str:
        """All the body text as written, unfilled placeholders included."""
        return "\n".join(b.text for b in self.blocks if b.text)

    @property
    def location(self) -> Location | None:
        """The heading's location, or the first block's when the heading is not a block."""
        if not self.blocks:
            return None
        return self.blocks[0].location()


@frozen
class RowLink:
    """One row of a combined table: which block stands in which section.

    ``cells`` maps a section code to the block indices of that row's cells in
    that column, so a need in B can be matched to the provision in F and the
    outcome in E written beside it.
    """

    table: int
    row: int
    cells: tuple[tuple[str, tuple[int, ...]], ...]

    def blocks_for(self, code: str) -> tuple[int, ...]:
        for c, blocks in self.cells:
            if c == code:
                return blocks
        return ()


@frozen
class UnfilledField:
    text: str
    section: str
    location: Location


@frozen
class PlanDetails:
    """Personal details from the preamble, when the plan states them."""

    name: str | None = None
    preferred_name: str | None = None
    date_of_birth: _dt.date | None = None
    age: int | None = None
    year_group: str | None = None
    plan_date: _dt.date | None = None
    review_date: _dt.date | None = None
    status: str | None = None  # "draft" | "final"
    parents: tuple[str, ...] = ()  # parents' and carers' names, as written


@frozen
class Cue:
    """One piece of evidence the NLP layer found in the text.

    ``kind`` names what it is (``child_voice``, ``agency``, ``vague_provision``
    …), ``rule`` the id of the pattern that fired, so a reader can see why;
    ``attributes`` carries what is specific to the kind (an outcome's
    ``time_bound``, an agency's ``author`` and ``date``).
    """

    kind: str
    text: str
    section: str
    location: Location
    rule: str
    category: str | None = None
    attributes: Mapping[str, Any] = field(factory=dict)


@frozen
class SectionMetrics:
    """Plain-language measures of one section (only on sections long enough to measure)."""

    section: str
    words: int
    sentences: int
    flesch_reading_ease: float | None = None
    flesch_kincaid_grade: float | None = None


@frozen
class Evidence:
    """A quoted piece of the plan a finding rests on, and where it is."""

    text: str
    section: str
    location: Location | None = None


class Level(enum.StrEnum):
    SUGGESTION = "suggestion"
    WARNING = "warning"
    ERROR = "error"


@frozen
class Finding:
    """The outcome of one rule on one plan: passed or not, and why.

    ``rule`` is the rule's ``pack.Rule`` id. A finding that did not pass
    cites what is wrong (or nothing, when what is missing is the point);
    a passing one cites what satisfied it. Scores are explained from these.
    """

    rule: str
    level: Level
    principles: tuple[int, ...]
    passed: bool
    message: str
    suggestion: str = ""
    evidence: tuple[Evidence, ...] = ()


class Rating(enum.StrEnum):
    ROOM_FOR_IMPROVEMENT = "room_for_improvement"
    GOOD = "good"
    EXCELLENT = "excellent"


class Overall(enum.StrEnum):
    REQUIRES_IMPROVEMENT = "requires_improvement"
    GOOD = "good"
    OUTSTANDING = "outstanding"


class ConfidenceLevel(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@frozen
class Confidence:
    """How firmly a principle's rating stands, so a QA officer knows what to check by hand.

    A rating is only as firm as its weakest reached descriptor and its
    distance from the next level. ``fragile`` names each reached descriptor
    that rests on a single quoted sentence (one missed or wrong cue would move
    the rating); ``short_by`` is how many descriptors of ``next_level`` did not
    hold (one means a single missed cue may be all that keeps the rating down,
    the tool's commonest error); ``missing`` names them. ``level`` sums it up:
    low when either is a single step, medium when either is two, high otherwise.
    """

    level: ConfidenceLevel
    fragile: tuple[str, ...] = ()
    next_level: Rating | None = None
    short_by: int = 0
    missing: tuple[str, ...] = ()


@frozen
class PrincipleRating:
    """One of York's six co-production principles, rated from the findings."""

    number: int
    name: str
    rating: Rating
    score: int
    evidence: tuple[Evidence, ...] = ()
    reasons: tuple[str, ...] = ()
    confidence: Confidence | None = None


@frozen
class SourceInfo:
    path: str | None
    sha256: str
    format: SourceFormat | None
    pages: int | None = None


@frozen
class PlanAudit:
    """Everything the audit knows about one plan; later stages add to it."""

    source: SourceInfo
    document: Document
    sections: tuple[Section, ...]
    details: PlanDetails
    missing_sections: tuple[str, ...]
    unfilled_fields: tuple[UnfilledField, ...]
    row_links: tuple[RowLink, ...] = ()
    cues: tuple[Cue, ...] = ()
    metrics: tuple[SectionMetrics, ...] = ()
    findings: tuple[Finding, ...] = ()
    principles: tuple[PrincipleRating, ...] = ()
    overall: Overall | None = None
    total_score: int | None = None
    effective_coproduction: bool | None = None
    extras: dict[str, Any] = field(factory=dict, eq=False, repr=False)

    def section(self, code: str) -> Section | None:
        for s in self.sections:
            if s.code == code:
                return s
        return None


def evolve(instance: Any, **changes: Any) -> Any:
    """Re-export of :func:`attrs.evolve` so stages need not import attrs."""
    return attrs.evolve(instance, **changes)
