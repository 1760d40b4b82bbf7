"""Table rows in the provision sections: a row that quantifies provision across its cells.

Provision is often laid out as a table whose columns say what is provided,
how often, for how long and who provides it ("Speech and language therapy |
Weekly | 30 minutes | Speech and language therapist"). Each cell is its own
doc, so the per-statement reading of :mod:`.provision` sees "Weekly" and
"30 minutes" apart from the provision they quantify.
:func:`complete_provision_rows` reads such rows whole, over the finished
cues: a row whose cells, taken together, say who, what and how often or how
long (with no vague phrase) is quantified provision, reported once on the
cell that says what is provided; an "unquantified statement" cue in that row
is dropped, since its amount sits in a neighbouring cell, as is one on a
header cell ("Who will provide it"). Which column says what is read from
the table's header where it has one ("Provision", "Frequency", "Who will
provide"), with patterns from the ``[rows]`` part of ``provision.toml``.

In such a row, a cell that was read alone and found vague only for a bare
word ("Adult support in class" beside "Every morning | 2 hours") is not
vague: its amount is in the row. The row's cue goes on the cell that says
what is provided, in place of a quantified cue found alone in another of its
cells (a "Who" cell that happens to say "each half term"), when the header
names the columns (one provision to a row).

In any table row of these sections, a short cell with no full stop beside a
cell that holds a statement ("Communication | A speech and language therapist
will ...", "Key worker (Mrs Okafor)") is the row's label or a name, not a
statement of provision: its "unquantified statement" cue is dropped.

Provision cut in two at a line break (text from some PDFs) is first judged
again as one statement, its cue on the first half (:mod:`._wrapped`).

:func:`section_rows` is the table reading shared with the outcome rows
(:mod:`._outcome_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from attrs import Factory, define, frozen

from ..._model import Block, Cue, Section
from ._wrapped import Halves, in_block_order, join_halves
from .provision import ProvisionComponent, ProvisionRules, Text, provision_rules

_UNQUANTIFIED_KIND = "vague_provision"
_QUANTIFIED_KIND = "quantified_provision"
_ROW_RULE = "quantified.row"
#: How a cell that says something in full ends (a name in brackets, "Wyn (dad)", does not).
_TERMINAL = frozenset(".!?:;\"'”’")


@frozen
class TableRow:
    """One row of a table inside one section: its cells by column, and the table's header."""

    section: str
    table: int
    row: int
    cells: Mapping[int, Block]
    header: tuple[str, ...]

    def text(self, column: int) -> str:
        block = self.cells.get(column)
        return block.text.strip() if block is not None else ""

    @property
    def is_header(self) -> bool:
        """Whether this is the table's first row, the one its header texts come from."""
        return bool(self.header) and all(
            self.text(column) == (self.header[column].strip() if column < len(self.header) else "")
            for column in self.cells
        )


def section_rows(sections: Iterable[Section], codes: Iterable[str]) -> list[TableRow]:
    """Every table row of the sections named by ``codes``, in document order.

    A table spread over several sections (a combined needs | outcomes |
    provision table) gives one row per section, each with only the cells
    that section holds.
    """
    wanted = frozenset(codes)
    grouped: dict[tuple[str, int, int], dict[int, Block]] = {}
    headers: dict[int, tuple[str, ...]] = {}
    for section in sections:
        if section.code not in wanted:
            continue
        for block in section.blocks:
            cell = block.cell
            if cell is None or block.placeholder:
                continue
            grouped.setdefault((section.code, cell.table, cell.row), {})[cell.column] = block
            headers.setdefault(cell.table, cell.header)
    return [
        TableRow(code, table, row, cells, headers.get(table, ()))
        for (code, table, row), cells in sorted(
            grouped.items(), key=lambda item: min(b.index for b in item[1].values())
        )
    ]


def header_roles(header: Sequence[str], rules: ProvisionRules) -> dict[int, str]:
    """What each column of a provision table holds, from its header text.

    ``what``, ``how_often``, ``how_long`` or ``who``; columns whose header
    says none of these are left out. Empty when the header names fewer than
    two (the first row is then data, not a header).
    """
    found: dict[int, str] = {}
    for column, text in enumerate(header):
        value = Text(text.strip())
        if not value.original or len(value.original.split()) > rules.row_header_words:
            continue
        for role, pattern in rules.row_columns:
            if pattern.search(value):
                found[column] = role
                break
    return found if len(found) >= 2 else {}


def _quantified(row: TableRow, roles: Mapping[int, str], rules: ProvisionRules) -> Cue | None:
    """The row's quantified-provision cue, when its cells together quantify one provision."""
    filled = {column: row.text(column) for column in row.cells if row.text(column)}
    if len(filled) < 2:
        return None
    whole = Text(" ; ".join(filled.values()))
    often, long = rules.quantities(whole)
    if any(r.pattern.search(whole) for r in rules.vague if not (r.bare and (often or long))):
        return None  # "as required" in any cell leaves the amount open
    if int(often) + int(long) < rules.min_of_when:
        return None
    named = {role for column, role in roles.items() if column in filled}
    who = "who" in named or rules.who(whole)
    what = "what" in named or rules.what.search(whole) is not None
    if not (who and what):
        return None
    what_columns = [c for c, role in roles.items() if role == "what" and c in filled]
    column = what_columns[0] if what_columns else max(filled, key=lambda c: len(filled[c]))
    block = row.cells[column]
    text = block.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Cue(
        kind=_QUANTIFIED_KIND,
        text=text[start:end],
        section=row.section,
        location=block.location(start, end),
        rule=_ROW_RULE,
        attributes={"what": True, "how_often": often, "how_long": long, "who": True},
    )


def complete_provision_rows(
    cues: Sequence[Cue], sections: Sequence[Section], rules: ProvisionRules | None = None
) -> tuple[Cue, ...]:
    """Add a quantified cue for each provision table row quantified across its cells.

    Proposed to run in the pipeline right after the per-block pass (as
    :func:`~ehcp_audit.nlp.components.agency.complete_advice_rows` does), since
    a cell's doc cannot see the rest of its row. In a row found quantified,
    the "unquantified statement" cues of its cells are dropped, and so are
    bare-word vague cues on a cell that is one statement; a row that already
    holds a quantified cue gets its own only where that cue sits in a "who",
    "how often" or "how long" column. Label cells lose their unquantified and
    bare-word cues. Other cues pass through unchanged. ``rules`` defaults to
    the installed lexicon.
    """
    rules = rules or provision_rules()
    cues = _join_cut_statements(cues, sections, rules)
    verdict = _Verdict()
    quantified_at = {c.location.block for c in cues if c.kind == _QUANTIFIED_KIND}
    flagged = {c.location.block for c in cues if c.kind in (_QUANTIFIED_KIND, _UNQUANTIFIED_KIND)}
    for row in section_rows(sections, rules.sections):
        roles = header_roles(row.header, rules)
        if row.is_header and roles:
            # "Who will provide it" is a column header, not a statement of provision
            verdict.dropped |= {b.index for b in row.cells.values()}
            continue
        verdict.labels |= _label_cells(row, rules)
        verdict.cells.update({b.index: b.text.strip() for b in row.cells.values()})
        verdict.echoes |= _echoing_cells(row, roles, flagged)
        blocks = {b.index for b in row.cells.values()}
        earlier = {c for c, b in row.cells.items() if b.index in quantified_at}
        if earlier and not roles:
            # without a header naming its columns, a cell may hold several
            # statements, one already quantified: the row is not one provision
            continue
        cue = _quantified(row, roles, rules)
        if cue is None:
            continue
        verdict.amounted |= blocks
        if not earlier:
            verdict.dropped |= blocks
            verdict.added.append(cue)
            continue
        verdict.dropped_whole |= blocks
        if all(roles.get(c) in _AMOUNT_ROLES for c in earlier):
            # found alone in a "Who" cell ("Class teacher, reviewing it each half
            # term"): the row's provision is in its "what" cell
            verdict.added.append(cue)
            verdict.replaced |= {row.cells[c].index for c in earlier}
    if not verdict.added and not verdict.touched:
        return tuple(cues)
    bare = frozenset(r.id for r in rules.vague if r.bare)
    unquantified = rules.unquantified.id if rules.unquantified is not None else None
    kept = [c for c in cues if not verdict.supersedes(c, bare, unquantified)]
    return in_block_order(kept, verdict.added)


def _join_cut_statements(
    cues: Sequence[Cue], sections: Sequence[Section], rules: ProvisionRules
) -> tuple[Cue, ...]:
    """Provision cut in two at a line break, judged again as one statement (:mod:`._wrapped`).

    The cue for the whole goes on the head half. The child's names are not
    known here: a provider is found from its role or title only.
    """
    component = _component(rules)

    def decide(halves: Halves, head: Cue | None, tail: Cue | None) -> Cue | None:
        found = component.judge(Text(halves.joined()))
        if found is None:
            return None
        start, end = halves.head_span()
        return Cue(
            kind=found.kind,
            text=halves.head.text[start:end],
            section=halves.section,
            location=halves.head.location(start, end),
            rule=found.rule,
            attributes=found.attributes,
        )

    return join_halves(
        cues, sections, rules.sections, (_UNQUANTIFIED_KIND, _QUANTIFIED_KIND), decide
    )


@lru_cache(maxsize=4)
def _component(rules: ProvisionRules) -> ProvisionComponent:
    """A provision component on the same rules, to judge joined statements."""
    return ProvisionComponent(rules)


#: Columns whose cell, quantified alone, says how much or who rather than what.
_AMOUNT_ROLES = frozenset({"who", "how_often", "how_long"})


@define
class _Verdict:
    """What reading the provision rows whole decides about the cues found cell by cell.

    Sets hold block indices: ``dropped`` loses its unquantified cues,
    ``dropped_whole`` and ``amounted`` (unquantified, and bare-word vague cues)
    and ``replaced`` (quantified cues) only those that are the whole cell, so
    another statement in the same cell keeps its own; ``labels`` are label
    cells, which lose unquantified and bare-word cues.
    """

    added: list[Cue] = Factory(list)
    cells: dict[int, str] = Factory(dict)
    dropped: set[int] = Factory(set)
    dropped_whole: set[int] = Factory(set)
    amounted: set[int] = Factory(set)
    replaced: set[int] = Factory(set)
    labels: set[int] = Factory(set)
    echoes: set[int] = Factory(set)

    @property
    def touched(self) -> bool:
        return bool(
            self.dropped or self.dropped_whole or self.amounted or self.labels or self.echoes
        )

    def supersedes(self, cue: Cue, bare: frozenset[str], unquantified: str | None) -> bool:
        """Whether reading the cue's row whole overrules what its cell said alone."""
        block = cue.location.block
        whole = self.cells.get(block) == cue.text.strip()
        if cue.kind == _QUANTIFIED_KIND:
            return whole and block in self.replaced
        if cue.kind != _UNQUANTIFIED_KIND:
            return False
        if whole and block in self.echoes:
            return True
        if cue.rule == unquantified:
            return (
                block in self.dropped
                or block in self.labels
                or (whole and block in self.dropped_whole)
            )
        if not all(r in bare for r in cue.attributes.get("rules") or [cue.rule]):
            return False
        return block in self.labels or (whole and block in self.amounted)


def _echoing_cells(row: TableRow, roles: Mapping[int, str], flagged: set[int]) -> set[int]:
    """Blocks of the row's "how often", "how long" and "who" cells beside a "what" cell
    that holds a provision cue of its own: one row is one provision, so "As required"
    under "How often" beside "Use of a writing slope as required" is not a second
    vague provision, only the same one's amount (the "what" cell's cue stands for both)."""
    what = [c for c, role in roles.items() if role == "what" and c in row.cells]
    if not any(row.cells[c].index in flagged for c in what):
        return set()
    return {
        row.cells[c].index for c, role in roles.items() if role in _AMOUNT_ROLES and c in row.cells
    }


def _label_cells(row: TableRow, rules: ProvisionRules) -> set[int]:
    """Blocks of the row's short unpunctuated cells that sit beside a cell holding a statement."""
    texts = {column: row.text(column) for column in row.cells}
    statements = [t for t in texts.values() if _is_statement(t, rules.row_header_words)]
    if not statements:
        return set()
    return {
        row.cells[column].index
        for column, text in texts.items()
        if text
        and text not in statements
        and len(text.split()) <= rules.row_header_words
        and text[-1] not in _TERMINAL
    }


def _is_statement(text: str, max_words: int) -> bool:
    """A cell that says something in full: a full stop at its end, or longer than a label."""
    return bool(text) and (text[-1] in ".!?" or len(text.split()) > max_words)
