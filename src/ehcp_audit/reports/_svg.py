"""Inline SVG charts for the board report: the headline share and stacked rating bars.

Charts are drawn as SVG text in the page (no script, no image files), each
with ``role="img"``, a ``<title>`` and a ``<desc>`` that say in words what
the chart shows; the same figures are also in a table beside it. Every
category has a pattern as well as a colour and a label on the bar itself
where it fits, so the charts read in grey scale and for colour-blind readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from attrs import frozen

__all__ = ["PATTERNS", "Segment", "legend", "share_gauge", "stacked_bars"]

#: The patterns every chart refers to, defined once at the top of the page.
PATTERNS = """<svg width="0" height="0" aria-hidden="true" focusable="false"
 style="position:absolute"><defs>
<pattern id="pat-room_for_improvement" width="8" height="8" patternUnits="userSpaceOnUse"
 patternTransform="rotate(45)"><rect width="8" height="8" fill="#b3261e"/>
<rect width="3" height="8" fill="#e8a29c"/></pattern>
<pattern id="pat-good" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#b7d7a8"/><circle cx="3" cy="3" r="1.2" fill="#5d8a4b"/></pattern>
<pattern id="pat-excellent" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#1e6b3a"/></pattern>
</defs></svg>"""
_TEXT_ON = {"room_for_improvement": "#fff", "good": "#1b1b1b", "excellent": "#fff"}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _pattern_key(key: str) -> str:
    return {"requires_improvement": "room_for_improvement", "outstanding": "excellent"}.get(
        key, key
    )


@frozen
class Segment:
    """One part of a stacked bar: its category key, label and count."""

    key: str
    label: str
    count: int


def legend(items: Sequence[tuple[str, str]], swatch: int = 16) -> str:
    """A legend list: a patterned swatch and the words for each category."""
    rows = []
    for key, label in items:
        pat = _pattern_key(key)
        rows.append(
            f'<li><svg width="{swatch}" height="{swatch}" aria-hidden="true" focusable="false">'
            f'<rect width="{swatch}" height="{swatch}" fill="url(#pat-{pat})" stroke="#1b1b1b"/>'
            f"</svg> {_e(label)}</li>"
        )
    return '<ul class="legend">' + "".join(rows) + "</ul>"


def stacked_bars(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[Segment]]],
    description: str,
    label_width: int = 330,
) -> str:
    """Horizontal 100% stacked bars, one row per label, counts written on the segments."""
    bar_width, row_height, gap = 460, 30, 16
    width = label_width + bar_width + 20
    height = len(rows) * (row_height + gap) + gap
    parts = [
        f'<svg id="{_e(chart_id)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{_e(chart_id)}-t {_e(chart_id)}-d">',
        f'<title id="{_e(chart_id)}-t">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-d">{_e(description)}</desc>',
    ]
    for index, (label, segments) in enumerate(rows):
        y = gap + index * (row_height + gap)
        parts.append(_wrapped_label(label, label_width - 12, y, row_height))
        total = sum(s.count for s in segments)
        x = float(label_width)
        for segment in segments:
            if total == 0 or segment.count == 0:
                continue
            w = bar_width * segment.count / total
            pat = _pattern_key(segment.key)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_height}" '
                f'fill="url(#pat-{pat})" stroke="#fff" stroke-width="1">'
                f"<title>{_e(segment.label)}: {segment.count}</title></rect>"
            )
            if w >= 26:
                colour = _TEXT_ON.get(pat, "#1b1b1b")
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + row_height / 2 + 5}" '
                    f'text-anchor="middle" font-size="14" font-weight="700" '
                    f'fill="{colour}">{segment.count}</text>'
                )
            x += w
        if total == 0:
            parts.append(
                f'<text x="{label_width}" y="{y + row_height / 2 + 5}" font-size="13">'
                "no plans rated</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _wrapped_label(label: str, width: int, y: int, row_height: int) -> str:
    """A right-aligned label wrapped to two lines at most (about 7 px a character)."""
    per_line = max(10, width // 7)
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
        if len(lines[1]) > per_line:
            lines[1] = lines[1][: per_line - 1].rstrip() + "…"
    first = y + row_height / 2 + 5 - (7 if len(lines) == 2 else 0)
    spans = "".join(
        f'<tspan x="{width}" y="{first + 15 * i:.1f}">{_e(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="end" font-size="13">{spans}</text>'


def share_gauge(share: float | None, interval: Sequence[float] | None, target: float) -> str:
    """The headline share as a bar from 0 to 100%, its 95% interval and the target line."""
    width, left, bar, top, height = 640, 20, 600, 34, 34

    def at(value: float) -> float:
        return left + bar * min(max(value, 0.0), 1.0)

    words = [f"Target {target:.0%}."]
    parts = [
        f'<svg id="headline-chart" viewBox="0 0 {width} 120" width="{width}" height="120" '
        'role="img" aria-labelledby="headline-chart-t headline-chart-d">',
        '<title id="headline-chart-t">Share of plans showing effective co-production</title>',
        f'<rect x="{left}" y="{top}" width="{bar}" height="{height}" fill="#ececec" '
        'stroke="#1b1b1b"/>',
    ]
    if share is not None:
        words.insert(0, f"{share:.0%} of audited plans show effective co-production.")
        parts.append(
            f'<rect x="{left}" y="{top}" width="{at(share) - left:.1f}" height="{height}" '
            'fill="#0b4f8a"/>'
        )
    if share is not None and interval:
        lo, hi = at(interval[0]), at(interval[1])
        mid = top + height / 2
        parts.append(
            f'<path d="M{lo:.1f} {mid - 9}v18M{lo:.1f} {mid}H{hi:.1f}M{hi:.1f} {mid - 9}v18" '
            'stroke="#ffbf47" stroke-width="4" fill="none"/>'
        )
        words.append(f"95% interval {interval[0]:.0%} to {interval[1]:.0%}.")
    x = at(target)
    parts.append(
        f'<path d="M{x:.1f} {top - 10}V{top + height + 10}" stroke="#1b1b1b" '
        'stroke-width="3" stroke-dasharray="6 3"/>'
        f'<text x="{x:.1f}" y="{top - 14}" text-anchor="middle" font-size="14" '
        f'font-weight="700">Target {target:.0%}</text>'
    )
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<text x="{at(tick):.1f}" y="{top + height + 26}" text-anchor="middle" '
            f'font-size="12">{tick:.0%}</text>'
        )
    parts.insert(3, f'<desc id="headline-chart-d">{_e(" ".join(words))}</desc>')
    parts.append("</svg>")
    return "".join(parts)
