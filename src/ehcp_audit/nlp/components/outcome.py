"""``ehcp_outcome``: one cue per outcome statement in section E, with its SMART traits.

Principle 6 of the rubric asks whether outcomes are specific, time-bound and
child-centred and, from Year 9, linked to Preparing for Adulthood (PfA).
Each statement in E (a sentence, or a line of a table cell or list; labels
such as "Communication and interaction" or "Short-term steps:" are skipped)
becomes an ``outcome`` cue whose ``attributes`` say:

- ``time_bound``: a deadline ("by July 2026", "by the end of Year 6",
  "within 12 months", "by the annual review", "by her 18th birthday"),
  in the statement or stated once for the outcomes under it: a sub-heading
  ("By the end of Key Stage 2") or a lead-in line ("Outcomes for the next
  12 months:") above it, or, in a table, a "By when" cell in its row or a
  column header that names the time (:mod:`._outcome_rows`);
- ``measurable``: an amount or standard once dates are set aside ("4 out of 5
  occasions", "at least 92%", "independently", "without prompting", a named
  level), so "By July 2026" alone does not make an outcome measurable;
- ``child_centred``: the child, by name or pronoun, or "I" is the one who
  will do something ("Amira will…", "I will…"), not "Jack's needs will be met";
- ``pfa_domain``: employment, independent_living, community_participation or
  health, only for a child in Year 9 or above (or, with no year group, aged
  14 or over), from an explicit "Preparing for Adulthood (…)" tag or the
  lexicon's keywords;
- ``is_provision``: the "outcome" is really provision ("Sam will receive 3
  sessions of SALT"), a common fault the checks can report;
- ``evidence``: the id of the rule behind each true attribute, so a reader
  can see why.

All patterns are data (``rules/lexicons/outcomes.toml``) compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from attrs import define, frozen
from spacy.language import Language
from spacy.tokens import Doc

from ..._errors import ConfigError
from .._context import BlockContext, Hit, add_hit
from .._lexicon import lexicon_cache, load
from .._text import statements
from .provision import (
    Alternation,
    CasedPattern,
    Rule,
    Text,
    any_of,
    applies,
    compile_cased,
    expand,
    macros_of,
    pattern_of,
    read_rules,
    strings,
)

LEXICON = "outcomes"
PFA_DOMAINS: tuple[str, ...] = (
    "employment",
    "independent_living",
    "community_participation",
    "health",
)
_END_PUNCTUATION = (".", "!", "?", ";")


@frozen
class OutcomeRules:
    """Everything ``outcomes.toml`` defines, compiled."""

    sections: frozenset[str]
    labels: CasedPattern
    about: CasedPattern
    #: A statement in E that is no outcome and sets no time frame (an aspiration, a need,
    #: a baseline, a note on how the outcomes are reviewed).
    not_outcome: CasedPattern
    #: A sub-heading inside E, or a cell's first line, over something other than outcomes
    #: ("You said, we did", "Comments on the draft plan", "Who does what").
    not_outcome_parts: CasedPattern
    max_label_words: int
    statement: CasedPattern
    imperative: CasedPattern
    time_bound: tuple[Rule, ...]
    measurable: tuple[Rule, ...]
    measurable_ignore: tuple[str, ...]
    first_person: CasedPattern
    subject_template: str
    unnamed_subject: CasedPattern
    not_names: frozenset[str]
    is_provision: tuple[Rule, ...]
    pfa_min_year: int
    pfa_min_age: int
    pfa_explicit: CasedPattern
    pfa_names: tuple[tuple[str, str], ...]
    pfa_keywords: tuple[tuple[str, CasedPattern], ...]
    frame_resets: CasedPattern
    frame_lead_in: CasedPattern
    when_header: CasedPattern
    when_value: CasedPattern
    measure_header: CasedPattern
    source_header: CasedPattern
    outcome_header: CasedPattern
    child_header: CasedPattern


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: the [{key}] table is missing")
    return value


def _int(table: Mapping[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{where}: '{key}' must be a whole number")
    return value


@lexicon_cache
def outcome_rules(name: str = LEXICON) -> OutcomeRules:
    """Compile ``rules/lexicons/NAME.toml`` (cached per process)."""
    data = load(name)
    where = f"lexicons/{name}.toml"
    macros = macros_of(data, where)
    sections = strings(data.get("sections"), f"{where} sections")
    labels = _table(data, "labels", where)
    label_sources = strings(labels.get("patterns"), f"{where} [labels] patterns")
    ignore = strings(
        _table(data, "measurable_ignore", where).get("patterns", []),
        f"{where} [measurable_ignore]",
    )
    child = _table(data, "child_centred", where)
    subject = child.get("subject")
    if not isinstance(subject, str) or "{NAMES}" not in subject:
        raise ConfigError(f"{where}: [child_centred] subject must contain {{NAMES}}")
    pfa = _table(data, "pfa", where)
    names = _table(pfa, "explicit_names", f"{where} [pfa]")
    keywords = _table(pfa, "keywords", f"{where} [pfa]")
    for domain in (*names, *keywords):
        if domain not in PFA_DOMAINS:
            raise ConfigError(f"{where}: unknown PfA domain '{domain}'")
    explicit_names = sorted(
        (
            (phrase.casefold(), domain)
            for domain in names
            for phrase in strings(names[domain], f"{where} [pfa.explicit_names]")
        ),
        key=lambda pair: -len(pair[0]),
    )
    frame = _table(data, "frame", where)
    explicit = pattern_of(pfa, "explicit", macros, where)
    if "domain" not in explicit.cased.groupindex:
        raise ConfigError(f"{where}: [pfa] explicit needs a (?P<domain>...) group")
    return OutcomeRules(
        sections=frozenset(sections),
        labels=any_of([expand(s, macros) for s in label_sources], f"{where} [labels]"),
        about=pattern_of(labels, "about", macros, where),
        not_outcome=pattern_of(labels, "not_outcome", macros, where),
        not_outcome_parts=pattern_of(labels, "not_outcome_parts", macros, where),
        max_label_words=_int(labels, "max_label_words", where),
        statement=pattern_of(labels, "statement", macros, where),
        imperative=pattern_of(labels, "imperative", macros, where),
        time_bound=read_rules(data.get("time_bound"), macros, f"{where} [[time_bound]]"),
        measurable=read_rules(data.get("measurable"), macros, f"{where} [[measurable]]"),
        measurable_ignore=tuple(expand(s, macros) for s in ignore),
        first_person=pattern_of(child, "first_person", macros, where),
        subject_template=expand(subject, macros),
        unnamed_subject=pattern_of(child, "unnamed_subject", macros, where),
        not_names=frozenset(strings(child.get("not_names", []), f"{where} not_names")),
        is_provision=read_rules(data.get("is_provision"), macros, f"{where} [[is_provision]]"),
        pfa_min_year=_int(pfa, "min_year_group", where),
        pfa_min_age=_int(pfa, "min_age", where),
        pfa_explicit=explicit,
        pfa_names=tuple(explicit_names),
        pfa_keywords=tuple(
            (d, pattern_of(keywords, d, macros, f"{where} [pfa.keywords]"))
            for d in PFA_DOMAINS
            if d in keywords
        ),
        frame_resets=pattern_of(frame, "resets", macros, where),
        frame_lead_in=pattern_of(frame, "lead_in", macros, where),
        when_header=pattern_of(frame, "when_header", macros, where),
        when_value=pattern_of(frame, "when_value", macros, where),
        measure_header=pattern_of(frame, "measure_header", macros, where),
        source_header=pattern_of(frame, "source_header", macros, where),
        outcome_header=pattern_of(frame, "outcome_header", macros, where),
        child_header=_child_header(frame, macros, where),
    )


def _child_header(frame: Mapping[str, Any], macros: Mapping[str, str], where: str) -> CasedPattern:
    """``[frame] child_header``, which must name the child in a ``(?P<who>...)`` group."""
    pattern = pattern_of(frame, "child_header", macros, where)
    if "who" not in pattern.cased.groupindex:
        raise ConfigError(f"{where}: [frame] child_header needs a (?P<who>...) group")
    return pattern


@lru_cache(maxsize=64)
def _subject_pattern(template: str, names: tuple[str, ...]) -> CasedPattern | None:
    """The child-as-subject pattern for one child's names (None when no name is known)."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return compile_cased(
        template.replace("{NAMES}", f"(?:{alternatives})"), "child names", cache=False
    )


def pfa_eligible(context: BlockContext, rules: OutcomeRules) -> bool:
    """Year 9 and over, or (no year group stated) aged 14 and over, or neither known.

    When the plan states neither, the domain is still reported: whether
    Preparing for Adulthood applies is then the checks' call (a rule's
    ``applies_when``), and they cannot see a domain the component left out.
    """
    if context.year_group_number is not None:
        return context.year_group_number >= rules.pfa_min_year
    if context.age is not None:
        return context.age >= rules.pfa_min_age
    return True


class OutcomeComponent:
    """Reports every outcome statement in E with its SMART attributes."""

    def __init__(self, lexicon: str = LEXICON) -> None:
        rules = self.rules = outcome_rules(lexicon)
        self._time = Alternation.of(rules.time_bound, "time_bound")
        self._measure = Alternation.of(rules.measurable, "measurable")
        self._provision = Alternation.of(rules.is_provision, "is_provision")
        # Deadlines and dates say when, not how much: blanked before "measurable".
        self._dates = any_of(
            [r.pattern.source for r in rules.time_bound] + list(rules.measurable_ignore), "dates"
        )
        self._pfa_keywords = Alternation.of(
            [Rule(domain, pattern) for domain, pattern in rules.pfa_keywords], "pfa"
        )

    @property
    def time_rules(self) -> Alternation:
        """The time-frame rules, joined: what says "by when", in a statement or a header."""
        return self._time

    def __call__(self, doc: Doc) -> Doc:
        context = applies(doc, self.rules.sections)
        if context is None:
            return doc
        if context.subsection and self.rules.not_outcome_parts.search(Text(context.subsection)):
            return doc  # a "You said, we did" table or the draft's comments, kept inside E
        whole = doc.text  # built from the tokens on every read: read it once
        title = whole.lstrip().partition("\n")[0]
        if "\n" in whole.strip() and self.rules.not_outcome_parts.search(Text(title)):
            return doc  # the same, titled by the first line of its cell ("Who does what")
        eligible = pfa_eligible(context, self.rules)
        frame = self._frame(context)
        for start, end in statements(doc, whole):
            text = Text(whole[start:end])
            if self.rules.about.search(text):
                # About the outcomes, not one of them: its time frame, if any,
                # holds for the outcomes after it (it never ends one).
                if self._time.search(text):
                    frame.time = _LEAD_IN
                continue
            if self.rules.not_outcome.search(text):
                continue  # an aspiration, a need or a note about reviewing: not an outcome
            if self.is_label(text) or self._is_time_label(text):
                self._lead_in(frame, text)
                continue
            attributes = self.describe(text, context.child_names, eligible, frame.time)
            add_hit(doc, Hit("outcome", start, end, "outcome.statement", attributes=attributes))
        return doc

    def _frame(self, context: BlockContext) -> _Frame:
        """The time frame stated above this block: its sub-heading, or the last lead-in line.

        Kept in the plan's state, so a lead-in line ("Outcomes for the next
        12 months:") reaches the outcomes in the blocks after it, up to the
        next sub-heading.
        """
        where = (context.section, context.subsection)
        frame = context.plan_state.get(_FRAME_KEY)
        if not isinstance(frame, _Frame) or frame.where != where:
            heading = self._time.search(Text(context.subsection)) if context.subsection else None
            frame = _Frame(where, _SUB_HEADING if heading else None)
            context.plan_state[_FRAME_KEY] = frame
        return frame

    def _lead_in(self, frame: _Frame, text: Text) -> None:
        """A label line: one with a time frame sets the frame; a new list's lead-in ends it."""
        if self._time.search(text):
            frame.time = _LEAD_IN
        elif frame.time == _LEAD_IN and self.rules.frame_resets.search(text):
            frame.time = None

    def _is_time_label(self, text: Text) -> bool:
        """A line that only states a time frame ("By the end of Key Stage 2 (July 2027)")."""
        if text.original.endswith(_END_PUNCTUATION) or self._time.search(text) is None:
            return False
        return not self.rules.statement.search(text) or bool(self.rules.frame_lead_in.search(text))

    def is_label(self, text: Text) -> bool:
        """A heading-like line ("Health", "Short-term steps:"), not an outcome."""
        if self.rules.labels.search(text):
            return True
        return (
            len(text.original.split()) <= self.rules.max_label_words
            and not text.original.endswith(_END_PUNCTUATION)
            and not self.rules.statement.search(text)
            and not self.rules.imperative.search(text)
        )

    def describe(
        self, text: Text, child_names: tuple[str, ...], pfa: bool, frame: str | None = None
    ) -> dict[str, Any]:
        """The attributes of one outcome statement.

        ``pfa``: whether PfA applies; ``frame``: the id of the time frame
        stated above the statement, if any, which makes it time-bound when it
        gives no time of its own.
        """
        evidence: dict[str, str] = {}
        time = self._time.search(text)
        if time:
            evidence["time_bound"] = time[0].id
        elif frame is not None:
            evidence["time_bound"] = frame
        # Blanking dates costs more than a search: only blank when something matched.
        measure = self._measure.search(text) and self._measure.search(self._without_dates(text))
        if measure:
            evidence["measurable"] = measure[0].id
        centred = self._child_centred(text, child_names)
        if centred:
            evidence["child_centred"] = centred
        provision = self._provision.search(text)
        if provision:
            evidence["is_provision"] = provision[0].id
        return {
            "time_bound": "time_bound" in evidence,
            "measurable": measure is not None,
            "child_centred": centred is not None,
            "pfa_domain": self._pfa(text) if pfa else None,
            "is_provision": provision is not None,
            "evidence": evidence,
        }

    def _without_dates(self, text: Text) -> Text:
        """The statement with deadlines, dates and year groups blanked (offsets kept)."""
        return self._dates.blank(text)

    def _child_centred(self, text: Text, child_names: tuple[str, ...]) -> str | None:
        rules = self.rules
        if rules.first_person.search(text):
            return "child.first_person"
        named = _subject_pattern(rules.subject_template, tuple(child_names))
        if named is not None:
            return "child.named_subject" if named.search(text) else None
        for match in rules.unnamed_subject.finditer(text):
            if match.group().lstrip(", ").split()[0] not in rules.not_names:
                return "child.named_subject"
        return None

    def _pfa(self, text: Text) -> str | None:
        rules = self.rules
        explicit = rules.pfa_explicit.search(text)
        if explicit:
            said = explicit.group("domain").strip().casefold()
            for phrase, domain in rules.pfa_names:
                if said.startswith(phrase):
                    return domain
        counts: dict[str, int] = {}
        for rule, _ in self._pfa_keywords.finditer(text):
            counts[rule.id] = counts.get(rule.id, 0) + 1
        # Most keywords wins; on a tie, the domain met first (dicts keep order).
        best = max(counts.items(), key=lambda item: item[1], default=None)
        return best[0] if best else None


_FRAME_KEY = "ehcp_outcome.frame"
_SUB_HEADING = "time.sub_heading"
_LEAD_IN = "time.lead_in"


@define
class _Frame:
    """The time frame in force for the outcomes of one sub-heading, as the blocks are read."""

    where: tuple[str, str]
    time: str | None


@Language.factory("ehcp_outcome", default_config={"lexicon": LEXICON})
def make_outcome(nlp: Language, name: str, lexicon: str) -> Callable[[Doc], Doc]:
    """spaCy factory: ``nlp.add_pipe("ehcp_outcome")``."""
    return OutcomeComponent(lexicon)
