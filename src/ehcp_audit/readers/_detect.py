"""Tell a file's format from its bytes, never from its name.

Plans arrive renamed, mis-extensioned and attached to e-mails; the name is
the least reliable thing about them. We sniff magic numbers and, for zip
and OLE containers, look one level inside to name what the file really is
so the error can say what to convert it to.
"""

from __future__ import annotations

import io
import re
import zipfile

from .._errors import EmptyDocument, Encrypted, Unreadable, UnsupportedFormat
from .._model import SourceFormat
from ._zip_inflate import check_member_count

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
)

_CONVERT_HINT = "Save it as .docx or .pdf (File > Save As in Word or LibreOffice) and audit that."


def detect_format(data: bytes) -> SourceFormat:
    """Return the format to read ``data`` with, or raise a typed input error."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument("the file is empty")
    head = data[:16]
    if _is_pdf(data):
        return SourceFormat.PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(_OLE_MAGIC):
        raise _ole_error(data)
    start = _text_start(data)
    if start.startswith(b"{\\rtf"):
        raise UnsupportedFormat(
            f"this is a Rich Text (.rtf) file, which is not supported. {_CONVERT_HINT}"
        )
    if _HTML_START.match(start):
        raise UnsupportedFormat(
            "this is a web page (HTML, .htm or .html), which is not supported: its markup "
            f"would be read as plan text. {_CONVERT_HINT}"
        )
    if start[:13].lower() == b"mime-version:" and b"multipart/related" in start.lower():
        raise UnsupportedFormat(
            f"this is a web archive (.mht or .mhtml), which is not supported. {_CONVERT_HINT}"
        )
    for magic, what in _IMAGE_MAGIC:
        if head.startswith(magic):
            raise UnsupportedFormat(
                f"this is {what}, not a document. If it is a scanned plan, run it through OCR "
                "and save the result as .docx or a PDF with a text layer."
            )
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise UnsupportedFormat("this is a WebP image, not a document.")
    if _looks_like_text(data):
        return SourceFormat.TEXT
    raise UnsupportedFormat(
        "the file is not a recognised document format (DOCX, PDF or plain text). " + _CONVERT_HINT
    )


def _zip_kind(data: bytes) -> SourceFormat:
    check_member_count(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # never inflate more than needed
                    mimetype = member.read(100)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError) as exc:
        reason = type(exc).__name__
        raise Unreadable(
            f"the file looks like a Word document but is damaged or truncated ({reason})"
        ) from None
    if "word/document.xml" in names:
        return SourceFormat.DOCX
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        kind = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        what = {"text": "an OpenDocument text (.odt) file"}.get(
            kind, f"an OpenDocument {kind} file"
        )
        raise UnsupportedFormat(f"this is {what}, which is not supported. {_CONVERT_HINT}")
    if "xl/workbook.xml" in names:
        raise UnsupportedFormat("this is an Excel workbook (.xlsx), not a plan document.")
    if "ppt/presentation.xml" in names:
        raise UnsupportedFormat("this is a PowerPoint presentation (.pptx), not a plan document.")
    if "[Content_Types].xml" in names:
        raise Unreadable(
            "the file is a Word-style package but has no main document part (word/document.xml)"
        )
    raise UnsupportedFormat(
        "this is a zip archive, not a document. Unzip it and audit the plans inside."
    )


def _ole_error(data: bytes) -> Exception:
    # Directory entry names in an OLE compound file are UTF-16LE; we look for
    # the few that tell the kinds apart without a full OLE parser.
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        return Encrypted(
            "the Word document is password-protected. Remove the password (File > Info > "
            "Protect Document) or ask the sender for an unprotected copy."
        )
    if has("WordDocument"):
        return UnsupportedFormat(
            f"this is an old Word 97-2003 (.doc) document, which is not supported. {_CONVERT_HINT}"
        )
    if has("Workbook"):
        return UnsupportedFormat("this is an old Excel (.xls) workbook, not a plan document.")
    return UnsupportedFormat(
        f"this is an old Microsoft Office file, which is not supported. {_CONVERT_HINT}"
    )


#: A PDF header as PDFium accepts it: anywhere in the first 1,024 bytes.
_PDF_HEADER = re.compile(rb"%PDF-\d")
#: An indirect object ("12 0 obj"): what tells a PDF with bytes before its
#: header from a text that merely mentions "%PDF-".
_PDF_OBJECT = re.compile(rb"\d+[ \t\r\n\f\x00]+\d+[ \t\r\n\f\x00]+obj\b")
#: The start of an HTML page, after any XML declaration, comments and doctype.
_HTML_START = re.compile(
    rb"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _is_pdf(data: bytes) -> bool:
    """A PDF header at the start, or early with the file's objects after it."""
    if data.lstrip()[:5] == b"%PDF-":
        return True
    header = _PDF_HEADER.search(data, 0, 1024)
    return header is not None and _PDF_OBJECT.search(data, header.end(), 65536) is not None


def _text_start(data: bytes) -> bytes:
    """The first 4 KiB as ASCII-compatible bytes: BOM dropped, UTF-16 decoded, spaces stripped.

    RTF and HTML saved by Windows tools often start with a byte-order mark,
    and Word saves web pages in UTF-16.
    """
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    elif head.startswith(_BOMS[0]):
        head = head[3:]
    return head.lstrip(b" \t\r\n\x00")[:4096]


def _looks_like_text(data: bytes) -> bool:
    if data.startswith(_BOMS):
        return True
    sample = data[:8192]
    # Control characters other than tab/newline/carriage return/form feed mean
    # binary; a stray NUL or two (a paste gone wrong) does not.
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(sample) // 200 + 2
