"""Tables saved as text one cell a line (Word's and LibreOffice's "plain text").

Saved as plain text, a Word table loses its grid: each cell's paragraph
comes out on a line of its own, row after row, with nothing between cells::

    Provision
    How often
    Who
    A speech and language therapist will see Maya in school.
    Every half term
    Speech and language therapist
    ...

Read as prose, the provision's "how often" and "who" are cut off from it, so
the plan's quantified provision reads as vague, and an outcome's step is cut
off from the term it is due in. Here such a run is put back into rows: a
header of ``k`` short title lines, then data lines whose count is a multiple
of ``k``, every column of one kind (short values, or sentences; a label and
value table's values may mix) and sentences somewhere, so the table has real
content. Where the count does
not divide (a cell with two paragraphs), nothing is guessed: the lines stay
prose, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._prose import SENTENCE_END
from ._text_tables import SECTION_OPENING, TextCell, TextTable

#: A header cell or a short value: a few words, a capital, no sentence end or comma.
_MAX_SHORT_WORDS = 5
_ENDS = re.compile(r"[.!?:;,]")
#: The widest table put back together (wider ones are rare and riskier to count).
_MAX_COLUMNS = 8
#: Share of a column's cells that must be of its kind.
_SAME_KIND = 0.75
#: Share of a two-column table's first cells that must be short labels for its values
#: to mix names, dates and sentences.
_LABELS = 0.9
#: The most lines a table may take (a run of short lines with no end is a list, not a
#: table: capped so a file of a million short lines is read in linear time).
_MAX_LINES = 600
#: A header may start this many short lines into a run of them (a short sub-heading
#: above the table); later starts are not tried, which keeps the search linear.
_MAX_LEAD = 2


def _short(line: str) -> bool:
    """A header cell or a value such as "Three times a week", "SENCo", "Autumn term 2026"."""
    text = line.strip()
    words = text.split()
    return (
        0 < len(words) <= _MAX_SHORT_WORDS
        and (text[0].isupper() or text[0].isdigit())
        and _ENDS.search(text) is None
    )


def _laid_out(line: str) -> bool:
    """A line placed by position (indented, or with a wide gap inside): text laid out
    from a PDF, whose tables are columns side by side, not one cell a line."""
    return line.startswith("    ") or "   " in line.strip()


def _data_lines(lines: Sequence[str], i: int) -> int | None:
    """The index after the run of non-blank lines starting at ``i`` (a section's
    opening line ends it: headings follow tables with no blank line between), or
    None when the run is longer than any table."""
    j = i
    while j < len(lines) and lines[j].strip():
        if j > i and SECTION_OPENING.match(lines[j]):
            break
        j += 1
        if j - i > _MAX_LINES:
            return None
    return j


def _consistent(rows: list[list[str]]) -> bool:
    """Every column mostly of one kind, and one column of sentences (real content).

    A label-and-value table (two columns, nearly every first cell a short label) may
    mix short values and sentences in its value column: a details table gives a name,
    a date and a paragraph on how the child communicates. Anywhere else a mixed column
    means the lines were counted into the wrong rows.
    """
    columns = list(zip(*rows, strict=True))
    shares = [sum(1 for cell in column if _short(cell)) / len(column) for column in columns]
    if len(columns) == 2 and shares[0] >= _LABELS:
        return shares[1] < 1
    # A column is of one kind by length (short values, or long text) or by how its cells
    # end (sentences, or values with no full stop: "GP, Hollybank Surgery", "2 sessions
    # of 1 hour a week until July 2027", which are neither short nor sentences).
    ends = [
        sum(1 for cell in column if SENTENCE_END.search(cell)) / len(column) for column in columns
    ]
    if any(_mixed(share) and _mixed(end) for share, end in zip(shares, ends, strict=True)):
        return False
    return any(
        share <= 1 - _SAME_KIND or end >= _SAME_KIND
        for share, end in zip(shares, ends, strict=True)
    )


def _mixed(share: float) -> bool:
    return _SAME_KIND > share > 1 - _SAME_KIND


def find_cell_lines_table(lines: Sequence[str], i: int) -> tuple[int, TextTable] | None:
    """The one-cell-a-line table starting at ``lines[i]`` and the index after it, if any.

    The header is the widest run of short lines that leaves a whole number of
    rows (two or more) after it and consistent columns; a first data row may
    itself start with short values ("Autumn term 2026"), so narrower headers
    are tried too.
    """
    if not (_short(lines[i]) and i + 1 < len(lines) and _short(lines[i + 1])):
        return None
    lead = 0
    while lead <= _MAX_LEAD and i - lead - 1 >= 0 and _short(lines[i - lead - 1]):
        lead += 1
    if lead > _MAX_LEAD:
        return None
    end = _data_lines(lines, i)
    if end is None or any(_laid_out(line) for line in lines[i:end]):
        return None
    run = 0
    while i + run < end and run < _MAX_COLUMNS and _short(lines[i + run]):
        run += 1
    for k in range(run, 1, -1):
        data = [line.strip() for line in lines[i + k : end]]
        if len(data) < 2 * k or len(data) % k:
            continue
        rows = [data[n : n + k] for n in range(0, len(data), k)]
        if not _consistent(rows):
            continue
        header = [line.strip() for line in lines[i : i + k]]
        cells = [
            TextCell(r, c, text, bold=r == 0)
            for r, row in enumerate([header, *rows])
            for c, text in enumerate(row)
        ]
        return end, TextTable(tuple(cells))
    return None
