"""The sectionizer on hand-built documents that mimic what each reader produces.

The Somerset imitation follows the real template's XML (word/document.xml of
shared/templates/somerset-change-programme-ehcp-template.docx): its tables,
row order, merged header rows, bold label cells and Heading 2 paragraphs,
with two data rows per combined table instead of ten.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_audit._errors import ConfigError
from ehcp_audit._model import (
    SECTION_CODES,
    Block,
    BlockKind,
    CellRef,
    Document,
    FoundBy,
    SourceFormat,
)
from ehcp_audit.sections import Sectioning, sectionize

SOMERSET = Path("/work/shared/templates/somerset-change-programme-ehcp-template.docx")


class DocBuilder:
    """Blocks in reading order, as a reader would emit them."""

    def __init__(self, fmt: SourceFormat = SourceFormat.DOCX) -> None:
        self.fmt = fmt
        self.blocks: list[Block] = []
        self.furniture: list[Block] = []
        self.tables = 0

    def _add(self, **kw) -> DocBuilder:
        self.blocks.append(Block(index=len(self.blocks), **kw))
        return self

    def p(self, text: str, *, bold: bool = False, kind: BlockKind = BlockKind.PARAGRAPH, **kw):
        return self._add(kind=kind, text=text, bold=bold, **kw)

    def h(self, text: str, level: int = 1, source: FoundBy = FoundBy.HEADING_STYLE):
        style = f"Heading {level}" if source is FoundBy.HEADING_STYLE else None
        return self._add(
            kind=BlockKind.HEADING,
            text=text,
            style=style,
            heading_level=level,
            heading_source=source,
        )

    def li(self, text: str, **kw):
        return self._add(kind=BlockKind.LIST_ITEM, text=text, **kw)

    def table(self, rows: list[list[str]]) -> DocBuilder:
        """Cells are strings; a leading '*' marks a wholly bold cell and a
        leading '^2' a cell paragraph in the Heading 2 style (as Word allows)."""
        self.tables += 1
        parsed = [[_cell_marks(raw) for raw in row] for row in rows]
        header = tuple(text for text, _, _ in parsed[0])
        for r, row in enumerate(parsed):
            for c, (text, bold, level) in enumerate(row):
                self._add(
                    kind=BlockKind.TABLE_CELL,
                    text=text,
                    bold=bold,
                    style=f"Heading {level}" if level else None,
                    heading_level=level,
                    heading_source=FoundBy.HEADING_STYLE if level else None,
                    cell=CellRef(table=self.tables, row=r, column=c, header=header),
                )
        return self

    def doc(self) -> Document:
        return Document(format=self.fmt, blocks=tuple(self.blocks), furniture=tuple(self.furniture))


def _cell_marks(raw: str) -> tuple[str, bool, int | None]:
    bold, level = False, None
    while raw[:1] in ("*", "^"):
        if raw[0] == "*":
            bold, raw = True, raw[1:]
        else:
            level, raw = int(raw[1]), raw[2:]
    return raw, bold, level


def texts(sectioning: Sectioning, code: str) -> str:
    section = sectioning.section(code)
    assert section is not None, f"section {code} not found"
    return section.text


# -- the Somerset imitation -----------------------------------------------------------

AREAS = (
    (
        "communication_interaction",
        "Communication and interaction\n\nChildren and young people with speech, language and "
        "communication needs (SLCN) have difficulty in communicating with others. More "
        "information is provided at paragraphs 6.28-6.29 of the SEND Code of Practice.",
    ),
    (
        "cognition_learning",
        "Cognition and learning\nSupport for learning difficulties may be required when "
        "children and young people learn at a slower pace than their peers.",
    ),
    (
        "semh",
        "Social, emotional and mental health difficulties\nChildren and young people may "
        "experience a wide range of social, emotional and mental health difficulties.",
    ),
    (
        "sensory_physical",
        "Sensory and/or physical needs\nSome children and young people require special "
        "educational provision because they have a disability.",
    ),
)


def somerset(fill: dict[str, str] | None = None, rows: int = 2) -> Document:
    """The Somerset change-programme template, blank or filled in.

    ``fill`` maps a Jinja field name to the text written in its place.
    """
    fill = fill or {}

    def f(name: str) -> str:
        return fill.get(name, "{{ " + name + " }}")

    d = DocBuilder()
    d.h("EHCP template for testing in Change Programme Areas", 1)
    d.table(
        [
            ["^2Child or young person’s personal details"],
            ["*Name:", f("name"), "*Preferred name: ", f("preferred_name")],
            ["*Date of Birth:", f("date_of_birth")],
            ["*Sex:", f("sex"), "*Ethnicity:", f("ethnicity")],
            ["*MAIN CONTACT DETAILS: "],
            ["*Main contact: Parent or carer 1 ", f("parent_1_name"), "Relationship:", "x"],
            ["Email: ", f("parent_1_email"), "Telephone number:", f("parent_1_telephone")],
        ]
    )
    d.table(
        [
            ["^3Services currently involved with this child or young person"],
            ["Education setting ", f("education_setting")],
            ["Known to social care ", f("known_to_social_care")],
            ["Is there is a one page profile received (append)?", f("one_page_profile")],
        ]
    )
    d.table([["*\nA1", "^2Summary of the child or young person’s history"], ["", f("history")]])
    d.table(
        [
            [
                "^3A2 SUMMARY the views, interests and aspirations of the CHILD and their parent, "
                "or of the YOUNG PERSON"
            ],
            [
                "*For digital systems: If child or young person wishes to do so: include "
                "drawings, videos or sound recordings here: \nWhere recordings are used, they "
                "should normally be no more than 5 minutes in length. "
            ],
            ["*Views"],
            [f("child_views") + "\n\n" + f("family_views")],
            ["*Interests "],
            [f("interests")],
            ["*Strengths"],
            [f("strengths")],
            ["*Aspirations"],
            [f("aspirations")],
        ]
    )
    for key, intro in AREAS:
        table = [
            ["^2Special Educational Needs and Provision (B-F-E)\n" + intro],
            ["*^2Strengths"],
            [f(f"{key}_strengths")],
            [
                "*B – Special Educational Needs",
                "*F – Special Educational Provision",
                "* E – Outcomes",
            ],
        ]
        for i in range(1, rows + 1):
            table.append([f(f"{key}_need_{i}"), f(f"{key}_provision_{i}"), f(f"{key}_outcome_{i}")])
        d.table(table)
    d.h(
        "Sections C (The child or young person’s health care needs which relate to their SEN) "
        "and G (Health Care Provision relating to those needs)",
        2,
    )
    table = [
        ["*Strengths"],
        [f("health_care_strengths")],
        [
            "*C - Health care needs which relates to their special educational needs\n",
            "*G – Health Care Provision reasonably required by the learning difficulties or "
            "disabilities which result in the child or young person having special educational "
            "needs\n",
            "*E – Outcomes ",
        ],
    ]
    for i in range(1, rows + 1):
        table.append(
            [
                f(f"health_care_need_{i}"),
                f(f"health_care_provision_{i}"),
                f(f"health_care_outcome_{i}"),
            ]
        )
    d.table(table)
    d.h(
        "Sections D (Social care needs which relate to the SEN) and H1 and H2 "
        "(Social care provision) ",
        2,
    )
    table = [
        ["*Strengths"],
        [f("social_care_strengths")],
        [
            "*D – Social care needs which relate to the child or young person's special "
            "educational needs or to a disability.",
            "*H1 – Any social care provision which must be made for a child or young person "
            "under 18 resulting from section 2 of the Chronically Sick and Disabled Persons "
            "Act 1970 ",
            "*H2 - Other social care provision reasonably required by the learning difficulties "
            "or disabilities which result in the child or young person having special "
            "educational needs",
            "*E – Outcomes",
        ],
    ]
    for i in range(1, rows + 1):
        table.append(
            [
                f(f"social_care_need_{i}"),
                f(f"h1_provision_{i}"),
                f(f"h2_provision_{i}"),
                f(f"social_care_outcome_{i}"),
            ]
        )
    d.table(table)
    d.h("I - Placement", 2)
    d.table(
        [
            ["*Name \n", fill.get("placement_name", "")],
            ["*Type \n", fill.get("placement_type", "")],
            ["", ""],
        ]
    )
    d.h("J - Direct Payments", 2)
    d.table(
        [
            ["*Details", fill.get("pb_details", "")],
            ["*Arrangements for direct payment", fill.get("pb_arrangements", "")],
        ]
    )
    d.h("K - The advice and information gathered during the EHC needs assessment ", 2)
    k = [["*Advice and information requested: ", "*Date received", "*Who from", "*Appended"]]
    k.append(
        [
            fill.get("advice_1", ""),
            fill.get("advice_1_date", ""),
            fill.get("advice_1_who", ""),
            fill.get("advice_1_appended", "YES/ NO"),
        ]
    )
    k += [
        ["\nMedical advice\n", "", "", "YES/ NO"],
        ["Educational psychologist\n", "", "", "YES/ NO"],
        ["Social care\n", "", "", "YES/ NO"],
        [
            "Provision to assist the Y9 and older children and young people in prepare for "
            "independent in adulthood. \n",
            "",
            "",
            "YES/ NO",
        ],
    ]
    d.table(k)
    d.p("Sign-off", bold=True)
    d.table(
        [
            ["*Local authority officer – name \n", "*Local authority officer - signature", "*Date"],
            [fill.get("officer", ""), "", fill.get("sign_date", "")],
        ]
    )
    return d.doc()


FILLED = {
    "name": "Amira Khan",
    "history": "Amira lives with her mum and dad and her little brother in Anytown.",
    "child_views": "I like drawing horses and I want to be a vet.",
    "family_views": "We are proud of how hard Amira tries at school.",
    "interests": "Horses, drawing and swimming.",
    "strengths": "Amira is kind and funny.",
    "communication_interaction_strengths": "Amira can tell you what she wants with symbols.",
    "communication_interaction_need_1": "Amira finds it hard to follow long instructions.",
    "communication_interaction_provision_1": "Speech and language therapy, 30 minutes weekly.",
    "communication_interaction_outcome_1": "By July 2026 Amira will follow two-step instructions.",
    "cognition_learning_need_1": "Amira is working below age-related expectations in reading.",
    "cognition_learning_provision_1": "Daily 15-minute phonics group with a teaching assistant.",
    "cognition_learning_outcome_1": "By July 2026 Amira will read 50 common words.",
    "health_care_need_1": "Amira has asthma which is well controlled.",
    "health_care_provision_1": "School nurse to review the care plan once a year.",
    "health_care_outcome_1": "Amira will take part in PE every week.",
    "social_care_need_1": "The family would benefit from short breaks.",
    "h1_provision_1": "Two short-break sessions each month.",
    "h2_provision_1": "A parent support group place.",
    "social_care_outcome_1": "Amira will join a Saturday club with friends.",
    "placement_name": "Larchmere Primary School",
    "placement_type": "Mainstream maintained primary school",
    "pb_details": "No personal budget has been requested.",
    "advice_1": "Educational psychology advice",
    "advice_1_date": "12/06/2025",
    "advice_1_who": "Dr Ruth Evans, Educational Psychologist",
    "advice_1_appended": "YES",
    "officer": "J. Patel, SEN Case Officer",
}


class TestSomersetBlank:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls) -> Sectioning:
        return sectionize(somerset())

    def test_every_statutory_section_is_found_in_layout_order(self, result):
        assert result.codes == (
            "front", "A", "B", "F", "E", "C", "G", "D", "H1", "H2", "I", "J", "K", "other",
        )  # fmt: skip
        assert result.missing == ()

    def test_a1_and_a2_tables_both_go_to_a(self, result):
        a = result.section("A")
        assert a.heading == "A1 Summary of the child or young person’s history"
        assert a.found_by is FoundBy.TABLE_CELL
        assert a.subsections[0].startswith("A1 Summary")
        assert a.subsections[1].startswith("A2 SUMMARY the views")
        for sub in ("Views", "Interests", "Strengths", "Aspirations"):
            assert sub in a.subsections
        assert "{{ child_views }}" in a.text and "{{ history }}" in a.text

    def test_each_b_f_e_table_feeds_b_f_and_e(self, result):
        b, f, e = (result.section(c) for c in "BFE")
        assert b.heading == "Special Educational Needs and Provision (B-F-E)"
        assert f.heading == "F – Special Educational Provision"
        assert e.heading == "E – Outcomes"
        assert f.found_by is FoundBy.TABLE_CELL and e.found_by is FoundBy.TABLE_CELL
        for key, _ in AREAS:
            assert f"{{{{ {key}_need_1 }}}}" in b.text
            assert f"{{{{ {key}_strengths }}}}" in b.text
            assert f"{{{{ {key}_provision_2 }}}}" in f.text
            assert f"{{{{ {key}_outcome_2 }}}}" in e.text
            assert f"{key}_provision" not in b.text and f"{key}_need" not in f.text
        # Areas of need are recorded as B's subsections.
        assert {
            "Communication and interaction",
            "Cognition and learning",
            "Social, emotional and mental health difficulties",
            "Sensory and/or physical needs",
        } <= set(b.subsections)
        # The column heading cells are headings, not body.
        assert "Special Educational Provision" not in f.text

    def test_outcomes_from_every_combined_table_are_in_e_in_document_order(self, result):
        e = result.section("E")
        indices = [blk.index for blk in e.blocks]
        assert indices == sorted(indices)
        assert "health_care_outcome_1" in e.text and "social_care_outcome_2" in e.text
        assert e.text.index("sensory_physical_outcome_1") < e.text.index("health_care_outcome_1")

    def test_c_g_and_d_h1_h2_tables(self, result):
        c = result.section("C")
        assert c.found_by is FoundBy.HEADING_STYLE
        assert c.heading.startswith("Sections C (The child")
        assert "health_care_need_1" in c.text and "health_care_strengths" in c.text
        assert "health_care_provision_1" in texts(result, "G")
        assert "social_care_need_2" in texts(result, "D")
        assert "h1_provision_1" in texts(result, "H1") and "h2_provision" not in texts(result, "H1")
        assert "h2_provision_2" in texts(result, "H2")

    def test_row_links_pair_need_provision_and_outcome(self, result):
        assert len(result.row_links) == 4 * 2 + 2 + 2
        doc = somerset()
        first = result.row_links[0]
        assert [code for code, _ in first.cells] == ["B", "F", "E"]
        provision = doc.blocks[first.blocks_for("F")[0]].text
        assert provision == "{{ communication_interaction_provision_1 }}"
        last = result.row_links[-1]
        assert [code for code, _ in last.cells] == ["D", "H1", "H2", "E"]
        assert doc.blocks[last.blocks_for("H2")[0]].text == "{{ h2_provision_2 }}"
        assert last.row == 4

    def test_i_j_k_and_sign_off(self, result):
        assert result.section("I").heading == "I - Placement"
        assert result.section("J").heading == "J - Direct Payments"
        assert "Medical advice" in texts(result, "K")
        other = result.section("other")
        assert other.heading == "Sign-off" and other.found_by is FoundBy.FONT
        assert "Local authority officer" in other.text

    def test_blank_template_sections_are_unfilled(self, result):
        for code in SECTION_CODES:
            assert result.section(code).filled is False, code

    def test_unfilled_fields_name_their_section_and_place(self, result):
        by_text = {u.text: u for u in result.unfilled}
        assert by_text["{{ name }}"].section == "front"
        assert by_text["{{ h1_provision_1 }}"].section == "H1"
        assert by_text["{{ history }}"].location.table == 3
        assert sum(1 for u in result.unfilled if u.text == "YES/ NO") == 5
        assert all(u.section == "K" for u in result.unfilled if u.text == "YES/ NO")

    def test_preamble_is_front(self, result):
        front = result.section("front")
        assert front.heading == "" and front.heading_block is None
        assert "Child or young person’s personal details" in front.text
        assert "Education setting" in front.text


def test_somerset_filled_in():
    result = sectionize(somerset(FILLED))
    assert result.missing == ()
    for code in SECTION_CODES:
        assert result.section(code).filled, code
    assert texts(result, "A").startswith("")
    assert "Amira lives with her mum" in texts(result, "A")
    assert "I like drawing horses" in texts(result, "A")
    assert "follow long instructions" in texts(result, "B")
    assert "Speech and language therapy" in texts(result, "F")
    assert "Speech and language therapy" not in texts(result, "B")
    assert "follow two-step instructions" in texts(result, "E")
    assert "Saturday club" in texts(result, "E")
    assert "short-break sessions" in texts(result, "H1")
    assert "Larchmere Primary School" in texts(result, "I")
    assert "No personal budget" in texts(result, "J")
    assert "Dr Ruth Evans" in texts(result, "K")
    link = result.row_links[0]
    doc = somerset(FILLED)
    assert "follow two-step" in doc.blocks[link.blocks_for("E")[0]].text
    assert {u.section for u in result.unfilled} >= {"B", "F", "E"}  # unused rows stay unfilled


# -- headings by form -------------------------------------------------------------------------


def classic() -> DocBuilder:
    return (
        DocBuilder()
        .h("Education, Health and Care Plan", 1)
        .p("Name: Sam Green")
        .h("Section A: Views, interests and aspirations", 1)
        .p("I like trains.")
        .p("A lot of people help me at school.")
        .h("Section E – Outcomes", 1)
        .p("By July 2026 Sam will read simple sentences.")
        .h("Section B: Special educational needs", 1)
        .h("Communication and interaction", 2)
        .p("Sam finds it hard to listen in a big group.")
        .h("Section C – Health care needs", 1)
        .p("Sam has no health care needs.")
        .h("Section D – Social care needs", 1)
        .p("No social care needs.")
        .h("Section F: Special educational provision", 1)
        .p("A teaching assistant for 10 hours a week.")
        .h("Section G: Health provision", 1)
        .p("None.")
        .h("H – Social care provision", 1)
        .p("None required.")
        .h("Section I: Placement", 1)
        .p("Larchmere Primary School")
        .h("Section K: Advice and information", 1)
        .p("Educational psychology advice, 12/06/2025")
    )


def test_heading_styles_any_order_and_merged_h():
    result = sectionize(classic().doc())
    assert result.codes == ("front", "A", "E", "B", "C", "D", "F", "G", "H1", "I", "K")
    assert result.missing == ("J",)  # H2 is not missing: "H –" covers H1 and H2
    assert result.section("H1").heading == "H – Social care provision"
    assert result.section("B").found_by is FoundBy.HEADING_STYLE
    assert result.section("B").subsections == ("Communication and interaction",)
    assert "I like trains." in texts(result, "A")
    assert "A lot of people" in texts(result, "A")
    assert result.section("E").heading_block == 5


def test_outline_level_source_is_reported():
    d = DocBuilder().h("Part A – All about me", 1, source=FoundBy.OUTLINE_LEVEL).p("I like Lego.")
    result = sectionize(d.doc())
    assert result.section("A").found_by is FoundBy.OUTLINE_LEVEL
    assert result.section("A").heading == "Part A – All about me"


def test_bold_paragraphs_as_headings():
    d = (
        DocBuilder()
        .p("Section A", bold=True)
        .p("Sam enjoys football and music.")
        .p("B. Special Educational Needs", bold=True)
        .p("Sam has dyslexia.")
        .p("F) Provision", bold=True)
        .p("One hour of specialist teaching a week.")
    )
    result = sectionize(d.doc())
    assert result.codes == ("A", "B", "F")
    assert result.section("B").found_by is FoundBy.FONT
    assert "specialist teaching" in texts(result, "F")


def test_pdf_font_headings():
    d = DocBuilder(SourceFormat.PDF)
    d.p(
        "The views, interests and aspirations of Sam and his parents",
        font_size=16.0,
        body_font_size=11.0,
    )
    d.p("Sam likes swimming.", font_size=11.0, body_font_size=11.0)
    d.p("Outcomes", font_size=14.0, body_font_size=11.0)
    d.p("Sam will swim 10 metres.", font_size=11.0, body_font_size=11.0)
    d.h("The special educational provision", 1, source=FoundBy.FONT)
    d.p("Swimming lessons weekly.", font_size=11.0, body_font_size=11.0)
    result = sectionize(d.doc())
    assert result.codes == ("A", "E", "F")
    assert result.section("A").found_by is FoundBy.FONT
    assert result.section("F").found_by is FoundBy.FONT


def test_markdown_and_plain_text_headings():
    d = DocBuilder(SourceFormat.TEXT)
    d.h("All about me", 1, source=FoundBy.TEXT_PATTERN)
    d.p("I like trains")
    d.p("SECTION B: SPECIAL EDUCATIONAL NEEDS")
    d.p("Sam finds reading hard.")
    d.p("Section F - Special educational provision")
    d.p("Daily reading with an adult.")
    d.p("Outcomes")
    d.p("Sam will read a book by himself.")
    result = sectionize(d.doc())
    assert result.codes == ("A", "B", "F", "E")
    for code in "ABFE":
        assert result.section(code).found_by is FoundBy.TEXT_PATTERN
    assert "I like trains" in texts(result, "A")


# -- table layouts -------------------------------------------------------------------------


def test_letter_in_left_hand_cell_and_single_cell_heading_rows():
    d = DocBuilder().table(
        [
            ["A", "Views, interests and aspirations"],
            ["I like dinosaurs and my dog Max.", ""],
            ["B", "Special educational needs"],
            ["Sam has autism and finds change hard.", ""],
            ["Section F: Special educational provision"],
            ["A visual timetable, checked each morning by his key adult."],
            ["I", "Placement"],
            ["Larchmere Primary School"],
        ]
    )
    result = sectionize(d.doc())
    assert result.codes == ("A", "B", "F", "I")
    assert result.section("A").heading == "A Views, interests and aspirations"
    assert result.section("A").found_by is FoundBy.TABLE_CELL
    assert result.section("F").heading == "Section F: Special educational provision"
    assert "dinosaurs" in texts(result, "A")
    assert "visual timetable" in texts(result, "F")
    assert "Larchmere" in texts(result, "I")


def test_text_under_a_heading_in_the_same_cell_stays_in_the_section():
    d = DocBuilder().table(
        [["^2All about me\nI like trains and my dog."], ["Special educational needs\n{{ b }}"]]
    )
    result = sectionize(d.doc())
    assert result.codes == ("A", "B")
    a = result.section("A")
    assert a.heading == "All about me" and a.heading_block == 0
    assert "I like trains" in a.text and a.filled
    assert result.section("B").filled is False
    assert [u.section for u in result.unfilled] == ["B"]
    field = result.unfilled[0]
    assert field.text == "{{ b }}"
    assert (field.location.start, field.location.end) == (26, 33)


def test_letter_title_and_answer_in_three_cells():
    """ "J | Personal budget | None requested.": the third cell is the answer."""
    d = DocBuilder().table(
        [
            ["A", "Views and aspirations", "Bea wants to be a vet."],
            ["J", "Personal budget", "None requested."],
            ["K", "Advice and information", "[Enter advice]"],
        ]
    )
    result = sectionize(d.doc())
    assert result.codes == ("A", "J", "K")
    assert result.section("J").heading == "J Personal budget"
    assert texts(result, "J") == "None requested." and result.section("J").filled
    assert texts(result, "A") == "Bea wants to be a vet."
    assert result.section("K").filled is False


def test_a_short_answer_beside_a_letter_is_not_its_title():
    d = DocBuilder().table([["J", "None requested."], ["I", "Placement"], ["Larchmere School", ""]])
    result = sectionize(d.doc())
    assert result.section("J").heading == "J"
    assert texts(result, "J") == "None requested." and result.section("J").filled
    assert result.section("I").heading == "I Placement"


def test_title_opening_the_cell_beside_a_letter_is_heading_not_an_answer():
    """A draft drawn as "H2 | Other social care provision / [prompt]" is not filled in."""
    d = DocBuilder().table(
        [
            ["A", "Views, interests and aspirations\nNia wants to join the choir."],
            ["H2", "Other social care provision\n[Enter social care provision]"],
            ["K", "Advice and information gathered is listed below.\nEP advice, May."],
        ]
    )
    result = sectionize(d.doc())
    assert result.codes == ("A", "H2", "K")
    assert result.section("A").heading == "A Views, interests and aspirations"
    assert result.section("A").filled and "choir" in texts(result, "A")
    assert result.section("H2").heading == "H2 Other social care provision"
    assert result.section("H2").filled is False
    # A sentence that merely starts with the section's words is an answer.
    assert result.section("K").heading == "K" and result.section("K").filled


@pytest.mark.parametrize(
    ("rows", "filled"),
    [
        ([["Details", ""]], False),  # a form's label, its answer left blank
        ([["Type of payment", ""], ["Amount", ""]], False),
        ([["Details", "A direct payment of 900 pounds a year for a personal assistant."]], True),
        ([["Ola manages her own direct payment.", ""]], True),  # a sentence is an answer
        ([["Advice", "Date received", "Who from"], ["", "", ""], ["", "", "YES/ NO"]], False),
        ([["Advice", "Date received", "Who from"], ["EP report", "3 May", "Dr Ines Vaal"]], True),
    ],
)
def test_unanswered_form_labels_do_not_fill_a_section(rows, filled):
    """Plain-text exports lose bold, so labels are told by their shape."""
    d = DocBuilder().h("Section J: Personal budget", 1).table(rows)
    assert sectionize(d.doc()).section("J").filled is filled


def test_heading_in_left_column_with_content_beside_it():
    d = DocBuilder().table(
        [
            ["All about me", "I love building dens and my cat."],
            ["Special educational needs", "Sam has a speech and language delay."],
            ["Outcomes", "Sam will ask for help using a sentence."],
        ]
    )
    result = sectionize(d.doc())
    assert result.codes == ("A", "B", "E")
    assert texts(result, "B") == "Sam has a speech and language delay."


def test_one_label_row_in_a_details_table_is_not_a_section():
    d = DocBuilder().table(
        [["Name", "Sam Green"], ["Placement", "Larchmere Primary School"], ["Age", "9"]]
    )
    d.h("Section A - About me", 1).p("I like trains.")
    result = sectionize(d.doc())
    assert result.codes == ("front", "A")
    assert "Larchmere" in texts(result, "front")


def test_generic_needs_outcomes_provision_columns_follow_context():
    d = DocBuilder()
    d.h("Section B – Special educational needs", 1)
    d.table(
        [
            ["Needs", "Outcomes", "Provision"],
            ["Sam finds writing hard.", "Sam will write a sentence.", "Daily handwriting group."],
        ]
    )
    d.h("Section C – Health care needs", 1)
    d.table(
        [
            ["Needs", "Provision", "Outcomes"],
            ["Sam has eczema.", "Cream applied by the nurse twice a day.", "Sam is comfortable."],
        ]
    )
    result = sectionize(d.doc())
    assert "Sam finds writing hard." in texts(result, "B")
    assert "Sam will write a sentence." in texts(result, "E")
    assert "Daily handwriting group." in texts(result, "F")
    assert "Sam has eczema." in texts(result, "C")
    assert "twice a day" in texts(result, "G")
    assert "Sam is comfortable." in texts(result, "E")
    assert [code for code, _ in result.row_links[1].cells] == ["C", "G", "E"]
    assert result.section("F").heading == "Provision"


def test_table_nested_in_a_combined_tables_cell_belongs_to_that_column():
    """ "Outcome | By when" drawn inside the E cell: its rows are E's, linked to the row."""
    d = DocBuilder().h("Section B: Special educational needs", 1)
    d.table([["B - Needs", "F - Provision", "E - Outcomes"], ["Ama is shy.", "Drama club.", ""]])
    header = ("Outcome", "By when")
    for row, cells in enumerate([header, ("Ama will speak in assembly.", "July 2027")]):
        for column, text in enumerate(cells):
            d._add(
                kind=BlockKind.TABLE_CELL,
                text=text,
                cell=CellRef(table=2, row=row, column=column, header=header, parent_table=1),
            )
    result = sectionize(d.doc())
    assert "Ama will speak in assembly." in texts(result, "E")
    assert "July 2027" in texts(result, "E")
    assert "Ama will speak" not in texts(result, "B")
    link = result.row_links[0]
    by_index = {b.index: b.text for b in d.blocks}
    assert "Ama will speak in assembly." in [by_index[i] for i in link.blocks_for("E")]
    assert len(result.row_links) == 1


def test_merged_row_inside_a_combined_table_is_a_subheading_not_a_row_link():
    d = DocBuilder().h("Section B", 1)
    d.table(
        [
            ["B – Needs", "F – Provision", "E – Outcomes"],
            ["Sam finds reading hard.", "Phonics daily.", "Sam will read a book."],
        ]
    )
    d.blocks.append(
        Block(
            index=len(d.blocks),
            kind=BlockKind.TABLE_CELL,
            text="Preparing for adulthood",
            bold=True,
            cell=CellRef(table=1, row=2, column=0),
        )
    )
    d.table([["x", "y", "z"]])  # a new table: the map of table 1 must not leak
    result = sectionize(d.doc())
    assert len(result.row_links) == 1
    assert "Preparing for adulthood" in result.section("B").subsections
    assert "Preparing for adulthood" not in texts(result, "F")
    assert texts(result, "B").endswith("x\ny\nz")


def test_unlabelled_preparing_for_adulthood_table_stays_in_its_section():
    d = DocBuilder().h("Section E: Outcomes", 1).p("Sam will travel to school on the bus.")
    d.table(
        [
            ["*Preparing for adulthood", "*Notes"],
            ["Employment", "Sam would like to work with animals."],
        ]
    )
    d.h("Section F: Provision", 1).p("Travel training, 6 sessions.")
    result = sectionize(d.doc())
    assert "work with animals" in texts(result, "E")
    assert result.codes == ("E", "F")


# -- child-friendly titles and subsections -------------------------------------------------


def test_child_friendly_titles_are_a_and_its_subsections():
    d = (
        DocBuilder()
        .h("All about me", 1)
        .h("What people like and admire about me", 2)
        .p("People say I am kind.")
        .h("How I communicate", 2)
        .p("I use some Makaton signs.")
        .h("What is important to me", 2)
        .p("My mum and my dog.")
        .h("My hopes for the future", 2)
        .p("I want to be a chef.")
        .h("Special educational needs", 1)
        .h("Cognition and learning", 2)
        .p("Sam has a learning disability.")
    )
    result = sectionize(d.doc())
    assert result.codes == ("A", "B")
    a = result.section("A")
    assert a.heading == "All about me"
    assert a.subsections == (
        "What people like and admire about me",
        "How I communicate",
        "What is important to me",
        "My hopes for the future",
    )
    assert "I want to be a chef." in a.text
    assert result.section("B").subsections == ("Cognition and learning",)


@pytest.mark.parametrize(
    "title",
    [
        "This is me",
        "My history",
        "How best to support me",
        "My hopes and dreams",
        "One page profile",
        "One-page profile",
        "ALL ABOUT ME",
    ],
)
def test_each_child_friendly_title_starts_a(title):
    result = sectionize(DocBuilder().p("Name: Sam").h(title, 1).p("I like trains.").doc())
    assert result.codes == ("front", "A")


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("Section A: The views, interests and aspirations", "A"),
        ("A – Views, interests and aspirations", "A"),
        ("A. Views, interests and aspirations", "A"),
        ("A) All about me", "A"),
        ("(A) All about me", "A"),
        ("Part A", "A"),
        ("A1 Summary of history", "A"),
        ("A2: my views", "A"),
        ("B2 Cognition and learning", "B"),
        ("SECTION B: SPECIAL EDUCATIONAL NEEDS", "B"),
        ("Section C – The child’s health care needs", "C"),
        ("D: Social care needs", "D"),
        ("E — Outcomes sought", "E"),
        ("Section F:", "F"),
        ("G – Health provision", "G"),
        ("H1: Social care provision under the CSDPA 1970", "H1"),
        ("H2 Other social care provision", "H2"),
        ("Section H", "H1"),
        ("H1 and H2 – Social care provision", "H1"),
        ("H1/H2: Social care", "H1"),
        ("I – Placement", "I"),
        ("Section J: Personal budget (including direct payments)", "J"),
        ("K: Advice and information", "K"),
        ("Section I: The name and type of school", "I"),
    ],
)
def test_heading_variants(heading, code):
    result = sectionize(DocBuilder().h(heading, 2).p("Some body text here.").doc())
    assert result.codes == (code,), heading
    assert result.section(code).heading == heading


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Section A The views, interests and aspirations", "A"),
        ("A      The views, interests and aspirations", "A"),
        ("Section C The child's health care needs", "C"),
        ("H1 Any social care provision", "H1"),
        ("A The views of the class were mixed", None),
        ("I The end of the day is hard", None),
    ],
)
def test_plain_lettered_lines_with_the_statutory_article(line, code):
    """Plain text keeps the statutory title's "The"/"Any" after the letter."""
    d = DocBuilder().h("Section B: Special educational needs", 1).p("Ada finds noise hard.")
    result = sectionize(d.p(line).doc())
    assert result.codes == (("B",) if code is None else ("B", code)), line
    if code is None:
        assert line in texts(result, "B")


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("All about Noor", "A"),
        ("Parent/carer views", "A"),
        ("Views of the child and parents", "A"),
        ("Identified needs", "B"),
        ("Medical needs", "C"),
        ("Health and medical needs", "C"),
        ("Medical provision", "G"),
        ("Social care support", "H1"),
        ("Name of school or setting", "I"),
        ("School or setting", "I"),
    ],
)
def test_more_section_names(heading, code):
    d = DocBuilder().h("Section K: Advice and information", 1).p("EP advice, May.")
    result = sectionize(d.h(heading, 2).p("Some body text here.").doc())
    assert result.codes == ("K", code), heading


# -- child-friendly headings for B to H ----------------------------------------------------
#
# One-page-profile templates write every section in the child's words, with
# the statutory name (if at all) in brackets after them.


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("Things I am learning to do (Outcomes)", "E"),
        ("How you will know I am getting there [outcomes sought]", "E"),
        ("Getting ready to learn (special educational needs)", "B"),
        ("Keeping well (health provision)", "G"),
        ("People who look after me at home (social care needs)", "D"),
        ("Where I go each day (placement)", "I"),
        ("Money for my support (personal budget)", "J"),
        ("My sensory and movement needs", "B"),
        ("My speech and language needs", "B"),
        ("MY THINKING AND LEARNING NEEDS", "B"),
        ("Support for my schoolwork", "F"),
        ("Help with my learning at nursery", "F"),
        ("Support for my health and body", "G"),
        ("Help with my health", "G"),
        ("Help from social services", "H1"),
        ("Support from my social worker (social care provision)", "H1"),
    ],
)
def test_child_friendly_headings_name_their_section(heading, code):
    d = DocBuilder().h("All about me", 1).p("Ada likes drawing.").h(heading, 1)
    result = sectionize(d.p("Some body text here.").doc())
    assert result.codes == ("A", code), heading
    assert "Some body text here." in texts(result, code)


@pytest.mark.parametrize(
    ("heading", "codes"),
    [
        ("My health needs", ("B", "C")),
        ("My social care needs", ("B", "D")),
        ("My family needs", ("B",)),
        # A child-friendly aside in brackets is not a statutory name.
        ("Talking with me (how I communicate)", ("B",)),
        ("Playtimes (with friends)", ("B",)),
        ("What I need help with at home (sometimes)", ("B",)),
    ],
)
def test_near_miss_child_friendly_headings(heading, codes):
    d = DocBuilder().h("Section B: Special educational needs", 1).p("Ada finds noise hard.")
    result = sectionize(d.h(heading, 2).p("Some body text here.").doc())
    assert result.codes == codes, heading


def test_bracketed_name_in_plain_text_is_not_a_heading():
    line = "Ada has made good progress this term (outcomes)"
    d = DocBuilder().h("Section B: Special educational needs", 1).p(line)
    assert sectionize(d.doc()).codes == ("B",)


def test_a_plain_line_naming_a_section_in_brackets_stays_text_in_a_word_plan():
    """Only plain text, where nothing can mark a heading, takes such a line for one."""
    line = "Provision to help Noor meet her communication outcomes (Section E)"
    d = DocBuilder().h("Section F: Special educational provision", 1).p(line)
    assert sectionize(d.doc()).codes == ("F",)


# -- false headings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "I like trains",
        "I like trains.",
        "A lot of people help me.",
        "A lot",
        "I",
        "A",
        "I: like trains and buses",
        "E-mail address",
        "A-level results",
        "B12 injections every three months",
        "A1 grades in art",
        "J. Patel",
        "We will look again at the outcomes and the provision at the annual review in July.",
        "Section F of the plan sets out the provision Sam needs to make progress at school.",
        "Sam needs a lot of support with social care needs at home and at school every day.",
        "The special educational provision will be reviewed every term by the SENCo and parents.",
    ],
)
@pytest.mark.parametrize("bold", [False, True])
def test_body_lines_do_not_start_sections(line, bold):
    d = DocBuilder().h("Section B: Special educational needs", 1).p(line, bold=bold)
    result = sectionize(d.doc())
    assert result.codes == ("B",), line
    assert line in texts(result, "B")


@pytest.mark.parametrize("line", ["I like trains", "A lot of people help me"])
def test_list_items_and_cells_do_not_start_sections(line):
    d = DocBuilder().h("All about me", 1).li(line).table([[line, "yes"], [line]])
    assert sectionize(d.doc()).codes == ("A",)


def test_long_body_paragraph_is_never_a_heading_even_in_caps():
    long = "SAM NEEDS OUTCOMES AND PROVISION " * 6
    d = DocBuilder().h("Section A", 1).p(long)
    assert sectionize(d.doc()).codes == ("A",)


# -- other, front, missing, filled ------------------------------------------------------------


def test_other_headings_collect_sign_off_and_appendices():
    d = (
        DocBuilder()
        .h("Section K: Advice and information", 1)
        .p("EP advice 12/06/2025")
        .h("Appendix 1: One page profile", 1)
        .p("Sam's one page profile is attached.")
        .p("Agreed by", bold=True)
        .p("J. Patel, 2 October 2025")
    )
    result = sectionize(d.doc())
    assert result.codes == ("K", "other")
    assert result.section("other").heading == "Appendix 1: One page profile"
    assert "J. Patel" in texts(result, "other")


@pytest.mark.parametrize("heading", ["Section H", "H1 and H2 – Social care provision", "H1/H2"])
def test_a_heading_covering_h1_and_h2_leaves_neither_missing(heading):
    result = sectionize(DocBuilder().h(heading, 1).p("None.").doc())
    assert result.codes == ("H1",)
    assert "H1" not in result.missing and "H2" not in result.missing


def test_h1_alone_leaves_h2_missing():
    result = sectionize(DocBuilder().h("H1 – Social care provision", 1).p("None.").doc())
    assert "H2" in result.missing


def test_table_of_contents_entries_do_not_start_sections():
    d = (
        DocBuilder()
        .p("Contents", bold=True)
        .p("Section A: All about me ........ 2")
        .p("Section J: Personal budget\t7", style="TOC 1")
        .h("Section A: All about me", 1)
        .p("I like trains.")
    )
    result = sectionize(d.doc())
    assert result.codes == ("front", "A")
    assert result.section("A").heading_block == 3
    assert "J" in result.missing


def test_statutory_words_beat_other():
    d = DocBuilder().h("Appendix K – advice and information gathered", 1).p("EP report")
    assert sectionize(d.doc()).codes == ("K",)


def test_no_headings_at_all_is_all_front_and_everything_missing():
    result = sectionize(DocBuilder().p("Just a letter about Sam.").doc())
    assert result.codes == ("front",)
    assert result.missing == SECTION_CODES


def test_empty_document_does_not_crash():
    result = sectionize(Document(format=SourceFormat.TEXT, blocks=()))
    assert result.sections == () and result.missing == SECTION_CODES


def test_heading_without_body_and_placeholder_only_sections_are_unfilled():
    d = (
        DocBuilder()
        .h("Section I: Placement", 1)
        .h("Section J: Personal budget", 1)
        .p("[Insert details of the personal budget]")
        .p("Click or tap here to enter text.")
        .h("Section K: Advice", 1)
        .p("EP advice, 12/06/2025")
    )
    result = sectionize(d.doc())
    assert result.section("I").filled is False and result.section("I").blocks == ()
    assert result.section("J").filled is False
    assert result.section("K").filled is True
    assert [u.section for u in result.unfilled] == ["J", "J"]
    assert result.unfilled[0].location.block == 2


# -- council variants -----------------------------------------------------------------------


def test_extra_variants_from_a_council_template():
    d = DocBuilder().p("Pupil voice", bold=True).p("I like maths.").p("Our ambitions").p("x")
    plain = sectionize(d.doc())
    assert "A" not in plain.codes
    result = sectionize(d.doc(), {"A": ["Pupil voice"], "E": ["re:^our ambitions$"]})
    assert result.codes == ("A", "E")


@pytest.mark.parametrize(
    "extras",
    [
        {"Z": ["x"]},
        {"front": ["x"]},
        {"A": "not a list"},
        {"A": ["re:(unclosed"]},
        {"A": [""]},
        {"A": [3]},
        {"A": [["nested"]]},
        ["A", "x"],
    ],
)
def test_bad_extra_variants_raise_config_error(extras):
    with pytest.raises(ConfigError):
        sectionize(DocBuilder().p("x").doc(), extras)


# -- robustness ----------------------------------------------------------------------------

_LINES = st.sampled_from(
    [
        "Section A",
        "A",
        "I",
        "B – Needs",
        "F – Provision",
        "E – Outcomes",
        "Needs",
        "Outcomes",
        "I like trains",
        "{{ x }}",
        "",
        "Sign-off",
        "H",
        "All about me",
        "Strengths",
        "Section B\nSam finds reading hard.",
        "All about me\nI like trains",
        "B – Needs\n{{ need }}",
    ]
)


@st.composite
def _documents(draw):
    d = DocBuilder()
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            d.p(draw(_LINES), bold=draw(st.booleans()))
        else:
            n_rows = draw(st.integers(1, 3))
            n_cols = draw(st.integers(1, 3))
            d.table([[draw(_LINES) for _ in range(n_cols)] for _ in range(n_rows)])
    return d.doc()


@settings(max_examples=150, deadline=None)
@given(_documents())
def test_any_document_sectionizes_and_every_block_lands_once(doc):
    result = sectionize(doc)
    placed = [b.index for s in result.sections for b in s.blocks]
    assert len(placed) == len(set(placed))
    headings = {s.heading_block for s in result.sections if s.heading_block is not None}
    # A heading block is only also body when text sits under its first line.
    for index in headings & set(placed):
        assert len(doc.blocks[index].text.strip().splitlines()) > 1
    # Nothing with text is lost: every block is body or a heading.
    assert set(placed) | headings >= {b.index for b in doc.blocks if "\n" in b.text}
    assert set(result.missing) | {s.code for s in result.sections} >= set(SECTION_CODES) - {"H2"}
    assert [s.code for s in result.sections] == list(dict.fromkeys(s.code for s in result.sections))


# -- the real template through the real reader ------------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("ehcp_audit.readers.docx") is None or not SOMERSET.exists(),
    reason="the DOCX reader is not written yet",
)
def test_real_somerset_template_through_the_docx_reader():
    from ehcp_audit._placeholders import mark_placeholders
    from ehcp_audit.readers import read_bytes

    document = mark_placeholders(read_bytes(SOMERSET.read_bytes()))
    result = sectionize(document)
    assert result.missing == ()
    for code in ("front", "A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"):
        assert code in result.codes, code
    assert "{{ child_views" in texts(result, "A") and "{{ history }}" in texts(result, "A")
    assert "communication_interaction_provision_1" in texts(result, "F")
    assert "h2_provision_1" in texts(result, "H2")
    assert len(result.row_links) >= 40
    assert all(not result.section(code).filled for code in ("B", "C", "D", "E", "F", "G"))
