"""Personal details: who the plan is for, how old, and which plan this is.

The checks need the child's name (to tell "Sam said" from "Mum said"), age
and year group (16+ young people speak for themselves; Preparing for
Adulthood from Year 9), and whether the plan is a draft. Templates hold these
as label/value pairs: "Name: Sam Green" in a paragraph, a label cell with its
value to the right or below, or a page header. We read those pairs from the
preamble first, then section A, then headers and footers, and never take an
unfilled prompt ("{{ name }}", "[Insert name]") for a value.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from ._model import Block, Document, PlanDetails, Section
from ._placeholders import is_placeholder
from .nlp._lexicon import lexicon_cache
from .sections import Sectioning

__all__ = ["is_details_label", "parse_date", "parse_details"]

# -- dates ----------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4}|\d{2})(?!\d)"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+(?P<y>\d{{4}}|'?\d{{2}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b{_MONTH}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\.?,?\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE)
#: "11/2026": a month and year in figures (a review row often gives no day).
_NUMERIC_MONTH_YEAR = re.compile(r"(?<![\d/.-])(?P<m>0?[1-9]|1[0-2])[/.-](?P<y>\d{4})(?![\d/.-])")


def _year(raw: str) -> int:
    raw = raw.lstrip("'")
    year = int(raw)
    if len(raw) == 2:
        # EHC plans began in 2014; a two-digit year is this century unless
        # that puts it far in the future (a parent's 1980s date, say).
        year += 2000 if year <= (dt.date.today().year % 100) + 10 else 1900
    return year


def parse_date(text: str, *, month_only: bool = False) -> dt.date | None:
    """The first UK-style date in ``text``, or None.

    Accepts 14/03/2016, 14/3/16, 14.03.16, 14-03-2016, 2016-03-14, 14 March
    2016, 14th March 2016, March 14, 2016. ``month_only`` also accepts
    "October 2026" or "10/2026" (as the 1st), which is how review dates are often written.
    Impossible dates (31/02/2016) are ignored, never raised.
    """
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            parts = m.groupdict()
            try:
                month = _MONTHS[parts["mon"][:3].lower()] if parts.get("mon") else int(parts["m"])
                date = dt.date(_year(parts["y"]), month, int(parts["d"]))
            except (ValueError, KeyError, TypeError):
                continue
            found.append((m.start(), date))
            break
    if not found and month_only:
        for m in _MONTH_YEAR.finditer(text):
            try:
                found.append((m.start(), dt.date(_year(m["y"]), _MONTHS[m["mon"][:3].lower()], 1)))
            except ValueError:
                continue
            break
        if (numeric := _NUMERIC_MONTH_YEAR.search(text)) is not None:
            found.append((numeric.start(), dt.date(int(numeric["y"]), int(numeric["m"]), 1)))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


# -- labels ---------------------------------------------------------------------------

# Each field's labels, as regexes over a normalised label (lower case, single
# spaces, straight apostrophes, no trailing colon). Fullmatch: "Name of
# parent" is not "Name".
_WHO = r"(?:child|young person|child or young person|child/young person|pupil|learner)"
_LABEL_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "name": (
        r"(?:full |legal )?name",
        rf"(?:the )?{_WHO}(?:'s)? (?:full )?name",
        rf"name of (?:the )?{_WHO}",
        _WHO,
        r"my name(?: is)?",
    ),
    "preferred_name": (
        r"preferred name(?: or nickname)?",
        r"known as",
        r"(?:what |name )?i like to be called",
        r"likes to be called",
    ),
    "date_of_birth": (r"date of birth", r"d\.?o\.?b\.?", r"birth date", r"(?:my )?birthday"),
    "age": (
        r"(?:current )?age(?: at (?:the )?(?:time|date) of (?:the |this )?(?:draft |final )?"
        r"(?:plan|draft))?",
        r"age now",
        r"my age",
        r"age \(years\)",
    ),
    "year_group": (
        r"(?:current |national curriculum |nc |school )?year group",
        r"nc year",
        r"national curriculum year",
        r"school year",
        r"year",
        r"class",
    ),
    "plan_date": (
        r"date of (?:this |the |final |draft )?(?:ehc |ehcp |education, health and care )?plan",
        r"date (?:that )?(?:this |the )?(?:final |draft |amended )?(?:ehc |ehcp )?plan (?:was )?"
        r"(?:issued|finalised|finalized|agreed|dated|signed off|made final)",
        r"(?:final|draft|amended) (?:ehc )?plan issued",
        r"(?:this |the )?(?:ehc |ehcp )?plan (?:was )?(?:finalised|finalized|made final|signed off)"
        r"(?: on)?",
        r"date (?:of )?(?:finalisation|finalization)",
        r"date (?:of )?issue",
        r"date issued",
        r"date of (?:the |this )?draft(?: plan)?",
        r"issue date",
        r"plan date",
        r"date finalised",
        r"plan issued",
    ),
    # The meeting this plan came from ("Annual review meeting | 7 October 2026"):
    # a date the plan was written after, never the next review (before review_date,
    # whose bare "review meeting" would otherwise take it).
    "review_meeting": (
        r"(?:date of (?:the )?)?(?:last |latest |most recent |previous )?annual review meeting"
        r"(?: date| held(?: on)?)?",
        r"date of (?:the )?(?:last|latest|most recent|previous) (?:annual )?review(?: meeting)?",
        r"(?:last|latest|most recent|previous) (?:annual )?review(?: meeting)?(?: date)?",
    ),
    "review_date": (
        r"date of (?:the )?(?:next |first )?(?:annual )?review",
        r"(?:next )?(?:annual )?review date",
        r"(?:next )?annual review(?: due| date)?",
        r"review due",
        r"next review(?: due)?",
        r"to be reviewed by",
        # a bare "Review" row ("Review | Within 12 months (May 2025)"): only a date counts
        r"(?:plan )?review(?: (?:of (?:this|the) plan|meeting|by))?",
        r"when (?:this|the|my) plan will be reviewed",
    ),
    "status": (r"(?:plan )?status", r"stage", r"plan type", r"type of plan"),
    "parent": (
        r"(?:name of )?(?:the )?(?:parent|carer|parent or carer|parent/carer|parent / carer)"
        r"(?: or carer)?(?: \d)?(?:'s)?(?: name)?",
        r"(?:name of )?(?:the )?(?:parents|parents ?/ ?carers|parents or carers|parents and carers"
        r"|parent carers)(?: names?)?",
        # "Parent(s) / carer(s)", "Parent(s)": the bracketed plural of a form
        r"(?:name of )?(?:the )?parent(?:\(s\)|s)?(?: ?/ ?| or | and | & )carer(?:\(s\)|s)?"
        r"(?: names?| details)?",
        r"(?:name of )?(?:the )?parent\(s\)(?: names?)?",
        r"(?:foster|kinship) carer(?: name)?",
        r"main contact(?: name)?",
        r"mother|father|mum|dad|grandmother|grandfather",
    ),
    "age_and_year": (
        r"age (?:and|/|&) (?:school |national curriculum |nc )?year(?: group)?",
        r"(?:school |nc )?year(?: group)? (?:and|/|&) age",
    ),
}
_LABELS = {field: "|".join(alts) for field, alts in _LABEL_ALTERNATIVES.items()}
_LABEL_RE = {field: re.compile(rf"(?:{pattern})") for field, pattern in _LABELS.items()}
# Generic one-word labels need a clear boundary in running text ("Parent name:"
# must not yield the child's name).
_GENERIC = {
    "name", "age", "year", "class", "status", "stage", "birthday",
    "mother", "father", "mum", "dad", "grandmother", "grandfather", "review",
}  # fmt: skip
_ANYWHERE = frozenset({"plan_date", "review_date", "review_meeting", "status"})
_ALL_LABELS = re.compile(
    r"(?<![\w'])(?P<label>"
    + "|".join(f"(?:{p})" for p in _LABELS.values())
    + r")\s*(?::|\s[-\u2013\u2014]\s)\s*",
    re.IGNORECASE,
)
#: A line that is nothing but a label, with no colon: a details table exported to text
#: one cell a line ("Name" then "Sam Hill"). Read only before section A (see _pairs).
_BARE_LABEL = re.compile(
    r"^\s*(?P<label>" + "|".join(f"(?:{p})" for p in _LABELS.values()) + r")\s*$",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"\*\*|__")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u00b7]|\d{1,2}[.)])\s+")
_STRONG_BOUNDARY = re.compile(r"(?:^|[|;,\t]|\s{2,})\s*$")


def _norm_label(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    t = re.sub(r"[*_#]+", " ", t.lower())
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"[\s:.\-\u2013\u2014?]+$", "", t).strip()


@lru_cache(maxsize=4096)
def _field_of(label: str) -> str | None:
    if len(label) > 120:
        return None
    norm = _norm_label(label)
    if not norm or len(norm) > 80:
        return None
    for field, pattern in _LABEL_RE.items():
        if pattern.fullmatch(norm):
            return field
    return None


def is_details_label(text: str) -> bool:
    """Whether ``text`` is only a personal-details field's label ("My name", "Date of birth").

    Why: a details table written in the first person ("My name | Sam
    Hill") is a form the child's details are typed into; its label is not
    the child speaking.
    """
    return _field_of(text) is not None


def _clean_value(value: str) -> str | None:
    value = value.strip().strip("|").strip()
    value = re.sub(r"^[:\-\u2013\u2014]\s*", "", value).strip()
    if not value or is_placeholder(value):
        return None
    return value


def _pairs_in_text(text: str, following: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(field, label, value) written "Label: value" inside a paragraph or cell.

    ``following`` is the next paragraph's text: a plain-text export of a
    details table puts each cell on its own line ("Name:" then "Sam Hill"), so
    a label that ends the text with nothing after it takes the next line as
    its value, unless that line is a label itself.
    """
    lines = text.splitlines()
    for number, raw_line in enumerate(lines):
        # Markdown emphasis and bullets: "- **Name:** Sam" reads as "Name: Sam".
        line = _BULLET.sub("", _EMPHASIS.sub("", raw_line))
        if not line.strip():
            continue
        hits = []
        for m in _ALL_LABELS.finditer(line):
            label = m.group("label")
            field = _field_of(label)
            if field is None:
                continue
            before = line[: m.start()]
            if _norm_label(label) in _GENERIC or field == "name":
                if before.strip() and not _STRONG_BOUNDARY.search(before):
                    continue
            elif before and not before[-1].isspace() and before[-1] not in "|;,(":
                continue
            hits.append((m.start(), m.end(), field, label))
        for i, (_start, end, field, label) in enumerate(hits):
            stop = hits[i + 1][0] if i + 1 < len(hits) else len(line)
            value = _clean_value(line[end:stop])
            if value is None and stop == len(line) and number == len(lines) - 1:
                value = _value_below(following)
            if value is not None:
                yield field, label, value


def _value_below(following: str | None) -> str | None:
    """The next paragraph's first line as a value, unless it is a label or a heading-length text."""
    if not following or not following.strip():
        return None
    line = _BULLET.sub("", _EMPHASIS.sub("", following.strip().splitlines()[0]))
    if len(line) > 120 or _field_of(line) is not None or _ALL_LABELS.search(line):
        return None
    return _clean_value(line)


def _pairs_in_tables(blocks: Sequence[Block]) -> Iterator[tuple[str, str, str]]:
    """(field, label, value) from label cells: the value to the right, else below.

    A row made only of labels (all known labels, or all bold) is a heading row
    ("Plan status | Date of this plan | Date of next review"): its values are
    in the row below, whatever sits to the right.
    """
    grid: dict[tuple[int, int, int], str] = {}
    bold: dict[tuple[int, int, int], bool] = {}
    for b in blocks:
        if b.cell is not None:
            key = (b.cell.table, b.cell.row, b.cell.column)
            grid[key] = (grid[key] + "\n" + b.text) if key in grid else b.text
            bold[key] = bold.get(key, True) and (b.bold or not b.text.strip())
    columns: dict[tuple[int, int], list[int]] = {}
    for table, row, column in grid:
        columns.setdefault((table, row), []).append(column)
    label_rows: set[tuple[int, int]] = set()
    for (table, row), cols in columns.items():
        texts = [(c, grid[(table, row, c)]) for c in cols if grid[(table, row, c)].strip()]
        if len(texts) >= 2 and (
            (all(bold[(table, row, c)] for c, _ in texts) and not _label_column(grid, table, row))
            or all(_field_of(t) is not None for _, t in texts)
        ):
            label_rows.add((table, row))
    for (table, row, column), text in grid.items():
        field = _field_of(text) if "\n" not in text.strip() else None
        if field is None:
            continue
        candidates: list[str] = []
        right = sorted(c for c in columns[(table, row)] if c > column)
        if right and (table, row) not in label_rows:
            candidates.append(grid[(table, row, right[0])])
        below = [c for c in columns.get((table, row + 1), []) if c <= column]
        if below and _people_header(grid, table, row, columns[(table, row)]):
            below = []  # "Name | Role | Present": a list of people, not the child's details
        if below and (not candidates or _field_of(candidates[0]) is not None):
            candidates.append(grid[(table, row + 1, max(below))])
        for candidate in candidates:
            if _field_of(candidate) is not None:
                continue
            value = _clean_value(candidate)
            if value is not None:
                yield field, text, value
                break


def _people_header(
    grid: dict[tuple[int, int, int], str], table: int, row: int, columns: Sequence[int]
) -> bool:
    """Whether a row heads a list of people ("Name | Role | Present"), not the child's details.

    Why: a meeting's attendance table or an advice list has a header row too;
    its "Name" is each person's, and the first one under it is not the child.
    A details header row names the child's own fields ("Name | Address |
    First language") and keeps its values below.
    """
    texts = (grid[(table, row, c)] for c in columns)
    return any(_PEOPLE_COLUMN.match(" ".join(t.lower().split())) for t in texts)


#: A column heading that makes a table a list of people: each row's role or presence.
_PEOPLE_COLUMN = re.compile(
    r"^\W*(?:role|job\s+title|position|designation|relationship(?:\s+to\s+\w+)?|present|"
    r"attended|attendance|apologies|organisation|agency|service|job)\W*\??\W*$"
)


def _label_column(grid: dict[tuple[int, int, int], str], table: int, row: int) -> bool:
    """Whether this row and the next both open with a known label: a label | value table.

    Why: a reader or a template may print a details table's first row in
    bold like a header ("Name | Sam Hill"); when the row below opens with a
    label too ("Date of birth | ..."), the labels run down the first column
    and each row's value is to its right, not below.
    """
    first, below = grid.get((table, row, 0)), grid.get((table, row + 1, 0))
    return bool(first and below and _field_of(first) and _field_of(below))


def _pairs(blocks: Sequence[Block], bare: Sequence[Block] = ()) -> Iterator[tuple[str, str, str]]:
    """Every (field, label, value) in ``blocks``; bare labels too in ``bare`` (the front)."""
    found = (*_pairs_in_tables(blocks), *_text_pairs(blocks), *_bare_pairs(bare))
    for field, label, value in found:
        if field == "age_and_year":
            yield "age", label, value
            yield "year_group", label, value
        else:
            yield field, label, value


def _bare_pairs(blocks: Sequence[Block]) -> Iterator[tuple[str, str, str]]:
    """(field, label, value) from a label line with no colon and its value on the next line.

    Why: a front-page details table saved as text puts each cell on a line of
    its own and drops the table ("Name" / "Sam Hill" / "Parents" / "Dana and
    Lee Hill"). Such a line is a label only where both lines stand alone
    (no table cell) and the value is short and not a sentence or another
    label; read before section A only, where no heading says "Parents" over
    the parents' views.
    """
    for block, after in itertools.pairwise(blocks):
        m = _BARE_LABEL.match(block.text)
        if m is None or block.cell is not None or after.cell is not None:
            continue
        field = _field_of(m.group("label"))
        value = _value_below(after.text)
        if field is None or value is None or len(value) > 80 or value.endswith("."):
            continue
        yield field, m.group("label"), value


def _text_pairs(blocks: Sequence[Block]) -> Iterator[tuple[str, str, str]]:
    for i, b in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        below = after.text if after is not None and b.cell is None and after.cell is None else None
        yield from _pairs_in_text(b.text, below)


# -- values ---------------------------------------------------------------------------

_NAME_OK = re.compile(r"^[^\W\d_][\w'’.\- ]*[^\W\d_]\.?$", re.UNICODE)
#: "Cornelius (Neo) Price", 'Cornelius "Neo" Price', "Jonathan Lowe (Jon)": one capitalised word
#: in brackets or double quotes inside or after the name.
_BRACKETED = re.compile(
    r"^(?P<before>[^()\"“”]+?)\s*[(\"“](?P<pref>[A-Z][a-z][\w'’-]*)[)\"”]\s*(?P<after>[^()\"“”]*)$"
)
#: "Ptolemy or Tolly", "Sam / Sammy": the first of several names the child goes by.
_ALTERNATIVES = re.compile(r"\s+or\s+|\s*/\s*", re.IGNORECASE)


@lexicon_cache(maxsize=1)
def _preferred_rules() -> tuple[re.Pattern[str] | None, frozenset[str]]:
    """How a name field gives the name the child goes by (``speakers.toml [child_name]``)."""
    from .nlp._lexicon import compile_pattern, load

    table = load("speakers").get("child_name", {})
    markers = [m for m in table.get("preferred_markers", []) if m.strip()]
    refused = frozenset(w.lower() for w in table.get("not_preferred", []))
    if not markers:
        return None, refused
    alt = "|".join(f"(?:{m})" for m in markers)
    source = (
        rf"^(?P<name>.+?)\s*(?:,|\(|\s[-\u2013\u2014]\s)\s*(?:{alt})\s+"
        r"[\"'“‘]?(?P<pref>[^)\"”’,]+?)[\"'”’]?\s*\)?\.?$"
    )
    return compile_pattern(source, "rules/lexicons/speakers.toml [child_name]"), refused


def _split_preferred(value: str) -> tuple[str, str | None]:
    """A name field's legal name and the name the child goes by, if it gives one.

    Why: "Bartholomew Hart (I like to be called Barty)" or "Cornelius (Neo) Price" is
    how many details tables give both names, and the plan then says only
    "Barty said ..."; unless "Barty" is known as the child's name, the child's
    reported speech is not heard.
    """
    pattern, refused = _preferred_rules()
    m = pattern.match(value) if pattern is not None else None
    if m:
        return m["name"].strip(), m["pref"].strip()
    b = _BRACKETED.match(value)
    if b and b["pref"].lower() not in refused:
        return " ".join(f"{b['before']} {b['after']}".split()), b["pref"]
    return value, None


def _name(value: str) -> tuple[str | None, str | None]:
    value = " ".join(value.split())
    value, pref = _split_preferred(value)
    if pref is not None:
        pref = _ALTERNATIVES.split(pref)[0].strip()
        if len(pref.split()) > 3 or not _NAME_OK.match(pref):
            pref = None  # "called Sam by his friends": no name alone
    value = re.sub(r"\s*\([^)]*\)$", "", value).strip()
    if re.search(r"[^\W\d_]{3}\.$", value):
        value = value[:-1]  # "Sam Hill." ends a sentence, not an initial
    if not value or len(value.split()) > 6 or not _NAME_OK.match(value):
        return None, pref
    return value, pref


@lexicon_cache(maxsize=1)
def _name_patterns() -> tuple[tuple[re.Pattern[str], ...], frozenset[str]]:
    from .nlp._lexicon import compile_pattern, load

    table = load("speakers").get("child_name", {})
    where = "rules/lexicons/speakers.toml [child_name]"
    patterns = tuple(compile_pattern(p, where) for p in table.get("patterns", []))
    return patterns, frozenset(w.lower() for w in table.get("not_names", []))


def learnt_name(blocks: Sequence[Block]) -> str | None:
    """The child's name as the plan itself uses it, for a plan whose details do not state it.

    Why: "Sam said he wants to stay at his school" is the child's voice only
    if Sam is known to be the child. Headings and opening lines name the
    child ("Plan for Sam Hill", "All about Sam", "What Sam told us", "Sam's
    views", "My name is Sam"); among the names they offer, the one the plan
    uses most often wins, so a single "About Mr Jones" cannot take over.
    """
    patterns, not_names = _name_patterns()
    offered: dict[str, str] = {}
    text_parts: list[str] = []
    for block in blocks:
        text_parts.append(block.text)
        for line in block.text.splitlines()[:3]:
            line = _BULLET.sub("", _EMPHASIS.sub("", line)).strip()
            if not line or len(line) > 160:
                continue
            for pattern in patterns:
                for m in pattern.finditer(line):
                    full = " ".join(m.group("name").split())
                    first = full.split()[0].strip("'’")
                    if first.lower() not in not_names and len(first) > 1:
                        offered.setdefault(first, full)
                        if len(full.split()) > len(offered[first].split()):
                            offered[first] = full
    if not offered:
        return None
    text = "\n".join(text_parts)

    def uses(first: str) -> int:
        return len(re.findall(rf"(?<![\w'’-]){re.escape(first)}(?![\w-])", text))

    best = max(offered, key=uses)
    return offered[best] if uses(best) >= 2 else None


def _preferred_of(value: str, name: str | None) -> str | None:
    """The name a "Preferred name" field gives: of "Ptolemy or Tolly", the one not in the full name.

    Why: the full name already makes "Ptolemy" the child's; the other is the
    one the plan may use alone.
    """
    known = set(name.split()) if name else set()
    said = [_name(v)[0] for v in _ALTERNATIVES.split(" ".join(value.split())) if v.strip()]
    names = [n for n in said if n]
    fresh = [n for n in names if not set(n.split()) <= known]
    chosen = fresh or names
    return chosen[0] if chosen else None


def _age(value: str) -> int | None:
    m = re.search(r"\b(\d{1,2})\b", value)
    if not m:
        return None
    age = int(m.group(1))
    return age if 0 <= age <= 30 else None


_YEAR_NUMBER = re.compile(r"\b(?:year|yr|y|nc year|ncy)\s*(\d{1,2})\b", re.IGNORECASE)


def year_group(value: str) -> str | None:
    """Normalise a year group: "Y9"/"Yr 9"/"year 9" -> "Year 9"; "Reception", ..."""
    v = " ".join(value.split())
    low = v.lower()
    m = _YEAR_NUMBER.search(v)
    if m and 1 <= int(m.group(1)) <= 14:
        return f"Year {int(m.group(1))}"
    if re.search(r"\bpost[\s\-]?16\b|\bsixth form\b", low):
        return "Post-16"
    if re.search(r"\bpost[\s\-]?19\b", low):
        return "Post-19"
    if re.search(r"\breception\b|^r$|\bfs2\b", low):
        return "Reception"
    if re.search(r"\bnursery\b|\bpre-?school\b|\bfs1\b", low):
        return "Nursery"
    if re.fullmatch(r"\d{1,2}", v) and 1 <= int(v) <= 14:
        return f"Year {int(v)}"
    return None


# Upper-case DRAFT is a stamp; "Draft EHC plan" / "Proposed plan" in any case.
_DRAFT = re.compile(
    r"\bDRAFT\b|(?i:\bdraft\s+(?:ehc|ehcp|education,?\s+health|plan)\b"
    r"|\bproposed\s+(?:ehc\s+|ehcp\s+)?plan\b|^\s*draft\b)",
    re.MULTILINE,
)
_FINAL = re.compile(
    r"\bfinal\s+(?:ehc|ehcp|education,?\s+health|plan)\b|^\s*final\b",
    re.IGNORECASE | re.MULTILINE,
)


# "This plan is final." / "This is a draft plan" said in a sentence.
_SAYS_STATUS = re.compile(
    r"\b(?:this|the) (?:ehc |ehcp )?plan is (?:now |still )?(?:a |an )?"
    r"(?P<status>draft|final|proposed)\b"
    r"|\bthis is (?:a |the |an )?(?P<status2>draft|final|proposed) (?:ehc |ehcp )?plan\b",
    re.IGNORECASE,
)


def _status_of(value: str) -> str | None:
    low = value.lower()
    if "draft" in low or "proposed" in low:
        return "draft"
    if "final" in low:
        return "final"
    return None


def _headline_status(blocks: Iterable[Block]) -> str | None:
    """DRAFT / Final from short standalone lines: titles, headers, watermark text."""
    draft = final = False
    for b in blocks:
        text = b.text.strip()
        if not text or b.placeholder:
            continue
        said = _SAYS_STATUS.search(text)
        if said:
            word = (said.group("status") or said.group("status2")).lower()
            draft = draft or word in ("draft", "proposed")
            final = final or word == "final"
        for line in text.splitlines():
            line = line.strip()
            if not line or len(line.split()) > 10 or ":" in line:
                continue
            if _DRAFT.search(line):
                draft = True
            elif _FINAL.search(line):
                final = True
    if draft:
        return "draft"
    if final:
        return "final"
    return None


# "We will look at this plan again by 19 June 2026." / "It will be reviewed by ..."
# A bare "Review" label counts too where a table or a text export puts the date
# after it ("Review | Within 12 months (May 2025)", "Review: June 2026"): the date
# must still follow within a few words, so "Review | To be arranged" gives none.
_SAYS_REVIEW = re.compile(
    r"\b(?:look at (?:this|the|my|your) plan again|(?:be )?reviewed|review (?:this|the) plan|"
    r"next review|annual review)\b[^.:\n]{0,30}?\b(?:by|on|in|before|no later than)\s+"
    r"|\b(?:(?:next|annual|plan)\s+)?review(?:\s+(?:date|due))?\s*[|:]\s*"
    r"(?:(?:within|in)\s+(?:\d{1,2}|six|twelve)\s+months\s*[(,\-\u2013]?\s*|by\s+|on\s+|in\s+)?",
    re.IGNORECASE,
)


def _said_review_date(blocks: Iterable[Block]) -> dt.date | None:
    for b in blocks:
        if b.placeholder:
            continue
        for m in _SAYS_REVIEW.finditer(b.text):
            date = parse_date(b.text[m.end() : m.end() + 30], month_only=True)
            if date is not None:
                return date
    return None


def _next_review(said: Sequence[str], plan_date: dt.date | None) -> dt.date | None:
    """The first review date given that is not before the plan's own date.

    Why: "Date of review" also heads the summary of the review this plan came
    from ("Date of review: 18 September 2026" in a plan issued in November);
    a review held before the plan was issued is not the next one.
    """
    for raw in said:
        date = parse_date(raw, month_only=True)
        if date is not None and (plan_date is None or date >= plan_date):
            return date
    return None


def _age_at(born: dt.date, on: dt.date) -> int | None:
    if on < born:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# "2 May 2007 (age 19)", "14/03/2016, aged 10", "3 March 2020 (6 years)": an age
# written beside the date of birth. A bare "(13)" counts only where it fits the
# date of birth (see _age_beside_birth).
_SAID_AGE = re.compile(
    r"\b(?:age|aged|now)\s*:?\s*(?P<age>\d{1,2})\b(?!\s*(?:months?|mths?|weeks?)\b)"
    r"|\b(?P<years>\d{1,2})\s*(?:years?|yrs?|y)(?:\s*old)?\b(?!\s*(?:and\s+)?\d{1,2}\s*m)"
    r"|\(\s*(?P<bare>\d{1,2})\s*\)",
    re.IGNORECASE,
)
#: EHC plans began in September 2014; a year after next is not a plan date yet.
_FIRST_PLAN_YEAR = 2014


def _age_beside_birth(value: str, born: dt.date | None) -> int | None:
    """The age a date-of-birth value states beside the date, or None.

    Why: many details tables give "Date of birth | 2 May 2007 (age 19)" and no
    plan date, so the age cannot be worked out, yet the plan says it. A bare
    number in brackets ("21/09/2013 (13)") is taken only when it is a possible
    age at a plan date (the birth year plus it falls between 2014 and next
    year), so "(Ref 12)" or a house number never passes for an age.
    """
    rest = value
    if born is not None:
        rest = re.sub(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}", " ", value)
    for m in _SAID_AGE.finditer(rest):
        raw = m.group("age") or m.group("years") or m.group("bare")
        age = int(raw)
        if not 0 <= age <= 30:
            continue
        if m.group("bare") is not None and not _fits_birth(born, age):
            continue
        return age
    return None


def _fits_birth(born: dt.date | None, age: int) -> bool:
    """Whether a bare number is an age some plan could give for this date of birth."""
    return born is not None and _FIRST_PLAN_YEAR <= born.year + age <= dt.date.today().year + 1


def _bounded_age(born: dt.date, review: dt.date | None, meeting: dt.date | None) -> int | None:
    """The child's age when the plan gives no plan date, from what bounds that date.

    Why: a plan is reviewed within twelve months of being issued, so its date
    lies between the next review date less a year and the review date; and a
    plan amended after an annual review meeting is dated after that meeting.
    The latest of those lower bounds gives the youngest the child can be. The
    age is kept only when it is certain where it matters: when the bounds give
    one age, or when even the youngest possible age is 16 or over (a young
    person who speaks for themselves; no other check turns on a year either
    side). Otherwise None, and the year group decides, as before.
    """
    lower = [d for d in (meeting, _year_before(review) if review else None) if d is not None]
    if not lower:
        return None
    youngest = _age_at(born, max(lower))
    if youngest is None:
        return None
    oldest = _age_at(born, review) if review is not None else None
    if youngest == oldest or youngest >= 16:
        return youngest
    return None


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_details(document: Document, sectioning: Sectioning) -> PlanDetails:
    """Read the personal details a plan states.

    Identity fields (name, date of birth, age, year group) come from the
    preamble, the page furniture and section A, in that order, so a school's
    "Name" in section I or an officer's name in the sign-off is never taken
    for the child's. Plan and review dates and the status may come from
    anywhere (a sign-off table often holds "Date plan issued"). The first
    real value wins.
    """
    front = sectioning.section("front")
    a = sectioning.section("A")
    front_blocks = list(front.blocks) if front else []
    furniture = list(document.furniture)
    identity = [*front_blocks, *furniture, *(a.blocks if a else ())]
    held = {id(b) for b in identity}
    identity += [b for b in _before(document, a) if id(b) not in held]

    values: dict[str, tuple[str, str]] = {}
    parents: list[str] = []
    reviews: list[str] = []
    for field, label, said in _pairs(identity, _before(document, a) or front_blocks):
        values.setdefault(field, (label, said))
        if field == "parent":
            parents.extend(_parent_names(said))
        if field == "review_date":
            reviews.append(said)
    for field, label, said in _pairs(document.blocks):
        if field in _ANYWHERE:
            values.setdefault(field, (label, said))
        if field == "review_date":
            reviews.append(said)

    def value(field: str) -> str | None:
        return values[field][1] if field in values else None

    name = preferred = None
    if (raw := value("name")) is not None:
        name, preferred = _name(raw)
    if (raw := value("preferred_name")) is not None:
        preferred = _preferred_of(raw, name) or preferred
    if name is None and preferred is None:
        name = learnt_name([*furniture, *document.blocks])

    dob = parse_date(raw) if (raw := value("date_of_birth")) else None
    plan_date = parse_date(raw, month_only=True) if (raw := value("plan_date")) else None
    review_date = _next_review(reviews, plan_date)
    if review_date is None:
        review_date = _said_review_date([*front_blocks, *furniture])
    age = _age(raw) if (raw := value("age")) else None
    if age is None and dob is not None and plan_date is not None:
        age = _age_at(dob, plan_date)
    if age is None and (raw := value("date_of_birth")) is not None:
        # after the plan date's own count: "(age 13)" may date from the assessment
        age = _age_beside_birth(raw, dob)
    if age is None and dob is not None:
        meeting = parse_date(raw) if (raw := value("review_meeting")) else None
        age = _bounded_age(dob, review_date, meeting)
    year = year_group(raw) if (raw := value("year_group")) else None

    status = _status_of(raw) if (raw := value("status")) else None
    if status is None:
        headings = [b for b in document.blocks if b.heading_level is not None]
        status = _headline_status([*furniture, *front_blocks, *headings])
    if status is None and plan_date is not None:
        # "Final plan issued: 2 October 2025" with a real date says which plan this is.
        status = _status_of(values["plan_date"][0])
    return PlanDetails(
        name=name,
        preferred_name=preferred,
        date_of_birth=dob,
        age=age,
        year_group=year,
        plan_date=plan_date,
        review_date=review_date,
        status=status,
        parents=tuple(dict.fromkeys(parents)),
    )


#: "Sue and Tom Hill", "Ann Lee; Raj Lee", "Kim Ash (mother), Lee Dunn (stepfather)"
def _before(document: Document, a: Section | None) -> list[Block]:
    """The blocks the document puts before section A's heading, whatever section took them.

    Why: a preamble's bold capital lines ("SPECIAL EDUCATIONAL NEEDS
    SERVICE" in a council's letterhead) can be read as a section heading,
    and the details under it ("Name of child: ...") then fall outside the
    front matter. Whatever comes before section A is still the plan's
    preamble for identity; it is read after the front matter and section A,
    so it never overrides them.
    """
    if a is None:
        return []
    starts = [
        i for i in (a.heading_block, a.blocks[0].index if a.blocks else None) if i is not None
    ]
    if not starts:
        return []
    return [block for block in document.blocks if block.index < min(starts)]


#: "Sue and Tom Hill", "Ann Lee; Raj Lee", "Kim Ash (mother), Lee Dunn (stepfather)"
_PARENT_SPLIT = re.compile(r"\s+(?:and|&)\s+|\s*[;/]\s*|(?<=\))\s*,\s*")
_RELATION = re.compile(
    r"\s*[(,\u2013\u2014-]\s*(?:mother|father|mum|dad|carer|foster|step|grand).*$", re.I
)
_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr)\.?\s+", re.I)
_ROLE_FIRST = re.compile(
    r"^(?:mum|mother|dad|father|carer|foster carer|step-?(?:mum|dad|mother|father)|gran\w*|nan\w*)"
    r"\s*[(:\u2013\u2014-]\s*(?P<name>[^()]+?)\)?$",
    re.I,
)


def _parent_names(value: str) -> list[str]:
    """Names in a parent/carer field: "Nadia Khan (Mother)", "Mr and Mrs Khan", "Sue and Tom Hill".

    Why: the voice components need to know who the family are, to hear
    "Nadia told us…" as a parent's voice rather than a stranger's.
    """
    names = []
    for part in _PARENT_SPLIT.split(value.strip()):
        if role_first := _ROLE_FIRST.match(part.strip()):
            part = role_first["name"]  # "Mum (Odile Wick)"
        name = _RELATION.sub("", part).strip(" .,:")
        bare = _TITLE.sub("", name).strip()
        plausible = len(bare.split()) <= 4 and not any(c.isdigit() for c in bare)
        if bare and bare[0].isupper() and plausible:
            names.append(name)
    return names
