"""Find rule packs in folders and load every rule in them.

A folder of packs holds one sub-folder per pack and one ``Rule.toml`` per
rule inside it (``rules/statutory/ReviewDate.toml`` is ``statutory.ReviewDate``).
Files at the top of the folder (``sections.toml``, ``scoring.toml``) are not
rules, nor are the reserved sub-folders in :data:`NOT_PACKS` (the NLP
lexicons live beside the packs) or those whose names start with ``_`` or
``.``. A rule id defined twice is an error naming both files: a council
changes a built-in rule by ignoring it and adding its own, never by
shadowing it silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .._errors import ConfigError
from ._spec import RuleSpec, load_rule

#: Sub-folders of a rules folder that hold other data, not rule packs.
NOT_PACKS = frozenset({"lexicons"})


def pack_dirs(folder: Path) -> list[Path]:
    """The pack folders inside a folder of packs, in name order."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: rule folder not found")
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and p.name not in NOT_PACKS and not p.name.startswith(("_", "."))
    )


def rule_files(folder: Path) -> list[tuple[str, Path]]:
    """(pack, file) for every rule file under a folder of packs."""
    return [(pack.name, path) for pack in pack_dirs(folder) for path in sorted(pack.glob("*.toml"))]


def load_packs(folders: Iterable[Path]) -> tuple[RuleSpec, ...]:
    """Every rule in every pack of the folders, in folder, pack and name order."""
    rules: list[RuleSpec] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        for pack, path in rule_files(folder):
            rule = load_rule(path, pack)
            if rule.id in seen:
                raise ConfigError(f"{path}: rule {rule.id} is already defined in {seen[rule.id]}")
            seen[rule.id] = path
            rules.append(rule)
    return tuple(rules)


def fingerprint(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """A cheap summary of the rule files (path, size, mtime) to know when to reload them."""
    marks = []
    for folder in folders:
        if not folder.is_dir():
            marks.append((str(folder), -1, -1))
            continue
        for _, path in rule_files(folder):
            stat = path.stat()
            marks.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(marks)
