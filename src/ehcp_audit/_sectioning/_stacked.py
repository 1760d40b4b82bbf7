"""Share the text under stacked headings between them (plain-text exports only).

Many templates put B, F and E (or C, G and E; or D, H1, H2 and E) side by
side in one table. Saved as plain text by Word or LibreOffice, the table's
header cells become heading lines one after another ("B – Special
Educational Needs" / "F – Special Educational Provision" / "E – Outcomes")
and then every cell's paragraphs follow, column by column, with nothing to
mark where one cell ends. Left alone, all of that text would belong to the
last heading (E), leaving B and F blank and provision unread as provision.

So when two or more headings of different kinds (needs, provision,
outcomes) follow each other with no text between them, the text after the
run is theirs jointly, in column order: :func:`segment` cuts it into one
contiguous part per heading (a part may be empty) where the paragraphs
change kind. What a kind looks like is data (``rules/column_kinds.toml``).
DOCX and PDF plans never come here: their tables keep their columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from attrs import frozen

from .._model import Block, BlockKind
from .._regex_cache import compile_data
from .._resources import rules_dir
from .._toml import Table, read_toml

__all__ = ["ColumnKinds", "load_column_kinds", "parse_column_kinds", "segment", "stacked_owners"]

KINDS: tuple[str, ...] = ("need", "provision", "outcome")

#: Breaks ties between equally good cuts; far below any cue's weight.
_TIE = 1e-6


@frozen
class Cue:
    """One pattern that is evidence for a kind (or for one heading's code)."""

    weight: float
    pattern: re.Pattern[str]
    kind: str | None = None
    code: str | None = None
    #: Examples the pattern must match, and must not (checked by the tests).
    fires: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()


@frozen
class ColumnKinds:
    """``column_kinds.toml``, validated and compiled."""

    kinds: tuple[tuple[str, str], ...]  # section code -> kind
    cues: tuple[Cue, ...]
    default_kind: str
    default_weight: float
    list_item_kind: str
    list_item_weight: float
    #: What reading a new table row into the text costs (see :func:`segment`).
    new_row: float

    def kind_of(self, code: str) -> str | None:
        for known, kind in self.kinds:
            if known == code:
                return kind
        return None

    def evidence(self, block: Block) -> dict[str, float]:
        """The weight of the cues ``block`` matches, by kind and by code."""
        found: dict[str, float] = {}
        text = block.text
        for cue in self.cues:
            if cue.pattern.search(text):
                key = cue.kind or cue.code
                assert key is not None
                found[key] = found.get(key, 0.0) + cue.weight
        if block.kind is BlockKind.LIST_ITEM:
            kind = self.list_item_kind
            found[kind] = found.get(kind, 0.0) + self.list_item_weight
        return found


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    pattern = re.sub(r"\n\s*", "", pattern)
    for name, value in macros.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _compiled(table: Table, macros: Mapping[str, str]) -> re.Pattern[str]:
    source = _expand(table.string("pattern", required=True, nonempty=True), macros)
    try:
        return compile_data(source, re.IGNORECASE)
    except re.error as exc:
        table.fail("pattern", f"not a valid regular expression ({exc})")


def parse_column_kinds(data: Mapping[str, object], where: str = "column_kinds.toml") -> ColumnKinds:
    """Validate a parsed ``column_kinds.toml`` (the tests check each cue's examples)."""
    top = Table(data, where)
    kinds_table = top.table("kinds", required=True)
    kinds: list[tuple[str, str]] = []
    for name in KINDS:
        kinds.extend((code, name) for code in kinds_table.strings(name, required=True))
    kinds_table.done()
    codes = {code for code, _kind in kinds}
    macros_table = top.table("macros")
    macros: dict[str, str] = {}
    if macros_table is not None:
        for name in macros_table.data:
            macros[name] = _expand(macros_table.string(name, nonempty=True), macros)
        macros_table.done()
    leans = []
    for name in ("default", "list_item"):
        lean = top.table(name, required=True)
        leans.append(
            (lean.choice("kind", KINDS, required=True), lean.number("weight", required=True) or 0.0)
        )
        lean.done()
    rows = top.table("rows", required=True)
    new_row = rows.number("new_row", required=True) or 0.0
    if new_row <= 0:
        rows.fail("new_row", "must be above 0")
    rows.done()
    cues: list[Cue] = []
    raw = top.raw("cue") or []
    if not isinstance(raw, list):
        top.fail("cue", "expected an array of tables ([[cue]])")
    for n, entry in enumerate(raw):
        if not isinstance(entry, dict):
            top.fail("cue", "expected an array of tables ([[cue]])")
        cue = Table(entry, where, f"cue[{n}].")
        kind = cue.choice("kind", KINDS)
        code = cue.string("code") or None
        if (kind is None) == (code is None):
            cue.fail("kind", "give either kind or code")
        if code is not None and code not in codes:
            cue.fail("code", f"{code!r} is not a code listed in [kinds]")
        weight = cue.number("weight", required=True) or 0.0
        if weight <= 0:
            cue.fail("weight", "must be above 0")
        cues.append(
            Cue(
                weight,
                _compiled(cue, macros),
                kind=kind,
                code=code,
                fires=cue.strings("fires"),
                quiet=cue.strings("quiet"),
            )
        )
        cue.done()
    top.done()
    (default_kind, default_weight), (list_kind, list_weight) = leans
    return ColumnKinds(
        kinds=tuple(kinds),
        cues=tuple(cues),
        default_kind=default_kind,
        default_weight=default_weight,
        list_item_kind=list_kind,
        list_item_weight=list_weight,
        new_row=new_row,
    )


@cache
def load_column_kinds() -> ColumnKinds:
    """The rules in ``rules/column_kinds.toml`` (read once per process)."""
    path = rules_dir() / "column_kinds.toml"
    return parse_column_kinds(read_toml(path), path.name)


def segment(
    gains: Sequence[Sequence[float]],
    support: Sequence[Sequence[bool]],
    new_row: float,
) -> list[int]:
    """Which heading (0..m-1) each of the paragraphs 0..n-1 goes under.

    ``gains[i][j]``: how much paragraph ``i`` reads as heading ``j``'s kind
    (the weights of its cues, plus the default lean); ``support[i][j]``:
    it has a cue of its own for heading ``j``.

    The idea. The export wrote a table row by row and, within a row, cell
    by cell, left to right: so the paragraphs fall into runs ("parts"), one
    per cell, whose headings go forward through the columns (a blank cell
    is simply skipped) and only go back to an earlier column when a new
    row starts. Each paragraph costs what it loses by sitting where it sits,
    ``max(gains[i]) - gains[i][j]``; starting a new row costs ``new_row``;
    the cheapest reading wins. Because parts are contiguous, one odd
    paragraph cannot pull a part away on its own. Two more rules:

    * a part may hold text only when at least one of its paragraphs has a
      cue for that heading, except under the last heading (which had all
      the text before): so a heading with no text of its kind under it
      stays blank (a blank F above E's outcomes stays blank);
    * ties go to the earlier heading, as the columns fill in order (and of
      two headings of one kind, such as H1 and H2, the first keeps the text
      unless a cue names the second).

    A small example, headings B, F, E and four paragraphs::

        "Ari finds it hard to wait his turn."       need 2       -> B
        "A 10-minute turn-taking game each day."    provision 2  -> F
        "By July 2027, Ari will wait for his turn." outcome 3    -> E
        "Ari struggles at lunch and finds it hard
        to join in (school report, May 2026)."      need 4       -> B (a new row)

    gives ``[0, 1, 2, 0]`` at the cost of one new row (2.5 by default):
    leaving the last paragraph under E would lose its 4. Had it only one cue
    (need 2), it would stay under E, a new row costing more. Found by dynamic programming over
    (paragraph, heading, whether its part has a cue yet): ``O(n * m * m)``.
    """
    n = len(gains)
    m = len(gains[0]) if n else 0
    if m == 0:
        return [0] * n
    inf = float("inf")
    last = m - 1
    # best[(j, backed)]: the least cost so far with the current paragraph under
    # heading j, and whether its part has a cue for j yet; back: how we got there.
    best: dict[tuple[int, bool], float] = {}
    back: list[dict[tuple[int, bool], tuple[int, bool]]] = []
    for i in range(n):
        top = max(gains[i])
        loss = [top - gains[i][j] + _TIE * j for j in range(m)]
        now: dict[tuple[int, bool], float] = {}
        how: dict[tuple[int, bool], tuple[int, bool]] = {}
        for j in range(m):
            cued = support[i][j]
            if i == 0:
                now[(j, cued)] = loss[j]
                continue
            for (k, backed), cost in best.items():
                if k == j:  # the same part goes on
                    state, total = (j, backed or cued), cost + loss[j]
                elif backed or k == last:  # a part ends: the next column, or a new row
                    state, total = (j, cued), cost + loss[j] + (new_row if j < k else 0.0)
                else:
                    continue
                if total < now.get(state, inf):
                    now[state] = total
                    how[state] = (k, backed)
        best = now
        back.append(how)
    ends = [(cost, state) for state, cost in best.items() if state[1] or state[0] == last]
    _cost, state = min(ends, key=lambda item: (item[0], item[1][0]))
    parts = [0] * n
    for i in range(n - 1, -1, -1):
        parts[i] = state[0]
        if i:
            state = back[i][state]
    return parts


def _runs(
    blocks: Sequence[Block],
    owner: Mapping[int, str],
    headings: frozenset[int],
    stops: frozenset[int],
    rules: ColumnKinds,
) -> list[tuple[list[str], list[Block]]]:
    """Each run of stacked headings (their codes) with the body paragraphs after it."""
    found: list[tuple[list[str], list[Block]]] = []
    codes: list[str] = []
    i, n = 0, len(blocks)
    while i < n:
        block = blocks[i]
        i += 1
        if block.cell is not None:
            codes = []
            continue
        if not block.text.strip():
            continue
        if block.index in headings:
            code = owner.get(block.index, "")
            if rules.kind_of(code) is None:
                codes = []
            elif not codes or codes[-1] != code:
                codes.append(code)
            continue
        if _stacked(codes, rules):
            body: list[Block] = []
            j = i - 1
            while j < n:
                b = blocks[j]
                if b.cell is not None or b.index in stops or owner.get(b.index) != codes[-1]:
                    break
                body.append(b)
                j += 1
            found.append((codes, body))
            i = j
        codes = []
    return found


def _stacked(codes: Sequence[str], rules: ColumnKinds) -> bool:
    """Two or more different headings, of at least two kinds."""
    return (
        len(codes) >= 2
        and len(set(codes)) == len(codes)
        and len({rules.kind_of(c) for c in codes}) >= 2
    )


def stacked_owners(
    blocks: Sequence[Block],
    owner: Mapping[int, str],
    headings: frozenset[int],
    stops: frozenset[int],
) -> dict[int, str]:
    """New owners for the body paragraphs under each run of stacked headings.

    ``owner`` maps a block to its section as the walk left it (a heading
    block to its own code); ``headings`` are the blocks that are wholly a
    heading, ``stops`` every block that starts a section (headings, and
    headings with text under them). Only paragraphs take part: a table cell
    ends a run. Empty paragraphs go with the paragraph before them.
    """
    rules = load_column_kinds()
    moved: dict[int, str] = {}
    for codes, body in _runs(blocks, owner, headings, stops, rules):
        texts = [b for b in body if b.text.strip()]
        if not texts:
            continue
        kinds = [rules.kind_of(c) or "" for c in codes]
        pairs = list(zip(codes, kinds, strict=True))
        gains: list[list[float]] = []
        support: list[list[bool]] = []
        for b in texts:
            found = rules.evidence(b)
            backed_by = set(found)
            if not any(kind in found for kind in KINDS):
                found[rules.default_kind] = rules.default_weight  # a lean, not evidence
            gains.append([found.get(kind, 0.0) + found.get(code, 0.0) for code, kind in pairs])
            support.append([kind in backed_by or code in backed_by for code, kind in pairs])
        parts = segment(gains, support, rules.new_row)
        part_of = {b.index: parts[k] for k, b in enumerate(texts)}
        current = parts[0]
        for b in body:
            current = part_of.get(b.index, current)
            moved[b.index] = codes[current]
    return moved
