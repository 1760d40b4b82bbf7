"""The child's and the parents' names as details tables and preambles give them.

Why these matter: the voice checks hear "Barty said ..." as the child's
voice, and "Odile said ..." as a parent's, only when those names are known
to be the child's and the parent's.
"""

from __future__ import annotations

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
from ehcp_audit.details import _name, _parent_names, parse_details
from ehcp_audit.sections import sectionize


def _details(blocks: list[Block]) -> PlanDetails:
    doc = Document(format=SourceFormat.DOCX, blocks=tuple(blocks))
    return parse_details(doc, sectionize(doc))


def _table(rows: list[list[str]], *, bold_first_row: bool = False) -> list[Block]:
    return [
        Block(
            index=0,
            kind=BlockKind.TABLE_CELL,
            text=text,
            cell=CellRef(table=1, row=r, column=c),
            bold=bold_first_row and r == 0,
        )
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]


def _numbered(blocks: list[Block]) -> list[Block]:
    return [
        Block(
            index=i,
            kind=b.kind,
            text=b.text,
            cell=b.cell,
            bold=b.bold,
            style=b.style,
            heading_level=b.heading_level,
            heading_source=b.heading_source,
        )
        for i, b in enumerate(blocks)
    ]


def _p(text: str) -> Block:
    return Block(index=0, kind=BlockKind.PARAGRAPH, text=text)


def _h(text: str) -> Block:
    return Block(
        index=0,
        kind=BlockKind.HEADING,
        text=text,
        style="Heading 1",
        heading_level=1,
        heading_source=FoundBy.HEADING_STYLE,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bartholomew Quist (I like to be called Barty)", ("Bartholomew Quist", "Barty")),
        ("Leah Moss (she likes to be called Lee)", ("Leah Moss", "Lee")),
        ("Cornelius (Neo) Ferrand", ("Cornelius Ferrand", "Neo")),
        ('Cornelius "Neo" Ferrand', ("Cornelius Ferrand", "Neo")),
        ("Jonathan Pell (Jon)", ("Jonathan Pell", "Jon")),
        ("Samuel Green, known as Sam", ("Samuel Green", "Sam")),
        ("Samuel Green (prefers Sammy)", ("Samuel Green", "Sammy")),
        ("Samuel Green (goes by Sol)", ("Samuel Green", "Sol")),
        # not a name the child goes by
        ("Samuel Green (Male)", ("Samuel Green", None)),
        ("Samuel Green (he/him)", ("Samuel Green", None)),
        ("Samuel Green, called Sam by his friends at football", ("Samuel Green", None)),
        ("Samuel Green", ("Samuel Green", None)),
    ],
)
def test_name_the_child_goes_by_in_the_name_field(value: str, expected: tuple) -> None:
    assert _name(value) == expected


def test_preferred_name_field_with_alternatives_takes_the_one_not_in_the_full_name() -> None:
    d = _details(
        _numbered(_table([["Name", "Ptolemy Saffron"], ["Likes to be called", "Ptolemy or Tolly"]]))
    )
    assert (d.name, d.preferred_name) == ("Ptolemy Saffron", "Tolly")


def test_bold_first_row_of_a_label_column_table_keeps_its_value_to_the_right() -> None:
    rows = [["Name", "Ebba Lorrimer"], ["Date of birth", "02/11/2012"], ["Age", "13"]]
    d = _details(_numbered(_table(rows, bold_first_row=True)))
    assert (d.name, d.age) == ("Ebba Lorrimer", 13)


def test_bold_heading_row_still_has_its_values_below() -> None:
    rows = [["Name", "Year group"], ["Ebba Lorrimer", "Year 8"]]
    d = _details(_numbered(_table(rows, bold_first_row=True)))
    assert (d.name, d.year_group) == ("Ebba Lorrimer", "Year 8")


@pytest.mark.parametrize("label", ["Parent(s) / carer(s)", "Parent(s)", "Parents / carers"])
def test_parent_labels_with_bracketed_plurals(label: str) -> None:
    rows = [
        ["Child's name", "Ebba Lorrimer"],
        [label, "Odile Wick (mother), Anselm Wick (stepfather)"],
    ]
    d = _details(_numbered(_table(rows)))
    assert d.parents == ("Odile Wick", "Anselm Wick")


def test_parent_names_role_first_and_comma_separated() -> None:
    assert _parent_names("Mum (Odile Wick) and Gran (Petra Wick)") == ["Odile Wick", "Petra Wick"]
    assert _parent_names("Odile Wick (mother), Anselm Wick (mother's partner)") == [
        "Odile Wick",
        "Anselm Wick",
    ]
    assert _parent_names("Mrs Odile Wick, foster carer") == ["Mrs Odile Wick"]


def test_details_before_section_a_are_read_whatever_section_took_them() -> None:
    blocks = _numbered(
        [
            _h("Special educational needs"),
            _p("Name of child: Ottoline Brisk"),
            _p("Parents: Mr Anselm Brisk and Mrs Odile Brisk"),
            _h("Section A: Views, interests and aspirations"),
            _p("Ottoline likes horses."),
            _h("Section C: Health needs"),
            _p("None."),
        ]
    )
    d = _details(blocks)
    assert d.name == "Ottoline Brisk"
    assert d.parents == ("Mr Anselm Brisk", "Mrs Odile Brisk")


def test_a_school_named_after_section_a_is_never_the_child() -> None:
    blocks = _numbered(
        [
            _h("Section A: Views, interests and aspirations"),
            _p("Ottoline likes horses."),
            _h("Section I: Placement"),
            _p("Name: Larkfield Primary School"),
            _h("Section C: Health needs"),
        ]
    )
    assert _details(blocks).name is None
