"""Driven by the label files: every corpus plan in every format, every bad sample."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import ehcp_audit
from ehcp_audit._labels import compare_sections, find_labelled_plans
from ehcp_audit._resources import schema_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
PLANS = list(find_labelled_plans(CORPUS))
BAD = json.loads((CORPUS / "bad" / "expected.json").read_text(encoding="utf-8"))["files"]


def test_corpus_is_broad() -> None:
    ids = {p.labels["id"] for p in PLANS}
    formats = {p.plan_path.suffix for p in PLANS}
    assert len(ids) >= 12
    assert {".docx", ".pdf"} <= formats and formats & {".txt", ".md"}


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.plan_path.name)
def test_section_recall_is_total_and_no_absent_section_reported(plan) -> None:
    result = ehcp_audit.audit(plan.plan_path)
    comparison = compare_sections(result, plan.labels)
    assert comparison.not_found == (), f"sections not found: {comparison.not_found}"
    assert comparison.false_positives == (), (
        f"absent sections reported: {comparison.false_positives}"
    )
    jsonschema.validate(ehcp_audit.to_dict(result), json.loads(schema_path().read_text()))


@pytest.mark.parametrize("name", sorted(BAD), ids=str)
def test_bad_inputs_raise_their_code(name: str) -> None:
    with pytest.raises(ehcp_audit.InputError) as info:
        ehcp_audit.audit(CORPUS / "bad" / name)
    assert info.value.code == BAD[name]
    assert info.value.message and "Traceback" not in info.value.message


def test_blank_somerset_template_is_unfilled() -> None:
    result = ehcp_audit.audit(CORPUS / "somerset_blank.docx")
    assert result.unfilled_fields, "the blank template's {{ fields }} must be listed"
    assert any("{{" in f.text for f in result.unfilled_fields)
    a = result.section("A")
    assert a is not None and not a.filled
