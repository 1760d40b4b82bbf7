"""Rule files are loaded strictly: every kind of mistake is a clear error naming file and key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ehcp_audit import ConfigError
from ehcp_audit._model import Level
from ehcp_audit._resources import schema_path
from ehcp_audit.checks import load_packs, load_rule
from ehcp_audit.checks._packs import pack_dirs
from ehcp_audit.nlp._kinds import CUE_KINDS

FIXTURES = Path(__file__).resolve().parent / "rules_fixtures"
BAD = FIXTURES / "bad"

#: Each malformed file, the key its error must name, and words the message must contain.
MISTAKES = {
    "UnknownKey": ("colour", "unknown key"),
    "KeyOfOtherKind": ("min", "not used by kind 'existence'"),
    "MissingMessage": ("message", "required but missing"),
    "MissingKind": ("kind", "required but missing"),
    "UnknownKind": ("kind", "'frequency' is not one of"),
    "WrongType": ("principles", "expected a list"),
    "PrincipleOutOfRange": ("principles", "7 is not a principle number"),
    "BadLevel": ("level", "'fatal' is not one of"),
    "UnknownSection": ("scope", "'Z' is not a section code"),
    "UnknownCue": ("cue", "'child_vioce' is not a cue kind"),
    "UnknownAttribute": ("where.timebound", "no field or attribute 'timebound'"),
    "BadRegex": ("pattern", "does not compile"),
    "NothingToFind": ("cue", "say what to look for"),
    "MinOverMax": ("min", "greater than max"),
    "BadMetric": ("metric", "'smog_index' is not a measure"),
    "BadSame": ("require[0].same", "'table' is not one of"),
    "RequireWrongShape": ("require", "expected a non-empty list of tables"),
    "UnknownFunction": ("function", "no check named 'no_such_check'"),
    "UnknownOption": ("options.min_link", "unknown option"),
    "BadAppliesWhen": ("applies_when.min_age", "expected a whole number"),
    "BadTestCase": ("tests.fire[0].txt", "unknown key"),
}


def test_every_bad_fixture_is_listed() -> None:
    on_disk = {p.stem for p in BAD.glob("*.toml")}
    assert on_disk == set(MISTAKES) | {"NotToml"}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_malformed_rule_names_file_and_key(name: str) -> None:
    key, words = MISTAKES[name]
    path = BAD / f"{name}.toml"
    with pytest.raises(ConfigError) as caught:
        load_rule(path, "bad")
    message = str(caught.value)
    assert message.startswith(f"{path}: key '{key}'"), message
    assert words in message
    assert caught.value.code == "config_error"


def test_invalid_toml_names_file_and_line() -> None:
    path = BAD / "NotToml.toml"
    with pytest.raises(ConfigError, match=r"NotToml\.toml: not valid TOML: .*line 2"):
        load_rule(path, "bad")


def test_good_fixture_packs_load_with_ids_from_folder_and_file() -> None:
    demo = [load_rule(p, "demo") for p in sorted((FIXTURES / "demo").glob("*.toml"))]
    ids = [r.id for r in demo]
    assert "demo.VaguePhrases" in ids and "demo.ReviewDate" in ids
    vague = next(r for r in demo if r.id == "demo.VaguePhrases")
    assert vague.kind == "existence" and vague.level is Level.WARNING
    assert vague.scope == ("F",) and vague.principles == (6,)
    assert [t.label for t in vague.tests] == ["fire[0]", "fire[1]", "fire[2]", "pass[0]"]
    assert vague.tests[2].section == "F" and vague.tests[0].section == "F"
    assert vague.summary == "Provision in F is specific and quantified."


def test_folder_of_packs_skips_lexicons_and_private_folders(tmp_path: Path) -> None:
    for name in ("demo", "lexicons", "_drafts", ".hidden"):
        shutil.copytree(FIXTURES / "demo", tmp_path / name)
    (tmp_path / "scoring.toml").write_text("not a rule", encoding="utf-8")
    assert [p.name for p in pack_dirs(tmp_path)] == ["demo"]
    rules = load_packs([tmp_path])
    assert {r.pack for r in rules} == {"demo"}


def test_a_rule_defined_twice_names_both_files(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    shutil.copytree(FIXTURES / "demo", first / "demo")
    shutil.copytree(FIXTURES / "demo", second / "demo")
    with pytest.raises(ConfigError, match="already defined in"):
        load_packs([first, second])


def test_missing_rule_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="rule folder not found"):
        load_packs([tmp_path / "nowhere"])


def test_rule_names_must_be_identifiers(tmp_path: Path) -> None:
    bad = tmp_path / "9Lives.toml"
    shutil.copy(FIXTURES / "demo" / "VaguePhrases.toml", bad)
    with pytest.raises(ConfigError, match="must start with a letter"):
        load_rule(bad, "demo")


def test_cue_kinds_are_listed_once_and_match_the_json_schema() -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert list(schema["$defs"]["cue"]["properties"]["kind"]["enum"]) == list(CUE_KINDS)
    assert len(set(CUE_KINDS)) == len(CUE_KINDS)


def test_entry_points_in_pyproject_match_the_builtin_checks() -> None:
    import tomllib

    from ehcp_audit.checks._builtins import BUILTINS

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    group = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["entry-points"]
    declared = group["ehcp_audit.checks"]
    assert set(declared) == set(BUILTINS)
    for name, target in declared.items():
        assert target == f"ehcp_audit.checks._builtins:{name}"
