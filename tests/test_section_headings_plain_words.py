"""Section headings with no letter in a child-friendly plan, and their look-alikes.

Classes: a needs heading told with what helps ("My learning and what helps"),
a social care needs heading in the first person ("My care and support"),
provision sub-headings that leave "Help I will get" unsaid ("With my health",
"With care and support"), the advice list as the plan's authors name it
("Advice we used"), and a service's name in a letterhead that contains
"Special Educational Needs". Fresh headings and sentences, invented names.
"""

from __future__ import annotations

import pytest

from ehcp_audit._model import Block, BlockKind, Document, FoundBy, SourceFormat
from ehcp_audit._sectioning._match import Form, Matcher
from ehcp_audit.sections import load_section_rules, sectionize


class Plan:
    """A PDF-like plan: section headings in a larger font, sub-headings in bold."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def heading(self, text: str) -> Plan:
        self.blocks.append(
            Block(
                index=len(self.blocks),
                kind=BlockKind.HEADING,
                text=text,
                heading_level=2,
                heading_source=FoundBy.FONT,
            )
        )
        return self

    def bold(self, text: str) -> Plan:
        return self._p(text, bold=True)

    def p(self, text: str) -> Plan:
        return self._p(text)

    def _p(self, text: str, **kw: bool) -> Plan:
        self.blocks.append(Block(index=len(self.blocks), kind=BlockKind.PARAGRAPH, text=text, **kw))
        return self

    def codes(self) -> tuple[str, ...]:
        doc = Document(format=SourceFormat.PDF, blocks=tuple(self.blocks))
        return sectionize(doc).codes


def test_child_friendly_plan_finds_every_section():
    codes = (
        Plan()
        .heading("All about me")
        .p("I am Ossian and I like fixing bikes.")
        .bold("What is important to me")
        .p("My grandad and my bike.")
        .heading("How I learn and what helps me")
        .p("Ossian has dyslexia and reads slowly.")
        .heading("My health")
        .p("Ossian has asthma and uses an inhaler.")
        .heading("My care and support")
        .p("Ossian does not have social care needs.")
        .heading("What I want to achieve")
        .p("Ossian will read a bus timetable on his own by July 2027.")
        .heading("Help I will get")
        .bold("At school")
        .p("A reading session of 20 minutes every day.")
        .bold("With my health")
        .p("The school nurse will check his inhaler plan each term.")
        .bold("With care and support")
        .p("None.")
        .heading("Where I will learn")
        .p("Corrin Vale Academy.")
        .heading("Reports and advice we used")
        .p("Dr Leni Prowse, educational psychologist, 3 May 2026.")
    ).codes()
    assert codes == ("A", "B", "C", "D", "E", "F", "G", "H1", "I", "K")


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("My learning and what helps", "B"),
        ("Learning and what helps me", "B"),
        ("My care and support", "D"),
        ("My social care and support needs", "D"),
        ("My care needs", "D"),
        ("With my health", "G"),
        ("Support with my wellbeing", "G"),
        ("With care and support", "H1"),
        ("Help with my social care", "H1"),
        ("Advice we used", "K"),
        ("Information I looked at", "K"),
        ("Special educational needs", "B"),
        ("Educational needs", "B"),
        # "The help I will get ..." split by where the help comes from, and other
        # person-centred titles with no letter anywhere in the plan
        ("The help I will get at school", "F"),
        ("Support I need in college", "F"),
        ("The help I will get with my health", "G"),
        ("Help I get from health services", "G"),
        ("The help I will get from social care", "H1"),
        ("My family life and care", "D"),
        ("My home life and care", "D"),
        ("Money for my support", "J"),
        ("Funding for her care", "J"),
        ("My support", "F"),
    ],
)
def test_heading_words_name_their_section(line, code):
    matcher = Matcher(load_section_rules())
    for form in (Form.PLAIN, Form.WEAK, Form.STRONG):
        found = matcher.resolve(line, form)
        assert found is not None and found.code == code, (line, form)


def test_send_in_a_heading_still_names_b():
    matcher = Matcher(load_section_rules())
    for form in (Form.WEAK, Form.STRONG):
        found = matcher.resolve("Special Educational Needs and Disabilities", form)
        assert found is not None and found.code == "B"


@pytest.mark.parametrize(
    "line",
    [
        "What helps me",  # an A sub-heading: no needs named
        "My care plan",  # a medical care plan, not social care needs
        "With my friends",
        "Advice we gave",
        "Special Educational Needs and Disabilities (SEND) Statutory Assessment Team",
        "Children's Services - Special Educational Needs and Disabilities Casework Service",
        # a service's name in a letterhead, and the plan's own title
        "Educational Needs Service",
        "Special Educational Needs Support Team",
        "My Support Plan",
        "My family",  # an A sub-heading: no care named
        "Money matters",
    ],
)
def test_look_alikes_name_no_section(line):
    matcher = Matcher(load_section_rules())
    for form in (Form.PLAIN, Form.WEAK):
        assert matcher.resolve(line, form) is None, (line, form)


def test_send_service_letterhead_does_not_open_section_b():
    codes = (
        Plan()
        .bold("Warrenby Council")
        .bold("Special Educational Needs and Disabilities (SEND) Assessment and Review Team")
        .p("Name: Ossian Pryce")
        .heading("Section A: All about me")
        .p("I like fixing bikes.")
        .heading("Section B: Special educational needs")
        .p("Ossian has dyslexia.")
        .heading("Section F: Special educational provision")
        .p("A reading session every day.")
    ).codes()
    assert codes == ("front", "A", "B", "F")


def test_my_health_as_a_bold_subheading_inside_a_does_not_split_it():
    codes = (
        Plan()
        .heading("All about me")
        .bold("What I like")
        .p("I like fixing bikes.")
        .bold("My health")
        .p("I have asthma but it does not stop me riding.")
        .heading("Section B: Special educational needs")
        .p("Ossian has dyslexia.")
        .heading("Section F: Special educational provision")
        .p("A reading session every day.")
    ).codes()
    assert codes == ("A", "B", "F")


def test_my_health_in_bold_still_opens_c_where_no_heading_is_marked_above_bold() -> None:
    """Near miss: a plan whose section headings are all merely bold marks C that way too."""
    codes = (
        Plan()
        .bold("All about me")
        .p("I like fixing bikes.")
        .bold("My health")
        .p("I have asthma but it does not stop me riding.")
        .bold("Section B: Special educational needs")
        .p("Ossian has dyslexia.")
    ).codes()
    assert codes == ("A", "C", "B")
