"""A doc's text, sentences and statements, worked out once and shared by the components.

Each block runs through six rule components, and spaCy builds ``doc.text``
and ``doc.sents`` from a Python object per token on *every* read: reading
them once per component cost more than most components' own work. So the
text and the sentence boundaries are read once per doc and kept in
``doc.user_data``, where every component finds them:

- :func:`doc_text`: the pipeline stores the block's text as it makes the doc
  (:func:`set_text`; the tokenizer keeps every character, so it equals
  ``doc.text``); a doc made elsewhere reads ``doc.text`` once.
- :func:`sentence_spans`: character spans of the sentences, read from the
  token array (never ``doc.sents``). A block with no sentence-ending mark
  before its last character is one sentence, so the pipeline skips the
  sentencizer there (:func:`one_sentence`): the spans come out the same.
- :func:`statements`: sentences split again at line breaks and trimmed, the
  unit of the signals (and provision) rules.
- :func:`lower_text` and :func:`lowercase_twin`: the text lower-cased once,
  and a case-insensitive pattern recompiled to match it without
  ``IGNORECASE`` (several times faster in Python's ``re``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import Any

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

# Keys into ``doc.user_data``: tuples, as spaCy's own ``doc._`` extensions use,
# so none can clash with a user's string key (spaCy's stubs say str, hence Any).
_TEXT_KEY: Any = ("ehcp_text",)
_LOWER_KEY: Any = ("ehcp_lower",)
_SENTENCES_KEY: Any = ("ehcp_sentences",)
_ONE_SENTENCE_KEY: Any = ("ehcp_one_sentence",)
_ESCAPE = re.compile(r"\\.")

_LEAD = re.compile(r"^[\s•·▪◦●○■□\-–—*>]+")
_LINE = re.compile(r"[^\n\r\v\f\u2028\u2029]+")
_WORDY = re.compile(r"[^\W\d_]")

Spans = tuple[tuple[int, int], ...]


def set_text(doc: Doc, text: str) -> None:
    """Record ``text`` (what the doc was made from) as the doc's text."""
    doc.user_data[_TEXT_KEY] = text


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per doc and kept in ``doc.user_data``."""
    cached = doc.user_data.get(_TEXT_KEY)
    if isinstance(cached, str):
        return cached
    text = doc.text
    doc.user_data[_TEXT_KEY] = text
    return text


def lower_text(doc: Doc) -> str | None:
    """:func:`doc_text` lower-cased, or None where that would move an offset ("İ" is two).

    Python's ``re`` is several times slower with ``IGNORECASE``; a pattern
    written in lower case (see :func:`lowercase_twin`) finds the same spans
    in this text without it.
    """
    cached: str | bool | None = doc.user_data.get(_LOWER_KEY)
    if cached is None:
        text = doc_text(doc)
        lowered = text.lower()
        cached = doc.user_data[_LOWER_KEY] = lowered if len(lowered) == len(text) else False
    return cached if isinstance(cached, str) and cached else None


def lowercase_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` without ``IGNORECASE``, for :func:`lower_text`; None if it cannot be one.

    Only a case-insensitive pattern with no capital letter (outside escapes
    such as ``\\W``) and no case-sensitive part has a twin: it then matches
    the lower-cased text where the original matches the text (letters whose
    case folding is irregular, such as the long s, aside).
    """
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE or "(?-i" in source:
        return None
    if any(char.isupper() for char in _ESCAPE.sub("", source)):
        return None
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


def sentence_enders(sentencizer: object) -> frozenset[str] | None:
    """The marks spaCy's rule-based sentencizer splits after; None for any other kind.

    Only with these known can a block be seen to be one sentence without
    running the sentencizer (:func:`is_one_sentence`).
    """
    marks = getattr(sentencizer, "punct_chars", None)
    return frozenset(marks) if marks else None


def is_one_sentence(text: str, enders: AbstractSet[str]) -> bool:
    """Whether a sentencizer splitting at ``enders`` would leave ``text`` one sentence.

    It starts a sentence only at a token after a sentence-ending mark, so
    with no such mark before the last character there is nothing to split.
    """
    return enders.isdisjoint(text[:-1])


def one_sentence(doc: Doc) -> None:
    """Record that ``doc`` is one sentence, so the sentencizer need not run on it."""
    doc.user_data[_ONE_SENTENCE_KEY] = True
    if len(doc):
        doc.user_data[_SENTENCES_KEY] = ((0, len(doc_text(doc))),)


def known_one_sentence(doc: Doc) -> bool:
    """Whether :func:`one_sentence` was recorded for ``doc``."""
    return doc.user_data.get(_ONE_SENTENCE_KEY) is True


#: A sentence ending on a section's letter ("... placed in Section F. This is because"):
#: the tokenizer keeps "F." whole, as it would an initial, so no sentence ends there.
_SECTION_LETTER_STOP = re.compile(
    r"\b(?:[Ss]ections?|SECTIONS?|[Pp]art|PART|and|or|&)\s+(?:[A-K]|H[12])\.\s+(?=[A-Z])"
)


def _after_section_letter(text: str) -> list[int]:
    """Where a sentence starts after one that ended on a section's letter."""
    return [m.end() for m in _SECTION_LETTER_STOP.finditer(text)]


def sentence_spans(doc: Doc) -> Spans:
    """Character spans of the doc's sentences (the whole doc when none are marked).

    Read from the token array rather than ``doc.sents``, which first calls
    ``doc.has_annotation`` and builds a Python object per token; kept in
    ``doc.user_data``, so every component after the first reads it for free.
    Ask only once the sentencizer has run.
    """
    cached = doc.user_data.get(_SENTENCES_KEY)
    if isinstance(cached, tuple):
        return cached
    spans: Spans = ()
    if len(doc):
        table = doc.to_array([SENT_START, IDX])
        starts = table[table[:, 0] == 1, 1].tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        text = doc_text(doc)
        if "." in text:
            starts = sorted({*starts, *_after_section_letter(text)})
        spans = tuple(zip(starts, [*starts[1:], len(text)], strict=True))
    doc.user_data[_SENTENCES_KEY] = spans
    return spans


def statements(doc: Doc, text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the doc's statements: sentences split at line breaks, trimmed.

    Table cells and lists often put one item per line without a full stop;
    a line is never joined to the next, so one cue never spans two items.
    List bullets and surrounding white space are trimmed off. ``text`` is
    :func:`doc_text`.
    """
    for sent_start, sent_end in sentence_spans(doc):
        for line in _LINE.finditer(text, sent_start, sent_end):
            start, end = line.span()
            lead = _LEAD.match(text, start, end)
            if lead:
                start = lead.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start and _WORDY.search(text, start, end):
                yield start, end
