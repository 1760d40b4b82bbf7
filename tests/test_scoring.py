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
    assert six is not None
    needs_met, either = six.good.descriptors
    assert needs_met.of == ("demo.NeedsMet",) and needs_met.n == 1
    assert either.of == ("demo.VaguePhrases", "demo.PreparingForAdulthood") and either.n == 1
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
    assert "excellent also needs everything good needs" in four.reasons[-2]
    assert four.reasons[-1].startswith("confidence ")


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
    assert one.reasons[1] == "good: reached; needs demo.CoreSections"
    assert "    demo.FirstPerson did not pass" in one.reasons
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
            "principle[1].good.descriptors",
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


DESCRIBED = """
target = 0.9
[overall]
bands = [
  { min = 6, max = 10, rating = "requires_improvement" },
  { min = 11, max = 15, rating = "good" },
  { min = 16, max = 18, rating = "outstanding" },
]
[[principle]]
number = 1
name = "one"

[[principle.good.descriptors]]
says = "the family took part"
any = ["demo.FirstPerson", "demo.ReviewDate"]

[[principle.good.descriptors]]
says = "core sections"
any = ["demo.CoreSections"]

[[principle.excellent.descriptors]]
says = "needs met and vague phrases avoided"
at_least = { n = 2, of = ["demo.NeedsMet", "demo.VaguePhrases", "demo.PreparingForAdulthood"] }
"""


def _described(tmp_path: Path) -> Path:
    rest = SCORING.read_text(encoding="utf-8")
    others = rest[rest.index("[[principle]]\nnumber = 2") :]
    path = tmp_path / "scoring.toml"
    path.write_text(DESCRIBED + "\n" + others, encoding="utf-8")
    return path


def test_a_descriptor_holds_on_any_one_kind_of_evidence(tmp_path: Path) -> None:
    scoring = load_scoring(_described(tmp_path), DEMO)
    # Either kind of evidence for "the family took part" is enough on its own...
    for missing in ("demo.FirstPerson", "demo.ReviewDate"):
        one = rate(findings({missing}), scoring).principles[0]
        assert one.rating is Rating.EXCELLENT, missing
    # ...but with neither, the descriptor fails and good is not reached.
    one = rate(findings({"demo.FirstPerson", "demo.ReviewDate"}), scoring).principles[0]
    assert one.rating is Rating.ROOM_FOR_IMPROVEMENT
    assert "  the family took part: does not hold (0 of 2 passed, 1 needed)" in one.reasons
    # at_least inside a descriptor: two of three.
    one = rate(findings({"demo.NeedsMet", "demo.VaguePhrases"}), scoring).principles[0]
    assert one.rating is Rating.GOOD


def test_confidence_is_low_one_step_from_the_next_level(tmp_path: Path) -> None:
    scoring = load_scoring(_described(tmp_path), DEMO)
    quotes = {"FirstPerson": "I like swimming.", "CoreSections": "Section A"}
    one = rate(
        findings({"demo.ReviewDate", "demo.NeedsMet", "demo.VaguePhrases"}, **quotes), scoring
    ).principles[0]
    assert one.rating is Rating.GOOD and one.confidence is not None
    assert one.confidence.next_level is Rating.EXCELLENT and one.confidence.short_by == 1
    assert one.confidence.missing == ("needs met and vague phrases avoided",)
    # "the family took part" rests on one quoted sentence: fragile.
    assert "the family took part" in one.confidence.fragile
    assert one.confidence.level.value == "low"
    assert one.reasons[-1].startswith("confidence low, rests on a single sentence for: ")
    assert "one check short of excellent" in one.reasons[-1]


def test_confidence_is_high_with_firm_evidence_at_the_top(tmp_path: Path) -> None:
    scoring = load_scoring(_described(tmp_path), DEMO)
    # Every rule passes without a single quoted sentence to hang on: nothing is fragile.
    one = rate(findings(), scoring).principles[0]
    assert one.rating is Rating.EXCELLENT and one.confidence is not None
    assert one.confidence.level.value == "high" and one.confidence.next_level is None
    assert one.confidence.fragile == () and one.confidence.short_by == 0
    # Two quoted sentences behind the weakest descriptor: medium, not low.
    two = [
        Finding(
            "demo.FirstPerson",
            Level.WARNING,
            (),
            True,
            "m",
            "",
            (Evidence("I like cats.", "A"), Evidence("I like dogs.", "A")),
        ),
        *[f for f in findings({"demo.ReviewDate"}) if f.rule != "demo.FirstPerson"],
    ]
    one = rate(two, scoring).principles[0]
    assert one.rating is Rating.EXCELLENT and one.confidence is not None
    assert one.confidence.level.value == "medium"


def test_descriptor_file_errors_name_the_key(tmp_path: Path) -> None:
    path = _described(tmp_path)
    text = path.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    nope = text.replace('any = ["demo.CoreSections"]', 'any = ["demo.Nope"]', 1)
    bad.write_text(nope, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'principle\[0\]\.good\.descriptors\[1\]\.any'"):
        load_scoring(bad, DEMO)
    bad.write_text(text.replace('any = ["demo.CoreSections"]', "says2 = 1", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="says2"):
        load_scoring(bad, DEMO)
