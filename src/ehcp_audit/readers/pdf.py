"""Read a PDF plan into a :class:`~ehcp_audit._model.Document`.

PDFium (through pypdfium2) supplies everything: glyphs with their boxes and
fonts, and the ruling lines tables are drawn with. Layout (lines,
paragraphs, headings, lists, tables, running headers) is rebuilt from that
geometry in pure Python; see ``_pdf_page`` (what PDFium is asked),
``_pdf_tables`` (pdfplumber's ruled-table method over PDFium's lines),
``_pdf_layout`` (lines to paragraphs and headings) and ``_pdf_document``
(judgements that need every page).

Why not pdfplumber? Its pdfminer parse costs tens of times PDFium's own
text extraction, and plans are mostly tables, so running it even only on
pages with ruling lines would mean running it on most pages. Reading this
way costs two to four times ``get_text_range()`` on the same pages. Each
page (and its text page) is closed as soon as it has been read, so memory
stays flat over a long batch.

What the blocks hold:

* text as drawn, wrapped lines joined with a space (a hyphen at a line end
  is kept, with no space); list items lose a drawn bullet symbol ("•", "-")
  but keep an enumerator ("1.", "a)");
* headings: ``heading_source=FoundBy.FONT``, ``heading_level`` 1 for the
  largest heading style, 2 for the next, and so on; every block carries
  ``bold``, ``font_size`` and ``body_font_size`` (the size most text is set
  in) so the sectionizer can judge for itself;
* table cells: one TABLE_CELL block per cell of the visual grid, empty ones
  too; a cell's wrapped lines are joined with a space and its paragraphs
  with ``"\n"``. Tables are numbered from 1 in document order; a table that
  runs on over page breaks is one table (rows numbered on, a repeated
  header row dropped, a row split by the break joined back). A table drawn
  inside a cell is a table of its own (``parent_table`` names the holder),
  its blocks between the holding cell's text above and below it;
* a table drawn with characters (a text export printed: ``+---+`` borders,
  ``| A | ... |`` rows) reads as a table too, its lines never joined into
  prose (see ``_drawn_tables``);
* running headers, footers, page numbers and rotated text (watermarks) are
  in ``Document.furniture``, once per distinct text (digits ignored).

Failures are typed: a password needed to open -> :class:`Encrypted`
(owner-password "no editing" restrictions open fine); damaged or truncated
-> :class:`Unreadable`; pages showing only pictures (or text turned into
shapes) -> :class:`NoTextLayer`; more pages than ``limits.max_pages`` ->
:class:`TooLarge`, checked before any page is parsed; compressed streams
that unpack past ``limits.max_uncompressed`` or ``limits.max_zip_ratio`` ->
:class:`TooLarge`, checked before PDFium opens the file (an encrypted
file's, in a decrypted copy before any page is loaded; see
``_pdf_streams``). Any other exception
from PDFium on hostile bytes becomes :class:`Unreadable`.
"""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .._errors import Encrypted, InputError, NoTextLayer, TooLarge, Unreadable
from .._limits import Limits
from .._model import Document, SourceFormat
from ._drawn_tables import redraw
from ._pdf_document import PageLayout, assemble, layout_page
from ._pdf_page import extract_page
from ._pdf_pdfium import ERR_PASSWORD, ERR_SECURITY
from ._pdf_streams import check_streams

#: PDFium is not thread-safe, not even across documents: one reader at a time
#: per process. (Batches get their parallelism from processes.)
_PDFIUM = threading.Lock()


def read(data: bytes, limits: Limits) -> Document:
    """Read PDF ``data``; raise a typed :class:`InputError` when it cannot be read."""
    try:
        check_streams(data, limits)  # before PDFium inflates anything
        with _PDFIUM:
            return _read(data, limits)
    except InputError:
        raise
    except Exception as exc:  # anything PDFium or the layout code trips on
        raise Unreadable(
            f"the PDF is damaged and could not be read ({type(exc).__name__})"
        ) from None


def _read(data: bytes, limits: Limits) -> Document:
    pdf = _open(data)
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            # Encrypted streams were ciphertext to the pre-scan: scan them decrypted.
            check_streams(_decrypted_copy(pdf), limits)
        count = len(pdf)
        if count > limits.max_pages:
            raise TooLarge(f"the PDF has {count} pages, over the limit of {limits.max_pages} pages")
        if count <= 0:
            raise Unreadable("the PDF has no pages")
        layouts: list[PageLayout] = []
        for index in range(count):
            page = pdf[index]
            try:
                layouts.append(layout_page(extract_page(page, index + 1)))
            finally:
                page.close()
    finally:
        pdf.close()

    blocks, furniture = assemble(layouts)
    blocks = list(redraw(blocks))  # a text export printed: its drawn tables are tables
    limits.budget().admit_all(block.text for block in blocks)  # before any later stage
    if not any(b.text.strip() for b in blocks) and _shows_something(layouts):
        raise NoTextLayer(
            "the PDF has no text layer: its pages are scanned images (or text turned into "
            "shapes). OCR is needed: run it through text recognition (e.g. 'Scan & OCR' in "
            "Adobe Acrobat, or ocrmypdf) and audit the result."
        )
    return Document(
        format=SourceFormat.PDF,
        blocks=tuple(blocks),
        furniture=tuple(furniture),
        pages=count,
    )


#: More shapes than this and no text: the words were turned into outlines.
_OUTLINED_TEXT_PATHS = 200


def _shows_something(layouts: list[PageLayout]) -> bool:
    """Pages with pictures (or a mass of shapes) but no text need OCR; blank pages are empty."""
    return any(p.images for p in layouts) or sum(p.paths for p in layouts) > _OUTLINED_TEXT_PATHS


def _decrypted_copy(pdf: pdfium.PdfDocument) -> bytes:
    """The opened document saved without its encryption, its streams still compressed.

    PDFium copies a filtered stream's bytes as they are (decrypted) when it
    saves, so this costs about the file's size and inflates nothing.
    """
    buffer = io.BytesIO()
    pdf.save(buffer, flags=pdfium_c.FPDF_REMOVE_SECURITY)
    return buffer.getvalue()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == ERR_PASSWORD:
            raise Encrypted(
                "the PDF is password-protected and cannot be opened without the password. "
                "Ask the sender for a copy without a password to open it."
            ) from None
        if code == ERR_SECURITY:
            raise Encrypted(
                "the PDF is protected with an encryption scheme that cannot be opened."
            ) from None
        raise Unreadable("the PDF is damaged or truncated and could not be opened") from None
