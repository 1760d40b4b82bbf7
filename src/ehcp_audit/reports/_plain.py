"""Board language from one audit record: ratings, gaps, notes and next steps.

A partnership board reads the batch report, not the rules: nothing here
shows a rule identifier. The words come from the record itself (the
rubric descriptors a rating reached or missed, as the scoring policy
``says`` them, and the findings' messages and suggestions), so a council's
own policy and rules are phrased in its own words.

A record is the dict ``ehcp-audit check --format json`` prints
(``ehcp_audit.to_dict``). Which rule backs which descriptor is read from
each principle's ``reasons`` (the lines :func:`ehcp_audit.scoring.assess`
writes), so this module needs no scoring policy of its own.

Why a gap ranks where it does: a failed check weighs by its level (error,
warning, suggestion) plus, for each principle it holds back, more when it
keeps that principle from Good than from Excellent. Checks that say the
same thing (a statutory and a co-production rule on the same descriptor,
or the same advice) are merged into one gap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

__all__ = [
    "clean_message",
    "error_words",
    "is_error",
    "next_steps",
    "plan_gaps",
    "principle_notes",
    "quote",
    "rating_words",
    "uncertainty_notes",
    "uncertainty_words",
]

Record = Mapping[str, Any]

_RATINGS = {
    "room_for_improvement": "Room for improvement",
    "good": "Good",
    "excellent": "Excellent",
    "requires_improvement": "Requires improvement",
    "outstanding": "Outstanding",
}
_LEVEL_WEIGHT = {"error": 3, "warning": 2, "suggestion": 1}
# Holding a principle back from Good matters more than from Excellent.
_HOLD_WEIGHT = {"good": 3, "excellent": 1}
_QUOTE_CHARS = 160

# The measurement a rule adds after its message ("(0 found; at least 1
# expected)", "(measured 10%; minimum 90%)"): useful to an auditor, noise to a board.
_TECHNICAL_TAIL = re.compile(
    r"\s*\((?:[^()]*(?:expected|measured|minimum|maximum|nothing to measure|values?|\d+ found|"
    r"sentence\(s\)|terms:|views found|missing:|not filled in:)[^()]*|[^()]*\([^()]*\)[^()]*)\)\s*$"
)
_RULE_LINE = re.compile(r"^ {4}(\S+) (passed|did not pass|did not apply.*|was not run.*)$")
_DESCRIPTOR_LINE = re.compile(r"^ {2}(\S.*): (holds|does not hold) \(\d+ of (\d+) passed")
_LEVEL_LINE = re.compile(r"^(good|excellent): (reached|not reached);")


def rating_words(value: str | None) -> str:
    """A principle or overall rating as a board reads it ("Room for improvement")."""
    if value is None:
        return "Not rated"
    return _RATINGS.get(value, value.replace("_", " ").capitalize())


def is_error(record: Record) -> bool:
    """True for a plan that could not be audited (the error dict)."""
    return "error" in record


def error_words(record: Record) -> str:
    """Why a plan could not be audited, as the tool said it (already plain words)."""
    error = record.get("error") or {}
    message = str(error.get("message") or "it could not be audited")
    return message[:1].upper() + message[1:]


def clean_message(message: str) -> str:
    """A finding's message without the measurement tail the rule appends."""
    text = message.strip()
    while True:
        trimmed = _TECHNICAL_TAIL.sub("", text)
        if trimmed == text:
            break
        text = trimmed
    if text and text[-1] not in ".!?":
        text += "."
    return text


def quote(text: str, limit: int = _QUOTE_CHARS) -> str:
    """A short excerpt: whitespace collapsed, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# -- what the reasons say ------------------------------------------------------------------


@frozen
class _Descriptor:
    level: str  # "good" or "excellent"
    says: str  # the rubric's words, or a rule identifier when the policy used the shorthand
    holds: bool
    rules: tuple[str, ...]


def _descriptors(principle: Mapping[str, Any]) -> list[_Descriptor]:
    """The descriptors of one rated principle, read back from its reasons."""
    found: list[_Descriptor] = []
    level = ""
    says: str | None = None
    holds = False
    expected = 0
    rules: list[str] = []
    for line in principle.get("reasons") or ():
        if m := _LEVEL_LINE.match(line):
            level, says = m.group(1), None
        elif m := _DESCRIPTOR_LINE.match(line):
            says, holds, expected, rules = m.group(1), m.group(2) == "holds", int(m.group(3)), []
        elif m := _RULE_LINE.match(line):
            if says is None:
                # Shorthand: a lone rule is its own descriptor (no descriptor line).
                held = m.group(2) != "did not pass"
                found.append(_Descriptor(level, m.group(1), held, (m.group(1),)))
                continue
            rules.append(m.group(1))
            if len(rules) == expected:
                found.append(_Descriptor(level, says, holds, tuple(rules)))
                says = None
        else:
            says = None
    return found


def _findings(record: Record) -> dict[str, Mapping[str, Any]]:
    return {f["rule"]: f for f in record.get("findings") or ()}


def _principles(record: Record) -> dict[int, Mapping[str, Any]]:
    return {int(p["number"]): p for p in record.get("principles") or ()}


def _descriptor_words(descriptor: _Descriptor, findings: Mapping[str, Mapping[str, Any]]) -> str:
    """The descriptor in words; a shorthand descriptor borrows its rule's message."""
    if descriptor.says in findings or ("." in descriptor.says and " " not in descriptor.says):
        finding = findings.get(descriptor.says)
        if finding is None:
            return "a further check"
        return clean_message(str(finding["message"])).rstrip(".")
    return descriptor.says


def _held_back(record: Record) -> dict[str, list[tuple[int, str, str, int]]]:
    """Rule -> (principle, level it blocks, descriptor, alternatives) per missing descriptor.

    ``alternatives`` is how many rules could each make the descriptor hold:
    the weight of holding a principle back is shared among them.
    """
    held: dict[str, list[tuple[int, str, str, int]]] = {}
    for number, principle in _principles(record).items():
        confidence = principle.get("confidence") or {}
        next_level = confidence.get("next_level")
        if next_level is None:
            continue
        for descriptor in _descriptors(principle):
            if descriptor.level != next_level or descriptor.holds:
                continue
            for rule in descriptor.rules:
                held.setdefault(rule, []).append(
                    (number, next_level, descriptor.says, len(descriptor.rules))
                )
    return held


@frozen
class _Check:
    """One failed check: how much it matters and what it says."""

    weight: float
    message: str
    suggestion: str


@frozen
class _Gap:
    """Failed checks that say the same thing, heaviest first."""

    checks: tuple[_Check, ...]

    @property
    def weight(self) -> float:
        return self.checks[0].weight

    @property
    def message(self) -> str:
        return self.checks[0].message

    @property
    def suggestions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.suggestion for c in self.checks if c.suggestion))


def _gaps(record: Record) -> list[_Gap]:
    """Failed checks, merged when they say the same thing, most important first.

    Two checks are one gap when they back the same missing descriptor or give
    the same advice. A batch asks for one plan's gaps five times (its CSV row,
    its form twice, the board report twice), so the last few plans' gaps are
    kept, keyed by the identity of the findings and principles lists they
    come from (held, so an identity is never reused while kept).
    """
    findings, principles = record.get("findings"), record.get("principles")
    key = (id(findings), id(principles))
    kept = _RECENT_GAPS.get(key)
    if kept is not None and kept[0] is findings and kept[1] is principles:
        return kept[2]
    gaps = _merged_gaps(record)
    _RECENT_GAPS[key] = (findings, principles, gaps)
    while len(_RECENT_GAPS) > _RECENT_GAPS_KEPT:
        _RECENT_GAPS.pop(next(iter(_RECENT_GAPS)))
    return gaps


_RECENT_GAPS: dict[tuple[int, int], tuple[Any, Any, list[_Gap]]] = {}
_RECENT_GAPS_KEPT = 8


def _merged_gaps(record: Record) -> list[_Gap]:
    held = _held_back(record)
    groups: list[tuple[set[str], list[_Check]]] = []
    for finding in record.get("findings") or ():
        if finding.get("passed"):
            continue
        blocks = held.get(str(finding["rule"]), [])
        weight = float(_LEVEL_WEIGHT.get(str(finding.get("level")), 1))
        weight += sum(_HOLD_WEIGHT.get(level, 1) / alts for _, level, _, alts in blocks)
        check = _Check(
            weight, clean_message(str(finding["message"])), str(finding.get("suggestion") or "")
        )
        keys = {f"{n}:{says}" for n, _, says, _ in blocks}
        keys |= {f"do:{check.suggestion}"} if check.suggestion else {f"say:{check.message}"}
        group = next((g for g in groups if g[0] & keys), None)
        if group is None:
            groups.append((keys, [check]))
        else:
            group[0].update(keys)
            group[1].append(check)
    gaps = [_Gap(tuple(sorted(checks, key=lambda c: -c.weight))) for _, checks in groups]
    return sorted(gaps, key=lambda g: -g.weight)  # stable: report order breaks ties


def plan_gaps(record: Record, limit: int = 3) -> list[str]:
    """The plan's main gaps in plain words, most important first (at most ``limit``)."""
    if is_error(record):
        return [f"Could not be audited: {error_words(record)}"]
    seen: set[str] = set()
    out: list[str] = []
    for gap in _gaps(record):
        if gap.message in seen:
            continue
        seen.add(gap.message)
        out.append(gap.message)
        if len(out) >= limit:
            break
    return out


def next_steps(record: Record, limit: int | None = None) -> list[str]:
    """What to do next: the failed checks' suggestions, most important first, no repeats."""
    if is_error(record):
        return [error_words(record)]
    seen: set[str] = set()
    out: list[str] = []
    for suggestion in (s for gap in _gaps(record) for s in gap.suggestions):
        if suggestion not in seen:
            seen.add(suggestion)
            out.append(suggestion)
    return out if limit is None else out[:limit]


def _joined(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _looks_like_sentence(text: str) -> bool:
    """A quotable sentence, not a heading, a template prompt or a single term."""
    flat = text.strip()
    return (
        len(flat.split()) >= 5
        and not flat.startswith(("{{", "["))
        and flat.rstrip("\"”’')").endswith((".", "!", "?"))
    )


def _example(rules: Sequence[str], findings: Mapping[str, Mapping[str, Any]]) -> str | None:
    for rule in rules:
        finding = findings.get(rule)
        for item in (finding or {}).get("evidence") or ():
            text = str(item.get("text", ""))
            if _looks_like_sentence(text):
                return text
    return None


def principle_notes(record: Record, number: int, *, with_rating: bool = True) -> str:
    """What the evidence shows for one principle and what is missing, in plain words.

    Quotes at most one short excerpt: from a check the rating rests on, or,
    when none can be quoted, from a check that keeps it from the next level.
    """
    if is_error(record):
        return "Not rated: " + error_words(record)
    principle = _principles(record).get(number)
    if principle is None:
        return "Not rated."
    findings = _findings(record)
    descriptors = _descriptors(principle)
    rating = str(principle.get("rating"))
    # What holds at the levels reached; below Good, what already holds towards it.
    reached = {
        "room_for_improvement": ("good",),
        "good": ("good",),
        "excellent": ("good", "excellent"),
    }
    shown = [d for d in descriptors if d.holds and d.level in reached.get(rating, ())]
    confidence = principle.get("confidence") or {}
    parts = [f"{rating_words(rating)}."] if with_rating else []
    if shown:
        opening = "It does show " if rating == "room_for_improvement" else "The plan shows "
        parts.append(opening + _joined([_descriptor_words(d, findings) for d in shown]) + ".")
    missing = list(confidence.get("missing") or ())
    next_level = confidence.get("next_level")
    if missing and next_level:
        words = [_descriptor_words(_Descriptor("", m, False, ()), findings) for m in missing]
        parts.append(f"For {rating_words(next_level)} it still needs: {_joined(words)}.")
    supporting = [r for d in shown for r in d.rules if findings.get(r, {}).get("passed")]
    blocking = [d for d in descriptors if not d.holds and d.level == next_level]
    failing = [
        r for d in blocking for r in d.rules if r in findings and not findings[r].get("passed")
    ]
    example = _example(supporting, findings)
    if example is not None:
        parts.append(f"For example: “{quote(example)}”")
    elif (problem := _example(failing, findings)) is not None:
        parts.append(f"Where it falls short, the plan says: “{quote(problem)}”")
    return " ".join(parts)


def uncertainty_notes(record: Record) -> list[str]:
    """Why each low-confidence rating is uncertain, one note a principle (plain words)."""
    notes: list[str] = []
    for number, principle in sorted(_principles(record).items()):
        confidence = principle.get("confidence") or {}
        if confidence.get("level") != "low":
            continue
        fragile = list(confidence.get("fragile") or ())
        missing = list(confidence.get("missing") or ())
        if fragile:
            said = _joined([f"‘{f}’" for f in fragile])
            notes.append(f"Principle {number} rests on one quoted sentence for {said}.")
        elif confidence.get("short_by") == 1 and missing:
            level = rating_words(confidence.get("next_level"))
            notes.append(f"Principle {number} is one step from {level}: it lacks ‘{missing[0]}’.")
        else:
            notes.append(f"Principle {number} is borderline.")
    return notes


def uncertainty_words(record: Record) -> str:
    """Why a plan's ratings are uncertain, for checking by hand, as one paragraph."""
    return " ".join(uncertainty_notes(record)) or "No rating is borderline."
