"""Where a signal is carried by the plan's structure rather than by one sentence.

Two kinds of structure say as much as a sentence does:

- **A row label or sub-heading over a block.** Under "Attendees", "Who came
  to the meeting" or "Present" every cell is an attendance record; under
  "Progress" or "Celebrating success" every line is an achievement; under
  "You said, we did" every line is a change made because of the family's
  views. A kind may give such labels (``row_labels`` in
  ``rules/lexicons/signals.toml``, or ``labelled`` entries that name their
  own rule) and a pattern for the lines under them that still do not count
  ("Progress will be reviewed termly" under "Progress").
- **Who is speaking.** "I will fill in my diary every Friday" in a support
  table is the child's role in delivery only because the child says it; "We
  will practise the route at weekends" is the family's only when the family
  says it. The voice component runs first and has already attributed such
  statements, so a signal rule may ask (``voice = [...]``) that the statement
  be spoken by the child or the family.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from attrs import frozen

from .._context import BlockContext, Hit


@frozen
class LabelledKind:
    """A cue kind that every block under a matching row label or sub-heading carries."""

    kind: str
    #: The cue's rule id ("attendance.row_label", "feedback.draft_label").
    rule: str
    labels: re.Pattern[str]
    #: Blocks under the label that still do not count (matched on the lower-cased block).
    unless: re.Pattern[str] | None = None
    #: Sections where the label is not read; None: the kind's own ``skip_sections``.
    #: A label ("Family's part:") says what its lines are wherever it sits, so it may
    #: be read in sections the kind's sentence rules skip.
    skip_sections: frozenset[str] | None = None

    def excludes(self, lowered: str) -> bool:
        """Whether a block under the label is one of the look-alikes that do not count."""
        return self.unless is not None and bool(self.unless.search(lowered))


@frozen
class LabelledKinds:
    """Every kind with row labels; asks which of them a block's labels name."""

    kinds: tuple[LabelledKind, ...] = ()

    def under(self, row_label: str, subsection: str) -> tuple[LabelledKind, ...]:
        """The kinds whose labels match the block's row label or sub-heading."""
        return _under(self, row_label, subsection)


@lru_cache(maxsize=2048)
def _under(kinds: LabelledKinds, row_label: str, subsection: str) -> tuple[LabelledKind, ...]:
    # Cached: every cell of a table shares its row label, every line its sub-heading.
    label = f"{row_label}\n{subsection}"
    if not label.strip():
        return ()
    return tuple(k for k in kinds.kinds if k.labels.search(label))


#: The speaker kinds a signal rule may require (what the voice component produces).
SPEAKERS: frozenset[str] = frozenset({"child_voice", "parent_voice"})

Spans = tuple[tuple[int, int, str], ...]


def speaker_spans(hits: Iterable[Hit]) -> Spans:
    """The spans the voice component attributed to the child or the family, with the kind."""
    return tuple((h.start, h.end, h.kind) for h in hits if h.kind in SPEAKERS)


def speakers_of(spans: Spans, start: int, end: int) -> frozenset[str]:
    """The speaker kinds of the voice hits overlapping the statement ``[start, end)``."""
    return frozenset(kind for s, e, kind in spans if s < end and e > start)


@frozen
class PersonRows:
    """A kind carried by a table row that names a person: "Sam | Keep his diary ...".

    A "Who will do what" table gives each person a row: the label is the
    child or a family member ("Sam", "Dana (mum)", "Grandad"), the cell what
    they will do, written as an instruction ("Keep her diary; tell her mentor
    when ..."). No sentence in the cell names its subject, so the sentence
    rules cannot see it; the row label does. ``label`` is matched on the
    lower-cased label with its names made stand-ins (``{CHILD}`` and ``{PARENT}``
    in the lexicon); ``text`` on the lower-cased cell, whose first words must say
    what the person does.
    """

    kind: str
    rule: str
    label: re.Pattern[str]
    text: re.Pattern[str]
    #: Sections where such rows are not read (outcomes in E are not roles).
    skip_sections: frozenset[str] = frozenset()
    #: The title of a roles list written as lines ("Who does what", "Shared roles"):
    #: a person's line straight under it is a row even with no other line beside it.
    list_title: re.Pattern[str] | None = None
    #: A provision table's "Who" column (``who_column``, on its header): a cell there
    #: naming a family member (``who_cell``) gives the row's provision to the family.
    who_column: re.Pattern[str] | None = None
    who_cell: re.Pattern[str] | None = None
    #: Where such a column is read: the provision sections (K's "Provided by" column
    #: names who gave advice, not who delivers anything).
    who_sections: frozenset[str] = frozenset()
    #: The header a row's cell must sit under (``column``: "Attended", "Present"),
    #: where the cell alone ("Yes") says nothing without it.
    column: re.Pattern[str] | None = None


#: This component's key in a plan's ``plan_state``: the last statements of the
#: paragraph before, for the next one's ``after`` rules.
_CARRY_KEY = "signals_recent"


@frozen
class _Carried:
    """The last statements of a running-text block, and where the block sat."""

    place: tuple[str, str]
    statements: tuple[str, ...]


def carried_statements(ctx: BlockContext) -> list[str]:
    """The statements a paragraph's ``after`` rules may look back on from its start.

    A plan says "The draft was posted to the family on 2 May." in one
    paragraph and "Dana replied on 9 May asking for ..." in the next: the
    second answers the first as surely as if they shared a paragraph. Only
    running text carries over (no table cell: a cell's neighbour is another
    row), within one section and sub-heading; a heading ends it.
    """
    carried = ctx.plan_state.get(_CARRY_KEY)
    if (
        ctx.row_label
        or not isinstance(carried, _Carried)
        or carried.place != (ctx.section, ctx.subsection)
    ):
        return []
    return list(carried.statements)


def carry_statements(ctx: BlockContext, recent: Sequence[str]) -> None:
    """Remember a block's last statements for the next paragraph (nothing for a table cell)."""
    if ctx.row_label or ctx.is_heading:
        ctx.plan_state.pop(_CARRY_KEY, None)
        return
    ctx.plan_state[_CARRY_KEY] = _Carried((ctx.section, ctx.subsection), tuple(recent))
