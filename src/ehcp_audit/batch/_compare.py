"""Compare two audit rounds: how the headline share and each principle moved.

A local area audits its plans every quarter and tracks progress between
rounds. ``ehcp-audit compare OLD_OUTDIR NEW_OUTDIR`` reads both output
folders of ``ehcp-audit batch`` (their ``audit.sqlite`` through the store's
read API, or ``results.jsonl`` when only the exports were kept), summarises
each round exactly as ``summary.json`` does (:func:`._summary.summarise`,
with the target each round was run with), and sets them side by side.

Every share is of the *audited unique plans* of a round (duplicates and
plans that could not be audited left out), as in ``summary.json``. The
change in the effective share comes with a 95% interval (Newcombe's hybrid
score interval for a difference of two proportions, built from the two
Wilson intervals): when it includes zero the change could be chance. The
rounds usually share many plans, which makes the two shares move together;
treating them as independent makes this interval wider than it need be,
so it errs on the side of "could be chance".

Plans are matched across rounds by content (the same SHA-256), else by file
name (the path under the folder given to ``batch``, then the bare file name
when it is unique in both rounds), so a plan revised between rounds is
still followed. A plan's "overall" is its rating, or "not audited" when it
was an error in that round.

The dict (:func:`comparison_dict`, ``compare --format json``, and the
``comparison`` argument of the HTML report) has these keys::

    comparison_version  "1.0"
    old, new            one round each:
        label           the OUTDIR's folder name
        outdir          the OUTDIR as given
        finished        ISO date-time (UTC) the round's latest run finished, or null
        files, plans, audited, errors   counts as in summary.json
        target          the round's target share (0.9 by default)
        effective       {"count", "of", "share", "ci95": [lo, hi] | null, "met": bool | null}
        overall         {"requires_improvement": n, "good": n, "outstanding": n}
    effective_change    {"points": new minus old share in percentage points | null,
                         "ci95_points": [lo, hi] | null, "beyond_chance": bool | null,
                         "direction": "up" | "down" | "same" | null, "method": str}
    principles          {"1": {"name", "old": {rating: n}, "new": {rating: n},
                               "good_or_better": {"old": share | null, "new": share | null,
                                                  "points": float | null}}, ... "6"}
                        (ratings: room_for_improvement, good, excellent)
    overall             {"old": {overall: n}, "new": {overall: n}}
    changed             [{"file", "old_file", "old_overall", "new_overall",
                          "direction": "up" | "down" | "other",
                          "matched_by": "content" | "file name"}]   (files of the new round)
    same_overall        number of plans in both rounds with the same overall rating
    only_old, only_new  [file, ...]: plans found in one round only
"""

from __future__ import annotations

import datetime as dt
import json
import math
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from .._errors import OutputError
from ..reports._plain import rating_words
from ..scoring import DEFAULT_TARGET
from ._store import DB_NAME, open_store
from ._summary import OVERALLS, RATINGS, _file, _unique, summarise, wilson_interval

__all__ = [
    "COMPARISON_VERSION",
    "Comparison",
    "PlanChange",
    "Round",
    "compare_outdirs",
    "comparison_dict",
    "render_text",
    "to_json",
]

COMPARISON_VERSION = "1.0"
METHOD = "Newcombe hybrid score interval for a difference, 95%"
NOT_AUDITED = "not audited"
_RANK = {name: i for i, name in enumerate(OVERALLS)}
_WIDTH = 80

Record = Mapping[str, Any]


@frozen
class Round:
    """One audit round: where it came from, its records and its summary.json figures."""

    outdir: str
    label: str
    finished: str | None
    records: tuple[Record, ...]
    summary: Mapping[str, Any]


@frozen
class PlanChange:
    """A plan in both rounds whose overall rating changed."""

    file: str
    old_file: str
    old_overall: str
    new_overall: str
    matched_by: str  # "content" | "file name"

    @property
    def direction(self) -> str:
        old, new = _RANK.get(self.old_overall), _RANK.get(self.new_overall)
        if old is None or new is None:
            return "other"
        return "up" if new > old else "down"


@frozen
class Comparison:
    """Two rounds side by side; see the module docstring for what each figure means."""

    old: Round
    new: Round
    changed: tuple[PlanChange, ...]
    same_overall: int
    only_old: tuple[str, ...]
    only_new: tuple[str, ...]

    @property
    def change_points(self) -> float | None:
        """New minus old effective share, in percentage points."""
        old, new = _effective(self.old)["share"], _effective(self.new)["share"]
        if old is None or new is None:
            return None
        return (new - old) * 100

    @property
    def change_interval(self) -> tuple[float, float] | None:
        """Newcombe's 95% interval for the change, in percentage points."""
        return newcombe_interval(_effective(self.old), _effective(self.new))


# -- reading a round ------------------------------------------------------------------------


def _read_records(outdir: Path) -> tuple[list[dict[str, Any]], str | None]:
    if (outdir / DB_NAME).is_file():
        with open_store(outdir) as store:
            latest = store.latest_run()
            finished = None
            if latest is not None and latest.finished is not None:
                stamp = dt.datetime.fromtimestamp(latest.finished, tz=dt.UTC)
                finished = stamp.isoformat(timespec="seconds")
            return store.records(), finished
    jsonl = outdir / "results.jsonl"
    if jsonl.is_file():
        lines = jsonl.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()], None
    raise OutputError(
        f"{outdir}: neither {DB_NAME} nor results.jsonl here; is this a batch's --out folder?"
    )


def _target(outdir: Path) -> float:
    """The target the round was run with (its summary.json), else the default."""
    try:
        summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
        target = summary.get("target")
    except (OSError, ValueError, AttributeError):
        return DEFAULT_TARGET
    return float(target) if isinstance(target, int | float) else DEFAULT_TARGET


def read_round(outdir: str | Path) -> Round:
    """One OUTDIR's records (latest run) and their summary."""
    path = Path(outdir)
    if not path.is_dir():
        raise OutputError(f"{outdir}: not a folder")
    records, finished = _read_records(path)
    label = path.resolve().name or str(outdir)
    return Round(str(outdir), label, finished, tuple(records), summarise(records, _target(path)))


# -- matching plans ---------------------------------------------------------------------------


# One plan per content (_unique) and a record's file name (_file) come from _summary, so
# plans are counted and named exactly as summary.json counts and names them.


def _sha(record: Record) -> str:
    return str((record.get("source") or {}).get("sha256") or "")


def _overall(record: Record) -> str:
    if "error" in record:
        return NOT_AUDITED
    return str(record.get("overall"))


def _basename(file: str) -> str:
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def _match(
    old: Sequence[Record], new: Sequence[Record]
) -> tuple[list[tuple[Record, Record, str]], list[Record], list[Record]]:
    """Pairs (old, new, how matched), then the old and the new plans left unmatched."""
    pairs: list[tuple[Record, Record, str]] = []
    left_old = list(old)
    left_new: list[Record] = []
    by_sha = {_sha(r): r for r in left_old if _sha(r)}
    for record in new:
        partner = by_sha.pop(_sha(record), None) if _sha(record) else None
        if partner is not None:
            pairs.append((partner, record, "content"))
            left_old.remove(partner)
        else:
            left_new.append(record)
    for key in (_file, lambda r: _basename(_file(r))):
        old_keys = Counter(key(r) for r in left_old)
        new_keys = Counter(key(r) for r in left_new)
        by_key = {key(r): r for r in left_old if old_keys[key(r)] == 1}
        still_new = []
        for record in left_new:
            k = key(record)
            if k and new_keys[k] == 1 and k in by_key:
                partner = by_key.pop(k)
                pairs.append((partner, record, "file name"))
                left_old.remove(partner)
            else:
                still_new.append(record)
        left_new = still_new
    return pairs, left_old, left_new


def compare_outdirs(old: str | Path, new: str | Path) -> Comparison:
    """Compare the latest runs of two ``batch`` output folders (old round first)."""
    before, after = read_round(old), read_round(new)
    pairs, only_old, only_new = _match(_unique(before.records), _unique(after.records))
    changed = []
    same = 0
    for o, n, how in pairs:
        if _overall(o) == _overall(n):
            same += 1
        else:
            changed.append(PlanChange(_file(n), _file(o), _overall(o), _overall(n), how))
    changed.sort(key=lambda c: (c.direction != "down", c.direction != "up", c.file))
    return Comparison(
        before,
        after,
        tuple(changed),
        same,
        tuple(sorted(_file(r) for r in only_old)),
        tuple(sorted(_file(r) for r in only_new)),
    )


# -- figures ----------------------------------------------------------------------------------


def _effective(round_: Round) -> Mapping[str, Any]:
    return round_.summary.get("effective") or {}


def newcombe_interval(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[float, float] | None:
    """95% interval for new minus old share (percentage points), from each round's Wilson interval.

    Newcombe (1998), method 10: it stays sensible at shares near 0 or 100%
    and with a few dozen plans, where the textbook interval does not.
    """
    p1, p2 = old.get("share"), new.get("share")
    ci1 = wilson_interval(int(old.get("count") or 0), int(old.get("of") or 0))
    ci2 = wilson_interval(int(new.get("count") or 0), int(new.get("of") or 0))
    if p1 is None or p2 is None or ci1 is None or ci2 is None:
        return None
    (l1, u1), (l2, u2) = ci1, ci2
    diff = p2 - p1
    lower = diff - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    upper = diff + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return (lower * 100, upper * 100)


def _good_or_better(counts: Mapping[str, Any]) -> float | None:
    total = sum(int(counts.get(r, 0)) for r in RATINGS)
    if not total:
        return None
    return (int(counts.get("good", 0)) + int(counts.get("excellent", 0))) / total


def _principles(comparison: Comparison) -> dict[str, dict[str, Any]]:
    old = comparison.old.summary.get("principles") or {}
    new = comparison.new.summary.get("principles") or {}
    out = {}
    for number in sorted({*old, *new}, key=int):
        before = {r: int((old.get(number) or {}).get(r, 0)) for r in RATINGS}
        after = {r: int((new.get(number) or {}).get(r, 0)) for r in RATINGS}
        share_old, share_new = _good_or_better(before), _good_or_better(after)
        points = None
        if share_old is not None and share_new is not None:
            points = (share_new - share_old) * 100
        name = (new.get(number) or old.get(number) or {}).get("name", "")
        out[number] = {
            "name": name,
            "old": before,
            "new": after,
            "good_or_better": {"old": share_old, "new": share_new, "points": points},
        }
    return out


def _round_dict(round_: Round) -> dict[str, Any]:
    s = round_.summary
    effective = s.get("effective") or {}
    return {
        "label": round_.label,
        "outdir": round_.outdir,
        "finished": round_.finished,
        "files": s.get("files"),
        "plans": s.get("plans"),
        "audited": s.get("audited"),
        "errors": s.get("errors"),
        "target": s.get("target"),
        "effective": {k: effective.get(k) for k in ("count", "of", "share", "ci95", "met")},
        "overall": dict(s.get("overall") or {}),
    }


def _direction(points: float | None) -> str | None:
    if points is None:
        return None
    if round(points, 6) == 0:
        return "same"
    return "up" if points > 0 else "down"


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data (keys in the module docstring)."""
    points = comparison.change_points
    interval = comparison.change_interval
    beyond = None if interval is None else (interval[0] > 0 or interval[1] < 0)
    return {
        "comparison_version": COMPARISON_VERSION,
        "old": _round_dict(comparison.old),
        "new": _round_dict(comparison.new),
        "effective_change": {
            "points": points,
            "ci95_points": None if interval is None else list(interval),
            "beyond_chance": beyond,
            "direction": _direction(points),
            "method": METHOD,
        },
        "principles": _principles(comparison),
        "overall": {
            "old": dict(comparison.old.summary.get("overall") or {}),
            "new": dict(comparison.new.summary.get("overall") or {}),
        },
        "changed": [
            {
                "file": c.file,
                "old_file": c.old_file,
                "old_overall": c.old_overall,
                "new_overall": c.new_overall,
                "direction": c.direction,
                "matched_by": c.matched_by,
            }
            for c in comparison.changed
        ],
        "same_overall": comparison.same_overall,
        "only_old": list(comparison.only_old),
        "only_new": list(comparison.only_new),
    }


def to_json(comparison: Comparison) -> str:
    """:func:`comparison_dict` as indented JSON text (``compare --format json``)."""
    return json.dumps(comparison_dict(comparison), indent=2, ensure_ascii=False) + "\n"


# -- text -----------------------------------------------------------------------------------


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _signed(points: float) -> str:
    return f"{points:+.0f}"


def _overall_words(overall: str) -> str:
    return rating_words(overall).lower()


def _wrap(text: str, indent: str = "  ", later: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=later if later is not None else indent + "  ",
        break_on_hyphens=False,
    ) or [indent]


def _round_lines(name: str, data: Mapping[str, Any]) -> list[str]:
    eff = data["effective"]
    when = f", run finished {data['finished'][:10]}" if data.get("finished") else ""
    head = (
        f"{name}: {data['label']} ({data['files']} files, {data['audited']} plans audited, "
        f"{data['errors']} not audited{when})"
    )
    if eff.get("share") is None:
        share = "no plan was rated"
    else:
        lo, hi = eff["ci95"]
        met = "target met" if eff.get("met") else "target not met"
        share = (
            f"{eff['count']} of {eff['of']} plans ({_pct(eff['share'])}), "
            f"95% interval {_pct(lo)} to {_pct(hi)}: {met}"
        )
    return _wrap(head) + _wrap(share, "    ")


def render_text(comparison: Comparison) -> str:
    """The comparison in plain words for a terminal or an e-mail (fits 80 columns)."""
    d = comparison_dict(comparison)
    old, new, change = d["old"], d["new"], d["effective_change"]
    target = new.get("target") if new.get("target") is not None else old.get("target")
    lines = ["Comparing two audit rounds", ""]
    lines.append(f"Plans showing effective co-production (target {_pct(target)})")
    lines += _round_lines("Before", old) + _round_lines("Now", new)
    if change["points"] is None:
        lines += _wrap("Change: cannot be measured (a round has no rated plan).")
    else:
        lo, hi = change["ci95_points"]
        verdict = (
            "more than chance would explain"
            if change["beyond_chance"]
            else "this could be chance: watch the next rounds before calling it a trend"
        )
        moved = {"up": "up", "down": "down", "same": "no change,"}[change["direction"]]
        amount = "" if change["direction"] == "same" else f" {abs(change['points']):.0f} points"
        lines += _wrap(
            f"Change: {moved}{amount} (95% interval {_signed(lo)} to {_signed(hi)} points); "
            f"{verdict}."
        )
    lines += ["", f"{'Overall rating':<40}{'Before':>10}{'Now':>10}"]
    for overall in reversed(OVERALLS):
        words = rating_words(overall)
        before, now = d["overall"]["old"].get(overall, 0), d["overall"]["new"].get(overall, 0)
        lines.append(f"  {words:<38}{before:>10}{now:>10}")
    lines += ["", "Principles: plans rated " + ", ".join(rating_words(r).lower() for r in RATINGS)]
    lines += _wrap("(before -> now), and the share rated good or better", "  ")
    for number, row in d["principles"].items():
        lines += _wrap(f"{number}. {row['name']}", "  ", "     ")
        counts = ", ".join(f"{row['old'][r]} -> {row['new'][r]}" for r in RATINGS)
        gob = row["good_or_better"]
        moved = "" if gob["points"] is None else f" ({_signed(gob['points'])} points)"
        lines += _wrap(
            f"{counts}; good or better {_pct(gob['old'])} -> {_pct(gob['new'])}{moved}", "     "
        )
    lines.append("")
    if d["changed"]:
        lines.append(f"Plans whose overall rating changed ({len(d['changed'])}):")
        for c in d["changed"]:
            how = " (content changed)" if c["matched_by"] == "file name" else ""
            renamed = f" (was {c['old_file']})" if c["old_file"] != c["file"] else ""
            lines += _wrap(
                f"{c['file']}{renamed}: {_overall_words(c['old_overall'])} -> "
                f"{_overall_words(c['new_overall'])}{how}",
                "  ",
                "      ",
            )
    else:
        lines.append("No plan in both rounds changed its overall rating.")
    lines += _wrap(
        f"{d['same_overall']} plan{'s' * (d['same_overall'] != 1)} in both rounds kept "
        "the same overall rating.",
        "",
        "",
    )
    for key, where in (("only_old", "the earlier round"), ("only_new", "the later round")):
        files = d[key]
        if files:
            lines += _wrap(f"Only in {where} ({len(files)}): " + ", ".join(files), "", "  ")
    return "\n".join(lines) + "\n"
