"""``ehcp_acronyms``: acronyms used without being spelled out (principle 5).

The rubric rates a plan down for "dense jargon, unexplained acronyms": a
family should not need to know that SALT is a speech and language therapist
or that ARE means age-related expectations. The component reports an
``acronym_unexpanded`` cue on an acronym (2-6 letters or digits with at least
two capitals: "SALT", "SENCo", "ToD", "PfA", "KS2", "BAS-3") that is not
spelled out, with ``attributes``:

- ``acronym``: the acronym as written, plural "s" removed ("GCSEs" -> "GCSE");
- ``expansion``: what it usually stands for, from the glossary in
  ``rules/lexicons/acronyms.toml`` (None when the glossary does not know it);
- ``expanded_elsewhere``: see below.

What counts as spelled out (long form with fitting initials before it in
brackets, an explanation in brackets after it, "... means ...", or its
glossary expansion in the same sentence) is described in the lexicon, which
also lists universally known acronyms (NHS, GP, UK) that are never reported.

**Plan-level memory.** "Used before it is spelled out *in the plan*" needs
memory across blocks, but the pipeline gives each block its own doc and the
component must not keep state between plans. The component therefore looks
for a per-plan mapping on the context (``ctx.plan_state``, a dict created
once per plan by the pipeline). With it, an acronym is reported once per
plan, at its first use, unless it was spelled out in an earlier (or the
same) block, and ``expanded_elsewhere`` is False. A glossary line ("SALT –
speech and language therapist") or a glossary table row ("SALT | Speech
and language therapist") spells an acronym out for the blocks after it; one
spelled out only *after* its first use (further on, or in a glossary at the
end) is still explained, which :func:`withdraw_explained_later` settles over
the finished cues. Without it the check is per block:
each block's first unexpanded use of an acronym is reported and
``expanded_elsewhere`` is None (unknown), so later stages should count
distinct acronyms rather than cues.

Cost: one regex scan per block for candidates; the expansion checks run only
on the (few) candidates found.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import Any

from attrs import frozen
from spacy.language import Language
from spacy.tokens import Doc

from ..._errors import ConfigError
from ..._model import Block, Cue, Section
from .._context import BlockContext, Hit, add_hit, context_of
from .._lexicon import compile_pattern, lexicon_cache, load
from .._text import doc_text, sentence_spans

LEXICON = "acronyms"
KIND = "acronym_unexpanded"
#: Keys this component uses in the per-plan mapping (see the module docstring).
STATE_KEY = "ehcp_acronyms"

#: A word with a second capital among its first four characters ("SALT", "ToD",
#: "PfA", "GCSEs"), with an optional "-3" test-edition suffix. Ordinary
#: capitalised words ("The", "Lily") never reach the finer checks. The
#: look-behind (no word character, apostrophe or hyphen before the word)
#: comes after the first capital, so the engine only tries it at capitals:
#: five times faster than a leading look-behind tried at every character.
_CANDIDATE = re.compile(
    r"([A-Z](?<![\w'’\-][A-Z])[a-z0-9]{0,2}[A-Z][A-Za-z0-9]{0,4})(?:-\d{1,2})?(?![A-Za-z0-9])"
)
_ROMAN = re.compile(r"^(?=[IVX]{2,})X{0,3}(?:IX|IV|V?I{0,3})$")
_TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s*$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W{0,3}$")
_LOWER_WORDS = re.compile(r"(?<![\w'’])[a-z]+(?![\w'’])")
_QUOTES = "\"'“”‘’"
_PAREN_AFTER = re.compile(r"(s?)\s*(?:([A-Za-z][\w\-]*)\s*)?\(([^()]{2,240})\)")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
#: Inside brackets, right after the acronym: "(SENCo, the teacher who ...)".
_INSIDE_AFTER = re.compile(r"s?\s*[,:–—-]\s*")
#: A glossary line: the acronym opens its line, then a separator and the long
#: form ("SALT – speech and language therapist", "EHCP: education, health ...").
_DEFINITION_AFTER = re.compile(r"s?\s*(?:[:=–—-]|\bis\b)\s*([^\n;]{3,160})")
_LINE_LEAD = re.compile(r"(?:^|\n)[ \t]*(?:[-•*▪·]|\d{1,2}[.)])?[ \t]*$")


@frozen
class AcronymLexicon:
    """The acronym lexicon, validated; sets are case-folded."""

    glossary: Mapping[str, tuple[str, ...]]
    known: frozenset[str]
    not_acronyms: frozenset[str]
    gloss_words: frozenset[str]
    skip_sections: frozenset[str]
    means: re.Pattern[str]
    explanation: re.Pattern[str]
    postcode: re.Pattern[str]

    def expansions(self, word: str, base: str) -> tuple[str, ...]:
        """Glossary expansions for an acronym as written (``word``) or without its plural."""
        return self.glossary.get(word.casefold()) or self.glossary.get(base.casefold()) or ()


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(value)


def read_lexicon(data: Mapping[str, Any]) -> AcronymLexicon:
    """Validate the acronym lexicon (raises :class:`ConfigError`)."""
    where = f"{LEXICON}.toml"
    raw = data.get("glossary", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [glossary] must map acronyms to lists of expansions")
    glossary: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        expansions = (value,) if isinstance(value, str) else _string_list(value, f"{where} {key}")
        if not expansions:
            raise ConfigError(f"{where}: glossary entry {key} has no expansion")
        glossary[key.casefold()] = tuple(" ".join(e.casefold().split()) for e in expansions)

    def text(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: '{key}' must be a non-empty string")
        return value

    return AcronymLexicon(
        glossary=glossary,
        known=frozenset(
            w.casefold() for w in _string_list(data.get("known", []), f"{where} known")
        ),
        not_acronyms=frozenset(
            w.casefold()
            for w in _string_list(data.get("not_acronyms", []), f"{where} not_acronyms")
        ),
        gloss_words=frozenset(
            w.casefold() for w in _string_list(data.get("gloss_words", []), f"{where} gloss_words")
        ),
        skip_sections=frozenset(
            _string_list(data.get("skip_sections", []), f"{where} skip_sections")
        ),
        means=compile_pattern(text("means_pattern"), f"{where} means_pattern"),
        explanation=compile_pattern(text("explanation_pattern"), f"{where} explanation_pattern"),
        postcode=re.compile(text("postcode_pattern")),
    )


def long_form_fits(acronym: str, text: str) -> bool:
    """Whether ``text`` ends in a long form whose letters spell ``acronym``.

    Schwartz and Hearst's algorithm (2003): match the acronym's letters from
    the last one backwards through the text, the first letter at the start of
    a word, and accept when the long form found is at most
    ``min(len + 5, 2 * len)`` words and at least two.
    """
    letters = [c.casefold() for c in acronym if c.isalnum()]
    if len(letters) < 2:
        return False
    limit = min(len(letters) + 5, len(letters) * 2)
    words = text.split()[-limit:]
    long = " ".join(words).casefold()
    s_idx, l_idx = len(letters) - 1, len(long) - 1
    while s_idx >= 0:
        c = letters[s_idx]
        while l_idx >= 0 and (
            long[l_idx] != c or (s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return False
        l_idx -= 1
        s_idx -= 1
    start = long.rfind(" ", 0, l_idx + 1) + 1
    return len(long[start:].split()) >= 2


class AcronymsComponent:
    """The spaCy component; stateless apart from the optional per-plan mapping."""

    def __init__(self, lexicon: AcronymLexicon, stop_words: Iterable[str]) -> None:
        self.lexicon = lexicon
        self.stop_words = frozenset(w.casefold() for w in stop_words)

    def __call__(self, doc: Doc) -> Doc:
        ctx = context_of(doc)
        if ctx.is_heading or ctx.is_placeholder or ctx.section in self.lexicon.skip_sections:
            return doc
        text = doc_text(doc)
        candidates = list(self.candidates(doc, text))
        defined = self.defined_in_row(ctx, text) if ctx.row_label else None
        if not candidates and defined is None:
            return doc
        sentences = sentence_spans(doc)
        sentence_starts = [s for s, _ in sentences]
        sentence_cache: dict[tuple[int, int], str] = {}
        expanded_here: set[str] = set()
        for start, end, word, base in candidates:
            key = base.casefold()
            if key in expanded_here:
                continue
            index = max(bisect.bisect_right(sentence_starts, start) - 1, 0)
            if self.is_expanded(text, start, end, word, base, sentences[index], sentence_cache):
                expanded_here.add(key)
        if defined is not None:
            expanded_here.add(defined)
        state = _plan_state(ctx)
        expanded_before: set[str] = (
            state.setdefault(f"{STATE_KEY}.expanded", set()) if state is not None else set()
        )
        reported: set[str] = (
            state.setdefault(f"{STATE_KEY}.reported", set()) if state is not None else set()
        )
        reported_here: set[str] = set()
        for start, end, word, base in candidates:
            key = base.casefold()
            if (
                key in expanded_here
                or key in expanded_before
                or key in reported
                or key in reported_here
            ):
                continue
            reported_here.add(key)
            expansions = self.lexicon.expansions(word, base)
            hit = Hit(
                KIND,
                start,
                end,
                "acronym.glossary" if expansions else "acronym.shape",
                None,
                {
                    "acronym": base,
                    "expansion": expansions[0] if expansions else None,
                    "expanded_elsewhere": False if state is not None else None,
                },
            )
            add_hit(doc, hit)
        if state is not None:
            expanded_before |= expanded_here
            reported |= reported_here
        return doc

    def defined_in_row(self, ctx: BlockContext, text: str) -> str | None:
        """The acronym a glossary table row defines in this cell, case-folded, if any.

        In a glossary table ("SALT | Speech and language therapist") the
        acronym sits alone in the row's first cell, which the context gives
        as the row label; this cell defines it when it holds the long form.
        """
        label = ctx.row_label.strip()
        match = _CANDIDATE.fullmatch(label)
        if match is None:
            return None
        word = match.group(1)
        base = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        line = text.strip().split("\n", 1)[0]
        folded = " ".join(line.casefold().split())
        expansions = self.lexicon.expansions(word, base)
        if any(e in folded for e in expansions) or long_form_fits(base, line):
            return base.casefold()
        return None

    def explained_after(self, acronym: str, cue: Cue, blocks: Sequence[Block]) -> bool:
        """Whether a block after the cue's own spells ``acronym`` out (text or glossary row)."""
        word = re.compile(rf"(?<![\w'’\-]){re.escape(acronym)}s?(?![A-Za-z0-9])")
        rows: dict[tuple[int, int], list[Block]] = {}
        for block in blocks:
            if block.index <= cue.location.block:
                continue
            if block.cell is not None:
                rows.setdefault((block.cell.table, block.cell.row), []).append(block)
            text = block.text
            for match in word.finditer(text):
                line_start = text.rfind("\n", 0, match.start()) + 1
                line_end = text.find("\n", match.end())
                line = (line_start, len(text) if line_end < 0 else line_end)
                if self.is_expanded(text, match.start(), match.end(), acronym, acronym, line):
                    return True
        return any(self._row_defines(acronym, cells) for cells in rows.values())

    def _row_defines(self, acronym: str, cells: Sequence[Block]) -> bool:
        """A glossary table row: one cell is the acronym alone, another spells it out."""
        if not any(
            c.text.strip().rstrip("s") == acronym or c.text.strip() == acronym for c in cells
        ):
            return False
        expansions = self.lexicon.expansions(acronym, acronym)
        for cell in cells:
            line = cell.text.strip().split("\n", 1)[0]
            if line == acronym:
                continue
            folded = " ".join(line.casefold().split())
            if any(e in folded for e in expansions) or long_form_fits(acronym, line):
                return True
        return False

    def candidates(self, doc: Doc, text: str) -> Iterable[tuple[int, int, str, str]]:
        """``(start, end, word, base)`` of each acronym-shaped word that could be jargon."""
        lex = self.lexicon
        blocked: list[tuple[int, int]] | None = None  # postcodes, found on first need
        lower_words: set[str] | None = None
        for match in _CANDIDATE.finditer(text):
            word = match.group(1)
            start, end = match.span()
            base = (
                word[:-1] if word.endswith("s") and len(word) > 2 and word[:-1].isupper() else word
            )
            if not self._shape_ok(base):
                continue
            folded_word, folded = word.casefold(), base.casefold()
            if {folded_word, folded} & (lex.known | lex.not_acronyms):
                continue
            in_glossary = bool(lex.expansions(word, base))
            if not in_glossary and folded in self.stop_words:
                continue
            if blocked is None:
                blocked = [m.span() for m in lex.postcode.finditer(text)]
            if any(s <= start < e for s, e in blocked):
                continue
            before = text[max(0, start - 24) : start]
            if _TITLE_BEFORE.search(before) or self._is_gloss(text, before, start, end):
                continue
            if _shouting(text, start, end):
                continue
            if not in_glossary:
                if lower_words is None:
                    lower_words = set(_LOWER_WORDS.findall(text))
                if folded in lower_words or _in_a_name(text, start):
                    continue
            yield start, end, word, base

    @staticmethod
    def _shape_ok(base: str) -> bool:
        if not 2 <= len(base) <= 6 or _ROMAN.match(base):
            return False
        upper = sum(c.isupper() for c in base)
        lower = sum(c.islower() for c in base)
        return upper >= 2 and lower < upper

    def _is_gloss(self, text: str, before: str, start: int, end: int) -> bool:
        """A quoted or signed word ("signing MORE", '"HELLO"'), not an acronym."""
        previous = _WORD_BEFORE.search(before)
        if previous and previous.group(1).casefold() in self.lexicon.gloss_words:
            return True
        opened = start > 0 and text[start - 1] in _QUOTES
        closed = end < len(text) and text[end] in _QUOTES
        return opened and closed

    def is_expanded(
        self,
        text: str,
        start: int,
        end: int,
        word: str,
        base: str,
        sentence: tuple[int, int],
        sentence_cache: dict[tuple[int, int], str] | None = None,
    ) -> bool:
        """Whether this use of the acronym is spelled out where it stands.

        ``sentence_cache`` keeps each sentence's case-folded text across the
        acronyms of one block.
        """
        expansions = self.lexicon.expansions(word, base)
        before = start
        while before > 0 and text[before - 1].isspace():
            before -= 1
        if before > 0 and text[before - 1] == "(":
            window = text[max(0, before - 161) : before - 1]
            if any(e in " ".join(window.casefold().split()) for e in expansions):
                return True
            if long_form_fits(base, window):
                return True
            inside = _INSIDE_AFTER.match(text, end)
            if inside and self.lexicon.explanation.match(text, inside.end()):
                return True
        after = _PAREN_AFTER.match(text, end)
        if after:
            content = after.group(3)
            folded = " ".join(content.casefold().split())
            if not folded.startswith(base.casefold()):
                if any(e in folded for e in expansions) or long_form_fits(base, content):
                    return True
                if after.group(2) is None and self.lexicon.explanation.match(content):
                    return True
        if self.lexicon.means.match(text, end):
            return True
        if _LINE_LEAD.search(text, 0, start):
            definition = _DEFINITION_AFTER.match(text, end)
            if definition:
                content = definition.group(1).strip()
                folded = " ".join(content.casefold().split())
                if any(folded.startswith(e) for e in expansions) or long_form_fits(base, content):
                    return True
        if expansions:
            cache = {} if sentence_cache is None else sentence_cache
            if sentence not in cache:
                s, e = sentence
                cache[sentence] = " ".join(text[s:e].casefold().split())
            return any(x in cache[sentence] for x in expansions)
        return False


def withdraw_explained_later(
    cues: Sequence[Cue], sections: Sequence[Section], lexicon: AcronymLexicon | None = None
) -> tuple[Cue, ...]:
    """Drop the acronym cues of acronyms the plan spells out further on.

    An acronym explained anywhere in the plan (later in the text, or in a
    glossary at the end: a line "SALT – speech and language therapist" or a
    table row "SALT | Speech and language therapist") is an explained
    acronym. The component reads the blocks in order and cannot know what a
    later block says, so this pass, over the finished cues, looks in the
    blocks after each cue's own. Proposed to run in the pipeline right after
    the per-block pass, beside the table-row passes. Other cues pass through.
    """
    reported = [c for c in cues if c.kind == KIND]
    if not reported:
        return tuple(cues)
    component = AcronymsComponent(lexicon or default_lexicon(), ())
    blocks = sorted(
        {b.index: b for s in sections for b in s.blocks}.values(), key=lambda b: b.index
    )
    explained = {
        id(cue)
        for cue in reported
        if component.explained_after(cue.attributes.get("acronym") or cue.text, cue, blocks)
    }
    return tuple(c for c in cues if id(c) not in explained)


def _plan_state(ctx: BlockContext) -> MutableMapping[str, Any] | None:
    """The per-plan mapping, when the pipeline provides one (see the module docstring)."""
    state = getattr(ctx, "plan_state", None)
    return state if isinstance(state, MutableMapping) else None


#: A capitalised word just before, itself not the first word of its sentence or line.
_NAME_BEFORE = re.compile(r"([^\s])?\s*\b[A-Z][a-z]+[ \t]+$")


def _in_a_name(text: str, start: int) -> bool:
    """Whether a word the glossary does not know sits inside a proper name.

    "Arsenal FC", "the Harbour Street LEGO club": capitals after a
    capitalised word in mid-sentence are part of a name, not jargon. The
    glossary's acronyms are still reported there ("Larchmere SENDIASS").
    """
    before = _NAME_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and before.group(1) not in (None, ".", "!", "?", ":", "•", "-")


def _shouting(text: str, start: int, end: int) -> bool:
    """Whether the line around the word is all capitals ("MAIN CONTACT DETAILS")."""
    line_start = max(text.rfind("\n", 0, start), text.rfind(".", 0, start)) + 1
    line_end = len(text)
    for stop in ("\n", "."):
        found = text.find(stop, end)
        if found != -1:
            line_end = min(line_end, found)
    line = text[line_start:line_end]
    return not any(c.islower() for c in line) and len(_WORDS.findall(line)) >= 2


@lexicon_cache(maxsize=1)
def default_lexicon() -> AcronymLexicon:
    """The installed lexicon, validated once per process."""
    return read_lexicon(load(LEXICON))


@Language.factory("ehcp_acronyms", default_config={})
def make_acronyms(nlp: Language, name: str) -> AcronymsComponent:
    """Build the component with the installed lexicon and the language's stop words."""
    return AcronymsComponent(default_lexicon(), nlp.Defaults.stop_words)
