"""Speaker scope (``rules/lexicons/speakers.toml``) and the speakers the voice component names.

The rule file's own examples are checked here, so whoever edits a scope rule
sees at once what it captures. The component tests run real spaCy (a blank
English pipeline, the sentencizer and ``ehcp_voice``) with the block context
set as the pipeline sets it; each block shares one ``plan_state``, as the
blocks of one plan do, where a test needs what an earlier block taught.
"""

from __future__ import annotations

from typing import Any

import pytest
from nlp_support import blank_with, hits
from spacy.language import Language

from ehcp_audit._model import Block, BlockKind
from ehcp_audit.details import learnt_name
from ehcp_audit.nlp._context import BlockContext, Hit
from ehcp_audit.nlp._lexicon import load
from ehcp_audit.nlp.components._voice_scope import label_trigger, scope_rules, sentence_triggers

EXAMPLES = load("speakers").get("example", [])
VOICE = ("child_voice", "parent_voice")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return blank_with("ehcp_voice")


def ctx(**kw: Any) -> BlockContext:
    base: dict[str, Any] = {
        "section": "A",
        "child_names": ("Wilf Hartigan", "Wilf", "Hartigan"),
        "age": 9,
    }
    base.update(kw)
    return BlockContext(**base)


def voice(nlp: Language, text: str, context: BlockContext) -> list[Hit]:
    return [h for h in hits(nlp, text, context) if h.kind in (*VOICE, "professional_voice")]


def kind_of(nlp: Language, text: str, context: BlockContext) -> str:
    found = voice(nlp, text, context)
    return found[0].kind if found else ""


# --- the rule file --------------------------------------------------------------------


def test_every_rule_has_an_example() -> None:
    named = {e["rule"] for e in EXAMPLES}
    rules = scope_rules()
    assert {r.name for r in (*rules.labels, *rules.sentences)} <= named


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_rule_examples(example: dict[str, Any]) -> None:
    rules = {r.name: r for r in (*scope_rules().labels, *scope_rules().sentences)}
    rule = rules[example["rule"]]
    m = rule.pattern.search(example["text"])
    assert m is not None
    if example["who"]:
        groups = m.groupdict()
        assert (groups.get("who") or groups.get("who2") or "").strip(" ,") == example["who"]


def test_a_pseudo_trigger_blocks_a_label() -> None:
    assert label_trigger("Parents' evening notes") is None
    trigger = label_trigger("Mum's views")
    assert trigger is not None and trigger.who == "Mum"


def test_sentence_triggers_find_sign_offs_and_named_quotes() -> None:
    names = [t.rule.name for t in sentence_triggers("I like lorries. (Wilf, aged 9)")]
    assert "sign_off" in names
    found = sentence_triggers('Nell (gran): "He is always hungry."')
    assert found and found[0].who == "Nell" and found[0].role == "gran"


# --- scope in the component ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "text", "kind"),
    [
        ("School's views", "We feel Wilf needs firm routines.", "professional_voice"),
        ("Views of the class teacher", "I think Wilf is capable of more.", "professional_voice"),
        ("Grandad's views", "I take him fishing and he is calm there.", "parent_voice"),
        ("What Wilf's carers told us", "We want him to stay with us.", "parent_voice"),
        ("What Wilf told us", "I am good at football and I love my dog.", "child_voice"),
    ],
)
def test_a_label_says_whose_first_person_it_is(
    nlp: Language, label: str, text: str, kind: str
) -> None:
    assert kind_of(nlp, text, ctx(subsection=label)) == kind


def test_a_quotation_alone_takes_the_labels_speaker(nlp: Language) -> None:
    text = '"He is the kindest boy and never gives up."'
    assert kind_of(nlp, text, ctx(subsection="What Wilf's family told us")) == "parent_voice"
    assert kind_of(nlp, text, ctx(subsection="")) == ""


def test_a_label_written_as_a_plain_line_holds_for_the_blocks_after_it(nlp: Language) -> None:
    state: dict[str, Any] = {}
    assert voice(nlp, "What my family say", ctx(plan_state=state)) == []
    after = voice(nlp, "I worry about him at night.", ctx(plan_state=state))
    assert [h.kind for h in after] == ["parent_voice"]


def test_a_label_line_inside_a_block_opens_a_scope_until_the_next(nlp: Language) -> None:
    text = (
        "I like the climbing frame best.\n"
        "Our views (written by Tamsin and Obi, Wilf's mum and dad):\n"
        "We keep his bedtime the same every night.\n"
        "Interests:\n"
        "We go to the lido on Saturdays."
    )
    found = {h.start: h.kind for h in voice(nlp, text, ctx())}
    kinds = {
        text[s : text.index("\n", s) if "\n" in text[s:] else None]: k for s, k in found.items()
    }
    assert kinds.get("I like the climbing frame best.") == "child_voice"
    assert kinds.get("We keep his bedtime the same every night.") == "parent_voice"
    assert "We go to the lido on Saturdays." not in kinds  # the bare label ended their scope


def child_lines(nlp: Language, text: str, label: str) -> list[str]:
    """The sentences of ``text``, under ``label``, that come out as the child's voice."""
    found = voice(nlp, text, ctx(subsection=label))
    return [text[h.start : h.end] for h in found if h.kind == "child_voice"]


@pytest.mark.parametrize(
    ("text", "child"),
    [
        (  # a lead-in naming a report holds for its paragraph
            "Extract from the occupational therapy report: I saw Wilf twice in class. "
            "He finds cutting tiring and needs breaks.\nI like the climbing frame best.",
            ["I like the climbing frame best."],
        ),
        (  # a professional's visit lends the child no first person
            "I met Wilf in the library. He finds lessons hard and is often late. "
            "Wilf is reported to enjoy cooking. Wilf says he likes the library.",
            ["Wilf says he likes the library."],
        ),
    ],
)
def test_a_professionals_paragraph_keeps_its_first_person(
    nlp: Language, text: str, child: list[str]
) -> None:
    assert child_lines(nlp, text, "Views") == child


def test_meeting_the_child_by_name_is_never_the_childs_first_person(nlp: Language) -> None:
    found = voice(nlp, "I met Wilf in the library and we read together.", ctx(subsection="Views"))
    assert [h.kind for h in found] == ["professional_voice"]
    own = voice(nlp, "I met my best friend at football.", ctx(subsection="Views"))
    assert [h.kind for h in own] == ["child_voice"]


def test_a_label_in_the_young_persons_own_my_is_theirs(nlp: Language) -> None:
    label = "My decision about my parents' views"
    text = "My mum and dad back me but I will tell them myself what I want them to know."
    assert kind_of(nlp, text, ctx(age=17, subsection=label)) == "child_voice"
    # Naming both parents as other people is the young person, even under the parents' label.
    assert kind_of(nlp, text, ctx(age=17, subsection="My parents' views")) == "child_voice"
    mum = "I drive him to college and my mum has him on Fridays."
    assert kind_of(nlp, mum, ctx(age=17, subsection="My parents' views")) == "parent_voice"


def test_a_sign_off_gives_the_paragraph_to_its_signer(nlp: Language) -> None:
    signed = "I want to keep my allotment job. (Wilf, aged 9)"
    assert {h.kind for h in voice(nlp, signed, ctx(section="E"))} == {"child_voice"}
    teacher = "I have taught him for two years and he tries hard. (Ros Kell, class teacher)"
    assert {h.kind for h in voice(nlp, teacher, ctx())} <= {"professional_voice"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('Ros Kell, his key adult, wrote: "I see him trying so hard."', "professional_voice"),
        ('Nell, Wilf\'s gran, said: "I have him every weekend."', "parent_voice"),
        ('Nell (gran): "I have him every weekend."', "parent_voice"),
        ('"Trains!" - Wilf\'s answer when we asked what he likes best.', "child_voice"),
    ],
)
def test_who_a_quotation_belongs_to(nlp: Language, text: str, kind: str) -> None:
    assert kind_of(nlp, text, ctx()) == kind


@pytest.mark.parametrize(
    "text",
    [
        "As his reviewing officer I have read every report.",
        "As Wilf's physiotherapist, I have seen him each term.",
        "In my professional opinion, a smaller class would suit him.",
    ],
)
def test_a_professional_naming_their_role_is_not_voice(nlp: Language, text: str) -> None:
    assert kind_of(nlp, text, ctx()) == "professional_voice"


# --- non-verbal and aided voice ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ('Wilf signed "drink" when he saw the cup.', "nonverbal"),
        ("Wilf chose the photo of the swings.", "nonverbal"),
        ("Wilf pressed the switch for more music.", "aac"),
        ("Wilf chose not to go in the pool.", "nonverbal"),
        ('Wilf put the "shouting" card under "don\'t like".', "nonverbal"),
    ],
)
def test_non_verbal_voice_records_its_form(nlp: Language, text: str, form: str) -> None:
    found = voice(nlp, text, ctx())
    assert [h.kind for h in found] == ["child_voice"]
    assert found[0].attributes["form"] == form


@pytest.mark.parametrize(
    "text",
    [
        "Wilf pushed his chair back and left the room.",
        "Wilf put his lunchbox on the shelf.",
        "Mum chose the photos for his memory book.",
    ],
)
def test_ordinary_actions_are_not_voice(nlp: Language, text: str) -> None:
    assert kind_of(nlp, text, ctx()) in {"", "professional_voice"}


# --- who the plan's people are -------------------------------------------------------------


def test_parents_named_together_are_remembered_as_family(nlp: Language) -> None:
    state: dict[str, Any] = {}
    voice(nlp, "Tamsin and Obi said they want Wilf to stay local.", ctx(plan_state=state))
    later = voice(
        nlp, "Obi asked for the meeting to be after work.", ctx(section="K", plan_state=state)
    )
    assert [h.kind for h in later] == ["parent_voice"]


def test_the_childs_pronouns_are_learnt_from_the_plan(nlp: Language) -> None:
    state: dict[str, Any] = {}
    hits(nlp, "Wilf showed us his garden and his rabbit.", ctx(plan_state=state))
    assert kind_of(nlp, "She told us the rabbit is old.", ctx(plan_state=state)) == ""
    fresh: dict[str, Any] = {}
    assert kind_of(nlp, "He told us the rabbit is old.", ctx(plan_state=fresh)) == "child_voice"


def test_a_young_person_talking_about_a_parent_is_still_themself(nlp: Language) -> None:
    text = "I told my mum I want to travel on my own."
    assert kind_of(nlp, text, ctx(age=17)) == "child_voice"


# --- the child's name learnt from the plan -------------------------------------------------


def blocks(*texts: str) -> list[Block]:
    return [Block(i, BlockKind.PARAGRAPH, t) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    "heading",
    ["All about Esmé", "What Esmé told us", "Esmé's views", "Plan for Esmé Dalloway"],
)
def test_the_childs_name_is_learnt_from_headings(heading: str) -> None:
    found = learnt_name(blocks(heading, "Esmé likes painting.", "Esmé said she wants a dog."))
    assert found is not None and found.split()[0] == "Esmé"


def test_a_name_used_once_or_an_adults_heading_teaches_nothing() -> None:
    assert learnt_name(blocks("What Mrs Ambrose said", "The class are calm.")) is None
    assert learnt_name(blocks("About Pip", "Nothing else here.")) is None
