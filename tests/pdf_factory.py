"""Draw real PDFs with reportlab for the PDF reader's tests and benchmarks.

The reader works from what a PDF really contains (glyph positions, font
sizes, ruling lines), so the fixtures are drawn the way word processors draw
them: reportlab's platypus lays out wrapped paragraphs, bullet lists with a
hanging indent and ruled tables that split across pages (repeating their
header row), and a page template adds a running header, footer and page
number to every page. All content is fictional.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 72.0
BODY_SIZE = 10.0

HEADER_TEXT = "Education, Health and Care Plan - Alex Example (fictional)"
FOOTER_TEXT = "OFFICIAL - SENSITIVE"


def body(text: str, *, size: float = BODY_SIZE, bold: bool = False) -> Paragraph:
    """A body paragraph (wrapped to the frame width, 6pt space after)."""
    return Paragraph(text, _style(size, bold, space_after=6))


def heading(text: str, *, size: float = 16.0, bold: bool = True) -> Paragraph:
    """A heading drawn only with a larger (and usually bold) font, as PDFs have no styles."""
    return Paragraph(text, _style(size, bold, space_before=size * 0.6, space_after=size * 0.4))


def bullet(text: str, *, marker: str = "•", size: float = BODY_SIZE) -> Paragraph:
    """A list item with the marker hanging left of the wrapped text."""
    style = ParagraphStyle(
        f"bullet-{size}",
        fontName="Helvetica",
        fontSize=size,
        leading=size * 1.2,
        leftIndent=18,
        bulletIndent=6,
        spaceAfter=3,
    )
    return Paragraph(text, style, bulletText=marker)


def label(name: str, value: str, *, size: float = BODY_SIZE) -> Paragraph:
    """A form-style line: a bold label at body size followed by its value."""
    return Paragraph(f"<b>{name}</b> {value}", _style(size, False, space_after=2))


def table(
    rows: Sequence[Sequence[str]],
    *,
    col_widths: Sequence[float] | None = None,
    repeat_header: bool = True,
    size: float = BODY_SIZE,
) -> Table:
    """A fully ruled table; cells hold wrapped paragraphs, row 0 is a bold header.

    With ``repeat_header`` the header row is drawn again at the top of every
    page the table continues onto, as Word's "repeat header row" does.
    """
    cell = _style(size, False)
    head = _style(size, True)
    data = [
        [Paragraph(text, head if r == 0 else cell) for text in row] for r, row in enumerate(rows)
    ]
    widths = list(col_widths) if col_widths else None
    t = Table(data, colWidths=widths, repeatRows=1 if repeat_header else 0)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
            ]
        )
    )
    return t


def spacer(height: float = 12.0) -> Spacer:
    return Spacer(1, height)


def page_break() -> PageBreak:
    return PageBreak()


def build(
    story: Iterable[Flowable],
    *,
    running_header: str | None = None,
    running_footer: str | None = None,
    page_numbers: bool = False,
    encrypt: StandardEncryption | None = None,
) -> bytes:
    """Lay ``story`` out on A4 pages and return the PDF bytes.

    ``running_header``/``running_footer`` are drawn in the top and bottom
    margins of every page, and ``page_numbers`` adds "Page N of M" under the
    footer, as council templates do.
    """
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        encrypt=encrypt,
        title="Fictional test plan",
    )

    def decorate(c: canvas.Canvas, d: SimpleDocTemplate) -> None:
        c.saveState()
        c.setFont("Helvetica", 8)
        if running_header:
            c.drawString(MARGIN, PAGE_HEIGHT - 40, running_header)
        if running_footer:
            c.drawString(MARGIN, 48, running_footer)
        if page_numbers:
            c.drawRightString(PAGE_WIDTH - MARGIN, 36, f"Page {d.page}")
        c.restoreState()

    doc.build(list(story), onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def draw(pages: int, painter: Callable[[canvas.Canvas, int], None], **kwargs: object) -> bytes:
    """Draw ``pages`` pages directly on a canvas (for layouts platypus cannot make)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, **kwargs)  # type: ignore[arg-type]
    for number in range(1, pages + 1):
        painter(c, number)
        c.showPage()
    c.save()
    return out.getvalue()


def draw_grid(
    c: canvas.Canvas,
    top: float,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    row_height: float = 30.0,
    size: float = BODY_SIZE,
    left: float = MARGIN,
    open_top: bool = False,
    open_bottom: bool = False,
) -> float:
    """Draw a ruled table by hand from ``top`` (distance from the page top); return its bottom.

    Each cell's text is drawn one line per ``"\\n"``. Used where platypus
    cannot go: a row running on over a page break, drawn (as Word and
    LibreOffice draw it) with no border where the break cuts it
    (``open_bottom`` on the first page, ``open_top`` on the next).
    """
    y_top = PAGE_HEIGHT - top
    c.setLineWidth(0.75)
    c.setFont("Helvetica", size)
    for r, row in enumerate(rows):
        y = y_top - r * row_height
        x = left
        for text, width in zip(row, widths, strict=True):
            for k, line in enumerate(text.split("\n")):
                if line:
                    c.drawString(x + 5, y - 5 - size - k * size * 1.2, line)
            x += width
    bottom = y_top - len(rows) * row_height
    for r in range(len(rows) + 1):
        if (r == 0 and open_top) or (r == len(rows) and open_bottom):
            continue
        y = y_top - r * row_height
        c.line(left, y, left + sum(widths), y)
    x = left
    for width in (0.0, *widths):
        x += width
        c.line(x, y_top, x, bottom)
    return PAGE_HEIGHT - bottom


def restricted_pdf() -> bytes:
    """Encrypted with an empty user password: opens without asking, but editing is barred."""
    enc = StandardEncryption("", ownerPassword="x", canPrint=1, canModify=0)
    return build(
        [heading("Section A: All about me"), body("Alex likes trains and drawing.")],
        encrypt=enc,
    )


def password_pdf() -> bytes:
    """Encrypted with a user password: cannot be opened without it."""
    enc = StandardEncryption("secret", ownerPassword="owner", canPrint=1, canModify=0)
    return build([body("Nobody can read this without the password.")], encrypt=enc)


def image_only_pdf(pages: int = 2) -> bytes:
    """Pages holding only a picture of text, like a scanner makes: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (400, 200), 255)
    pen = ImageDraw.Draw(img)
    for y in range(20, 190, 14):
        pen.rectangle((20, y, 380, y + 6), fill=0)
    reader = ImageReader(img)

    def paint(c: canvas.Canvas, _: int) -> None:
        c.drawImage(reader, MARGIN, PAGE_HEIGHT / 2, width=400, height=200)

    return draw(pages, paint)


def many_pages_pdf(pages: int) -> bytes:
    def paint(c: canvas.Canvas, number: int) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(MARGIN, PAGE_HEIGHT / 2, f"Body text on page {number}.")

    return draw(pages, paint)


_PARA = (
    "Alex communicates well with familiar adults and enjoys sharing news about the weekend. "
    "In class Alex needs instructions broken into short steps, with a visual timetable "
    "and time to process what has been said before answering. Alex told us that noisy "
    "rooms make it hard to think and that a quiet space at lunchtime helps."
)

_SECTIONS = (
    ("Section A: The views, interests and aspirations of Alex and the family", False),
    ("Section B: Special educational needs", True),
    ("Section C: Health needs related to special educational needs", False),
    ("Section D: Social care needs related to special educational needs", False),
    ("Section E: Outcomes", True),
    ("Section F: Special educational provision", True),
    ("Section G: Health provision", False),
    ("Section H1: Social care provision", False),
    ("Section I: Placement", False),
    ("Section J: Personal budget", False),
    ("Section K: Advice and information", True),
)


def plan_pdf(repeat: int = 1) -> bytes:
    """A plan-shaped document of 10+ pages: headings, lists, labels, ruled tables.

    Used for the speed measurement and the end-to-end test. ``repeat`` makes
    the body paragraphs longer to add pages.
    """
    story: list[Flowable] = [
        heading("Education, Health and Care Plan", size=20),
        label("Name:", "Alex Example"),
        label("Date of birth:", "1 January 2015"),
        label("School:", "Example Primary School"),
        spacer(),
    ]
    for number, (title, has_table) in enumerate(_SECTIONS, start=1):
        story.append(heading(title, size=14))
        story.append(heading("What we know", size=12))
        for _ in range(repeat * 2):
            story.append(body(_PARA))
        for item in ("Visual timetable", "Quiet space at lunchtime", "Short, clear steps"):
            story.append(bullet(item))
        if has_table:
            rows = [["Area of need", "Provision", "Outcome"]]
            for r in range(1, 6 + repeat * 4):
                rows.append(
                    [
                        f"Need {number}.{r}: communication and interaction in class",
                        f"Speech and language therapy, 30 minutes weekly ({r})",
                        f"By July Alex will ask for help using a phrase ({r})",
                    ]
                )
            story.append(table(rows, col_widths=[150, 150, 151]))
        story.append(page_break())
    return build(
        story,
        running_header=HEADER_TEXT,
        running_footer=FOOTER_TEXT,
        page_numbers=True,
    )


def _style(
    size: float, bold: bool, *, space_before: float = 0.0, space_after: float = 0.0
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s-{size}-{bold}",
        fontName="Helvetica-Bold" if bold else "Helvetica",
        fontSize=size,
        leading=size * 1.2,
        spaceBefore=space_before,
        spaceAfter=space_after,
    )
