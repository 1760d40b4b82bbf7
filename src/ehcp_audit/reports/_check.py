"""What ``ehcp-audit check`` writes for one or more plans, and whether they meet ``--fail-under``.

The command line only parses arguments and picks a format; the output
itself is made here from the audits, so a program gets the same report
without the CLI. Formats: ``text`` (:mod:`.text`, for a person), ``json``
(:mod:`.json`: one document for one plan, a list of them for several),
``lines`` (:mod:`.lines`) and ``sarif`` (:mod:`.sarif`, one log for all).

``--fail-under`` compares each plan's overall rating with a target, the
way the report shows the rating: a draft is judged as a draft, so the
family's comments on a draft not yet sent do not hold it below the target.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._model import Overall, PlanAudit
from ._fixes import below, judged_ratings
from ._plain import rating_words
from .json import principle_dict, to_dict
from .lines import render_lines
from .sarif import render_sarif
from .text import render_report

if TYPE_CHECKING:
    from ..checks import Policy

__all__ = ["FAIL_UNDER", "FORMATS", "json_document", "render_checks", "shortfalls"]

FORMATS: tuple[str, ...] = ("text", "json", "lines", "sarif")
#: The overall ratings ``--fail-under`` accepts (requires improvement is below both).
FAIL_UNDER: tuple[str, ...] = (Overall.GOOD.value, Overall.OUTSTANDING.value)


def render_checks(
    results: Sequence[PlanAudit],
    policy: Policy,
    fmt: str = "text",
    *,
    errors: Sequence[dict[str, Any]] = (),
    width: int | None = None,
    colour: bool = False,
    verbose: bool = False,
) -> str:
    """The report on ``results`` in ``fmt``.

    ``errors`` are the error documents of plans that could not be audited;
    only the JSON of several plans carries them (the other formats leave
    errors to stderr, where the CLI writes them).
    """
    if fmt == "json":
        documents = [json_document(r, policy) for r in results] + list(errors)
        single = len(documents) == 1
        return json.dumps(documents[0] if single else documents, indent=2, ensure_ascii=False)
    if fmt == "lines":
        return "".join(render_lines(r, policy) for r in results)
    if fmt == "sarif":
        return render_sarif(results, policy)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    reports = [
        render_report(r, policy, width=width, colour=colour, verbose=verbose) for r in results
    ]
    return "\n".join(reports)


def json_document(result: PlanAudit, policy: Policy) -> dict[str, Any]:
    """The audit's JSON document; for a draft judged as a draft, with its ``as_draft`` block.

    The audit's own ratings stay where they are (they are the measurement:
    what the plan shows today); ``as_draft`` adds the ratings the other
    formats give a draft, with the failed after-consultation rules set aside
    and, per principle, the rubric descriptors that wait for the family's
    comments.
    """
    document = to_dict(result)
    judged = judged_ratings(result, policy)
    if judged.as_draft:
        document["as_draft"] = {
            "set_aside": list(judged.set_aside),
            "waiting": {str(n): list(says) for n, says in sorted(judged.waiting.items())},
            "principles": [principle_dict(p) for p in judged.principles],
            "overall": judged.overall.value if judged.overall else None,
            "total_score": judged.total_score,
            "effective_coproduction": judged.effective,
        }
    return document


def shortfalls(results: Sequence[PlanAudit], policy: Policy, target: str) -> list[str]:
    """One line per plan whose overall rating (a draft's as a draft) is below ``target``."""
    wanted = Overall(target)
    lines = []
    for result in results:
        judged = judged_ratings(result, policy)
        if below(judged.overall, wanted):
            rated = rating_words(judged.overall.value if judged.overall else None).lower()
            draft = " (judged as a draft)" if judged.as_draft else ""
            lines.append(
                f"{result.source.path or '<bytes>'}: overall {rated}{draft}, "
                f"below {rating_words(wanted.value).lower()}"
            )
    return lines
