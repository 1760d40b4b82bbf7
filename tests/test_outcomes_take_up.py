"""Outcomes in E visibly take up the child's own words, not one word that happens to recur.

The rubric's Excellent for principle 1 asks for "outcomes in E that visibly
take up what the child or family said in A". The shipped rule
(coproduction.OutcomesTakeUpViews) needs two outcomes linked to the views in
A and at least one that visibly answers the child: two content words in
common with one of the child's sentences, or a two-word phrase. One shared
word ("lunchtime", "books") is not taking it up; nor are numbers, names or
dates in common. Cues are built by hand; sentences and names are fresh.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_factory import cue, make_plan

from ehcp_audit import ConfigError
from ehcp_audit._model import Finding, PlanDetails
from ehcp_audit._resources import rules_dir
from ehcp_audit.checks import RuleSpec, load_rule, run_rule

ALL = {c: ["Something written here."] for c in ("A", "B", "C", "D", "E", "F", "G", "I", "K")}
DETAILS = PlanDetails(name="Jonah Pereira", preferred_name="Jonah")
FAMILY = cue(
    "parent_voice", "We want Jonah to feel calm at lunchtime and to make a friend.", who="parents"
)
FAMILY_OUTCOME = cue("outcome", "By July 2026 Jonah will stay calm in the dining hall.", "E")


@pytest.fixture(scope="module")
def shipped() -> RuleSpec:
    return load_rule(rules_dir() / "coproduction" / "OutcomesTakeUpViews.toml", "coproduction")


def _finding(spec: RuleSpec, child: str, outcome: str) -> Finding:
    """The rule on a plan whose family worry is taken up, with this child sentence and outcome."""
    plan = make_plan(
        ALL,
        details=DETAILS,
        cues=[
            cue("child_voice", child, form="quote"),
            FAMILY,
            FAMILY_OUTCOME,
            cue("outcome", outcome, "E"),
        ],
    )
    return run_rule(plan, spec)


def _passes(spec: RuleSpec, child: str, outcome: str) -> bool:
    return _finding(spec, child, outcome).passed


@pytest.mark.parametrize(
    ("child", "outcome"),
    [
        # two content words in common
        (
            'Jonah said he wants to build "a go-kart with a real engine".',
            "By July 2027 Jonah will build a model engine for a go-kart in his design lessons.",
        ),
        # a two-word phrase in common
        (
            "Jonah told us his ear defenders stop the buzzing in his head.",
            "By March 2027 Jonah will put on his ear defenders himself before a fire drill.",
        ),
        (
            'Jonah said, "I want to play wheelchair rugby like my uncle."',
            "By June 2027 Jonah will join a wheelchair rugby session at the leisure centre.",
        ),
    ],
)
def test_an_outcome_that_visibly_answers_the_child_passes(
    shipped: RuleSpec, child: str, outcome: str
) -> None:
    assert _passes(shipped, child, outcome)


@pytest.mark.parametrize(
    ("child", "outcome"),
    [
        # one word that recurs, the rest is the adults' agenda
        (
            "Jonah told us the worst part of school is lunchtime because it is noisy.",
            "By July 2027 Jonah will eat his lunchtime meal with a group of four.",
        ),
        # a number and a word: "one friend" and "one friendship" share no phrase
        (
            'Jonah said he would like "one friend who likes chess".',
            "By July 2027 Jonah will have one friendship he chooses himself.",
        ),
    ],
)
def test_one_chance_word_in_common_is_not_taking_up_the_childs_words(
    shipped: RuleSpec, child: str, outcome: str
) -> None:
    finding = _finding(shipped, child, outcome)
    assert not finding.passed
    assert "none visibly takes up the child's own views" in finding.message


def test_the_same_month_links_nothing(shipped: RuleSpec) -> None:
    child = "Jonah told us he is nervous about the school trip in March."
    assert not _passes(shipped, child, "By March 2027 Jonah will read a page of a book aloud.")


def test_the_childs_name_makes_no_phrase(shipped: RuleSpec) -> None:
    child = "Jonah Pereira said he likes drumming."
    outcome = "By July 2027 Jonah Pereira will practise drumming with the school band."
    assert not _passes(shipped, child, outcome)


def _rule(tmp_path: Path, options: str) -> RuleSpec:
    path = tmp_path / "Rule.toml"
    path.write_text(
        'message = "It failed."\ndescription = "It checks a thing. More detail."\n'
        'kind = "python"\nfunction = "outcomes_take_up_views"\n[options]\n' + options,
        encoding="utf-8",
    )
    return load_rule(path, "test")


def test_without_child_min_shared_one_word_is_still_enough(tmp_path: Path) -> None:
    spec = _rule(tmp_path, 'min_links = 2\nchild_voice_kinds = ["child_voice"]\n')
    child = "Jonah told us the worst part of school is lunchtime because it is noisy."
    assert _passes(spec, child, "By July 2027 Jonah will eat his lunchtime meal with a group.")


def test_a_wrong_option_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="child_min_shared"):
        _rule(tmp_path, 'child_min_shared = "two"\n')


@pytest.mark.parametrize(
    ("child", "outcome"),
    [
        (
            "I find maths and spelling really hard and I get cross.",
            "By July 2027 Jonah will make good progress in maths and spelling.",
        ),
        (
            "I am worried about moving up to big school with no friends.",
            "Jonah will have a successful transition to big school in September 2027.",
        ),
    ],
)
def test_an_outcome_in_stock_words_takes_up_nobody(
    shipped: RuleSpec, child: str, outcome: str
) -> None:
    """Written whatever the child said: the area of need it names is not the child's view."""
    assert not _passes(shipped, child, outcome)


def test_a_specific_outcome_on_the_same_words_still_takes_them_up(shipped: RuleSpec) -> None:
    child = "I find maths and spelling really hard and I get cross."
    outcome = "By July 2027 Jonah will spell 30 maths words correctly and ask for help calmly."
    assert _passes(shipped, child, outcome)


def test_a_hyphenated_first_name_s_parts_are_the_child_s_name_not_shared_words() -> None:
    """ "Ruby-Jo" in both the child's words and the outcome links nothing."""
    spec = load_rule(rules_dir() / "coproduction" / "OutcomesTakeUpViews.toml", "coproduction")
    details = PlanDetails(name="Ruby-Jo Pereira", preferred_name="Ruby-Jo")
    plan = make_plan(
        ALL,
        details=details,
        cues=[
            cue("child_voice", "Ruby-Jo likes the Jo jokes book.", form="reported"),
            cue("child_voice", "I want Ruby to sit with me.", form="quote"),
            cue("outcome", "By July 2027 Ruby-Jo will count to twenty.", "E"),
            cue("outcome", "By July 2027 Ruby-Jo will write her name.", "E"),
        ],
    )
    assert not run_rule(plan, spec).passed
