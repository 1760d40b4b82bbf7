"""York's audit form, filled in for one plan, as a Word document.

A quality-assurance officer completes York's Joint Partnership Auditing
Framework (Service Development Measurement Tool) by hand for each plan they
audit. :func:`write_audit_form` fills it in from a plan's record (the
``check --format json`` dict) so the officer checks and signs it instead:

- the header the framework asks for (organisation, service area, a
  description, date of audit, person(s) completing it);
- the six-row table in York's own words (``rules/york_framework.toml``), with
  the descriptor the plan reached marked three ways (bold, shaded, and a
  "✓ reached" line, so the mark survives black-and-white printing), the
  principle's score (Room for improvement 1, Good 2, Excellent 3, as
  ``rules/scoring.toml`` defines them) and notes written from the findings
  in plain language;
- the overall summary table, the reached outcome marked and filled in
  (summary, next steps from the checks the plan did not pass, the plan's
  own review date).

The notes and next steps are :mod:`ehcp_audit.reports._plain`'s words, the
same the board report uses, so no rule identifier reaches the form.

A plan that could not be audited (an error record) still gets a form: it
says plainly that the plan was not audited and why, and leaves the table
blank for the officer to complete by hand. Skipping it would leave a gap in
the forms folder that nobody notices; a form that says "not audited" is a
job on someone's list.

The page is landscape A4, as the framework's eight columns need. The file
is written atomically: a crash never leaves half a form.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import field, frozen
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row

from .._atomic import write_bytes_atomic
from ._plain import next_steps, plan_gaps, principle_notes
from ._york_framework import LEVELS, OUTCOMES, Framework, load_framework

__all__ = ["REACHED", "FormHeader", "write_audit_form"]

#: The words that mark the reached descriptor and outcome (readable without colour).
REACHED = "✓ reached"
#: The shading behind a reached cell (a light green that prints as light grey).
_SHADE = "D9EAD3"
_FONT = "Arial"
_TABLE_PT = 8

#: Column widths of the measurement table in millimetres, summing to the
#: printable width of landscape A4 with 12 mm margins (273 mm).
_TOOL_WIDTHS = (16, 30, 33, 39, 39, 45, 18, 53)
#: Descriptors not reached are set in dark grey, so the reached one stands out.
_UNREACHED = RGBColor(0x59, 0x59, 0x59)
#: The next steps the summary lists; the rest are counted, not listed (an
#: action plan of thirty items is not a plan).
_MAX_STEPS = 8
#: The height of a summary row left blank to be written in by hand.
_HAND_ROW_MM = 22
_SUMMARY_WIDTHS = (40, 95, 100, 38)
_HEADER_WIDTHS = (80, 193)


def _today() -> _dt.date:
    return _dt.date.today()


@frozen
class FormHeader:
    """What the framework's header asks for that a plan cannot tell us.

    ``auditor`` is the person(s) completing the audit, with designation
    (e.g. "Sam Lee, SEND quality assurance officer"). ``description`` is the
    service area being developed; left out, the form says which plan was
    audited. An empty string leaves the field blank to be written in.
    """

    organisation: str
    service_area: str
    auditor: str
    audit_date: _dt.date = field(factory=_today)
    description: str | None = None


def write_audit_form(
    record: Mapping[str, Any],
    header: FormHeader,
    path: str | Path,
    *,
    framework: Framework | None = None,
) -> None:
    """Write York's audit form for one plan's record to ``path`` (a .docx), atomically.

    ``record`` is a ``check --format json`` record or its error dict.
    ``framework`` defaults to ``rules/york_framework.toml``. Raises
    :class:`~ehcp_audit._errors.OutputError` when the file cannot be written.
    """
    document = _build(record, header, framework or load_framework())
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())


# -- the document ------------------------------------------------------------


def _build(record: Mapping[str, Any], header: FormHeader, framework: Framework) -> DocxDocument:
    document = Document()
    _page_setup(document)
    document.add_heading(framework.title, level=1)
    _paragraph(document, framework.source, italic=True)
    _header_table(document, _header_values(record, header, framework))
    error = record.get("error")
    if error:
        _paragraph(document, _not_audited(error), bold=True)
    else:
        _paragraph(document, _provenance(record), italic=True)
    document.add_heading("Service Development Measurement Tool", level=2)
    _tool_table(document, framework, None if error else record)
    heading = document.add_heading(framework.summary["title"], level=2)
    heading.paragraph_format.keep_with_next = True
    _keep_with_next(_summary_table(document, framework, None if error else record))
    signature = f"{framework.summary['signature']}: {header.auditor}".rstrip()
    _paragraph(document, f"{signature}    {'_' * 40}", space_before=18)
    return document


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    normal = document.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(9)


def _header_values(
    record: Mapping[str, Any], header: FormHeader, framework: Framework
) -> list[tuple[str, str]]:
    labels = framework.header
    description = header.description
    if description is None:
        description = f"EHCP co-production audit: {_plan_file(record)}"
    return [
        (labels["organisation"], header.organisation),
        (labels["service_area"], header.service_area),
        (labels["description"], description),
        (labels["audit_date"], _long_date(header.audit_date)),
        (labels["auditor"], header.auditor),
    ]


def _header_table(document: DocxDocument, rows: list[tuple[str, str]]) -> None:
    table = _table(document, len(rows), 2, _HEADER_WIDTHS)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _write(row.cells[0], [label], bold=True, size=9)
        _write(row.cells[1], [value], size=9)


def _tool_table(
    document: DocxDocument, framework: Framework, record: Mapping[str, Any] | None
) -> None:
    columns = framework.columns
    keys = ("number", "principle", "indicator", *LEVELS, "score", "notes")
    table = _table(document, 1 + len(framework.principles), len(keys), _TOOL_WIDTHS)
    _heading_row(table.rows[0], [columns[k] for k in keys])
    rated = _ratings(record)
    for row, principle in zip(table.rows[1:], framework.principles, strict=True):
        _keep_together(row)
        cells = row.cells
        _write(cells[0], [str(principle.number)])
        _write(cells[1], [principle.principle], bold=True)
        _write(cells[2], [principle.indicator])
        reached = rated.get(principle.number, {}).get("rating")
        for offset, level in enumerate(LEVELS):
            _descriptor(cells[3 + offset], principle.descriptors[level], level == reached)
        if record is not None and principle.number in rated:
            _score(cells[6], rated[principle.number])
            _write(cells[7], _lines(principle_notes(dict(record), principle.number)))


def _summary_table(
    document: DocxDocument, framework: Framework, record: Mapping[str, Any] | None
) -> Table:
    labels = framework.summary
    table = _table(document, 1 + len(OUTCOMES), 4, _SUMMARY_WIDTHS)
    _heading_row(
        table.rows[0],
        [labels["outcome"], labels["summary"], labels["next_steps"], labels["review_date"]],
    )
    outcome = record.get("overall") if record is not None else None
    for row, key in zip(table.rows[1:], OUTCOMES, strict=True):
        _keep_together(row)
        cells = row.cells
        _descriptor(cells[0], framework.outcomes[key], key == outcome)
        if record is None:  # room to write the outcome in by hand
            row.height, row.height_rule = Mm(_HAND_ROW_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
        elif key == outcome:
            _write(cells[1], _summary_lines(record, framework))
            _write(cells[2], _steps(record))
            _write(cells[3], [_review_date(record)])
    return table


# -- what goes in the cells --------------------------------------------------


def _ratings(record: Mapping[str, Any] | None) -> dict[int, Mapping[str, Any]]:
    if record is None:
        return {}
    return {p["number"]: p for p in record.get("principles") or () if "number" in p}


def _score(cell: _Cell, principle: Mapping[str, Any]) -> None:
    """The score, and under it how sure the rating is (low: check it by hand)."""
    _write(cell, [str(principle.get("score", ""))], bold=True, size=11)
    level = (principle.get("confidence") or {}).get("level")
    if level:
        _write(cell, [f"{level} confidence"], size=7, append=True)


def _steps(record: Mapping[str, Any]) -> list[str]:
    """The action plan: the most important next steps, numbered, and how many more there are."""
    steps = _lines(next_steps(dict(record)))
    if not steps:
        return ["None: the checks suggest no changes."]
    shown = [f"{i}. {step}" for i, step in enumerate(steps[:_MAX_STEPS], 1)]
    rest = len(steps) - len(shown)
    if rest:
        shown.append(f"… and {rest} more in the plan's full audit report.")
    return shown


def _summary_lines(record: Mapping[str, Any], framework: Framework) -> list[str]:
    """The outcome in a few plain sentences: the total, which principle sits where, the verdict."""
    principles = record.get("principles") or ()
    total = record.get("total_score")
    lines = []
    if total is not None:
        lines.append(f"Total score {total} of {3 * len(principles)} across the six principles.")
    for level in reversed(LEVELS):
        numbers = [str(p["number"]) for p in principles if p.get("rating") == level]
        if numbers:
            label = framework.columns[level]
            lines.append(f"{label}: principle{'s' if len(numbers) > 1 else ''} {_and(numbers)}.")
    gaps = plan_gaps(dict(record))
    if gaps:
        lines.append("Main gaps: " + " ".join(gaps))
    if _principle_one_capped(record):
        lines.append(
            "Principle 1 (the child's and family's voice) is at Room for improvement, "
            "so the plan cannot be rated above Requires improvement."
        )
    effective = record.get("effective_coproduction")
    if effective is not None:
        lines.append(
            "The plan shows effective co-production."
            if effective
            else "The plan does not yet show effective co-production."
        )
    return lines


def _principle_one_capped(record: Mapping[str, Any]) -> bool:
    first = _ratings(record).get(1, {})
    total = record.get("total_score") or 0
    return (
        first.get("rating") == "room_for_improvement"
        and record.get("overall") == "requires_improvement"
        and total >= 11
    )


def _review_date(record: Mapping[str, Any]) -> str:
    value = (record.get("details") or {}).get("review_date")
    if not value:
        return "Not stated in the plan."
    try:
        return _long_date(_dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _plan_file(record: Mapping[str, Any]) -> str:
    batch = record.get("batch") or {}
    source = record.get("source") or {}
    return str(batch.get("file") or source.get("path") or "unnamed plan")


def _provenance(record: Mapping[str, Any]) -> str:
    tool = record.get("tool") or {}
    status = (record.get("details") or {}).get("status")
    kind = f"the {status} plan's" if status in {"draft", "final"} else "the plan's"
    return (
        f"Filled in by {tool.get('name', 'ehcp-audit')} {tool.get('version', '')} from "
        f"{kind} text: the ratings rest on what the plan shows. Check them, and the notes, "
        "before signing."
    ).replace("  ", " ")


def _not_audited(error: Mapping[str, Any]) -> str:
    return (
        f"This plan could not be audited ({error.get('code', 'error')}): "
        f"{error.get('message', 'no reason was given')}. "
        "The table below is left blank to be completed by hand."
    )


def _lines(value: str | Sequence[str] | None) -> list[str]:
    """Notes as paragraphs, whether a helper returns one string or a list of them."""
    if not value:
        return []
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    return [str(line) for line in value if str(line).strip()]


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _long_date(day: _dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# -- python-docx plumbing ----------------------------------------------------


def _paragraph(
    document: DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    space_before: int = 6,
) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(space_before)
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic


def _table(document: DocxDocument, rows: int, cols: int, widths_mm: Sequence[int]) -> Table:
    """A gridded table with fixed column widths (Word reads the cells', LibreOffice the grid's)."""
    table = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _heading_row(row: _Row, labels: Iterable[str]) -> None:
    """Bold headings, repeated at the top of every page the table runs onto."""
    for cell, label in zip(row.cells, labels, strict=True):
        _write(cell, [label], bold=True)
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _descriptor(cell: _Cell, text: str, reached: bool) -> None:
    """A descriptor or outcome cell; the reached one bold, shaded and labelled."""
    if reached:
        _write(cell, [REACHED, text], bold=True)
        _shade(cell)
    else:
        _write(cell, [text], colour=_UNREACHED)


def _write(
    cell: _Cell,
    lines: Sequence[str],
    *,
    bold: bool = False,
    size: int = _TABLE_PT,
    colour: RGBColor | None = None,
    append: bool = False,
) -> None:
    """Put ``lines`` in ``cell`` as paragraphs (its empty first one reused unless ``append``)."""
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 and not append else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour


def _keep_with_next(table: Table) -> None:
    """Keep the summary table on the page of the signature line below it."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _keep_together(row: _Row) -> None:
    """Keep a principle's row on one page (each is well under a page)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _shade(cell: _Cell) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), _SHADE)
    cell._tc.get_or_add_tcPr().append(shading)
