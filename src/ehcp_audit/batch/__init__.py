"""Batch audits: many plans, worker processes, a resumable store and board-ready exports.

``ehcp-audit batch PATH... --out OUTDIR`` is the command; this package is its
library. The per-plan work is the pure :func:`audit_task`, mapped by an
executor over :class:`PlanTask` values.
"""

from __future__ import annotations

from ._task import PlanTask, audit_task, warm_up

__all__ = ["PlanTask", "audit_task", "warm_up"]
