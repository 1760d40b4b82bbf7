"""``ehcp_signals``: co-production signals for principles 2, 3 and 5 of the rubric.

The rubric rates feedback and celebrating success (2), reciprocal working and
shared responsibility (3) and accessibility (5) from what the plan records
about how it was made: successes noted, the family's comments on the draft
and what changed because of them, who took part in the planning meeting,
what the family and the child will do themselves, refused requests explained
with reasons, and interpreters, easy read or the family's language. Each of
those is a cue *kind*; the component reports at most one cue per statement
and kind, the statement being the evidence a rating cites:

- ``achievement``, ``feedback`` (``attributes.dated``), ``attendance``
  (``attributes.who``: ``child`` / ``family`` / ``professional``, ``roles``,
  ``meeting``: planning / review / other / unspecified, ``dated``),
  ``family_role``, ``request_explained``, ``access_need``
  (``attributes.means``, ``involvement``: whether the sentence is about
  taking part, i.e. views, meetings, the draft, rather than lessons;
  ``who``: whose access it served, ``child`` and/or ``family``).

A statement is a sentence, split again at line breaks (table cells list one
item per line). Every pattern is data in ``rules/lexicons/signals.toml``,
named (the cue's ``rule``) and carrying must-fire / must-not-fire examples.
Some statements mean something only after another: "This has been agreed."
answers a request made just before it, so a rule may name (``after``) what
one of the previous statements must say: in the block, or at the end of the
paragraph just before it (running text of the same section and sub-heading,
not a table cell), since plans put "The draft was sent on ..." and "Dana
replied on ..." in paragraphs of their own.

Speed (the whole pipeline has a budget of 50 ms for a 5,000-word plan):
patterns are compiled once, for every plan: a rule that names the child
(``{CHILD}``) or a parent (``{PARENT}``) matches a stand-in word that each
statement's names are replaced by before the rules read it (compiling a
rule per plan's names cost more than all the matching); they are matched on
the lower-cased sentence without IGNORECASE; long word lists become tries;
and each rule names *triggers*, so a single scan per statement decides which
few rules run their regex at all
(and one scan of the whole block, when it finds no trigger, skips the block).
The block's text, sentences and statements come from
:mod:`ehcp_audit.nlp._text`, shared with the other components.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from attrs import field, frozen
from spacy.language import Language
from spacy.tokens import Doc

from ..._errors import ConfigError
from ..._regex_cache import compile_data, longest_first
from .._context import BlockContext, Hit, add_hit, context_of, hits_of
from .._lexicon import compile_pattern, lexicon_cache, load
from .._text import doc_text, lower_text, statements
from ._signals_structure import (
    SPEAKERS,
    LabelledKind,
    LabelledKinds,
    PersonRows,
    carried_statements,
    carry_statements,
    speaker_spans,
    speakers_of,
)

LEXICON = "signals"

#: The cue kinds, in the order they are reported for one statement.
KINDS: tuple[str, ...] = (
    "achievement",
    "feedback",
    "attendance",
    "family_role",
    "request_explained",
    "access_need",
)

#: How many statements before one a rule's ``after`` pattern may be met in
#: ("Mum asked for a home visit. The case officer agreed. This was arranged
#: for May.": the request two statements back still answers for the third).
AFTER_WINDOW = 2
#: How far back ``after_also`` (the request a decision answers) may be met: one statement
#: further ("Dana asked for X. The council refused it. The panel met in May. These are
#: the reasons:").
AFTER_ALSO_WINDOW = AFTER_WINDOW + 1

#: ``attributes.meeting`` of an attendance cue, tried in this order.
MEETING_TYPES: tuple[str, ...] = ("planning", "review", "other")

#: ``{NAME}`` in a pattern; ``{1,2}`` quantifiers are left alone.
_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")
_CHILD = "{CHILD}"
_PARENT = "{PARENT}"
_ESCAPE = re.compile(r"\\.")
_CAPITAL = re.compile(r"[A-Z]")


@frozen
class SignalRule:
    """One named pattern, matched on a statement whose names are stand-ins (:class:`Names`).

    ``voice`` names the speakers (``child_voice``, ``parent_voice``) one of
    whom must have said the statement for the rule to fire; empty: anyone.
    ``after`` is a pattern one of the :data:`AFTER_WINDOW` statements before
    it must match (in the block, or ending the paragraph before it): "This
    has been agreed." is a request met only where a request was just made.
    """

    id: str
    kind: str
    source: str
    pattern: re.Pattern[str]
    means: str | None = None
    triggers: tuple[str, ...] = ()
    fires: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()
    voice: frozenset[str] = frozenset()
    after: re.Pattern[str] | None = None
    #: A second pattern one of those statements must match too: a request, then a
    #: decision against it, then the view it rests on ("Dana wanted ... We did not write
    #: it that way. His teacher felt ...").
    after_also: re.Pattern[str] | None = None


@frozen
class SignalRules:
    """The whole lexicon, validated and compiled."""

    rules: Mapping[str, tuple[SignalRule, ...]]
    #: Every rule, kinds in :data:`KINDS` order and rules in lexicon order.
    ordered: tuple[SignalRule, ...]
    skip_sections: Mapping[str, frozenset[str]]
    example_section: Mapping[str, str]
    labelled: LabelledKinds
    #: Kinds carried by a row naming the child or a family member ("Sam | Keep his diary").
    person_rows: tuple[PersonRows, ...]
    involvement: re.Pattern[str]
    date: re.Pattern[str]
    #: "The draft was sent to the family on 2 May": dates the reply that follows it.
    draft_sent: re.Pattern[str]
    #: A statement that agrees with the plan, and one that comments on it: a feedback
    #: cue that only agrees is ``agreement_only`` (no comment of its own).
    agreement: re.Pattern[str]
    comments: re.Pattern[str]
    family: re.Pattern[str]
    professional: re.Pattern[str]
    child_generic: str
    #: Titles ("mrs", "mr") that make the child's surname after them a parent's name.
    titles: tuple[str, ...]
    #: The child named as a person in their own right (not "Sam's mum"); has ``{CHILD}``.
    child_named: str
    #: A singular pronoun, the child's where no family member is named.
    child_pronoun: re.Pattern[str]
    meeting_types: tuple[tuple[str, re.Pattern[str]], ...]
    triggers: TriggerIndex
    #: How a table of requests and the answers to them is read (``_request_rows``).
    request_table: RequestTable | None = None
    #: Kinds whose labels are read in a table's header row too (``column_headers``).
    column_kinds: frozenset[str] = frozenset()
    #: Per kind, statements that are never a cue of it whichever rule matches
    #: ("Staff will celebrate her successes": a promise, not a success yet).
    not_statement: Mapping[str, re.Pattern[str]] = field(factory=dict)


@frozen
class RequestTable:
    """The columns of a table of requests ("What you asked for | What we decided | Why")
    and what an answer cell says when it explains a decision against the request."""

    asked: re.Pattern[str]
    decided: re.Pattern[str]
    why: re.Pattern[str]
    #: an answer cell that decides otherwise and says why (in the "We did" column)
    explained: re.Pattern[str]


@frozen
class TriggerIndex:
    """Which rules a sentence could match, from the rules' ``triggers``.

    A trigger matches where a word starts. Every distinct trigger goes into
    one regex shaped as a trie, scanned with a lookahead so it reports the
    longest trigger starting at each word; the rules of that trigger and of
    every trigger that is a prefix of it are live. One regex scan per
    sentence replaces a loop of substring tests per rule, and most rules then
    never run their own regex on most sentences.
    """

    scanner: re.Pattern[str] | None
    live_after: Mapping[str, frozenset[int]]
    always: frozenset[int]

    @classmethod
    def build(cls, rules: Sequence[SignalRule]) -> TriggerIndex:
        """The index over ``rules``; candidates are reported as positions in that sequence."""
        by_trigger: dict[str, set[int]] = {}
        always: set[int] = set()
        for position, rule in enumerate(rules):
            if not rule.triggers:
                always.add(position)
            for trigger in rule.triggers:
                by_trigger.setdefault(trigger, set()).add(position)
        # A found trigger also stands for every trigger it starts with (its prefixes).
        live_after = {
            trigger: frozenset(
                position
                for end in range(1, len(trigger) + 1)
                for position in by_trigger.get(trigger[:end], ())
            )
            for trigger in by_trigger
        }
        trie = _trie(list(by_trigger))
        scanner = compile_data(f"(?<![a-z0-9])(?=({trie}))") if by_trigger else None
        return cls(scanner=scanner, live_after=live_after, always=frozenset(always))

    def none_in(self, lowered: str) -> bool:
        """Whether no rule could match any statement of a block (lower-cased text).

        Scanning the whole block finds every trigger a statement-by-statement
        scan would: a statement starts at the start of the text or after
        white space, punctuation or a bullet, where a word starts either way.
        """
        return not self.always and (self.scanner is None or not self.scanner.search(lowered))

    def candidates(self, lowered: str) -> set[int]:
        """Positions of the rules whose triggers occur in the lower-cased sentence."""
        live = set(self.always)
        if self.scanner is not None:
            for found in self.scanner.findall(lowered):
                live |= self.live_after[found]
        return live


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
#: A line of a "who does what" list: a short label, a colon, what that person does.
_PERSON_LINE = re.compile(r"(?m)^[ \t•\-*]*([^:\n]{1,50}?)\s*:[ \t]+(\S[^\n]*)$")


def matchable(sentence: str) -> str:
    """The statement as the rules read it: lower-cased, a decimal point made a middle dot.

    Rules bound their windows by full stops (``[^.]{0,200}``); "32.5 hours" must not
    end one half-way through the statement.
    """
    return _DECIMAL_POINT.sub("\u00b7", sentence.lower())


def _trie(words: Sequence[str]) -> str:
    """A regex matching any of ``words``, factored by common prefixes (fast in ``re``).

    A space in a word matches any run of white space.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [
            (r"\s+" if c == " " else re.escape(c)) + build(child)
            for c, child in sorted(node.items())
            if c
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


#: The words a statement's names become before the rules read it: the child's names, the
#: parents' and carers' (each one ordinary lower-case word, so "[a-z][\w-]*", "\b" and a
#: possessive "'s" read them as they read a name).
CHILD_WORD = "qqchildqq"
PARENT_WORD = "qqparentqq"


def slot(word: str, generic: str) -> str:
    """What ``{CHILD}`` or ``{PARENT}`` stands for in a rule: the stand-in or the generic words."""
    return f"(?:{word}|{generic})"


@frozen
class Names:
    """One plan's names, for replacing them with the stand-ins in a statement.

    A parent's name is tried before the child's at each place, so the child's
    surname after a title ("Mrs Khan") is the parent's; the child's names are
    never read just after a title.
    """

    pattern: re.Pattern[str] | None

    def tag(self, lowered: str) -> str:
        """``lowered`` with each name replaced by its stand-in word."""
        if self.pattern is None:
            return lowered
        return self.pattern.sub(_stand_in, lowered)


def _stand_in(match: re.Match[str]) -> str:
    return PARENT_WORD if match.groupdict().get("parent") is not None else CHILD_WORD


@lru_cache(maxsize=64)
def plan_names(
    child_names: tuple[str, ...], parent_names: tuple[str, ...], titles: tuple[str, ...]
) -> Names:
    """The :class:`Names` of a plan (cached: every block of a plan asks for the same)."""
    child = _escaped(child_names)
    parent = _escaped(parent_names)
    if not child and not parent:
        return Names(None)
    groups = []
    if parent:
        groups.append(f"(?P<parent>{'|'.join(parent)})")
    if child:
        groups.append(f"{_not_after(titles)}(?P<child>{'|'.join(child)})")
    return Names(re.compile(r"\b(?:" + "|".join(groups) + r")\b"))


def _escaped(names: Sequence[str]) -> list[str]:
    unique = {" ".join(n.lower().split()) for n in names if n.strip()}
    return [re.escape(n).replace("\\ ", r"\s+") for n in longest_first(unique)]


@lru_cache(maxsize=512)
def _compile_for_plan(source: str, child: str, parent: str, where: str) -> re.Pattern[str]:
    """A rule's pattern with one plan's names in it: compiled here, never cached on disk."""
    return compile_lowercase(_with_names(source, child, parent), where, cache=False)


def _with_names(source: str, child: str, parent: str) -> str:
    return source.replace(_CHILD, child).replace(_PARENT, parent)


def compile_lowercase(source: str, where: str, *, cache: bool = True) -> re.Pattern[str]:
    """Compile a rule pattern that is matched on lower-cased text (no IGNORECASE).

    Case-insensitive matching makes Python's ``re`` several times slower; the
    rules run on every sentence, so they match the lower-cased sentence
    instead, and a capital letter in a pattern (outside escapes like ``\\W``)
    could never match: it is refused.
    """
    if _CAPITAL.search(_ESCAPE.sub("", source)):
        raise ConfigError(f"{where}: write patterns in lower case (they match lower-cased text)")
    try:
        return compile_data(source) if cache else re.compile(source)
    except re.error as exc:
        raise ConfigError(f"{where}: pattern does not compile: {exc}") from None


@lru_cache(maxsize=256)
def child_alternation(names: tuple[str, ...], generic: str, titles: tuple[str, ...] = ()) -> str:
    """A regex group matching the child's names (longest first) or ``generic`` ("the child").

    The generic part is always there, so rules still work when the plan's
    details give no name. Names are lower-cased, like the text rules match.
    A name just after one of ``titles`` is not the child: "Mrs Khan" is a
    parent or carer who shares the child's surname (children are not titled).
    Cached: every block of a plan asks for the same names.
    """
    unique = {n.strip().lower() for n in names if n.strip()}
    escaped = [re.escape(n) for n in longest_first(unique)]
    if not escaped:
        return "(?:" + generic + ")"
    return "(?:" + _not_after(titles) + "(?:" + "|".join(escaped) + ")|" + generic + ")"


def _not_after(titles: tuple[str, ...]) -> str:
    """Lookbehinds refusing a match just after a title ("mrs ", "mr. "), one per width.

    A lookbehind must have one width, so titles of the same length share one.
    """
    widths: dict[int, list[str]] = {}
    for title in titles:
        for form in (f"{title} ", f"{title}. "):
            widths.setdefault(len(form), []).append(re.escape(form).replace("\\ ", r"\s"))
    return "".join(rf"(?<!\b(?:{'|'.join(forms)}))" for _, forms in sorted(widths.items()))


def parent_alternation(names: tuple[str, ...], generic: str) -> str:
    """The same for the parents' and carers' names ("Nadia", "Nadia Khan") or the family words."""
    return child_alternation(names, generic)


@lru_cache(maxsize=64)
def titled_surnames(child_names: tuple[str, ...], titles: tuple[str, ...]) -> tuple[str, ...]:
    """The child's surname after each title ("mrs khan", "mr. khan"): a parent or carer.

    Plans call parents by title and surname ("Present: SENCo, class teacher,
    Mrs Khan") as often as by first name, and often without naming them in
    the personal details; the surname is the last word of the child's full name.
    """
    surnames = {n.split()[-1].lower() for n in child_names if len(n.split()) > 1}
    return tuple(f"{t}{dot} {s}" for s in sorted(surnames) for t in titles for dot in ("", "."))


@lru_cache(maxsize=64)
def family_by_surname(child_names: tuple[str, ...]) -> tuple[str, ...]:
    """The family named by the child's surname in the plural ("the Okafors", "the Lees").

    Plans say "it was agreed that the Okafors would ..." of the parents; lower-cased,
    such a plural cannot be told from "the tutors" without knowing the surname.
    """
    surnames = {n.split()[-1].lower() for n in child_names if len(n.split()) > 1}
    return tuple(
        f"the {s}{ending}"
        for s in sorted(surnames)
        for ending in (("es",) if s.endswith(("s", "x", "z", "ch", "sh")) else ("s",))
    )


def expand_macros(source: str, macros: Mapping[str, str], where: str) -> str:
    """Replace ``{NAME}`` with its macro (recursively; ``{CHILD}``, ``{PARENT}`` left for later)."""
    text = "".join(part.strip() for part in source.splitlines())
    for _ in range(5):

        def swap(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in ("CHILD", "PARENT"):
                return match.group(0)
            if name not in macros:
                raise ConfigError(f"{where}: unknown macro {{{name}}}")
            return "(?:" + macros[name] + ")"

        expanded = _MACRO.sub(swap, text)
        if expanded == text:
            return text
        text = expanded
    raise ConfigError(f"{where}: macros nest too deeply")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(value)


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    return value


def _labelled_kinds(
    kind: str, table: Mapping[str, Any], macros: Mapping[str, str], at: str
) -> list[LabelledKind]:
    """A kind's row labels: ``row_labels`` (rule ``<kind>.row_label``) and ``labelled`` entries.

    Each ``labelled`` entry names its own rule, so one kind can tell its
    labels apart ("You said, we did" is a change made, "Parents' comments
    on the draft" only a response).
    """
    entries: list[tuple[str, Mapping[str, Any], str, str]] = []
    if "row_labels" in table:
        entries.append((f"{kind}.row_label", table, "row_labels", "row_labels_not"))
    extra = table.get("labelled", [])
    if not isinstance(extra, list) or not all(isinstance(e, dict) for e in extra):
        raise ConfigError(f"{at}: 'labelled' must be a list of tables")
    entries += [(_text(e, "rule", f"{at} labelled"), e, "labels", "unless") for e in extra]
    found: list[LabelledKind] = []
    for rule, entry, labels_key, unless_key in entries:
        where = f"{at} {rule}"
        unless = entry.get(unless_key)
        found.append(
            LabelledKind(
                kind=kind,
                rule=rule,
                labels=compile_pattern(
                    expand_macros(_text(entry, labels_key, where), macros, where), where
                ),
                unless=None
                if unless is None
                else compile_lowercase(
                    expand_macros(_text(entry, unless_key, where), macros, where),
                    f"{where} {unless_key}",
                ),
                skip_sections=None
                if "row_labels_skip_sections" not in entry
                else frozenset(_strings(entry["row_labels_skip_sections"], where)),
            )
        )
    return found


def _person_rows(
    kind: str,
    table: Mapping[str, Any],
    macros: Mapping[str, str],
    slots: tuple[str, str],
    at: str,
) -> list[PersonRows]:
    """A kind's ``person_rows`` table, if it has one (see :class:`PersonRows`)."""
    entry = table.get("person_rows")
    if entry is None:
        return []
    if not isinstance(entry, dict):
        raise ConfigError(f"{at}: 'person_rows' must be a table")
    where = f"{at} person_rows"
    label = expand_macros(_text(entry, "label", where), macros, where)
    return [
        PersonRows(
            kind=kind,
            rule=_text(entry, "rule", where),
            label=compile_lowercase(_with_names(label, *slots), f"{where} label"),
            text=compile_lowercase(
                expand_macros(_text(entry, "text", where), macros, where), f"{where} text"
            ),
            skip_sections=frozenset(_strings(entry.get("skip_sections", []), where)),
            list_title=_optional(entry, "list_title", macros, slots, where),
            who_column=_optional(entry, "who_column", macros, slots, where),
            who_cell=_optional(entry, "who_cell", macros, slots, where),
            who_sections=frozenset(_strings(entry.get("who_sections", []), where)),
            column=_optional(entry, "column", macros, slots, where),
        )
    ]


def _optional(
    entry: Mapping[str, Any], key: str, macros: Mapping[str, str], slots: tuple[str, str], at: str
) -> re.Pattern[str] | None:
    """An optional pattern of a ``person_rows`` table (``None`` when absent)."""
    if key not in entry:
        return None
    source = expand_macros(_text(entry, key, at), macros, at)
    return compile_lowercase(_with_names(source, *slots), f"{at} {key}")


def read_rules(data: Mapping[str, Any]) -> SignalRules:
    """Validate and compile the signals lexicon (raises :class:`ConfigError`)."""
    where = f"{LEXICON}.toml"
    raw_macros = data.get("macros", {})
    if not isinstance(raw_macros, dict):
        raise ConfigError(f"{where}: [macros] must map names to patterns or word lists")
    macros: dict[str, str] = {}
    word_lists: dict[str, tuple[str, ...]] = {}
    for name, value in raw_macros.items():
        if isinstance(value, str):
            macros[name] = "".join(p.strip() for p in value.splitlines())
        else:
            words = _strings(value, f"{where} macro {name}")
            word_lists[name] = tuple(" ".join(w.casefold().split()) for w in words)
            macros[name] = _trie(word_lists[name])

    def pattern(source: str, at: str) -> re.Pattern[str]:
        return compile_pattern(expand_macros(source, macros, at), at)

    attributes = data.get("attributes", {})
    if not isinstance(attributes, dict):
        raise ConfigError(f"{where}: [attributes] must be a table")
    generic = expand_macros(_text(attributes, "child_generic", where), macros, where)
    parent_generic = macros.get("FAMILY", "the\\s+family")
    slots = (slot(CHILD_WORD, generic), slot(PARENT_WORD, parent_generic))
    kinds = data.get("kinds", {})
    if not isinstance(kinds, dict):
        raise ConfigError(f"{where}: [kinds] must be a table")
    skip: dict[str, frozenset[str]] = {}
    example: dict[str, str] = {}
    labelled: list[LabelledKind] = []
    person_rows: list[PersonRows] = []
    vetoes: dict[str, re.Pattern[str]] = {}
    column_kinds: set[str] = set()
    for kind in KINDS:
        table = kinds.get(kind, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [kinds.{kind}] must be a table")
        skip[kind] = frozenset(_strings(table.get("skip_sections", []), f"{where} {kind}"))
        example[kind] = str(table.get("example_section", "A"))
        labelled += _labelled_kinds(kind, table, macros, f"{where} [kinds.{kind}]")
        person_rows += _person_rows(kind, table, macros, slots, f"{where} [kinds.{kind}]")
        if table.get("column_headers") is True:
            column_kinds.add(kind)
        if "not_statement" in table:
            at = f"{where} [kinds.{kind}] not_statement"
            vetoes[kind] = compile_lowercase(
                expand_macros(_text(table, "not_statement", at), macros, at), at
            )
    access = kinds.get("access_need", {})

    by_kind: dict[str, list[SignalRule]] = {k: [] for k in KINDS}
    entries = data.get("rule")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{where}: expected a non-empty list of [[rule]] tables")
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: rule {number} is not a table")
        rule_id = _text(entry, "id", f"{where} rule {number}")
        at = f"{where} {rule_id}"
        kind = _text(entry, "kind", at)
        if kind not in by_kind:
            raise ConfigError(f"{at}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if rule_id in seen:
            raise ConfigError(f"{at}: duplicate rule id")
        seen.add(rule_id)
        source = expand_macros(_text(entry, "pattern", at), macros, at)
        # With the stand-in words, so one pattern serves every plan (and is cached on disk).
        compiled = compile_lowercase(_with_names(source, *slots), at)
        if compiled.groupindex:
            raise ConfigError(f"{at}: use (?:...) groups, not named groups")
        voice = frozenset(_strings(entry.get("voice", []), f"{at} voice"))
        if not voice <= SPEAKERS:
            raise ConfigError(f"{at}: voice must list {', '.join(sorted(SPEAKERS))}")
        means = entry.get("means")
        after = entry.get("after")
        if after is not None and not isinstance(after, str):
            raise ConfigError(f"{at}: 'after' must be a pattern")
        after_also = entry.get("after_also")
        if after_also is not None and (after is None or not isinstance(after_also, str)):
            raise ConfigError(f"{at}: 'after_also' must be a pattern, beside 'after'")
        triggers: list[str] = []
        for trigger in _strings(entry.get("triggers", []), f"{at} triggers"):
            listed = _MACRO.fullmatch(trigger)
            if listed and listed.group(1) in word_lists:
                triggers.extend(word_lists[listed.group(1)])
            elif trigger.strip():
                triggers.append(trigger.casefold())
        by_kind[kind].append(
            SignalRule(
                id=rule_id,
                kind=kind,
                source=source,
                pattern=compiled,
                means=means if isinstance(means, str) else None,
                triggers=tuple(dict.fromkeys(triggers)),
                fires=_strings(entry.get("fires", []), f"{at} fires"),
                quiet=_strings(entry.get("quiet", []), f"{at} quiet"),
                voice=voice,
                after=None
                if after is None
                else compile_lowercase(expand_macros(after, macros, at), f"{at} after"),
                after_also=None
                if after_also is None
                else compile_lowercase(expand_macros(after_also, macros, at), f"{at} after_also"),
            )
        )
    ordered = tuple(rule for kind in KINDS for rule in by_kind[kind])
    return SignalRules(
        triggers=TriggerIndex.build(ordered),
        ordered=ordered,
        rules={k: tuple(v) for k, v in by_kind.items()},
        skip_sections=skip,
        example_section=example,
        labelled=LabelledKinds(tuple(labelled)),
        person_rows=tuple(person_rows),
        involvement=pattern(_text(access, "involvement", where), f"{where} involvement"),
        date=pattern(_text(attributes, "date", where), f"{where} date"),
        draft_sent=pattern(_text(attributes, "draft_sent", where), f"{where} draft_sent"),
        agreement=pattern(_text(attributes, "agreement", where), f"{where} agreement"),
        comments=pattern(_text(attributes, "comments", where), f"{where} comments"),
        family=pattern(
            "\\b{FAMILY}\\b|" + _text(attributes, "family_extra", where), f"{where} family"
        ),
        professional=pattern(_text(attributes, "professional", where), f"{where} professional"),
        child_generic=generic,
        titles=tuple(t.lower() for t in _strings(attributes.get("titles", []), f"{where} titles")),
        child_named=expand_macros(_text(attributes, "child_named", where), macros, where),
        child_pronoun=pattern(_text(attributes, "child_pronoun", where), f"{where} child_pronoun"),
        meeting_types=tuple(
            (name, pattern(_text(attributes, f"meeting_{name}", where), f"{where} meeting_{name}"))
            for name in MEETING_TYPES
        ),
        request_table=_request_table(kinds.get("request_explained", {}), pattern, where),
        not_statement=vetoes,
        column_kinds=frozenset(column_kinds),
    )


def _request_table(
    kind: Mapping[str, Any], pattern: Callable[[str, str], re.Pattern[str]], where: str
) -> RequestTable | None:
    """``[kinds.request_explained.table]``, compiled; ``None`` when a lexicon has none."""
    table = kind.get("table")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [kinds.request_explained.table] must be a table")
    at = f"{where} [kinds.request_explained.table]"
    asked, decided, why, explained = (
        pattern(_text(table, key, at), f"{at} {key}")
        for key in ("asked", "decided", "why", "explained")
    )
    return RequestTable(asked=asked, decided=decided, why=why, explained=explained)


class SignalsComponent:
    """The spaCy component: reads the block's context, adds one hit per statement and kind."""

    def __init__(self, rules: SignalRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        ctx = context_of(doc)
        if ctx.is_heading or ctx.is_placeholder:
            carry_statements(ctx, ())
            return doc
        text = doc_text(doc)
        if not text.strip():
            return doc
        carried = carried_statements(ctx)
        names = self._names(ctx)
        last = tuple(statements(doc, text))[-AFTER_ALSO_WINDOW:]
        carry_statements(ctx, [names.tag(matchable(text[start:end])) for start, end in last])
        return self._read(doc, text, ctx, carried, names)

    def _names(self, ctx: BlockContext) -> Names:
        """The plan's names, to be made stand-ins in each statement the rules read."""
        return plan_names(tuple(ctx.child_names), self._parents(ctx), self.rules.titles)

    def _read(self, doc: Doc, text: str, ctx: BlockContext, recent: list[str], names: Names) -> Doc:
        """Add the block's hits; ``recent`` holds the paragraph before's last statements."""
        child = child_alternation(
            tuple(ctx.child_names), self.rules.child_generic, self.rules.titles
        )
        found = self._person_rows(doc, text, ctx, names, recent)
        for labelled in self._labelled_kinds(ctx):
            skip = labelled.skip_sections
            if skip is None:
                skip = self.rules.skip_sections[labelled.kind]
            if ctx.section in skip or labelled.kind in found:
                continue
            if self._labelled_block(doc, text, labelled, ctx, child):
                found.add(labelled.kind)
        kinds = [
            k for k in KINDS if ctx.section not in self.rules.skip_sections[k] and k not in found
        ]
        if not kinds:
            return doc
        lowered_block = lower_text(doc)
        if lowered_block is not None and self.rules.triggers.none_in(lowered_block):
            return doc  # no rule's trigger anywhere in the block
        allowed = frozenset(kinds)
        spans = speaker_spans(hits_of(doc))
        heading = names.tag(matchable(ctx.subsection)) if ctx.subsection else ""
        previous = ""
        for start, end in statements(doc, text):
            sentence = text[start:end]
            lowered = matchable(sentence)
            live = self.rules.triggers.candidates(lowered)
            if live:
                lowered = names.tag(lowered)
                speakers = speakers_of(spans, start, end) if spans else frozenset()
                first, means = self._match(
                    sorted(live), allowed, lowered, speakers, recent, heading
                )
                for kind, rule in first.items():
                    attributes = self._attributes(
                        kind, sentence, child, ctx, means, previous, speakers
                    )
                    add_hit(doc, Hit(kind, start, end, rule.id, None, attributes))
            previous = sentence
            recent = [*recent[1 - AFTER_ALSO_WINDOW :], lowered if live else names.tag(lowered)]
        return doc

    def _labelled_kinds(self, ctx: BlockContext) -> tuple[LabelledKind, ...]:
        """The labelled kinds the block's row label or sub-heading names, and those of
        kinds that read a column's header ("What has changed", "We did") that it names."""
        under = self.rules.labelled.under(ctx.row_label, ctx.subsection)
        if not ctx.column_label:
            return under
        by_column = self.rules.labelled.under(ctx.column_label, "")
        return under + tuple(
            k for k in by_column if k.kind in self.rules.column_kinds and k not in under
        )

    def _person_rows(
        self, doc: Doc, text: str, ctx: BlockContext, names: Names, carried: Sequence[str] = ()
    ) -> set[str]:
        """The kinds a row naming the child or a family member carries (one cue per kind).

        The row label names the person ("Sam", "Dana (mum)"); the cell says
        what they will do, as an instruction. Returns the kinds found, so the
        sentence rules do not report the same cell again.
        """
        found: set[str] = set()
        if ctx.column > 0 and ctx.column_label and self._who_cell(doc, text, ctx, names, found):
            return found
        if not ctx.row_label:
            return self._person_lines(doc, text, ctx, names, carried)
        lowered = text.lower()
        label = names.tag(ctx.row_label.lower())
        header = ctx.column_label.lower()
        for rows in self.rules.person_rows:
            if ctx.section in rows.skip_sections or not rows.text.search(lowered):
                continue
            if not rows.label.search(label):
                continue
            if rows.column is not None and not rows.column.search(header):
                continue
            start = len(text) - len(text.lstrip())
            end = len(text.rstrip())
            add_hit(doc, Hit(rows.kind, start, end, rows.rule, None, {}))
            found.add(rows.kind)
        return found

    def _lines_skip(self, kind: str) -> frozenset[str]:
        """Sections where a kind's roles lists are not read: the kind's own, but E."""
        return frozenset(self.rules.skip_sections[kind]) - {"E"}

    def _who_cell(
        self, doc: Doc, text: str, ctx: BlockContext, names: Names, found: set[str]
    ) -> bool:
        """A provision table's "Who" cell naming a family member ("Ellie's mum, at home").

        Why: provision tables give each row its provider in a column of its own;
        where that cell names the family, the row is something the family does.
        """
        header = ctx.column_label.lower()
        lowered = names.tag(text.lower())
        for rows in self.rules.person_rows:
            if rows.who_column is None or rows.who_cell is None:
                continue
            if ctx.section not in rows.who_sections or not rows.who_column.search(header):
                continue
            if rows.who_cell.search(lowered):
                start = len(text) - len(text.lstrip())
                add_hit(doc, Hit(rows.kind, start, len(text.rstrip()), rows.rule, None, {}))
                found.add(rows.kind)
        return bool(found)

    def _person_lines(
        self, doc: Doc, text: str, ctx: BlockContext, names: Names, carried: Sequence[str]
    ) -> set[str]:
        """A "who does what" list written as lines, a person per line.

        Why: a cell or paragraph often lists the roles as lines ("Sam: check his
        aids each morning." / "Mum and Dad: charge the radio aid." / "School:
        ..."), the row label written into the line; a text export may make each
        line a paragraph of its own (the paragraph before is ``carried``). A line
        naming the child or a family member whose text is an instruction is that
        person's row, in a list of two or more lines for different people or
        straight under the list's title (``list_title``: "Who does what"), so an
        outcome line ("Sam: will read ...") alone is never one. Read in any
        section but the front page: such a list often closes an outcomes table.
        """
        found: set[str] = set()
        if ctx.section == "front" or ":" not in text:
            return found
        lines = [
            (m.start(), m.end(), names.tag(m.group(1).lower()), m.group(2).lower())
            for m in _PERSON_LINE.finditer(text)
        ]
        titles = [ctx.subsection.lower()] if ctx.subsection else []
        if len(lines) == 1 and carried:
            before = [(-1, -1, m.group(1), m.group(2)) for m in _PERSON_LINE.finditer(carried[-1])]
            lines = before[-1:] + lines
            titles += [] if before else [carried[-1]]
        titled = any(
            rows.list_title is not None and rows.list_title.search(title)
            for rows in self.rules.person_rows
            for title in titles
        )
        if len({x[2] for x in lines}) < 2 and not titled:
            return found
        for rows in self.rules.person_rows:
            if rows.column is not None or ctx.section in self._lines_skip(rows.kind):
                continue  # a row that needs its column ("Present"), or a section not read
            own = [
                x for x in lines if x[0] >= 0 and rows.label.search(x[2]) and rows.text.search(x[3])
            ]
            if own:
                start, end = own[0][0], own[0][1]
                add_hit(doc, Hit(rows.kind, start, end, rows.rule, None, {}))
                found.add(rows.kind)
        return found

    def _labelled_block(
        self, doc: Doc, text: str, labelled: LabelledKind, ctx: BlockContext, child: str
    ) -> bool:
        """A block under a row label or sub-heading of its kind is one cue of that kind.

        "Attendees" over a cell, "Progress" over a list, "You said, we did"
        over a table: the label says what the lines under it are, whatever
        their wording. A block the label's ``unless`` pattern matches is left
        to the sentence rules.
        """
        if labelled.excludes(text.lower()):
            return False
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        attributes = self._attributes(labelled.kind, text, child, ctx, [])
        add_hit(doc, Hit(labelled.kind, start, end, labelled.rule, None, attributes))
        return True

    def _match(
        self,
        live: list[int],
        allowed: frozenset[str],
        lowered: str,
        speakers: frozenset[str] = frozenset(),
        recent: Sequence[str] = (),
        heading: str = "",
    ) -> tuple[dict[str, SignalRule], list[str]]:
        """The first matching rule of each kind (kinds in order), and every access means.

        Only rules whose triggers occur are tried, in lexicon order; once a
        kind has its rule, its later rules are skipped, except for access
        needs, whose every means is reported. A rule asking for a speaker
        (``voice``) is skipped unless the voice component heard one of them
        in the statement, and a rule with ``after`` unless one of the ``recent``
        statements (lower-cased, the block's last few) matches it; ``after_also``
        may also be met in the block's sub-heading (``heading``: "Dana's request for
        a specialist school" names the request its paragraphs answer). A kind whose
        ``not_statement`` matches the statement gets no cue from it. ``lowered``
        has the plan's names as stand-ins (:class:`Names`).
        """
        first: dict[str, SignalRule] = {}
        means: list[str] = []
        allowed = frozenset(
            k
            for k in allowed
            if k not in self.rules.not_statement or not self.rules.not_statement[k].search(lowered)
        )
        for position in live:
            rule = self.rules.ordered[position]
            kind = rule.kind
            if kind not in allowed or (kind in first and kind != "access_need"):
                continue
            if rule.voice and rule.voice.isdisjoint(speakers):
                continue
            if not rule.pattern.search(lowered):
                continue
            if rule.after is not None and not any(
                rule.after.search(r) for r in recent[-AFTER_WINDOW:]
            ):
                continue
            if rule.after_also is not None and not any(
                rule.after_also.search(r) for r in (*recent, heading)
            ):
                continue
            first.setdefault(kind, rule)
            if rule.means and rule.means not in means:
                means.append(rule.means)
        return first, means

    def _attributes(
        self,
        kind: str,
        sentence: str,
        child: str,
        ctx: BlockContext,
        means: list[str],
        previous: str = "",
        speakers: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        """``previous`` is the statement before, in the same block: "The planning
        meeting was held on 3 June. It was attended by ..." names the meeting
        one sentence earlier; ``speakers`` who the voice component heard in it.
        A feedback cue is dated by a date in its statement or in its row label, or
        by the dated sending of the draft just before it ("The draft was sent on 2
        May. Dana replied that ..."): the exchange is on record with its date. It is
        ``agreement_only`` when it agrees and comments on nothing."""
        if kind == "feedback":
            # A "Date | They said | We did" row dates every cell after the date.
            dated = (
                self.rules.date.search(sentence)
                or self.rules.date.search(ctx.row_label)
                or (self.rules.date.search(previous) and self.rules.draft_sent.search(previous))
            )
            agreement_only = bool(self.rules.agreement.search(sentence)) and not (
                self.rules.comments.search(sentence)
            )
            return {"dated": bool(dated), "agreement_only": agreement_only}
        if kind == "attendance":
            return self._attendance_attributes(sentence, child, ctx, previous)
        if kind == "access_need":
            return {
                "means": means,
                "involvement": bool(self.rules.involvement.search(sentence)),
                "who": self._access_who(sentence, child, ctx, speakers),
            }
        return {}

    def _attendance_attributes(
        self, text: str, child: str, ctx: BlockContext, previous: str = ""
    ) -> dict[str, Any]:
        who: list[str] = []
        lowered = text.lower()
        if _compile_for_plan(r"\b{CHILD}\b", child, "", "child").search(lowered):
            who.append("child")
        if self.rules.family.search(text) or self._parent_named(lowered, ctx):
            who.append("family")
        roles = list(
            dict.fromkeys(
                " ".join(m.group(0).split()) for m in self.rules.professional.finditer(text)
            )
        )
        if roles:
            who.append("professional")
        meeting = self._meeting(text) or self._meeting(previous) or "unspecified"
        return {
            "who": who,
            "roles": roles,
            "meeting": meeting,
            "dated": bool(self.rules.date.search(text)),
        }

    def _access_who(
        self, text: str, child: str, ctx: BlockContext, speakers: frozenset[str]
    ) -> list[str]:
        """Whose access the means served: ``child``, ``family``, both or neither.

        "Sam's mum gave her views in Somali with an interpreter" is the
        family's (the child is named only as whose mum); "Sam sorted picture
        cards" or the child's own "I typed my views" is the child's; a bare
        "she" or "he" is the child's where no family member is named.
        """
        lowered = text.lower()
        family = (
            "parent_voice" in speakers
            or bool(self.rules.family.search(text))
            or self._parent_named(lowered, ctx)
        )
        named = _compile_for_plan(self.rules.child_named, child, "", "child_named")
        # A parent's name holding the family surname ("Mrs Agathe Fenwick") names the parent.
        unparented = self._without_parents(lowered, ctx)
        is_child = (
            "child_voice" in speakers
            or bool(named.search(unparented))
            or (not family and bool(self.rules.child_pronoun.search(lowered)))
        )
        return [w for w, present in (("child", is_child), ("family", family)) if present]

    def _without_parents(self, lowered: str, ctx: BlockContext) -> str:
        """``lowered`` with the parents' and carers' names blanked out."""
        pattern = self._parent_pattern(ctx)
        return lowered if pattern is None else pattern.sub(" ", lowered)

    def _parents(self, ctx: BlockContext) -> tuple[str, ...]:
        """The parents' and carers' names: from the details, the child's and the
        parents' own surnames after a title ("Ms Okafor" for a parent "Ada Okafor" whose
        child is "Sam Okafor-Reid"), and the family by the child's surname ("the Reids")."""
        titled = titled_surnames((*ctx.child_names, *ctx.parent_names), self.rules.titles)
        return (*ctx.parent_names, *titled, *family_by_surname(ctx.child_names))

    def _parent_named(self, lowered: str, ctx: BlockContext) -> bool:
        """Whether a parent or carer the plan names (or titles) is in the lower-cased text."""
        pattern = self._parent_pattern(ctx)
        return pattern is not None and pattern.search(lowered) is not None

    def _parent_pattern(self, ctx: BlockContext) -> re.Pattern[str] | None:
        """The parents' and carers' names as one pattern, or None when the plan names none."""
        parents = self._parents(ctx)
        if not parents:
            return None
        names = parent_alternation(parents, "(?!)")
        return _compile_for_plan(r"\b{PARENT}\b", "", names, "parent")

    def _meeting(self, text: str) -> str | None:
        return next((name for name, regex in self.rules.meeting_types if regex.search(text)), None)


def default_rules() -> SignalRules:
    """The installed lexicon, compiled (cached with the lexicon itself)."""
    return _default_rules()


@lexicon_cache(maxsize=1)
def _default_rules() -> SignalRules:
    return read_rules(load(LEXICON))


@Language.factory("ehcp_signals", default_config={})
def make_signals(nlp: Language, name: str) -> SignalsComponent:
    """Build the component; the lexicon is read and compiled once per process."""
    return SignalsComponent(default_rules())
