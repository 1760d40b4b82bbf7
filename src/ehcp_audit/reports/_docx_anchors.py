"""Find the Word runs that hold a stretch of a block's text, splitting runs where needed.

Internal to :mod:`.annotate_docx`. The audit locates evidence as the DOCX
reader sees the plan: a block index and a character range in the block's
text (tracked changes accepted; a table cell's non-empty paragraphs joined
by ``"\\n"``). A Word comment, though, is anchored on whole runs
(``w:commentRangeStart`` before the first, ``w:commentRangeEnd`` after the
last). This module maps one to the other on python-docx's own tree, the one
the comments are added to:

1. Each ``w:p`` is read with the reader's own paragraph reader
   (:class:`~ehcp_audit.readers._docx_paragraph.ParagraphReader`), so its
   text is exactly the text the blocks were made from.
2. Paragraphs are grouped as the reader groups them into blocks: one block
   per non-empty paragraph outside tables, one per table cell (text boxes
   stand on their own even inside a cell). A block is matched to the group
   with the same text; the k-th block with a given text to the k-th such
   group, so repeated texts ("None", "N/A") stay in order.
3. Inside a paragraph, the runs carrying visible text are listed with their
   character spans. Where hidden text makes that listing differ from the
   reader's text, the two are aligned character by character.
4. When a range starts or ends inside a run, the run is split in two there:
   both halves keep the run's properties (a copy of its ``w:rPr``), so the
   formatting is unchanged; only the text is divided.

Runs inside deleted text (``w:del``, ``w:moveFrom``) are never anchored on;
runs inside insertions, hyperlinks and content controls are, and the range
markers are placed beside them, inside the same wrapper, which the schema
allows. Nothing else in the document is changed.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterator, Sequence
from typing import Any

from .._limits import DEFAULT_LIMITS, Limits
from .._model import Block, BlockKind
from ..readers._docx_package import Package
from ..readers._docx_paragraph import ParagraphReader
from ..readers._docx_styles import Styles
from ..readers._docx_xml import (
    ALT,
    CHARS,
    CHOICE,
    DEL,
    FALLBACK,
    FLDCHAR,
    FLDTYPE,
    INLINE_WRAPPERS,
    RPR,
    SDT,
    SDT_CONTENT,
    SYM,
    TC,
    TR,
    TRPR,
    TXBX,
    P,
    R,
    T,
    child,
    choose,
    index_properties,
    symbol,
)

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

#: A run's piece of paragraph text: the run, which of its children, and the span.
_Piece = tuple[Any, int, int, int]


class _Paragraph:
    """One ``w:p``: the reader's text, and the runs that draw it (listed on demand)."""

    __slots__ = ("_pieces", "_to_mine", "element", "text")

    def __init__(self, element: Any, text: str) -> None:
        self.element = element
        self.text = text
        self._pieces: list[_Piece] | None = None
        self._to_mine: list[int] | None = None

    def pieces(self) -> list[_Piece]:
        """(run, child index, start, end) for each visible piece of text, in order."""
        if self._pieces is None:
            self._pieces = list(_pieces(self.element))
            mine = "".join(_piece_text(r[i]) for r, i, _, _ in self._pieces)
            self._to_mine = _alignment(self.text, mine)
        return self._pieces

    def changed(self) -> None:
        """Runs were split: list them again next time (the text is unchanged)."""
        self._pieces = None

    def mine(self, offset: int) -> int:
        """A reader-text offset as an offset into the runs' own text."""
        self.pieces()
        assert self._to_mine is not None
        return self._to_mine[max(0, min(offset, len(self._to_mine) - 1))]


class Anchors:
    """Map block ranges of a plan to runs of python-docx's tree of the same plan.

    ``data`` is the DOCX the blocks were read from, ``body`` python-docx's
    ``w:body`` element of it (``document.element.body``), ``limits`` those
    the plan was read within.
    """

    def __init__(
        self, data: bytes, body: Any, blocks: Sequence[Block], limits: Limits = DEFAULT_LIMITS
    ) -> None:
        reader = _paragraph_reader(data, body, limits)
        groups: dict[Any, list[_Paragraph]] = {}
        self._order: list[_Paragraph] = []
        for p, group in _paragraphs(body):
            para = reader.read(p, False)
            if not para.vis:
                continue
            item = _Paragraph(p, para.text)
            self._order.append(item)
            groups.setdefault(group, []).append(item)
        by_text: dict[str, list[list[_Paragraph]]] = {}
        for paras in groups.values():
            by_text.setdefault("\n".join(p.text for p in paras), []).append(paras)
        seen: dict[str, int] = {}
        self._blocks: dict[int, list[_Paragraph]] = {}
        self._texts = {block.index: block.text for block in blocks}
        for block in blocks:
            if block.kind is BlockKind.FORM_FIELD or not block.text:
                continue
            k = seen.get(block.text, 0)
            seen[block.text] = k + 1
            found = by_text.get(block.text, [])
            if k < len(found):
                self._blocks[block.index] = found[k]

    def runs(self, block: int, start: int, end: int) -> tuple[Any, Any] | None:
        """The first and last ``w:r`` holding ``text[start:end]`` of a block, split to fit.

        A block with no paragraphs of its own text (a table drawn with
        characters, read as cells) is looked for by the quoted text inside
        the paragraphs after the last block before it that was found. None
        when neither finds it, or the range holds no visible run.
        """
        if start >= end:
            return None
        paras = self._blocks.get(block)
        if paras is None:
            return self._search(block, self._texts.get(block, "")[start:end])
        return _span(paras, start, end)

    def _search(self, block: int, quote: str) -> tuple[Any, Any] | None:
        if not quote.strip():
            return None
        before = [i for i in self._blocks if i < block]
        start = 0
        if before:
            start = self._order.index(self._blocks[max(before)][-1])
        for para in self._order[start:]:
            at = para.text.find(quote)
            if at >= 0:
                return _span([para], at, at + len(quote))
        return None

    def first_paragraph(self) -> tuple[Any, Any] | None:
        """The first and last runs of the first paragraph with visible text in runs.

        (A paragraph holding only an equation has visible text but no run to
        anchor on.)
        """
        for para in self._order:
            pieces = para.pieces()
            if pieces:
                return pieces[0][0], pieces[-1][0]
        return None


def _span(paras: list[_Paragraph], start: int, end: int) -> tuple[Any, Any] | None:
    """The runs holding ``start:end`` of the paragraphs' text joined by newlines, split to fit."""
    first = _locate(paras, start, at_end=False)
    last = _locate(paras, end, at_end=True)
    if first is None or last is None:
        return None
    begin = _run_starting(*first)
    if begin is None:
        return None
    # Splitting at the start may have split the run the range ends in: find it again.
    stop = _run_ending(last[0], last[1])
    if stop is None:
        return None
    return begin, stop


def _paragraph_reader(data: bytes, body: Any, limits: Limits) -> ParagraphReader:
    """The DOCX reader's paragraph reader, with the plan's styles, over python-docx's tree."""
    package = Package(data, limits)
    styles_part = package.related(package.main, "styles")
    styles = Styles(lambda: package.stream(styles_part), package.parse)
    props: dict[Any, list[Any]] = {}
    index_properties(body, props)
    return ParagraphReader(styles, True, [], props)


def _paragraphs(body: Any) -> Iterator[tuple[Any, Any]]:
    """Each ``w:p`` the reader reads, with the block it belongs to (its cell, or itself)."""
    for p in body.iter(P):
        group: Any = p
        for ancestor in p.iterancestors():
            tag = ancestor.tag
            if tag == TXBX:
                break
            if tag == TC:
                group = ancestor
                break
        if _skipped(p):
            continue
        yield p, group


def _skipped(p: Any) -> bool:
    """A paragraph the reader never reads: in a deleted row, or the unused copy of a drawing."""
    for ancestor in p.iterancestors():
        tag = ancestor.tag
        if tag == TR:
            props = child(ancestor, TRPR)
            if props is not None and child(props, DEL) is not None:
                return True
        elif tag == FALLBACK:
            alt = ancestor.getparent()
            if alt is not None and alt.tag == ALT and choose(alt) is not ancestor:
                return True
        elif tag == CHOICE:
            alt = ancestor.getparent()
            if alt is not None and choose(alt) is not ancestor:
                return True
    return False


def _pieces(p: Any) -> Iterator[_Piece]:
    """The paragraph's visible run text in order, as the reader walks it.

    Deleted text is not walked into; field codes (between a field's
    ``begin`` and ``separate``) are left out, field results kept. Hidden
    text is listed (the alignment with the reader's text drops it).
    """
    pos = 0
    code = 0
    fields: list[bool] = []
    for r in _runs(p):
        for i, item in enumerate(r):
            tag = item.tag
            if tag == FLDCHAR:
                kind = item.get(FLDTYPE)
                if kind == "begin":
                    fields.append(False)
                    code += 1
                elif kind == "separate" and fields and not fields[-1]:
                    fields[-1] = True
                    code -= 1
                elif kind == "end" and fields and not fields.pop():
                    code -= 1
                continue
            if code:
                continue
            n = len(_piece_text(item))
            if n:
                yield r, i, pos, pos + n
                pos += n


def _piece_text(item: Any) -> str:
    tag = item.tag
    if tag == T:
        return str(item.text or "")
    if tag in CHARS:
        return CHARS[tag]
    if tag == SYM:
        return symbol(item)
    return ""


def _runs(container: Any) -> Iterator[Any]:
    """The ``w:r`` elements of a paragraph in reading order, through inline wrappers."""
    for el in container:
        tag = el.tag
        if tag == R:
            yield el
        elif tag in INLINE_WRAPPERS:
            yield from _runs(el)
        elif tag == SDT:
            content = child(el, SDT_CONTENT)
            if content is not None:
                yield from _runs(content)
        elif tag == ALT:
            chosen = choose(el)
            if chosen is not None:
                yield from _runs(chosen)


def _alignment(reader: str, mine: str) -> list[int]:
    """For each offset 0..len(reader) of the reader's text, the offset in ``mine``."""
    if reader == mine:
        return list(range(len(reader) + 1))
    out = [len(mine)] * (len(reader) + 1)
    matcher = difflib.SequenceMatcher(None, reader, mine, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            out[a + k] = b + k
    # Offsets in text the runs do not hold take the next matched offset.
    for j in range(len(reader) - 1, -1, -1):
        if out[j] == len(mine) and j + 1 <= len(reader) and out[j + 1] < len(mine):
            out[j] = out[j + 1]
    return out


def _locate(paras: list[_Paragraph], offset: int, at_end: bool) -> tuple[_Paragraph, int] | None:
    """The paragraph and run-text offset a block offset falls in ("\\n" joins paragraphs)."""
    pos = 0
    for para in paras:
        stop = pos + len(para.text)
        if (pos < offset <= stop) if at_end else (pos <= offset < stop):
            return para, para.mine(offset - pos)
        pos = stop + 1
    return None


def _run_starting(para: _Paragraph, offset: int) -> Any:
    """The run whose text starts at ``offset`` (splitting the run that holds it)."""
    for r, i, start, end in para.pieces():
        if start <= offset < end:
            if offset == start and _first_piece(para, r, i):
                return r
            second = split_run(r, _chars_before(para, r, offset))
            para.changed()
            return second
    return None


def _run_ending(para: _Paragraph, offset: int) -> Any:
    """The run whose text ends at ``offset`` (splitting the run that holds it)."""
    for r, i, start, end in para.pieces():
        if start < offset <= end:
            if offset == end and _last_piece(para, r, i):
                return r
            split_run(r, _chars_before(para, r, offset))
            para.changed()
            return r
    return None


def _first_piece(para: _Paragraph, r: Any, i: int) -> bool:
    return all(j >= i for run, j, _, _ in para.pieces() if run is r)


def _last_piece(para: _Paragraph, r: Any, i: int) -> bool:
    return all(j <= i for run, j, _, _ in para.pieces() if run is r)


def _chars_before(para: _Paragraph, r: Any, offset: int) -> int:
    """How many of run ``r``'s visible characters come before paragraph offset ``offset``."""
    return sum(
        min(end, offset) - start
        for run, _, start, end in para.pieces()
        if run is r and start < offset
    )


def split_run(r: Any, keep: int) -> Any:
    """Split ``w:r`` after its first ``keep`` visible characters; return the new second run.

    Both runs keep the run's properties; text elements are divided at the
    character, other children (tabs, breaks, field characters) go with the
    text they follow. ``keep`` counts characters as :func:`_pieces` does.
    """
    second = copy.deepcopy(r)
    firsts = list(r)
    seconds = list(second)
    pos = 0
    for item, twin in zip(firsts, seconds, strict=True):
        if item.tag == RPR:
            continue
        n = len(_piece_text(item))
        if pos + n <= keep and (n > 0 or pos < keep):
            second.remove(twin)
        elif pos >= keep:
            r.remove(item)
        else:  # a text element holding the split point
            cut = keep - pos
            item.text, twin.text = item.text[:cut], item.text[cut:]
            item.set(_XML_SPACE, "preserve")
            twin.set(_XML_SPACE, "preserve")
        pos += n
    r.addnext(second)
    return second
