"""Property: any bytes give a PlanAudit or a typed InputError, never another exception.

Mutations work at two depths: the raw file bytes (truncation, flipped and
inserted bytes, which mostly exercise the container: zip, PDF xref), and for
DOCX the XML inside a well-formed zip (which exercises our own XML walk).
Each example runs under a deadline so a hang is a failure, not a stall.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ehcp_audit
from ehcp_audit import InputError, Limits

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
DOCX = (CORPUS / "sample_plan.docx").read_bytes()
PDF = next(iter(sorted(CORPUS.glob("p*.pdf")))).read_bytes()
LIMITS = Limits(max_pages=60)

FUZZ = settings(
    max_examples=40,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def audit_or_input_error(data: bytes) -> None:
    try:
        result = ehcp_audit.audit(data, limits=LIMITS)
    except InputError as error:
        assert error.code in ehcp_audit._errors.ERROR_CODES
        assert error.message
        return
    assert isinstance(result, ehcp_audit.PlanAudit)
    ehcp_audit.to_dict(result)  # serialising must not fail either


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 256))]
        else:
            del data[pos:]
    return bytes(data)


def _rezip_with(document_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


DOCUMENT_XML = zipfile.ZipFile(io.BytesIO(DOCX)).read("word/document.xml")


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    audit_or_input_error(data)


@FUZZ
@given(mutated(DOCX))
def test_mutated_docx_bytes(data: bytes) -> None:
    audit_or_input_error(data)


@FUZZ
@given(mutated(DOCUMENT_XML))
def test_mutated_docx_xml_in_valid_zip(xml: bytes) -> None:
    audit_or_input_error(_rezip_with(xml))


@FUZZ
@given(mutated(PDF))
def test_mutated_pdf_bytes(data: bytes) -> None:
    audit_or_input_error(data)
