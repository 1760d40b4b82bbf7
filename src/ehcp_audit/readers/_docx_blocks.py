"""Turn what the DOCX walk read into :class:`~ehcp_audit._model.Block` s.

Internal to :mod:`ehcp_audit.readers.docx`. The walk emits light *records*
(plain tuples) in reading order, because a block's index and the body's
font size are only known at the end; :func:`finish` numbers them and makes
the frozen Blocks in one go. Cell records join a cell's paragraphs; field
records stand for checkboxes, labelled by the text beside the box.
"""

from __future__ import annotations

import attrs

from .._model import Block, BlockKind, CellRef, FoundBy
from ._docx_paragraph import Para

#: A block before its index is known: kind, text, cell, style, heading_level,
#: heading_source, bold, font_size, checked, placeholder.
Record = tuple[
    BlockKind, str, "CellRef | None", "str | None", "int | None", "FoundBy | None", bool,
    "float | None", "bool | None", bool,
]  # fmt: skip

_TABLE_CELL = BlockKind.TABLE_CELL
_FORM_FIELD = BlockKind.FORM_FIELD
_CHECK_GLYPHS = "☐☑☒✓✔✗✘□■"
_LABEL_STRIP = " \t\n\u00a0\u2002" + _CHECK_GLYPHS

#: Block's attribute order; when it holds, blocks are built with positional
#: arguments, a third faster than keywords (it matters for small plans).
_BLOCK_ORDER = (
    "index", "kind", "text", "page", "cell", "style", "heading_level", "heading_source", "bold",
    "font_size", "body_font_size", "checked", "placeholder",
)  # fmt: skip
_POSITIONAL = tuple(a.name for a in attrs.fields(Block)) == _BLOCK_ORDER
_CELL_POSITIONAL = tuple(a.name for a in attrs.fields(CellRef)) == (
    "table", "row", "column", "header", "parent_table",
)  # fmt: skip


def _cell_ref_by_name(
    table: int, row: int, column: int, header: tuple[str, ...], parent: int | None
) -> CellRef:  # pragma: no cover - only if the model's field order ever changes
    return CellRef(table=table, row=row, column=column, header=header, parent_table=parent)


#: Builds a CellRef from (table, row, column, header, parent table): the
#: class itself when its field order holds, saving a call per cell.
new_cell_ref = CellRef if _CELL_POSITIONAL else _cell_ref_by_name


def cell_text(paras: list[Para]) -> str:
    """A cell's text: its non-empty paragraphs joined by newlines."""
    if len(paras) == 1:
        return paras[0].text if paras[0].vis else ""
    return "\n".join([p.text for p in paras if p.vis])


def cell_record(paras: list[Para], ref: CellRef, ph: bool) -> Record:
    """One TABLE_CELL block for all of a cell's paragraphs (empty ones left out)."""
    if len(paras) == 1:  # the usual cell
        p = paras[0]
        return (
            _TABLE_CELL,
            p.text if p.vis else "",
            ref,
            p.style,
            p.heading,
            p.heading_source,
            p.bold,
            p.size,
            None,
            ph or p.placeholder,
        )
    filled = [p for p in paras if p.vis]
    lead: Para | None
    if len(filled) == 1:
        lead = filled[0]
        text, vis, prompt, bold = lead.text, lead.vis, lead.ph, lead.bold
    else:
        lead = filled[0] if filled else (paras[0] if paras else None)
        text = "\n".join([p.text for p in filled])
        vis = sum(p.vis for p in filled)
        prompt = sum(p.ph for p in filled)
        bold = bool(filled) and all(p.bold for p in filled)
    if lead is None:
        return (_TABLE_CELL, "", ref, None, None, None, False, None, None, ph)
    placeholder = ph or (prompt > 0 and 2 * prompt >= vis)
    return (
        _TABLE_CELL,
        text,
        ref,
        lead.style,
        lead.heading,
        lead.heading_source,
        bold,
        lead.size,
        None,
        placeholder,
    )


def field_record(label: str, checked: bool, cell: CellRef | None) -> Record:
    return (_FORM_FIELD, label, cell, None, None, None, False, None, checked, False)


def labels(para: Para) -> list[tuple[str, bool]]:
    """(label, checked) per checkbox in a paragraph: the text beside the box."""
    boxes = para.boxes or []
    text = para.text
    found: list[tuple[str, bool]] = []
    for i, (start, end, checked) in enumerate(boxes):
        stop = boxes[i + 1][0] if i + 1 < len(boxes) else len(text)
        found_label = label(text[end:stop].split("\n", 1)[0])
        if not found_label:
            begin = boxes[i - 1][1] if i > 0 else 0
            found_label = label(text[begin:start].rsplit("\n", 1)[-1])
        found.append((found_label, checked))
    return found


def label(text: str) -> str:
    """A checkbox label: the text with spaces and box glyphs trimmed."""
    return text.strip(_LABEL_STRIP)


def body_font_size(records: list[Record]) -> float | None:
    """The document's body text size: the size most characters are set in."""
    weights: dict[float, int] = {}
    for record in records:
        size = record[7]
        if size is not None and record[4] is None:
            weights[size] = weights.get(size, 0) + len(record[1])
    if not weights:
        return None
    return max(weights.items(), key=lambda kv: (kv[1], -kv[0]))[0]


def finish(records: list[Record], body_size: float | None) -> tuple[Block, ...]:
    """Number the records in order and make them Blocks."""
    if _POSITIONAL:
        body = body_size
        return tuple(
            [
                Block(i, kind, text, None, ref, style, level, source, bold, size, body, chk, ph)
                for i, (kind, text, ref, style, level, source, bold, size, chk, ph) in enumerate(
                    records
                )
            ]
        )
    return tuple(  # pragma: no cover - only if the model's field order ever changes
        [
            Block(
                index=i,
                kind=kind,
                text=text,
                cell=cell,
                style=style,
                heading_level=level,
                heading_source=source,
                bold=bold,
                font_size=size,
                body_font_size=body_size,
                checked=checked,
                placeholder=placeholder,
            )
            for i, (kind, text, cell, style, level, source, bold, size, checked, placeholder) in (
                enumerate(records)
            )
        ]
    )
