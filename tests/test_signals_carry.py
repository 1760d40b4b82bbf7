"""A rule's ``after`` context may sit in the paragraph before (same section, running text).

"The draft was posted to the family on 2 May." in one paragraph and "Dana
replied on 9 May asking for ..." in the next: the reply answers the draft as
surely as if they shared a paragraph. A table cell or a heading between them
breaks the link, and so does a new section. The sentences are fresh, written
for these tests.
"""

from __future__ import annotations

import pytest
from nlp_support import blank_with, hits

from ehcp_audit.nlp._context import BlockContext

DRAFT = "We emailed the draft plan to Orla's family on 4 March 2026."
REPLY = "Fenella replied by email on 12 March 2026, asking for Orla's pony club to be named."


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_signals")


def _feedback(nlp, blocks: list[tuple[str, dict]]) -> list[str]:
    """The feedback rules fired on the last block, the blocks read in order, as one plan."""
    state: dict = {}
    found: list[str] = []
    for text, extra in blocks:
        ctx = BlockContext(
            **{
                "section": "K",
                "child_names": ("Orla",),
                "parent_names": ("Fenella",),
                "plan_state": state,
                **extra,
            }
        )
        found = [h.rule for h in hits(nlp, text, ctx) if h.kind == "feedback"]
    return found


def test_a_reply_in_the_next_paragraph_answers_the_draft(nlp):
    assert _feedback(nlp, [(DRAFT, {}), (REPLY, {})]) == ["feedback.replied_after_draft"]


def test_a_reply_with_no_draft_before_is_not_feedback(nlp):
    other = "Orla's bus pass was renewed in February."
    assert _feedback(nlp, [(other, {}), (REPLY, {})]) == []


@pytest.mark.parametrize(
    "between",
    [
        ("Transport", {"is_heading": True}),
        ("Orla walks to school with her brother.", {"section": "J"}),
    ],
)
def test_a_heading_or_another_section_breaks_the_link(nlp, between):
    text, extra = between
    reply_ctx = extra if "section" in extra else {}
    assert _feedback(nlp, [(DRAFT, {}), (text, extra), (REPLY, reply_ctx)]) == []


def test_a_table_cell_does_not_answer_the_row_before(nlp):
    assert _feedback(nlp, [(DRAFT, {"row_label": "Sent"}), (REPLY, {"row_label": "Reply"})]) == []


def test_the_link_reaches_only_the_paragraph_just_before(nlp):
    filler = "Orla's timetable is in the back of her planner."
    assert _feedback(nlp, [(DRAFT, {}), (filler, {}), (filler, {}), (REPLY, {})]) == []
