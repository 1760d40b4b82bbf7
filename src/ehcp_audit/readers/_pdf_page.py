"""What one PDF page holds, as the layout stages need it: text runs and ruling lines.

A PDF has no paragraphs, headings or tables, only glyphs placed on a page and
lines drawn between them. This module asks PDFium (through pypdfium2) for
exactly the facts the later stages reason about, and nothing slower:

* **runs**: the text each text object draws (one font, one line), with its
  box, font size (text matrix included, so scaled text reports its visible
  size) and whether the font is bold. PDFium is asked once per word (which
  object drew it), a few times per run (boxes) and once per object (font);
  never once per glyph, which would cost more than the text extraction.
* **edges**: horizontal and vertical ruling lines (thin paths, and the
  straight sides of rectangles), which is what table borders are made of.
  A rule through the middle of text strikes it out (a tracked deletion
  printed with changes showing): those glyphs are dropped, as the docx
  reader drops deleted text.
* **images** and **paths**: how many pictures and shapes the page shows, to
  tell a scanned plan (pictures, or text turned into outlines, but no text)
  from an empty one.

Coordinates are PDF points measured from the (cropped) page's left edge and
**top** edge (so ``top < bottom``), which makes reading order a plain sort.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
from typing import Any, NamedTuple

from attrs import frozen

from . import _pdf_pdfium as P

#: A word: characters up to a space. PDFium inserts spaces and CR/LF of its
#: own (not drawn by the PDF) where it sees word and line gaps; they count
#: too. A hyphen ending a line comes as U+FFFE (or U+0002) with no line
#: break after it: it ends the word, and is read back as "-".
_BLANKS = " \t\r\n\x00\xa0\u2000-\u200b\u202f\u3000\ufeff"
_LINE_END_HYPHENS = "\ufffe\x02"
_TOKEN = re.compile(f"[^{_BLANKS}{_LINE_END_HYPHENS}]+[{_LINE_END_HYPHENS}]?|[{_LINE_END_HYPHENS}]")
_GAP = re.compile(f"[{_BLANKS}]+")
_HYPHEN = re.compile(f"[{_LINE_END_HYPHENS}]")

_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|extrabold|ultrabold", re.IGNORECASE)
_FORCE_BOLD = 1 << 18  # font descriptor flag
_BOLD_WEIGHT = 600

#: Ruling lines are at most this thick (points); anything thicker is a shape.
_MAX_RULE = 4.0
_MIN_EDGE = 6.0
#: Bounds on the work spent on one page's drawings (logos can hold thousands).
_MAX_PATHS = 5000
_MAX_SEGMENTS = 64
_MAX_FORM_DEPTH = 4

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class Run(NamedTuple):
    """Text drawn by one text object: one font, one line, one or more words.

    A named tuple rather than an attrs class: pages hold hundreds of runs
    and a tuple is several times cheaper to make. ``first_width`` (the first
    word's width) and ``second_x0`` (where the second word starts) are what
    paragraph and list detection need to know about the words inside.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    upright: bool
    first_width: float
    second_x0: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@frozen
class Edge:
    """A ruling line: ``pos`` is its y (horizontal) or x (vertical); it spans start..end."""

    horizontal: bool
    pos: float
    start: float
    end: float


@frozen
class PageContent:
    number: int
    width: float
    height: float
    runs: tuple[Run, ...]
    edges: tuple[Edge, ...]
    images: int
    paths: int
    chars: int


def extract_page(page: Any, number: int) -> PageContent:
    """Read one pypdfium2 page; the caller closes the page."""
    left, bottom, right, top = page.get_bbox()
    edges, images, paths = _drawings(P.address(page.raw), left, top)
    textpage = page.get_textpage()
    try:
        runs, chars = _runs(textpage, left, top, _Strikes(edges))
    finally:
        textpage.close()
    return PageContent(
        number=number,
        width=float(right - left),
        height=float(top - bottom),
        runs=tuple(runs),
        edges=tuple(edges),
        images=images,
        paths=paths,
        chars=chars,
    )


# -- text ---------------------------------------------------------------------


def _runs(
    textpage: Any, page_left: float, page_top: float, strikes: _Strikes
) -> tuple[list[Run], int]:
    tp = P.address(textpage.raw)
    n = P.text_count_chars(tp)
    if n <= 0:
        return [], 0
    text = textpage.get_text_range()
    if len(text) != n:
        # Characters outside the Basic Multilingual Plane, or ones PDFium
        # leaves out of its text, shift the indices: read glyph by glyph.
        text = "".join(_char(P.text_get_unicode(tp, j)) for j in range(n))

    # One question per word: which text object drew its first glyph. Words
    # from the same object, with no line break between, form one run.
    get_object = P.text_get_object
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    objects = [get_object(tp, s) or 0 for s, _ in tokens]
    groups: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(tokens) + 1):
        if (
            k == len(tokens)
            or not objects[k]
            or objects[k] != objects[start]
            or "\n" in text[tokens[k - 1][1] : tokens[k][0]]
            or text[tokens[k - 1][1] - 1] in _LINE_END_HYPHENS
        ):
            groups.append((start, k))
            start = k

    styles = _Styles(tp)
    rect = P.FS_RECTF()
    rect_at = ctypes.addressof(rect)
    get_box = P.text_get_loose_box
    runs: list[Run] = []
    for first, stop in groups:
        s, first_end = tokens[first]
        e = tokens[stop - 1][1]
        size, bold, upright = styles.get(s, objects[first])
        get_box(tp, s, rect_at)
        x0, high, low = rect.left, rect.top, rect.bottom
        if first_end - s > 1:
            get_box(tp, first_end - 1, rect_at)
        first_x1 = rect.right
        second_x0 = first_x1
        if stop - first > 1:
            get_box(tp, tokens[first + 1][0], rect_at)
            second_x0 = rect.left
        if e != first_end:
            get_box(tp, e - 1, rect_at)
        x1 = rect.right
        if high - low < 0.5 * size:
            high = low + size  # a font without ascent/descent figures
        if x1 < x0:
            x0, x1 = x1, x0
        run = Run(
            text[s:e] if stop - first == 1 else _GAP.sub(" ", text[s:e]),
            x0 - page_left,
            x1 - page_left,
            page_top - high,
            page_top - low,
            size,
            bold,
            upright,
            abs(first_x1 - x0),
            second_x0 - page_left,
        )
        struck = strikes.through(run)
        if struck:
            kept = _unstrike(run, tp, s, e, text, struck, page_left)
            if kept is None:
                continue
            run = kept
        if run.text[-1] in _LINE_END_HYPHENS:
            run = run._replace(text=_HYPHEN.sub("-", run.text))
        runs.append(run)
    return runs, n


class _Strikes:
    """Horizontal rules that could strike text through (a tracked deletion shown).

    Word and LibreOffice print deleted text of tracked changes struck
    through; the docx reader accepts all changes, so struck text is left
    out here too. A strike runs through the middle of the glyphs, clear of
    the underline (insertions) below them.
    """

    def __init__(self, edges: list[Edge]) -> None:
        rules = sorted((e.pos, e.start, e.end) for e in edges if e.horizontal)
        self.rules = rules
        self.levels = [r[0] for r in rules]

    def through(self, run: Run) -> list[tuple[float, float]]:
        """The x spans of the rules striking through ``run``."""
        if not self.rules:
            return []
        height = run.bottom - run.top
        low, high = run.top + 0.3 * height, run.bottom - 0.3 * height
        spans = []
        for k in range(bisect.bisect_left(self.levels, low), len(self.rules)):
            pos, start, end = self.rules[k]
            if pos > high:
                break
            if start < run.x1 and end > run.x0:
                spans.append((start, end))
        return spans


def _unstrike(
    run: Run,
    tp: int,
    s: int,
    e: int,
    text: str,
    struck: list[tuple[float, float]],
    page_left: float,
) -> Run | None:
    """``run`` without the glyphs a strike runs through, or None if none is left."""
    rect = P.FS_RECTF()
    kept: list[tuple[str, float, float]] = []
    for j in range(s, e):
        ch = text[j]
        if ch.isspace() or ch in "\x00\ufeff":
            kept.append((" ", 0.0, 0.0))
            continue
        P.text_get_loose_box(tp, j, ctypes.addressof(rect))
        left, right = rect.left - page_left, rect.right - page_left
        middle = (left + right) / 2
        if not any(a <= middle <= b for a, b in struck):
            kept.append((ch, left, right))
    words = "".join(ch for ch, _, _ in kept).split()
    glyphs = [(left, right) for ch, left, right in kept if ch != " "]
    if not words:
        return None
    first_width = glyphs[len(words[0]) - 1][1] - glyphs[0][0]
    second_x0 = glyphs[len(words[0])][0] if len(words) > 1 else glyphs[-1][1]
    return run._replace(
        text=" ".join(words),
        x0=glyphs[0][0],
        x1=glyphs[-1][1],
        first_width=first_width,
        second_x0=second_x0,
    )


class _Styles:
    """Font size, boldness and uprightness per text object, asked once per object.

    Boldness belongs to the font, so it is cached per font handle: a page
    holds hundreds of text objects but only a handful of fonts.
    """

    def __init__(self, tp: int) -> None:
        self.tp = tp
        self.by_object: dict[int, tuple[float, bool, bool]] = {}
        self.bold_fonts: dict[int, bool] = {}
        self.matrix = P.FS_MATRIX()
        self.matrix_at = ctypes.addressof(self.matrix)

    def get(self, index: int, obj: int) -> tuple[float, bool, bool]:
        style = self.by_object.get(obj) if obj else None
        if style is None:
            style = self._read(index, obj)
            if obj:
                self.by_object[obj] = style
        return style

    def _read(self, index: int, obj: int) -> tuple[float, bool, bool]:
        m = self.matrix
        if P.text_get_matrix(self.tp, index, self.matrix_at):
            a, b, c, d = m.a, m.b, m.c, m.d
        else:
            a, b, c, d = 1.0, 0.0, 0.0, 1.0
        scale = math.sqrt(abs(a * d - b * c)) or 1.0
        size = float(P.text_get_font_size(self.tp, index)) * scale
        if not math.isfinite(size) or size <= 0 or size > 10_000:
            size = 1.0
        upright = a > 0 and d > 0 and abs(b) <= 0.05 * a and abs(c) <= 0.05 * d
        font = (P.textobj_get_font(obj) or 0) if obj else 0
        bold = self.bold_fonts.get(font) if font else None
        if bold is None:
            bold = _font_is_bold(font) if font else P.text_get_font_weight(self.tp, index) >= 600
            if font:
                self.bold_fonts[font] = bold
        if not bold and obj and P.textobj_get_render_mode(obj) == P.RENDER_FILL_STROKE:
            bold = True  # "fake bold": glyphs filled and outlined
        return round(size, 2), bold, upright


def _font_is_bold(font: int) -> bool:
    if P.font_get_weight(font) >= _BOLD_WEIGHT or P.font_get_flags(font) & _FORCE_BOLD:
        return True
    length = P.font_get_base_name(font, None, 0)
    if not 0 < length < 1024:
        return False
    buffer = ctypes.create_string_buffer(length)
    P.font_get_base_name(font, ctypes.addressof(buffer), length)
    return bool(_BOLD_NAME.search(buffer.value.decode("latin-1")))


def _char(code: int) -> str:
    if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return "\ufeff"  # dropped as a separator


# -- drawings -----------------------------------------------------------------


class _Drawings:
    def __init__(self, page_left: float, page_top: float) -> None:
        self.left = page_left
        self.top = page_top
        self.edges: list[Edge] = []
        self.images = 0
        self.paths = 0
        self.l, self.b, self.r, self.t = (
            ctypes.c_float(),
            ctypes.c_float(),
            ctypes.c_float(),
            ctypes.c_float(),
        )
        self.bounds_at = tuple(ctypes.addressof(v) for v in (self.l, self.b, self.r, self.t))
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.px, self.py = ctypes.c_float(), ctypes.c_float()
        self.matrix = P.FS_MATRIX()

    def visit(self, objects: list[int], matrix: _Matrix, depth: int) -> None:
        for obj in objects:
            kind = P.obj_get_type(obj)
            if kind == P.OBJ_PATH:
                self.paths += 1
                if self.paths <= _MAX_PATHS:
                    self.path(obj, matrix)
            elif kind == P.OBJ_IMAGE:
                self.images += 1
            elif kind == P.OBJ_FORM and depth < _MAX_FORM_DEPTH:
                count = P.form_count_objects(obj)
                children = [P.form_get_object(obj, k) or 0 for k in range(max(count, 0))]
                inner = _compose(matrix, self.object_matrix(obj))
                self.visit([c for c in children if c], inner, depth + 1)

    def object_matrix(self, obj: int) -> _Matrix:
        m = self.matrix
        if not P.obj_get_matrix(obj, ctypes.addressof(m)):
            return _IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def path(self, obj: int, matrix: _Matrix) -> None:
        P.path_get_draw_mode(obj, ctypes.addressof(self.fill), ctypes.addressof(self.stroke))
        if not self.fill.value and not self.stroke.value:
            return  # an invisible path
        if not P.obj_get_bounds(obj, *self.bounds_at):
            return
        x0, y0, x1, y1 = _transform_box(
            matrix, self.l.value, self.b.value, self.r.value, self.t.value
        )
        w, h = x1 - x0, y1 - y0
        if h <= _MAX_RULE and w >= _MIN_EDGE and w >= 3 * h:
            self.add(True, (y0 + y1) / 2, x0, x1)
        elif w <= _MAX_RULE and h >= _MIN_EDGE and h >= 3 * w:
            self.add(False, (x0 + x1) / 2, y0, y1)
        elif w >= _MIN_EDGE and h >= _MIN_EDGE:
            self.segments(obj, _compose(matrix, self.object_matrix(obj)))

    def segments(self, obj: int, matrix: _Matrix) -> None:
        """The straight axis-parallel sides of a bigger path (rectangles, grids)."""
        count = P.path_count_segments(obj)
        if count <= 0 or count > _MAX_SEGMENTS:
            return
        first: tuple[float, float] | None = None
        prev: tuple[float, float] | None = None
        for k in range(count):
            seg = P.path_get_segment(obj, k)
            if not seg or not P.segment_get_point(
                seg, ctypes.addressof(self.px), ctypes.addressof(self.py)
            ):
                return
            point = _apply(matrix, self.px.value, self.py.value)
            kind = P.segment_get_type(seg)
            if kind == P.SEG_MOVETO or prev is None:
                first = point
            elif kind == P.SEG_LINETO:
                self.line(prev, point)
            prev = point
            if P.segment_get_close(seg) and first is not None:
                self.line(point, first)
                prev = first

    def line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        (ax, ay), (bx, by) = a, b
        if abs(ay - by) < 0.5 and abs(ax - bx) >= _MIN_EDGE:
            self.add(True, (ay + by) / 2, min(ax, bx), max(ax, bx))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= _MIN_EDGE:
            self.add(False, (ax + bx) / 2, min(ay, by), max(ay, by))

    def add(self, horizontal: bool, pos: float, start: float, end: float) -> None:
        if horizontal:
            self.edges.append(Edge(True, self.top - pos, start - self.left, end - self.left))
        else:
            self.edges.append(Edge(False, pos - self.left, self.top - end, self.top - start))


def _drawings(page: int, page_left: float, page_top: float) -> tuple[list[Edge], int, int]:
    walker = _Drawings(page_left, page_top)
    count = P.page_count_objects(page)
    objects = [P.page_get_object(page, k) or 0 for k in range(max(count, 0))]
    walker.visit([o for o in objects if o], _IDENTITY, 0)
    return walker.edges, walker.images, walker.paths


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def _compose(outer: _Matrix, inner: _Matrix) -> _Matrix:
    """The matrix applying ``inner`` first, then ``outer``."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a1 * a2 + c1 * b2,
        b1 * a2 + d1 * b2,
        a1 * c2 + c1 * d2,
        b1 * c2 + d1 * d2,
        a1 * e2 + c1 * f2 + e1,
        b1 * e2 + d1 * f2 + f1,
    )


def _transform_box(
    m: _Matrix, x0: float, y0: float, x1: float, y1: float
) -> tuple[float, float, float, float]:
    if m == _IDENTITY:
        return x0, y0, x1, y1
    points = [_apply(m, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)
