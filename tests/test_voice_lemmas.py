"""Lemma lists expand to the forms a plan writes (``nlp/components/_lemmas.py``)."""

from __future__ import annotations

import pytest

from ehcp_audit.nlp.components._lemmas import expand, phrase_forms, verb_forms
from ehcp_audit.nlp.components.voice import rules

IRREGULAR = {"choose": ("chose", "chosen"), "sum it up": ("summed it up",)}
FINITE = frozenset({"would", "is"})


@pytest.mark.parametrize(
    ("verb", "forms"),
    [
        ("point", {"point", "points", "pointed"}),
        ("push", {"push", "pushes", "pushed"}),
        ("nod", {"nod", "nods", "nodded"}),
        ("reply", {"reply", "replies", "replied"}),
        ("place", {"place", "places", "placed"}),
        ("choose", {"choose", "chooses", "chose", "chosen"}),
        ("echo", {"echo", "echoes", "echoed"}),  # -es after a final o ("does", "goes")
    ],
)
def test_verb_forms(verb: str, forms: set[str]) -> None:
    assert verb_forms(verb, IRREGULAR) == forms


def test_phrases_inflect_their_first_word_and_finite_phrases_stay() -> None:
    assert phrase_forms("point to", IRREGULAR, FINITE) == {"point to", "points to", "pointed to"}
    assert phrase_forms("would like", IRREGULAR, FINITE) == {"would like"}
    assert phrase_forms("sum it up", IRREGULAR, FINITE) == {"sum it up", "summed it up"}


def test_the_present_can_be_left_out() -> None:
    assert expand(["choose"], IRREGULAR, FINITE, present=False) == {"chose", "chosen"}
    assert expand(["point to"], IRREGULAR, FINITE, present=False) == {"pointed to"}


def test_the_voice_lexicon_expands_its_lemmas() -> None:
    r = rules()
    assert {"said", "says", "told", "explained"} <= r.speech
    assert {"signed", "chose", "pointed to", "shook her head"} <= r.nonverbal
    assert not {"choose", "points to"} & r.nonverbal  # an adult's offer; a habit
    assert {"feels", "felt", "worries", "would like"} <= r.view
    assert {"does not agree that", "did not agree with"} <= r.speech
    assert {"held his gaze on", "looked longest at"} <= r.nonverbal
