"""The bad-input corpus (corpus_samples/bad/) is complete, in sync and reproducible.

These tests check the files themselves, not the reader: that each file named
in expected.json exists and is what it claims to be, that every input error
code has an example, and that regenerating gives the same bytes.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import struct
import zipfile
from types import ModuleType

import pytest

from ehcp_audit._errors import ERROR_CODES
from ehcp_audit._limits import DEFAULT_LIMITS

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus_samples"
BAD = CORPUS / "bad"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def bad_inputs() -> ModuleType:
    path = CORPUS / "_generate" / "bad_inputs.py"
    spec = importlib.util.spec_from_file_location("bad_inputs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    manifest = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
    return manifest["files"]


def test_every_listed_file_exists(expected: dict[str, str]) -> None:
    missing = [name for name in expected if not (BAD / name).is_file()]
    assert missing == []


def test_codes_are_real_and_all_covered(expected: dict[str, str]) -> None:
    assert set(expected.values()) <= set(ERROR_CODES)
    assert set(ERROR_CODES) <= set(expected.values())


def test_no_unlisted_files_in_bad_folder(expected: dict[str, str]) -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.is_file()} - {"expected.json"}
    assert on_disk == set(expected)


def test_manifest_matches_generator(bad_inputs: ModuleType) -> None:
    assert (BAD / "expected.json").read_bytes() == bad_inputs.expected_json()


def test_text_files_regenerate_identically(bad_inputs: ModuleType, tmp_path) -> None:
    names = [*bad_inputs.TEXT_FILES, "expected.json"]
    bad_inputs.generate(tmp_path, corpus_dir=None, only=names)
    for name in names:
        assert (tmp_path / name).read_bytes() == (BAD / name).read_bytes(), name


def test_generation_is_deterministic(bad_inputs: ModuleType, tmp_path) -> None:
    # Binary files depend on reportlab/Pillow/zlib versions, so they are compared
    # run against run rather than against the committed copies. The zip bomb is
    # left out here (it deflates 300 MiB); its shape is checked below.
    names = [n for n in bad_inputs.BAD_FILES if n != "zipbomb.docx"]
    first, second = tmp_path / "1", tmp_path / "2"
    for folder in (first, second):
        (folder / "corpus").mkdir(parents=True)
        bad_inputs.generate(folder, corpus_dir=folder / "corpus", only=[*names, "owner_only.pdf"])
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    for name in ("owner_only.pdf", "owner_only.labels.json"):
        assert (first / "corpus" / name).read_bytes() == (second / "corpus" / name).read_bytes()


def _ole_stream_names(data: bytes) -> set[str]:
    """Stream names from an OLE file's directory (first FAT sector chain, version 3)."""
    assert data[:8] == OLE_MAGIC
    sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
    first_fat = struct.unpack_from("<I", data, 76)[0]
    fat_offset = (first_fat + 1) * sector_size
    fat = struct.unpack_from(f"<{sector_size // 4}I", data, fat_offset)
    sector, names = struct.unpack_from("<I", data, 48)[0], set()
    while sector < 0xFFFFFFFA:
        base = (sector + 1) * sector_size
        for i in range(sector_size // 128):
            entry = data[base + i * 128 : base + (i + 1) * 128]
            length, kind = struct.unpack_from("<HB", entry, 64)
            if kind == 2:
                names.add(entry[: length - 2].decode("utf-16-le"))
        sector = fat[sector]
    return names


def test_old_word_doc_is_an_ole_word_file() -> None:
    names = _ole_stream_names((BAD / "old_word.doc").read_bytes())
    assert "WordDocument" in names


def test_password_docx_is_an_encrypted_ole_package() -> None:
    data = (BAD / "password.docx").read_bytes()
    assert not zipfile.is_zipfile(BAD / "password.docx")
    assert {"EncryptionInfo", "EncryptedPackage"} <= _ole_stream_names(data)


def test_odt_mimetype_is_first_and_stored() -> None:
    with zipfile.ZipFile(BAD / "document.odt") as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"


def test_truncated_docx_is_a_cut_zip() -> None:
    data = (BAD / "truncated.docx").read_bytes()
    assert data.startswith(b"PK\x03\x04")
    assert not zipfile.is_zipfile(BAD / "truncated.docx")


def test_zipbomb_is_small_on_disk_but_declares_too_much() -> None:
    path = BAD / "zipbomb.docx"
    assert path.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(path) as archive:  # reads the directory only
        declared = sum(info.file_size for info in archive.infolist())
        assert "word/document.xml" in archive.namelist()
    assert declared > DEFAULT_LIMITS.max_uncompressed


def test_empty_txt_is_zero_bytes() -> None:
    assert (BAD / "empty.txt").read_bytes() == b""


def test_pdfs_start_with_a_pdf_header(expected: dict[str, str]) -> None:
    for name in (n for n in expected if n.endswith(".pdf")):
        assert (BAD / name).read_bytes().startswith(b"%PDF-"), name


def test_owner_only_pdf_and_labels() -> None:
    pdf = (CORPUS / "owner_only.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/Encrypt" in pdf
    labels = json.loads((CORPUS / "owner_only.labels.json").read_text(encoding="utf-8"))
    assert labels["id"] == "owner_only"
    assert labels["files"] == ["owner_only.pdf"]
    codes = ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K")
    assert tuple(labels["sections_present"]) == codes
    assert labels["sections_absent"] == []


def test_owner_only_pdf_opens_without_a_password() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(CORPUS / "owner_only.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    labels = json.loads((CORPUS / "owner_only.labels.json").read_text(encoding="utf-8"))
    for code, opening in labels["sections_present"].items():
        assert " ".join(opening.split()) in text, code
