"""The rules' own test cases: the harness, and the fixture packs' cases run through it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehcp_audit import ConfigError
from ehcp_audit._audit import analyse
from ehcp_audit.checks import RuleSpec, load_rule
from ehcp_audit.checks._selftest import missing_cases, run_case, run_selftests, synthetic_plan

FIXTURES = Path(__file__).resolve().parent / "rules_fixtures"


def _pack(name: str) -> list[RuleSpec]:
    return [load_rule(p, name) for p in sorted((FIXTURES / name).glob("*.toml"))]


def _cases(pack: str) -> list[tuple[RuleSpec, object]]:
    return [
        pytest.param(rule, case, id=f"{rule.id}:{case.label}")
        for rule in _pack(pack)
        for case in rule.tests
    ]


def test_synthetic_plan_puts_the_text_in_its_section() -> None:
    plan = analyse(synthetic_plan("I like trains.", "F").encode("utf-8"))
    assert plan.missing_sections == ()
    assert plan.section("F").text == "I like trains."
    assert plan.section("A").text == "Nothing further to add."
    assert plan.details.name == "Sam Taylor"
    with pytest.raises(ConfigError, match="give a whole 'plan'"):
        synthetic_plan("x", "other")


@pytest.mark.parametrize(("rule", "case"), _cases("demo"))
def test_demo_pack_cases(rule: RuleSpec, case: object) -> None:
    result = run_case(rule, case)
    assert result.ok, f"{result.rule} {result.case}: {result.detail}"


def _cue_pipeline_ready() -> bool:
    probe = analyse(synthetic_plan("I like trains. Sam will have access to help.", "A").encode())
    return any(c.kind == "child_voice" for c in probe.cues)


@pytest.mark.parametrize(("rule", "case"), _cases("cues"))
def test_cue_pack_cases(rule: RuleSpec, case: object) -> None:
    if not _cue_pipeline_ready():
        pytest.skip("the NLP components do not produce cues yet")
    result = run_case(rule, case)
    assert result.ok, f"{result.rule} {result.case}: {result.detail}"


def test_a_broken_rule_fails_its_own_cases_naming_rule_and_case(tmp_path: Path) -> None:
    path = tmp_path / "Wrong.toml"
    path.write_text(
        'kind = "existence"\nmessage = "m"\ndescription = "d"\nscope = ["F"]\n'
        'phrases = ["regularly"]\n'  # the author meant "regular"
        '[tests]\nfire = ["Regular support."]\npass = ["Daily support."]\n',
        encoding="utf-8",
    )
    results = run_selftests([load_rule(path, "mine")])
    assert [(r.rule, r.case, r.ok) for r in results] == [
        ("mine.Wrong", "fire[0]", False),
        ("mine.Wrong", "pass[0]", True),
    ]
    assert results[0].detail == "expected the rule to fire, but it passed"


def test_rule_without_tests_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "Untested.toml"
    path.write_text('kind = "existence"\nmessage = "m"\ndescription = "d"\nphrases = ["x"]\n')
    rule = load_rule(path, "mine")
    assert missing_cases(rule) == ["fire", "pass"]
    [result] = run_selftests([rule])
    assert not result.ok and result.detail == "the rule has no [tests]"


def test_a_rule_that_does_not_apply_fails_its_case(tmp_path: Path) -> None:
    path = tmp_path / "Older.toml"
    path.write_text(
        'kind = "existence"\nmessage = "m"\ndescription = "d"\nphrases = ["x"]\n'
        "applies_when = { min_age = 14 }\n"
        '[tests]\npass = [{ plan = """\n# EHCP\n\n- **Age:** 7\n\n'
        "## Section A – Views\n\nI like it.\n\n"
        "## Section B – Special educational needs\n\nReading.\n\n"
        '## Section F – Special educational provision\n\nDaily.\n""" }]\n',
        encoding="utf-8",
    )
    [result] = run_selftests([load_rule(path, "mine")])
    assert not result.ok and result.detail.startswith("the rule did not apply (applies from age 14")
