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


@st.composite
def structurally_mutated_xml(draw: st.DrawFn) -> bytes:
    """Well-formed XML with elements removed, duplicated or moved and attributes set to junk.

    Byte mutations mostly break the XML and stop at the parser; these reach
    our own walk over tables, merged cells, content controls and styles.
    """
    import copy

    from lxml import etree

    root = etree.fromstring(DOCUMENT_XML)
    elements = list(root.iter())
    for _ in range(draw(st.integers(1, 12))):
        target = elements[draw(st.integers(1, len(elements) - 1))]
        parent = target.getparent()
        op = draw(st.sampled_from(["remove", "duplicate", "move", "attribute"]))
        if parent is None:
            continue
        if op == "remove":
            parent.remove(target)
        elif op == "duplicate":
            parent.append(copy.deepcopy(target))
        elif op == "move":
            destination = elements[draw(st.integers(0, len(elements) - 1))]
            if destination is not target and target not in destination.iterancestors():
                destination.append(target)
        else:
            name = draw(
                st.sampled_from(["val", "gridSpan", "vMerge", "ilvl", "numId", "sz", "outlineLvl"])
            )
            value = draw(st.sampled_from(["", "-5", "999999999999", "abc", "restart", "0"]))
            target.set(
                f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{name}", value
            )
    return etree.tostring(root)


@FUZZ
@given(structurally_mutated_xml())
def test_structurally_mutated_docx(xml: bytes) -> None:
    audit_or_input_error(_rezip_with(xml))
