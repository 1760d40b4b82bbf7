"""The ``ehcp_voice`` component: whose words each sentence carries.

Sentences run through real spaCy (a blank English pipeline, the sentencizer
and the component), with the block context set as ``extract_cues`` sets it.
The corpus checks read and sectionize the real corpus plans and run the
voice component over them, so they hold whatever the other components do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from nlp_support import hits
from spacy.language import Language
from spacy.tokens import Doc

from ehcp_audit import ConfigError
from ehcp_audit._evaluation import sentences_match
from ehcp_audit.nlp._context import BlockContext, Hit, ensure_extensions
from ehcp_audit.nlp._lexicon import load
from ehcp_audit.nlp.components import voice

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus_samples"
VOICE = ("child_voice", "parent_voice")


def make_nlp(**config: Any) -> Language:
    ensure_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ehcp_voice", config=config)
    return nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return make_nlp()


def context(
    section: str = "A",
    names: Sequence[str] = ("Sam",),
    subsection: str = "",
    row_label: str = "",
    age: int | None = 9,
    **extra: Any,
) -> BlockContext:
    return BlockContext(
        section=section,
        subsection=subsection,
        row_label=row_label,
        child_names=tuple(names),
        age=age,
        **extra,
    )


def run(nlp: Language, text: str, ctx: BlockContext | None = None) -> list[Hit]:
    return hits(nlp, text, ctx or context())


def kinds(hits: Iterable[Hit], text: str) -> list[tuple[str, str]]:
    """(kind, covered text) of every voice-like hit, in order."""
    return [
        (h.kind, text[h.start : h.end])
        for h in hits
        if h.kind in {*VOICE, "professional_voice", "template_prompt"}
    ]


def only(nlp: Language, text: str, ctx: BlockContext | None = None) -> Hit | None:
    """The one voice-like hit covering the whole of ``text``, or None."""
    hits = [h for h in run(nlp, text, ctx) if h.kind != "views_method"]
    assert len(hits) <= 1, hits
    if hits:
        assert text[hits[0].start : hits[0].end] == text.strip()
    return hits[0] if hits else None


# --------------------------------------------------------------------------
# The lexicon's own examples
# --------------------------------------------------------------------------


EXAMPLES = load("voice")["example"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_lexicon_examples(nlp: Language, example: dict[str, Any]) -> None:
    ctx_data = dict(example.get("context", {}))
    names = ctx_data.pop("names", ["Sam"])
    hit = only(nlp, example["text"], context(names=names, **ctx_data))
    if example["kind"] == "":
        assert hit is None or hit.kind not in VOICE
    else:
        assert hit is not None
        assert (hit.kind, hit.rule) == (example["kind"], example["rule"])


# --------------------------------------------------------------------------
# Child voice
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I like school when it is calm.",
        "My favourite lesson is art because I can draw cats.",
        "Give me time to think before I answer.",
        "Reading out loud in class is the worst thing. My heart goes really fast.",
        "My name is Sam and I am 8.",
    ],
)
def test_first_person_in_views_is_the_child(nlp: Language, text: str) -> None:
    hits = run(nlp, text)
    assert hits and all(h.kind == "child_voice" for h in hits)
    assert all(h.attributes["form"] == "first_person" for h in hits)


def test_first_person_outside_the_views_part_counts_but_not_in_advice(nlp: Language) -> None:
    # Issue 7: voice counts wherever it is (an "I" outcome, a "what I said" column);
    # section K and advice blocks stay a professional's first person.
    hit = only(nlp, "I like school when it is calm.", context(section="B"))
    assert hit is not None and hit.kind == "child_voice"
    assert all(h.kind not in VOICE for h in run(nlp, "I like school.", context(section="K")))
    # A worker's "I will ... with Sam" in provision is nobody's voice we can name.
    assert all(
        h.kind not in VOICE
        for h in run(nlp, "I will check in with Sam every Monday.", context(section="F"))
    )


def test_first_person_under_a_views_row_label_anywhere(nlp: Language) -> None:
    hit = only(nlp, "I find reading hard.", context(section="B", row_label="My views"))
    assert hit is not None and hit.kind == "child_voice"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ('Sam said, "I hate the noisy hall."', "quote"),
        ('"I like maths," she told us.', "quote"),
        ('"I like the quiet room," said Sam.', "quote"),
        ("Sam told us he likes PE best.", "reported"),
        ("When asked about school, Sam said he likes PE best.", "reported"),
        ("Sam would like people to know that he is not being naughty.", "reported"),
        ("He let his teacher know, by choosing symbol cards, that he likes it.", "reported"),
        ("She has told staff that she feels lonely at lunchtime.", "reported"),
        ("Sam asked for the word naughty to be taken out of Section B.", "reported"),
        ("‘I like maths,’ said Sam.", "quote"),
        ("'I like maths,' said Sam.", "quote"),
        ('In Sam\'s words, school is "too noisy".', "quote"),
        ("The young person said that he wants to go to college.", "reported"),
        ("Sam indicated, by pointing, that he wanted the red car.", "reported"),
    ],
)
def test_reported_speech_and_quotes_anywhere(nlp: Language, text: str, form: str) -> None:
    hit = only(nlp, text, context(section="C"))
    assert hit is not None and hit.kind == "child_voice"
    assert hit.attributes == {"form": form}


@pytest.mark.parametrize(
    "text",
    [
        "Sam likes trains.",
        "Sam would like more friends.",
        "Sam wants a job in a café.",
        "Sam will tell an adult when he needs a break.",
        "Sam can say his name and address.",
        "Sam says very little in class.",
        "She always says hello to the café staff.",
        "Sam was asked about his views.",
        "Sam cannot yet tell us his views in sentences.",
        "Because of what Sam said, the meeting agreed to change the timetable.",
        "Jo wrote down Sam's words exactly as he said them.",
        "He may not realise someone is talking to him unless they say his name.",
    ],
)
def test_descriptions_and_traps_are_not_child_voice(nlp: Language, text: str) -> None:
    assert not [h for h in run(nlp, text) if h.kind in VOICE]


def test_a_quote_is_kept_whole_with_its_speaker(nlp: Language) -> None:
    text = '"I like it here. The teachers are kind," said Sam. Sam likes trains.'
    hits = run(nlp, text)
    assert kinds(hits, text) == [
        ("child_voice", '"I like it here. The teachers are kind," said Sam.')
    ]


def test_a_quoted_verb_belongs_to_the_quote_not_the_sentence(nlp: Language) -> None:
    text = 'Her teacher said, "Sam told me he was tired."'
    hit = only(nlp, text)
    assert hit is not None and hit.kind == "professional_voice"


def test_a_pronoun_after_the_child_is_the_child(nlp: Language) -> None:
    text = "Sam explained that the canteen hurts his ears. He says he would like to eat outside."
    assert [k for k, _ in kinds(run(nlp, text), text)] == ["child_voice", "child_voice"]


def test_the_child_talking_about_someone_else_stays_the_child(nlp: Language) -> None:
    text = "I love my dad. He takes me fishing."
    assert [k for k, _ in kinds(run(nlp, text), text)] == ["child_voice", "child_voice"]


# --------------------------------------------------------------------------
# Parent and carer voice
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Mum said she is happy with the nursery.", "mum"),
        ("Sam's parents feel that the school listens to them.", "parents"),
        ("His foster carer says he sleeps better now.", "carer"),
        ("Dad told us that mornings are the hardest time.", "dad"),
        ('Mum and Dad said, "We hope Sam will go to his local school."', "parents"),
        ("Her dad hopes she will live in a shared house.", "dad"),
        ("The health visitor reports that Mum has concerns about his sleep.", "mum"),
        ("Sam's grandmother, who is his main carer, said that he sleeps badly.", "grandparent"),
        ("According to his mum, Sam sleeps badly.", "mum"),
        ("Sam’s mum said ‘he never stops talking’.", "mum"),
    ],
)
def test_parent_attributed_speech(nlp: Language, text: str, who: str) -> None:
    hit = only(nlp, text, context(section="C"))
    assert hit is not None and hit.kind == "parent_voice"
    assert hit.attributes["who"] == who


def test_a_title_with_the_childs_surname_is_a_parent(nlp: Language) -> None:
    names = ("Amira Khan", "Amira", "Khan")
    hit = only(nlp, "Mr and Mrs Khan explained that mornings are hard.", context(names=names))
    assert hit is not None and hit.kind == "parent_voice"
    assert hit.attributes["who"] == "parents"
    hit = only(nlp, "Mrs Jones said that Amira works hard.", context(names=names))
    assert hit is not None and hit.kind == "professional_voice"


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("We are proud of how hard Sam works.", "parents"),
        ("As his mum, I know he works very hard at school.", "mum"),
        ("As Sam's dad, I want people to see him first.", "dad"),
        ("Our biggest worry is lunchtime.", "parents"),
        ("My son has always loved trains.", "parent"),
        ("I am proud of him, and I want people to see the boy I see.", "parent"),
    ],
)
def test_parent_first_person(nlp: Language, text: str, who: str) -> None:
    hit = only(nlp, text)
    assert hit is not None and hit.kind == "parent_voice"
    assert hit.attributes == {"form": "first_person", "who": who}


def test_first_person_under_a_family_label_is_the_parent(nlp: Language) -> None:
    hit = only(nlp, "I worry about the journey to school.", context(row_label="Parents' views"))
    assert hit is not None and hit.kind == "parent_voice"


def test_a_paragraph_in_a_parents_words_carries_its_voice(nlp: Language) -> None:
    text = "We are very proud of Nia. She has worked so hard and she never gives up."
    hits = run(nlp, text)
    assert [(h.kind, h.rule) for h in hits] == [
        ("parent_voice", "parent_voice.first_person"),
        ("parent_voice", "parent_voice.continuation"),
    ]


def test_a_pronoun_after_a_parent_stays_with_the_parent(nlp: Language) -> None:
    text = "Tariq said that Inaya's drawings are lovely. He would like school to use her art."
    hits = run(nlp, text, context(names=("Inaya",)))
    assert [h.kind for h in hits] == ["parent_voice", "parent_voice"]


def test_a_pronoun_resolves_across_blocks_of_one_plan() -> None:
    nlp = make_nlp()
    ctx = context(names=("Cal Whitfield", "Cal", "Whitfield"))
    run(nlp, "Donna said that the mentoring project has worked for Cal.", ctx)
    hits = run(nlp, "She would like college to keep the same staff around him.", ctx)
    assert [h.kind for h in hits] == ["parent_voice"]


def test_what_one_plan_introduced_is_not_known_in_the_next(nlp: Language) -> None:
    # Both plans are about a "Sam": memory lives in each plan's own plan_state.
    first_plan = context()
    run(nlp, "Her advocate, Jo Simmons, met Sam at school.", first_plan)
    said = "Jo said that Sam enjoys drama."
    assert [h.rule for h in run(nlp, said, first_plan)] == ["professional_voice.reported"]
    assert [h.rule for h in run(nlp, said, context())] == ["parent_voice.reported"]
    assert "ehcp_voice" in first_plan.plan_state


def test_the_previous_block_is_forgotten_with_its_plan(nlp: Language) -> None:
    first_plan = context(names=("Cal",))
    run(nlp, "Donna said that the mentoring project has worked for Cal.", first_plan)
    later = "She would like college to keep the same staff around him."
    assert [h.kind for h in run(nlp, later, first_plan)] == ["parent_voice"]
    assert run(nlp, later, context(names=("Cal",))) == []


@pytest.mark.parametrize(
    "text",
    [
        "Mum attended the meeting.",
        "Parents were given a copy of the professional reports.",
        "Mum did not return the parental views form.",
        "Mum agreed the draft by email with no changes.",
        "The family have not asked for a personal budget.",
        "His parents asked for an EHC needs assessment in May 2024.",
        "Tamsin and Osric gave their views by phone.",
        "At home, Sana and Tariq will practise key words with Inaya every evening.",
    ],
)
def test_facts_about_parents_are_not_parent_voice(nlp: Language, text: str) -> None:
    assert not [h for h in run(nlp, text, context(names=("Inaya", "Sam"))) if h.kind in VOICE]


def test_the_plan_remembers_who_people_are() -> None:
    nlp = make_nlp()
    ctx = context(names=("Megan Hughes", "Megan", "Hughes", "Meg"))
    run(nlp, "She worked with her advocate, Jo Simmons, from Voice Together.", ctx)
    hit = only(nlp, "Jo said some outcomes used words that Meg could not understand.", ctx)
    assert hit is not None and hit.kind == "professional_voice"
    hit = only(nlp, "Mr Hughes said the draft did not mention her medicine.", ctx)
    assert hit is not None and hit.kind == "parent_voice" and hit.attributes["who"] == "dad"


def test_an_unknown_first_name_in_section_a_is_family(nlp: Language) -> None:
    hit = only(nlp, "Tamsin said that weekends are the hardest times.", context(names=("Reuben",)))
    assert hit is not None and hit.kind == "parent_voice"
    assert run(nlp, "Tamsin said that weekends are hard.", context("F", names=("Reuben",))) == []


@pytest.mark.parametrize(
    ("text", "age", "kind"),
    [
        ("Sam, you said the hall is too loud, so you will eat in the library.", 9, "child_voice"),
        ("You said mornings are hard, so the taxi now comes at 8.15.", 9, "parent_voice"),
        ("You said mornings are hard, so the taxi now comes at 8.15.", 17, "child_voice"),
        ("You said, we did:", 9, None),
    ],
)
def test_you_said_we_did(nlp: Language, text: str, age: int, kind: str | None) -> None:
    hit = only(nlp, text, context(age=age))
    assert (hit.kind if hit else None) == kind


# --------------------------------------------------------------------------
# Professional voice
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ctx", "rule"),
    [
        ("I observed Sam in class on 3 May.", context(), "professional_voice.practice"),
        ("I administered the BAS-3.", context(), "professional_voice.practice"),
        (
            "When I visited Sam at home, he showed me his Lego.",
            context(),
            "professional_voice.practice",
        ),
        ("I have seen a real change in him.", context("K"), "professional_voice.advice"),
        ("We recommend a course of CBT.", context("K"), "professional_voice.advice"),
        (
            "Speech and language therapy advice\nI assessed Sam over two sessions.",
            context("B"),
            "professional_voice.advice",
        ),
        (
            "We will provide a differentiated curriculum.",
            context("F"),
            "professional_voice.service",
        ),
        ("The school will review the plan each term.", context("G"), "professional_voice.service"),
        ("We have added a mentor to Section F.", context(), "professional_voice.practice"),
        ("His college tutor said Sam is very able.", context(), "professional_voice.reported"),
    ],
)
def test_professional_voice(nlp: Language, text: str, ctx: BlockContext, rule: str) -> None:
    hits = [h for h in run(nlp, text, ctx) if h.kind != "views_method"]
    assert [h.rule for h in hits][-1:] == [rule]
    assert not [h for h in hits if h.kind in VOICE]


def test_third_person_under_a_first_person_heading(nlp: Language) -> None:
    text = "Sam enjoys school and likes his teaching assistant."
    hit = only(nlp, text, context(row_label="My views"))
    assert hit is not None and hit.rule == "professional_voice.third_person"
    assert only(nlp, text, context(row_label="Background and history")) is None


def test_a_parent_marker_beats_a_professional_verb(nlp: Language) -> None:
    hit = only(nlp, "As his mum, I have seen Cal go from strength to strength.")
    assert hit is not None and hit.kind == "parent_voice"


# --------------------------------------------------------------------------
# Views methods and template prompts
# --------------------------------------------------------------------------


def test_views_methods_where_views_are_gathered(nlp: Language) -> None:
    text = "Sam shared his views using Talking Mats and photographs of the school day."
    hits = [h for h in run(nlp, text) if h.kind == "views_method"]
    assert len(hits) == 1
    assert hits[0].attributes == {"method": "talking_mats", "methods": ["talking_mats", "photos"]}
    assert hits[0].rule == "views_method.talking_mats"


def test_a_method_in_the_childs_reported_words(nlp: Language) -> None:
    text = "Reuben told us, using his Makaton signs, that he likes the sand tray."
    hits = run(nlp, text, context(names=("Reuben",)))
    assert {h.kind for h in hits} == {"child_voice", "views_method"}


@pytest.mark.parametrize(
    ("text", "ctx"),
    [
        ("Use Makaton signs for key words and show him a picture.", context()),
        ("I love cats, drawing and Lego.", context()),
        ("Staff will be trained in Makaton.", context("F")),
        ("Include drawings, videos or sound recordings here:", context()),
    ],
)
def test_methods_named_in_passing_are_not_views_methods(
    nlp: Language, text: str, ctx: BlockContext
) -> None:
    assert not [h for h in run(nlp, text, ctx) if h.kind == "views_method"]


@pytest.mark.parametrize(
    ("text", "section", "methods"),
    [
        # the child leading part of the meeting with what they brought
        ("Sam led the first part of the meeting using his photos.", "K", ["photos"]),
        # an advice list's row for what the child chose to show
        ("Photos of Sam at the farm and the library, chosen by Sam", "K", ["photos"]),
        # how the views part was made, and with whom
        (
            "This part was put together by Sam with his advocate over two sessions.",
            "A",
            ["advocate"],
        ),
    ],
)
def test_methods_in_what_the_child_led_chose_or_put_together(
    nlp: Language, text: str, section: str, methods: list[str]
) -> None:
    hits = run(nlp, text, context(section, names=("Sam",)))
    assert [h.attributes["methods"] for h in hits if h.kind == "views_method"] == [methods]


def test_methods_under_a_gathering_heading(nlp: Language) -> None:
    ctx = context(subsection="How my views were gathered")
    hits = [h for h in run(nlp, "A visit with her advocate to the college café.", ctx)]
    assert [h.attributes["methods"] for h in hits if h.kind == "views_method"] == [
        ["visit", "advocate"]
    ]


def test_an_unfilled_placeholder_in_the_views_part(nlp: Language) -> None:
    text = "[Insert child's views here]"
    hits = run(nlp, text, context(is_placeholder=True))
    assert [(h.kind, h.rule, dict(h.attributes)) for h in hits] == [
        ("template_prompt", "template_prompt.placeholder", {"about": "child_views"})
    ]
    hits = run(nlp, "{{ parent_views }}", context(is_placeholder=True, subsection="Views"))
    assert hits[0].attributes == {"about": "family_views"}
    assert run(nlp, "{{ provision }}", context("F", is_placeholder=True)) == []


def test_headings_are_skipped(nlp: Language) -> None:
    assert run(nlp, "My views", context(is_heading=True)) == []
    assert run(nlp, "A6 My strengths") == []
    assert run(nlp, "What I Enjoy") == []


# --------------------------------------------------------------------------
# Sentences and offsets
# --------------------------------------------------------------------------


def test_hits_cover_whole_sentences_and_lines(nlp: Language) -> None:
    text = "Views\nI like swimming.\n- Give me time to answer\nSam likes trains."
    hits = run(nlp, text)
    assert [text[h.start : h.end] for h in hits] == [
        "I like swimming.",
        "Give me time to answer",
    ]


def test_a_section_letter_does_not_swallow_the_next_sentence(nlp: Language) -> None:
    text = "Joanne asked for Oakwood to be named in Section I. The panel decided otherwise."
    hits = run(nlp, text, context(names=("Ellie",)))
    assert [text[h.start : h.end] for h in hits] == [
        "Joanne asked for Oakwood to be named in Section I."
    ]


def test_works_without_a_sentencizer_or_a_context() -> None:
    ensure_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("ehcp_voice")
    doc = nlp("I like trains.")
    assert [h.kind for h in doc._.ehcp_hits] == []  # unknown section: first person is not voice
    doc = nlp("Sam likes trains. Sam's mum said she is happy.")
    # No sentence boundaries: the whole block is one sentence.
    assert [(h.kind, h.start, h.end) for h in doc._.ehcp_hits] == [
        ("parent_voice", 0, len(doc.text))
    ]


def test_empty_and_odd_texts(nlp: Language) -> None:
    for text in ["", "   ", "\n\n", "—", '"', "“I", "12 34", "[", "I"]:
        run(nlp, text)  # no exception


PIECES = [
    "I ",
    "my ",
    "we ",
    "said ",
    "Sam ",
    "Mum ",
    "told us ",
    "he ",
    "she ",
    "Mr ",
    "Section I. ",
    "According to ",
    "In his words, ",
    "you said ",
    "asked for ",
    "will ",
    "not ",
    ", ",
    ". ",
    "his mum, Donna, ",
    "(foster carer) ",
    "Talking Mats ",
    "views ",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "\n",
    "- ",
    "[Insert ",
    "] ",
    ": ",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.sampled_from(["A", "B", "F", "K", "other"]),
    st.sampled_from([(), ("Sam",), ("Sam Smith", "Sam", "Smith")]),
    st.sampled_from(["", "My views", "Parents' views", "How my views were gathered"]),
)
def test_any_text_gives_hits_inside_it(
    nlp: Language, text: str, section: str, names: tuple[str, ...], label: str
) -> None:
    for hit in run(nlp, text, context(section, names=names, row_label=label)):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == text[hit.start : hit.end].strip()


def test_a_malformed_lexicon_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    good = load("voice")
    broken = {**good, "verbs": {**good["verbs"], "speech": "said"}}
    monkeypatch.setattr(voice, "load", lambda name: broken)
    voice.rules.cache_clear()
    try:
        with pytest.raises(ConfigError, match="speech must be a list"):
            voice.rules()
        monkeypatch.setattr(
            voice, "load", lambda name: {k: v for k, v in good.items() if k != "people"}
        )
        voice.rules.cache_clear()
        with pytest.raises(ConfigError, match=r"missing table \[people\]"):
            voice.rules()
    finally:
        monkeypatch.undo()
        voice.rules.cache_clear()
    assert voice.rules().speech


# --------------------------------------------------------------------------
# Trained-model refinement
# --------------------------------------------------------------------------


class FakeParser:
    """Stands in for a trained pipeline's ``pipe``: returns hand-made parses."""

    def __init__(self, vocab: Any, parses: dict[str, tuple[list[str], list[int], list[str]]]):
        self.vocab = vocab
        self.parses = parses
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> Iterable[Doc]:
        for text in texts:
            self.seen.append(text)
            words, heads, deps = self.parses.get(text, (text.split(), [], []))
            if heads:
                yield Doc(self.vocab, words=words, heads=heads, deps=deps)
            else:
                yield Doc(self.vocab, words=words)


def test_refinement_parses_only_candidates_and_can_overrule_the_rules() -> None:
    ensure_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    sentence = "I observed that Sam said he was happy."
    parse = (
        ["I", "observed", "that", "Sam", "said", "he", "was", "happy", "."],
        [1, 1, 4, 4, 1, 6, 4, 6, 1],
        ["nsubj", "ROOT", "mark", "nsubj", "ccomp", "nsubj", "ccomp", "acomp", "punct"],
    )
    fake = FakeParser(nlp.vocab, {sentence: parse})
    component = voice.VoiceComponent(nlp, refine_model="fake", parser=fake)
    rules_only = voice.VoiceComponent(nlp)
    text = f"The weather was fine. {sentence}"
    for comp, expected in ((rules_only, "child_voice"), (component, "professional_voice")):
        doc = nlp(text)
        doc._.ehcp_context = context()
        comp(doc)
        assert [h.kind for h in doc._.ehcp_hits if h.kind != "views_method"] == [expected]
    assert fake.seen == [sentence]  # "The weather was fine." is no candidate: never parsed
    doc = nlp(sentence)
    doc._.ehcp_context = context()
    component(doc)
    assert doc._.ehcp_hits[0].attributes == {"form": "first_person", "parsed": True}


def test_refinement_keeps_the_rule_reading_when_the_parse_says_nothing() -> None:
    ensure_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    component = voice.VoiceComponent(nlp, refine_model="fake", parser=FakeParser(nlp.vocab, {}))
    doc = nlp("Sam told us he likes PE best.")
    doc._.ehcp_context = context()
    component(doc)
    assert [(h.kind, h.rule) for h in doc._.ehcp_hits] == [("child_voice", "child_voice.reported")]


def test_the_model_is_loaded_lazily_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    loads: list[str] = []

    def fake_load(name: str) -> voice.Parser:
        loads.append(name)
        return FakeParser(nlp.vocab, {})

    monkeypatch.setattr(voice, "check_model", lambda name: None)
    monkeypatch.setattr(voice, "load_parser", fake_load)
    component = voice.VoiceComponent(nlp, refine_model="some_model")
    assert loads == []
    for text in ["Sam likes trains.", "Sam said he likes it.", "Mum said so."]:
        doc = nlp(text)
        doc._.ehcp_context = context()
        component(doc)
    assert loads == ["some_model"]


def test_a_model_that_is_not_installed_is_refused() -> None:
    with pytest.raises(ConfigError, match="not installed"):
        make_nlp(refine_model="en_no_such_model_for_ehcp_tests")


def test_a_folder_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="could not be loaded"):
        voice.load_parser(str(tmp_path))


def test_with_an_installed_trained_pipeline() -> None:
    installed = [m for m in spacy.util.get_installed_models() if m.startswith("en_")]
    if not installed:
        pytest.skip("no trained English spaCy pipeline is installed (none is downloaded)")
    nlp = make_nlp(refine_model=installed[0])
    hits = run(nlp, "I observed that Sam said he was happy.")
    assert [h.kind for h in hits] == ["professional_voice"]


# --------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------


def corpus_figures() -> dict[str, list[int]]:
    from ehcp_audit._audit import load_bytes
    from ehcp_audit._labels import find_labelled_plans
    from ehcp_audit._placeholders import mark_placeholders
    from ehcp_audit.details import parse_details
    from ehcp_audit.nlp._pipeline import extract_cues
    from ehcp_audit.readers import read_bytes
    from ehcp_audit.sections import sectionize

    nlp = make_nlp()
    figures: dict[str, list[int]] = {}

    def add(name: str, hits: int, total: int) -> None:
        sums = figures.setdefault(name, [0, 0])
        sums[0] += hits
        sums[1] += total

    for labelled in find_labelled_plans(CORPUS):
        data, _ = load_bytes(labelled.plan_path)
        document = mark_placeholders(read_bytes(data))
        sectioning = sectionize(document)
        details = parse_details(document, sectioning)
        cues = extract_cues(sectioning.sections, details, nlp)
        labels = labelled.labels
        for kind in VOICE:
            if kind not in labels:
                continue
            found = [c.text for c in cues if c.kind == kind]
            matched = [s for s in labels[kind] if any(sentences_match(s, c) for c in found)]
            useful = [c for c in found if any(sentences_match(s, c) for s in labels[kind])]
            add(f"{kind}_recall", len(matched), len(labels[kind]))
            add(f"{kind}_precision", len(useful), len(found))
        if "voice_traps" in labels:
            voiced = [c.text for c in cues if c.kind in VOICE]
            caught = [
                t for t in labels["voice_traps"] if any(sentences_match(t, c) for c in voiced)
            ]
            add("voice_trap_fp_rate", len(caught), len(labels["voice_traps"]))
    return figures


@pytest.fixture(scope="module")
def figures() -> dict[str, list[int]]:
    return corpus_figures()


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("child_voice_recall", 0.9, 1.0),
        ("parent_voice_recall", 0.9, 1.0),
        ("child_voice_precision", 0.85, 1.0),
        ("parent_voice_precision", 0.85, 1.0),
        ("voice_trap_fp_rate", 0.0, 0.1),
    ],
)
def test_corpus_targets(figures: dict[str, list[int]], name: str, low: float, high: float) -> None:
    hits, total = figures[name]
    assert total > 0
    assert low <= hits / total <= high, f"{name} = {hits}/{total}"


def test_audit_reports_voice_cues_for_a_real_plan() -> None:
    import ehcp_audit

    result = ehcp_audit.audit(CORPUS / "p01.docx")
    by_kind: dict[str, list[str]] = {}
    for cue in result.cues:
        by_kind.setdefault(cue.kind, []).append(cue.text)
        if cue.kind in VOICE:
            block = result.document.blocks[cue.location.block]
            assert block.text[cue.location.start : cue.location.end] == cue.text
    assert (
        "I love cats, drawing, Lego and swimming with Dad on Saturdays." in by_kind["child_voice"]
    )
    assert any("As her mum, I know" in t for t in by_kind["parent_voice"])
    assert (
        "I observed Inaya in class and at lunchtime on 11 June 2025."
        in by_kind["professional_voice"]
    )
    methods = {m for c in result.cues if c.kind == "views_method" for m in c.attributes["methods"]}
    assert {"talking_mats", "drawing", "visit"} <= methods
    labels = json.loads((CORPUS / "p01.labels.json").read_text(encoding="utf-8"))
    for trap in labels["voice_traps"]:
        assert not any(sentences_match(trap, t) for k in VOICE for t in by_kind.get(k, []))


# --------------------------------------------------------------------------
# Parents by name, joint reporting, wishes acted on; method statements
# --------------------------------------------------------------------------


def parent_context(**extra: Any) -> BlockContext:
    """A plan whose child has a middle name shared with a parent's first name."""
    return context(
        names=("Nico Arlo Bennett", "Nico", "Arlo", "Bennett"),
        parent_names=("Rosa Delgado", "Rosa", "Arlo Bennett", "Arlo"),
        **extra,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Rosa thinks that Nico is happiest outdoors.",
        "Arlo believes the bus journey tires Nico out.",
        "Ms Delgado explained that evenings are the hardest time.",
    ],
)
def test_parent_named_by_first_name_or_surname(nlp: Language, text: str) -> None:
    hit = only(nlp, text, parent_context())
    assert hit is not None and hit.kind == "parent_voice"


def test_pronoun_after_a_named_parent_is_that_parent(nlp: Language) -> None:
    text = "Arlo (Dad) met the officer at the library. He said Nico is a brilliant builder."
    found = kinds(run(nlp, text, parent_context()), text)
    assert ("parent_voice", "He said Nico is a brilliant builder.") in found
    assert all(kind != "child_voice" for kind, _ in found)


def test_child_first_name_is_never_a_parent(nlp: Language) -> None:
    ctx = context(names=("Nico Bennett", "Nico"), parent_names=("Nico Bennett Sr", "Nico"))
    hit = only(nlp, "Nico said the hall is too loud.", ctx)
    assert hit is not None and hit.kind == "child_voice"


@pytest.mark.parametrize(
    "text",
    [
        "Mum wants a quieter room, while Dad would rather wait. Both agreed that it can wait.",
        "Both parents read the draft in June, and both told us they were content with it.",
    ],
)
def test_both_after_parents_is_the_parents(nlp: Language, text: str) -> None:
    hits = [h for h in run(nlp, text, parent_context()) if h.kind in VOICE]
    last = hits[-1]
    assert last.kind == "parent_voice" and last.attributes["who"] == "parents"
    assert text[last.start : last.end].startswith(("Both agreed", "Both parents"))


def test_both_without_parents_is_nobody(nlp: Language) -> None:
    text = "The therapist and the teacher met in May. Both agreed that the targets are right."
    assert not [h for h in run(nlp, text, parent_context()) if h.kind in VOICE]


@pytest.mark.parametrize(
    "text",
    [
        "At Dad's request, the review will be held after school.",
        "The group decided, as his mum wished, that swimming stays on Fridays.",
    ],
)
def test_a_parents_wish_acted_on_is_parent_voice(nlp: Language, text: str) -> None:
    hit = only(nlp, text, parent_context())
    assert hit is not None and hit.kind == "parent_voice"


def test_a_professionals_request_is_not_parent_voice(nlp: Language) -> None:
    hit = only(nlp, "At the therapist's request, the review moved to May.", parent_context())
    assert hit is None or hit.kind not in VOICE


@pytest.mark.parametrize(
    "text",
    [
        "Nico's views were gathered by his key worker using a my favourite things booklet.",
        "Dad's views were collected on the phone, and Mum's at a home visit.",
    ],
)
def test_how_views_were_gathered_is_not_voice(nlp: Language, text: str) -> None:
    hits = [h for h in run(nlp, text, parent_context()) if h.kind in VOICE]
    assert hits == []


@pytest.mark.parametrize(
    "text",
    [
        "She has started to say that she is no good at anything.",
        "He keeps saying that the bus is too loud.",
        "She often says that break time is lonely.",
    ],
)
def test_repeated_or_begun_speech_is_child_voice(nlp: Language, text: str) -> None:
    hit = only(nlp, text, context(section="B"))
    assert hit is not None and hit.kind == "child_voice"


def test_writing_the_views_oneself_is_the_childs_first_person(nlp: Language) -> None:
    hit = only(nlp, "I typed most of this page myself at home with my brother.")
    assert hit is not None and hit.kind == "child_voice"
    hit = only(nlp, "I wrote this report after two visits to the school.")
    assert hit is not None and hit.kind == "professional_voice"


@pytest.mark.parametrize(
    "text",
    [
        "Sam's older brother Leo said she always wants to play schools with him.",
        "Her best friend Ada told us that Sam is the funniest girl in the class.",
    ],
)
def test_a_brothers_or_friends_words_are_nobodys_voice(nlp: Language, text: str) -> None:
    """Neither the child's nor the parents': the rubric hears the child and the family."""
    kinds = {h.kind for h in run(nlp, text)}
    assert not kinds & {"child_voice", "parent_voice", "professional_voice"}


def test_the_child_talking_about_a_brother_is_still_the_childs_voice(nlp: Language) -> None:
    hits = [h.kind for h in run(nlp, "Sam told us her brother is annoying at bedtime.")]
    assert hits == ["child_voice"]


def test_a_parent_disagreeing_is_the_parents_view(nlp: Language) -> None:
    ctx = context("K", parent_names=("Dana Lee",))
    hit = only(nlp, "Dana disagrees that a special school is needed at this stage.", ctx)
    assert hit is not None and hit.kind == "parent_voice"
    professional = {h.kind for h in run(nlp, "The EP disagreed with the earlier diagnosis.", ctx)}
    assert not professional & {"child_voice", "parent_voice"}


def test_a_choice_after_a_short_fronted_phrase_is_the_childs(nlp: Language) -> None:
    text = "On her symbol board Sam picked the pictures for 'quiet room' and 'music'."
    hit = only(nlp, text)
    assert hit is not None and (hit.kind, hit.attributes["form"]) == ("child_voice", "aac")
