"""Split a plan into its statutory sections (A–K), wherever they sit.

Real plans do not follow the Code of Practice's order or layout: Somerset's
template puts A1 and A2 in tables, B, F and E side by side in one table per
area of need, C with G and D with H1/H2 in combined tables; other councils
use "All about me" for A, a letter in a table's left-hand cell, or merge H1
and H2. The words that name each section are data (``rules/sections.toml``);
this module walks the document once, in reading order, and decides for each
paragraph, and for each table *row* as a whole, whether it is

* a section heading (a paragraph, a row of its own, or a letter cell with
  its title beside it): later blocks belong to that section;
* the column-heading row of a combined table ("B – Needs | F – Provision |
  E – Outcomes"): each later row's cells go to their column's section, and
  the row is recorded as a :class:`~ehcp_audit._model.RowLink`;
* a sub-heading ("Strengths", "Communication and interaction"): recorded in
  the current section's ``subsections``;
* body text of the current section.

In plain text (where a combined table was saved as text, its column
headings one after another and then its cells' paragraphs), a run of
headings of different kinds with nothing between them shares the text
after it by column: see :mod:`ehcp_audit._sectioning._stacked`.

A section spread over several tables and headings is gathered into one
:class:`~ehcp_audit._model.Section` per code, its blocks in document order.
What comes before the first heading is ``front`` (personal details); text
under a sign-off or appendix heading is ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

from attrs import frozen

from ._errors import ConfigError
from ._model import (
    SECTION_CODES,
    Block,
    BlockKind,
    CellRef,
    Document,
    FoundBy,
    RowLink,
    Section,
    SourceFormat,
    UnfilledField,
)
from ._placeholders import is_placeholder, load_placeholder_rules, mark_placeholders
from ._resources import rules_dir
from ._sectioning._match import (
    Form,
    HeadingMatch,
    Matcher,
    canonical_code,
    flatten,
    normalize,
    words,
)
from ._sectioning._row_codes import row_code, section_column
from ._sectioning._rules import SectionRules, load_rules
from ._sectioning._stacked import stacked_owners

__all__ = ["Sectioning", "load_section_rules", "sectionize"]


@frozen
class Sectioning:
    """What the sectionizer found.

    ``sections``: one per code found, in order of first appearance (``front``
    when there is a preamble, ``other`` when something sits under a sign-off
    or appendix heading). ``row_links``: one per data row of a combined table.
    ``missing``: statutory codes not found, in statutory order (H2 is not
    missing when a heading covered H1 and H2 together). ``unfilled``: every
    placeholder block in the body, with the section it sits in.
    """

    sections: tuple[Section, ...]
    row_links: tuple[RowLink, ...] = ()
    missing: tuple[str, ...] = ()
    unfilled: tuple[UnfilledField, ...] = ()

    def section(self, code: str) -> Section | None:
        for s in self.sections:
            if s.code == code:
                return s
        return None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.sections)


@cache
def load_section_rules() -> SectionRules:
    """The rules in ``rules/sections.toml`` (read once per process)."""
    return load_rules(rules_dir() / "sections.toml")


@lru_cache(maxsize=32)
def _matcher_for(extras: tuple[tuple[str, tuple[str, ...]], ...]) -> Matcher:
    rules = load_section_rules()
    return Matcher(rules.with_extras(dict(extras)) if extras else rules)


def _freeze_extras(
    extra_variants: Mapping[str, Sequence[str]] | None,
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not extra_variants:
        return ()
    if not isinstance(extra_variants, Mapping):
        raise ConfigError("extra section variants must map a section code to a list of headings")
    frozen_items = []
    for code, values in extra_variants.items():
        if (
            isinstance(values, str)
            or not isinstance(values, Sequence)
            or not all(isinstance(v, str) for v in values)
        ):
            raise ConfigError(f"extra variants for section {code!r} must be a list of strings")
        frozen_items.append((str(code), tuple(values)))
    return tuple(sorted(frozen_items, key=lambda item: item[0]))


def sectionize(
    document: Document, extra_variants: Mapping[str, Sequence[str]] | None = None
) -> Sectioning:
    """Find the sections of ``document``.

    ``extra_variants`` adds a council's own heading wordings per section code
    (a string starting ``re:`` is a regular expression). Placeholder blocks
    are marked first (see :func:`ehcp_audit._placeholders.mark_placeholders`)
    so ``filled`` and ``unfilled`` are right even for an unmarked document.
    Never raises on document content; a bad ``extra_variants`` raises
    :class:`~ehcp_audit._errors.ConfigError`.
    """
    matcher = _matcher_for(_freeze_extras(extra_variants))
    marked = mark_placeholders(document)
    unmarked = document.format is SourceFormat.TEXT  # no styles or bold to mark a heading
    return _Walker(matcher, marked.blocks, unmarked=unmarked).run()


# ---------------------------------------------------------------------------------
# The walk


@frozen
class _Heading:
    text: str
    found_by: FoundBy
    block: int | None
    merged_h: bool = False


#: Sections whose later headings are kept as sub-headings (see _kept_as_subheading).
_SUBHEADED = frozenset({"E"})


def _kept_as_subheading(block: Block, owner: dict[int, str]) -> bool:
    """Whether a second heading of a section stays in its body as a sub-heading.

    Why: in Section E a heading that names the section again also says which
    outcomes follow and by when ("Short-term outcomes (by the end of this
    school year)", "Longer-term outcomes - end of Key Stage 2"); dropped as a
    repeat of E's heading, the time frame it gives every outcome under it is
    lost. The section's own (first) heading is never kept.
    """
    return owner.get(block.index) in _SUBHEADED and block.kind is BlockKind.HEADING


class _Cell:
    """One visual cell of a table row: its blocks, their joined text and title line.

    A plain slotted class, built once per cell per plan: the walk asks for
    the first line and the look of a cell several times, so they are worked
    out once per cell (never remembered across cells or plans).
    """

    __slots__ = ("_form", "blocks", "column", "first_line", "text")

    def __init__(self, column: int, blocks: tuple[Block, ...], text: str) -> None:
        self.column = column
        self.blocks = blocks
        self.text = text  # stripped
        # Usually one line: no line break of any kind (they are all unprintable).
        self.first_line = text if text.isprintable() else _first_line(text)
        self._form: Form | None = None

    @property
    def form(self) -> Form:
        """How the cell looks (see :func:`_cell_form`)."""
        form = self._form
        if form is None:
            form = self._form = _cell_form(self.blocks)
        return form


def _first_line(text: str) -> str:
    """The first non-blank line of an already stripped text."""
    if text.isprintable():  # no line break of any kind (they are all unprintable)
        return text
    lines = text.splitlines()
    if len(lines) == 1:
        return text
    for line in lines:
        stripped = line.strip()
        if stripped:
            return stripped
    return ""


def _cells(blocks: Sequence[Block]) -> list[_Cell]:
    """A row's blocks grouped into cells by column, left to right."""
    # Readers emit a row left to right, a cell's blocks together (a cell and
    # its form fields): group in one pass, sorting only when a column comes
    # back out of order.
    cells: list[_Cell] = []
    last = -1
    for b in blocks:
        assert b.cell is not None
        column = b.cell.column
        if column > last:
            cells.append(_Cell(column, (b,), b.text.strip()))
            last = column
        elif column == last:
            cells[-1] = _cell(column, [*cells[-1].blocks, b])
        else:
            return _sorted_cells(blocks)
    return cells


def _cell(column: int, blocks: list[Block]) -> _Cell:
    if len(blocks) == 1:
        return _Cell(column, (blocks[0],), blocks[0].text.strip())
    return _Cell(column, tuple(blocks), "\n".join([b.text for b in blocks]).strip())


def _sorted_cells(blocks: Sequence[Block]) -> list[_Cell]:
    by_column: dict[int, list[Block]] = {}
    for b in blocks:
        assert b.cell is not None
        by_column.setdefault(b.cell.column, []).append(b)
    return [_cell(column, by_column[column]) for column in sorted(by_column)]


#: A font this much larger than the page's body text marks a heading.
_LARGER_FONT = 1.15

# Enum members bound once: the walk asks for them per block and per cell.
_PLAIN, _WEAK, _STRONG = Form.PLAIN, Form.WEAK, Form.STRONG
#: A note under a heading in the child's own words that says which section it is:
#: "(This is Section D of the plan: social care needs.)", "(Section K)".
_SECTION_NOTE = re.compile(
    r"^\(?\s*(?:this\s+is\s+)?(?:section|part)s?\s+(?P<code>[A-K](?:[12]\b)?)"
    r"(?P<merged>\s+and\s+H2)?\b(?:\s+of\s+(?:the|this|your|my)\s+plan)?\s*(?:[:;,\-–—][^()]{0,120})?\)?\.?\s*$",
    re.IGNORECASE,
)


def _cell_form(blocks: Sequence[Block]) -> Form:
    """How a cell looks: judged by its first non-empty paragraph (its title line)."""
    for block in blocks:
        if block.text.strip():
            return _block_form(block)
    return _PLAIN


def _is_styled_heading(block: Block) -> bool:
    if block.heading_level is not None:
        return True
    style = (block.style or "").lower()
    return style.startswith(("heading", "title")) or style == "subtitle"


def _larger_font(block: Block) -> bool:
    return bool(
        block.font_size
        and block.body_font_size
        and block.font_size >= block.body_font_size * _LARGER_FONT
    )


def _looks_emphasised(block: Block) -> bool:
    if block.bold or _larger_font(block):
        return True
    text = block.text
    # ALL CAPS: str.isupper() is true when every cased letter is upper case.
    return len(text) <= 300 and text.isupper() and sum(c.isalpha() for c in text) >= 4


def _block_form(block: Block) -> Form:
    if _is_styled_heading(block):
        return _STRONG
    if _looks_emphasised(block):
        return _WEAK
    return _PLAIN


def _found_by(block: Block) -> FoundBy:
    if block.cell is not None:
        return FoundBy.TABLE_CELL
    if block.heading_source is not None:
        return block.heading_source
    if _is_styled_heading(block):
        return FoundBy.HEADING_STYLE
    if block.bold or _larger_font(block):
        return FoundBy.FONT
    return FoundBy.TEXT_PATTERN


#: A paragraph opening with the code of H1 or H2 and going on with a sentence
#: (a sentence: it ends like one, or its first line already says what "will" happen).
_RUN_IN = re.compile(
    r"^\s*(?P<code>H\s?[12])\s*[:.)\u2013\u2014-]\s+"
    r"(?:\S.*[.!?][\"'\u201d)]*|(?:\S+\s+){0,6}?(?:will|has|have|had|was|were)\s+\S.*)$"
)
#: A heading that covers H1 and H2 together ("Sections H1 and H2", "H1/H2").
_BOTH_H = re.compile(r"\bh\s?1\s*(?:and|&|/|,|-)\s*h\s?2\b")

#: Styled section headings that show a plan marks its sections with Word's styles.
_STYLED_SECTIONS = 3

_CONTENTS_LINE = re.compile(r"(?:\.{3,}|\u2026+|\t)\s*\d{1,3}\s*$")


def _is_contents_line(block: Block) -> bool:
    """A table-of-contents entry ("Section B: Needs ........ 4") names a section
    it does not start; the heading comes later in the body."""
    style = (block.style or "").lower()
    return style.startswith(("toc", "contents", "table of contents")) or bool(
        _CONTENTS_LINE.search(block.text)
    )


_LINE = re.compile(r"[^\n]+")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _several_lines(text: str) -> bool:
    """Whether ``text`` has more than one non-blank line (``len(_lines(text)) > 1``)."""
    if text.isprintable():  # no line break at all
        return False
    seen = False
    for line in text.splitlines():
        if line.strip():
            if seen:
                return True
            seen = True
    return False


def _join_cells(cells: Sequence[_Cell]) -> str:
    return " ".join(" ".join(c.text.split()) for c in cells if c.text.strip())


class _Walker:
    """One pass over the blocks; all state lives here for one document."""

    def __init__(
        self, matcher: Matcher, blocks: tuple[Block, ...], *, unmarked: bool = False
    ) -> None:
        self.m = matcher
        self.blocks = blocks
        self.unmarked = unmarked
        self.limits = matcher.rules
        self.current = "front"
        self.owner: dict[int, str] = {}  # block index -> section code
        self.heading_blocks: set[int] = set()
        self.partial_headings: set[int] = set()  # first line a heading, the rest body
        self.label_blocks: set[int] = set()  # sub-headings and bold labels
        self.headings: dict[str, _Heading] = {}
        self.heading_keys: dict[str, str] = {}  # code -> its heading, flattened
        self.first_seen: dict[str, int] = {}
        self.subsections: dict[str, dict[str, str]] = {}
        self.row_links: list[RowLink] = []
        self.column_maps: dict[int, dict[int, str]] = {}
        #: how many cells the header row of each combined table has
        self.header_widths: dict[int, int] = {}
        self.rows: dict[tuple[int, int], list[Block]] = {}
        # Each row's cells, and those with text, worked out once per row.
        self.row_cells: dict[tuple[int, int], tuple[list[_Cell], list[_Cell]]] = {}
        self.table_rows: dict[int, list[tuple[int, int]]] = {}  # table -> its row keys
        self.left_column_tables: dict[int, bool] = {}  # worked out when first asked
        # Whether a block's lines hold an answer (labels and headings aside),
        # asked once the walk is over and remembered.
        self.written: dict[int, bool] = {}
        self.holders: dict[int, int] = {}  # nested table -> the block of the cell holding it
        self.blank_forms: dict[int, bool] = {}  # table -> a blank form? (asked lazily)
        self.section_columns: dict[int, int | None] = {}  # table -> its rows' code column
        self.styled_sections = self._styled_sections()

    # -- bookkeeping ---------------------------------------------------------------

    def _see(self, code: str, position: int) -> None:
        if code not in self.first_seen:
            self.first_seen[code] = position

    def _start(
        self,
        match: HeadingMatch,
        text: str,
        found_by: FoundBy,
        block: int | None,
        *,
        switch: bool = True,
        as_subsection: bool = True,
    ) -> None:
        """Record a heading for ``match.code`` and (usually) make it current.

        The first heading met is the section's heading; later ones, and any
        numbered part such as "A1"/"A2", are listed as its subsections.
        """
        code = match.code
        heading_text = " ".join(text.split())
        known = self.headings.get(code)
        if known is None:
            self.headings[code] = _Heading(heading_text, found_by, block, match.merged_h)
        elif match.merged_h and not known.merged_h:
            self.headings[code] = _Heading(known.text, known.found_by, known.block, True)
        if as_subsection and (known is not None or match.numbered):
            self._subsection(code, heading_text, numbered=match.numbered)
        self._see(code, block if block is not None else len(self.blocks))
        if switch:
            self.current = code

    def _subsection(self, code: str, text: str, *, numbered: bool = False) -> None:
        text = " ".join(text.split())
        key = flatten(normalize(text))
        if not key:
            return
        heading = self.headings.get(code)
        if not numbered and heading is not None:
            # A section's heading text never changes once met: flatten it once.
            heading_key = self.heading_keys.get(code)
            if heading_key is None:
                heading_key = self.heading_keys[code] = flatten(normalize(heading.text))
            if key == heading_key:
                return
        bucket = self.subsections.setdefault(code, {})
        bucket.setdefault(key, text)

    def _body(self, block: Block, code: str | None = None) -> None:
        owner = code or self.current
        self.owner[block.index] = owner
        self._see(owner, block.index)

    def _heading_block(self, block: Block, code: str, *, first_line_only: bool = False) -> None:
        """Mark ``block`` as (part of) a heading for ``code``.

        With ``first_line_only`` the block's first line is the heading and
        the lines under it (text typed into the same cell or paragraph) stay
        in the section's body, so nothing the plan says is dropped.
        """
        self.owner[block.index] = code
        if first_line_only and _several_lines(block.text):
            self.partial_headings.add(block.index)
            self._see(code, block.index)
        else:
            self.heading_blocks.add(block.index)

    # -- the pass ------------------------------------------------------------------

    def run(self) -> Sectioning:
        # Gather every table row first (a row is judged as a whole, and the
        # left-column tables need all of them), remembering the reading order
        # of paragraphs and rows: a row is met where its first block is.
        rows = self.rows
        order: list[Block | tuple[int, int]] = []
        last_in_table: dict[int, int] = {}  # table -> its latest block so far
        for block in self.blocks:
            cell = block.cell
            if cell is None:
                order.append(block)
                continue
            key = (cell.table, cell.row)
            row = rows.get(key)
            if row is None:
                rows[key] = [block]
                order.append(key)
                if cell.table not in self.table_rows and cell.parent_table is not None:
                    # A nested table follows the cell holding it.
                    holder = last_in_table.get(cell.parent_table)
                    if holder is not None:
                        self.holders[cell.table] = holder
                self.table_rows.setdefault(key[0], []).append(key)
            else:
                row.append(block)
            last_in_table[cell.table] = block.index
        row_cells = self.row_cells
        for key, blocks in rows.items():
            cells = _cells(blocks)
            row_cells[key] = (cells, [c for c in cells if c.text])
        for item in order:
            if isinstance(item, tuple):
                self._row(item[0], rows[item], *row_cells[item])
            else:
                self._paragraph(item)
        if self.unmarked:
            # A combined table saved as plain text: its column headings stacked
            # one after another, their cells' text after them (see _stacked).
            self.owner.update(
                stacked_owners(
                    self.blocks,
                    self.owner,
                    frozenset(self.heading_blocks),
                    frozenset(self.heading_blocks | self.partial_headings),
                )
            )
        return self._result()

    def _styled_sections(self) -> int:
        """How many sections the document opens with headings its reader marked as such
        (Word's Heading styles, a PDF's larger type, Markdown's #): where a plan marks its
        sections that way, a merely bold line inside Section A is not one."""
        found: set[str] = set()
        for block in self.blocks:
            if block.cell is None and _is_styled_heading(block) and block.text.strip():
                match = self.m.resolve(block.text.strip().splitlines()[0], _STRONG)
                if match is not None and match.code not in ("front", "other"):
                    found.add(match.code)
        return len(found)

    def _profile_heading(self, match: HeadingMatch, form: Form) -> bool:
        """A bold line inside Section A naming a section only by its words ("My health",
        "My learning") in a plan whose sections have marked headings: a heading of the
        child's profile, not the start of Section C or B."""
        return (
            self.current == "A"
            and form is _WEAK
            and match.how == "variant"
            and match.code != "A"
            and self.styled_sections >= _STYLED_SECTIONS
        )

    def _paragraph(self, block: Block) -> None:
        text = block.text.strip()
        if not text or _is_contents_line(block):
            self._body(block)
            return
        if self._section_note(block, text):
            return
        form = _block_form(block)
        lines = [line for line in text.splitlines() if line.strip()]
        candidate = lines[0] if (len(lines) == 1 or form is _STRONG) else ""
        is_list = block.kind is BlockKind.LIST_ITEM or block.kind is BlockKind.FORM_FIELD
        if candidate and self._run_in_part(block, candidate):
            return
        if candidate and (not is_list or form is not _PLAIN):
            match = self.m.resolve(candidate, form, unmarked=self.unmarked)
            if match is not None and self._profile_heading(match, form):
                match = None
            if match is not None and not (is_list and match.how != "letter"):
                if match.how == "variant" and match.code in self.headings:
                    # "My hopes for the future" inside A, whose heading came before, or
                    # "Outcomes achieved since March" in a review record after K: a
                    # sub-heading of a section already met, so the text under it is told
                    # apart from the part before ("What my mum says").
                    self._see(match.code, block.index)
                    self.current = match.code
                    self._body(block)
                    self.label_blocks.add(block.index)
                    self._subsection(match.code, candidate)
                    return
                self._heading_block(block, match.code, first_line_only=True)
                self._start(match, candidate, _found_by(block), block.index)
                return
        self._body(block)
        if candidate and not block.placeholder and self._is_subheading(candidate, form):
            self.label_blocks.add(block.index)
            self._subsection(self.current, candidate)

    def _section_note(self, block: Block, text: str) -> bool:
        """A note naming the section just under a heading in the child's words.

        Why: child-friendly templates title a section in the child's words
        ("Keeping me safe and well") and say in small print below which section
        it is ("(This is Section D of the plan: social care needs.)"). Where the
        heading itself named no section, the note makes it that section's heading.
        """
        note = _SECTION_NOTE.match(text)
        if note is None or block.index == 0:
            return False
        heading = self.blocks[block.index - 1]
        if (
            heading.cell is not None
            or _block_form(heading) is not _STRONG
            or heading.index in self.heading_blocks
            or heading.index in self.partial_headings
        ):
            return False
        code = note.group("code").upper()
        if code == "H":
            code = "H1"
        if code not in SECTION_CODES or code == self.current:
            return False
        title = _first_line(heading.text)
        self.subsections.get(self.current, {}).pop(flatten(normalize(title)), None)
        match = HeadingMatch(code=code, how="letter", merged_h=note.group("merged") is not None)
        self._heading_block(heading, code, first_line_only=True)
        self._start(match, title, _found_by(heading), heading.index)
        self._body(block)
        return True

    def _run_in_part(self, block: Block, line: str) -> bool:
        """Under one heading for H1 and H2 ("Sections H1 and H2: Social care provision"),
        a paragraph opening with one part's code and going on with a sentence ("H2: The
        family will be offered a place on ...", "H1: None.") is that part's text: the part
        starts there, and the sentence is its body, not a heading."""
        found = _RUN_IN.match(line)
        heading = self.headings.get(self.current) if self.current in ("H1", "H2") else None
        if found is None or heading is None or not _BOTH_H.search(normalize(heading.text)):
            return False
        code, _merged = canonical_code(found.group("code"))
        self._see(code, block.index)
        if code != self.current:
            match = HeadingMatch(code=code, how="letter")
            self._start(match, code, _found_by(block), None, as_subsection=False)
        self._body(block)
        return True

    def _is_subheading(self, line: str, form: Form) -> bool:
        if form is _STRONG:
            return True
        norm = normalize(line)
        if not norm:
            return False
        if form is _WEAK:
            if words(norm) > self.limits.max_subsection_words or line.rstrip().endswith("."):
                return False
            # "Name: Sam Green" in bold is a label with its value, not a heading.
            _head, sep, tail = line.partition(":")
            return not (sep and tail.strip())
        return words(norm) <= 8 and self.m.is_known_subsection(line, normalized=norm)

    # -- tables ---------------------------------------------------------------------

    def _is_left_column_table(self, table: int) -> bool:
        """Whether a table is laid out as "section name | content", one row per section.

        A left cell that names a section only by its words ("Placement |
        Larchmere School") is trusted only when the same table names at least
        two different sections that way; one such row in a personal-details
        table is a label, not a section. Worked out from all the table's rows
        the first time a row needs it (most tables never do), then kept.
        """
        known = self.left_column_tables.get(table)
        if known is not None:
            return known
        codes: set[str] = set()
        rows = hits = 0
        for key in self.table_rows.get(table, ()):
            filled = self.row_cells[key][1]
            if len(filled) < 2:
                continue
            rows += 1
            left = filled[0]
            match = self.m.resolve(left.first_line, left.form)
            if match is not None and match.how == "variant" and match.code != "other":
                codes.add(match.code)
                hits += 1
        # Most rows must name a section: an advice list whose rows happen to
        # include "Child's views" and "Parents' views" is not a section grid.
        found = self.left_column_tables[table] = len(codes) >= 2 and 2 * hits >= rows
        return found

    def _row(
        self, table: int, blocks: list[Block], cells: list[_Cell], filled: list[_Cell]
    ) -> None:
        if table in self.holders and self._nested_row(table, blocks):
            return
        if self._coded_row(table, blocks, cells):
            return
        column_map = self.column_maps.get(table)

        header = self._header_row(filled) if len(filled) >= 2 else None
        if header is not None:
            self._start_columns(table, cells, header)
            return

        alone = len(filled) == 1 and (
            column_map is None or len(cells) == 1 or filled[0].column == cells[0].column
        )
        if alone:
            cell = filled[0]
            form = cell.form
            match = self.m.resolve(cell.first_line, form, letter_cell=True)
            if match is not None:
                self.column_maps.pop(table, None)
                title = next(b for b in cell.blocks if b.text.strip())
                for b in blocks:
                    self._heading_block(b, match.code, first_line_only=b is title)
                self._start(match, cell.first_line, FoundBy.TABLE_CELL, title.index)
                for line in cell.text.splitlines()[1:]:
                    if self.m.is_known_subsection(line.strip()):
                        self._subsection(match.code, line.strip())
                return

        if len(filled) >= 2 and self._letter_row(table, blocks, filled):
            return

        # A row merged across a combined table ("Preparing for adulthood") is
        # not a need/provision/outcome row: it stays with the current section. A
        # text export draws the cell merged down beside it as a blank cell of its own
        # (so the filled cell is not the row's first; a need with its outcome and
        # provision left empty keeps its first cell filled and stays a data row).
        merged = len(cells) == 1 or (
            len(filled) == 1
            and filled[0].column > cells[0].column
            and len(cells) < self.header_widths.get(table, len(cells))
        )
        if column_map is not None and not merged:
            self._data_row(table, cells, column_map)
            return

        owner, code = self.owner, self.current
        for b in blocks:
            owner[b.index] = code
            # A wholly bold cell is a label or a template instruction, not an answer.
            if b.bold and b.text.strip():
                self.label_blocks.add(b.index)
        if blocks:
            self._see(code, blocks[0].index)
        if alone:
            cell = filled[0]
            if (
                cell.first_line == cell.text
                and not any(b.placeholder for b in cell.blocks)
                and self._is_subheading(cell.first_line, cell.form)
            ):
                self.label_blocks.update(b.index for b in cell.blocks)
                self._subsection(self.current, cell.first_line)
            elif len(cells) > 1 and cell is cells[0] and self._is_label(cell):
                # "Name | (blank)": a form's label whose answer was left empty.
                self.label_blocks.update(b.index for b in cell.blocks)

    def _coded_row(self, table: int, blocks: list[Block], cells: list[_Cell]) -> bool:
        """A row of a table whose rows name their section in a column (see ``_row_codes``):
        the heading row stays with the section above as labels; each other row is
        its code's section (started, not switched to, when first met)."""
        column = self.section_columns.get(table, -1)
        if column == -1:
            column = self.section_columns[table] = self._section_column(table)
        if column is None:
            return False
        code_cell = next((c for c in cells if c.column == column), None)
        found = row_code(code_cell.text) if code_cell is not None else None
        if found is None:  # the heading row, or a row with no code: the section above
            first = blocks[0].cell
            heading_row = first is not None and first.row == self._first_row(first)
            for b in blocks:
                self._body(b)
                if heading_row:
                    self.label_blocks.add(b.index)
            return True
        code, merged = found
        for b in blocks:
            self._body(b, code)
        if code not in self.headings:  # the row is its section's text, with no heading of its own
            match = HeadingMatch(code=code, how="column", merged_h=merged)
            self._start(match, code, FoundBy.TABLE_CELL, None, switch=False, as_subsection=False)
        return True

    def _section_column(self, table: int) -> int | None:
        keys = self.table_rows[table]
        texts = [[(c.column, c.text) for c in self.row_cells[key][1]] for key in keys]
        return section_column(texts[0], texts[1:]) if texts else None

    def _nested_row(self, table: int, blocks: list[Block]) -> bool:
        """A row of a table inside a combined table's cell ("Outcome | By when" in
        the outcomes column): it belongs to that cell's section and row link."""
        holder = self.blocks[self.holders[table]]
        parent = holder.cell
        code = self.owner.get(holder.index)
        if parent is None or code is None or parent.table not in self.column_maps:
            return False
        for b in blocks:
            self._body(b, code)
        for k in range(len(self.row_links) - 1, -1, -1):
            link = self.row_links[k]
            if link.table == parent.table and link.row == parent.row:
                cells = dict(link.cells)
                cells[code] = (*cells.get(code, ()), *(b.index for b in blocks))
                self.row_links[k] = RowLink(link.table, link.row, tuple(cells.items()))
                break
        return True

    def _is_label(self, cell: _Cell) -> bool:
        """A short one-line cell that names a field rather than answers one."""
        text = cell.text
        return (
            cell.first_line == text
            and words(normalize(text)) <= self.limits.max_label_words
            and not text.rstrip().endswith((".", "!", "?"))
        )

    def _answers(self, block: Block) -> bool:
        """Whether ``block`` is an answer: content, and not a blank form's column label."""
        if not self._is_content(block):
            return False
        cell = block.cell
        return cell is None or not self._blank_form(cell.table) or cell.row != self._first_row(cell)

    def _first_row(self, cell: CellRef) -> int:
        return self.table_rows[cell.table][0][1]

    def _blank_form(self, table: int) -> bool:
        """A table whose rows below a row of labels hold no answer (only prompts,
        labels or the template's own text) is a blank form: that first row holds
        column labels, not answers. Asked only of a table whose first row
        would otherwise fill a section in, and remembered."""
        known = self.blank_forms.get(table)
        if known is not None:
            return known
        keys = self.table_rows[table]
        first = self.row_cells[keys[0]][1]
        found = self.blank_forms[table] = (
            len(keys) >= 2
            and len(first) >= 2
            and all(self._is_label(c) for c in first)
            and not any(self._is_content(b) for key in keys[1:] for b in self.rows[key])
        )
        return found

    def _header_row(self, filled: Sequence[_Cell]) -> dict[int, str] | None:
        """Column -> section for a combined table's heading row, or None."""
        context = self.current if self.current not in ("front", "other") else None
        codes: dict[int, str] = {}
        n = len(filled)
        misses = 0
        column_code = self.m.column_code
        for cell in filled:
            code = None
            blocks = cell.blocks
            if len(blocks) == 1:  # filled, so its one block has text
                prompt_only = blocks[0].placeholder
            else:
                prompt_only = all(b.placeholder for b in blocks if b.text.strip())
            if not prompt_only:
                code = column_code(cell.first_line, context)
            if code is not None:
                codes[cell.column] = code
                continue
            # Most rows are data rows: stop as soon as too few cells are left
            # to make a heading row (two codes, half the filled cells).
            misses += 1
            if n - misses < 2 or 2 * (n - misses) < n:
                return None
        if len(set(codes.values())) < 2 or 2 * len(codes) < n:
            return None
        return codes

    def _start_columns(self, table: int, cells: Sequence[_Cell], header: dict[int, str]) -> None:
        codes_in_order = [header[c.column] for c in cells if c.column in header]
        if self.current not in codes_in_order:
            self.current = codes_in_order[0]
        for cell in cells:
            code = header.get(cell.column)
            if code is None:
                for b in cell.blocks:
                    self._body(b)
                    self.label_blocks.add(b.index)
                continue
            title = next(b for b in cell.blocks if b.text.strip())
            for b in cell.blocks:
                self._heading_block(b, code, first_line_only=b is title)
            match = HeadingMatch(code=code, how="column", merged_h=False)
            if code not in self.headings:
                self._start(
                    match,
                    cell.first_line,
                    FoundBy.TABLE_CELL,
                    title.index,
                    switch=False,
                    as_subsection=False,
                )
            else:
                self._see(code, title.index)
        self.column_maps[table] = dict(header)
        self.header_widths[table] = len(cells)

    def _data_row(self, table: int, cells: Sequence[_Cell], column_map: dict[int, str]) -> None:
        mapped_columns = sorted(column_map)
        link: dict[str, list[int]] = {}
        row = cells[0].blocks[0].cell.row if cells and cells[0].blocks[0].cell else 0
        for cell in cells:
            left = [c for c in mapped_columns if c <= cell.column]
            code = column_map[left[-1]] if left else None
            for b in cell.blocks:
                self._body(b, code)
            if code is not None:
                link.setdefault(code, []).extend(b.index for b in cell.blocks)
        if link:
            self.row_links.append(
                RowLink(
                    table=table,
                    row=row,
                    cells=tuple((code, tuple(indices)) for code, indices in link.items()),
                )
            )

    def _letter_row(self, table: int, blocks: Sequence[Block], filled: Sequence[_Cell]) -> bool:
        """ "A | Views, interests and aspirations" or "Section B | <content>"."""
        left = filled[0]
        form = left.form
        match = self.m.resolve(left.first_line, form, letter_cell=True)
        if match is None or match.code == "other":
            return False
        if match.how != "letter" and not self._is_left_column_table(table):
            return False
        self.column_maps.pop(table, None)
        rest = filled[1:]
        # A bare letter with one short line beside it: that line is the title
        # (and any cell after it the answer: "A | Views ... | <content>").
        title_cell = self._title_cell(match, rest) if match.letter_only else None
        heading_cells = [left] if title_cell is None else [left, title_cell]
        text = _join_cells(heading_cells) if title_cell else left.first_line
        title = next(b for b in left.blocks if b.text.strip())
        in_heading = {b.index for c in heading_cells for b in c.blocks}
        # "H2 | Other social care provision\n<the answer>": the section's title
        # opens the cell beside the letter; it is heading, not an answer.
        beside = self._title_beside(match, rest) if match.letter_only and not title_cell else None
        if beside is not None:
            text = f"{text} {beside.text.splitlines()[0].strip()}"
            self._heading_block(beside, match.code, first_line_only=True)
        for b in blocks:
            if b.index in in_heading or not b.text.strip():
                self._heading_block(b, match.code, first_line_only=b is title)
        self._start(match, text, FoundBy.TABLE_CELL, title.index)
        for b in blocks:
            if b.index not in self.heading_blocks and b.index not in self.partial_headings:
                self._body(b)
        return True

    def _title_cell(self, match: HeadingMatch, rest: Sequence[_Cell]) -> _Cell | None:
        """The cell beside a bare letter when it holds the section's title: one
        short line that names the section, or that at least is no sentence
        (an answer such as "None requested." is not a title)."""
        if not rest:
            return None
        cell = rest[0]
        if len(_lines(cell.text)) != 1 or words(cell.text) > self.limits.max_heading_words:
            return None
        found = self.m.resolve(cell.first_line, _WEAK)
        if found is not None and found.code == match.code:
            return cell
        return None if cell.text.endswith((".", "!", "?")) else cell

    def _title_beside(self, match: HeadingMatch, rest: Sequence[_Cell]) -> Block | None:
        """The block opening the cell beside a bare letter, when its first line is that
        section's title and more lines follow (else None)."""
        if not rest:
            return None
        block = next((b for b in rest[0].blocks if b.text.strip()), None)
        if block is None or not _several_lines(block.text):
            return None
        found = self.m.resolve(rest[0].first_line, _WEAK)
        return block if found is not None and found.code == match.code else None

    # -- results --------------------------------------------------------------------------

    def _is_content(self, block: Block) -> bool:
        """Whether somebody wrote something here (a filled-in answer).

        Placeholders, labels, sub-headings and the template's own guidance
        (line by line) do not count.
        """
        if block.placeholder or block.index in self.label_blocks:
            return False
        if block.index in self.heading_blocks:
            return False
        known = self.written.get(block.index)
        if known is not None:
            return known
        lines = _lines(block.text)
        if block.index in self.partial_headings:
            lines = lines[1:]
        found = self.written[block.index] = any(
            not is_placeholder(line)
            and not self.m.is_template_text(line)
            and not self.m.is_known_subsection(line)
            for line in lines
        )
        return found

    def _unfilled(self) -> list[UnfilledField]:
        """Every prompt left in the body: whole placeholder blocks, and prompt
        lines inside a block that also holds real text (a cell "Views\n{{ x }}")."""
        found: list[UnfilledField] = []
        owner = self.owner
        is_prompt = load_placeholder_rules().is_placeholder
        for b in self.blocks:
            if b.placeholder:
                section = owner.get(b.index, "front")
                found.append(UnfilledField(text=b.text, section=section, location=b.location()))
            elif "\n" in b.text:
                section = owner.get(b.index, "front")
                for line in _LINE.finditer(b.text):
                    if is_prompt(line.group()):
                        found.append(
                            UnfilledField(
                                text=line.group().strip(),
                                section=section,
                                location=b.location(line.start(), line.end()),
                            )
                        )
        return found

    def _result(self) -> Sectioning:
        members: dict[str, list[Block]] = {}
        owner, heading_blocks = self.owner, self.heading_blocks
        own = {h.block for h in self.headings.values() if h.block is not None}
        for block in self.blocks:
            index = block.index
            if index in heading_blocks and (index in own or not _kept_as_subheading(block, owner)):
                continue
            code = owner.get(index, "front")
            bucket = members.get(code)
            if bucket is None:
                members[code] = [block]
            else:
                bucket.append(block)

        order = sorted(self.first_seen, key=lambda code: self.first_seen[code])
        sections: list[Section] = []
        for code in order:
            body = members.get(code, [])
            if code == "front":
                if not any(b.text.strip() for b in body):
                    continue
                heading = _Heading("", FoundBy.TEXT_PATTERN, None)
            else:
                heading = self.headings.get(code) or _Heading("", FoundBy.TEXT_PATTERN, None)
            subs = tuple(self.subsections.get(code, {}).values())
            sections.append(
                Section(
                    code=code,
                    heading=heading.text,
                    found_by=heading.found_by,
                    blocks=tuple(body),
                    heading_block=heading.block,
                    subsections=subs,
                    filled=any(self._answers(b) for b in body),
                )
            )

        found = {s.code for s in sections}
        merged = self.headings.get("H1")
        missing = tuple(
            code
            for code in SECTION_CODES
            if code not in found and not (code == "H2" and merged is not None and merged.merged_h)
        )
        unfilled = tuple(self._unfilled())
        return Sectioning(
            sections=tuple(sections),
            row_links=tuple(self.row_links),
            missing=missing,
            unfilled=unfilled,
        )
