"""The report's "since the last audit" section, from ``ehcp-audit compare``'s dict.

The local area tracks progress by quarter: this shows how the headline share
moved between two audit rounds, with the 95% interval for the change and
whether it is more than chance would explain (so a board does not read
chance as progress), how each principle's distribution changed, and which
plans' overall ratings went up or down. The dict is
:func:`ehcp_audit.batch._compare.comparison_dict`'s; a figure it lacks is
shown as a dash.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from . import _plain

__all__ = ["render_comparison"]

RATING_KEYS = ("room_for_improvement", "good", "excellent")
OVERALL_KEYS = ("requires_improvement", "good", "outstanding")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _pct(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "–"


def _points(points: Any) -> str:
    """A change in percentage points, in words."""
    if not isinstance(points, int | float):
        return "–"
    change = round(points)
    if change == 0:
        return "no change"
    unit = "point" if abs(change) == 1 else "points"
    return f"{'up' if change > 0 else 'down'} {abs(change)} percentage {unit}"


def _signed(points: Any) -> str:
    """A change in percentage points for a table cell: "+13 points"."""
    if not isinstance(points, int | float):
        return "–"
    return "no change" if round(points) == 0 else f"{points:+.0f} points"


def _share_points(old: Any, new: Any) -> float | None:
    if not isinstance(old, int | float) or not isinstance(new, int | float):
        return None
    return (new - old) * 100


def _effective(side: Mapping[str, Any]) -> Mapping[str, Any]:
    block = side.get("effective")
    return block if isinstance(block, Mapping) else {}


def _round(side: Mapping[str, Any], fallback: str) -> str:
    name = next((str(side[k]) for k in ("label", "outdir") if side.get(k)), fallback)
    finished = side.get("finished")
    return f"{name} ({str(finished)[:10]})" if finished else name


def _interval(block: Mapping[str, Any]) -> str:
    ci = block.get("ci95")
    return f" (95% interval {_pct(ci[0])} to {_pct(ci[1])})" if ci else ""


def _headline(comparison: Mapping[str, Any], old_name: str, new_name: str) -> str:
    old_eff = _effective(comparison.get("old") or {})
    new_eff = _effective(comparison.get("new") or {})
    change = comparison.get("effective_change") or {}
    points = change.get("points")
    if points is None:
        points = _share_points(old_eff.get("share"), new_eff.get("share"))
    text = (
        f"<p>Plans showing effective co-production: <strong>{_pct(old_eff.get('share'))}</strong>"
        f" in {_e(old_name)}{_interval(old_eff)}, <strong>{_pct(new_eff.get('share'))}</strong>"
        f" in {_e(new_name)}{_interval(new_eff)}: <strong>{_e(_points(points))}</strong>.</p>"
    )
    ci = change.get("ci95_points")
    beyond = change.get("beyond_chance")
    if ci and beyond is not None:
        verdict = (
            "This is more than chance would explain."
            if beyond
            else "This could be chance: watch the next rounds before calling it a trend."
        )
        text += (
            f"<p>The change is likely to lie between {ci[0]:+.0f} and {ci[1]:+.0f} percentage "
            f'points. {verdict} <span class="muted">({_e(change.get("method", ""))})</span></p>'
        )
    return text


def _principles(comparison: Mapping[str, Any], old_name: str, new_name: str) -> str:
    rows = []
    principles = comparison.get("principles") or {}
    for number in sorted(principles, key=int):
        row = principles[number]
        before, after = row.get("old") or {}, row.get("new") or {}
        cells = "".join(
            f'<td class="num">{_e(before.get(k, "–"))} → {_e(after.get(k, "–"))}</td>'
            for k in RATING_KEYS
        )
        share = row.get("good_or_better") or {}
        rows.append(
            f'<tr><th scope="row">{_e(number)}. {_e(row.get("name", ""))}</th>{cells}'
            f'<td class="num">{_pct(share.get("old"))} → {_pct(share.get("new"))}</td>'
            f'<td class="num">{_e(_signed(share.get("points")))}</td></tr>'
        )
    if not rows:
        return ""
    head = "".join(
        f'<th scope="col" class="num">{_e(_plain.rating_words(k))}</th>' for k in RATING_KEYS
    )
    return (
        f"<table><caption>Plans at each level, {_e(old_name)} → {_e(new_name)}</caption>"
        f'<thead><tr><th scope="col">Principle</th>{head}'
        '<th scope="col" class="num">Good or better</th><th scope="col" class="num">Change</th>'
        "</tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _overall(comparison: Mapping[str, Any]) -> str:
    overall = comparison.get("overall") or {}
    before, after = overall.get("old") or {}, overall.get("new") or {}
    if not before and not after:
        return ""
    rows = "".join(
        f'<tr><th scope="row">{_e(_plain.rating_words(k))}</th>'
        f'<td class="num">{_e(before.get(k, 0))}</td><td class="num">{_e(after.get(k, 0))}</td>'
        "</tr>"
        for k in reversed(OVERALL_KEYS)
    )
    return (
        "<table><caption>Plans by overall rating, before and now</caption>"
        '<thead><tr><th scope="col">Overall</th><th scope="col" class="num">Before</th>'
        f'<th scope="col" class="num">Now</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _changed(comparison: Mapping[str, Any], anchors: Mapping[str, str]) -> str:
    changed = comparison.get("changed") or []
    parts = []
    if changed:
        rows = []
        for item in changed:
            file = str(item.get("file", ""))
            name = f'<a href="#{anchors[file]}">{_e(file)}</a>' if file in anchors else _e(file)
            if item.get("old_file") and item.get("old_file") != file:
                name += f' <span class="muted">(was {_e(item["old_file"])})</span>'
            word = {"up": "↑ up", "down": "↓ down"}.get(str(item.get("direction")), "changed")
            rows.append(
                f"<tr><td>{name}</td><td>{_e(_plain.rating_words(item.get('old_overall')))}</td>"
                f"<td>{_e(_plain.rating_words(item.get('new_overall')))}</td>"
                f"<td>{_e(word)}</td></tr>"
            )
        parts.append(
            "<table><caption>Plans whose overall rating changed (down first)</caption>"
            '<thead><tr><th scope="col">Plan</th><th scope="col">Before</th>'
            '<th scope="col">Now</th><th scope="col">Change</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    same = comparison.get("same_overall")
    if isinstance(same, int):
        parts.append(
            f"<p>{same} plan{'s' * (same != 1)} in both rounds kept its overall rating.</p>"
        )
    counts = [
        (len(comparison.get(key) or []), words)
        for key, words in (
            ("only_old", "only in the earlier round"),
            ("only_new", "new this round"),
        )
    ]
    said = [f"{n} plan{'s' * (n != 1)} {words}" for n, words in counts if n]
    if said:
        parts.append("<p>" + "; ".join(said) + ".</p>")
    return "".join(parts)


def render_comparison(
    comparison: Mapping[str, Any], anchors: Mapping[str, str] | None = None
) -> str:
    """The section (``id="comparison"``); ``anchors`` link changed plans to their pages."""
    old_name = _round(comparison.get("old") or {}, "the last audit")
    new_name = _round(comparison.get("new") or {}, "this audit")
    return (
        '<section id="comparison" aria-labelledby="comparison-h">'
        '<h2 id="comparison-h">Since the last audit</h2>'
        f"{_headline(comparison, old_name, new_name)}"
        f"{_principles(comparison, old_name, new_name)}{_overall(comparison)}"
        f"{_changed(comparison, anchors or {})}</section>"
    )
