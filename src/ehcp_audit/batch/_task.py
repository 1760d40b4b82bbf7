"""The pure per-plan function a batch maps over its files: one task in, one record out.

A :class:`PlanTask` says everything a worker needs (the file, the limits,
the configuration file, the model, whether to redact); it is a small frozen
attrs value, so it pickles to worker processes and to Dask workers alike.
:func:`audit_task` never raises for a bad plan: what cannot be audited comes
back as the ``check --format json`` error document, so one bad file never
stops a batch. Plan text is never logged; an unexpected failure is reported
by its exception type only, since a message could quote the plan.

Each worker process builds the spaCy pipeline and loads the rules once
(:func:`warm_up` as the pool's initializer, and caches behind it), which is
what makes a batch faster than a shell loop over ``ehcp-audit check``.
"""

from __future__ import annotations

import sys
import time
from functools import cache
from typing import Any

from attrs import frozen

from .._config import Config, load_config
from .._errors import EhcpAuditError
from .._limits import DEFAULT_LIMITS, Limits

__all__ = ["PlanTask", "audit_task", "batch_block", "warm_up"]

#: The error code of a plan whose audit failed in an unexpected way (a bug, not bad input).
INTERNAL_ERROR = "internal_error"


@frozen
class PlanTask:
    """One plan to audit.

    ``path`` is where the worker reads the file; ``file`` is the name the
    outputs give it (relative to the folder it was found under). ``config``
    is the settings file that won in the parent (None: the built-in rules and
    scoring, never a fresh discovery in the worker, whose folder may differ).
    ``sha256`` is the hash the parent computed when it found the file, if any.
    ``names`` are the names of every file found with this content (this one
    first): with ``redact`` they come back redacted in ``batch.names``, so that
    no file name the batch writes can carry a child's name.
    """

    path: str
    file: str
    limits: Limits = DEFAULT_LIMITS
    config: str | None = None
    model: str | None = None
    redact: bool = False
    sha256: str | None = None
    names: tuple[str, ...] = ()


@cache
def _config(path: str | None) -> Config:
    """The settings for a task, read once per worker (the rules' own cache sees edits)."""
    return Config() if path is None else load_config(path)


#: What a worker's audit imports, for the fork server to import once (its workers fork
#: with them loaded). Not the PDF reader: PDFium is loaded in each worker, never forked.
WORKER_MODULES = (
    "spacy",
    "ehcp_audit._audit",
    "ehcp_audit.checks",
    "ehcp_audit.details",
    "ehcp_audit.nlp._pipeline",
    "ehcp_audit.nlp.components",
    "ehcp_audit.reports.json",
    "ehcp_audit.sections",
    "ehcp_audit.batch._task",
)


def warm_up(config: str | None = None, model: str | None = None) -> None:
    """Build the spaCy pipeline and load the rules now, once per worker process.

    Passed (with its arguments bound) as the executor's initializer, so the
    first plan a worker audits costs no more than the rest. The compiled
    patterns are saved for the next worker (a worker process ends without
    running exit handlers), and everything built so far is frozen out of
    the garbage collector's sweeps: it lives as long as the worker, and
    rescanning it after every few thousand allocations was pure cost.
    """
    import gc

    from .._disk_cache import save_all
    from ..checks import load_policy
    from ..nlp import build_pipeline, model_name

    load_policy(_config(config))
    build_pipeline(model_name(model))
    save_all()  # never raises: a cache that cannot be written only costs the next start
    gc.collect()
    gc.freeze()


def audit_task(task: PlanTask) -> dict[str, Any]:
    """Audit one plan: its ``check --format json`` record, or its error document.

    The record carries an added ``batch`` block (see :func:`batch_block`).
    With ``task.redact`` the personal details are replaced in every string,
    file names included, before the record leaves the worker (the audit
    itself read the real text), and ``batch.names`` lists ``task.names``
    redacted the same way.
    """
    from .._audit import audit
    from ..reports.json import error_dict, to_dict

    started = time.perf_counter()
    record: dict[str, Any]
    try:
        result = audit(task.path, limits=task.limits, model=task.model, config=_config(task.config))
        record = to_dict(result)
    except EhcpAuditError as error:
        record = error_dict(
            error, task.path, getattr(error, "sha256", None), getattr(error, "format", None)
        )
    except MemoryError:  # the worker's address-space backstop, or a real shortage
        record = error_dict(_OutOfMemory(), task.path, task.sha256)
    except Exception as exc:  # one plan's bug must not stop the batch
        record = error_dict(_Internal(type(exc).__name__), task.path, task.sha256)
    if not task.redact:
        record["batch"] = batch_block(task.file, time.perf_counter() - started, _peak_mb())
        return record
    from ..reports.redact import Redactor, redact_record

    redactor = Redactor.for_record(record)  # learns the names from the real details
    record = redact_record(record, redactor)
    names = [redactor.redact_path(name) for name in task.names or (task.file,)]
    record["batch"] = batch_block(names[0], time.perf_counter() - started, _peak_mb())
    record["batch"]["names"] = names
    return record


def batch_block(
    file: str, seconds: float, peak_mb: float | None, duplicate_of: str | None = None
) -> dict[str, Any]:
    """The ``batch`` key added to every record in a batch."""
    return {
        "file": file,
        "duplicate_of": duplicate_of,
        "seconds": round(seconds, 4),
        "peak_mb": peak_mb,
    }


class _Internal(EhcpAuditError):
    """An unexpected failure inside the audit, named by its exception type only."""

    code = INTERNAL_ERROR

    def __init__(self, kind: str) -> None:
        super().__init__(f"the audit failed unexpectedly ({kind}); please report this")


class _OutOfMemory(EhcpAuditError):
    """The audit ran out of memory: the plan is reported, the worker goes on."""

    code = "out_of_memory"

    def __init__(self) -> None:
        super().__init__(
            "the audit ran out of memory; raise --memory-limit, or check the file is a real plan"
        )


def _peak_mb() -> float | None:
    """The worker's peak resident memory so far, in MiB (None where it cannot be read)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
