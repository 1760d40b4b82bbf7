"""Structure carries meaning: a time frame above or beside an outcome applies to it.

A sub-heading ("By the end of Year 5") or a lead-in line ("Outcomes for the
next 12 months:") gives the outcomes under it their time frame; in a table,
a "By when" cell gives the outcome in its row its time, a "How we will
know" cell its measure, and a first-person header ("What I want to be able
to do") makes a bare goal the child's own. Plans and sentences are fresh.
"""

from __future__ import annotations

from typing import Any

import pytest
from nlp_support import blank_with, hits

from ehcp_audit._audit import analyse
from ehcp_audit._model import Cue, PlanAudit
from ehcp_audit.nlp._context import BlockContext
from ehcp_audit.nlp.components._outcome_rows import complete_outcome_rows, looks_like_header
from ehcp_audit.nlp.components._provision_rows import section_rows

NAMES = ("Orla", "Orla Fenwick")


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_outcome")


def read_blocks(nlp, blocks: list[tuple[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    """Outcomes of consecutive blocks of E, each ``(sub-heading, text)``, in one plan."""
    state: dict[str, Any] = {}
    found = []
    for subsection, text in blocks:
        context = BlockContext(
            section="E", subsection=subsection, child_names=NAMES, plan_state=state
        )
        for hit in hits(nlp, text, context):
            found.append((text[hit.start : hit.end], dict(hit.attributes)))
    return found


def timed(found: list[tuple[str, dict[str, Any]]]) -> dict[str, str | None]:
    return {text: attrs["evidence"].get("time_bound") for text, attrs in found}


# ------------------------------------------------------------ sub-headings and lead-ins


def test_a_time_frame_in_the_sub_heading_applies_to_the_outcomes_under_it(nlp) -> None:
    heading = "By the end of Year 5 (July 2027)"
    found = read_blocks(
        nlp,
        [
            (heading, "Orla will read a chapter book aloud with 9 words in 10 right."),
            (heading, "Orla will join a club at lunchtime and stay for the whole session."),
            ("Communication", "Orla will greet her teacher at the door."),
        ],
    )
    assert timed(found) == {
        "Orla will read a chapter book aloud with 9 words in 10 right.": "time.sub_heading",
        "Orla will join a club at lunchtime and stay for the whole session.": "time.sub_heading",
        "Orla will greet her teacher at the door.": None,
    }


def test_an_outcomes_own_time_frame_wins_over_the_heading(nlp) -> None:
    found = read_blocks(
        nlp, [("Outcomes for the next 12 months", "By Easter 2027 Orla will swim.")]
    )
    assert timed(found) == {"By Easter 2027 Orla will swim.": "time.by_season"}


def test_a_lead_in_line_carries_its_time_frame_to_the_blocks_after_it(nlp) -> None:
    found = read_blocks(
        nlp,
        [
            ("", "Outcomes for the next 12 months:"),
            ("", "Orla will count to 50 in ones and tens."),
            ("", "Cognition and learning"),
            ("", "Orla will write her full name on her work."),
            ("", "Short-term steps:"),
            ("", "Orla will hold her pencil with a tripod grip."),
        ],
    )
    assert timed(found) == {
        "Orla will count to 50 in ones and tens.": "time.lead_in",
        # a topic label does not end the time frame ...
        "Orla will write her full name on her work.": "time.lead_in",
        # ... a new list's lead-in with no time does
        "Orla will hold her pencil with a tripod grip.": None,
    }


def test_a_line_that_is_only_a_time_frame_is_a_lead_in_not_an_outcome(nlp) -> None:
    found = read_blocks(
        nlp,
        [("", "By the end of Key Stage 1"), ("", "Orla will tell an adult when she is upset.")],
    )
    assert timed(found) == {"Orla will tell an adult when she is upset.": "time.lead_in"}


def test_a_lead_in_that_reads_like_a_statement_still_gives_its_time_frame(nlp) -> None:
    found = read_blocks(
        nlp,
        [("", "To be achieved by the end of Year 3"), ("", "Orla will skip with a rope.")],
    )
    assert timed(found) == {"Orla will skip with a rope.": "time.lead_in"}


def test_a_heading_naming_a_transition_or_a_bracketed_date_is_a_time_frame(nlp) -> None:
    found = read_blocks(
        nlp,
        [
            ("Before Orla moves to the junior school", "Orla will find her own peg."),
            ("Next steps (March 2027)", "Orla will ask a friend to play."),
        ],
    )
    assert timed(found) == {
        "Orla will find her own peg.": "time.sub_heading",
        "Orla will ask a friend to play.": "time.sub_heading",
    }


def test_a_new_sub_heading_ends_the_lead_in(nlp) -> None:
    found = read_blocks(
        nlp,
        [
            ("Learning", "Targets for this school year:"),
            ("Learning", "Orla will learn her number bonds to 10."),
            ("Friendships", "Orla will play a board game with a friend."),
        ],
    )
    assert timed(found) == {
        "Orla will learn her number bonds to 10.": "time.lead_in",
        "Orla will play a board game with a friend.": None,
    }


def test_a_heading_without_a_time_frame_gives_none(nlp) -> None:
    found = read_blocks(nlp, [("What Orla will be able to do", "Orla will ride a scooter.")])
    assert timed(found) == {"Orla will ride a scooter.": None}


# ---------------------------------------------------------------------- table rows

FRAME = """- **Name:** Orla Fenwick
- **Preferred name:** Orla
- **Age:** 7
- **Year group:** Year 2

## Section A: All about me
I like horses, painting and going to the park with Gran.

## Section B: Special educational needs
Orla finds it hard to hold a pencil and to sit still on the carpet.

## Section C: Health needs
Orla has no health needs related to her SEN (medical advice, 3 March 2026).

## Section D: Social care needs
Orla has no social care needs (social care advice, 4 March 2026).

## Section E: Outcomes
{outcomes}

## Section F: Special educational provision
A teaching assistant will run a 15-minute fine motor group with Orla three times a week.

## Section G: Health provision
No health provision is required.

## Section H1: Social care provision
No provision is required.

## Section H2: Other social care provision
No provision is required.

## Section I: Placement
Saltmarsh Infant School, a mainstream infant school.

## Section J: Personal budget
No personal budget was requested.

## Section K: Advice and information
- Parents' views, 2 March 2026
"""


def plan(outcomes: str) -> PlanAudit:
    return analyse(FRAME.format(outcomes=outcomes).encode())


def outcome_cues(audit: PlanAudit) -> list[Cue]:
    cues = complete_outcome_rows(audit.cues, audit.sections)
    return [c for c in cues if c.kind == "outcome"]


def evidence(cue: Cue) -> dict[str, str]:
    return dict(cue.attributes["evidence"])


def test_a_by_when_column_times_the_outcome_in_its_row() -> None:
    audit = plan(
        "| What I want to be able to do | By when | How we will know |\n"
        "|---|---|---|\n"
        "| Write my name with the letters the right way round | July 2027 "
        "| My teacher keeps my best writing in a folder |\n"
        "| Sit on the carpet for the whole story | December 2026 | |\n"
        "| Put my coat on and zip it up | TBC | Gran and school tick a chart |\n"
    )
    found = outcome_cues(audit)
    assert [c.text for c in found] == [
        "Write my name with the letters the right way round",
        "Sit on the carpet for the whole story",
        "Put my coat on and zip it up",
    ]
    first, second, third = found
    assert evidence(first)["time_bound"] == "time.row_column"
    assert evidence(first)["measurable"] == "measure.row_column"
    assert second.attributes["time_bound"] is True
    assert second.attributes["measurable"] is False  # its "how we will know" cell is empty
    assert third.attributes["time_bound"] is False  # "TBC" is not a time
    # the header is in the child's first person: a bare goal is the child's own
    assert all(evidence(c)["child_centred"] == "child.column_header" for c in found)


def test_a_header_that_names_the_time_frame_times_its_column() -> None:
    audit = plan(
        "| Area | Steps by July 2027 |\n"
        "|---|---|\n"
        "| Physical | Orla will cut along a straight line with scissors. |\n"
        "| Learning | Orla will read 40 common words on sight. |\n"
    )
    found = outcome_cues(audit)
    assert [evidence(c).get("time_bound") for c in found] == [
        "time.column_header",
        "time.column_header",
    ]


def test_a_how_we_will_know_header_with_a_date_times_every_row() -> None:
    audit = plan(
        "| Outcome | How we will know (by the end of Reception, July 2027) |\n"
        "|---|---|\n"
        "| Ezra will ask for help with words or signs. | Ezra asks for help on most days. |\n"
        "| Ezra will join a small group game. | |\n"
    )
    first, second = outcome_cues(audit)
    assert evidence(first) == {
        "time_bound": "time.column_header",
        "measurable": "measure.row_column",
    }
    assert evidence(second).get("time_bound") == "time.column_header"
    assert second.attributes["measurable"] is False  # its "how we will know" cell is empty


def test_staff_outcomes_under_a_first_person_header_are_not_made_child_centred() -> None:
    audit = plan(
        "| What I want to be able to do | By when |\n"
        "|---|---|\n"
        "| Staff will help Orla with her buttons | July 2027 |\n"
    )
    (cue,) = outcome_cues(audit)
    assert cue.attributes["child_centred"] is False
    assert cue.attributes["time_bound"] is True


def test_a_table_whose_first_row_is_outcomes_is_left_alone() -> None:
    audit = plan(
        "| Orla will write three sentences about her weekend. | By July 2027. |\n"
        "|---|---|\n"
        "| Orla will swim a width of the pool. | By July 2027. |\n"
    )
    found = outcome_cues(audit)
    assert "Orla will write three sentences about her weekend." in [c.text for c in found]
    assert not looks_like_header(section_rows(audit.sections, ["E"])[0].header)


def test_the_row_pass_is_idempotent() -> None:
    audit = plan(
        "| Outcome | Timescale |\n|---|---|\n"
        "| Orla will hop five times on each foot. | Summer term 2027 |\n"
    )
    once = complete_outcome_rows(audit.cues, audit.sections)
    assert complete_outcome_rows(once, audit.sections) == once
    (cue,) = [c for c in once if c.kind == "outcome"]
    assert evidence(cue)["time_bound"] == "time.row_column"


def test_a_term_column_times_the_step_in_its_row() -> None:
    audit = plan(
        "| Term | Step |\n|---|---|\n"
        "| Spring term 2027 | Orla will fasten her coat buttons with one reminder. |\n"
        "| Summer term 2027 | Orla will fasten her coat buttons on her own. |\n"
    )
    found = outcome_cues(audit)
    assert [evidence(c).get("time_bound") for c in found] == ["time.row_column"] * 2
    assert "Term" not in [c.text for c in found]


def test_the_header_of_an_outcomes_table_is_not_an_outcome() -> None:
    audit = plan(
        "| Area | Outcome (what Orla will achieve) | Steps towards it |\n|---|---|---|\n"
        "| Physical | By July 2027 Orla will ride a scooter round the playground. "
        "| By March 2027: push off and glide for five metres with a hand held. |\n"
    )
    found = outcome_cues(audit)
    assert "Outcome (what Orla will achieve)" not in [c.text for c in found]
    outcome, step = found
    assert evidence(outcome)["child_centred"] == "child.named_subject"
    # a step with no subject of its own beside the child's outcome is the child's step
    assert evidence(step)["child_centred"] == "child.row_outcome"


def test_a_step_about_staff_beside_the_childs_outcome_stays_as_it_is() -> None:
    audit = plan(
        "| Outcome | Steps along the way |\n|---|---|\n"
        "| By July 2027 Orla will ride a scooter round the playground. "
        "| By March 2027: staff to show her the scooter each playtime. |\n"
    )
    _, step = outcome_cues(audit)
    assert step.attributes["child_centred"] is False


def test_a_header_naming_the_child_makes_a_bare_goal_hers_but_not_staffs() -> None:
    audit = plan(
        "| What Orla will do | What Staff will do | By when |\n|---|---|---|\n"
        "| Hang her coat on her peg when she arrives | Wait by the peg with a photo "
        "| December 2026 |\n"
    )
    goal, staff = outcome_cues(audit)
    assert evidence(goal)["child_centred"] == "child.column_header"
    assert staff.attributes["child_centred"] is False


def test_sentences_about_the_outcomes_are_not_outcomes_and_may_give_the_time_frame() -> None:
    audit = plan(
        "The targets below are for the end of Year 3 (July 2028).\n\n"
        "Orla will write two sentences with capital letters and full stops.\n\n"
        "This one comes from what Orla told us about wanting to write to Gran.\n\n"
        "They are linked to the things her family said matter most."
    )
    found = outcome_cues(audit)
    assert [c.text for c in found] == [
        "Orla will write two sentences with capital letters and full stops."
    ]
    assert evidence(found[0])["time_bound"] == "time.lead_in"


@pytest.mark.parametrize(
    "source_header",
    [
        "From what Orla or her family said",
        "Why this matters to me",
        "Link to my views",
        "Her hopes and dreams",
    ],
)
def test_a_column_saying_where_each_outcome_comes_from_holds_no_outcomes(
    source_header: str,
) -> None:
    audit = plan(
        "| Area | Outcome (by the end of Year 3, July 2027, unless it says otherwise) "
        f"| {source_header} |\n"
        "|---|---|---|\n"
        "| Independence | By July 2027 Orla will walk to the school gate on her own. "
        "| Going to school like her big sister. |\n"
        "| Learning | By July 2027 Orla will read a short book aloud to her gran. "
        "| Reading to Gran; Dad wants her to enjoy books. |\n"
    )
    texts = [c.text for c in outcome_cues(audit)]
    assert texts == [
        "By July 2027 Orla will walk to the school gate on her own.",
        "By July 2027 Orla will read a short book aloud to her gran.",
    ]


def test_a_column_of_next_steps_is_still_a_column_of_outcomes() -> None:
    audit = plan(
        "| Outcome | What I will do next |\n"
        "|---|---|\n"
        "| By July 2027 Orla will swim a width of the pool. "
        "| Orla will swim with a float by March 2027. |\n"
    )
    assert len(outcome_cues(audit)) == 2


def test_a_sentence_saying_what_each_outcome_says_is_not_an_outcome() -> None:
    audit = plan(
        "Each says what will be different by when, and which of Orla's wishes it answers.\n\n"
        "By July 2027 Orla will walk to the school gate on her own.\n"
    )
    texts = [c.text for c in outcome_cues(audit)]
    assert texts == ["By July 2027 Orla will walk to the school gate on her own."]
