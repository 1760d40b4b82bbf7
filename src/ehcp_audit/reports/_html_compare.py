"""The report's "since the last audit" section, from ``ehcp-audit compare``'s dict.

The local area tracks progress by quarter: this shows how the headline share
moved between two audit rounds (with both intervals, so a board does not
read chance as progress) and how each principle's distribution changed. It
reads the comparison dict defensively: a figure it lacks is shown as a dash.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from . import _plain

__all__ = ["render_comparison"]

RATING_KEYS = ("room_for_improvement", "good", "excellent")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _pct(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "–"


def _points(old: Any, new: Any) -> str:
    if not isinstance(old, int | float) or not isinstance(new, int | float):
        return "–"
    change = round((new - old) * 100)
    if change == 0:
        return "no change"
    return (
        f"{'up' if change > 0 else 'down'} {abs(change)} percentage point{'s' * (abs(change) != 1)}"
    )


def _effective(side: Mapping[str, Any]) -> Mapping[str, Any]:
    """The effective-share block of one round (a summary, or its ``effective`` block)."""
    block = side.get("effective")
    return block if isinstance(block, Mapping) else side


def _round(side: Mapping[str, Any], fallback: str) -> str:
    for key in ("label", "name", "outdir", "path"):
        if side.get(key):
            return str(side[key])
    return fallback


def _counts(row: Mapping[str, Any], side: str) -> dict[str, int]:
    counts = row.get(side)
    if not isinstance(counts, Mapping):
        return {}
    return {k: int(counts.get(k, 0)) for k in RATING_KEYS}


def _good_or_better(counts: Mapping[str, int]) -> float | None:
    total = sum(counts.values())
    return (counts.get("good", 0) + counts.get("excellent", 0)) / total if total else None


def render_comparison(comparison: Mapping[str, Any]) -> str:
    """The section (``id="comparison"``) for one comparison dict."""
    old = comparison.get("old") or {}
    new = comparison.get("new") or {}
    old_name, new_name = _round(old, "last audit"), _round(new, "this audit")
    old_eff, new_eff = _effective(old), _effective(new)
    old_share, new_share = old_eff.get("share"), new_eff.get("share")

    def interval(block: Mapping[str, Any]) -> str:
        ci = block.get("ci95")
        return f" (95% interval {_pct(ci[0])} to {_pct(ci[1])})" if ci else ""

    headline = (
        f"<p>Plans showing effective co-production: <strong>{_pct(old_share)}</strong> in "
        f"{_e(old_name)}{interval(old_eff)} and <strong>{_pct(new_share)}</strong> in "
        f"{_e(new_name)}{interval(new_eff)}: {_e(_points(old_share, new_share))}.</p>"
    )
    overlap = ""
    old_ci, new_ci = old_eff.get("ci95"), new_eff.get("ci95")
    if old_ci and new_ci and old_ci[0] <= new_ci[1] and new_ci[0] <= old_ci[1]:
        overlap = (
            '<p class="muted">The two intervals overlap, so this change could be chance: '
            "keep watching the next rounds before calling it a trend.</p>"
        )
    rows = []
    principles = comparison.get("principles") or {}
    for number in sorted(principles, key=lambda n: int(n)):
        row = principles[number]
        before, after = _counts(row, "old"), _counts(row, "new")
        cells = "".join(
            f'<td class="num">{before.get(k, "–")} → {after.get(k, "–")}</td>' for k in RATING_KEYS
        )
        change = _points(_good_or_better(before), _good_or_better(after))
        rows.append(
            f'<tr><th scope="row">{_e(number)}. {_e(row.get("name", ""))}</th>{cells}'
            f"<td>{_e(change)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col" class="num">{_e(_plain.rating_words(k))}</th>' for k in RATING_KEYS
    )
    table = (
        (
            f"<table><caption>Plans at each level, {_e(old_name)} → {_e(new_name)}</caption>"
            f'<thead><tr><th scope="col">Principle</th>{head}'
            '<th scope="col">Share good or better</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        if rows
        else ""
    )
    return (
        '<section id="comparison" aria-labelledby="comparison-h">'
        f'<h2 id="comparison-h">Since the last audit</h2>{headline}{overlap}{table}</section>'
    )
