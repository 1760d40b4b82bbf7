"""Every rule in the default packs (``rules/<pack>/``) passes its own test cases.

Parametrized per rule, so a rule added to a pack is tested here without
touching this file. Skips cleanly while ``rules/`` holds no pack.
"""

from __future__ import annotations

import pytest

from ehcp_audit._resources import rules_dir
from ehcp_audit.checks import RuleSpec, load_packs
from ehcp_audit.checks._packs import rule_files
from ehcp_audit.checks._selftest import missing_cases, run_case


def _rules() -> list[object]:
    if not rule_files(rules_dir()):
        return [pytest.param(None, id="no-packs")]
    return [pytest.param(rule, id=rule.id) for rule in load_packs([rules_dir()])]


@pytest.mark.parametrize("rule", _rules())
def test_default_rule_passes_its_own_tests(rule: RuleSpec | None) -> None:
    if rule is None:
        pytest.skip("rules/ holds no rule pack yet")
    assert not missing_cases(rule), f"{rule.id} has no {' or '.join(missing_cases(rule))} case"
    failures = [r for r in (run_case(rule, case) for case in rule.tests) if not r.ok]
    assert not failures, "\n".join(f"{r.rule} {r.case}: {r.detail}" for r in failures)


def test_default_scoring_names_only_loaded_rules() -> None:
    from ehcp_audit._config import Config
    from ehcp_audit.checks import load_policy

    if not rule_files(rules_dir()):
        pytest.skip("rules/ holds no rule pack yet")
    policy = load_policy(Config())  # loads and checks rules/scoring.toml when there is one
    if policy.scoring is not None:
        assert set(policy.scoring.rule_ids) <= {r.id for r in policy.rules}
