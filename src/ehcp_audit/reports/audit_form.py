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

A batch writes a form per plan, so a form must cost far less than the
audit itself. Building one with python-docx's object API costs more than
auditing the plan (its name-based style look-ups and schema-ordered
inserts, thousands a form), so that API builds the form's fixed part once
per process, per framework and header (page set-up, styles, labels, York's
words in every table): :class:`_Skeleton`. Each plan's form is a copy of
that XML with only the plan's own cells filled in, each paragraph a copy of
one python-docx made (:func:`_prototype`), so the runs carry the same
formatting; the package's other parts, compressed once, are reused as they
are, and only ``word/document.xml`` is written per plan.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import threading
import zipfile
from collections.abc import Mapping, Sequence
from functools import cache
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
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .._atomic import write_bytes_atomic
from ._plain import next_steps, plan_gaps, principle_notes
from ._york_framework import LEVELS, OUTCOMES, Framework, load_framework

__all__ = ["REACHED", "FormHeader", "audit_form_bytes", "write_audit_form"]

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
#: The part each plan's form writes; every other part of the package is the skeleton's.
_DOCUMENT_PART = "word/document.xml"
#: Skeletons kept per process (one per framework and header a batch uses).
_KEEP_SKELETONS = 4

_P, _TR, _TC, _TBL = qn("w:p"), qn("w:tr"), qn("w:tc"), qn("w:tbl")


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


@frozen
class _Style:
    """How a run is formatted: what :func:`_fill` writes with.

    ``bold`` is always set (so ``False`` is written as not bold); ``italic``
    and ``size`` (points) only when given; ``keep_next`` keeps the
    paragraph with the next one (the summary table's).
    """

    bold: bool = False
    italic: bool | None = None
    size: int | None = _TABLE_PT
    colour: RGBColor | None = None
    keep_next: bool = False


#: The header's values (organisation, service area, description, date, auditor).
_HEADER_VALUE = _Style(size=9)


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
    write_bytes_atomic(path, audit_form_bytes(record, header, framework=framework))


def audit_form_bytes(
    record: Mapping[str, Any], header: FormHeader, *, framework: Framework | None = None
) -> bytes:
    """The audit form's DOCX file as bytes, for a caller that writes it itself.

    A batch's worker (perhaps on another machine) sends these back to the
    process that writes every output.
    """
    return _skeleton(framework or load_framework(), header).form(record, header)


# -- the skeleton: everything a plan does not change, built once ---------------


@frozen(eq=False)
class _Skeleton:
    """A form with the plan's own cells left empty: its XML and the package around it.

    ``package`` is the DOCX file without ``word/document.xml``, its parts
    already compressed; :meth:`form` copies ``document``, fills the copy in
    and adds it to a copy of the package.
    """

    framework: Framework
    document: Any  # the w:document element
    package: bytes

    def form(self, record: Mapping[str, Any], header: FormHeader) -> bytes:
        document = copy.deepcopy(self.document)
        _fill_in(document, self.framework, record, header)
        buffer = io.BytesIO(self.package)
        buffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
            package.writestr(
                _DOCUMENT_PART, etree.tostring(document, encoding="UTF-8", standalone=True)
            )
        return buffer.getvalue()


#: (id of the framework, header) -> skeleton. The skeleton holds the framework,
#: so no other framework can take its id while it is kept.
_SKELETONS: dict[tuple[int, FormHeader], _Skeleton] = {}
#: A Dask worker may run tasks in threads: one builds a skeleton, the others wait for it.
_SKELETONS_LOCK = threading.Lock()


def _skeleton(framework: Framework, header: FormHeader) -> _Skeleton:
    """The skeleton for this framework and header, built on first use in this process."""
    key = (id(framework), header)
    with _SKELETONS_LOCK:
        skeleton = _SKELETONS.get(key)
        if skeleton is None:
            while len(_SKELETONS) >= _KEEP_SKELETONS:
                del _SKELETONS[next(iter(_SKELETONS))]
            skeleton = _SKELETONS[key] = _build_skeleton(framework, header)
        return skeleton


def _build_skeleton(framework: Framework, header: FormHeader) -> _Skeleton:
    document = Document()
    _page_setup(document)
    document.add_heading(framework.title, level=1)
    _paragraph(document, framework.source, italic=True)
    _header_table(document, framework, header)
    document.add_paragraph().paragraph_format.space_before = Pt(6)  # provenance or "not audited"
    document.add_heading("Service Development Measurement Tool", level=2)
    _tool_table(document, framework)
    heading = document.add_heading(framework.summary["title"], level=2)
    heading.paragraph_format.keep_with_next = True
    _summary_table(document, framework)
    signature = f"{framework.summary['signature']}: {header.auditor}".rstrip()
    _paragraph(document, f"{signature}    {'_' * 40}", space_before=18)
    saved = io.BytesIO()
    document.save(saved)
    return _Skeleton(framework, document.element, _without_document_part(saved))


def _without_document_part(saved: io.BytesIO) -> bytes:
    """The saved package's parts but ``word/document.xml``, copied compressed as they are."""
    package = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(package, "w") as target:
        for info in source.infolist():
            if info.filename != _DOCUMENT_PART:
                target.writestr(info, source.read(info), compress_type=info.compress_type)
    return package.getvalue()


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    normal = document.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(9)


def _header_table(document: DocxDocument, framework: Framework, header: FormHeader) -> None:
    """The header's labels and the officer's values (the description is each plan's)."""
    labels = framework.header
    rows = [
        (labels["organisation"], header.organisation),
        (labels["service_area"], header.service_area),
        (labels["description"], None),
        (labels["audit_date"], _long_date(header.audit_date)),
        (labels["auditor"], header.auditor),
    ]
    table = _table(document, len(rows), 2, _HEADER_WIDTHS)
    for tr, (label, value) in zip(_rows(table._tbl), rows, strict=True):
        _fill(_cells(tr)[0], [label], _Style(bold=True, size=9))
        if value is not None:
            _fill(_cells(tr)[1], [value], _HEADER_VALUE)


def _tool_table(document: DocxDocument, framework: Framework) -> None:
    """The measurement table: headings, and each principle's number, name and indicator."""
    columns = framework.columns
    keys = ("number", "principle", "indicator", *LEVELS, "score", "notes")
    table = _table(document, 1 + len(framework.principles), len(keys), _TOOL_WIDTHS)
    trs = _rows(table._tbl)
    _heading_row(trs[0], [columns[k] for k in keys], _Style(bold=True))
    for tr, principle in zip(trs[1:], framework.principles, strict=True):
        _keep_together(tr)
        cells = _cells(tr)
        _fill(cells[0], [str(principle.number)], _Style())
        _fill(cells[1], [principle.principle], _Style(bold=True))
        _fill(cells[2], [principle.indicator], _Style())


def _summary_table(document: DocxDocument, framework: Framework) -> None:
    """The overall summary's headings; every paragraph kept with the signature line below."""
    labels = framework.summary
    table = _table(document, 1 + len(OUTCOMES), 4, _SUMMARY_WIDTHS)
    for paragraph in table._tbl.iter(_P):
        Paragraph(paragraph, table).paragraph_format.keep_with_next = True
    trs = _rows(table._tbl)
    headings = [labels["outcome"], labels["summary"], labels["next_steps"], labels["review_date"]]
    _heading_row(trs[0], headings, _Style(bold=True, keep_next=True))
    for tr in trs[1:]:
        _keep_together(tr)


# -- each plan's own cells -------------------------------------------------------


def _fill_in(
    document: Any, framework: Framework, record: Mapping[str, Any], header: FormHeader
) -> None:
    """Fill in a copy of the skeleton's XML for one plan (an error record: left blank)."""
    header_table, tool_table, summary_table = document.find(qn("w:body")).iter(_TBL)
    _fill(_cells(_rows(header_table)[2])[1], [_description(record, header)], _HEADER_VALUE)
    error = record.get("error")
    note = header_table.getnext()
    if error:
        note.append(_run(_not_audited(error), _Style(bold=True, italic=False, size=None)))
    else:
        note.append(_run(_provenance(record), _Style(bold=False, italic=True, size=None)))
    audited = None if error else record
    _fill_tool_table(_rows(tool_table)[1:], framework, audited)
    _fill_summary_table(_rows(summary_table)[1:], framework, audited)


def _description(record: Mapping[str, Any], header: FormHeader) -> str:
    if header.description is None:
        return f"EHCP co-production audit: {_plan_file(record)}"
    return header.description


def _fill_tool_table(
    trs: Sequence[Any], framework: Framework, record: Mapping[str, Any] | None
) -> None:
    rated = _ratings(record)
    for tr, principle in zip(trs, framework.principles, strict=True):
        cells = _cells(tr)
        reached = rated.get(principle.number, {}).get("rating")
        for offset, level in enumerate(LEVELS):
            _descriptor(cells[3 + offset], principle.descriptors[level], level == reached)
        if record is not None and principle.number in rated:
            _score(cells[6], rated[principle.number])
            notes = _lines(principle_notes(dict(record), principle.number))
            _fill(cells[7], notes, _Style())


def _fill_summary_table(
    trs: Sequence[Any], framework: Framework, record: Mapping[str, Any] | None
) -> None:
    outcome = record.get("overall") if record is not None else None
    for tr, key in zip(trs, OUTCOMES, strict=True):
        cells = _cells(tr)
        _descriptor(cells[0], framework.outcomes[key], key == outcome, keep_next=True)
        if record is None:  # room to write the outcome in by hand
            tr.trHeight_val, tr.trHeight_hRule = Mm(_HAND_ROW_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
        elif key == outcome:
            kept = _Style(keep_next=True)
            _fill(cells[1], _summary_lines(record, framework), kept)
            _fill(cells[2], _steps(record), kept)
            _fill(cells[3], [_review_date(record)], kept)


# -- what goes in the cells --------------------------------------------------


def _ratings(record: Mapping[str, Any] | None) -> dict[int, Mapping[str, Any]]:
    if record is None:
        return {}
    return {p["number"]: p for p in record.get("principles") or () if "number" in p}


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


# -- the XML ----------------------------------------------------------------------


@cache
def _prototype(style: _Style) -> Any:
    """A ``w:p`` holding one empty run formatted as ``style``, made by python-docx's API.

    Copies of it give each plan's paragraphs the markup python-docx writes,
    at a fraction of the cost of asking python-docx each time.
    """
    paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    run = paragraph.add_run()
    run.bold = style.bold
    if style.italic is not None:
        run.italic = style.italic
    if style.size is not None:
        run.font.size = Pt(style.size)
    if style.colour is not None:
        run.font.color.rgb = style.colour
    if style.keep_next:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph._p


def _run(text: str, style: _Style) -> Any:
    """A ``w:r`` with ``text``, as python-docx's ``Run.text`` would write it."""
    run = copy.deepcopy(_prototype(style)[-1])
    if any(c in text for c in "\t\r\n"):
        run.text = text  # python-docx's tabs and breaks
    elif text:
        t = etree.SubElement(run, qn("w:t"))
        t.text = text
        if len(text.strip()) < len(text):
            t.set(qn("xml:space"), "preserve")
    return run


def _fill(tc: Any, lines: Sequence[str], style: _Style, *, append: bool = False) -> None:
    """Put ``lines`` in cell ``tc`` as paragraphs (its empty first one reused unless ``append``)."""
    first = None if append else tc.find(_P)
    for line in lines:
        if first is not None:
            first.append(_run(line, style))
            first = None
        else:
            paragraph = copy.deepcopy(_prototype(style))
            paragraph.replace(paragraph[-1], _run(line, style))
            tc.append(paragraph)


def _score(tc: Any, principle: Mapping[str, Any]) -> None:
    """The score, and under it how sure the rating is (low: check it by hand)."""
    _fill(tc, [str(principle.get("score", ""))], _Style(bold=True, size=11))
    level = (principle.get("confidence") or {}).get("level")
    if level:
        _fill(tc, [f"{level} confidence"], _Style(size=7), append=True)


def _descriptor(tc: Any, text: str, reached: bool, *, keep_next: bool = False) -> None:
    """A descriptor or outcome cell; the reached one bold, shaded and labelled."""
    if reached:
        _fill(tc, [REACHED, text], _Style(bold=True, keep_next=keep_next))
        _shade(tc)
    else:
        _fill(tc, [text], _Style(colour=_UNREACHED, keep_next=keep_next))


def _rows(tbl: Any) -> list[Any]:
    return tbl.findall(_TR)


def _cells(tr: Any) -> list[Any]:
    return tr.findall(_TC)


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


def _heading_row(tr: Any, labels: Sequence[str], style: _Style) -> None:
    """Bold headings, repeated at the top of every page the table runs onto."""
    for tc, label in zip(_cells(tr), labels, strict=True):
        _fill(tc, [label], style)
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(header)


def _keep_together(tr: Any) -> None:
    """Keep a principle's row on one page (each is well under a page)."""
    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _shade(tc: Any) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), _SHADE)
    tc.get_or_add_tcPr().append(shading)
