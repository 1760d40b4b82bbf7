"""The versioned JSON document: one schema for every consumer.

``schema_version`` follows a simple contract: the minor number goes up when
fields are added, the major when a field changes meaning or shape. The JSON
Schema is shipped at ``ehcp_audit/schema/audit.schema.json`` and tests
validate real output against it.

Plan text appears here only because the caller asked for the report; the
library never logs it.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
from typing import Any

from .._errors import EhcpAuditError
from .._model import (
    Confidence,
    Cue,
    Evidence,
    Finding,
    Location,
    PlanAudit,
    PlanDetails,
    PrincipleRating,
    Section,
    SectionMetrics,
    UnfilledField,
)
from .._resources import rules_sha256

SCHEMA_VERSION = "1.5"
TOOL_NAME = "ehcp-audit"


def _tool_version() -> str:
    from .. import __version__

    return __version__


def tool_block() -> dict[str, str]:
    return {"name": TOOL_NAME, "version": _tool_version(), "rules_sha256": rules_sha256()}


def location_dict(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {
        "block": location.block,
        "start": location.start,
        "end": location.end,
        "page": location.page,
        "table": location.table,
        "row": location.row,
        "column": location.column,
        "label": location.label,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def details_dict(details: PlanDetails) -> dict[str, Any]:
    return {
        "name": details.name,
        "preferred_name": details.preferred_name,
        "date_of_birth": _plain(details.date_of_birth),
        "age": details.age,
        "year_group": details.year_group,
        "plan_date": _plain(details.plan_date),
        "review_date": _plain(details.review_date),
        "status": details.status,
        "parents": list(details.parents),
    }


def section_dict(section: Section) -> dict[str, Any]:
    return {
        "code": section.code,
        "heading": section.heading,
        "text": section.text,
        "location": location_dict(section.location),
        "found_by": _plain(section.found_by),
        "filled": section.filled,
        "subsections": list(section.subsections),
    }


def unfilled_dict(field: UnfilledField) -> dict[str, Any]:
    return {"text": field.text, "section": field.section, "location": location_dict(field.location)}


def cue_dict(cue: Cue) -> dict[str, Any]:
    return {
        "kind": cue.kind,
        "text": cue.text,
        "section": cue.section,
        "location": location_dict(cue.location),
        "rule": cue.rule,
        "category": cue.category,
        "attributes": {k: _plain(v) for k, v in cue.attributes.items()},
    }


def metrics_dict(metrics: SectionMetrics) -> dict[str, Any]:
    return {
        "section": metrics.section,
        "words": metrics.words,
        "sentences": metrics.sentences,
        "flesch_reading_ease": metrics.flesch_reading_ease,
        "flesch_kincaid_grade": metrics.flesch_kincaid_grade,
    }


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    return {
        "text": evidence.text,
        "section": evidence.section,
        "location": location_dict(evidence.location),
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "level": _plain(finding.level),
        "principles": list(finding.principles),
        "passed": finding.passed,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "evidence": [evidence_dict(e) for e in finding.evidence],
    }


def principle_dict(rating: PrincipleRating) -> dict[str, Any]:
    return {
        "number": rating.number,
        "name": rating.name,
        "rating": _plain(rating.rating),
        "score": rating.score,
        "evidence": [evidence_dict(e) for e in rating.evidence],
        "reasons": list(rating.reasons),
        "confidence": confidence_dict(rating.confidence),
    }


def confidence_dict(confidence: Confidence | None) -> dict[str, Any] | None:
    if confidence is None:
        return None
    return {
        "level": _plain(confidence.level),
        "fragile": list(confidence.fragile),
        "next_level": _plain(confidence.next_level),
        "short_by": confidence.short_by,
        "missing": list(confidence.missing),
    }


def source_dict(path: str | None, sha256: str, fmt: Any, pages: int | None) -> dict[str, Any]:
    return {"path": path, "sha256": sha256, "format": _plain(fmt), "pages": pages}


def to_dict(result: PlanAudit) -> dict[str, Any]:
    """The audit as a JSON-ready dict (see ``audit.schema.json``)."""
    src = result.source
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": tool_block(),
        "source": source_dict(src.path, src.sha256, src.format, src.pages),
        "details": details_dict(result.details),
        "sections": [section_dict(s) for s in result.sections],
        "missing_sections": list(result.missing_sections),
        "unfilled_fields": [unfilled_dict(f) for f in result.unfilled_fields],
        "cues": [cue_dict(c) for c in result.cues],
        "metrics": [metrics_dict(m) for m in result.metrics],
        "findings": [finding_dict(f) for f in result.findings],
        "principles": [principle_dict(p) for p in result.principles],
        "overall": _plain(result.overall),
        "total_score": result.total_score,
        "effective_coproduction": result.effective_coproduction,
    }


def error_dict(
    error: EhcpAuditError, path: str | None, sha256: str | None, fmt: Any = None
) -> dict[str, Any]:
    """The JSON document for a plan that could not be audited.

    ``fmt`` is the detected format when detection got that far (an encrypted
    PDF is still a PDF), so a batch report can group failures by format.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": tool_block(),
        "source": source_dict(path, sha256 or "", fmt, None),
        "error": {"code": error.code, "message": error.message},
    }


def to_json(result: PlanAudit, *, indent: int | None = 2) -> str:
    """The audit as a JSON string."""
    return json.dumps(to_dict(result), indent=indent, ensure_ascii=False)
