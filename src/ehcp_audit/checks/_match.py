"""What ``existence``, ``occurrence`` and ``conditional`` rules look for, and where.

A rule looks for a cue kind (``cue = "vague_provision"``, narrowed by
``where``), a regular expression (``pattern``), literal ``phrases``, or a
mix of them; what it finds is the union. Patterns are matched on each
block's text (headings left out, unfilled prompts kept, since a prompt left
in place is sometimes exactly what a rule is after), and each *sentence*
holding a match is one occurrence, quoted whole as the evidence: a case
worker needs the sentence, not the word.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from .._model import BlockKind, Cue, Evidence, Location, PlanAudit, Section
from ._spec import Table, compile_regex, phrase_regex

SCALARS = (str, int, float, bool)
_CLOSERS = "\"'”’)]"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)|\n")


@frozen
class CueFilter:
    """A cue kind and the field/attribute values a cue must have (``where``)."""

    kind: str
    where: tuple[tuple[str, Any], ...] = ()

    def matches(self, cue: Cue) -> bool:
        if cue.kind != self.kind:
            return False
        return all(_value_matches(cue_value(cue, name), expected) for name, expected in self.where)


def cue_value(cue: Cue, name: str) -> Any:
    """A cue's field (``category``, ``section``, ``rule``) or attribute by name."""
    if name == "category":
        return cue.category
    if name == "section":
        return cue.section
    if name == "rule":
        return cue.rule
    return cue.attributes.get(name)


def _value_matches(actual: Any, expected: Any) -> bool:
    if isinstance(expected, tuple):
        return any(_value_matches(actual, item) for item in expected)
    if isinstance(expected, bool):
        return bool(actual) is expected
    if isinstance(actual, list | tuple | set | frozenset):
        return expected in actual
    if isinstance(expected, str) and isinstance(actual, str):
        return actual.casefold() == expected.casefold()
    return bool(actual == expected)


@frozen
class Matcher:
    """The union of a cue filter and a compiled pattern (either may be absent)."""

    cue: CueFilter | None = None
    pattern: re.Pattern[str] | None = None

    def describe(self) -> str:
        parts = []
        if self.cue is not None:
            where = ", ".join(f"{k} = {v!r}" for k, v in self.cue.where)
            parts.append(f"cue {self.cue.kind}" + (f" where {where}" if where else ""))
        if self.pattern is not None:
            parts.append(f"pattern /{self.pattern.pattern}/")
        return " or ".join(parts)


def parse_cue_filter(
    table: Table, cue_key: str = "cue", where_key: str = "where"
) -> CueFilter | None:
    """Read ``cue`` and ``where``, checking the kind and attribute names exist."""
    from ..nlp._kinds import CUE_KINDS

    if not table.has(cue_key):
        if table.has(where_key):
            table.fail(
                where_key, f"needs '{table.key(cue_key)}' (it narrows the cues of that kind)"
            )
        return None
    kind = table.string(cue_key, required=True)
    if kind not in CUE_KINDS:
        table.fail(
            cue_key, f"{kind!r} is not a cue kind any component produces ({', '.join(CUE_KINDS)})"
        )
    return CueFilter(kind=kind, where=parse_where(table, kind, where_key))


def parse_where(table: Table, kind: str, where_key: str = "where") -> tuple[tuple[str, Any], ...]:
    """Read a ``where`` table of field/attribute values for cues of ``kind``."""
    from ..nlp._kinds import known_name

    where_table = table.table(where_key)
    where: list[tuple[str, Any]] = []
    if where_table is not None:
        for name in sorted(where_table.data):
            value = where_table.raw(name)
            if not known_name(kind, name):
                where_table.fail(name, f"cues of kind {kind!r} have no field or attribute {name!r}")
            if not _is_where_value(value):
                where_table.fail(name, "expected a string, number, true/false, or a list of them")
            where.append((name, tuple(value) if isinstance(value, list) else value))
    return tuple(where)


def _is_where_value(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, SCALARS) for v in value)
    return isinstance(value, SCALARS)


def parse_matcher(table: Table, *, required: bool = True) -> Matcher | None:
    """Read ``cue``/``where``/``pattern``/``phrases``; at least one of them when required."""
    cue = parse_cue_filter(table)
    sources: list[str] = []
    if table.has("pattern"):
        source = table.string("pattern", nonempty=True)
        compile_regex(table, "pattern", source)
        sources.append(f"(?:{source})")
    phrases = table.strings("phrases", nonempty=True) if table.has("phrases") else ()
    for phrase in phrases:
        if not phrase.strip():
            table.fail("phrases", "a phrase must not be empty")
    sources.extend(phrase_regex(p) for p in phrases)
    if cue is None and not sources:
        if required:
            table.fail("cue", "say what to look for: 'cue', 'pattern' or 'phrases'")
        return None
    pattern = compile_regex(table, "pattern", "|".join(sources)) if sources else None
    return Matcher(cue=cue, pattern=pattern)


def in_scope(plan: PlanAudit, scope: Sequence[str]) -> list[Section]:
    """The plan's sections a rule looks at (all of them when the scope is empty)."""
    if not scope:
        return list(plan.sections)
    wanted = set(scope)
    return [s for s in plan.sections if s.code in wanted]


#: The last plan's cues grouped by kind: every rule of a run asks about the same plan,
#: so grouping once saves scanning all cues for each rule. One entry, replaced
#: atomically, so concurrent runs at worst rebuild it.
_BY_KIND: tuple[PlanAudit | None, dict[str, list[Cue]]] = (None, {})


def cues_of_kind(plan: PlanAudit, kind: str) -> list[Cue]:
    """The plan's cues of one kind, in order."""
    global _BY_KIND
    cached_plan, index = _BY_KIND
    if cached_plan is not plan:
        index = {}
        for c in plan.cues:
            index.setdefault(c.kind, []).append(c)
        _BY_KIND = (plan, index)
    return index.get(kind, [])


def scoped_cues(plan: PlanAudit, scope: Sequence[str], cue: CueFilter) -> list[Cue]:
    wanted = set(scope)
    return [
        c
        for c in cues_of_kind(plan, cue.kind)
        if (not wanted or c.section in wanted) and cue.matches(c)
    ]


def cue_evidence(cue: Cue) -> Evidence:
    return Evidence(text=cue.text, section=cue.section, location=cue.location)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or line) holding ``text[start:end]``.

    A sentence ends at a ``.``, ``!`` or ``?`` (with any closing quotes or
    brackets) before white space, or at a line break; a mark right before
    ``start`` ends the sentence before it too. The ends are found once per
    text (:func:`_sentence_ends`) and looked up by bisection, so a rule
    matching thousands of times in one long block stays linear.
    """
    starts, ends = _sentence_ends(text)
    before = bisect_right(ends, start) - 1
    begin = ends[before] if before >= 0 else 0
    if _mark_ends_at(text, start):
        begin = start
    stop = len(text)
    after = bisect_left(starts, max(end, begin))
    if after < len(starts):
        stop = ends[after] if text[starts[after]] != "\n" else starts[after]
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    return begin, stop


@functools.lru_cache(maxsize=32)
def _sentence_ends(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where each sentence end in ``text`` starts and ends."""
    found = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    return tuple(s for s, _ in found), tuple(e for _, e in found)


def _mark_ends_at(text: str, at: int) -> bool:
    """Whether ``text[:at]`` ends with a sentence mark and its closers (what follows aside)."""
    while at > 0 and text[at - 1] in _CLOSERS:
        at -= 1
    return at > 0 and text[at - 1] in ".!?"


def pattern_evidence(
    plan: PlanAudit, scope: Sequence[str], pattern: re.Pattern[str]
) -> list[Evidence]:
    """One evidence per sentence holding a match, in document order."""
    found: list[Evidence] = []
    for section in in_scope(plan, scope):
        for block in section.blocks:
            if block.kind is BlockKind.HEADING or not block.text:
                continue
            seen: set[tuple[int, int]] = set()
            for match in pattern.finditer(block.text):
                if match.end() == match.start():
                    continue
                span = sentence_span(block.text, match.start(), match.end())
                if span in seen:
                    continue
                seen.add(span)
                found.append(
                    Evidence(
                        text=block.text[span[0] : span[1]],
                        section=section.code,
                        location=block.location(*span),
                    )
                )
    return found


@frozen
class Occurrence:
    """One thing a rule found: its evidence, and the cue behind it when there is one."""

    evidence: Evidence
    cue: Cue | None = None


def occurrences(plan: PlanAudit, scope: Sequence[str], matcher: Matcher) -> list[Occurrence]:
    """Everything the matcher finds in scope, cues first then pattern matches, without repeats."""
    found: list[Occurrence] = []
    taken: set[tuple[int, int, int]] = set()
    if matcher.cue is not None:
        for cue in scoped_cues(plan, scope, matcher.cue):
            found.append(Occurrence(cue_evidence(cue), cue))
            taken.add(_key(cue.location))
    if matcher.pattern is not None:
        for evidence in pattern_evidence(plan, scope, matcher.pattern):
            if evidence.location is not None and _key(evidence.location) in taken:
                continue
            found.append(Occurrence(evidence))
    return found


def _key(location: Location) -> tuple[int, int, int]:
    return (location.block, location.start, location.end)
