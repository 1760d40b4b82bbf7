"""Refused requests explained: where the plan records them and how it words them.

A plan records a refused request under a heading of its own ("What we could
not agree, and why"), in a review summary before Section A, or as a decision
("decided not to fund it") with the reasons in the next statement. The
sentences are fresh, written for these tests.
"""

from __future__ import annotations

import pytest
from nlp_support import blank_with, hits

from ehcp_audit.nlp._context import BlockContext

REFUSED = (
    "Mum asked for a full-time helper. The council did not agree, because Pip "
    "wants to do more on her own and her teacher says she copes well."
)


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_signals")


def _rules(nlp, text: str, **kw) -> list[str]:
    ctx = BlockContext(**{"section": "K", "child_names": ("Pip",), "parent_names": ("Wren",), **kw})
    return [h.rule for h in hits(nlp, text, ctx) if h.kind == "request_explained"]


def test_a_refusal_on_the_front_page_is_read(nlp):
    assert _rules(nlp, REFUSED, section="front") == ["request_explained.not_agreed_because"]


@pytest.mark.parametrize(
    "heading",
    [
        "What we could not agree, and why",
        "Things we did not agree",
        "Requests not agreed",
        "Disagreements",
    ],
)
def test_a_block_under_a_refusals_heading_with_a_reason(nlp, heading):
    text = "Wren asked for a laptop. The therapist advised that Pip keeps practising her writing."
    assert _rules(nlp, text, subsection=heading) == ["request_explained.row_label"]
    # the same block under another heading: no refusal, nothing answered
    assert _rules(nlp, text, subsection="What Pip enjoys") == []


@pytest.mark.parametrize(
    ("heading", "text"),
    [
        ("Things we did not agree", "None."),
        ("Requests not agreed", "Wren asked for a second swimming lesson each week."),
        ("Disagreement resolution", "You can ask for mediation within two months."),
    ],
)
def test_look_alikes_under_such_headings(nlp, heading, text):
    assert _rules(nlp, text, subsection=heading) == []


def test_decided_not_to_then_the_reasons(nlp):
    text = (
        "Wren asked for a pony club place. The panel met in May and decided not to fund it. "
        "The reasons were that the physiotherapist offers the same exercises at school."
    )
    assert _rules(nlp, text) == ["request_explained.reasons_after_refusal"]
    # the child deciding, with reasons, answers no request
    mine = "Pip decided not to go. The reasons were that it was late and noisy."
    assert _rules(nlp, mine) == []
