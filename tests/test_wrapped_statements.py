"""A statement cut in two at a line break is judged as one (text from some PDFs).

The plans are small Markdown plans in which a blank line cuts a sentence,
as a PDF's extracted text can; the real reader, sectionizer and components
read them, then the passes over the finished cues join the halves. The
sentences and names are fresh.
"""

from __future__ import annotations

from ehcp_audit._audit import analyse
from ehcp_audit._model import Cue, PlanAudit
from ehcp_audit.nlp import build_pipeline
from ehcp_audit.nlp._pipeline import block_cues
from ehcp_audit.nlp.components._wrapped import wrapped_blocks

FRAME = """- **Name:** Tamsin Oakley
- **Preferred name:** Tamsin
- **Age:** 17
- **Year group:** Year 12

## Section A: All about me
I like horses and drawing comics.

## Section B: Special educational needs
Tamsin finds it hard to start tasks and to manage change.

## Section C: Health needs
Tamsin has no health needs related to her SEN (medical advice, 3 March 2026).

## Section D: Social care needs
Tamsin has no social care needs (social care advice, 4 March 2026).

## Section E: Outcomes
{outcomes}

## Section F: Special educational provision
{provision}

## Section G: Health provision
No health provision is required.

## Section H1: Social care provision
No provision is required.

## Section H2: Other social care provision
No provision is required.

## Section I: Placement
Harrowgate College, a general further education college.

## Section J: Personal budget
No personal budget was requested.

## Section K: Advice and information
- Parents' views, 2 March 2026
"""

OUTCOME = "By April 2027, Tamsin will use her help card to tell her tutor or"
OUTCOME_TAIL = "mentor when she is stuck, on 4 days out of 5."
PROVISION = (
    "A mentor from the learning support team will meet Tamsin for 20 minutes each morning in her"
)
PROVISION_TAIL = "first term, and will walk with her to her first lesson."


def plan(outcomes: str, provision: str) -> PlanAudit:
    return analyse(FRAME.format(outcomes=outcomes, provision=provision).encode())


def of_kind(audit: PlanAudit, *kinds: str) -> list[Cue]:
    return [c for c in audit.cues if c.kind in kinds]


def test_the_halves_of_an_outcome_make_one_outcome() -> None:
    audit = plan(f"{OUTCOME}\n\n{OUTCOME_TAIL}", "No provision is required.")
    (cue,) = of_kind(audit, "outcome")
    assert cue.text == OUTCOME
    # the time frame is in the first half, the measure in the second
    assert cue.attributes["time_bound"] is True
    assert cue.attributes["measurable"] is True
    assert cue.attributes["child_centred"] is True


def test_the_second_half_of_provision_is_not_vague_on_its_own() -> None:
    audit = plan(
        "By July 2027, Tamsin will catch the bus to college on her own.",
        f"{PROVISION}\n\n{PROVISION_TAIL}",
    )
    found = [(c.kind, c.text) for c in of_kind(audit, "vague_provision", "quantified_provision")]
    assert found == [("quantified_provision", PROVISION)]
    # read alone, the second half is a statement with no amount
    alone = block_cues(audit.sections, audit.details, build_pipeline())
    assert ("vague_provision", PROVISION_TAIL) in [(c.kind, c.text) for c in alone]


def test_a_vague_phrase_in_either_half_leaves_the_whole_vague() -> None:
    audit = plan(
        "By July 2027, Tamsin will catch the bus to college on her own.",
        "A mentor will meet Tamsin for 30 minutes each week and will give her extra\n\n"
        "help with her coursework as required.",
    )
    vague = of_kind(audit, "vague_provision")
    assert [c.attributes.get("phrases") for c in vague] == [["as required"]]
    assert of_kind(audit, "quantified_provision") == []


def test_what_is_not_a_cut_statement() -> None:
    audit = plan(
        "Travel\n\nBy July 2027, Tamsin will catch the bus to college on her own.\n\n"
        "she chose this outcome herself.",
        "| Provision | Who |\n|---|---|\n| Travel training for the route from home to"
        " college | the travel trainer |\n",
    )
    cut = wrapped_blocks(audit.sections, ["E", "F"])
    # a short label, a paragraph ending with a full stop, and table cells: none is cut
    assert cut == []


def test_a_statement_quantified_only_when_whole_gets_its_cue_on_the_first_half() -> None:
    head = "Swimming lessons at the leisure centre with a swimming teacher, 2 mornings a"
    audit = plan(
        "By July 2027, Tamsin will catch the bus to college on her own.",
        f"{head}\n\nweek for 40 minutes, until July 2027.",
    )
    (cue,) = of_kind(audit, "vague_provision", "quantified_provision")
    assert (cue.kind, cue.text) == ("quantified_provision", head)
    assert cue.attributes["how_often"] and cue.attributes["how_long"]
