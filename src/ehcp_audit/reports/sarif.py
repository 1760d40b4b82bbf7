"""``check --format sarif``: the fixes as a SARIF 2.1.0 log, for review tools and editors.

SARIF (OASIS Static Analysis Results Interchange Format, version 2.1.0)
is what code-review tools read. One run per ``check``; the tool's
``driver.rules`` lists every rule a result refers to, with its description
and suggestion; each result is one fix at one place (as in ``--format
lines``): ``ruleId`` and ``ruleIndex``, ``level`` (``error``, ``warning``,
``note`` for a suggestion, ``none`` for what a draft leaves to do after
consultation), the message in plain words with what to do, and one
location: the plan's ``artifactLocation`` (its path as a relative URI) and,
when a sentence is quoted, a ``region`` whose ``snippet`` is that whole
sentence. Plans have no lines, so the region gives no line numbers; where
in the plan is a ``logicalLocation`` (``Section F``, kind ``section``) and
the ``properties`` ``section`` and ``paragraph`` (counted as in ``lines``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from .._model import PlanAudit
from ._fixes import Located, judged_ratings, located, plan_fixes

if TYPE_CHECKING:
    from ..checks import Policy, RuleSpec

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/ehcp-audit/"
_LEVELS = {"error": "error", "warning": "warning", "suggestion": "note", "todo": "none"}


#: Characters a URI path keeps as they are (RFC 3986 unreserved, the separator, and
#: the drive colon); everything else is percent-encoded from its UTF-8 bytes.
_URI_KEEP = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:")


def _uri(path: str) -> str:
    """A path as a URI reference: forward slashes, anything unsafe percent-encoded.

    Written out here rather than with ``urllib.parse``: the package imports
    no module of the network stack (``tests/test_no_network.py``).
    """
    raw = PurePath(path).as_posix().encode("utf-8")
    return "".join(chr(byte) if byte in _URI_KEEP else f"%{byte:02X}" for byte in raw)


def _rule_entry(rule_id: str, spec: RuleSpec | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": rule_id, "name": rule_id.rsplit(".", 1)[-1]}
    if spec is None:
        return entry
    entry["shortDescription"] = {"text": spec.summary}
    entry["fullDescription"] = {"text": " ".join(spec.description.split())}
    if spec.suggestion:
        entry["help"] = {"text": spec.suggestion}
    entry["defaultConfiguration"] = {"level": _LEVELS.get(spec.level.value, "warning")}
    entry["properties"] = {
        "principles": list(spec.principles),
        "afterConsultation": bool(getattr(spec, "after_consultation", False)),
    }
    if spec.link:
        entry["helpUri"] = spec.link if spec.link.startswith(("http://", "https://")) else None
        if entry["helpUri"] is None:
            del entry["helpUri"]
    return entry


def _result(item: Located, index: int, artifact: int, uri: str) -> dict[str, Any]:
    text = item.message
    if item.level == "todo":
        text = "To do after consultation: " + text
    if item.suggestion:
        text += " What to do: " + item.suggestion
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact}}
    if item.quote is not None:
        physical["region"] = {"snippet": {"text": item.quote.text}}
    location: dict[str, Any] = {"physicalLocation": physical}
    if item.section:
        location["logicalLocations"] = [{"name": f"Section {item.section}", "kind": "section"}]
    properties: dict[str, Any] = {"section": item.section or None, "paragraph": item.paragraph}
    if item.also:
        properties["alsoRules"] = list(item.also)
    if item.quote is not None and item.quote.fragment:
        properties["found"] = item.quote.fragment
    return {
        "ruleId": item.rule,
        "ruleIndex": index,
        "level": _LEVELS.get(item.level, "warning"),
        "message": {"text": text},
        "locations": [location],
        "properties": properties,
    }


def to_sarif(results: Sequence[PlanAudit], policy: Policy | None = None) -> dict[str, Any]:
    """One SARIF log (one run) for the plans ``results``, as a JSON-ready dict."""
    from .json import tool_block

    if policy is None:
        from .._config import load_config
        from ..checks import load_policy

        policy = load_policy(load_config())
    tool = tool_block()
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    artifacts: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for result in results:
        uri = _uri(result.source.path or "<bytes>")
        artifact = len(artifacts)
        artifacts.append(
            {
                "location": {"uri": uri},
                "hashes": {"sha-256": result.source.sha256},
                **({"sourceLanguage": result.source.format.value} if result.source.format else {}),
            }
        )
        fixes = plan_fixes(result, policy, judged_ratings(result, policy))
        for item in located(fixes):
            if item.rule not in rule_index:
                rule_index[item.rule] = len(rules)
                rules.append(_rule_entry(item.rule, policy.rule(item.rule)))
            entries.append(_result(item, rule_index[item.rule], artifact, uri))
    driver = {
        "name": tool["name"],
        "version": tool["version"],
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "artifacts": artifacts, "results": entries}],
    }


def render_sarif(results: Sequence[PlanAudit], policy: Policy | None = None) -> str:
    """:func:`to_sarif` as indented JSON text."""
    return json.dumps(to_sarif(results, policy), indent=2, ensure_ascii=False) + "\n"
