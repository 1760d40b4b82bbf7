"""The policy in force: the rules a configuration selects and the scoring they feed.

``load_policy(config)`` gathers the built-in packs (``rules/``) and the
configuration's ``rule_dirs``, applies ``select``/``ignore`` and
``[levels]``, loads the scoring file (the configuration's, else
``rules/scoring.toml`` when there is one) and checks that every name it
uses exists. The result is cached per configuration and per state of the
rule files, so a batch loads the rules once but an edited rule is seen.

A rule from the configuration's ``rule_dirs`` that the scoring file does
not name, with ``principles`` and level error or warning, holds those
principles back while it fails (:class:`~ehcp_audit.scoring.Hold`), so a
council's own rule counts without replacing ``scoring.toml``.

``apply_policy(plan, policy)`` is the last stage of an audit: findings,
then ratings, added to the :class:`~ehcp_audit.PlanAudit`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from attrs import evolve, frozen

from .._config import Config
from .._errors import ConfigError
from .._model import Level, PlanAudit, Rating
from .._resources import rules_dir
from ..scoring import Hold, Scoring, load_scoring, rate
from ._engine import run_rules
from ._packs import fingerprint, load_packs
from ._spec import RuleSpec

NOT_SELECTED = "not selected by the configuration"
IGNORED = "ignored by the configuration"


@frozen
class Policy:
    """Rules (all loaded, and those that run), the scoring policy, and the target."""

    config: Config
    rules: tuple[RuleSpec, ...]
    selected: tuple[RuleSpec, ...]
    scoring: Scoring | None
    target: float
    folders: tuple[Path, ...]

    def rule(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def not_run(self) -> dict[str, str]:
        """Rules loaded but switched off by the configuration, with the reason."""
        chosen = {r.id for r in self.selected}
        reasons = {}
        for rule in self.rules:
            if rule.id not in chosen:
                reasons[rule.id] = IGNORED if _named(rule, self.config.ignore) else NOT_SELECTED
        return reasons


def _named(rule: RuleSpec, names: tuple[str, ...]) -> bool:
    return rule.id in names or rule.pack in names


def rule_folders(config: Config) -> tuple[Path, ...]:
    """The built-in rules folder, then the configuration's extra folders."""
    return (rules_dir(), *config.rule_dirs)


def default_scoring_path() -> Path | None:
    path = rules_dir() / "scoring.toml"
    return path if path.is_file() else None


def load_policy(config: Config) -> Policy:
    folders = rule_folders(config)
    scoring = config.scoring or default_scoring_path()
    marks = fingerprint(folders)
    if scoring is not None:
        stat = scoring.stat() if scoring.is_file() else None
        marks += ((str(scoring), stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1),)
    return _load(config, marks)


@lru_cache(maxsize=16)
def _load(config: Config, marks: tuple[tuple[str, int, int], ...]) -> Policy:
    folders = rule_folders(config)
    loaded = load_packs(folders)
    ids = {r.id for r in loaded}
    packs = {r.pack for r in loaded}
    for key, names in (("select", config.select), ("ignore", config.ignore)):
        for name in names:
            if name not in ids and name not in packs:
                raise ConfigError(
                    f"{config.where}: key '{key}': no rule or pack named {name!r} is loaded"
                )
    levels = config.level_map
    for rule_id in levels:
        if rule_id not in ids:
            raise ConfigError(
                f"{config.where}: key 'levels.{rule_id}': no rule with this id is loaded"
            )
    rules = tuple(evolve(r, level=levels[r.id]) if r.id in levels else r for r in loaded)
    selected = tuple(
        r
        for r in rules
        if (not config.select or _named(r, config.select)) and not _named(r, config.ignore)
    )
    path = config.scoring or default_scoring_path()
    scoring = load_scoring(path, ids) if path is not None else None
    if scoring is not None:
        scoring = scoring.with_holds(holds(selected, scoring))
    target = config.target if config.target is not None else (scoring.target if scoring else 0.9)
    return Policy(
        config=config,
        rules=rules,
        selected=selected,
        scoring=scoring,
        target=target,
        folders=folders,
    )


#: How far a failing rule holds its principles back when it does not say.
DEFAULT_HOLD: dict[Level, Rating] = {
    Level.ERROR: Rating.ROOM_FOR_IMPROVEMENT,
    Level.WARNING: Rating.GOOD,
}


def holds(rules: tuple[RuleSpec, ...], scoring: Scoring) -> tuple[Hold, ...]:
    """The holds of the council's own rules that the scoring file does not name.

    Built-in rules take part through ``scoring.toml`` only; a rule at level
    suggestion holds nothing (a suggestion never lowers a rating).
    """
    named = set(scoring.rule_ids)
    builtin = rules_dir().resolve()
    found = []
    for rule in rules:
        if rule.id in named or rule.level not in DEFAULT_HOLD:
            continue
        if rule.path.resolve().is_relative_to(builtin):
            continue
        ceiling = rule.principles_level or DEFAULT_HOLD[rule.level]
        found += [Hold(rule.id, number, ceiling, rule.level) for number in rule.principles]
    return tuple(found)


def apply_policy(plan: PlanAudit, policy: Policy) -> PlanAudit:
    """Add the findings and, when there is a scoring policy, the ratings."""
    run = run_rules(plan, policy.selected)
    not_run = {**policy.not_run(), **dict(run.skipped)}
    extras = {**plan.extras, "not_run": not_run}
    if policy.scoring is None:
        return evolve(plan, findings=run.findings, extras=extras)
    ratings = rate(run.findings, policy.scoring, not_run)
    return evolve(
        plan,
        findings=run.findings,
        principles=ratings.principles,
        overall=ratings.overall,
        total_score=ratings.total_score,
        effective_coproduction=ratings.effective_coproduction,
        extras=extras,
    )
