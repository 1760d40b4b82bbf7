"""Outcome tables: a "By when" or "How we will know" column speaks for the outcome in its row.

Structure carries meaning. In a table headed "What I want to be able to do |
By when | How we will know", the date in the second column is the time frame
of the outcome in the first, and the third says how it will be measured; a
header such as "Steps by July 2026" gives its whole column a time frame.
Each cell is its own doc, so the outcome component cannot see this; after
the per-block pass, :func:`complete_outcome_rows` works over the finished
cues, row by row:

- an outcome with no time frame of its own becomes time-bound when its row
  has a time in a "when" column (evidence ``time.row_column``), or its
  column's header, or the header of a "how we will know" column in its row,
  names a time (``time.column_header``);
- it becomes measurable when its row has a filled "how we will know" cell
  (``measure.row_column``);
- it becomes child-centred when its column's header is in the child's first
  person ("What I want to be able to do") or names the child as the one who
  will do it ("Outcome (what Zara will achieve)") and it names no other
  subject (``child.column_header``): "Join a turn-taking game" under that
  header is the child's own goal;
- a step with no subject of its own that starts with what the child will do
  ("By March: catch the bus with a friend twice a week"), in the row of an
  outcome about the child, is the child's step towards it
  (``child.row_outcome``);
- an outcome cut in two at a line break (text from some PDFs) is read as
  one, its first half taking what the second adds (:mod:`._wrapped`);
- the header row, and the cells of the "when", "how we will know" and
  "where it comes from" ("From what Sam said", "Why this matters to me") columns,
  are not outcomes: their cues are dropped. A table is read so when
  its header names such a column, or a column of outcomes or steps
  ("Outcome", "Steps along the way").

Which columns are which comes from the ``[frame]`` patterns of
``outcomes.toml``; a table whose header names neither kind of column is left
as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..._model import Cue, Section, evolve
from .._lexicon import lexicon_cache
from ._provision_rows import TableRow, section_rows
from ._wrapped import Halves, join_halves
from .outcome import LEXICON, OutcomeComponent, OutcomeRules
from .provision import Alternation, Text

_KIND = "outcome"
_WHEN = "when"
_MEASURE = "measure"
#: A "how we will know" column whose header also names the time frame ("How we will know
#: (by August 2027)"): the time by which each row's outcome is judged.
_MEASURE_TIMED = "measure_timed"
_MEASURES = (_MEASURE, _MEASURE_TIMED)
_SOURCE = "source"
_TIMED = "timed"
_ROW_TIME = "time.row_column"
_LEAD_IN = "time.lead_in"
_HEADER_TIME = "time.column_header"
_ROW_MEASURE = "measure.row_column"
_HEADER_CHILD = "child.column_header"
_ROW_CHILD = "child.row_outcome"
#: A time given before a step's first words ("By March 2027: ", "Spring term - ").
_TIME_PREFIX = re.compile(r"^[^:;.]{0,40}?(?:[:;]|\s[–—-])\s*")
#: A statement with its own subject ("Staff will ...") is not the header's "I".
_OWN_SUBJECT = re.compile(r"\b(?:will|shall|must|should)\b", re.IGNORECASE)


#: A header cell is short and is not a sentence.
_HEADER_WORDS = 10


def looks_like_header(header: Sequence[str]) -> bool:
    """Whether a table's first row reads as column headers, not as a row of outcomes.

    Words in brackets are an aside to the header ("Outcome (by the end of her first
    year at college, July 2027, unless stated)"), not its length.
    """
    cells = [h.strip() for h in header if h.strip()]
    return bool(cells) and all(
        len(_ASIDE.sub(" ", h).split()) <= _HEADER_WORDS and not h.endswith((".", "!", "?"))
        for h in cells
    )


_ASIDE = re.compile(r"\([^()]*\)")


def column_kinds(header: Sequence[str], rules: OutcomeRules, time: Alternation) -> dict[int, str]:
    """What each header cell says its column holds: ``when``, ``measure``, ``source``
    (where the outcome comes from: what the child or family said) or ``timed``.

    ``timed`` is a column of outcomes whose header names their time frame
    ("Steps by July 2026"); ``measure_timed`` a ``measure`` column whose header names the
    time the outcomes are judged by ("How we will know (by August 2027)"). Columns whose
    header says none of these are left out.
    """
    kinds: dict[int, str] = {}
    for column, raw in enumerate(header):
        text = Text(raw.strip())
        if not text.original:
            continue
        if rules.when_header.search(text):
            kinds[column] = _WHEN
        elif rules.measure_header.search(text):
            kinds[column] = _MEASURE_TIMED if time.search(text) else _MEASURE
        elif rules.source_header.search(text):
            kinds[column] = _SOURCE
        elif time.search(text):
            kinds[column] = _TIMED
    return kinds


def _completed(
    cue: Cue, row: TableRow, column: int, kinds: Mapping[int, str], rules: OutcomeRules
) -> Cue:
    """The outcome cue with the time frame and measure its row and column give it."""
    attributes = dict(cue.attributes)
    evidence = dict(attributes.get("evidence") or {})
    if evidence.get("time_bound") == _LEAD_IN and _TIMED in kinds.values():
        # The "lead-in" the component saw was this table's own header cell
        # ("Steps by July 2026"), which speaks for its own column only.
        del evidence["time_bound"]
    if "time_bound" not in evidence:
        if kinds.get(column) == _TIMED:
            evidence["time_bound"] = _HEADER_TIME
        elif any(
            kind == _WHEN and rules.when_value.search(Text(row.text(c)))
            for c, kind in kinds.items()
        ):
            evidence["time_bound"] = _ROW_TIME
        elif _MEASURE_TIMED in kinds.values():
            evidence["time_bound"] = _HEADER_TIME
    if not attributes.get("measurable") and any(
        kind in _MEASURES and row.text(c) for c, kind in kinds.items()
    ):
        evidence["measurable"] = _ROW_MEASURE
    if (
        not attributes.get("child_centred")
        and column < len(row.header)
        and _child_column(row.header[column], rules)
        and not _OWN_SUBJECT.search(cue.text)
    ):
        evidence["child_centred"] = _HEADER_CHILD
    attributes["time_bound"] = "time_bound" in evidence
    attributes["measurable"] = "measurable" in evidence
    attributes["child_centred"] = "child_centred" in evidence
    attributes["evidence"] = evidence
    return evolve(cue, attributes=attributes)


def _child_column(header: str, rules: OutcomeRules) -> bool:
    """Whether a column header says its outcomes are the child's ("What I will do")."""
    text = Text(header)
    if rules.first_person.search(text):
        return True
    named = rules.child_header.search(text)
    return named is not None and named.group("who") not in rules.not_names


def _is_outcomes_table(
    header: Sequence[str], kinds: Mapping[int, str], rules: OutcomeRules
) -> bool:
    """Whether a table's header shows it holds outcomes, so its rows are read together."""
    return bool(kinds) or any(
        _child_column(h, rules) or rules.outcome_header.search(Text(h.strip())) for h in header
    )


def _child_step(cue: Cue, header: str, rules: OutcomeRules) -> bool:
    """Whether an outcome that is not child-centred is a step written as the child's action.

    Its column is headed as outcomes or steps ("Steps along the way"), not
    as someone else's part ("What staff will do"); it has no subject of its
    own and, once a time given first is set aside, opens with what the child
    will do ("attend ...", "cook one meal ...").
    """
    if cue.attributes.get("child_centred") or _OWN_SUBJECT.search(cue.text):
        return False
    if not (rules.outcome_header.search(Text(header.strip())) or _child_column(header, rules)):
        return False
    rest = _TIME_PREFIX.sub("", cue.text, count=1)
    return rules.imperative.search(Text(rest)) is not None


def _with_row_steps(cues: list[tuple[Cue, str]], rules: OutcomeRules) -> list[Cue]:
    """The cues of one row, a subjectless step made child-centred beside a child's outcome.

    ``cues`` pairs each outcome cue with its column's header.
    """
    if not any(c.attributes.get("child_centred") for c, _ in cues):
        return [c for c, _ in cues]
    result = []
    for cue, header in cues:
        if _child_step(cue, header, rules):
            attributes = dict(cue.attributes)
            attributes["evidence"] = {
                **(attributes.get("evidence") or {}),
                "child_centred": _ROW_CHILD,
            }
            attributes["child_centred"] = True
            cue = evolve(cue, attributes=attributes)
        result.append(cue)
    return result


def _joined_outcome(_: Halves, head: Cue | None, tail: Cue | None) -> Cue | None:
    """One outcome from a statement cut at a line break: the head, with what the tail adds.

    "By May 2027, Sam will tell his job coach or" + "tutor when he is at 3 out
    of 5": the time frame of the first half and the measure of the second
    belong to one outcome.
    """
    if head is None or tail is None:
        return head or tail
    attributes = dict(head.attributes)
    evidence = {
        **(tail.attributes.get("evidence") or {}),
        **(head.attributes.get("evidence") or {}),
    }
    for name in ("time_bound", "measurable", "child_centred", "is_provision"):
        attributes[name] = bool(head.attributes.get(name) or tail.attributes.get(name))
    attributes["pfa_domain"] = head.attributes.get("pfa_domain") or tail.attributes.get(
        "pfa_domain"
    )
    attributes["evidence"] = evidence
    return evolve(head, attributes=attributes)


def complete_outcome_rows(
    cues: Sequence[Cue], sections: Sequence[Section], lexicon: str | None = None
) -> tuple[Cue, ...]:
    """Give outcome cues in tables the time frame and measure of their row and column.

    Proposed to run in the pipeline right after the per-block pass, beside
    :func:`~ehcp_audit.nlp.components.agency.complete_advice_rows`. Cues of
    other kinds, and outcomes outside tables, pass through unchanged.
    ``lexicon`` names the outcome lexicon (default: the installed one).
    """
    component = _component(lexicon or LEXICON)
    rules = component.rules
    cues = join_halves(cues, sections, rules.sections, [_KIND], _joined_outcome)
    rows: dict[int, tuple[TableRow, dict[int, str]]] = {}
    for row in section_rows(sections, rules.sections):
        if not looks_like_header(row.header):
            continue
        kinds = column_kinds(row.header, rules, component.time_rules)
        if _is_outcomes_table(row.header, kinds, rules):
            for block in row.cells.values():
                rows[block.index] = (row, kinds)
    if not rows:
        return tuple(cues)
    result: list[Cue] = []
    by_row: dict[int, list[tuple[int, str]]] = {}  # id(row) -> (position in result, header)
    for cue in cues:
        found = rows.get(cue.location.block) if cue.kind == _KIND else None
        if found is None:
            result.append(cue)
            continue
        row, kinds = found
        column = next(c for c, b in row.cells.items() if b.index == cue.location.block)
        if row.is_header or kinds.get(column) in (_WHEN, *_MEASURES, _SOURCE):
            continue  # a column header, a date, a measure or the views behind it
        header = row.header[column] if column < len(row.header) else ""
        by_row.setdefault(id(row), []).append((len(result), header))
        result.append(_completed(cue, row, column, kinds, rules))
    for placed in by_row.values():
        stepped = _with_row_steps([(result[i], header) for i, header in placed], rules)
        for (i, _), cue in zip(placed, stepped, strict=True):
            result[i] = cue
    return tuple(result)


@lexicon_cache
def _component(lexicon: str) -> OutcomeComponent:
    """The outcome component on a lexicon, built once per process."""
    return OutcomeComponent(lexicon)
