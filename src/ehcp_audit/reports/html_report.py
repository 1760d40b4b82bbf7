"""The batch report for a partnership board: one self-contained HTML file.

A board member opens ``report.html`` from a shared drive or an e-mail, on
a council laptop that may block scripts and the internet: so the page is
one file with inline CSS and inline SVG only, no script, no fonts, images or
links outside itself, and every value from a plan is escaped (plan text is
untrusted input). It reads, in order:

1. the headline: the share of plans showing effective co-production against
   the target, with its 95% interval and whether the target is met;
2. the six principles as stacked bars (room for improvement / good /
   excellent) with the same figures as a table, the overall ratings, and
   how complete each statutory section is;
3. the plans needing attention first: those that could not be audited, those
   that require improvement (lowest score first), then those whose ratings
   are least certain;
4. a page per plan (a section with its own anchor): its ratings, what the
   evidence shows for each principle with a short quote, the main gaps and
   next steps, all in board language with no rule identifiers;
5. optionally, how the figures moved since the last round (``comparison``).

Quoted evidence is whatever the records hold: with ``--redact`` the batch
has already replaced personal details before the records reach this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from attrs import frozen

from . import _plain
from ._html_style import CSS
from ._svg import PATTERNS, Segment, legend, share_gauge, stacked_bars

__all__ = ["render_report"]

Record = Mapping[str, Any]

RATING_KEYS = ("room_for_improvement", "good", "excellent")
OVERALL_KEYS = ("requires_improvement", "good", "outstanding")
_SYMBOL = {
    "room_for_improvement": "✗",
    "requires_improvement": "✗",
    "good": "✓",
    "excellent": "★",
    "outstanding": "★",
}
_CONFIDENCE = {"low": "Low", "medium": "Medium", "high": "High"}
_STEPS_SHOWN = 5
_WEAK = ("requires_improvement",)
#: The statutory sections of an EHCP (SEND Code of Practice 9.62), for the completeness table.
SECTION_NAMES = {
    "A": "views, interests and aspirations",
    "B": "special educational needs",
    "C": "health needs",
    "D": "social care needs",
    "E": "outcomes",
    "F": "special educational provision",
    "G": "health provision",
    "H": "social care provision",
    "I": "placement",
    "J": "personal budget",
    "K": "advice and information",
}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _file(record: Record) -> str:
    batch = record.get("batch") or {}
    return str(batch.get("file") or (record.get("source") or {}).get("path") or "unnamed plan")


def _rating(value: str | None) -> str:
    key = value or "error"
    symbol = _SYMBOL.get(key, "")
    return (
        f'<span class="rating {_e(key)}">'
        f'<span aria-hidden="true">{symbol} </span>{_e(_plain.rating_words(value))}</span>'
    )


# -- which plans, in what order -------------------------------------------------------------


def _split(records: Sequence[Record]) -> tuple[list[Record], dict[str, list[str]]]:
    """The unique plans (in file order) and, for each, the other names its content has."""
    plans: list[Record] = []
    copies: dict[str, list[str]] = {}
    for record in records:
        original = (record.get("batch") or {}).get("duplicate_of")
        if original:
            copies.setdefault(str(original), []).append(_file(record))
        else:
            plans.append(record)
    plans.sort(key=_file)
    return plans, copies


@frozen
class _Attention:
    """The plans to look at first, in three groups, each plan with its reason."""

    errors: tuple[Record, ...]
    weak: tuple[Record, ...]
    uncertain: tuple[Record, ...]  # least certain first, as the summary ranks them


def _attention(plans: Sequence[Record], summary: Mapping[str, Any]) -> _Attention:
    """Could not be audited; requires improvement, lowest score first; least certain."""
    errors = tuple(r for r in plans if _plain.is_error(r))
    weak = tuple(
        sorted(
            (r for r in plans if not _plain.is_error(r) and r.get("overall") in _WEAK),
            key=lambda r: (r.get("total_score") or 0, _file(r)),
        )
    )
    by_file = {_file(r): r for r in plans}
    uncertain = tuple(
        by_file[str(e.get("file"))]
        for e in summary.get("least_certain") or ()
        if str(e.get("file")) in by_file
    )
    return _Attention(errors, weak, uncertain)


# -- the page, part by part ------------------------------------------------------------------


def _headline(summary: Mapping[str, Any]) -> str:
    effective = summary.get("effective") or {}
    share, interval = effective.get("share"), effective.get("ci95")
    target = float(effective.get("target", summary.get("target", 0.9)))
    met = effective.get("met")
    count, of = effective.get("count", 0), effective.get("of", 0)
    if met is None:
        verdict = '<p class="verdict">No plan could be rated, so the target cannot be judged.</p>'
    elif met:
        verdict = f'<p class="verdict met">✓ Target of {target:.0%} met</p>'
    else:
        verdict = f'<p class="verdict not-met">✗ Target of {target:.0%} not met</p>'
    spread = ""
    if interval:
        spread = (
            f"<p>Allowing for chance with this many plans, the true share is likely to be "
            f"between <strong>{_pct(interval[0])}</strong> and "
            f"<strong>{_pct(interval[1])}</strong> "
            f"({_e(effective.get('method', '95% interval'))}).</p>"
        )
    facts = [
        (summary.get("files", 0), "files found"),
        (summary.get("plans", 0), "different plans (same content counted once)"),
        (summary.get("audited", 0), "plans audited"),
        (summary.get("errors", 0), "could not be audited"),
        (_pct((summary.get("child_voice") or {}).get("share")), "with the child's own views"),
        (
            _pct((summary.get("three_agencies") or {}).get("share")),
            "with advice from education, health and social care",
        ),
    ]
    items = "".join(f"<li><strong>{_e(v)}</strong> {_e(k)}</li>" for v, k in facts)
    return (
        '<section id="headline" aria-labelledby="headline-h"><h2 id="headline-h">'
        "Effective co-production</h2>"
        '<div class="headline">'
        f'<p class="figure" id="headline-figure">{_pct(share)}'
        f"<small>of audited plans show effective co-production ({_e(count)} of {_e(of)})"
        "</small></p>"
        f"{verdict}{spread}</div>"
        '<figure aria-labelledby="headline-cap">'
        f"{share_gauge(share, interval, target)}"
        '<figcaption id="headline-cap">The blue bar is the share of plans rated good or '
        "outstanding overall; the yellow line is its 95% interval; the dashed line is the target."
        "</figcaption></figure>"
        f'<ul class="facts" aria-label="The batch in numbers">{items}</ul>'
        '<p class="muted">Shares are of the different plans that could be audited: plans that '
        "could not be audited, and copies of a plan under another name, are left out.</p>"
        "</section>"
    )


def _principles(summary: Mapping[str, Any]) -> str:
    principles = summary.get("principles") or {}
    rows, descriptions, table = [], [], []
    for number in sorted(principles, key=int):
        row = principles[number]
        name = str(row.get("name", ""))
        counts = [int(row.get(k, 0)) for k in RATING_KEYS]
        segments = [
            Segment(k, _plain.rating_words(k), c) for k, c in zip(RATING_KEYS, counts, strict=True)
        ]
        rows.append((f"{number}. {name}", segments))
        words = ", ".join(
            f"{c} {_plain.rating_words(k).lower()}"
            for k, c in zip(RATING_KEYS, counts, strict=True)
        )
        descriptions.append(f"Principle {number}: {words}.")
        total = sum(counts)
        cells = "".join(
            f'<td class="num">{c} <span class="muted">({_pct(c / total if total else None)})'
            "</span></td>"
            for c in counts
        )
        table.append(f'<tr><th scope="row">{_e(number)}. {_e(name)}</th>{cells}</tr>')
    chart = stacked_bars(
        "principle-chart",
        "Ratings for each of the six co-production principles",
        rows,
        " ".join(descriptions),
    )
    head = "".join(
        f'<th scope="col" class="num">{_e(_plain.rating_words(k))}</th>' for k in RATING_KEYS
    )
    return (
        '<section id="principles" aria-labelledby="principles-h">'
        '<h2 id="principles-h">The six principles</h2>'
        "<p>How many plans reach each level of York's co-production principles.</p>"
        f"{legend([(k, _plain.rating_words(k)) for k in RATING_KEYS])}"
        f'<figure aria-labelledby="principle-cap">{chart}'
        '<figcaption id="principle-cap">Each bar is one principle; the numbers are plans. '
        "The same figures are in the table below.</figcaption></figure>"
        '<table id="rating-table"><caption>Plans at each level, by principle</caption>'
        f'<thead><tr><th scope="col">Principle</th>{head}</tr></thead>'
        f"<tbody>{''.join(table)}</tbody></table>"
        f"{_overall(summary)}{_sections(summary)}</section>"
    )


def _overall(summary: Mapping[str, Any]) -> str:
    overall = summary.get("overall") or {}
    counts = [int(overall.get(k, 0)) for k in OVERALL_KEYS]
    segments = [
        Segment(k, _plain.rating_words(k), c) for k, c in zip(OVERALL_KEYS, counts, strict=True)
    ]
    words = ", ".join(
        f"{c} {_plain.rating_words(k).lower()}" for k, c in zip(OVERALL_KEYS, counts, strict=True)
    )
    chart = stacked_bars(
        "overall-chart",
        "Overall ratings",
        [("All audited plans", segments)],
        f"Overall: {words}.",
        label_width=160,
    )
    cells = "".join(f'<td class="num">{c}</td>' for c in counts)
    head = "".join(
        f'<th scope="col" class="num">{_e(_plain.rating_words(k))}</th>' for k in OVERALL_KEYS
    )
    return (
        "<h3>Overall ratings</h3>"
        "<p>Good and outstanding plans count as showing effective co-production.</p>"
        f"{legend([(k, _plain.rating_words(k)) for k in OVERALL_KEYS])}"
        f"<figure>{chart}</figure>"
        "<table><caption>Plans by overall rating</caption>"
        f"<thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table>"
    )


def _sections(summary: Mapping[str, Any]) -> str:
    rows = []
    for code, row in (summary.get("sections") or {}).items():
        rows.append(
            f'<tr><th scope="row">{_e(code)}: {_e(SECTION_NAMES.get(code, ""))}</th>'
            f'<td class="num">{_e(row.get("present", 0))}</td>'
            f'<td class="num">{_e(row.get("filled", 0))}</td>'
            f'<td class="num">{_pct(row.get("share_filled"))}</td></tr>'
        )
    return (
        "<h3>Are the plans complete?</h3>"
        "<table><caption>Statutory sections found and filled in</caption>"
        '<thead><tr><th scope="col">Section</th><th scope="col" class="num">Found</th>'
        '<th scope="col" class="num">Filled in</th>'
        '<th scope="col" class="num">Share filled in</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _plan_link(record: Record, anchors: Mapping[str, str]) -> str:
    return f'<a href="#{anchors[_file(record)]}">{_e(_file(record))}</a>'


def _attention_section(attention: _Attention, anchors: Mapping[str, str]) -> str:
    parts = []
    if attention.errors:
        rows = "".join(
            f"<tr><td>{_plan_link(r, anchors)}</td><td>{_e(_plain.error_words(r))}</td></tr>"
            for r in attention.errors
        )
        parts.append(
            f"<h3>Could not be audited ({len(attention.errors)})</h3>"
            "<table><caption>Files that could not be audited, and why</caption>"
            '<thead><tr><th scope="col">File</th><th scope="col">Why</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    if attention.weak:
        rows = "".join(
            f"<tr><td>{_plan_link(r, anchors)}</td>"
            f'<td class="num">{_e(r.get("total_score"))} of 18</td>'
            f"<td>{_list(_plain.plan_gaps(r, limit=2))}</td></tr>"
            for r in attention.weak
        )
        parts.append(
            f"<h3>Requires improvement ({len(attention.weak)})</h3>"
            "<table><caption>Plans that require improvement, lowest score first</caption>"
            '<thead><tr><th scope="col">Plan</th><th scope="col" class="num">Score</th>'
            '<th scope="col">Main gaps</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    if attention.uncertain:
        rows = "".join(
            f"<tr><td>{_plan_link(r, anchors)}</td><td>{_rating(r.get('overall'))}</td>"
            f"<td>{_list(_plain.uncertainty_notes(r))}</td></tr>"
            for r in attention.uncertain
        )
        parts.append(
            f"<h3>Least certain ratings ({len(attention.uncertain)})</h3>"
            "<p>These ratings rest on little evidence or are one step from another level: "
            "check them by hand.</p>"
            "<table><caption>Plans whose ratings are least certain, least certain first</caption>"
            '<thead><tr><th scope="col">Plan</th><th scope="col">Overall</th>'
            '<th scope="col">Why</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    if not parts:
        parts.append("<p>Every plan was audited and none requires improvement.</p>")
    return (
        '<section id="attention" aria-labelledby="attention-h">'
        f'<h2 id="attention-h">Plans needing attention</h2>{"".join(parts)}</section>'
    )


def _list(items: Iterable[str], tag: str = "ul") -> str:
    inner = "".join(f"<li>{_e(item)}</li>" for item in items)
    return f"<{tag}>{inner}</{tag}>" if inner else ""


def _plan_page(record: Record, anchor: str, copies: Sequence[str], doubtful: bool) -> str:
    name = _file(record)
    head = f'<article class="plan" id="{anchor}" aria-labelledby="{anchor}-h">'
    head += f'<h3 id="{anchor}-h">{_e(name)}</h3>'
    also = f"<p>Also found as: {_e(', '.join(copies))}.</p>" if copies else ""
    back = '<p class="top"><a href="#attention">Back to plans needing attention</a></p>'
    if _plain.is_error(record):
        code = (record.get("error") or {}).get("code", "error")
        return (
            f"{head}<p>{_rating(None)}: could not be audited.</p>"
            f"<p><strong>Why:</strong> {_e(_plain.error_words(record))} "
            f'<span class="muted">(code: {_e(code)})</span></p>{also}{back}</article>'
        )
    details = record.get("details") or {}
    facts = [
        f"Overall: {_rating(record.get('overall'))}",
        f"score {_e(record.get('total_score'))} of 18",
        "shows effective co-production"
        if record.get("effective_coproduction")
        else "does not show effective co-production",
    ]
    if details.get("status"):
        facts.append(f"{_e(details['status'])} plan")
    if details.get("review_date"):
        facts.append(f"review due {_e(details['review_date'])}")
    rows = []
    for principle in record.get("principles") or ():
        number = int(principle["number"])
        confidence = (principle.get("confidence") or {}).get("level")
        notes = _plain.principle_notes(record, number, with_rating=False)
        rows.append(
            f'<tr><th scope="row">{number}. {_e(principle.get("name", ""))}</th>'
            f"<td>{_rating(principle.get('rating'))}</td>"
            f"<td>{_e(_CONFIDENCE.get(str(confidence), '–'))}</td>"
            f'<td class="notes"><p>{_e(notes)}</p></td></tr>'
        )
    doubt = f"<h4>Check by hand</h4>{_list(_plain.uncertainty_notes(record))}" if doubtful else ""
    gaps = _plain.plan_gaps(record)
    steps = _plain.next_steps(record, limit=_STEPS_SHOWN)
    return (
        f"{head}<p>{'; '.join(facts)}.</p>{also}"
        f"<table><caption>Ratings for {_e(name)}</caption>"
        '<thead><tr><th scope="col">Principle</th><th scope="col">Rating</th>'
        '<th scope="col">Confidence</th><th scope="col">What the plan shows</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{doubt}"
        + (f"<h4>Main gaps</h4>{_list(gaps, 'ol')}" if gaps else "<p>No gaps found.</p>")
        + (f"<h4>Next steps</h4>{_list(steps, 'ol')}" if steps else "")
        + f"{back}</article>"
    )


def _comparison(comparison: Mapping[str, Any] | None, anchors: Mapping[str, str]) -> str:
    if not comparison:
        return ""
    from ._html_compare import render_comparison

    return render_comparison(comparison, anchors)


def render_report(
    records: Sequence[Record],
    summary: Mapping[str, Any],
    comparison: Mapping[str, Any] | None = None,
) -> str:
    """The whole report as one HTML string (records as the batch stores them)."""
    plans, copies = _split(records)
    anchors = {_file(r): f"plan-{i}" for i, r in enumerate(plans, start=1)}
    attention = _attention(plans, summary)
    tool = summary.get("tool") or {}
    title = "EHCP co-production audit"
    nav = [
        ("headline", "Effective co-production"),
        ("principles", "The six principles"),
        ("attention", "Plans needing attention"),
        ("plans", "Every plan"),
    ]
    if comparison:
        nav.insert(2, ("comparison", "Since the last audit"))
    links = "".join(f'<li><a href="#{a}">{_e(t)}</a></li>' for a, t in nav)
    index = "".join(f'<li><a href="#{anchors[_file(r)]}">{_e(_file(r))}</a></li>' for r in plans)
    doubts = {_file(r) for r in attention.uncertain}
    pages = "".join(
        _plan_page(r, anchors[_file(r)], copies.get(_file(r), ()), _file(r) in doubts)
        for r in plans
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>{PATTERNS}"
        f'<header><h1>{_e(title)}</h1><p class="lede">{_e(summary.get("audited", 0))} plans '
        f"audited against York's six co-production principles, by "
        f"{_e(tool.get('name', 'ehcp-audit'))} {_e(tool.get('version', ''))}.</p>"
        f'<nav aria-label="Contents"><ul>{links}</ul></nav></header><main>'
        f"{_headline(summary)}{_principles(summary)}{_comparison(comparison, anchors)}"
        f"{_attention_section(attention, anchors)}"
        '<section id="plans" aria-labelledby="plans-h"><h2 id="plans-h">Every plan</h2>'
        f'<nav aria-label="Plans"><ul>{index}</ul></nav>{pages}</section>'
        "</main></body></html>\n"
    )
