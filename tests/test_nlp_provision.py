"""The ehcp_provision component: vague phrases and quantified provision.

Unit tests run sentences through a real blank spaCy pipeline with only this
component; the corpus tests read the labelled plans in ``corpus_samples/``
(real DOCX, PDF and text files) and measure the component against the human
labels, using only this component so that another component being broken
cannot hide a regression here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nlp_support import blank_with, hits

import ehcp_audit
import ehcp_audit.nlp.components.provision as provision
from ehcp_audit._errors import ConfigError
from ehcp_audit._evaluation import sentences_match
from ehcp_audit._labels import find_labelled_plans
from ehcp_audit.details import parse_details
from ehcp_audit.nlp._context import BlockContext, Hit
from ehcp_audit.nlp._pipeline import extract_cues
from ehcp_audit.sections import sectionize

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_provision")


def run(nlp, text: str, section: str = "F", names: tuple[str, ...] = ("Sam",), **kw) -> list[Hit]:
    return hits(nlp, text, BlockContext(section=section, child_names=names, **kw))


def vague(nlp, text: str, **kw) -> list[tuple[str, str]]:
    """(rule, phrase) for every vague phrase; (rule, statement) for an unquantified statement."""
    found: list[tuple[str, str]] = []
    for h in run(nlp, text, **kw):
        if h.kind == "vague_provision":
            phrases = h.attributes.get("phrases")
            if phrases:
                found.extend(zip(h.attributes["rules"], phrases, strict=True))
            else:
                found.append((h.rule, text[h.start : h.end]))
    return found


def vague_rules(nlp, text: str, **kw) -> set[str]:
    """Every vague rule that fired in ``text``, the first phrase's and the others'."""
    return {
        rule
        for h in run(nlp, text, **kw)
        if h.kind == "vague_provision"
        for rule in (h.rule, *h.attributes.get("rules", ()))
    }


def quantified(nlp, text: str, **kw) -> list[Hit]:
    return [h for h in run(nlp, text, **kw) if h.kind == "quantified_provision"]


# --------------------------------------------------------------------------
# The lexicon's own examples (each rule carries must-fire / must-not-fire text)
# --------------------------------------------------------------------------

RULES = provision.provision_rules()


@pytest.mark.parametrize("rule", RULES.vague, ids=lambda r: r.id)
def test_every_vague_rule_fires_on_its_examples_and_not_on_its_quiet_ones(nlp, rule) -> None:
    assert rule.fires, f"{rule.id} has no examples"
    for text in rule.fires:
        assert rule.id in vague_rules(nlp, text), text
    for text in rule.quiet:
        assert rule.id not in vague_rules(nlp, text), text


def test_the_unquantified_rule_fires_on_its_examples_and_not_on_its_quiet_ones(nlp) -> None:
    rule = RULES.unquantified
    assert rule is not None and rule.fires and rule.quiet
    for text in rule.fires:
        assert vague(nlp, text, names=("Tom",)) == [(rule.id, text)], text
    for text in rule.quiet:
        assert rule.id not in {r for r, _ in vague(nlp, text, names=("Tom",))}, text


def test_statements_aside_from_provision_give_no_provision_cue(nlp) -> None:
    """History, circumstances, notes and bare pointers are neither vague nor quantified."""
    aside = RULES.aside
    assert aside is not None and aside.fires and aside.quiet
    for text in aside.fires:
        assert aside.applies(provision.Text(text)), text
        assert run(nlp, text, names=("Ruari",)) == [], text
    for text in aside.quiet:
        assert not aside.applies(provision.Text(text)), text


def test_a_budget_in_section_j_is_read_for_its_amount_only(nlp) -> None:
    """J's personal budget with an amount and a manager is quantified; J is never vague."""
    budget = "Ruari has a personal budget of £3,150 a year for his PA, managed by his dad."
    assert [h.kind for h in run(nlp, budget, section="J", names=("Ruari",))] == [
        "quantified_provision"
    ]
    for text in ("A personal budget may be considered in the future.", "Support as required."):
        assert run(nlp, text, section="J", names=("Ruari",)) == [], text
        assert run(nlp, text, section="H1", names=("Ruari",)), text


@pytest.mark.parametrize("rule", RULES.how_often + RULES.how_long, ids=lambda r: r.id)
def test_every_quantity_rule_matches_its_examples(rule) -> None:
    assert rule.fires
    for text in rule.fires:
        assert rule.pattern.search(provision.Text(text)), text
    for text in rule.quiet:
        assert not rule.pattern.search(provision.Text(text)), text


# --------------------------------------------------------------------------
# Vague provision
# --------------------------------------------------------------------------


def test_a_vague_statement_is_one_cue_listing_every_phrase(nlp) -> None:
    text = "Sam will have access to SALT input as required and regular check-ins."
    (hit,) = [h for h in run(nlp, text) if h.kind == "vague_provision"]
    # the statement is the evidence; its first phrase names the rule
    assert (hit.rule, text[hit.start : hit.end]) == ("vague.access_to", text)
    assert hit.attributes == {
        "phrases": ["access to", "input", "as required", "regular"],
        "rules": ["vague.access_to", "vague.input", "vague.as_required", "vague.regular"],
    }
    # two statements, two cues
    assert len(vague(nlp, "Access to a quiet room. Regular check-ins.")) == 2


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Opportunities to play with other children.", "vague.opportunities"),
        ("Extra sessions when necessary.", "vague.as_needed"),
        ("Pre-teaching where appropriate.", "vague.as_appropriate"),
        ("Sam would benefit from a social skills group.", "vague.benefit_from"),
        ("Up to 15 hours of 1:1 support per week.", "vague.up_to"),
        ("Ongoing monitoring of his progress.", "vague.ongoing"),
        ("A reader if needed in tests.", "vague.as_needed"),
        ("Care as per the care plan.", "vague.as_per"),
        ("School to consider a referral to OT.", "vague.consider"),
        ("Some small group work.", "vague.some"),
        ("Sam will be encouraged to join in.", "vague.encouraged_to"),
        ("Staff should use visual supports.", "vague.should"),
        ("He will have adult support in lessons.", "vague.adult_support"),
        ("Interventions for phonics.", "vague.interventions"),
    ],
)
def test_common_vague_phrasings_are_flagged(nlp, text: str, rule: str) -> None:
    assert rule in {r for r, _ in vague(nlp, text)}


def test_up_to_date_is_not_a_vague_ceiling(nlp) -> None:
    for text in (
        "Staff will keep his one-page profile up to date.",
        "Records are kept up-to-date by the SENCo.",
    ):
        assert "vague.up_to" not in {rule for rule, _ in vague(nlp, text)}, text


def test_quantified_support_is_not_vague_but_bare_support_is(nlp) -> None:
    text = "Support from a specialist teacher for 3 x 30 minutes weekly."
    assert vague(nlp, text) == []
    assert vague(nlp, "Support from a specialist teacher.") == [("vague.support", "Support")]
    assert vague(nlp, "Sam will be supported with transition to secondary school.") == [
        ("vague.support", "supported")
    ]


def test_adult_support_with_no_amount_is_one_cue_not_two(nlp) -> None:
    assert vague(nlp, "He will have adult support at lunchtime.") == [
        ("vague.adult_support", "adult support")
    ]
    assert vague(nlp, "He will have adult support at lunchtime for 30 minutes each day.") == []


def test_support_in_a_role_or_service_name_is_not_vague(nlp) -> None:
    for text in (
        "The emotional literacy support assistant will see Sam for 30 minutes each week.",
        "A teacher from the Sensory Support Service will visit school each half term.",
        "A learning support assistant will work with him in every lesson for the school year.",
        "Sam will start a supported internship in September.",
    ):
        assert ("vague.support", "support") not in vague(nlp, text), text


def test_line_breaks_in_a_cell_separate_statements(nlp) -> None:
    # The quantity on the second line must not make the first line's support look quantified.
    text = "Support with personal care\nA TA will run a 15-minute programme 4 mornings a week"
    hits = run(nlp, text)
    assert [(h.kind, text[h.start : h.end]) for h in hits] == [
        ("vague_provision", "Support with personal care"),
        ("quantified_provision", "A TA will run a 15-minute programme 4 mornings a week"),
    ]


# --------------------------------------------------------------------------
# Open-ended and conditional provision
# --------------------------------------------------------------------------


def test_open_ended_provision_is_vague_only_without_an_amount(nlp) -> None:
    assert ("vague.open_ended", "Continued") in vague(nlp, "Continued music therapy.")
    assert ("vague.open_ended", "monitor") in vague(nlp, "The nurse will monitor his asthma.")
    assert ("vague.open_ended", "involvement") in vague(nlp, "Youth service involvement.")
    text = "The music therapist will continue to see Sam for 30 minutes each week."
    assert vague(nlp, text) == []
    assert len(quantified(nlp, text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "A mentor will be found for Sam if one becomes available.",
        "The physiotherapist will see Sam again if staff notice new concerns.",
        "Further hearing tests if any new difficulties emerge.",
        "Family therapy, subject to availability.",
        "Extra tuition when funding allows.",
        "Transport training on request.",
        "A second OT assessment if it is deemed necessary.",
    ],
)
def test_conditional_provision_is_flagged(nlp, text: str) -> None:
    assert "vague.conditional" in {rule for rule, _ in vague(nlp, text)}


def test_a_condition_undoes_the_numbers_of_a_quantified_statement(nlp) -> None:
    text = "The OT will see Sam for one hour each term if new concerns are raised."
    assert ("vague.conditional", "if new concerns are raised") in vague(nlp, text)
    assert quantified(nlp, text) == []


def test_a_condition_the_child_controls_is_not_conditional_provision(nlp) -> None:
    text = "Sam will tell his tutor if he has not understood a task."
    assert "vague.conditional" not in {rule for rule, _ in vague(nlp, text)}


# --------------------------------------------------------------------------
# Statements that give no amount at all
# --------------------------------------------------------------------------

UNQUANTIFIED = "vague.unquantified_statement"


@pytest.mark.parametrize(
    "text",
    [
        "Adults will speak slowly and check that Sam has understood.",
        "We will nurture Sam's love of drawing.",
        "Staff to be patient with Sam.",
        "Phonics catch-up group.",
        "A calm start to the day.",
        "Priya will tell Sam's class about his hearing aids.",  # someone else, not the child
    ],
)
def test_a_statement_with_no_amount_is_vague_as_a_whole(nlp, text: str) -> None:
    assert vague(nlp, text) == [(UNQUANTIFIED, text)]


def test_the_whole_statement_is_reported_only_when_no_phrase_already_is(nlp) -> None:
    assert [r for r, _ in vague(nlp, "Adults will speak slowly, as required.")] == [
        "vague.as_required"
    ]
    text = "Adults will speak slowly.\nThe SENCo will meet Sam's parents every half term."
    hits = run(nlp, text)
    assert [(h.kind, h.rule, text[h.start : h.end]) for h in hits] == [
        ("vague_provision", UNQUANTIFIED, "Adults will speak slowly."),
        (
            "quantified_provision",
            "quantified.three_of_four",
            "The SENCo will meet Sam's parents every half term.",
        ),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a date or a deadline
        "The SENCo will order a sloping desk by 14 November 2025.",
        "The school will apply for a specialist laptop before the end of the autumn term.",
        "An EP will observe Sam in class by the end of Year 5.",
        # everywhere or every time
        "Staff will give Sam a printed copy of the board work in all lessons.",
        "Sam will always sit facing the teacher.",
        "A TA will walk with Sam to the dining hall at lunchtime.",
        # a count or a share
        "Sam will have two named adults to go to when he is upset.",
        "Sam will have 25% extra time in tests.",
        # a firm refusal
        "Staff will not remove Sam's break as a sanction.",
    ],
)
def test_a_date_a_count_or_every_time_is_an_amount(nlp, text: str) -> None:
    assert UNQUANTIFIED not in {rule for rule, _ in vague(nlp, text)}


@pytest.mark.parametrize(
    "text",
    [
        "None.",
        "N/A",
        "Nothing further to add.",
        "Not required at present.",
        "No health care provision has been identified.",
        "Health provision is set out in section G.",
        "OT – see section F.",
        "These visits will take place at Sam's home.",
        "Sessions will be held in the sensory room.",
    ],
)
def test_statements_that_are_not_provision_are_left_alone(nlp, text: str) -> None:
    assert vague(nlp, text) == []


def test_the_childs_own_part_is_not_provision(nlp) -> None:
    for text in (
        "Sam will tell staff when the room is too noisy.",
        "He will choose which club to join.",
        "Sam can ask to work in the library.",
    ):
        assert vague(nlp, text) == [], text
    # Without the child's name, "Sam" could be anyone delivering provision.
    text = "Sam will tell staff when the room is too noisy."
    assert vague(nlp, text, names=()) == [(UNQUANTIFIED, text)]


@pytest.mark.parametrize(
    "text",
    [
        "Speech and Language Therapy",  # a row label in title case
        "Frequency",  # a column header typed into the table
        "Social skills group",  # a short line with no full stop
        "Sam will have the following:",  # a list's lead-in
    ],
)
def test_labels_and_list_lead_ins_are_not_statements(nlp, text: str) -> None:
    assert vague(nlp, text) == []


def test_label_shape() -> None:
    assert provision.is_label("Cognition and Learning Needs", 3)
    assert provision.is_label("Provision to be delivered by:", 3)
    assert provision.is_label("Movement breaks", 3)
    assert not provision.is_label("Movement breaks.", 3)
    assert not provision.is_label("Adults will model play with Sam in the garden", 3)


def test_a_lexicon_may_leave_the_unquantified_rule_out() -> None:
    assert provision.read_unquantified(None, {}, "test") is None


def test_a_malformed_unquantified_table_raises_config_error() -> None:
    good = {
        "id": "x",
        "firm": ["a"],
        "not_provision": ["b"],
        "child_action": "^(?P<subject>\\w+) will tell",
    }
    assert provision.read_unquantified(good, {}, "test").id == "x"
    for bad, message in (
        ("x", "expected a table"),
        ({**good, "id": ""}, "a text 'id'"),
        ({**good, "label_words": -1}, "label_words"),
        ({**good, "label_words": True}, "label_words"),
        ({**good, "firm": "a"}, "list of strings"),
        ({**good, "child_action": "^(\\w+) will"}, "subject"),
        ({**good, "not_provision": ["(unclosed"]}, "does not compile"),
    ):
        with pytest.raises(ConfigError, match=message):
            provision.read_unquantified(bad, {}, "test")


# --------------------------------------------------------------------------
# Quantified provision
# --------------------------------------------------------------------------


def test_a_fully_specified_statement_is_one_quantified_cue_with_all_four(nlp) -> None:
    text = (
        "A speech and language therapist will see Sam in school for 45 minutes each half "
        "term, for the school year."
    )
    (hit,) = quantified(nlp, text)
    assert (hit.start, hit.end) == (0, len(text))
    assert hit.rule == "quantified.all_four"
    assert hit.attributes == {"what": True, "how_often": True, "how_long": True, "who": True}


def test_three_of_four_is_reported_with_the_missing_one_false(nlp) -> None:
    (hit,) = quantified(nlp, "An educational psychologist will visit three times a year.")
    assert hit.rule == "quantified.three_of_four"
    assert hit.attributes == {"what": True, "how_often": True, "how_long": False, "who": True}
    (hit,) = quantified(nlp, "A teaching assistant will work with Sam for 30 minutes.")
    assert hit.attributes["how_often"] is False
    assert hit.attributes["how_long"] is True


@pytest.mark.parametrize(
    "text",
    [
        "1:1 for 25 hours a week from a teaching assistant.",
        "A qualified teacher of the deaf will teach Sam for 1 hour every week until July 2026.",
        "Staff trained in Makaton will sign with Sam in every lesson, for the academic year.",
        "Sam's dad will read with him for 10 minutes every evening.",
        "The SENCo will check his equipment every Monday morning, until the annual review.",
        "Mrs Patel will meet Sam for a 10-minute check-in every morning.",
        "OT programme: 2 x 30 minutes per week, delivered by a TA, for 6 weeks.",
        # a one-off given its date is fully specified
        "The SENCo will apply for exam access arrangements by March 2026.",
        "The audiologist will repeat the hearing test in October 2026.",
        # what and both amounts: the setting is the provider
        "Sam will use a laptop for 30 minutes every day.",
        "Sam will have a 15-minute handwriting warm-up four times a week.",
        # a provider named as an organisation
        "Sam will go to a play scheme run by Larchfield Play Trust, 9am to 1pm on 12 days a year.",
        # an exam arrangement's share of time
        "Sam will sit tests in a small room with 25% extra time, arranged by the SENCo.",
        # a weekly club given by weekday and clock times; a one-off set up by a department
        "Lunchtime chess club on Monday and Wednesday, 12.30pm to 1pm, with a teaching assistant.",
        "Sam will have a reading pen in all lessons, set up by the learning support department"
        " before 1 March 2027.",
        # "access to" with its amount and provider written out
        "Access to a small maths group 3 x 20 minutes per week, run by the HLTA.",
        # a one-off by a numeric date, in a row that names who
        "Transition plan to adult social care completed by 28/02/2027, by the social worker.",
        # an exam arrangement: the share of time in brackets, a person as the reader
        "A reader and extra time (25%) for every test and mock exam.",
    ],
)
def test_quantified_statements_are_found(nlp, text: str) -> None:
    assert len(quantified(nlp, text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        # no one named as delivering it, and only one of how often / how long
        "Sam will use a laptop for 30 minutes.",
        # the child's own part, in full amounts, is not provision for him
        "Sam will read his book for 10 minutes each evening.",
        "I will tell Mrs Okoye on Mondays how the weekend went.",
        # nobody says how often or how long
        "A teaching assistant will help Sam with his reading.",
        # a start date is not an amount
        "From September 2026 a key adult will meet Sam at the gate.",
        # a ceiling is not an amount, and a vague qualifier undoes the numbers
        "Up to 15 hours per week TA support.",
        "The OT will visit for 1 hour as required.",
    ],
)
def test_unquantified_statements_are_not_quantified(nlp, text: str) -> None:
    assert quantified(nlp, text) == []


def test_another_person_named_before_will_is_a_deliverer_but_the_child_is_not(nlp) -> None:
    text = "At home, Sana and Tariq will practise key words with Sam for 10 minutes each evening."
    assert len(quantified(nlp, text)) == 1
    child = "Sam will read his book for 10 minutes each evening."
    assert quantified(nlp, child) == []
    # Without the child's name, a bare name cannot be told from the child's.
    assert quantified(nlp, text, names=()) == []


# --------------------------------------------------------------------------
# Where the component looks
# --------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["F", "G", "H1", "H2"])
def test_provision_sections_are_read(nlp, section: str) -> None:
    assert vague(nlp, "Access to physiotherapy as required.", section=section)


@pytest.mark.parametrize("section", ["A", "B", "E", "K", "front", "other"])
def test_other_sections_are_not_read(nlp, section: str) -> None:
    text = "A TA will give Sam access to a quiet room for 10 minutes every morning, as required."
    assert run(nlp, text, section=section) == []


def test_headings_and_template_prompts_are_not_read(nlp) -> None:
    assert run(nlp, "Support as required", is_heading=True) == []
    assert run(nlp, "Provision: what support, how often, by whom", is_placeholder=True) == []


def test_a_doc_without_context_is_read_as_provision(nlp) -> None:
    doc = nlp("Access to SALT as required.")
    assert [h.rule for h in doc._.ehcp_hits] == ["vague.access_to"]


def test_empty_and_punctuation_only_docs_give_nothing(nlp) -> None:
    assert run(nlp, "") == []
    assert run(nlp, " \n - \n•") == []


def test_text_whose_lower_case_changes_length_is_still_read(nlp) -> None:
    # "İ".lower() is two characters: the fast lower-cased match would shift offsets.
    text = "İlker will have access to SALT as required."
    assert vague(nlp, text) == [
        ("vague.access_to", "access to"),
        ("vague.as_required", "as required"),
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_is_read_without_error(nlp, text: str) -> None:
    for section in ("F", "E"):
        run(nlp, text, section=section)  # offsets are checked inside run()


# --------------------------------------------------------------------------
# Lexicon loading
# --------------------------------------------------------------------------


def test_fast_patterns_keep_escapes_and_group_syntax() -> None:
    source = r"(?P<names>\S+)\s+Will\b[A-Z]"
    assert provision.lower_literals(source) == r"(?P<names>\S+)\s+will\b[a-z]"
    fast = provision.compile_cased(r"\bTA\s+support\b", "test")
    assert fast.fast is not None
    assert fast.search(provision.Text("Extra TA SUPPORT daily"))
    cased = provision.compile_cased(r"(?-i:\bOT\b)", "test")
    assert cased.fast is None
    assert cased.search(provision.Text("the OT will")) and not cased.search(provision.Text("ot"))


def test_malformed_rules_raise_config_error() -> None:
    with pytest.raises(ConfigError, match="does not compile"):
        provision.read_rules([{"id": "x", "pattern": "(unclosed"}], {}, "test")
    with pytest.raises(ConfigError, match="needs a text 'id'"):
        provision.read_rules([{"pattern": "x"}], {}, "test")
    with pytest.raises(ConfigError, match="non-empty list"):
        provision.read_rules([], {}, "test")
    with pytest.raises(ConfigError, match="named groups"):
        provision.read_rules([{"id": "x", "pattern": "(?P<a>x)"}], {}, "test")
    with pytest.raises(ConfigError, match="list of strings"):
        provision.read_rules([{"id": "x", "pattern": "x", "fires": "x"}], {}, "test")


def test_macros_and_long_lines_are_expanded() -> None:
    assert provision.expand("a{N}b\n   |c", {"N": "(?:1|2)"}) == "a(?:1|2)b|c"


# --------------------------------------------------------------------------
# The corpus: measured against the human labels
# --------------------------------------------------------------------------


def _corpus_cues(path: Path, nlp):
    document = ehcp_audit.read(path)
    sectioning = sectionize(document)
    details = parse_details(document, sectioning)
    return extract_cues(sectioning.sections, details, nlp)


@pytest.fixture(scope="module")
def corpus(nlp):
    plans = []
    for labelled in find_labelled_plans(CORPUS):
        if "vague_provision" not in labelled.labels:
            continue
        plans.append((labelled, _corpus_cues(labelled.plan_path, nlp)))
    assert len(plans) >= 12
    return plans


def _figures(corpus, kind: str) -> tuple[float, float]:
    labelled = matched = cues = useful = 0
    for plan, found in corpus:
        texts = [c.text for c in found if c.kind == kind]
        labels = plan.labels.get(kind, [])
        labelled += len(labels)
        matched += sum(1 for s in labels if any(sentences_match(s, t) for t in texts))
        cues += len(texts)
        useful += sum(1 for t in texts if any(sentences_match(s, t) for s in labels))
    return matched / labelled, useful / cues


def test_vague_provision_recall_and_precision_on_the_corpus(corpus) -> None:
    recall, precision = _figures(corpus, "vague_provision")
    assert recall >= 0.9
    assert precision >= 0.9


def test_quantified_provision_recall_and_precision_on_the_corpus(corpus) -> None:
    recall, precision = _figures(corpus, "quantified_provision")
    assert recall >= 0.95
    assert precision >= 0.9


@pytest.fixture(scope="module")
def dev1(nlp):
    plans = [
        (labelled, _corpus_cues(labelled.plan_path, nlp))
        for labelled in find_labelled_plans(CORPUS / "dev1")
        if "vague_provision" in labelled.labels
    ]
    assert len(plans) >= 4
    return plans


def test_the_figures_hold_on_development_plans_written_by_others(dev1) -> None:
    # dev1 was written by others, but the rules were developed against it after
    # it was first measured: a development figure, not an estimate for new plans.
    recall, precision = _figures(dev1, "vague_provision")
    assert recall >= 0.9
    assert precision >= 0.9
    recall, precision = _figures(dev1, "quantified_provision")
    assert recall >= 0.95
    assert precision >= 0.9


def test_cues_only_come_from_provision_sections(corpus) -> None:
    vague = {c.section for _, found in corpus for c in found if c.kind == "vague_provision"}
    amounts = {c.section for _, found in corpus for c in found if c.kind == "quantified_provision"}
    assert vague <= {"F", "G", "H1", "H2"}
    # Section J is read for the personal budget's amount, never for vagueness.
    assert amounts <= {"F", "G", "H1", "H2", "J"}
    assert {"F", "G"} <= vague | amounts


def test_a_plan_with_fully_quantified_provision_has_no_vague_cue(corpus) -> None:
    # p01's auditor found no vague provision at all; the tool must agree.
    found = {p.plan_path.name: f for p, f in corpus}
    assert [c for c in found["p01.docx"] if c.kind == "vague_provision"] == []
    quantified = [c for c in found["p01.docx"] if c.kind == "quantified_provision"]
    assert len(quantified) >= 12
    assert all(re.search(r"\w", c.text) for c in quantified)
