"""Packaging: rule data ships in the package, and the README and CI agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import ehcp_audit
from ehcp_audit import _resources

ROOT = Path(__file__).resolve().parents[1]


def test_rule_data_is_found() -> None:
    rules = _resources.rules_dir()
    assert (rules / "sections.toml").is_file()
    tomllib.loads((rules / "sections.toml").read_text(encoding="utf-8"))
    assert _resources.sample_plan().is_file()
    assert _resources.schema_path().is_file()


def test_installed_package_carries_its_own_rules() -> None:
    package_dir = Path(ehcp_audit.__file__).resolve().parent
    if (ROOT / "src") in package_dir.parents:
        # Running from the source tree (editable or PYTHONPATH): data comes from the checkout.
        assert _resources.rules_dir() == ROOT / "rules"
    else:
        # A real (non-editable) install, as in CI: data must be inside the package.
        assert package_dir in _resources.rules_dir().parents
        assert package_dir in _resources.sample_plan().parents
    assert (package_dir / "py.typed").is_file()


def test_rules_hash_is_stable() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", _resources.rules_sha256())
    assert _resources.rules_sha256() == _resources.rules_sha256()


def test_readme_opens_with_two_setup_commands_that_ci_mirrors() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    assert "pip install ." in install and "ehcp-audit check --sample" in install
    assert 'pip install ".[test]"' in tests and "-m pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip" install --quiet ".[test]"' in ci
    assert "-m pytest" in ci and '"$status" -eq 5' in ci
