"""Paragraphs cut in two at a line break: one statement read as two.

Text taken from some PDFs comes with a paragraph broken where a line
wrapped: "A key worker will meet Sam for the first 4" in one block and
"weeks, then once a week until July." in the next. Each block is its own
doc, so the outcome and provision components judge the two halves apart:
the second half, which opens in mid-sentence, looks like a statement with
no subject, amount or time, and the first misses what the second says.

:func:`wrapped_blocks` finds such pairs (a paragraph that stops without
closing punctuation, followed at once in the same section by one that opens
in lower case), and :func:`join_halves` lets the passes over the finished
cues put one cue in place of the halves' cues: an outcome's first half takes
what the second adds (:mod:`._outcome_rows`); provision is judged again as
the whole statement (:mod:`._provision_rows`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from attrs import frozen

from ..._model import Block, BlockKind, Cue, Section

#: How a paragraph that is a whole statement, or a label, ends.
_CLOSED = frozenset(".!?:;")
#: A cut paragraph is longer than a label ("Employment", "Travel training").
_MIN_WORDS = 4
#: Where a statement ends inside a block: closing punctuation, then space or the end.
_STATEMENT_END = re.compile(r"[.!?][\"'”’)]*(?=\s|$)")


@frozen
class Halves:
    """A statement's two halves: the block it starts in and the block it ends in."""

    section: str
    head: Block
    tail: Block

    def head_span(self) -> tuple[int, int]:
        """Where, in the head block, the cut statement starts and ends (its last statement)."""
        text = self.head.text.rstrip()
        ends = [m.end() for m in _STATEMENT_END.finditer(text)]
        start = ends[-1] if ends else 0
        while start < len(text) and text[start].isspace():
            start += 1
        return start, len(text)

    def tail_span(self) -> tuple[int, int]:
        """Where, in the tail block, the cut statement ends (its first statement)."""
        text = self.tail.text
        start = len(text) - len(text.lstrip())
        found = _STATEMENT_END.search(text, start)
        return start, found.end() if found else len(text.rstrip())

    def joined(self) -> str:
        """The cut statement whole: the end of the head block and the start of the tail."""
        (a, b), (c, d) = self.head_span(), self.tail_span()
        return f"{self.head.text[a:b]} {self.tail.text[c:d]}"

    def ends_head(self, cue: Cue) -> bool:
        """Whether the cue is the head block's last statement, the one the cut ran through."""
        return (
            cue.location.block == self.head.index and not self.head.text[cue.location.end :].strip()
        )

    def starts_tail(self, cue: Cue) -> bool:
        """Whether the cue is the tail block's first statement, the cut statement's end."""
        return (
            cue.location.block == self.tail.index
            and not self.tail.text[: cue.location.start].strip()
        )


def wrapped_blocks(sections: Iterable[Section], codes: Iterable[str]) -> list[Halves]:
    """Every paragraph of the sections named by ``codes`` cut in two at a line break.

    Table cells and headings are left out: a cell ends where its column
    does, not where a line wrapped.
    """
    wanted = frozenset(codes)
    found: list[Halves] = []
    for section in sections:
        if section.code not in wanted:
            continue
        previous: Block | None = None
        for block in section.blocks:
            if block.kind is BlockKind.HEADING or block.cell is not None or block.placeholder:
                previous = None
                continue
            if previous is not None and previous.index + 1 == block.index and _cut(previous, block):
                found.append(Halves(section.code, previous, block))
            previous = block
    return found


def _cut(head: Block, tail: Block) -> bool:
    """Whether ``tail`` goes on with the statement ``head`` stops in the middle of."""
    before = head.text.rstrip()
    after = tail.text.lstrip()
    return (
        bool(before)
        and bool(after)
        and before[-1] not in _CLOSED
        and len(before.split()) >= _MIN_WORDS
        and after[0].isalpha()
        and after[0].islower()
    )


#: Given a cut statement and the cues on its two halves (None where a half has
#: none), the one cue that stands for the whole statement, or None for none.
Decide = Callable[[Halves, Cue | None, Cue | None], Cue | None]


def join_halves(
    cues: Sequence[Cue],
    sections: Iterable[Section],
    codes: Iterable[str],
    kinds: Iterable[str],
    decide: Decide,
) -> tuple[Cue, ...]:
    """``cues`` with the cues of ``kinds`` on each cut statement replaced by ``decide``'s pick.

    A statement cut over three blocks is joined half by half: the cue that
    stood for the first two halves meets the third. The cue kept stays where
    its half is (a location is inside one block); cues of other kinds, and
    halves holding more than one cue of ``kinds``, are left as they are.
    """
    wanted = frozenset(kinds)
    added: list[Cue] = []  # cues for statements neither of whose halves gave one
    root: dict[int, int] = {}  # a joined cue's id -> the id of the first cue of its statement
    whole: dict[int, Cue | None] = {}  # that first cue's id -> the cue for the statement so far
    for halves in wrapped_blocks(sections, codes):
        head = [c for c in cues if c.kind in wanted and halves.ends_head(c)]
        tail = [c for c in cues if c.kind in wanted and halves.starts_tail(c)]
        if len(head) > 1 or len(tail) > 1:
            continue
        if not (head or tail):
            # neither half gave a cue alone; the whole may
            made = decide(halves, None, None)
            if made is not None:
                added.append(made)
            continue
        first = head[0] if head else tail[0]
        key = root.get(id(first), id(first))
        so_far = whole.get(key, head[0] if head else None)
        whole[key] = decide(halves, so_far, tail[0] if tail else None)
        for cue in (*head, *tail):
            root[id(cue)] = key
    if not root and not added:
        return tuple(cues)
    result: list[Cue] = []
    for cue in cues:
        owner = root.get(id(cue))
        if owner is None:
            result.append(cue)
        elif owner == id(cue) and (kept := whole.get(owner)) is not None:
            result.append(kept)
    return in_block_order(result, added)


def in_block_order(cues: Sequence[Cue], added: Sequence[Cue]) -> tuple[Cue, ...]:
    """``cues`` with ``added`` placed after the cues of the blocks before theirs.

    The cues are in document order of blocks; each added cue goes after
    the last cue of its own or an earlier block, so the order stays the
    order a reader meets them.
    """
    pending = sorted(added, key=lambda c: (c.location.block, c.location.start))
    result: list[Cue] = []
    for cue in cues:
        while pending and pending[0].location.block < cue.location.block:
            result.append(pending.pop(0))
        result.append(cue)
    result.extend(pending)
    return tuple(result)
