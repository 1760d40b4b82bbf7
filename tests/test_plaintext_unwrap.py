"""Text exports with no blank line between paragraphs: each paragraph on a line, or hard-wrapped.

Word's and LibreOffice's "plain text" export writes each paragraph (and
each heading) on one line, with no blank line between them; a plan pasted
from an e-mail is hard-wrapped at a width instead. The text reader tells a
forced line break (a wrap: the line does not end a sentence and the next
word would not have fitted) from a paragraph's end. Before, such an export
was read as one paragraph and refused as not an EHCP.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import attrs
import pytest
from soffice import convert

import ehcp_audit
from ehcp_audit import BlockKind
from ehcp_audit._limits import DEFAULT_LIMITS
from ehcp_audit.readers import read_bytes
from ehcp_audit.readers.text import unwrap

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"

# One paragraph a line, no blank lines: how a word processor exports plain text.
LINE_A_PARAGRAPH = """\
Education, Health and Care Plan
Name: Tamsin Okoro. Date of birth: 02/09/2014. Year group: Year 6.
Section A: Tamsin's views, interests and aspirations
Tamsin told us she loves netball and drawing comics, and wants to be an illustrator one day.
Her dad said the family are proud of how she has settled since moving schools in the autumn.
Section B: Special educational needs
Tamsin has a language disorder that makes long spoken instructions hard to follow in a busy room.
Section E: Outcomes
By July 2026 Tamsin will follow a three-step spoken instruction in class on four days out of five.
Section F: Special educational provision
A speech and language therapist will see Tamsin for 30 minutes each week in school.
"""


def _blocks(text: str) -> list[str]:
    document = read_bytes(text.encode("utf-8"), DEFAULT_LIMITS)
    return [b.text for b in document.blocks if b.kind is BlockKind.PARAGRAPH]


def test_each_line_is_a_paragraph_when_none_is_wrapped() -> None:
    blocks = _blocks(LINE_A_PARAGRAPH)
    assert "Section B: Special educational needs" in blocks
    assert len(blocks) == len(LINE_A_PARAGRAPH.splitlines())
    result = ehcp_audit.audit_text(LINE_A_PARAGRAPH)
    assert {"A", "B", "E", "F"} <= {s.code for s in result.sections}
    assert {"child_voice", "parent_voice"} <= {c.kind for c in result.cues if c.section == "A"}


WRAPPED = """\
Rowan finds it hard to settle in the mornings, especially after a weekend
at his dad's house, and staff have noticed that a quiet start in the library
helps him to be ready to learn by the second lesson.
Section B: Special educational needs
Rowan has a diagnosis of autism and finds changes to his routine very
difficult; he needs warning of any change.
"""


def test_a_hard_wrapped_paragraph_is_joined_and_ends_where_its_last_line_does() -> None:
    assert _blocks(WRAPPED) == [
        "Rowan finds it hard to settle in the mornings, especially after a weekend at his "
        "dad's house, and staff have noticed that a quiet start in the library helps him to "
        "be ready to learn by the second lesson.",
        "Section B: Special educational needs",
        "Rowan has a diagnosis of autism and finds changes to his routine very difficult; "
        "he needs warning of any change.",
    ]


@pytest.mark.parametrize("width", [40, 60, 72, 100])
def test_wrapping_at_any_width_gives_the_same_paragraphs(width: int) -> None:
    paragraphs = [
        "When we asked Priya what helps her most, she said that she likes to know what is "
        "happening next and that the visual timetable on her desk makes her feel calm",
        "Her mum, Anjali, told us that mornings are the hardest part of the day at home and "
        "that Priya often cries before school on Mondays",
    ]
    lines = [line for p in paragraphs for line in textwrap.wrap(p, width)]
    assert unwrap(lines) == paragraphs


def test_short_lines_that_end_sentences_stay_apart() -> None:
    lines = ["Attended the meeting on 4 May.", "Agreed the outcomes.", "Signed by both parents."]
    assert unwrap(lines) == lines


@pytest.mark.parametrize("plan", ["p03.docx", "p12.docx"])
def test_a_word_processors_text_export_rates_as_the_plan_does(plan: str, tmp_path: Path) -> None:
    convert(CORPUS / plan, tmp_path, "txt:Text (encoded):UTF8")
    exported = tmp_path / f"{Path(plan).stem}.txt"
    original = ehcp_audit.audit(CORPUS / plan)
    as_text = ehcp_audit.audit(exported)
    assert [p.rating for p in as_text.principles] == [p.rating for p in original.principles]
    assert {s.code for s in as_text.sections} == {s.code for s in original.sections}


# A PDF turned into text with its layout kept: the template's left-hand column
# (the section letter) stands beside the text.
MARGIN = """\
         Education, Health and Care Plan
         Name: Bethan Morris. Date of birth: 11 June 2012.

A        Section A: About me
         I like horses and I help at the stables on Saturdays. I want to work
         with animals when I leave school.
         Her nan said: "Bethan is happiest outside and she never gives up."

B        Section B: Special educational needs
         Bethan has dyslexia and finds it hard to copy from the board.

F        Section F: Special educational provision
         A specialist teacher will teach Bethan for 45 minutes twice a week.

E        Section E: Outcomes
         By July 2026 Bethan will read a short text aloud to a group of four.
"""


def test_a_label_in_the_left_margin_stands_on_its_own() -> None:
    blocks = _blocks(MARGIN)
    assert blocks[blocks.index("Section B: Special educational needs") - 1] == "B"
    result = ehcp_audit.audit_text(MARGIN)
    assert {"A", "B", "E", "F"} <= {s.code for s in result.sections}


def test_a_quotation_after_said_stays_with_its_speaker() -> None:
    lines = ["Her nan said:", '"Bethan is happiest outside and she never gives up."']
    assert unwrap(lines) == [" ".join(lines)]
    # A label ending in a colon before a plain paragraph is not joined to it.
    label = ["What my family say:", "Bethan's mum and nan came to the meeting."]
    assert unwrap(label) == label
    blocks = _blocks(MARGIN)
    assert any(b.startswith("Her nan said:") and "never gives up" in b for b in blocks)


def test_text_without_a_margin_is_left_as_it_is() -> None:
    indented = ["    an indented line", "  another", "A        not a margin: too few lines"]
    from ehcp_audit.readers.text import split_margin

    assert split_margin(indented) == indented


# A template's own heading words, with the section named in brackets, as a plain-text
# export leaves them: no style, no bold, nothing but the words.
NAMED_IN_BRACKETS = """\
Education, Health and Care Plan for Harvey Lin
All about me (Section A)
I like building dens and playing the drums.
The things I find hard (Section B)
Harvey finds it hard to wait his turn and to sit still for long.
What I am working towards (Section E)
By July 2026 Harvey will take turns in a board game with two friends.
How school will help me (Section F)
A teaching assistant will run a turn-taking group for 20 minutes three times a week.
See what I am working towards (Section E).
The plan was agreed with Harvey's dad (Appendix A)
"""


def test_a_short_line_naming_its_section_in_brackets_is_a_heading() -> None:
    result = ehcp_audit.audit_text(NAMED_IN_BRACKETS)
    headings = {s.code: s.heading for s in result.sections}
    assert headings["E"] == "What I am working towards (Section E)"
    assert headings["F"] == "How school will help me (Section F)"
    # A sentence pointing at a section, and a bracket that names no section, stay text.
    f_text = next(s.text for s in result.sections if s.code == "F")
    assert "See what I am working towards (Section E)." in f_text
    assert "(Appendix A)" in f_text


def test_a_lists_indented_lines_are_not_a_margin() -> None:
    """pandoc writes "-   item" and "1.  item", each item's later lines under its text."""
    text = (
        "## Provision (Section F)\n\n"
        "-   Maya will have a quiet corner to go to when the hall gets\n"
        "    too loud, with an adult she knows close by.\n"
        "-   Maya will have a visual timetable at home and at school,\n"
        "    checked with her each morning.\n"
        "1.  Occupational therapy, 40 minutes each fortnight, from the\n"
        "    children's therapy team in school.\n"
    )
    items = [
        b.text
        for b in read_bytes(text.encode(), DEFAULT_LIMITS).blocks
        if b.kind is BlockKind.LIST_ITEM
    ]
    assert items == [
        "Maya will have a quiet corner to go to when the hall gets too loud, with an adult she "
        "knows close by.",
        "Maya will have a visual timetable at home and at school, checked with her each morning.",
        "Occupational therapy, 40 minutes each fortnight, from the children's therapy team in "
        "school.",
    ]


def test_a_line_ending_in_an_abbreviation_goes_on_in_lower_case() -> None:
    lines = [
        "Luca will have help from an adult, e.g.",
        "a teaching assistant, for 10 hours each week.",
        "He will see Dr.",
        "okafor, the paediatrician, every six months.",
    ]
    assert unwrap(lines) == [
        "Luca will have help from an adult, e.g. a teaching assistant, for 10 hours each week.",
        "He will see Dr. okafor, the paediatrician, every six months.",
    ]


def test_a_section_heading_over_a_longer_first_line_stands_alone() -> None:
    """Two lines, the heading nearly as wide as the paragraph under it: not a wrap."""
    heading = "Section A: Views, interests and aspirations"
    first = "I want to learn to play the drums in the school band."
    assert unwrap([heading, first]) == [heading, first]
    # Near miss: a sentence's first line that happens to hold a letter is still wrapped.
    wrapped = ["Provision in Section F will be given by a teaching assistant and", "Ms Grey."]
    assert unwrap(wrapped) == [" ".join(wrapped)]


def test_a_section_heading_wrapped_over_two_lines_stands_alone() -> None:
    heading = [
        "Section H1: Social care provision under section 2 of",
        "the Chronically Sick and Disabled Persons Act 1970",
    ]
    assert unwrap([*heading, "No provision is needed at present."]) == [
        " ".join(heading),
        "No provision is needed at present.",
    ]


def _items(text: str) -> list[str]:
    document = read_bytes(text.encode(), DEFAULT_LIMITS)
    return [b.text for b in document.blocks if b.kind is BlockKind.LIST_ITEM]


def test_a_numbered_item_laid_out_without_a_hanging_indent_keeps_its_lines() -> None:
    text = (
        "Section E: Outcomes\n"
        "1. By July 2027, Ellis will make a hot drink and a sandwich on his own at home, with\n"
        "his support worker in the next room, on 3 days a week.\n"
        "2. By March 2027, Ellis will catch the bus to the training kitchen at Quayfield\n"
        "Catering on his own on 5 days in a row.\n"
    )
    assert _items(text) == [
        "By July 2027, Ellis will make a hot drink and a sandwich on his own at home, with "
        "his support worker in the next room, on 3 days a week.",
        "By March 2027, Ellis will catch the bus to the training kitchen at Quayfield "
        "Catering on his own on 5 days in a row.",
    ]


def test_a_short_item_does_not_take_the_paragraph_after_it() -> None:
    text = (
        "Advice received:\n"
        "- Speech and language therapy\n"
        "- Educational psychology\n"
        "The school gave its advice at the planning meeting on 3 May 2026.\n"
    )
    assert _items(text) == ["Speech and language therapy", "Educational psychology"]


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    document = read_bytes(text.encode(), DEFAULT_LIMITS)
    return [(b.text, b.bold) for b in document.blocks if b.kind is BlockKind.PARAGRAPH]


def test_a_short_line_set_apart_above_a_paragraph_is_marked_as_a_sub_heading() -> None:
    text = (
        "Comments on the draft\n"
        "Priya read the draft with her mum on 3 March 2026 and asked for two changes.\n"
        "\n"
        "Name: Priya Shah\n"
        "Priya likes the climbing frame.\n"
        "\n"
        "Priya, her mum and the SENCo\n"
        "met on 4 March 2026.\n"
        "\n"
        "All about Priya\n"
    )
    assert _paragraphs(text) == [
        ("Comments on the draft", True),
        ("Priya read the draft with her mum on 3 March 2026 and asked for two changes.", False),
        # A label with its value, a sentence, a line going on in lower case, a line alone:
        # none of them is marked.
        ("Name: Priya Shah", False),
        ("Priya likes the climbing frame.", False),
        ("Priya, her mum and the SENCo met on 4 March 2026.", False),
        ("All about Priya", False),
    ]


def test_a_colon_ending_a_full_line_goes_on_below_and_a_short_label_does_not() -> None:
    lines = [
        "The planning meeting was held at Ferncastle Primary on 3 May 2026. Present:",
        "Rosa Wren (mum); Tobias (for the first half hour); Ms D. Okafor (SENCo).",
        "Parents' views:",
        "We are pleased with how settled he is this year.",
    ]
    assert unwrap(lines) == [
        " ".join(lines[:2]),
        "Parents' views:",
        "We are pleased with how settled he is this year.",
    ]


def test_a_word_broken_at_its_hyphen_joins_up_again() -> None:
    lines = [
        "Ellis will work in the stores team, which the hospital calls the back-of-",
        "house team, on four days a week.",
    ]
    assert unwrap(lines) == [
        "Ellis will work in the stores team, which the hospital calls the back-of-house "
        "team, on four days a week."
    ]


def test_a_short_line_directly_above_a_list_or_table_is_marked_as_a_sub_heading() -> None:
    text = (
        "What I will be able to do (outcomes)\n"
        "- By July 2027, I will swim a width of the pool on my own.\n"
        "\n"
        "Who gave advice\n"
        "| Advice | Date |\n"
        "| --- | --- |\n"
        "| Speech and language therapy | 2 May 2026 |\n"
        "\n"
        "Rory likes swimming\n"
    )
    assert [p for p in _paragraphs(text)] == [
        ("What I will be able to do (outcomes)", True),
        ("Who gave advice", True),
        # Alone, with a blank line after it: not marked (it may be the last line of a note).
        ("Rory likes swimming", False),
    ]


def test_a_section_heading_after_a_full_line_starts_its_own_paragraph() -> None:
    lines = [
        "Ellis has asthma and uses an inhaler before PE (school nurse advice, May 2026), and",
        "Section D - Social care needs",
        "[Insert social care needs or state that there are none and the advice it rests on]",
        "Section E - Outcomes",
    ]
    assert unwrap(lines) == lines


def test_lines_naming_their_section_in_brackets_are_headings_and_short_labels_stay_apart() -> None:
    text = (
        "Social care needs (D)\n"
        "Social care provision: CSDPA 1970 s2 (H1)\n"
        "Other social care provision (H2)\n"
        "Outcomes (E)\n"
        "None at present.\n"
        "\n"
        "Care and support (H1/H2)\n"
        "None.\n"
        "\n"
        "J\n"
        "Personal budget\n"
        "Details\n"
        "Not requested.\n"
    )
    paragraphs = _paragraphs(text)
    assert paragraphs[:4] == [
        ("Social care needs (D)", True),
        ("Social care provision: CSDPA 1970 s2 (H1)", True),
        ("Other social care provision (H2)", True),
        ("Outcomes (E)", True),
    ]
    assert paragraphs[5] == ("Care and support (H1/H2)", True)
    # A run of short lines was never wrapped: each stays a line of its own.
    assert [p for p, _ in paragraphs[7:]] == ["J", "Personal budget", "Details", "Not requested."]


def test_a_long_list_with_no_blank_line_is_read_in_linear_time() -> None:
    """Each item asks for its run's wrap width: worked out once per run, not per item
    (32,000 items; quadratic work would not finish)."""
    roomy = attrs.evolve(
        DEFAULT_LIMITS, max_block_chars=10**8, max_plan_chars=10**8, max_blocks=10**6
    )
    text = "".join(f"- item {n} of the list\n" for n in range(32_000))
    document = read_bytes(text.encode(), roomy)
    assert sum(1 for b in document.blocks if b.kind is BlockKind.LIST_ITEM) == 32_000


# ``pdftotext`` without ``-layout``: a narrow cell's lines wrapped at ever-changing widths,
# and a list's bullets printed on lines of their own before the items they mark.
RAW_CELL = """\
Section F: Special educational provision
\uf0b7
\uf0b7
\uf0b7
A paediatric occupational therapist
(OT) will visit Ellis in school for
four sessions of 40 minutes each
half term to train his teaching assistant.
His teaching assistant will run a
fine-motor group for 15 minutes every
morning, with the equipment listed in
Section G.
\u2022
Ellis's mum will practise the
exercises with him at home each
Saturday.
"""


def test_bullets_printed_apart_from_their_items_break_the_run_and_leave_no_paragraph() -> None:
    blocks = _blocks(RAW_CELL)
    assert blocks[0] == "Section F: Special educational provision"
    assert not any(set(b) <= {"\uf0b7", "\u2022", " "} for b in blocks)
    assert "Ellis's mum will practise the exercises with him at home each Saturday." in blocks


def test_a_line_ending_mid_sentence_goes_on_whatever_the_width() -> None:
    blocks = _blocks(RAW_CELL)
    # "therapist" / "(OT) will": a bracket going on an unfinished line of prose.
    assert blocks[1] == (
        "A paediatric occupational therapist (OT) will visit Ellis in school for four "
        "sessions of 40 minutes each half term to train his teaching assistant."
    )
    # "... listed in" / "Section G.": a section named mid-sentence, not a heading.
    assert blocks[2].endswith("with the equipment listed in Section G.")


@pytest.mark.parametrize(
    "text",
    [
        # A finished sentence, then a heading: the heading stands alone.
        "Ellis has settled well this year and enjoys maths.\nSection G: Health care provision\n",
        # A short label, not prose, above a capital: nothing to go on.
        "Who from\nSchool nurse team\n",
        # A dash alone is an empty value in a table's text, not a stray bullet.
        "Ethnicity:\n-\nFirst language: English\n",
    ],
)
def test_lines_that_are_not_mid_sentence_stay_apart(text: str) -> None:
    lines = [line for line in text.splitlines() if line]
    assert _blocks(text) == lines


def test_a_real_pdf_read_back_with_raw_pdftotext_keeps_its_provision_sentences(
    tmp_path: Path,
) -> None:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    exported = tmp_path / "p01.txt"
    subprocess.run(["pdftotext", str(CORPUS / "p01.pdf"), str(exported)], check=True)
    result = ehcp_audit.audit(exported)
    provision = [c.text for c in result.cues if c.kind == "quantified_provision"]
    opening = "A speech and language therapist (SALT) will see"
    assert any(text.startswith(opening) for text in provision)
    original = ehcp_audit.audit(CORPUS / "p01.pdf")
    assert result.principles[1].score == original.principles[1].score


def _wrapped_file(paragraphs: list[str], width: int) -> str:
    return "\n\n".join("\n".join(textwrap.wrap(p, width)) for p in paragraphs) + "\n"


#: Prose whose wrap at 52 falls just after a full stop: "... March 2024." / "No other ...".
HARD_WRAPPED = [
    "Section C: Health needs which relate to SEN",
    "Ilsa sees the community paediatrician every six months and her medication was "
    "changed in March 2024. No other health needs have been identified by the team.",
    "Ilsa finds busy corridors very hard and often waits for them to clear before she "
    "moves between lessons, which makes her late and anxious for the rest of the day.",
    "At home she is calmer, and her dad says she enjoys cooking with him on Sundays and "
    "walking their dog along the canal before tea when the weather is dry enough.",
]


def test_a_finished_sentence_at_a_forced_break_goes_on_in_a_hard_wrapped_file() -> None:
    text = _wrapped_file(HARD_WRAPPED, 52)
    assert "March 2024.\nNo other" in text  # the wrap falls just after the full stop
    assert _blocks(text)[1] == HARD_WRAPPED[1]


def test_a_word_processors_export_keeps_its_long_lines_apart() -> None:
    # One paragraph a line: the longest line ends a sentence, and the next starts a
    # new paragraph; few lines come near the longest, so nothing is taken for a wrap.
    blocks = _blocks(LINE_A_PARAGRAPH)
    assert len(blocks) == len(LINE_A_PARAGRAPH.splitlines())


def test_each_entry_of_a_dated_log_is_its_own_paragraph() -> None:
    """A case-management export's history lists one dated entry a line; joined, one entry's
    words ("agreed at panel") were read with the next one's ("draft plan issued")."""
    log = (
        "CASE HISTORY\n"
        "02/03/2026 Request for statutory assessment received from the nursery\n"
        "16/03/2026 Decision to assess agreed at the SEND panel\n"
        "20/04/2026 Draft plan issued to the family\n"
        "15/05/2026 Final plan issued\n"
    )
    blocks = _blocks(log)
    assert "16/03/2026 Decision to assess agreed at the SEND panel" in blocks
    assert "20/04/2026 Draft plan issued to the family" in blocks


def test_a_wrapped_line_breaking_before_a_date_still_joins() -> None:
    text = (
        "The review meeting for Tobias was held at the family's home and was attended by his\n"
        "mother, the nursery key person and the SEND officer, and the next one is set for\n"
        "14/09/2026 at the same place.\n"
    )
    assert len(_blocks(text)) == 1
