"""First person written for a child who does not speak: the child's views, not own words.

A one-page profile for a child who uses no spoken words is often written in
the child's first person ("Give me time.", "My favourite blanket.") by the
adults who know the child. It records the child's views as others read
them, which is worth recording, but it is not "the child's own voice in the
first person or direct quotes" that the rubric's Excellent for principle 1
asks for. One block cannot know this (the sentence saying the child does
not speak may come pages later), so after the per-block pass
:func:`mark_written_for` works over the finished cues: when the plan says
the child does not speak, each child_voice cue in the first person takes
form ``on_behalf`` (its kind stays, so the child's views still count as
recorded), unless the line or the label above it says the child composed
the words themself (typed them, wrote them with their device).

Quotes attributed to the child and the child's signs, symbol and photo
choices (forms ``quote``, ``nonverbal``, ``aac``) are the child's own and
are left alone. The phrases are data: ``[on_behalf]`` in
``rules/lexicons/voice.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from attrs import frozen

from ..._errors import ConfigError
from ..._model import Block, Cue, Section, evolve
from .._lexicon import compile_pattern, lexicon_cache, load

_LEXICON = "voice"
_TABLE = "on_behalf"
_KIND = "child_voice"
_FIRST_PERSON = "first_person"
#: The form a first-person line written for the child takes.
ON_BEHALF = "on_behalf"
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")
#: A line this short with no full stop is a label ("Typed by Ava on her talker").
_LABEL_WORDS = 12
#: The words just before "does not speak" that hold its subject ("Her older brother, Tobiah,").
_SUBJECT_WORDS = 4


@frozen
class OnBehalfRules:
    """The ``[on_behalf]`` lexicon table, compiled."""

    not_speaking: re.Pattern[str]
    not_about: re.Pattern[str]
    situational: re.Pattern[str]
    own_authorship: re.Pattern[str]
    label_reach: int


@lexicon_cache
def on_behalf_rules() -> OnBehalfRules:
    """The ``[on_behalf]`` table of the voice lexicon, validated and compiled (once)."""
    table = load(_LEXICON).get(_TABLE)
    where = f"rules/lexicons/{_LEXICON}.toml [{_TABLE}]"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} is missing")

    def pattern(key: str) -> re.Pattern[str]:
        source = table.get(key)
        if not isinstance(source, str) or not source.strip():
            raise ConfigError(f"{where} {key} must be a non-empty string")
        return compile_pattern(source, f"{where} {key}")

    reach = table.get("label_reach", 6)
    if not isinstance(reach, int) or isinstance(reach, bool) or reach < 0:
        raise ConfigError(f"{where} label_reach must be a whole number, 0 or more")
    return OnBehalfRules(
        not_speaking=pattern("not_speaking"),
        not_about=pattern("not_about"),
        situational=pattern("situational"),
        own_authorship=pattern("own_authorship"),
        label_reach=reach,
    )


def says_child_does_not_speak(sections: Sequence[Section], rules: OnBehalfRules) -> str | None:
    """The first sentence saying the child does not speak, if the plan has one.

    A sentence whose subject (the few words just before the match) names
    someone else (a brother, a parent, a friend) is about that person, not
    the child; "Mum told us that Leo does not use speech" is still about Leo.
    A sentence saying when or where the child goes quiet ("is non-verbal when
    anxious") describes a situation, not a child without speech.
    """
    for section in sections:
        for block in section.content_blocks:
            for match in rules.not_speaking.finditer(block.text):
                start = _sentence_start(block.text, match.start())
                subject = block.text[start : match.start()].split()[-_SUBJECT_WORDS:]
                sentence = _sentence(block.text, start)
                if not rules.not_about.search(" ".join(subject)) and not (
                    rules.situational.search(sentence)
                ):
                    return sentence
    return None


def mark_written_for(cues: tuple[Cue, ...], sections: Sequence[Section]) -> tuple[Cue, ...]:
    """The cues, with first person written for a child who does not speak marked ``on_behalf``."""
    if not any(_first_person_child(c) for c in cues):
        return cues
    rules = on_behalf_rules()
    because = says_child_does_not_speak(sections, rules)
    if because is None:
        return cues
    blocks = _blocks_by_index(sections)
    marked: list[Cue] = []
    for cue in cues:
        if _first_person_child(cue) and not _own_authorship(cue, blocks, rules):
            attributes = dict(cue.attributes)
            attributes["form"] = ON_BEHALF
            attributes["not_speaking"] = because
            cue = evolve(cue, attributes=attributes)
        marked.append(cue)
    return tuple(marked)


def _first_person_child(cue: Cue) -> bool:
    return cue.kind == _KIND and cue.attributes.get("form") == _FIRST_PERSON


def _own_authorship(
    cue: Cue, blocks: Mapping[int, tuple[Section, int]], rules: OnBehalfRules
) -> bool:
    """Whether the line, or a label or heading just above it, says the child composed it."""
    if rules.own_authorship.search(cue.text):
        return True
    found = blocks.get(cue.location.block)
    if found is None:
        return False
    section, position = found
    own = section.blocks[position]
    if rules.own_authorship.search(own.text):
        return True
    for block in reversed(section.blocks[max(0, position - rules.label_reach) : position]):
        if _is_label(block) and rules.own_authorship.search(block.text):
            return True
        if block.heading_level is not None:
            break
    return False


def _is_label(block: Block) -> bool:
    """A heading, or a short line that introduces what follows rather than saying it."""
    text = block.text.strip()
    if block.heading_level is not None or text.endswith(":"):
        return True
    return len(text.split()) <= _LABEL_WORDS and not text.endswith((".", "!", "?"))


def _blocks_by_index(sections: Sequence[Section]) -> dict[int, tuple[Section, int]]:
    where: dict[int, tuple[Section, int]] = {}
    for section in sections:
        for position, block in enumerate(section.blocks):
            where.setdefault(block.index, (section, position))
    return where


def _sentence_start(text: str, offset: int) -> int:
    start = 0
    for end in _SENTENCE_END.finditer(text, 0, offset):
        start = end.end()
    return start


def _sentence(text: str, start: int) -> str:
    end = _SENTENCE_END.search(text, start)
    return text[start : end.end() if end else len(text)].strip()
