"""Markdown exports: every way a section heading is marked up is a heading.

Plans pasted into Markdown (or exported by systems that write it) mark
headings with ``#``, ``**bold**``, ``__bold__``, a quote, a setext underline,
or a bold label that runs into its text. Names and sentences are invented.
"""

from __future__ import annotations

import pytest

from ehcp_audit import BlockKind
from ehcp_audit._limits import DEFAULT_LIMITS
from ehcp_audit.readers import read_bytes
from ehcp_audit.sections import sectionize

PLAN = """\
# Education, Health and Care Plan

### A. Views, interests and aspirations

Zara loves painting and wants to visit the seaside.

__Section B__

Zara has dyspraxia.

**C. Health care needs**

Zara has hay fever.

*Section D*

No social care needs.

## E) Outcomes

By July Zara will tie her laces.

**Section F:** Special educational provision

Occupational therapy once a week.

> **Section G – Health provision**

Physiotherapy review each term.

## H1 & H2: Social care provision

None.

#### Section I

Quarrybank Primary School.

Section J - Personal budget
---------------------------

None requested.

# K:

Educational psychology advice, 3 March.
"""


def test_every_markup_of_a_heading_is_found() -> None:
    found = sectionize(read_bytes(PLAN.encode(), DEFAULT_LIMITS))
    assert found.codes == ("front", "A", "B", "C", "D", "E", "F", "G", "H1", "I", "J", "K")
    assert found.missing == ()
    assert "Occupational therapy once a week." in found.section("F").text
    assert "Physiotherapy review each term." in found.section("G").text


def test_markup_does_not_reach_the_text() -> None:
    doc = read_bytes(PLAN.encode(), DEFAULT_LIMITS)
    heading = next(b for b in doc.blocks if "Health provision" in b.text)
    assert heading.text == "Section G – Health provision" and heading.bold
    assert next(b for b in doc.blocks if b.text == "Section B").bold
    assert not any(b.text.startswith((">", "#")) for b in doc.blocks)


@pytest.mark.parametrize(
    "line",
    ["**K**", "**I**", "> I like it here.", "__A__"],
)
def test_a_bold_or_quoted_pronoun_or_letter_is_not_a_section(line: str) -> None:
    text = f"## Section B – Special educational needs\n\nZara has dyspraxia.\n\n{line}\n"
    found = sectionize(read_bytes(text.encode(), DEFAULT_LIMITS))
    assert found.codes == ("B",)


def test_quoted_speech_keeps_its_words() -> None:
    text = "## Section A – All about me\n\n> I want to be a vet, said Zara.\n"
    doc = read_bytes(text.encode(), DEFAULT_LIMITS)
    assert doc.blocks[-1].kind is BlockKind.PARAGRAPH
    assert doc.blocks[-1].text == "I want to be a vet, said Zara."
