"""``python``: a check written in Python, for what data cannot express.

``function = "name"`` is looked up among ehcp-audit's own built-in checks
(``_builtins.py``, also registered in ``pyproject.toml``) and then in the
``ehcp_audit.checks`` entry point group, so a council's own package can add
checks without forking::

    [project.entry-points."ehcp_audit.checks"]
    our_check = "our_package.checks:our_check"

A check is ``(audit: PlanAudit, rule: RuleSpec) -> CheckResult``; the
rule's free-form ``options`` table is ``rule.options``. The name is resolved
when the rule is loaded, so a misspelt name is a configuration error, not
a rule that silently never runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import Any

from attrs import frozen

from .._errors import ConfigError
from .._model import PlanAudit
from ._spec import CheckResult, RuleSpec, Table

KEYS = ("function", "options")
GROUP = "ehcp_audit.checks"

CheckFunction = Callable[[PlanAudit, RuleSpec], CheckResult]


@frozen
class Params:
    function: str
    call: CheckFunction


def available() -> dict[str, str]:
    """Every check name that can be used, with where it comes from."""
    from ._builtins import BUILTINS

    names = {name: "built in" for name in BUILTINS}
    for point in entry_points(group=GROUP):
        names.setdefault(point.name, point.value)
    return names


def resolve_builtin(name: str) -> bool:
    from ._builtins import BUILTINS

    return name in BUILTINS


def resolve(name: str) -> CheckFunction | None:
    from ._builtins import BUILTINS

    if name in BUILTINS:
        return BUILTINS[name]
    for point in entry_points(group=GROUP):
        if point.name == name:
            loaded = point.load()
            return loaded if callable(loaded) else None
    return None


def parse(table: Table) -> tuple[Params, dict[str, Any]]:
    name = table.string("function", required=True, nonempty=True)
    try:
        call = resolve(name)
    except Exception as exc:  # a third-party package failing to import
        table.fail(
            "function", f"the entry point for {name!r} could not be loaded ({type(exc).__name__})"
        )
    if call is None:
        known = ", ".join(sorted(available())) or "none"
        table.fail("function", f"no check named {name!r} (available: {known})")
    from ._builtins import option_problem

    options = table.table("options")
    values = dict(options.data) if options else {}
    problem = option_problem(name, values) if resolve_builtin(name) else None
    if problem is not None and options is not None:
        options.fail(*problem)
    return Params(function=name, call=call), values


def default_section(params: Params, scope: Sequence[str]) -> str:
    return scope[0] if scope else "A"


def check(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    params: Params = rule.params
    try:
        result = params.call(plan, rule)
    except ConfigError:
        raise
    except Exception as exc:
        raise ConfigError(
            f"{rule.path}: key 'function': check {params.function!r} of rule {rule.id} failed "
            f"({type(exc).__name__})"
        ) from exc
    if not isinstance(result, CheckResult):
        raise ConfigError(
            f"{rule.path}: key 'function': check {params.function!r} returned "
            f"{type(result).__name__}, not a CheckResult"
        )
    return result


def describe(params: Params) -> str:
    doc = (params.call.__doc__ or "").strip().splitlines()
    return f"Python check {params.function!r}" + (f": {doc[0]}" if doc else "")
