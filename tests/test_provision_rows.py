"""Provision tables read a row at a time: the amount may sit in a neighbouring cell.

Each plan here is a small Markdown plan read by the real reader and
sectionizer, with the real components; :func:`complete_provision_rows` then
reads the provision tables row by row. The sentences and names are fresh.
"""

from __future__ import annotations

import pytest

from ehcp_audit._audit import analyse
from ehcp_audit._model import Cue, PlanAudit
from ehcp_audit.nlp.components._provision_rows import (
    complete_provision_rows,
    header_roles,
    section_rows,
)
from ehcp_audit.nlp.components.provision import provision_rules

FRAME = """- **Name:** Wilf Amberley
- **Preferred name:** Wilf
- **Age:** 8
- **Year group:** Year 3

## Section A: All about me
I like dinosaurs and building dens with my cousin.

## Section B: Special educational needs
Wilf finds it hard to follow long spoken instructions.

## Section C: Health needs
Wilf has no health needs related to his SEN (medical advice, 3 March 2026).

## Section D: Social care needs
Wilf has no social care needs (social care advice, 4 March 2026).

## Section E: Outcomes
By July 2027, Wilf will follow a two-step instruction in class on 4 days out of 5.

## Section F: Special educational provision
{provision}

## Section G: Health provision
No health provision is required.

## Section H1: Social care provision
No provision is required.

## Section H2: Other social care provision
No provision is required.

## Section I: Placement
Brindle Lane Primary School, a mainstream primary school.

## Section J: Personal budget
No personal budget was requested.

## Section K: Advice and information
- Parents' views, 2 March 2026
"""

TABLE = """| Provision | Frequency | Duration | Who will provide it |
|---|---|---|---|
| Small-group listening programme | Three times a week | 20 minutes | A trained assistant |
| Speech and language therapy review | Once each term | 45 minutes | Speech and language therapist |
| Movement breaks | As required | | Class staff |
| Pre-teaching of topic words | Twice a week | 15 minutes | |
"""


def plan(provision: str) -> PlanAudit:
    return analyse(FRAME.format(provision=provision).encode())


def completed(audit: PlanAudit) -> tuple[Cue, ...]:
    return complete_provision_rows(audit.cues, audit.sections)


def kinds(cues: tuple[Cue, ...], kind: str) -> list[str]:
    return [c.text for c in cues if c.kind == kind and c.section == "F"]


@pytest.fixture(scope="module")
def table_plan() -> PlanAudit:
    return plan(TABLE)


def test_a_row_is_quantified_across_its_cells(table_plan: PlanAudit) -> None:
    cues = completed(table_plan)
    assert kinds(cues, "quantified_provision") == [
        "Small-group listening programme",
        "Speech and language therapy review",
    ]
    first = next(c for c in cues if c.kind == "quantified_provision")
    assert first.rule == "quantified.row"
    assert dict(first.attributes) == {
        "what": True,
        "how_often": True,
        "how_long": True,
        "who": True,
    }
    assert first.location.table is not None and first.location.column == 0


def test_cells_alone_are_not_quantified(table_plan: PlanAudit) -> None:
    # Before the row pass (the per-block cues), no cell on its own says who, what and how much.
    from ehcp_audit.nlp import build_pipeline
    from ehcp_audit.nlp._pipeline import block_cues

    alone = block_cues(table_plan.sections, table_plan.details, build_pipeline())
    assert kinds(alone, "quantified_provision") == []
    # The audit itself runs the row pass.
    assert kinds(table_plan.cues, "quantified_provision") == kinds(
        completed(table_plan), "quantified_provision"
    )


def test_a_vague_cell_leaves_its_row_vague(table_plan: PlanAudit) -> None:
    cues = completed(table_plan)
    assert "As required" in kinds(cues, "vague_provision")
    assert "Movement breaks" not in kinds(cues, "quantified_provision")


def test_a_row_with_nobody_to_provide_it_is_not_quantified(table_plan: PlanAudit) -> None:
    assert "Pre-teaching of topic words" not in kinds(completed(table_plan), "quantified_provision")


def test_the_header_row_is_not_provision(table_plan: PlanAudit) -> None:
    cues = completed(table_plan)
    assert not any(c.text == "Who will provide it" for c in cues)


def test_the_row_pass_is_idempotent(table_plan: PlanAudit) -> None:
    once = completed(table_plan)
    assert complete_provision_rows(once, table_plan.sections) == once


def test_a_table_without_a_header_is_still_read_row_by_row() -> None:
    audit = plan(
        "| A teaching assistant will run a spelling game with Wilf | 3 x 15 minutes weekly |\n"
        "|---|---|\n"
        "| The class teacher will check his word book | Every Friday |\n"
    )
    found = kinds(completed(audit), "quantified_provision")
    assert "The class teacher will check his word book" in found


def test_a_row_whose_statement_is_unquantified_gets_its_amount_from_the_next_cell() -> None:
    audit = plan(
        "| Support | How often | Staff |\n"
        "|---|---|---|\n"
        "| Adults will give Wilf a visual checklist for tidying up | Every afternoon "
        "| Teaching assistant |\n"
    )
    cues = completed(audit)
    assert kinds(cues, "quantified_provision") == [
        "Adults will give Wilf a visual checklist for tidying up"
    ]
    assert not any(c.rule == "vague.unquantified_statement" and c.location.row == 1 for c in cues)


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (
            ("Provision", "Frequency", "Duration", "Who will provide it"),
            {0: "what", 1: "how_often", 2: "how_long", 3: "who"},
        ),
        (("What support", "How often", "Provided by"), {0: "what", 1: "how_often", 2: "who"}),
        # one named column is not a header: the first row is data
        (("Reading group", "Twice a week"), {}),
    ],
)
def test_header_roles(header: tuple[str, ...], roles: dict[int, str]) -> None:
    assert header_roles(header, provision_rules()) == roles


def test_section_rows_keep_a_combined_tables_sections_apart() -> None:
    audit = plan("A teaching assistant will read with Wilf for 10 minutes every day.")
    assert section_rows(audit.sections, ["F"]) == []


def test_a_bare_word_in_a_cell_is_not_vague_when_its_row_gives_the_amount() -> None:
    cues = completed(
        plan(
            "| Provision | Frequency | Duration | Who will provide it |\n|---|---|---|---|\n"
            "| Adult support in maths lessons to break down each task | Every afternoon "
            "| 1 hour | Teaching assistant |\n"
        )
    )
    assert kinds(cues, "quantified_provision") == [
        "Adult support in maths lessons to break down each task"
    ]
    assert kinds(cues, "vague_provision") == []


def test_a_row_quantified_only_in_its_who_cell_gets_its_cue_on_what_is_provided() -> None:
    cues = completed(
        plan(
            "| Provision | Frequency | Duration | Staffing | Who is responsible |\n"
            "|---|---|---|---|---|\n"
            "| Handwriting programme written by the occupational therapist | Three times a week "
            "| 10 minutes | Learning assistant (Mr Oduya) "
            "| Class teacher, with the therapist checking the programme each half term |\n"
        )
    )
    assert kinds(cues, "quantified_provision") == [
        "Handwriting programme written by the occupational therapist"
    ]
    # the name in the staffing column is not a statement of provision
    assert kinds(cues, "vague_provision") == []


def test_a_topic_label_beside_its_provision_is_not_vague() -> None:
    cues = completed(
        plan(
            "| Area | What Wilf will have |\n|---|---|\n"
            "| Emotional wellbeing and friendships "
            "| A learning mentor will meet Wilf for 20 minutes every Monday. |\n"
            "| Emotional support | Wilf will have access to a calm room when he needs it. |\n"
        )
    )
    vague = kinds(cues, "vague_provision")
    assert "Emotional wellbeing and friendships" not in vague
    assert "Emotional support" not in vague
    # the provision beside it is still judged on its own words
    assert "Wilf will have access to a calm room when he needs it." in vague


def test_a_second_statement_in_a_quantified_cell_keeps_its_own_verdict() -> None:
    cues = completed(
        plan(
            "| Provision | Detail | Responsible |\n|---|---|---|\n"
            "| Reading | Wilf will have reading interventions. A teaching assistant will hear "
            "Wilf read for 10 minutes every day. | Brindle Lane |\n"
        )
    )
    assert "Wilf will have reading interventions." in kinds(cues, "vague_provision")
    assert "A teaching assistant will hear Wilf read for 10 minutes every day." in kinds(
        cues, "quantified_provision"
    )
