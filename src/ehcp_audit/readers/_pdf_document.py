"""Pages of text runs -> the Document's blocks, with judgements that need every page.

Per page (:func:`layout_page`): find the ruled tables, hand each text run to
the table cell it sits in (by its centre) or to the page body, and build
lines.

Over the whole document (:func:`assemble`):

* **furniture**: lines (or small tables) in the top or bottom band of the
  page whose text, digits ignored, comes back on at least half the pages,
  and bare page numbers, go to ``Document.furniture``; so does rotated text
  outside tables (margin notes, "DRAFT" watermarks);
* **boxes**: a single ruled cell is a frame round some text (a note, a
  shaded heading band) and reads as paragraphs and headings, unless it is
  the piece of a table row that a page break cut off;
* **body size**: the font size most characters are set in; headings are
  judged against it and every block carries it;
* **reading order**: body paragraphs and tables sorted by their top edge;
* **page breaks**: a table ending at the foot of one page and going on at
  the head of the next in the same columns is one table (rows numbered on;
  a header row drawn again is dropped; a row the break split is joined
  back), and a paragraph cut mid-sentence by the break is joined back.

Cell text: a cell's wrapped lines are joined with a space, its paragraphs
with ``"\n"``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from attrs import define, frozen

from .._model import Block, BlockKind, CellRef, FoundBy, evolve
from . import _pdf_layout as L
from ._pdf_layout import Line
from ._pdf_page import PageContent, Run
from ._pdf_tables import Grid, find_tables, nesting
from ._text_tables import may_start

#: Share of the page height at the top and bottom where running headers and footers sit.
_BAND = 0.12
#: Lines nearest each edge that may be furniture.
_EDGE_LINES = 3
_PAGE_NUMBER = re.compile(
    r"^[-–—(\[]*\s*(?:page\s*)?\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*[-–—)\]]*$"
    r"|^\d{1,4}\s*\|\s*p\s*a\s*g\s*e$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_COLUMN_TOLERANCE = 3.0
#: Points of leeway when judging whether something fitted at the foot of a page.
_SLACK = 6.0
#: A line ending with one of these ends a sentence (or a label).
_FINISHED = (".", "!", "?", ":", ".)", '."', ".”")


@frozen
class PageTable:
    grid: Grid
    cells: tuple[tuple[Line, ...], ...]  # lines per cell, in ``grid.cells`` order
    #: Tables drawn inside a cell: (index of the cell in ``grid.cells``, table), top down.
    nested: tuple[tuple[int, PageTable], ...] = ()

    def lines(self) -> list[Line]:
        """Every line of the table, its nested tables' included."""
        own = [line for cell in self.cells for line in cell]
        return own + [line for _, inner in self.nested for line in inner.lines()]

    def regions(self) -> list[tuple[Line, ...]]:
        """The lines of each cell, nested tables' cells included."""
        return [*self.cells, *(cell for _, inner in self.nested for cell in inner.regions())]


@frozen
class PageLayout:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    tables: tuple[PageTable, ...]
    rotated: str
    images: int
    paths: int
    chars: int


def layout_page(content: PageContent) -> PageLayout:
    """Split a page's text runs between its tables and its body, and build lines.

    A run goes to the innermost table cell holding its centre, so the text of
    a table drawn inside a cell stays in that table's own cells.
    """
    grids = find_tables(content.edges) if len(content.edges) >= 4 else []
    # A one-column table inside a cell is paragraphs ruled off from each
    # other: its text reads as the holding cell's. (Only columns side by
    # side would interleave.)
    grids = [g for g, h in zip(grids, nesting(grids), strict=True) if h is None or g.cols > 1]
    body: list[Run] = []
    rotated: list[Run] = []
    in_cells: list[list[list[Run]]] = [[[] for _ in g.cells] for g in grids]
    # Smallest first: a nested table is tried before the table holding it.
    boxes = sorted(
        ((g.x0, g.top, g.x1, g.bottom, k) for k, g in enumerate(grids)),
        key=lambda b: (b[2] - b[0]) * (b[3] - b[1]),
    )
    for run in content.runs:
        cx, cy = (run.x0 + run.x1) / 2, (run.top + run.bottom) / 2
        for x0, top, x1, bottom, g in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                index = grids[g].cell_at(cx, cy)
                if index is not None:
                    in_cells[g][index].append(run)
                    break
        else:
            # Turned text outside tables is a margin note or a watermark.
            (body if run.upright else rotated).append(run)
    holders = nesting(grids)
    children: dict[int, list[tuple[int, int]]] = {}
    for k, holder in enumerate(holders):
        if holder is not None:
            children.setdefault(holder[0], []).append((holder[1], k))

    def build(g: int) -> PageTable:
        return PageTable(
            grids[g],
            tuple(tuple(L.build_lines(runs)) for runs in in_cells[g]),
            tuple((cell, build(k)) for cell, k in children.get(g, [])),
        )

    tables = tuple(build(g) for g, holder in enumerate(holders) if holder is None)
    return PageLayout(
        number=content.number,
        width=content.width,
        height=content.height,
        lines=tuple(L.build_lines(body)),
        tables=tables,
        rotated=" ".join(run.text for run in rotated),
        images=content.images,
        paths=content.paths,
        chars=content.chars,
    )


# -- items: what a page shows, in reading order --------------------------------


@define
class _Text:
    kind: BlockKind
    lines: list[Line]
    page: int
    right: float  # where its lines wrap

    @property
    def top(self) -> float:
        return self.lines[0].top


@define
class _Table:
    table: PageTable
    page: int
    number: int = 0
    #: Added to a cell's row on this page to number it within the whole table.
    row_offset: int = 0
    #: Leading rows already given (a repeated header, the rest of a split row).
    skip_rows: int = 0
    header: tuple[str, ...] = ()
    texts: list[str] | None = None

    def cell_texts(self, pitch: L.Pitch) -> list[str]:
        if self.texts is None:
            self.texts = [
                _cell_text(lines, cell.x0, cell.x1, pitch)
                for cell, lines in zip(self.table.grid.cells, self.table.cells, strict=True)
            ]
        return self.texts

    def row(self, row: int, pitch: L.Pitch) -> dict[int, str]:
        """Column -> text of the cells starting in ``row``."""
        texts = self.cell_texts(pitch)
        return {
            cell.column: texts[i] for i, cell in enumerate(self.table.grid.cells) if cell.row == row
        }

    @property
    def top(self) -> float:
        return self.table.grid.top


_Item = _Text | _Table


def assemble(pages: Sequence[PageLayout]) -> tuple[list[Block], list[Block]]:
    """Blocks and furniture for the whole document (indices and levels filled in)."""
    furniture, furniture_lines, furniture_tables = _furniture(pages)
    body_lines = {
        p.number: [line for line in p.lines if id(line) not in furniture_lines] for p in pages
    }
    tables = {p.number: [t for t in p.tables if id(t) not in furniture_tables] for p in pages}
    frames = _frames(pages, body_lines, tables)
    boxes = _unbox(pages, body_lines, tables)

    every_line = [line for lines in body_lines.values() for line in lines]
    every_line += [line for ts in tables.values() for t in ts for line in t.lines()]
    every_line += [line for bs in boxes.values() for box in bs for line in box.cells[0]]
    body_size = L.dominant_size(every_line)
    regions: list[Sequence[Line]] = list(body_lines.values())
    regions += [cell for ts in tables.values() for t in ts for cell in t.regions()]
    regions += [box.cells[0] for bs in boxes.values() for box in bs]
    pitch = L.line_pitches(regions)
    # The page's running text keeps its own line spacing: a template's tables are often
    # set tighter than its prose, and their pitch would end prose paragraphs at every line.
    prose_pitch = L.line_pitches(list(body_lines.values()), fallback=pitch)
    rights = _body_rights(pages, body_lines)

    per_page: list[list[_Item]] = []
    for p in pages:
        n = p.number
        items: list[_Item] = _text_items(
            n, body_lines[n], tables[n], body_size, prose_pitch, rights[n]
        )
        for box in boxes[n]:
            # A box round some text: its lines wrap at the box's inner edge.
            cell = box.grid.cells[0]
            right = cell.x1 - _padding(box.cells[0], cell.x0)
            inner = [table for _, table in box.nested]
            items += _text_items(n, box.cells[0], inner, body_size, pitch, right)
        items += [_Table(t, n) for t in tables[n]]
        items.sort(key=lambda item: item.top)
        per_page.append(items)

    items = _join_page_breaks(pages, per_page, pitch, rights, frames)
    blocks = _blocks(items, body_size, pitch)
    furniture = [
        Block(
            index=i,
            kind=b.kind,
            text=b.text,
            page=b.page,
            bold=b.bold,
            font_size=b.font_size,
            body_font_size=body_size,
        )
        for i, b in enumerate(furniture)
    ]
    return blocks, furniture


@frozen
class _Frame:
    """The area content occupies on pages of one size (inside the margins)."""

    top: float
    bottom: float


def _frames(
    pages: Sequence[PageLayout],
    body_lines: dict[int, list[Line]],
    tables: dict[int, list[PageTable]],
) -> dict[int, _Frame]:
    # Extremes per page size, gathered in one pass: every page of a size shares them.
    extents: dict[tuple[int, int], tuple[float, float]] = {}
    for p in pages:
        tops = [line.top for line in body_lines[p.number]]
        tops += [t.grid.top for t in tables[p.number]]
        bottoms = [line.bottom for line in body_lines[p.number]]
        bottoms += [t.grid.bottom for t in tables[p.number]]
        if not tops:
            continue
        key = (round(p.width), round(p.height))
        top, bottom = min(tops), max(bottoms)
        seen = extents.get(key)
        extents[key] = (top, bottom) if seen is None else (min(seen[0], top), max(seen[1], bottom))
    frames: dict[int, _Frame] = {}
    for p in pages:
        extent = extents.get((round(p.width), round(p.height)))
        if extent is not None:
            # The foot of the text area is as far down as anything goes, and
            # at least as far from the bottom edge as the top margin is from
            # the top (a short document may never fill a page).
            top = extent[0]
            frames[p.number] = _Frame(top, max(p.height - top, extent[1]))
        else:
            frames[p.number] = _Frame(0.0, p.height)
    return frames


def _unbox(
    pages: Sequence[PageLayout],
    body_lines: dict[int, list[Line]],
    tables: dict[int, list[PageTable]],
) -> dict[int, list[PageTable]]:
    """Take single-cell grids out of the tables unless they carry a table over a page break.

    A lone cell at the foot of a page, above a table of the same width at the
    head of the next (or the reverse), is a table row the break cut in two.
    Any other lone cell is a box drawn round text: a framed note or a shaded
    heading band, read as ordinary paragraphs and headings.
    """
    boxes: dict[int, list[PageTable]] = {p.number: [] for p in pages}
    numbers = [p.number for p in pages]
    for k, n in enumerate(numbers):
        for t in list(tables[n]):
            if not t.grid.single:
                continue
            below = k + 1 < len(numbers) and _last(n, body_lines, tables) is t
            above = k > 0 and _first(n, body_lines, tables) is t
            joins = (below and _same_width(t, _first(numbers[k + 1], body_lines, tables))) or (
                above and _same_width(t, _last(numbers[k - 1], body_lines, tables))
            )
            if not joins:
                tables[n].remove(t)
                boxes[n].append(t)
                # A table inside the box is a table of the page.
                tables[n].extend(inner for _, inner in t.nested)
    return boxes


def _first(n: int, body_lines: dict[int, list[Line]], tables: dict[int, list[PageTable]]) -> object:
    """The top-most thing on page ``n`` (a line or a table), if any."""
    things: list[tuple[float, object]] = [(line.top, line) for line in body_lines[n]]
    things += [(t.grid.top, t) for t in tables[n]]
    return min(things, key=lambda x: x[0])[1] if things else None


def _last(n: int, body_lines: dict[int, list[Line]], tables: dict[int, list[PageTable]]) -> object:
    """The bottom-most thing on page ``n`` (a line or a table), if any."""
    things: list[tuple[float, object]] = [(line.bottom, line) for line in body_lines[n]]
    things += [(t.grid.bottom, t) for t in tables[n]]
    return max(things, key=lambda x: x[0])[1] if things else None


def _same_width(t: PageTable, other: object) -> bool:
    return (
        isinstance(other, PageTable)
        and abs(t.grid.x0 - other.grid.x0) <= _COLUMN_TOLERANCE
        and abs(t.grid.x1 - other.grid.x1) <= _COLUMN_TOLERANCE
    )


def _padding(lines: Sequence[Line], x0: float) -> float:
    return max(0.0, min(line.x0 for line in lines) - x0) if lines else 0.0


def _text_items(
    page: int,
    lines: Sequence[Line],
    tables: Sequence[PageTable],
    body_size: float | None,
    pitch: L.Pitch,
    right: float,
) -> list[_Item]:
    heading = [body_size is not None and L.is_heading_line(line, body_size) for line in lines]
    # A run of same-style heading lines is one heading only if it is short;
    # a long run is a paragraph that happens to be set large.
    i = 0
    while i < len(lines):
        if not heading[i]:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and heading[j] and L.same_heading(lines[j - 1], lines[j]):
            j += 1
        if (
            j - i > L.MAX_HEADING_LINES
            or sum(len(x.text) for x in lines[i:j]) > L.MAX_HEADING_CHARS
        ):
            for k in range(i, j):
                heading[k] = False
        i = j

    table_tops = sorted(t.grid.top for t in tables)
    items: list[_Item] = []
    current: _Text | None = None
    for line, is_heading in zip(lines, heading, strict=True):
        if is_heading:
            if (
                current is not None
                and current.kind is BlockKind.HEADING
                and L.same_heading(current.lines[-1], line)
                and not _table_between(table_tops, current.lines[-1], line)
            ):
                current.lines.append(line)
                continue
            current = _Text(BlockKind.HEADING, [line], page, right)
            items.append(current)
            continue
        if (
            current is not None
            and current.kind is not BlockKind.HEADING
            and not _table_between(table_tops, current.lines[-1], line)
            # A line of a table drawn in characters (a text export printed)
            # stands alone, to be read as a table row (see _drawn_tables).
            and not may_start(line.text)
            and not may_start(current.lines[-1].text)
            and L.continues(current.lines, line, right, pitch)
        ):
            current.lines.append(line)
            continue
        kind = BlockKind.LIST_ITEM if line.marker else BlockKind.PARAGRAPH
        current = _Text(kind, [line], page, right)
        items.append(current)
    return items


def _table_between(table_tops: Sequence[float], above: Line, below: Line) -> bool:
    return any(above.top < top < below.top for top in table_tops)


def _body_rights(
    pages: Sequence[PageLayout], body_lines: dict[int, list[Line]]
) -> dict[int, float]:
    """Where body lines wrap, per page size: the furthest any line reaches.

    When no line on pages of that size gets near the right margin that the
    left margin mirrors (nothing wrapped), the mirrored margin is used.
    """
    # (left, reach) per page width, gathered in one pass: every page of a width shares them.
    by_width: dict[int, tuple[float, float]] = {}
    for p in pages:
        lines = body_lines[p.number]
        if not lines:
            continue
        left, reach = min(line.x0 for line in lines), max(line.x1 for line in lines)
        seen = by_width.get(round(p.width))
        by_width[round(p.width)] = (
            (left, reach) if seen is None else (min(seen[0], left), max(seen[1], reach))
        )
    rights: dict[int, float] = {}
    for p in pages:
        extent = by_width.get(round(p.width))
        if extent is None:
            rights[p.number] = p.width
            continue
        left, reach = extent
        mirrored = p.width - left
        rights[p.number] = reach if reach >= mirrored - 0.1 * (mirrored - left) else mirrored
    return rights


def _join_page_breaks(
    pages: Sequence[PageLayout],
    per_page: list[list[_Item]],
    pitch: L.Pitch,
    rights: dict[int, float],
    frames: dict[int, _Frame],
) -> list[_Item]:
    """Mark tables that go on over a page break and join paragraphs cut by one.

    Either needs the first part to end at the foot of its page's text area
    (what was cut off did not fit) and the second to start at the head of the
    next; a table or paragraph that ends half way down is followed by a page
    break on purpose. A paragraph is only joined when its last line stops
    mid-sentence: two paragraphs wrongly made one could put one person's
    words in another's mouth, while a paragraph cut at a sentence end loses
    nothing.
    """
    items: list[_Item] = []
    for p, page_items in zip(pages, per_page, strict=True):
        if items and page_items:
            last, first = items[-1], page_items[0]
            before, after = frames[last.page], frames[p.number]
            if isinstance(last, _Table) and isinstance(first, _Table):
                grid, new = last.table.grid, first.table.grid
                room = before.bottom - grid.bottom
                if (
                    room < new.row_height(0, 1) + _SLACK
                    and new.top - after.top <= _SLACK * 4
                    and _goes_on(last, first, pitch)
                ):
                    first.number = -1  # marks a continuation; numbered in _blocks
            elif (
                isinstance(last, _Text)
                and isinstance(first, _Text)
                and last.kind is not BlockKind.HEADING
                and first.kind is BlockKind.PARAGRAPH
                and before.bottom - last.lines[-1].bottom < 2.5 * last.lines[-1].size
                and first.lines[0].top - after.top < 1.5 * first.lines[0].size
                and not last.lines[-1].text.endswith(_FINISHED)
                and not may_start(last.lines[-1].text)
                and not may_start(first.lines[0].text)
                and L.continues(last.lines, first.lines[0], rights[last.page], pitch, gap=False)
            ):
                last.lines.extend(first.lines)
                page_items = page_items[1:]
        items.extend(page_items)
    return items


def _goes_on(before: _Table, after: _Table, pitch: L.Pitch) -> bool:
    """Does ``after`` (top of a page) carry on ``before`` (foot of the page before)?

    The whole grids may differ (a title row merged across the top of the
    first part), so it is enough that the new part's first row lines up with
    the old part's last row, or repeats its first row word for word (a
    repeated header row).
    """
    old, new = before.table.grid, after.table.grid
    first = new.row_columns(0)
    return (
        _close(old.columns, new.columns)
        or _close(old.row_columns(old.rows - 1), first)
        or (
            _close(old.row_columns(0), first)
            and after.row(0, pitch) == before.row(0, pitch)
            and any(after.row(0, pitch).values())
        )
    )


def _close(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) > 1 and all(
        abs(x - y) <= _COLUMN_TOLERANCE for x, y in zip(a, b, strict=True)
    )


# -- blocks ------------------------------------------------------------------


def _blocks(items: list[_Item], body_size: float | None, pitch: L.Pitch) -> list[Block]:
    levels = _heading_levels(
        [
            (L.dominant_size(i.lines) or 0.0, L.is_bold(i.lines))
            for i in items
            if isinstance(i, _Text) and i.kind is BlockKind.HEADING
        ]
    )
    blocks: list[Block] = []
    numbers = itertools.count(1)  # tables in document order, nested ones too
    previous: _Table | None = None
    for item in items:
        if isinstance(item, _Text):
            size = L.dominant_size(item.lines)
            bold = L.is_bold(item.lines)
            text = L.join_lines(item.lines, item.right)
            level = None
            if item.kind is BlockKind.HEADING:
                level = levels[(size or 0.0, bold)]
            elif item.kind is BlockKind.LIST_ITEM:
                text = L.strip_bullet(text)
            blocks.append(
                Block(
                    index=len(blocks),
                    kind=item.kind,
                    text=text.strip(),
                    page=item.page,
                    heading_level=level,
                    heading_source=FoundBy.FONT if level is not None else None,
                    bold=bold,
                    font_size=size,
                    body_font_size=body_size,
                )
            )
            continue
        if item.number == -1 and previous is not None:
            _continue_table(item, previous, blocks, pitch)
        else:
            item.number = next(numbers)
            item.header = tuple(item.row(0, pitch).values())
        previous = item
        _cell_blocks(item, blocks, body_size, pitch, numbers)
    return blocks


def _continue_table(item: _Table, previous: _Table, blocks: list[Block], pitch: L.Pitch) -> None:
    """Number a table's rows on from where it left off on the page before.

    A header row drawn again at the top of the new page is dropped. A row
    that the break split (Word and LibreOffice let rows break across pages)
    is joined back into the row it began in: see :func:`_split_row`.
    """
    item.number = previous.number
    item.header = previous.header
    end = previous.row_offset + previous.table.grid.rows  # the next row's number
    first = 1 if tuple(item.row(0, pitch).values()) == item.header else 0
    last_row = {
        b.cell.column: i
        for i, b in enumerate(blocks)
        if b.cell is not None and b.cell.table == item.number and b.cell.row == end - 1
    }
    going_on = item.row(first, pitch)
    flowing = _flowing(previous, item, first, pitch)
    if _split_row(going_on, {c: blocks[i].text for c, i in last_row.items()}, flowing):
        for column, text in going_on.items():
            if text:
                i = last_row[column]
                blocks[i] = evolve(blocks[i], text=blocks[i].text + " " + text)
        first += 1
    item.skip_rows = first
    item.row_offset = end - first


def _flowing(previous: _Table, item: _Table, row: int, pitch: L.Pitch) -> set[int]:
    """Columns whose text in ``row`` carries on, mid-paragraph, from the last row before.

    The text above must run down to the foot of its cell (the break cut it),
    and the text below must start in lower case, or follow a last line that
    does not end a sentence and that its first word would not have fitted on
    (the test for wrapped lines).
    """
    grid = previous.table.grid
    before = {
        cell.column: (cell, lines)
        for cell, lines in zip(grid.cells, previous.table.cells, strict=True)
        if cell.row == grid.rows - 1 and lines
    }
    columns: set[int] = set()
    for cell, lines in zip(item.table.grid.cells, item.table.cells, strict=True):
        if cell.row != row or not lines or cell.column not in before:
            continue
        above, above_lines = before[cell.column]
        right = above.x1 - _padding(above_lines, above.x0)
        last = above_lines[-1]
        cut = above.bottom - last.bottom <= above_lines[0].top - above.top + 0.5 * last.size
        if cut and (
            lines[0].text[:1].islower()
            or (
                not last.text.endswith(_FINISHED)
                and L.continues([last], lines[0], right, pitch, gap=False)
            )
        ):
            columns.add(cell.column)
    return columns


def _split_row(going_on: dict[int, str], before: dict[int, str], flowing: set[int]) -> bool:
    """Is ``going_on`` (the first row on the new page) the rest of row ``before``?

    Yes when the columns match and either every cell is empty (only the
    cells' bottom padding went over) or every filled cell is below a filled
    cell and at least one carries its text on mid-paragraph. (The others
    may start a new paragraph of the same cell.) The tests are strict
    because joining two rows by mistake would mix up whose needs, provision
    and outcomes belong together.
    """
    if not going_on or going_on.keys() != before.keys():
        return False
    filled = [c for c, text in going_on.items() if text]
    return not filled or (all(before[c] for c in filled) and any(c in flowing for c in filled))


def _cell_blocks(
    item: _Table,
    blocks: list[Block],
    body_size: float | None,
    pitch: L.Pitch,
    numbers: Iterator[int],
    parent: int | None = None,
) -> None:
    """Append a block per cell of ``item``, and the cells of tables drawn inside them.

    A nested table is numbered as a table of its own, with ``parent_table``
    set; its blocks come between the text of the holding cell above it and
    the text below it, as they read.
    """
    texts = item.cell_texts(pitch)
    nested: dict[int, list[PageTable]] = {}
    for index, inner in item.table.nested:
        nested.setdefault(index, []).append(inner)
    for i, (cell, lines) in enumerate(zip(item.table.grid.cells, item.table.cells, strict=True)):
        if cell.row < item.skip_rows:
            continue
        ref = CellRef(
            table=item.number,
            row=item.row_offset + cell.row,
            column=cell.column,
            header=item.header,
            parent_table=parent,
        )
        inside = sorted(nested.get(i, ()), key=lambda t: t.grid.top)
        parts: list[tuple[Sequence[Line], _Table | None]] = []
        rest: Sequence[Line] = lines
        for found in inside:
            parts.append(([x for x in rest if x.top < found.grid.top], None))
            rest = [x for x in rest if x.top >= found.grid.top]
            nested_table = _Table(found, item.page, number=next(numbers))
            nested_table.header = tuple(nested_table.row(0, pitch).values())
            parts.append(((), nested_table))
        parts.append((rest, None))
        for k, (part, held) in enumerate(parts):
            if held is not None:
                _cell_blocks(held, blocks, body_size, pitch, numbers, item.number)
                continue
            if k and not part:
                continue  # nothing below the nested table
            text = texts[i] if not inside else _cell_text(part, cell.x0, cell.x1, pitch)
            blocks.append(
                Block(
                    index=len(blocks),
                    kind=BlockKind.TABLE_CELL,
                    text=text,
                    page=item.page,
                    cell=ref,
                    bold=L.is_bold(part),
                    font_size=L.dominant_size(part),
                    body_font_size=body_size,
                )
            )


def _cell_text(lines: Sequence[Line], x0: float, x1: float, pitch: L.Pitch) -> str:
    """Wrapped lines joined with a space, paragraphs with a newline.

    Lines wrap at the cell's right border less the cell's padding, taken to
    mirror the left padding. Drawn bullets are dropped, as in list items:
    Word keeps them out of the text too.
    """
    if not lines:
        return ""
    padding = max(0.0, min(line.x0 for line in lines) - x0)
    right = x1 - padding
    paragraphs: list[list[Line]] = []
    for line in lines:
        if paragraphs and L.continues(paragraphs[-1], line, right, pitch):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return "\n".join(L.strip_bullet(L.join_lines(p, right).strip()) for p in paragraphs)


def _heading_levels(styles: list[tuple[float, bool]]) -> dict[tuple[float, bool], int]:
    """Level 1 for the largest heading style, 2 for the next, ... (bold before regular)."""
    distinct = sorted(set(styles), key=lambda s: (-s[0], not s[1]))
    levels: dict[tuple[float, bool], int] = {}
    rank = 0
    previous: tuple[float, bool] | None = None
    for style in distinct:
        if previous is None or abs(previous[0] - style[0]) > 0.5 or previous[1] != style[1]:
            rank += 1
        levels[style] = rank
        previous = style
    return levels


# -- furniture -----------------------------------------------------------------


def _key(text: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", text.lower())).strip()


def _furniture(
    pages: Sequence[PageLayout],
) -> tuple[list[Block], set[int], set[int]]:
    """Running headers, footers, page numbers and rotated text."""
    candidates: dict[tuple[str, str], set[int]] = {}
    placed: list[tuple[tuple[str, str], int, Line | PageTable]] = []
    for p in pages:
        top_band, bottom_band = p.height * _BAND, p.height * (1 - _BAND)
        edge_lines = list(p.lines[:_EDGE_LINES]) + list(p.lines[-_EDGE_LINES:])
        for line in dict.fromkeys(edge_lines):
            middle = (line.top + line.bottom) / 2
            side = "top" if middle < top_band else "bottom" if middle > bottom_band else ""
            if side:
                key = (side, _key(line.text))
                candidates.setdefault(key, set()).add(p.number)
                placed.append((key, p.number, line))
        for table in p.tables:
            grid = table.grid
            side = "top" if grid.bottom < top_band else "bottom" if grid.top > bottom_band else ""
            if side:
                text = " | ".join(line.text for line in table.lines())
                key = (side, "table:" + _key(text))
                candidates.setdefault(key, set()).add(p.number)
                placed.append((key, p.number, table))

    repeated = {
        key
        for key, on in candidates.items()
        if len(pages) > 1 and len(on) >= 2 and len(on) >= 0.5 * len(pages)
    }
    blocks: list[Block] = []
    seen: set[str] = set()
    lines: set[int] = set()
    tables: set[int] = set()

    def add(text: str, page: int, bold: bool, size: float | None) -> None:
        key = _key(text)
        if key and key not in seen:
            seen.add(key)
            blocks.append(
                Block(
                    index=0,
                    kind=BlockKind.PARAGRAPH,
                    text=text,
                    page=page,
                    bold=bold,
                    font_size=size,
                )
            )

    for key, page, thing in placed:
        if isinstance(thing, PageTable):
            if key in repeated:
                tables.add(id(thing))
                for line in thing.lines():
                    add(line.text, page, line.bold, line.size)
        elif key in repeated or _PAGE_NUMBER.match(thing.text.strip()):
            lines.add(id(thing))
            add(thing.text, page, thing.bold, thing.size)
    for p in pages:
        if p.rotated:
            add(p.rotated, p.number, False, None)
    return blocks, lines, tables
