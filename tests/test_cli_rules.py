"""The command line for findings, ratings, rules and settings: real files in, real output out."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from ehcp_audit._resources import rules_dir, schema_path
from ehcp_audit.checks._packs import rule_files
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "rules_fixtures"
PLAN = ROOT / "corpus_samples" / "p06.md"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings file that runs only the demo pack, scored by the fixture scoring file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    shutil.copytree(FIXTURES / "demo", tmp_path / "rules" / "demo")
    shutil.copy(FIXTURES / "scoring.toml", tmp_path / "scoring.toml")
    config = tmp_path / "ehcp-audit.toml"
    config.write_text(
        'rule_dirs = ["rules"]\nscoring = "scoring.toml"\nselect = ["demo"]\n'
        '[levels]\n"demo.FirstPerson" = "error"\n',
        encoding="utf-8",
    )
    return config


def test_check_json_has_findings_and_ratings(demo_config: Path) -> None:
    code, out, err = run("check", str(PLAN), "--format", "json", "--config", str(demo_config))
    assert code == 0, err
    document = json.loads(out)
    jsonschema.validate(document, json.loads(schema_path().read_text(encoding="utf-8")))
    assert document["schema_version"] == "1.5"
    rules = {f["rule"]: f for f in document["findings"]}
    assert set(rules) == {
        "demo.CoreSections",
        "demo.FirstPerson",
        "demo.NeedsMet",
        "demo.ReviewDate",
        "demo.VaguePhrases",
    }  # PreparingForAdulthood does not apply to a nursery child
    vague = rules["demo.VaguePhrases"]
    assert vague["passed"] is False and vague["level"] == "warning" and vague["principles"] == [6]
    assert any("as appropriate" in e["text"] and e["section"] == "F" for e in vague["evidence"])
    assert rules["demo.FirstPerson"]["level"] == "error"  # from [levels]
    assert rules["demo.ReviewDate"]["passed"] is True  # p06 gives a review date
    assert [p["number"] for p in document["principles"]] == [1, 2, 3, 4, 5, 6]
    assert {p["rating"] for p in document["principles"]} <= {
        "room_for_improvement",
        "good",
        "excellent",
    }
    assert document["total_score"] == sum(p["score"] for p in document["principles"])
    assert document["overall"] in {"requires_improvement", "good", "outstanding"}
    assert isinstance(document["effective_coproduction"], bool)


def test_check_text_shows_findings_principles_and_overall(demo_config: Path) -> None:
    code, out, _ = run("check", str(PLAN), "--config", str(demo_config), "-v")
    assert code == 0
    assert "Fixes, most important first" in out
    assert "demo.VaguePhrases] Provision uses words" in out
    assert "Overall: " in out and "co-production" in out


def test_explain_gives_the_reasoning(demo_config: Path) -> None:
    code, out, _ = run("explain", str(PLAN), "--principle", "6", "--config", str(demo_config))
    assert code == 0
    assert "Principle 6: We value blurring the boundaries" in out
    assert "Principle 1" not in out
    assert "[FAIL] demo.VaguePhrases" in out
    assert '"Poppy will have access to SALT input as appropriate once assessed."' in out
    assert "[n/a]  demo.PreparingForAdulthood did not apply (applies from Year 9" in out
    assert "Hence: " in out and "Overall: " in out


def test_rules_list_and_explain(demo_config: Path) -> None:
    code, out, _ = run("rules", "list", "--config", str(demo_config))
    assert code == 0
    assert "demo.NeedsMet" in out and "conditional" in out
    builtin = rule_files(rules_dir())
    assert ("[off]" in out) == bool(builtin)  # built-in packs are listed, not selected
    code, out, _ = run("rules", "explain", "demo.VaguePhrases", "--config", str(demo_config))
    assert code == 0
    assert "demo.VaguePhrases  (existence, warning)" in out
    assert "Looks at: F" in out
    assert "Scoring: principle 5 excellent, principle 6 good, principle 6 excellent" in out
    assert "Tests: 3 must fire, 1 must pass" in out
    code, _, err = run("rules", "explain", "demo.Nope", "--config", str(demo_config))
    assert code == 2 and "no rule 'demo.Nope'" in err


def test_rules_test_passes_and_fails_naming_rule_and_case(
    demo_config: Path, tmp_path: Path
) -> None:
    code, out, _ = run("rules", "test", "demo", "--config", str(demo_config))
    assert code == 0, out
    assert "14 of 14 test case(s) passed, over 6 rule(s)" in out
    broken = tmp_path / "rules" / "demo" / "Broken.toml"
    broken.write_text(
        'kind = "existence"\nmessage = "m"\ndescription = "d"\nphrases = ["regularly"]\n'
        '[tests]\nfire = ["Regular support."]\npass = ["Daily support."]\n',
        encoding="utf-8",
    )
    code, out, _ = run("rules", "test", "demo.Broken", "--config", str(demo_config))
    assert code == 1
    assert "FAIL demo.Broken fire[0]: expected the rule to fire, but it passed" in out
    code, _, err = run("rules", "test", "nothing.Here", "--config", str(demo_config))
    assert code == 2 and "no rule or pack named 'nothing.Here'" in err


def test_config_show_names_the_winning_file(demo_config: Path) -> None:
    code, out, _ = run("config", "show", "--config", str(demo_config))
    assert code == 0
    assert f"Configuration: {demo_config.resolve()} (found as: --config)" in out
    assert "select:    demo" in out
    assert "levels:    demo.FirstPerson = error" in out
    assert "target:    90%" in out


def test_config_error_exits_2_with_a_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 1\n", encoding="utf-8")
    code, out, err = run("check", str(PLAN), "--config", str(bad), "--format", "json")
    assert code == 2
    assert (
        err
        == f"error: config_error: {bad.resolve()}: key 'colour': unknown key (expected one of: "
        + ("ignore, levels, lexicon_dirs, rule_dirs, scoring, sections, select, target)\n")
    )
    document = json.loads(out)
    jsonschema.validate(document, json.loads(schema_path().read_text(encoding="utf-8")))
    assert document["error"]["code"] == "config_error"
    code, _, err = run("rules", "list", "--config", str(bad))
    assert code == 2 and err.startswith("error: config_error: ")


def test_bad_rule_file_in_a_rule_dir_stops_the_audit(demo_config: Path, tmp_path: Path) -> None:
    shutil.copy(
        FIXTURES / "bad" / "UnknownCue.toml", tmp_path / "rules" / "demo" / "UnknownCue.toml"
    )
    code, _, err = run("check", str(PLAN), "--config", str(demo_config))
    assert code == 2
    assert "UnknownCue.toml: key 'cue': 'child_vioce' is not a cue kind" in err
