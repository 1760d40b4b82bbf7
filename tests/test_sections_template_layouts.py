"""One provision table for F, G and H whose rows name their own section in a column.

Some plans put all provision in one table under one heading ("Sections F, G and
H"), with a column saying which section each row is ("Section (F/G/H)") and a
first column of outcome references ("E2", "E1, E3"). Each row belongs to the
section its code names; the references are links, never Section E's heading.
Before, the first row's "E1" was read as Section E's heading and the whole table
became outcomes, so F, G and H1 were missed and the provision went unread.

Also here: headings in a template's own words that name their section after a dash
("What we are aiming for - Section E: Outcomes"), and H1 and H2 written as run-in
paragraphs ("H2: Her parents will get ...") under one heading for both.
"""

from __future__ import annotations

from pathlib import Path

import docx
import docx.document
import pytest

import ehcp_audit
from ehcp_audit._sectioning._row_codes import row_code, section_column

ROWS = [
    ("E1", "Speech and language therapy programme, 3 sessions of 20 minutes a week.",
     "Teaching assistant trained by the therapist", "3 x 20 minutes weekly", "F"),
    ("E1, E2", "Use of a wobble cushion and fidget tools as required.", "Class teacher",
     "As required", "F"),
    ("E3", "Physiotherapy review of his exercise programme, one visit of 45 minutes each term.",
     "Children's physiotherapy service", "Termly", "G"),
    ("E4", "Short breaks at an inclusive holiday club, 6 days a year.",
     "Children's disability team", "6 days a year", "H1"),
]  # fmt: skip


def _write(document: docx.document.Document, parts: list[tuple[str, ...]]) -> None:
    """Add ``(heading, paragraph, ...)`` parts: each heading (level 2) and its paragraphs."""
    for heading, *paragraphs in parts:
        document.add_heading(heading, level=2)
        for text in paragraphs:
            document.add_paragraph(text)


def _plan(tmp_path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    document = docx.Document()
    _write(
        document,
        [
            ("Section A - About me", "Rafferty likes trains, swimming and his cousin's dog."),
            ("Section B - Special educational needs", "Rafferty has hypermobility."),
            (
                "Section E - Outcomes",
                "E1: By July 2027 Rafferty will ask an adult for help in class.",
                "E2: By July 2027 Rafferty will sit for a ten-minute carpet time.",
            ),
            ("Sections F, G and H - Provision", "The table below sets out his provision."),
        ],
    )
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for number, values in enumerate([header, *rows]):
        for column, text in enumerate(values):
            table.rows[number].cells[column].text = text
    _write(document, [("Section I - Placement", "Brackenside Primary School (mainstream).")])
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


HEADER = ("Outcome", "Provision", "Who will provide it", "How often", "Section (F/G/H)")


def test_each_row_belongs_to_the_section_its_code_names(tmp_path: Path) -> None:
    result = ehcp_audit.audit(_plan(tmp_path, HEADER, ROWS))
    texts = {s.code: s.text for s in result.sections}
    assert "Speech and language therapy programme" in texts["F"]
    assert "Physiotherapy review" in texts["G"] and "Physiotherapy" not in texts["F"]
    assert "Short breaks" in texts["H1"]
    # The outcome references are links in their rows, not Section E's text.
    assert "Speech and language therapy" not in texts["E"]
    quantified = {c.section for c in result.cues if c.kind == "quantified_provision"}
    assert {"F", "G", "H1"} <= quantified


def test_a_vague_amount_cell_is_not_a_second_vague_provision(tmp_path: Path) -> None:
    result = ehcp_audit.audit(_plan(tmp_path, HEADER, ROWS))
    vague = [c.text for c in result.cues if c.kind == "vague_provision"]
    # One row, one provision: the "As required" cell beside it is its amount.
    assert vague == ["Use of a wobble cushion and fidget tools as required."]


def test_a_sentence_describing_the_table_is_not_provision(tmp_path: Path) -> None:
    result = ehcp_audit.audit(_plan(tmp_path, HEADER, ROWS))
    assert not any(c.text.startswith("The table below") for c in result.cues)


def test_a_table_without_a_section_column_keeps_the_heading_s_section(tmp_path: Path) -> None:
    header = ("Outcome", "Provision", "Who will provide it", "How often")
    rows = [values[:4] for values in ROWS]
    result = ehcp_audit.audit(_plan(tmp_path, header, rows))
    assert "G" not in {s.code for s in result.sections}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("F", ("F", False)),
        ("Section G", ("G", False)),
        ("H1/H2", ("H1", False)),
        ("H", ("H1", True)),
        ("F (education)", ("F", False)),
        ("Fortnightly", None),
        ("Each term", None),
        ("E1, E2", None),  # outcome references, not a section
    ],
)
def test_a_code_cell_names_its_section(text: str, expected: tuple[str, bool] | None) -> None:
    assert row_code(text) == expected


def test_a_section_column_needs_its_heading_and_codes_in_most_rows() -> None:
    header = [(0, "Provision"), (1, "Frequency"), (2, "Section")]
    coded = [[(0, "Swimming club"), (1, "Weekly"), (2, "H1")], [(0, "OT"), (1, "Termly"), (2, "G")]]
    assert section_column(header, coded) == 2
    # "Section" over page references is not a column of codes.
    pages = [[(0, "Swimming club"), (1, "Weekly"), (2, "page 4")], [(0, "OT"), (2, "page 6")]]
    assert section_column(header, pages) is None
    # A column of letters with no "Section" heading over it is not trusted.
    assert section_column([(0, "Provision"), (1, "Frequency"), (2, "Code")], coded) is None


def test_a_section_s_own_name_over_a_column_is_not_a_column_of_codes() -> None:
    header = [(0, "Section A"), (1, "Views, interests and aspirations")]
    rows = [[(0, "Section B"), (1, "Needs")], [(0, "F"), (1, "Provision")]]
    assert section_column(header, rows) is None
    assert section_column([(0, "Sections F/G/H"), (1, "Provision")], rows) == 0


# -- headings in a template's own words, and H1/H2 parts written as run-in paragraphs -------


def _titled_plan(tmp_path: Path) -> Path:
    document = docx.Document()
    _write(
        document,
        [
            ("All about me - Section A: Views", "Odile loves horses and riding."),
            ("What I find hard - Section B: Needs", "Odile has a moderate learning difficulty."),
            (
                "What we are aiming for - Section E: Outcomes",
                "By July 2027 Odile will read a bus timetable on her own.",
            ),
            (
                "Help from social care - Sections H1 and H2: Social care provision",
                "H1: No provision under section 2 of the 1970 Act is needed now.",
                "H2: Odile's parents will get a short breaks assessment.",
            ),
            ("My school - Section I: Placement", "Nettlecombe Academy (mainstream)."),
        ],
    )
    path = tmp_path / "titled.docx"
    document.save(str(path))
    return path


def test_a_heading_naming_its_section_after_a_dash_starts_that_section(tmp_path: Path) -> None:
    result = ehcp_audit.audit(_titled_plan(tmp_path))
    texts = {s.code: s.text for s in result.sections}
    assert texts["E"].startswith("By July 2027 Odile will read")
    assert "bus timetable" not in texts["B"]


def test_h1_and_h2_parts_under_one_heading_are_read_as_their_own_sections(tmp_path: Path) -> None:
    result = ehcp_audit.audit(_titled_plan(tmp_path))
    texts = {s.code: s.text for s in result.sections}
    # The run-in parts are the sections' text, not headings that swallow it.
    assert texts["H1"].startswith("H1: No provision under section 2")
    assert texts["H2"].startswith("H2: Odile's parents will get")
    assert "short breaks" not in texts["H1"]


@pytest.mark.parametrize(
    "line",
    [
        "Please see Section E: it sets out what Odile will achieve by July 2027.",
        "Meeting notes - Section B reviewed with the family",
    ],
)
def test_a_section_named_in_a_plain_sentence_starts_nothing(line: str) -> None:
    from ehcp_audit._sectioning._match import Form
    from ehcp_audit.sections import _matcher_for

    assert _matcher_for(()).resolve(line, Form.PLAIN) is None
    assert _matcher_for(()).resolve(line, Form.WEAK) is None


def test_a_sentence_about_a_section_is_not_its_heading_but_its_long_title_is() -> None:
    from ehcp_audit._sectioning._match import Form
    from ehcp_audit.sections import _matcher_for

    matcher = _matcher_for(())
    about = "Section I (placement) has been left blank so that you can tell us which school."
    assert matcher.resolve(about, Form.PLAIN) is None
    title = (
        "Section H1: Social care provision which must be made for a child or young person "
        "under 18 resulting from section 2 of the Chronically Sick and Disabled Persons Act 1970."
    )
    found = matcher.resolve(title, Form.PLAIN)
    assert found is not None and found.code == "H1"


def test_a_run_in_part_cut_at_its_first_line_in_a_text_export_still_starts_its_part() -> None:
    text = (
        "Section A: About me\n\nOdile loves horses.\n\n"
        "Section B: Special educational needs\n\nOdile has a learning difficulty.\n\n"
        "Sections H1 and H2: Social care provision\n\n"
        "H1: No provision under section 2 of the 1970 Act is needed at this time.\n\n"
        "H2: Odile and her dad will join a six-week carers' course led by the\n"
        "Early Help team, two hours each Tuesday from January 2027.\n"
    )
    result = ehcp_audit.audit_text(text)
    texts = {s.code: s.text for s in result.sections}
    assert texts["H2"].startswith("H2: Odile and her dad will join")
    assert "two hours each Tuesday" in texts["H2"]


#: Headings in the child's words, each with a note in small print naming its section.
NOTED = [
    ("All about me", "(This is Section A of the plan: views, interests and aspirations.)",
     "Juno told us she loves her rabbit and the trampoline."),
    ("What makes learning hard", "(This is Section B of the plan: special educational needs.)",
     "Juno has a language disorder."),
    ("Staying safe at home", "(This is Section D of the plan: social care needs.)",
     "Juno's family get short breaks from the disabled children's team."),
    ("People who helped", "(Section K)", "Advice from the speech therapist, 4 May 2026."),
]  # fmt: skip


def test_a_note_under_a_heading_in_the_child_s_words_names_its_section(tmp_path: Path) -> None:
    document = docx.Document()
    _write(document, NOTED)
    path = tmp_path / "noted.docx"
    document.save(str(path))
    plan = ehcp_audit.audit(path)
    assert {"A", "B", "D", "K"} <= {s.code for s in plan.sections}
    d = plan.section("D")
    assert d is not None and "short breaks" in d.text
    k = plan.section("K")
    assert k is not None and "speech therapist" in k.text
    # The heading is the section's, not a sub-heading of the section before it.
    b = plan.section("B")
    assert b is not None and "Staying safe at home" not in b.subsections


@pytest.mark.parametrize(
    "note",
    [
        "(This is the part of the plan where Juno's views go.)",
        "See Section F for the speech and language therapy.",
    ],
)
def test_a_note_that_names_no_section_or_points_elsewhere_starts_nothing(
    tmp_path: Path, note: str
) -> None:
    document = docx.Document()
    _write(document, [*NOTED, ("Juno's week", note, "Juno goes swimming on Fridays.")])
    path = tmp_path / "pointer.docx"
    document.save(str(path))
    plan = ehcp_audit.audit(path)
    assert "F" not in {s.code for s in plan.sections}


def test_a_heading_naming_the_section_it_is_already_in_is_its_sub_heading(tmp_path: Path) -> None:
    document = docx.Document()
    _write(
        document,
        [
            ("Section A - About me", "Juno likes her rabbit."),
            ("What my mum says", "Mum told us Juno sleeps badly."),
            ("My hopes for the future", "I want to be a vet."),
            ("Section B - Special educational needs", "Juno has a language disorder."),
            ("Section E - Outcomes", "By July 2027 Juno will read a short book."),
        ],
    )
    path = tmp_path / "hopes.docx"
    document.save(str(path))
    plan = ehcp_audit.audit(path)
    a = plan.section("A")
    assert a is not None
    assert "My hopes for the future" in a.subsections
    # The first person under it is the child's, not carried on from the mother's part.
    vet = [c for c in plan.cues if c.text.startswith("I want to be a vet")]
    assert [c.kind for c in vet] == ["child_voice"]
