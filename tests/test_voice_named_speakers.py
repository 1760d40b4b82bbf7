"""Whose words: speakers named by the details, lead-in lines and numbered labels.

Each test places fresh sentences in a small Markdown plan and asks which
voice cue (if any) covers a sentence, so the whole path (details, sections,
the voice component) is exercised.
"""

from __future__ import annotations

from ehcp_audit._audit import audit_text

_TAIL = """
## Section B: Special educational needs

She finds reading hard.

## Section C: Health needs

None.

## Section F: Special educational provision

A weekly reading group.
"""


def _voice_of(section_a: str, name: str = "Tamsin Hollis") -> dict[str, str]:
    plan = (
        "# Education, Health and Care Plan\n\n"
        f"- **Name:** {name}\n- **Age:** 12\n\n"
        "## Section A: Views, interests and aspirations\n\n" + section_a + "\n" + _TAIL
    )
    found: dict[str, str] = {}
    for cue in audit_text(plan).cues:
        if cue.kind in ("child_voice", "parent_voice", "professional_voice"):
            found[cue.text.strip()] = cue.kind
    return found


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
