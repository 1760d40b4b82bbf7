"""The agency lexicon (``rules/lexicons/agencies.toml``), checked and compiled once.

Roles and services with their category and regulation 6 source, the
phrases that are not agencies, the ConText-style non-involvement triggers
and the patterns for reading section K. The component
(:mod:`.agency`) and the K-table reader (:mod:`._agency_k`) work from the
:class:`AgencyRules` built here; a wrong lexicon is a :class:`ConfigError`
that names the file and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import evolve, frozen

from ..._errors import ConfigError
from ..._regex_cache import compile_data
from .._lexicon import compile_pattern, lexicon_cache, load
from .._text import lowercase_twin

LEXICON = "agencies"
KIND = "agency"
#: ``wider_family``: grandparents, aunts and uncles whose views the plan records. They
#: are not a service, but the rubric's wide network (principle 4, Excellent) names
#: them beside the community and advocacy; the three statutory categories never
#: count them.
CATEGORIES: tuple[str, ...] = (
    "education",
    "health",
    "social_care",
    "voluntary_community",
    "wider_family",
)
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
NOT_AGENCY = "__not_agency__"
_APOSTROPHES = ("'", "’")


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
    #: A line leading into a report's quoted extract: not an entry.
    lead_in: re.Pattern[str]
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
    #: Just before an advice word after the role: another subject ("... that he
    #: said"), so the advice is someone else's.
    other_subject: re.Pattern[str]
    advice_after: int
    #: How far (characters) before the role an advice word joined to it by
    #: ``attributed_by`` may start ("views ... with A, and with B").
    advice_before: int
    attributed_by: re.Pattern[str]
    list_intro: re.Pattern[str]
    citation: re.Pattern[str]
    triggers: Triggers
    entry: EntryRules


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
    return compile_data(rf"(?<!\w)(?=\w)(?:{joined})", re.IGNORECASE)


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
        lead_in=_pattern(k, "lead_in", f"{where}.k_entry"),
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
        other_subject=_word_pattern(context, "other_subject", f"{where}.context"),
        advice_after=_positive(context, "advice_after", f"{where}.context"),
        advice_before=_positive(context, "advice_before", f"{where}.context"),
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
        claim(term.casefold(), NOT_AGENCY)


def lowercase_rules(rules: AgencyRules) -> AgencyRules | None:
    """``rules`` with the context scans compiled for lower-cased text; None if one cannot be.

    The component scans around every match, and ``re`` is several times
    slower with ``IGNORECASE``; the lexicon writes its patterns in lower
    case, so each has a twin that finds the same spans in the lower-cased
    text (see :func:`~ehcp_audit.nlp._text.lowercase_twin`).
    """
    triggers = rules.triggers
    scans = {
        "advice": rules.advice,
        "future": rules.future,
        "other_subject": rules.other_subject,
        "attributed_by": rules.attributed_by,
        "list_intro": rules.list_intro,
        "citation": rules.citation,
        "forward": triggers.forward,
        "backward": triggers.backward,
        "clause_break": triggers.clause_break,
    }
    # Any: the twins go back into fields of several types by keyword (attrs.evolve).
    twins: dict[str, Any] = {name: lowercase_twin(pattern) for name, pattern in scans.items()}
    if any(twin is None for twin in twins.values()):
        return None
    moved = {name: twins.pop(name) for name in ("forward", "backward", "clause_break")}
    return evolve(rules, triggers=evolve(triggers, **moved), **twins)


@lexicon_cache
def default_rules() -> AgencyRules:
    """The installed lexicon, compiled once per process."""
    return rules_from_data(load(LEXICON), f"rules/lexicons/{LEXICON}.toml")


@lexicon_cache
def rules_named(name: str) -> AgencyRules:
    """A lexicon file of another name (``rules/lexicons/NAME.toml``), compiled once."""
    return rules_from_data(load(name), f"rules/lexicons/{name}.toml")
