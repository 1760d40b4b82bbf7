"""``ehcp_agency``: the roles and services that gave advice or input to a plan.

Principle 4 of the rubric ("growing networks of people") rates a plan on who
contributed to it: education, health and social care advice, and for
Excellent the community and voluntary sector (SENDIASS, a parent carer forum,
an advocate, a club the child goes to). Each ``agency`` cue names one role or
service, with ``category`` in ``education | health | social_care |
voluntary_community`` and ``attributes``:

- ``role``: the normalised role ("speech and language therapist" for "SaLT");
- ``input``: ``"advice"`` when the text says the role gave advice, an
  assessment or a report, contributed or attended (or the mention sits in
  section K, the list of advice); ``"mention"`` otherwise;
- in section K also ``advice`` (the type of advice, e.g. "Medical advice"),
  ``author`` (the "who from" text: name and role), ``date`` (ISO, from UK
  dates such as "12/06/2025" or "12th June 2025"), ``appended`` (true/false)
  and ``reg6_source``, which regulation 6(1) of the SEND Regulations 2014 the
  advice answers: ``parent`` (the parent or young person, and the child's own
  views gathered with them), ``school`` (educational advice, including a
  qualified teacher of the deaf or visually impaired), ``medical``,
  ``educational_psychologist``, ``social_care``, ``preparing_for_adulthood``
  (from Year 9) or ``other``. Values the text does not give are ``None``.

What counts is involvement, not a word: "not known to Children's Social Care",
"details of the short breaks local offer", "CAMHS advice: awaiting response"
name a service that gave nothing, so they give no cue (ConText-style triggers
with a clause-bounded scope, from the lexicon). Community activities (a club,
a church) count only when they gave advice or information, since a child who
goes to Scouts is not the Scouts contributing to the plan.

Matching is by token (spaCy ``PhraseMatcher``), so "OT" never matches inside
"NOT", and abbreviations ("EP", "OT", "GP") match only in their own case; the
longest match wins, which keeps "virtual school" from being read as a school
and lets ``[not_agency]`` phrases ("Church of England school") silence the
agency word inside them. Everything the component recognises is data in
``rules/lexicons/agencies.toml``.

K tables: each table cell is its own doc, so a cue in the "who from" cell
cannot see the date and "appended" cells of its row. The component attaches
what the cell itself says (an entry written on one line, "EP advice - Dr A,
EP, 12/06/2025 (appended)", gives everything) and uses the row label for the
advice type. :func:`complete_advice_rows` then works at row level over the
finished cues: it fills ``date``, ``appended``, ``advice`` and ``author`` from
the other cells of the same table row, and drops cues from rows whose advice
never came ("Requested. Awaiting response.") or that are unfilled template
rows.

Measured on the corpus labels (12 plans, 20 files; per category, "does the
plan show input from it"): recall 1.00 in all four categories (58/58) and no
category on a plan whose label list is empty once rows are completed; without
the row pass one file (a "Children's Social Care" cell whose row says
"Awaiting response") gives a false social-care category. The same figures hold
with section K ignored, so the rules do not lean on one template's K table.
Cost: one pass of two ``PhraseMatcher`` s per block; the context regexes run
only around matches, in bounded windows, and only where a word starts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from attrs import frozen
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..._errors import ConfigError
from ..._model import Cue, Section, evolve
from .._context import BlockContext, Hit, add_hit, context_of
from .._lexicon import compile_pattern, load
from .._text import doc_text, lower_text, lowercase_twin, sentence_spans

LEXICON = "agencies"
KIND = "agency"
CATEGORIES: tuple[str, ...] = ("education", "health", "social_care", "voluntary_community")
REG6_SOURCES: tuple[str, ...] = (
    "parent",
    "school",
    "medical",
    "educational_psychologist",
    "social_care",
    "preparing_for_adulthood",
    "other",
)
INPUTS: tuple[str, ...] = ("advice", "mention")

#: Match id of the ``[not_agency]`` phrases.
_NOT_AGENCY = "__not_agency__"
#: White space other than a plain space, mapped to a space (same length) before
#: matching, so a phrase wrapped over two lines ("speech and\nlanguage") still matches.
_BREAK_CHARS = "\n\r\t\v\f\xa0\u2007\u2009\u202f\u2028\u2029"
_SPACES = str.maketrans(dict.fromkeys(_BREAK_CHARS, " "))
_BREAKS = re.compile(f"[{_BREAK_CHARS}]")
_APOSTROPHES = ("'", "’")
#: How far (characters) around a match the context scans read. The lexicon's
#: windows (trigger ``window`` + 40, ``advice_after``, 80 before) fit inside.
_REACH = 160
#: How far back a "the meeting was attended by ..." list can start.
_LIST_REACH = 300
#: A K line this short (words) is a status note ("Requested. Awaiting response.").
_SHORT_LINE = 8


# --------------------------------------------------------------------------
# The lexicon, validated once
# --------------------------------------------------------------------------


@frozen
class Agency:
    """One normalised role from the lexicon."""

    id: str
    role: str
    category: str
    reg6: str
    terms: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    needs_advice: bool = False
    skip_sections: frozenset[str] = frozenset()


@frozen
class Triggers:
    """Non-involvement triggers and their clause-bounded scope."""

    forward: re.Pattern[str]
    backward: re.Pattern[str]
    clause_break: re.Pattern[str]
    window: int


@frozen
class EntryRules:
    """How one piece of advice is written in section K."""

    pending: re.Pattern[str]
    advice_word: re.Pattern[str]
    separators: tuple[re.Pattern[str], ...]
    numbering: re.Pattern[str]
    author_end: re.Pattern[str]
    max_author_words: int
    appended_no: re.Pattern[str]
    appended_yes: re.Pattern[str]
    reg6: tuple[tuple[str, re.Pattern[str]], ...]
    columns: tuple[tuple[str, re.Pattern[str]], ...]


@frozen
class AgencyRules:
    """Everything ``agencies.toml`` says, checked and compiled."""

    agencies: Mapping[str, Agency]
    not_agency: tuple[str, ...]
    advice: re.Pattern[str]
    future: re.Pattern[str]
    advice_after: int
    attributed_by: re.Pattern[str]
    list_intro: re.Pattern[str]
    citation: re.Pattern[str]
    triggers: Triggers
    entry: EntryRules


@frozen
class _Scans:
    """The context patterns the component scans around each match."""

    clause_break: re.Pattern[str]
    forward: re.Pattern[str]
    backward: re.Pattern[str]
    window: int
    advice: re.Pattern[str]
    advice_after: int
    future: re.Pattern[str]
    attributed_by: re.Pattern[str]
    list_intro: re.Pattern[str]
    citation: re.Pattern[str]

    @classmethod
    def of(cls, rules: AgencyRules) -> _Scans:
        """The patterns as the lexicon gives them (case-insensitive)."""
        triggers = rules.triggers
        return cls(
            clause_break=triggers.clause_break,
            forward=triggers.forward,
            backward=triggers.backward,
            window=triggers.window,
            advice=rules.advice,
            advice_after=rules.advice_after,
            future=rules.future,
            attributed_by=rules.attributed_by,
            list_intro=rules.list_intro,
            citation=rules.citation,
        )

    def lowercase(self) -> _Scans | None:
        """The same scans for lower-cased text (faster), or None if a pattern has no twin."""
        names = ("clause_break", "forward", "backward", "advice", "future")
        names += ("attributed_by", "list_intro", "citation")
        twins = {name: lowercase_twin(getattr(self, name)) for name in names}
        if any(twin is None for twin in twins.values()):
            return None
        return evolve(self, **twins)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    return value


def _pattern(table: Mapping[str, Any], key: str, where: str) -> re.Pattern[str]:
    return compile_pattern(_text(table, key, where), f"{where}.{key}")


def _any_of(sources: Sequence[str], where: str) -> re.Pattern[str]:
    """One regex for a list of word patterns (see :func:`_at_words`)."""
    if not sources:
        return re.compile(r"(?!)")
    return _at_words([*sources], where)


def _word_pattern(table: Mapping[str, Any], key: str, where: str) -> re.Pattern[str]:
    return _at_words([_text(table, key, where)], f"{where}.{key}")


def _at_words(sources: Sequence[str], where: str) -> re.Pattern[str]:
    r"""Compile word patterns so that the engine tries them only where a word starts.

    Context patterns are scanned around every agency match; a plain
    ``\b(?:a|b|...)`` is tried at every character, which made these scans
    most of the component's cost. Each pattern must start with ``\b``.
    """
    for source in sources:
        if not source.startswith("\\b"):
            raise ConfigError(f"{where}: pattern {source!r} must start with \\b (a word start)")
    joined = "|".join(f"(?:{s})" for s in sources)
    compile_pattern(joined, where)  # names the file if a pattern is wrong
    return re.compile(rf"(?<!\w)(?=\w)(?:{joined})", re.IGNORECASE)


def _positive(table: Mapping[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{where}: '{key}' must be a positive whole number")
    return value


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: missing [{key}] table")
    return value


def _agency(raw: Any, where: str) -> Agency:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: each [[agency]] must be a table")
    ident = _text(raw, "id", where)
    where = f"{where} (id {ident!r})"
    category = _text(raw, "category", where)
    if category not in CATEGORIES:
        raise ConfigError(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)}")
    reg6 = _text(raw, "reg6", where)
    if reg6 not in REG6_SOURCES:
        raise ConfigError(f"{where}: reg6 {reg6!r} is not one of {', '.join(REG6_SOURCES)}")
    terms = _strings(raw.get("terms"), f"{where}.terms")
    abbreviations = _strings(raw.get("abbreviations"), f"{where}.abbreviations")
    if not terms and not abbreviations:
        raise ConfigError(f"{where}: give at least one term or abbreviation")
    needs_advice = raw.get("needs_advice", False)
    if not isinstance(needs_advice, bool):
        raise ConfigError(f"{where}: needs_advice must be true or false")
    return Agency(
        id=ident,
        role=_text(raw, "role", where),
        category=category,
        reg6=reg6,
        terms=terms,
        abbreviations=abbreviations,
        needs_advice=needs_advice,
        skip_sections=frozenset(_strings(raw.get("skip_sections"), f"{where}.skip_sections")),
    )


def rules_from_data(data: Mapping[str, Any], where: str) -> AgencyRules:
    """Check and compile a parsed ``agencies.toml``; raise :class:`ConfigError` if it is wrong."""
    raw_agencies = data.get("agency")
    if not isinstance(raw_agencies, list) or not raw_agencies:
        raise ConfigError(f"{where}: no [[agency]] tables")
    agencies: dict[str, Agency] = {}
    for raw in raw_agencies:
        agency = _agency(raw, where)
        if agency.id in agencies:
            raise ConfigError(f"{where}: agency id {agency.id!r} is used twice")
        agencies[agency.id] = agency
    not_agency = _strings(_table(data, "not_agency", where).get("terms"), f"{where}.not_agency")
    _check_duplicates(agencies.values(), not_agency, where)

    context = _table(data, "context", where)
    window = _positive(context, "window", f"{where}.context")
    triggers = Triggers(
        forward=_any_of(_strings(context.get("forward"), f"{where}.forward"), f"{where}.forward"),
        backward=_any_of(
            _strings(context.get("backward"), f"{where}.backward"), f"{where}.backward"
        ),
        clause_break=_pattern(context, "clause_break", f"{where}.context"),
        window=window,
    )

    k = _table(data, "k_entry", where)
    max_words = _positive(k, "max_author_words", f"{where}.k_entry")
    reg6: list[tuple[str, re.Pattern[str]]] = []
    for item in k.get("reg6") or ():
        source = _text(item, "source", f"{where}.k_entry.reg6")
        if source not in REG6_SOURCES:
            raise ConfigError(
                f"{where}: k_entry.reg6 source {source!r} is not a regulation 6 source"
            )
        reg6.append((source, _pattern(item, "pattern", f"{where}.k_entry.reg6")))
    columns: list[tuple[str, re.Pattern[str]]] = []
    for item in _table(data, "k_table", where).get("column") or ():
        columns.append(
            (_text(item, "name", f"{where}.k_table"), _pattern(item, "pattern", f"{where}.k_table"))
        )
    entry = EntryRules(
        pending=_pattern(k, "pending", f"{where}.k_entry"),
        advice_word=_pattern(k, "advice_word", f"{where}.k_entry"),
        separators=tuple(
            compile_pattern(s, f"{where}.k_entry.separators")
            for s in _strings(k.get("separators"), f"{where}.k_entry.separators")
        ),
        numbering=_pattern(k, "numbering", f"{where}.k_entry"),
        author_end=_pattern(k, "author_end", f"{where}.k_entry"),
        max_author_words=max_words,
        appended_no=_pattern(k, "appended_no", f"{where}.k_entry"),
        appended_yes=_pattern(k, "appended_yes", f"{where}.k_entry"),
        reg6=tuple(reg6),
        columns=tuple(columns),
    )
    return AgencyRules(
        agencies=agencies,
        not_agency=not_agency,
        advice=_word_pattern(context, "advice", f"{where}.context"),
        future=_word_pattern(context, "future", f"{where}.context"),
        advice_after=_positive(context, "advice_after", f"{where}.context"),
        attributed_by=_pattern(context, "attributed_by", f"{where}.context"),
        list_intro=_word_pattern(context, "list_intro", f"{where}.context"),
        citation=_pattern(context, "citation", f"{where}.context"),
        triggers=triggers,
        entry=entry,
    )


def term_variants(term: str) -> set[str]:
    """The term, the plural of its last word, and each with a curly apostrophe.

    Possessives need no variant: the tokenizer splits "therapist's" into
    "therapist" + "'s", and "therapists'" into "therapists" + "'".
    """
    forms = {term}
    head, _, last = term.rpartition(" ")
    if last.replace("-", "").isalpha() and not last.endswith("s") and not last.isupper():
        if last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
            plural = last[:-1] + "ies"
        elif last.endswith(("ch", "sh", "x")):
            plural = last + "es"
        else:
            plural = last + "s"
        forms.add(f"{head} {plural}" if head else plural)
    for form in list(forms):
        if _APOSTROPHES[0] in form:
            forms.add(form.replace(*_APOSTROPHES))
    return forms


def _check_duplicates(agencies: Iterable[Agency], not_agency: Sequence[str], where: str) -> None:
    owner: dict[str, str] = {}

    def claim(form: str, ident: str) -> None:
        previous = owner.setdefault(form, ident)
        if previous != ident:
            raise ConfigError(f"{where}: {form!r} is listed under both {previous!r} and {ident!r}")

    for agency in agencies:
        for term in agency.terms:
            for form in term_variants(term.casefold()):
                claim(form, agency.id)
        for abbreviation in agency.abbreviations:
            claim(abbreviation, agency.id)
    for term in not_agency:
        claim(term.casefold(), _NOT_AGENCY)


@cache
def default_rules() -> AgencyRules:
    """The installed lexicon, compiled once per process."""
    return rules_from_data(load(LEXICON), f"rules/lexicons/{LEXICON}.toml")


@cache
def _rules_named(name: str) -> AgencyRules:
    return rules_from_data(load(name), f"rules/lexicons/{name}.toml")


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


# --------------------------------------------------------------------------
# The spaCy component
# --------------------------------------------------------------------------


class AgencyFinder:
    """Finds agency cues in one doc at a time; matchers are built once, here."""

    def __init__(self, nlp: Language, rules: AgencyRules) -> None:
        self.rules = rules
        self._tokenizer = nlp.tokenizer
        strings = nlp.vocab.strings
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._by_key: dict[int, Agency | None] = {}
        for agency in rules.agencies.values():
            key = strings.add(agency.id)
            self._by_key[key] = agency
            forms = sorted({v for t in agency.terms for v in term_variants(t)})
            if forms:
                self._lower.add(agency.id, list(nlp.tokenizer.pipe(forms)))
            if agency.abbreviations:
                self._exact.add(agency.id, list(nlp.tokenizer.pipe(agency.abbreviations)))
        self._scans = _Scans.of(rules)
        self._lower_scans = self._scans.lowercase()
        self._by_key[strings.add(_NOT_AGENCY)] = None
        forms = sorted({v for t in rules.not_agency for v in term_variants(t)})
        if forms:
            self._lower.add(_NOT_AGENCY, list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        context = context_of(doc)
        if context.is_heading or context.is_placeholder:
            return doc
        for hit in self.hits(doc, context):
            add_hit(doc, hit)
        return doc

    def matches(self, doc: Doc) -> list[tuple[int, int, Agency]]:
        """Character spans of the agency phrases in ``doc``; the longest match wins.

        A phrase broken by a non-breaking space or wrapped onto a new line
        ("speech and\nlanguage therapist") is found by matching a copy of the
        text with that white space turned into plain spaces (same length, so
        the offsets hold). The copy is made only when the text holds such
        white space and a break is likely, since re-tokenizing costs more than
        the matching.
        """
        target = doc
        if _BREAKS.search(doc_text(doc)) and _broken_phrase_possible(doc):
            target = self._tokenizer(doc_text(doc).translate(_SPACES))
        found = self._lower(target)
        found += self._exact(target)
        if not found:
            return []
        result = []
        for key, first, last in _longest_first(found):
            agency = self._by_key.get(key)
            if agency is not None:
                tail = target[last - 1]
                result.append((target[first].idx, tail.idx + len(tail), agency))
        return result

    def hits(self, doc: Doc, context: BlockContext) -> Iterator[Hit]:
        matches = self.matches(doc)
        if not matches:
            return
        text = doc_text(doc)
        rules = self.rules
        in_k = context.section == "K"
        if in_k and says_pending(text, rules.entry):
            return  # advice asked for and not received: nobody contributed here
        sentences = sentence_spans(doc)
        starts = [s for s, _ in sentences]
        entry = read_entry(text, rules.entry) if in_k else None
        scans, scan = self._scans, text
        lowered = lower_text(doc) if self._lower_scans is not None else None
        if lowered is not None and self._lower_scans is not None:
            scans, scan = self._lower_scans, lowered
        for start, end, agency in matches:
            if context.section in agency.skip_sections:
                continue
            sentence = sentences[max(0, bisect.bisect_right(starts, start) - 1)]
            clause = _clause(scans, scan, sentence, start, end)
            if _not_involved(scans, scan, clause, start, end):
                continue
            advice = in_k or _gives_advice(scans, scan, sentence, clause, start, end)
            if agency.needs_advice and not advice:
                continue
            attributes: dict[str, Any] = {"role": agency.role, "input": INPUTS[0 if advice else 1]}
            if entry is not None:
                attributes.update(_entry_attributes(entry, agency, context, start, end, rules))
            yield Hit(
                kind=KIND,
                start=start,
                end=end,
                rule=f"agency.{agency.id}",
                category=agency.category,
                attributes=attributes,
            )


def _clause(
    scans: _Scans, text: str, sentence: tuple[int, int], start: int, end: int
) -> tuple[int, int]:
    """The clause around a match: the sentence cut at ";", line breaks, "but", "however".

    Only the text within reach of the scans that use it is read: every
    regex pass is bounded, so a long sentence costs no more than a short one.
    ``text`` is the doc's text, lower-cased when ``scans`` are the lower-case twins.
    """
    clause_start = max(sentence[0], start - _REACH)
    clause_end = min(sentence[1], end + _REACH)
    for brk in scans.clause_break.finditer(text, clause_start, clause_end):
        if brk.end() <= start:
            clause_start = brk.end()
        elif brk.start() >= end:
            clause_end = brk.start()
            break
    return clause_start, clause_end


def _gives_advice(
    scans: _Scans,
    text: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    start: int,
    end: int,
) -> bool:
    """Whether the sentence says *this* role gave advice, not just that someone did.

    "The EP assessed Sam", "recommended by the OT", "(CAMHS, June 2025)"
    and "the meeting was attended by ... the SENCo" do; "Toby told us there
    are lots of clubs" and "the OT will provide advice" do not.
    """
    future = scans.future
    if future.search(text, max(clause[0], start - 40), start):
        return False
    if scans.advice.search(text, start, end) or _cited(text, start, end, scans.citation):
        return True  # "social care advice", "(community paediatrician, June 2025)"
    for match in scans.advice.finditer(text, end, min(clause[1], end + scans.advice_after)):
        if not future.search(text, max(start, match.start() - 40), match.start()):
            return True
    for match in scans.advice.finditer(text, max(clause[0], start - 80), start):
        if scans.attributed_by.fullmatch(text, match.end(), start) and not future.search(
            text, max(clause[0], match.start() - 40), match.start()
        ):
            return True
    intro = scans.list_intro.search(text, max(sentence[0], start - _LIST_REACH), start)
    return intro is not None


def _not_involved(scans: _Scans, text: str, clause: tuple[int, int], start: int, end: int) -> bool:
    """Whether a non-involvement trigger has this match in its scope."""
    clause_start, clause_end = clause
    window = scans.window
    low = max(clause_start, start - window - 40)
    # Read past the match: a trigger may look ahead ("no social worker involvement").
    for match in scans.forward.finditer(text, low, min(clause_end, end + window)):
        if match.end() <= start and start - match.end() <= window:
            return True
    high = min(clause_end, end + window + 40)
    return any(match.start() - end <= window for match in scans.backward.finditer(text, end, high))


def _broken_phrase_possible(doc: Doc) -> bool:
    """Whether a white-space token could sit inside a phrase.

    A non-breaking space or tab can; a line break can when it falls between
    two words and the next one is lower case (a wrapped line, not a new
    paragraph or table-cell line).
    """
    spaces = doc.to_array(IS_SPACE).nonzero()[0].tolist()
    for i in spaces:
        token = doc[i]
        if token.text.strip("\n\r "):
            return True
        if 0 < i < len(doc) - 1 and doc[i - 1].is_alpha and doc[i + 1].is_lower:
            return True
    return False


def _longest_first(matches: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Matches ``(key, start, end)`` without overlaps, the (first) longest kept; in text order.

    What ``spacy.util.filter_spans`` does with spans, on the matcher's
    tuples: no ``Span`` object is built for a match that is dropped.
    """
    ordered = sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
    kept: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    for match in ordered:
        _, start, end = match
        if start not in seen and end - 1 not in seen:
            kept.append(match)
            seen.update(range(start, end))
    kept.sort(key=lambda m: m[1])
    return kept


def _cited(text: str, start: int, end: int, citation: re.Pattern[str]) -> bool:
    """Whether the match sits in a parenthesis that cites a dated source: "(CAMHS, June 2025)"."""
    opening = text.rfind("(", 0, start)
    if opening < 0 or ")" in text[opening:start]:
        return False
    closing = text.find(")", end)
    if closing < 0 or "(" in text[end:closing]:
        return False
    return citation.search(text, opening, closing + 1) is not None


def _entry_attributes(
    entry: Entry, agency: Agency, context: BlockContext, start: int, end: int, rules: AgencyRules
) -> dict[str, Any]:
    """The K attributes of one cue: who gave the advice, when, whether appended, which source."""
    author = entry.author
    if author is not None and not entry.explicit:
        span = entry.author_span
        if span is None or not (span[0] <= start and end <= span[1]):
            author = None
    advice = entry.advice or context.row_label or None
    return {
        "advice": advice,
        "author": author,
        "date": entry.date,
        "appended": entry.appended,
        "reg6_source": reg6_source(advice, rules.entry) or agency.reg6,
    }


@Language.factory("ehcp_agency", default_config={"lexicon": LEXICON})
def make_agency(nlp: Language, name: str, lexicon: str) -> AgencyFinder:
    """Register ``ehcp_agency``; ``lexicon`` names a file in ``rules/lexicons/``."""
    rules = default_rules() if lexicon == LEXICON else _rules_named(lexicon)
    return AgencyFinder(nlp, rules)


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


def _words(text: str) -> int:
    return len(text.split())


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
