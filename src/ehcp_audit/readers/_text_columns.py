"""Borderless tables whose columns are told only by space: ``pdftotext -layout`` text.

A PDF plan turned into text with its layout kept (``pdftotext -layout``, or
a case-management system printing to text) draws no borders at all: a
combined "needs | provision | outcomes" table comes out as its header cells
side by side on one line, then each column's wrapped lines beside the
others, columns separated by wide runs of spaces::

    B – Special Educational Needs      F – Special Educational Provision    E – Outcomes
    Maya finds it hard to follow          A speech and language therapist     By July 2027, Maya
    spoken instructions in class.         will see Maya for 30 minutes        will follow a two-step
                                          each week.                          instruction ...

Read as prose, each line would mix the three columns into nonsense and the
section letters would be lost mid-line, so provision would never be read as
provision. Here a run of such lines is recognised by its *gutters*: the
character positions no line of the run writes in. Those give the columns
(tolerant of the one or two characters' jitter with which the PDF's text
positions are rounded to columns), and each line is cut at them, so the
table reaches the sectionizer as cells with their row and column, as the
DOCX and PDF readers give it.

Prose is protected three ways: a column gap is three or more spaces (words
in a line are one or two apart); a table needs two or more lines with text
in two or more columns; and the run ends at a line that would write across
a gutter, at a line opening a section ("I - Placement", "Section F:"), or at
a blank line not followed by more of the same columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._text_tables import BULLET_MARKS, SECTION_OPENING, TextTable, clean, positioned_table

#: A piece of text on a line: words one or two spaces apart, after a list bullet
#: however far the bullet stands from its text.
_PIECE = re.compile(rf"(?:[{BULLET_MARKS}] +)?\S+(?: {{1,2}}\S+)*")
#: Columns are at least this many spaces apart.
_MIN_GUTTER = 3
#: How far apart (in characters) the lines of one column may start.
_JITTER = 2
#: The most lines one table takes (a page holds fewer; longer runs are split).
_MAX_ROWS = 400

#: A section code opening a heading inside a line: " G \u2013 ", " H1: ".
_CODE_INSIDE = re.compile(r" (?=(?:[A-K]|H[12]) ?[-\u2013\u2014:] )")

Span = tuple[int, int]


def _pieces(line: str) -> list[Span]:
    return [(m.start(), m.end()) for m in _PIECE.finditer(line)]


def _merge(spans: list[Span]) -> list[Span]:
    """Spans closer than a gutter joined: what is left apart are the columns."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] < _MIN_GUTTER:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def may_start(line: str) -> bool:
    """Cheap test: does this line hold two pieces of text a gutter apart?"""
    return "   " in line.strip() and len(_pieces(line)) >= 2


def _fits(columns: list[Span], line: str) -> list[Span] | None:
    """The columns once ``line`` is added, or None when it writes across a gutter."""
    merged = _merge([*columns, *_pieces(line)])
    return merged if len(merged) >= len(columns) else None


def _aligned(columns: list[Span], line: str) -> bool:
    """Every piece of ``line`` starts in one column (give or take the jitter) and ends
    before the next: a line the PDF's rounding shifted a character towards a narrow gutter."""
    for a, b in _pieces(line):
        k = next((k for k, (start, end) in enumerate(columns) if start - _JITTER <= a <= end), None)
        if k is None or (k + 1 < len(columns) and b > columns[k + 1][0] - 1):
            return False
    return True


def _keeps(columns: list[Span], line: str) -> list[Span] | None:
    """The columns once ``line`` is added (widened, or as they were for a line that is
    only shifted by the jitter), or None when it writes across a gutter."""
    widened = _fits(columns, line)
    return widened if widened is not None else (columns if _aligned(columns, line) else None)


def _stops(line: str, columns: list[Span]) -> bool:
    """A line opening a section, alone at the left: the table has ended above it."""
    pieces = _pieces(line)
    at_left = len(pieces) == 1 and pieces[0][0] <= columns[0][0] + 1
    return at_left and SECTION_OPENING.match(line) is not None


class AlignedTables:
    """The space-aligned tables of one text, found on demand and in linear time.

    The reader asks at every line whether a table starts there. A run of lines
    looked at and found not to be a table is not looked at again from a line
    inside it (a laid-out page of prose with wide gaps would otherwise be
    re-read from each of its lines).
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines
        self._prose_until = -1

    def at(self, i: int) -> tuple[int, TextTable] | None:
        """The table starting at line ``i`` and the index after it, if any."""
        if i < self._prose_until or not may_start(self._lines[i]):
            return None
        region, j = _region(self._lines, i)
        found = _table(region)
        if found is None:
            self._prose_until = j
            return None
        return j, found


def _table(region: list[str]) -> TextTable | None:
    starts = _column_starts(region)
    if len(starts) < 2:
        return None

    cut = {line: _cut(line, starts) for line in region}  # each line cut once
    widths = [max(len(p[c].strip()) for p in cut.values()) + 2 for c in range(len(starts))]
    return positioned_table([region], cut.__getitem__, widths, header=False, ragged=True)


def _region(lines: Sequence[str], i: int) -> tuple[list[str], int]:
    """The lines of the table starting at ``lines[i]``, and the index after them.

    A line of one piece that runs across a column (a cell's text reaching the
    next cell, one space from it) belongs to the table when the line after it
    keeps the columns; two such lines in a row end it, as prose would, and so
    do such lines grown common (more than one line in three), or a line of
    several pieces in other columns (the next table's header). A table of more
    than ``_MAX_ROWS`` lines goes on as a second table.
    """
    columns = _merge(_pieces(clean(lines[i])))
    region = [clean(lines[i])]
    j = i + 1
    glued = False
    runs_across = 0
    while j < len(lines):
        line = clean(lines[j])
        after = clean(lines[j + 1]) if j + 1 < len(lines) else ""
        if not line.strip():
            # A blank line inside a table is the space between paragraphs of
            # a cell: the table goes on only if the next line keeps its columns.
            if not may_start(after) or _keeps(columns, after) is None:
                break
            j += 1
            continue
        if _stops(line, columns):
            break
        widened = _keeps(columns, line)
        if widened is None:
            one_piece = len(_pieces(line)) == 1
            rare = 3 * runs_across <= len(region)
            if glued or not one_piece or not rare or not after.strip():
                break
            if _keeps(columns, after) is None:
                break
            glued, runs_across = True, runs_across + 1
        else:
            columns, glued = widened, False
        region.append(line)
        j += 1
        if len(region) >= _MAX_ROWS:
            break
    return region, j


def _column_starts(region: list[str]) -> list[int]:
    """Where each column begins: positions where two or more lines start a piece
    (within a character or two) and few lines' text runs across (one, or one in
    four of the lines starting there, or any number of header lines above the
    column's own), or where a piece of the first line (a header cell) starts and
    none runs across; none when no column but the first
    is started on two lines (prose with one wide gap is not a table).

    A PDF's text is placed by its x position, rounded to a column of
    characters, so one column's lines start a character or two apart, and a
    header cell may start left of its column's text or be glued to the cell
    before it by one space ("... relates to their G \u2013 Health Care
    Provision"): those lines running across do not hide the column.
    """
    pieces = [_pieces(line) for line in region]
    left = min(p[0][0] for p in pieces if p)
    found: list[int] = [left]
    supported = False
    for start in sorted({a for line in pieces for a, _ in line if a > left}):
        if start - found[-1] < _MIN_GUTTER * 2:
            continue
        starting = [
            n
            for n, line in enumerate(pieces)
            if any(start <= a <= start + _JITTER for a, _ in line)
        ]
        crossing = [n for n, line in enumerate(pieces) if any(a < start < b for a, b in line)]
        support, across = len(starting), len(crossing)
        # Header rows above the column may be set further left (a bold header cell):
        # lines running across only above the column's own lines do not hide it.
        above = bool(starting) and all(n < starting[0] for n in crossing)
        # A header cell over an empty column is the only line starting there.
        heads = start in (a for a, _ in pieces[0]) and across == 0
        if support >= 2 and (above or across <= max(1, support // 4)):
            found.append(start)
            supported = True
        elif heads:
            found.append(start)
    return found if supported else found[:1]


def _split_at(line: str, a: int, after: int) -> int:
    """Where a piece from ``a`` running across a column starting at ``after`` splits:
    before a section code opening a heading ("... needs G \u2013 Health"), else at the
    last space before the column."""
    codes = [m for m in _CODE_INSIDE.finditer(line, a) if m.start() <= after]
    return codes[-1].start() if codes else line.rfind(" ", a, after + 1)


def _cut(line: str, starts: list[int]) -> list[str]:
    """``line``'s text per column: each piece goes to the column whose start is
    nearest; a piece running across the next column's start (a header glued to
    the cell before it) is split there (see :func:`_split_at`)."""
    out = [""] * len(starts)
    for a, b in _pieces(line):
        while a < b:
            column = min(range(len(starts)), key=lambda c: abs(starts[c] - a))
            after = starts[column + 1] if column + 1 < len(starts) else b
            stop = _split_at(line, a, after) if after < b else b
            stop = stop if stop > a else b
            out[column] = f"{out[column]} {line[a:stop].strip()}".strip()
            a = stop + 1
    return out
