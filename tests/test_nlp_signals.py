"""The ehcp_signals component: co-production signals for principles 2, 3 and 5.

Unit tests run sentences through a real blank spaCy pipeline with only this
component (so another component being broken cannot hide a regression here);
every rule's own `fires` / `quiet` examples from the lexicon are checked too.
The corpus tests read the labelled plans in ``corpus_samples/`` (DOCX, PDF,
Markdown and text) and check that signals line up with the auditors' ratings.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from nlp_support import blank_with, hits

import ehcp_audit.nlp.components.signals as signals
from ehcp_audit._audit import read
from ehcp_audit._errors import ConfigError
from ehcp_audit.details import parse_details
from ehcp_audit.nlp import _context, _text
from ehcp_audit.nlp._context import BlockContext, Hit, ensure_extensions
from ehcp_audit.nlp._lexicon import load
from ehcp_audit.nlp._pipeline import BlockRunner, block_contexts, build_pipeline, extract_cues
from ehcp_audit.sections import sectionize

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
RULES = signals.default_rules()


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_signals")


@pytest.fixture(scope="module")
def nlp_voiced():
    """Voice then signals: rules that ask who is speaking read the voice component's hits."""
    pipeline = blank_with("ehcp_voice")
    pipeline.add_pipe("ehcp_signals")
    return pipeline


def run(nlp, text: str, section: str = "A", names: tuple[str, ...] = ("Sam",), **kw) -> list[Hit]:
    found = hits(nlp, text, BlockContext(section=section, child_names=names, **kw))
    for hit in found:
        assert text[hit.start : hit.end] == text[hit.start : hit.end].strip()
    return found


def kinds(nlp, text: str, **kw) -> set[str]:
    return {h.kind for h in run(nlp, text, **kw)}


def of_kind(nlp, kind: str, text: str, **kw) -> list[Hit]:
    return [h for h in run(nlp, text, **kw) if h.kind == kind]


# --- the lexicon's own examples ---------------------------------------------------------

EXAMPLES = [
    (rule.id, kind, text, fires, bool(rule.voice))
    for kind, rules in RULES.rules.items()
    for rule in rules
    for fires, texts in ((True, rule.fires), (False, rule.quiet))
    for text in texts
]
#: The names the lexicon's examples use: the child, and a parent named in the details.
EXAMPLE_NAMES = {"names": ("Sam",), "parent_names": ("Dana",)}


@pytest.mark.parametrize(("rule_id", "kind", "text", "fires", "voiced"), EXAMPLES)
def test_lexicon_examples(nlp, nlp_voiced, rule_id, kind, text, fires, voiced):
    section = RULES.example_section[kind]
    found = of_kind(nlp_voiced if voiced else nlp, kind, text, section=section, **EXAMPLE_NAMES)
    if fires:
        assert found, f"{rule_id} should fire on {text!r}"
    else:
        assert not found, f"{rule_id}: {kind} should stay quiet on {text!r}, got {found}"


def test_every_rule_has_examples_and_triggers():
    for rules in RULES.rules.values():
        for rule in rules:
            assert rule.fires and rule.quiet, rule.id
            assert rule.triggers, f"{rule.id}: give triggers so the rule stays cheap"


def test_every_kind_has_rules():
    assert set(RULES.rules) == set(signals.KINDS)
    assert all(RULES.rules[k] for k in signals.KINDS)


# --- achievement ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Amira has made excellent progress with her reading this year.",
        "She is now able to dress herself.",
        "We are proud of everything she has done.",
        "Amira achieved her Bronze Arts Award in March.",
        "She won the school poetry prize.",
        "He passed his Grade 1 piano exam.",
        "She has learnt to ride a bike.",
        "We celebrate her successes at home with a sticker chart.",
    ],
)
def test_achievement_fires(nlp, text):
    assert "achievement" in kinds(nlp, text, names=("Amira",))


@pytest.mark.parametrize(
    "text",
    [
        "Amira has not made the progress expected.",
        "Amira will make progress in reading.",
        "Amira won't eat at school.",
        "Amira finds it hard to accept praise.",
        "Targets were not achieved last term.",
    ],
)
def test_achievement_quiet(nlp, text):
    assert "achievement" not in kinds(nlp, text, names=("Amira",))


def test_achievement_not_read_in_outcomes(nlp):
    text = "By July 2026, Amira will have learnt to tie her shoes."
    assert "achievement" in kinds(nlp, text, section="A", names=("Amira",))
    assert "achievement" not in kinds(nlp, text, section="E", names=("Amira",))


# --- feedback ---------------------------------------------------------------------------


def test_feedback_dated_attribute(nlp):
    dated = of_kind(nlp, "feedback", "Mum agreed the draft by email on 6 November 2025.")
    undated = of_kind(nlp, "feedback", "Mum read the draft plan and told us she agreed with it.")
    slashed = of_kind(nlp, "feedback", "Dad sent his comments on 04/11/2025.")
    assert [h.attributes["dated"] for h in dated] == [True]
    assert [h.attributes["dated"] for h in undated] == [False]
    assert [h.attributes["dated"] for h in slashed] == [True]


@pytest.mark.parametrize(
    ("before", "dated"),
    [
        # the reply answers a draft sent on a date: the exchange is on record with its date
        ("The proposed plan was sent to Sam and his grandparents on 12/03/2026.", True),
        ("The draft was emailed to Dana on 3 May 2026.", True),
        # a date with no draft sent, or a draft sent with no date: the reply stays undated
        ("The review meeting was held on 3 May 2026.", False),
        ("The draft was sent to Dana by post.", False),
    ],
)
def test_feedback_dated_by_the_draft_sent_before_it(nlp, before, dated):
    reply = "Dana replied that she was happy with it and asked for the review to move to June."
    text = f"{before} {reply}"
    hits = of_kind(nlp, "feedback", text, **EXAMPLE_NAMES)
    replies = [h for h in hits if text[h.start : h.end].startswith("Dana replied")]
    assert [h.attributes["dated"] for h in replies] == [dated]


@pytest.mark.parametrize(
    "text",
    [
        "You said, we did:",
        "Parents' comments on the draft plan were that F needed more detail.",
        "Changes were made following the family's comments.",
        "The family asked for a home-school book and this was added.",
        "We have changed Section B to use his own words.",
        "Mum agreed with the draft.",
    ],
)
def test_feedback_fires(nlp, text):
    assert "feedback" in kinds(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The draft plan was sent to Mum on 23 October 2025.",
        "Mum was given a copy of the draft plan.",
        "Mum did not return the parental views form.",
        "The LA agreed to assess in May.",
        "A watch and wait approach was agreed.",
        "Parent agrees with plan",
    ],
)
def test_feedback_quiet(nlp, text):
    assert "feedback" not in kinds(nlp, text)


# --- attendance -------------------------------------------------------------------------


def test_attendance_who_roles_meeting(nlp):
    text = (
        "The planning meeting on 8 September 2025 was attended by Sam, his parents, "
        "the SENCo and the educational psychologist."
    )
    [hit] = of_kind(nlp, "attendance", text)
    assert hit.rule == "attendance.attended_by"
    assert hit.attributes["who"] == ["child", "family", "professional"]
    assert "SENCo" in hit.attributes["roles"]
    assert "educational psychologist" in hit.attributes["roles"]
    assert hit.attributes["meeting"] == "planning"
    assert hit.attributes["dated"] is True


def test_attendance_family_only_and_other_meetings(nlp):
    [bare] = of_kind(nlp, "attendance", "Mum attended the meeting.")
    assert bare.attributes["who"] == ["family"]
    assert bare.attributes["meeting"] == "unspecified"
    [pep] = of_kind(nlp, "attendance", "Mrs Pryce attended the PEP meeting on 27 June 2025.")
    assert pep.attributes["meeting"] == "other"
    [couple] = of_kind(nlp, "attendance", "Mr and Mrs Ali attended the annual review meeting.")
    assert couple.attributes["who"] == ["family"]
    assert couple.attributes["meeting"] == "review"


def test_attendance_meeting_named_in_the_sentence_before(nlp):
    text = (
        "The annual review meeting was held at college on 10 December 2025. "
        "It was attended by Sam, his mum and his tutor."
    )
    [hit] = of_kind(nlp, "attendance", text)
    assert text[hit.start : hit.end].startswith("It was attended by")
    assert hit.attributes["meeting"] == "review"
    assert hit.attributes["dated"] is False


def test_attendance_from_row_label(nlp):
    text = "Mum, Dad, Sam (first 10 minutes), class teacher, SENCo"
    [hit] = of_kind(nlp, "attendance", text, row_label="Meeting attendees")
    assert hit.rule == "attendance.row_label"
    assert (hit.start, hit.end) == (0, len(text))
    assert hit.attributes["who"] == ["child", "family", "professional"]
    assert not of_kind(nlp, "attendance", text, row_label="Strengths")


@pytest.mark.parametrize(
    "text",
    [
        "Parents were consulted by telephone on 2 October.",
        "Mum attended the ENT appointment in March.",
        "Mum did not attend the meeting.",
        "Personal budgets were explained at the planning meeting.",
    ],
)
def test_attendance_quiet(nlp, text):
    assert "attendance" not in kinds(nlp, text)


# --- family_role ------------------------------------------------------------------------


def test_family_role_family_and_child(nlp):
    assert of_kind(nlp, "family_role", "Dad will practise the spellings at home.", section="F")
    assert of_kind(
        nlp, "family_role", "Amira will keep her own diary.", section="F", names=("Amira",)
    )
    assert of_kind(
        nlp,
        "family_role",
        "Amira will use her visual timetable at home.",
        section="G",
        names=("Amira",),
    )


def test_family_role_quiet(nlp):
    quiet = [
        "Amira will receive speech and language therapy weekly.",
        "Amira will have access to a laptop.",
        "Every adult who teaches Amira will give her instructions in writing.",
        "Parents will be sent a copy of the report.",
        "The school will phone Mum every Friday.",
    ]
    for text in quiet:
        assert not of_kind(nlp, "family_role", text, section="F", names=("Amira",)), text


def test_family_role_not_in_outcomes_or_needs(nlp):
    text = "Amira will keep a reading log with Mum."
    assert of_kind(nlp, "family_role", text, section="F", names=("Amira",))
    assert not of_kind(nlp, "family_role", text, section="E", names=("Amira",))
    assert not of_kind(nlp, "family_role", text, section="B", names=("Amira",))


@pytest.mark.parametrize(
    ("label", "text", "section"),
    [
        ("Amira", "Fill in her reading log and show it to her teacher on Mondays.", "F"),
        (
            "Bethan (mum)",
            "Make packed lunches with Amira on Sundays; ring the SENCo if she has slept badly.",
            "K",
        ),
        ("Mum and Dad", "Practise tying shoelaces with Amira before school.", "F"),
        ("Amira's grandad", "Walk her to the club on Thursdays.", "A"),
    ],
)
def test_family_role_from_a_person_row(nlp, label, text, section):
    """A "who will do what" row names the person; the cell says what they do."""
    [hit] = _person_row_roles(nlp, label, text, section)
    assert hit.rule == "family_role.person_row"
    assert (hit.start, hit.end) == (0, len(text))


@pytest.mark.parametrize(
    ("label", "text", "section"),
    [
        # a service's row is not the family's role
        ("Sixth form", "Keep a record of her attendance and share it with Bethan.", "F"),
        # the person's row, but a description, not something they will do
        ("Amira", "Year 9 pupil at Larchmere Academy.", "F"),
        ("Bethan (mum)", "Works nights, so meetings are after 4pm.", "F"),
        # an outcome in E is not a role in delivery
        ("Amira", "Keep her reading log every day by July 2027.", "E"),
        # a name that is only part of the label
        ("Amira's views", "Read with her key adult on 3 May 2026.", "K"),
    ],
)
def test_family_role_person_row_look_alikes(nlp, label, text, section):
    assert not [h for h in _person_row_roles(nlp, label, text, section) if h.rule.endswith("row")]


def _person_row_roles(nlp, label: str, text: str, section: str) -> list[Hit]:
    """The family_role hits of a cell under ``label``, in a plan about Amira (mum Bethan)."""
    return of_kind(
        nlp,
        "family_role",
        text,
        section=section,
        names=("Amira",),
        parent_names=("Bethan",),
        row_label=label,
    )


def test_feedback_dated_by_its_row_label(nlp):
    """A "Date | They said | We changed" row dates the change in its cell."""
    text = "We added weekly swimming to Section F."
    [hit] = of_kind(nlp, "feedback", text, section="K", row_label="12 March 2026")
    assert hit.attributes["dated"] is True
    [hit] = of_kind(nlp, "feedback", text, section="K", row_label="Swimming")
    assert hit.attributes["dated"] is False


def test_child_rules_follow_the_plans_names(nlp):
    text = "Zoltan will bring his planner to every lesson."
    assert of_kind(nlp, "family_role", text, section="F", names=("Zoltan",))
    assert not of_kind(nlp, "family_role", text, section="F", names=("Sam",))
    assert of_kind(
        nlp, "family_role", "The young person will book his own appointments.", section="G"
    )


# --- request_explained ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The request for a residential placement was not agreed because her needs can be met here.",
        "The panel decided not to fund transport because the school is within walking distance.",
        "This was considered but the advice was that Amira would lose her friendships.",
        "We were unable to agree to a taxi as the bus route is safe.",
        "Instead, a travel trainer will work with Amira for eight weeks.",
    ],
)
def test_request_explained_fires(nlp, text):
    assert "request_explained" in kinds(nlp, text, names=("Amira",))


@pytest.mark.parametrize(
    "text",
    [
        "The request for a residential placement was not agreed.",
        "Amira refused to come into class because she was anxious.",
        "Amira does not accept help because she wants to be independent.",
        "Amira is unable to walk far as she tires quickly.",
    ],
)
def test_request_explained_quiet(nlp, text):
    assert "request_explained" not in kinds(nlp, text, names=("Amira",))


# --- access_need ------------------------------------------------------------------------


def test_access_need_means_and_involvement(nlp):
    [hit] = of_kind(
        nlp,
        "access_need",
        "A Polish interpreter came to the meeting and the draft was translated into Polish.",
    )
    assert hit.rule == "access_need.interpreter"
    assert hit.attributes["means"] == ["interpreter", "language"]
    assert hit.attributes["involvement"] is True
    [lesson] = of_kind(nlp, "access_need", "Staff will use Makaton signs in lessons.", section="F")
    assert lesson.attributes["means"] == ["signs_symbols"]
    assert lesson.attributes["involvement"] is False


@pytest.mark.parametrize(
    "text",
    [
        "Sam's views were gathered in BSL.",
        "The plan was sent in easy read with photos.",
        "We met at home because Mum cannot travel with the baby.",
        "The review was held at a time that suits Dad's shifts.",
        "The letter was sent in large print.",
    ],
)
def test_access_need_fires(nlp, text):
    assert "access_need" in kinds(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Sam finds it hard to interpret facial expressions.",
        "Sam has a mild hearing loss.",
        "Writing is limited to single words and short captions.",
        "Sam is learning French at school.",
    ],
)
def test_access_need_quiet(nlp, text):
    assert "access_need" not in kinds(nlp, text)


# --- the component as a whole -----------------------------------------------------------


def test_one_cue_per_sentence_and_kind(nlp):
    text = "We are proud of Sam and proud of his progress. He has made good progress in maths."
    hits = of_kind(nlp, "achievement", text)
    assert len(hits) == 2
    assert [text[h.start : h.end] for h in hits] == [
        "We are proud of Sam and proud of his progress.",
        "He has made good progress in maths.",
    ]


def test_lines_of_a_cell_are_separate_statements(nlp):
    text = "You said, we did:\nWe have added a Deaf mentor to Section F."
    hits = of_kind(nlp, "feedback", text)
    assert [text[h.start : h.end] for h in hits] == [
        "You said, we did:",
        "We have added a Deaf mentor to Section F.",
    ]


def test_headings_placeholders_and_front_matter_are_skipped(nlp):
    text = "Parents attended the meeting and we are proud of Sam."
    assert kinds(nlp, text)
    assert not run(nlp, text, is_heading=True)
    assert not run(nlp, text, is_placeholder=True)
    # The front page's "How we wrote this plan" box records who came; its
    # other kinds (achievements, feedback) are left to the plan's sections.
    assert {h.kind for h in run(nlp, text, section="front")} == {"attendance"}


def test_runs_without_context_or_sentencizer():
    ensure_extensions()
    bare = spacy.blank("en")
    bare.add_pipe("ehcp_signals")
    doc = bare("Mum attended the planning meeting. We are proud of him.")
    assert {h.kind for h in doc._.ehcp_hits} == {"attendance", "achievement"}


def test_empty_and_odd_text(nlp):
    for text in ["", "   ", "\n\n", "—", "1.", "()", "will will will"]:
        run(nlp, text)


# --- lexicon validation -----------------------------------------------------------------


def _lexicon(**changes) -> dict:
    data = json.loads(json.dumps(load("signals")))
    data.update(changes)
    return data


def test_bad_lexicons_raise_config_error():
    good = load("signals")
    rule = dict(good["rule"][0])
    for rules in (
        [{**rule, "kind": "nonsense"}],
        [{**rule, "pattern": "(unclosed"}],
        [{**rule, "pattern": "Capital Letters"}],
        [{**rule, "pattern": "{NO_SUCH_MACRO}"}],
        [{**rule, "pattern": "(?P<name>x)"}],
        [{k: v for k, v in rule.items() if k != "pattern"}],
        [rule, rule],
        [],
    ):
        with pytest.raises(ConfigError):
            signals.read_rules(_lexicon(rule=rules))
    with pytest.raises(ConfigError):
        signals.read_rules(_lexicon(macros={"FAMILY": 3}))
    with pytest.raises(ConfigError):
        signals.read_rules(_lexicon(attributes={}))


def test_list_macros_compile_to_tries():
    pattern = signals._trie(["mum", "mummy", "foster carer", "dad"])
    import re

    regex = re.compile(rf"\b(?:{pattern})\b")
    assert [m.group(0) for m in regex.finditer("mum, mummy, foster  carer and dad; mumble")] == [
        "mum",
        "mummy",
        "foster  carer",
        "dad",
    ]


def test_trigger_index_finds_overlapping_triggers():
    rule_a = signals.SignalRule("a", "achievement", "", None, triggers=("proud",))
    rule_b = signals.SignalRule("b", "achievement", "", None, triggers=("pro",))
    rule_c = signals.SignalRule("c", "achievement", "", None, triggers=("so",))
    rule_d = signals.SignalRule("d", "achievement", "", None)
    index = signals.TriggerIndex.build([rule_a, rule_b, rule_c, rule_d])
    assert index.candidates("so proud") == {0, 1, 2, 3}
    assert index.candidates("nothing here") == {3}
    assert index.candidates("a pro") == {1, 3}
    assert index.candidates("i approve") == {3}  # triggers match where a word starts


# --- the corpus ---------------------------------------------------------------------------

PLANS = sorted(
    p for p in CORPUS.glob("p[0-9][0-9].*") if p.suffix in {".docx", ".pdf", ".md", ".txt"}
)


def _first_file_per_plan() -> list[Path]:
    seen: dict[str, Path] = {}
    for path in PLANS:
        seen.setdefault(path.stem, path)
    return list(seen.values())


@pytest.fixture(scope="module")
def corpus_counts(nlp) -> dict[str, tuple[Counter, dict]]:
    results = {}
    for path in _first_file_per_plan():
        document = read(path)
        sectioning = sectionize(document)
        details = parse_details(document, sectioning)
        cues = extract_cues(sectioning.sections, details, nlp)
        labels = json.loads((CORPUS / f"{path.stem}.labels.json").read_text(encoding="utf-8"))
        counts = Counter(c.kind for c in cues)
        counts["feedback_dated"] = sum(
            1 for c in cues if c.kind == "feedback" and c.attributes["dated"]
        )
        results[path.stem] = (counts, labels)
    return results


def test_corpus_has_plans(corpus_counts):
    assert len(corpus_counts) >= 10


def test_effective_plans_show_feedback_attendance_and_achievement(corpus_counts):
    for plan, (counts, labels) in corpus_counts.items():
        if labels.get("effective"):
            assert counts["feedback"] >= 1, plan
            assert counts["attendance"] >= 1, plan
            assert counts["achievement"] >= 1, plan


def test_weak_principle_2_and_3_plans_show_no_feedback_or_shared_roles(corpus_counts):
    for plan, (counts, labels) in corpus_counts.items():
        principles = labels.get("principles", {})
        if principles.get("2") == "room_for_improvement":
            assert counts["feedback"] == 0, plan
        if principles.get("3") == "room_for_improvement":
            assert counts["family_role"] == 0, plan
            assert counts["request_explained"] == 0, plan


def test_excellent_principle_2_plans_have_dated_feedback(corpus_counts):
    for plan, (counts, labels) in corpus_counts.items():
        if labels.get("principles", {}).get("2") == "excellent":
            assert counts["feedback_dated"] >= 1, plan
            assert counts["feedback"] >= 3, plan


def test_excellent_principle_3_plans_have_roles_or_explained_requests(corpus_counts):
    for plan, (counts, labels) in corpus_counts.items():
        if labels.get("principles", {}).get("3") == "excellent":
            assert counts["family_role"] + counts["request_explained"] >= 2, plan


# --- the shared text helpers (ehcp_audit.nlp._text) and the block runner ----------------
#
# signals first read the doc's text and sentences once per doc; every component now
# shares those helpers, and the pipeline runs the components over a plan's blocks in
# the cheap way (BlockRunner). Both must change nothing the components find.

TEXT_PIECES = [
    "Sam",
    "said",
    " ",
    "  ",
    "\n",
    "\n\n",
    ".",
    "!",
    "?",
    "...",
    "e.g.",
    "3.5",
    "Mr.",
    '"',
    "“",
    "”",
    ")",
    "- ",
    "• ",
    "\u00a0",
    "will",
    "attended",
]


def _sentence_starts(doc) -> list[int]:
    return [sentence.start_char for sentence in doc.sents]


@pytest.fixture(scope="module")
def sentences_only():
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


@given(st.lists(st.sampled_from(TEXT_PIECES), min_size=1, max_size=25).map("".join))
@settings(max_examples=300, deadline=None)
def test_a_text_without_inner_enders_is_one_sentence(sentences_only, text):
    enders = _text.sentence_enders(sentences_only.get_pipe("sentencizer"))
    assert enders is not None
    doc = sentences_only(text)
    if _text.is_one_sentence(text, enders):
        assert len(_sentence_starts(doc)) == 1


@given(st.lists(st.sampled_from(TEXT_PIECES), min_size=1, max_size=25).map("".join))
@settings(max_examples=300, deadline=None)
def test_sentence_spans_and_text_match_spacy(sentences_only, text):
    doc = sentences_only(text)
    spans = _text.sentence_spans(doc)
    assert [start for start, _ in spans] == _sentence_starts(doc)
    assert spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert _text.doc_text(doc) == doc.text == text
    lowered = _text.lower_text(doc)
    assert lowered is None or lowered == text.lower()


def test_lower_text_refuses_a_text_whose_offsets_would_move():
    doc = spacy.blank("en")("İstanbul trip")  # "İ".lower() is two characters
    assert _text.lower_text(doc) is None


def test_lowercase_twins():
    import re

    assert _text.lowercase_twin(re.compile(r"\bsaid\s+\w+", re.IGNORECASE)) is not None
    assert _text.lowercase_twin(re.compile(r"\bsaid", 0)) is None  # already case-sensitive
    assert _text.lowercase_twin(re.compile(r"\bSaid", re.IGNORECASE)) is None
    assert _text.lowercase_twin(re.compile(r"(?-i:Sam) said", re.IGNORECASE)) is None


def test_sentence_enders_only_for_the_rule_based_sentencizer():
    nlp = spacy.blank("en")
    assert _text.sentence_enders(nlp.add_pipe("sentencizer")) >= {".", "!", "?"}
    assert _text.sentence_enders(object()) is None
    assert _text.sentence_enders(None) is None


@given(st.lists(st.sampled_from([*TEXT_PIECES, "parent", "Mum", "the meeting"]), max_size=25))
@settings(max_examples=300, deadline=None)
def test_a_block_without_triggers_has_no_statement_with_one(nlp, pieces):
    text = "".join(pieces)
    doc = nlp.make_doc(text)
    for _, component in nlp.pipeline:
        doc = component(doc)
    lowered = text.lower()
    if len(lowered) == len(text) and RULES.triggers.none_in(lowered):
        for start, end in _text.statements(doc, text):
            assert not RULES.triggers.candidates(text[start:end].lower())


def _hits_block_by_block(nlp, sections, details) -> list[list[tuple]]:
    """What the pipeline found before BlockRunner: every component on each doc in turn."""
    state: dict = {}
    visits = [
        (block, context)
        for section in sections
        for block, context in block_contexts(section, details, state)
        if block.text.strip()
    ]
    visits.sort(key=lambda visit: visit[0].index)
    found = []
    for block, context in visits:
        doc = nlp.make_doc(block.text)
        doc._.ehcp_context = context
        for _, component in nlp.pipeline:
            doc = component(doc)
        found.append([_hit_key(h) for h in doc._.ehcp_hits])
    return found


def _hit_key(hit: Hit) -> tuple:
    return (hit.kind, hit.start, hit.end, hit.rule, hit.category, repr(dict(hit.attributes)))


@pytest.mark.parametrize("path", _first_file_per_plan(), ids=lambda p: p.name)
def test_block_runner_finds_what_the_components_find_block_by_block(path):
    full = build_pipeline(None)
    document = read(path)
    sectioning = sectionize(document)
    details = parse_details(document, sectioning)
    expected = _hits_block_by_block(full, sectioning.sections, details)
    state: dict = {}
    visits = [
        (block, context)
        for section in sectioning.sections
        for block, context in block_contexts(section, details, state)
        if block.text.strip()
    ]
    visits.sort(key=lambda visit: visit[0].index)
    docs = BlockRunner(full)([(block.text, context) for block, context in visits])
    assert [[_hit_key(h) for h in _context.hits_of(doc)] for doc in docs] == expected
    assert sum(map(len, expected)) > 20
