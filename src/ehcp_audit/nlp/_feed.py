"""A block's text as spaCy can take it in linear time, with the way back to its offsets.

spaCy's tokenizer strips prefix and suffix punctuation one character at a
time, searching the rest of the chunk again after each: a whitespace-free
run of symbols costs the square of its length (1,000 "=" take 0.2 s,
4,000 take 3 s, 40,000 would take minutes), and ``make_doc`` refuses any
text over ``nlp.max_length`` (E088). Plans meet both: a "Signed: ____" line
drawn with the underscore key held down, a row of "*****" as a divider, a
text export that is one paragraph. So before a block is tokenized:

- in a run of symbol characters (anything not a letter, digit or white
  space: "_", "=", "*", ".", emoji), each stretch of one repeated character
  longer than :data:`RUN_KEEP` keeps its first :data:`RUN_KEEP`, and a run
  still longer than :data:`MIXED_KEEP` ("*=*=*=...") keeps its first and
  last ``MIXED_KEEP // 2`` characters. The end of a run survives, so
  "Signed: ____." still ends its sentence, and a form's "____" still reads
  as a blank to every component. No run in the corpus or the external
  plans is longer than 12 characters, so ordinary plans are fed exactly as
  written;
- the text is then cut into pieces of at most :data:`PIECE_CHARS`
  characters (never more than the pipeline's ``max_length``), at a
  paragraph break where there is one near the limit, else a line break, a
  sentence end, a space, and only failing all of those mid-word. The
  longest block in the corpus is about 3,200 characters, so a piece is a
  whole block there too.

Each piece is tokenized as its own doc, with the block's context. A hit's
offsets in a piece map back through :meth:`Feed.original` to offsets in the
block's own text, so a cue after a collapsed run still quotes the right
characters at the right place.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from attrs import frozen

#: A stretch of one repeated symbol character longer than this is cut to this many.
RUN_KEEP = 16
#: A run of mixed symbol characters still longer than this keeps this many (half each end).
MIXED_KEEP = 24
#: The most characters one doc is made from.
PIECE_CHARS = 10_000

#: Any run of symbols that could need cutting (longer than either limit allows).
_RUN = re.compile(rf"(?:[^\w\s]|_){{{min(RUN_KEEP, MIXED_KEEP) + 1},}}")
_SAME = re.compile(r"([^\w\s]|_)\1*")
#: Where a piece may end, best first: after a blank line, a line break, a
#: sentence-ending mark and a space, a space.
_CUTS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"[\n\r\v\f\u2028\u2029]\s*"),
    re.compile(r"[.!?][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)


@frozen
class Feed:
    """One block's text in the pieces spaCy is given, and the way back to the block's offsets.

    ``pieces`` are ``(start, text)``: where each piece starts in the fed
    (collapsed) text, and its text. A fed offset ``p`` lies at ``p +
    shifts[i]`` in the block, ``i`` the last of ``breaks`` at or before
    ``p`` (each collapsed run adds a break just after the part of it kept).
    """

    pieces: tuple[tuple[int, str], ...]
    breaks: tuple[int, ...] = (0,)
    shifts: tuple[int, ...] = (0,)

    def original(self, offset: int) -> int:
        """The offset in the block's text of ``offset`` in the fed text."""
        if len(self.breaks) == 1:
            return offset
        return offset + self.shifts[bisect_right(self.breaks, offset) - 1]

    def original_end(self, offset: int) -> int:
        """The block offset of ``offset`` taken as the end of a span.

        A span that ends just after the kept part of a collapsed run ends
        there in the block too, not after the dropped characters: a
        sentence ending "... one. ________" quotes 16 underscores, not
        3,000.
        """
        if len(self.breaks) == 1:
            return offset
        return offset + self.shifts[max(bisect_left(self.breaks, offset) - 1, 0)]

    def span(self, piece_start: int, start: int, end: int) -> tuple[int, int]:
        """A ``start, end`` span of the piece starting at ``piece_start``, in the block's text."""
        return self.original(piece_start + start), self.original_end(piece_start + end)


def feed(text: str, piece_chars: int = PIECE_CHARS) -> Feed:
    """``text`` collapsed and cut as the module docstring says, with its offset map."""
    if len(text) <= piece_chars and _RUN.search(text) is None:
        return Feed(((0, text),))
    fed, breaks, shifts = collapse_runs(text)
    return Feed(tuple(cut(fed, piece_chars)), breaks, shifts)


def collapse_runs(text: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """``text`` with its long symbol runs cut (module docstring); the breaks and shifts."""
    parts: list[str] = []
    breaks, shifts = [0], [0]
    last = removed = 0
    for run in _RUN.finditer(text):
        for start, end in _dropped(text, run.start(), run.end()):
            parts.append(text[last:start])
            breaks.append(start - removed)
            removed += end - start
            shifts.append(removed)
            last = end
    parts.append(text[last:])
    return "".join(parts), tuple(breaks), tuple(shifts)


def _dropped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the symbol run ``text[start:end]`` left out of the fed text, in order."""
    kept = [
        (same.start(), min(same.end(), same.start() + RUN_KEEP))
        for same in _SAME.finditer(text, start, end)
    ]
    if sum(stop - begin for begin, stop in kept) > MIXED_KEEP:
        kept = _ends(kept, MIXED_KEEP // 2)
    dropped: list[tuple[int, int]] = []
    at = start
    for begin, stop in kept:
        if begin > at:
            dropped.append((at, begin))
        at = stop
    if at < end:
        dropped.append((at, end))
    return dropped


def _ends(spans: list[tuple[int, int]], keep: int) -> list[tuple[int, int]]:
    """The first ``keep`` and the last ``keep`` characters covered by ``spans``."""
    head: list[tuple[int, int]] = []
    room = keep
    for begin, stop in spans:
        if room <= 0:
            break
        head.append((begin, min(stop, begin + room)))
        room -= head[-1][1] - begin
    tail: list[tuple[int, int]] = []
    room = keep
    for begin, stop in reversed(spans):
        if room <= 0:
            break
        tail.append((max(begin, stop - room), stop))
        room -= stop - tail[-1][0]
    return head + tail[::-1]


def cut(text: str, piece_chars: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """``text`` in pieces of at most ``piece_chars``, each with where it starts.

    A piece ends at the last good break (see ``_CUTS``) in the second half
    of its room, so no piece is cut short by much; with none there, it ends
    at the limit.
    """
    if piece_chars < 2:
        raise ValueError("a piece must have room for at least two characters")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > piece_chars:
        limit = start + piece_chars
        end = _cut_point(text, start + piece_chars // 2, limit)
        pieces.append((start, text[start:end]))
        start = end
    pieces.append((start, text[start:]))
    return pieces


def _cut_point(text: str, low: int, high: int) -> int:
    """The end of the last break of the best kind that ends within ``(low, high]``."""
    for pattern in _CUTS:
        best = None
        for found in pattern.finditer(text, low, high):
            best = found
        if best is not None:
            return best.end()
    return high
