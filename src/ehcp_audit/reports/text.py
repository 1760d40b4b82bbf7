"""Plain-text reports for a person at a terminal.

``ehcp-audit check`` is read by a case worker with a draft open beside it,
so :func:`render_report` says, in this order: the overall rating and each
principle's; what the plan does well (celebrating success is principle 2);
the fixes, most important first, each with its section, the whole sentence
to search for in Word and what to do; on a draft, what is to do after the
family has seen it; then the template fields left unfilled. Plain words by
default; ``verbose`` adds rule identifiers, the rules' own measurements and
every quote. Lines fit ``width`` (the terminal's by default); colour only
when asked for (the CLI asks on a terminal without ``NO_COLOR``).

The arranging (merging, ordering, widening quotes to sentences, judging a
draft) is in :mod:`._fixes`; this module only lays it out.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from .._model import SECTION_CODES, Evidence, Level, PlanAudit, Section
from ._fixes import Fix, Judged, Quote, done_well, judged_ratings, plan_fixes, quote_for
from ._plain import rating_words

if TYPE_CHECKING:
    from ..checks import Policy

_TITLES = {
    "front": "Personal details",
    "A": "Views, interests and aspirations",
    "B": "Special educational needs",
    "C": "Health needs",
    "D": "Social care needs",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision (CSDPA s2)",
    "H2": "Other social care provision",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information",
    "other": "Other content",
}

_FIRST_WORDS = 12
#: The narrowest and widest report; a terminal outside these is clamped.
MIN_WIDTH, MAX_WIDTH = 40, 160
_QUOTES_SHOWN = 3
_STRENGTHS_SHOWN = 6
_FIELDS_SHOWN = 20
_RATING_COLUMN = len("Room for improvement")
# What a rule matched is named beside its sentence when it is this short (a term, a phrase).
_FRAGMENT_SHOWN = 40

_RESET = "\x1b[0m"
_STYLES = {
    "title": "\x1b[1m",
    "excellent": "\x1b[32m",
    "outstanding": "\x1b[32m",
    "good": "\x1b[36m",
    "room_for_improvement": "\x1b[33m",
    "requires_improvement": "\x1b[31m",
    "error": "\x1b[31m",
    "warning": "\x1b[33m",
    "quote": "\x1b[2m",
}


def first_words(text: str, count: int = _FIRST_WORDS) -> str:
    words = text.split()
    head = " ".join(words[:count])
    return head + (" …" if len(words) > count else "")


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` first, 80 when unknown), within the report's bounds."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def use_colour(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


class _Page:
    """Lines of one report: wrapped to the width, styled when colour is on."""

    def __init__(self, width: int, colour: bool) -> None:
        self.width = max(MIN_WIDTH, width)
        self.colour = colour
        self.lines: list[str] = []

    def style(self, text: str, name: str | None) -> str:
        code = _STYLES.get(name or "")
        return f"{code}{text}{_RESET}" if self.colour and code and text else text

    def add(
        self, text: str = "", indent: str = "", hang: str | None = None, name: str | None = None
    ) -> None:
        """``text`` wrapped: the first line after ``indent``, the rest after ``hang``."""
        if not text:
            self.lines.append("")
            return
        wrapped = textwrap.wrap(
            text,
            width=self.width,
            initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
            break_on_hyphens=False,
            # a path or a long word stays whole (something to search for), even past the width
            break_long_words=False,
        )
        self.lines.extend(self.style(line, name) for line in wrapped)

    def title(self, text: str) -> None:
        self.lines.append("")
        self.add(text, name="title")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# -- the header and ratings ---------------------------------------------------------------


def _who(result: PlanAudit) -> str:
    d = result.details
    name = d.name or ""
    if d.preferred_name and d.preferred_name not in name:
        name = f"{name} ({d.preferred_name})" if name else d.preferred_name
    parts = [name] if name else []
    if d.year_group:
        parts.append(d.year_group)
    elif d.age is not None:
        parts.append(f"age {d.age}")
    status = f"{d.status} plan" if d.status else "plan"
    if d.plan_date:
        status += f" dated {d.plan_date.isoformat()}"
    parts.append(status)
    if d.review_date:
        parts.append(f"review {d.review_date.isoformat()}")
    return "; ".join(parts)


def _ratings(page: _Page, result: PlanAudit, judged: Judged) -> None:
    if not judged.principles or judged.overall is None:
        page.add("Not rated: no scoring policy is installed.")
        return
    effective = "effective co-production" if judged.effective else "not yet effective co-production"
    page.add(
        f"Overall: {rating_words(judged.overall.value)} (score {judged.total_score} of 18), "
        f"{effective}",
        name=judged.overall.value,
    )
    if judged.as_draft:
        page.add(
            "Judged as a draft: what can only be recorded after the family has seen the plan "
            "is listed under 'To do after consultation', not counted against it.",
            indent="  ",
        )
    hang = " " * (7 + _RATING_COLUMN)
    for rating in judged.principles:
        word = rating_words(rating.rating.value)
        head = f"  {rating.number}  {word:<{_RATING_COLUMN}}  "
        page.add(head + rating.name, hang=hang)
        note = _draft_note(judged, rating.number)
        if note:
            page.add(note, indent=hang)


def _draft_note(judged: Judged, number: int) -> str:
    """What a principle's rating leaves for after consultation, in the rubric's words."""
    waiting = judged.waiting.get(number, ())
    if not waiting:
        return ""
    return (
        "As a draft, this cannot yet show: "
        + "; ".join(dict.fromkeys(waiting))
        + ". Record it after the family has seen the draft."
    )


# -- the body -------------------------------------------------------------------------------


def _strengths(
    page: _Page, result: PlanAudit, judged: Judged, policy: Policy | None, verbose: bool
) -> None:
    strengths = done_well(result, judged, policy)
    if not strengths:
        return
    page.title("Done well")
    shown = strengths if verbose else strengths[:_STRENGTHS_SHOWN]
    for strength in shown:
        page.add(strength.says + ".", indent="  - ", hang="    ")
        if strength.quote is not None:
            page.add(f'"{_short(strength.quote.text)}"', indent="    ", name="quote")
    if len(strengths) > len(shown):
        page.add(f"... and {len(strengths) - len(shown)} more (-v lists them).", indent="    ")


def _short(text: str, limit: int = 120) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _quote_lines(page: _Page, quote: Quote, indent: str, verbose: bool) -> None:
    page.add(f'"{quote.text}"', indent=indent, hang=indent + " ", name="quote")
    where = quote.place.describe()
    if quote.fragment and (verbose or len(quote.fragment) <= _FRAGMENT_SHOWN):
        where += f"; found: {quote.fragment}"
    page.add(where, indent=indent + "  ", hang=indent + "    ")


def _fix(page: _Page, number: int, fix: Fix, unfilled: set[int], verbose: bool) -> None:
    head = f"  {number}. "
    indent = " " * len(head)
    named = fix.section and f"Section {fix.section}" in fix.message
    where = f"Section {fix.section}: " if fix.section and not named else ""
    page.add(
        where + fix.message,
        indent=head,
        hang=indent,
        name=fix.level.value if fix.level is Level.ERROR else None,
    )
    quotes = list(fix.quotes)
    if quotes and all(q.block in unfilled for q in quotes) and not verbose:
        page.add("Where: the unfilled template fields listed at the end.", indent=indent)
        quotes = []
    shown = quotes if verbose else quotes[:_QUOTES_SHOWN]
    for quote in shown:
        _quote_lines(page, quote, indent, verbose)
    rest = quotes[len(shown) :]
    if rest:
        page.add(f"Also: {_places(rest)}.", indent=indent, hang=indent + "  ")
    for suggestion in fix.suggestions if verbose else _distinct_advice(fix.suggestions):
        page.add("What to do: " + suggestion, indent=indent, hang=indent + "  ")
    if verbose:
        for finding in fix.findings:
            page.add(
                f"[{finding.level.value} {finding.rule}] {finding.message}",
                indent=indent,
                hang=indent + "  ",
            )


def _places(quotes: Sequence[Quote]) -> str:
    """Further places, compactly: "Section F paragraphs 2, 4 and 9; Section G paragraph 3"."""
    by_section: dict[str, list[str]] = {}
    for quote in quotes:
        place = quote.place
        number = str(place.paragraph) if place.paragraph else "heading"
        if place.page is not None:
            number += f" (page {place.page})"
        numbers = by_section.setdefault(place.section, [])
        if number not in numbers:
            numbers.append(number)
    parts = []
    for section, numbers in by_section.items():
        noun = "paragraph" if len(numbers) == 1 else "paragraphs"
        listed = (
            numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
        )
        parts.append(f"Section {section} {noun} {listed}" if section else listed)
    return "; ".join(parts)


def _distinct_advice(suggestions: Sequence[str]) -> list[str]:
    """The first suggestion, and any other that mostly says something else."""
    kept: list[str] = []
    for suggestion in suggestions:
        words = set(suggestion.casefold().split())
        if all(len(words & set(k.casefold().split())) * 2 < len(words) for k in kept):
            kept.append(suggestion)
    return kept


def _fixes(page: _Page, fixes: Sequence[Fix], result: PlanAudit, verbose: bool) -> None:
    unfilled = {f.location.block for f in result.unfilled_fields}
    now = [f for f in fixes if not f.after_consultation]
    later = [f for f in fixes if f.after_consultation]
    if not result.findings:
        page.title("Fixes")
        page.add("No rules ran (no rule packs installed or selected).", indent="  ")
    elif not now:
        page.title("Fixes")
        page.add("Nothing to fix: every check passed.", indent="  ")
    else:
        page.title(f"Fixes, most important first ({len(now)})")
        for number, fix in enumerate(now, 1):
            _fix(page, number, fix, unfilled, verbose)
    if later:
        page.title(f"To do after consultation ({len(later)})")
        page.add(
            "This is a draft: these can only be recorded once the family has seen it.",
            indent="  ",
        )
        for number, fix in enumerate(later, 1):
            _fix(page, number, fix, unfilled, verbose)


def _unfilled(page: _Page, result: PlanAudit, verbose: bool) -> None:
    found = [s for s in result.sections if s.code in SECTION_CODES]
    empty = [s.code for s in found if not s.filled]
    if result.missing_sections:
        page.title("Sections missing")
        page.add(
            ", ".join(f"{c} ({_TITLES.get(c, c)})" for c in result.missing_sections), indent="  "
        )
    fields = result.unfilled_fields
    if not fields and not empty:
        return
    page.title(f"Unfilled template fields ({len(fields)})")
    if empty:
        page.add("Sections holding nothing else: " + ", ".join(empty) + ".", indent="  ")
    shown = fields if verbose else fields[:_FIELDS_SHOWN]
    for item in shown:
        quote = quote_for(result, Evidence(item.text, item.section, item.location))
        page.add(
            f'{quote.place.describe()}: "{first_words(item.text, 12)}"', indent="  - ", hang="    "
        )
    if len(fields) > len(shown):
        page.add(f"... and {len(fields) - len(shown)} more (-v lists them).", indent="    ")


def render_report(
    result: PlanAudit,
    policy: Policy | None = None,
    *,
    width: int | None = None,
    colour: bool = False,
    verbose: bool = False,
) -> str:
    """What ``ehcp-audit check`` prints for one plan (see the module docstring).

    ``policy`` is the rules and scoring in force (loaded from the default
    configuration when None): it says which rules are to do after
    consultation on a draft and which rubric descriptors each rule serves.
    """
    if policy is None:
        from .._config import load_config
        from ..checks import load_policy

        policy = load_policy(load_config())
    page = _Page(width or terminal_width(), colour)
    page.add(result.source.path or "<bytes>", name="title")
    who = _who(result)
    if who != "plan":
        page.add(who, indent="  ")
    page.add("")
    judged = judged_ratings(result, policy)
    _ratings(page, result, judged)
    _strengths(page, result, judged, policy, verbose)
    _fixes(page, plan_fixes(result, policy, judged), result, verbose)
    _unfilled(page, result, verbose)
    page.add("")
    page.add("Why a rating: ehcp-audit explain FILE --principle N. Rule names: -v.")
    return page.text()


# -- sections ---------------------------------------------------------------------------


def _header(result: PlanAudit) -> list[str]:
    src = result.source
    pages = f", {src.pages} pages" if src.pages else ""
    fmt = src.format.value if src.format else "?"
    lines = [f"{src.path or '<bytes>'} ({fmt}{pages})"]
    d = result.details
    facts = [
        ("name", d.name),
        ("preferred name", d.preferred_name),
        ("date of birth", d.date_of_birth and d.date_of_birth.isoformat()),
        ("age", d.age),
        ("year group", d.year_group),
        ("plan date", d.plan_date and d.plan_date.isoformat()),
        ("review date", d.review_date and d.review_date.isoformat()),
        ("status", d.status),
    ]
    shown = [f"{k}: {v}" for k, v in facts if v not in (None, "")]
    if shown:
        lines.append("  " + "; ".join(shown))
    return lines


def _section_line(section: Section) -> list[str]:
    title = _TITLES.get(section.code, section.code)
    state = "" if section.filled else "  [NOT FILLED IN]"
    lines = [f"  {section.code:<5} {title}{state}"]
    lines.append(f"        heading: {section.heading!r}  (found by {section.found_by.value})")
    if section.subsections:
        lines.append("        parts: " + "; ".join(section.subsections))
    body = first_words(section.text)
    if body:
        lines.append(
            textwrap.fill(
                body, width=96, initial_indent="        text: ", subsequent_indent="              "
            )
        )
    return lines


def render_sections(result: PlanAudit) -> str:
    """What ``ehcp-audit sections`` prints: each section, its heading, how it was found."""
    lines = _header(result)
    lines.append("")
    lines.append("Sections found:")
    for section in result.sections:
        lines.extend(_section_line(section))
    lines.append("")
    if result.missing_sections:
        lines.append("Missing sections: " + ", ".join(result.missing_sections))
    else:
        lines.append("All statutory sections A-K are present.")
    return "\n".join(lines) + "\n"
