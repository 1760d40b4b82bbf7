"""Section K, the list of advice: reading entries and completing table rows.

An entry written on one line ("EP advice - Dr A, EP, 12/06/2025
(appended)") gives the advice type, author, date and whether it is
appended (:func:`read_entry`); in a K *table* each cell is its own doc, so
:func:`complete_advice_rows` works at row level over the finished cues,
filling those attributes from the other cells of the row and dropping cues
from rows whose advice never came or that are unfilled template rows.
Patterns come from the ``[k_entry]`` and ``[k_table]`` parts of the
agency lexicon (:mod:`._agency_lexicon`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from attrs import frozen

from ..._model import Cue, Section, evolve
from ._agency_lexicon import INPUTS, KIND, AgencyRules, EntryRules, default_rules

#: A K line this short (words) is a status note ("Requested. Awaiting response.").
_SHORT_LINE = 8


# --------------------------------------------------------------------------
# Reading a K entry: dates, "appended", the author and the type of advice
# --------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"""\b(?:
        (?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})
      | (?P<nd>\d{{1,2}})[/.\-](?P<nm>\d{{1,2}})[/.\-](?P<ny>\d{{4}}|\d{{2}})
      | (?P<td>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<tm>{_MONTH})\.?,?\s+(?P<ty>\d{{4}})
      | (?P<um>{_MONTH})\.?\s+(?P<ud>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<uy>\d{{4}})
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_date(text: str) -> str | None:
    """The first UK-style date in ``text`` as an ISO string, or ``None``.

    Numeric dates are read day first ("12/06/2025" is 12 June), as English
    councils write them; two-digit years are taken as 20YY.
    """
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        try:
            if groups["iy"]:
                year, month, day = int(groups["iy"]), int(groups["im"]), int(groups["id"])
            elif groups["ny"]:
                year = int(groups["ny"])
                year = year + 2000 if year < 100 else year
                month, day = int(groups["nm"]), int(groups["nd"])
            elif groups["ty"]:
                year, day = int(groups["ty"]), int(groups["td"])
                month = _MONTHS[groups["tm"].casefold()]
            else:
                year, day = int(groups["uy"]), int(groups["ud"])
                month = _MONTHS[groups["um"].casefold()]
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def parse_appended(text: str, rules: EntryRules) -> bool | None:
    """``True``/``False`` from "YES", "NO", "(appended)", "not appended"; ``None`` if silent."""
    if rules.appended_no.search(text):
        return False
    if rules.appended_yes.search(text):
        return True
    return None


def says_pending(text: str, rules: EntryRules) -> bool:
    """Whether a K entry or cell says the advice was asked for and never came.

    Read on the entry's first line and on short lines ("Requested. Awaiting
    response."), not inside a report's summary, where "awaiting an orthotics
    appointment" is about the child. A line that says the advice is appended
    is not pending.
    """
    return any(
        (number == 0 or len(line.split()) <= _SHORT_LINE)
        and rules.pending.search(line) is not None
        and parse_appended(line, rules) is not True
        for number, line in enumerate(text.splitlines())
    )


def reg6_source(advice: str | None, rules: EntryRules) -> str | None:
    """The regulation 6(1) source an advice type names, or ``None``."""
    if not advice:
        return None
    for source, pattern in rules.reg6:
        if pattern.search(advice):
            return source
    return None


@frozen
class Entry:
    """What the first line of a K block says about the advice it lists."""

    advice: str | None = None
    author: str | None = None
    author_span: tuple[int, int] | None = None
    explicit: bool = False  # the author follows "from", a dash or a colon
    date: str | None = None
    appended: bool | None = None


def _first_line(text: str) -> tuple[int, int]:
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t,;:–—-(":
        start += 1
    while end > start and text[end - 1] in " \t,;:–—-(":
        end -= 1
    return start, end


def read_entry(text: str, rules: EntryRules) -> Entry:
    """Split a K line into advice type, author, date and "appended".

    Handles one-line entries ("Educational psychology advice from Dr A, EP,
    dated 12 June 2025 (appended)", "K2. SALT advice – M. Booth, SALT,
    12/06/2025, appended") and single table cells (an author cell "Dr A,
    Community Paediatrician"; an advice-type cell "Medical advice").
    """
    line_start, line_end = _first_line(text)
    numbering = rules.numbering.match(text, line_start, line_end)
    if numbering:
        line_start = numbering.end()
    line = text[line_start:line_end]
    for separator in rules.separators:
        for match in separator.finditer(line):
            if not rules.advice_word.search(line, 0, match.start()):
                continue
            advice = line[: match.start()].strip(" ,;:") or None
            rest_start = line_start + match.end()
            end = rules.author_end.search(text, rest_start, line_end)
            author_end = end.start() if end else line_end
            a, b = _trimmed(text, rest_start, author_end)
            author = text[a:b] if b > a else None
            tail = text[rest_start:line_end]
            return Entry(
                advice=advice,
                author=author,
                author_span=(a, b) if author else None,
                explicit=True,
                date=parse_date(tail),
                appended=parse_appended(tail, rules),
            )
    if len(line.split()) > rules.max_author_words:
        return Entry()
    if rules.advice_word.search(line):
        return Entry(advice=line.strip(" ,;:") or None, date=parse_date(line))
    end = rules.author_end.search(text, line_start, line_end)
    a, b = _trimmed(text, line_start, end.start() if end else line_end)
    if b <= a or line.rstrip().endswith((".", "!", "?")):
        return Entry(date=parse_date(line), appended=parse_appended(line, rules))
    return Entry(
        author=text[a:b],
        author_span=(a, b),
        date=parse_date(line),
        appended=parse_appended(line, rules),
    )


_SENTENCE_END = (".", "!", "?", '"', "”", "'", "’")


def _words(text: str) -> int:
    return len(text.split())


def is_entry_line(text: str, position: int, rules: EntryRules) -> bool:
    """Whether the line of ``text`` holding ``position`` lists a piece of advice.

    Section K is the list of advice, but plans also put the meeting notes,
    the draft's history and "progress to celebrate" under it. An entry
    names its advice before a separator ("Social care advice: ...", "Report
    from ..."), or is a short line that is not a sentence (a "who from"
    cell, "Information from the chess club"), or a short dated line; a
    longer line or a finished sentence ("Since May she has joined the chess
    club.") is narrative, and is read like a sentence in any other section.
    """
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    head = _entry_head(text, start, end)
    if position >= head:
        return False  # the summary run on after the entry's date: read as prose
    line = text[start:end].strip()
    numbering = rules.numbering.match(line)
    if numbering:
        line = line[numbering.end() :]
    if rules.lead_in.match(line):
        return False  # "Extract from the EP's advice": a heading over the quotation
    if read_entry(line, rules).explicit:
        return True
    if _words(line) <= rules.max_author_words:
        return not line.endswith(_SENTENCE_END) or parse_date(line) is not None
    return not line.endswith(_SENTENCE_END) and _listed_part(text, position, start, end, rules)


def _listed_part(text: str, position: int, start: int, end: int, rules: EntryRules) -> bool:
    """Whether ``position`` sits in a short part of a "who from" list written on one line.

    A K cell may name several contributors, each with a note, separated by
    semicolons ("Hill Farm Riders (a riding charity), volunteer leader; the
    parent carer forum, who helped the family write their views"): the line is
    long, but each part is as short as a single entry's author.
    """
    low = text.rfind(";", start, position) + 1 or start
    high = text.find(";", position, end)
    part = text[low : end if high < 0 else high]
    return (low > start or high >= 0) and _words(part) <= rules.max_author_words


_AFTER_DATE = re.compile(r"\s*(?:\([^()]{0,30}\))?")


def _entry_head(text: str, start: int, end: int) -> int:
    """Where the entry part of a K line ends: after its first date (and a bracket after it).

    A plain-text export can run an advice summary on after the entry on the
    same line ("... 20/11/2025 (appended) We recommended the playscheme ..."):
    a service named in the summary did not give this advice.
    """
    date = _DATE.search(text, start, end)
    if date is None:
        return end
    tail = _AFTER_DATE.match(text, date.end(), end)
    return tail.end() if tail else date.end()


# --------------------------------------------------------------------------
# Row level: K tables, where one row is one piece of advice
# --------------------------------------------------------------------------


@frozen
class AdviceRow:
    """One row of a K table, read through its header."""

    advice: str | None
    author: str | None
    date: str | None
    appended: bool | None
    pending: bool
    unfilled: bool


def _header_columns(cells: Mapping[int, str], rules: EntryRules) -> dict[int, str] | None:
    """Column names when this row is a header row ("Advice | Who from | Date | Appended")."""
    names: dict[int, str] = {}
    for column, text in cells.items():
        text = text.strip()
        if not text:
            continue
        if _words(text) > 6 or parse_date(text):
            return None
        for name, pattern in rules.columns:
            if pattern.search(text):
                names.setdefault(column, name)
                break
    return names if len(names) >= 2 else None


def _first_line_of(text: str) -> str:
    a, b = _first_line(text)
    return text[a:b].strip()


def _read_row(cells: Mapping[int, str], columns: Mapping[int, str], rules: EntryRules) -> AdviceRow:
    by_name: dict[str, str] = {}
    for column, name in columns.items():
        value = cells.get(column, "").strip()
        if value:
            by_name.setdefault(name, value)
    unnamed = [t.strip() for c, t in sorted(cells.items()) if c not in columns and t.strip()]
    date = parse_date(by_name.get("date", ""))
    appended = parse_appended(by_name["appended"], rules) if "appended" in by_name else None
    for value in unnamed:  # no header: take dates and yes/no cells by their look
        if date is None and _words(value) <= 4:
            date = parse_date(value)
        if appended is None and _words(value) <= 2:
            appended = parse_appended(value, rules)
    advice = by_name.get("advice")
    author = by_name.get("author")
    pending = any(says_pending(t, rules) for t in cells.values())
    filled = [
        t for c, t in cells.items() if t.strip() and columns.get(c) not in ("advice", "appended")
    ]
    return AdviceRow(
        advice=_first_line_of(advice) if advice else None,
        author=_first_line_of(author) if author else None,
        date=date,
        appended=appended,
        pending=pending,
        unfilled=not filled and date is None,
    )


def advice_rows(
    sections: Iterable[Section], rules: EntryRules | None = None
) -> dict[tuple[int, int], AdviceRow]:
    """Every table row of section K, keyed by (table, row), read through its table's header."""
    rules = rules or default_rules().entry
    rows: dict[tuple[int, int], dict[int, str]] = {}
    for section in sections:
        if section.code != "K":
            continue
        for block in section.blocks:
            cell = block.cell
            if cell is not None:
                rows.setdefault((cell.table, cell.row), {})[cell.column] = block.text
    result: dict[tuple[int, int], AdviceRow] = {}
    columns: dict[int, dict[int, str]] = {}
    for (table, row), cells in sorted(rows.items()):
        header = _header_columns(cells, rules)
        if header is not None:
            columns[table] = header
            continue
        result[(table, row)] = _read_row(cells, columns.get(table, {}), rules)
    return result


def complete_advice_rows(
    cues: Sequence[Cue], sections: Sequence[Section], rules: AgencyRules | None = None
) -> tuple[Cue, ...]:
    """Give K-table agency cues their row's date, "appended", advice and author.

    Proposed to run in the pipeline right after :func:`extract_cues` (it needs
    the row, which a per-cell doc cannot see). Cues from a row whose advice
    was requested and never came, or from an unfilled template row, are
    dropped: they are not input. Other cues pass through unchanged. ``rules``
    defaults to the installed lexicon.
    """
    entry_rules = (rules or default_rules()).entry
    rows = advice_rows(sections, entry_rules)
    if not rows:
        return tuple(cues)
    result: list[Cue] = []
    for cue in cues:
        location = cue.location
        row = None
        if cue.kind == KIND and cue.section == "K" and location.table is not None:
            row = rows.get((location.table, location.row or 0))
        if row is None:
            result.append(cue)
            continue
        if row.pending or row.unfilled:
            continue
        attributes = dict(cue.attributes)
        advice = row.advice or attributes.get("advice")
        attributes["advice"] = advice
        attributes["author"] = row.author or attributes.get("author")
        attributes["date"] = row.date or attributes.get("date")
        if row.appended is not None:
            attributes["appended"] = row.appended
        attributes["reg6_source"] = reg6_source(advice, entry_rules) or attributes.get(
            "reg6_source"
        )
        attributes["input"] = INPUTS[0]
        result.append(evolve(cue, attributes=attributes))
    return tuple(result)
