"""Render a corpus plan (parsed plan-source TOML) as a PDF drawn directly with reportlab.

Most corpus PDFs come from LibreOffice exports of DOCX templates; these are
drawn with reportlab's platypus instead, so the PDF reader also meets a second
producer with its own text-layer quirks: text in table cells that continue
across a page break, running headers and footers on every page, headings that
wrap onto two lines, and bold body-size labels ("Name:") that look like
headings to a naive font-size detector but are not.

Templates:

``council_pdf``
    A council's own layout: a coloured title band, a personal-details table,
    Section A with child-friendly sub-titles, one combined ruled table
    "Needs (B) | Provision (F) | Outcomes (E)" (header row repeated on each
    page), C/G and D/H1/H2 as prose sections, K as a ruled table, a running
    header "EHC Plan for <name> – Confidential" and a "Page N of M" footer.
``childfriendly``
    Bold child-friendly headings ("A – All about me"), E before B, H1 and H2
    merged under "H – Social care provision".
anything else
    Separate statutory sections ("Section B – Special educational needs") in
    statutory order.

Every field is copied verbatim (paragraphs split on blank lines, "- " lines
as bullets; only &, < and > are escaped for reportlab's Paragraph markup).
``rl_config.invariant`` is set so that re-rendering gives the same bytes.

Called by ``generate.py`` as ``render(plan, out_path)``.
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

try:  # the generator runs with this folder on sys.path; be robust when loaded by file path
    import render_text as _content
except ImportError:  # pragma: no cover - depends on how the caller imported us
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    import render_text as _content

rl_config.invariant = 1  # fixed document ID and dates: regeneration is byte-stable

Plan = dict[str, Any]
PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
FRAME_W = PAGE_W - 2 * MARGIN
COUNCIL = "Anyshire County Council"

A_PARTS = _content.A_PARTS
SECTION_TITLES = _content.SECTION_TITLES
blocks = _content.blocks
details_rows = _content.details_rows
fmt_date = _content.fmt_date
present = _content.present
outcome_rows = _content.outcome_rows

#: Templates whose H1 and H2 share one heading (generate.py labels them H1 only).
MERGED_H_TEMPLATES = frozenset({"childfriendly"})


# --------------------------------------------------------------------------- styles


class _Styles:
    """One template's paragraph styles; built per render so nothing is shared or mutated."""

    def __init__(
        self,
        accent: colors.Color,
        heading_size: float,
        body_size: float = 10.5,
        split_in_row: bool = False,
    ):
        lead = body_size * 1.35
        self.accent = accent
        self.shade = colors.HexColor("#eef3f6")
        # Table rows move to the next page whole; splitting inside a row is only
        # used when a row is taller than a page (reportlab then repeats the header
        # row oddly above the split row, so it is a fallback, not the default).
        self.split_in_row = split_in_row
        self.body = ParagraphStyle(
            "Body",
            fontName="Helvetica",
            fontSize=body_size,
            leading=lead,
            spaceAfter=5,
            alignment=TA_LEFT,
        )
        self.bullet = ParagraphStyle(
            "Bullet",
            parent=self.body,
            leftIndent=14,
            bulletIndent=4,
            spaceAfter=3,
            # Helvetica puts "•" at WinAnsi code 127, which pdfminer cannot map
            # (it shows "(cid:127)"); the Symbol font's bullet extracts cleanly.
            bulletFontName="Symbol",
        )
        self.body_italic = ParagraphStyle(
            "BodyItalic", parent=self.body, fontName="Helvetica-Oblique"
        )
        self.label = ParagraphStyle(
            "Label", parent=self.body, fontName="Helvetica-Bold", spaceAfter=2, keepWithNext=1
        )
        self.cell = ParagraphStyle("Cell", parent=self.body, fontSize=10, leading=13, spaceAfter=4)
        self.cell_bullet = ParagraphStyle(
            "CellBullet",
            parent=self.cell,
            leftIndent=10,
            bulletIndent=0,
            spaceAfter=2,
            bulletFontName="Symbol",
        )
        self.cell_label = ParagraphStyle("CellLabel", parent=self.cell, fontName="Helvetica-Bold")
        self.cell_head = ParagraphStyle(
            "CellHead", parent=self.cell_label, textColor=colors.white, spaceAfter=0
        )
        self.heading = ParagraphStyle(
            "SectionHeading",
            fontName="Helvetica-Bold",
            fontSize=heading_size,
            leading=heading_size * 1.25,
            textColor=accent,
            spaceBefore=14,
            spaceAfter=6,
            keepWithNext=1,
        )
        self.heading_loose = ParagraphStyle("SectionHeadingLoose", parent=self.heading)
        self.heading_loose.keepWithNext = 0
        self.subheading = ParagraphStyle(
            "SubHeading",
            fontName="Helvetica-Bold",
            fontSize=heading_size - 2.5,
            leading=(heading_size - 2.5) * 1.3,
            textColor=colors.black,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.title = ParagraphStyle(
            "Title", fontName="Helvetica-Bold", fontSize=20, leading=25, textColor=colors.white
        )
        self.title_sub = ParagraphStyle(
            "TitleSub", fontName="Helvetica", fontSize=10.5, leading=14, textColor=colors.white
        )


def _p(text: object, style: ParagraphStyle, **kwargs: Any) -> Paragraph:
    return Paragraph(escape(str(text)), style, **kwargs)


def _field(text: object, body: ParagraphStyle, bullet: ParagraphStyle) -> list[Flowable]:
    """A field's paragraphs and bullets as flowables, words verbatim."""
    return [
        _p(t, bullet, bulletText="\u2022") if kind == "li" else _p(t, body)
        for kind, t in blocks(text)
    ]


def _labelled(label: str, value: object, style: ParagraphStyle) -> Paragraph:
    """'<b>Label:</b> value' at body size: a label, not a heading."""
    return Paragraph(f"<b>{escape(label)}:</b> {escape(str(value))}", style)


def _ruled(data: list[list[Any]], widths: list[float], s: _Styles, **kwargs: Any) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=int(s.split_in_row), **kwargs)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#7a7a7a")),
                ("BACKGROUND", (0, 0), (-1, 0), s.accent),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# --------------------------------------------------------------------------- page furniture


def _canvas_maker(footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds pages back until the end so each can say "Page N of M"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                footer(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _build(
    story: list[Flowable],
    out_path: pathlib.Path,
    header: str,
    accent: colors.Color,
    title: str,
) -> None:
    def draw_header(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, PAGE_H - 12 * mm, header)
        canvas.setStrokeColor(accent)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, PAGE_H - 13.5 * mm, PAGE_W - MARGIN, PAGE_H - 13.5 * mm)
        canvas.restoreState()

    def draw_footer(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawCentredString(PAGE_W / 2, 10 * mm, f"Page {number} of {total}")
        canvas.restoreState()

    doc = BaseDocTemplate(
        str(out_path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=COUNCIL,
        subject="Education, Health and Care Plan",
        creator=f"{COUNCIL} SEND case management",
        invariant=1,
    )
    frame = Frame(MARGIN, MARGIN, FRAME_W, PAGE_H - 2 * MARGIN, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=draw_header)])
    doc.build(story, canvasmaker=_canvas_maker(draw_footer))


# --------------------------------------------------------------------------- shared pieces


def _title_band(s: _Styles, title: str, subtitle: str, draft: bool) -> list[Flowable]:
    rows = [[_p(title, s.title)], [_p(subtitle, s.title_sub)]]
    if draft:
        rows.append([_p("DRAFT – this plan is not final", s.title_sub)])
    band = Table(rows, colWidths=[FRAME_W])
    band.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), s.accent),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 10),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
            ]
        )
    )
    return [band, Spacer(1, 8)]


def _details_table(plan: Plan, s: _Styles, date_style: str) -> Table:
    """Personal details, two label/value pairs a row; labels are bold "Name:" cells."""
    pairs = details_rows(plan, date_style)
    rows = []
    for i in range(0, len(pairs), 2):
        row: list[Any] = []
        for label, value in pairs[i : i + 2]:
            row += [_p(f"{label}:", s.cell_label), _p(value, s.cell)]
        rows.append(row + [""] * (4 - len(row)))
    widths = [0.18 * FRAME_W, 0.32 * FRAME_W, 0.18 * FRAME_W, 0.32 * FRAME_W]
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9a9a9a")),
                ("BACKGROUND", (0, 0), (0, -1), s.shade),
                ("BACKGROUND", (2, 0), (2, -1), s.shade),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _rows_text(rows: Iterable[dict[str, Any]], key: str, s: _Styles) -> list[Flowable]:
    return [f for row in rows for f in _field(row.get(key), s.body, s.bullet)]


def _signoff(plan: Plan, s: _Styles, date_style: str) -> list[Flowable]:
    so = plan.get("sign_off") or {}
    if not so:
        return []
    out: list[Flowable] = [Spacer(1, 10), _p(f"Signed on behalf of {COUNCIL}", s.label)]
    if so.get("officer"):
        out.append(_p(so["officer"], s.body))
    if so.get("date"):
        out.append(_labelled("Date", fmt_date(so["date"], date_style), s.body))
    return [KeepTogether(out)]


# --------------------------------------------------------------------------- council_pdf

_COUNCIL_HEADINGS = {
    "A": "Section A – Views, interests and aspirations",
    "C": "Section C – Health needs which relate to the child or young person's SEN",
    "D": "Section D – Social care needs which relate to the child or young person's SEN "
    "or disability",
    "E": "Section E – Outcomes for health and social care",
    "G": "Section G – Health provision reasonably required by the learning difficulties "
    "or disabilities which result in the child or young person having SEN",
    "H1": "Section H1 – Social care provision which must be made under section 2 of the "
    "Chronically Sick and Disabled Persons Act 1970",
    "H2": "Section H2 – Any other social care provision reasonably required by the learning "
    "difficulties or disabilities which result in the child or young person having SEN",
    "I": "Section I – Placement",
    "J": "Section J – Personal budget",
    "K": "Section K – Advice and information",
}
#: Council A sub-titles: child-friendly, in a smaller bold size than section headings.
_COUNCIL_A_TITLES = dict(A_PARTS)


def _council_story(plan: Plan, s: _Styles) -> list[Flowable]:
    story = _title_band(
        s,
        "Education, Health and Care Plan",
        f"{COUNCIL} – Special Educational Needs and Disabilities Service",
        _content.is_draft(plan),
    )
    story += [_p("Personal details", s.heading), _details_table(plan, s, "slash")]

    if present(plan, "A"):
        a = plan.get("section_a") or {}
        story.append(_p(_COUNCIL_HEADINGS["A"], s.heading))
        for key, _sub in A_PARTS:
            if a.get(key):
                story.append(_p(_COUNCIL_A_TITLES[key], s.subheading))
                story += _field(a[key], s.body, s.bullet)

    # B, F and E side by side: one ruled table whose header row repeats on each page.
    columns = [
        (head, key)
        for code, head, key in (
            ("B", "Needs (B)", "need"),
            ("F", "Provision (F)", "provision"),
            ("E", "Outcomes (E)", "outcome"),
        )
        if present(plan, code)
    ]
    needs = _content.needs_in_order(plan)
    if columns and needs:
        # Not kept with the table (which may split); it only needs room to start.
        story.append(CondPageBreak(70 * mm))
        story.append(
            _p(
                "Sections B, F and E – Special educational needs, provision and outcomes",
                s.heading_loose,
            )
        )
        data: list[list[Any]] = [[_p(h, s.cell_head) for h, _k in columns]]
        for row in needs:
            cells = []
            for i, (_head, key) in enumerate(columns):
                cell = _field(row.get(key), s.cell, s.cell_bullet)
                if i == 0 and row.get("area"):
                    cell.insert(0, _p(row["area"], s.cell_label))
                cells.append(cell)
            data.append(cells)
        story.append(_ruled(data, [FRAME_W / len(columns)] * len(columns), s))

    health, social = _content.health_rows(plan), _content.social_rows(plan)
    for code, rows, key in (
        ("C", health, "need"),
        ("G", health, "provision"),
        ("D", social, "need"),
        ("H1", social, "h1"),
        ("H2", social, "h2"),
    ):
        if present(plan, code):
            story.append(_p(_COUNCIL_HEADINGS[code], s.heading))
            story += _rows_text(rows, key, s)

    # Health and social care outcomes are not in the B/F/E table: they get a short
    # E section of their own, each group under a bold body-size label (not a heading).
    extra = [r for r in outcome_rows(plan) if r["group"] in ("Health", "Social care")]
    if present(plan, "E") and extra:
        story.append(_p(_COUNCIL_HEADINGS["E"], s.heading))
        for group in ("Health", "Social care"):
            rows = [r for r in extra if r["group"] == group]
            if rows:
                story.append(_p(f"{group} outcomes:", s.label))
                story += _rows_text(rows, "outcome", s)

    if present(plan, "I"):
        p = plan["placement"]
        story.append(_p(_COUNCIL_HEADINGS["I"], s.heading))
        story.append(_labelled("Name", p["name"], s.body))
        if p.get("type"):
            story.append(_labelled("Type", p["type"], s.body))

    if present(plan, "J"):
        pb = plan["personal_budget"]
        story.append(_p(_COUNCIL_HEADINGS["J"], s.heading))
        story += _field(pb.get("details"), s.body, s.bullet)
        if pb.get("arrangements"):
            story.append(_p("Arrangements:", s.label))
            story += _field(pb["arrangements"], s.body, s.bullet)

    if present(plan, "K"):
        story.append(_p(_COUNCIL_HEADINGS["K"], s.heading))
        heads = ("Advice and information", "Provided by", "Date", "Appended")
        data = [[_p(h, s.cell_head) for h in heads]]
        for a in plan["advice"]:
            first = [_p(a.get("advice", ""), s.cell_label)]
            first += _field(a.get("summary"), s.cell, s.cell_bullet)
            data.append(
                [
                    first,
                    _p(a.get("author", ""), s.cell),
                    _p(fmt_date(a.get("date", ""), "slash"), s.cell),
                    _p("Yes" if a.get("appended") else "No", s.cell),
                ]
            )
        widths = [0.40 * FRAME_W, 0.30 * FRAME_W, 0.15 * FRAME_W, 0.15 * FRAME_W]
        story.append(_ruled(data, widths, s))

    story += _signoff(plan, s, "slash")
    return story


# --------------------------------------------------------------------------- childfriendly

#: The same headings, order and wording as render_docx's childfriendly DOCX.
_FRIENDLY_A_TITLES = {
    "history": "My history",
    "communication": "How I communicate",
    "strengths": "What people like and admire about me",
    "child_views": "What is important to me",
    "family_views": "What my family say",
    "how_best_to_support": "How best to support me",
    "aspirations": "My hopes for the future",
    "how_views_gathered": "How we found out my views",
}


def _profile_box(text: object, s: _Styles) -> Table:
    """The one-page profile: a shaded, bordered box holding the child's interests."""
    content = [_p("My one-page profile", s.label)]
    content += [_p(t, s.body_italic) for _kind, t in blocks(text)]
    box = Table([[content]], colWidths=[FRAME_W])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff4d6")),
                ("BOX", (0, 0), (-1, -1), 1.5, colors.HexColor("#e0a526")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def _childfriendly_story(plan: Plan, s: _Styles) -> list[Flowable]:
    d = plan.get("details") or {}
    story = _title_band(
        s, "My EHC Plan", f"Education, Health and Care Plan for {d.get('name', '')}", False
    )
    status = f"This plan is {d.get('status', 'final')}."
    if d.get("plan_date"):
        status += f" Date of plan: {fmt_date(d['plan_date'], 'long')}"
    story.append(_p(status, s.body))
    if d.get("review_date"):
        story.append(
            _p(f"We will look at this plan again by {fmt_date(d['review_date'], 'long')}.", s.body)
        )
    story.append(_details_table(plan, s, "long"))

    def section(title: str) -> None:
        story.append(_p(title, s.heading))

    def part(title: str) -> None:
        story.append(_p(title, s.subheading))

    absent = plan.get("absent") or []
    needs = _content.needs_in_order(plan)
    health, social = _content.health_rows(plan), _content.social_rows(plan)

    if present(plan, "A"):
        a = plan.get("section_a") or {}
        section("A – My views, interests and aspirations")
        if a.get("interests"):
            part("All about me")
            story.append(_profile_box(a["interests"], s))
        for key, title in _FRIENDLY_A_TITLES.items():
            if a.get(key):
                part(title)
                story += _field(a[key], s.body, s.bullet)
    if present(plan, "E"):
        section("Section E – Outcomes")
        story.append(_p("What we want to happen for me, and by when:", s.body))
        groups: dict[str, list[str]] = {}
        for row in outcome_rows(plan):
            groups.setdefault(row["group"], []).append(row["outcome"])
        for title, outcomes in groups.items():
            part(title)
            for outcome in outcomes:
                story += [_p(t, s.bullet, bulletText="\u2022") for _kind, t in blocks(outcome)]
    if present(plan, "B"):
        section("B – Special educational needs")
        for row in needs:
            if row.get("need"):
                part(row.get("area", ""))
                story += _field(row["need"], s.body, s.bullet)
    if present(plan, "F"):
        section("F – Special educational provision")
        for row in needs:
            if row.get("provision"):
                area = str(row.get("area", ""))
                part(f"Help with {area[:1].lower()}{area[1:]}")
                story += _field(row["provision"], s.body, s.bullet)
    for code, title, rows, key in (
        ("C", "C – My health needs", health, "need"),
        ("G", "G – Health provision", health, "provision"),
        ("D", "D – My social care needs", social, "need"),
    ):
        if present(plan, code):
            section(title)
            story += _rows_text(rows, key, s)
    if present(plan, "H1") or present(plan, "H2"):
        section("H – Social care provision")
        for row in social:
            for key, code in (("h1", "H1"), ("h2", "H2")):
                if code not in absent:
                    story += _field(row.get(key), s.body, s.bullet)
    if present(plan, "I"):
        section("I – Where I go to school")
        story.append(_p(plan["placement"]["name"], s.body))
        if plan["placement"].get("type"):
            story.append(_p(f"Type of school: {plan['placement']['type']}", s.body))
    if present(plan, "J"):
        section("J – Personal budget")
        story += _field(plan["personal_budget"].get("details"), s.body, s.bullet)
        story += _field(plan["personal_budget"].get("arrangements"), s.body, s.bullet)
    if present(plan, "K"):
        section("K – Advice and information")
        story.append(_p("People who gave advice for my plan:", s.body))
        for item in plan["advice"]:
            line = f"{item.get('advice', '')} from {item.get('author', 'unknown')}"
            if item.get("date"):
                line += f", dated {fmt_date(item['date'], 'long')}"
            if "appended" in item:
                line += " (appended)" if item["appended"] else " (not appended)"
            story.append(_p(line, s.bullet, bulletText="\u2022"))
            story += _field(item.get("summary"), s.body, s.bullet)
    story += _signoff(plan, s, "long")
    return story


# --------------------------------------------------------------------------- statutory (others)


def _statutory_story(plan: Plan, s: _Styles) -> list[Flowable]:
    """Any other template: one "Section X – title" heading per section, statutory order."""
    story = _title_band(s, "Education, Health and Care Plan", COUNCIL, _content.is_draft(plan))
    story += [_p("Personal details", s.heading), _details_table(plan, s, "long")]
    needs = _content.needs_in_order(plan)
    health, social = _content.health_rows(plan), _content.social_rows(plan)
    for code in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"):
        if not present(plan, code):
            continue
        story.append(_p(f"Section {code} – {SECTION_TITLES[code]}", s.heading))
        if code == "A":
            a = plan.get("section_a") or {}
            for key, sub in A_PARTS:
                if a.get(key):
                    story.append(_p(sub, s.subheading))
                    story += _field(a[key], s.body, s.bullet)
        elif code in ("B", "F"):
            key = "need" if code == "B" else "provision"
            for row in needs:
                if row.get(key):
                    story.append(_p(row.get("area", ""), s.subheading))
                    story += _field(row[key], s.body, s.bullet)
        elif code == "E":
            group = None
            for row in outcome_rows(plan):
                if row["group"] != group:
                    group = row["group"]
                    story.append(_p(group, s.subheading))
                story += _field(row["outcome"], s.body, s.bullet)
        elif code in ("C", "G"):
            story += _rows_text(health, "need" if code == "C" else "provision", s)
        elif code in ("D", "H1", "H2"):
            story += _rows_text(social, {"D": "need"}.get(code, code.lower()), s)
        elif code == "I":
            story.append(_labelled("Name of school", plan["placement"]["name"], s.body))
            if plan["placement"].get("type"):
                story.append(_labelled("Type", plan["placement"]["type"], s.body))
        elif code == "J":
            story += _field(plan["personal_budget"].get("details"), s.body, s.bullet)
            story += _field(plan["personal_budget"].get("arrangements"), s.body, s.bullet)
        elif code == "K":
            for item in plan["advice"]:
                line = f"{item.get('advice', '')} – {item.get('author', '')}"
                if item.get("date"):
                    line += f", {fmt_date(item['date'], 'long')}"
                story.append(_p(line, s.bullet, bulletText="\u2022"))
                story += _field(item.get("summary"), s.body, s.bullet)
    story += _signoff(plan, s, "long")
    return story


# --------------------------------------------------------------------------- entry point


def render(plan: Plan, out_path: pathlib.Path) -> None:
    """Draw ``plan`` as a PDF at ``out_path`` in the layout its template names."""
    out_path = pathlib.Path(out_path)
    try:
        _render(plan, out_path, split_in_row=False)
    except LayoutError:  # a table row taller than a page: let rows split
        _render(plan, out_path, split_in_row=True)


def _render(plan: Plan, out_path: pathlib.Path, split_in_row: bool) -> None:
    template = plan.get("template")
    name = _content.plan_name(plan)
    if template == "council_pdf":
        styles = _Styles(colors.HexColor("#005a70"), 14, split_in_row=split_in_row)
        story = _council_story(plan, styles)
        header = f"EHC Plan for {name} – Confidential"
    elif template == "childfriendly":
        styles = _Styles(colors.HexColor("#1f6f8b"), 15, body_size=11, split_in_row=split_in_row)
        story = _childfriendly_story(plan, styles)
        d = plan.get("details") or {}
        header = f"{d.get('preferred_name') or name}'s EHC Plan"
    else:
        styles = _Styles(colors.HexColor("#1f3864"), 13, split_in_row=split_in_row)
        story = _statutory_story(plan, styles)
        header = f"Education, Health and Care Plan – {name}"
    _build(story, out_path, header, styles.accent, "Education, Health and Care Plan")
