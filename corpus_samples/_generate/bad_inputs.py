"""Write the bad-input corpus: one small file per input error code.

Run ``python corpus_samples/_generate/bad_inputs.py``. It writes
``corpus_samples/bad/`` (the files and ``expected.json``, which maps each file
name to the error code reading it must raise) and, beside the plans,
``corpus_samples/owner_only.pdf`` with its labels: a PDF with an *empty* user
password and an owner password (editing restricted) that must read normally,
because that is how many councils "protect" the plans they send out.

Every file is built from scratch here, byte for byte the same on every run
(fixed zip timestamps, reportlab's invariant mode, seeded filler bytes), so a
regeneration shows up in ``git diff`` only when this script changes. The OLE
compound files (an old Word ``.doc`` and a password-protected ``.docx``) are
assembled sector by sector rather than with a library: they only need to be
structurally valid containers with the right stream names, which is what a
reader inspects to tell them apart.

All people, places and content are fictional.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import pathlib
import struct
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE.parent
BAD = CORPUS / "bad"

ZIP_DATE = (2025, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- small helpers


def _filler(seed: str, size: int) -> bytes:
    """``size`` pseudo-random bytes that are the same on every run (SHA-256 in counter mode)."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def _zip(members: Iterable[tuple[str, bytes, int]]) -> bytes:
    """A zip with fixed timestamps, members in the given order (name, data, compress_type)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = compression
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data)
    return buffer.getvalue()


def _rezip(data: bytes) -> bytes:
    """Rewrite a zip (e.g. python-docx's output) with fixed timestamps so it is byte-stable."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(i.filename, source.read(i), zipfile.ZIP_DEFLATED) for i in source.infolist()]
    return _zip(members)


def _docx(build: Callable[[Any], None]) -> bytes:
    """A real .docx made by python-docx; ``build`` adds the content to the Document."""
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _rezip(buffer.getvalue())


# --------------------------------------------------------------------------- OLE compound files

_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512
_MINI_CUTOFF = 4096
_WORD_CLSID = bytes.fromhex("0609020000000000c000000000000046")  # {00020906-...-000000000046}


def _dir_entry(
    name: str,
    kind: int,
    color: int = 1,
    left: int = _NOSTREAM,
    right: int = _NOSTREAM,
    child: int = _NOSTREAM,
    clsid: bytes = b"\0" * 16,
    start: int = _ENDOFCHAIN,
    size: int = 0,
) -> bytes:
    """One 128-byte directory entry ([MS-CFB] 2.6.1); kind 1 storage, 2 stream, 5 root."""
    encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,
        color,
        left,
        right,
        child,
        clsid,
        0,  # state bits
        0,  # creation time
        0,  # modified time
        start,
        size,
    )


def ole_file(streams: Sequence[tuple[str, bytes]], root_clsid: bytes = b"\0" * 16) -> bytes:
    """A version-3 OLE compound file holding ``streams`` in its root storage.

    Layout: header, one FAT sector, the directory, then each stream in its own
    sector chain. Streams are padded to the 4096-byte mini-stream cutoff so no
    mini FAT is needed. The directory's sibling tree is a balanced binary tree
    in CFB name order (shorter names first, then case-insensitive), coloured
    so it is a valid red-black tree.
    """
    padded = [(n, d + b"\0" * max(0, _MINI_CUTOFF - len(d))) for n, d in streams]
    dir_sectors = -(-(len(padded) + 1) // 4)
    starts, next_free = [], 1 + dir_sectors
    for _name, data in padded:
        starts.append(next_free)
        next_free += -(-len(data) // _SECTOR)
    total = next_free
    if total > _SECTOR // 4:
        raise ValueError("streams too large for a single FAT sector")

    fat = [_FATSECT]
    chains = [(1, dir_sectors)] + [
        (s, -(-len(d) // _SECTOR)) for s, (_n, d) in zip(starts, padded, strict=True)
    ]
    for start, count in chains:
        fat += [start + i + 1 for i in range(count - 1)] + [_ENDOFCHAIN]
    fat += [_FREESECT] * (_SECTOR // 4 - len(fat))

    # Directory: entry 0 is the root, streams are 1..n in the given order.
    order = sorted(range(len(padded)), key=lambda i: (len(padded[i][0]), padded[i][0].upper()))
    left = [_NOSTREAM] * len(padded)
    right = [_NOSTREAM] * len(padded)
    depth = [0] * len(padded)
    full_levels = (len(padded) + 1).bit_length() - 1

    def subtree(lo: int, hi: int, level: int) -> int:
        """Link order[lo:hi] as a balanced subtree; return its root's directory id."""
        if lo >= hi:
            return _NOSTREAM
        mid = (lo + hi) // 2
        i = order[mid]
        depth[i] = level
        left[i] = subtree(lo, mid, level + 1)
        right[i] = subtree(mid + 1, hi, level + 1)
        return i + 1

    top = subtree(0, len(order), 0)
    entries = [_dir_entry("Root Entry", 5, child=top, clsid=root_clsid)]
    for i, (name, data) in enumerate(padded):
        entries.append(
            _dir_entry(
                name,
                2,
                color=0 if depth[i] >= full_levels else 1,
                left=left[i],
                right=right[i],
                start=starts[i],
                size=len(data),
            )
        )
    while len(entries) % 4:
        entries.append(_dir_entry("", 0, color=0))

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift (2**9 = 512)
        6,  # mini sector shift (64)
        b"\0" * 6,
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        _MINI_CUTOFF,
        _ENDOFCHAIN,  # first mini FAT sector
        0,  # mini FAT sectors
        _ENDOFCHAIN,  # first DIFAT sector
        0,  # DIFAT sectors
        0,  # DIFAT[0]: the FAT is sector 0
    )
    header += struct.pack("<I", _FREESECT) * 108
    assert len(header) == _SECTOR
    body = struct.pack(f"<{len(fat)}I", *fat) + b"".join(entries)
    for _name, data in padded:
        body += data + b"\0" * (-len(data) % _SECTOR)
    return header + body


def old_word_doc() -> bytes:
    """A Word 97-2003 container: a WordDocument stream starting with a FIB, and a table stream."""
    fib = struct.pack("<HHHHH", 0xA5EC, 0x00C1, 0, 0x0409, 0)  # wIdent, nFib, unused, lid, pnNext
    return ole_file(
        [("WordDocument", fib + b"\0" * (4096 - len(fib))), ("1Table", b"\0" * 4096)],
        root_clsid=_WORD_CLSID,
    )


def password_docx() -> bytes:
    """What Word saves for a password-protected .docx: an OLE file, not a zip.

    The streams follow [MS-OFFCRYPTO] agile encryption: EncryptionInfo (version
    4.4 and an XML descriptor) and EncryptedPackage (the package size, then
    ciphertext; here seeded filler, since nothing must ever decrypt it).
    """
    salt = base64.b64encode(_filler("salt", 16)).decode()
    key = base64.b64encode(_filler("key", 32)).decode()
    descriptor = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        f'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        f'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        f'saltValue="{salt}"/>'
        '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/'
        'keyEncryptor/password"><p:encryptedKey spinCount="100000" saltSize="16" '
        'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        f'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="{salt}" '
        f'encryptedKeyValue="{key}"/></keyEncryptor></keyEncryptors></encryption>'
    ).encode()
    info = struct.pack("<HHI", 4, 4, 0x40) + descriptor
    package = struct.pack("<Q", 12288) + _filler("package", 4096)
    return ole_file([("EncryptionInfo", info), ("EncryptedPackage", package)])


# --------------------------------------------------------------------------- other containers


def odt() -> bytes:
    """An OpenDocument text file: mimetype stored first and uncompressed, as ODF requires."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        "<office:body><office:text>"
        '<text:h text:outline-level="1">Education, Health and Care Plan</text:h>'
        '<text:h text:outline-level="2">Section A – Views, interests and aspirations</text:h>'
        "<text:p>Tom likes football and drawing. He says school is better when it is quiet."
        "</text:p></office:text></office:body></office:document-content>"
    ).encode()
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        b'manifest:version="1.3">'
        b'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        b'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        b"</manifest:manifest>"
    )
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
            ("content.xml", content, zipfile.ZIP_DEFLATED),
            ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED),
        ]
    )


RTF_LETTER = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}"
    "\r\n"
    r"\f0\fs22 Anyshire County Council\par"
    "\r\n"
    r"SEND Service\par\par"
    "\r\n"
    r"Dear Ms Okafor,\par\par"
    "\r\n"
    r"Please find enclosed the draft Education, Health and Care Plan for Daniel. "
    r"You have 15 days to tell us your views and the school you would like named "
    r"in Section I \'96 please contact your case officer with any questions.\par\par"
    "\r\n"
    r"Yours sincerely,\par"
    "\r\n"
    r"J. Patel, SEN Case Officer\par"
    "\r\n"
    "}\r\n"
).encode("ascii")


def _text_image(lines: Sequence[str], size: tuple[int, int], font_size: int) -> Any:
    """A white greyscale image with ``lines`` of black text, like a scanned page."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_size)
    y = font_size
    for line in lines:
        draw.text((font_size * 2, y), line, fill=20, font=font)
        y += int(font_size * 1.6)
    return image


def png_scan() -> bytes:
    image = _text_image(
        ["Education, Health and Care Plan", "Section A - All about me", "Ruby likes horses."],
        (420, 150),
        18,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --------------------------------------------------------------------------- PDFs


def _pdf_canvas(draw: Callable[[Any], None], **kwargs: Any) -> bytes:
    """A PDF drawn on a reportlab canvas in invariant (byte-stable) mode."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, **kwargs)
    draw(canvas)
    canvas.save()
    return buffer.getvalue()


def _pdf_story(paragraphs: Sequence[tuple[str, str]], **kwargs: Any) -> bytes:
    """A simple flowing PDF of ("h1" | "h2" | "p" | "li", text) paragraphs."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("Body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=6)
    styles = {
        "h1": ParagraphStyle(
            "H1", fontName="Helvetica-Bold", fontSize=17, leading=21, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "H2", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "p": body,
        "li": ParagraphStyle(
            "Li", parent=body, leftIndent=14, bulletIndent=4, bulletFontName="Symbol"
        ),
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        invariant=1,
        **kwargs,
    )
    doc.build(
        [
            Paragraph(escape(text), styles[kind], bulletText="\u2022" if kind == "li" else None)
            for kind, text in paragraphs
        ]
    )
    return buffer.getvalue()


def password_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    def draw(canvas: Any) -> None:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 760, "Education, Health and Care Plan")
        canvas.drawString(72, 740, "Section A - Views, interests and aspirations")

    return _pdf_canvas(
        draw, encrypt=StandardEncryption("open-sesame", ownerPassword="council-owner")
    )


def corrupt_pdf() -> bytes:
    """A PDF header, the start of a real object, then noise: nothing a parser can recover."""
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<<"
        + _filler("corrupt", 3000)
    )


def scanned_pdf() -> bytes:
    """Two pages that are only pictures of text: no text layer at all."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader

    pages = [
        [
            "Education, Health and Care Plan",
            "",
            "Name: Ruby Ellis        Date of birth: 02/02/2015",
            "",
            "Section A - Views, interests and aspirations",
            "Ruby loves horses and drawing. She says she learns best",
            "when the classroom is calm and she can sit near the front.",
            "",
            "Section B - Special educational needs",
            "Ruby has a hearing impairment and uses hearing aids.",
        ],
        [
            "Section F - Special educational provision",
            "Ruby will have a radio aid in all lessons, checked daily",
            "by a teaching assistant.",
            "",
            "Section I - Placement",
            "Hillside Primary School",
        ],
    ]

    def draw(canvas: Any) -> None:
        width, height = A4
        for lines in pages:
            image = _text_image(lines, (827, 1170), 22)  # ~100 dpi A4 page
            canvas.drawImage(ImageReader(image), 0, 0, width, height)
            canvas.showPage()

    return _pdf_canvas(draw)


def blank_pdf() -> bytes:
    return _pdf_canvas(lambda canvas: canvas.showPage())


MINUTES = [
    ("h1", "Millbrook Allotment Society – Committee Meeting Minutes"),
    ("p", "Held on Tuesday 9 September 2025 at 7pm in the Millbrook Village Hall."),
    ("h2", "Present"),
    ("p", "G. Hughes (Chair), P. Lin (Secretary), R. Osborne (Treasurer), M. Dale, S. Kaur."),
    ("h2", "1. Apologies"),
    ("p", "Apologies were received from T. Brennan."),
    ("h2", "2. Minutes of the last meeting"),
    ("p", "The minutes of the meeting held on 8 July 2025 were agreed as a true record."),
    ("h2", "3. Treasurer's report"),
    (
        "p",
        "The society has a balance of £2,315.40. Plot rents for 2026 will stay at £38 for a "
        "full plot and £20 for a half plot. The new water tank cost £412.",
    ),
    ("h2", "4. Plot inspections"),
    (
        "p",
        "Inspections took place on 30 August. Three plots were found to be overgrown and "
        "their holders will receive a friendly reminder letter.",
    ),
    ("li", "Plot 14: brambles along the north fence."),
    ("li", "Plot 22: shed roof needs repair before winter."),
    ("li", "Plot 31: bonfire ash to be cleared."),
    ("h2", "5. Autumn show"),
    (
        "p",
        "The autumn show will be held on Saturday 4 October. S. Kaur will organise the "
        "judging of the largest marrow, and M. Dale will run the cake stall.",
    ),
    ("h2", "6. Any other business"),
    ("p", "The chair thanked everyone who helped repair the main gate."),
    ("p", "Date of next meeting: Tuesday 11 November 2025 at 7pm."),
]


def minutes_pdf() -> bytes:
    return _pdf_story(MINUTES, title="Committee meeting minutes")


# --------------------------------------------------------------------------- DOCX files


def truncated_docx() -> bytes:
    """A real plan-like .docx cut in half: the zip's central directory is gone."""

    def build(document: Any) -> None:
        document.add_heading("Education, Health and Care Plan", 0)
        document.add_heading("Section A – Views, interests and aspirations", 1)
        document.add_paragraph("Sam enjoys building with Lego and going swimming.")
        document.add_heading("Section B – Special educational needs", 1)
        document.add_paragraph("Sam has a diagnosis of dyspraxia.")

    data = _docx(build)
    return data[: len(data) // 2]


def empty_docx() -> bytes:
    """A valid .docx whose body holds no paragraph text (python-docx's blank document)."""
    return _docx(lambda document: None)


def recipe_docx() -> bytes:
    def build(document: Any) -> None:
        d = document
        d.add_heading("Classic Victoria Sponge", 0)
        d.add_paragraph("A light sponge sandwiched with raspberry jam and buttercream. Serves 8.")
        d.add_heading("Ingredients", 1)
        for item in (
            "200g caster sugar",
            "200g softened butter",
            "4 eggs, beaten",
            "200g self-raising flour",
            "1 tsp baking powder",
            "2 tbsp milk",
            "4 tbsp raspberry jam",
        ):
            d.add_paragraph(item, style="List Bullet")
        d.add_heading("Method", 1)
        for step in (
            "Heat the oven to 190C (170C fan) and line two 20cm tins with baking paper.",
            "Beat the sugar and butter together until pale, then add the eggs a little at a time.",
            "Fold in the flour and baking powder, then the milk, until the mix drops off a spoon.",
            "Divide between the tins and bake for 20 minutes until golden.",
            "Cool on a wire rack, then sandwich together with the jam and buttercream.",
        ):
            d.add_paragraph(step, style="List Number")
        d.add_heading("Tips", 1)
        d.add_paragraph("Keep the cake in an airtight tin and eat it within three days.")

    return _docx(build)


ZIPBOMB_UNCOMPRESSED = 300 * 1024 * 1024


def zipbomb_docx() -> bytes:
    """A docx whose word/document.xml inflates to 300 MiB of repeated paragraphs.

    Each paragraph is one 64 KiB word of "z"s, which deflate squeezes about
    1000:1, so the file stays a few hundred KB while its zip directory
    declares far more than the default 200 MiB ``max_uncompressed`` limit.
    """
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    head = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{w}">'
        "<w:body>"
    ).encode()
    tail = b"<w:sectPr/></w:body></w:document>"
    # Long runs of one letter deflate ~1000:1 (a varied sentence only ~300:1).
    para = b"<w:p><w:r><w:t>" + b"z" * 65536 + b"</w:t></w:r></w:p>"
    chunk = para * (1024 * 1024 // len(para))
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" '
        b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compresslevel=9) as archive:
        for name, data in (("[Content_Types].xml", content_types), ("_rels/.rels", rels)):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        info = zipfile.ZipInfo("word/document.xml", date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as member:
            member.write(head)
            written = len(head) + len(tail)
            while written + len(chunk) <= ZIPBOMB_UNCOMPRESSED:
                member.write(chunk)
                written += len(chunk)
            remainder = ZIPBOMB_UNCOMPRESSED - written
            member.write((para * (remainder // len(para) + 1))[:remainder])
            member.write(tail)
    return buffer.getvalue()


# --------------------------------------------------------------------------- owner-password plan

OWNER_ONLY_SECTIONS: list[tuple[str, str, str]] = [
    (
        "A",
        "Section A – Views, interests and aspirations",
        "Ellie is seven and lives with her dad and her grandma in Eastfield. "
        "Ellie says: “I like singing, my cat Pepper and playing tag at break time.” "
        "Her dad says she is happiest when she knows what is coming next.",
    ),
    (
        "B",
        "Section B – Special educational needs",
        "Ellie has a moderate learning difficulty and her reading is about two years "
        "behind that of her classmates. She finds it hard to remember instructions with "
        "more than two steps.",
    ),
    (
        "C",
        "Section C – Health needs",
        "Ellie has no health care needs relating to her special educational needs "
        "(paediatric advice, Dr Amos, 4 April 2025).",
    ),
    (
        "D",
        "Section D – Social care needs",
        "Ellie has no social care needs relating to her special educational needs or disability.",
    ),
    (
        "E",
        "Section E – Outcomes",
        "By July 2026 Ellie will read a book at book band 6 aloud to an adult with "
        "fewer than five errors a page.",
    ),
    (
        "F",
        "Section F – Special educational provision",
        "Ellie will have a 20-minute phonics session with a trained teaching assistant "
        "four times a week. Her teacher will give instructions one step at a time and "
        "check she has understood them.",
    ),
    ("G", "Section G – Health provision", "No health care provision is required."),
    (
        "H1",
        "Section H1 – Social care provision under section 2 of the Chronically Sick and "
        "Disabled Persons Act 1970",
        "No social care provision is required under section 2 of the Act.",
    ),
    (
        "H2",
        "Section H2 – Other social care provision",
        "No other social care provision is required.",
    ),
    ("I", "Section I – Placement", "Eastfield Community Primary School, a mainstream school."),
    (
        "J",
        "Section J – Personal budget",
        "Ellie's dad has not asked for a personal budget at this time.",
    ),
    (
        "K",
        "Section K – Advice and information",
        "Educational psychology advice from Dr Ruth Evans (12 March 2025), advice from "
        "Eastfield Community Primary School (20 March 2025) and the views of Ellie and "
        "her dad (25 March 2025) are appended to this plan.",
    ),
]


def owner_only_pdf() -> bytes:
    """A short plan encrypted with an empty user password: anyone can open and read it."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    paragraphs: list[tuple[str, str]] = [
        ("h1", "Education, Health and Care Plan"),
        ("p", "Name: Ellie Morgan. Date of birth: 15 January 2018. Plan date: 1 May 2025."),
    ]
    for _code, heading, body in OWNER_ONLY_SECTIONS:
        paragraphs += [("h2", heading), ("p", body)]
    encrypt = StandardEncryption(
        "", ownerPassword="anyshire-owner", canPrint=1, canModify=0, canCopy=1, canAnnotate=0
    )
    return _pdf_story(paragraphs, encrypt=encrypt, title="Education, Health and Care Plan")


def owner_only_labels() -> bytes:
    labels = {
        "id": "owner_only",
        "files": ["owner_only.pdf"],
        "age": 7,
        "sections_present": {
            code: " ".join(body.split()[:8]) for code, _heading, body in OWNER_ONLY_SECTIONS
        },
        "sections_absent": [],
    }
    return (json.dumps(labels, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- the manifest

#: file name -> (expected error code, builder, why)
BAD_FILES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "old_word.doc": (
        "unsupported_format",
        old_word_doc,
        "OLE compound file with a WordDocument stream (Word 97-2003)",
    ),
    "document.odt": (
        "unsupported_format",
        odt,
        "OpenDocument text: zip whose stored first member mimetype names ODF text",
    ),
    "letter.rtf": ("unsupported_format", lambda: RTF_LETTER, "Rich Text Format"),
    "scan.png": ("unsupported_format", png_scan, "a PNG image of text, not a document"),
    "truncated.docx": (
        "unreadable",
        truncated_docx,
        "a real docx cut in half: no zip central directory",
    ),
    "corrupt.pdf": ("unreadable", corrupt_pdf, "a PDF header and one object start, then noise"),
    "password.pdf": (
        "encrypted",
        password_pdf,
        "PDF with a user password (open-sesame): cannot be opened without it",
    ),
    "password.docx": (
        "encrypted",
        password_docx,
        "OLE container with EncryptionInfo and EncryptedPackage streams, as Word saves "
        "a password-protected docx",
    ),
    "scanned.pdf": (
        "no_text_layer",
        scanned_pdf,
        "two pages that are only images of text, with no text layer",
    ),
    "empty.docx": ("empty", empty_docx, "a valid docx with no text"),
    "empty.txt": ("empty", lambda: b"", "zero bytes"),
    "blank.pdf": (
        "empty",
        blank_pdf,
        "one blank page: pages but no text and no images, so empty rather than "
        "no_text_layer (no_text_layer is for pages that show something, e.g. a scan)",
    ),
    "recipe.docx": ("not_an_ehcp", recipe_docx, "a real docx: a cake recipe with headings"),
    "minutes.pdf": ("not_an_ehcp", minutes_pdf, "a real PDF: allotment society meeting minutes"),
    "zipbomb.docx": (
        "too_large",
        zipbomb_docx,
        "word/document.xml declares 300 MiB uncompressed (deflated ~1000:1), over the "
        "default 200 MiB max_uncompressed and the 200:1 max_zip_ratio",
    ),
}

#: Files whose bytes do not depend on reportlab, Pillow or zlib versions.
TEXT_FILES = ("letter.rtf", "empty.txt")


def expected_json() -> bytes:
    manifest = {
        "description": (
            "Bad inputs, one or more per input error code. 'files' maps each file in this "
            "folder to the error code reading it must raise; 'notes' says what each file is. "
            "Regenerate with: python corpus_samples/_generate/bad_inputs.py"
        ),
        "files": {name: code for name, (code, _build, _why) in BAD_FILES.items()},
        "notes": {name: why for name, (_code, _build, why) in BAD_FILES.items()},
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def generate(
    bad_dir: pathlib.Path = BAD,
    corpus_dir: pathlib.Path | None = CORPUS,
    only: Iterable[str] | None = None,
) -> list[pathlib.Path]:
    """Write the bad files (all, or just ``only``) and expected.json; return the paths written.

    ``corpus_dir`` receives owner_only.pdf and its labels (skipped when None or
    when ``only`` is given and does not name owner_only.pdf).
    """
    wanted = set(only) if only is not None else None
    bad_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (_code, build, _why) in BAD_FILES.items():
        if wanted is None or name in wanted:
            path = bad_dir / name
            path.write_bytes(build())
            written.append(path)
    if wanted is None or "expected.json" in wanted:
        (bad_dir / "expected.json").write_bytes(expected_json())
        written.append(bad_dir / "expected.json")
    if corpus_dir is not None and (wanted is None or "owner_only.pdf" in wanted):
        (corpus_dir / "owner_only.pdf").write_bytes(owner_only_pdf())
        (corpus_dir / "owner_only.labels.json").write_bytes(owner_only_labels())
        written += [corpus_dir / "owner_only.pdf", corpus_dir / "owner_only.labels.json"]
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=BAD, help="folder for the bad files")
    parser.add_argument(
        "--corpus", type=pathlib.Path, default=CORPUS, help="folder for owner_only.pdf"
    )
    parser.add_argument("only", nargs="*", help="build only these file names")
    args = parser.parse_args(argv)
    for path in generate(args.out, args.corpus, args.only or None):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
