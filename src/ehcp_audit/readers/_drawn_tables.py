"""Tables drawn with characters inside a document's paragraphs.

A plain-text export pasted into Word (or printed to PDF) keeps its
``+----+`` borders and ``| A | The views ... |`` rows, one paragraph per
line. Read as paragraphs,
the section letters sit behind pipes and borders reach the text; a plan
made only of such a table would be refused. So a run of such paragraphs is
read the way the text reader reads a text file (``_text_tables``) and
becomes table cells like any other table's. Tables are then numbered again
in document order, nested tables' parents with them.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._model import Block, BlockKind, CellRef, evolve
from ._text_tables import TextTable, find_table, may_start


def redraw(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """``blocks`` with every run of paragraphs that draws a table turned into its cells."""
    if not any(_line(b) and may_start(b.text) for b in blocks):
        return tuple(blocks)  # the usual document: nothing drawn
    items: list[Block | tuple[TextTable, int | None]] = []
    i = 0
    while i < len(blocks):
        if _line(blocks[i]) and may_start(blocks[i].text):
            j = i
            while j < len(blocks) and _line(blocks[j]):
                j += 1
            found = find_table([b.text for b in blocks[i:j]], 0)
            if found is not None:
                items.append((found[1], blocks[i].page))
                i += max(found[0], 1)
                continue
        items.append(blocks[i])
        i += 1
    return _numbered(items)


def _line(block: Block) -> bool:
    """A paragraph of one line outside any table (a drawn table's lines are such)."""
    return block.cell is None and block.kind is BlockKind.PARAGRAPH and "\n" not in block.text


def _numbered(items: list[Block | tuple[TextTable, int | None]]) -> tuple[Block, ...]:
    """Blocks indexed in order, tables numbered from 1 in order of appearance."""
    numbers: dict[object, int] = {}

    def number(key: object) -> int:
        return numbers.setdefault(key, len(numbers) + 1)

    out: list[Block] = []
    for item in items:
        if isinstance(item, tuple):
            drawn, page = item
            table = number(id(drawn))
            header = drawn.header
            for cell in drawn.cells:
                ref = CellRef(table=table, row=cell.row, column=cell.column, header=header)
                out.append(
                    Block(
                        index=len(out),
                        kind=BlockKind.TABLE_CELL,
                        text=cell.text,
                        page=page,
                        cell=ref,
                        bold=cell.bold,
                    )
                )
            continue
        own = item.cell
        if own is not None:
            parent = number(("read", own.parent_table)) if own.parent_table is not None else None
            own = evolve(own, table=number(("read", own.table)), parent_table=parent)
        out.append(evolve(item, index=len(out), cell=own))
    return tuple(out)
