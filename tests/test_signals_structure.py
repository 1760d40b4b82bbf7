"""Co-production signals carried by structure and by who is speaking, and the rules on them.

The signals component reads more than single sentences: a row label or
sub-heading says what the lines under it are ("Attendees", "Progress", "You
said, we did"), and "I will..." in a support table is the child's role only
when the child says it. These tests put freshly written text (no sentence
from a labelled plan) under such labels, or beside a voice hit, and check the
cue each gives; then they run the pattern rules of principles 2, 3 and 5 on
fresh positives and near misses through the real pipeline.
"""

from __future__ import annotations

import pytest
from nlp_support import blank_with, hits

import ehcp_audit.nlp.components.signals as signals
from ehcp_audit._errors import ConfigError
from ehcp_audit._resources import rules_dir
from ehcp_audit.checks import load_packs
from ehcp_audit.checks._selftest import run_case
from ehcp_audit.checks._spec import RuleTest
from ehcp_audit.nlp._context import BlockContext, Hit, add_hit, set_context
from ehcp_audit.nlp._lexicon import load
from ehcp_audit.nlp.components._signals_structure import speakers_of


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_signals")


def found(nlp, text: str, **context) -> list[Hit]:
    ctx = {"section": "K", "child_names": ("Noor",), **context}
    return hits(nlp, text, BlockContext(**ctx))


def kinds_rules(nlp, text: str, **context) -> set[tuple[str, str]]:
    return {(h.kind, h.rule) for h in found(nlp, text, **context)}


# --- labels over blocks -----------------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["Progress", "Noor's progress", "Celebrating success", "Achievements this year"]
)
def test_lines_under_a_progress_label_are_achievements(nlp, label):
    text = "Rode a two-wheeler round the playground without stabilisers."
    assert ("achievement", "achievement.row_label") in kinds_rules(nlp, text, subsection=label)


@pytest.mark.parametrize("label", ["Progress towards outcomes", "Monitoring progress", ""])
def test_monitoring_labels_are_not_achievement_labels(nlp, label):
    text = "Rode a two-wheeler round the playground without stabilisers."
    assert not any(k == "achievement" for k, _ in kinds_rules(nlp, text, subsection=label))


def test_a_plan_or_worry_under_a_progress_label_is_not_a_success(nlp):
    text = "Noor will need more help with fractions next term."
    assert not any(k == "achievement" for k, _ in kinds_rules(nlp, text, subsection="Progress"))


def test_you_said_we_did_table_cells_are_changes_but_not_its_header(nlp):
    change = "A quiet table near the door is now kept free for Noor at lunch."
    assert ("feedback", "feedback.row_label") in kinds_rules(
        nlp, change, subsection="You said, we did"
    )
    assert ("feedback", "feedback.row_label") in kinds_rules(nlp, change, row_label="We did")
    for header in ("We did", "You said"):
        assert not found(nlp, header, subsection="You said, we did")


@pytest.mark.parametrize(
    ("label", "text", "rule"),
    [
        (
            "Parents' comments on the draft",
            "Agreed on 4 June 2026, with one change.",
            "draft_label",
        ),
        ("Date family responded", "4 June 2026", "draft_label"),
        ("Parents' comments on the draft", "Not yet received", None),
    ],
)
def test_a_row_for_the_familys_response_to_the_draft(nlp, label, text, rule):
    rules = {r for k, r in kinds_rules(nlp, text, row_label=label) if k == "feedback"}
    assert rules == ({f"feedback.{rule}"} if rule else set())


def test_attendees_label_names_the_family_by_the_parents_names(nlp):
    [hit] = [
        h
        for h in found(
            nlp,
            "Wendell Okafor\nMs Brightwater",
            row_label="Attendees",
            parent_names=("Wendell Okafor", "Wendell"),
        )
        if h.kind == "attendance"
    ]
    assert hit.rule == "attendance.row_label"
    assert "family" in hit.attributes["who"]


# --- parents' names in patterns ------------------------------------------------------


def test_parent_named_in_the_details_takes_a_role_and_gives_a_request(nlp):
    role = "Wendell will walk Noor to the bus stop every morning this term."
    assert ("family_role", "family_role.family_will") in kinds_rules(
        nlp, role, section="F", parent_names=("Wendell",)
    )
    assert not any(
        k == "family_role" for k, _ in kinds_rules(nlp, role, section="F", parent_names=())
    )
    asked = "At Wendell's request, the review will be held at the library."
    assert ("feedback", "feedback.changed_because") in kinds_rules(
        nlp, asked, parent_names=("Wendell",)
    )


# --- who is speaking -----------------------------------------------------------------


def _with_voice(nlp, text: str, kind: str | None, section: str = "F") -> list[Hit]:
    """Run the signals component after a voice hit of ``kind`` covering the whole text."""
    doc = nlp.make_doc(text)
    set_context(doc, BlockContext(section=section, child_names=("Noor",)))
    if kind is not None:
        add_hit(doc, Hit(kind, 0, len(text), f"{kind}.test"))
    for _, component in nlp.pipeline:
        doc = component(doc)
    return [h for h in doc._.ehcp_hits if h.kind == "family_role"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("I will put my timer on the desk when I start a task.", "child_voice"),
        ("We will go over the bus route with her at weekends.", "parent_voice"),
    ],
)
def test_own_words_will_is_a_role_only_when_the_family_or_child_says_it(nlp, text, speaker):
    assert [h.rule for h in _with_voice(nlp, text, speaker)] == ["family_role.own_words"]
    assert not _with_voice(nlp, text, "professional_voice")
    assert not _with_voice(nlp, text, None)


def test_speakers_of_reads_overlapping_voice_hits():
    spans = ((0, 10, "child_voice"), (20, 30, "parent_voice"))
    assert speakers_of(spans, 5, 8) == {"child_voice"}
    assert speakers_of(spans, 9, 25) == {"child_voice", "parent_voice"}
    assert speakers_of(spans, 10, 20) == frozenset()


# --- what the statements just before say ------------------------------------------


def test_a_request_met_in_the_next_sentence_is_a_change(nlp):
    text = "Noor asked to sit near the door in science. That was arranged the next day."
    assert ("feedback", "feedback.done_after_request") in kinds_rules(nlp, text)


def test_a_request_answers_for_two_statements_but_not_three(nlp):
    near = (
        "Noor's dad asked for a laptop at home. The school lent one for term time. "
        "It cannot lend one over the holidays because the insurance does not cover it."
    )
    assert ("request_explained", "request_explained.refused_after_request") in kinds_rules(
        nlp, near
    )
    far = (
        "Noor's dad asked for a laptop at home. The school met in March. The form was "
        "sent. It cannot lend one over the holidays because the insurance does not cover it."
    )
    assert not any(k == "request_explained" for k, _ in kinds_rules(nlp, far))


def test_the_context_does_not_cross_blocks(nlp):
    # the request sits in another paragraph: this block alone says nothing was asked
    assert not any(k == "feedback" for k, _ in kinds_rules(nlp, "This has been agreed."))


# --- whose access a means served -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Noor's mum gave her views in Somali with an interpreter.", ["family"]),
        ("Noor gave her views in BSL with an interpreter.", ["child"]),
        ("She chose to type her own views on the school laptop, by email.", ["child"]),
        ("An interpreter was booked for every meeting.", []),
        ("Noor and her dad met the officer with a Pashto interpreter.", ["child", "family"]),
    ],
)
def test_access_need_says_whose_access_it_served(nlp, text, who):
    cues = [h for h in found(nlp, text, section="A") if h.kind == "access_need"]
    assert cues and cues[0].attributes["who"] == who


# --- column headers, labels read beyond the kind's sections, statements vetoed --------


def test_a_column_header_labels_the_cells_under_it(nlp):
    text = "Noor now orders her own lunch at the canteen."
    rules = kinds_rules(nlp, text, section="B", column_label="What has changed")
    assert ("achievement", "achievement.row_label") in rules


def test_a_column_header_over_a_services_column_is_no_family_role(nlp):
    text = "Set new speaking targets each half term."
    assert not any(
        k == "family_role"
        for k, _ in kinds_rules(nlp, text, section="F", column_label="What they will do")
    )


def test_a_present_column_of_a_register_is_no_attendance_record(nlp):
    # attendance reads row labels and sub-headings, not a register's "Present" column
    text = "Yes"
    rules = kinds_rules(nlp, text, section="K", row_label="SENCo", column_label="Present")
    assert not any(k == "attendance" for k, _ in rules)


@pytest.mark.parametrize("label", ["Present:", "Attended by:", "Present at the review, 4 May:"])
def test_attendance_labels_may_end_in_a_colon(nlp, label):
    text = "Noor, her dad and the SENCo."
    assert ("attendance", "attendance.row_label") in kinds_rules(nlp, text, subsection=label)


@pytest.mark.parametrize("section", ["C", "G", "K"])
def test_a_familys_part_label_is_read_where_its_sentence_rules_are_not(nlp, section):
    text = "Bring the spare inhaler to school every Monday."
    rules = kinds_rules(nlp, text, section=section, subsection="Family's part:")
    assert ("family_role", "family_role.row_label") in rules


def test_a_familys_part_label_is_not_read_among_the_outcomes(nlp):
    text = "Bring the spare inhaler to school every Monday."
    rules = kinds_rules(nlp, text, section="E", subsection="Family's part:")
    assert not any(k == "family_role" for k, _ in rules)


@pytest.mark.parametrize(
    "text",
    [
        "Staff will celebrate Noor's successes with a sticker each Friday.",
        "Her older brother has just passed his driving test and the family celebrated.",
        "Noor's cousin won the county chess trophy in May.",
    ],
)
def test_a_promise_or_a_relatives_success_is_no_achievement(nlp, text):
    assert not any(k == "achievement" for k, _ in kinds_rules(nlp, text, section="A"))


def test_a_vetoed_statement_still_carries_its_other_kinds(nlp):
    text = "Staff will celebrate Noor's successes, and Noor's dad has agreed to keep the diary."
    kinds = {k for k, _ in kinds_rules(nlp, text, section="F")}
    assert "achievement" not in kinds
    assert "family_role" in kinds


def test_a_decimal_point_does_not_end_a_rules_window(nlp):
    text = (
        "Because the advice does not show a need for it, we have not included the "
        "27.5 hours of one-to-one support that Noor's mum asked for."
    )
    assert ("request_explained", "request_explained.one_statement") in kinds_rules(
        nlp, text, section="K"
    )


def test_matchable_keeps_offsets_and_only_changes_decimal_points():
    text = "Dr. Ade asked for 32.5 hours. Agreed."
    assert len(signals.matchable(text)) == len(text)
    assert signals.matchable(text) == "dr. ade asked for 32\u00b75 hours. agreed."


@pytest.mark.parametrize(
    ("text", "agreement_only"),
    [
        ("Mum confirmed on 3 May 2026 that she agrees with the plan.", True),
        ("Noor's mum signed the draft plan on 3 May 2026.", True),
        ("Mum replied on 3 May 2026 that she was happy with it but asked for a change.", False),
        ("Dad's comments on the draft, received on 3 May 2026, asked for a later start.", False),
    ],
)
def test_feedback_that_only_agrees_is_marked(nlp, text, agreement_only):
    cues = [h for h in found(nlp, text, section="K") if h.kind == "feedback"]
    assert cues, text
    assert cues[0].attributes["agreement_only"] is agreement_only
    assert cues[0].attributes["dated"] is True


# --- the lexicon refuses what it cannot use ------------------------------------------


def _lexicon(**changes):
    data = dict(load("signals"))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [("voice", ["teacher_voice"]), ("after", ["a list, not a pattern"])],
)
def test_an_unknown_speaker_or_a_bad_after_context_is_refused(field, value):
    rule = {
        "id": "x.y",
        "kind": "family_role",
        "pattern": "will",
        field: value,
        "fires": ["a"],
        "quiet": ["b"],
    }
    with pytest.raises(ConfigError, match=field):
        signals.read_rules(_lexicon(rule=[rule]))


def test_bad_label_patterns_are_refused():
    kinds = {k: dict(v) for k, v in load("signals")["kinds"].items()}
    kinds["achievement"]["row_labels_not"] = "Capital"
    with pytest.raises(ConfigError, match="lower case"):
        signals.read_rules(_lexicon(kinds=kinds))


# --- the pattern rules of principles 2, 3 and 5 on fresh sentences -------------------

RULES = {rule.id: rule for rule in load_packs((rules_dir(),))}
COMM, SHAPED, BACK, ASKED = (
    f"coproduction.{name}"
    for name in (
        "CommunicationRecorded",
        "ViewsShapedDecisions",
        "DecisionsReportedBack",
        "RequestsExplained",
    )
)

CASES = [
    # how the child communicates: in the profile, A or B, not a heading or a need alone
    (COMM, "pass", "B", "Sam speaks in two-word phrases and points to what he wants."),
    (COMM, "pass", "front", "Talk to me: use my name first and show me a picture."),
    (COMM, "pass", "A", "When I am stressed I go quiet and can't get words out."),
    (COMM, "fire", "B", "Sam finds spelling hard and forgets his PE kit."),
    (COMM, "fire", "G", "Sam uses Makaton signs with his sister."),
    # views shaped a decision
    (
        SHAPED,
        "pass",
        "K",
        "Sam hates the minibus, so his escort was changed to his aunt at her request.",
    ),
    (
        SHAPED,
        "pass",
        "K",
        "Cooking is in Section F because Sam told us he wants to cook for himself.",
    ),
    (SHAPED, "fire", "K", "The panel changed the provision in Section F."),
    # decisions reported back
    (BACK, "pass", "K", "We will let Sam's parents know the panel's decision by 14 July 2026."),
    (
        BACK,
        "pass",
        "K",
        "Sam's dad asked for the therapy reports, and these have been sent to him.",
    ),
    (BACK, "fire", "K", "The outcome of the panel is not yet known."),
    # requests answered
    (
        ASKED,
        "pass",
        "K",
        "Sam's stepmum asked to keep Friday swimming, and the college has agreed.",
    ),
    (ASKED, "fire", "K", "Sam's stepmum asked for Sam to keep his Friday swimming."),
]


@pytest.mark.parametrize(("rule_id", "expect", "section", "text"), CASES)
def test_pattern_rules_on_fresh_sentences(rule_id, expect, section, text):
    case = RuleTest(expect=expect, index=0, text=text, section=section)
    result = run_case(RULES[rule_id], case)
    assert result.ok, f"{rule_id} {expect} on {text!r}: {result.detail}"
