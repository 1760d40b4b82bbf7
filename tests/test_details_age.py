"""The child's age and the plan's dates when the details table says them unusually.

Classes: an age written beside the date of birth ("(age 19)", "aged 10"),
plan-date labels such as "Plan finalised", the annual review meeting a plan
came from (an anchor, never the next review), a fallback age from the dates
that bound the plan's own date, and a plain-text export that puts each
label and its value on lines of their own. Names and dates are invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ehcp_audit import audit_text
from ehcp_audit._model import Block, BlockKind, CellRef, Document, PlanDetails, SourceFormat
from ehcp_audit.details import parse_details
from ehcp_audit.sections import sectionize


def _table(rows: list[tuple[str, str]], *, after: tuple[str, ...] = ()) -> PlanDetails:
    """Details from a two-column details table (as a DOCX or PDF table reads)."""
    blocks = [Block(index=0, kind=BlockKind.PARAGRAPH, text="Education, Health and Care Plan")]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            blocks.append(
                Block(
                    index=len(blocks),
                    kind=BlockKind.TABLE_CELL,
                    text=text,
                    cell=CellRef(table=1, row=r, column=c),
                )
            )
    for text in ("Section A: All about me", "I like drawing buses.", *after):
        blocks.append(Block(index=len(blocks), kind=BlockKind.PARAGRAPH, text=text))
    doc = Document(format=SourceFormat.DOCX, blocks=tuple(blocks))
    return parse_details(doc, sectionize(doc))


def _lines(*lines: str) -> PlanDetails:
    """Details from paragraphs, one per line (a plain-text or PDF text export)."""
    blocks = tuple(
        Block(index=i, kind=BlockKind.PARAGRAPH, text=text)
        for i, text in enumerate(("Education, Health and Care Plan", *lines))
    )
    doc = Document(format=SourceFormat.TEXT, blocks=blocks)
    return parse_details(doc, sectionize(doc))


# -- an age beside the date of birth ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "age"),
    [
        ("11 August 2007 (age 19)", 19),
        ("11/08/2007, aged 19", 19),
        ("11 August 2007 (19 years old)", 19),
        ("11.08.07 (age: 19)", 19),
        ("11/08/2007 (19)", 19),  # a bare number that fits the birth year
    ],
)
def test_age_beside_the_date_of_birth(value, age):
    d = _table([("Name", "Tobias Wren"), ("Date of birth", value)])
    assert d.age == age


@pytest.mark.parametrize(
    "value",
    [
        "11/08/2007",  # nothing said and nothing to count from
        "11/08/2007 (2)",  # a bracketed number no plan date fits: a footnote, a copy
        "11 August 2007 (see note 4)",
        "11/08/2007 (age 7 months at diagnosis)",  # months, not years
    ],
)
def test_no_age_from_a_number_that_is_not_one(value):
    assert _table([("Name", "Tobias Wren"), ("Date of birth", value)]).age is None


def test_age_counted_from_the_plan_date_wins_over_the_one_beside_the_birth():
    # "(age 12)" written at assessment; by the plan's date the child is 13.
    d = _table([("Date of birth", "3 October 2013 (age 12)"), ("Date of plan", "20 November 2026")])
    assert d.age == 13


def test_age_in_markdown_details_list():
    d = _lines("- **Name:** Poppy Adair", "- **Date of birth:** 9 June 2019 (age 7)")
    assert (d.name, d.age) == ("Poppy Adair", 7)


# -- plan-date labels and the review meeting -------------------------------------------


@pytest.mark.parametrize(
    "label", ["Plan finalised", "Date this plan was finalised", "Date plan signed off"]
)
def test_plan_finalised_labels(label):
    d = _table([("Date of birth", "11/08/2010"), (label, "6 November 2026")])
    assert d.plan_date == dt.date(2026, 11, 6)
    assert d.age == 16


def test_annual_review_meeting_is_not_the_next_review():
    d = _table(
        [
            ("Annual review meeting", "2 October 2026"),
            ("Plan finalised", "30 October 2026"),
            ("Next review", "By 1 October 2027"),
        ]
    )
    assert d.plan_date == dt.date(2026, 10, 30)
    assert d.review_date == dt.date(2027, 10, 1)


def test_date_of_annual_review_meeting_in_text_is_no_review_date():
    d = _lines("Date of annual review meeting: 5 March 2026", "Date of plan: 1 April 2026")
    assert d.review_date is None
    assert d.plan_date == dt.date(2026, 4, 1)


def test_review_held_before_the_plan_is_not_the_next_one():
    # The summary of the review this plan came from, then the next review.
    d = _lines(
        "Date plan issued: 4 December 2026",
        "Date of review: 10 October 2026",
        "Next review: October 2027",
    )
    assert d.review_date == dt.date(2027, 10, 1)


# -- no plan date: the dates that bound it ----------------------------------------------


def test_no_plan_date_the_meeting_and_review_give_a_sixteen_year_old():
    # Born June 2010; the meeting in November 2026 makes him at least 16.
    d = _table(
        [
            ("Date of birth", "14/06/2010"),
            ("Annual review meeting", "12 November 2026"),
            ("Next review", "November 2027"),
        ]
    )
    assert d.plan_date is None
    assert d.age == 16


def test_no_plan_date_meeting_and_review_agree_on_the_age():
    # Born in July; the plan lies between the November meeting and the June review: 10.
    d = _table(
        [
            ("Date of birth", "20/07/2016"),
            ("Date of annual review meeting", "3 November 2026"),
            ("Next review", "1 June 2027"),
        ]
    )
    assert d.age == 10


def test_no_plan_date_and_bounds_either_side_of_a_birthday_give_no_age():
    # Born in July, review in March: 9 or 10 at the plan date, so no age is claimed.
    d = _table([("Date of birth", "20/07/2016"), ("Next review", "1 March 2027")])
    assert d.age is None


def test_no_plan_date_under_sixteen_either_side_gives_no_age():
    # 15 or 16 at the plan date: the one threshold that matters is left to the year group.
    d = _table([("Date of birth", "20/07/2010"), ("Next review", "1 March 2027")])
    assert d.age is None


# -- label and value on lines of their own (a plain-text export) ------------------------


def test_label_line_then_value_line():
    d = _lines(
        "Name:",
        "Rafael Osei",
        "Date of birth:",
        "02/02/2016",
        "Year group:",
        "Year 5",
        "Parent/carer:",
        "Mr Kwame Osei (father)",
        "Date plan issued:",
        "3 December 2026",
    )
    assert (d.name, d.date_of_birth, d.year_group) == (
        "Rafael Osei",
        dt.date(2016, 2, 2),
        "Year 5",
    )
    assert d.age == 10 and d.parents == ("Mr Kwame Osei",)


def test_label_line_followed_by_another_label_takes_no_value():
    d = _lines("Name:", "Date of birth:", "02/02/2016")
    assert d.name is None and d.date_of_birth == dt.date(2016, 2, 2)


def test_young_person_from_age_beside_birth_speaks_for_themselves():
    """End to end: with the age read beside the date of birth, a 19-year-old is an adult."""
    plan = audit_text(
        "Education, Health and Care Plan\n"
        "Name: Callum Voss\n"
        "Date of birth: 11 August 2007 (age 19)\n"
        "Section A: My views, interests and aspirations\n"
        "I want to learn to cook pasta.\n"
        "Section B: Special educational needs\n"
        "Callum has a learning disability.\n"
        "Section E: Outcomes\n"
        "Callum will cook a meal on his own by July 2027.\n"
        "Section F: Special educational provision\n"
        "A job coach for 2 hours a day.\n"
    )
    assert plan.details.age == 19


def test_parents_slash_carers_label_names_both_parents():
    d = _table(
        [
            ("Name", "Tobias Wren"),
            ("Parents / carers", "Hana Wren (mother), lives with Tobias; Piet Wren (father)"),
        ]
    )
    assert d.parents == ("Hana Wren", "Piet Wren")
