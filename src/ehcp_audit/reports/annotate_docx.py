"""A reviewed copy of a Word plan: the audit's feedback as Word comments.

A case worker fixes a plan in the document they are editing, so the
feedback goes there: a comment on each sentence a finding is about, on the
section heading when something is missing, and a summary comment with the
ratings on the first paragraph. The comments are python-docx's (1.2+)
``Document.add_comment``, authored "ehcp-audit"; what they say and where
they go is decided in :mod:`._feedback`, how a sentence maps to Word runs
in :mod:`._docx_anchors`.

Only comments are added. The plan's tracked changes (``w:ins``/``w:del``),
content controls (``w:sdt``), tables and formatting stay as they were; a run
is split in two (same properties) only where a sentence starts or ends
inside it. The source is read once and never written.

    >>> from ehcp_audit.reports.annotate_docx import annotated_docx  # doctest: +SKIP
    >>> copy = annotated_docx(data, ehcp_audit.audit(data))          # doctest: +SKIP
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from .._errors import UnsupportedFormat
from .._limits import DEFAULT_LIMITS, Limits
from .._model import PlanAudit
from ._docx_anchors import Anchors
from ._feedback import AUTHOR, INITIALS, Feedback, Note, gather

if TYPE_CHECKING:
    from ..checks import Policy

__all__ = ["annotated_docx", "comment_count"]


def annotated_docx(
    data: bytes,
    result: PlanAudit,
    policy: Policy | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The bytes of a copy of the DOCX ``data`` with the audit ``result`` as Word comments.

    ``result`` must be the audit of these same bytes (its locations index
    their blocks), ``policy`` the rules and scoring it was audited under
    (:func:`~ehcp_audit.checks.load_policy`: it merges the fixes as the text
    report does, puts what is missing on its section's heading and judges a
    draft as a draft). ``limits`` are those the plan was read within.
    ``data`` itself is not changed.
    """
    document = _open(data)
    feedback = gather(result, policy)
    anchors = Anchors(data, document.element.body, result.document.blocks, limits)
    placed, unplaced = _anchor_all(anchors, feedback.notes)
    summary = _summary(feedback, unplaced)
    first = anchors.first_paragraph()
    if first is not None:
        _comment(document, first, summary)
    for note, runs in placed:
        _comment(document, runs, note.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def comment_count(data: bytes) -> int:
    """How many comments a DOCX holds (for reporting what ``annotate`` wrote)."""
    return len(_open(data).comments)


def _open(data: bytes) -> Any:
    """python-docx's Document of ``data``; packages it refuses are UnsupportedFormat."""
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises ValueError, KeyError, PackageNotFoundError...
        raise UnsupportedFormat(
            "comments can only be added to an ordinary Word document (.docx); save a "
            f"template or macro-enabled file as .docx first ({type(exc).__name__})"
        ) from None


def _anchor_all(
    anchors: Anchors, notes: tuple[Note, ...]
) -> tuple[list[tuple[Note, tuple[Any, Any]]], list[Note]]:
    """Each note's first and last run, or the notes that could not be placed.

    Runs are split for every note first and looked up again afterwards: a
    later split inside an earlier note's last run would otherwise cut the
    end of that note's range off.
    """
    for note in notes:
        anchors.runs(note.block, note.start, note.end)
    placed: list[tuple[Note, tuple[Any, Any]]] = []
    unplaced: list[Note] = []
    for note in notes:
        runs = anchors.runs(note.block, note.start, note.end)
        if runs is None:
            unplaced.append(note)
        else:
            placed.append((note, runs))
    return placed, unplaced


def _summary(feedback: Feedback, unplaced: list[Note]) -> str:
    """The summary comment; notes whose place was not found are listed in it with their quote."""
    text = feedback.summary
    if unplaced:
        lines = ["", "Also (the place in the text could not be marked):"]
        for note in unplaced:
            lines.append(f'On "{" ".join(note.quote.split())}":')
            lines.extend(point.text for point in note.points)
        text += "\n" + "\n".join(lines)
    return text


def _comment(document: Any, runs: tuple[Any, Any], text: str) -> None:
    from docx.text.run import Run

    first, last = runs
    document.add_comment(
        [Run(first, document), Run(last, document)], text=text, author=AUTHOR, initials=INITIALS
    )
