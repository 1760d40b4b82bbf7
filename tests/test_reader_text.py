"""The plain-text / Markdown reader: encodings and structure."""

from __future__ import annotations

import pytest

from ehcp_audit import BlockKind, FoundBy, SourceFormat
from ehcp_audit._limits import DEFAULT_LIMITS
from ehcp_audit.readers import read_bytes
from ehcp_audit.readers.text import decode

PLAIN = """EDUCATION, HEALTH AND CARE PLAN

Name: Sam Green
Date of birth: 14/03/2016

SECTION A - VIEWS, INTERESTS AND ASPIRATIONS
============================================

All About Me
------------
I like trains and my dog Biscuit. Sam told us he
wants to be a train driver.

* Sam will read 20 common words
  by July 2026.
* 2 x 30 minutes a week.
"""

MARKDOWN = """# Education, Health and Care Plan

## Section B – Special educational needs

| B – Special Educational Needs | F – Special Educational Provision | E – Outcomes |
| --- | --- | --- |
| Sam finds instructions hard. | A SALT will see Sam weekly. | By July Sam will follow them. |

**All about me**

- First point
1. Numbered point
"""


def test_plain_text_structure() -> None:
    doc = read_bytes(PLAIN.encode("utf-8"), DEFAULT_LIMITS)
    assert doc.format is SourceFormat.TEXT
    texts = [b.text for b in doc.blocks]
    assert "Name: Sam Green" in texts and "Date of birth: 14/03/2016" in texts
    heading = next(b for b in doc.blocks if b.text.startswith("SECTION A"))
    assert heading.kind is BlockKind.HEADING and heading.heading_source is FoundBy.TEXT_PATTERN
    sub = next(b for b in doc.blocks if b.text == "All About Me")
    assert sub.kind is BlockKind.HEADING and sub.heading_level == 2
    para = next(b for b in doc.blocks if b.text.startswith("I like trains"))
    assert para.text.endswith("wants to be a train driver.")  # wrapped lines joined
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [b.text for b in items] == [
        "Sam will read 20 common words by July 2026.",
        "2 x 30 minutes a week.",
    ]
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))


def test_markdown_tables_and_headings() -> None:
    doc = read_bytes(MARKDOWN.encode("utf-8"), DEFAULT_LIMITS)
    headings = [(b.text, b.heading_level) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == [
        ("Education, Health and Care Plan", 1),
        ("Section B – Special educational needs", 2),
    ]
    cells = [b for b in doc.blocks if b.kind is BlockKind.TABLE_CELL]
    assert len(cells) == 6
    provision = cells[4]
    assert provision.text == "A SALT will see Sam weekly."
    assert provision.cell is not None
    assert (provision.cell.table, provision.cell.row, provision.cell.column) == (1, 1, 1)
    assert provision.cell.header[1] == "F – Special Educational Provision"
    assert provision.location().label == "table 1 row 2"
    bold = next(b for b in doc.blocks if b.text == "All about me")
    assert bold.bold and bold.kind is BlockKind.PARAGRAPH
    assert [b.text for b in doc.blocks if b.kind is BlockKind.LIST_ITEM] == [
        "First point",
        "Numbered point",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_round_trip(encoding: str) -> None:
    text = "Section A – All about me\n\nI like café trips with Mum – she says “well done”.\n"
    doc = read_bytes(text.encode(encoding), DEFAULT_LIMITS)
    assert any("café trips with Mum – she says “well done”." in b.text for b in doc.blocks)


def test_decode_prefers_utf8_then_cp1252() -> None:
    assert decode("naïve".encode()) == "naïve"
    assert decode("naïve".encode("cp1252")) == "naïve"
    assert decode(b"\xff\xfe" + "Hi".encode("utf-16-le")) == "Hi"


def test_offsets_are_into_block_text() -> None:
    doc = read_bytes(PLAIN.encode(), DEFAULT_LIMITS)
    para = next(b for b in doc.blocks if b.text.startswith("I like trains"))
    start = para.text.index("Sam told us")
    loc = para.location(start, start + 11)
    assert para.text[loc.start : loc.end] == "Sam told us"
    assert loc.block == para.index


def test_list_markers_inside_table_cells_are_dropped() -> None:
    text = "| G - Health |\n| --- |\n| - CAMHS input weekly.<br>- LAC nurse review termly. |\n"
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    cell = [b for b in doc.blocks if b.kind is BlockKind.TABLE_CELL][-1]
    assert cell.text == "CAMHS input weekly.\nLAC nurse review termly."
