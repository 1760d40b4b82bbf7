"""``annotate``: write a reviewed copy of a plan, the feedback placed in its text.

A Word plan gets a copy with Word comments (:mod:`.annotate_docx`); a PDF
or text plan, which cannot take comments, gets a self-contained HTML review
page (:mod:`.review_html`). Either way the plan is read once, audited from
those bytes, and never written: the copy must go to another file, and a
copy that would replace the plan (the same path, a link to it, the same
file under another name) is refused before any work is done.

    >>> import ehcp_audit.reports.annotate as annotate                # doctest: +SKIP
    >>> annotate.annotate("plan.docx", "plan.reviewed.docx")          # doctest: +SKIP
    Annotated(path=..., kind='docx', comments=12, ...)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from attrs import frozen

from .._atomic import check_target, write_bytes_atomic
from .._audit import audit, load_bytes
from .._errors import OutputError
from .._limits import DEFAULT_LIMITS, Limits
from .._model import PlanAudit, SourceFormat
from ._feedback import gather

if TYPE_CHECKING:
    from .._config import Config
    from ..checks import Policy

__all__ = ["Annotated", "ReviewedCopy", "annotate", "default_output", "reviewed_copy"]


@frozen
class ReviewedCopy:
    """A reviewed copy in memory: its bytes, what kind it is, and how many notes it holds.

    ``suffix`` and ``media_type`` are what a file or a download of it is
    named and served as (``.reviewed.docx``, or ``.review.html``).
    """

    kind: Literal["docx", "html"]
    content: bytes
    notes: int

    @property
    def suffix(self) -> str:
        return ".reviewed.docx" if self.kind == "docx" else ".review.html"

    @property
    def media_type(self) -> str:
        if self.kind == "docx":
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return "text/html; charset=utf-8"


@frozen
class Annotated:
    """What :func:`annotate` wrote: where, which kind of copy, how many notes, and the audit."""

    path: Path
    kind: Literal["docx", "html"]
    comments: int
    result: PlanAudit


def default_output(plan: str | os.PathLike[str], source_format: SourceFormat | str) -> Path:
    """Where the reviewed copy goes by default: beside the plan, ``NAME.reviewed.docx`` or
    ``NAME.review.html``."""
    path = Path(plan)
    if SourceFormat(source_format) is SourceFormat.DOCX:
        return path.with_name(f"{path.stem}.reviewed.docx")
    return path.with_name(f"{path.stem}.review.html")


def annotate(
    plan: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    config: Config | None = None,
    limits: Limits = DEFAULT_LIMITS,
    model: str | None = None,
) -> Annotated:
    """Audit ``plan`` and write its reviewed copy to ``output``; return what was written.

    A DOCX plan gets a DOCX copy with a Word comment on each finding and a
    summary comment with the ratings; a PDF or text plan gets an HTML review
    page. ``output`` defaults to :func:`default_output`; ``config``,
    ``limits`` and ``model`` are :func:`~ehcp_audit.audit`'s. Raises
    :class:`~ehcp_audit.OutputError` when the output is the plan itself or
    cannot be written (checked before the audit), and
    :class:`~ehcp_audit.InputError` for a plan that cannot be audited.
    """
    from .._config import load_config
    from ..checks import load_policy
    from ..readers import detect_format

    data, _ = load_bytes(plan, limits)
    fmt = detect_format(data)
    target = Path(output) if output is not None else default_output(plan, fmt)
    _refuse_source(plan, target)
    try:
        check_target(target)
    except OutputError as error:  # name the file even when the caller did not
        error.path = error.path or os.fspath(target)
        raise
    settings = load_config() if config is None else config
    policy = load_policy(settings)
    result = audit(data, limits=limits, config=settings, model=model)
    copy = reviewed_copy(data, result, policy, title=Path(plan).name, limits=limits)
    write_bytes_atomic(target, copy.content)
    return Annotated(target, copy.kind, copy.notes, result)


def reviewed_copy(
    data: bytes,
    result: PlanAudit,
    policy: Policy | None = None,
    *,
    title: str = "",
    limits: Limits = DEFAULT_LIMITS,
) -> ReviewedCopy:
    """The reviewed copy of a plan's bytes, in memory (nothing is written anywhere).

    ``result`` is the audit of ``data`` under ``policy``; a Word plan gets
    its comments (:func:`~.annotate_docx.annotated_docx`), anything else the
    review page (:func:`~.review_html.review_page`, headed with ``title``).
    For a service that must not keep files: the copy never touches the disk.
    """
    if result.source.format is SourceFormat.DOCX:
        from .annotate_docx import annotated_docx, comment_count

        content = annotated_docx(data, result, policy, limits=limits)
        return ReviewedCopy("docx", content, comment_count(content))
    from .review_html import review_page

    page = review_page(result, policy, title=title)
    return ReviewedCopy("html", page.encode("utf-8"), len(gather(result, policy).notes))


def _refuse_source(plan: str | os.PathLike[str], output: str | os.PathLike[str]) -> None:
    """Refuse an output that is the plan itself: same path, a link to it, or a hard link."""
    same = os.path.realpath(plan) == os.path.realpath(output)
    if not same:
        try:
            same = os.path.samefile(plan, output)
        except OSError:  # the output does not exist yet
            same = False
    if same:
        error = OutputError(
            f"{os.fspath(output)} is the plan itself: the reviewed copy must go to another "
            "file (the plan is never overwritten)"
        )
        error.path = os.fspath(output)
        raise error
