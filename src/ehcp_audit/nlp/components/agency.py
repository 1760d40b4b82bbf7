"""``ehcp_agency``: the roles and services that gave advice or input to a plan.

Principle 4 of the rubric ("growing networks of people") rates a plan on who
contributed to it: education, health and social care advice, and for
Excellent the community and voluntary sector (SENDIASS, a parent carer forum,
an advocate, a club the child goes to). Each ``agency`` cue names one role or
service, with ``category`` in ``education | health | social_care |
voluntary_community | wider_family`` (grandparents, aunts, uncles whose views
the plan records: people, not a service, but part of the rubric's wide
network) and ``attributes``:

- ``role``: the normalised role ("speech and language therapist" for "SaLT");
- ``input``: ``"advice"`` when the text says the role gave advice, an
  assessment or a report, contributed or attended (or the mention sits in
  an entry of section K, the list of advice); ``"mention"`` otherwise. By
  default only contributions become cues (the rubric counts contributors,
  and a service the child was referred to, is waiting for or was told about
  gave nothing); ``nlp.add_pipe("ehcp_agency", config={"mentions": True})``
  reports mentions too, with ``input = "mention"``;
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
"details of the short breaks local offer", "CAMHS advice: awaiting response",
"the family can ask for a social care assessment" name a service that gave
nothing, so they give no cue (ConText-style triggers with a clause-bounded
scope, from the lexicon). A role only mentioned ("a referral to Early Help",
"opportunities for mentoring") is not a contributor either. Section K counts
as advice only on its entry lines ("Social care advice: ..., 2 April 2025"
or a table's "who from" cell); a narrative sentence in K ("Since March she
has joined the chess club") is read like any other sentence. Community
activities (a club, a church) count only when they gave advice or
information, since a child who goes to Scouts is not the Scouts
contributing to the plan.

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
only around matches, in bounded windows, and only where a word starts, on
the lower-cased text (without ``IGNORECASE``, which makes ``re`` slower).

This module is the component; the lexicon is read in :mod:`._agency_lexicon`
and section K (entries, table rows) in :mod:`._agency_k`. Their public names
are importable from here too.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import Any

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .._context import BlockContext, Hit, add_hit, context_of
from .._text import doc_text, lower_text, sentence_spans
from ._agency_k import (
    AdviceRow,
    Entry,
    advice_rows,
    complete_advice_rows,
    is_entry_line,
    parse_appended,
    parse_date,
    read_entry,
    reg6_source,
    says_pending,
)
from ._agency_lexicon import (
    CATEGORIES,
    INPUTS,
    KIND,
    LEXICON,
    NOT_AGENCY,
    REG6_SOURCES,
    Agency,
    AgencyRules,
    EntryRules,
    Triggers,
    default_rules,
    lowercase_rules,
    rules_from_data,
    rules_named,
    term_variants,
)
from ._agency_names import learn_names, named_matches

__all__ = [
    "CATEGORIES",
    "INPUTS",
    "KIND",
    "LEXICON",
    "REG6_SOURCES",
    "AdviceRow",
    "Agency",
    "AgencyFinder",
    "AgencyRules",
    "Entry",
    "EntryRules",
    "Triggers",
    "advice_rows",
    "complete_advice_rows",
    "default_rules",
    "is_entry_line",
    "make_agency",
    "parse_appended",
    "parse_date",
    "read_entry",
    "reg6_source",
    "rules_from_data",
    "says_pending",
    "term_variants",
]

#: White space other than a plain space, mapped to a space (same length) before
#: matching, so a phrase wrapped over two lines ("speech and\nlanguage") still matches.
_BREAK_CHARS = "\n\r\t\v\f\xa0\u2007\u2009\u202f\u2028\u2029"
_SPACES = str.maketrans(dict.fromkeys(_BREAK_CHARS, " "))
_BREAKS = re.compile(f"[{_BREAK_CHARS}]")
#: How far (characters) around a match the context scans read. The lexicon's
#: windows (trigger ``window`` + 40, ``advice_after``, ``advice_before``) fit inside.
_REACH = 160
#: How far back a "the meeting was attended by ..." list can start.
_LIST_REACH = 300


# --------------------------------------------------------------------------
# The spaCy component
# --------------------------------------------------------------------------


class AgencyFinder:
    """Finds agency cues in one doc at a time; matchers are built once, here."""

    def __init__(self, nlp: Language, rules: AgencyRules, mentions: bool = False) -> None:
        self.rules = rules
        self.mentions = mentions
        self._tokenizer = nlp.tokenizer
        strings = nlp.vocab.strings
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._by_key: dict[int, Agency | None] = {}
        tokenizer: Any = nlp.tokenizer  # spaCy types it as a plain callable; it has .pipe
        for agency in rules.agencies.values():
            key = strings.add(agency.id)
            self._by_key[key] = agency
            forms = sorted({v for t in agency.terms for v in term_variants(t)})
            if forms:
                self._lower.add(agency.id, list(tokenizer.pipe(forms)))
            if agency.abbreviations:
                self._exact.add(agency.id, list(tokenizer.pipe(agency.abbreviations)))
        self._lower_rules = lowercase_rules(rules)
        self._by_key[strings.add(NOT_AGENCY)] = None
        forms = sorted({v for t in rules.not_agency for v in term_variants(t)})
        if forms:
            self._lower.add(NOT_AGENCY, list(tokenizer.pipe(forms)))

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
        text = doc_text(doc)
        matches = self.matches(doc)
        learn_names(text, matches, context)
        matches += named_matches(text, matches, context)
        if not matches:
            return
        rules = self.rules
        in_k = context.section == "K"
        if in_k and says_pending(text, rules.entry):
            return  # advice asked for and not received: nobody contributed here
        sentences = sentence_spans(doc)
        starts = [s for s, _ in sentences]
        # "Extract from the EP's advice": a heading over a quotation, not an entry
        entry = (
            read_entry(text, rules.entry) if in_k and not rules.entry.lead_in.match(text) else None
        )
        scans, scan = rules, text  # the context scans: lower-cased where they can be
        lowered = lower_text(doc) if self._lower_rules is not None else None
        if lowered is not None and self._lower_rules is not None:
            scans, scan = self._lower_rules, lowered
        silenced: list[tuple[int, str]] = []  # (end, role) of matches that gave no advice
        for start, end, agency in sorted(matches, key=lambda m: m[0]):
            if context.section in agency.skip_sections:
                continue
            sentence = sentences[max(0, bisect.bisect_right(starts, start) - 1)]
            clause = _clause(scans, scan, sentence, start, end)
            if _not_involved(scans, scan, clause, start, end):
                silenced.append((end, agency.role))
                continue
            advice = (in_k and is_entry_line(text, start, rules.entry)) or _gives_advice(
                scans, scan, sentence, clause, start, end
            )
            if _glosses(text, start, agency.role, silenced):
                advice = False  # the bracket spells out a name that gave nothing
            if not advice:
                silenced.append((end, agency.role))
            if not advice and (agency.needs_advice or not self.mentions):
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


#: A bracketed gloss right after a service's name: "SENDIASS (the free, independent
#: special educational needs information, advice and support service". Up to the match.
_GLOSS = re.compile(r"\s*\((?:[^()]{0,120})\Z")


def _glosses(text: str, start: int, role: str, silenced: list[tuple[int, str]]) -> bool:
    """Whether the match spells out, in brackets, a service just named that gave no advice.

    "gave them the contact details of Larchmere SENDIASS (the ... information,
    advice and support service)": the bracket names the same service, which
    was only signposted; the word "advice" in its name is no advice given.
    """
    return any(
        r == role and end <= start and _GLOSS.fullmatch(text, end, start) is not None
        for end, r in silenced[-2:]
    )


def _clause(
    rules: AgencyRules, text: str, sentence: tuple[int, int], start: int, end: int
) -> tuple[int, int]:
    """The clause around a match: the sentence cut at ";", line breaks, "but", "however".

    Only the text within reach of the scans that use it is read: every
    regex pass is bounded, so a long sentence costs no more than a short one.
    ``text`` is the doc's text, lower-cased when ``rules`` are the lower-case twins
    (:func:`lowercase_rules`).
    """
    clause_start = max(sentence[0], start - _REACH)
    clause_end = min(sentence[1], end + _REACH)
    for brk in rules.triggers.clause_break.finditer(text, clause_start, clause_end):
        if brk.end() <= start:
            clause_start = brk.end()
        elif brk.start() >= end:
            clause_end = brk.start()
            break
    return clause_start, clause_end


def _gives_advice(
    rules: AgencyRules,
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
    future = rules.future
    if future.search(text, max(clause[0], start - 40), start):
        return False
    if rules.advice.search(text, start, end) or _cited(text, start, end, rules.citation):
        return True  # "social care advice", "(community paediatrician, June 2025)"
    for match in rules.advice.finditer(text, end, min(clause[1], end + rules.advice_after)):
        if future.search(text, max(start, match.start() - 40), match.start()):
            continue
        if not rules.other_subject.search(text, max(end, match.start() - 40), match.start()):
            return True  # not "his grandad and a shop that he said was ...": his words
    for match in rules.advice.finditer(text, max(clause[0], start - rules.advice_before), start):
        if rules.attributed_by.fullmatch(text, match.end(), start) and not future.search(
            text, max(clause[0], match.start() - 40), match.start()
        ):
            return True
    intro = rules.list_intro.search(text, max(sentence[0], start - _LIST_REACH), start)
    return intro is not None


def _not_involved(
    rules: AgencyRules, text: str, clause: tuple[int, int], start: int, end: int
) -> bool:
    """Whether a non-involvement trigger has this match in its scope."""
    triggers = rules.triggers
    clause_start, clause_end = clause
    window = triggers.window
    low = max(clause_start, start - window - 40)
    # Read past the match: a trigger may look ahead ("no social worker involvement").
    for match in triggers.forward.finditer(text, low, min(clause_end, end + window)):
        if match.end() <= start and start - match.end() <= window:
            return True
    high = min(clause_end, end + window + 40)
    return any(
        match.start() - end <= window for match in triggers.backward.finditer(text, end, high)
    )


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


@Language.factory("ehcp_agency", default_config={"lexicon": LEXICON, "mentions": False})
def make_agency(nlp: Language, name: str, lexicon: str, mentions: bool) -> AgencyFinder:
    """Register ``ehcp_agency``; ``lexicon`` names a file in ``rules/lexicons/``.

    ``mentions``: also report roles that are only mentioned (``input =
    "mention"``); off by default, since only contributors count.
    """
    rules = default_rules() if lexicon == LEXICON else rules_named(lexicon)
    return AgencyFinder(nlp, rules, mentions)
