"""Plain-language measures per section: words, sentences, Flesch scores.

Principle 5 of the rubric asks for "plain language throughout". Readability
formulas are a rough guide, but a section at a Flesch-Kincaid grade of 16 is
one a parent will struggle with, and that is worth showing beside the
evidence. Scores are given only for sections of at least
:data:`MIN_WORDS_FOR_SCORES` words: on a few lines the formulas swing wildly.
Unfilled template prompts and headings are left out (they are not prose the
plan's author wrote), and so is the personal-details preamble and the
unplaced bin (a form and leftovers, not sections a family reads as prose).

Sentences come from the pipeline's own sentencizer, run on each block as
the cue pipeline does (one doc per block, so a table cell never runs into
the next, fed as :mod:`._feed` makes it: a long run of symbols, which
holds no word, is shortened first and a very long block is cut into
pieces, at sentence ends where it can be). Syllables come from a fast heuristic, not a dictionary:

- count groups of consecutive vowels (a, e, i, o, u, y) in the lower-cased
  word;
- a final silent "e" does not count ("smile" 1, "because" 2), unless the
  word ends in consonant + "le" ("table" 2) or in "ee"/"ye" ("free" 1);
- a final "-ed" after anything but "t"/"d" is silent ("jumped" 1, "wanted" 2);
- every word has at least one syllable; a number counts one syllable per
  digit, at most four.

Words are the tokenizer's tokens that hold a letter or digit, with split-off
clitics ("'s", "n't") counted as part of the word before.

The heuristic is within one syllable of a dictionary count for most words;
for Flesch scores averaged over a hundred or more words that is well inside
the formulas' own error.

Flesch reading ease = 206.835 - 1.015 * (words / sentences)
- 84.6 * (syllables / words); Flesch-Kincaid grade = 0.39 * (words /
sentences) + 11.8 * (syllables / words) - 15.59. Both rounded to 1 decimal.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.attrs import ORTH, SENT_START

from .._errors import ConfigError
from .._model import SECTION_CODES, BlockKind, Section, SectionMetrics
from ._feed import PIECE_CHARS, feed
from ._text import is_one_sentence, sentence_enders

if TYPE_CHECKING:
    from spacy.language import Language

#: Sections shorter than this get word and sentence counts but no scores.
MIN_WORDS_FOR_SCORES = 100

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_LETTERS = re.compile(r"[^a-z]")
_DIGITS = re.compile(r"\d")
_HAS_WORD_CHAR = re.compile(r"[^\W_]")
#: Clitics the tokenizer splits off ("Sam's" -> "Sam" + "'s"): part of the word before.
_CLITIC = re.compile(r"^(?:['’]\w{0,2}|n['’]t)$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """Estimated syllables in one word (the heuristic in the module docstring)."""
    digits = len(_DIGITS.findall(word))
    letters = _LETTERS.sub("", word.lower())
    if not letters:
        return max(1, min(digits, 4)) if digits else 0
    count = len(_VOWEL_GROUPS.findall(letters))
    consonant_le = letters.endswith("le") and len(letters) > 2 and letters[-3] not in "aeiouy"
    if (
        count > 1
        and letters.endswith("e")
        and not letters.endswith(("ee", "ye"))
        and not consonant_le
    ):
        count -= 1
    if count > 1 and letters.endswith("ed") and len(letters) > 2 and letters[-3] not in "td":
        count -= 1
    return max(count, 1)


@lru_cache(maxsize=16384)
def _word_syllables(token: str) -> int:
    """Syllables of a token that counts as a word; 0 for punctuation and clitics."""
    if not _HAS_WORD_CHAR.search(token) or _CLITIC.match(token):
        return 0
    return syllables(token)


def flesch_scores(words: int, sentences: int, syllable_count: int) -> tuple[float, float]:
    """Flesch reading ease and Flesch-Kincaid grade (undefined for no words or sentences)."""
    if words <= 0 or sentences <= 0:
        raise ValueError("Flesch scores need at least one word and one sentence")
    per_sentence = words / sentences
    per_word = syllable_count / words
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return round(ease, 1), round(grade, 1)


def section_metrics(sections: tuple[Section, ...], nlp: Language) -> tuple[SectionMetrics, ...]:
    """Words, sentences and (for long enough sections) Flesch scores per statutory section.

    Uses only ``nlp.make_doc`` and the pipeline's ``sentencizer``, so it costs
    a tokenisation pass, not a run of the rule components.
    """
    if "sentencizer" not in nlp.pipe_names:
        raise ConfigError("the spaCy pipeline has no sentencizer, so sentences cannot be counted")
    sentencizer = nlp.get_pipe("sentencizer")
    # A block with no sentence-ending character before its last one is one
    # sentence: the sentencizer (which builds a Python object per token) is
    # skipped for it. Most table cells and list items are like that.
    enders = sentence_enders(sentencizer)
    strings = nlp.vocab.strings
    results: list[SectionMetrics] = []
    for section in sections:
        if section.code not in SECTION_CODES:
            continue
        labels = {s.strip().casefold() for s in section.subsections}
        words = sentences = syllable_count = 0
        for block in section.content_blocks:
            text = block.text.strip()
            if not text or block.kind is BlockKind.HEADING or text.casefold() in labels:
                continue
            for _, piece in feed(text, min(PIECE_CHARS, nlp.max_length)).pieces:
                doc = nlp.make_doc(piece)
                if enders is None or not is_one_sentence(piece, enders):
                    doc = sentencizer(doc)
                # Token ids and sentence starts as plain ints: iterating Token
                # objects would cost more than the tokenizer itself.
                in_sentence = 0
                for orth, start in doc.to_array([ORTH, SENT_START]).tolist():
                    if start == 1 and in_sentence:
                        sentences += 1
                        in_sentence = 0
                    count = _word_syllables(strings[orth])
                    if count:
                        in_sentence += 1
                        words += 1
                        syllable_count += count
                if in_sentence:
                    sentences += 1
        ease: float | None = None
        grade: float | None = None
        if words >= MIN_WORDS_FOR_SCORES and sentences:
            ease, grade = flesch_scores(words, sentences, syllable_count)
        results.append(
            SectionMetrics(
                section=section.code,
                words=words,
                sentences=sentences,
                flesch_reading_ease=ease,
                flesch_kincaid_grade=grade,
            )
        )
    return tuple(results)
