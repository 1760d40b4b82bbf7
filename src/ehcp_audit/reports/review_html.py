"""An HTML review page for a PDF or text plan, which cannot carry Word comments.

The page does for a PDF or text plan what the reviewed Word copy does for a
DOCX (:mod:`.annotate_docx`), with the same notes in the same places
(:mod:`._feedback`): the ratings at the top, then the plan's text section
by section, each sentence a finding is about highlighted and numbered, and
the findings beside it in plain words; what is missing from a section sits
under its heading.

The page is one self-contained file: inline CSS, no scripts, no images, no
links, and a Content-Security-Policy that forbids loading anything, so
opening it never touches the network. Every piece of plan text is escaped.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from attrs import frozen

from .._model import Block, BlockKind, PlanAudit, Section
from ._feedback import DRAFT_WORDS, GUIDE_WORDS, LATER_WORDS, Feedback, Note, Point, gather
from ._fixes import Place

if TYPE_CHECKING:
    from ..checks import Policy

__all__ = ["CSS", "ReviewParts", "review_page", "review_parts"]

#: The page's style sheet; a page that frames the parts itself (``ehcp-audit serve``) adds it.
CSS = """
:root { color-scheme: light; --mark: #fff1a8; --missing: #fde2e1; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #1f2328;
  margin: 0 auto; max-width: 75rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 2px solid var(--line); }
.ratings { border-collapse: collapse; margin: 0.5rem 0 1rem; }
.ratings th, .ratings td { border: 1px solid var(--line); padding: 0.25rem 0.6rem;
  text-align: left; vertical-align: top; }
.rating-good, .rating-excellent, .rating-outstanding { color: #116329; font-weight: 600; }
.rating-room-for-improvement, .rating-requires-improvement { color: #9a3412; font-weight: 600; }
.row { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.25rem;
  border-top: 1px solid #eaeef2; padding: 0.35rem 0; }
.text p { margin: 0; white-space: pre-wrap; }
.where { color: #59636e; font-size: 0.8rem; }
mark { background: var(--mark); padding: 0 0.1rem; }
mark sup, .note-number { font-weight: 700; color: #6e4b00; }
aside .note { background: #f6f8fa; border-left: 4px solid #d4a72c; margin: 0 0 0.5rem;
  padding: 0.35rem 0.6rem; font-size: 0.92rem; }
aside .note.missing, .summary .note { border-left-color: #cf222e; background: var(--missing); }
.summary .note.later { border-left-color: #0969da; background: #ddf4ff; }
.point { margin: 0.2rem 0; }
.level { font-weight: 700; }
.todo { display: block; }
.quote { font-style: italic; }
@media (max-width: 48rem) { .row { grid-template-columns: 1fr; } }
@media print { .row { break-inside: avoid; } }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


@frozen
class ReviewParts:
    """The review page's body in its two parts, for a page that frames them itself.

    ``header`` holds the heading, the ratings and what has no place in the
    text; ``main`` the plan's text, section by section, with the notes
    beside it. Both are HTML fragments, every piece of plan text escaped,
    styled by :data:`CSS`. ``ehcp-audit serve`` puts its own parts between
    them, under its own Content-Security-Policy.
    """

    header: str
    main: str


def review_parts(
    result: PlanAudit, policy: Policy | None = None, *, title: str = ""
) -> ReviewParts:
    """The parts of :func:`review_page`'s body, with the same arguments."""
    feedback = gather(result, policy)
    numbers = {id(note): i for i, note in enumerate(feedback.notes, start=1)}
    by_block: dict[int, list[Note]] = {}
    for note in feedback.notes:
        by_block.setdefault(note.block, []).append(note)
    shown: set[int] = set()
    body: list[str] = ["<main>"]
    for section in result.sections:
        body.extend(_section(section, by_block, numbers, shown))
    left = [n for n in feedback.notes if id(n) not in shown]
    if left:
        body.append('<h2 id="other-notes">Other notes</h2>')
        body.append("<aside>" + "".join(_note(n, numbers) for n in left) + "</aside>")
    header = _top(feedback, title or result.source.path or "plan")
    return ReviewParts(header, "\n".join(body) + "\n</main>")


def review_page(result: PlanAudit, policy: Policy | None = None, *, title: str = "") -> str:
    """The review page for an audited plan, as one HTML document (a string).

    ``policy`` is the rules and scoring the plan was audited under (see
    :func:`~.annotate_docx.annotated_docx`); ``title`` names the plan (a
    file name).
    """
    parts = review_parts(result, policy, title=title)
    name = html.escape(title or "plan")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>Review of {name}</title><style>{CSS}</style></head>\n<body>\n"
        + parts.header
        + parts.main
        + "\n</body></html>\n"
    )


def _rating_class(words: str) -> str:
    return "rating-" + words.lower().replace(" ", "-")


def _top(feedback: Feedback, title: str) -> str:
    """The heading, the ratings table and what belongs to no place in the text."""
    rows = "".join(
        f"<tr><th>{n}. {html.escape(name)}</th>"
        f'<td class="{_rating_class(rating)}">{html.escape(rating)}</td></tr>'
        for n, name, rating in feedback.principles
    )
    parts = [
        "<header>",
        f"<h1>Review of {html.escape(title)}</h1>",
        f'<p>Overall: <strong class="{_rating_class(feedback.overall)}">'
        f"{html.escape(feedback.overall)}</strong>. "
        f"{len(feedback.notes)} note{'s' if len(feedback.notes) != 1 else ''} in the text below. "
        f"{html.escape(GUIDE_WORDS)}</p>",
    ]
    if rows:
        parts.append(
            f'<table class="ratings"><tr><th>Principle</th><th>Rating</th></tr>{rows}</table>'
        )
    if feedback.missing_sections or feedback.unplaced or feedback.later:
        parts.append('<section class="summary">')
        if feedback.missing_sections:
            missing = ", ".join(html.escape(code) for code in feedback.missing_sections)
            parts.append(f"<p><strong>Sections not found:</strong> {missing}.</p>")
        if feedback.unplaced:
            parts.append("<h2>About the plan as a whole</h2>")
            parts.append('<div class="note">' + _points(feedback.unplaced) + "</div>")
        if feedback.later:
            parts.append(f"<h2>{html.escape(LATER_WORDS)}</h2>")
            parts.append(f"<p>{html.escape(DRAFT_WORDS)}</p>")
            parts.append('<div class="note later">' + _points(feedback.later) + "</div>")
        parts.append("</section>")
    parts.append("</header>")
    return "\n".join(parts)


def _section(
    section: Section,
    by_block: Mapping[int, list[Note]],
    numbers: Mapping[int, int],
    shown: set[int],
) -> Iterable[str]:
    """A section: its heading (and what is missing from it), then its blocks beside their notes."""
    heading = section.heading or Place(section.code).describe()
    yield f'<h2 id="section-{html.escape(section.code)}">{html.escape(heading)}</h2>'
    # A heading block holding more than the heading (a table cell with the heading on its
    # first line and the section's text below) is shown whole, like any other block.
    whole = {
        block.index
        for block in section.blocks
        if block.index == section.heading_block and _more_than(block.text, section.heading)
    }
    if section.heading_block is not None and section.heading_block not in whole:
        notes = by_block.get(section.heading_block, [])
        if notes:
            shown.update(id(n) for n in notes)
            yield (
                '<div class="row"><div class="text"></div><aside>'
                + "".join(_note(n, numbers) for n in notes)
                + "</aside></div>"
            )
    for block in section.blocks:
        if block.kind is BlockKind.FORM_FIELD:
            continue
        if block.index == section.heading_block and block.index not in whole:
            continue
        if not block.text.strip():
            continue
        notes = by_block.get(block.index, [])
        shown.update(id(n) for n in notes)
        yield _row(block, notes, numbers)


def _more_than(text: str, heading: str | None) -> bool:
    """Whether a heading block's text holds more than the heading itself."""
    return bool(heading) and len(" ".join(text.split())) > len(" ".join((heading or "").split()))


def _row(block: Block, notes: Sequence[Note], numbers: Mapping[int, int]) -> str:
    where = f'<span class="where">{html.escape(block.label)}</span>' if block.cell else ""
    text = _highlighted(block.text, [n for n in notes if not n.on_heading], numbers)
    aside = "".join(_note(n, numbers) for n in notes)
    return (
        f'<div class="row" id="block-{block.index}"><div class="text">{where}<p>{text}</p></div>'
        f"<aside>{aside}</aside></div>"
    )


def _highlighted(text: str, notes: Sequence[Note], numbers: Mapping[int, int]) -> str:
    """The block's text, escaped, each noted stretch in a ``<mark>``.

    Notes can overlap (one quotes a sentence, another two sentences), so the
    text is cut at every note's ends; each piece names the notes covering it
    (``data-notes``) and a note's number follows its last piece.
    """
    cuts = sorted({0, len(text), *(n.start for n in notes), *(n.end for n in notes)})
    out: list[str] = []
    for begin, end in itertools.pairwise(cuts):
        piece = html.escape(text[begin:end])
        covering = [n for n in notes if n.start <= begin and end <= n.end]
        if not covering:
            out.append(piece)
            continue
        ending = "".join(f"<sup>{numbers[id(n)]}</sup>" for n in covering if n.end == end)
        ids = " ".join(str(numbers[id(n)]) for n in covering)
        out.append(f'<mark class="evidence" data-notes="{ids}">{piece}{ending}</mark>')
    return "".join(out)


def _note(note: Note, numbers: Mapping[int, int]) -> str:
    kind = "note missing" if note.on_heading else "note"
    head = "Missing from this section" if note.on_heading else f"Note {numbers[id(note)]}"
    return (
        f'<div class="{kind}" id="note-{numbers[id(note)]}">'
        f'<span class="note-number">{head}</span>{_points(note.points)}</div>'
    )


def _points(points: Iterable[Point]) -> str:
    out = []
    for point in points:
        here = f' <span class="quote">Here: {html.escape(point.here)}</span>' if point.here else ""
        todo = "".join(
            f'<span class="todo">What to do: {html.escape(s)}</span>' for s in point.suggestions
        )
        out.append(
            f'<p class="point"><span class="level">{html.escape(point.label)}:</span> '
            f"{html.escape(point.message)}{here}{todo}</p>"
        )
    return "".join(out)
