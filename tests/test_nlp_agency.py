"""The ``ehcp_agency`` component: who gave advice, in which category, with K-entry details.

Every test runs real spaCy (a blank English pipeline with a sentencizer and
the component) over real text; the corpus tests read the corpus plans with
the real readers and sectionizer and compare with the auditors' labels.
"""

from __future__ import annotations

import copy
import io
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from nlp_support import hits
from spacy.language import Language
from spacy.tokens import Span
from spacy.util import filter_spans

import ehcp_audit
from ehcp_audit import ConfigError
from ehcp_audit._model import Cue
from ehcp_audit._resources import rules_dir
from ehcp_audit.details import parse_details
from ehcp_audit.nlp._context import BlockContext, Hit, ensure_extensions
from ehcp_audit.nlp._pipeline import block_contexts, block_cues, extract_cues
from ehcp_audit.nlp.components import agency
from ehcp_audit.nlp.components.agency import (
    CATEGORIES,
    complete_advice_rows,
    parse_appended,
    parse_date,
    read_entry,
    reg6_source,
    rules_from_data,
    term_variants,
)
from ehcp_audit.sections import sectionize

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
LEXICON_PATH = rules_dir() / "lexicons" / "agencies.toml"


@pytest.fixture(scope="module")
def nlp() -> Language:
    ensure_extensions()
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("ehcp_agency")
    return pipeline


@pytest.fixture(scope="module")
def mentioning() -> Language:
    """The component set to report mentions too, for tests of what it matches."""
    ensure_extensions()
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("ehcp_agency", config={"mentions": True})
    return pipeline


def agency_hits(nlp: Language, text: str, section: str = "A", **context: Any) -> list[Hit]:
    return hits(nlp, text, BlockContext(section=section, **context))


def found(nlp: Language, text: str, section: str = "A", **context: Any) -> list[tuple[str, str]]:
    """(matched text, category) for each cue."""
    return [
        (text[h.start : h.end], h.category or "")
        for h in agency_hits(nlp, text, section, **context)
    ]


def categories(nlp: Language, text: str, section: str = "A") -> set[str]:
    return {category for _, category in found(nlp, text, section)}


def only(nlp: Language, text: str, section: str = "A", **context: Any) -> Hit:
    result = agency_hits(nlp, text, section, **context)
    assert len(result) == 1, [text[h.start : h.end] for h in result]
    return result[0]


# ------------------------------------------------------- the lexicon's own examples


def _examples() -> list[dict[str, Any]]:
    return tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8"))["example"]


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e["text"][:40])
def test_lexicon_examples(nlp: Language, example: dict[str, Any]) -> None:
    got = categories(nlp, example["text"], example.get("section", "A"))
    assert got == set(example["categories"])


def test_lexicon_loads_and_every_category_has_roles() -> None:
    rules = agency.default_rules()
    assert {a.category for a in rules.agencies.values()} == set(CATEGORIES)
    assert all(a.reg6 in agency.REG6_SOURCES for a in rules.agencies.values())


# ------------------------------------------------------------------ matching


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The educational psychologist visited.", ("educational psychologist", "education")),
        ("The SENCO met us.", ("SENCO", "education")),
        ("The special educational needs co-ordinator met us.", None),
        ("Her SLT saw her.", ("SLT", "health")),
        ("She sees the SaLT weekly.", ("SaLT", "health")),
        ("CAMHS saw him in May.", ("CAMHS", "health")),
        ("He has a social worker.", ("social worker", "social_care")),
        ("Her SENDIASS adviser came too.", ("SENDIASS adviser", "voluntary_community")),
        ("The QTVI advised on font size.", ("QTVI", "education")),
        ("The ToD checks his aids.", ("ToD", "education")),
        ("The virtual school head attended.", ("virtual school head", "education")),
    ],
)
def test_roles_and_categories(
    mentioning: Language, text: str, expected: tuple[str, str] | None
) -> None:
    result = found(mentioning, text)
    if expected is None:
        assert result == [("special educational needs co-ordinator", "education")]
    else:
        assert result == [expected]


def test_abbreviations_match_only_as_whole_tokens_in_their_own_case(mentioning: Language) -> None:
    assert found(mentioning, "It is NOT too late and he GOT there; the ep was fine.") == []
    assert found(mentioning, "An EP and two OTs came.") == [("EP", "education"), ("OTs", "health")]
    assert found(mentioning, "Salt and pepper; a gp of friends; Ep 3 of the show.") == []


def test_plurals_possessives_and_curly_apostrophes(mentioning: Language) -> None:
    text = "The occupational therapists' reports were clear."
    assert found(mentioning, text)[0][0] == "occupational therapists"
    assert found(mentioning, "The physiotherapist's report was clear.")[0][0] == "physiotherapist"
    assert found(mentioning, "Children’s social care advised.") == [
        ("Children’s social care", "social_care")
    ]
    assert found(mentioning, "Two paediatricians saw her.") == [("paediatricians", "health")]


def test_longest_match_wins_virtual_school_is_not_a_school(mentioning: Language) -> None:
    assert found(mentioning, "The virtual school advised the school.") == [
        ("virtual school", "education")
    ]
    assert found(mentioning, "She goes to school on the bus.") == []
    assert found(mentioning, "The school nurse saw her.") == [("school nurse", "health")]
    assert found(mentioning, "The nursery nurse saw her.") == [("nursery nurse", "education")]


def test_phrase_broken_by_a_line_wrap_or_non_breaking_space(mentioning: Language) -> None:
    assert found(mentioning, "Her speech and\nlanguage therapist saw her.")[0][1] == "health"
    assert found(mentioning, "Her occupational\xa0therapist saw her.")[0][1] == "health"
    # A new line that starts a new paragraph is not a wrapped phrase.
    assert categories(mentioning, "Speech and\nLanguage is good.") == set()


def test_headings_and_placeholders_give_no_cues(nlp: Language) -> None:
    assert agency_hits(nlp, "Advice from the educational psychologist", is_heading=True) == []
    assert agency_hits(nlp, "[Name of educational psychologist]", is_placeholder=True) == []


def test_gp_in_personal_details_is_not_input(nlp: Language) -> None:
    assert found(nlp, "GP: Dr L. Marsh, Juniper Surgery", section="front") == []
    assert found(nlp, "Her GP found no physical cause.", section="C") == [("GP", "health")]


# ------------------------------------------------------------ traps: no input


@pytest.mark.parametrize(
    "text",
    [
        "He is not known to Brackford Children's Social Care.",
        "There is no current involvement from the Early Help team.",
        "There is no social worker involvement at present.",
        "His parents do not want a social care assessment at this time.",
        "They have been given details of the short breaks local offer.",
        "The family were signposted to the parent carer forum.",
        "Sam is on the waiting list for CAMHS.",
        "Allocated social worker: none",
        "Mum declined an early help assessment.",
        "His dad is a paediatrician at the hospital.",
        "I want to become a speech and language therapist.",
        "Sam's school is Willowmead Church of England Primary School.",
        "She will learn to advocate for herself.",
        "He wants to be a veterinary nurse.",
        "He goes to Scouts, the library and a drama club.",
        # asked for, not given: a referral for an assessment, eligibility, an open question
        "The health visitor referred Sam to the children's social work team for an assessment.",
        "Sam's needs were outside the criteria for a social worker's visit.",
        "The team will look next year at whether adult social care should assess Sam.",
        "No physiotherapy report was available in time.",
        # a bracket spelling out a service that was only signposted
        "We gave them the contact details of Fenwold SENDIASS (the information, advice and"
        " support service for special educational needs).",
    ],
)
def test_non_involvement_gives_no_cue(nlp: Language, text: str) -> None:
    assert found(nlp, text, section="D") == []


@pytest.mark.parametrize(
    "text",
    [
        "Mum was supported through the annual review by an adviser from Fenwold SENDIASS.",
        "A SENDIASS adviser supported Dad at the planning meeting.",
        "Mum was helped to write her views by Fenwold SENDIASS (the information, advice and"
        " support service).",
    ],
)
def test_support_through_the_plans_making_is_taking_part(nlp: Language, text: str) -> None:
    assert "voluntary_community" in {c for _, c in found(nlp, text)}


def test_support_in_lessons_is_not_taking_part(nlp: Language) -> None:
    assert found(nlp, "Sam is supported in the classroom by a teaching assistant.") == []


def test_negation_scope_ends_at_the_clause(nlp: Language) -> None:
    text = "He is not known to social services, but the OT assessed him in May."
    assert found(nlp, text) == [("OT", "health")]


def test_community_groups_count_only_when_they_gave_information(nlp: Language) -> None:
    assert categories(nlp, "Toby told us that there are lots of clubs at school.") == set()
    assert categories(nlp, "His football club coach said he is a team player.") == {
        "voluntary_community"
    }
    assert categories(nlp, "Information from Sam's art club", section="K") == {
        "voluntary_community"
    }


@pytest.mark.parametrize(
    "text",
    [
        "In her picture she put her gran, her cat and a swing that she said was the best.",
        "He painted his uncle and the lorry that they have fixed together, which he explained.",
    ],
)
def test_advice_said_by_another_subject_is_not_the_roles(nlp: Language, text: str) -> None:
    """A relative in the child's drawing, then the child speaking: not the relative's views."""
    assert categories(nlp, text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Her gran told us she is calmer after a walk by the canal.",
        "His uncle shared his views by phone.",
        "The physiotherapist saw her twice, and she reported good progress.",
    ],
)
def test_the_roles_own_advice_still_counts(nlp: Language, text: str) -> None:
    assert categories(nlp, text)


# ---------------------------------------------------------- advice or mention


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The educational psychologist assessed Sam in May.", "advice"),
        ("Specialist seating as recommended by the OT.", "advice"),
        ("Ellie has anxiety, diagnosed by CAMHS in June 2025.", "advice"),
        ("She sleeps badly (community paediatrician, June 2025).", "advice"),
        ("No social care needs were found (social care advice, 20 June 2025).", "advice"),
        ("The meeting was attended by Sam, his mum and the SENCo.", "advice"),
        ("Her science teacher says she asks excellent questions.", "advice"),
        ("She was referred to CAMHS in April 2025.", "mention"),
        ("The OT will provide advice to school as required.", "mention"),
        ("Sam told us that he likes his teaching assistant.", "mention"),
        ("A physiotherapist will see Sam every half term.", "mention"),
    ],
)
def test_input_advice_or_mention(mentioning: Language, text: str, expected: str) -> None:
    assert only(mentioning, text).attributes["input"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wilf was referred to the community paediatrician in the spring.",
        "A physiotherapist will see Wilf every half term.",
        "Wilf was known to the early help team at his first school.",
        "The family can ask for a social care assessment if things change.",
        "Wilf's mum is entitled to request a carer's assessment.",
        "Wilf is still waiting to be seen by the occupational therapist.",
        "Speech and language therapy assessment if needed.",
    ],
)
def test_by_default_a_role_only_mentioned_gives_no_cue(
    nlp: Language, mentioning: Language, text: str
) -> None:
    assert agency_hits(nlp, text, section="C") == []
    assert all(
        h.attributes["input"] == "mention" for h in hits(mentioning, text, BlockContext("C"))
    )


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        ("Medical advice: Dr R. Imrie, Community Paediatrician, 2 March 2026", True),
        ("K4. Report from the school nurse, March 2026.", True),
        ("Corin Vale, Family Support Worker", True),
        ("Information from the Lodge Lane judo club", True),
        ("Mrs Ada Brook, Specialist Teacher, 3/3/2026.", True),
        ("Since March she has joined the Lodge Lane judo club.", False),
        (
            "In the summer term Wilf moved up two book bands, joined the chess club and "
            "read his first chapter book on his own at bedtime",
            False,
        ),
    ],
)
def test_k_entry_lines_and_narrative_lines(line: str, entry: bool) -> None:
    text = f"Advice received\n{line}\nEnd of list"
    assert agency.is_entry_line(text, text.index(line) + 2, _entry()) is entry


def test_a_club_in_a_k_progress_note_is_not_a_contributor(nlp: Language) -> None:
    note = "Since the spring Wilf has joined the Lodge Lane judo club and won a medal."
    assert agency_hits(nlp, note, section="K") == []
    entry = "Information: Lodge Lane judo club coach, 9 March 2026"
    assert categories(nlp, entry, section="K") == {"voluntary_community"}
    # A K narrative line that says the role took part still counts.
    meeting = "The review was held on 4 May 2026 and the social worker attended."
    assert categories(nlp, meeting, section="K") == {"social_care"}


def test_a_summary_run_on_after_the_entry_date_is_read_as_prose(nlp: Language) -> None:
    text = (
        "Social care advice - Ms R. Quill, Social Worker, 14/01/2026 (appended) We assessed "
        "the family and suggested the Saturday playscheme at the Linden youth club."
    )
    assert categories(nlp, text, section="K") == {"social_care"}


def test_advice_that_never_came_said_with_no(nlp: Language) -> None:
    text = "No physiotherapy or social care report has been received for this assessment."
    assert agency_hits(nlp, text, section="K") == []
    assert agency_hits(nlp, text, section="D") == []


def test_local_voluntary_groups_named_by_what_they_are(nlp: Language, mentioning: Language) -> None:
    for text in (
        "Information: Wrenfield Hearing Families Society, 4 March 2026",
        "Family support: Oldcastle Autism Parents' Group (peer volunteer), 8 March 2026",
    ):
        assert categories(nlp, text, section="K") == {"voluntary_community"}, text
    # A family group conference is social care's, not a family support group.
    conference = "A family group conference was arranged in May."
    assert found(mentioning, conference, section="D") == [
        ("family group conference", "social_care")
    ]


def test_outside_k_no_entry_attributes(nlp: Language) -> None:
    hit = only(nlp, "The EP assessed her.")
    assert hit.rule == "agency.educational_psychologist"
    assert dict(hit.attributes) == {"role": "educational psychologist", "input": "advice"}


# ---------------------------------------------------------------- section K


def test_k_one_line_entry_gives_author_date_appended_and_source(nlp: Language) -> None:
    text = (
        "Educational psychology advice from Dr H. Wainwright, Educational Psychologist, "
        "dated 21 October 2025 (appended)"
    )
    result = agency_hits(nlp, text, section="K")
    assert [text[h.start : h.end] for h in result] == [
        "Educational psychology",
        "Educational Psychologist",
    ]
    assert dict(result[1].attributes) == {
        "role": "educational psychologist",
        "input": "advice",
        "advice": "Educational psychology advice",
        "author": "Dr H. Wainwright, Educational Psychologist",
        "date": "2025-10-21",
        "appended": True,
        "reg6_source": "educational_psychologist",
    }


@pytest.mark.parametrize(
    ("text", "author", "date", "appended", "source"),
    [
        (
            "K2. Audiology advice – Priya Desai, Clinical Scientist (Audiology), "
            "20th November 2025, not appended",
            "Priya Desai, Clinical Scientist (Audiology)",
            "2025-11-20",
            False,
            "medical",
        ),
        (
            "SALT advice - Amy Cross, Speech and Language Therapist, 2025-09-10 (appended) "
            "I assessed him using the CELF-5.",
            "Amy Cross, Speech and Language Therapist",
            "2025-09-10",
            True,
            "medical",
        ),
        (
            "Careers advice: Chris Doyle, Careers Adviser, 06/05/2025, Appended: Yes",
            "Chris Doyle, Careers Adviser",
            "2025-05-06",
            True,
            "preparing_for_adulthood",
        ),
        (
            "Social care advice from Kate Morris, Social Worker, Children with Disabilities "
            "Team, dated 22 August 2025 (appended)",
            "Kate Morris, Social Worker, Children with Disabilities Team",
            "2025-08-22",
            True,
            "social_care",
        ),
        (
            "Ellie's views from Ellie Marlow, with Mrs A. Osei, Key Worker, dated "
            "16 October 2025 (appended)",
            "Ellie Marlow, with Mrs A. Osei, Key Worker",
            "2025-10-16",
            True,
            "parent",
        ),
        (
            "Educational advice from Mr D. Hale, SENCo, Hawthorn Hill Academy, "
            "dated 10 October 2025 (appended)",
            "Mr D. Hale, SENCo, Hawthorn Hill Academy",
            "2025-10-10",
            True,
            "school",
        ),
    ],
)
def test_k_entry_formats(
    nlp: Language, text: str, author: str, date: str, appended: bool, source: str
) -> None:
    result = agency_hits(nlp, text, section="K")
    assert result
    for hit in result:
        assert hit.attributes["author"] == author
        assert hit.attributes["date"] == date
        assert hit.attributes["appended"] is appended
        assert hit.attributes["reg6_source"] == source
        assert hit.attributes["input"] == "advice"


def test_k_table_cells_use_the_row_label_and_leave_the_rest_unknown(nlp: Language) -> None:
    hit = only(
        nlp, "Dr A. Okonjo, Community Paediatrician", section="K", row_label="Medical advice"
    )
    assert hit.attributes["author"] == "Dr A. Okonjo, Community Paediatrician"
    assert hit.attributes["advice"] == "Medical advice"
    assert hit.attributes["reg6_source"] == "medical"
    assert hit.attributes["date"] is None
    assert hit.attributes["appended"] is None


def test_k_cell_without_a_label_falls_back_to_the_roles_source(nlp: Language) -> None:
    hit = only(nlp, "Ms R. Lindqvist, Occupational Therapist", section="K")
    assert hit.attributes["reg6_source"] == "medical"
    assert hit.attributes["advice"] is None


@pytest.mark.parametrize(
    "text",
    [
        "Social care advice\nRequested. Awaiting response.",
        "CAMHS (LAC pathway) - not received, awaiting triage",
        "Advice from CAMHS was requested on 3 March 2025 but has not been received.",
    ],
)
def test_k_advice_that_never_came_gives_no_cue(nlp: Language, text: str) -> None:
    assert agency_hits(nlp, text, section="K") == []


def test_awaiting_inside_a_report_summary_is_not_pending(nlp: Language) -> None:
    text = (
        "Physiotherapy report\nI have seen Jack in clinic and in school, and he is awaiting "
        "new splints, which should arrive in the spring term."
    )
    assert [c for _, c in found(nlp, text, section="K")] == ["health"]
    assert agency.says_pending("Social care advice\nRequested. Awaiting response.", _entry())
    assert not agency.says_pending("SALT advice - A. Cross, SLT, awaiting (appended)", _entry())


def _entry() -> agency.EntryRules:
    return agency.default_rules().entry


def test_unknown_lexicon_name_is_a_config_error() -> None:
    ensure_extensions()
    pipeline = spacy.blank("en")
    with pytest.raises(ConfigError, match="lexicon file missing"):
        pipeline.add_pipe("ehcp_agency", config={"lexicon": "no_such_lexicon"})


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("12/06/2025", "2025-06-12"),
        ("1/6/25", "2025-06-01"),
        ("12.06.2025", "2025-06-12"),
        ("12 June 2025", "2025-06-12"),
        ("2nd December 2025", "2025-12-02"),
        ("14th of Nov 2025", "2025-11-14"),
        ("Sept 3 2025", "2025-09-03"),
        ("2025-09-22", "2025-09-22"),
        ("dated 31/02/2025, then 01/03/2025", "2025-03-01"),
        ("June 2025", None),
        ("Chronically Sick and Disabled Persons Act 1970", None),
    ],
)
def test_parse_date_reads_uk_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("YES", True),
        ("Yes", True),
        ("Appended", True),
        ("(appended)", True),
        ("NO", False),
        ("No", False),
        ("not appended", False),
        ("Appended: No", False),
        ("", None),
        ("12/06/2025", None),
    ],
)
def test_parse_appended(text: str, expected: bool | None) -> None:
    assert parse_appended(text, agency.default_rules().entry) is expected


@pytest.mark.parametrize(
    ("advice", "source"),
    [
        ("Parents' views", "parent"),
        ("Child's views (Talking Mats)", "parent"),
        ("Foster carer views", "parent"),
        ("Educational advice", "school"),
        ("Teacher of the Deaf advice", "school"),
        ("Medical advice", "medical"),
        ("Speech and language therapy advice", "medical"),
        ("Educational psychology advice", "educational_psychologist"),
        ("Psychological advice", "educational_psychologist"),
        ("Social care advice (Child in Need review)", "social_care"),
        ("Preparing for adulthood advice", "preparing_for_adulthood"),
        ("Advice and information from any other person the LA thinks appropriate", "other"),
        ("Mentoring report", None),
    ],
)
def test_reg6_source_from_advice_type(advice: str, source: str | None) -> None:
    assert reg6_source(advice, agency.default_rules().entry) == source


def test_read_entry_on_plain_prose_finds_no_author() -> None:
    entry = read_entry("I observed Inaya in class and at lunchtime.", agency.default_rules().entry)
    assert entry.author is None and entry.advice is None


# ------------------------------------------------------------- row level (K tables)


def _k_table_plan() -> bytes:
    document = docx.Document()
    document.add_heading("Section A: The views, interests and aspirations of the child", 1)
    document.add_paragraph("Sam's class teacher said that he is kind and helpful.")
    document.add_heading("Section B: Special educational needs", 1)
    document.add_paragraph("Sam's speech is unclear (speech and language therapy advice, 2025).")
    document.add_heading("Section F: Special educational provision", 1)
    document.add_paragraph("A teaching assistant will support Sam for 20 minutes each day.")
    document.add_heading(
        "Section K: Advice and information gathered during the EHC needs assessment", 1
    )
    rows = [
        ("Advice", "Who from", "Date", "Appended"),
        (
            "Educational psychology advice",
            "Dr A. Patel, Educational Psychologist",
            "12/06/2025",
            "YES",
        ),
        ("Social care advice", "Children's Social Care", "", "Awaiting response"),
        ("Medical advice", "", "", ""),
        (
            "Information from Sam's football club",
            "J. Brown, Coach, Ashby Football Club",
            "3 July 2025",
            "No",
        ),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cues(path_or_bytes: Path | bytes, nlp: Language) -> tuple[tuple[Cue, ...], Any, Any]:
    """The per-block cues (before the K-row pass), the sections and the details."""
    document = ehcp_audit.read(path_or_bytes)
    sectioning = sectionize(document, None)
    details = parse_details(document, sectioning)
    return block_cues(sectioning.sections, details, nlp), sectioning.sections, details


def test_rows_fill_date_and_appended_and_drop_rows_without_advice(nlp: Language) -> None:
    cues, sections, details = _cues(_k_table_plan(), nlp)
    k_before = [c.text for c in cues if c.section == "K"]
    assert "Children's Social Care" in k_before  # a cell cannot see "Awaiting response"
    assert "Medical advice" in k_before  # nor that its row is empty
    completed = complete_advice_rows(cues, sections)
    assert extract_cues(sections, details, nlp) == completed  # the pipeline runs the row pass
    k_after = {c.text: c for c in completed if c.kind == "agency" and c.section == "K"}
    assert "Children's Social Care" not in k_after
    assert "Social care advice" not in k_after
    assert "Medical advice" not in k_after
    ep = k_after["Educational Psychologist"]
    assert ep.attributes["date"] == "2025-06-12"
    assert ep.attributes["appended"] is True
    assert ep.attributes["advice"] == "Educational psychology advice"
    assert ep.attributes["author"] == "Dr A. Patel, Educational Psychologist"
    assert ep.attributes["reg6_source"] == "educational_psychologist"
    club = k_after["Football Club"]
    assert club.category == "voluntary_community"
    assert club.attributes["date"] == "2025-07-03"
    assert club.attributes["appended"] is False
    assert club.attributes["reg6_source"] == "other"
    # Cues outside K pass through untouched.
    outside = [c for c in cues if c.section != "K"]
    assert [c for c in completed if c.section != "K"] == outside
    assert {c.category for c in outside} == {"education", "health"}


def test_rows_read_a_header_that_is_not_the_first_row(nlp: Language) -> None:
    cues, sections, _ = _cues(CORPUS / "p04.docx", nlp)
    completed = [c for c in complete_advice_rows(cues, sections) if c.section == "K"]
    assert "Children's Social Care" not in {c.text for c in completed}
    salt = next(c for c in completed if c.attributes.get("author") == "M. Booth, SALT")
    assert salt.attributes["date"] == "2025-10-15"
    assert salt.attributes["appended"] is True
    assert salt.attributes["advice"] == "SALT report"


# --------------------------------------------------------------- the corpus


def _labelled() -> Iterator[tuple[Path, dict[str, Any]]]:
    for labels_path in sorted(CORPUS.glob("p*.labels.json")):
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        if "agencies_contributing" not in labels:
            continue
        for name in labels.get("files", []):
            yield CORPUS / name, labels["agencies_contributing"]


def test_corpus_agency_categories(nlp: Language) -> None:
    """Per category: recall >= 0.95, and no category on a plan whose label list is empty."""
    hits_, labelled, false = 0, 0, []
    for path, expected in _labelled():
        cues, sections, _ = _cues(path, nlp)
        got = {c.category for c in complete_advice_rows(cues, sections) if c.kind == "agency"}
        # The label schema lists the four service categories; wider family is not labelled.
        for category in (c for c in CATEGORIES if c != "wider_family"):
            if expected.get(category):
                labelled += 1
                hits_ += category in got
            elif category in got:
                false.append((path.name, category))
    assert labelled >= 40
    assert hits_ / labelled >= 0.95
    assert false == []


# ------------------------------------------------------------- bad rule data


def _data() -> dict[str, Any]:
    return copy.deepcopy(tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("agency"), r"no \[\[agency\]\]"),
        (lambda d: d["agency"][0].update(category="sport"), "category"),
        (lambda d: d["agency"][0].update(reg6="friend"), "reg6"),
        (lambda d: d["agency"][0].pop("role"), "'role'"),
        (lambda d: d["agency"][1].update(id=d["agency"][0]["id"]), "used twice"),
        (lambda d: d["agency"][1]["terms"].append("educational psychologist"), "listed under both"),
        (lambda d: d["agency"][0].update(terms=[], abbreviations=[]), "at least one"),
        (lambda d: d["context"].update(advice=r"\b(unclosed"), "does not compile"),
        (lambda d: d["context"].update(advice="advice"), "must start with"),
        (lambda d: d["context"].update(window=0), "window"),
        (lambda d: d.pop("k_entry"), "k_entry"),
    ],
)
def test_bad_lexicon_raises_config_error(change: Any, message: str) -> None:
    data = _data()
    change(data)
    with pytest.raises(ConfigError, match=message):
        rules_from_data(data, "agencies.toml")


def test_term_variants() -> None:
    assert term_variants("speech therapist") == {"speech therapist", "speech therapists"}
    assert term_variants("charity") == {"charity", "charities"}
    assert term_variants("church") == {"church", "churches"}
    assert term_variants("children's services") == {"children's services", "children’s services"}


# ------------------------------------------------ module layout and fast paths


def test_the_split_modules_share_one_set_of_names() -> None:
    from ehcp_audit.nlp import _pipeline
    from ehcp_audit.nlp.components import _agency_k, _agency_lexicon

    assert agency.complete_advice_rows is _agency_k.complete_advice_rows
    assert agency.read_entry is _agency_k.read_entry
    assert agency.default_rules is _agency_lexicon.default_rules
    assert agency.rules_from_data is _agency_lexicon.rules_from_data
    assert _pipeline.extract_cues is extract_cues
    assert set(agency.__all__) <= set(dir(agency))


def _corpus_docs(nlp: Language) -> list[Any]:
    """Every block of every first-format corpus plan as a doc, context set, sentencized."""
    docs = []
    seen: set[str] = set()
    for path in sorted(CORPUS.glob("p[0-9][0-9].*")):
        if path.suffix not in {".docx", ".pdf", ".md", ".txt"} or path.stem in seen:
            continue
        seen.add(path.stem)
        audit = ehcp_audit.audit(path)
        for section in audit.sections:
            for block, context in block_contexts(section, audit.details):
                if block.text.strip():
                    doc = nlp.make_doc(block.text)
                    doc._.ehcp_context = context
                    docs.append(nlp.get_pipe("sentencizer")(doc))
    return docs


def test_lower_cased_scans_find_what_case_insensitive_scans_find(nlp: Language) -> None:
    fast = nlp.get_pipe("ehcp_agency")
    assert fast._lower_rules is not None  # the installed lexicon has a lower-case twin
    plain = agency.AgencyFinder(nlp, agency.default_rules())
    plain._lower_rules = None  # scan the text as written, with IGNORECASE
    total = 0
    for doc in _corpus_docs(nlp):
        context = doc._.ehcp_context
        expected = list(plain.hits(doc, context))
        assert list(fast.hits(doc, context)) == expected
        total += len(expected)
    assert total > 100


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 12), st.integers(1, 4)).map(
            lambda m: (m[0], m[1], m[1] + m[2])
        ),
        max_size=12,
    )
)
def test_longest_first_keeps_what_filter_spans_keeps(
    nlp: Language, matches: list[tuple[int, int, int]]
) -> None:
    doc = nlp.make_doc("a b c d e f g h i j k l m n o p")
    spans = [Span(doc, start, end, label=key) for key, start, end in matches]
    expected = [(s.label, s.start, s.end) for s in filter_spans(spans)]
    assert agency._longest_first(matches) == expected


# ------------------------------------------------ groups named once by what they are


@pytest.mark.parametrize(
    ("introduced", "later", "section"),
    [
        # the name in apposition before the term, then the name alone in K's list of advice
        (
            "Kai goes to Lantern Voices, the young people's advocacy group, on Mondays.",
            "Views of Kai, written with Lantern Voices, 3 March 2026",
            "K",
        ),
        # the term, then "called" and the name; later the name among those present
        (
            "Kai goes to a local autism charity called Brightway on Saturdays.",
            "Present: Kai, his mum, the SENCo and Ola Reid (Brightway).",
            "A",
        ),
    ],
)
def test_a_group_named_once_by_what_it_is_counts_by_its_name_later(
    nlp: Language, introduced: str, later: str, section: str
) -> None:
    state: dict[str, Any] = {}
    agency_hits(nlp, introduced, "A", plan_state=state, child_names=("Kai",))
    cues = found(nlp, later, section, plan_state=state, child_names=("Kai",))
    named = [(text, category) for text, category in cues if category == "voluntary_community"]
    assert [text for text, _ in named] in (["Lantern Voices"], ["Brightway"])


def test_names_are_not_learnt_from_statutory_services_or_kept_between_plans(
    nlp: Language,
) -> None:
    state: dict[str, Any] = {}
    # a statutory service's own name is not learnt: it goes by what it is
    agency_hits(
        nlp,
        "Fenby Pathways, the educational psychology service, assessed Kai.",
        "A",
        plan_state=state,
    )
    assert (
        found(nlp, "Views of Kai, written with Fenby Pathways, 3 March 2026", "K", plan_state=state)
        == []
    )
    # a new plan starts with nothing learnt
    agency_hits(
        nlp, "Kai goes to Lantern Voices, the young people's advocacy group.", "A", plan_state=state
    )
    assert found(nlp, "Views of Kai, written with Lantern Voices, 3 March 2026", "K") == []
    # the child's own name is never a group's
    fresh: dict[str, Any] = {}
    agency_hits(
        nlp,
        "Kai Brennan, a young advocate for deaf children, spoke first.",
        "A",
        plan_state=fresh,
        child_names=("Kai Brennan", "Kai"),
    )
    assert (
        found(
            nlp,
            "Views of Kai Brennan, 3 March 2026",
            "K",
            plan_state=fresh,
            child_names=("Kai Brennan", "Kai"),
        )
        == []
    )
