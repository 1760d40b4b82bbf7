"""Whose words: speakers named by the details, lead-in lines and numbered labels.

Each test places fresh sentences in a small Markdown plan and asks which
voice cue (if any) covers a sentence, so the whole path (details, sections,
the voice component) is exercised.
"""

from __future__ import annotations

from pathlib import Path

import docx

from ehcp_audit._audit import audit, audit_text
from ehcp_audit._model import PlanAudit

_TAIL = """
## Section B: Special educational needs

She finds reading hard.

## Section C: Health needs

None.

## Section F: Special educational provision

A weekly reading group.
"""


def _voices(result: PlanAudit) -> dict[str, str]:
    """Each voice cue's text and kind."""
    return {
        cue.text.strip(): cue.kind
        for cue in result.cues
        if cue.kind in ("child_voice", "parent_voice", "professional_voice")
    }


def _voice_of(section_a: str, name: str = "Tamsin Hollis") -> dict[str, str]:
    plan = (
        "# Education, Health and Care Plan\n\n"
        f"- **Name:** {name}\n- **Age:** 12\n\n"
        "## Section A: Views, interests and aspirations\n\n" + section_a + "\n" + _TAIL
    )
    return _voices(audit_text(plan))


def _kind(found: dict[str, str], sentence: str) -> str:
    return next((kind for text, kind in found.items() if sentence in text), "")


def test_relative_clause_naming_the_child_is_not_the_childs_speech() -> None:
    found = _voice_of(
        "Everyone who knows Tamsin agrees that she is generous.\n\nTamsin said she wants a locker."
    )
    assert _kind(found, "Everyone who knows Tamsin agrees") == ""
    assert _kind(found, "Tamsin said she wants a locker.") == "child_voice"


def test_passive_speech_verb_with_an_adverb_between_is_not_speech() -> None:
    found = _voice_of("Tamsin was also asked about her lessons.\n\nShe said maths is hardest.")
    assert _kind(found, "Tamsin was also asked") == ""
    assert _kind(found, "She said maths is hardest.") == "child_voice"


def test_lead_in_naming_the_writers_holds_over_its_quoted_paragraphs_only() -> None:
    found = _voice_of(
        "Tamsin's mum and stepdad wrote this part with the caseworker at home:\n\n"
        '"She spends hours on her sketchbook."\n\n'
        '"We want her to keep her friends."\n\n'
        "The caseworker then met Tamsin in the library.\n\n"
        '"I like the art room best."'
    )
    assert _kind(found, "She spends hours on her sketchbook.") == "parent_voice"
    assert _kind(found, "We want her to keep her friends.") == "parent_voice"
    assert _kind(found, "I like the art room best.") == "child_voice"


def test_numbered_label_holds_until_the_next_numbered_paragraph() -> None:
    found = _voice_of(
        "1.1 Tamsin met her tutor in May.\n\n"
        "1.2 Mum's thoughts (written by Lorna Hollis):\n\n"
        '"She wants to do drama at college."\n\n'
        "1.3 Tamsin was then asked about school.\n\n"
        '"I like the art room best."'
    )
    assert _kind(found, "She wants to do drama at college.") == "parent_voice"
    assert _kind(found, "I like the art room best.") == "child_voice"


def test_a_quoted_family_statement_with_no_verb_is_the_familys() -> None:
    found = _voice_of(
        '"We have always known that Tamsin is clever but finds writing hard."\n\n'
        '"As her dad, I want her to feel safe between lessons."\n\n'
        '"We play tig at break and I am nearly always it."'
    )
    assert _kind(found, "We have always known that Tamsin") == "parent_voice"
    assert _kind(found, "As her dad, I want her") == "parent_voice"
    assert _kind(found, "We play tig at break") == "child_voice"


def test_the_short_name_in_the_name_field_is_the_childs() -> None:
    found = _voice_of(
        "Barty told us that the dinner queue is too loud.",
        name="Bartholomew Quist (I like to be called Barty)",
    )
    assert _kind(found, "Barty told us") == "child_voice"


def _plan_with(section_a: str, section_f: str, name: str = "Wilf Amberley") -> dict[str, str]:
    plan = (
        "# Education, Health and Care Plan\n\n"
        f"- **Name:** {name}\n- **Age:** 8\n- **Parent/carer:** Lorna Amberley\n\n"
        "## Section A: Views, interests and aspirations\n\n" + section_a + "\n\n"
        "## Section B: Special educational needs\n\nHe finds reading hard.\n\n"
        "## Section C: Health needs\n\nNone.\n\n"
        "## Section F: Special educational provision\n\n" + section_f + "\n"
    )
    return _voices(audit_text(plan))


def test_a_row_label_naming_a_person_is_the_speaker_of_the_quotation_in_its_row() -> None:
    table = (
        "| Who | What they will do |\n|---|---|\n"
        '| Wilf | "I will hang up my coat and bag." |\n'
        '| Lorna and Gran | "We will practise the signs at home." |\n'
        '| Larkfield School | "We will run the club every week." |\n'
    )
    found = _plan_with("Wilf likes trains.", table)
    assert _kind(found, "I will hang up my coat") == "child_voice"
    assert _kind(found, "We will practise the signs") == "parent_voice"
    assert _kind(found, "We will run the club") != "parent_voice"


def _profile_plan(tmp_path: Path, items: list[str]) -> dict[str, str]:
    """A Word plan whose one-page profile table lists ``items`` beside "What is important to me"."""
    doc = docx.Document()
    doc.add_paragraph("Education, Health and Care Plan")
    doc.add_paragraph("Name: Wilf Amberley")
    doc.add_paragraph("Age: 8")
    doc.add_heading("Section A: Views, interests and aspirations", level=1)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "What is important to me"
    cell = table.cell(0, 1)
    cell.text = items[0]
    for item in items[1:]:
        cell.add_paragraph(item)
    for heading, body in (
        ("Section B: Special educational needs", "He finds reading hard."),
        ("Section C: Health needs", "None."),
        ("Section F: Special educational provision", "A weekly reading group."),
    ):
        doc.add_heading(heading, level=1)
        doc.add_paragraph(body)
    path = tmp_path / "profile.docx"
    doc.save(str(path))
    return _voices(audit(path))


def test_unmarked_items_of_a_list_in_the_childs_words_are_the_childs(tmp_path: Path) -> None:
    found = _profile_plan(
        tmp_path,
        [
            "My cat Pudding.",
            "Baking with Grandad on Sundays.",
            "My friends Ivo and Suki.",
            "I like my visual timetable.",
        ],
    )
    assert _kind(found, "Baking with Grandad on Sundays.") == "child_voice"


def test_a_writers_note_in_a_list_is_not_the_childs(tmp_path: Path) -> None:
    found = _profile_plan(
        tmp_path,
        [
            "My cat Pudding.",
            "Wilf has a cat called Pudding.",
            "My friends Ivo and Suki.",
            "I like my visual timetable.",
        ],
    )
    assert _kind(found, "Wilf has a cat called Pudding.") != "child_voice"


def test_a_label_naming_the_child_and_the_family_leaves_each_sentence_its_own_voice() -> None:
    found = _plan_with(
        '### What Wilf and his family told us\n\n"I want a dog."\n\n"We want him to make friends."',
        "A weekly reading group.",
    )
    assert _kind(found, "I want a dog.") == "child_voice"


def test_a_first_person_details_label_is_not_the_childs_voice(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Education, Health and Care Plan")
    doc.add_heading("Section A: About me", level=1)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "My name"
    table.cell(0, 1).text = "Wilfred Amberley (I like to be called Wilf)"
    table.cell(1, 0).text = "My birthday"
    table.cell(1, 1).text = "3 March 2018"
    doc.add_paragraph("I like trains and my cat.")
    for heading in ("Section B: Special educational needs", "Section C: Health needs"):
        doc.add_heading(heading, level=1)
        doc.add_paragraph("None.")
    path = tmp_path / "details.docx"
    doc.save(str(path))
    result = audit(path)
    texts = {c.text.strip(): c.kind for c in result.cues if c.kind == "child_voice"}
    assert "My name" not in texts and "My birthday" not in texts
    assert texts.get("I like trains and my cat.") == "child_voice"
    assert (result.details.name, result.details.preferred_name) == ("Wilfred Amberley", "Wilf")


def test_a_sentence_naming_the_child_beside_their_quoted_words_is_the_writers() -> None:
    found = _voice_of(
        "Tamsin made a collage for this plan with her tutor. "
        'She stuck a bus on it "because I want to go to college on my own".'
    )
    assert _kind(found, "Tamsin made a collage") == ""
    assert _kind(found, "She stuck a bus on it") == "child_voice"
