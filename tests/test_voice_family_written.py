"""Parent voice where the family has the whole block, and the scope rule's ``third_person`` key.

Blocks share one ``plan_state`` where a test needs what an earlier block
taught ("Ines and Teodor wrote this section" before the rows it covers).
Names and sentences are invented.
"""

from __future__ import annotations

from typing import Any

import pytest
from nlp_support import blank_with, hits
from spacy.language import Language

from ehcp_audit._errors import ConfigError
from ehcp_audit.nlp._context import BlockContext
from ehcp_audit.nlp.components._voice_scope import _rule, label_trigger


@pytest.fixture(scope="module")
def nlp() -> Language:
    return blank_with("ehcp_voice")


def ctx(state: dict[str, Any] | None = None, **kw: Any) -> BlockContext:
    base: dict[str, Any] = {
        "section": "A",
        "child_names": ("Perrin Oakhurst", "Perrin", "Oakhurst"),
        "parent_names": ("Mina Oakhurst", "Joss Oakhurst"),
        "age": 7,
        "plan_state": state if state is not None else {},
    }
    base.update(kw)
    return BlockContext(**base)


def kinds(nlp: Language, text: str, context: BlockContext) -> list[tuple[str, str]]:
    return [
        (h.kind, h.attributes.get("form", ""))
        for h in hits(nlp, text, context)
        if h.kind in ("child_voice", "parent_voice")
    ]


# -- the rule file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "whole"),
    [
        ("What Perrin's parents say about him", True),
        ("In our words", True),
        ("Our views (written by Mina and Joss)", True),
        ("In Mum and Dad's own words", True),
        ("Parents' views", False),
        ("Information from parents", False),
    ],
)
def test_which_labels_give_the_whole_block(label: str, whole: bool) -> None:
    trigger = label_trigger(label)
    assert (trigger is not None and trigger.rule.third_person) is whole


def test_third_person_key_only_on_labels() -> None:
    raw = {
        "name": "x",
        "pattern": "said",
        "category": "speaker",
        "applies_to": "sentence",
        "direction": "forward",
        "third_person": True,
    }
    with pytest.raises(ConfigError, match="third_person"):
        _rule(raw, "test")
    with pytest.raises(ConfigError, match="third_person"):
        _rule({**raw, "applies_to": "label", "third_person": "yes"}, "test")


# -- a label giving the family the block ---------------------------------------------------


def test_child_subject_under_what_the_parents_say_is_theirs(nlp: Language) -> None:
    context = ctx(subsection="What Perrin's parents say about him")
    assert kinds(nlp, "Perrin hides behind the sofa when the doorbell rings.", context) == [
        ("parent_voice", "reported")
    ]


def test_child_subject_under_our_words_is_written(nlp: Language) -> None:
    context = ctx(subsection="In our words")
    assert kinds(nlp, "He knows every bus number in town.", context) == [
        ("parent_voice", "written")
    ]


def test_not_about_the_child_under_the_parents_label(nlp: Language) -> None:
    context = ctx(subsection="What Perrin's parents say about him")
    text = "Parents' views were asked for in June but none came back."
    assert kinds(nlp, text, context) == []


def test_parents_views_label_keeps_third_person_a_description(nlp: Language) -> None:
    context = ctx(subsection="Parents' views")
    assert kinds(nlp, "Perrin hides behind the sofa when the doorbell rings.", context) == []


# -- the plan saying the family wrote the section ------------------------------------------


def test_family_we_after_the_family_wrote_the_section(nlp: Language) -> None:
    state: dict[str, Any] = {}
    said = "Mina and Joss wrote most of this section at home. We typed it up as they said it."
    assert kinds(nlp, said, ctx(state)) == []  # the statement and the writer's "we" beside it
    row = "Perrin loves the seaside. He drags us to the rock pools before breakfast."
    found = kinds(nlp, row, ctx(state, subsection="What Perrin loves"))
    assert [k for k, _ in found] == ["parent_voice", "parent_voice"]


def test_without_the_statement_a_we_about_the_child_stays_unread(nlp: Language) -> None:
    row = "Perrin loves the sand tray and we let him go first at choosing time."
    assert kinds(nlp, row, ctx(subsection="What Perrin loves")) == []


def test_child_label_wins_over_the_family_having_written_it(nlp: Language) -> None:
    state: dict[str, Any] = {}
    kinds(nlp, "This section was written by Perrin's mum and dad.", ctx(state))
    row = "Perrin loves drawing and we keep all his pictures."
    found = kinds(nlp, row, ctx(state, subsection="What Perrin told us"))
    assert all(k != "parent_voice" for k, _ in found)


def test_aside_in_brackets_does_not_hide_the_subject(nlp: Language) -> None:
    text = 'Mina looks after Perrin and his brother (aged 3) and has described feeling "worn out".'
    assert kinds(nlp, text, ctx(section="D")) == [("parent_voice", "quote")]


def test_instruction_before_and_tell_me_is_nobody_reported(nlp: Language) -> None:
    text = "Always book a signer for meetings, trips and lessons, and tell me who it is."
    assert all(k != "parent_voice" for k, _ in kinds(nlp, text, ctx()))


# -- a plain label line's scope ends at the next heading line -----------------------------


@pytest.mark.parametrize("heading", ["Perrin's history", "Perrin\u2019s history", "My history"])
def test_the_childs_own_heading_line_ends_the_parents_label(nlp: Language, heading: str) -> None:
    """A text export keeps sub-headings as plain lines: "What Perrin's parents say",
    the parents' paragraphs, then "Perrin's history" (the template's "My history"
    with the child's name), after which the history is nobody's voice."""
    state: dict[str, Any] = {}
    assert kinds(nlp, "What Perrin's parents say", ctx(state)) == []
    said = "Perrin hides behind the sofa when the doorbell rings."
    assert kinds(nlp, said, ctx(state)) == [("parent_voice", "reported")]
    assert kinds(nlp, heading, ctx(state)) == []
    history = "Perrin was diagnosed with autism by the community paediatrician in 2023."
    assert kinds(nlp, history, ctx(state)) == []


def test_a_line_naming_someone_else_does_not_end_the_parents_label(nlp: Language) -> None:
    state: dict[str, Any] = {}
    kinds(nlp, "What Perrin's parents say", ctx(state))
    kinds(nlp, "Ravi's history", ctx(state))
    said = "Perrin hides behind the sofa when the doorbell rings."
    assert kinds(nlp, said, ctx(state)) == [("parent_voice", "reported")]
