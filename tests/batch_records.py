"""Real batch records for the summary and report tests, audited once per test session.

Each record is what a batch stores for a plan: the ``check --format json``
dict (or its error dict) of a corpus plan, plus the ``batch`` key the run
adds. A duplicate of the first plan is included, as the batch reports one.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import ehcp_audit
from ehcp_audit._errors import EhcpAuditError
from ehcp_audit.reports.json import error_dict

CORPUS = Path(__file__).resolve().parent.parent / "corpus_samples"
# Outstanding, good, requires improvement (docx, text and an unfilled template), a PDF.
PLANS = ("p01.docx", "p02.docx", "p04.docx", "p08.txt", "somerset_blank.docx", "dev1/h02.pdf")
BAD = ("bad/corrupt.pdf",)


def _record(name: str) -> dict[str, Any]:
    path = CORPUS / name
    try:
        record = ehcp_audit.to_dict(ehcp_audit.audit(path))
    except EhcpAuditError as error:
        record = error_dict(error, str(path), None)
    record["batch"] = {"file": name, "duplicate_of": None, "seconds": 0.1, "peak_mb": None}
    return record


@cache
def _records() -> tuple[dict[str, Any], ...]:
    records = [_record(name) for name in PLANS + BAD]
    duplicate = copy.deepcopy(records[0])
    duplicate["batch"] = {
        **duplicate["batch"],
        "file": "copy of p01.docx",
        "duplicate_of": PLANS[0],
    }
    records.append(duplicate)
    return tuple(records)


def batch_records() -> list[dict[str, Any]]:
    """A fresh deep copy of the records (tests may change them)."""
    return copy.deepcopy(list(_records()))


def by_file(records: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(r for r in records if r["batch"]["file"] == name)
