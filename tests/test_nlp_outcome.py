"""The ehcp_outcome component: one cue per outcome statement in E, with its SMART traits.

Unit tests run statements through a real blank spaCy pipeline with only this
component; corpus tests read real plans from ``corpus_samples/`` (DOCX, PDF,
Markdown, text) with only this component in the pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nlp_support import blank_with, hits

import ehcp_audit
import ehcp_audit.nlp.components.outcome as outcome
from ehcp_audit.details import parse_details
from ehcp_audit.nlp._context import BlockContext
from ehcp_audit.nlp._pipeline import extract_cues
from ehcp_audit.nlp.components.provision import Text
from ehcp_audit.sections import sectionize

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
KEYS = {"time_bound", "measurable", "child_centred", "pfa_domain", "is_provision", "evidence"}


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_outcome")


def outcomes(nlp, text: str, section: str = "E", names=("Sam", "Sam Lee"), **kw):
    found = [
        h
        for h in hits(nlp, text, BlockContext(section=section, child_names=names, **kw))
        if h.kind == "outcome"
    ]
    for hit in found:
        assert set(hit.attributes) == KEYS
        assert hit.rule == "outcome.statement"
    return [(text[h.start : h.end], dict(h.attributes)) for h in found]


def one(nlp, text: str, **kw) -> dict:
    ((said, attributes),) = outcomes(nlp, text, **kw)
    assert said == text.strip()
    return attributes


RULES = outcome.outcome_rules()


@pytest.mark.parametrize(
    "rule", RULES.time_bound + RULES.measurable + RULES.is_provision, ids=lambda r: r.id
)
def test_every_rule_matches_its_examples(rule) -> None:
    assert rule.fires
    for text in rule.fires:
        assert rule.pattern.search(Text(text)), text
    for text in rule.quiet:
        assert not rule.pattern.search(Text(text)), text


# --------------------------------------------------------------------------
# Statements and labels
# --------------------------------------------------------------------------


def test_each_sentence_and_each_line_is_one_outcome(nlp) -> None:
    text = (
        "By July 2026, Sam will read 20 words. He will write his name.\n"
        "Sam will join a club by the annual review"
    )
    assert [said for said, _ in outcomes(nlp, text)] == [
        "By July 2026, Sam will read 20 words.",
        "He will write his name.",
        "Sam will join a club by the annual review",
    ]


@pytest.mark.parametrize(
    "label",
    [
        "Outcomes",
        "Short-term steps:",
        "Long term outcomes",
        "Communication and interaction",
        "Health outcomes:",
        "What we want to happen for me, and by when:",
        "To be confirmed.",
        "N/A",
        "E1.",
        "Outcome 2:",
        "Link to Section A: his views on the school bus and Mum's worry about mornings.",
        "Where this came from: what Sam told his key worker about lunchtimes.",
    ],
)
def test_mere_labels_are_not_outcomes(nlp, label: str) -> None:
    assert outcomes(nlp, label) == []


@pytest.mark.parametrize(
    "said",
    [
        'Ayo said: "I want to work with horses one day."',
        "Ayo told us, 'I would like my own room at college.'",
        "“I want to get the bus on my own.”",
    ],
)
def test_the_childs_quoted_aspiration_above_outcomes_is_not_one(nlp, said: str) -> None:
    assert outcomes(nlp, said) == []


def test_an_outcome_that_quotes_the_child_is_still_one(nlp) -> None:
    text = (
        "By July 2026 Ayo will muck out two stables a week at the riding school,"
        ' as he said: "I want to work with horses."'
    )
    assert len(outcomes(nlp, text)) == 1


def test_short_statements_are_still_outcomes(nlp) -> None:
    assert len(outcomes(nlp, "Improved speech.")) == 1
    assert len(outcomes(nlp, "Sam will improve his speech")) == 1


def test_only_section_e_is_read(nlp) -> None:
    text = "By July 2026, Sam will read 20 words on his own."
    assert len(outcomes(nlp, text, section="E")) == 1
    for section in ("A", "B", "F", "K", "other"):
        assert outcomes(nlp, text, section=section) == []
    assert outcomes(nlp, text, is_heading=True) == []
    assert outcomes(nlp, text, is_placeholder=True) == []


@pytest.mark.parametrize(
    "heading",
    [
        "You said, we did",
        "Comments on the draft plan",
        "Parents' response to the draft",
        "Progress since the last review",
        "Previous outcomes",
        "Review and sign-off",
    ],
)
def test_what_a_template_keeps_under_e_beside_the_outcomes_is_not_one(nlp, heading) -> None:
    text = "Sam will have a named adult to meet him at the gate each morning (Section F)."
    assert outcomes(nlp, text, section="E", subsection=heading) == []


@pytest.mark.parametrize(
    "heading",
    [
        "Outcomes for Year 7",
        "By July 2027",
        "Communication",
        "Progress made towards last year's outcomes and new outcomes",
    ],
)
def test_outcomes_under_their_own_sub_headings_are_read(nlp, heading) -> None:
    text = "Sam will ask an adult for help in class on 4 out of 5 occasions."
    assert len(outcomes(nlp, text, section="E", subsection=heading)) == 1


def test_a_doc_without_context_is_read_as_outcomes(nlp) -> None:
    doc = nlp("By July 2026, Sam will walk independently.")
    (hit,) = doc._.ehcp_hits
    assert hit.attributes["child_centred"] and hit.attributes["time_bound"]


# --------------------------------------------------------------------------
# SMART attributes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "By July 2026, Sam will count to 20.",
        "By the end of Year 6, Sam will count to 20.",
        "Within 12 months, Sam will count to 20.",
        "By the annual review, Sam will count to 20.",
        "Sam will count to 20 by the time she leaves school.",
        "By his 16th birthday, Sam will count to 20.",
        "By the end of the spring term, Sam will count to 20.",
        "Sam will count to 20 by Christmas.",
    ],
)
def test_time_bound(nlp, text: str) -> None:
    assert one(nlp, text)["time_bound"] is True


@pytest.mark.parametrize(
    "text",
    ["Sam will count to 20.", "Sam will be happy in Year 6.", "Sam will sit by the window."],
)
def test_not_time_bound(nlp, text: str) -> None:
    assert one(nlp, text)["time_bound"] is False


@pytest.mark.parametrize(
    "text",
    [
        "Sam will ask for help on 4 out of 5 occasions.",
        "Sam will dress himself independently.",
        "Sam will line up without prompting.",
        "Sam will attend school at least 95% of the time.",
        "Sam will read at phonics Phase 5.",
        "Sam will write three sentences.",
        "Sam will put his coat on with one reminder.",
    ],
)
def test_measurable(nlp, text: str) -> None:
    assert one(nlp, text)["measurable"] is True


@pytest.mark.parametrize(
    "text",
    [
        "By July 2026, Sam will be happier at school.",
        "By 31 October 2026, Sam will be more confident.",
        "By the end of Year 6, Sam will make progress in reading.",
        "Within 12 months, Sam will be more settled.",
        "Sam will improve his speech.",
    ],
)
def test_dates_and_year_groups_do_not_make_an_outcome_measurable(nlp, text: str) -> None:
    assert one(nlp, text)["measurable"] is False


def test_child_centred_needs_the_child_or_i_as_the_one_who_will(nlp) -> None:
    assert one(nlp, "By July 2026, Sam will use a help card.")["child_centred"] is True
    assert one(nlp, "She will use a help card.")["child_centred"] is True
    assert one(nlp, "I will travel to college by bus.")["child_centred"] is True
    assert one(nlp, "Sam's needs will be met.")["child_centred"] is False
    assert one(nlp, "His hearing will be monitored.")["child_centred"] is False
    assert one(nlp, "Staff will use a visual timetable.")["child_centred"] is False


def test_without_a_known_name_a_capitalised_subject_counts(nlp) -> None:
    assert one(nlp, "By July 2026, Amira will read.", names=())["child_centred"] is True
    assert one(nlp, "The school will read to her.", names=())["child_centred"] is False


def test_provision_written_as_an_outcome_is_marked(nlp) -> None:
    assert one(nlp, "Sam will receive 3 sessions of SALT.")["is_provision"] is True
    assert one(nlp, "Sam will have weekly sessions with the OT.")["is_provision"] is True
    assert one(nlp, "The speech and language therapist will see Sam weekly.")["is_provision"]
    assert (
        one(nlp, "By July 2026, Sam will tell his teacher when he needs help.")["is_provision"]
        is False
    )
    assert one(nlp, "Sam will have a successful transition.")["is_provision"] is False


def test_evidence_names_the_rule_behind_each_true_attribute(nlp) -> None:
    attributes = one(nlp, "By July 2026, Sam will read 4 out of 5 words independently.")
    assert attributes["evidence"] == {
        "time_bound": "time.by_date",
        "measurable": "measure.out_of",
        "child_centred": "child.named_subject",
    }
    assert one(nlp, "Sam's needs will be met.")["evidence"] == {}


# --------------------------------------------------------------------------
# Preparing for Adulthood
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("By July 2027, Sam will complete a work experience placement.", "employment"),
        ("Sam will apply for an apprenticeship.", "employment"),
        ("Sam will cook a simple meal and manage his money.", "independent_living"),
        ("Sam will travel to college by bus on his own.", "independent_living"),
        ("Sam will join a youth club and make friends.", "community_participation"),
        ("Sam will book his own health appointments.", "health"),
        ("Preparing for Adulthood (health): Sam will cook a meal.", "health"),
        ("Sam will be kind.", None),
    ],
)
def test_pfa_domain_from_year_9(nlp, text: str, domain: str | None) -> None:
    assert one(nlp, text, year_group_number=9)["pfa_domain"] == domain


def test_pfa_domain_only_from_year_9_or_age_14(nlp) -> None:
    text = "Sam will travel to school by bus on his own."
    assert one(nlp, text, year_group_number=8, age=14)["pfa_domain"] is None
    assert one(nlp, text, year_group_number=12)["pfa_domain"] == "independent_living"
    assert one(nlp, text, age=14)["pfa_domain"] == "independent_living"
    assert one(nlp, text, age=13)["pfa_domain"] is None
    # neither stated: reported, and the rule's applies_when decides
    assert one(nlp, text)["pfa_domain"] == "independent_living"


# --------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------


def _outcome_cues(name: str, nlp):
    document = ehcp_audit.read(CORPUS / name)
    sectioning = sectionize(document)
    details = parse_details(document, sectioning)
    return [c for c in extract_cues(sectioning.sections, details, nlp) if c.kind == "outcome"]


def test_smart_outcomes_in_a_good_plan(nlp) -> None:
    cues = _outcome_cues("p01.docx", nlp)
    assert len(cues) == 8
    assert all(c.section == "E" for c in cues)
    for cue in cues:
        assert cue.attributes["time_bound"] and cue.attributes["measurable"], cue.location
        assert cue.attributes["child_centred"] and not cue.attributes["is_provision"]
        assert cue.attributes["pfa_domain"] is None  # Year 4


def test_vague_outcomes_in_a_weak_plan(nlp) -> None:
    cues = _outcome_cues("p04.docx", nlp)
    assert len(cues) >= 9
    assert not any(c.attributes["time_bound"] for c in cues)
    assert sum(c.attributes["measurable"] for c in cues) <= 1


def test_year_9_plan_has_pfa_domains_and_headings_are_skipped(nlp) -> None:
    cues = _outcome_cues("p03.docx", nlp)
    texts = [c.text for c in cues]
    assert not any(t.endswith(":") or t == "Cognition and learning" for t in texts)
    domains = [c.attributes["pfa_domain"] for c in cues]
    assert domains.count("employment") >= 2
    assert "independent_living" in domains


def test_reception_plan_has_no_pfa_domain(nlp) -> None:
    cues = _outcome_cues("p02.docx", nlp)
    assert len(cues) >= 10
    assert all(c.attributes["pfa_domain"] is None for c in cues)
    assert all(c.attributes["time_bound"] for c in cues)


def test_blank_template_has_no_outcomes(nlp) -> None:
    assert _outcome_cues("somerset_blank.docx", nlp) == []


@pytest.mark.parametrize(
    ("line", "is_outcome"),
    [
        ("Catch a beanbag with both hands", True),
        ("Name five coins", True),
        ("Use of ICT and devices", False),
        ("Read, write and spell", False),
        ("Travel training for college", False),
        ("Communication and interaction", False),
    ],
)
def test_a_short_goal_line_starting_with_a_verb_is_an_outcome(nlp, line: str, is_outcome) -> None:
    assert bool(outcomes(nlp, line)) is is_outcome


@pytest.mark.parametrize(
    "text",
    [
        # an aspiration in the third person, no deadline
        "When he leaves school, Sam would like to work with horses at a stables.",
        "In the future Sam hopes to live with his friend and keep a dog.",
        # a note on reviewing the outcomes, what an outcome is
        "Progress towards these outcomes will be reviewed at each annual review.",
        "An outcome is the difference the support is expected to make to Sam's life.",
        # a need or a baseline written in E
        "Sam finds it hard to start a written task when the room is noisy.",
        "At present Sam reads at about a Year 4 level.",
    ],
)
def test_aspirations_needs_and_notes_in_e_are_not_outcomes(nlp, text: str) -> None:
    assert outcomes(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "By July 2027 Sam would like to travel to college on his own.",
        "Sam will find it easier to start a task, using a first-then card, by Easter 2027.",
    ],
)
def test_an_outcome_with_a_deadline_or_a_will_stays_an_outcome(nlp, text: str) -> None:
    assert len(outcomes(nlp, text)) == 1


def test_a_second_outcomes_heading_in_e_gives_its_time_frame(tmp_path: Path) -> None:
    """ "Short-term outcomes (by the end of this school year)" repeats E's own heading
    words; kept as a sub-heading, its time frame holds for the outcomes under it."""
    plan = tmp_path / "plan.md"
    plan.write_text(
        "# Education, Health and Care Plan\n\nName: Sam Lee\n\n"
        "## Section A: Views\n\nSam likes buses.\n\n## Section B: Needs\n\nSam has autism.\n\n"
        "## Section E: Outcomes\n\n### Short-term outcomes (by the end of this school year)\n\n"
        "Sam will order his own lunch at the canteen.\n\n"
        "## Section F: Provision\n\nA teaching assistant will check in with Sam daily.\n\n"
        "## Section K: Advice\n\nEducational psychology advice, 3 March 2026.\n",
        encoding="utf-8",
    )
    result = ehcp_audit.audit(plan)
    found = [c for c in result.cues if c.kind == "outcome"]
    assert [c.attributes["time_bound"] for c in found] == [True]
