"""Parsed rule files kept on disk: the same data as tomllib, fresh each time, never in the way."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ehcp_audit import _toml
from ehcp_audit._disk_cache import DiskCache
from ehcp_audit._resources import rules_dir

RULE = """\
kind = "occurrence"
level = "warning"
principles = [1, 6]
message = "Something to fix."
[options]
ratio = 0.5
words = ["one", "two"]
[[case]]
text = "A sentence."
expect = true
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EHCP_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_toml, "_PARSED", DiskCache("toml", 1))
    return tmp_path / "cache"


def _next_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Save this run's cache and start a fresh one; return a record of tomllib's parses."""
    _toml._PARSED.save()
    monkeypatch.setattr(_toml, "_PARSED", DiskCache("toml", 1))
    parsed: list[str] = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text: parsed.append(text) or real(text))
    return parsed


def test_a_second_run_reads_the_parsed_data(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = [p for p in sorted(rules_dir().rglob("*.toml"))][:20]
    texts = [p.read_text(encoding="utf-8") for p in shipped] + [RULE]
    first = [_toml.parse_toml(t) for t in texts]
    parsed = _next_run(monkeypatch)
    again = [_toml.parse_toml(t) for t in texts]
    assert parsed == []  # nothing parsed again
    assert again == first == [tomllib.loads(t) for t in texts]


def test_each_call_gets_its_own_objects(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _toml.parse_toml(RULE)
    _next_run(monkeypatch)
    one, two = _toml.parse_toml(RULE), _toml.parse_toml(RULE)
    one["options"]["words"].append("three")
    assert two["options"]["words"] == ["one", "two"]


def test_an_edited_file_is_parsed_afresh(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _toml.parse_toml(RULE)
    parsed = _next_run(monkeypatch)
    edited = RULE.replace('level = "warning"', 'level = "error"')
    assert _toml.parse_toml(edited)["level"] == "error"
    assert parsed == [edited]


def test_dates_are_parsed_every_time_and_errors_raised(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dated = "reviewed = 2026-03-01\n"
    _toml.parse_toml(dated)
    parsed = _next_run(monkeypatch)
    assert str(_toml.parse_toml(dated)["reviewed"]) == "2026-03-01"
    assert parsed == [dated]  # marshal keeps no dates: not cached
    with pytest.raises(tomllib.TOMLDecodeError):
        _toml.parse_toml("kind = ")


def test_a_damaged_file_costs_time_only(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _toml.parse_toml(RULE)
    _toml._PARSED.save()
    for path in cache.glob("toml-*.marshal"):
        path.write_bytes(b"\x00damaged")
    monkeypatch.setattr(_toml, "_PARSED", DiskCache("toml", 1))
    assert _toml.parse_toml(RULE) == tomllib.loads(RULE)
