"""The batch engine: the per-plan task, discovery, the store, resuming, exports."""

from __future__ import annotations

import pickle
from pathlib import Path

import ehcp_audit
from ehcp_audit._config import Config
from ehcp_audit.batch import PlanTask, audit_task

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"


def test_audit_task_returns_the_check_json_record_plus_its_batch_block() -> None:
    plan = CORPUS / "p01.docx"
    task = PlanTask(str(plan), "p01.docx")
    record = audit_task(pickle.loads(pickle.dumps(task)))
    batch = record.pop("batch")
    assert record == ehcp_audit.to_dict(ehcp_audit.audit(plan, config=Config()))
    assert batch["file"] == "p01.docx" and batch["duplicate_of"] is None
    assert batch["seconds"] > 0


def test_audit_task_turns_a_bad_plan_into_its_error_document() -> None:
    record = audit_task(PlanTask(str(CORPUS / "bad" / "corrupt.pdf"), "corrupt.pdf"))
    assert set(record) == {"schema_version", "tool", "source", "error", "batch"}
    assert record["error"]["code"] in {"unreadable", "unsupported_format", "empty"}
    assert len(record["source"]["sha256"]) == 64
    missing = audit_task(PlanTask(str(CORPUS / "no-such-plan.docx"), "gone.docx"))
    assert missing["error"]["code"] == "unreadable"
    assert missing["batch"]["file"] == "gone.docx"
