"""Walk a Word body (or header, footer, text box) once, emitting block records.

Internal to :mod:`ehcp_audit.readers.docx`, whose docstring says what
becomes a block: paragraphs, one block per visible table cell, form fields
after their host, nested tables and text boxes after the block that holds
them. This module knows the *structure* (bodies, content controls, tables,
rows, merged cells); a paragraph's text and hints come from
:class:`~._docx_paragraph.ParagraphReader`, and records become Blocks in
:mod:`._docx_blocks`.

The walk is most of the reader's cost, so its loops take each element's
children in one call (``el[:]``) and compare ready-made tag strings,
property lists (``w:tcPr`` here, ``w:pPr`` and ``w:rPr`` in the paragraph
reader) are looked up in the index :func:`~._docx_xml.index_properties`
builds in one pass instead of being iterated, and the usual one-paragraph
cell is turned into its record inline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._model import BlockKind
from ._docx_blocks import Record, cell_record, cell_text, field_record, label, labels, new_cell_ref
from ._docx_paragraph import Para, ParagraphReader
from ._docx_styles import Styles
from ._docx_xml import (
    ALT,
    ANY_BLOCK_WRAPPER,
    CUSTOM_XML,
    DEL,
    GRID_BEFORE,
    GRID_SPAN,
    HMERGE,
    SDT,
    SDT_CONTENT,
    SECTPR,
    TBL,
    TC,
    TCPR,
    TR,
    TRPR,
    VAL,
    VMERGE,
    P,
    Properties,
    child,
    choose,
    index_properties,
    sdt_props,
    to_int,
)

_TABLE_CELL = BlockKind.TABLE_CELL
_HEADING = BlockKind.HEADING
_LIST_ITEM = BlockKind.LIST_ITEM
_PARAGRAPH = BlockKind.PARAGRAPH

#: One read cell, before its CellRef is known: grid column, paragraphs,
#: anything else it held (or None), placeholder flag.
_ReadCell = tuple[int, list[Para], "CellContent | None", bool]


class CellContent:
    """What a table cell held besides paragraphs: form fields, nested blocks.

    Only made for the rare cell that needs it; ``paras`` is the cell's own
    paragraph list, shared, so paragraphs read before and after it stay in
    order.
    """

    __slots__ = ("fields", "paras", "sub")

    def __init__(self, paras: list[Para]) -> None:
        self.paras = paras
        self.fields: list[tuple[str, bool]] = []
        self.sub: list[Record] = []


class Walker:
    """One pass over block-level content, emitting block records in reading order."""

    def __init__(self, styles: Styles, check_vanish: bool = True) -> None:
        self.sections: list[Any] = []  # w:sectPr elements met, for headers and footers
        self.props: Properties = {}  # see index_properties
        reader = ParagraphReader(styles, check_vanish, self.sections, self.props)
        self.read_paragraph = reader.read
        self.out: list[Record] = []
        self.tables = 0
        self.parent_table: int | None = None

    # -- block level --

    def read(self, root: Any) -> None:
        """Read a body, header or footer (a whole part's tree) into ``out``."""
        index_properties(root, self.props)
        self.blocks(root, self.out, False, None)

    def blocks(self, container: Any, out: list[Record], ph: bool, cell: CellContent | None) -> None:
        """Read block-level content (body, cell, text box, content control) into ``out``."""
        for el in container[:]:
            tag = el.tag
            if tag == P:
                self.paragraph(el, out, ph, cell)
            elif tag == TBL:
                self.table(el, out, ph)
            elif tag in ANY_BLOCK_WRAPPER:
                self.wrapper(el, tag, out, ph, cell)
            elif tag == SECTPR:
                self.sections.append(el)

    def wrapper(
        self, el: Any, tag: str, out: list[Record], ph: bool, cell: CellContent | None
    ) -> None:
        """Content controls, custom XML and alternate content around blocks."""
        if tag == SDT:
            sdt_ph, box = sdt_props(el)
            content = child(el, SDT_CONTENT)
            start = len(cell.paras) if cell is not None else len(out)
            if content is not None:
                self.blocks(content, out, ph or sdt_ph, cell)
            if box is not None:
                _block_checkbox(box, out, cell, start)
        elif tag == ALT:
            chosen = choose(el)
            if chosen is not None:
                self.blocks(chosen, out, ph, cell)
        else:
            self.blocks(el, out, ph, cell)

    def paragraph(
        self,
        p: Any,
        out: list[Record],
        ph: bool,
        cell: CellContent | None,
        para: Para | None = None,
    ) -> None:
        if para is None:
            para = self.read_paragraph(p, ph)
        if cell is not None:
            cell.paras.append(para)
            if para.boxes:
                cell.fields.extend(labels(para))
        else:
            if para.vis:
                if para.heading is not None:
                    kind = _HEADING
                elif para.is_list:
                    kind = _LIST_ITEM
                else:
                    kind = _PARAGRAPH
                out.append(
                    (
                        kind,
                        para.text,
                        None,
                        para.style,
                        para.heading,
                        para.heading_source,
                        para.bold,
                        para.size,
                        None,
                        para.placeholder,
                    )
                )
            if para.boxes:
                out.extend(field_record(text, checked, None) for text, checked in labels(para))
        if para.textboxes:
            for box in para.textboxes:
                self.blocks(box, out, ph, None)

    # -- tables --

    def table(self, tbl: Any, out: list[Record], ph: bool) -> None:
        self.tables += 1
        number = self.tables
        parent = self.parent_table
        self.parent_table = number
        rows: list[list[_ReadCell]] = []
        try:
            for tr, row_ph in _rows(tbl, ph):
                cells = self.row(tr, row_ph)
                if cells is not None:
                    rows.append(cells)
        finally:
            self.parent_table = parent
        header = tuple([cell_text(paras) for _, paras, _, _ in rows[0]]) if rows else ()
        append = out.append
        for r, cells in enumerate(rows):
            for col, paras, extra, cell_ph in cells:
                ref = new_cell_ref(number, r, col, header, parent)
                if len(paras) == 1:  # the usual cell, inlined: see cell_record
                    p = paras[0]
                    append(
                        (
                            _TABLE_CELL,
                            p.text if p.vis else "",
                            ref,
                            p.style,
                            p.heading,
                            p.heading_source,
                            p.bold,
                            p.size,
                            None,
                            cell_ph or p.placeholder,
                        )
                    )
                else:
                    append(cell_record(paras, ref, cell_ph))
                if extra is not None:
                    out.extend(field_record(text, checked, ref) for text, checked in extra.fields)
                    out.extend(extra.sub)

    def row(self, tr: Any, ph: bool) -> list[_ReadCell] | None:
        """A row's cells, or None for a deleted row (gone once changes are accepted)."""
        cells: list[_ReadCell] = []
        col = 0
        read_cell = self.cell
        for el in tr[:]:
            tag = el.tag
            if tag == TC:
                col = read_cell(el, ph, col, cells)
            elif tag == TRPR:
                col = _row_start(el)
                if col < 0:
                    return None
            elif tag in (SDT, CUSTOM_XML):
                for tc, cell_ph in _cells(el, ph):
                    col = read_cell(tc, cell_ph, col, cells)
        return cells

    def cell(self, tc: Any, ph: bool, col: int, cells: list[_ReadCell]) -> int:
        """Read one cell unless it continues a merge; return the next grid column."""
        paras: list[Para] = []
        extra: CellContent | None = None  # only for cells holding more than paragraphs
        span = 1
        for el in tc[:]:
            tag = el.tag
            if tag == P:
                para = self.read_paragraph(el, ph)
                if para.boxes is None and para.textboxes is None:
                    paras.append(para)
                else:
                    extra = extra or CellContent(paras)
                    self.paragraph(el, extra.sub, ph, extra, para)
            elif tag == TCPR:
                for prop in self.props.get(el, ()):
                    ptag = prop.tag
                    if ptag == GRID_SPAN:
                        span = max(to_int(prop.get(VAL)) or 1, 1)
                    elif ptag in (VMERGE, HMERGE) and prop.get(VAL) in (None, "continue"):
                        return col + span  # a merge continuation: nothing of its own
            elif tag == TBL:
                extra = extra or CellContent(paras)
                self.table(el, extra.sub, ph)
            elif tag in ANY_BLOCK_WRAPPER:
                extra = extra or CellContent(paras)
                self.wrapper(el, tag, extra.sub, ph, extra)
        cells.append((col, paras, extra, ph))
        return col + span


def _rows(tbl: Any, ph: bool) -> Iterator[tuple[Any, bool]]:
    """A table's rows in order, through row-level content controls."""
    for el in tbl[:]:
        tag = el.tag
        if tag == TR:
            yield el, ph
        elif tag == SDT:
            sdt_ph, _ = sdt_props(el)
            content = child(el, SDT_CONTENT)
            if content is not None:
                yield from _rows(content, ph or sdt_ph)
        elif tag == CUSTOM_XML:
            yield from _rows(el, ph)


def _cells(wrapper: Any, ph: bool) -> Iterator[tuple[Any, bool]]:
    """The cells inside a cell-level content control or custom XML element."""
    if wrapper.tag == SDT:
        sdt_ph, _ = sdt_props(wrapper)
        ph = ph or sdt_ph
        wrapper = child(wrapper, SDT_CONTENT)
        if wrapper is None:
            return
    for el in wrapper[:]:
        tag = el.tag
        if tag == TC:
            yield el, ph
        elif tag in (SDT, CUSTOM_XML):
            yield from _cells(el, ph)


def _row_start(trpr: Any) -> int:
    """The grid column a row starts at (``w:gridBefore``), or -1 for a deleted row."""
    start = 0
    for el in trpr[:]:
        tag = el.tag
        if tag == GRID_BEFORE:
            start = max(to_int(el.get(VAL)) or 0, 0)
        elif tag == DEL:
            return -1
    return start


def _block_checkbox(checked: bool, out: list[Record], cell: CellContent | None, start: int) -> None:
    """A checkbox control wrapping whole paragraphs: labelled by their text."""
    if cell is not None:
        text = " ".join(p.text for p in cell.paras[start:])
        cell.fields.append((label(text), checked))
    else:
        texts = [r[1] for r in out[start:] if r[0] is not BlockKind.FORM_FIELD]
        out.append(field_record(label(" ".join(texts)), checked, None))
