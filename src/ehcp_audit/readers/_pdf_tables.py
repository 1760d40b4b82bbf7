"""Find ruled tables from a page's ruling lines, the way pdfplumber does.

pdfplumber's "lines" table finder is the proven method: snap nearly
collinear ruling lines together, join the pieces, take every crossing of a
horizontal and a vertical line, and call the smallest rectangle whose four
corners are crossings joined by lines a cell; cells that share corners form
a table. pdfplumber runs it on a full pdfminer parse, which costs tens of
times PDFium's text extraction; plans are mostly tables, so we run the same
steps on the edges PDFium gives us instead (see ``_pdf_page``), which keeps
reading a plan within a small multiple of plain text extraction.

Unlike pdfplumber, single cells are returned too (:attr:`Grid.single`): the
caller decides whether one is a box round a paragraph or the part of a
table row that a page break cut off. A grid drawn inside another grid's cell
is returned too, and :func:`nesting` says which cell holds it: templates put
an "Outcome | By when" table inside the section's cell, and reading its
columns as one cell's lines would interleave them.

Tables with only horizontal rules (no crossings) are not found: their text
reads as ordinary lines, which loses the columns but none of the words.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from attrs import frozen

from ._pdf_page import Edge

_SNAP = 2.0  # lines this close are the same line
_JOIN = 2.0  # collinear pieces with a gap this small are one line
_TOUCH = 1.5  # a crossing may miss by this much
_SLIVER = 8.0  # a "cell" narrower than this holds no text


@frozen
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    row: int
    column: int


@frozen
class Grid:
    """One table on one page: cells over a visual grid of rows and columns.

    ``columns`` are the x positions of every column boundary (lefts, then the
    table's right edge), used to recognise the same table going on over a
    page break.
    """

    cells: tuple[Cell, ...]
    x0: float
    top: float
    x1: float
    bottom: float
    columns: tuple[float, ...]
    _row_tops: tuple[float, ...]
    _col_lefts: tuple[float, ...]
    _slots: dict[tuple[int, int], int]

    @property
    def rows(self) -> int:
        return len(self._row_tops)

    @property
    def cols(self) -> int:
        return len(self._col_lefts)

    @property
    def single(self) -> bool:
        """One cell only: a box drawn round some text, or a table row cut by a page break."""
        return len(self.cells) == 1

    def row_height(self, *rows: int) -> float:
        """The height of the tallest of ``rows`` (a merged cell counts its first row only)."""
        heights = [0.0]
        for row in rows:
            if 0 <= row < len(self._row_tops):
                top = self._row_tops[row]
                below = [t for t in self._row_tops if t > top]
                heights.append((min(below) if below else self.bottom) - top)
        return max(heights)

    def row_columns(self, row: int) -> tuple[float, ...]:
        """The column boundaries of one row (its cells' left edges, then the last right edge)."""
        cells = [c for c in self.cells if c.row == row]
        return (*(c.x0 for c in cells), cells[-1].x1) if cells else ()

    def cell_at(self, x: float, y: float) -> int | None:
        """Index in ``cells`` of the cell containing the point, if any."""
        if not (self.x0 <= x <= self.x1 and self.top <= y <= self.bottom):
            return None
        r = bisect.bisect_right(self._row_tops, y) - 1
        c = bisect.bisect_right(self._col_lefts, x) - 1
        return self._slots.get((max(r, 0), max(c, 0)))


def find_tables(edges: Iterable[Edge]) -> list[Grid]:
    """Every ruled table on the page, top to bottom, nested ones included."""
    vertical = _merge([e for e in edges if not e.horizontal])
    horizontal = _merge([e for e in edges if e.horizontal] + _open_ends(vertical))
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    points = _intersections(horizontal, vertical)
    cells = _cells(points)
    return sorted((_grid(group) for group in _group(cells)), key=lambda g: (g.top, g.x0))


def nesting(grids: Sequence[Grid]) -> list[tuple[int, int] | None]:
    """For each grid, (index of the grid, index of its cell) it is drawn inside, if any.

    The holder is the smallest grid around it; a grid lying over a border
    (no cell holds its centre) counts as not nested.
    """
    found: list[tuple[int, int] | None] = []
    for grid in grids:
        holders = [k for k, o in enumerate(grids) if o is not grid and _inside(grid, o)]
        holder = min(holders, key=lambda k: _area(grids[k]), default=None)
        cell = (
            grids[holder].cell_at((grid.x0 + grid.x1) / 2, (grid.top + grid.bottom) / 2)
            if holder is not None
            else None
        )
        found.append((holder, cell) if holder is not None and cell is not None else None)
    return found


def _area(grid: Grid) -> float:
    return (grid.x1 - grid.x0) * (grid.bottom - grid.top)


def _inside(inner: Grid, outer: Grid) -> bool:
    return (
        outer.x0 - _SNAP <= inner.x0
        and inner.x1 <= outer.x1 + _SNAP
        and outer.top - _SNAP <= inner.top
        and inner.bottom <= outer.bottom + _SNAP
        and (inner.x1 - inner.x0) * (inner.bottom - inner.top)
        < (outer.x1 - outer.x0) * (outer.bottom - outer.top)
    )


def _open_ends(vertical: list[Edge]) -> list[Edge]:
    """Close the rows a page break cut open.

    A word processor draws no border where a table row is split by a page
    break, so the part on each page is open at the bottom (or top). Where two
    or more vertical rules end at the same height, a horizontal rule between
    them is supplied; where the table was closed anyway it merges with the
    real one.
    """
    added: list[Edge] = []
    for end in (_start, _end):
        group: list[Edge] = []
        for e in [*sorted(vertical, key=end), None]:
            if group and (e is None or end(e) - end(group[0]) > _SNAP):
                if len(group) >= 2:
                    xs = [g.pos for g in group]
                    added.append(Edge(True, end(group[0]), min(xs), max(xs)))
                group = []
            if e is not None:
                group.append(e)
    return added


def _start(e: Edge) -> float:
    return e.start


def _end(e: Edge) -> float:
    return e.end


def _merge(edges: list[Edge]) -> list[Edge]:
    """Snap edges lying within ``_SNAP`` of each other onto one line, then join pieces."""
    if not edges:
        return []
    edges.sort(key=lambda e: e.pos)
    clusters: list[list[Edge]] = [[edges[0]]]
    for e in edges[1:]:
        if e.pos - clusters[-1][-1].pos <= _SNAP:
            clusters[-1].append(e)
        else:
            clusters.append([e])
    merged: list[Edge] = []
    for cluster in clusters:
        pos = sum(e.pos for e in cluster) / len(cluster)
        spans = sorted((e.start, e.end) for e in cluster)
        start, end = spans[0]
        for s, t in spans[1:]:
            if s <= end + _JOIN:
                end = max(end, t)
            else:
                merged.append(Edge(cluster[0].horizontal, pos, start, end))
                start, end = s, t
        merged.append(Edge(cluster[0].horizontal, pos, start, end))
    return merged


_Point = tuple[float, float]


def _intersections(
    horizontal: Sequence[Edge], vertical: Sequence[Edge]
) -> dict[_Point, tuple[set[int], set[int]]]:
    """Crossings, each with the ids of the horizontal and vertical lines through it."""
    points: dict[_Point, tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vertical):
        for hi, h in enumerate(horizontal):
            if (
                h.start - _TOUCH <= v.pos <= h.end + _TOUCH
                and v.start - _TOUCH <= h.pos <= v.end + _TOUCH
            ):
                hs, vs = points.setdefault((v.pos, h.pos), (set(), set()))
                hs.add(hi)
                vs.add(vi)
    return points


def _cells(
    points: dict[_Point, tuple[set[int], set[int]]],
) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells``: the smallest closed rectangle at each crossing."""
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for ys in by_x.values():
        ys.sort()
    for xs in by_y.values():
        xs.sort()

    def joined_v(p: _Point, q: _Point) -> bool:
        return bool(points[p][1] & points[q][1])

    def joined_h(p: _Point, q: _Point) -> bool:
        return bool(points[p][0] & points[q][0])

    cells = []
    for x, y in sorted(points):
        here = (x, y)
        below = [(x, y2) for y2 in by_x[x] if y2 > y]
        right = [(x2, y) for x2 in by_y[y] if x2 > x]
        found = None
        for b in below:
            if not joined_v(here, b):
                continue
            for r in right:
                if not joined_h(here, r):
                    continue
                corner = (r[0], b[1])
                if corner in points and joined_v(corner, r) and joined_h(corner, b):
                    found = (x, y, r[0], b[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _group(
    cells: list[tuple[float, float, float, float]],
) -> list[list[tuple[float, float, float, float]]]:
    """Cells sharing a corner belong to one table (union-find over corners)."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[_Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(i), []).append(cell)
    return list(groups.values())


_Box = tuple[float, float, float, float]


def _without_slivers(boxes: list[_Box]) -> list[_Box]:
    """Fold cells too narrow to hold text into their neighbour in the row.

    They come from a table nested inside a cell whose border runs a few
    points inside the outer one and touches it (typically where a page
    break cuts both): left alone they would add phantom columns to the
    outer table.
    """
    if all(b[2] - b[0] >= _SLIVER for b in boxes):
        return boxes
    rows: dict[tuple[float, float], list[_Box]] = {}
    for b in boxes:
        rows.setdefault((b[1], b[3]), []).append(b)
    out: list[_Box] = []
    for row in rows.values():
        row.sort()
        merged: list[_Box] = []
        pending: float | None = None  # left edge of a sliver waiting for its right neighbour
        for x0, top, x1, bottom in row:
            if pending is not None:
                x0, pending = pending, None
            if x1 - x0 < _SLIVER:
                pending = x0
                continue
            merged.append((x0, top, x1, bottom))
        if pending is not None:
            if merged:
                last = merged.pop()
                merged.append((last[0], last[1], row[-1][2], last[3]))
            else:
                merged.append((pending, row[0][1], row[-1][2], row[0][3]))
        out.extend(merged)
    return out


def _grid(boxes: list[tuple[float, float, float, float]]) -> Grid:
    boxes = _without_slivers(boxes)
    row_tops = tuple(sorted({b[1] for b in boxes}))
    col_lefts = tuple(sorted({b[0] for b in boxes}))
    right = max(b[2] for b in boxes)
    cells = []
    slots: dict[tuple[int, int], int] = {}
    ordered = sorted(boxes, key=lambda b: (b[1], b[0]))
    for index, (x0, top, x1, bottom) in enumerate(ordered):
        row = row_tops.index(top)
        col = col_lefts.index(x0)
        cells.append(Cell(x0, top, x1, bottom, row, col))
        last_row = bisect.bisect_left(row_tops, bottom) - 1
        last_col = bisect.bisect_left(col_lefts, x1) - 1
        for r in range(row, max(last_row, row) + 1):
            for c in range(col, max(last_col, col) + 1):
                slots.setdefault((r, c), index)
    return Grid(
        cells=tuple(cells),
        x0=col_lefts[0],
        top=row_tops[0],
        x1=right,
        bottom=max(b[3] for b in boxes),
        columns=(*col_lefts, right),
        row_tops=row_tops,
        col_lefts=col_lefts,
        slots=slots,
    )
