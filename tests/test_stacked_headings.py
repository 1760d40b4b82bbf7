"""Stacked section headings in plain-text exports of combined tables.

Word and LibreOffice save a combined "B | F | E" table as text with the
header cells as heading lines one after another, then every cell's
paragraphs, column by column and row by row, with nothing to mark where a
cell ends. The sectionizer shares that text between the stacked headings
(``ehcp_audit._sectioning._stacked``). The plan text here is invented for
these tests, in the shape LibreOffice writes ("Text (encoded)": one line per
paragraph, bullets as an indented "•").
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from soffice import convert

from ehcp_audit._errors import ConfigError
from ehcp_audit._limits import DEFAULT_LIMITS
from ehcp_audit._model import Document, SourceFormat
from ehcp_audit._sectioning._stacked import load_column_kinds, parse_column_kinds, segment
from ehcp_audit.readers import read_bytes
from ehcp_audit.readers.docx import read as read_docx
from ehcp_audit.sections import Sectioning, sectionize

HEADER = """\
Education, Health and Care Plan
Name: Kasia Brennock
Date of birth: 3 May 2016

Section A – All about me
I like trampolining and making slime. I want to be a vet when I grow up.
"""

NEEDS_1 = "Kasia finds it hard to follow instructions given to the whole class."
NEEDS_2 = "Her spelling is well below what is expected for her age (school assessment, March 2026)."
PROVISION_1 = "A teaching assistant will check Kasia has understood each task, in every lesson."
PROVISION_2 = (
    "Kasia will have 3 sessions of 20 minutes each week of spelling practice, for the school year."
)
OUTCOME_1 = (
    "By July 2027, Kasia will repeat a two-part instruction to an adult on 4 out of 5 occasions."
)
OUTCOME_2 = "By July 2027, Kasia will spell 30 of the Year 3 common words correctly."


def _text(body: str) -> str:
    return HEADER + "\n" + body


def _sections(text: str) -> tuple[Document, Sectioning]:
    document = read_bytes(text.encode("utf-8"), fmt=SourceFormat.TEXT)
    return document, sectionize(document)


def _texts(result: Sectioning, code: str) -> list[str]:
    section = result.section(code)
    assert section is not None, f"no section {code}"
    return [b.text for b in section.blocks if b.text.strip()]


def _lines(result: Sectioning, code: str) -> list[str]:
    return [line.strip() for text in _texts(result, code) for line in text.splitlines()]


# -- B / F / E ---------------------------------------------------------------------

BFE = f"""\
B – Special Educational Needs
F – Special Educational Provision
E – Outcomes
{NEEDS_1}
{NEEDS_2}
    • {PROVISION_1}
    • {PROVISION_2}
{OUTCOME_1}
{OUTCOME_2}

I – Placement
Hollin Bank Primary School
"""


def test_bfe_run_is_shared_by_column() -> None:
    document, result = _sections(_text(BFE))
    assert _texts(result, "B") == [NEEDS_1, NEEDS_2]
    assert _texts(result, "F") == [PROVISION_1, PROVISION_2]
    assert _texts(result, "E") == [OUTCOME_1, OUTCOME_2]
    for code in ("B", "F", "E"):
        section = result.section(code)
        assert section is not None and section.filled
        # Each keeps its own heading and blocks, at their places in the document.
        assert section.heading_block is not None
        assert document.blocks[section.heading_block].text.startswith(f"{code} –")
        for block in section.blocks:
            assert document.blocks[block.index] is block
    assert _texts(result, "I") == ["Hollin Bank Primary School"]


def test_several_table_rows_start_the_columns_again() -> None:
    needs_2 = "Kasia becomes anxious when the class moves to a new room."
    provision_2 = "Her key adult will meet her for 10 minutes every morning to go through the day."
    outcome_2 = "By December 2026, Kasia will move between rooms with a friend on 4 out of 5 days."
    text = _text(
        "B – Special Educational Needs\nF – Special Educational Provision\nE – Outcomes\n"
        f"{NEEDS_1}\n    • {PROVISION_1}\n{OUTCOME_1}\n"
        f"{needs_2}\n    • {provision_2}\n{outcome_2}\n"
    )
    _document, result = _sections(text)
    assert _texts(result, "B") == [NEEDS_1, needs_2]
    assert _texts(result, "F") == [PROVISION_1, provision_2]
    assert _texts(result, "E") == [OUTCOME_1, outcome_2]


# -- C / G / E ---------------------------------------------------------------------


def test_cge_run() -> None:
    need = "Kasia has asthma and uses an inhaler before exercise (asthma nurse, January 2026)."
    provision = "The school nurse will train PE staff in using Kasia's inhaler each September."
    outcome = (
        "By July 2027, Kasia will tell an adult when she needs her inhaler, on every occasion."
    )
    text = _text(
        "C – Health care needs\nG – Health care provision\nE – Outcomes\n"
        f"{need}\n    • {provision}\n{outcome}\n"
    )
    _document, result = _sections(text)
    assert _texts(result, "C") == [need]
    assert _texts(result, "G") == [provision]
    assert _texts(result, "E") == [outcome]


# -- D / H1 / H2 / E ---------------------------------------------------------------

DH_HEADINGS = (
    "D – Social care needs\n"
    "H1 – Social care provision under section 2 of the Chronically Sick and Disabled Persons Act\n"
    "H2 – Other social care provision\n"
    "E – Outcomes\n"
)
NO_SOCIAL_CARE = "Kasia has no social care needs relating to her special educational needs."
H1_NONE = "Nothing is required under section 2 of the Chronically Sick and Disabled Persons Act."
H2_NONE = "No other social care provision is required at present."


def test_dh1h2e_run_splits_h1_from_h2_where_the_text_says_so() -> None:
    outcome = "By March 2027, Kasia will go to an after-school club with a friend once a week."
    text = _text(DH_HEADINGS + f"{NO_SOCIAL_CARE}\n{H1_NONE}\n{H2_NONE}\n{outcome}\n")
    _document, result = _sections(text)
    assert _texts(result, "D") == [NO_SOCIAL_CARE]
    assert _texts(result, "H1") == [H1_NONE]
    assert _texts(result, "H2") == [H2_NONE]
    assert _texts(result, "E") == [outcome]
    assert "H1" not in result.missing and "H2" not in result.missing


def test_h1_keeps_provision_when_nothing_names_h2() -> None:
    provision = "The social worker will arrange an overnight short break once a month."
    text = _text(DH_HEADINGS + f"{NO_SOCIAL_CARE}\n{provision}\n")
    _document, result = _sections(text)
    assert _texts(result, "D") == [NO_SOCIAL_CARE]
    assert _texts(result, "H1") == [provision]
    h2 = result.section("H2")
    assert h2 is not None and not h2.filled


# -- near misses ---------------------------------------------------------------------


def test_blank_provision_heading_above_outcomes_stays_blank() -> None:
    text = _text(
        "B – Special Educational Needs\n"
        f"{NEEDS_1}\n\n"
        "F – Special Educational Provision\n"
        "E – Outcomes\n"
        f"{OUTCOME_1}\n{OUTCOME_2}\n"
    )
    _document, result = _sections(text)
    f = result.section("F")
    assert f is not None and not f.filled and _texts(result, "F") == []
    assert _texts(result, "E") == [OUTCOME_1, OUTCOME_2]
    assert _texts(result, "B") == [NEEDS_1]


def test_headings_of_one_kind_or_outside_the_columns_are_left_alone() -> None:
    # I, J and K are no table columns; a run of them shares nothing.
    text = _text("I – Placement\nJ – Personal budget\nNo personal budget was requested.\n")
    _document, result = _sections(text)
    assert _texts(result, "J") == ["No personal budget was requested."]
    assert _texts(result, "I") == []


def test_a_docx_with_consecutive_headings_is_unaffected() -> None:
    doc = docx.Document()
    doc.add_paragraph("Education, Health and Care Plan")
    doc.add_paragraph("Section A – All about me")
    doc.add_paragraph("I like trampolining and making slime.")
    for line in (
        "B – Special Educational Needs",
        "F – Special Educational Provision",
        "E – Outcomes",
    ):
        doc.add_paragraph(line, style="Heading 2")
    for line in (NEEDS_1, PROVISION_1, OUTCOME_1):
        doc.add_paragraph(line)
    document = read_docx(_save(doc), DEFAULT_LIMITS)
    result = sectionize(document)
    # A DOCX keeps its own reading: its tables carry columns, so paragraphs under
    # stacked headings are not shared out.
    assert _texts(result, "E") == [NEEDS_1, PROVISION_1, OUTCOME_1]
    assert _texts(result, "B") == [] and _texts(result, "F") == []


def _save(doc: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- the rules and the segmentation ------------------------------------------------


def test_every_cue_matches_its_examples() -> None:
    rules = load_column_kinds()
    assert rules.cues
    for cue in rules.cues:
        assert cue.fires, f"a {cue.kind or cue.code} cue has no examples"
        for example in cue.fires:
            assert cue.pattern.search(example), (cue.pattern.pattern, example)
        for example in cue.quiet:
            assert not cue.pattern.search(example), (cue.pattern.pattern, example)


def _minimal_rules(**cue: object) -> dict[str, object]:
    return {
        "kinds": {"need": ["B"], "provision": ["F"], "outcome": ["E"]},
        "default": {"kind": "need", "weight": 0.5},
        "list_item": {"kind": "provision", "weight": 1.0},
        "rows": {"new_row": 2.5},
        "cue": [{"weight": 1.0, "pattern": "x", **cue}],
    }


@pytest.mark.parametrize(
    ("cue", "problem"),
    [
        ({"kind": "need", "code": "B"}, "either kind or code"),
        ({}, "either kind or code"),
        ({"code": "H1"}, "not a code listed"),
        ({"kind": "need", "pattern": "("}, "not a valid regular expression"),
        ({"kind": "wish"}, "is not one of"),
        ({"kind": "need", "weight": 0}, "must be above 0"),
        ({"kind": "need", "colour": "red"}, "unknown key"),
    ],
)
def test_bad_rules_are_refused(cue: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        parse_column_kinds(_minimal_rules(**cue))


def test_segment_docstring_example() -> None:
    gains = [[2, 0, 0], [0, 2, 0], [0, 0, 3], [4, 0, 0]]
    support = [[g > 0 for g in row] for row in gains]
    assert segment(gains, support, new_row=2.5) == [0, 1, 2, 0]
    # A new row costs more than leaving a weaker need sentence among the outcomes.
    gains[3] = [2, 0, 0]
    assert segment(gains, support, new_row=2.5) == [0, 1, 2, 2]


def test_segment_never_fills_a_heading_without_a_cue_of_its_own() -> None:
    # Headings F, E; a paragraph with no cue, then outcomes: F stays empty.
    gains = [[0.0, 0.0], [0.0, 3.0], [0.0, 3.0]]
    support = [[False, False], [False, True], [False, True]]
    assert segment(gains, support, new_row=2.5) == [1, 1, 1]


# -- a real round trip through LibreOffice ------------------------------------------


def test_libreoffice_text_export_of_a_combined_table(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Education, Health and Care Plan")
    doc.add_paragraph("Section A – All about me")
    doc.add_paragraph("I like trampolining and making slime. I want to be a vet.")
    doc.add_paragraph("Special educational needs, provision and outcomes")
    table = doc.add_table(rows=2, cols=3)
    header = ("B – Special Educational Needs", "F – Special Educational Provision", "E – Outcomes")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    needs, provision, outcomes = table.rows[1].cells
    needs.text = NEEDS_1
    needs.add_paragraph(NEEDS_2)
    provision.text = PROVISION_1
    provision.add_paragraph(PROVISION_2)
    outcomes.text = OUTCOME_1
    outcomes.add_paragraph(OUTCOME_2)
    doc.add_paragraph("Section I – Placement")
    doc.add_paragraph("Hollin Bank Primary School")
    source = tmp_path / "combined.docx"
    doc.save(str(source))

    convert(source, tmp_path, to="txt:Text (encoded):UTF8")  # writes combined.txt
    exported = (tmp_path / "combined.txt").read_text(encoding="utf-8-sig")
    _document, as_text = _sections(exported)
    as_docx = sectionize(read_docx(source.read_bytes(), DEFAULT_LIMITS))
    for code, expected in (("B", [NEEDS_1, NEEDS_2]), ("F", [PROVISION_1, PROVISION_2])):
        assert _texts(as_text, code) == expected
    for code in ("B", "F", "E"):
        # The same lines as the DOCX's own columns (a DOCX cell is one block).
        assert _lines(as_text, code) == _lines(as_docx, code)
    assert _texts(as_text, "E") == [OUTCOME_1, OUTCOME_2]


@pytest.mark.parametrize("code", ["B", "F", "E"])
def test_sections_found_once_each(code: str) -> None:
    _document, result = _sections(_text(BFE))
    assert result.codes.count(code) == 1
