"""What a case worker waits for: ``ehcp-audit check`` on a 15-page plan, against spaCy's start-up.

    python bench/cli.py [--pairs N] [--plan PATH]

Runs, ``--pairs`` times (default 15), two commands one right after the
other, in alternating order, and prints each one's median wall time and the
median of the per-pair ratios:

- **spaCy floor**: ``python -c "import spacy; spacy.blank('en')"``, the
  least any tool built on spaCy's English pipeline can cost;
- **check**: ``python -m ehcp_audit check PLAN`` (default
  ``corpus_samples/p01.docx``, the corpus's 15-page plan), writing the text
  report to a pipe, as a terminal session does.

Target (issue 10): check at most 1.3x the floor. Pairing the runs and
taking the median of the ratios keeps a busy moment on a shared machine
from counting against one side only.

Both run as installed: with Python's bytecode files (pip writes them at
install; ``PYTHONDONTWRITEBYTECODE`` is dropped for the runs so an editable
checkout has them too) and with the compiled-pattern cache warm (one
``check`` is run first; ``EHCP_AUDIT_CACHE_DIR`` points at a temporary
folder, so the user's own cache is not touched). The cold first run, which
fills the cache, is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = [sys.executable, "-c", "import spacy; spacy.blank('en')"]
TARGET = 1.3


def _wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: the plan rates below --fail-under (not used here)
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15, help="paired runs (default 15)")
    parser.add_argument(
        "--plan", type=Path, default=ROOT / "corpus_samples" / "p01.docx", help="the plan"
    )
    args = parser.parse_args()
    check = [sys.executable, "-m", "ehcp_audit", "check", str(args.plan)]
    with tempfile.TemporaryDirectory(prefix="ehcp-bench-cli-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["EHCP_AUDIT_CACHE_DIR"] = cache
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])
        )
        _wall(FLOOR, env)  # bytecode written, files in the page cache
        cold = _wall(check, env)  # fills the pattern cache
        _wall(check, env)
        floors: list[float] = []
        checks: list[float] = []
        for pair in range(args.pairs):
            order = [(FLOOR, floors), (check, checks)]
            for command, times in order if pair % 2 == 0 else order[::-1]:
                times.append(_wall(command, env))
    ratios = [c / f for c, f in zip(checks, floors, strict=True)]
    ratio = statistics.median(ratios)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"plan: {args.plan.relative_to(ROOT) if args.plan.is_relative_to(ROOT) else args.plan}")
    print(f"pairs: {args.pairs}   load average before: {load:.2f}")
    print(f"{'spaCy floor':<28}{statistics.median(floors) * 1000:8.0f} ms (median)")
    print(f"{'check (pattern cache warm)':<28}{statistics.median(checks) * 1000:8.0f} ms (median)")
    print(f"{'check (first run, cold)':<28}{cold * 1000:8.0f} ms")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"ratio check / floor: {ratio:.2f}x (median of pairs; target <= {TARGET}x: {verdict})")


if __name__ == "__main__":
    main()
