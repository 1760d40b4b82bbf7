"""Batch throughput: plans a second at --jobs 1 and 2, the batch's own overhead, a warm re-run.

    python bench/batch.py [--plans N] [--skip-cli]

For a folder of DOCX plans and one of PDF plans (``--plans`` each, default
100, made in a temporary folder), prints one table:

- **audit()**: plans a second auditing the same files one after another in
  this process (``ehcp_audit.audit`` and the JSON record), the pipeline
  already built: the audit work itself, with no batch around it;
- **executor j1 / j2**: the local executor alone (``make_executor`` over
  ``audit_task`` with ``warm_up`` as initializer, worker start-up included),
  at one and two workers;
- **batch j1 / j2**: ``ehcp-audit batch FOLDER --out OUT --jobs N`` end to
  end, as a user runs it: interpreter start-up, workers, hashing, the SQLite
  store and every output (results.jsonl, CSVs, summary.json, report.html and
  an audit form per plan);
- **overhead**: what ``batch --jobs 1`` costs beyond the audit work, as a
  share of it: ``(batch j1 time - audit() time) / audit() time`` (target
  under 20%); **no forms**: the same for ``batch --jobs 1 --no-forms``
  (the audit forms, a Word file per plan, are the largest output);
- **speed-up**: ``batch j1 time / batch j2 time`` (target at least 1.7x on an
  idle two-core machine).

With ``--slope``, the batch's fixed and per-plan costs apart: ``batch --jobs
1``, ``batch --jobs 2`` and ``audit()`` over ``--plans`` and four times as many
DOCX plans; the difference over the extra plans is the per-plan cost, the
rest is fixed (start-up, the workers' pipelines, the exports' last steps);
then the steady-state speed-up (j1's per-plan cost over j2's) and j1's
per-plan overhead beyond ``audit()``, what a long batch converges to.

Then the warm re-run: both folders together (``2 * --plans`` plans) batched
once, and the same command timed again over the unchanged folders, where
every plan is found in the store (target under 2 s for 200 plans).

DOCX plans are corpus plans with the child's and family's names and a plan
reference varied (``tests/batch_corpus.py``); PDF plans are the corpus PDFs,
each copy made distinct by a trailing comment after ``%%EOF`` (its text the
same; PDF readers ignore the comment). The machine's load average is printed
beside the figures: on a shared machine the parallel figures are low.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from batch_corpus import CORPUS, _names, _variant  # noqa: E402

import ehcp_audit  # noqa: E402
from ehcp_audit.batch import PlanTask, audit_task, warm_up  # noqa: E402
from ehcp_audit.batch._executors import make_executor  # noqa: E402

OVERHEAD_TARGET = 0.20
SPEEDUP_TARGET = 1.7
WARM_TARGET_S = 2.0


def docx_folder(folder: Path, count: int) -> list[Path]:
    """``count`` DOCX plans: the corpus DOCX plans with names and a reference varied."""
    folder.mkdir(parents=True)
    sources = [(source, _names(source)) for source in sorted(CORPUS.glob("p*.docx"))]
    made = []
    for index in range(count):
        source, names = sources[index % len(sources)]
        target = folder / f"plan{index:03d}.docx"
        _variant(source, target, names, index)
        made.append(target)
    return made


def pdf_folder(folder: Path, count: int) -> list[Path]:
    """``count`` PDF plans: the corpus PDFs, each copy distinct by a trailing comment."""
    folder.mkdir(parents=True)
    sources = sorted(CORPUS.glob("p*.pdf"))
    made = []
    for index in range(count):
        data = sources[index % len(sources)].read_bytes()
        target = folder / f"plan{index:03d}.pdf"
        target.write_bytes(data + f"\n% batch bench copy {index}\n".encode())
        made.append(target)
    return made


def in_process(files: list[Path]) -> float:
    """Seconds to audit ``files`` here, one after another, the pipeline already built."""
    ehcp_audit.to_dict(ehcp_audit.audit(files[0]))  # build the pipeline outside the clock
    started = time.perf_counter()
    for path in files:
        ehcp_audit.to_dict(ehcp_audit.audit(path))
    return time.perf_counter() - started


def executor_only(files: list[Path], jobs: int) -> float:
    """Seconds for the local executor alone to audit ``files`` (worker start-up included)."""
    tasks = [PlanTask(path=str(path), file=path.name) for path in files]
    started = time.perf_counter()
    with make_executor(jobs=jobs, initializer=warm_up) as executor:
        results = list(executor.run(audit_task, tasks))
    elapsed = time.perf_counter() - started
    failed = [done for done in results if done.failure]
    if len(results) != len(tasks) or failed:
        raise SystemExit(f"executor run incomplete: {len(results)} results, {len(failed)} failed")
    return elapsed


def batch(folders: list[Path], out: Path, jobs: int, *options: str) -> float:
    """Wall seconds of ``ehcp-audit batch FOLDERS --out OUT --jobs N`` in a fresh interpreter."""
    command = [sys.executable, "-m", "ehcp_audit", "batch", *map(str, folders)]
    command += ["--out", str(out), "--jobs", str(jobs), *options]
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if finished.returncode not in (0, 1):  # 1: below the target share, still a full run
        raise SystemExit(f"batch failed ({finished.returncode}): {finished.stderr[-2000:]}")
    return elapsed


def slope(work: Path, plans: int) -> None:
    """Print the fixed and per-plan costs of ``batch`` at one and two jobs beside ``audit()``'s.

    The per-plan figures are what a long batch converges to: the steady-state
    speed-up of two jobs (j1's per-plan cost over j2's) and the per-plan
    overhead (j1's per-plan cost beyond ``audit()``'s), next to the fixed
    costs (start-up, the workers' pipelines, the exports' last steps).
    """
    small, large = plans, 4 * plans
    folders = {n: docx_folder(work / f"slope-{n}", n)[0].parent for n in (small, large)}
    audit = {n: in_process(sorted(folder.iterdir())) for n, folder in folders.items()}
    runs = {
        jobs: {
            n: batch([folder], work / f"out-slope-{jobs}-{n}", jobs)
            for n, folder in folders.items()
        }
        for jobs in (1, 2)
    }
    per_plan: dict[str, float] = {}
    for name, seconds in (("audit()", audit), ("batch j1", runs[1]), ("batch j2", runs[2])):
        per_plan[name] = (seconds[large] - seconds[small]) / (large - small)
        fixed = seconds[small] - small * per_plan[name]
        print(
            f"{name:9} {small} plans {seconds[small]:6.2f} s, {large} plans "
            f"{seconds[large]:6.2f} s: {per_plan[name] * 1000:5.1f} ms a plan"
            f" + {fixed:5.2f} s fixed"
        )
    steady = per_plan["batch j1"] / per_plan["batch j2"]
    extra = (per_plan["batch j1"] - per_plan["audit()"]) / per_plan["audit()"]
    print(f"steady state: j2 {steady:.2f}x j1 (per-plan costs); j1's per-plan overhead {extra:.0%}")


def load() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=100, help="plans per format (default 100)")
    parser.add_argument("--skip-cli", action="store_true", help="executor figures only")
    parser.add_argument(
        "--slope", action="store_true", help="also batch's fixed and per-plan costs at j1 and j2"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ehcp-batch-bench-"))
    try:
        folders = {
            "DOCX": docx_folder(work / "docx", args.plans),
            "PDF": pdf_folder(work / "pdf", args.plans),
        }
        print(f"{args.plans} plans a format; {os.cpu_count()} cores; load before {load()}")
        header = (
            f"{'format':6} {'audit()':>8} {'exec j1':>8} {'exec j2':>8} {'batch j1':>9} "
            f"{'batch j2':>9} {'overhead':>9} {'no forms':>9} {'speed-up':>9}"
        )
        print(header)
        print("-" * len(header))
        for name, files in folders.items():
            count = len(files)
            audit_s = in_process(files)
            exec1, exec2 = executor_only(files, 1), executor_only(files, 2)
            row = f"{name:6} {count / audit_s:8.1f} {count / exec1:8.1f} {count / exec2:8.1f}"
            if not args.skip_cli:
                folder = files[0].parent
                batch1 = batch([folder], work / f"out-{name}-1", 1)
                batch2 = batch([folder], work / f"out-{name}-2", 2)
                bare = batch([folder], work / f"out-{name}-bare", 1, "--no-forms")
                overhead = (batch1 - audit_s) / audit_s
                row += (
                    f" {count / batch1:9.1f} {count / batch2:9.1f} {overhead:9.0%}"
                    f" {(bare - audit_s) / audit_s:9.0%} {batch1 / batch2:8.2f}x"
                )
            print(row, flush=True)
        print(
            "(plans a second; overhead: batch j1 beyond the audit() time, target under "
            f"{OVERHEAD_TARGET:.0%}; no forms: the same with --no-forms;\n"
            f" speed-up: batch j1 / j2, target {SPEEDUP_TARGET}x)"
        )
        if not args.skip_cli:
            both = [files[0].parent for files in folders.values()]
            out = work / "out-warm"
            cold = batch(both, out, 2)
            warm = batch(both, out, 2)
            total = sum(len(files) for files in folders.values())
            print(
                f"warm re-run over {total} unchanged plans: {warm:.2f} s "
                f"(target under {WARM_TARGET_S:g} s; the cold run took {cold:.1f} s)"
            )
        if args.slope and not args.skip_cli:
            print(f"load before the slope {load()}")
            slope(work, args.plans)
        print(f"load after {load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
