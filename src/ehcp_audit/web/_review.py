"""Audit an uploaded plan and make everything its result page shows, one plan at a time.

No Starlette here: this is the library's work for one upload (the audit,
the check report's text, the review page's parts, the reviewed copy), all
in memory. The web layer runs :meth:`Reviewer.review` in a worker thread,
so the server keeps answering while a plan is audited; the lock makes
audits run one at a time, because the PDF reader (PDFium) is not
thread-safe and one spaCy pipeline is shared.
"""

from __future__ import annotations

import threading

from attrs import evolve, field, frozen

from .._audit import audit
from .._config import Config, load_config
from .._limits import DEFAULT_LIMITS, Limits
from .._model import PlanAudit
from .._resources import sample_plan
from ..checks import Policy, load_policy
from ..reports._check import render_checks
from ..reports.annotate import ReviewedCopy, reviewed_copy
from ..reports.review_html import ReviewParts, review_parts

__all__ = ["REPORT_WIDTH", "Reviewed", "Reviewer"]

#: The check report's width on the page (a terminal's is not known to a server).
REPORT_WIDTH = 100


@frozen
class Reviewed:
    """One audited upload: the audit, the check report's text, the review's parts, the copy."""

    filename: str
    result: PlanAudit
    report: str
    parts: ReviewParts
    copy: ReviewedCopy


@frozen
class Reviewer:
    """What audits uploads: the settings, the rules and scoring, the limits, and the lock.

    ``limits.max_bytes`` is the upload limit. Build one with
    :meth:`from_settings`; the policy is loaded (and checked) there, once,
    so a broken rule file stops the server at start-up, not at the first
    upload.
    """

    config: Config
    policy: Policy
    limits: Limits
    _lock: threading.Lock = field(factory=threading.Lock, init=False, eq=False, repr=False)

    @classmethod
    def from_settings(
        cls, config: Config | None = None, *, max_bytes: int | None = None
    ) -> Reviewer:
        """The reviewer for ``config`` (default: discovered as the CLI does) and an upload limit."""
        settings = load_config() if config is None else config
        limits = (
            DEFAULT_LIMITS if max_bytes is None else evolve(DEFAULT_LIMITS, max_bytes=max_bytes)
        )
        return cls(settings, load_policy(settings), limits)

    @property
    def max_bytes(self) -> int:
        return self.limits.max_bytes

    def review(self, data: bytes, filename: str) -> Reviewed:
        """Audit ``data`` and make its page's parts; raises :class:`~ehcp_audit.InputError`.

        ``filename`` names the plan in the report and on the page (the audit
        of bytes has no path of its own). Blocks while another review runs.
        """
        with self._lock:
            result = audit(data, limits=self.limits, config=self.config)
            result = evolve(result, source=evolve(result.source, path=filename))
            report = render_checks([result], self.policy, "text", width=REPORT_WIDTH)
            parts = review_parts(result, self.policy, title=filename)
            copy = reviewed_copy(data, result, self.policy, title=filename, limits=self.limits)
        return Reviewed(filename, result, report, parts, copy)

    def warm(self) -> None:
        """Review the bundled sample plan once, so the first upload does not pay for loading.

        That loads spaCy and the pipeline, the rules, the DOCX reader and
        python-docx's comments; the PDF reader's library is loaded too.
        """
        from ..readers import pdf  # noqa: F401  (loads PDFium's library)

        self.review(sample_plan().read_bytes(), "sample_plan.docx")
