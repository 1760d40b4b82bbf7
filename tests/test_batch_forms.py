"""York's audit form, filled in per plan: real corpus records in, real Word files out, read back.

Every form here is written by :func:`write_audit_form` to disk and opened
again with python-docx (and, where LibreOffice is installed, converted to
PDF and read with PDFium), so what is checked is what an auditor opens.
The framework's words are written out below from York's Appendix 1, not
read from ``rules/york_framework.toml``, so a damaged data file fails here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from batch_records import batch_records, by_file
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from soffice import convert

from ehcp_audit._errors import ConfigError, OutputError
from ehcp_audit._resources import rules_dir
from ehcp_audit.reports._plain import next_steps
from ehcp_audit.reports._york_framework import load_framework
from ehcp_audit.reports.audit_form import (
    REACHED,
    FormHeader,
    audit_form_bytes,
    write_audit_form,
)

HEADER = FormHeader(
    organisation="City of York Council",
    service_area="SEND 0-25 Statutory Assessment and Review",
    auditor="Robin Ashe, SEND quality assurance officer",
    audit_date=dt.date(2026, 3, 14),
)
AUDITED = ("p01.docx", "p02.docx", "p04.docx", "p08.txt", "somerset_blank.docx", "dev1/h02.pdf")

COLUMNS = [
    "Number",
    "Principle",
    "Joint Partnership indicator",
    "Room for improvement",
    "Good",
    "Excellent",
    "Score",
    "Notes or evidence",
]
PRINCIPLES = [
    "We value the importance of children, young people and their parent carers as fundamental "
    "and key stakeholders in all decisions and planning that affects their lives",
    "We value feedback and success",
    "We work in a reciprocal way and support one another",
    "We continue to grow our networks of people",
    "We are equal, diverse and accessible",
    "We blur the boundaries between receiving and delivering services",
]
# One phrase from each principle's indicator, in York's words.
INDICATORS = [
    "key stakeholders when involved in designing and delivering services",
    "We share best practice and celebrate successes.",
    "Sharing responsibility in the designing and delivery of services.",
    "can be involved in decision-making at the council.",
    "promote York as an accessible and inclusive city to all.",
    "The process is fully inclusive to all.",
]
LEVELS = ["room_for_improvement", "good", "excellent"]
OUTCOMES = ["requires_improvement", "good", "outstanding"]
OUTCOME_WORDS = ["Requires improvement", "Good", "Outstanding"]
RULE_ID = re.compile(r"\b(?:coproduction|statutory)\.[A-Z]\w*")


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path]]:
    """Each corpus record with the form written for it (the bad plan's too)."""
    folder = tmp_path_factory.mktemp("forms")
    records = batch_records()
    out = {}
    for name in (*AUDITED, "bad/corrupt.pdf"):
        record = by_file(records, name)
        path = folder / (name.replace("/", "_") + ".audit.docx")
        write_audit_form(record, HEADER, path)
        out[name] = (record, path)
    return out


def _tables(path: Path) -> tuple[DocxDocument, Table, Table, Table]:
    document = docx.Document(str(path))
    header, tool, summary = document.tables
    return document, header, tool, summary


def _text(cell: _Cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def _shaded(cell: _Cell) -> bool:
    return cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None


def _marked(cell: _Cell) -> bool:
    """Marked three ways at once: the words, bold text and shading."""
    text = _text(cell)
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    if text.startswith(REACHED):
        assert all(r.bold for r in runs) and _shaded(cell), text
        return True
    assert REACHED not in text and not _shaded(cell) and not any(r.bold for r in runs), text
    return False


def _all_text(document: DocxDocument) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [_text(c) for row in table.rows for c in row.cells]
    return "\n".join(parts)


# -- the header ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", AUDITED)
def test_header_fields_are_the_frameworks_and_filled_in(forms, name: str) -> None:
    record, path = forms[name]
    document, header, _, _ = _tables(path)
    rows = {_text(r.cells[0]): _text(r.cells[1]) for r in header.rows}
    assert rows == {
        "Organisation's name": "City of York Council",
        "Service area's name": "SEND 0-25 Statutory Assessment and Review",
        "Description of service area being developed in Joint Partnership": (
            f"EHCP co-production audit: {record['batch']['file']}"
        ),
        "Date of audit": "14 March 2026",
        "Person(s) completing the audit - their name(s) and designation": (
            "Robin Ashe, SEND quality assurance officer"
        ),
    }
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)  # A4


def test_a_given_description_and_todays_date_by_default(tmp_path: Path) -> None:
    record = by_file(batch_records(), "p02.docx")
    header = FormHeader("Org", "Area", "A. Auditor", description="Annual EHCP case-file audit")
    assert header.audit_date == dt.date.today()
    path = tmp_path / "form.docx"
    write_audit_form(record, header, path)
    rows = [(_text(r.cells[0]), _text(r.cells[1])) for r in _tables(path)[1].rows]
    assert rows[2][1] == "Annual EHCP case-file audit"
    day = dt.date.today()
    assert rows[3][1] == f"{day.day} {day:%B %Y}"


# -- the measurement table -----------------------------------------------------------------


@pytest.mark.parametrize("name", AUDITED)
def test_six_rows_in_yorks_words_with_the_reached_descriptor_marked(forms, name: str) -> None:
    record, path = forms[name]
    _, _, tool, _ = _tables(path)
    assert [_text(c) for c in tool.rows[0].cells] == COLUMNS
    assert len(tool.rows) == 7
    ratings = {p["number"]: p for p in record["principles"]}
    for n, row in enumerate(tool.rows[1:], 1):
        cells = row.cells
        assert _text(cells[0]) == str(n)
        assert _text(cells[1]) == PRINCIPLES[n - 1]
        assert INDICATORS[n - 1] in _text(cells[2])
        marked = [level for level, cell in zip(LEVELS, cells[3:6], strict=True) if _marked(cell)]
        assert marked == [ratings[n]["rating"]], f"principle {n}"
        assert _text(cells[6]).splitlines()[0] == str(ratings[n]["score"])
        notes = _text(cells[7])
        assert len(notes.split()) >= 3, f"principle {n} has no notes"
        assert not RULE_ID.search(notes)


def test_the_descriptors_are_yorks_own(forms) -> None:
    _, path = forms["p01.docx"]
    rows = _tables(path)[2].rows
    assert _text(rows[3].cells[4]) == (
        "Children, young people and parent carers are involved in meetings and their views "
        "and opinions are used in final decision-making."
    )
    assert _text(rows[2].cells[3]).startswith("Feedback was not provided consistently or on time.")
    assert _text(rows[6].cells[5]).endswith(
        "Creative solutions to potential organisational barriers."
    )


def test_ratings_differ_across_plans_and_the_marks_follow_them(forms) -> None:
    """The corpus spans every level, so a form that marked one column always would fail."""
    seen = set()
    for name in AUDITED:
        _, _, tool, _ = _tables(forms[name][1])
        for row in tool.rows[1:]:
            seen.update(lv for lv, c in zip(LEVELS, row.cells[3:6], strict=True) if _marked(c))
    assert seen == set(LEVELS)


def test_no_rule_identifier_anywhere_in_a_form(forms) -> None:
    for name, (record, path) in forms.items():
        text = _all_text(docx.Document(str(path)))
        assert not RULE_ID.search(text), name
        for finding in record.get("findings", ()):
            assert finding["rule"] not in text
            assert finding["rule"].split(".")[1] not in text


# -- the overall summary -------------------------------------------------------------------


@pytest.mark.parametrize("name", AUDITED)
def test_summary_marks_the_records_outcome_and_fills_in_that_row(forms, name: str) -> None:
    record, path = forms[name]
    _, _, _, summary = _tables(path)
    assert [_text(c) for c in summary.rows[0].cells] == [
        "Outcome",
        "Summary",
        "Next steps and action plan",
        "Review date",
    ]
    rows = summary.rows[1:]
    assert [_text(r.cells[0]).removeprefix(REACHED + "\n") for r in rows] == OUTCOME_WORDS
    marked = [key for key, row in zip(OUTCOMES, rows, strict=True) if _marked(row.cells[0])]
    assert marked == [record["overall"]]
    row = rows[OUTCOMES.index(record["overall"])]
    summary_text = _text(row.cells[1])
    assert f"Total score {record['total_score']} of 18" in summary_text
    assert ("does not yet show" in summary_text) != record["effective_coproduction"]
    for other in rows:
        if other is not row:
            assert all(_text(c) == "" for c in other.cells[1:])


def test_review_date_is_the_plans_own(forms) -> None:
    record, path = forms["p01.docx"]
    assert record["details"]["review_date"] == "2026-10-05"
    rows = _tables(path)[3].rows
    assert _text(rows[OUTCOMES.index(record["overall"]) + 1].cells[3]) == "5 October 2026"


def test_next_steps_are_the_failed_checks_suggestions_most_important_first(forms) -> None:
    record, path = forms["p04.docx"]
    assert record["overall"] == "requires_improvement"
    cell = _tables(path)[3].rows[1].cells[2]
    lines = _text(cell).splitlines()
    suggestions = {f["suggestion"] for f in record["findings"] if not f["passed"]}
    steps = [re.sub(r"^\d+\. ", "", line) for line in lines if re.match(r"\d+\. ", line)]
    assert 3 <= len(steps) <= 8
    assert all(step in suggestions for step in steps)
    assert steps == next_steps(record)[: len(steps)]
    remaining = len(next_steps(record)) - len(steps)
    if remaining:
        assert lines[-1] == f"… and {remaining} more in the plan's full audit report."


def test_the_principle_1_cap_is_explained(tmp_path: Path) -> None:
    """A Good total held at Requires improvement because the child's voice is missing.

    p02's real record (Good, 13 of 18) with principle 1 lowered to Room for
    improvement, as the scoring policy would then rate it.
    """
    record = by_file(batch_records(), "p02.docx")
    assert record["overall"] == "good" and record["principles"][0]["score"] >= 2
    first = record["principles"][0]
    record["total_score"] -= first["score"] - 1
    first.update(rating="room_for_improvement", score=1)
    record.update(overall="requires_improvement", effective_coproduction=False)
    assert record["total_score"] >= 11  # a Good total
    path = tmp_path / "capped.docx"
    write_audit_form(record, HEADER, path)
    text = _text(_tables(path)[3].rows[1].cells[1])
    assert "cannot be rated above Requires improvement" in text
    low = by_file(batch_records(), "p04.docx")  # 7 of 18: a low total, no cap at work
    write_audit_form(low, HEADER, path)
    assert "cannot be rated above" not in _text(_tables(path)[3].rows[1].cells[1])


def test_a_plan_that_passed_every_check_says_there_is_nothing_to_do(tmp_path: Path) -> None:
    """p01's real record (Outstanding) with every check passed, as a flawless plan's would be."""
    record = by_file(batch_records(), "p01.docx")
    for finding in record["findings"]:
        finding["passed"] = True
    assert next_steps(record) == []
    path = tmp_path / "form.docx"
    write_audit_form(record, HEADER, path)
    row = _tables(path)[3].rows[OUTCOMES.index(record["overall"]) + 1]
    assert _text(row.cells[2]) == "None: the checks suggest no changes."


def test_a_redacted_record_gives_a_form_without_the_childs_name(forms, tmp_path: Path) -> None:
    from ehcp_audit.reports.redact import redact_record

    record, path = forms["p01.docx"]
    first = record["details"]["preferred_name"]
    assert first in _all_text(docx.Document(str(path)))  # the notes quote the plan
    redacted = tmp_path / "redacted.docx"
    write_audit_form(redact_record(record), HEADER, redacted)
    text = _all_text(docx.Document(str(redacted)))
    assert first not in text and record["details"]["name"] not in text
    born = dt.date.fromisoformat(record["details"]["date_of_birth"])
    assert born.isoformat() not in text and f"{born.day} {born:%B %Y}" not in text


# -- a plan that could not be audited ------------------------------------------------------


def test_an_unaudited_plan_gets_a_form_that_says_so_and_is_left_blank(forms) -> None:
    record, path = forms["bad/corrupt.pdf"]
    assert "error" in record
    document, header, tool, summary = _tables(path)
    text = _all_text(document)
    assert "This plan could not be audited" in text
    assert record["error"]["message"] in text
    assert _text(header.rows[2].cells[1]) == "EHCP co-production audit: bad/corrupt.pdf"
    assert REACHED not in text
    for row in tool.rows[1:]:
        assert _text(row.cells[1]) in PRINCIPLES
        assert not any(_marked(c) for c in row.cells[3:6])
        assert _text(row.cells[6]) == _text(row.cells[7]) == ""
    assert not any(_marked(r.cells[0]) for r in summary.rows[1:])
    assert all(r.height is not None and r.height.mm >= 20 for r in summary.rows[1:])


def test_the_batch_writes_a_form_for_every_file_the_unaudited_one_included(tmp_path) -> None:
    from ehcp_audit.batch._exports import ExportOptions, write_forms

    records = batch_records()
    lines = [json.dumps(r) for r in records]
    write_forms(tmp_path, records, lines, ExportOptions(auditor="Robin Ashe"))
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.docx"))
    expected = [r["batch"]["file"].rsplit(".", 1)[0] + ".audit.docx" for r in records]
    assert made == sorted(expected)
    assert "bad/corrupt.audit.docx" in made
    document, _, tool, _ = _tables(tmp_path / "bad" / "corrupt.audit.docx")
    assert "This plan could not be audited" in _all_text(document)
    assert not any(_marked(c) for row in tool.rows[1:] for c in row.cells[3:6])


# -- writing -------------------------------------------------------------------------------


def test_written_atomically_over_an_old_form_and_refused_where_it_cannot_be(tmp_path) -> None:
    record = by_file(batch_records(), "p08.txt")
    path = tmp_path / "p08.audit.docx"
    path.write_bytes(b"an old form")
    write_audit_form(record, HEADER, path)
    assert docx.Document(str(path)).tables  # replaced by a real document
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p08.audit.docx"]  # no temporary left
    with pytest.raises(OutputError, match="does not exist"):
        write_audit_form(record, HEADER, tmp_path / "no-such-folder" / "form.docx")


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        assert len(names) == len(set(names)), names  # each part once
        return {name: package.read(name) for name in names}


def test_forms_made_one_after_another_share_nothing_but_their_fixed_part() -> None:
    """Each form starts from the same fixed part: nothing of one plan reaches the next.

    p01 (Outstanding), p04 (Requires improvement), the corrupt plan (blank rows
    of a set height) and p01 again under another header, then p01 as at first:
    the first and last are the same file, part for part.
    """
    records = batch_records()
    first = _parts(audit_form_bytes(by_file(records, "p01.docx"), HEADER))
    audit_form_bytes(by_file(records, "p04.docx"), HEADER)
    audit_form_bytes(by_file(records, "bad/corrupt.pdf"), HEADER)
    other = FormHeader("Another Council", "Another area", "Sam Lee", dt.date(2027, 1, 2))
    other_parts = _parts(audit_form_bytes(by_file(records, "p01.docx"), other))
    assert _parts(audit_form_bytes(by_file(records, "p01.docx"), HEADER)) == first
    assert {k for k in first if first[k] != other_parts[k]} == {"word/document.xml"}
    text = other_parts["word/document.xml"].decode()
    assert "Another Council" in text and "2 January 2027" in text and "Sam Lee" in text
    assert "City of York Council" not in text and "Robin Ashe" not in text
    assert "could not be audited" not in first["word/document.xml"].decode()


def test_the_framework_is_data_a_local_area_can_change(tmp_path: Path) -> None:
    data = (rules_dir() / "york_framework.toml").read_text(encoding="utf-8")
    assert tomllib.loads(data)["principle"][1]["principle"] == PRINCIPLES[1]
    own = tmp_path / "framework.toml"
    own.write_text(data.replace("We value feedback and success", "We value feedback"), "utf-8")
    path = tmp_path / "form.docx"
    write_audit_form(
        by_file(batch_records(), "p02.docx"), HEADER, path, framework=load_framework(own)
    )
    assert _text(_tables(path)[2].rows[2].cells[1]) == "We value feedback"

    broken = tmp_path / "broken.toml"
    broken.write_text(data.split("[[principle]]\nnumber = 6")[0], "utf-8")
    with pytest.raises(ConfigError, match="1 to 6"):
        load_framework(broken)
    blank = tmp_path / "blank.toml"
    blank.write_text(data.replace('good = "Good"', 'good = ""'), "utf-8")
    with pytest.raises(ConfigError, match=r"\[columns\] needs text for good"):
        load_framework(blank)


# -- LibreOffice ---------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_converts_a_form_to_a_landscape_pdf_with_the_marks(forms, tmp_path) -> None:
    import pypdfium2 as pdfium

    record, form = forms["p04.docx"]
    source = tmp_path / "p04.audit.docx"
    shutil.copy(form, source)
    pdf = pdfium.PdfDocument(str(convert(source, tmp_path)))
    try:
        width, height = pdf[0].get_size()
        assert round(width) == 842 and round(height) == 595  # A4 landscape, in points
        text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    flat = " ".join(text.split())
    assert "Service Development Measurement Tool" in flat
    assert "Overall summary table" in flat
    assert flat.count(REACHED) == 7  # six principles and the outcome
    assert "Robin Ashe" in flat and "14 March 2026" in flat
    assert record["overall"] == "requires_improvement" and "Requires improvement" in flat
