"""The default policy shipped as data: the statutory and coproduction packs and rules/scoring.toml.

These tests hold the defaults to the contract of issue 4: every default rule
loads strictly and passes its own must-fire / must-pass cases; the scoring
file covers the six principles and names only rules that exist; and, read
against the human labels in corpus_samples/, the ratings agree with the
auditors as well as the issue demands (exact agreement on principle ratings
>= 80%, quadratic-weighted kappa >= 0.75, effective co-production agreed on
>= 90% of plans), computed by the library's own evaluation code.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ehcp_audit._resources import rules_dir
from ehcp_audit.checks import load_packs
from ehcp_audit.checks._selftest import missing_cases, run_case
from ehcp_audit.scoring import load_scoring

RULES = rules_dir()
DEFAULT_PACKS = ("statutory", "coproduction")
CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"

#: What the rubric's table must be built from, per principle (a few anchors, not the whole list).
ANCHORS = {
    1: (
        "coproduction.ChildViewsRecorded",
        "coproduction.ParentVoice",
        "coproduction.ChildFirstPersonVoice",
    ),
    2: ("coproduction.AchievementsNoted", "statutory.ReviewDate", "coproduction.YouSaidWeDid"),
    3: (
        "coproduction.AttendanceRecorded",
        "coproduction.SharedDeliveryRoles",
        "coproduction.RequestsExplained",
    ),
    4: (
        "coproduction.TwoOrMoreAgencyCategories",
        "coproduction.MultipleViewsMethods",
        "coproduction.WideNetwork",
    ),
    5: (
        "coproduction.AcronymsExplained",
        "coproduction.CommunicationRecorded",
        "coproduction.AccessNeedsMet",
    ),
    6: (
        "coproduction.OutcomesTimeBound",
        "coproduction.ProvisionQuantified",
        "coproduction.PfAOutcomes",
    ),
}


def default_rules():
    return [r for r in load_packs([RULES]) if r.pack in DEFAULT_PACKS]


def scoring_table() -> dict:
    with open(RULES / "scoring.toml", "rb") as handle:
        return tomllib.load(handle)


def referenced(requirement: dict) -> list[str]:
    ids = list(requirement.get("all", []))
    if "at_least" in requirement:
        ids += requirement["at_least"]["of"]
    for descriptor in requirement.get("descriptors", []):
        ids += descriptor.get("any", [])
        ids += descriptor.get("at_least", {}).get("of", [])
    return ids


def test_every_descriptor_says_what_it_is_in_the_rubrics_words():
    for principle in scoring_table()["principle"]:
        for level in ("good", "excellent"):
            for descriptor in principle[level].get("descriptors", []):
                assert descriptor["says"].strip(), (principle["number"], level)


# -- the packs ------------------------------------------------------------------------


def test_default_packs_load_with_both_packs_present():
    rules = default_rules()
    packs = {r.pack for r in rules}
    assert packs == set(DEFAULT_PACKS)
    ids = {r.id for r in rules}
    for code in ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"):
        assert f"statutory.Section{code}" in ids
    assert len([r for r in rules if r.pack == "coproduction"]) >= 25


def test_every_default_rule_is_documented_and_has_both_kinds_of_case():
    for rule in default_rules():
        assert rule.message.strip() and rule.description.strip() and rule.suggestion.strip(), (
            rule.id
        )
        assert missing_cases(rule) == [], f"{rule.id} lacks {missing_cases(rule)} cases"
        if rule.pack == "coproduction":
            assert rule.principles, f"{rule.id} evidences no principle"


def test_rules_doc_lists_every_default_rule():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in default_rules():
        assert f"`{rule.id}`" in doc, f"docs/rules.md does not list {rule.id}"


def _doc_script():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "docs" / "make_rules_md.py"
    spec = importlib.util.spec_from_file_location("make_rules_md", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_doc_is_the_scripts_output():
    """docs/rules.md is generated: run `python docs/make_rules_md.py` after editing a rule."""
    script = _doc_script()
    committed = script.OUTPUT.read_text(encoding="utf-8")
    assert committed == script.render(RULES), "docs/rules.md is out of date"


def test_rules_doc_follows_a_changed_rule(tmp_path):
    import shutil

    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    path = copy / "coproduction" / "WideNetwork.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('level = "suggestion"', 'level = "warning"'), encoding="utf-8")
    page = _doc_script().render(copy)
    assert "| `coproduction.WideNetwork` | occurrence | warning |" in page
    assert page != _doc_script().render(RULES)


CASES = [(rule, case) for rule in default_rules() for case in rule.tests]


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[f"{r.id}:{c.label}" for r, c in CASES])
def test_default_rule_cases(rule, case):
    result = run_case(rule, case)
    assert result.ok, f"{rule.id} {case.label}: {result.detail}"


# -- the scoring file -----------------------------------------------------------------


def test_scoring_loads_strictly_against_the_loaded_rules():
    ids = {r.id for r in load_packs([RULES])}
    scoring = load_scoring(RULES / "scoring.toml", ids)
    assert [p.number for p in scoring.principles] == [1, 2, 3, 4, 5, 6]
    assert scoring.target == pytest.approx(0.9)
    assert set(scoring.rule_ids) <= ids


def test_every_level_references_only_existing_rules():
    ids = {r.id for r in default_rules()}
    table = scoring_table()
    assert [p["number"] for p in table["principle"]] == [1, 2, 3, 4, 5, 6]
    for principle in table["principle"]:
        for level in ("good", "excellent"):
            names = referenced(principle[level])
            assert names, f"principle {principle['number']} {level} names no rule"
            unknown = [n for n in names if n not in ids]
            assert not unknown, f"principle {principle['number']} {level}: unknown rules {unknown}"


def test_levels_follow_the_rubric():
    table = scoring_table()
    for principle in table["principle"]:
        names = set(referenced(principle["good"])) | set(referenced(principle["excellent"]))
        for anchor in ANCHORS[principle["number"]]:
            assert anchor in names, f"principle {principle['number']} does not use {anchor}"
    bands = [(b["min"], b["max"], b["rating"]) for b in table["overall"]["bands"]]
    assert bands == [(6, 10, "requires_improvement"), (11, 15, "good"), (16, 18, "outstanding")]
    assert table["overall"]["principle_1_cap"] == "requires_improvement"
    assert table["overall"]["effective"] == ["good", "outstanding"]


def test_rules_that_skip_for_age_are_the_ones_the_rubric_excuses():
    by_id = {r.id: r for r in default_rules()}
    assert by_id["coproduction.ParentVoice"].applies_when.young_person_16_plus is False
    assert by_id["coproduction.PfAOutcomes"].applies_when.min_year == 9
    assert by_id["statutory.AdviceFromPreparingForAdulthood"].applies_when.min_year == 9


# -- calibration against the corpus labels --------------------------------------------


@pytest.fixture(scope="module")
def corpus_evaluation():
    from ehcp_audit import audit
    from ehcp_audit._evaluation import evaluate_folder

    return evaluate_folder(CORPUS, audit)


def test_calibration_on_corpus_samples_meets_the_bar(corpus_evaluation):
    rated = [p for p in corpus_evaluation.plans if p.ratings]
    assert len(rated) >= 12, "expected every labelled corpus plan to carry principle ratings"
    assert all(p.error is None for p in rated)
    exact = corpus_evaluation.figure("principle_exact")
    kappa = corpus_evaluation.figure("kappa")
    effective = corpus_evaluation.figure("effective_agreement")
    assert exact is not None and exact >= 0.80, f"principle exact agreement {exact}"
    assert kappa is not None and kappa >= 0.75, f"quadratic-weighted kappa {kappa}"
    assert effective is not None and effective >= 0.90, f"effective agreement {effective}"


def test_no_principle_is_more_than_one_step_from_the_labels(corpus_evaluation):
    assert corpus_evaluation.figure("principle_within_one") == pytest.approx(1.0)
    for number in range(1, 7):
        exact = corpus_evaluation.figure(f"principle_exact.{number}")
        assert exact is not None and exact >= 0.5, f"principle {number} exact agreement {exact}"


# -- the default rules on the development plans written by others --------------------


@pytest.fixture(scope="module")
def dev_findings():
    from ehcp_audit import audit

    plans = {}
    for name in ("h03.md", "h04.docx"):
        result = audit(CORPUS / "dev1" / name)
        plans[name] = {f.rule: f for f in result.findings}
    return plans


def test_a_quoted_success_is_celebrated_in_own_words(dev_findings):
    finding = dev_findings["h03.md"]["coproduction.SuccessesInOwnWords"]
    assert finding.passed
    assert any("never been prouder" in e.text for e in finding.evidence)


def test_a_decision_explained_in_the_passive_is_reported_back(dev_findings):
    finding = dev_findings["h03.md"]["coproduction.DecisionsReportedBack"]
    assert finding.passed
    assert any("were explained to" in e.text for e in finding.evidence)


def test_a_service_only_signposted_is_not_part_of_the_network(dev_findings):
    finding = dev_findings["h04.docx"]["coproduction.WideNetwork"]
    assert not finding.passed
    assert all(e.section == "K" for e in finding.evidence)


def test_a_term_explained_at_first_use_is_not_counted_again():
    from ehcp_audit import audit

    result = audit(CORPUS / "p10.txt")
    finding = next(f for f in result.findings if f.rule == "coproduction.NoUnexplainedJargon")
    assert finding.passed, [e.text for e in finding.evidence]
