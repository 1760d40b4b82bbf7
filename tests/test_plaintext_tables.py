"""Plain-text exports whose sections sit in text-drawn tables.

A case-management system that exports a plan as text draws its tables with
characters: ``+----+`` grids, ``|----|`` rules, ``=====`` lines, Unicode box
drawing, Markdown pipe tables. Section letters sit in the left-hand cells and
cells wrap over several lines. Such a plan must be audited like the same plan
as DOCX (a real plan refused as ``not_an_ehcp`` is the worst outcome), with
no border in the text and cues found inside the cells.

The plan below is invented for these tests (names, school and sentences).
It is rendered in several drawing styles by a small renderer here, and one
hand-typed export with its irregularities (uneven widths, tabs, trailing
spaces) is read as written.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ehcp_audit
from ehcp_audit import BlockKind
from ehcp_audit._limits import DEFAULT_LIMITS
from ehcp_audit.readers import read_bytes
from ehcp_audit.readers.text import read as read_text
from ehcp_audit.sections import sectionize

CHILD_VOICE = "Orla told us she wants to look after the school rabbits next year."

#: (letter, title, body paragraphs); "" for the letter means a row of its own.
LETTER_ROWS: list[tuple[str, str, list[str]]] = [
    (
        "A",
        "The views, interests and aspirations of the child and her parents",
        [
            CHILD_VOICE,
            'Her mum, Bryony, said: "We would like Orla to have one adult she '
            'trusts at school, and to be told when things change."',
            "[Enter how the child's views were gathered]",
        ],
    ),
    (
        "C",
        "Health care needs which relate to her special educational needs",
        ["Orla has coeliac disease and needs a gluten-free lunch every day."],
    ),
    ("D", "Social care needs", ["Orla has no social care needs related to her SEN."]),
    (
        "G",
        "Health provision",
        ["The dietitian will review Orla's meal plan with the school cook every term."],
    ),
    ("H1", "Social care provision under section 2 of the CSDPA 1970", ["None at present."]),
    ("H2", "Other social care provision", ["[Enter social care provision]"]),
    ("I", "Placement", ["Castlebrook Primary School, a mainstream community primary school."]),
    ("J", "Personal budget", ["No personal budget has been requested."]),
    (
        "K",
        "Advice and information",
        [
            "Educational psychologist advice, Dr Hal Greenaway, 4 March 2026.",
            "Parents' views, Bryony and Idris Penhaligon, 9 March 2026.",
        ],
    ),
]

COMBINED_HEADER = (
    "B - Special educational needs",
    "F - Special educational provision",
    "E - Outcomes",
)
COMBINED_ROWS = [
    (
        "Orla finds it hard to start writing tasks and often sits without beginning.",
        "A teaching assistant will give Orla a visual task plan for every writing "
        "lesson, 4 times a week.",
        "By July 2027 Orla will start a writing task within two minutes on her own.",
    ),
    (
        "Orla becomes anxious when the timetable changes without warning.",
        "Her class teacher will show her the day's changes each morning.",
        "[Enter outcome]",
    ),
]

EXPECTED = {"A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"}
BORDER_MARKS = ("+--", "|", "\u2502", "\u2500", "===", "---")


# -- a small renderer of text-drawn tables --------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for k, paragraph in enumerate(text.split("\n")):
        if k:
            lines.append("")
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


_STYLES = {  # left, middle, right junctions of top / inner / bottom rules; line; bar
    "grid": ("+++", "+++", "+++", "-", "|"),
    "pipes": ("|||", "|||", "|||", "-", "|"),
    "box": ("\u250c\u252c\u2510", "\u251c\u253c\u2524", "\u2514\u2534\u2518", "\u2500", "\u2502"),
}


def _draw(rows: list[list[str]], widths: list[int], style: str, header: bool) -> list[str]:
    """One table drawn in ``style``: grid (+--+), pipes (|--|), double (====), box."""
    top, middle, bottom, dash, bar = _STYLES.get(style, ("", "", "", "=", "|"))

    def rule(joints: str, char: str) -> str:
        if style == "double":
            return "=" * (sum(widths) + 3 * len(widths) + 1)
        inner = joints[1].join(char * (w + 2) for w in widths)
        return joints[0] + inner + joints[2]

    out = [rule(top, dash)]
    for r, row in enumerate(rows):
        wrapped = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        for k in range(max(len(c) for c in wrapped)):
            parts = [
                (c[k] if k < len(c) else "").ljust(w) for c, w in zip(wrapped, widths, strict=True)
            ]
            out.append(bar + bar.join(f" {p} " for p in parts) + bar)
        last = r == len(rows) - 1
        char = "=" if header and r == 0 and style != "box" else dash
        out.append(rule(bottom if last else middle, char))
    return out


def render(style: str) -> str:
    lines = [
        "WESTMERE BOROUGH COUNCIL",
        "Education, Health and Care Plan - DRAFT",
        "",
    ]
    details = [["Name", "Orla Penhaligon"], ["Date of birth", "17/09/2017"], ["Status", "Draft"]]
    if style == "markdown":
        lines += ["| Personal details | |", "| --- | --- |"]
        lines += [f"| {a} | {b} |" for a, b in details]
        lines.append("")
        for letter, title, body in LETTER_ROWS[:1]:
            lines += [f"## Section {letter} – {title}", ""]
            lines += [line for p in body for line in (p, "")]
        lines += ["| " + " | ".join(COMBINED_HEADER) + " |", "| --- | --- | --- |"]
        lines += ["| " + " | ".join(row) + " |" for row in COMBINED_ROWS]
        lines.append("")
        for letter, title, body in LETTER_ROWS[1:]:
            lines += [f"| {letter} | {title} |", "|---|---|"]
            lines += [f"|  | {p} |" for p in body]
            lines.append("")
        return "\n".join(lines) + "\n"
    lines += _draw(details, [14, 40], style, header=False)
    lines.append("")
    first, rest = LETTER_ROWS[:1], LETTER_ROWS[1:]
    for group in (first, None, rest):
        if group is None:
            table = [list(COMBINED_HEADER), *[list(r) for r in COMBINED_ROWS]]
            lines += _draw(table, [22, 24, 20], style, header=True)
        else:
            table = []
            for letter, title, body in group:
                table += [[letter, title], ["", "\n".join(body)]]
            lines += _draw(table, [3, 56], style, header=False)
        lines.append("")
    return "\n".join(lines) + "\n"


STYLES = ["grid", "pipes", "double", "box", "markdown"]


def _audit(text: str, tmp_path: Path, name: str = "plan.txt") -> ehcp_audit.PlanAudit:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ehcp_audit.audit(path)


@pytest.mark.parametrize("style", STYLES)
def test_drawn_plan_is_audited_with_every_section(style: str, tmp_path: Path) -> None:
    result = _audit(render(style), tmp_path)
    codes = {s.code for s in result.sections} - {"front", "other"}
    assert codes == EXPECTED
    assert result.missing_sections == ()
    assert result.details.name == "Orla Penhaligon"


@pytest.mark.parametrize("style", STYLES)
def test_no_border_reaches_the_text(style: str) -> None:
    doc = read_bytes(render(style).encode("utf-8"), DEFAULT_LIMITS)
    for block in doc.blocks:
        assert not any(mark in block.text for mark in BORDER_MARKS), block.text


@pytest.mark.parametrize("style", STYLES)
def test_cells_carry_their_coordinates_and_unwrapped_text(style: str) -> None:
    doc = read_bytes(render(style).encode("utf-8"), DEFAULT_LIMITS)
    provision = next(b for b in doc.blocks if b.text.startswith("A teaching assistant"))
    assert provision.kind is BlockKind.TABLE_CELL and provision.cell is not None
    assert (provision.cell.row, provision.cell.column) == (1, 1)
    assert provision.cell.header == COMBINED_HEADER
    # Wrapped over several lines in the drawing, one sentence in the block.
    assert provision.text == COMBINED_ROWS[0][1]
    assert provision.location().table == provision.cell.table


@pytest.mark.parametrize("style", STYLES)
def test_combined_table_rows_link_need_provision_and_outcome(style: str) -> None:
    doc = read_bytes(render(style).encode("utf-8"), DEFAULT_LIMITS)
    found = sectionize(doc)
    by_index = {b.index: b for b in doc.blocks}
    linked = [
        {code: " ".join(by_index[i].text for i in link.blocks_for(code)) for code in "BFE"}
        for link in found.row_links
    ]
    assert linked[0] == dict(zip("BFE", COMBINED_ROWS[0], strict=True))
    assert len(linked) == len(COMBINED_ROWS)


@pytest.mark.parametrize("style", STYLES)
def test_draft_prompts_in_cells_are_unfilled_fields(style: str, tmp_path: Path) -> None:
    result = _audit(render(style), tmp_path)
    unfilled = {(u.section, u.text.strip()) for u in result.unfilled_fields}
    assert ("H2", "[Enter social care provision]") in unfilled
    assert ("E", "[Enter outcome]") in unfilled
    assert not result.section("H2").filled
    assert result.section("A").filled


@pytest.mark.parametrize("style", STYLES)
def test_voice_is_found_inside_cells(style: str, tmp_path: Path) -> None:
    result = _audit(render(style), tmp_path)
    by_index = {b.index: b for b in result.document.blocks}
    voice = [c for c in result.cues if c.kind == "child_voice" and "school rabbits" in c.text]
    assert voice, "the child's own wish, inside a cell, is child voice"
    cue = voice[0]
    assert cue.section == "A"
    block = by_index[cue.location.block]
    assert block.text[cue.location.start : cue.location.end] == cue.text


# -- a hand-typed export, irregularities and all ---------------------------------

HAND_TYPED = """\
NORTHFLEET VALE COUNCIL  \t
EHC PLAN (draft for consultation)

+---------------+------------------------------+
| Child         | Kit Amberley                 |
| Date of birth | 30.11.2016                   |
+---------------+------------------------------+

+---+-----------------------------------------------------------+
| A | Views, interests and aspirations                          |
+===+===========================================================+
|   | What Kit told us:                                         |
|   | Kit said he wants to go back to football club on          |
|   | Saturdays and that he would like a quiet place at break.  |
|   |                                                           |
|   | <insert parents' views>                                   |
+---+-----------------------------------------------------------+
| B | Special educational needs                                 |
+---+-----------------------------------------------------------+
|   | Kit has dyslexia. He reads about two years below his age. |
+---+-----------------------------------------------------------+
| C | Health needs                                              |
|   | None identified.                                          |
+---+-----------------------------------------------------------+
| E | Outcomes                                                  |
+---+-----------------------------------------------------------+
|   | - By July 2027 Kit will read a page of his class reader   |
|   |   aloud with two errors or fewer.                         |
|   | - [Enter outcome]                                         |
+---+-----------------------------------------------------------+
|  F| Special educational provision                             |
+---+-----------------------------------------------------------+
|   | Daily 20-minute phonics session with a trained teaching   |
|   | assistant.                                                |
+---+-----------------------------------------------------------+
"""


def test_hand_typed_export_is_read_as_written(tmp_path: Path) -> None:
    result = _audit(HAND_TYPED, tmp_path)
    assert {"A", "B", "C", "E", "F"} <= {s.code for s in result.sections}
    assert result.details.name == "Kit Amberley"
    a = result.section("A")
    assert a is not None
    assert "Kit said he wants to go back to football club on Saturdays and that he would" in a.text
    assert "What Kit told us:" in a.subsections or "What Kit told us:" in a.text
    e = result.section("E")
    assert e is not None
    assert "By July 2027 Kit will read a page of his class reader aloud with two errors" in e.text
    assert any(u.text.strip() == "<insert parents' views>" for u in result.unfilled_fields)
    c = result.section("C")
    assert c is not None and "None identified." in c.text
    for block in result.document.blocks:
        assert "|" not in block.text and "+--" not in block.text


def test_grid_without_rules_between_rows_splits_rows_by_their_first_cell() -> None:
    text = (
        "+-----------+----------------------+\n"
        "| Area      | Who gave advice       |\n"
        "+-----------+----------------------+\n"
        "| Education | Educational           |\n"
        "|           | psychologist          |\n"
        "| Health    | School nurse          |\n"
        "+-----------+----------------------+\n"
    )
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    cells = [(b.cell.row, b.cell.column, b.text) for b in doc.blocks if b.cell is not None]
    assert (1, 1, "Educational psychologist") in cells
    assert (2, 0, "Health") in cells


def test_prose_with_a_pipe_stays_prose() -> None:
    text = "Orla likes maths | she says it is her best subject.\n\nSection A\n"
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    assert doc.blocks[0].kind is BlockKind.PARAGRAPH
    assert doc.blocks[0].text.startswith("Orla likes maths | she")


def test_borderless_label_rows_are_a_table() -> None:
    text = "Plan for Kit\n\nDate of birth | 30 November 2016\nSchool | Northfleet Primary\n"
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    cells = [(b.cell.row, b.cell.column, b.text) for b in doc.blocks if b.cell is not None]
    assert cells == [
        (0, 0, "Date of birth"),
        (0, 1, "30 November 2016"),
        (1, 0, "School"),
        (1, 1, "Northfleet Primary"),
    ]


def _cells(text: str) -> list[tuple[int, int, int, str]]:
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    return [
        (b.cell.table, b.cell.row, b.cell.column, b.text) for b in doc.blocks if b.cell is not None
    ]


SIMPLE = """\
=====  ==================================================
B      Special educational needs
=====  ==================================================
       Idris finds it hard to hold a pencil for long and
       his handwriting tires him quickly.
F      Special educational provision
       An occupational therapy programme, 3 times a week.
=====  ==================================================

  Need                 Provision                Outcome
  -------------------  -----------------------  ----------------
  Idris finds it hard  A speech and language    By July Idris
  to follow spoken     therapist will see him   will follow
  instructions.        weekly.                  instructions.
  Idris is shy.        Small group work.        Idris will join in.
"""


def test_simple_tables_find_columns_under_their_rules() -> None:
    cells = _cells(SIMPLE)
    assert (1, 0, 0, "B") in cells
    assert (
        1,
        1,
        1,
        "Idris finds it hard to hold a pencil for long and his handwriting tires him quickly.",
    ) in cells
    assert (1, 2, 0, "F") in cells
    assert (2, 0, 1, "Provision") in cells
    assert (2, 1, 0, "Idris finds it hard to follow spoken instructions.") in cells
    assert (2, 1, 2, "By July Idris will follow instructions.") in cells
    assert (2, 2, 0, "Idris is shy.") in cells  # a short line that ends: a new row


def test_simple_tables_are_sectioned_like_docx_tables() -> None:
    found = sectionize(read_bytes(SIMPLE.encode(), DEFAULT_LIMITS))
    assert found.codes == ("B", "F", "E")
    assert "occupational therapy" in found.section("F").text
    assert "Small group work." in found.section("F").text
    assert "Idris will join in." in found.section("E").text


def test_ragged_pipe_rows_without_rules_join_on_a_blank_first_cell() -> None:
    text = (
        "| A | Views, interests and aspirations\n"
        "|   | Rory likes tractors and\n"
        "|   | feeding the hens.\n"
        "| B | Special educational needs\n"
        "|   | Rory has global developmental delay.\n"
    )
    cells = _cells(text)
    assert [c[:3] for c in cells] == [(1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    assert cells[1][3].endswith("Rory likes tractors and feeding the hens.")
    found = sectionize(read_bytes(text.encode(), DEFAULT_LIMITS))
    assert found.codes == ("A", "B")


def test_letters_on_consecutive_lines_of_one_grid_are_separate_rows() -> None:
    text = (
        "+----+------------------------------+\n"
        "| D  | Social care needs            |\n"
        "| E  | Outcomes                     |\n"
        "+----+------------------------------+\n"
    )
    assert _cells(text) == [
        (1, 0, 0, "D"),
        (1, 0, 1, "Social care needs"),
        (1, 1, 0, "E"),
        (1, 1, 1, "Outcomes"),
    ]


def test_underscore_and_dash_rules_alone_never_reach_the_text() -> None:
    text = "Section A\n\n--------------------\n\nRory likes hens.\n____________\n+-----+\n"
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks] == ["Section A", "Rory likes hens."]


def test_dos_code_page_box_drawing_is_read_as_a_table() -> None:
    text = (
        "┌───┬────────────────────────────────┐\n"
        "│ A │ Views, interests and aspirations│\n"
        "├───┼────────────────────────────────┤\n"
        "│   │ Ffion said she likes the swings.│\n"
        "└───┴────────────────────────────────┘\n"
    )
    doc = read_bytes(text.encode("cp437"), DEFAULT_LIMITS)
    texts = [b.text for b in doc.blocks if b.cell is not None]
    assert texts == [
        "A",
        "Views, interests and aspirations",
        "",
        "Ffion said she likes the swings.",
    ]


def test_windows_1252_text_with_accents_is_not_taken_for_dos() -> None:
    text = "Section A – Zoë’s views\n\nZoë likes café trips. ÄÄÄ is not here.\n"
    doc = read_bytes(text.replace("ÄÄÄ", "Ä").encode("cp1252"), DEFAULT_LIMITS)
    assert "Zoë likes café trips." in doc.blocks[-1].text


PAGED = (
    "OFFICIAL - SENSITIVE\n"
    "EHC plan: Ffion Rees\n\n"
    "Section B - Special educational needs\n\n"
    "+----------------------+----------------------+------------------+\n"
    "| B - Needs            | F - Provision        | E - Outcomes     |\n"
    "+======================+======================+==================+\n"
    "| Ffion finds reading  | Daily phonics, 20    | By July Ffion    |\n"
    "| hard.                | minutes.             | will read a page.|\n"
    "+----------------------+----------------------+------------------+\n"
    "\n"
    "Page 1 of 2\n"
    "\f"
    "OFFICIAL - SENSITIVE\n"
    "EHC plan: Ffion Rees\n\n"
    "+----------------------+----------------------+------------------+\n"
    "| Ffion is anxious in  | A quiet space at     | By March Ffion   |\n"
    "| the hall.            | lunch.               | will eat in the  |\n"
    "|                      |                      | hall twice.      |\n"
    "+----------------------+----------------------+------------------+\n"
    "\n"
    "Page 2 of 2\n"
)


def test_page_headers_and_footers_of_a_paged_export_are_furniture() -> None:
    doc = read_bytes(PAGED.encode(), DEFAULT_LIMITS)
    assert [b.text for b in doc.furniture] == [
        "OFFICIAL - SENSITIVE",
        "EHC plan: Ffion Rees",
        "Page 1 of 2",
    ]
    assert not any("OFFICIAL" in b.text or "Page" in b.text for b in doc.blocks)


def test_a_table_cut_by_a_page_break_is_one_table() -> None:
    doc = read_bytes(PAGED.encode(), DEFAULT_LIMITS)
    cells = {(b.cell.table, b.cell.row, b.cell.column): b.text for b in doc.blocks if b.cell}
    assert cells[(1, 2, 0)] == "Ffion is anxious in the hall."
    assert cells[(1, 2, 2)] == "By March Ffion will eat in the hall twice."
    found = sectionize(doc)
    assert len(found.row_links) == 2
    assert "A quiet space at lunch." in found.section("F").text


def test_a_spaced_thematic_break_is_not_a_table() -> None:
    text = "Rory likes hens.\n\n- - - - -\nRory feeds them every morning.\n\n* * *\n"
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks] == ["Rory likes hens.", "Rory feeds them every morning."]


#: Words of a cell; none like "12." or "3)", which starting a line would make
#: it a numbered list item (its number dropped, as Word keeps numbers out of text).
_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ.,'()0123456789", min_size=1, max_size=9
).filter(lambda w: not re.fullmatch(r"\d{1,2}[.)]\S*", w))
_CELL = st.lists(_WORD, min_size=1, max_size=14).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    style=st.sampled_from(["grid", "pipes", "double", "box"]),
    columns=st.integers(min_value=1, max_value=3),
    data=st.data(),
)
def test_any_drawn_table_reads_back_cell_for_cell(style: str, columns: int, data) -> None:
    """Whatever the words, a drawn table's cells read back as written, unwrapped.

    Three rows or more, so rules stand between rows; where they do not (a
    table of two rows has its header rule only), rows are told apart by
    their text, which the tests above pin down case by case.
    """
    rows = data.draw(
        st.lists(st.lists(_CELL, min_size=columns, max_size=columns), min_size=3, max_size=5)
    )
    widths = data.draw(
        st.lists(st.integers(min_value=10, max_value=30), min_size=columns, max_size=columns)
    )
    text = "\n".join(_draw(rows, widths, style, header=False)) + "\n"
    doc = read_bytes(text.encode("utf-8"), DEFAULT_LIMITS)
    got = {(b.cell.row, b.cell.column): b.text for b in doc.blocks if b.cell is not None}
    want = {(r, c): cell for r, row in enumerate(rows) for c, cell in enumerate(row)}
    assert {k: " ".join(v.split()) for k, v in got.items()} == want


def test_a_box_round_one_text_is_one_cell_whatever_its_lines_end_with() -> None:
    text = (
        "+--------------------------------------+\n"
        "| Section A: Views and aspirations     |\n"
        "+--------------------------------------+\n"
        "| Kit loves football.                  |\n"
        "| He wants to play for a club.         |\n"
        "+--------------------------------------+\n"
    )
    assert _cells(text)[1:] == [(1, 1, 0, "Kit loves football.\nHe wants to play for a club.")]


def test_a_word_wrapped_at_its_hyphen_is_joined_without_a_space() -> None:
    text = (
        "+------------------+------------------+\n"
        "| Area             | Need             |\n"
        "+------------------+------------------+\n"
        "| Motor            | Kit has a co-    |\n"
        "|                  | ordination       |\n"
        "|                  | disorder, which  |\n"
        "|                  | he calls tiring -|\n"
        "|                  | and hard.        |\n"
        "+------------------+------------------+\n"
    )
    cells = _cells(text)
    want = "Kit has a co-ordination disorder, which he calls tiring - and hard."
    assert (1, 1, 1, want) in cells


@pytest.mark.parametrize(
    "text",
    ["#  #", "# \n#", "=====  =====\n|", "| A |+---+|", "+---+\n| a", "----  ----", "> #", "|"],
)
def test_odd_lines_are_read_without_hanging_or_losing_text(text: str) -> None:
    """Found by fuzzing: each of these once sent the reader round in a loop or kept a pipe."""
    doc = read_text(text.encode(), DEFAULT_LIMITS)
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
    assert not any(b.cell and b.text.startswith("|") for b in doc.blocks)


def test_tab_separated_rows_are_a_table() -> None:
    text = (
        "Section B\tSpecial educational needs\n"
        "\n"
        "Need\tProvision\tOutcome\n"
        "Noor finds reading hard.\tDaily phonics, 20 minutes.\tBy July Noor will read a page.\n"
        "Noor is anxious.\t\tA quiet room at lunch.\tBy March Noor will eat in the hall.\n"
        "\n"
        "\tNoor's mum said the plan was read to her.\n"
    )
    cells = _cells(text)
    assert (1, 1, 1, "Daily phonics, 20 minutes.") in cells
    assert (1, 2, 1, "A quiet room at lunch.") in cells  # two tabs line a column up
    found = sectionize(read_bytes(text.encode(), DEFAULT_LIMITS))
    assert found.codes == ("B", "F", "E")
    assert len(found.row_links) == 2
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    assert doc.blocks[-1].cell is None  # an indented line is a paragraph


CAPTIONED = """\
+----------------------------------------------------------------------+
| Comments on the plan                                                 |
+----------------------------------------------------------------------+
| Priya's dad read the plan on 2 June 2026 and asked for the swimming  |
| lessons to be added, which they were.                                |
+----------------------------------------------------------------------+

+----------------------------------------------------------------------+
| Priya's dad read the plan and was happy with it.                     |
+----------------------------------------------------------------------+
| He asked for a copy in large print.                                  |
+----------------------------------------------------------------------+
"""


def test_a_one_cell_first_row_of_a_few_words_is_the_tables_caption() -> None:
    cells = [b for b in read_text(CAPTIONED.encode(), DEFAULT_LIMITS).blocks if b.cell]
    bold = {b.text: b.bold for b in cells}
    assert bold["Comments on the plan"] is True
    assert not any(bold[t] for t in bold if t != "Comments on the plan")


#: A combined table as a text export draws merged cells: the section column merged down
#: the whole block, an outcome merged down two provision rows, and a closing row merged
#: across the outcome and provision columns.
MERGED_DOWN = (
    "+-------------+--------------+--------------+-----------+\n"
    "| E and F     | Outcome (E)  | Provision (F)| How often |\n"
    "+-------------+--------------+--------------+-----------+\n"
    "|             | Wren will    | Phonics      | Daily, 20 |\n"
    "|             | read 50 words| group        | minutes   |\n"
    "+-------------+--------------+--------------+-----------+\n"
    "|                            | Reading at   | Weekly    |\n"
    "|                            | home         |           |\n"
    "+-------------+--------------+--------------+-----------+\n"
    "|             | Family and school keep the reading log. |\n"
    "+-------------+--------------+--------------+-----------+\n"
)


def test_blank_cell_drawn_across_columns_is_the_rest_of_a_merged_cell() -> None:
    doc = read_bytes(MERGED_DOWN.encode(), DEFAULT_LIMITS)
    cells = [(b.cell.row, b.cell.column, b.text) for b in doc.blocks if b.cell is not None]
    assert (2, 2, "Reading at home") in cells
    # The blank drawn across the first two columns of row 2 is no cell of its own.
    assert [c for c in cells if c[0] == 2] == [(2, 2, "Reading at home"), (2, 3, "Weekly")]
    # A blank cell one column wide is still a cell (a gap a plan left empty).
    assert (1, 0, "") in cells


def test_row_merged_across_a_combined_table_is_not_a_data_row() -> None:
    doc = read_bytes(MERGED_DOWN.encode(), DEFAULT_LIMITS)
    found = sectionize(doc)
    by_index = {b.index: b for b in doc.blocks}
    rows = [
        {code: " ".join(by_index[i].text for i in link.blocks_for(code)) for code, _ in link.cells}
        for link in found.row_links
    ]
    assert rows[1] == {"F": "Reading at home Weekly"}
    # "Family and school agree ..." stays with the section, linked to no outcome.
    assert not any("reading log" in text for row in rows for text in row.values())


def test_a_need_with_its_outcome_and_provision_left_empty_stays_a_data_row() -> None:
    text = (
        "+-----------------+-----------------+-----------------+\n"
        "| B - Needs       | E - Outcomes    | F - Provision   |\n"
        "+-----------------+-----------------+-----------------+\n"
        "| Wren is anxious |                 |\n"
        "| in the hall.    |                 |\n"
        "+-----------------+-----------------+-----------------+\n"
    )
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    found = sectionize(doc)
    by_index = {b.index: b for b in doc.blocks}
    rows = [
        {code: [by_index[i].text for i in idx] for code, idx in link.cells}
        for link in found.row_links
    ]
    assert any("Wren is anxious in the hall." in " ".join(r.get("B", [])) for r in rows)
