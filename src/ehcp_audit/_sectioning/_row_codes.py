"""A provision table whose rows each name their own section in a column of codes.

Some plans set out special educational, health and social care provision
(F, G, H1, H2) in one table under one heading ("Sections F, G and H"), with
a column saying which section each row belongs to::

    Outcome | Provision               | Who         | How often | Section
    E1      | Phonics programme ...   | TA          | 4 x 30    | F
    E4      | Occupational therapy... | OT service  | termly    | G

The row's own code is the plan's word on where it belongs, so the whole row
is that section's text, whatever the heading above the table said; and the
outcome references in the first column ("E1", "E1, E2") are links, not
Section E's heading. A column counts as the section column only when its
heading cell says so ("Section", "Section (F/G/H)", "Part") and most rows
below hold a code there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._match import canonical_code

__all__ = ["row_code", "section_column"]

#: A column heading naming the section each row belongs to: "Section", "Section (F/G/H)",
#: "Sections F/G/H", "Part", "Which section". Never one section's own name ("Section A"),
#: which heads a section, not a column.
_CODE = r"(?:[a-k]|h[12]?)"
_SECTION_HEADING = re.compile(
    rf"^(?:which\s+)?(?:sections?|part)"
    rf"(?:\s*\(\s*{_CODE}(?:\s*[/,&]\s*{_CODE})*\s*\)|\s+{_CODE}(?:\s*[/,&]\s*{_CODE})+)?\s*:?$",
    re.IGNORECASE,
)
#: A cell holding a section's code: "F", "H1", "Section G", "H1/H2", "F (education)".
_CODE_CELL = re.compile(
    r"^(?:(?:section|part)\s+)?([A-K]|H\s?[12]?)(?:\s*[/,&]\s*(?:[A-K]|H\s?[12]?))*"
    r"(?:\s*\([^)]{0,30}\))?\W*$",
    re.IGNORECASE,
)


def row_code(text: str) -> tuple[str, bool] | None:
    """The section code a row's code cell names (the first, when it names several),
    and whether it stands for H1 and H2 together; None when the cell holds no code."""
    m = _CODE_CELL.match(text.strip())
    if m is None:
        return None
    return canonical_code(m.group(1))


def section_column(
    header: Sequence[tuple[int, str]], rows: Sequence[Sequence[tuple[int, str]]]
) -> int | None:
    """The column whose heading names a section and whose cells below mostly hold codes.

    ``header`` is the first row's (column, text) pairs; ``rows`` the rest's.
    """
    columns = [column for column, text in header if _SECTION_HEADING.match(text.strip())]
    if len(columns) != 1 or not rows:
        return None
    column = columns[0]
    coded = sum(1 for row in rows if any(c == column and row_code(text) for c, text in row))
    return column if 2 * coded >= len(rows) else None
