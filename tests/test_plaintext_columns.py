# ruff: noqa: E501  (the laid-out text below is as wide as pdftotext makes it)
"""Borderless tables in text laid out from a PDF (``pdftotext -layout``).

A combined "needs | provision | outcomes" table printed to text has no
borders: header cells side by side, then each column's wrapped lines beside
the others, a PDF's proportional text rounded to character columns (so one
column's lines start a character or two apart and wrap at uneven widths),
bullets as the Symbol font's private-use glyph, and now and then a header
cell glued to the one before by a single space. Read as prose, the columns
ran together and the provision and health sections were lost. The plan text
here is invented for these tests.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import attrs
import docx
import pytest
from soffice import convert

import ehcp_audit
from ehcp_audit import BlockKind
from ehcp_audit._limits import DEFAULT_LIMITS
from ehcp_audit.readers.text import read as read_text
from ehcp_audit.sections import sectionize

BULLET = "\uf0b7"

LAYOUT = f"""\
Education, Health and Care Plan
Name: Tobias Wren                                 Date of birth: 14 March 2016

Section A: All about me
I like building bridges out of cardboard and I want to be an engineer.
Tobias's dad said: "We want him to have friends who understand him."

Special educational needs and provision (B, F and E)
B – Special Educational Needs                      F – Special Educational Provision                  E – Outcomes
Tobias reads slowly and loses his                    {BULLET}    A specialist teacher will teach          By July 2027, Tobias will read a
place on the page. He tires quickly                       Tobias a structured reading               short chapter book aloud with
when he has to copy from the board                        programme in three 30-minute              no more than five errors a
(specialist teacher advice, May                           sessions each week.                       page.
2026).                                                {BULLET}    His teaching assistant will give         By December 2026, Tobias will use
Tobias told us that reading out loud                      him printed notes before every            his printed notes in every
makes him feel silly.                                     lesson, for the whole school year.        lesson without being reminded.
Sections C and G
C - Health needs relating to his needs G – Health provision required                     E – Outcomes
Tobias has hypermobile joints that make         The physiotherapist will see Tobias       By April 2027, Tobias will
writing painful after ten minutes               for 45 minutes every half term and        write for fifteen minutes
(physiotherapy advice, April 2026).             set a daily hand exercise programme.      without pain on 4 days out of 5.
D – Social care needs             H1 – Provision under section 2      H2 - Other social care          E – Outcomes
which relate to his needs         of the Chronically Sick and         provision
                                  Disabled Persons Act 1970
Tobias has no social care needs   No provision is required under      No other social care
at present (social care advice,   section 2.                          provision is required.
Children's Services, June 2026).
I - Placement
Name       Ferncastle Primary School

Type       Mainstream primary school

K - Advice and information
Advice                                 Date received        Who from                                  Appended
Parents' views                         02/05/2026           Rosa and Callum Wren                        YES
Specialist teacher advice              09/05/2026           Ms D. Okafor, Specialist Teacher             YES
Physiotherapy advice                   21/04/2026           Mr L. Brandt, Physiotherapist                YES
"""


def _cells(text: str) -> dict[int, list[tuple[int, int, str]]]:
    document = read_text(text.encode(), DEFAULT_LIMITS)
    tables: dict[int, list[tuple[int, int, str]]] = {}
    for block in document.blocks:
        if block.kind is BlockKind.TABLE_CELL and block.cell is not None:
            tables.setdefault(block.cell.table, []).append(
                (block.cell.row, block.cell.column, block.text)
            )
    return tables


def _table_with(
    tables: dict[int, list[tuple[int, int, str]]], words: str
) -> list[tuple[int, int, str]]:
    return next(cells for cells in tables.values() if any(words in text for _, _, text in cells))


def _header(cells: list[tuple[int, int, str]]) -> list[str]:
    """The first row's texts, left to right."""
    return [text for row, _, text in sorted(cells) if row == 0]


def test_a_combined_table_keeps_its_columns_and_joins_wrapped_lines() -> None:
    cells = _table_with(_cells(LAYOUT), "Special Educational Provision")
    by_place = {(row, column): text for row, column, text in cells}
    assert by_place[(0, 0)] == "B – Special Educational Needs"
    assert by_place[(0, 1)] == "F – Special Educational Provision"
    assert by_place[(0, 2)] == "E – Outcomes"
    provision = by_place[(1, 1)].splitlines()
    # The Symbol-font bullet starts an item; a line wrapped mid-sentence joins its line.
    assert provision == [
        "A specialist teacher will teach Tobias a structured reading programme in three "
        "30-minute sessions each week.",
        "His teaching assistant will give him printed notes before every lesson, for the "
        "whole school year.",
    ]
    assert by_place[(1, 0)].splitlines()[-1] == (
        "Tobias told us that reading out loud makes him feel silly."
    )
    assert by_place[(1, 2)].splitlines()[0] == (
        "By July 2027, Tobias will read a short chapter book aloud with no more than five "
        "errors a page."
    )


def test_a_header_glued_to_the_cell_before_by_one_space_is_split() -> None:
    assert _header(_table_with(_cells(LAYOUT), "hypermobile")) == [
        "C - Health needs relating to his needs",
        "G – Health provision required",
        "E – Outcomes",
    ]


def test_a_header_over_an_empty_column_keeps_its_column() -> None:
    cells = _table_with(_cells(LAYOUT), "H1 – Provision")
    header = _header(cells)
    assert header[-1] == "E – Outcomes"
    assert header[1].startswith("H1 – Provision under section 2 of the Chronically Sick")
    body = {column: text for row, column, text in cells if row == 1}
    assert body[2] == "No other social care provision is required."
    assert body[3] == ""


def test_rows_of_short_values_stay_apart_and_a_section_heading_ends_the_table() -> None:
    tables = _cells(LAYOUT)
    advice = _table_with(tables, "Date received")
    rows = {}
    for row, column, text in advice:
        rows.setdefault(row, {})[column] = text
    assert [r[0] for _, r in sorted(rows.items())] == [
        "Advice",
        "Parents' views",
        "Specialist teacher advice",
        "Physiotherapy advice",
    ]
    assert rows[2][2] == "Ms D. Okafor, Specialist Teacher"
    # "I - Placement" is not swallowed by the social-care table above it.
    assert not any("Placement" in text for _, _, text in _table_with(tables, "H1 – Provision"))


def test_the_sections_are_found_as_in_the_plan() -> None:
    document = read_text(LAYOUT.encode(), DEFAULT_LIMITS)
    found = sectionize(document)
    codes = {section.code for section in found.sections}
    assert {"A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "K"} <= codes
    # The combined table's row links need, provision and outcome as in the DOCX.
    by_index = {b.index: b.text for b in document.blocks}
    first = found.row_links[0]
    assert by_index[first.blocks_for("F")[0]].startswith("A specialist teacher will teach")
    assert by_index[first.blocks_for("E")[0]].startswith("By July 2027, Tobias")


def test_provision_in_the_table_is_read_as_provision_of_its_section() -> None:
    result = ehcp_audit.audit_text(LAYOUT)
    quantified = [c for c in result.cues if c.kind == "quantified_provision"]
    assert any(c.section == "F" and "structured reading programme" in c.text for c in quantified)
    assert any(c.section == "G" and "45 minutes every half term" in c.text for c in quantified)


@pytest.mark.parametrize(
    "text",
    [
        # One line with a wide gap in prose is not a table.
        "Tobias enjoys maths.   He likes numbers best of all.\nHe is proud of his reading.\n",
        # Justified prose: words one or two spaces apart.
        "Tobias  enjoys  maths  and  he  likes  numbers  best  of  all  because  they\n"
        "make  sense  to  him  and  he  can  check  his  own  answers  at  home.\n",
    ],
    ids=["one-wide-gap", "justified"],
)
def test_prose_is_not_a_table(text: str) -> None:
    assert _cells(text) == {}


def test_label_value_lines_pair_each_label_with_its_value() -> None:
    tables = _cells("Name       Tobias Wren\nSchool     Ferncastle Primary School\n")
    [cells] = tables.values()
    assert sorted(cells) == [
        (0, 0, "Name"),
        (0, 1, "Tobias Wren"),
        (1, 0, "School"),
        (1, 1, "Ferncastle Primary School"),
    ]


# -- a real round trip: a DOCX combined table, printed to PDF, laid out as text --------


def _combined_plan(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Section A: Views, interests and aspirations", level=1)
    document.add_paragraph("I want to learn to swim a whole length this year.")
    document.add_paragraph('Her mum said: "We would like her to feel safe at lunchtimes."')
    document.add_heading("Special educational needs, provision and outcomes", level=1)
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ["B – Special Educational Needs", "F – Special Educational Provision", "E – Outcomes"],
        strict=True,
    ):
        cell.text = text
    table.rows[1].cells[0].text = (
        "Juno finds busy rooms overwhelming and covers her ears when the hall is noisy "
        "(educational psychology advice, March 2026)."
    )
    table.rows[1].cells[1].text = (
        "A teaching assistant will take Juno to a quiet room for a 20-minute calming "
        "session every lunchtime, for the whole school year."
    )
    table.rows[1].cells[
        2
    ].text = "By July 2027, Juno will stay in the dining hall for 15 minutes on 4 days out of 5."
    document.add_heading("Section G: Health provision", level=1)
    document.add_paragraph("The school nurse will review Juno's eczema plan every term.")
    document.save(path)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_docx_combined_table_survives_pdf_and_pdftotext_layout(tmp_path: Path) -> None:
    source = tmp_path / "juno.docx"
    _combined_plan(source)
    pdf = convert(source, tmp_path)
    layout = tmp_path / "juno.txt"
    subprocess.run(["pdftotext", "-layout", str(pdf), str(layout)], check=True, timeout=60)
    from_docx = ehcp_audit.audit(source)
    from_text = ehcp_audit.audit(layout)
    assert {s.code for s in from_text.sections} == {s.code for s in from_docx.sections}
    provision = [c for c in from_text.cues if c.kind == "quantified_provision"]
    assert any(c.section == "F" and "20-minute calming session" in c.text for c in provision)
    assert [p.rating for p in from_text.principles] == [p.rating for p in from_docx.principles]


TWO_COLUMNS = """\
What I told them                            What will happen
I want to sit near the door in assembly so I Ellis will have a seat at the end of the
can get out if it gets too loud.            row by the door in every assembly.
I like doing my maths on the computer.      Ellis will use the maths program for
                                            two lessons a week.

What my family say

Ellis's grandma                             He has always loved taking things apart
                                            and putting them back together, and he
                                            is happiest in the shed with his grandad.
"""


def test_a_cell_running_into_the_next_by_one_space_is_split_at_the_column() -> None:
    tables = _cells(TWO_COLUMNS)
    rows: dict[int, dict[int, str]] = {}
    for row, column, text in _table_with(tables, "What I told them"):
        rows.setdefault(row, {})[column] = text
    assert rows[1] == {
        0: "I want to sit near the door in assembly so I can get out if it gets too loud.",
        1: "Ellis will have a seat at the end of the row by the door in every assembly.",
    }
    assert rows[2][0] == "I like doing my maths on the computer."


def test_a_label_beside_an_indented_paragraph_is_a_two_column_row() -> None:
    cells = _table_with(_cells(TWO_COLUMNS), "grandma")
    assert cells == [
        (0, 0, "Ellis's grandma"),
        (
            0,
            1,
            "He has always loved taking things apart and putting them back together, and he "
            "is happiest in the shed with his grandad.",
        ),
    ]


INTERLEAVED = """\
Needs (B)                     Provision (F)                   Outcomes (E)
Ava finds it hard to hold       A teaching assistant will       By March 2027, Ava will
a pencil for long and her       run a 15-minute hand            write her name clearly
letters are large and           strength programme each         on 4 days out of 5.
                                                                By July 2027, Ava will
uneven (occupational            morning, for the whole
                                                                write two sentences that
therapy advice, May 2026).      school year.
                                                                an adult can read.
"""


def test_a_column_whose_lines_sit_between_the_others_lines_keeps_its_sentences() -> None:
    """pdftotext places lines by height: one column's line may come between two of another's."""
    cells = _table_with(_cells(INTERLEAVED), "Needs (B)")
    body = {column: text for row, column, text in cells if row == 1}
    assert max(row for row, _, _ in cells) == 1  # one row, not one per line
    assert body[0] == (
        "Ava finds it hard to hold a pencil for long and her letters are large and uneven "
        "(occupational therapy advice, May 2026)."
    )
    assert body[2].splitlines() == [
        "By March 2027, Ava will write her name clearly on 4 days out of 5.",
        "By July 2027, Ava will write two sentences that an adult can read.",
    ]


HEADER_LEFT = """\
C - Health needs relating to her needs G – Health provision required by           E – Outcomes
special educational needs                her learning difficulties or
                                         disabilities

Ava has eczema on her hands, which          The school nurse will check Ava's       By June 2027, Ava will put
makes writing sore on bad days              cream plan with her mum every           on her own cream before
(school nurse advice, April 2026).          term.                                   lunch on 4 days out of 5.
She uses a cream at lunchtime.              Ava will keep her cream in the
                                            medical room.
"""


def test_a_header_set_left_of_its_column_over_several_lines_keeps_the_column() -> None:
    """A bold header cell may start left of its column's text on every one of its lines."""
    cells = _table_with(_cells(HEADER_LEFT), "Health provision")
    assert _header(cells) == [
        "C - Health needs relating to her needs special educational needs",
        "G – Health provision required by her learning difficulties or disabilities",
        "E – Outcomes",
    ]
    provision = [
        line for row, column, text in cells if row and column == 1 for line in text.splitlines()
    ]
    assert provision == [
        "The school nurse will check Ava's cream plan with her mum every term.",
        "Ava will keep her cream in the medical room.",
    ]


ADVICE = """\
Advice                     Given by                       Date
Independent advice         Fernhill SENDIASS              May 2026
                           (supporting Rosa) and the
                           Fernhill Parent Carer
                           Forum
Education advice           Ms P. Ode, SENCo               4 May 2026
"""


def test_a_name_wrapped_over_lines_of_a_data_cell_joins_up() -> None:
    cells = _table_with(_cells(ADVICE), "Given by")
    by_place = {(row, column): text for row, column, text in cells}
    assert by_place[(1, 1)] == (
        "Fernhill SENDIASS (supporting Rosa) and the Fernhill Parent Carer Forum"
    )
    assert by_place[(2, 1)] == "Ms P. Ode, SENCo"
    assert by_place[(0, 1)] == "Given by"


@pytest.mark.parametrize("every", [2, 3], ids=["every-other-line", "every-third-line"])
def test_prose_running_across_columns_is_read_in_linear_time(every: int) -> None:
    """Lines of two columns broken by lines running across them: looked at once, not
    re-read from every line (50,000 lines; quadratic work would not finish)."""
    lines = [
        "Some words here and there that run on" if n % every == 0 else "Cell one    Cell two"
        for n in range(50_000)
    ]
    roomy = attrs.evolve(
        DEFAULT_LIMITS, max_block_chars=10**8, max_plan_chars=10**8, max_blocks=10**6
    )
    document = read_text("\n".join(lines).encode(), roomy)
    assert document.blocks


def test_a_value_starting_with_a_number_under_a_number_is_a_new_row() -> None:
    text = (
        "Case officer        Ms R. Quill, SEN Officer, 01632 960555\n"
        "Plan issued         3 December 2026 (final)\n"
    )
    [cells] = _cells(text).values()
    assert sorted(cells) == [
        (0, 0, "Case officer"),
        (0, 1, "Ms R. Quill, SEN Officer, 01632 960555"),
        (1, 0, "Plan issued"),
        (1, 1, "3 December 2026 (final)"),
    ]


PAGE_BREAK = """\
Outcome               Steps                    What Ava said
By July 2027, Ava     By March 2027 she will   Ava said she wants to
will swim 25 metres   swim 10 metres with a    swim with her cousins.
on her own.           float.

Her teacher will      By May 2027 she will    She likes the
check each term.       swim 15 metres.        deep end.
"""


def test_a_table_goes_on_over_a_page_break_with_its_columns_shifted_a_character() -> None:
    """pdftotext leaves a blank line at a page break and may shift a line by one place."""
    tables = _cells(PAGE_BREAK)
    assert len(tables) == 1
    [cells] = tables.values()
    steps = " ".join(text for _, column, text in sorted(cells) if column == 1)
    assert "By May 2027 she will swim 15 metres." in steps
