"""The public API: small, pinned, cheap to import, and accepts every source kind."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import ehcp_audit

SAMPLE = Path(__file__).resolve().parents[1] / "corpus_samples" / "sample_plan.docx"

EXPECTED_API = {
    "SCHEMA_VERSION", "Config", "EhcpAuditError", "PlanAudit", "__version__", "audit",
    "audit_text", "load_config", "read", "to_dict", "to_json", "types",
}  # fmt: skip


def test_public_names_are_pinned() -> None:
    assert set(ehcp_audit.__all__) == EXPECTED_API
    assert ehcp_audit.PlanAudit.__module__ == "ehcp_audit"
    assert ehcp_audit.audit.__module__ == "ehcp_audit"


def test_import_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys, ehcp_audit; "
        "names = ('spacy', 'pdfplumber', 'pypdfium2', 'docx', 'lxml'); "
        "heavy = [m for m in names if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_audit_accepts_path_bytes_and_file(tmp_path: Path) -> None:
    from_path = ehcp_audit.audit(SAMPLE)
    from_str = ehcp_audit.audit(str(SAMPLE))
    data = SAMPLE.read_bytes()
    from_bytes = ehcp_audit.audit(data)
    with SAMPLE.open("rb") as handle:
        from_file = ehcp_audit.audit(handle)
    from_buffer = ehcp_audit.audit(io.BytesIO(data))
    codes = [s.code for s in from_path.sections]
    for other in (from_str, from_bytes, from_file, from_buffer):
        assert [s.code for s in other.sections] == codes
        assert other.source.sha256 == from_path.source.sha256
    assert from_path.source.path == str(SAMPLE)
    assert from_bytes.source.path is None
    assert from_file.source.path == str(SAMPLE)


def test_audit_never_modifies_input(tmp_path: Path) -> None:
    copy = tmp_path / "plan.docx"
    copy.write_bytes(SAMPLE.read_bytes())
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    ehcp_audit.audit(copy)
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before


def test_read_returns_document_with_ordered_blocks() -> None:
    document = ehcp_audit.read(SAMPLE)
    assert document.format is ehcp_audit.SourceFormat.DOCX
    assert [b.index for b in document.blocks] == list(range(len(document.blocks)))
    assert len(document.sha256) == 64


def test_missing_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ehcp_audit.Unreadable):
        ehcp_audit.audit(tmp_path / "nope.docx")
    with pytest.raises(ehcp_audit.Unreadable):
        ehcp_audit.audit(tmp_path)


def test_text_mode_file_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match="binary mode"):
        ehcp_audit.audit(io.StringIO("hello"))  # type: ignore[arg-type]


def test_results_are_frozen() -> None:
    result = ehcp_audit.audit(SAMPLE)
    with pytest.raises(AttributeError):
        result.sections = ()  # type: ignore[misc]
