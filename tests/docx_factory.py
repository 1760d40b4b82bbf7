"""Build real .docx files for the reader tests.

python-docx makes the package (styles, headers, footers, relationships) the
way a real tool does; what its API cannot write (content controls, text
boxes, tracked changes, legacy form fields, merged cells by hand) is added
as raw WordprocessingML with the small builders below. Everything is
fictional. The XML helpers return strings so a test reads like the markup
it exercises.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.shared import Pt

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
NSDECL = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())


# ------------------------------------------------------------- documents ---


def new_document() -> DocxDocument:
    """A fresh python-docx document (its default template's styles included)."""
    return docx.Document()


def append_xml(doc: DocxDocument, *fragments: str) -> None:
    """Append raw body-level XML (paragraphs, tables, content controls) in order."""
    body = doc.element.body
    sect = body.sectPr
    for fragment in fragments:
        wrapper = parse_xml(f"<w:wrap {NSDECL}>{fragment}</w:wrap>")
        for element in list(wrapper):
            if sect is not None:
                sect.addprevious(element)
            else:
                body.append(element)


def add_style(
    doc: DocxDocument,
    name: str,
    *,
    base: str | None = None,
    kind: str = "paragraph",
    bold: bool | None = None,
    size: float | None = None,
    outline_level: int | None = None,
) -> str:
    """Add a custom style through python-docx; return its style id."""
    style_type = WD_STYLE_TYPE.PARAGRAPH if kind == "paragraph" else WD_STYLE_TYPE.CHARACTER
    style = doc.styles.add_style(name, style_type)
    if base is not None:
        style.base_style = doc.styles[base]
    if bold is not None:
        style.font.bold = bold
    if size is not None:
        style.font.size = Pt(size)
    if outline_level is not None:
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:outlineLvl {NSDECL} w:val="{outline_level}"/>'))
    return style.style_id


def to_bytes(doc: DocxDocument) -> bytes:
    stream = io.BytesIO()
    doc.save(stream)
    return stream.getvalue()


def build(*fragments: str, header: str | None = None, footer: str | None = None) -> bytes:
    """A .docx whose body is ``fragments``, optionally with header/footer text."""
    doc = new_document()
    append_xml(doc, *fragments)
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].text = footer
    return to_bytes(doc)


# ----------------------------------------------------------- XML builders ---


def run(
    text: str = "",
    *,
    bold: bool | None = None,
    size: float | None = None,
    style: str | None = None,
    hidden: bool = False,
    extra: str = "",
) -> str:
    """A ``w:r`` with ``w:t`` text; ``extra`` is raw run content placed after the text."""
    props = ""
    if style is not None:
        props += f'<w:rStyle w:val="{style}"/>'
    if bold is True:
        props += "<w:b/>"
    elif bold is False:
        props += '<w:b w:val="0"/>'
    if hidden:
        props += "<w:vanish/>"
    if size is not None:
        props += f'<w:sz w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    t = f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    return f"<w:r>{rpr}{t}{extra}</w:r>"


def para(
    *content: str,
    style: str | None = None,
    numbered: bool | None = None,
    outline_level: int | None = None,
) -> str:
    """A ``w:p``. Plain strings in ``content`` that do not start with ``<`` become runs."""
    props = ""
    if style is not None:
        props += f'<w:pStyle w:val="{style}"/>'
    if numbered is not None:
        props += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{1 if numbered else 0}"/></w:numPr>'
    if outline_level is not None:
        props += f'<w:outlineLvl w:val="{outline_level}"/>'
    ppr = f"<w:pPr>{props}</w:pPr>" if props else ""
    body = "".join(c if c.startswith("<") else run(c) for c in content)
    return f"<w:p>{ppr}{body}</w:p>"


def cell(*content: str, span: int = 1, vmerge: str | None = None) -> str:
    """A ``w:tc``; ``vmerge`` is "restart" or "continue" for vertical merges."""
    props = ""
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    tcpr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    body = "".join(c if c.startswith("<") else para(c) for c in content) or "<w:p/>"
    return f"<w:tc>{tcpr}{body}</w:tc>"


def row(*cells: str) -> str:
    return "<w:tr>" + "".join(c if c.startswith("<") else cell(c) for c in cells) + "</w:tr>"


def table(*rows: str, columns: int | None = None) -> str:
    """A ``w:tbl``; ``rows`` are ``row(...)`` strings or lists of cell texts."""
    grid = "".join("<w:gridCol/>" for _ in range(columns or 0))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def sdt(content: str, *, placeholder: bool = False, checkbox: bool | None = None) -> str:
    """A content control around ``content`` (block, row, cell or run level alike)."""
    props = '<w:alias w:val="Field"/>'
    if placeholder:
        props += "<w:showingPlcHdr/>"
    if checkbox is not None:
        props += (
            f'<w14:checkbox><w14:checked w14:val="{int(checkbox)}"/>'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
            '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
        )
    return f"<w:sdt><w:sdtPr>{props}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def checkbox_control(checked: bool) -> str:
    """A run-level ``w14:checkbox`` content control showing its glyph, as Word writes it."""
    glyph = "☒" if checked else "☐"
    return sdt(run(glyph), checkbox=checked)


def legacy_checkbox(*, checked: bool | None = None, default: bool = False) -> str:
    """The runs of a legacy ``FORMCHECKBOX`` field (no visible text of its own)."""
    state = f'<w:checked w:val="{int(checked)}"/>' if checked is not None else ""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="{int(default)}"/>'
        f"{state}</w:checkBox></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def field(code: str, result: str) -> str:
    """A complex field: code runs (dropped by readers) then result runs (kept)."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{escape(code)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def inserted(text: str) -> str:
    change = 'w:id="1" w:author="Case Officer" w:date="2026-01-05T10:00:00Z"'
    return f"<w:ins {change}>{run(text)}</w:ins>"


def deleted(text: str) -> str:
    return (
        '<w:del w:id="2" w:author="Case Officer" w:date="2026-01-05T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def moved(text_from: str, text_to: str) -> str:
    """A move: the old place (moveFrom, dropped) and the new one (moveTo, kept)."""
    return (
        f'<w:moveFrom w:id="3" w:author="Case Officer"><w:r><w:delText xml:space="preserve">'
        f"{escape(text_from)}</w:delText></w:r></w:moveFrom>"
        f'<w:moveTo w:id="4" w:author="Case Officer">{run(text_to)}</w:moveTo>'
    )


def textbox(*paragraphs: str) -> str:
    """A floating text box as Word saves it: a DrawingML copy and a VML fallback copy."""
    content = "".join(p if p.startswith("<") else para(p) for p in paragraphs)
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" '
        'simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:extent cx="1828800" cy="914400"/>'
        '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/>"
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape id="Text Box 1" style="width:144pt;height:72pt">'
        f"<v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


# ------------------------------------------------------- package surgery ---


def rewrite(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """A copy of a zip package with each member passed through ``change`` (None drops it)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    return rewrite(data, lambda member, old: content if member == name else old)


def add_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Make the zip directory claim ``name`` inflates to ``size`` bytes (a lying bomb).

    Only the directory entries change, so a reader that inflated the member
    before checking would fail on the damaged data rather than refuse it.
    """
    raw = bytearray(data)
    encoded = name.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    # local file header: signature, ..., uncompressed size at offset 22
    local = info.header_offset
    raw[local + 22 : local + 26] = size.to_bytes(4, "little")
    # central directory entry: find it by its name; uncompressed size at offset 24
    central = raw.find(b"PK\x01\x02", local)
    while central >= 0:
        name_len = int.from_bytes(raw[central + 28 : central + 30], "little")
        if bytes(raw[central + 46 : central + 46 + name_len]) == encoded:
            raw[central + 24 : central + 28] = size.to_bytes(4, "little")
            break
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def texts(blocks: Iterable[object]) -> list[str]:
    return [getattr(b, "text", "") for b in blocks]
