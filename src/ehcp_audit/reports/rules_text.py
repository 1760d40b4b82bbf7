"""Plain-text reports on findings, ratings, rules and settings, for a person at a terminal.

``explain`` writes out the reasoning behind a principle's rating the way a
quality-assurance officer would give it: what each level needs, which rules
passed or did not (with the sentences they rest on and where those are),
and hence the rating. Everything here only formats what the library
computed; nothing is decided here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .._model import Evidence, Finding, PlanAudit
from ..scoring import Assessment, DescriptorCheck, RuleState, assess, describe_confidence
from .text import first_words

if TYPE_CHECKING:
    from .._config import Config
    from ..checks import Policy, RuleSpec
    from ..checks._selftest import CaseResult

_EVIDENCE_SHOWN = 3
_WIDTH = 96


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def evidence_line(evidence: Evidence, words: int = 20) -> str:
    where = evidence.section
    if evidence.location is not None and evidence.location.label:
        where += f", {evidence.location.label}"
    return f'"{first_words(evidence.text, words)}" ({where})'


def _evidence_lines(
    evidence: Sequence[Evidence], indent: str, shown: int = _EVIDENCE_SHOWN
) -> list[str]:
    lines = [indent + evidence_line(e) for e in evidence[:shown]]
    if len(evidence) > shown:
        lines.append(f"{indent}… and {len(evidence) - shown} more (see --format json)")
    return lines


def _rating_words(value: str) -> str:
    return value.replace("_", " ")


# -- explain -------------------------------------------------------------------------------


def _state_lines(states: Iterable[RuleState], indent: str) -> list[str]:
    lines = []
    deeper = indent + "       "
    for state in states:
        finding = state.finding
        if finding is None:
            lines += _wrap(f"[n/a]  {state.rule} {state.note}; it counts as passed", indent)
            continue
        mark = "[pass]" if finding.passed else "[FAIL]"
        lines += _wrap(f"{mark} {finding.rule}: {finding.message}", indent)
        if not finding.passed and finding.suggestion:
            lines += _wrap(f"what to do: {finding.suggestion}", deeper)
        if finding.evidence:
            lines += _evidence_lines(finding.evidence, deeper, 5)
        elif not finding.passed:
            lines.append(f"{deeper}(nothing in the plan shows it)")
    return lines


def _descriptor_lines(check: DescriptorCheck) -> list[str]:
    descriptor = check.descriptor
    if len(descriptor.of) == 1 and descriptor.says == descriptor.of[0]:
        return _state_lines(check.states, "    ")
    verdict = "holds" if check.holds else "does not hold"
    if len(descriptor.of) == 1:
        needs = ""
    elif descriptor.n == 1:
        needs = f"; any one of {len(descriptor.of)} kinds of evidence will do"
    else:
        needs = f"; {descriptor.n} of {len(descriptor.of)} needed"
    lines = _wrap(f"- {descriptor.says}: {verdict}{needs}", "    ")
    return lines + _state_lines(check.states, "      ")


def render_assessment(assessment: Assessment, findings: dict[str, Finding]) -> list[str]:
    spec, rating = assessment.spec, assessment.rating
    lines = [f"Principle {spec.number}: {spec.name}", ""]
    for level in assessment.levels:
        title = _rating_words(level.rating.value).capitalize()
        verdict = "reached" if level.holds else "not reached"
        also = " (on top of everything good needs)" if level.rating.value == "excellent" else ""
        count = len(level.descriptors)
        needs = "this" if count == 1 else f"all {count} of these"
        lines += _wrap(f"{title}{also} needs {needs}: {verdict}.", "  ")
        for check in level.descriptors:
            lines += _descriptor_lines(check)
        lines.append("")
    for line in assessment.held_back:
        lines += _wrap(line[0].upper() + line[1:] + ".", "  ")
    if assessment.reached.value == "excellent":
        why = "both good and excellent are reached"
    elif assessment.reached.value == "good":
        why = "good is reached but excellent is not"
    else:
        why = "good is not reached"
    if assessment.reached is not rating.rating:
        why += ", and a failing rule holds it lower"
    lines += _wrap(
        f"Hence: {_rating_words(rating.rating.value)} (score {rating.score}), because {why}.", "  "
    )
    if rating.confidence is not None:
        lines += _wrap(describe_confidence(rating.confidence).capitalize() + ".", "  ")
    return lines


def render_explain(result: PlanAudit, policy: Policy, numbers: Iterable[int]) -> str:
    """``ehcp-audit explain``: the reasoning behind each chosen principle's rating."""
    scoring = policy.scoring
    header = f"{result.source.path or '<bytes>'}"
    if scoring is None:
        return header + "\nNo scoring policy is installed, so there are no ratings to explain.\n"
    where = scoring.path or "built in"
    lines = [header, f"Scoring policy: {where}", ""]
    findings = {f.rule: f for f in result.findings}
    not_run = dict(result.extras.get("not_run", {}))
    for number in numbers:
        spec = scoring.principle(number)
        if spec is None:
            continue
        lines += render_assessment(assess(spec, findings, not_run), findings)
        lines.append("")
    if result.overall is not None:
        scores = " + ".join(str(p.score) for p in result.principles)
        capped = ""
        first = next((p for p in result.principles if p.number == 1), None)
        if first is not None and first.rating.value == "room_for_improvement":
            cap = _rating_words(scoring.principle_1_cap.value)
            capped = f"; principle 1 is room for improvement, so at most {cap}"
        overall = _rating_words(result.overall.value)
        effective = "yes" if result.effective_coproduction else "no"
        lines += _wrap(
            f"Overall: {overall} (scores {scores} = {result.total_score}{capped}). "
            f"Effective co-production: {effective}.",
            "",
        )
    return "\n".join(lines) + "\n"


# -- rules -----------------------------------------------------------------------------------


def render_rules_list(policy: Policy) -> str:
    """``ehcp-audit rules list``: every rule loaded, whether it runs, and what it says."""
    if not policy.rules:
        return "No rule packs found in: " + ", ".join(str(f) for f in policy.folders) + "\n"
    running = {r.id for r in policy.selected}
    width = max(len(r.id) for r in policy.rules)
    lines = [f"{'rule':<{width}}  {'kind':<16} {'level':<10} {'principles':<10} message"]
    for rule in policy.rules:
        principles = ",".join(str(n) for n in rule.principles) or "-"
        off = "" if rule.id in running else "  [off]"
        lines.append(
            f"{rule.id:<{width}}  {rule.kind:<16} {rule.level.value:<10} {principles:<10} "
            f"{first_words(rule.message, 14)}{off}"
        )
    lines.append("")
    lines.append(
        f"{len(policy.rules)} rules, {len(running)} running. Details: ehcp-audit rules explain RULE"
    )
    return "\n".join(lines) + "\n"


def render_rule(rule: RuleSpec, policy: Policy) -> str:
    """``ehcp-audit rules explain RULE``."""
    from ..checks import rule_kinds

    running = any(r.id == rule.id for r in policy.selected)
    lines = [
        f"{rule.id}  ({rule.kind}, {rule.level.value}{'' if running else ', switched off'})",
        "",
    ]
    lines += _wrap(rule.description, "")
    lines.append("")
    lines += _wrap("Checks: " + rule_kinds()[rule.kind].describe(rule.params), "")
    lines.append("Looks at: " + (", ".join(rule.scope) if rule.scope else "the whole plan"))
    if rule.applies_when is not None:
        lines.append("Applies to: plans for a child " + rule.applies_when.describe())
    lines.append(
        "Principles: " + (", ".join(str(n) for n in rule.principles) or "none (statutory)")
    )
    lines.append(f"Weight: {rule.weight:g}")
    lines += _wrap("When it does not pass: " + rule.message, "")
    if rule.suggestion:
        lines += _wrap("What to do: " + rule.suggestion, "")
    if rule.link:
        lines.append("Reference: " + rule.link)
    if policy.scoring is not None:
        uses = []
        for spec in policy.scoring.principles:
            for name, req in (("good", spec.good), ("excellent", spec.excellent)):
                if rule.id in req.rule_ids:
                    uses.append(f"principle {spec.number} {name}")
        lines.append("Scoring: " + (", ".join(uses) if uses else "not used by the scoring policy"))
    fire = sum(1 for t in rule.tests if t.expect == "fire")
    lines.append(f"Tests: {fire} must fire, {len(rule.tests) - fire} must pass")
    lines.append(f"File: {rule.path}")
    return "\n".join(lines) + "\n"


def render_selftest(results: Sequence[CaseResult]) -> str:
    """``ehcp-audit rules test``: one line per failing case, then a count."""
    lines = []
    failed = [r for r in results if not r.ok]
    for result in failed:
        lines += _wrap(f"FAIL {result.rule} {result.case}: {result.detail}", "")
    rules = len({r.rule for r in results})
    lines.append(
        f"{len(results) - len(failed)} of {len(results)} test case(s) passed, over {rules} rule(s)"
    )
    return "\n".join(lines) + "\n"


def render_config(config: Config, policy: Policy) -> str:
    """``ehcp-audit config show``: which file won and the settings in force."""
    if config.path is None:
        lines = ["Configuration: none found; the built-in defaults are in force"]
    else:
        lines = [f"Configuration: {config.path} (found as: {config.origin})"]
    if config.searched:
        lines.append("Looked in, in order:")
        lines += [f"  {place}" for place in config.searched]
    lines.append("")
    lines.append("select:    " + (", ".join(config.select) or "everything"))
    lines.append("ignore:    " + (", ".join(config.ignore) or "nothing"))
    lines.append(
        "levels:    "
        + (", ".join(f"{k} = {v.value}" for k, v in config.levels) or "as the rules say")
    )
    lines.append("rule_dirs: " + ", ".join(str(f) for f in policy.folders))
    lines.append("lexicon_dirs: " + (", ".join(str(f) for f in config.lexicon_dirs) or "none"))
    scoring = policy.scoring.path if policy.scoring else None
    lines.append(f"scoring:   {scoring or 'none (no scoring policy installed)'}")
    lines.append(
        f"target:    {policy.target:.0%} of plans showing effective co-production"
        + ("" if config.target is not None else " (from the scoring policy)")
    )
    variants = "; ".join(f"{code}: {', '.join(v)}" for code, v in config.sections)
    lines.append("sections:  " + (variants or "no extra heading variants"))
    lines.append(f"rules:     {len(policy.selected)} of {len(policy.rules)} running")
    return "\n".join(lines) + "\n"
