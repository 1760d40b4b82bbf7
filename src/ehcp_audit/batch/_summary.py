"""The batch summary (``summary.json``): the figures a partnership board asks for.

Every share here is of the *audited unique plans*: a file whose content
was already seen under another name (``batch.duplicate_of``) counts once,
and a plan that could not be audited (an error record) is counted under
``errors`` and ``errors_by_code`` but not in any share. ``files`` counts
every file found, ``plans`` the distinct contents among them.

The headline is the share of plans showing effective co-production
against the target (York's 90%), with a Wilson score 95% interval: with
forty plans a quarter, 36 of 40 (90%) is compatible with a true rate from
about 77% to 96%, and the board should see that before reading a
quarter-on-quarter change as progress. ``met`` compares the observed share
with the target, as :func:`ehcp_audit.scoring.batch_share` does.

Two figures read the plan's evidence rather than its ratings:

- ``child_voice``: the child's own views are recorded in Section A. This is
  the finding of the rule that decides it for principle 1 (the child's views
  recorded, first person or reported speech), so it agrees with the ratings;
  when a configuration switched that rule off, a child-voice cue in Section A
  counts instead.
- ``three_agencies``: advice or input from education, health *and* social
  care: the finding of the rule that counts the three agency categories;
  when it did not run, the plan's agency cues must cover all three.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .._resources import rules_dir
from ..reports._plain import uncertainty_words
from ..reports.json import tool_block
from ..scoring import DEFAULT_TARGET, load_scoring

__all__ = ["SUMMARY_VERSION", "summarise", "wilson_interval"]

SUMMARY_VERSION = "1.0"
METHOD = "Wilson score interval, 95%"
_Z95 = 1.959963984540054
RATINGS = ("room_for_improvement", "good", "excellent")
OVERALLS = ("requires_improvement", "good", "outstanding")
SECTIONS = tuple("ABCDEFGHIJK")
_PARTS = {"H1": "H", "H2": "H"}
AGENCIES = frozenset({"education", "health", "social_care"})
CHILD_VOICE_RULE = "coproduction.ChildViewsRecorded"
THREE_AGENCIES_RULE = "coproduction.AllThreeAgencyCategories"
LEAST_CERTAIN = 10

Record = Mapping[str, Any]


def wilson_interval(count: int, of: int, z: float = _Z95) -> tuple[float, float] | None:
    """The Wilson score interval for count/of (None when there is nothing to measure).

    Chosen over the normal approximation because it stays inside [0, 1] and
    behaves at the shares a board cares about (near 90%, or 0 or 100% of a
    small quarter's plans).
    """
    if of <= 0:
        return None
    p = count / of
    z2 = z * z
    centre = p + z2 / (2 * of)
    spread = z * math.sqrt(p * (1 - p) / of + z2 / (4 * of * of))
    denominator = 1 + z2 / of
    return (max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator))


def _unique(records: Sequence[Record]) -> list[Record]:
    """One record per distinct content: duplicates (same content, another name) dropped."""
    seen: set[str] = set()
    out: list[Record] = []
    for record in records:
        if (record.get("batch") or {}).get("duplicate_of"):
            continue
        sha = str((record.get("source") or {}).get("sha256") or "")
        if sha and sha in seen:
            continue
        if sha:
            seen.add(sha)
        out.append(record)
    return out


def _finding(record: Record, rule: str) -> Mapping[str, Any] | None:
    return next((f for f in record.get("findings") or () if f.get("rule") == rule), None)


def has_child_voice(record: Record) -> bool:
    """The child's own views are recorded in Section A (see the module docstring)."""
    finding = _finding(record, CHILD_VOICE_RULE)
    if finding is not None:
        return bool(finding.get("passed"))
    return any(
        c.get("kind") == "child_voice" and c.get("section") == "A" for c in record.get("cues") or ()
    )


def has_three_agencies(record: Record) -> bool:
    """Advice or input from education, health and social care (see the module docstring)."""
    finding = _finding(record, THREE_AGENCIES_RULE)
    if finding is not None:
        return bool(finding.get("passed"))
    seen = {c.get("category") for c in record.get("cues") or () if c.get("kind") == "agency"}
    return seen >= AGENCIES


def _share(count: int, of: int) -> float | None:
    return count / of if of else None


def _principle_names(audited: Sequence[Record]) -> dict[int, str]:
    names: dict[int, str] = {}
    for record in audited:
        for principle in record.get("principles") or ():
            names.setdefault(int(principle["number"]), str(principle.get("name", "")))
    if len(names) < 6:
        policy = load_scoring(rules_dir() / "scoring.toml")
        for spec in policy.principles:
            names.setdefault(spec.number, spec.name)
    return names


def _principles(audited: Sequence[Record]) -> dict[str, dict[str, Any]]:
    names = _principle_names(audited)
    counts: dict[int, Counter[str]] = {n: Counter() for n in sorted(names)}
    for record in audited:
        for principle in record.get("principles") or ():
            counts.setdefault(int(principle["number"]), Counter())[str(principle["rating"])] += 1
    return {
        str(n): {"name": names.get(n, ""), **{r: counts[n][r] for r in RATINGS}}
        for n in sorted(counts)
    }


def _sections(audited: Sequence[Record]) -> dict[str, dict[str, Any]]:
    """Per statutory section A-K: plans where it was found, and where it was filled in.

    Section H comes in two parts (H1, H2): it counts as present when either
    part is found and as filled when either part holds more than a prompt.
    """
    present: Counter[str] = Counter()
    filled: Counter[str] = Counter()
    for record in audited:
        found: set[str] = set()
        full: set[str] = set()
        for section in record.get("sections") or ():
            code = _PARTS.get(str(section.get("code", "")), str(section.get("code", "")))
            if code not in SECTIONS:
                continue
            found.add(code)
            if section.get("filled"):
                full.add(code)
        present.update(found)
        filled.update(full)
    n = len(audited)
    return {
        code: {
            "present": present[code],
            "filled": filled[code],
            "share_filled": _share(filled[code], n),
        }
        for code in SECTIONS
    }


def _file(record: Record) -> str:
    batch = record.get("batch") or {}
    return str(batch.get("file") or (record.get("source") or {}).get("path") or "")


def _least_certain(audited: Sequence[Record]) -> list[dict[str, Any]]:
    """Plans whose ratings would most easily change, for checking by hand.

    Ranked by how many principles are rated with low confidence, then by how
    close the total score is to the line between requires improvement and
    good (where one check decides whether the plan counts towards the target),
    then by medium-confidence principles.
    """
    ranked: list[tuple[tuple[int, int, int, str], dict[str, Any]]] = []
    for record in audited:
        levels = {
            int(p["number"]): (p.get("confidence") or {}).get("level")
            for p in record.get("principles") or ()
        }
        low = sorted(n for n, level in levels.items() if level == "low")
        if not low:
            continue
        medium = sum(1 for level in levels.values() if level == "medium")
        total = record.get("total_score")
        # The default bands' line between requires improvement (to 10) and good (from 11).
        near_line = int(isinstance(total, int) and total in (10, 11))
        file = _file(record)
        entry: dict[str, Any] = {
            "file": file,
            "sha256": str((record.get("source") or {}).get("sha256") or ""),
            "overall": str(record.get("overall")),
            "low_confidence": low,
            "why": uncertainty_words(record),
        }
        ranked.append(((-len(low), -near_line, -medium, file), entry))
    ranked.sort(key=lambda item: item[0])
    return [entry for _, entry in ranked[:LEAST_CERTAIN]]


def summarise(records: Sequence[Record], target: float = DEFAULT_TARGET) -> dict[str, Any]:
    """The ``summary.json`` content for a batch's records (shares of audited unique plans).

    ``records`` are ``check --format json`` dicts or error dicts, each with
    the batch's ``batch`` key where there is one. A plan without a rating
    (no scoring policy) is audited but left out of the effective share.
    """
    unique = _unique(records)
    audited = [r for r in unique if "error" not in r]
    errors = [r for r in unique if "error" in r]
    rated = [r for r in audited if r.get("effective_coproduction") is not None]
    effective = sum(1 for r in rated if r.get("effective_coproduction"))
    share = _share(effective, len(rated))
    interval = wilson_interval(effective, len(rated))
    overall = Counter(str(r.get("overall")) for r in audited)
    voice = sum(1 for r in audited if has_child_voice(r))
    agencies = sum(1 for r in audited if has_three_agencies(r))
    codes = Counter(str((r.get("error") or {}).get("code", "unknown")) for r in errors)
    return {
        "summary_version": SUMMARY_VERSION,
        "tool": tool_block(),
        "target": target,
        "files": len(records),
        "plans": len(unique),
        "audited": len(audited),
        "errors": len(errors),
        "effective": {
            "count": effective,
            "of": len(rated),
            "share": share,
            "ci95": list(interval) if interval is not None else None,
            "target": target,
            "met": None if share is None else share >= target,
            "method": METHOD,
        },
        "principles": _principles(audited),
        "overall": {o: overall[o] for o in OVERALLS},
        "sections": _sections(audited),
        "child_voice": {"count": voice, "share": _share(voice, len(audited))},
        "three_agencies": {"count": agencies, "share": _share(agencies, len(audited))},
        "errors_by_code": dict(sorted(codes.items())),
        "least_certain": _least_certain(audited),
    }
