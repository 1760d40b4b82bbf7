"""Settings: found in the documented order, strict, and applied to rules, levels and sections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from plan_factory import make_plan

import ehcp_audit
from ehcp_audit import ConfigError, load_config
from ehcp_audit._config import Config, user_config_path
from ehcp_audit._model import Level
from ehcp_audit.checks import apply_policy, load_policy

FIXTURES = Path(__file__).resolve().parent / "rules_fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No real user configuration leaks in: XDG_CONFIG_HOME points into tmp_path."""
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return xdg


def project(tmp_path: Path) -> Path:
    """A project folder with the demo pack and scoring under ``our-rules``."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "demo", root / "our-rules" / "demo")
    shutil.copy(FIXTURES / "scoring.toml", root / "our-scoring.toml")
    (root / "plans" / "2025").mkdir(parents=True)
    return root


def test_defaults_when_nothing_is_found(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    assert config.path is None and config.origin == "built-in defaults"
    assert config.searched[0] == str(tmp_path.resolve() / "ehcp-audit.toml")
    assert config.searched[-1] == str(user_config_path())


def test_discovery_order(tmp_path: Path, isolated_home: Path) -> None:
    root = project(tmp_path)
    deep = root / "plans" / "2025"
    user = isolated_home / "ehcp-audit" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text("target = 0.5\n", encoding="utf-8")
    assert load_config(start=deep).path == user and load_config(start=deep).target == 0.5

    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert load_config(start=deep).path == user  # a pyproject without the table does not count
    (root / "pyproject.toml").write_text("[tool.ehcp-audit]\ntarget = 0.6\n", encoding="utf-8")
    found = load_config(start=deep)
    assert (found.path, found.target) == (root / "pyproject.toml", 0.6)
    assert found.origin == "pyproject.toml [tool.ehcp-audit]"

    (root / "ehcp-audit.toml").write_text("target = 0.7\n", encoding="utf-8")
    found = load_config(start=deep)
    assert (found.path, found.target, found.origin) == (
        root / "ehcp-audit.toml",
        0.7,
        "ehcp-audit.toml",
    )

    explicit = tmp_path / "elsewhere.toml"
    explicit.write_text("target = 0.8\n", encoding="utf-8")
    found = load_config(explicit, start=deep)
    assert (found.path, found.target, found.origin) == (explicit.resolve(), 0.8, "--config")


def test_xdg_unset_falls_back_to_dot_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert user_config_path() == tmp_path / "home" / ".config" / "ehcp-audit" / "config.toml"


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "ehcp-audit.toml").write_text(
        'rule_dirs = ["our-rules"]\nscoring = "our-scoring.toml"\n'
        'select = ["demo"]\nignore = ["demo.FirstPerson"]\n'
        '[levels]\n"demo.VaguePhrases" = "error"\n'
        '[sections]\nA = ["About me and my family"]\n',
        encoding="utf-8",
    )
    config = load_config(start=root / "plans")
    assert config.rule_dirs == (root / "our-rules",)
    assert config.scoring == root / "our-scoring.toml"
    assert config.level_map == {"demo.VaguePhrases": Level.ERROR}
    assert config.merged_variants({"K": ["Reports"]}) == {
        "A": ["About me and my family"],
        "K": ["Reports"],
    }
    policy = load_policy(config)
    assert {r.id for r in policy.selected} == {
        "demo.CoreSections",
        "demo.NeedsMet",
        "demo.PreparingForAdulthood",
        "demo.ReviewDate",
        "demo.VaguePhrases",
    }
    assert policy.rule("demo.VaguePhrases").level is Level.ERROR
    assert policy.not_run()["demo.FirstPerson"] == "ignored by the configuration"
    assert policy.scoring is not None and policy.scoring.path == root / "our-scoring.toml"
    assert policy.target == 0.9  # from the scoring file


def test_ignored_rule_counts_as_passed_in_scoring(tmp_path: Path) -> None:
    root = project(tmp_path)
    config_file = root / "ehcp-audit.toml"
    config_file.write_text(
        'rule_dirs = ["our-rules"]\nscoring = "our-scoring.toml"\nignore = ["demo.FirstPerson"]\n'
        "target = 0.75\n",
        encoding="utf-8",
    )
    policy = load_policy(load_config(config_file))
    assert policy.target == 0.75
    result = apply_policy(make_plan({"A": ["Sam likes trains."], "E": ["x"], "F": ["x"]}), policy)
    assert "demo.FirstPerson" not in {f.rule for f in result.findings}
    one = result.principles[0]
    assert any(
        "demo.FirstPerson did not apply (ignored by the configuration)" in r for r in one.reasons
    )


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("selekt = []\n", "selekt", "unknown key"),
        ("target = 2\n", "target", "between 0 and 1"),
        ('select = "demo"\n', "select", "expected a list of strings"),
        ('rule_dirs = ["missing"]\n', "rule_dirs", "is not a folder"),
        ('scoring = "missing.toml"\n', "scoring", "is not a file"),
        ('[levels]\n"demo.X" = "loud"\n', "levels.demo.X", "'loud' is not one of"),
        ('[sections]\nZ = ["Zed"]\n', "sections.Z", "not a section code"),
        ("[sections]\nA = []\n", "sections.A", "at least one"),
    ],
)
def test_bad_settings_name_file_and_key(tmp_path: Path, text: str, key: str, words: str) -> None:
    path = tmp_path / "ehcp-audit.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(start=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{path}: key '{key}'"), message
    assert words in message


def test_bad_pyproject_table_names_the_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ehcp-audit]\ncolour = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'tool\.ehcp-audit\.colour': unknown key"):
        load_config(start=tmp_path)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('select = ["nope"]', "select"),
        ('ignore = ["demo.Nope"]', "ignore"),
        ('[levels]\n"demo.Nope" = "error"', "levels.demo.Nope"),
    ],
)
def test_unknown_rule_names_are_refused_when_rules_load(
    tmp_path: Path, line: str, key: str
) -> None:
    root = project(tmp_path)
    path = root / "ehcp-audit.toml"
    path.write_text(f'rule_dirs = ["our-rules"]\n{line}\n', encoding="utf-8")
    config = load_config(start=root)
    with pytest.raises(ConfigError, match=rf"^{path}: key '{key}': no rule"):
        load_policy(config)


def test_missing_explicit_file_and_pyproject_without_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "nope.toml")
    bare = tmp_path / "pyproject.toml"
    bare.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"has no \[tool\.ehcp-audit\] table"):
        load_config(bare)


def test_section_variants_reach_the_sectionizer(tmp_path: Path) -> None:
    plan = (
        "# Education, Health and Care Plan\n\n- **Name:** Sam Taylor\n\n"
        "## The Story of Me\n\nI like trains.\n\n"
        "## Section B – Special educational needs\n\nReading is hard.\n\n"
        "## Section E – Outcomes\n\nBy July 2026 Sam will read a short book.\n\n"
        "## Section F – Special educational provision\n\nA TA will read with Sam daily.\n"
    ).encode()
    plain = ehcp_audit.audit(plan, config=Config())
    assert plain.section("A") is None
    path = tmp_path / "ehcp-audit.toml"
    path.write_text('[sections]\nA = ["The Story of Me"]\n', encoding="utf-8")
    tailored = ehcp_audit.audit(plan, config=load_config(path))
    assert tailored.section("A") is not None
    assert tailored.section("A").text == "I like trains."


def test_policy_is_reloaded_when_a_rule_file_changes(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "ehcp-audit.toml").write_text('rule_dirs = ["our-rules"]\n', encoding="utf-8")
    config = load_config(start=root)
    assert load_policy(config) is load_policy(config)  # cached
    rule = root / "our-rules" / "demo" / "ReviewDate.toml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace('"error"', '"suggestion"'), encoding="utf-8"
    )
    assert load_policy(config).rule("demo.ReviewDate").level is Level.SUGGESTION
