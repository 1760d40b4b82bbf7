"""Text runs -> lines -> paragraphs, headings and list items, from geometry alone.

A PDF keeps no paragraph marks, so they are re-found the way a reader's eye
finds them:

* a **line** is the text runs whose boxes overlap vertically, left to right,
  joined by a space where there is a gap and a tab where the gap is wider
  than two ems (a tab stop, as between "Name:" and its value);
* a line **continues** the paragraph above when it sits one line-pitch
  below, in the same font size, at the paragraph's left edge, and the
  previous line was *full*: had the next line's first word fitted on it, the
  writer must have ended that line on purpose (pressed Enter), so a new
  paragraph starts. This last test keeps form lines such as "Name: Alex" /
  "Date of birth: ..." apart even when they are set with no space between;
* a line that starts with a bullet starts a **list item**, and so does one
  starting with an enumerator ("1.", "a)") or a dash unless it passes for
  the next line of a paragraph ("... her brother, who is" / "12. She ...");
  a list item's wrapped lines hang at the text's left edge, not the bullet's;
* **headings** are lines set clearly larger than body text (or bold and
  larger); consecutive heading lines in one style are one heading split
  over lines. A bold label at body size ("Name:") is not a heading.

Everything here is pure Python over :class:`~._pdf_page.Run` boxes.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ._pdf_page import Run
from ._prose import SENTENCE_END

#: Symbols drawn as bullets. Ballot boxes (☐ ☒) are tick boxes, not bullets.
_SYMBOL_BULLET = re.compile(r"^[•◦▪▫‣⁃●○■◆◇❖➢➤►▶→✓✔]\s*")
#: ASCII bullets need a space after them; "o" is Word's second-level bullet.
_DASH_BULLET = re.compile(r"^[-–—*·o]\s+(?=\S)")
#: What Word and LibreOffice draw from symbol fonts (Symbol, Wingdings,
#: OpenSymbol) arrives as private-use code points; these are the usual ones.
_SYMBOL_FONT = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf076": "❖",
    "\uf0d8": "➢",
    "\uf0fc": "✓",
    "\uf0a8": "☐",
    "\uf06f": "☐",
    "\uf0fe": "☒",
    "\uf078": "☒",
}
#: "1." "1)" "a." "(a)" "iv)" "(B)"; a capital with a full stop ("G. Hughes") is an initial.
#: A number drawn a tab's width from its text, with no space character between, reads
#: "10.Pre-teaching of ...": a number glued to a capital is an enumerator too.
_ENUMERATOR = re.compile(
    r"^(?:(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|\(?[A-Z]\)|\([A-Z]\.?\))\s+(?=\S)"
    r"|\d{1,2}[.)](?=[A-Z][a-z]))"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
#: A gap between runs wider than this many ems is a tab, not a space.
_TAB_GAP = 2.0

#: A line this much larger than body text (ratio) is a heading whatever its weight.
HEADING_RATIO = 1.2
#: A bold line at least this many points larger than body text is a heading.
BOLD_HEADING_EXTRA = 0.5
MAX_HEADING_LINES = 3
MAX_HEADING_CHARS = 200


class Line(NamedTuple):
    """Words on one visual line of one region (the page body or one table cell)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    chars: int
    bold_chars: int
    first_width: float
    #: Where the text starts after a list marker (the x a wrapped line hangs at).
    text_x0: float
    #: Length of the list marker the line starts with (0: none).
    marker: int
    #: The marker is a bullet symbol, which nothing but a list item starts
    #: with (an enumerator or a dash may also begin a wrapped line: "12.").
    bullet: bool


def build_lines(runs: Iterable[Run]) -> list[Line]:
    """Group runs into lines (top to bottom) by vertical overlap."""
    groups: list[list[Run]] = []
    tops: list[float] = []
    bottoms: list[float] = []
    for run in sorted(runs, key=_by_top):
        rt, rb = run.top, run.bottom
        rh = rb - rt
        k = len(groups) - 1
        stop = k - 3 if k > 2 else -1
        while k > stop:  # the few lines above are the only candidates
            t, b = tops[k], bottoms[k]
            overlap = (rb if rb < b else b) - (rt if rt > t else t)
            if overlap >= 0.5 * (rh if rh < b - t else b - t):
                groups[k].append(run)
                if rt < t:
                    tops[k] = rt
                if rb > b:
                    bottoms[k] = rb
                break
            k -= 1
        else:
            groups.append([run])
            tops.append(rt)
            bottoms.append(rb)
    lines = [_line(g) for g in groups]
    return [line for line in lines if line.text]


def _by_top(run: Run) -> tuple[float, float]:
    return (run.top, run.x0)


def _line(runs: list[Run]) -> Line:
    runs.sort(key=_by_x0)
    kept: list[Run] = []
    parts: list[str] = []
    sizes: dict[float, int] = {}
    chars = bold_chars = 0
    x1 = top = bottom = 0.0
    prev: Run | None = None
    for run in runs:
        text = run.text
        if len(text) == 1 and "\ue000" <= text <= "\uf8ff":
            text = _SYMBOL_FONT.get(text, "•")  # a symbol-font glyph: most often a bullet
        if prev is not None:
            if text == prev.text and run.x0 - prev.x0 < 0.3 * run.size:
                continue  # drawn twice for a bold or shadow effect
            gap = run.x0 - prev.x1
            em = run.size if run.size < prev.size else prev.size
            if gap > _TAB_GAP * em:
                parts.append("\t")  # a tab stop, e.g. between a label and its value
            elif gap > 0.12 * em:
                parts.append(" ")
            top = run.top if run.top < top else top
            bottom = run.bottom if run.bottom > bottom else bottom
            x1 = run.x1 if run.x1 > x1 else x1
        else:
            top, bottom, x1 = run.top, run.bottom, run.x1
        kept.append(run)
        parts.append(text)
        n = len(text)
        sizes[run.size] = sizes.get(run.size, 0) + n
        chars += n
        if run.bold:
            bold_chars += n
        prev = run
    text = "".join(parts)
    marker = _marker_length(text)
    bullet = marker > 0 and _SYMBOL_BULLET.match(text) is not None
    first = kept[0]
    text_x0 = first.x0
    if marker:
        if first.second_x0 > first.x1 - 0.5 and len(kept) > 1:
            text_x0 = kept[1].x0  # the marker is a run of its own
        else:
            text_x0 = first.second_x0
    return Line(
        text=text,
        x0=first.x0,
        x1=x1,
        top=top,
        bottom=bottom,
        size=max(sizes, key=sizes.__getitem__),
        bold=bold_chars >= 0.6 * chars,
        chars=chars,
        bold_chars=bold_chars,
        first_width=first.first_width,
        text_x0=text_x0,
        marker=marker,
        bullet=bullet,
    )


def _by_x0(run: Run) -> float:
    return run.x0


def _marker_length(text: str) -> int:
    for pattern in (_SYMBOL_BULLET, _DASH_BULLET, _ENUMERATOR):
        m = pattern.match(text)
        if m:
            return m.end()
    return 0


def strip_bullet(text: str) -> str:
    """Drop a drawn bullet symbol; enumerators ("1.", "a)") carry meaning and stay."""
    m = _SYMBOL_BULLET.match(text) or _DASH_BULLET.match(text)
    return text[m.end() :] if m else text


def is_heading_line(line: Line, body_size: float) -> bool:
    if not _HAS_LETTER.search(line.text) or len(line.text) > MAX_HEADING_CHARS:
        return False
    if line.size >= body_size * HEADING_RATIO - 0.01:
        return True
    return line.bold and line.size >= body_size + BOLD_HEADING_EXTRA


def same_heading(prev: Line, nxt: Line) -> bool:
    """Is ``nxt`` the second line of the heading ending with ``prev``?"""
    return (
        abs(prev.size - nxt.size) <= 0.3
        and prev.bold == nxt.bold
        and 0 < nxt.top - prev.top <= 1.7 * prev.size
        and min(prev.x1, nxt.x1) > max(prev.x0, nxt.x0)  # they overlap horizontally
    )


Pitch = Callable[[float], float]


def continues(
    para: Sequence[Line], nxt: Line, right: float, pitch: Pitch, *, gap: bool = True
) -> bool:
    """Does ``nxt`` carry on the paragraph ``para`` (see module docstring)?

    ``gap=False`` skips the vertical test, for a paragraph running on over a
    page break.
    """
    prev = para[-1]
    first = para[0]
    if (nxt.marker and (nxt.bullet or first.marker)) or abs(nxt.size - prev.size) > 0.6:
        return False  # a new list item
    if gap:
        # Glyph boxes, not baselines: a line with a bracket or an accent reaches higher
        # and lower than its neighbours, so its top alone overstates the gap after it
        # by a point or two. The smaller of the two edges' steps is the line's pitch.
        delta = min(nxt.top - prev.top, nxt.bottom - prev.bottom)
        if delta <= 0 or delta > pitch(prev.size) + max(1.5, 0.3 * prev.size):
            return False
    if prev.x1 + 0.25 * prev.size + nxt.first_width <= right - 1.0:
        return False  # the next word would have fitted: the line was ended on purpose
    if nxt.bold and not prev.bold_chars and SENTENCE_END.search(prev.text):
        return False  # a bold line after a finished plain one: a heading, however close
    tol = max(2.0, 0.3 * prev.size)
    if len(para) == 1:
        if first.marker:
            # Hanging under the item's text, or flush with its marker; where the marker is
            # glued to its text ("10.Pre-teaching"), somewhere within three ems of it.
            glued = first.text_x0 - first.x0 > 4 * prev.size
            return (
                abs(nxt.x0 - first.text_x0) <= tol
                or abs(nxt.x0 - first.x0) <= tol
                or (glued and 0 < nxt.x0 - first.x0 <= 3 * prev.size)
            )
        # Same left edge, or a first-line indent of up to four ems.
        return first.x0 - 4 * prev.size <= nxt.x0 <= first.x0 + tol
    return abs(nxt.x0 - para[1].x0) <= tol


def join_lines(lines: Sequence[Line], right: float | None = None) -> str:
    """One paragraph's text: wrapped lines joined by a space.

    No space goes in after a hyphen ending a line ("trauma-" / "informed",
    "15-" / "minute": word processors hyphenate only where the writer did),
    nor after a single word that fills the line to ``right``: a word too
    long for its column (a date in a narrow table cell) is broken wherever
    the line ends.
    """
    out = ""
    prev: Line | None = None
    for line in lines:
        text = line.text
        if prev is None:
            out = text
        elif (len(out) > 1 and out[-1] == "-" and out[-2].isalnum()) or (
            right is not None
            and prev.x1 >= right - 0.6 * prev.size
            and not any(ch.isspace() for ch in prev.text)
        ):
            out += text
        else:
            out += " " + text
        prev = line
    return out


def dominant_size(lines: Iterable[Line]) -> float | None:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += line.chars
    return sizes.most_common(1)[0][0] if sizes else None


def is_bold(lines: Iterable[Line]) -> bool:
    chars = bold = 0
    for line in lines:
        chars += line.chars
        bold += line.bold_chars
    return chars > 0 and bold >= 0.6 * chars


def line_pitches(regions: Iterable[Sequence[Line]], fallback: Pitch | None = None) -> Pitch:
    """Learn the usual distance between wrapped lines, per font size.

    The smallest distance that recurs is the line pitch (the larger ones are
    paragraph spacing); sizes never seen fall back to ``fallback``, else 1.25 ems.
    """
    deltas: dict[int, Counter[float]] = {}
    for lines in regions:
        for prev, nxt in itertools.pairwise(lines):
            delta = nxt.top - prev.top
            if abs(prev.size - nxt.size) < 0.3 and 0.8 * prev.size <= delta <= 3 * prev.size:
                deltas.setdefault(round(prev.size), Counter())[round(delta * 2) / 2] += 1
    pitches: dict[int, float] = {}
    for size, counts in deltas.items():
        total = sum(counts.values())
        frequent = [d for d, n in counts.items() if n >= max(2, 0.1 * total)]
        pitches[size] = min(frequent) if frequent else min(counts)

    def pitch(size: float) -> float:
        learnt = pitches.get(round(size))
        if learnt is not None:
            return learnt
        return fallback(size) if fallback is not None else 1.25 * size

    return pitch
