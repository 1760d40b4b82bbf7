"""Hostile and odd inputs to the readers end fast, in bounded memory, with a typed error.

Every input is made here, at test time: zip members whose directory lies
about their size, PDFs with a flate stream of gigabytes, entity bombs. The
big ones are built from one compressed megabyte repeated (a deflate stream
may be cut at a full flush and its pieces repeated), so a 2 GiB bomb costs
a millisecond to make and 2 MB to hold. The end-to-end cases run the CLI in
a subprocess that reports its own peak memory (``ru_maxrss``): under 1 GB
and 30 s, exit code 2 and the error code on stderr, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from docx_factory import build, para
from pdf_factory import MARGIN, PAGE_HEIGHT, draw
from pdf_factory import plan_pdf as pdf_plan

from ehcp_audit import EmptyDocument, TooLarge, Unreadable
from ehcp_audit._limits import MIB, Limits
from ehcp_audit._model import SourceFormat
from ehcp_audit.readers import read_bytes
from ehcp_audit.readers._pdf_document import assemble, layout_page
from ehcp_audit.readers._pdf_page import extract_page
from ehcp_audit.readers._pdf_streams import check_streams

GIB = 1024 * MIB
LIMIT_RSS_KIB = 1024 * 1024  # 1 GB, as ru_maxrss reports it on Linux (KiB)


# ------------------------------------------------------------- factories ---


def deflate_bomb(size: int, *, fill: bytes = b" ") -> bytes:
    """Raw deflate data that inflates to ``size`` bytes of ``fill``, made in a millisecond.

    One mebibyte is compressed and ended with a full flush (byte-aligned, no
    reference to what came before), so the piece can be repeated; an empty
    final block closes the stream.
    """
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = deflater.compress(fill * MIB) + deflater.flush(zlib.Z_FULL_FLUSH)
    return piece * (size // MIB) + b"\x03\x00"


def zlib_bomb(size: int) -> bytes:
    """``deflate_bomb`` in a zlib wrapper (header and Adler-32), as a PDF's FlateDecode holds it."""
    # Adler-32 of ``size`` spaces in closed form: A = 1 + 32n, B = n + 32n(n+1)/2.
    a = (1 + 32 * size) % 65521
    b = (size + 32 * size * (size + 1) // 2) % 65521
    return b"\x78\xda" + deflate_bomb(size) + struct.pack(">I", b << 16 | a)


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already-deflated members: (name, raw deflate, CRC-32, declared size)."""
    local, central = bytearray(), bytearray()
    for name, raw, crc, size in members:
        encoded = name.encode()
        header = struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(raw), size, len(encoded), 0
        )
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(raw),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            len(local),
        )
        central += encoded
        local += header + encoded + raw
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0
    )
    return bytes(local + central + end)


def member(name: str, content: bytes) -> tuple[str, bytes, int, int]:
    deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = deflater.compress(content) + deflater.flush()
    return (name, raw, zlib.crc32(content), len(content))


_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
_DOCUMENT = (
    b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Section A: all about me</w:t>'
    b"</w:r></w:p></w:body></w:document>"
)


def lying_docx(size: int, declared: int = 1000, part: str = "word/document.xml") -> bytes:
    """A DOCX whose ``part`` inflates to ``size`` bytes while its directory says ``declared``."""
    members = [
        member("[Content_Types].xml", _CONTENT_TYPES),
        member("word/document.xml", _DOCUMENT),
    ]
    members = [m for m in members if m[0] != part]
    members.append((part, deflate_bomb(size), 0, declared))
    return raw_zip(members)


def entity_bomb_docx() -> bytes:
    """Ten levels of ten entities each: a 'billion laughs' in word/document.xml."""
    levels = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e0 "lol">{levels}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&e9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return raw_zip(
        [member("[Content_Types].xml", _CONTENT_TYPES), member("word/document.xml", xml)]
    )


def one_page_pdf(*streams: bytes) -> bytes:
    """A hand-written one-page PDF; ``streams`` are full stream objects (dict + data)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        *streams,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"/Filter /FlateDecode") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), dictionary, data)


def bomb_pdf(size: int = 2 * GIB) -> bytes:
    return one_page_pdf(stream(zlib_bomb(size)))


#: The password padding of the PDF standard security handler (ISO 32000-1, 7.6.3.3).
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for k, byte in enumerate(data):
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out[k] = byte ^ s[(s[i] + s[j]) & 255]
    return bytes(out)


def encrypted_bomb_pdf(size: int = 2 * GIB) -> bytes:
    """``bomb_pdf`` encrypted (RC4 40-bit, empty user password, as "no editing" PDFs are).

    The stream is ciphertext in the file, so only a scan of what PDFium
    decrypts can see the bomb.
    """
    ident = b"0123456789abcdef"
    owner = _rc4(hashlib.md5(b"owner" + _PAD[:27]).digest()[:5], _PAD)
    key = hashlib.md5(_PAD + owner + (-4).to_bytes(4, "little", signed=True) + ident).digest()[:5]
    object_key = hashlib.md5(key + (4).to_bytes(3, "little") + b"\x00\x00").digest()[:10]
    encrypt = b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >> /ID [<%s><%s>]" % (
        owner.hex().encode(),
        _rc4(key, _PAD).hex().encode(),
        ident.hex().encode(),
        ident.hex().encode(),
    )
    data = one_page_pdf(stream(_rc4(object_key, zlib_bomb(size))))
    return data.replace(b"/Root 1 0 R >>", b"/Root 1 0 R " + encrypt + b" >>")


# ------------------------------------------------------------------- DOCX ---


def test_a_part_whose_directory_lies_is_stopped_by_its_real_ratio() -> None:
    data = lying_docx(2 * GIB)
    assert len(data) < 3 * MIB
    start = time.perf_counter()
    with pytest.raises(TooLarge) as info:
        read_bytes(data)
    assert time.perf_counter() - start < 5
    assert "compression ratio" in info.value.message and "200 to 1" in info.value.message


def test_the_real_bytes_are_counted_against_the_unpacked_limit() -> None:
    limits = Limits(max_uncompressed=8 * MIB, max_zip_ratio=1e9)
    with pytest.raises(TooLarge) as info:
        read_bytes(lying_docx(64 * MIB), limits)
    message = info.value.message
    assert "8 MiB limit" in message and "--max-uncompressed-mb" in message


def test_a_lying_styles_part_is_refused_too() -> None:
    data = raw_zip(
        [
            member("[Content_Types].xml", _CONTENT_TYPES),
            member("word/document.xml", _DOCUMENT),
            member(
                "word/_rels/document.xml.rels",
                b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/relationships/styles" '
                b'Target="styles.xml"/></Relationships>',
            ),
            ("word/styles.xml", deflate_bomb(512 * MIB), 0, 1000),
        ]
    )
    limits = Limits(max_uncompressed=8 * MIB, max_zip_ratio=1e9)
    with pytest.raises(TooLarge):
        read_bytes(data, limits)


def test_a_zip_of_very_many_members_is_refused_before_it_is_listed() -> None:
    members = [
        member("[Content_Types].xml", _CONTENT_TYPES),
        member("word/document.xml", _DOCUMENT),
    ]
    members += [(f"{k:x}", b"", 0, 0) for k in range(20_000)]
    with pytest.raises(TooLarge) as info:
        read_bytes(raw_zip(members))
    assert "20,002 members, over the limit of 10,000" in info.value.message


def test_a_part_that_differs_from_its_directory_entry_is_damaged() -> None:
    name, raw, crc, size = member("word/document.xml", _DOCUMENT)
    data = raw_zip([member("[Content_Types].xml", _CONTENT_TYPES), (name, raw, crc, size - 7)])
    with pytest.raises(Unreadable) as info:
        read_bytes(data)
    assert "does not match" in info.value.message


def test_an_honest_package_reads_as_before() -> None:
    data = raw_zip(
        [member("[Content_Types].xml", _CONTENT_TYPES), member("word/document.xml", _DOCUMENT)]
    )
    document = read_bytes(data)
    assert [b.text for b in document.blocks] == ["Section A: all about me"]
    assert read_bytes(build(para("Alex likes trains."))).blocks[0].text == "Alex likes trains."


def test_an_entity_bomb_is_named_as_one() -> None:
    with pytest.raises(Unreadable) as info:
        read_bytes(entity_bomb_docx())
    assert "entity expansion" in info.value.message
    assert "not well-formed" not in info.value.message


# -------------------------------------------------------------------- PDF ---


def test_a_pdf_flate_bomb_is_refused_before_pdfium_opens_it() -> None:
    data = bomb_pdf()
    assert len(data) < 3 * MIB
    start = time.perf_counter()
    with pytest.raises(TooLarge) as info:
        read_bytes(data)
    assert time.perf_counter() - start < 5
    assert "compression ratio" in info.value.message


def test_an_encrypted_pdf_is_scanned_as_pdfium_decrypts_it() -> None:
    data = encrypted_bomb_pdf(256 * MIB)
    check_streams(data, Limits())  # ciphertext: nothing to see before PDFium opens it
    with pytest.raises(TooLarge) as info:
        read_bytes(data)
    assert "compression ratio" in info.value.message


def test_pdf_streams_count_against_the_unpacked_limit() -> None:
    limits = Limits(max_uncompressed=8 * MIB, max_zip_ratio=1e9)
    with pytest.raises(TooLarge) as info:
        check_streams(bomb_pdf(64 * MIB), limits)
    assert "8 MiB limit" in info.value.message and "--max-uncompressed-mb" in info.value.message


@pytest.mark.parametrize(
    "dictionary",
    [
        b"/Filter [/FlateDecode /FlateDecode]",  # a chain: the bomb is the inner layer
        b"/Filter 9 0 R",  # an indirect filter the scan cannot resolve
        b"/Filter /Fl",  # abbreviated
        b"",  # no filter declared at all: PDFium would not inflate, but the bytes decide
    ],
)
def test_the_bytes_decide_not_the_declared_filter(dictionary: bytes) -> None:
    inner = zlib_bomb(64 * MIB)
    if b"FlateDecode /FlateDecode" in dictionary:
        inner = zlib.compress(inner, 9)
    limits = Limits(max_uncompressed=8 * MIB, max_zip_ratio=1e9)
    with pytest.raises(TooLarge):
        check_streams(one_page_pdf(stream(inner, dictionary)), limits)


def test_an_image_is_held_to_its_declared_size_only() -> None:
    # A blank 2000 x 2000 scan compresses a thousand to one: not a bomb.
    blank = zlib.compress(b"\xff" * (2000 * 2000), 9)
    image = b"/Type /XObject /Subtype /Image /Width 2000 /Height 2000 /BitsPerComponent 8 "
    image += b"/ColorSpace /DeviceGray /Filter /FlateDecode"
    check_streams(one_page_pdf(stream(b"q Q"), stream(blank, image)), Limits())
    # The same dictionary round a stream far bigger than 1 x 1 pixels is a bomb.
    lying = image.replace(b"/Width 2000 /Height 2000", b"/Width 1 /Height 1")
    with pytest.raises(TooLarge) as info:
        check_streams(one_page_pdf(stream(zlib_bomb(64 * MIB), lying)), Limits())
    assert "image it declares" in info.value.message


def test_the_scan_itself_cannot_be_made_slow() -> None:
    """50 MB of tiny streams, or of streams nested in each other's bytes, ends in seconds."""
    tiny = b"%PDF-1.4\n" + b"stream\nx\xda\x03\x00\x00\x00\x00\x01" * 3_000_000
    start = time.perf_counter()
    with pytest.raises(TooLarge) as info:
        check_streams(tiny, Limits())
    assert "compressed streams, far more than any plan" in info.value.message
    # Each stream's data is a stored block holding the next stream's start.
    nested = b"%PDF-1.4\nstream\nx\x01" + (b"\x00\x09\x00\xf6\xffstream\nx\x01") * 3_500_000
    with pytest.raises(Unreadable) as overlap:
        check_streams(nested, Limits())
    assert "overlap" in overlap.value.message
    assert time.perf_counter() - start < 15


def test_images_are_inflated_within_a_budget() -> None:
    image = b"/Subtype /Image /Width 99999 /Height 99999 /BitsPerComponent 8 /Filter /FlateDecode"
    data = one_page_pdf(*[stream(zlib_bomb(64 * MIB), image) for _ in range(3)])
    with pytest.raises(TooLarge) as info:
        check_streams(data, Limits(max_uncompressed=32 * MIB))
    assert "images unpack to more than 128 MiB" in info.value.message


def _layouts(pages: int) -> list:
    import pypdfium2 as pdfium

    def paint(c, number: int) -> None:
        c.setFont("Helvetica", 10)
        for line in range(45):
            y = PAGE_HEIGHT - MARGIN - line * 14
            c.drawString(MARGIN, y, f"Page {number} line {line}: Alex reads with an adult daily.")

    pdf = pdfium.PdfDocument(draw(pages, paint))
    try:
        return [layout_page(extract_page(pdf[k], k + 1)) for k in range(pages)]
    finally:
        pdf.close()


def test_assembling_pages_grows_linearly_with_the_page_count() -> None:
    layouts = _layouts(300)

    def per_page(count: int) -> float:
        best = min(_timed(lambda: assemble(layouts[:count])) for _ in range(3))
        return best / count

    small, large = per_page(25), per_page(300)
    # Quadratic frames made this 20 times and more; a shared machine is noisy.
    assert large < 1.5 * small, f"{large * 1000:.2f} ms/page at 300 vs {small * 1000:.2f} at 25"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ------------------------------------------------------------ text limits ---


def test_a_text_plan_stops_at_the_block_limit_while_it_is_read() -> None:
    data = b"Word.\n\n" * 2_000_000  # 14 MB of one-word paragraphs
    start = time.perf_counter()
    with pytest.raises(TooLarge) as info:
        read_bytes(data, Limits(max_blocks=1000))
    assert time.perf_counter() - start < 10
    assert "--max-blocks" in info.value.message


def test_a_runaway_docx_body_is_refused_before_it_is_parsed() -> None:
    """150 MB of XML would be gigabytes as a tree: the tags are counted first (3.6 M here)."""
    body = b"".join(b"<w:p><w:r><w:t>Word %d.</w:t></w:r></w:p>" % k for k in range(600_000))
    xml = _DOCUMENT.replace(b"<w:body>", b"<w:body>" + body)
    data = raw_zip(
        [member("[Content_Types].xml", _CONTENT_TYPES), member("word/document.xml", xml)]
    )
    start = time.perf_counter()
    with pytest.raises(TooLarge) as info:
        read_bytes(data, Limits(max_blocks=10_000))
    assert time.perf_counter() - start < 5
    assert "XML tags" in info.value.message and "--max-blocks" in info.value.message


@pytest.mark.parametrize(
    ("make", "limits", "option"),
    [
        (
            lambda: build(*(para(f"Paragraph {k}.") for k in range(60))),
            Limits(max_blocks=50),
            "--max-blocks",
        ),
        (lambda: build(para("x" * 5000)), Limits(max_block_chars=4000), "--max-block-chars"),
        (pdf_plan, Limits(max_plan_chars=2000), "--max-plan-chars"),
    ],
    ids=["docx-blocks", "docx-block-chars", "pdf-plan-chars"],
)
def test_docx_and_pdf_blocks_are_held_to_the_text_limits(make, limits: Limits, option: str) -> None:
    with pytest.raises(TooLarge) as info:
        read_bytes(make(), limits)
    assert option in info.value.message


# ------------------------------------------------------- format detection ---


def test_text_that_mentions_a_pdf_header_is_text() -> None:
    data = b"Section A: all about me\nThe old plan was a %PDF-1.4 file.\nAlex likes trains.\n"
    document = read_bytes(data)
    assert document.format is SourceFormat.TEXT
    assert "Alex likes trains." in " ".join(b.text for b in document.blocks)


def test_a_pdf_with_bytes_before_its_header_is_still_a_pdf() -> None:
    data = b"junk from a mail gateway\r\n" + one_page_pdf(stream(zlib.compress(b"q Q")))
    with pytest.raises(EmptyDocument):  # no text on its page: read as a PDF, not as text
        read_bytes(data)


# ----------------------------------------------------------- end to end ---

_MEASURE = """
import json, resource, sys, time
from ehcp_audit.cli import main
start = time.perf_counter()
code = main(["check", sys.argv[1], "--format", "json"])
print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("lying.docx", lambda: lying_docx(2 * GIB), "too_large"),
        ("bomb.pdf", bomb_pdf, "too_large"),
        ("encrypted-bomb.pdf", encrypted_bomb_pdf, "too_large"),
        ("entities.docx", entity_bomb_docx, "unreadable"),
    ],
)
def test_cli_ends_fast_in_bounded_memory(tmp_path: Path, name: str, make, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert f"error: {code}:" in proc.stderr or f": {code}:" in proc.stderr, proc.stderr
    measured = json.loads(proc.stdout.strip().splitlines()[-1])
    assert measured["code"] == 2
    assert measured["seconds"] < 30
    assert measured["rss_kib"] < LIMIT_RSS_KIB, f"peak {measured['rss_kib'] / 1024:.0f} MiB"
