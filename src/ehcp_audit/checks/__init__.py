"""The rule engine: rules as data, one module per rule kind. Internal API.

::

    _spec.py               RuleSpec, CheckResult and the strict rule-file loader
    _packs.py              finding packs in folders
    _match.py              what existence/occurrence/conditional rules look for
    _required_section.py   } one module per kind: KEYS, parse(table),
    _existence.py          } default_section(params, scope),
    _occurrence.py         } check(plan, rule) -> CheckResult,
    _conditional.py        } describe(params)
    _metric.py             }
    _python.py             }  (+ _builtins.py: the built-in Python checks)
    _engine.py             run rules over a PlanAudit -> findings
    _policy.py             config -> rules + scoring; apply them to a plan
    _selftest.py           run each rule's own [tests]

Third-party Python checks import :class:`CheckResult` and :class:`RuleSpec`
from here.
"""

from __future__ import annotations

from ._engine import RuleRun, run_rule, run_rules, skip_reason
from ._packs import load_packs
from ._policy import Policy, apply_policy, load_policy
from ._spec import AppliesWhen, CheckResult, RuleSpec, RuleTest, load_rule, rule_kinds

__all__ = [
    "AppliesWhen",
    "CheckResult",
    "Policy",
    "RuleRun",
    "RuleSpec",
    "RuleTest",
    "apply_policy",
    "load_packs",
    "load_policy",
    "load_rule",
    "rule_kinds",
    "run_rule",
    "run_rules",
    "skip_reason",
]
