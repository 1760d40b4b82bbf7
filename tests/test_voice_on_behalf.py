"""First person written for a child who does not speak is the child's views, not own words.

The rubric's Excellent for principle 1 asks for "the child's own voice in
the first person or direct quotes". A first-person profile for a child the
plan says uses no spoken words is written by adults on the child's behalf:
its cues keep kind child_voice (the views are recorded) but take form
``on_behalf``, so ChildFirstPersonVoice does not count them. The child's own
quotes, signs and choices, a child who talks, and a non-speaking child's
own typed words are left alone. Plans and sentences are fresh.
"""

from __future__ import annotations

import pytest
from plan_factory import cue, make_plan

from ehcp_audit import audit_text
from ehcp_audit._errors import ConfigError
from ehcp_audit.nlp import _lexicon
from ehcp_audit.nlp.components._voice_on_behalf import (
    ON_BEHALF,
    mark_written_for,
    on_behalf_rules,
    says_child_does_not_speak,
)

PROFILE = "My warm blanket and the rocking chair."
NOT_SPEAKING = "Noor doesn't use speech; she uses signs and a picture book."


def _marked(paragraphs: list[str], form: str = "first_person", text: str = PROFILE) -> str:
    """The form the profile line's cue has after the pass, in a plan of these A paragraphs."""
    body = [*paragraphs, text]
    plan = make_plan({"A": body})
    line = next(b for b in plan.document.blocks if b.text == text)
    found = mark_written_for(
        (cue("child_voice", text, block=line.index, form=form),), plan.sections
    )
    return str(found[0].attributes["form"])


@pytest.mark.parametrize(
    "says",
    [
        NOT_SPEAKING,
        "Noor is non-verbal and points to photos to choose.",
        "Noor is a lively non-speaking girl who loves the park.",
        "Noor has no spoken language, but she laughs and claps to say yes.",
        "Her mum told us that Noor communicates without speech.",
        "Noor is pre-verbal and is learning to use a switch.",
    ],
)
def test_first_person_for_a_child_who_does_not_speak_is_on_behalf(says: str) -> None:
    assert _marked([says]) == ON_BEHALF


@pytest.mark.parametrize(
    "says",
    [
        "Noor talks in long sentences about her cats.",
        "Noor uses non-verbal communication such as gestures as well as speech.",
        "Noor is non-verbal when she is anxious, but chats once she is settled.",
        "Noor does not use speech at school, although she talks at home.",
        "Noor's older brother, Idris, is non-verbal.",
        "Noor does not speak English at home.",
        "Noor was non-verbal until she was three and now talks in sentences.",
    ],
)
def test_first_person_for_a_child_who_talks_stays_first_person(says: str) -> None:
    assert _marked([says]) == "first_person"


@pytest.mark.parametrize("form", ["quote", "nonverbal", "aac", "reported"])
def test_the_childs_own_quotes_signs_and_choices_are_left_alone(form: str) -> None:
    assert _marked([NOT_SPEAKING], form=form) == form


def test_a_non_speaking_childs_own_typed_words_stay_first_person() -> None:
    label = "Noor typed these words on her communication device:"
    assert _marked([NOT_SPEAKING, label]) == "first_person"
    typed = "I typed this on my talker: I want to sit by the window."
    assert _marked([NOT_SPEAKING], text=typed) == "first_person"
    # A sentence elsewhere that mentions writing is not a label over the line.
    other = "Her mum wrote to the school last term about the new bus route."
    assert _marked([NOT_SPEAKING, other]) == ON_BEHALF


def test_the_sentence_that_says_so_is_kept_and_may_come_later() -> None:
    plan = make_plan({"A": [PROFILE], "B": ["Noor is non-verbal and uses a symbol book."]})
    line = next(b for b in plan.document.blocks if b.text == PROFILE)
    found = mark_written_for(
        (cue("child_voice", PROFILE, block=line.index, form="first_person"),), plan.sections
    )
    assert found[0].attributes["not_speaking"] == "Noor is non-verbal and uses a symbol book."
    assert says_child_does_not_speak(plan.sections, on_behalf_rules()) is not None


def test_a_plan_without_first_person_child_cues_is_returned_as_it_is() -> None:
    plan = make_plan({"A": [NOT_SPEAKING]})
    cues = (cue("parent_voice", "We love her laugh.", form="first_person", who="parents"),)
    assert mark_written_for(cues, plan.sections) is cues


def test_a_broken_lexicon_entry_is_a_config_error(tmp_path, monkeypatch) -> None:
    data = dict(_lexicon.load("voice"))
    data["on_behalf"] = {**data["on_behalf"], "label_reach": "six"}
    monkeypatch.setattr(
        "ehcp_audit.nlp.components._voice_on_behalf.load", lambda name: data, raising=True
    )
    on_behalf_rules.cache_clear()
    try:
        with pytest.raises(ConfigError, match="label_reach"):
            on_behalf_rules()
    finally:
        monkeypatch.undo()
        on_behalf_rules.cache_clear()


PLAN = """
# Education, Health and Care Plan

## Personal details

- **Name:** Noor Haddad
- **Date of birth:** 2015-03-09
- **Age:** 10
- **Date of plan:** 2025-10-06
- **Review date:** 2026-10-05

## Section A – Views, interests and aspirations

{about}

### What is important to me

My warm blanket and the rocking chair. I like the swings at the park.

### How best to support me

Give me two choices at a time and wait for me to look at one.

### What my family say

We are proud of how Noor has settled at school. We hope she will live near us when she is grown up.

## Section B – Special educational needs

Noor needs help to make choices and to ask for what she wants.

## Section E – Outcomes

By July 2026, Noor will choose between two photos at snack time on 4 days out of 5.
"""


def _principle_1_first_person(about: str) -> tuple[bool, bool]:
    """Whether ChildFirstPersonVoice and ChildViewsRecorded pass on the plan."""
    plan = audit_text(PLAN.format(about=about))
    passed = {f.rule: f.passed for f in plan.findings}
    return passed["coproduction.ChildFirstPersonVoice"], passed["coproduction.ChildViewsRecorded"]


def test_in_a_whole_plan_the_profile_records_views_but_not_own_words() -> None:
    own, views = _principle_1_first_person("Noor is non-verbal and uses signs and photos.")
    assert (own, views) == (False, True)
    own, views = _principle_1_first_person("Noor chats happily and loves drawing.")
    assert (own, views) == (True, True)
