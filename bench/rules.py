"""Benchmark: what the rules and scoring add to auditing one plan.

    python bench/rules.py [--repeat N] [--config FILE]

Each corpus plan is read, sectionized and run through the NLP stage once
(not timed); then the rules in force and the scoring policy are applied to
it ``N`` times, and the median per plan is printed in milliseconds, then
the mean and the worst plan against the 20 ms budget (every plan must fit).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ehcp_audit import InputError, PlanAudit, load_config  # noqa: E402
from ehcp_audit._audit import analyse  # noqa: E402
from ehcp_audit.checks import Policy, apply_policy, load_policy  # noqa: E402

CORPUS = ROOT / "corpus_samples"
BUDGET_MS = 20.0
SUFFIXES = {".docx", ".pdf", ".txt", ".md"}


def policy_ms(plan: PlanAudit, policy: Policy, repeat: int) -> float:
    """Median milliseconds to apply the rules and scoring to an analysed plan (after a warm-up)."""
    apply_policy(plan, policy)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        apply_policy(plan, policy)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--config", help="settings file (default: discovered)")
    args = parser.parse_args()
    policy = load_policy(load_config(args.config))
    scoring = policy.scoring.path if policy.scoring else "none"
    print(f"{len(policy.selected)} rules, scoring: {scoring}")
    print(f"{'plan':<28} {'cues':>5} {'rules+scoring ms':>17}")
    costs = []
    for path in sorted(p for p in CORPUS.iterdir() if p.suffix in SUFFIXES):
        try:
            plan = analyse(path)
        except InputError:
            continue
        ms = policy_ms(plan, policy, args.repeat)
        costs.append(ms)
        print(f"{path.name:<28} {len(plan.cues):>5} {ms:>17.2f}")
    if not costs:
        return
    mean, worst = statistics.fmean(costs), max(costs)
    verdict = "ok" if worst < BUDGET_MS else "MISSED"
    budget = f"(budget < {BUDGET_MS:g} ms per plan: {verdict})"
    print(f"{'mean / worst':<28} {'':>5} {mean:>8.2f} / {worst:.2f}  {budget}")


if __name__ == "__main__":
    main()
