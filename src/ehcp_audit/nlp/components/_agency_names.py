"""Community and voluntary groups the plan names once by what they are, then by name.

A plan introduces a charity or group once ("Speak Out Fenby, the young
people's advocacy group", "a local autism charity called Brightway") and
afterwards writes only its name: in the list of advice ("Views of Sam,
written with Speak Out Fenby"), among those at the meeting ("Present: ...,
Ola Reid (Brightway)"). The lexicon cannot list every group's name, and the
name alone carries no agency word, so the contribution would be lost. Here a
name met in apposition to a community or voluntary-sector term is learnt for
the rest of the plan (kept in the plan's ``plan_state``, so nothing outlives
it) and found again wherever it is written, as that agency.

Only the ``voluntary_community`` category is learnt: statutory services are
named by what they are ("the educational psychology service"), while clubs,
charities and advocacy groups go by their own names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .._context import BlockContext
from ._agency_lexicon import Agency

#: This module's key in a plan's ``plan_state``: learnt name -> agency.
_STATE_KEY = "agency_names"
_WORD = r"[A-Z][\w'\u2019&-]*"
_NAME = rf"{_WORD}(?:\s+(?:{_WORD}|of|and|for|the|&)){{0,5}}"
#: "Speak Out Fenby, the young people's advocacy group": the name, then the term.
_BEFORE = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:the|a|an|our|their|his|her)\s+(?:[\w'\u2019-]+\s+){{0,3}}\Z"
)
#: "a local autism charity called Brightway", "the youth club (The Hollies)"; matched at the
#: term's end (``match(text, end)``: a ``\A`` would only match at the start of the text).
_AFTER = re.compile(rf"\s*(?:,\s*|\(\s*|\s+(?:called|named|known\s+as)\s+)(?P<name>{_NAME})")
#: Words that may be capitalised at a name's edge without being part of it.
_EDGE_WORDS = frozenset({"of", "and", "for", "the", "&", "The", "A", "An", "This", "Our"})
#: How far before a term its name may start.
_REACH = 80
Span = tuple[int, int, Agency]


def learn_names(text: str, matches: Iterable[Span], context: BlockContext) -> None:
    """Remember the names written in apposition to a community or voluntary-sector match."""
    known = _names_of(context)
    people = {n.casefold() for n in (*context.child_names, *context.parent_names)}
    for start, end, agency in matches:
        if agency.category != "voluntary_community":
            continue
        for m in (_BEFORE.search(text, max(0, start - _REACH), start), _AFTER.match(text, end)):
            name = _trimmed(m.group("name")) if m is not None else ""
            if len(name) >= 4 and name.casefold() not in people:
                known.setdefault(name, agency)


def named_matches(text: str, found: Sequence[Span], context: BlockContext) -> list[Span]:
    """Where the plan's learnt names are written in ``text``, beside what the lexicon found."""
    known = context.plan_state.get(_STATE_KEY)
    if not known:
        return []
    taken = [(s, e) for s, e, _ in found]
    extra: list[Span] = []
    for name, agency in known.items():
        for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                extra.append((m.start(), m.end(), agency))
                taken.append((m.start(), m.end()))
    return extra


def _names_of(context: BlockContext) -> dict[str, Agency]:
    known = context.plan_state.get(_STATE_KEY)
    if not isinstance(known, dict):
        known = context.plan_state[_STATE_KEY] = {}
    return known


def _trimmed(name: str) -> str:
    words = name.split()
    while words and words[0] in _EDGE_WORDS:
        words.pop(0)
    while words and words[-1] in _EDGE_WORDS:
        words.pop()
    return " ".join(words)
