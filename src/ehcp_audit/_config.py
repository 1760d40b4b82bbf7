"""Settings: which rules run, at what level, against which scoring policy.

Found in this order, and the first found wins whole (settings are not
merged across files, so what is in force is always one file you can read):

1. ``--config FILE`` (or ``load_config(FILE)``);
2. ``ehcp-audit.toml`` in the current folder or the nearest parent holding one;
3. the ``[tool.ehcp-audit]`` table of the nearest ``pyproject.toml`` that has one;
4. the user's ``$XDG_CONFIG_HOME/ehcp-audit/config.toml``
   (``~/.config/ehcp-audit/config.toml`` when ``XDG_CONFIG_HOME`` is unset);
5. none: the built-in rules and scoring.

Settings (all optional)::

    select = ["statutory", "coproduction.ChildVoice"]   # rule ids or pack names; default all
    ignore = ["statutory.PersonalBudget"]
    rule_dirs = ["our-rules"]          # extra folders of packs, relative to this file
    lexicon_dirs = ["our-lexicons"]    # extra word lists merged into the shipped lexicons
    scoring = "our-scoring.toml"       # replaces the built-in scoring policy
    target = 0.9                       # share of plans that must show effective co-production
    [levels]
    "statutory.ReviewDate" = "error"
    [sections]
    A = ["About me and my family"]     # extra heading variants for a council's template

Strict like the rule files: an unknown key or a wrong type is a
:class:`~ehcp_audit.ConfigError` naming the file and the key. Rule and pack
names in ``select``/``ignore``/``levels`` are checked when the rules load.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from attrs import field, frozen

from ._errors import ConfigError
from ._model import ALL_SECTION_CODES, Level
from ._toml import Table, read_toml

__all__ = ["Config", "load_config"]

FILE_NAME = "ehcp-audit.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "tool.ehcp-audit"
KEYS = ("select", "ignore", "levels", "rule_dirs", "lexicon_dirs", "scoring", "sections", "target")


@frozen
class Config:
    """The settings in force, and where they came from.

    ``path`` is the file that won (None: built-in defaults); ``origin`` says
    how it was found. Paths inside are absolute. ``searched`` lists the
    places looked at, in order, for ``ehcp-audit config show``.
    """

    path: Path | None = None
    origin: str = "built-in defaults"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    levels: tuple[tuple[str, Level], ...] = ()
    rule_dirs: tuple[Path, ...] = ()
    #: Folders of word lists added to the shipped lexicons (``agencies.toml`` …).
    lexicon_dirs: tuple[Path, ...] = ()
    scoring: Path | None = None
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target: float | None = None
    searched: tuple[str, ...] = field(default=(), eq=False)

    @property
    def where(self) -> str:
        """How errors name this configuration: the file, and the table inside it."""
        if self.path is None:
            return "configuration"
        return f"{self.path} [{TOOL_TABLE}]" if self.path.name == PYPROJECT else str(self.path)

    @property
    def level_map(self) -> dict[str, Level]:
        return dict(self.levels)

    def merged_variants(
        self, extra: Mapping[str, Sequence[str]] | None = None
    ) -> dict[str, list[str]] | None:
        """This configuration's section variants plus ``extra`` (code -> headings)."""
        merged: dict[str, list[str]] = {code: list(v) for code, v in self.sections}
        for code, values in (extra or {}).items():
            merged.setdefault(code, []).extend(values)
        return merged or None


def user_config_path() -> Path | None:
    """``$XDG_CONFIG_HOME/ehcp-audit/config.toml``, else ``~/.config/ehcp-audit/config.toml``.

    None when there is no home folder to look in (a container user with no
    HOME and no passwd entry): there is then no user configuration.
    """
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / "ehcp-audit" / "config.toml"
    try:
        return Path.home() / ".config" / "ehcp-audit" / "config.toml"
    except (RuntimeError, KeyError, OSError):
        return None


def load_config(
    path: str | os.PathLike[str] | None = None, *, start: str | os.PathLike[str] | None = None
) -> Config:
    """Load the settings in force: ``path`` when given, else discover them from ``start`` (cwd).

    Raises :class:`~ehcp_audit.ConfigError` when the file is missing,
    not valid TOML, or holds an unknown key or a wrong value.
    """
    if path is not None:
        explicit = Path(path).expanduser().resolve()
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        data = read_toml(explicit)
        table = _tool_table(data, explicit) if explicit.name == PYPROJECT else data
        if table is None:
            raise ConfigError(f"{explicit}: has no [{TOOL_TABLE}] table")
        return _parse(table, explicit, "--config", (str(explicit),))
    here = Path(start).resolve() if start is not None else Path.cwd()
    searched: list[str] = []
    folders = [here, *here.parents]
    for folder in folders:
        candidate = folder / FILE_NAME
        searched.append(str(candidate))
        if candidate.is_file():
            return _parse(read_toml(candidate), candidate, FILE_NAME, tuple(searched))
    for folder in folders:
        candidate = folder / PYPROJECT
        if candidate.is_file():
            searched.append(f"{candidate} [{TOOL_TABLE}]")
            table = _tool_table(read_toml(candidate), candidate)
            if table is not None:
                return _parse(table, candidate, f"{PYPROJECT} [{TOOL_TABLE}]", tuple(searched))
    user = user_config_path()
    if user is not None:
        searched.append(str(user))
        if user.is_file():
            return _parse(read_toml(user), user, "user configuration", tuple(searched))
    return Config(searched=tuple(searched))


def _tool_table(data: Mapping[str, object], path: Path) -> dict[str, object] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict) or "ehcp-audit" not in tool:
        return None
    table = tool["ehcp-audit"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: key '{TOOL_TABLE}': expected a table")
    return table


def _parse(
    data: Mapping[str, object], path: Path, origin: str, searched: tuple[str, ...]
) -> Config:
    prefix = f"{TOOL_TABLE}." if path.name == PYPROJECT else ""
    table = Table(data, path, prefix)
    table.done(KEYS)
    base = path.parent
    select = table.strings("select")
    ignore = table.strings("ignore")
    levels = _levels(table)
    scoring = None
    if table.has("scoring"):
        entry = table.string("scoring", nonempty=True)
        scoring = (base / Path(entry).expanduser()).resolve()
        if not scoring.is_file():
            table.fail("scoring", f"{entry!r} is not a file (looked for {scoring})")
    target = table.number("target")
    if target is not None and not 0 < target <= 1:
        table.fail("target", "must be a share between 0 and 1 (0.9 means 90%)")
    return Config(
        path=path,
        origin=origin,
        select=select,
        ignore=ignore,
        levels=levels,
        rule_dirs=_folders(table, "rule_dirs", base),
        lexicon_dirs=_folders(table, "lexicon_dirs", base),
        scoring=scoring,
        sections=_sections(table),
        target=target,
        searched=searched,
    )


def _folders(table: Table, key: str, base: Path) -> tuple[Path, ...]:
    """The folders a key lists, relative to the configuration file; each must exist."""
    folders = []
    for entry in table.strings(key):
        folder = (base / Path(entry).expanduser()).resolve()
        if not folder.is_dir():
            table.fail(key, f"{entry!r} is not a folder (looked for {folder})")
        folders.append(folder)
    return tuple(folders)


def _levels(table: Table) -> tuple[tuple[str, Level], ...]:
    sub = table.table("levels")
    if sub is None:
        return ()
    result = []
    for rule_id in sorted(sub.data):
        value = sub.choice(rule_id, [lv.value for lv in Level], required=True)
        result.append((rule_id, Level(value)))
    return tuple(result)


def _sections(table: Table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    sub = table.table("sections")
    if sub is None:
        return ()
    result = []
    for code in sorted(sub.data):
        if code not in ALL_SECTION_CODES:
            sub.fail(code, f"{code!r} is not a section code ({', '.join(ALL_SECTION_CODES)})")
        result.append((code, sub.strings(code, required=True, nonempty=True)))
    return tuple(result)
