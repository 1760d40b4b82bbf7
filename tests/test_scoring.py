"""Findings -> principle ratings -> overall, as the rubric reads; the scoring file is strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_factory import make_plan

from ehcp_audit import ConfigError
from ehcp_audit._model import Evidence, Finding, Level, Overall, Rating
from ehcp_audit.scoring import batch_share, load_scoring, overall_for, rate

FIXTURES = Path(__file__).resolve().parent / "rules_fixtures"
SCORING = FIXTURES / "scoring.toml"
DEMO = {
    "demo.CoreSections",
    "demo.FirstPerson",
    "demo.NeedsMet",
    "demo.PreparingForAdulthood",
    "demo.ReviewDate",
    "demo.VaguePhrases",
}


def finding(rule: str, passed: bool, quote: str = "") -> Finding:
    evidence = (Evidence(text=quote, section="A"),) if quote else ()
    return Finding(rule, Level.WARNING, (), passed, "message", "", evidence)


def findings(failed: set[str] = frozenset(), **quotes: str) -> list[Finding]:
    return [finding(r, r not in failed, quotes.get(r.split(".")[1], "")) for r in sorted(DEMO)]


def test_load_fixture_scoring() -> None:
    scoring = load_scoring(SCORING, DEMO)
    assert [p.number for p in scoring.principles] == [1, 2, 3, 4, 5, 6]
    assert scoring.target == 0.9
    assert scoring.principle_1_cap is Overall.REQUIRES_IMPROVEMENT
    assert scoring.effective == (Overall.GOOD, Overall.OUTSTANDING)
    six = scoring.principle(6)
    assert six is not None and six.good.all == ("demo.NeedsMet",) and six.good.at_least == 1
    assert set(scoring.rule_ids) == DEMO


def test_everything_passes_is_outstanding() -> None:
    ratings = rate(findings(), load_scoring(SCORING, DEMO))
    assert [p.rating for p in ratings.principles] == [Rating.EXCELLENT] * 6
    assert [p.score for p in ratings.principles] == [3] * 6
    assert ratings.total_score == 18 and ratings.overall is Overall.OUTSTANDING
    assert ratings.effective_coproduction is True


def test_highest_level_reached_and_excellent_needs_good() -> None:
    scoring = load_scoring(SCORING, DEMO)
    # Principle 2: good = ReviewDate; excellent = FirstPerson + ReviewDate.
    ratings = rate(findings({"demo.FirstPerson"}), scoring)
    by_number = {p.number: p for p in ratings.principles}
    assert by_number[2].rating is Rating.GOOD
    # Principle 3: at least 1 of two for good, both for excellent.
    assert by_number[3].rating is Rating.GOOD
    assert by_number[1].rating is Rating.GOOD  # excellent needs FirstPerson
    # Principle 4: excellent's own requirement holds (NeedsMet) but good's does not.
    ratings = rate(findings({"demo.CoreSections"}), scoring)
    four = next(p for p in ratings.principles if p.number == 4)
    assert four.rating is Rating.ROOM_FOR_IMPROVEMENT and four.score == 1
    assert "excellent also needs everything good needs" in four.reasons[-1]


def test_principle_1_caps_the_overall_rating() -> None:
    scoring = load_scoring(SCORING, DEMO)
    ratings = rate(findings({"demo.CoreSections"}), scoring)
    scores = {p.number: p.score for p in ratings.principles}
    assert scores == {1: 1, 2: 3, 3: 3, 4: 1, 5: 1, 6: 3}
    assert ratings.total_score == 12  # the band alone would say good
    assert ratings.overall is Overall.REQUIRES_IMPROVEMENT
    assert ratings.effective_coproduction is False


def test_bands_and_cap_directly() -> None:
    scoring = load_scoring(SCORING, DEMO)
    assert overall_for(10, Rating.GOOD, scoring) is Overall.REQUIRES_IMPROVEMENT
    assert overall_for(11, Rating.GOOD, scoring) is Overall.GOOD
    assert overall_for(16, Rating.EXCELLENT, scoring) is Overall.OUTSTANDING
    assert overall_for(17, Rating.ROOM_FOR_IMPROVEMENT, scoring) is Overall.REQUIRES_IMPROVEMENT


def test_a_rule_that_did_not_apply_counts_as_passed_and_says_so() -> None:
    scoring = load_scoring(SCORING, DEMO)
    some = [f for f in findings({"demo.VaguePhrases"}) if f.rule != "demo.PreparingForAdulthood"]
    reason = "applies from Year 9; the plan gives Year 3"
    ratings = rate(some, scoring, {"demo.PreparingForAdulthood": reason})
    six = next(p for p in ratings.principles if p.number == 6)
    assert six.rating is Rating.GOOD  # the at-least-1 is met by the rule that did not apply
    assert any(
        "did not apply (applies from Year 9" in r and "counts as passed" in r for r in six.reasons
    )


def test_reasons_and_evidence_explain_the_rating() -> None:
    scoring = load_scoring(SCORING, DEMO)
    ratings = rate(findings({"demo.FirstPerson"}, CoreSections="Section A heading"), scoring)
    one = ratings.principles[0]
    assert one.reasons[0] == "rated good (score 2)"
    assert one.reasons[1].startswith("good: reached; needs all of demo.CoreSections")
    assert "  demo.FirstPerson did not pass" in one.reasons
    assert [e.text for e in one.evidence] == ["Section A heading"]
    assert one.name.startswith("We value children")


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (("number = 6\n", "number = 7\n"), "principle[5].number", "not a principle number"),
        (("number = 6\n", "number = 5\n"), "principle[5].number", "defined twice"),
        (
            ('["demo.NeedsMet"], at_least', '["demo.Nope"], at_least'),
            "principle[5].good.all",
            "no rule 'demo.Nope'",
        ),
        (("{ min = 11, max = 15", "{ min = 12, max = 15"), "overall.bands", "11 is not covered"),
        (("{ min = 16, max = 18", "{ min = 15, max = 18"), "overall.bands", "15 is covered twice"),
        (("target = 0.9", "target = 90"), "target", "between 0 and 1"),
        (("target = 0.9", "target = 0.9\ntargett = 1"), "targett", "unknown key"),
        (
            ('effective = ["good", "outstanding"]', 'effective = ["great"]'),
            "overall.effective",
            "'great'",
        ),
        (
            ("{ n = 1, of", "{ n = 3, of"),
            "principle[2].good.at_least.n",
            "asks for 3 of a list of 2",
        ),
        (
            ('good = { all = ["demo.ReviewDate"] }', "good = {}"),
            "principle[1].good.all",
            "say which rules",
        ),
    ],
)
def test_bad_scoring_file_names_file_and_key(
    tmp_path: Path, change: tuple[str, str], key: str, words: str
) -> None:
    text = SCORING.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    index = text.rindex(old) if key.startswith("principle[5]") else text.index(old)
    path = tmp_path / "scoring.toml"
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_scoring(path, DEMO)
    message = str(caught.value)
    assert message.startswith(f"{path}: key '{key}'"), message
    assert words in message


def test_missing_principle_is_refused(tmp_path: Path) -> None:
    text = SCORING.read_text(encoding="utf-8")
    path = tmp_path / "scoring.toml"
    path.write_text(text[: text.rindex("[[principle]]")], encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'principle': principle\(s\) 6 not defined"):
        load_scoring(path, DEMO)


def test_batch_share_against_target() -> None:
    plans = [make_plan({"A": ["x"]}) for _ in range(3)]
    from ehcp_audit._model import evolve

    rated = [
        evolve(plans[0], effective_coproduction=True),
        evolve(plans[1], effective_coproduction=False),
        plans[2],  # not rated
    ]
    share = batch_share([*rated, True, True, None], target=0.75)
    assert (share.plans, share.rated, share.effective) == (6, 4, 3)
    assert share.share == 0.75 and share.meets_target
    assert not batch_share([True, False], target=0.9).meets_target
    assert batch_share([]).share is None and not batch_share([]).meets_target
