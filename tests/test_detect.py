"""Format detection works from the bytes, and names what it refuses."""

from __future__ import annotations

import io
import zipfile

import pytest

from ehcp_audit import EmptyDocument, Encrypted, SourceFormat, Unreadable, UnsupportedFormat
from ehcp_audit.readers import detect_format


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_pdf_docx_text() -> None:
    assert detect_format(b"%PDF-1.7\n...") is SourceFormat.PDF
    assert (
        detect_format(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}))
        is SourceFormat.DOCX
    )
    assert detect_format("Section A – All about me".encode()) is SourceFormat.TEXT


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"{\\rtf1\\ansi hello}", ".rtf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "JPEG"),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            ".odt",
        ),
        (_zip({"xl/workbook.xml": b"<x/>"}), "Excel"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 64,
            "97-2003 (.doc)",
        ),
        (bytes(range(256)) * 4, "not a recognised"),
    ],
)
def test_unsupported_names_the_format(data: bytes, needle: str) -> None:
    with pytest.raises(UnsupportedFormat) as info:
        detect_format(data)
    assert needle in info.value.message
    assert info.value.code == "unsupported_format"


def test_encrypted_office_container() -> None:
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    )
    with pytest.raises(Encrypted):
        detect_format(data)


def test_empty_and_truncated() -> None:
    with pytest.raises(EmptyDocument):
        detect_format(b"")
    with pytest.raises(EmptyDocument):
        detect_format(b"  \n\t ")
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>" * 500})
    with pytest.raises(Unreadable):
        detect_format(docx[: len(docx) // 2])
