"""Tables of requests and answers: a row holding the request, the decision and why.

Each cell is its own block, so no sentence rule can see a row; the row pass
(``_request_rows``) reads the table's header to know which cell is which.
Real DOCX files, audited through the whole pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
import pytest

import ehcp_audit

FILLER = {
    "A": "Wilf likes trains and the school allotment. He told us he wants to keep his friends.",
    "B": "Wilf has a language disorder and finds long instructions hard to follow.",
    "C": "Wilf has no health needs related to his special educational needs (medical advice, "
    "community paediatrician, 3 March 2026).",
    "D": "Wilf has no social care needs (social care advice, 4 March 2026).",
    "E": "By July 2027 Wilf will follow a three-step instruction in class.",
    "F": "A speech and language therapist will see Wilf for 30 minutes each week.",
    "G": "No health provision is needed.",
    "H1": "No social care provision is needed.",
    "H2": "No other social care provision is needed.",
    "I": "Ferncombe Primary School.",
    "J": "No personal budget was requested.",
    "K": "Speech and language therapy advice, 2 March 2026.",
}


def _plan(tmp_path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    document = docx.Document()
    document.add_paragraph("Name: Wilf Tennock")
    for code, text in FILLER.items():
        document.add_heading(f"Section {code}", level=2)
        document.add_paragraph(text)
        if code == "K":
            document.add_heading("Your requests and our answers", level=3)
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            for column, title in enumerate(header):
                table.cell(0, column).text = title
            for r, row in enumerate(rows, start=1):
                for column, text in enumerate(row):
                    table.cell(r, column).text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    return path


def _explained(path: Path) -> list[tuple[str, str]]:
    return [(c.rule, c.text) for c in ehcp_audit.audit(path).cues if c.kind == "request_explained"]


ASKED = "A taxi to school each day"
DECIDED = "Not agreed; a bus pass and travel training instead"
WHY = "Wilf lives within walking distance and wants to travel with his friends"


def test_a_row_with_request_decision_and_reason_is_a_request_explained(tmp_path: Path) -> None:
    path = _plan(
        tmp_path, ["What you asked for", "What we decided", "Why"], [[ASKED, DECIDED, WHY]]
    )
    assert _explained(path) == [("request_explained.table_row", WHY)]


@pytest.mark.parametrize(
    "row",
    [
        [ASKED, DECIDED, ""],  # no reason given
        [ASKED, "", WHY],  # no decision recorded
        ["", DECIDED, WHY],  # no request in the row
    ],
)
def test_a_row_missing_a_part_is_not(tmp_path: Path, row: list[str]) -> None:
    path = _plan(tmp_path, ["What you asked for", "What we decided", "Why"], [row])
    assert [rule for rule, _ in _explained(path) if rule.endswith("table_row")] == []


def test_an_answer_cell_that_decides_otherwise_and_says_why(tmp_path: Path) -> None:
    answer = (
        "The therapist felt Wilf no longer needs weekly sessions, as his last assessment "
        "showed his language in the average range. We have agreed a termly review instead."
    )
    granted = "We have added weekly swimming to Section F."
    rows = [["You asked for weekly therapy to carry on.", answer], ["Swimming, please.", granted]]
    path = _plan(tmp_path, ["You said", "We did"], rows)
    assert _explained(path) == [("request_explained.answer_cell", answer)]


def test_a_table_of_something_else_is_left_alone(tmp_path: Path) -> None:
    rows = [["Reading", "Daily", "Because he enjoys it and it helps his spelling."]]
    path = _plan(tmp_path, ["Activity", "How often", "Why"], rows)
    assert _explained(path) == []
