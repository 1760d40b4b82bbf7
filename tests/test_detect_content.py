"""Format detection by content: a BOM, a web page or a mention of "%PDF-" cannot fool it."""

from __future__ import annotations

import pytest

from ehcp_audit import SourceFormat, UnsupportedFormat
from ehcp_audit.cli import main
from ehcp_audit.readers import detect_format, read_bytes

_RTF = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Calibri;}} Section A: all about me\\par}"
_HTML = (
    "<!DOCTYPE html>\n<html><head><title>EHCP</title></head><body>"
    "<h1>Section A: all about me</h1><p>Alex likes trains.</p></body></html>"
)
_WORD_HTM = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=Generator '
    'content="Microsoft Word 15"></head><body><p class=MsoNormal>Section A</p></body></html>'
)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + _RTF,
        _RTF.decode().encode("utf-16"),
        b"\r\n  " + _RTF,
    ],
    ids=["utf8-bom", "utf16", "leading-space"],
)
def test_rtf_behind_a_byte_order_mark(data: bytes) -> None:
    with pytest.raises(UnsupportedFormat) as info:
        detect_format(data)
    assert ".rtf" in info.value.message


@pytest.mark.parametrize(
    "data",
    [
        _HTML.encode(),
        b"\xef\xbb\xbf" + _HTML.encode(),
        _WORD_HTM.encode("utf-16"),  # Word's "Save as Web Page"
        (
            b'<?xml version="1.0"?>\n<!-- saved -->\n<html xmlns="http://www.w3.org/1999/xhtml">'
            b"<body><p>Plan</p></body></html>"
        ),
    ],
    ids=["html", "bom", "word-utf16", "xhtml"],
)
def test_a_web_page_is_refused_naming_html(data: bytes) -> None:
    with pytest.raises(UnsupportedFormat) as info:
        detect_format(data)
    assert "HTML" in info.value.message


def test_a_web_archive_is_refused() -> None:
    data = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n--x\r\n'
    with pytest.raises(UnsupportedFormat) as info:
        detect_format(data)
    assert ".mht" in info.value.message


def test_a_text_plan_quoting_markup_is_still_text() -> None:
    data = b"Section A: all about me\nAlex typed <html> into the computer at school.\n"
    assert detect_format(data) is SourceFormat.TEXT


def test_text_mentioning_a_pdf_header_is_text() -> None:
    data = b"Note: the file sent was %PDF-1.7 and would not open.\n\nSection A: all about me\n"
    assert detect_format(data) is SourceFormat.TEXT


def test_a_pdf_header_at_the_start_is_a_pdf() -> None:
    assert detect_format(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n") is SourceFormat.PDF


def test_a_stray_nul_is_read_and_dropped() -> None:
    data = b"Section A: all about me\n\nAlex\x00 likes trains and swimming.\n"
    document = read_bytes(data)
    assert document.format is SourceFormat.TEXT
    text = " ".join(b.text for b in document.blocks)
    assert "\x00" not in text and "Alex likes trains" in text


def test_binary_with_many_nuls_is_still_refused() -> None:
    with pytest.raises(UnsupportedFormat):
        detect_format(b"\x00\x01\x02\x03" * 500)


def test_cli_exits_2_naming_html(tmp_path, capsys) -> None:
    page = tmp_path / "plan.html"
    page.write_text(_HTML, encoding="utf-8")
    assert main(["check", str(page)]) == 2
    err = capsys.readouterr().err
    assert "unsupported_format" in err and "HTML" in err
