"""Personal details from label/value pairs, tables and page furniture."""

from __future__ import annotations

import datetime as dt

import pytest

from ehcp_audit._model import (
    Block,
    BlockKind,
    CellRef,
    Document,
    FoundBy,
    PlanDetails,
    SourceFormat,
)
from ehcp_audit.details import parse_date, parse_details, year_group
from ehcp_audit.sections import sectionize


class Doc:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.furniture: list[Block] = []
        self.tables = 0

    def p(self, text: str, **kw) -> Doc:
        self.blocks.append(Block(index=len(self.blocks), kind=BlockKind.PARAGRAPH, text=text, **kw))
        return self

    def h(self, text: str, level: int = 1) -> Doc:
        return self.p(
            text,
            style=f"Heading {level}",
            heading_level=level,
            heading_source=FoundBy.HEADING_STYLE,
        )

    def table(self, rows: list[list[str]], *, bold_header: bool = False) -> Doc:
        self.tables += 1
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.blocks.append(
                    Block(
                        index=len(self.blocks),
                        kind=BlockKind.TABLE_CELL,
                        text=text,
                        cell=CellRef(table=self.tables, row=r, column=c),
                        bold=bold_header and r == 0,
                    )
                )
        return self

    def header(self, text: str) -> Doc:
        self.furniture.append(Block(index=len(self.furniture), kind=BlockKind.PARAGRAPH, text=text))
        return self

    def details(self) -> PlanDetails:
        doc = Document(
            format=SourceFormat.DOCX, blocks=tuple(self.blocks), furniture=tuple(self.furniture)
        )
        return parse_details(doc, sectionize(doc))


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "14/03/2016",
        "14/3/2016",
        "14 March 2016",
        "14th March 2016",
        "14th of March, 2016",
        "2016-03-14",
        "14.03.16",
        "14-03-2016",
        "14 Mar 2016",
        "March 14, 2016",
        "Born on 14/03/2016 in Leeds",
    ],
)
def test_uk_date_formats(text):
    assert parse_date(text) == dt.date(2016, 3, 14)


@pytest.mark.parametrize("text", ["", "31/02/2016", "no date here", "Year 9", "12345"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_month_and_year_only_when_asked():
    assert parse_date("October 2026") is None
    assert parse_date("October 2026", month_only=True) == dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Year 9", "Year 9"),
        ("Y9", "Year 9"),
        ("yr 10", "Year 10"),
        ("NC Year 4", "Year 4"),
        ("4", "Year 4"),
        ("Reception", "Reception"),
        ("R", "Reception"),
        ("Nursery (pre-school)", "Nursery"),
        ("Post-16", "Post-16"),
        ("Sixth form", "Post-16"),
        ("Year 12 (sixth form)", "Year 12"),
        ("Oak class", None),
    ],
)
def test_year_groups(raw, expected):
    assert year_group(raw) == expected


# -- label/value pairs ------------------------------------------------------------------


def test_paragraph_pairs_and_computed_age():
    d = (
        Doc()
        .h("Education, Health and Care Plan")
        .p("Name: Sam Green")
        .p("Preferred name: Sammy")
        .p("Date of birth: 14th March 2016")
        .p("Year group: Y4")
        .p("Date of plan: 02/10/2025")
        .p("Date of next review: October 2026")
        .h("Section A: All about me")
        .p("I like trains.")
    ).details()
    assert d == PlanDetails(
        name="Sam Green",
        preferred_name="Sammy",
        date_of_birth=dt.date(2016, 3, 14),
        age=9,
        year_group="Year 4",
        plan_date=dt.date(2025, 10, 2),
        review_date=dt.date(2026, 10, 1),
        status=None,
    )


def test_several_pairs_on_one_line_and_markdown():
    d = (
        Doc()
        .p("Name: Amira Khan    DOB: 14.03.16   Age: 9 years 6 months")
        .p("- **Year group:** Reception")
        .p("**Plan status:** Draft")
    ).details()
    assert (d.name, d.date_of_birth, d.age) == ("Amira Khan", dt.date(2016, 3, 14), 9)
    assert d.year_group == "Reception" and d.status == "draft"


def test_stated_age_wins_over_computed():
    d = Doc().p("Date of birth: 01/09/2010").p("Age: 14").p("Date plan issued: 1 June 2025")
    assert d.details().age == 14


def test_table_value_to_the_right_and_below():
    d = (
        Doc()
        .table([["Name:", "Sam Green", "Preferred name:", "Sam"], ["Date of Birth:", "2016-03-14"]])
        .table(
            [
                ["Year group", "Date of this plan", "Annual review due"],
                ["Year 9", "14/11/2025", "13/11/2026"],
            ]
        )
    ).details()
    assert (d.name, d.preferred_name, d.date_of_birth) == ("Sam Green", "Sam", dt.date(2016, 3, 14))
    assert d.year_group == "Year 9"
    assert d.plan_date == dt.date(2025, 11, 14)
    assert d.review_date == dt.date(2026, 11, 13)


def test_heading_row_of_labels_has_its_values_below():
    d = Doc().table(
        [
            ["Plan status", "Date of this plan", "Date of next review", "Age and year group"],
            ["FINAL", "06/10/2025", "05/10/2026", "9 years, Year 4"],
        ]
    )
    details = d.details()
    assert details.status == "final"
    assert details.plan_date == dt.date(2025, 10, 6)
    assert details.review_date == dt.date(2026, 10, 5)
    assert (details.age, details.year_group) == (9, "Year 4")


def test_label_and_value_in_one_cell():
    d = Doc().table([["Name: Leo Brown", "Date of birth: 3 May 2012"]]).details()
    assert d.name == "Leo Brown" and d.date_of_birth == dt.date(2012, 5, 3)


def test_details_in_page_header_and_footer():
    d = Doc().header("Name: Sam Green   DOB: 14/03/2016").h("Section A").p("I like trains.")
    d.header("DRAFT EHC plan")
    details = d.details()
    assert details.name == "Sam Green"
    assert details.date_of_birth == dt.date(2016, 3, 14)
    assert details.status == "draft"


def test_placeholders_are_not_values():
    d = (
        Doc()
        .table([["Name:", "{{ name }}"], ["Date of Birth:", "[Insert date of birth]"]])
        .p("Preferred name: Click or tap here to enter text.")
        .p("Year group: xxxx")
        .header("Name: <name>")
    ).details()
    assert d == PlanDetails()


def test_somebody_elses_name_is_not_the_childs():
    d = (
        Doc()
        .p("Parent name: Nadia Khan")
        .p("School name: Larchmere")
        .h("Section I: Placement")
        .table([["Name", "Larchmere Primary School"]])
        .p("Other")
        .h("Sign-off")
        .table([["Name", "J. Patel"], ["Date plan issued", "2 October 2025"]])
    ).details()
    assert d.name is None
    assert d.plan_date == dt.date(2025, 10, 2)


def test_known_as_in_the_name_value():
    d = Doc().p("Name: Samuel Green, known as Sam").details()
    assert (d.name, d.preferred_name) == ("Samuel Green", "Sam")


# -- status -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        (["DRAFT", "Name: Sam"], "draft"),
        (["Draft EHC plan", "Name: Sam"], "draft"),
        (["Proposed plan for Sam Green"], "draft"),
        (["Final EHC Plan", "Name: Sam"], "final"),
        (["Status: Final"], "final"),
        (["This plan is final. Date of plan: 12 December 2025"], "final"),
        (["Final plan issued: 2 October 2025"], "final"),
        (["Final plan issued: {{ date }}"], None),
        (["Name: Sam"], None),
    ],
)
def test_status(lines, status):
    d = Doc()
    for line in lines:
        d.p(line)
    d.h("Section A: All about me").p("I said the draft plan was wrong and they changed it.")
    assert d.details().status == status


def test_draft_mentioned_in_the_body_does_not_make_a_final_plan_a_draft():
    d = Doc().p("Plan status: Final").h("Section A").p("We saw the draft plan on 1 September.")
    assert d.details().status == "final"


def test_review_date_said_in_a_sentence():
    d = Doc().p("We will look at this plan again by 19 June 2026.").h("Section A").p("Hi")
    assert d.details().review_date == dt.date(2026, 6, 19)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["Review", "Within 12 months (March 2027), then yearly"], dt.date(2027, 3, 1)),
        (["Plan review", "by 30 November 2026"], dt.date(2026, 11, 30)),
        (["Review", "To be arranged"], None),
        (["Review", "02/2027"], dt.date(2027, 2, 1)),
    ],
)
def test_review_date_from_a_bare_review_row(row, expected):
    d = Doc().table([["Name", "Noor Lindqvist"], row]).h("Section A").p("Hi")
    assert d.details().review_date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date of plan | 2 May 2026  Review | Within 12 months (April 2027)", dt.date(2027, 4, 1)),
        ("Next review: within 6 months (November 2026)", dt.date(2026, 11, 1)),
        ("Review: June 2027", dt.date(2027, 6, 1)),
        ("The last review meeting was held on 3 March 2026.", None),
        # a month and year in figures, as a form's review box often has it
        ("Review date: 11/2026", dt.date(2026, 11, 1)),
        ("Next review: 03.2027", dt.date(2027, 3, 1)),
        # a fraction and a reference number are not review months
        ("Review: 3/4 of the targets were met.", None),
        ("Review ref 10/2026-118", None),
    ],
)
def test_review_date_after_a_review_label_in_front_text(text, expected):
    d = Doc().p(text).h("Section A").p("Hi")
    assert d.details().review_date == expected


def test_no_details_at_all():
    assert Doc().p("Hello").details() == PlanDetails()
    empty = Document(format=SourceFormat.TEXT, blocks=())
    assert parse_details(empty, sectionize(empty)) == PlanDetails()


def test_parents_names_from_labels_and_tables() -> None:
    from ehcp_audit.details import _parent_names

    assert _parent_names("Nadia Khan (Mother)") == ["Nadia Khan"]
    assert _parent_names("Sue and Tom Hill") == ["Sue", "Tom Hill"]
    assert _parent_names("Mrs J. Pryce, foster carer") == ["Mrs J. Pryce"]
    assert _parent_names("Parent or carer 1") == []
    assert _parent_names("not known") == []


def test_an_attendance_table_s_name_column_is_not_the_child_s_name():
    d = (
        Doc()
        .h("Education, Health and Care Plan")
        .p("Name: Wren Ashby")
        .table([["Name", "Role", "Present"], ["Ms Ida Crane", "SENCo", "Yes"]], bold_header=True)
        .h("Section A: All about me")
        .p("I like trains.")
    ).details()
    assert d.name == "Wren Ashby"


def test_a_details_header_row_still_gives_its_values_below():
    d = (
        Doc()
        .h("Education, Health and Care Plan")
        .table(
            [["Name", "Date of birth", "Year group"], ["Wren Ashby", "3 May 2015", "Year 6"]],
            bold_header=True,
        )
        .h("Section A: All about me")
        .p("I like trains.")
    ).details()
    assert d.name == "Wren Ashby"
    assert d.date_of_birth == dt.date(2015, 5, 3)


def test_a_details_table_with_a_header_row_keeps_the_child_s_name():
    d = (
        Doc()
        .h("Education, Health and Care Plan")
        .table(
            [["Name", "Address", "First language"], ["Isla Penrose", "4 Mill Lane", "English"]],
            bold_header=True,
        )
        .h("Section A: All about me")
        .p("I like trains.")
    ).details()
    assert d.name == "Isla Penrose"
