"""Tables typed as text: Markdown pipe tables and text-drawn grids.

Case-management systems export plans as plain text by drawing their tables
with characters, and section headings often sit inside them ("| A | The
views, interests and aspirations ... |" between "+----+----+" borders). If
those lines were read as prose, the borders would reach the text and the
section letters would be lost in a paragraph, so a real plan would be
refused. This module recognises the common ways of drawing a table:

* grid tables: ``+----+----+`` borders (``+====+`` under a header row),
  each row between two borders, its cells wrapped over several lines;
* the same drawn with ``|----|----|`` or bare ``-----``/``=====`` rules, and
  with Unicode box-drawing characters (``│ ─ ┼ ═``);
* Markdown (GFM) pipe tables: a header row, a ``| --- |`` separator and one
  line per row (``<br>`` breaks a line inside a cell);
* borderless "Label | value" lines, two or more with the same number of cells;
* simple tables with no pipes at all, their columns marked by a rule such as
  ``=====  ==========`` (reStructuredText) or ``-----  -----`` (pandoc);
* tab-separated lines, two or more in a row, as spreadsheets save them.

A table becomes rows of cells with their visual row and column, the way the
DOCX and PDF readers give them, so the sectionizer treats a letter in a
left-hand cell or a combined "needs | provision | outcomes" table alike
whatever the format. Only cell text reaches the blocks, never a border.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence

from attrs import frozen


def _box_drawing_map() -> dict[int, str]:
    """Box-drawing characters (U+2500-U+257F) as the ASCII a text table is drawn with.

    Worked out from the characters' Unicode names, so every one of them is
    covered: a junction or corner is "+", a horizontal line "-" (double:
    "="), a vertical line "|". One character for one, so positions hold.
    """
    table: dict[int, str] = {}
    for code in range(0x2500, 0x2580):
        name = unicodedata.name(chr(code), "")
        vertical = "VERTICAL" in name or "UP" in name or "DOWN" in name
        horizontal = "HORIZONTAL" in name or "LEFT" in name or "RIGHT" in name
        if "ARC" in name or (vertical and horizontal):
            table[code] = "+"
        elif horizontal:
            table[code] = "=" if "DOUBLE" in name else "-"
        elif vertical:
            table[code] = "|"
    return table


_BOX = _box_drawing_map()
_BOX_CHARS = frozenset(chr(c) for c in _BOX)

#: A border or rule: only junctions, lines and alignment colons, with a run of three.
_BORDER = re.compile(r"^[+|:=_\-\s]*$")
_RUN = re.compile(r"-{3,}|={3,}|_{3,}")
_BORDER_STARTS = frozenset("+|:=-_")
#: A list item's marker: a dash, a star, a bullet glyph (PDF text extraction gives the
#: Symbol and Wingdings fonts' bullets as private-use characters), or "1." / "2)".
BULLET_MARKS = "-*\u2022\u2023\u2043\u25aa\u25cf\u25e6\u25a0\u25ba\u27a2\uf0a7\uf0b7\uf0d8"
BULLET = re.compile(rf"^\s*(?:[{BULLET_MARKS}]|\d{{1,2}}[.)])\s+(.*)$")
_BOLD_CELL = re.compile(r"^\*\*(.+?)\*\*:?$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LOOSE_PIPE = re.compile(r"\s\|\s")
#: Characters a cell needs before its text can be said to wrap.
_MIN_WRAP = 8


@frozen
class TextCell:
    """One cell of a typed table: its visual row and column, and its text."""

    row: int
    column: int
    text: str
    bold: bool = False


@frozen
class TextTable:
    """A typed table, its cells in reading order (row by row, left to right)."""

    cells: tuple[TextCell, ...]

    @property
    def header(self) -> tuple[str, ...]:
        """The first row's texts (how combined B/F/E tables are recognised)."""
        return tuple(c.text for c in self.cells if c.row == 0)


def clean(line: str) -> str:
    """``line`` with box-drawing characters as ASCII and its right end trimmed."""
    if not line.isascii() and not _BOX_CHARS.isdisjoint(line):
        line = line.translate(_BOX)
    if "\t" in line:
        line = line.expandtabs()
    return line.rstrip()


def is_border(line: str) -> bool:
    """A drawn border or rule: ``+----+``, ``|====|``, ``| --- | :-: |``, ``-----``, ``____``."""
    stripped = clean(line).strip()
    return (
        stripped[:1] in _BORDER_STARTS
        and _BORDER.match(stripped) is not None
        and _RUN.search(stripped) is not None
    )


def _is_junction_border(stripped: str) -> bool:
    return ("+" in stripped or "|" in stripped) and is_border(stripped)


def _is_row(stripped: str) -> bool:
    """A line of cells drawn with a leading pipe (``| A | The views ... |``)."""
    return stripped.startswith("|") and len(stripped) > 1 and not is_border(stripped)


def _loose_cells(stripped: str) -> int:
    """How many cells a borderless "Label | value" line has (0: not such a line)."""
    if stripped.startswith("|") or not _LOOSE_PIPE.search(stripped):
        return 0
    return stripped.count("|") + 1


def may_start(line: str) -> bool:
    """Cheap test: could a table start on this line? (Most lines are prose.)"""
    stripped = line.lstrip()
    if not stripped:
        return False
    first = stripped[0]
    if first in "|+" or first in _BOX_CHARS or " | " in stripped:
        return True
    return first in "-=:_" and is_border(stripped)  # a rule, not a list item


def find_table(lines: Sequence[str], i: int) -> tuple[int, TextTable] | None:
    """The table starting at ``lines[i]`` and the index of the line after it, if any."""
    if (
        i + 1 < len(lines)
        and lines[i].strip()
        and not may_start(lines[i])
        and _column_rule(lines[i + 1])
    ):
        return _simple_table(lines, i)  # a header line over a "-----  ------" rule
    if "\t" in lines[i].strip():
        return _tab_table(lines, i)
    if not may_start(lines[i]):
        return None
    if _column_rule(lines[i]):
        return _simple_table(lines, i)
    first = clean(lines[i]).strip()
    loose = _loose_cells(first)
    region: list[str] = []
    j = i
    while j < len(lines):
        stripped = clean(lines[j]).strip()
        if not stripped:
            break
        if loose:
            if not (is_border(stripped) or _loose_cells(stripped) == loose):
                break
        elif not (is_border(stripped) or _is_row(stripped)):
            break
        region.append(clean(lines[j]))
        j += 1
    rows = [line for line in region if not is_border(line)]
    if not rows:
        return None
    drawn = len(rows) < len(region)  # a border or rule among the lines
    # Prose rarely holds " | ", and never on two lines alike; a lone row
    # needs a border, or both ends closed with pipes ("| SECTION A |").
    closed = not loose and first.endswith("|") and first.count("|") >= 2
    if len(rows) < 2 and not drawn and not closed:
        return None
    return j, _parse(region, loose=bool(loose))


# -- tab-separated rows, as spreadsheets and case systems save them -----------------

_TABS = re.compile(r"\t+")


def _tab_cells(line: str) -> list[str]:
    """The cells of a line whose cells are separated by tabs (indentation aside)."""
    inner = line.strip()
    return _TABS.split(inner) if "\t" in inner else []


def _tab_table(lines: Sequence[str], i: int) -> tuple[int, TextTable] | None:
    """Two or more lines in a row with tabs between their cells; one row per line.

    A run of tabs is one separator: hand-made text lines its columns up with
    several. Prose keeps tabs for indentation, which is not inside a line.
    """
    rows: list[list[str]] = []
    j = i
    while j < len(lines) and len(cells := _tab_cells(lines[j])) >= 2:
        rows.append(cells)
        j += 1
    if len(rows) < 2:
        return None
    out: list[TextCell] = []
    for r, row in enumerate(rows):
        for c, piece in enumerate(row):
            text, bold = _cell_text([(piece, 0)])
            out.append(TextCell(r, c, text, bold))
    return j, TextTable(tuple(out))


# -- simple tables: columns told by position under "=====  =====" rules ---------

_COLUMN_RULE = re.compile(r"^ *(?:={2,}(?: +={2,})+|-{2,}(?: +-{2,})+) *$")
_GROUP = re.compile(r"[=-]+")


def _column_rule(line: str) -> bool:
    """``=====  ========`` or ``-----  --------``: two or more column marks."""
    return _COLUMN_RULE.match(line.rstrip()) is not None and len(line.strip()) >= 5


def _simple_table(lines: Sequence[str], i: int) -> tuple[int, TextTable] | None:
    """A table without pipes: column marks on a rule line give each column's place.

    As in reStructuredText simple tables (and pandoc's), a rule after the
    first row marks it a header and the table ends at a blank line. A line
    carries on the row above when its first column is blank or the text
    above filled its column (see :func:`_carries_on`).
    """
    rule = lines[i if _column_rule(lines[i]) else i + 1].rstrip()
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(rule)]
    starts = [a for a, _ in groups]
    region: list[str] = []
    j = i
    while j < len(lines) and lines[j].strip():
        # A pipe between columns is a separator drawn by hand: space, not text.
        region.append(clean(lines[j]).replace("|", " "))
        j += 1
    chunks: list[list[str]] = [[]]
    for line in region:
        if _column_rule(line):
            if chunks[-1]:
                chunks.append([])
            continue
        chunks[-1].append(line)
    chunks = [chunk for chunk in chunks if chunk]
    if not chunks:
        return None
    widths = [group_end - a + 2 for a, group_end in groups]

    def cut(line: str) -> list[str]:
        return [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]

    return j, positioned_table(chunks, cut, widths, header=len(chunks) >= 2 and len(chunks[0]) == 1)


def positioned_table(
    chunks: list[list[str]],
    cut: Callable[[str], list[str]],
    widths: list[int],
    *,
    header: bool,
    ragged: bool = False,
) -> TextTable:
    """Rows of cells from lines whose columns are told by position alone.

    ``cut`` splits a line into its columns' pieces and column ``c``'s text is
    at most ``widths[c]`` wide (how a wrapped line is told from a short one).
    A line carries on the row above when its first column is blank or the
    text above filled its column (see :func:`_carries_on`); each chunk (the
    lines between two rules) starts a new row. ``header`` marks the first
    row bold, as a rule under it does. ``ragged`` columns (text laid out
    from a PDF in a proportional font) have no exact width: see
    :func:`_ragged_wraps`.
    """

    def pieces(line: str) -> dict[int, list[tuple[str, int]]]:
        return {c: [(piece, widths[c])] for c, piece in enumerate(cut(line))}

    rows: list[list[dict[int, list[tuple[str, int]]]]] = []
    for chunk in chunks:
        previous: dict[int, list[tuple[str, int]]] = {}
        for line in chunk:
            here = pieces(line)
            if previous and _carries_on(previous, here, ragged=ragged):
                rows[-1].append(here)
            else:
                rows.append([here])
                if ragged:
                    previous = {}
            # A ragged column's lines need not sit beside the others' (a PDF's text
            # laid out by height): each column goes on from its own last text.
            filled = {c: p for c, p in here.items() if p[0][0].strip()} if ragged else here
            previous = {**previous, **filled} if ragged else here
    cells: list[TextCell] = []
    for r, row in enumerate(rows):
        for column in range(len(widths)):
            lined = [p for line in row for p in line[column]]
            text, bold = _cell_text(lined, ragged=ragged, header=r == 0)
            cells.append(TextCell(r, column, text, bold or (header and r == 0)))
    return TextTable(tuple(cells))


# -- parsing -------------------------------------------------------------------


def _parse(region: list[str], *, loose: bool) -> TextTable:
    """Rows of cells from the lines of one table."""
    chunks: list[list[str]] = []  # runs of row lines between borders
    under_first = ""  # the border under the first chunk
    gap = True
    for line in region:
        if is_border(line):
            if len(chunks) == 1 and gap is False:
                under_first = line
            gap = True
            continue
        if gap:
            chunks.append([])
            gap = False
        chunks[-1].append(line)
    top_border = is_border(region[0])
    # "====" under the first row marks a header when the other rules are "----".
    header_rule = "=" in under_first and any(
        "=" not in line for line in region if is_border(line) and line is not under_first
    )
    bounds = _bounds(region)
    # Which lines make one row. Grid tables (a top border) and tables with a
    # rule between every row hold one row per chunk, wrapped over its lines;
    # a Markdown table is one line per row.
    rows: list[list[str]] = []
    if len(chunks) >= 3:
        rows = chunks
    else:
        for k, chunk in enumerate(chunks):
            if k == 0 and len(chunks) == 2:
                rows.append(chunk)  # the header row, perhaps wrapped
            elif top_border and not loose:
                rows.extend(_wrapped_rows(chunk, bounds))
            elif len(chunks) == 1 and not loose:
                # Pipes but no rule at all: not Markdown (which needs one);
                # lines may be ragged, so only a blank first cell carries on.
                rows.extend(_wrapped_rows(chunk, bounds, fill=False))
            else:
                rows.extend([line] for line in chunk)
    gfm_header = not top_border and len(chunks) == 2 and len(chunks[0]) == 1
    cells: list[TextCell] = []
    for r, row_lines in enumerate(rows):
        pieces = _row_pieces(row_lines, bounds, loose=loose)
        for column in sorted(pieces):
            text, bold = _cell_text(pieces[column])
            header = r == 0 and (header_rule or gfm_header or _caption(pieces, text, len(rows)))
            cells.append(TextCell(r, column, text, bold or header))
    return TextTable(tuple(cells))


#: The most words a table's caption row may have.
_CAPTION_WORDS = 8


def _caption(pieces: dict[int, list[tuple[str, int]]], text: str, rows: int) -> bool:
    """A first row of one cell across the table, a few words with no sentence end,
    above other rows: the table's caption ("Comments on the draft plan"), which a
    word processor shades or sets in bold and a text export draws as a plain row."""
    return (
        rows >= 2
        and len(pieces) == 1
        and "\n" not in text
        and 0 < len(text.split()) <= _CAPTION_WORDS
        and not text.rstrip().endswith(_ENDS)
    )


def _bounds(region: list[str]) -> list[int] | None:
    """Column boundaries (character positions), when every line keeps to them.

    They come from the junctions of the borders ("+" and "|"); a row line
    whose pipes fall elsewhere (an unaligned Markdown table) means cells are
    told apart by order instead.
    """
    found: set[int] = set()
    for line in region:
        if _is_junction_border(line):
            found.update(k for k, ch in enumerate(line) if ch in "+|")
    if len(found) < 2:
        return None
    for line in region:
        if not is_border(line) and not {k for k, ch in enumerate(line) if ch == "|"} <= found:
            return None
    return sorted(found)


def _segments(line: str, *, loose: bool) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell's piece on one line, between its pipes."""
    pipes = [k for k, ch in enumerate(line) if ch == "|"]
    edges = [-1, *pipes, len(line)] if loose else [*pipes, len(line)]
    out: list[tuple[int, int, str]] = []
    if not loose and pipes and line[: pipes[0]].strip():
        out.append((0, pipes[0], line[: pipes[0]]))
    for a, b in itertools.pairwise(edges):
        if b == len(line) and not loose and not line[a + 1 :].strip():
            break  # nothing after the closing pipe
        out.append((a, b, line[a + 1 : b]))
    return out


def _row_pieces(
    row_lines: list[str], bounds: list[int] | None, *, loose: bool
) -> dict[int, list[tuple[str, int]]]:
    """Column -> its piece on each physical line of the row, with the piece's width."""
    pieces: dict[int, list[tuple[str, int]]] = {}
    for line in row_lines:
        for order, (start, end, text) in enumerate(_segments(line, loose=loose)):
            if bounds and not text.strip() and _spans_columns(bounds, start, end):
                # A blank cell drawn across columns: the rest of a cell merged down from the
                # row above (a word processor's reader leaves it out), not a cell of its own.
                continue
            column = bisect.bisect_right(bounds, start) - 1 if bounds else order
            # A piece running to the line's end (no closing pipe) has no known width.
            width = end - start - 1 if end < len(line) else 0
            pieces.setdefault(max(column, 0), []).append((text, width))
    return pieces


def _spans_columns(bounds: list[int], start: int, end: int) -> bool:
    """Whether a piece between pipes at ``start`` and ``end`` crosses a column boundary."""
    return bisect.bisect_left(bounds, end) - bisect.bisect_right(bounds, start) >= 1


def _wrapped_rows(
    chunk: list[str], bounds: list[int] | None, *, fill: bool = True
) -> list[list[str]]:
    """Split lines with no border between them into rows.

    A line carries on the row above when its first cell is empty while
    another has text, or when the text above filled its cell so the next
    word would not have fitted (the test a word processor wraps by).
    Otherwise (short values, one per line) it starts a new row. Lines with
    every cell blank are the space between a cell's paragraphs, which only a
    grid row wrapped over many lines has: then the lines are all one row.
    """
    lined = [_row_pieces([line], bounds, loose=False) for line in chunk]
    if fill and any(not any(p[0][0].strip() for p in pieces.values()) for pieces in lined):
        return [chunk]
    if fill and all(len(pieces) == 1 for pieces in lined):
        return [chunk]  # one column between two borders: a box round one text
    rows: list[list[str]] = []
    previous: dict[int, list[tuple[str, int]]] = {}
    for line, pieces in zip(chunk, lined, strict=True):
        if rows and _carries_on(previous, pieces, fill=fill):
            rows[-1].append(line)
        else:
            rows.append([line])
        previous = pieces
    return rows


def _carries_on(
    above: dict[int, list[tuple[str, int]]],
    here: dict[int, list[tuple[str, int]]],
    *,
    fill: bool = True,
    ragged: bool = False,
) -> bool:
    """Whether a line (its pieces per column) carries on the row of the line above.

    Yes when its first cell is blank (a row's first cell, an area of need, a
    letter or a label, says where rows begin) or the only one with text, or
    when any cell carries on mid-paragraph from the cell above: the text
    above filled its cell so the next word would not have fitted, or the
    text here starts in lower case after a line that did not end a
    sentence. Without ``fill`` (cells of no known width) only a blank first
    cell carries on. In ``ragged`` columns fullness is too weak a sign (a
    column of dates or names has every line nearly as wide as the widest):
    a cell carries the row on only when its text plainly goes on
    mid-sentence (see :func:`mid_sentence`).
    """
    if not here:
        return True
    first = min(here)
    if not here[first][0][0].strip():
        return True
    if not fill:
        return False
    if sum(1 for pieces in here.values() if pieces[0][0].strip()) < min(2, len(here)):
        return True  # a new row has text in more than its first cell
    for column, pieces in here.items():
        text = pieces[0][0].strip()
        if column not in above or not text:
            continue
        if not ragged and _wraps(above[column][0], text):
            return True
        if ragged and mid_sentence(above[column][0][0], text):
            return True
    return False


#: Words a line of prose does not end a phrase on: a line ending on one goes on below.
_OPEN_WORDS = (
    "a an the of to and or but for with in on at by from as into than that this "
    "her his their its our my your will would can could is are was were be has have"
)
_OPEN_ENDED = frozenset(_OPEN_WORDS.split())


def mid_sentence(before: str, text: str) -> bool:
    """Plainly mid-sentence: no sentence end above, and lower case here, or a line of
    prose above (a short label such as "Who from" is not prose) ending on an open
    word, or going on here with no capital ("2026).", "(SALT) will")."""
    before = before.strip()
    if not before or before.endswith(_ENDS) or BULLET.match(text):
        return False
    if text[0].islower():
        return True
    words_ = before.split()
    if len(words_) < 4:
        return False
    last = words_[-1].lower()
    # "... advice, May" / "2026)." goes on; "... 01632 960284" / "24 November" is a new value.
    return last in _OPEN_ENDED or (not text[0].isupper() and last[-1:].isalpha())


def _wraps(above: tuple[str, int], text: str) -> bool:
    """Does ``text`` carry on the cell text ``above`` (piece, width) mid-paragraph?"""
    before, width = above[0].strip(), above[1] - 2
    if not before:
        return False
    ended = before.endswith((".", "!", "?", ":", '"', "\u201d"))
    if text[0].islower():
        return not ended
    # A narrow cell (a section letter) holds a token, not wrapped words.
    return not ended and width >= _MIN_WRAP and len(before) + 1 + len(text.split()[0]) > width


#: A ragged line at least this share of its column's widest line may have been wrapped.
_RAGGED_FULL = 0.6
_ENDS = (".", "!", "?", ":", '"', "\u201d")
#: A line opening a section in a template's words: "Section F:", "Sections C and G",
#: "B \u2013 Special Educational Needs", "H1: ...", "I - Placement".
SECTION_OPENING = re.compile(
    r"^\s*(?:(?i:sections?)\s+(?:[A-K]|H[12])\b|(?:[A-K]|H[12])\s*[-\u2013\u2014:.)]\s+\S)"
)


def _title_like(text: str) -> bool:
    """A heading's line: a section code opening it, or short Title Case words."""
    if SECTION_OPENING.match(text):
        return True
    words_ = [w for w in text.split() if w[:1].isalpha()]
    small = sum(1 for w in words_ if w[0].islower() and len(w) > 3)
    return 0 < len(words_) <= 8 and small == 0


def _ragged_wraps(above: tuple[str, int], text: str, *, header: bool = True) -> bool:
    """Does ``text`` carry on ``above`` in a column laid out from a proportional font?

    Such a column has no exact width (narrow and wide letters make lines of
    one wrap width anywhere from two-thirds to all of the widest), so a line
    carries on one that did not end a sentence when it goes on in lower case,
    or when the line above was nearly full and is not a heading's line: a
    header cell ("F \u2013 Special Educational Provision") stands alone above
    the first line of its column. Below the ``header`` row a short title-like
    line is a name wrapped over lines ("Kingsmere Parent Carer" / "Forum").
    """
    before, width = above[0].strip(), above[1] - 2
    if mid_sentence(before, text):
        return True
    if not before or before.endswith(_ENDS) or BULLET.match(text):
        return False
    return not (header and _title_like(before)) and len(before) >= _RAGGED_FULL * width


def _joins(
    last: str, text: str, width: int, *, known: bool, ragged: bool, header: bool = True
) -> bool:
    """Does a cell's line ``text`` carry on its line above, ``last``, mid-paragraph?"""
    if ragged:
        return _ragged_wraps((last, width + 2), text, header=header)
    if known:
        return len(last) + 1 + len(text.split()[0]) > width
    return text[0].islower()


def _cell_text(
    pieces: list[tuple[str, int]], *, ragged: bool = False, header: bool = True
) -> tuple[str, bool]:
    """A cell's text from its pieces: wrapped lines joined, paragraphs on new lines.

    A blank line, a list item, a ``<br>``, or a line that stopped short of the
    cell's width (its next word would have fitted) ends a paragraph. Where
    the width is not known (ragged lines with no closing pipe) a line carries
    on the one above only when it starts in lower case. Markdown ``**bold**``
    around a whole paragraph is taken off and reported.
    """
    known = all(w > 0 for _, w in pieces)
    # The cell's drawn width: a long word running past it does not widen it.
    width = min((w - 2 for _, w in pieces), default=0)
    paragraphs: list[str] = []
    last = ""  # the line before, while its paragraph is open
    for piece, _width in pieces:
        for k, raw in enumerate(_BREAK.split(piece)):
            text = raw.strip()
            bullet = BULLET.match(text) if text else None
            if not text:
                # A blank line ends a paragraph, but in a ragged column it is only
                # another column's line at a height this one's text skips.
                last = last if ragged else ""
                continue
            if bullet:
                paragraphs.append(bullet.group(1).strip())
            elif (
                k == 0
                and last
                and _joins(last, text, width, known=known, ragged=ragged, header=header)
            ):
                # A word broken at its hyphen ("co-" / "ordination") joins up again.
                hyphen = last.endswith("-") and last[-2:-1].isalpha()
                paragraphs[-1] += ("" if hyphen else " ") + text
            else:
                paragraphs.append(text)
            last = text
    bold = bool(paragraphs)
    out: list[str] = []
    for paragraph in paragraphs:
        m = _BOLD_CELL.match(paragraph)
        if m:
            out.append(m.group(1).strip())
        else:
            bold = False
            out.append(paragraph)
    return "\n".join(out), bold
