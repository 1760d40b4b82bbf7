"""The child's words carried by longer sentence forms (fresh sentences, invented names).

Each test places sentences in a small Markdown plan and asks which voice cue
covers them, so the details, sections and the voice component all run.
"""

from __future__ import annotations

from ehcp_audit._audit import audit_text
from ehcp_audit.nlp.components.voice import _clause_start

_TAIL = """
## Section B: Special educational needs

He finds spelling hard.

## Section C: Health needs

None.

## Section E: Outcomes

{outcome}

## Section F: Special educational provision

A weekly spelling group.
"""


def _voices(
    section_a: str, outcome: str = "He will spell ten words by July 2027."
) -> dict[str, str]:
    plan = (
        "# Education, Health and Care Plan\n\n"
        "- **Name:** Odhran Quillon\n- **Age:** 9\n- **Parents:** Teodor Quillon\n\n"
        "## Section A: Views, interests and aspirations\n\n"
        + section_a
        + "\n"
        + _TAIL.format(outcome=outcome)
    )
    return {
        cue.text.strip(): cue.kind
        for cue in audit_text(plan).cues
        if cue.kind in ("child_voice", "parent_voice", "professional_voice")
    }


def test_a_quotation_naming_a_thing_does_not_start_a_clause() -> None:
    tokens = ["Odhran", "held", "up", "the", '"', "help", '"', "card", "and"]
    assert _clause_start(tokens) == 0
    # a quotation that is speech still closes its clause
    assert _clause_start(["He", "said", '"', "no", '"', "and"]) == 5


def test_speech_after_a_named_card_is_the_childs() -> None:
    found = _voices(
        'Odhran held up the "help" card and said "too loud".\n\n'
        'His teacher held up the "stop" card and said "line up now".'
    )
    assert found.get('Odhran held up the "help" card and said "too loud".') == "child_voice"
    # the teacher's own words, whatever card she held
    assert found.get('His teacher held up the "stop" card and said "line up now".') in (
        None,
        "professional_voice",
    )


def test_as_gives_the_childs_report_as_a_reason_only_with_content() -> None:
    reason = 'Odhran will join chess club by July 2027, as he said he wants "a proper game".'
    empty = "Odhran will read aloud to his group by July 2027, as he told us he wants to."
    assert _voices("Odhran likes chess.", reason).get(reason) == "child_voice"
    assert empty not in _voices("Odhran likes chess.", empty)
    manner = "These are his answers, written down as he said them."
    assert manner not in _voices(manner)


def test_a_report_inside_the_childs_first_person_stays_the_childs() -> None:
    sentence = "I go to the climbing wall and Teodor said he will take me to the big one."
    found = _voices("### What I want you to know about me\n\n" + sentence)
    assert found.get(sentence) == "child_voice"


def test_a_wish_for_quoted_words_is_the_childs_quote() -> None:
    quoted = 'Odhran loves drawing and wants to "make comics".'
    plain = "Odhran wants to join the drama club."
    found = _voices(quoted + " " + plain)
    assert found.get(quoted) == "child_voice"
    assert plain not in found


def test_a_question_word_opening_a_sentence_is_not_a_name() -> None:
    sentence = "What Odhran said about the trip was positive."
    assert sentence not in _voices(sentence)


def test_a_row_label_speaks_for_its_row_only() -> None:
    table = (
        "| About me | I like buses. |\n"
        "|---|---|\n"
        "| My dad says | Odhran has always been curious. We are proud of him. |\n\n"
        "Odhran is a cheerful boy who enjoys puzzles.\n"
    )
    found = _voices(table)
    assert found.get("We are proud of him.") == "parent_voice"
    assert "Odhran is a cheerful boy who enjoys puzzles." not in found


def test_a_column_header_label_holds_over_the_rows_below() -> None:
    table = (
        "| What Odhran said | What happened |\n"
        "|---|---|\n"
        '| "I want a quiet place at lunch." | A quiet room is open every lunchtime. |\n'
    )
    assert _voices(table).get('"I want a quiet place at lunch."') == "child_voice"


def test_a_parent_named_under_a_family_label_is_family_in_the_outcomes() -> None:
    views = "### What my mum says\n\nLeona said she reads with Odhran every night.\n"
    wish = "Odhran will read a chapter book by July 2027. Leona wants him to enjoy reading."
    assert _voices(views, wish).get("Leona wants him to enjoy reading.") == "parent_voice"
    # the same name never heard under a family label is nobody's
    other = "### About me\n\nOdhran likes chess.\n"
    assert "Leona wants him to enjoy reading." not in _voices(other, wish)


def test_a_row_label_in_the_first_person_is_nobodys_voice() -> None:
    table = (
        "| My name | Odhran Quillon |\n"
        "|---|---|\n"
        "| My hobbies | Odhran plays chess on Saturdays. |\n"
        "| I like | Chess, buses and drawing. |\n"
    )
    found = _voices(table)
    assert "My hobbies" not in found
    assert "I like" not in found


def test_a_short_quoted_item_in_the_first_column_stays_the_childs() -> None:
    table = (
        "| What Odhran said | What happened |\n"
        "|---|---|\n"
        '| "I want a quiet place." | A quiet room is open every lunchtime. |\n'
    )
    assert _voices(table).get('"I want a quiet place."') == "child_voice"
