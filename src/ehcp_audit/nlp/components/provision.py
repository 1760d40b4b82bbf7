"""``ehcp_provision``: vague and quantified provision in sections F, G, H1 and H2 (and J's amounts).

The SEND Code of Practice (9.69) asks for provision that is "detailed and
specific", normally quantified: what is provided, how often, for how long and
by whom. Principle 6 of the rubric rates a plan down for provision written as
"access to", "regular", "as required", so the component reports two kinds of
cue, each from data in ``rules/lexicons/provision.toml``:

- ``vague_provision``: one cue per vague statement, the statement being the
  evidence and ``rule`` its first vague phrase's rule, with
  ``attributes.phrases`` and ``attributes.rules`` listing every vague phrase
  in it and its rule.
  One per statement, not per phrase, so that a share of quantified
  provision weighs statements against statements:
  "Access to a quiet room when needed" is one piece of vague provision, not
  two. A few words ("support", "input",
  "interventions", open-ended "continued" or "monitor") are vague only when
  *bare*: when nothing in the same statement says how often or how long.
  Conditions that may never be met ("if a place becomes free", "should
  concerns arise", "subject to funding") are phrases too. A phrase list
  cannot catch every way a plan never seen leaves provision open ("Adults
  to use calm language."), so a statement with no vague phrase and no amount
  at all is reported whole (``vague.unquantified_statement``, see
  :class:`Unquantified`). Measured on the labels: vague recall went from
  0.97 to 1.00 on the corpus and from 0.75 to 1.00 on the dev1 plans,
  precision 0.95 and 1.00; the corpus false positives are short statements
  one auditor left unlisted ("PEEP to be in place.").
- ``quantified_provision``: one cue per statement that names who delivers it,
  says what is provided and gives how often and/or how long; ``attributes``
  report all four as booleans, so a three-of-four statement is visible as
  such (``rule`` is ``quantified.all_four`` or ``quantified.three_of_four``).
  A statement that also holds a vague phrase ("as required", "up to") is not
  a firm commitment and is not reported as quantified.

Threshold (``[quantified] min_of_when``): 1, i.e. who + what + (how often or
how long). Measured on the corpus labels (20 labelled plan files, 200
labelled quantified statements) it gives recall 1.00 and precision 0.97;
requiring all four gives precision 1.00 but recall 0.96, missing statements
auditors accept as quantified ("15 minutes with Nia at her appointments in
May and November", "during a 1-hour home visit"). The false positives at 1
are who + how often alone ("Physio programme to be carried out daily by
LSA"), which the ``three_of_four`` rule id lets the checks weigh.

Work is per *statement*: a spaCy sentence, split again at line breaks, since
table cells and lists often put one item per line without a full stop.

Speed: Python's ``re`` is several times slower with ``IGNORECASE`` than
without, so patterns are matched against the lower-cased statement with
their literals lower-cased (:class:`CasedPattern`); only a pattern with a
case-sensitive part ``(?-i:...)`` is matched case-insensitively on the text
as written. Everything is compiled once, when the component is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from attrs import evolve, frozen
from spacy.language import Language
from spacy.tokens import Doc

from ..._errors import ConfigError
from ..._regex_cache import compile_data
from .._context import BlockContext, Hit, add_hit, context_of
from .._lexicon import compile_pattern, lexicon_cache, load
from .._text import statements

LEXICON = "provision"

_SPLIT_NAMES = re.compile(r"\s+and\s+")
_CASE_SENSITIVE = "(?-i:"
# What lower-casing a pattern leaves alone: an escape (``\W`` is not ``\w``) and a
# group's name (``(?P<Name>``).
_NOT_LITERAL = re.compile(r"\\.|\(\?P<[^>]*>|\(\?P", re.DOTALL)


# --------------------------------------------------------------------------
# Helpers shared with the outcome component (statements come from .._text): the
# same way of reading and matching lexicon patterns.
# --------------------------------------------------------------------------


class Text:
    """A statement as written and lower-cased (None when lower-casing changes its length)."""

    __slots__ = ("lower", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        lower = original.lower()
        self.lower: str | None = lower if len(lower) == len(original) else None


@frozen
class CasedPattern:
    """A lexicon pattern, matched case-insensitively the fast way where it can be.

    ``fast`` is the pattern with its literals lower-cased, compiled without
    ``IGNORECASE``, for the lower-cased text; it is None when the pattern has
    a case-sensitive part. ``cased`` is the pattern as written, compiled with
    ``IGNORECASE``, for the text as written. Offsets are the same either way.
    """

    source: str
    cased: re.Pattern[str]
    fast: re.Pattern[str] | None

    def pick(self, text: Text) -> tuple[re.Pattern[str], str]:
        if self.fast is not None and text.lower is not None:
            return self.fast, text.lower
        return self.cased, text.original

    def search(self, text: Text) -> re.Match[str] | None:
        pattern, string = self.pick(text)
        return pattern.search(string)

    def finditer(self, text: Text) -> Iterator[re.Match[str]]:
        pattern, string = self.pick(text)
        return pattern.finditer(string)

    def blank(self, text: Text) -> Text:
        """``text`` with every match replaced by spaces (offsets kept)."""
        spans = [m.span() for m in self.finditer(text)]
        if not spans:
            return text
        chars = list(text.original)
        for start, end in spans:
            chars[start:end] = " " * (end - start)
        return Text("".join(chars))


def lower_literals(source: str) -> str:
    """``source`` with its literal letters lower-cased, escapes and group syntax untouched."""
    out: list[str] = []
    start = 0
    for kept in _NOT_LITERAL.finditer(source):
        out += (source[start : kept.start()].lower(), kept.group())
        start = kept.end()
    out.append(source[start:].lower())
    return "".join(out)


def compile_cased(source: str, where: str, *, cache: bool = True) -> CasedPattern:
    """Compile a lexicon pattern both ways (see :class:`CasedPattern`).

    ``cache=False`` for a pattern holding anything from a plan (see
    :func:`~.._lexicon.compile_pattern`).
    """
    cased = compile_pattern(source, where, cache=cache)
    fast: re.Pattern[str] | None = None
    if _CASE_SENSITIVE not in source:
        try:
            lowered = lower_literals(source)
            fast = compile_data(lowered) if cache else re.compile(lowered)
        except re.error:  # an escape lower-casing cannot keep: use the slow way
            fast = None
    return CasedPattern(source, cased, fast)


def join_lines(source: str) -> str:
    """A pattern written over several lines, with each break and its indentation removed."""
    return "".join(part.strip() for part in source.splitlines())


def expand(source: str, macros: Mapping[str, str]) -> str:
    """``source`` with every ``{NAME}`` of ``macros`` replaced, long lines joined."""
    text = join_lines(source)
    for name, value in macros.items():
        text = text.replace("{" + name + "}", join_lines(value))
    return text


def macros_of(data: Mapping[str, Any], where: str) -> dict[str, str]:
    macros = data.get("macros", {})
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise ConfigError(f"{where}: [macros] must map names to pattern strings")
    return macros


def strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return value


@frozen
class Rule:
    """One named pattern from a lexicon, with its must-fire / must-not-fire examples."""

    id: str
    pattern: CasedPattern
    bare: bool = False
    fires: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()


def read_rules(entries: Any, macros: Mapping[str, str], where: str) -> tuple[Rule, ...]:
    """Rules from a TOML array of tables, each with ``id`` and ``pattern``."""
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{where}: expected a non-empty list of rules")
    rules: list[Rule] = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: rule {number} is not a table")
        rule_id, source = entry.get("id"), entry.get("pattern")
        if not isinstance(rule_id, str) or not rule_id or not isinstance(source, str) or not source:
            raise ConfigError(f"{where}: rule {number} needs a text 'id' and a text 'pattern'")
        pattern = compile_cased(expand(source, macros), f"{where} {rule_id}")
        if pattern.cased.groupindex:
            raise ConfigError(f"{where} {rule_id}: use (?:...) groups, not named groups")
        rules.append(
            Rule(
                id=rule_id,
                pattern=pattern,
                bare=bool(entry.get("bare", False)),
                fires=tuple(strings(entry.get("fires", []), f"{where} {rule_id} fires")),
                quiet=tuple(strings(entry.get("quiet", []), f"{where} {rule_id} quiet")),
            )
        )
    return tuple(rules)


def pattern_of(
    table: Mapping[str, Any], key: str, macros: Mapping[str, str], where: str
) -> CasedPattern:
    """The single pattern ``key`` of a lexicon table."""
    source = table.get(key)
    if not isinstance(source, str) or not source:
        raise ConfigError(f"{where}: pattern '{key}' is missing")
    return compile_cased(expand(source, macros), f"{where} {key}")


def any_of(sources: Sequence[str], where: str) -> CasedPattern:
    """One pattern matching wherever any of ``sources`` matches."""
    return compile_cased("|".join(f"(?:{s})" for s in sources), where)


@frozen
class Alternation:
    """Several rules scanned in one pass; each match is reported with the rule behind it.

    The rules are joined into one pattern of plain groups (capturing groups
    make Python's ``re`` several times slower here); the rule behind a match
    is then found by trying the rules, in order, at the match's start, which
    is what the joined pattern did. Where two rules could match at the same
    place, the first listed wins.
    """

    rules: tuple[Rule, ...]
    joined: CasedPattern

    @classmethod
    def of(cls, rules: Sequence[Rule], where: str) -> Alternation:
        return cls(tuple(rules), any_of([r.pattern.source for r in rules], where))

    def finditer(self, text: Text) -> Iterator[tuple[Rule, re.Match[str]]]:
        for match in self.joined.finditer(text):
            yield self._rule_at(text, match), match

    def search(self, text: Text) -> tuple[Rule, re.Match[str]] | None:
        match = self.joined.search(text)
        return None if match is None else (self._rule_at(text, match), match)

    def blank(self, text: Text) -> Text:
        return self.joined.blank(text)

    def _rule_at(self, text: Text, match: re.Match[str]) -> Rule:
        for rule in self.rules:
            pattern, string = rule.pattern.pick(text)
            found = pattern.match(string, match.start())
            if found is not None and found.end() == match.end():
                return rule
        return self.rules[0]  # not reached: the joined pattern matched one of them


def applies(doc: Doc, sections: frozenset[str]) -> BlockContext | None:
    """The block's context when a component should read it, else None.

    A doc with no context at all (a user's own ``nlp.add_pipe``) is read as
    if it sat in the component's sections; template prompts and headings are
    never read.
    """
    context = context_of(doc)
    if context.is_placeholder or context.is_heading:
        return None
    if isinstance(doc._.ehcp_context, BlockContext) and context.section not in sections:
        return None
    return context


# --------------------------------------------------------------------------
# The rule set
# --------------------------------------------------------------------------


@frozen
class Aside:
    """Statements in a provision section that are not provision (``[aside]``).

    Plans leave other things under a provision heading: the child's history
    (past tense, no commitment), the family's circumstances, a template's
    guidance note, an editor's note in square brackets, a line that only points
    to another plan. Such a statement is neither vague nor quantified
    provision, whatever words it holds ("she was supported at SEN Support").
    """

    pattern: CasedPattern
    #: What happened before: aside unless ``unless`` (a commitment: "will", "to be",
    #: "Staff to check") makes the statement provision after all.
    past: CasedPattern | None = None
    unless: CasedPattern | None = None
    fires: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()

    def applies(self, text: Text) -> bool:
        if self.pattern.search(text) is not None:
            return True
        return (
            self.past is not None
            and self.past.search(text) is not None
            and (self.unless is None or self.unless.search(text) is None)
        )


def read_aside(table: Any, macros: Mapping[str, str], where: str) -> Aside | None:
    """The ``[aside]`` table, or None when a lexicon leaves it out."""
    if table is None:
        return None
    where = f"{where} [aside]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    patterns = [expand(s, macros) for s in strings(table.get("patterns"), f"{where} patterns")]
    past = [expand(s, macros) for s in strings(table.get("past", []), f"{where} past")]
    return Aside(
        pattern=any_of(patterns, f"{where} patterns"),
        past=any_of(past, f"{where} past") if past else None,
        unless=pattern_of(table, "unless", macros, where) if table.get("unless") else None,
        fires=tuple(strings(table.get("fires", []), f"{where} fires")),
        quiet=tuple(strings(table.get("quiet", []), f"{where} quiet")),
    )


@frozen
class Unquantified:
    """The statement-level rule: provision that gives no amount at all.

    A phrase lexicon catches "as required" and "access to", but a plan never
    seen writes vagueness in its own words ("Adults to use calm language.",
    "We will celebrate her art."): what makes such a statement vague is what
    it lacks, not what it says. So a statement in a provision section that
    holds no vague phrase and no frequency or duration is reported when it
    also gives no other amount (``firm``: a date or deadline, "in every
    lesson", "always", a count) and is not something other than provision
    (``not_provision``: "No provision is required", "See section F", a
    statement about sessions already described; ``child_action``: the child's
    own part, "Sam will tell staff ..."), nor a label or a list's lead-in (a
    line ending in a colon, or a short line with no full stop, such as a
    table's "Frequency" or a sub-heading typed as text).
    """

    id: str
    firm: CasedPattern
    not_provision: CasedPattern
    child_action: CasedPattern
    label_words: int
    fires: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()

    def applies(self, text: Text, child: frozenset[str]) -> bool:
        """Whether ``text`` (a statement with no vague phrase and no quantity) is vague.

        ``child`` holds the child's names and pronouns, lower-cased.
        """
        if is_label(text.original, self.label_words):
            return False
        if self.firm.search(text) or self.not_provision.search(text):
            return False
        action = self.child_action.search(text)
        return action is None or action.group("subject").lower() not in child


_TERMINAL = frozenset(".!?)\"'”’")


def is_label(text: str, max_words: int) -> bool:
    """Whether a statement reads as a label, heading or list lead-in rather than provision.

    A line ending in a colon introduces what follows. A line with no closing
    full stop is a label when it is short or written in title case ("Speech
    and Language Therapy"): a table's row label or a sub-heading typed as
    text, not a statement of provision.
    """
    last = text[-1]
    if last == ":":
        return True
    if last in _TERMINAL:
        return False
    words = text.split()
    if len(words) <= max_words:
        return True
    return all(w[0].isupper() for w in words if len(w) > 3 and w[0].isalpha())


@frozen
class ProvisionRules:
    """Everything ``provision.toml`` defines, compiled."""

    sections: frozenset[str]
    vague: tuple[Rule, ...]
    how_often: tuple[Rule, ...]
    how_long: tuple[Rule, ...]
    not_amount: CasedPattern | None
    roles: tuple[CasedPattern, ...]
    named_subject: CasedPattern
    not_names: frozenset[str]
    what: CasedPattern
    min_of_when: int
    often_any: CasedPattern
    long_any: CasedPattern
    unquantified: Unquantified | None = None
    #: What each column of a provision table holds, by header text (``[rows]``),
    #: and how long a header cell can be.
    row_columns: tuple[tuple[str, CasedPattern], ...] = ()
    row_header_words: int = 8
    #: How many of {how often, how long} a statement that names nobody must give
    #: to count ("Sam will have a 15-minute handwriting warm-up 4 times a week":
    #: the school is the provider); 0 = never.
    without_who: int = 0
    #: The child's own part in the first person ("I will fill in my feelings
    #: chart after lunch each day"): not provision made for the child.
    own_part: CasedPattern | None = None
    #: The child receives something ("will have", "will attend"): the pattern a
    #: statement that names nobody must match to count under ``without_who``.
    received: CasedPattern | None = None
    #: Sections read for quantified provision only (``quantified_sections``):
    #: Section J's budget ("a personal budget of £4,000 a year, managed by his
    #: mum") is an amount with a manager, but J's other lines ("No personal
    #: budget has been requested") are not provision left vague.
    quantified_only: frozenset[str] = frozenset()
    #: What a statement in those sections must mention to be read (the budget).
    quantified_only_need: CasedPattern | None = None
    #: A table column that names who provides (``provider_columns``: "Staff", "Who",
    #: "Delivered by"): its cells ("Miss Finch and all staff who teach him") say who,
    #: beside the provision in the row, and are no provision of their own.
    provider_columns: CasedPattern | None = None
    aside: Aside | None = None

    def quantities(self, text: Text) -> tuple[bool, bool]:
        """(how often, how long), ceilings such as "up to 10 hours" ignored."""
        if self.not_amount is not None:
            text = self.not_amount.blank(text)
        return bool(self.often_any.search(text)), bool(self.long_any.search(text))

    def implicit_provider(self, text: Text, amounts: int) -> bool:
        """Whether a statement naming nobody counts: the child receives it, in full amounts."""
        return (
            0 < self.without_who <= amounts
            and self.received is not None
            and self.received.search(text) is not None
        )

    def who(self, text: Text, child_names: frozenset[str] = frozenset()) -> bool:
        """Whether the statement names who delivers: a role, service, family member or person."""
        if any(role.search(text) for role in self.roles):
            return True
        if not child_names:
            return False
        for match in self.named_subject.finditer(text):
            for name in _SPLIT_NAMES.split(match.group("names")):
                if name not in child_names and name not in self.not_names:
                    return True
        return False


@lexicon_cache
def provision_rules(name: str = LEXICON) -> ProvisionRules:
    """Compile ``rules/lexicons/NAME.toml`` (cached per process)."""
    data = load(name)
    where = f"lexicons/{name}.toml"
    macros = macros_of(data, where)
    sections = strings(data.get("sections"), f"{where} sections")
    quantified = data.get("quantified")
    if not isinstance(quantified, dict):
        raise ConfigError(f"{where}: the [quantified] table is missing")
    who, what = quantified.get("who"), quantified.get("what")
    if not isinstance(who, dict) or not isinstance(what, dict):
        raise ConfigError(f"{where}: [quantified.who] and [quantified.what] are needed")
    min_of_when = quantified.get("min_of_when", 1)
    if min_of_when not in (1, 2):
        raise ConfigError(f"{where}: [quantified] min_of_when must be 1 or 2")
    without_who = quantified.get("without_who", 0)
    if without_who not in (0, 1, 2):
        raise ConfigError(f"{where}: [quantified] without_who must be 0, 1 or 2")
    own_part = quantified.get("own_part")
    not_amount = [expand(s, macros) for s in strings(quantified.get("not_amount", []), where)]
    how_often = read_rules(quantified.get("how_often"), macros, f"{where} how_often")
    how_long = read_rules(quantified.get("how_long"), macros, f"{where} how_long")
    named_subject = pattern_of(who, "named_subject", macros, where)
    if "names" not in named_subject.cased.groupindex:
        raise ConfigError(f"{where}: named_subject needs a (?P<names>...) group")
    roles = [
        expand(s, macros)
        for s in (who.get("roles"), who.get("case_sensitive"))
        if isinstance(s, str)
    ]
    if not roles:
        raise ConfigError(f"{where}: [quantified.who] roles are missing")
    row_columns, row_header_words = read_row_columns(data.get("rows"), macros, where)
    amount_sections = strings(data.get("quantified_sections", []), f"{where} quantified_sections")
    return ProvisionRules(
        quantified_only=frozenset(amount_sections) - frozenset(sections),
        aside=read_aside(data.get("aside"), macros, where),
        quantified_only_need=(
            pattern_of(data, "quantified_sections_need", macros, where)
            if data.get("quantified_sections_need")
            else None
        ),
        provider_columns=(
            pattern_of(data, "provider_columns", macros, where)
            if data.get("provider_columns")
            else None
        ),
        row_columns=row_columns,
        row_header_words=row_header_words,
        unquantified=read_unquantified(data.get("unquantified"), macros, where),
        sections=frozenset(sections),
        vague=read_rules(data.get("vague"), macros, f"{where} [[vague]]"),
        how_often=how_often,
        how_long=how_long,
        not_amount=any_of(not_amount, f"{where} not_amount") if not_amount else None,
        # Roles are matched the fast way; the case-sensitive ones (acronyms,
        # "Mrs O...") need the slow way, so they are kept in a pattern apart.
        roles=tuple(compile_cased(s, f"{where} who") for s in roles),
        named_subject=named_subject,
        not_names=frozenset(strings(who.get("not_names", []), f"{where} not_names")),
        what=pattern_of(what, "pattern", macros, where),
        min_of_when=min_of_when,
        without_who=without_who,
        own_part=pattern_of(quantified, "own_part", macros, where) if own_part else None,
        received=pattern_of(quantified, "received", macros, where) if without_who else None,
        often_any=any_of([r.pattern.source for r in how_often], f"{where} how_often"),
        long_any=any_of([r.pattern.source for r in how_long], f"{where} how_long"),
    )


ROW_ROLES: tuple[str, ...] = ("what", "how_often", "how_long", "who")


def read_row_columns(
    table: Any, macros: Mapping[str, str], where: str
) -> tuple[tuple[tuple[str, CasedPattern], ...], int]:
    """The ``[rows]`` table: column header patterns by role, and the longest header."""
    if table is None:
        return (), 0
    where = f"{where} [rows]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    words = table.get("max_header_words", 8)
    if not isinstance(words, int) or isinstance(words, bool) or words <= 0:
        raise ConfigError(f"{where}: max_header_words must be a whole number > 0")
    columns: list[tuple[str, CasedPattern]] = []
    for entry in table.get("column") or ():
        role = entry.get("role") if isinstance(entry, dict) else None
        if role not in ROW_ROLES:
            raise ConfigError(f"{where}: each column needs a role, one of {', '.join(ROW_ROLES)}")
        columns.append((role, pattern_of(entry, "pattern", macros, f"{where} {role}")))
    return tuple(columns), words


def read_unquantified(table: Any, macros: Mapping[str, str], where: str) -> Unquantified | None:
    """The ``[unquantified]`` table, or None when a lexicon leaves the rule out."""
    if table is None:
        return None
    where = f"{where} [unquantified]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    rule_id = table.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise ConfigError(f"{where}: a text 'id' is needed")
    label_words = table.get("label_words", 3)
    if not isinstance(label_words, int) or isinstance(label_words, bool) or label_words < 0:
        raise ConfigError(f"{where}: label_words must be a whole number >= 0")
    lists = {
        key: [expand(s, macros) for s in strings(table.get(key), f"{where} {key}")]
        for key in ("firm", "not_provision")
    }
    child_action = pattern_of(table, "child_action", macros, where)
    if "subject" not in child_action.cased.groupindex:
        raise ConfigError(f"{where}: child_action needs a (?P<subject>...) group")
    return Unquantified(
        id=rule_id,
        firm=any_of(lists["firm"], f"{where} firm"),
        not_provision=any_of(lists["not_provision"], f"{where} not_provision"),
        child_action=child_action,
        label_words=label_words,
        fires=tuple(strings(table.get("fires", []), f"{where} fires")),
        quiet=tuple(strings(table.get("quiet", []), f"{where} quiet")),
    )


# --------------------------------------------------------------------------
# The component
# --------------------------------------------------------------------------


class ProvisionComponent:
    """Finds vague phrases and quantified statements in provision sections."""

    def __init__(self, lexicon: str | ProvisionRules = LEXICON) -> None:
        """``lexicon``: the lexicon's name, or its rules already compiled."""
        self.rules = lexicon if isinstance(lexicon, ProvisionRules) else provision_rules(lexicon)
        self._vague = Alternation.of(self.rules.vague, "vague")
        self._read = self.rules.sections | self.rules.quantified_only

    def __call__(self, doc: Doc) -> Doc:
        context = applies(doc, self._read)
        if context is None:
            return doc
        providers = self.rules.provider_columns
        if (
            context.column > 0
            and providers is not None
            and providers.search(Text(context.column_label))
        ):
            return doc  # the "Staff" cell of a provision row: who, not what
        names = frozenset(context.child_names)
        child = frozenset(n.lower() for n in (*names, *context.child_pronouns))
        vague = context.section not in self.rules.quantified_only
        text = doc.text  # built from the tokens on every read: read it once
        for start, end in statements(doc, text):
            self._statement(doc, Text(text[start:end]), start, names, child, vague)
        return doc

    def _aside(self, text: Text) -> bool:
        """Whether a statement that would give a cue is not provision at all (read last: rare)."""
        aside = self.rules.aside
        return aside is not None and aside.applies(text)

    def _read_for_amount(self, text: Text) -> bool:
        """Whether a statement in a section read for amounts only is about what is read there."""
        need = self.rules.quantified_only_need
        return need is None or need.search(text) is not None

    def _statement(
        self,
        doc: Doc,
        text: Text,
        offset: int,
        names: frozenset[str],
        child: frozenset[str],
        vague: bool = True,
    ) -> None:
        found = self.judge(text, names, child, vague)
        if found is not None:
            add_hit(doc, evolve(found, start=found.start + offset, end=found.end + offset))

    def judge(
        self,
        text: Text,
        names: frozenset[str] = frozenset(),
        child: frozenset[str] = frozenset(),
        vague: bool = True,
    ) -> Hit | None:
        """The cue one statement gives, if any, with offsets inside the statement.

        ``names``: the child's names; ``child``: their names and pronouns,
        lower-cased; ``vague``: whether the section is read for vague
        provision too (not only for amounts).
        """
        rules = self.rules
        often, long = rules.quantities(text)
        phrases = [
            (rule, match)
            for rule, match in self._vague.finditer(text)
            if not (rule.bare and (often or long))
        ]
        end = len(text.original)
        if not vague and (phrases or not self._read_for_amount(text)):
            # Read for amounts only: a ceiling or a condition is no firm amount,
            # and the section's other lines are not provision.
            return None
        if phrases:
            if self._aside(text):
                return None
            attributes = {
                "phrases": [text.original[m.start() : m.end()] for _, m in phrases],
                "rules": [r.id for r, _ in phrases],
            }
            # "as required", "regular", "up to": the amount is left open, so
            # whatever numbers the statement holds, it is not a firm commitment.
            return Hit("vague_provision", 0, end, phrases[0][0].id, attributes=attributes)
        if not (often or long):
            # No vague phrase, but no amount either: the statement itself is the evidence.
            unquantified = rules.unquantified
            if (
                vague
                and unquantified is not None
                and unquantified.applies(text, child)
                and not self._aside(text)
            ):
                return Hit("vague_provision", 0, end, unquantified.id)
            return None
        amounts = int(often) + int(long)
        if amounts < rules.min_of_when:
            return None
        if rules.own_part is not None and rules.own_part.search(text):
            return None
        who = rules.who(text, names)
        what = bool(rules.what.search(text))
        if what and (who or rules.implicit_provider(text, amounts)) and not self._aside(text):
            return Hit(
                "quantified_provision",
                0,
                end,
                "quantified.all_four" if often and long else "quantified.three_of_four",
                attributes={"what": what, "how_often": often, "how_long": long, "who": who},
            )
        return None


@Language.factory("ehcp_provision", default_config={"lexicon": LEXICON})
def make_provision(nlp: Language, name: str, lexicon: str) -> Callable[[Doc], Doc]:
    """spaCy factory: ``nlp.add_pipe("ehcp_provision")``."""
    return ProvisionComponent(lexicon)
