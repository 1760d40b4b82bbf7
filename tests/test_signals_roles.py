"""Roles in delivery: where a "Who will do what" list sits, and replies that are no role.

Plans put "Who will do what" in Section K as often as in F ("How this plan
was made ... Who will do what"), so the child's and the family's roles are
read there too; what the child tells the reader they will answer when asked
("ask me and I'll tell you") is no part they play in delivery. The sentences
are fresh, written for these tests.
"""

from __future__ import annotations

import pytest
from nlp_support import blank_with, hits

from ehcp_audit.nlp._context import BlockContext


@pytest.fixture(scope="module")
def nlp():
    pipeline = blank_with("ehcp_voice")
    pipeline.add_pipe("ehcp_signals")
    return pipeline


def _roles(nlp, text: str, section: str) -> list[str]:
    ctx = BlockContext(section=section, child_names=("Bryony",), parent_names=("Idris",))
    return [h.rule for h in hits(nlp, text, ctx) if h.kind == "family_role"]


@pytest.mark.parametrize(
    "text",
    [
        "Bryony will keep her own diary of the bus journeys and bring it to every review.",
        "Idris will practise the walk to the station with Bryony on Saturday mornings.",
    ],
)
def test_roles_listed_in_section_k_are_read(nlp, text):
    assert _roles(nlp, text, "K")
    # still never in the outcomes, where "Bryony will ..." is what she will achieve
    assert not _roles(nlp, text, "E")


def test_a_reply_promised_to_the_reader_is_no_role(nlp):
    text = "Never move my chair: ask me first and I'll tell you where I want it."
    assert _roles(nlp, text, "A") == []
    assert _roles(nlp, "I will tell my tutor when the notes have not arrived.", "A")
