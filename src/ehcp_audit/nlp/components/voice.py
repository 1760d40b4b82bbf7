"""``ehcp_voice``: whose words a sentence carries (child, family, professional).

Principle 1 of the rubric turns on *voice*: a plan is co-produced when it
records the child's and the family's own words, not only a professional's
description of them. One cue per sentence, covering the sentence:

- ``child_voice`` (``form``: ``first_person`` | ``quote`` | ``reported``):
  "I like ..." in the views part of the plan, a quote attributed to the child
  anywhere, or the child as the subject of a verb of speech ("Sam told us
  ...", "He has said that ..."). A description ("Sam likes trains", "Sam would
  like more friends") is *not* voice: only speech verbs make reported speech
  for the child, because plans describe children's likes all the time.
- ``parent_voice`` (``form`` and ``who``: mum, dad, parents, carer, ...): a
  parent in the first person ("We are proud ...", "As his mum, I ..."), or a
  parent as the subject of a verb of speech *or view* ("Sam's parents feel
  ..."). Views count for parents because a plan writer reports a parent's
  hope or worry only when the parent expressed it. Procedure is not voice
  ("Mum attended the meeting", "have not asked for a personal budget").
- ``professional_voice``: a professional's first person ("I observed ...",
  "I assessed ...", anything first-person in section K or an advice block), a
  service's "we will" in provision, speech by a teacher or officer, and
  third-person description under a first-person heading ("My views: Jack
  likes maths"), which reports can show as "written about, not by, the child".
- ``views_method``: how views were gathered (Talking Mats, Makaton, photos,
  an advocate, a booklet, a presentation, the review meeting, the young
  person's own written statement ...), ``attributes`` ``method`` (the first)
  and ``methods``; in the views part, advice and the preamble, in a sentence
  about giving views, and not where the method was offered but not used
  ("no written views were received", "declined a home visit").
- ``template_prompt``: an unfilled prompt in the views part of the plan.

How a sentence is read, in order: (1) an opening that names the speaker
("According to his mum, ...", "In Sam's words, ..."); (2) verbs of speech or
view, each with the subject found just before it (a pronoun, a role such as
"his foster carer", a name, "Mr and Mrs" with the child's surname), or just
after a closing quote ('"...," said Sam'); (3) "You said ..." in a "you
said, we did" list; (4) the first person, by where it sits and what it says
("As his mum, I ...", "I observed ...", "I am proud of him"); (5) a sentence
with no marker of its own in a paragraph written in someone's first person
takes that voice ("We are proud of Nia. She never gives up."). Pronouns
are resolved against the previous sentence: after "Tariq said ..." a "He
would like ..." is still Tariq's. People the plan introduces ("his mum,
Donna", "her advocate, Jo") are remembered for the rest of the plan (in
the plan's ``plan_state``, so nothing is kept from one plan to the next),
and a later "Jo said ..." is known to be the advocate's.
The parents' names from the plan's details make "Luca feels ..." or "Ms Price
said ..." a parent's view (a parent's first name wins over a child's middle
name, never over the child's first name); "Both agreed ..." is the parents'
when the sentence or the one before is theirs; "At Mum's request" and "as Dad
wished" report a parent's view the plan acted on.
Without the child's names (no personal details found), a speaker named by a
bare first name cannot be told from the child, and gives no cue.

Who speaks where the sentence does not say: speaker *scope* rules in the
style of medspaCy's ConText (``rules/lexicons/speakers.toml``, read by
``_voice_scope``): a sub-heading or row label naming a speaker ("Mum's
views", "School's views", "What Sam told us", "All about me") gives the
first person and the bare quotations under it to that speaker, also when the
label is a plain line of text (its scope ends at the next label) or a line
inside the block ("Our views (written by Mum and Dad):", until the next
such line), and the words before a colon opening a paragraph ("Summary from
the EP assessment: I met ...") hold for that paragraph; a paragraph signed
off "(Jo Reid, class teacher)" is the signer's; "Dana (mum): '...'" and
'"..." - Sam's answer' name the quotation's speaker, and a named speaker the
plan has not placed ends the label's scope.
Non-verbal and aided voice (the child signed, chose photos, pointed to a
symbol, pressed a switch, pushed a card away, sorted cards under "don't
like", chose not to go) is the child's, with ``form`` ``nonverbal`` or
``aac``: past tense only, as the clause's own act, and (for ordinary verbs
such as "put" or "pushed") with a choice medium in the sentence. First
person written for a child the plan says does not speak is marked
``on_behalf`` after this pass (``_voice_on_behalf``): the child's views
told by others, not the child's own words.
First person counts outside section A too (an "I" outcome, a "what I said"
column), never in advice; a professional naming their role ("As his
reviewing officer I ...") is not voice; a young person of 16 or over talking
about someone else in the first person is still themself. The child's
pronouns narrow as the plan uses them ("Sam ... his ..."), and parents named
together ("Bea and Femi said ...") are remembered as family.

Everything word-like (roles, verbs, headings, methods) is data in
``rules/lexicons/voice.toml``; verbs are written as lemmas and expanded to
their forms when the lexicon is compiled (``_lemmas``). Cost: one PhraseMatcher pass per block finds
every word the rules start from; a block with none is left at once, and the
regular expressions run only on the few sentences that hold a verb of
speech, a first-person word and so on.

Trained-model refinement: with ``refine_model`` naming an installed spaCy
pipeline, the sentences the rules found to be voice candidates (and only
those) are parsed, lazily and in one batch per block, and the dependency
parse decides who the subject of the speech verb is, or whether "I" is the
subject of a professional's verb. The model is loaded once, on first use;
a model that is not installed raises :class:`~ehcp_audit.ConfigError` when
the pipeline is built (nothing is ever downloaded).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import evolve, frozen
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..._errors import ConfigError
from ..._regex_cache import longest_first
from ...details import is_details_label
from .._context import BlockContext, Hit, add_hit, context_of, hits_of
from .._lexicon import compile_pattern, lexicon_cache, load
from .._text import doc_text, sentence_spans
from ._lemmas import expand
from ._voice_scope import Trigger, label_trigger, sentence_triggers

LEXICON = "voice"
CHILD, PARENT, PRO = "child_voice", "parent_voice", "professional_voice"
METHOD, PROMPT = "views_method", "template_prompt"

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F][\w'’\-.]*[\w]|[A-Za-z]|[,;:()\"“”]")
#: Quotations: double quotes, curly or straight, and single ones (British style)
#: where the marks cannot be apostrophes ("Sam's", "parents'" are not quotes).
_QUOTED = re.compile(
    r"\"[^\"\n]{1,600}\"|“[^“”\n]{1,600}”|‘[^‘\n]{1,600}?’(?![A-Za-z])"
    # 'I don't like': an apostrophe inside a word does not end a single-quoted phrase
    r"|(?<![\w'])'(?:[^'\n]|(?<=\w)'(?=\w)){1,600}?'(?![A-Za-z])"
)
_LEAD = re.compile(r"[\s•·▪◦●○■□\-–—*>]+")
_LEAD_CHARS = frozenset(" \t\n\r\f\v•·▪◦●○■□-–—*>")
_LINE_END_OK = re.compile(r"[.!?:;\"”)\]]\s*$")
#: "named in Section I. The ..." (the tokenizer keeps "I." whole, so no sentence ends there).
_SECTION_STOP = re.compile(
    r"\b(?:[Ss]ections?|[Pp]art|[Aa]ppendix|[Ss]chedule|[Aa]nnex)\s+[A-K]\d?\.(\s+)(?=[A-Z\"“])"
)
_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
#: A sentence the sentencizer ended at a dash ('"Trains!" - Sam's answer ...').
_DASH_END = re.compile(r"\s[-–—]\s*$")
#: A sentence the sentencizer ended at a quoted question ("asked 'What worries you?' she
#: wrote: ..."): the next sentence opening in lower case carries on the same one.
_QUESTION_QUOTE_END = re.compile(r"[?!][’'\"”]\s*$")
#: A quotation opening just after a verb: 'Jo wrote: "..."'.
_QUOTE_NEXT = re.compile(r"\s*[,:]?\s*[\"“‘']")
#: A quotation straight after a wish ('wants to "play for a real team"', 'hopes "to be a vet"').
_WISH_QUOTE = re.compile(r"\s+(?:to\s+|for\s+|that\s+)?[\"“]")
#: Where a sentence could hold a speaker trigger (a colon or dash before a quote, a sign-off).
_TRIGGER_HINT = re.compile(r":\s*[\"“‘']|[\"”’']\s*[-–—]|[)\]]\s*$|[–—]\s*\w[^.!?]{0,40}$")
#: A quotation just closed before a verb: '"...," said Sam'.
_AFTER_QUOTE = re.compile(r"[,!?.]?\s*[\"”’']\s*$")
#: "In his own words: I ..." introduces the child; the pronoun is not the speaker's subject.
_OWN_WORDS = re.compile(
    r"^[^:]{0,80}:\s+|\bin\s+(?:his|her|their)\s+own\s+(?:words|way)\b", re.IGNORECASE
)
#: "a My Views questionnaire", "a my school day form": a title, not the first person.
_TITLE_MY = re.compile(r"(?<=[a-z,] )My(?= [A-Z])|(?<=\b[Aa] )[Mm]y(?= \w)")
_SELF_INTRO = r"\b(?:my\s+name\s+is|i\s+am|i['’]m|call\s+me|called)\s+{CHILD}\b"
_FRONTED_WORDS = (
    "when if at in on after before since during although though as because by for from with "
    "without once while following despite using unlike until whenever where whilst having"
)
_FRONTED = frozenset(_FRONTED_WORDS.split())
#: Prepositions that open a short fronted phrase of time or place ("At home she ...").
_FRONTED_PREPOSITIONS = frozenset({"at", "in", "on", "during", "since", "after", "before"})
#: The longest fronted phrase, in words, read past to find a subject.
_MAX_FRONTED = 7
#: A word joined by "and" just before a subject ("he and" his parents said).
_JOINED = re.compile(r"\b([\w'’]+)\s+and\s*$")
#: A row label is this many words at most (the pipeline's own limit for one).
_ROW_LABEL_WORDS = 8
#: Any quotation mark: a short line holding one is words quoted, not a label.
_QUOTE_CHARS = re.compile('["“”‘’]')
#: How far back from "to say" a message verb is looked for ("emailed on 3 May 2026 to say").
_PURPOSE_REACH = 9
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "my", "our", "this", "that"})
#: Pronouns opening a relative clause ("everyone who knows Sam").
_RELATIVES = frozenset({"who", "that", "whom"})
_PREPOSITION_WORDS = (
    "of to for with from by about in on at into onto than like towards toward over under "
    "between among through"
)
_PREPOSITIONS = frozenset(_PREPOSITION_WORDS.split())
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they"}
_CONJ = frozenset({"and", "or", "but", "then", "so", "nor"})
_SUBORD = frozenset({"which", "who", "that", "whom", "whose", "because", "so", "and", "but"})
_PARTICIPLES = frozenset(
    {"told", "asked", "asked for", "asked to", "described", "reported", "requested", "said"}
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PUNCT = frozenset({",", ";", ":", "(", ")", '"', "“", "”"})
_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", '"', "“", "”"})
#: A contraction's tail ("I'll", "we're"), so the pronoun under it is seen.
_CONTRACTION = re.compile(r"['’](?:ll|re|ve|d|m|s)$")
_QUOTE_MARKS = frozenset({'"', "“", "”"})
_LETTER = re.compile(r"[^\W\d_]")
#: First-person words: a sentence holding one is worth the first-person patterns.
_FIRST_PERSON_TEXT = (
    "i me my mine myself i'm i’m i've i’ve i'd i’d i'll i’ll we our ours ourselves we're "
    "we’re we've we’ve we'd we’d we'll we’ll"
)
_FIRST_PERSON_WORDS = frozenset(_FIRST_PERSON_TEXT.split())
#: A code before a heading: "A6 My strengths", "2.1 Views", "(a) About me".
_CODE = re.compile(r"^(?:[a-k]\d{0,2}|\d+(?:\.\d+)*|\(?[a-z]\))[.:)]?\s+")
#: A block that opens by naming advice or a report ("Educational psychology advice ...").
_ADVICE_BLOCK = re.compile(r"[\w ,&()'’/-]{0,60}\b(?:advice|report)\b", re.IGNORECASE)
_FIRST_PERSON_LABEL = re.compile(r"\b(?:me|my|i)\b", re.IGNORECASE)
#: A question heading inside a block ("How I communicate"): it ends a parents' label's scope.
_ASKED_HEADING = re.compile(r"(?i)^(?:how|what|who|where|when|why)\s")
#: A list in the child's words: at least this many items, one a line, each this short.
_LIST_ITEMS = 3
_LIST_ITEM_WORDS = 10
#: The most words a row label naming its row's speaker has ("Lorna, Dev and Nan").
_MAX_ROW_SPEAKER = 6
#: A paragraph number opening a line ("1.5 ", "2) "): numbered paragraphs each start one.
_PARA_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,2}[.)]?\s+\S")
#: Marks that open a quotation (a paragraph of someone's own words).
_OPENING_QUOTES = frozenset("\"“‘'")
#: "us" as a word: the family writing of themselves.
_US = re.compile(r"\bus\b", re.IGNORECASE)
#: A line ending as a sentence does ("What we are proud of" in a row label does not).
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s*$")
#: A line inside a block that is only a label ("Our views (written by Mum and Dad):").
_LABEL_LINE = re.compile(r"^[^.!?:\n]{2,100}:\s*$")
#: A label line with no colon: short, no sentence end and no quotation marks.
_BARE_LABEL = re.compile(r"^\s*[A-Z][^.!?:;\n\"“”‘’]{2,100}$")
_BARE_LABEL_WORDS = 12
#: A label opening a sentence before a colon ("Summary from the EP assessment (May): I ...").
_LEAD_IN = re.compile(r"^(?P<label>[^.!?:\"“‘\n]{3,80}?)\s*:\s+(?=\S)")
_VOCATIVE = re.compile(r"^\s*\w+\s*,")
_OUR = re.compile(r"\bour\b", re.IGNORECASE)
_AS_HIS = re.compile(r"\bas\s+(?:his|her|their|\w+['’]s)\s+((?:foster\s+|step-?)?\w+)", re.I)
#: Where appositions ("his mum, Donna") are learnt: the preamble and the views part.
_CAST_SECTIONS = frozenset({"front", "A", "other"})
#: This component's key in a plan's ``plan_state``.
_STATE_KEY = "ehcp_voice"
#: Words of a subject phrase worth looking at (the rest of a long clause is not a subject).
_MAX_PHRASE = 8


# --------------------------------------------------------------------------
# Lexicon, compiled once
# --------------------------------------------------------------------------


def _words_pattern(words: Iterable[str]) -> str:
    """An alternation of phrases, longest first, with flexible white space."""
    ordered = longest_first(w.strip().lower() for w in words if w.strip())
    parts = [r"\s+".join(re.escape(p) for p in w.split()) for w in ordered]
    return "(?:" + "|".join(parts) + ")"


@frozen
class _Role:
    """What a role word says about a speaker."""

    category: str  # "family" | "professional" | "child"
    who: str  # the parent_voice ``who`` ("mum", "carer" ...), or "professional"/"organisation"


@frozen
class _Rules:
    """``voice.toml``, checked and compiled: the lists as sets, the patterns as regexes."""

    child_label: re.Pattern[str]
    family_label: re.Pattern[str]
    advice_label: re.Pattern[str]
    provision_label: re.Pattern[str]
    gathering_label: re.Pattern[str]
    provision_sections: frozenset[str]
    advice_sections: frozenset[str]
    family_name_sections: frozenset[str]
    headings: frozenset[str]
    subject_pronouns: frozenset[str]
    third_person: re.Pattern[str]
    titles: frozenset[str]
    not_names: frozenset[str]
    roles: Mapping[str, _Role]
    role_words: frozenset[str]
    max_role_len: int
    speech: frozenset[str]
    view: frozenset[str]
    quote_only: frozenset[str]
    nonverbal: frozenset[str]
    needs_medium: frozenset[str]
    choice_medium: re.Pattern[str]
    aac_words: re.Pattern[str]
    family_will: re.Pattern[str]
    section_heading: re.Pattern[str]
    first_person_sections: frozenset[str]
    family_we_sections: frozenset[str]
    method_sections: frozenset[str]
    fillers: frozenset[str]
    negators: frozenset[str]
    modals: frozenset[str]
    passive: frozenset[str]
    first_person: re.Pattern[str]
    professional_marker: re.Pattern[str]
    not_i: re.Pattern[str]
    first_plural: re.Pattern[str]
    parent_marker: re.Pattern[str]
    parent_we: re.Pattern[str]
    practice: re.Pattern[str]
    practice_visit: str
    service_will: re.Pattern[str]
    you_said: re.Pattern[str]
    you_said_header: re.Pattern[str]
    introduces: re.Pattern[str]
    embedded: re.Pattern[str]
    reason_as: re.Pattern[str]
    purpose_verbs: frozenset[str]
    reason_after: re.Pattern[str]
    reason_verbs: frozenset[str]
    courtesy: re.Pattern[str]
    milestone: re.Pattern[str]
    provenance: re.Pattern[str]
    view_noun: re.Pattern[str]
    report_opening: re.Pattern[str]
    complement_lead: re.Pattern[str]
    behaviour_speech: re.Pattern[str]
    writer_line: re.Pattern[str]
    family_wrote: re.Pattern[str]
    own_parents: re.Pattern[str]
    attributed: re.Pattern[str]
    family_wish: re.Pattern[str]
    views_gathered: re.Pattern[str]
    self_written: re.Pattern[str]
    process_request: re.Pattern[str]
    inline_prompt: re.Pattern[str]
    prompt_child: re.Pattern[str]
    prompt_family: re.Pattern[str]
    cast_patterns: tuple[re.Pattern[str], ...]
    person_nouns: re.Pattern[str]
    gathering: tuple[str, ...]
    guidance: re.Pattern[str]
    not_used: re.Pattern[str]
    methods: tuple[tuple[str, tuple[str, ...]], ...]
    #: methods made only for gathering views (Talking Mats): named, they say so themselves
    views_only: frozenset[str] = frozenset()


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ConfigError(f"lexicon {LEXICON}.toml: missing table [{key}]")
    return value


def _strings(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"lexicon {LEXICON}.toml: [{where}] {key} must be a list of strings")
    return value


def _string(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise ConfigError(f"lexicon {LEXICON}.toml: [{where}] {key} must be a string")
    return value


@lexicon_cache
def rules() -> _Rules:
    """The voice lexicon, validated and compiled (once per process)."""
    data = load(LEXICON)
    where = f"rules/lexicons/{LEXICON}.toml"
    ctx, people, verbs, pats, meth = (
        _section(data, k) for k in ("contexts", "people", "verbs", "patterns", "methods")
    )

    def pat(table: Mapping[str, Any], key: str, name: str, **macros: str) -> re.Pattern[str]:
        source = _string(table, key, name)
        for macro, value in macros.items():
            source = source.replace("{" + macro + "}", value)
        return compile_pattern(source, f"{where} [{name}] {key}")

    roles: dict[str, _Role] = {}
    family = _section(people, "family")
    for who in family:
        for phrase in _strings(family, who, "people.family"):
            roles[" ".join(phrase.lower().split())] = _Role("family", who)
    for phrase in _strings(people, "child", "people"):
        roles[" ".join(phrase.lower().split())] = _Role("child", "child")
    pro = _section(people, "professional")
    for phrase in _strings(pro, "roles", "people.professional"):
        roles.setdefault(" ".join(phrase.lower().split()), _Role("professional", "professional"))
    organisations = {" ".join(o.lower().split()) for o in _strings(pro, "organisations", "people")}
    for phrase in organisations:
        roles.setdefault(phrase, _Role("professional", "organisation"))
    # Brothers, sisters, friends: their words are neither the child's nor the parents'.
    for phrase in _strings(people, "others", "people"):
        roles.setdefault(" ".join(phrase.lower().split()), _Role("professional", "other"))
    irregular = {
        " ".join(k.lower().split()): tuple(_strings(_section(verbs, "irregular"), k, "irregular"))
        for k in _section(verbs, "irregular")
    }
    finite = frozenset(w.lower() for w in _strings(verbs, "finite", "verbs"))

    def lemmas(key: str, present: bool = True) -> frozenset[str]:
        return expand(_strings(verbs, key, "verbs"), irregular, finite, present)

    speech = set(lemmas("speech"))
    view = set(lemmas("view"))
    role_alt = _words_pattern(roles)
    name_alt = r"(?-i:(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    phrases = _section(meth, "phrases")
    methods = tuple((name, tuple(_strings(phrases, name, "methods.phrases"))) for name in phrases)
    pronouns = _strings(people, "third_person_pronouns", "people")
    return _Rules(
        child_label=pat(ctx, "child_views_label", "contexts"),
        family_label=pat(ctx, "family_views_label", "contexts"),
        advice_label=pat(ctx, "advice_label", "contexts"),
        provision_label=pat(ctx, "provision_label", "contexts"),
        gathering_label=pat(ctx, "gathering_label", "contexts"),
        provision_sections=frozenset(_strings(ctx, "provision_sections", "contexts")),
        advice_sections=frozenset(_strings(ctx, "advice_sections", "contexts")),
        family_name_sections=frozenset(_strings(ctx, "family_name_sections", "contexts")),
        headings=frozenset(
            " ".join(h.lower().split()) for h in _strings(ctx, "headings", "contexts")
        ),
        subject_pronouns=frozenset(
            p.lower() for p in _strings(people, "subject_pronouns", "people")
        ),
        third_person=compile_pattern(r"\b" + _words_pattern(pronouns) + r"\b", where),
        titles=frozenset(t.lower() for t in _strings(people, "titles", "people")),
        not_names=frozenset(w.lower() for w in _strings(people, "not_names", "people")),
        roles=roles,
        role_words=frozenset(
            w
            for phrase in roles
            for w in phrase.split()
            if w not in _DETERMINERS and w not in _PREPOSITIONS and w != "and"
        ),
        max_role_len=max(len(phrase.split()) for phrase in roles),
        speech=frozenset(speech),
        view=frozenset(view - speech),
        quote_only=lemmas("quote_only") - speech,
        nonverbal=lemmas("nonverbal", present=False) - speech,
        needs_medium=lemmas("nonverbal_needs_medium", present=False),
        choice_medium=pat(verbs, "choice_medium", "verbs"),
        aac_words=pat(verbs, "aac_words", "verbs"),
        family_will=pat(pats, "family_will", "patterns"),
        section_heading=pat(pats, "section_heading", "patterns"),
        first_person_sections=frozenset(_strings(ctx, "first_person_sections", "contexts")),
        family_we_sections=frozenset(_strings(ctx, "family_we_sections", "contexts")),
        method_sections=frozenset(_strings(ctx, "method_sections", "contexts")),
        fillers=frozenset(w.lower() for w in _strings(verbs, "fillers", "verbs")) | {"yet"},
        negators=frozenset(w.lower() for w in _strings(verbs, "negators", "verbs")),
        modals=frozenset(w.lower() for w in _strings(verbs, "modals", "verbs")),
        passive=frozenset(w.lower() for w in _strings(verbs, "passive", "verbs")),
        first_person=pat(pats, "first_person", "patterns"),
        professional_marker=pat(
            pats,
            "professional_marker",
            "patterns",
            PRO_ROLE=_words_pattern(_strings(pro, "roles", "people.professional")),
        ),
        not_i=compile_pattern(
            r"(?-i:\b(?:[Ss]ection|[Pp]art|[Ss]tage|[Ll]evel|[Pp]hase|[Cc]lass|[Tt]ype|[Ss]chedule"
            r"|[Aa]ppendix|[Aa]nnex|[Tt]ier|[Ww]ave|[Bb]and)\s+I\b)",
            where,
        ),
        first_plural=pat(pats, "first_plural", "patterns"),
        parent_marker=pat(pats, "parent_marker", "patterns"),
        parent_we=pat(pats, "parent_we", "patterns"),
        practice=pat(pats, "practice", "patterns"),
        practice_visit=_string(pats, "practice_visit", "patterns"),
        service_will=pat(pats, "service_will", "patterns"),
        you_said=pat(pats, "you_said", "patterns"),
        you_said_header=pat(pats, "you_said_header", "patterns"),
        introduces=pat(pats, "introduces", "patterns"),
        embedded=pat(pats, "embedded_speech", "patterns"),
        reason_as=pat(pats, "reason_as", "patterns"),
        purpose_verbs=frozenset(w.lower() for w in _strings(verbs, "purpose_verbs", "verbs")),
        reason_after=pat(pats, "reason_after", "patterns"),
        reason_verbs=frozenset(w.lower() for w in _strings(verbs, "reason_verbs", "verbs")),
        courtesy=pat(pats, "courtesy", "patterns"),
        milestone=pat(pats, "milestone", "patterns"),
        provenance=pat(pats, "provenance", "patterns"),
        view_noun=pat(pats, "view_noun", "patterns"),
        report_opening=pat(pats, "report_opening", "patterns"),
        complement_lead=pat(pats, "complement_lead", "patterns"),
        behaviour_speech=pat(pats, "behaviour_speech", "patterns"),
        writer_line=pat(pats, "writer_line", "patterns"),
        family_wrote=pat(pats, "family_wrote", "patterns"),
        own_parents=pat(pats, "own_parents", "patterns"),
        attributed=pat(pats, "attributed_opening", "patterns"),
        family_wish=pat(pats, "family_wish", "patterns"),
        views_gathered=pat(pats, "views_gathered", "patterns"),
        self_written=pat(pats, "self_written", "patterns"),
        process_request=pat(pats, "process_request", "patterns"),
        inline_prompt=pat(pats, "inline_prompt", "patterns"),
        prompt_child=pat(pats, "prompt_child", "patterns"),
        prompt_family=pat(pats, "prompt_family", "patterns"),
        cast_patterns=(
            pat(pats, "cast_role_first", "patterns", ROLE=role_alt, NAME=name_alt),
            pat(pats, "cast_name_first", "patterns", ROLE=role_alt, NAME=name_alt),
        ),
        person_nouns=compile_pattern(
            r"\b"
            + _words_pattern(
                [
                    *(p for p in roles if p not in organisations),
                    "friend",
                    "friends",
                    "sister",
                    "brother",
                    "cousin",
                    "boy",
                    "girl",
                    "man",
                    "woman",
                    "baby",
                    "dog",
                    "cat",
                ]
            )
            + r"\b"
            r"|(?-i:(?<=\w )[A-Z][a-z]+)",
            where,
        ),
        gathering=tuple(_strings(meth, "gathering", "methods")),
        guidance=pat(meth, "guidance", "methods"),
        not_used=pat(meth, "not_used", "methods"),
        methods=methods,
        views_only=frozenset(_strings(meth, "views_only", "methods")),
    )


@lexicon_cache(maxsize=64)
def _child_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, ...]:
    """Per-plan patterns that depend on the child's names (cached per name set)."""
    if not names:
        return (None, None, None)
    alt = "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    case_alt = f"(?-i:{alt})"
    mention = re.compile(rf"(?<![\w'’-]){alt}(?![\w-])(?!['’]s\b)")
    visit = re.compile(rules().practice_visit.replace("{CHILD}", case_alt), re.IGNORECASE)
    intro = re.compile(_SELF_INTRO.replace("{CHILD}", case_alt), re.IGNORECASE)
    return (mention, visit, intro)


# --------------------------------------------------------------------------
# Who is who
# --------------------------------------------------------------------------


@frozen
class Speaker:
    """Who a subject phrase stands for.

    ``kind``: ``child`` | ``family`` | ``professional`` | ``pronoun`` |
    ``name`` (a person not yet known) | ``none``.
    """

    kind: str
    who: str = ""
    gender: str = ""  # "he" | "she" | "they" | "" (unknown)
    text: str = ""


_NONE = Speaker("none")
_GENDER = {"mum": "she", "dad": "he", "parents": "they", "family": "they"}
_TITLE_GENDER = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she"}


class _Memory:
    """What the component remembers between the blocks of one plan.

    - the *cast*: people the plan has introduced ("his mum, Donna", "her
      advocate, Jo Simmons", "Mrs Pryce (foster carer)"), so a later "Jo said"
      is known to be the advocate's and "Donna said" the mum's;
    - the last sentence of the previous block, so a block that starts "She
      would like ..." (a PDF often makes each paragraph its own block) can be
      resolved against the "Donna said ..." just before it.

    One memory per plan, kept in the plan's ``plan_state`` (see
    :func:`_memory_of`), so nothing outlives the plan. Without the child's
    names nothing is remembered: a bare first name could be the child.
    """

    def __init__(self) -> None:
        self._cast: dict[str, Speaker] = {}
        self._last: tuple[str, State] | None = None
        self._votes = [0, 0]
        self._seen: set[str] = set()
        #: a label written as a plain line ("What my family say"): (section, sub-heading, trigger)
        self._label: tuple[str, str, Trigger | None] | None = None
        #: that label's own words, to know it again as a table's row label
        self._label_line = ""
        #: the block just read, when it is a short phrase that could be a row label
        self._short: tuple[str, Doc] | None = None
        #: short blocks in a row that were the child's own items: (section, sub-heading, count)
        self._items: tuple[str, str, int] = ("", "", 0)
        #: sections the plan says the family wrote ("Ana and Rui wrote this section")
        self._family_wrote: set[str] = set()
        #: the label line opened with a paragraph number ("1.5 Parents' views:")
        self._label_numbered = False

    def child_pronouns(self, ctx: BlockContext, text: str) -> tuple[str, ...]:
        """The child's pronouns: the plan's, narrowed by how blocks naming the child refer to them.

        Why: a plan that never states the child's sex still writes "Sam ...
        his ..."; after that, "She told us ..." is someone else speaking.
        """
        own = ctx.child_pronouns
        if {"he", "she"} <= set(own) and ctx.child_names:
            if text not in self._seen:
                self._seen.add(text)
                if any(n in text for n in ctx.child_names):
                    self._votes[0] += len(_HE.findall(text))
                    self._votes[1] += len(_SHE.findall(text))
            he, she = self._votes
            if he and not she:
                return ("he", "they")
            if she and not he:
                return ("she", "they")
        return own

    def heard_label(self, ctx: BlockContext, text: str) -> bool:
        """Note a block that is only a label line; its scope holds until the next label.

        Why: a PDF or a plain-text export often leaves a template's
        sub-headings as ordinary lines, so the pipeline never sees them as
        headings. ConText's forward scope, terminated by the next heading.
        """
        line = text.strip()
        longest = 100 if line.endswith(":") else 70
        if "\n" in line or len(line) > longest or line[-1:] in '.!?"”' or line[:1] in "[<{«":
            return False
        trigger = label_trigger(line.rstrip(": "))
        key = _heading_key(line)
        known = (
            key in rules().headings
            or _owned_by_me(key, ctx.child_names) in rules().headings
            or bool(rules().child_label.search(line))
        )
        # "How I communicate and learn best", "What I want to get better at": a question
        # put as a heading, not an item; it ends the scope of a parents' label above it.
        asked = trigger is not None and bool(_ASKED_HEADING.match(line))
        if (trigger is None or trigger.rule.category == "child") and not (known or asked):
            return False  # "My nan and grandad": a list item in the child's words, not a label
        self._label = (ctx.section, ctx.subsection, trigger)
        self._label_line = line
        self._label_numbered = bool(_PARA_NUMBER.match(line))
        return True

    def label_scope(self, ctx: BlockContext, text: str) -> Trigger | None:
        """The label line over this block, if its scope still holds here.

        Why: besides the next label or heading, two things end a label's
        scope. A numbered label ("1.5 Parents' views:") holds until the next
        numbered paragraph ("1.6 Sam was asked ..."), as a sub-heading holds
        until the next; and a label whose rule ends at ``unquoted`` (a lead-in
        such as "Mum and Dad wrote this part:") holds only over the quoted
        paragraphs that follow it.
        """
        found = self._label
        if not (found and found[0] == ctx.section and found[1] == ctx.subsection):
            return None
        trigger = found[2]
        line = text.lstrip()
        ended = (self._label_numbered and _PARA_NUMBER.match(line)) or (
            trigger is not None
            and "unquoted" in trigger.rule.terminated_by
            and line[:1] not in _OPENING_QUOTES
        )
        if ended:
            self._label = None
            return None
        return trigger

    def row_labelled(self, ctx: BlockContext, text: str) -> None:
        """End a label's scope once it turns out to be a table's row label.

        Why: "My mum says" in a profile table's first column labels its own
        row only (the pipeline gives it to that row's cells); a paragraph after
        the table ("Priya is a chatty girl who loves dogs.") is the writer's again.
        Beside another header ("What Sam said" | "What happened") it heads the
        column, and holds over the rows below.
        """
        line = text.strip()
        header = len(line.split()) <= 8 and not _SENTENCE_END.search(line)
        if self._label is not None and not header and ctx.row_label.strip() == self._label_line:
            self._label = None
        if self._short is not None and ctx.row_label.strip() == self._short[0]:
            # "My communication" | "Ana understands ...": the phrase read before as
            # someone's first person was the row's label, not anyone speaking.
            hits = hits_of(self._short[1])
            hits[:] = [h for h in hits if h.kind not in {CHILD, PARENT}]
        self._short = None

    def item_run(self, ctx: BlockContext) -> int:
        """How many of the child's own short items came just before, under this heading."""
        section, subsection, count = self._items
        return count if (section, subsection) == (ctx.section, ctx.subsection) else 0

    def item_heard(self, ctx: BlockContext) -> None:
        self._items = (ctx.section, ctx.subsection, self.item_run(ctx) + 1)

    def items_end(self) -> None:
        self._items = ("", "", 0)

    def note_short(self, doc: Doc, text: str) -> None:
        """Keep a short phrase with no sentence end or quotation (it may be a row label)."""
        line = text.strip()
        plain = not (_SENTENCE_END.search(line) or _QUOTE_CHARS.search(line))
        self._short = (line, doc) if plain and len(line.split()) <= _ROW_LABEL_WORDS else None

    def cast(self, names: tuple[str, ...]) -> dict[str, Speaker]:
        return self._cast if names else {}

    def note_family_wrote(self, section: str) -> None:
        self._family_wrote.add(section)

    def family_wrote(self, section: str) -> bool:
        """Whether the plan said the family wrote this section (see ``family_wrote``)."""
        return section in self._family_wrote

    def learn(self, text: str, names: tuple[str, ...]) -> None:
        """Remember who the people named in apposition are."""
        if not names or ("," not in text and "(" not in text):
            return
        r = rules()
        cast = self._cast
        for pattern in r.cast_patterns:
            for m in pattern.finditer(text):
                groups = m.groupdict()
                role_text = groups.get("role") or groups.get("role2") or groups.get("role3")
                role = r.roles.get(" ".join(role_text.lower().split())) if role_text else None
                if role is None or role.category == "child":
                    continue
                family = role.category == "family"
                person = Speaker(
                    "family" if family else "professional",
                    role.who if family or role.who == "other" else "professional",
                    _GENDER.get(role.who, "") if family else "",
                    m.group("name"),
                )
                for group in ("name", "name2"):
                    for part in (groups.get(group) or "").split():
                        key = part.strip(".")
                        if key.lower() not in r.titles and key not in names:
                            cast.setdefault(key, person)

    def learn_family(self, speaker: Speaker, names: tuple[str, ...]) -> None:
        """Remember the bare names of a subject heard as family ("Bea and Femi said ...")."""
        if not names:
            return
        r = rules()
        for word in _WORD.findall(speaker.text):
            bare = _unpossessed(word).strip(".")
            low = bare.lower()
            known = (
                low in r.titles
                or low in r.not_names
                or low in r.role_words
                or low in r.subject_pronouns
                or bool(r.third_person.fullmatch(low))
            )
            if bare[:1].isupper() and bare not in names and not known:
                self._cast.setdefault(bare, Speaker("family", "parent", "", bare))

    def last(self, names: tuple[str, ...], section: str) -> State:
        found = self._last if names else None
        if found and found[0] == section:
            return found[1]
        return ("", _NONE)

    def set_last(self, names: tuple[str, ...], section: str, state: State) -> None:
        if names:
            self._last = (section, state)


def _memory_of(ctx: BlockContext) -> _Memory:
    """The memory of the plan ``ctx`` belongs to (a fresh one per plan)."""
    memory = ctx.plan_state.get(_STATE_KEY)
    if not isinstance(memory, _Memory):
        memory = ctx.plan_state[_STATE_KEY] = _Memory()
    return memory


#: The speaker after a paragraph that is the child's quotation (a child, never a pronoun's guess).
_QUOTING_CHILD = Speaker("child", "", "", "quoted")


#: The previous sentence, for a pronoun to look back at: its text (or the doc
#: it ends, when the block was skipped unread) and who it was about: a
#: Speaker, ``None`` (not worked out until someone asks), or the state before
#: it (the sentence began "He ...", so it was about the same person).
State = tuple[Any, Any]


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------


@frozen
class Unit:
    """One sentence (or one line of a list) with its paragraph number."""

    start: int
    end: int
    text: str
    para: int


def _quotes_open(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def units(doc: Doc) -> list[Unit]:
    """Sentences of ``doc``: quotes kept whole, lists and paragraphs split at line breaks.

    The sentencizer ends a sentence inside a quotation ("I like it. It is
    fun," she said.); the pieces are joined back so the quote stays with its
    speaker. A line break ends a sentence when the line ends with
    punctuation or the next line starts a new item (a capital, a bullet):
    table cells put one item per line without full stops, while a PDF line
    wrapped mid-sentence is left joined.
    """
    text = doc_text(doc)
    spans: list[tuple[int, int]] = []
    quotes = '"' in text or "“" in text
    for s, e in sentence_spans(doc):
        if spans and (
            (quotes and _quotes_open(text[spans[-1][0] : spans[-1][1]]))
            or _DASH_END.search(text, spans[-1][0], spans[-1][1])
            or (
                text[s : s + 1].islower()
                and _QUESTION_QUOTE_END.search(text, spans[-1][0], spans[-1][1])
            )
        ):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    pieces: list[tuple[int, int]] = []
    sections = "ection" in text or "art " in text or "ppendix" in text
    for s, e in spans:
        start = s
        for m in _SECTION_STOP.finditer(text, s, e) if sections else ():
            pieces.append((start, m.start(1)))
            start = m.end(1)
        pos = text.find("\n", start, e)
        while pos != -1:
            before = text[start:pos]
            after = text[pos + 1 : e].lstrip(" \t")
            if (
                not before.strip()
                or _LINE_END_OK.search(before)
                or not after
                or after[0].isupper()
                or after[0] in '•·▪◦●○■□-–—*"“'
            ) and not (quotes and _quotes_open(before)):
                pieces.append((start, pos))
                start = pos + 1
            pos = text.find("\n", pos + 1, e)
        pieces.append((start, e))
    out: list[Unit] = []
    para = -1
    previous_end = 0
    for s, e in pieces:
        if s < e and text[s] in _LEAD_CHARS:
            s = _LEAD.match(text, s, e).end()  # type: ignore[union-attr]
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s or not _LETTER.search(text, s, e):
            continue
        if para < 0 or "\n" in text[previous_end:s]:
            para += 1
        out.append(Unit(s, e, text[s:e], para))
        previous_end = e
    return out


@frozen
class Found:
    """What the phrase matcher found in one sentence."""

    labels: frozenset[str] = frozenset()
    #: character spans (in the doc) of speech and view verbs, longest first, in order
    verbs: tuple[tuple[int, int], ...] = ()
    methods: tuple[str, ...] = ()


_FOUND_NOTHING = Found()


def _assign(
    matches: Sequence[tuple[int, int, int]],
    doc: Doc,
    sentences: Sequence[Unit],
    label_of: Mapping[int, tuple[str, str]],
) -> list[Found]:
    """Share the doc's phrase matches out to its sentences.

    Character offsets come from the first and last token of each match
    (a few Token objects: cheaper than a token array for the whole doc).
    """
    starts = [u.start for u in sentences]
    labels: list[set[str]] = [set() for _ in sentences]
    verbs: list[list[tuple[int, int]]] = [[] for _ in sentences]
    methods: list[list[str]] = [[] for _ in sentences]
    for match_id, s, e in matches:
        label, name = label_of[match_id]
        cs = doc[s].idx
        tail = doc[e - 1]
        ce = tail.idx + len(tail)
        i = bisect_right(starts, cs) - 1
        if i < 0 or cs >= sentences[i].end:
            continue
        labels[i].add(label)
        if label == "VERB":
            verbs[i].append((cs, ce))
        elif label == "METHOD" and name not in methods[i]:
            methods[i].append(name)
    out: list[Found] = []
    for i in range(len(sentences)):
        if not labels[i]:
            out.append(_FOUND_NOTHING)
            continue
        kept: list[tuple[int, int]] = []
        for span in sorted(verbs[i], key=lambda v: (v[0], -v[1])):
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)  # "has said" over "said", "asked for" over "asked"
        out.append(Found(frozenset(labels[i]), tuple(kept), tuple(methods[i])))
    return out


def _blank_quotes(text: str) -> str:
    """The text with quoted words blanked (same length), so verbs inside quotes are skipped."""
    if '"' not in text and "“" not in text and "‘" not in text and "'" not in text:
        return text
    return _QUOTED.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text)


# --------------------------------------------------------------------------
# Readings
# --------------------------------------------------------------------------


@frozen
class Reading:
    """What one sentence is: a cue kind and rule, or nothing (``kind == ""``)."""

    kind: str = ""
    rule: str = ""
    form: str = ""
    who: str = ""
    speaker: Speaker = _NONE
    #: first-person strength for paragraph decisions: "" | "plain" | "weak" | "strong"
    fp: str = ""
    #: worth parsing with a trained model (a voice cue, or a near miss)
    candidate: bool = False
    parsed: bool = False
    #: a family member's words the child said with them ("he and his parents said ...")
    with_child: bool = False

    def attributes(self) -> dict[str, Any]:
        attrs: dict[str, Any] = {"form": self.form}
        if self.kind == PARENT:
            attrs["who"] = self.who or "parent"
        if self.parsed:
            attrs["parsed"] = True
        return attrs


_NOTHING = Reading()


def _voice(kind: str, form: str, who: str = "", fp: str = "", speaker: Speaker = _NONE) -> Reading:
    return Reading(
        kind,
        f"{kind}.{form}",
        form if form != "continuation" else "first_person",
        who,
        speaker,
        fp,
        candidate=True,
    )


@frozen
class Where:
    """A block's place in the plan, boiled down to what the voice rules need."""

    section: str
    views: bool  # the views part of the plan (A, or a views label)
    family_label: bool
    child_label: bool
    advice: bool  # section K or an advice row: first person is a professional's
    provision: bool
    gathering: bool  # under "How my views were gathered"
    methods: bool  # a method of gathering views named here counts (views, advice, preamble)
    describe: bool  # under a first-person child label: third person is worth a cue
    family_names: bool  # bare first names count as family here
    learn: bool  # appositions ("his mum, Donna") are learnt here
    wanted: frozenset[str]  # matcher labels worth reading a sentence for
    #: the speaker scope rule the block's row label or sub-heading fires, if any
    trigger: Trigger | None = None


@lexicon_cache(maxsize=1024)
def where_of(section: str, subsection: str, row_label: str, column_label: str = "") -> Where:
    """The voice context of a block (cached: a plan has few distinct sets of labels).

    A column's header ("How we found out") says only how views were gathered:
    it does not make the cells under it anyone's voice.
    """
    r = rules()
    labels = " | ".join(x for x in (subsection, row_label) if x)
    child = bool(labels and r.child_label.search(labels))
    family = bool(labels and r.family_label.search(labels))
    advice = section in r.advice_sections or bool(row_label and r.advice_label.search(row_label))
    views = (section == "A" or child or family) and not (
        section in r.advice_sections and not (child or family)
    )
    gathering = bool(labels and r.gathering_label.search(labels)) or bool(
        column_label and r.gathering_label.search(column_label)
    )
    trigger = label_trigger(row_label) or label_trigger(subsection)
    if trigger is not None and trigger.rule.category == "child":
        # "My decision about my parents' views": the label's own "my" owns it.
        family = False
    provision = section in r.provision_sections or bool(
        row_label and r.provision_label.search(row_label)
    )
    wanted = {"VERB", "FP", "YOU", "ATTRIB", "QUOTE"}
    if provision:
        wanted.add("SERVICE")
    methods = views or advice or gathering or section in r.method_sections
    if methods:
        wanted |= {"GATHER", "METHOD"}
    if views:
        wanted.add("PROMPT")
    return Where(
        section=section,
        views=views,
        family_label=family,
        child_label=child,
        advice=advice and not (child or family),
        provision=provision,
        gathering=gathering,
        methods=methods,
        describe=child and not gathering and bool(_FIRST_PERSON_LABEL.search(labels)),
        family_names=views or section in r.family_name_sections,
        learn=views or section in _CAST_SECTIONS,
        wanted=frozenset(wanted),
        trigger=trigger,
    )


class _Reader:
    """Reads the sentences of one block, in order (pronouns look back one sentence)."""

    def __init__(
        self, where: Where, ctx: BlockContext, cast: Mapping[str, Speaker], text: str
    ) -> None:
        self.where = where
        self.ctx = ctx
        self.cast = cast
        self.text = text
        self.names = set(ctx.child_names)
        self.name_parts = {p for n in ctx.child_names for p in n.split()}
        # Parents' first names and surnames ("Luca feels ...", "Mrs Price said ..."). A
        # parent's first name wins over a child's middle name, never over the child's own.
        first = ctx.child_names[0].split()[0] if ctx.child_names and ctx.child_names[0] else ""
        parts = [n.split() for n in ctx.parent_names if n.strip()]
        self.parent_first = {f for f in map(_first_name, parts) if f} - {first}
        self.parent_surnames = {p[-1] for p in parts if len(p) > 1}
        self.mention, self.visit, self.intro = _child_patterns(tuple(ctx.child_names))
        self.r = rules()
        self._advice: bool | None = None
        self._scope: Speaker | None = None
        #: a label line inside the block ("Our views (written by ...):"): its speaker, until
        #: the next label line; a lead-in ("Summary of the EP's report: I met ..."): its
        #: paragraph and speaker
        self._line_scope: Speaker | None = None
        self._line_trigger: Trigger | None = None
        #: this block says who wrote the section: its own lines are the writer's
        self._says_writers = False
        self._lead: tuple[int, Speaker] | None = None
        self._para = -1
        self._prev_text: str | Doc = ""
        self._prev_speaker: Speaker | State | None = _NONE

    @property
    def advice(self) -> bool:
        """First person here is a professional's: section K, an advice row, an advice block."""
        if self._advice is None:
            self._advice = self.where.advice or (
                not (self.where.child_label or self.where.family_label)
                and bool(_ADVICE_BLOCK.match(self.text.lstrip()[:120]))
            )
        return self._advice

    @property
    def scope(self) -> Speaker:
        """Whose words the sentence's label says it holds ("Mum's views", "School's views").

        The nearest label wins: a lead-in opening the paragraph, then a label
        line earlier in the block, then the block's own sub-heading or row label.
        """
        if self._lead is not None and self._lead[0] == self._para:
            return self._lead[1]
        if self._line_scope is not None:
            return self._line_scope
        if self._scope is None:
            trigger = self.where.trigger
            self._scope = self.speaker_for(trigger) if trigger is not None else _NONE
        return self._scope

    @property
    def family_words(self) -> str:
        """The form third-person lines about the child take when the family has the whole block.

        Why: "What Ana's parents say about her" or "In our words" over a block
        makes "She loves the swings." the parents' words, though nothing in
        the sentence says so; "Parents' views" does not (a writer's summary
        often sits under it: "Parents' views were requested but not returned").
        "written" where the label is the family's own ("Our views"), else
        "reported"; "" where no such label holds.
        """
        trigger = self._line_trigger if self._line_scope is not None else self.where.trigger
        if (
            trigger is None
            or not trigger.rule.third_person
            or (self._lead is not None and self._lead[0] == self._para)
            or self.scope.kind != "family"
        ):
            return ""
        return "written" if trigger.rule.category == "family" else "reported"

    @property
    def family_writes(self) -> bool:
        """The family wrote the part this sentence is in, by a label or by the plan's word.

        Why: after "Ana and Rui wrote most of this section", a row "What Ana
        enjoys" saying "he drags us to the rock pools every morning" is the
        parents writing, though a school's "we" would read the same elsewhere.
        A label naming someone else (the child, a professional) still wins.
        """
        kind = self.scope.kind
        if kind == "family":
            return True
        return (
            kind == "none"
            and self.where.views
            and not self._says_writers
            and _memory_of(self.ctx).family_wrote(self.where.section)
        )

    def note_writers(self, text: str) -> None:
        """Remember a section the plan says the family wrote ("This part was written by Mum")."""
        if not self.where.views or self.scope.kind not in {"none", "family"}:
            return
        for m in self.r.family_wrote.finditer(text):
            phrase = m.group("who") or m.group("who2") or ""
            tokens = _WORD.findall(phrase.rsplit(",", 1)[-1])
            if tokens and self.classify(tokens).kind == "family":
                # "We typed up their answers unchanged." beside it is the writer's.
                self._says_writers = True
                _memory_of(self.ctx).note_family_wrote(self.where.section)
                return

    def speaker_for(self, trigger: Trigger) -> Speaker:
        """Who a scope trigger names: its fixed category, else its role, else its ``who``."""
        category = trigger.rule.category
        if category == "professional":
            return Speaker("professional", "professional")
        if category == "child":
            return Speaker("child")
        if category == "family":
            return Speaker("family", "parent")
        for phrase in (trigger.role, trigger.who):
            tokens = _WORD.findall(phrase)
            if not tokens:
                continue
            if len(tokens) == 1 and tokens[0].lower() in _POSSESSIVE_PRONOUNS:
                return Speaker("child") if self.names else _NONE  # "His views"
            found = self.classify(tokens)
            if found.kind == "family" and any(
                t in self.names and t not in self.parent_first for t in tokens
            ):
                # "What Ana and her family told us": both speak under it; each sentence
                # says whose it is (the child's own "I", the parents' "we").
                return _NONE
            if found.kind == "pronoun":
                found = self.resolve(found, _NONE)
            if found.kind == "name" and not (self.where.family_names and self.names):
                continue
            if found.kind != "none":
                return found
        return _NONE

    def as_voice(self, speaker: Speaker, form: str) -> Reading | None:
        """The reading for words a known speaker carries (``None`` for an unknown one)."""
        if speaker.kind == "child":
            return _voice(CHILD, form, speaker=speaker)
        if speaker.kind == "family" or (
            speaker.kind == "name" and self.where.family_names and self.names
        ):
            who = speaker.who if speaker.kind == "family" else "parent"
            if speaker.kind == "name" and self.scope.kind == "family":
                # "Leona said ..." under "What my mum says": Leona is family in the
                # outcomes and the reviews too, where a bare name is nobody's.
                _memory_of(self.ctx).learn_family(speaker, tuple(self.ctx.child_names))
            person = Speaker("family", who, speaker.gender, speaker.text)
            # A parent quoted speaks on in the first person: "I ..." after it is theirs.
            fp = "quote" if form == "quote" else ""
            return _voice(PARENT, form, who, fp=fp, speaker=person)
        if speaker.kind == "professional" and speaker.who != "other":
            return Reading(PRO, "professional_voice.reported", "reported", speaker=speaker)
        return None  # a brother's or a friend's words are nobody's voice here

    # --- the previous sentence ------------------------------------------

    @property
    def state(self) -> State:
        return self._prev_text, self._prev_speaker

    @state.setter
    def state(self, value: State) -> None:
        self._prev_text, self._prev_speaker = value

    @property
    def previous(self) -> Speaker:
        """Who the previous sentence was about (its speaker, else its subject)."""
        speaker = self._speaker_of(self.state)
        self._prev_speaker = speaker
        return speaker

    def _speaker_of(self, state: State) -> Speaker:
        """Work out, only when asked, who a remembered sentence was about."""
        text, speaker = state
        if isinstance(speaker, Speaker):
            return speaker
        if speaker is not None:  # "He ..." after that state: the same person
            return self._speaker_of(speaker)
        if not isinstance(text, str):  # a block skipped unread: its last sentence
            found = units(text)
            text = found[-1].text if found else ""
        main = self.main_subject(_blank_quotes(text)) if text else _NONE
        return _NONE if main.kind == "pronoun" else main

    def _advance(self, text: str, reading: Reading) -> None:
        speaker: Speaker | State | None
        if reading.speaker.kind != "none":
            speaker = reading.speaker
        elif reading.kind == PARENT:
            speaker = Speaker("family", reading.who, _GENDER.get(reading.who, ""))
        elif reading.kind == CHILD and reading.form == "quote" and _QUOTED.match(text.lstrip()):
            speaker = _QUOTING_CHILD  # a quotation of the child's: a run of them may follow
        elif _starts_with_pronoun(text, self.r):
            # "He ..." keeps talking about whoever the sentence before was about.
            speaker = self.state
        else:
            speaker = None
        self._prev_text, self._prev_speaker = text, speaker

    # --- subjects --------------------------------------------------------

    def classify(self, tokens: Sequence[str]) -> Speaker:
        """Who a noun phrase (its words in order) stands for."""
        r = self.r
        words = [t for t in tokens if t not in _PUNCT][-_MAX_PHRASE:]
        if not words:
            return _NONE
        lower = [w.lower() for w in words]
        # A role ends the phrase ("Her class teacher", "Toby's dad", "Mum and Dad").
        if any(_unpossessed(w) in r.role_words for w in lower):
            found = self._role(words, lower)
            if found is not None:
                return found
        head = lower[-1]
        if head in r.subject_pronouns and len(words) <= 2:
            return Speaker("pronoun", "", head, words[-1])
        return self._names(words)

    def _role(self, words: Sequence[str], lower: Sequence[str]) -> Speaker | None:
        r = self.r
        for size in range(min(r.max_role_len, len(lower)), 0, -1):
            for start in range(len(lower) - size, -1, -1):
                span = lower[start : start + size]
                phrase = " ".join([*span[:-1], _unpossessed(span[-1])])
                role = r.roles.get(phrase)
                if role is None:
                    continue
                if start + size < len(lower) and _is_possessive(words[start + size - 1]):
                    continue  # "his teacher's report"
                if role.category == "professional":
                    who = "other" if role.who == "other" else "professional"
                    return Speaker("professional", who, "", " ".join(words))
                if role.category == "child":
                    return Speaker("child", "", "", " ".join(words))
                who = role.who
                others = {r.roles[w].who for w in lower if w in r.roles and w != span[0]}
                if who in {"mum", "dad"} and others & {"mum", "dad"}:
                    who = "parents"  # "Mum and Dad"
                return Speaker("family", who, _GENDER.get(who, ""), " ".join(words))
        return None

    def _names(self, words: Sequence[str]) -> Speaker:
        r = self.r
        titles: list[str] = []
        people: list[Speaker] = []
        pending_title = ""
        for i, w in enumerate(words):
            bare = _unpossessed(w).strip(".")
            low = bare.lower()
            if low in r.titles:
                pending_title = low
                titles.append(low)
                continue
            if low in {"and", "&"}:
                continue
            if not bare[:1].isupper() or low in r.not_names or any(c.isdigit() for c in bare):
                pending_title = ""
                continue  # "K7": a paragraph or form reference, not a name
            if _is_possessive(w) and i < len(words) - 1:
                continue  # "Toby's ..." (the head comes later)
            if pending_title:
                # A title with the child's surname is a parent; with another
                # name, whoever the plan introduced, else a professional.
                if bare in self.name_parts or bare in self.parent_surnames:
                    people.append(Speaker("family", "family", "", w))
                else:
                    people.append(self.cast.get(bare, Speaker("professional", "professional")))
                pending_title = ""
            elif bare in self.parent_first:
                people.append(Speaker("family", "parent", "", w))
            elif bare in self.name_parts:
                people.append(Speaker("child", "", "", w))
            elif bare in self.cast:
                people.append(self.cast[bare])
            else:
                people.append(Speaker("name", "parent", "", w))
        if not people:
            return _NONE
        first = people[0]
        if first.kind == "family" and first.who == "family" and titles:
            if len(titles) > 1 or "and" in (w.lower() for w in words):
                return Speaker("family", "parents", "they", " ".join(words))
            who = {"mr": "dad", "mrs": "mum", "ms": "mum", "miss": "mum"}.get(titles[0], "parent")
            return Speaker("family", who, _TITLE_GENDER.get(titles[0], ""), first.text)
        joined = any(w.lower() in {"and", "&"} for w in words)
        if len(people) > 1 and joined and all(p.kind in {"family", "name"} for p in people):
            # "Bea and Femi": two people named together; "Orla Brennick" is one person
            return Speaker("family", "parents", "they", " ".join(words))
        return first

    def subject_before(self, pre: str, verb: str, after: str = "") -> tuple[Speaker, bool]:
        """The subject of a verb from the text before it; and whether it is negated or passive.

        ``after`` is the text after the verb: "as she said she wants ..." (a reason,
        a report follows) differs from "as she said them" (the manner) only there.
        """
        tokens = _WORD.findall(pre[-240:])
        r = self.r
        j = len(tokens) - 1
        blocked = False
        if verb in _PARTICIPLES or verb.endswith("ed"):
            p = j  # "was also asked": an adverb between the auxiliary and the participle
            while p >= 0 and tokens[p].lower() in r.fillers and tokens[p].lower() not in r.passive:
                p -= 1
            if (
                p >= 1
                and tokens[p].lower() in {"or", "and"}
                and tokens[p - 1].lower().endswith("ed")
            ):
                p -= 2  # "has been changed or added": a participle coordinated after the auxiliary
            if p >= 0 and tokens[p].lower() in r.passive:
                return _NONE, True  # "was told", "were asked", "was then asked"
        if j > 0 and tokens[j].lower() == "to":
            # "Mrs Lark emailed on 3 May to say ...": the subject of the message sent
            for i in range(j - 1, max(-1, j - _PURPOSE_REACH), -1):
                if tokens[i].lower() in r.purpose_verbs:
                    return self.subject_before(" ".join(tokens[:i]), tokens[i].lower())
        while j >= 0:
            low = tokens[j].lower()
            if low in r.modals or _is_negator(tokens[j], r):
                blocked = True  # "will tell", "has not asked", "cannot yet say"
            elif low not in r.fillers:
                break
            j -= 1
        if (
            j + 1 < len(tokens)
            and tokens[j + 1].lower() == "both"
            and (j < 0 or tokens[j].lower() in _CONJ or tokens[j] in {",", ";"})
        ):
            return self._both(pre), blocked  # "Both agreed ...", "and both told ..."
        if j < 0 or _CONTRACTION.sub("", tokens[j].lower()) in {"i", "we", "you"}:
            return _NONE, blocked  # the first person ("I'll tell you") is read elsewhere
        if tokens[j] in {":", ";"}:
            return _NONE, blocked  # "Don't move my bag: ask me first": an instruction, no subject
        if tokens[j].lower() in _CONJ:
            # "Sam read the draft and told us ...": the subject starts the clause;
            # a modal anywhere in it ("will use her card and tell") plans, not reports.
            clause = tokens[_clause_start(tokens[:j]) : j]
            if any(t.lower() in r.modals or _is_negator(t, r) for t in clause):
                blocked = True
            return self._clause_subject(tokens[:j]), blocked
        if tokens[j] == ",":
            # Apposition: "Her class teacher, Mrs Pennock, said" / "Bea, his mum, said".
            found = [self.classify(p) for p in _comma_pieces(tokens[: j + 1])[-2:]]
            for wanted in ("professional", "family", "child"):
                for s in found:
                    if s.kind == wanted:
                        return s, blocked
            return _NONE, blocked
        k = j
        while k > 0 and j - k < 5 and _np_word(tokens[k - 1], r):
            k -= 1
        if k > 0 and tokens[k - 1].lower() == "that":
            clause = tokens[_clause_start(tokens[: k - 1]) : k - 1]
            if any(t.lower() in r.modals for t in clause):
                return _NONE, True  # "Sam will have a friend that he describes as ...": a plan
        if k > 1 and tokens[k - 2].lower() in _RELATIVES and not _np_word(tokens[k - 1], r):
            # "Everyone who knows Sam agrees ...": Sam is the relative clause's object;
            # the verb's subject is the phrase the clause hangs on.
            head = tokens[: k - 2]
            return self.classify(head[_clause_start(head) :]), blocked
        if k > 0 and tokens[k - 1].lower() in _DETERMINERS:
            k -= 1
        if k > 0 and tokens[k - 1].lower() in _PREPOSITIONS:
            return _NONE, blocked  # "a copy of the professional reports": a noun, no subject
        first = k  # "what Sam and his parents said": the whole coordinated subject
        while (
            first > 0
            and k - first < 6
            and (tokens[first - 1].lower() in {"and", "&"} or _np_word(tokens[first - 1], r))
        ):
            first -= 1
        lead = " ".join(tokens[max(0, k - 2) : k])
        if first < k and not r.embedded.search(lead):
            lead = " ".join(tokens[max(0, first - 2) : first])
        if r.embedded.search(lead) and not (
            verb in r.reason_verbs and r.reason_as.search(lead) and r.reason_after.match(after)
        ):
            return _NONE, True  # "what Sam said", "as she says", "unless they say"
        return self.classify(tokens[k : j + 1]), blocked

    def _both(self, pre: str) -> Speaker:
        """ "Both" as a subject: the parents, when the sentence or the one before is theirs."""
        main = self.main_subject(pre) if pre.strip() else _NONE
        if main.kind != "family":
            main = self.previous
        if main.kind == "family":
            return Speaker("family", "parents", "they", "both")
        return _NONE

    def _clause_subject(self, tokens: Sequence[str]) -> Speaker:
        """The subject that starts the clause ending at a coordinating 'and'.

        ", and told ..." with nothing between the comma and "and" (the comma
        closed an aside: "Sam drew his dog, Biscuit, and told us ...") shares
        the sentence's own subject.
        """
        tokens = _without_asides(tokens)  # "(aged 8)" does not start a clause
        start = _clause_start(tokens)
        if start == len(tokens) and start:
            # only a person: "Book an interpreter, and tell me ..." is an instruction
            shared = self.main_subject(" ".join(tokens))
            # "She put the cards out, and told Jo ...": a pronoun is resolved as any subject is
            return shared if shared.kind in {"child", "family", "pronoun"} else _NONE
        clause = list(tokens[start:])
        while clause and clause[0].lower() in _SUBORD:
            clause = clause[1:]
        return self.lead_subject(clause)

    def lead_subject(self, tokens: Sequence[str]) -> Speaker:
        """The noun phrase a clause starts with ("Toby's dad", "Mr and Mrs Khan", "He")."""
        r = self.r
        if not tokens:
            return _NONE
        if tokens[0].lower() in r.subject_pronouns:
            return Speaker("pronoun", "", tokens[0].lower(), tokens[0])
        if tokens[0].lower() in _FRONTED_PREPOSITIONS:
            after = self._after_fronted_phrase(tokens)
            if after:
                return self.lead_subject(tokens[after:])
        elif len(tokens) > 1 and tokens[0].lower() in _PREPOSITIONS | _CONJ:
            # "To the question '...?' he wrote", "About Mr Fenwick: he ...": the capital is
            # the sentence's start, not a name; the phrase after the word is what it names.
            return self.lead_subject(tokens[1:])
        end = 0
        while end < len(tokens) and end < 7 and _np_word(tokens[end], r, leading=end == 0):
            end += 1
        return self.classify(tokens[:end]) if end else _NONE

    def _after_fronted_phrase(self, tokens: Sequence[str]) -> int:
        """Where the subject starts after a short fronted phrase with no comma (0: none found).

        Why: "At weekends she sleeps late", "In Reception he would hide under
        the table", "On the feelings map Sam drew ..." put a time or a place
        first; the subject is the first subject pronoun or the child's name
        after it. A comma, or anything longer than a short phrase, and nothing
        is guessed; nor when the subject follows the word at once ("Since he
        started school ...": a clause of its own).
        """
        for k in range(1, min(len(tokens), _MAX_FRONTED + 1)):
            token = tokens[k]
            if token in _CLAUSE_BREAKS:
                return 0
            if token.lower() in self.r.subject_pronouns or token in self.names:
                # "Since he started school he ...": a pronoun straight after the word opens
                # a clause, whose own subject it is; a phrase has words before its subject.
                return k if k > 1 else 0
        return 0

    def main_subject(self, text: str) -> Speaker:
        """The subject a sentence starts with, after a fronted clause ("When ..., Sam said")."""
        tokens = _WORD.findall(text[:200])
        if (
            tokens
            and tokens[0].lower() in _FRONTED
            and "," in tokens[:20]
            and not (
                tokens[0].lower() in _FRONTED_PREPOSITIONS and self._after_fronted_phrase(tokens)
            )
        ):
            tokens = tokens[tokens.index(",") + 1 :]
        return self.lead_subject(tokens)

    def resolve(self, pronoun: Speaker, main: Speaker) -> Speaker:
        """What a pronoun subject stands for: the family member just named, else the child."""
        if main.kind not in {"pronoun", "none", "child"}:
            return _NONE  # "Jo wrote down Meg's words as she said": someone else's act
        prev = self.previous
        if prev.kind == "family" and (not prev.gender or prev.gender == pronoun.gender):
            return prev
        own = _memory_of(self.ctx).child_pronouns(self.ctx, self.text)
        if pronoun.gender in own and (pronoun.gender != "they" or not {"he", "she"} & set(own)):
            # "they" is the child only where the plan says so; otherwise it is
            # almost always several people ("unless they say his name").
            return Speaker("child", "", pronoun.gender, pronoun.text)
        return _NONE

    # --- one sentence ----------------------------------------------------

    def read(self, unit: Unit, found: Found) -> Reading:
        self._note_label(unit)
        self.note_writers(unit.text)
        reading = self._read(unit, found)
        self._advance(unit.text, reading)
        return reading

    def _note_label(self, unit: Unit) -> None:
        """Open a speaker scope at a label written inside the block (ConText's forward scope).

        Why: a table cell or a plain-text export often holds several parts of
        a template at once, each under its own line ("Our views (written by
        Mum and Dad):"), or opens a paragraph with its source ("Summary from
        the EP assessment: I met ..."). The same label rules as a sub-heading's
        decide whose words follow; a label line that names no speaker ends the
        scope before it, a lead-in holds for its own paragraph only.
        """
        self._para = unit.para
        text = unit.text
        if _LABEL_LINE.match(text) and not _QUOTED.search(text):
            trigger = label_trigger(text.rstrip(": "))
            self._line_scope = self.speaker_for(trigger) if trigger is not None else None
            self._line_trigger = trigger
            return
        if _BARE_LABEL.match(text) and len(text.split()) <= _BARE_LABEL_WORDS:
            # "Mum and Dad's views (given through the interpreter)" on a line of its
            # own, with no colon: a label only where it names a speaker.
            trigger = label_trigger(text.strip())
            speaker = self.speaker_for(trigger) if trigger is not None else _NONE
            if speaker.kind != "none":
                self._line_scope, self._line_trigger = speaker, trigger
                return
        m = _LEAD_IN.match(text)
        trigger = label_trigger(m.group("label")) if m else None
        if trigger is not None:
            speaker = self.speaker_for(trigger)
            self._lead = (unit.para, speaker) if speaker.kind != "none" else None

    def _read(self, unit: Unit, found: Found) -> Reading:
        r, where, text, labels = self.r, self.where, unit.text, found.labels
        if len(text) <= 100 and (
            _heading_key(text) in r.headings
            or r.section_heading.match(text)
            or ("YOU" in labels and r.you_said_header.search(text))
        ):
            return _NOTHING
        if "PROMPT" in labels and where.views and r.inline_prompt.search(text):
            return Reading(PROMPT, "template_prompt.inline", form="inline")
        if text.endswith(":") and not _QUOTED.search(text):
            return _NOTHING  # "In her words:", "He said the words and his QTVI typed them:"
        if "GATHER" in labels and r.views_gathered.search(text):
            return _NOTHING  # "Sam's views were gathered by ...": a method, not a voice
        if r.provenance.match(text):
            return _NOTHING  # "This outcome comes from Sam saying ...": the writer's link
        if r.report_opening.match(text):
            return Reading(PRO, "professional_voice.report", "reported")
        reading = self._triggered(text) if "QUOTE" in labels else None
        if reading is None and "ATTRIB" in labels:
            reading = self._attributed(text) or self._wish(text)
        if reading is None and found.verbs:
            verbs = [(a - unit.start, b - unit.start) for a, b in found.verbs]
            reading = self._view_noun(text) or self._speech(text, verbs)
        if reading is None and "YOU" in labels:
            reading = self._you_said(text)
        if reading is None and "FP" in labels:
            reading = self._first_person(text)
        if reading is None and "QUOTE" in labels:
            reading = self._quoted_alone(text, "FP" in labels)
        if reading is None:
            reading = self._third_person(text, labels)
        return reading

    def _triggered(self, text: str) -> Reading | None:
        """A quotation whose speaker a trigger names: "Dana (mum): '...'", "'...' - Sam's reply"."""
        if not _TRIGGER_HINT.search(text):
            return None
        r = self.r
        for trigger in sentence_triggers(text):
            if trigger.rule.direction == "backward" and trigger.rule.max_scope == 0:
                continue  # a sign-off: read with its paragraph (see _settle)
            words = {w.lower() for w in _WORD.findall(trigger.who)}
            if words & (r.speech | r.view | r.quote_only):
                continue  # 'He said: "..."': the verb's subject is read as reported speech
            speaker = self.speaker_for(trigger)
            reading = self.as_voice(speaker, "quote") if speaker.kind != "name" else None
            if reading is not None:
                return reading
            if trigger.who and "speaker" in trigger.rule.terminated_by:
                # "her brother Samuel: '...'": a speaker named but not placed ends the
                # label's scope; the quotation is nobody's we can name.
                return _NOTHING
        return None

    def listed(self, units_: Sequence[Unit], readings: list[Reading]) -> list[Reading]:
        """Unmarked items of a list in the child's own words are the child's too.

        Why: under "What is important to me" a one-page profile lists "My
        dog Rufus.", "Swimming with Grandad on Sundays.", "My friends ...":
        the child's list, though one item has no "I" or "my". Only a list
        (one item per line, most of them the child's first person, under a
        child's own-words label) passes its voice on, and only to short
        items that do not name the child or say "he"/"she" (a writer's note).
        """
        paras = {u.para for u in units_}
        if not self.where.describe or len(paras) < _LIST_ITEMS or len(units_) > 2 * len(paras):
            return readings
        own = sum(x.kind == CHILD and x.form == "first_person" for x in readings)
        if own * 2 < len(units_):
            return readings
        out = list(readings)
        for i, (u, x) in enumerate(zip(units_, readings, strict=True)):
            if x.kind or len(u.text.split()) > _LIST_ITEM_WORDS:
                continue
            if _HE.search(u.text) or _SHE.search(u.text):
                continue
            if self.mention is not None and self.mention.search(u.text):
                continue
            out[i] = evolve(_voice(CHILD, "continuation"), candidate=False)
        return out

    def signed_off(self, units_: Sequence[Unit], readings: list[Reading]) -> list[Reading]:
        """A paragraph signed off "(Jo Reid, class teacher)": its own-words lines are the signer's.

        A backward scope: lines that carry voice only by their first person or
        quotation take the signer's voice; reported speech names its own
        speaker ("Sam said ...") and keeps it.
        """
        last: dict[int, int] = {}
        for i, u in enumerate(units_):
            last[u.para] = i
        out = readings
        for para, i in last.items():
            if not _TRIGGER_HINT.search(units_[i].text):
                continue
            for trigger in sentence_triggers(units_[i].text):
                if trigger.rule.direction != "backward" or trigger.rule.max_scope:
                    continue
                speaker = self.speaker_for(trigger)
                signer = self.as_voice(speaker, "first_person") if speaker.kind != "name" else None
                if signer is None:
                    continue
                out = list(out)
                for j, u in enumerate(units_):
                    if u.para == para and out[j].form in {"first_person", "quote", "continuation"}:
                        out[j] = signer
                break
        return out

    def _quoted_alone(self, text: str, first_person: bool) -> Reading | None:
        """A sentence that is mostly a quotation: the label's speaker, else (views) the child."""
        quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
        if quoted * 10 < len(text) * 6:
            return None
        scope = self.scope
        if scope.kind != "none":
            return self.as_voice(scope, "quote")
        row = self._row_speaker()
        if row.kind in {"child", "family"}:
            return self.as_voice(row, "quote")
        if self.where.views and self._family_quoted(text):
            who = _who_from_marker(text, self.r)
            if who == "parent" and self.r.first_plural.search(text):
                who = "parents"  # "We are so proud of him": both of them
            return _voice(PARENT, "quote", who, fp="quote")
        if self.where.views and first_person and self.r.first_person.search(text):
            return _voice(CHILD, "quote", fp="plain")
        if (
            self.where.views
            and self.previous == _QUOTING_CHILD
            and not self.r.third_person.search(text)
            and not (self.mention is not None and self.mention.search(text))
        ):
            # '"I'm not slow, I just read slowly."' then '"Spelling tests make the whole
            # room go quiet."': a run of the child's quoted paragraphs
            # (not one about the child: '"He is a joy to teach."')
            return _voice(CHILD, "quote", speaker=_QUOTING_CHILD)
        return None

    def _row_speaker(self) -> Speaker:
        """The person a row label names, when it is only a name or a family role.

        Why: a "Who will do what" table puts a quotation in the row of the
        person whose words it is ("Maisie" | '"I will pack my own bag."',
        "Mum and Gran" | '"We will practise at home."'); the row label is its
        speaker, as "Dana (mum): '...'" would be in running text.
        """
        label = self.ctx.row_label
        tokens = _WORD.findall(label)
        if not tokens or len(tokens) > _MAX_ROW_SPEAKER or not self.names:
            return _NONE
        found = self.classify(tokens)
        return found if found.kind in {"child", "family"} else _NONE

    def _family_quoted(self, text: str) -> bool:
        """A quotation standing alone in the views part, in a parent's words.

        Why: a parents' statement is often reproduced as quoted paragraphs
        ('"We have always known that Ava is ..."', '"As her mum, I ..."') with
        no verb of speech; a child quoted alone is the child, but a "we" that
        names the child, says a parent's feeling or wish, or a parent's
        "as his mum" is the family speaking, never the child.
        """
        inner = " ".join(m.group(0) for m in _QUOTED.finditer(text))
        r = self.r
        if r.parent_marker.search(inner):
            return True
        if not r.first_plural.search(inner):
            return False
        named = self.mention is not None and self.mention.search(inner) is not None
        return named or r.parent_we.search(inner) is not None

    def _speech(self, text: str, verbs: Sequence[tuple[int, int]]) -> Reading | None:
        """Reported speech and quotes: who is the subject of each verb of speech or view."""
        r = self.r
        blank = _blank_quotes(text)
        form = "quote" if blank is not text else "reported"
        professional: Reading | None = None
        main: Speaker | None = None
        for start, end in verbs:
            if blank[start:end] != text[start:end]:
                continue  # inside a quotation: the quoted person's verb, not a report
            verb = " ".join(text[start:end].lower().split())
            nonverbal = verb in r.nonverbal
            if verb in r.quote_only and not _QUOTE_NEXT.match(text, end):
                if not nonverbal:
                    continue  # "Sam wrote a story": an activity, unless a quotation follows
            elif verb in r.quote_only:
                nonverbal = False  # 'Sam typed: "..."' is his quoted words
            if nonverbal and verb in r.needs_medium and not r.choice_medium.search(text):
                continue  # "pushed another child": an action, not a choice
            subject, blocked = self.subject_before(blank[:start], verb, text[end : end + 40])
            if subject.kind == "none" and not blocked and _AFTER_QUOTE.search(blank, 0, start):
                # '"I like it," said Sam.': the speaker follows the verb.
                subject = self.lead_subject(_WORD.findall(blank[end : end + 60])[:5])
            if (
                blocked
                or subject.kind == "none"
                or r.courtesy.match(text, start)
                or r.behaviour_speech.match(blank, end)
                or r.milestone.search(blank[max(0, start - 40) : start])
            ):
                continue
            if "ask" in verb or "request" in verb:
                request = r.process_request.search(blank, start)
                if request and request.start() < end:
                    continue  # "asked for an EHC needs assessment": procedure, not a view
            if subject.kind == "pronoun":
                main = main or self.main_subject(blank)
                subject = self.resolve(subject, main)
            if subject.kind == "family" and subject.text.lower().startswith("my "):
                continue  # "I think my dad worries ...": the speaker's own words about him
            if subject.kind != "child" and _i_leads(blank[:start]):
                # "I support the Hornets and Len said he will take me": a report inside
                # the first person's own sentence; the first person owns it.
                continue
            if subject.kind == "child" and nonverbal and self._opens_clause(blank[:start]):
                how = "aac" if r.aac_words.search(text) else "nonverbal"
                return _voice(CHILD, how, speaker=subject)
            if nonverbal:
                continue  # a parent who "chose" or "put" is read by the view verbs
            if subject.kind == "child" and (verb in r.speech or verb in r.quote_only):
                return _voice(CHILD, form, speaker=subject)
            if subject.kind == "child" and verb in r.view and _WISH_QUOTE.match(text, end):
                # 'Sam wants to "be a vet"': the quotation is his words; without the
                # quotation marks ("Sam wants to be a vet") it is a description.
                return _voice(CHILD, "quote", speaker=subject)
            if subject.kind == "family" and subject.who == "parents":
                # "Bea and Femi said ...": both names are family from now on.
                _memory_of(self.ctx).learn_family(subject, tuple(self.ctx.child_names))
            if subject.kind == "family" or (
                subject.kind == "name" and self.where.family_names and self.names
            ):
                reading = self.as_voice(subject, form)
                if reading is not None and self._child_joins(blank[:start], subject):
                    reading = evolve(reading, with_child=True)
                return reading
            if subject.kind == "professional" and subject.who != "other" and professional is None:
                professional = Reading(
                    PRO, "professional_voice.reported", "reported", speaker=subject, candidate=True
                )
        return professional

    def _child_joins(self, pre: str, subject: Speaker) -> bool:
        """Whether the child is named with the family subject ("Sam and his mum said").

        Why: "..., which she and her mum told us is the scariest part" is the
        child's report as much as the parents'; the subject read is only the
        words next to the verb ("his parents").
        """
        before = pre.rstrip()
        if not subject.text or not before.endswith(subject.text):
            return False
        m = _JOINED.search(before[: -len(subject.text)])
        if m is None:
            return False
        word = m.group(1)
        pronouns = _memory_of(self.ctx).child_pronouns(self.ctx, self.text)
        return word in self.names or (word.lower() in {"he", "she"} and word.lower() in pronouns)

    def _view_noun(self, text: str) -> Reading | None:
        """ "Mum's biggest worry is ...": a family member's view told as a noun, not a verb."""
        m = self.r.view_noun.match(text)
        if m is None:
            return None
        subject = self.classify(_WORD.findall(m.group("who") or m.group("who2") or ""))
        if subject.kind == "pronoun":
            subject = self.resolve(subject, _NONE)
        if subject.kind == "family" and not subject.text.lower().startswith("my "):
            form = "quote" if _blank_quotes(text) is not text else "reported"
            return self.as_voice(subject, form)
        return None

    def _opens_clause(self, pre: str) -> bool:
        """Whether the words before a verb are only its subject ("Sam", "and she", "then Sam").

        "The words Sam chose on his device" and "activities she chooses" put
        the child's choice inside a noun phrase: a description, not a view.
        """
        lead = self.r.complement_lead.search(pre)
        if lead is not None:
            pre = pre[lead.end() :]  # "Mrs Lo noted that Sam placed ...": the clause after "that"
        tokens = _WORD.findall(pre[-160:])
        clause = tokens[_clause_start(tokens) :]
        while clause and clause[0].lower() in _CONJ | _SUBORD:
            clause = clause[1:]
        if clause and clause[0].lower() in _FRONTED_PREPOSITIONS:
            # "On his symbol board Sam picked ...": a short phrase of place or time first
            after = self._after_fronted_phrase(clause)
            clause = clause[after:] if after else clause
        r = self.r
        if len(clause) > 1 and clause[-1].lower() in _CONJ:
            # "Wilf covered his face with both hands and shook his head": a second verb
            # sharing the clause's subject, when the clause opens with that subject
            return _np_word(clause[0], r, leading=True) or clause[0].lower() in r.subject_pronouns
        return all(
            _np_word(t, r, leading=i == 0)
            or t.lower() in r.fillers
            or t.lower() in r.subject_pronouns
            for i, t in enumerate(clause)
        )

    def _attributed(self, text: str) -> Reading | None:
        """ "According to his mum, ..." / "In Sam's words, ...": the named person's view."""
        m = self.r.attributed.match(text)
        if not m:
            return None
        phrase = m.group("who") or m.group("whose")
        tokens = _WORD.findall(phrase)
        if len(tokens) == 1 and tokens[0].lower() in _POSSESSIVE_PRONOUNS:
            subject = Speaker("pronoun", "", _POSSESSIVE_PRONOUNS[tokens[0].lower()], tokens[0])
        else:
            subject = self.classify(tokens)
        if subject.kind == "pronoun":
            subject = self.resolve(subject, _NONE)
        form = "quote" if _blank_quotes(text) is not text else "reported"
        if subject.kind == "child":
            return _voice(CHILD, form, speaker=subject)
        if subject.kind == "family" or (
            subject.kind == "name" and self.where.family_names and self.names
        ):
            who = subject.who if subject.kind == "family" else "parent"
            return _voice(PARENT, form, who, speaker=Speaker("family", who, subject.gender))
        return None

    def _wish(self, text: str) -> Reading | None:
        """ "At Mum's request, ...", "as Dad wished": a parent's view the plan acted on."""
        m = self.r.family_wish.search(_blank_quotes(text))
        if not m:
            return None
        subject = self.classify(_WORD.findall(m.group("who") or m.group("who2") or ""))
        if subject.kind != "family":
            return None
        return _voice(PARENT, "reported", subject.who, speaker=subject)

    def _you_said(self, text: str) -> Reading | None:
        m = self.r.you_said.search(text.lstrip())
        if not m:
            return None
        vocative = m.group("vocative")
        age = self.ctx.age
        if (vocative and vocative in self.name_parts) or (age is not None and age >= 16):
            return _voice(CHILD, "you_said")
        return _voice(PARENT, "you_said", "parents")

    def _first_person(self, text: str) -> Reading | None:
        r, where = self.r, self.where
        blank = _blank_quotes(text)
        probe = _TITLE_MY.sub("  ", r.not_i.sub(" ", blank))
        singular = bool(r.first_person.search(probe))
        plural = bool(r.first_plural.search(blank))
        if not singular and not plural:
            return None
        if self.advice:
            return Reading(PRO, "professional_voice.advice", "first_person")
        if r.professional_marker.search(probe):
            return Reading(PRO, "professional_voice.marker", "first_person")
        scope = self.scope.kind
        if scope == "professional":
            return Reading(PRO, "professional_voice.scope", "first_person")
        if where.provision and r.service_will.search(text):
            if scope == "family" or (plural and r.family_will.search(text)):
                return _voice(PARENT, "first_person", self._scope_who(), fp="strong")
            if not singular or r.practice.search(text):
                return Reading(PRO, "professional_voice.service", "service")
        views = where.views or scope in {"child", "family"}
        if not views and where.section not in r.first_person_sections:
            return None
        if r.parent_marker.search(text):
            return _voice(PARENT, "first_person", _who_from_marker(text, r), fp="strong")
        own = scope == "child" or where.child_label
        visit = self.visit.search(text) if self.visit is not None else None
        if (
            not own
            and ((r.practice.search(text) and not r.self_written.search(text)) or visit is not None)
        ) or self._visits_child(visit):
            return Reading(PRO, "professional_voice.practice", "first_person", candidate=True)
        family = (
            where.family_label
            or scope == "family"
            or (plural and _SENTENCE_END.search(text) is not None and self.family_writes)
        )
        family_we = where.views or where.section in r.family_we_sections
        if plural and (family or (family_we and r.parent_we.search(text))):
            return _voice(PARENT, "first_person", self._scope_who(), fp="strong")
        if not singular:
            return None
        if family and not r.own_parents.search(probe):
            return _voice(PARENT, "first_person", self._scope_who(), fp="strong")
        about = "" if own else self._about_child(_OWN_WORDS.sub(" ", probe))
        if not views and about:
            return None  # "I will check in with Sam": a worker's or a parent's, unsaid which
        adult = self.ctx.age is not None and self.ctx.age >= 16
        if about == "weak" and adult and self.previous.kind == "family":
            adult = False  # "As his mum, I ... ." then "I am proud of him": still the mum
        if about == "strong" or (about == "weak" and not adult):
            # The speaker talks about the child ("I am proud of him"): a parent.
            # A young person of 16 or over talking about someone else is still themself.
            return _voice(PARENT, "first_person", "parent", fp=about)
        return _voice(CHILD, "first_person", fp="plain")

    def _visits_child(self, visit: re.Match[str] | None) -> bool:
        """ "I met Sam in the library": whoever met the child by name is not the child.

        Why: under a label as loose as "Views" the first person is taken for the
        child's own, but nobody writes their own name as the one they met.
        """
        return (
            visit is not None
            and self.mention is not None
            and bool(self.mention.search(visit.group(0)))
        )

    def _scope_who(self) -> str:
        scope = self.scope
        return scope.who if scope.kind == "family" and scope.who else "parents"

    def _about_child(self, text: str) -> str:
        """Whether a first-person sentence talks *about* the child: by name, or by pronoun."""
        if self.mention is not None:
            probe = self.intro.sub(" ", text) if self.intro is not None else text
            probe = _VOCATIVE.sub(" ", probe)
            if self.mention.search(probe):
                return "strong"
        m = self.r.third_person.search(text)
        if m and not self.r.person_nouns.search(text, 0, m.start()):
            return "weak"
        return ""

    def _third_person(self, text: str, labels: frozenset[str]) -> Reading:
        where = self.where
        if where.provision and "SERVICE" in labels and self.r.service_will.search(text):
            return Reading(PRO, "professional_voice.service", "service")
        form = self.family_words if where.views else ""
        if not form and _US.search(text) and self.family_writes:
            form = "continuation"  # "she makes us crawl in after her", in the family's part
        if form and self._about_the_child(text):
            return _voice(PARENT, form, self._scope_who(), fp="strong")
        if where.describe and self._about_the_child(text):
            return Reading(PRO, "professional_voice.third_person", "third_person")
        return _NOTHING

    def _about_the_child(self, text: str) -> bool:
        """Whether the sentence's subject is the child, named or by pronoun."""
        main = self.main_subject(_blank_quotes(text))
        return main.kind == "child" or (
            main.kind == "pronoun" and self.resolve(main, _NONE).kind == "child"
        )


def _starts_with_pronoun(text: str, r: _Rules) -> bool:
    first = text.split(None, 1)[0].lower() if text.strip() else ""
    return first in r.subject_pronouns


def _i_leads(pre: str) -> bool:
    """Whether the clause before a verb belongs to a sentence whose subject is "I"."""
    tokens = _WORD.findall(pre[:200])
    if tokens and tokens[0].lower() in _FRONTED and "," in tokens[:20]:
        tokens = tokens[tokens.index(",") + 1 :]
    return bool(tokens) and tokens[0] == "I" and "and" in (t.lower() for t in tokens)


def _clause_start(tokens: Sequence[str]) -> int:
    """Index just after the last clause-breaking punctuation mark.

    A short quotation after a determiner names a thing ('Sam held up the
    "stop" card and said ...'): its marks do not break the clause, so the
    clause still starts at Sam.
    """
    start = 0
    named = _named_quote_marks(tokens)
    for i, t in enumerate(tokens):
        if t in _CLAUSE_BREAKS and i not in named:
            start = i + 1
    return start


def _named_quote_marks(tokens: Sequence[str]) -> frozenset[int]:
    """Positions of the marks round a quotation used as a name ('the "wait" symbol')."""
    marks: set[int] = set()
    for i, t in enumerate(tokens):
        if t not in _QUOTE_MARKS or i == 0 or tokens[i - 1].lower() not in _DETERMINERS:
            continue
        close = next(
            (k for k in range(i + 1, min(len(tokens), i + 6)) if tokens[k] in _QUOTE_MARKS), None
        )
        # a word after the closing mark: the quotation qualifies a noun ('"stop" card')
        if close is not None and close + 1 < len(tokens) and tokens[close + 1][:1].isalpha():
            marks.update((i, close))
    return frozenset(marks)


def _without_asides(tokens: Sequence[str]) -> list[str]:
    """The tokens outside closed brackets: "his sister ( aged 8 ) and" -> "his sister and"."""
    kept: list[str] = []
    held: list[str] = []
    for t in tokens:
        if t == "(":
            kept += held
            held = [t]
        elif held:
            held.append(t)
            if t == ")":
                held = []
        else:
            kept.append(t)
    return kept + held


def _unpossessed(word: str) -> str:
    """A word without its possessive ending ("Toby's" -> "Toby", "parents'" -> "parents")."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("'", "’")):
        return word[:-1]
    return word


def _is_possessive(word: str) -> bool:
    return word.endswith(("'s", "’s", "s'", "s’"))


def _is_negator(token: str, r: _Rules) -> bool:
    low = token.lower()
    return low in r.negators or low.endswith(("n't", "n’t"))


def _first_name(words: Sequence[str]) -> str:
    """A parent's first name from their words in the details ("" where none is given).

    "Dana" and "Dana Price" give "Dana"; "Ms Greer Ashcroft" gives "Greer" (the
    title is skipped); "Ms Ashcroft" gives none: a title and a surname only.
    """
    titles = rules().titles
    bare = [
        w
        for w in words
        if w.lower().strip(".") not in titles and w.lower() not in {"and", "&"} and w[:1].isalpha()
    ]
    if not bare or (len(bare) == 1 and len(bare) < len(words)):
        return ""
    return bare[0]


def _np_word(token: str, r: _Rules, leading: bool = False) -> bool:
    """Whether a token can be part of a subject noun phrase."""
    if token in _PUNCT:
        return False
    low = _unpossessed(token.lower()).strip(".")
    if low in {"and", "&"} or low in r.titles or low in r.role_words:
        return True
    if leading and low in _DETERMINERS | {"both"}:
        return True
    if leading and low.endswith("ed") and low in r.speech | r.view:
        # "Asked 'What worries you?' she wrote ...": a speech verb's past opens a clause
        # whose subject comes later; it is nobody's name.
        return False
    if token[:1].isupper() and (low not in r.not_names or (leading and low not in _FRONTED)):
        return low not in {"i", "we", "you", "it", "this", "that", "there"}
    return _is_possessive(token)


def _comma_pieces(tokens: Sequence[str]) -> list[list[str]]:
    pieces: list[list[str]] = [[]]
    for t in tokens:
        if t == ",":
            if pieces[-1]:
                pieces.append([])
        else:
            pieces[-1].append(t)
    return [p for p in pieces if p]


def _who_from_marker(text: str, r: _Rules) -> str:
    if _OUR.search(text):
        return "parents"
    m = _AS_HIS.search(text)
    if m:
        role = r.roles.get(m.group(1).lower())
        if role is not None and role.category == "family":
            return role.who
    return "parent"


# --------------------------------------------------------------------------
# Paragraph pass: sentences with no marker of their own
# --------------------------------------------------------------------------


def _settle(
    units_: Sequence[Unit],
    readings: list[Reading],
    where: Where,
    mention: re.Pattern[str] | None = None,
) -> list[Reading]:
    """Decide weak first-person readings and carry a paragraph's voice to unmarked sentences.

    A first-person sentence that mentions "him" or "her" is someone talking
    about the child, unless the paragraph is the child's own ("I love my dad.
    He takes me fishing."). A sentence with no marker of its own, in a
    paragraph whose first-person sentences are all one voice, is that voice:
    "We are proud of Nia. She never gives up." is all the parents'. A
    sentence naming the child (``mention``) is never the child's own
    continuation: "Sam made a drawing with Mrs Lo." beside his quoted words
    is the writer's. Where every first-person sentence holds a quotation, the
    writer is quoting someone and the rest is the writer's: "Parents did not
    attend the observation." beside the mother's quoted answers.
    """
    if not where.views or not any(x.fp for x in readings):
        return readings
    out = list(readings)
    paragraphs: dict[int, list[int]] = {}
    for i, u in enumerate(units_):
        paragraphs.setdefault(u.para, []).append(i)
    for idx in paragraphs.values():
        fp_at = [(i, out[i]) for i in idx if out[i].fp]
        fps = [x for _, x in fp_at]
        if not fps:
            continue
        strong_parent = any(x.kind == PARENT and x.fp in {"strong", "quote"} for x in fps)
        seen_child = False
        for i in idx:
            x = out[i]
            if x.fp == "weak" and seen_child and not strong_parent:
                out[i] = _voice(CHILD, "first_person", fp="plain")
            elif x.fp == "plain" and x.kind == CHILD and strong_parent:
                out[i] = _voice(PARENT, "first_person", _para_who(out, idx), fp="strong")
            seen_child = seen_child or (out[i].kind == CHILD and out[i].fp == "plain")
        if all(x.fp == "quote" for x in fps):
            continue  # "Dad said: '...'" then "He gave his views by phone": the writer again
        kinds = {out[i].kind for i in idx if out[i].kind}
        if len(kinds) != 1 or not kinds <= {CHILD, PARENT}:
            continue
        kind = kinds.pop()
        if kind == PARENT and all(_QUOTED.search(units_[i].text) for i, _ in fp_at):
            continue  # the parents' answers quoted one by one: the rest is the writer's
        who = _para_who(out, idx) if kind == PARENT else ""
        writer = rules().writer_line
        for i in idx:
            text = units_[i].text
            named = kind == CHILD and mention is not None and mention.search(text) is not None
            if not out[i].kind and not _is_label(text) and not writer.match(text) and not named:
                out[i] = evolve(_voice(kind, "continuation", who), candidate=False)
    return out


def _para_who(readings: Sequence[Reading], idx: Sequence[int]) -> str:
    for i in idx:
        if readings[i].kind == PARENT and readings[i].who not in {"", "parent"}:
            return readings[i].who
    return "parent"


def _label_key(text: str) -> str:
    """A line folded for comparison with the heading list ("A6 My strengths:" -> "my strengths")."""
    return _CODE.sub("", " ".join(text.lower().split())).rstrip(":. ")


def _heading_key(text: str) -> str:
    """The heading a line is, without a trailing aside ("What my family say (with ...)")."""
    key = _label_key(text)
    return key.split(" (", 1)[0] if key.endswith(")") else key


def _owned_by_me(key: str, names: Sequence[str]) -> str:
    """A heading key in the template's first-person form: "sam's history" -> "my history".

    Why: templates title the same part "My history" or "Sam's history"; the
    heading list holds the first form, and the second ends a label's scope
    just as surely.
    """
    for name in names:
        folded = name.lower()
        for mark in ("'s ", "’s "):
            if key.startswith(folded + mark):
                return "my " + key[len(folded) + len(mark) :]
    return key


def _label_sized(doc: Doc) -> bool:
    """Whether a block is short enough to be a label line: a few words, or a longer line
    closed by a colon ("Our views (written by Odile and Rafferty, Saoirse's mum and dad):")."""
    return len(doc) <= 14 or (len(doc) <= 30 and doc[-1].text.endswith(":"))


def _is_label(text: str) -> bool:
    return text.endswith(":") or (len(text) <= 80 and _heading_key(text) in rules().headings)


# --------------------------------------------------------------------------
# Views methods and prompts
# --------------------------------------------------------------------------


def _prompt_about(text: str, where: Where, ctx: BlockContext) -> str:
    r = rules()
    probe = " ".join((ctx.subsection, ctx.row_label, text))
    if where.family_label or r.prompt_family.search(probe):
        return "family_views"
    if where.child_label or r.prompt_child.search(probe):
        return "child_views"
    return "views"


#: The child's views in these forms came through a method: their words reported or
#: quoted, or a sign, symbol or device they used ("signed 'more' in Makaton").
_EXPRESSED_FORMS = frozenset({"reported", "quote", "nonverbal", "aac"})


def _method_order() -> Mapping[str, int]:
    return {name: i for i, (name, _) in enumerate(rules().methods)}


def build_matcher(nlp: Language) -> tuple[PhraseMatcher, dict[int, tuple[str, str]]]:
    """One phrase matcher for every word the rules start from, and what each match id means.

    One pass of spaCy's PhraseMatcher over a block finds every verb of
    speech, first-person word, method and so on at once; the regular
    expressions then run only on the few sentences that hold one.
    """
    r = rules()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    label_of: dict[int, tuple[str, str]] = {}

    def add(key: str, label: str, name: str, phrases: Iterable[str]) -> None:
        docs = [nlp.make_doc(p) for p in sorted({" ".join(p.split()) for p in phrases}) if p]
        matcher.add(key, docs)
        label_of[nlp.vocab.strings[key]] = (label, name)

    add("VOICE_VERB", "VERB", "", r.speech | r.view | r.quote_only | r.nonverbal)
    add("VOICE_QUOTE", "QUOTE", "", ['"', "“", "”", "‘", "'"])
    add("VOICE_FP", "FP", "", _FIRST_PERSON_WORDS)
    add("VOICE_YOU", "YOU", "", ["you"])
    add("VOICE_ATTRIB", "ATTRIB", "", ["according to", "words", "request", "wished", "wish"])
    add("VOICE_SERVICE", "SERVICE", "", ["will", "shall", "aim to", "going to", "'ll", "’ll"])
    add("VOICE_GATHER", "GATHER", "", r.gathering)
    add("VOICE_ROLE", "ROLE", "", (p for p, role in r.roles.items() if role.who != "organisation"))
    add("VOICE_PROMPT", "PROMPT", "", ["[", "<", "«", "{"])
    for name, phrases in r.methods:
        add(f"VOICE_METHOD_{name}", "METHOD", name, phrases)
    return matcher, label_of


# --------------------------------------------------------------------------
# Trained-model refinement
# --------------------------------------------------------------------------

#: Parses a batch of sentences: a trained pipeline's ``pipe``.
Parser = Callable[[list[str]], Iterable[Doc]]


def check_model(name: str) -> None:
    """Refuse, before any plan is read, a model name that is not installed."""
    import spacy.util

    if spacy.util.is_package(name) or Path(name).is_dir():
        return
    raise ConfigError(
        f"the spaCy model {name!r} is not installed; install it with pip "
        "(ehcp-audit never downloads models), or run without --model"
    )


def load_parser(name: str) -> Parser:
    """Load an installed spaCy pipeline for its parser; never download one."""
    import spacy

    try:
        model = spacy.load(name, exclude=["ner", "lemmatizer"])
    except (OSError, ImportError, ValueError) as exc:
        raise ConfigError(
            f"the spaCy model {name!r} could not be loaded ({type(exc).__name__}); "
            "check that it is installed, or run without --model"
        ) from None
    if "parser" not in model.pipe_names:
        raise ConfigError(f"the spaCy model {name!r} has no dependency parser")
    return lambda texts: model.pipe(texts)


def refine(reader: _Reader, reading: Reading, parsed: Doc) -> Reading:
    """Sharpen a rule reading with a dependency parse of the same sentence.

    The parse answers by grammar what the rules answer by word position: who
    is the subject of the speech verb (the child, a parent, a teacher), and
    whether "I" is the subject of a professional's verb ("I observed",
    "I assessed"). Where the parse gives no clear answer the rule reading
    stands, so a poor parse can only leave a cue as the rules made it.
    """
    r = rules()
    for token in parsed:
        subjects = [c for c in token.children if c.dep_ in _SUBJECT_DEPS]
        if not subjects and token.dep_ == "conj":
            subjects = [c for c in token.head.children if c.dep_ in _SUBJECT_DEPS]
        if not subjects:
            continue
        subject = subjects[0]
        low = token.lower_
        if subject.lower_ == "i" and reading.kind != PARENT and r.practice.match(f"i {low}"):
            return Reading(PRO, "professional_voice.practice", "first_person", parsed=True)
        phrase = _phrase(token, low, r)
        if not phrase or subject.dep_ == "nsubjpass":
            continue
        if any(c.dep_ == "neg" for c in token.children) or any(
            c.dep_ == "aux" and c.lower_ in r.modals for c in token.children
        ):
            continue
        speaker = reader.classify([t.text for t in subject.subtree])
        if speaker.kind == "pronoun":
            continue  # who a pronoun stands for is the rules' call (they saw the sentence before)
        form = reading.form if reading.form in {"quote", "reported"} else "reported"
        if speaker.kind == "child" and phrase in r.speech:
            return evolve(_voice(CHILD, form), parsed=True)
        if speaker.kind == "family" or (
            speaker.kind == "name" and reader.where.family_names and reader.names
        ):
            who = speaker.who if speaker.kind == "family" else "parent"
            return evolve(_voice(PARENT, form, who), parsed=True)
        if speaker.kind == "professional" and reading.kind in {CHILD, PARENT}:
            return Reading(PRO, "professional_voice.reported", "reported", parsed=True)
    return reading


def _phrase(token: Any, low: str, r: _Rules) -> str:
    """The listed verb phrase a token heads ("asked for", "would like"), or ""."""
    doc = token.doc
    nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
    prev = doc[token.i - 1].lower_ if token.i > 0 else ""
    for candidate in (f"{low} {nxt}", f"{prev} {low}", low):
        if candidate in r.speech or candidate in r.view:
            return candidate
    return ""


# --------------------------------------------------------------------------
# The component
# --------------------------------------------------------------------------


class VoiceComponent:
    """The ``ehcp_voice`` pipeline component (see the module docstring).

    ``parser`` stands in for a trained pipeline's ``pipe`` (tests pass a
    fake one); with ``refine_model`` and no ``parser`` the model is checked
    now and loaded on first use.
    """

    def __init__(
        self, nlp: Language, refine_model: str | None = None, parser: Parser | None = None
    ) -> None:
        self.matcher, self.label_of = build_matcher(nlp)
        self.refine_model = refine_model
        self._parser = parser
        if refine_model and parser is None:
            check_model(refine_model)

    @property
    def parser(self) -> Parser | None:
        """The trained pipeline's parser, loaded on first use and kept."""
        if self.refine_model and self._parser is None:
            self._parser = load_parser(self.refine_model)
        return self._parser

    def __call__(self, doc: Doc) -> Doc:
        ctx = context_of(doc)
        if ctx.is_heading or len(doc) == 0:
            return doc
        where = where_of(ctx.section, ctx.subsection, ctx.row_label, ctx.column_label)
        if ctx.is_placeholder:
            if where.views:
                self._prompt(doc, doc_text(doc), where, ctx)
            return doc
        names = tuple(ctx.child_names)
        memory = _memory_of(ctx)
        if _label_sized(doc) and memory.heard_label(ctx, doc_text(doc)):
            return doc
        if _label_sized(doc) and is_details_label(doc_text(doc)):
            return doc  # "My name" in a details table: a form's label, not the child speaking
        memory.child_pronouns(ctx, doc_text(doc))  # every block naming the child votes
        if ctx.row_label:
            memory.row_labelled(ctx, doc_text(doc))
        memory.note_short(doc, doc_text(doc))
        if where.trigger is None and not ctx.row_label:
            trigger = memory.label_scope(ctx, doc_text(doc))
            own = trigger is not None and trigger.rule.category == "child"
            where = evolve(where, trigger=trigger, family_label=where.family_label and not own)
        matches = self.matcher(doc)
        labels = {self.label_of[m][0] for m, _, _ in matches}
        windows = self._appositions(doc, matches) if where.learn and "ROLE" in labels else []
        # Third person is worth reading under a first-person child label, and where the
        # family has the block (a label giving it them, or the plan saying they wrote it).
        whole = where.describe or (
            where.views
            and (
                (where.trigger is not None and where.trigger.rule.third_person)
                or memory.family_wrote(ctx.section)
            )
        )
        if not (labels & where.wanted or whole or windows):
            memory.set_last(names, ctx.section, (doc, None))
            self._list_item(doc, ctx, where, ())
            return doc  # nothing to read
        text = doc_text(doc)
        for start, end in windows:
            memory.learn(text[start:end], names)
        if not (labels & where.wanted or whole):
            memory.set_last(names, ctx.section, (doc, None))
            self._list_item(doc, ctx, where, ())
            return doc
        readings, sentences, found = self._read(doc, text, ctx, where, matches)
        self._emit(doc, sentences, readings, found, where, ctx)
        self._list_item(doc, ctx, where, readings)
        return doc

    def _list_item(
        self, doc: Doc, ctx: BlockContext, where: Where, readings: Sequence[Reading]
    ) -> None:
        """A short unmarked item after a run of the child's own short items is the child's.

        Why: a one-page profile saved one item a block (a list in a Markdown
        or text export) runs "I like the climbing frame.", "My cousin and my
        gran.", then "Not having to eat in the big hall.": the
        child's list, as :meth:`_Reader.listed` reads one inside a block. Only
        after at least two such items under the same heading, and never an
        item naming the child or saying "he"/"she" (a writer's note).
        """
        memory = _memory_of(ctx)
        text = doc_text(doc).strip()
        if not where.views or "\n" in text or len(readings) > 1:
            memory.items_end()
            return
        reading = readings[0] if readings else _NOTHING
        if reading.kind == CHILD and reading.form in {"first_person", "continuation"}:
            memory.item_heard(ctx)  # an item of the child's own, however long
            return
        if len(text.split()) > _LIST_ITEM_WORDS or not text[:1].isupper():
            memory.items_end()  # a long line, or the tail of a sentence a PDF line broke
            return
        mention = _child_patterns(tuple(ctx.child_names))[0]
        if (
            reading.kind
            or memory.item_run(ctx) < _LIST_ITEMS - 1
            or _HE.search(text)
            or _SHE.search(text)
            or (mention is not None and mention.search(text))
        ):
            memory.items_end()
            return
        start = len(doc_text(doc)) - len(doc_text(doc).lstrip())
        item = _voice(CHILD, "continuation")
        add_hit(doc, Hit(CHILD, start, start + len(text), item.rule, None, item.attributes()))
        memory.item_heard(ctx)

    def _appositions(
        self, doc: Doc, matches: Sequence[tuple[int, int, int]]
    ) -> list[tuple[int, int]]:
        """Character windows round role words in apposition ("his mum, Donna", "Ann (carer)")."""
        windows: list[tuple[int, int]] = []
        for match_id, s, e in matches:
            if self.label_of[match_id][0] != "ROLE":
                continue
            # up to six tokens back: "Jo Hart, supported self-advocacy worker"
            if (e < len(doc) and doc[e].text == ",") or any(
                doc[i].text in {",", "("} for i in range(max(0, s - 6), s)
            ):
                start = doc[max(0, s - 8)].idx
                end = doc[min(len(doc), e + 6) - 1]
                windows.append((start, end.idx + len(end.text)))
        return windows

    def _read(
        self,
        doc: Doc,
        text: str,
        ctx: BlockContext,
        where: Where,
        matches: Sequence[tuple[int, int, int]],
    ) -> tuple[list[Reading], list[Unit], list[Found]]:
        names = tuple(ctx.child_names)
        sentences = units(doc)
        found = _assign(matches, doc, sentences, self.label_of)
        memory = _memory_of(ctx)
        reader = _Reader(where, ctx, memory.cast(names), text)
        reader.state = memory.last(names, ctx.section)
        readings = [reader.read(u, f) for u, f in zip(sentences, found, strict=True)]
        memory.set_last(names, ctx.section, reader.state)
        settled = _settle(sentences, readings, where, reader.mention)
        readings = reader.signed_off(sentences, settled)
        readings = reader.listed(sentences, readings)
        if self.refine_model:
            readings = self._refine(reader, sentences, readings)
        return readings, sentences, found

    def readings(self, doc: Doc) -> list[tuple[Unit, Reading]]:
        """Every sentence of ``doc`` with its reading (for tests and debugging)."""
        ctx = context_of(doc)
        where = where_of(ctx.section, ctx.subsection, ctx.row_label, ctx.column_label)
        readings, sentences, _ = self._read(doc, doc_text(doc), ctx, where, self.matcher(doc))
        return list(zip(sentences, readings, strict=True))

    def _refine(
        self, reader: _Reader, sentences: Sequence[Unit], readings: list[Reading]
    ) -> list[Reading]:
        todo = [i for i, x in enumerate(readings) if x.candidate]
        parser = self.parser if todo else None
        if parser is None:
            return readings
        out = list(readings)
        for i, parsed in zip(todo, parser([sentences[i].text for i in todo]), strict=True):
            out[i] = refine(reader, readings[i], parsed)
        return out

    def _emit(
        self,
        doc: Doc,
        sentences: Sequence[Unit],
        readings: Sequence[Reading],
        found: Sequence[Found],
        where: Where,
        ctx: BlockContext,
    ) -> None:
        for u, x in zip(sentences, readings, strict=True):
            if x.kind == PROMPT:
                about = {"about": _prompt_about(u.text, where, ctx)}
                add_hit(doc, Hit(PROMPT, u.start, u.end, x.rule, None, about))
            elif x.kind:
                add_hit(doc, Hit(x.kind, u.start, u.end, x.rule, None, x.attributes()))
                if x.with_child:
                    joint = {"form": x.form}
                    add_hit(doc, Hit(CHILD, u.start, u.end, "child_voice.joint", None, joint))
        if not where.methods:
            return
        order = _method_order()
        gathering_para = -1
        for u, x, f in zip(sentences, readings, found, strict=True):
            # A method counts where the sentence is about giving views: it says
            # so, it reports the child's words, it sits under "How my views were
            # gathered", or an earlier sentence of its paragraph said so.
            about_views = "GATHER" in f.labels
            if about_views:
                gathering_para = u.para
            if not f.methods or rules().guidance.search(u.text) or rules().not_used.search(u.text):
                continue
            if (
                about_views
                or where.gathering
                or (x.kind == CHILD and x.form in _EXPRESSED_FORMS)
                or u.para == gathering_para
                or not rules().views_only.isdisjoint(f.methods)
            ):
                methods = sorted(f.methods, key=order.__getitem__)
                attributes = {"method": methods[0], "methods": methods}
                add_hit(
                    doc, Hit(METHOD, u.start, u.end, f"views_method.{methods[0]}", None, attributes)
                )

    def _prompt(self, doc: Doc, text: str, where: Where, ctx: BlockContext) -> None:
        start = len(text) - len(text.lstrip())
        about = {"about": _prompt_about(text, where, ctx)}
        add_hit(
            doc, Hit(PROMPT, start, len(text.rstrip()), "template_prompt.placeholder", None, about)
        )


@Language.factory("ehcp_voice", default_config={"refine_model": None})
def make_voice(nlp: Language, name: str, refine_model: str | None) -> VoiceComponent:
    """spaCy factory: ``nlp.add_pipe("ehcp_voice", config={"refine_model": None})``."""
    return VoiceComponent(nlp, refine_model)
