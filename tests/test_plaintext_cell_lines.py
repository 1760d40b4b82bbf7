"""Word tables saved as plain text, one cell a line.

Word's and LibreOffice's "plain text" put each cell's paragraph on a line of
its own, row after row. The text reader puts such a run back into rows when
the count of lines fits a header of short title lines, and leaves it as prose
when anything is unsure. The plan text here is invented for these tests.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import docx
import pytest
from soffice import convert

import ehcp_audit
from ehcp_audit import BlockKind
from ehcp_audit._limits import DEFAULT_LIMITS
from ehcp_audit.readers.text import read as read_text

PROVISION = """\
Section A: Views, interests and aspirations
I like football and I want to be a goalkeeper.
His dad said: "We want Amir to enjoy writing again."

Section B: Special educational needs
Amir has dyslexia: he finds spelling hard (specialist teacher advice, April 2026).

Section F: Special educational provision

Provision
How often
How long
Who
A specialist teacher will teach Amir a structured spelling programme.
Twice a week
30 minutes
Specialist teacher
Amir will practise his spellings with his dad using the cards sent home.
Three evenings a week
10 minutes
Amir's dad

Section E: Outcomes
By July 2027, Amir will spell 40 of the 50 common exception words correctly.
Term
Step
Autumn term 2026
Amir will spell the first 15 words correctly in a weekly check.
Spring term 2027
Amir will spell 30 of the words correctly and use them in his writing.
"""


def _tables(text: str) -> list[list[list[str]]]:
    document = read_text(text.encode(), DEFAULT_LIMITS)
    tables: dict[int, dict[int, dict[int, str]]] = {}
    for block in document.blocks:
        if block.kind is BlockKind.TABLE_CELL and block.cell is not None:
            cell = block.cell
            tables.setdefault(cell.table, {}).setdefault(cell.row, {})[cell.column] = block.text
    return [
        [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())]
        for _, rows in sorted(tables.items())
    ]


def test_a_table_saved_one_cell_a_line_is_put_back_into_rows() -> None:
    provision, steps = _tables(PROVISION)[-2:]
    assert provision == [
        ["Provision", "How often", "How long", "Who"],
        [
            "A specialist teacher will teach Amir a structured spelling programme.",
            "Twice a week",
            "30 minutes",
            "Specialist teacher",
        ],
        [
            "Amir will practise his spellings with his dad using the cards sent home.",
            "Three evenings a week",
            "10 minutes",
            "Amir's dad",
        ],
    ]
    # The first data row starts with a short value ("Autumn term 2026"): the header is
    # the width that leaves whole rows.
    assert steps[0] == ["Term", "Step"]
    assert steps[1][0] == "Autumn term 2026"


def test_provision_keeps_its_frequency_and_an_outcome_step_its_term() -> None:
    result = ehcp_audit.audit_text(PROVISION)
    quantified = [c.text for c in result.cues if c.kind == "quantified_provision"]
    assert any("structured spelling programme" in text for text in quantified)
    assert any("cards sent home" in text for text in quantified)


@pytest.mark.parametrize(
    "text",
    [
        # A details list: labels and values, all short, no sentences.
        "Name\nAmir Haddad\nDate of birth\n4 June 2017\nSchool\nRivermead Primary\n",
        # A cell with two paragraphs: the count does not divide, nothing is guessed.
        "Provision\nWho\nA teacher will read with Amir.\nHe will choose the book.\n"
        "Class teacher\nAmir will use a reading ruler.\nTeaching assistant\n",
        # Text laid out from a PDF: columns side by side, not one cell a line.
        "Provision\nWho\nA teacher will read with Amir.      Class teacher\n"
        "Amir will use a reading ruler.     Teaching assistant\n",
    ],
    ids=["details-list", "two-paragraph-cell", "laid-out"],
)
def test_lines_that_are_not_a_cell_a_line_stay_as_they_were(text: str) -> None:
    tables = _tables(text)
    assert all(len(row) != 2 or row[0] != "Provision" for table in tables for row in table)
    if "      " not in text:
        assert tables == []


def test_a_million_short_lines_are_read_in_linear_time() -> None:
    """A run of short lines longer than any table is a list: skipped, not searched."""
    text = "".join(f"Item {n}\n" for n in range(200_000))
    roomy = attrs.evolve(
        DEFAULT_LIMITS, max_block_chars=10**8, max_plan_chars=10**8, max_blocks=10**6
    )
    document = read_text(text.encode(), roomy)
    assert not any(b.kind is BlockKind.TABLE_CELL for b in document.blocks)


def _provision_plan(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Section A: Views, interests and aspirations", level=1)
    document.add_paragraph("I want to read a whole chapter book on my own.")
    document.add_paragraph('His mum said: "We want reading to feel less of a battle."')
    document.add_heading("Section F: Special educational provision", level=1)
    table = document.add_table(rows=3, cols=3)
    rows = [
        ("Provision", "How often", "Who"),
        ("A structured reading programme in a small group.", "Four times a week", "TA"),
        ("Paired reading with an older pupil at lunchtime.", "Twice a week", "Year 6 buddy"),
    ]
    for cells, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("")
    document.add_heading("Section G: Health provision", level=1)
    document.add_paragraph("No health provision is needed (school nurse advice, May 2026).")
    document.save(path)


def test_a_word_table_saved_as_text_by_libreoffice_keeps_its_rows(tmp_path: Path) -> None:
    source = tmp_path / "amir.docx"
    _provision_plan(source)
    convert(source, tmp_path, to="txt:Text (encoded):UTF8")
    exported = tmp_path / "amir.txt"
    tables = _tables(exported.read_text(encoding="utf-8-sig"))
    assert tables == [
        [
            list(r)
            for r in (
                ("Provision", "How often", "Who"),
                ("A structured reading programme in a small group.", "Four times a week", "TA"),
                (
                    "Paired reading with an older pupil at lunchtime.",
                    "Twice a week",
                    "Year 6 buddy",
                ),
            )
        ]
    ]


DETAILS = """\
Personal details
Detail
Information
Name
Tobias Wren
Preferred name
Toby
Date of birth
14 March 2010 (age 16)
Address
3 Mill Lane, Ferncastle
How I communicate
I speak for myself, and I like questions written down before I answer them.
Parent and carers
Rosa Wren (mum)

Section A: About me
I want to be a vet.
"""


def test_a_details_table_saved_one_cell_a_line_pairs_labels_with_values() -> None:
    """Its values mix names, dates and a sentence; a title line above it is not a column."""
    [table] = _tables(DETAILS)
    assert table[0] == ["Detail", "Information"]
    assert table[1] == ["Name", "Tobias Wren"]
    assert table[4] == ["Address", "3 Mill Lane, Ferncastle"]
    assert table[5][1].startswith("I speak for myself")
    assert table[-1] == ["Parent and carers", "Rosa Wren (mum)"]


# Real "Who" and "How often" cells are short or long ("Epilepsy nurse", "Children's
# physiotherapist and a trained teaching assistant"; "Once a term", an amount in ten
# words). Their columns are still of one kind: values that never end a sentence,
# beside a column of sentences.
LONG_VALUES = """\
Section A: About me
Ines likes drama club and her two rabbits.

Section B: Special educational needs
Ines has epilepsy and finds it hard to keep up after a seizure.

Section G: Health provision
Provision
Who
How often / how long
A review of Ines's seizure plan with her family and school staff.
Epilepsy nurse
Once a term
Physiotherapy programme for balance and core strength, delivered in school.
Children's physiotherapist and a trained teaching assistant
2 sessions of 20 minutes a week until July 2027
"""

# The same count of lines, but one column mixes sentences and values: the lines were
# written as prose (or counted into the wrong rows), so nothing is put back together.
MIXED_COLUMN = """\
Section G: Health provision
Provision
Who
How often / how long
A review of Ines's seizure plan with her family and school staff.
School nurse
Once each term, with a written update to school
Physiotherapy programme for balance and core strength, delivered in school.
The physiotherapist will train her teaching assistant first.
2 sessions of 20 minutes a week until July 2027
"""


def test_values_that_are_neither_short_nor_sentences_still_make_a_column() -> None:
    tables = _tables(LONG_VALUES)
    assert tables and tables[0][1] == [
        "A review of Ines's seizure plan with her family and school staff.",
        "Epilepsy nurse",
        "Once a term",
    ]
    result = ehcp_audit.audit_text(LONG_VALUES)
    quantified = [c.text for c in result.cues if c.kind == "quantified_provision"]
    assert any(text.startswith("Physiotherapy programme") for text in quantified)


def test_a_column_mixing_sentences_and_values_is_not_a_table() -> None:
    assert _tables(MIXED_COLUMN) == []
