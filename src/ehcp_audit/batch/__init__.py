"""Batch audits: many plans, worker processes, a resumable store and board-ready exports.

``ehcp-audit batch PATH... --out OUTDIR`` is the command; this package is its
library::

    from ehcp_audit.batch import BatchOptions, run_batch, open_store
    result = run_batch(["plans/"], BatchOptions(outdir="audit-q3"))
    with open_store("audit-q3") as store:      # read back later (compare does)
        records = store.records()

The per-plan work is the pure :func:`audit_task`, mapped by an executor over
:class:`PlanTask` values; results go into ``OUTDIR/audit.sqlite`` one plan at
a time, and every output file is made from that database.
"""

from __future__ import annotations

from ._run import BatchOptions, BatchResult, key_context, run_batch
from ._store import RunInfo, Store, open_store
from ._task import PlanTask, audit_task, warm_up

__all__ = [
    "BatchOptions",
    "BatchResult",
    "PlanTask",
    "RunInfo",
    "Store",
    "audit_task",
    "key_context",
    "open_store",
    "run_batch",
    "warm_up",
]
