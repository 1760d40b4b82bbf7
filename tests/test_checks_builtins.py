"""The built-in Python checks, on plans built by hand with exactly the text and cues they need."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from plan_factory import cue, make_plan

from ehcp_audit import ConfigError
from ehcp_audit._model import PlanDetails
from ehcp_audit.checks import RuleSpec, load_rule, run_rule
from ehcp_audit.checks._builtins import term_problem

ALL = {c: ["Something written here."] for c in ("A", "B", "C", "D", "E", "F", "G", "I", "K")}
TERMS = 'terms = ["working memory", "tonic-clonic", "dysregulat*", "co-morbid*"]\n'


def rule(tmp_path: Path, body: str, name: str = "Rule") -> RuleSpec:
    header = 'message = "It failed."\ndescription = "It checks a thing. More detail."\n'
    path = tmp_path / f"{name}.toml"
    path.write_text(header + 'kind = "python"\n' + body, encoding="utf-8")
    return load_rule(path, "test")


def plan_with(**sections: list[str]):
    return make_plan({**ALL, **sections})


# -- unexplained_terms ------------------------------------------------------------------


def jargon(tmp_path: Path, extra: str = "") -> RuleSpec:
    return rule(tmp_path, f'function = "unexplained_terms"\n[options]\n{TERMS}{extra}')


def test_terms_explained_at_first_use_stay_explained(tmp_path: Path) -> None:
    spec = jargon(tmp_path)
    plan = plan_with(
        B=["Sam has a weak working memory (holding things in mind while using them)."],
        F=["Adults will give one step at a time because of his working memory."],
    )
    assert run_rule(plan, spec).passed


def test_a_use_before_the_explanation_counts_once_per_sentence(tmp_path: Path) -> None:
    spec = jargon(tmp_path)
    plan = plan_with(
        A=["Meg has tonic-clonic seizures and her working memory is weak."],
        C=["A tonic-clonic seizure (where she falls and shakes) can last two minutes."],
        G=["Staff will be trained to manage a tonic-clonic seizure."],
    )
    finding = run_rule(plan, spec)
    assert not finding.passed
    assert [e.text for e in finding.evidence] == [
        "Meg has tonic-clonic seizures and her working memory is weak."
    ]
    assert "'tonic-clonic'" in finding.message and "'working memory'" in finding.message


def test_terms_match_endings_hyphens_and_case(tmp_path: Path) -> None:
    spec = jargon(tmp_path)
    for text in (
        "Sam becomes Dysregulated at lunchtime.",
        "He has comorbid anxiety.",
        "He has co-morbidities.",
        "Her Working Memory is weak.",
    ):
        assert not run_rule(plan_with(B=[text]), spec).passed, text
    for text in ("He remembers his working day.", "She has a tonic drink.", "undysregulated"):
        assert run_rule(plan_with(B=[text]), spec).passed, text


def test_glosses_of_each_form_explain_a_term(tmp_path: Path) -> None:
    spec = jargon(tmp_path)
    for text in (
        "He becomes dysregulated, which means he cannot calm himself.",
        "He becomes dysregulated – he cannot calm himself – when it is loud.",
        "He becomes dysregulated (too upset to calm himself) when it is loud.",
        "He needs help to calm (a dysregulation need) at lunch.",
    ):
        assert run_rule(plan_with(B=[text]), spec).passed, text


def test_terms_tolerated_up_to_max(tmp_path: Path) -> None:
    spec = jargon(tmp_path, "max = 1\n")
    assert run_rule(plan_with(B=["His working memory is weak."]), spec).passed
    two = plan_with(B=["His working memory is weak."], C=["He becomes dysregulated."])
    assert not run_rule(two, spec).passed


@pytest.mark.parametrize(
    "term", ["", "Working memory", "working memory (wm)", "dys*regulated", "a**"]
)
def test_badly_written_terms_are_refused(tmp_path: Path, term: str) -> None:
    assert term_problem(term) is not None
    with pytest.raises(ConfigError, match=r"Rule\.toml: key 'options\.terms'"):
        rule(tmp_path, f'function = "unexplained_terms"\n[options]\nterms = ["{term}"]\n')


def test_good_terms_are_accepted() -> None:
    for term in ("working memory", "co-morbid*", "wave 3 intervention*", "sen support"):
        assert term_problem(term) is None


# -- successes_in_own_words -------------------------------------------------------------


def successes(tmp_path: Path) -> RuleSpec:
    return rule(tmp_path, 'function = "successes_in_own_words"\nscope = ["A"]\n')


def test_a_quoted_success_counts(tmp_path: Path) -> None:
    text = 'Nan said she has "never been prouder" than when Sam read in assembly.'
    plan = make_plan(
        {**ALL, "A": [text]}, cues=[cue("parent_voice", text, "A", block=1, form="quote")]
    )
    finding = run_rule(plan, successes(tmp_path))
    assert finding.passed and finding.evidence[0].text == text


def test_an_achievement_in_the_childs_own_words_counts(tmp_path: Path) -> None:
    text = 'Sam told us, "I ran the café till on my own for a whole shift."'
    cues = [
        cue("child_voice", text, "A", block=1, form="quote"),
        cue("achievement", text, "A", block=1),
    ]
    assert run_rule(make_plan({**ALL, "A": [text]}, cues=cues), successes(tmp_path)).passed


def test_reported_or_professional_pride_does_not_count(tmp_path: Path) -> None:
    spec = successes(tmp_path)
    reported = "Sam's mum said she was proud of him."
    plan = make_plan(
        {**ALL, "A": [reported]},
        cues=[cue("parent_voice", reported, "A", block=1, form="reported")],
    )
    assert not run_rule(plan, spec).passed
    assert not run_rule(plan_with(A=["His teacher is proud of how he has settled."]), spec).passed


def test_a_first_person_success_counts_without_cues(tmp_path: Path) -> None:
    plan = plan_with(A=["I can swim a whole length now and I got a certificate!"])
    assert run_rule(plan, successes(tmp_path)).passed


# -- advice_dated -----------------------------------------------------------------------


def advice(text: str, date: str | None, block: int) -> object:
    return cue("agency", text, "K", block=block, advice=text, author="someone", date=date)


def test_every_advice_entry_needs_a_date(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'function = "advice_dated"\nscope = ["K"]\n')
    dated = advice("Educational psychology advice", "2025-03-04", 1)
    undated = advice("Early Help Assessment", None, 2)
    k = ["Educational psychology advice, 4 March 2025", "Early Help Assessment, not dated"]
    finding = run_rule(make_plan({**ALL, "K": k}, cues=[dated, undated]), spec)
    assert not finding.passed
    assert [e.text for e in finding.evidence] == ["Early Help Assessment"]
    assert finding.message.endswith("(1 of 2 entries have no date)")
    also = advice("Early Help Assessment", "2025-05-01", 2)
    assert run_rule(make_plan({**ALL, "K": k}, cues=[dated, undated, also]), spec).passed


def test_advice_without_entries_needs_a_date_somewhere_in_k(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'function = "advice_dated"\nscope = ["K"]\n')
    assert not run_rule(plan_with(K=["Advice from the school and the GP."]), spec).passed
    assert run_rule(plan_with(K=["Advice from the school, 4 March 2025."]), spec).passed


# -- views_gathered ---------------------------------------------------------------------


def test_views_need_a_method_unless_mostly_first_person(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'function = "views_gathered"\nscope = ["A"]\n')
    first = cue("child_voice", "I like art.", "A", block=1, form="first_person")
    reported = cue("child_voice", "Sam said he likes art.", "A", block=1, form="reported")
    method = cue("views_method", "Sam drew his views.", "A", block=1, methods=["drawing"])
    assert run_rule(make_plan(ALL, cues=[first, reported]), spec).passed
    assert not run_rule(make_plan(ALL, cues=[first, reported, reported]), spec).passed
    assert run_rule(make_plan(ALL, cues=[reported, method]), spec).passed
    assert not run_rule(make_plan(ALL), spec).passed


def test_views_gathered_share_must_be_a_number(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key 'options\.first_person_share'"):
        rule(tmp_path, 'function = "views_gathered"\n[options]\nfirst_person_share = "half"\n')


# -- review_date_set --------------------------------------------------------------------


def test_review_date_in_the_text(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'function = "review_date_set"\n')
    body = plan_with(A=["The next review will be held in June 2026, before Sam changes school."])
    finding = run_rule(body, spec)
    assert finding.passed and "June 2026" in finding.evidence[0].text
    past = plan_with(A=["This plan was rewritten after the annual review on 10 February 2026."])
    assert not run_rule(past, spec).passed
    undated = plan_with(A=["The next review will be arranged in due course."])
    assert not run_rule(undated, spec).passed


@pytest.mark.parametrize(
    ("sentence", "sets"),
    [
        # the plan named by the child's possessive, and "the review of this plan"
        ("Sam's plan will be reviewed at a meeting in school by 30 June 2027.", True),
        ("Staff will arrange an early review of this plan by 12 March 2027.", True),
        # near misses: another plan or programme reviewed, and a review already held
        ("Sam's therapy plan was reviewed on 12 March 2026 with his parents.", False),
        ("We held the first review of his reading programme on 2 February 2026.", False),
    ],
)
def test_review_date_forms(tmp_path: Path, sentence: str, sets: bool) -> None:
    spec = rule(tmp_path, 'function = "review_date_set"\n')
    assert run_rule(plan_with(A=[sentence]), spec).passed is sets


def test_review_date_in_the_details_comes_first(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'function = "review_date_set"\n')
    plan = make_plan(ALL, details=PlanDetails(name="Sam", review_date=dt.date(2026, 5, 20)))
    assert run_rule(plan, spec).evidence[0].text == "Review date: 2026-05-20"


def test_a_pattern_option_that_does_not_compile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key 'options\.pattern': pattern .* does not compile"):
        rule(tmp_path, "function = \"review_date_set\"\n[options]\npattern = '(unclosed'\n")
