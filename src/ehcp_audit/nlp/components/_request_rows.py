"""Tables of requests and answers: a row with the request, the decision and the reason.

A plan answers the family's requests in a table as often as in prose:
"What you asked for | What we decided | Why", "Your request | Our response |
Reasons". No cell says it all: the request, the decision and the reason sit
in three cells of one row, and each cell is its own doc, so the signals
component cannot see the row. After the per-block pass,
:func:`complete_request_rows` reads such tables row by row: a row whose
request, decision and reason cells are all filled is a request answered with
its reason (rule ``request_explained.table_row``, the reason cell as the
evidence). In a "You said | We did" table with no reasons column, an answer
cell that decides otherwise and says why ("The therapist felt weekly
sessions are no longer needed, as ... We have agreed a termly review
instead") is one too (``request_explained.answer_cell``).

Which columns are which comes from ``[kinds.request_explained.table]`` in
``rules/lexicons/signals.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..._model import Cue, Section
from ._provision_rows import TableRow, section_rows
from .signals import RequestTable, default_rules

_KIND = "request_explained"
_ROW_RULE = "request_explained.table_row"
_CELL_RULE = "request_explained.answer_cell"
_SECTIONS = ("front", "A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K")
#: The fewest words a reason cell needs ("N/A" and "-" give none).
_REASON_WORDS = 3


def complete_request_rows(cues: tuple[Cue, ...], sections: Sequence[Section]) -> tuple[Cue, ...]:
    """``cues`` plus one ``request_explained`` cue per answered row of a request table."""
    table = default_rules().request_table
    if table is None:
        return cues
    found = [
        cue
        for row in section_rows(sections, _SECTIONS)
        if row.header and not row.is_header
        for cue in _row_cue(row, table)
    ]
    if not found:
        return cues
    held = {(c.location.block, c.kind) for c in cues}
    return cues + tuple(c for c in found if (c.location.block, c.kind) not in held)


def _row_cue(row: TableRow, table: RequestTable) -> list[Cue]:
    columns = _columns(row.header, table)
    if columns is None:
        return []
    asked, decided, why = columns
    if not row.text(asked):
        return []
    if why is not None:
        reason = row.text(why)
        if row.text(decided) and len(reason.split()) >= _REASON_WORDS:
            return [_cue(row, why, _ROW_RULE)]
        return []
    answer = row.text(decided)
    if table.explained.search(answer.lower()):
        return [_cue(row, decided, _CELL_RULE)]
    return []


def _columns(header: Sequence[str], table: RequestTable) -> tuple[int, int, int | None] | None:
    """The request, decision and (if any) reason columns of a header, or ``None``."""
    lowered = [h.strip().lower() for h in header]
    why = next((i for i, h in enumerate(lowered) if table.why.search(h)), None)
    asked = next((i for i, h in enumerate(lowered) if i != why and table.asked.search(h)), None)
    decided = next(
        (i for i, h in enumerate(lowered) if i not in (why, asked) and table.decided.search(h)),
        None,
    )
    if asked is None or decided is None:
        return None
    return asked, decided, why


def _cue(row: TableRow, column: int, rule: str) -> Cue:
    block = row.cells[column]
    text = block.text.strip()
    start = block.text.index(text)
    return Cue(
        kind=_KIND,
        text=text,
        section=row.section,
        location=block.location(start, start + len(text)),
        rule=rule,
    )
