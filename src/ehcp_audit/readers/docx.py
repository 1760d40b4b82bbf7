"""Read a Word (.docx) plan into a :class:`~ehcp_audit._model.Document`.

Internal. Real plans are built from council templates: personal details in
tables, B/F/E tables per area of need, content controls, text boxes, tracked
changes left in, tick boxes. python-docx's object model is blind to most of
that (content controls, text boxes, nested tables in reading order) and slow
on the rest, so the reader uses python-docx only for what it is good at
(part-name resolution, style-name aliases) and walks the WordprocessingML
itself with lxml, in ONE pass over ``word/document.xml``. (``docx.Document()``
alone costs about twice a raw lxml parse of the body, which would leave no
room under the reader's performance budget of three times that parse, and it
refuses macro-enabled or template packages that Word opens happily.) Styles
are looked up lazily and remembered per styles part across plans; see
:mod:`._docx_styles`.

What a block's text is, so that character offsets can anchor Word comments:
the text as a reader sees it with all tracked changes accepted. ``w:ins`` and
``w:moveTo`` text is in, ``w:del``/``w:delText`` and ``w:moveFrom`` are out;
field codes are out and field results in; ``w:tab`` is ``"\\t"``, ``w:br`` and
``w:cr`` are ``"\\n"``, ``w:noBreakHyphen`` is ``"-"``, soft hyphens are
dropped, ``w:sym`` becomes the Unicode character it draws (``"\\ufffd"`` when
it cannot be named); hidden (``w:vanish``) text is out.

Checkboxes (legacy ``FORMCHECKBOX`` fields and ``w14:checkbox`` content
controls) stay part of their paragraph or cell text as written (a content
control's glyph such as "☒" is real text; a legacy box draws nothing), and
each also becomes a FORM_FIELD block right after its host block: ``checked``
is its state and ``text`` the label beside it (the text after the box up to
the next box or line end, else the text before it; "" when there is none).
A form field inside a table carries its host cell's :class:`CellRef`. So a
FORM_FIELD block repeats a few words of the block before it; consumers that
join text may skip FORM_FIELD blocks.

Tables: every visible cell is one TABLE_CELL block, even when empty, so the
grid of combined B/F/E tables stays visible. Its paragraphs are joined by
``"\\n"`` (empty ones left out); a vertically merged continuation cell emits
nothing. Nested tables, text boxes and form fields found in a cell follow
the cell's block. Tables in headers and footers are numbered separately
(from 1) from body tables. A paragraph in a table cell is described by its
cell block: hints (style, heading level, font size) come from the cell's
first non-empty paragraph, ``bold`` is true when all of them are bold.

Hints: ``style`` is the paragraph style's name as Word shows it ("Heading
1"); a style that is, or is based on, Heading N gives ``heading_level`` N
(Title gives 0) from HEADING_STYLE, else an outline level below 9 on the
paragraph or its style gives level+1 from OUTLINE_LEVEL; either makes the
block a HEADING. Numbering (``w:numPr``, direct or by style; ``numId`` 0
removes it) or a style name starting "List" makes a LIST_ITEM. ``bold`` is
true when every visible run is bold (run, character style, paragraph style,
document defaults); ``font_size`` is the size, in points, the paragraph's
visible text starts in; ``body_font_size`` is the size most of the body's
characters are set in.

Placeholders: blocks inside a block-, row- or cell-level content control
showing its placeholder (``w:showingPlcHdr``) are ``placeholder=True``; a
paragraph or cell is also a placeholder when at least half of its visible
characters are the prompt text of run-level placeholder controls.

Known simplifications: table-style conditional formatting (a bold first row
from the table style) is not seen by ``bold``; toggle properties are taken
from the nearest definition; a deleted paragraph mark does not merge the
paragraph with the next one; text hidden only through a character style is
missed in documents with no direct ``w:vanish``. Strict Open XML files are
refused with a hint.

The work is split over package-private modules, each with one job:
``_docx_package`` (the zip, its limits, parts and relationships),
``_docx_styles`` (style chains, resolved lazily and shared across a batch),
``_docx_walk`` (bodies, content controls, tables), ``_docx_paragraph`` (one
paragraph's text and hints), ``_docx_blocks`` (records to Blocks) and
``_docx_xml`` (element names and small element readers). This module only
puts them together and keeps the error contract.
"""

from __future__ import annotations

import re

from .._errors import InputError, TooLarge, Unreadable, UnsupportedFormat
from .._limits import TEXT_LIMIT_OPTIONS, Limits
from .._model import Document, SourceFormat
from ._docx_blocks import body_font_size, finish
from ._docx_package import Package
from ._docx_styles import Styles, style_memo
from ._docx_walk import Walker
from ._docx_xml import BODY, DOCUMENT, STRICT_W_NS, child
from ._drawn_tables import redraw

__all__ = ["read"]

#: Whether document.xml may hold direct hidden-text marks: "vanish" anywhere in
#: its bytes (a compiled pattern scans them faster than ``in``).
_VANISH = re.compile(b"vanish")


def read(data: bytes, limits: Limits) -> Document:
    """Read DOCX ``data`` into a Document; every failure is a typed InputError."""
    try:
        return _read(data, limits)
    except InputError:
        raise
    except RecursionError:
        raise Unreadable("the Word document is nested too deeply to read") from None
    except MemoryError:
        raise
    except Exception as exc:  # the contract: no other exception escapes for any bytes
        raise Unreadable(f"the Word document could not be read ({type(exc).__name__})") from None


#: XML tags the main part may hold per block allowed by ``Limits.max_blocks``:
#: plans run from ten to a few hundred tags a block, so only a runaway part
#: (tens of millions of tags: gigabytes as an lxml tree) is refused unparsed.
TAGS_PER_BLOCK = 200


def _read(data: bytes, limits: Limits) -> Document:
    package = Package(data, limits)
    blob = package.blob(package.main)
    if blob is None:
        raise Unreadable("the Word document has no main document part (word/document.xml)")
    tags = blob.count(b"<")
    if tags > TAGS_PER_BLOCK * limits.max_blocks:
        raise TooLarge(
            f"the Word document's body holds {tags:,} XML tags, over {TAGS_PER_BLOCK} for each "
            f"of the {limits.max_blocks:,} blocks allowed (max_blocks: raise it with "
            f"{TEXT_LIMIT_OPTIONS['max_blocks']} or Limits(max_blocks=...))"
        )
    root = package.xml(package.main, blob)
    if root.tag != DOCUMENT:
        if isinstance(root.tag, str) and root.tag.startswith(f"{{{STRICT_W_NS}}}"):
            raise UnsupportedFormat(
                "this Word document is saved as 'Strict Open XML', which is not supported. "
                "Save it as an ordinary Word Document (.docx) and audit that."
            )
        raise Unreadable("word/document.xml is not a Word document body")
    styles_part = package.related(package.main, "styles")
    fingerprint = package.fingerprint(styles_part)
    styles = Styles(
        lambda: package.stream(styles_part),
        package.parse,
        style_memo(fingerprint) if fingerprint is not None else None,
    )
    walker = Walker(styles, check_vanish=_VANISH.search(blob) is not None)
    body = child(root, BODY)
    if body is not None:
        walker.read(body)
    furniture = Walker(styles)
    for part in package.furniture(walker.sections):
        part_root = package.xml(part)
        if part_root is not None:
            furniture.read(part_root)
    body_size = body_font_size(walker.out)
    # A text export pasted in keeps its drawn tables: read them as tables.
    blocks = redraw(finish(walker.out, body_size))
    limits.budget().admit_all(block.text for block in blocks)  # before any later stage
    return Document(
        format=SourceFormat.DOCX,
        blocks=blocks,
        furniture=finish(furniture.out, body_size),
    )
