"""The ehcp_acronyms component: acronyms used without being spelled out.

Unit tests run text through a real blank spaCy pipeline with only this
component. The per-plan memory is ``BlockContext.plan_state``, one mapping
per plan that the pipeline shares across the plan's blocks. The corpus tests read the labelled
plans in ``corpus_samples/`` and compare with the auditors' principle 5.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from nlp_support import blank_with, hits

import ehcp_audit.nlp.components.acronyms as acronyms
from ehcp_audit._audit import read
from ehcp_audit._errors import ConfigError
from ehcp_audit.details import parse_details
from ehcp_audit.nlp._context import BlockContext, Hit, ensure_extensions
from ehcp_audit.nlp._lexicon import load
from ehcp_audit.nlp._pipeline import block_contexts, extract_cues
from ehcp_audit.sections import sectionize

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"


@pytest.fixture(scope="module")
def nlp():
    return blank_with("ehcp_acronyms")


def run(nlp, text: str, section: str = "A", context: BlockContext | None = None, **kw) -> list[Hit]:
    context = context or BlockContext(section=section, child_names=("Sam",), **kw)
    found = hits(nlp, text, context)
    assert all(hit.kind == "acronym_unexpanded" for hit in found)
    return found


def found(nlp, text: str, **kw) -> list[str]:
    return [h.attributes["acronym"] for h in run(nlp, text, **kw)]


# --- what is reported ---------------------------------------------------------------------


def test_unexpanded_acronym_with_glossary_expansion(nlp):
    text = "The SALT will see Sam each term."
    [hit] = run(nlp, text)
    assert text[hit.start : hit.end] == "SALT"
    assert hit.rule == "acronym.glossary"
    assert hit.attributes == {
        "acronym": "SALT",
        "expansion": "speech and language therapist",
        "expanded_elsewhere": False,
    }


def test_acronym_unknown_to_the_glossary_is_found_by_shape(nlp):
    [hit] = run(nlp, "He follows the ZQX programme.")
    assert hit.rule == "acronym.shape"
    assert hit.attributes["expansion"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The SENCo will check.", ["SENCo"]),
        ("A ToD visits weekly.", ["ToD"]),
        ("Outcomes follow PfA themes.", ["PfA"]),
        ("He sat the KS2 tests.", ["KS2"]),
        ("The EP used the BAS-3 and PhAB-2.", ["EP", "BAS", "PhAB"]),
        ("She is taking eight GCSEs.", ["GCSE"]),
        ("Working below ARE in reading.", ["ARE"]),
        ("Support from SALT/SLT and OT.", ["SALT", "SLT", "OT"]),
    ],
)
def test_acronym_shapes(nlp, text, expected):
    assert found(nlp, text) == expected


def test_each_acronym_reported_once_per_block(nlp):
    assert found(nlp, "The SALT visits. The SALT writes targets. The OT and the SALT meet.") == [
        "SALT",
        "OT",
    ]


# --- what counts as spelled out -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A speech and language therapist (SALT) will visit. The SALT will set targets.",
        "SALT (speech and language therapy) will be weekly.",
        "The SENCo (the teacher who leads on special educational needs) will meet Mum.",
        "Mr Lowe (SENCo, the teacher who leads on special educational needs) attended.",
        "This is her first Education, Health and Care (EHC) plan.",
        "His EHC plan (Education, Health and Care plan) was issued in May.",
        "She is taking eight GCSEs (the exams most young people take at 16).",
        "SEN in this plan means special educational needs.",
        "A Communication Support Worker (CSW: a member of staff who signs) will help.",
        "Bracken Lea Pupil Referral Unit (PRU: a small school) was his last school.",
        "Has had SEN support (extra help for special educational needs) since Year 1.",
        "A qualified teacher of the visually impaired (QTVI) visits.",
        "He was referred to a Zebra Quokka Xylophone team (ZQX).",
    ],
)
def test_spelled_out_in_the_block(nlp, text):
    assert found(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jack has a diagnosis of CP (spastic diplegia).", ["CP"]),
        ("He has seen the OT (Ms R. Lindqvist).", ["OT"]),
        ("The EP (2023) found average scores.", ["EP"]),
    ],
)
def test_brackets_that_do_not_explain(nlp, text, expected):
    assert found(nlp, text) == expected


# --- what is not an acronym ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Her GP referred her to the NHS clinic in the UK.",
        "FINAL",
        "MAIN CONTACT DETAILS:",
        "Home address: 14 Linnet Way, ZZ4 7QP",
        "He is starting to sign MORE and saying juice.",
        'He now says "HELLO" to everyone.',
        "Mrs PRYCE attended.",
        "Her scores were at GMFCS level II and stage IV.".replace("GMFCS ", ""),
        "We went to the ZOO and the zoo was fun.",
        "Mr McKay bought an iPad.",
        "Section H1 and Year 10 (Y10) and print size N24.",
    ],
)
def test_not_acronyms(nlp, text):
    assert found(nlp, text) == []


def test_skipped_places(nlp):
    text = "The SALT will visit."
    assert found(nlp, text, section="front") == []
    assert found(nlp, text, is_heading=True) == []
    assert found(nlp, text, is_placeholder=True) == []
    assert found(nlp, text, section="K") == ["SALT"]


def test_runs_without_context_or_sentencizer():
    ensure_extensions()
    bare = spacy.blank("en")
    bare.add_pipe("ehcp_acronyms")
    doc = bare("The SALT visits. The OT (occupational therapist) writes targets.")
    assert [h.attributes["acronym"] for h in doc._.ehcp_hits] == ["SALT"]


def test_odd_text(nlp):
    for text in ["", " ", "(", "(SALT", "SALT (", "((SALT))", "AB" * 200, "A-B-C", "SALT-", "(X)"]:
        run(nlp, text)


# --- per-plan memory ------------------------------------------------------------------------


def test_plan_state_reports_first_unexplained_use_once_per_plan(nlp):
    state: dict[str, Any] = {}

    def plan_run(text: str) -> list[Hit]:
        return run(nlp, text, context=BlockContext(section="A", plan_state=state))

    assert plan_run("A speech and language therapist (SALT) visited.") == []
    assert plan_run("The SALT will visit each term.") == []
    [ot] = plan_run("The OT will write a sensory plan.")
    assert ot.attributes == {
        "acronym": "OT",
        "expansion": "occupational therapist",
        "expanded_elsewhere": False,
    }
    assert plan_run("The OT will visit school.") == []
    assert plan_run("An occupational therapist (OT) will visit.") == []
    # A new plan starts with a new mapping: nothing carries over.
    state = {}
    assert [h.attributes["acronym"] for h in plan_run("The SALT and the OT visit.")] == [
        "SALT",
        "OT",
    ]


def _plan_blocks(nlp, blocks: list[tuple[str, str]]) -> list[list[Hit]]:
    """Run blocks ``(text, row label)`` of one plan in order; the hits of each."""
    state: dict[str, Any] = {}
    found = []
    for text, label in blocks:
        context = BlockContext(section="B", row_label=label, plan_state=state)
        found.append(run(nlp, text, context=context))
    return found


@pytest.mark.parametrize(
    "glossary",
    [
        "SALT – speech and language therapist\nTA: teaching assistant",
        "- SALT = Speech and Language Therapist",
        "SALT is a speech and language therapist, who helps with talking.",
    ],
)
def test_a_glossary_line_spells_an_acronym_out_for_the_blocks_after_it(nlp, glossary):
    definition, later = _plan_blocks(nlp, [(glossary, ""), ("Bram sees the SALT weekly.", "")])
    assert definition == later == []


def test_a_glossary_table_row_spells_an_acronym_out_for_the_blocks_after_it(nlp):
    label, definition, later = _plan_blocks(
        nlp,
        [
            ("QTVI", ""),
            ("Qualified teacher of children with vision impairment", "QTVI"),
            ("The QTVI checks Bram's large-print books.", ""),
        ],
    )
    assert [h.attributes["acronym"] for h in label] == ["QTVI"]
    assert definition == later == []
    # a row label that is an acronym, over a cell that does not spell it out
    (cells,) = _plan_blocks(nlp, [("Twice a week in class", "SALT")])
    assert cells == []


PLAN = """- **Name:** Bram Oyelaran
- **Preferred name:** Bram

## Section A: All about me
I like trains and drawing maps.

## Section B: Special educational needs
Bram sees the SALT at school and the ENT clinic at the hospital. The QTVI checks his books.

## Section C: Health needs
The ear, nose and throat (ENT) clinic will see him again in May.

## Section D: Social care needs
None.

## Section E: Outcomes
By July 2027 Bram will read large print on his own.

## Section F: Special educational provision
A teaching assistant will read with Bram for 10 minutes every day.

## Section G: Health provision
None.

## Section H1: Social care provision
None.

## Section H2: Other social care provision
None.

## Section I: Placement
Hillcote Primary School.

## Section J: Personal budget
None requested.

## Section K: Advice and information
- Parents' views, 2 March 2026

## Glossary
{glossary}
"""


@pytest.mark.parametrize(
    ("glossary", "left"),
    [
        ("No glossary.", ["SALT", "QTVI"]),
        ("SALT – speech and language therapist", ["QTVI"]),
        (
            "| Word | Meaning |\n|---|---|\n| QTVI | Qualified teacher of the visually impaired |\n"
            "| SALT | Speech and language therapist |",
            [],
        ),
        ("SALT – see Section F for the times.", ["SALT", "QTVI"]),
    ],
)
def test_an_acronym_spelled_out_later_in_the_plan_is_withdrawn(glossary, left):
    from ehcp_audit._audit import analyse

    audit = analyse(PLAN.format(glossary=glossary).encode())
    cues = acronyms.withdraw_explained_later(audit.cues, audit.sections)
    # ENT is spelled out in a later section in every version
    assert [c.attributes["acronym"] for c in cues if c.kind == "acronym_unexpanded"] == left
    assert [c for c in cues if c.kind != "acronym_unexpanded"] == [
        c for c in audit.cues if c.kind != "acronym_unexpanded"
    ]


def test_capitals_inside_a_proper_name_are_not_jargon(nlp):
    assert found(nlp, "He plays for Thornbridge Rovers FC on Sundays.") == []
    assert found(nlp, "She builds the Castle Hill LEGO set with her dad.") == []
    # at the start of a sentence the capitalised word is not a name
    assert found(nlp, "Yesterday QXR was mentioned.") == ["QXR"]
    # the glossary's acronyms are still reported inside a name
    assert found(nlp, "He goes to the Millway PRU on Fridays.") == ["PRU"]


def test_plan_state_ignores_what_is_not_a_mapping(nlp):
    @attrs.frozen
    class Odd(BlockContext):
        plan_state: Any = None

    assert [h.attributes["expanded_elsewhere"] for h in run(nlp, "The OT", context=Odd())] == [None]


# --- helpers and lexicon validation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("acronym", "text", "fits"),
    [
        ("SALT", "a speech and language therapist", True),
        ("EHC", "her first Education, Health and Care", True),
        ("QTVI", "a qualified teacher of the visually impaired", True),
        ("EP", "developmental trauma and disorganised attachment", False),
        ("CP", "has a diagnosis of", False),
        ("OT", "", False),
        ("X", "x-ray", False),
    ],
)
def test_long_form_fits(acronym, text, fits):
    assert acronyms.long_form_fits(acronym, text) is fits


def test_glossary_lookup_is_case_and_plural_insensitive():
    lexicon = acronyms.default_lexicon()
    assert lexicon.expansions("SENCO", "SENCO")[0] == "special educational needs co-ordinator"
    assert lexicon.expansions("SATs", "SAT")[0] == "standard assessment tests"
    assert lexicon.expansions("ZQX", "ZQX") == ()


def test_bad_lexicons_raise_config_error():
    good = json.loads(json.dumps(load("acronyms")))
    for change in (
        {"glossary": ["SALT"]},
        {"glossary": {"SALT": []}},
        {"glossary": {"SALT": [3]}},
        {"known": "NHS"},
        {"means_pattern": "(unclosed"},
        {"explanation_pattern": ""},
        {"postcode_pattern": None},
    ):
        with pytest.raises(ConfigError):
            acronyms.read_lexicon({**good, **change})


# --- the corpus -------------------------------------------------------------------------------


def _plans() -> dict[str, Path]:
    seen: dict[str, Path] = {}
    for path in sorted(CORPUS.glob("p[0-9][0-9].*")):
        if path.suffix in {".docx", ".pdf", ".md", ".txt"}:
            seen.setdefault(path.stem, path)
    return seen


@pytest.fixture(scope="module")
def corpus(nlp) -> dict[str, tuple[set[str], list[str], dict]]:
    """Per plan: distinct acronyms (per-block check), per-plan report, labels."""
    results = {}
    for stem, path in _plans().items():
        document = read(path)
        sectioning = sectionize(document)
        details = parse_details(document, sectioning)
        cues = extract_cues(sectioning.sections, details, nlp)
        distinct = {c.attributes["acronym"] for c in cues if c.kind == "acronym_unexpanded"}
        state: dict[str, Any] = {}
        per_plan: list[str] = []
        for section in sectioning.sections:
            for block, context in block_contexts(section, details, state):
                if block.text.strip():
                    per_plan += [
                        h.attributes["acronym"] for h in run(nlp, block.text, context=context)
                    ]
        labels = json.loads((CORPUS / f"{stem}.labels.json").read_text(encoding="utf-8"))
        results[stem] = (distinct, per_plan, labels)
    return results


def test_corpus_weak_plans_have_many_unexplained_acronyms(corpus):
    weak = [
        p for p, (_, _, lab) in corpus.items() if lab["principles"]["5"] == "room_for_improvement"
    ]
    assert weak
    for plan in weak:
        distinct, per_plan, _ = corpus[plan]
        assert len(distinct) >= 10, plan
        assert len(per_plan) >= 10, plan


def test_corpus_plans_that_explain_acronyms_have_few(corpus):
    for plan, (distinct, per_plan, labels) in corpus.items():
        if labels["principles"]["5"] != "room_for_improvement":
            assert len(distinct) <= 6, (plan, distinct)
            assert len(per_plan) <= 4, (plan, per_plan)


def test_corpus_labelled_unexplained_acronyms_are_found(corpus):
    """The acronyms auditors list as unexplained in weak plans are reported (recall)."""
    listed = found_total = 0
    for _plan, (distinct, _, labels) in corpus.items():
        if labels["principles"]["5"] != "room_for_improvement":
            continue
        rationale = labels["rationale"]["5"]
        names = {w.strip(" ,.;()'").rstrip("s") for w in rationale.replace("/", " ").split()}
        shaped = {n for n in names if acronyms.AcronymsComponent._shape_ok(n)}
        listed += len(shaped)
        found_total += len(shaped & {d.rstrip("s") for d in distinct})
    assert listed >= 40
    assert found_total / listed >= 0.85


# The candidate pattern puts its look-behind after the first capital (so ``re`` only
# tries it at capitals); it must find exactly what the plain form finds.
_PLAIN_CANDIDATE = re.compile(
    r"(?<![\w'’\-])([A-Z][a-z0-9]{0,2}[A-Z][A-Za-z0-9]{0,4})(?:-\d{1,2})?(?![A-Za-z0-9])"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ASLTDfoa03 -'’_.(\né", max_size=40))
def test_candidate_pattern_matches_the_plain_look_behind_form(text: str) -> None:
    def spans(pattern: re.Pattern[str]) -> list[tuple[tuple[int, int], str]]:
        return [(m.span(), m.group(1)) for m in pattern.finditer(text)]

    assert spans(acronyms._CANDIDATE) == spans(_PLAIN_CANDIDATE)


def test_candidate_pattern_on_plan_text() -> None:
    text = "SALT and the SENCo met. (KS2) non-EP: 'OT' BAS-3 GCSEs x-CAMHS PfA ToD"
    words = [m.group(1) for m in acronyms._CANDIDATE.finditer(text)]
    assert words == [m.group(1) for m in _PLAIN_CANDIDATE.finditer(text)]
    assert words == ["SALT", "SENCo", "KS2", "BAS", "GCSEs", "PfA", "ToD"]  # not after ' or -
