"""Every benchmark in one table: stage costs per plan, start-up, peak memory, PDF scaling.

    python bench/run.py [--repeat N] [--quick]

Prints, in one table:

- **per plan**: milliseconds for each stage of auditing every corpus plan:
  read (bytes to a Document, placeholders marked), sectionise, details,
  NLP (cues and section metrics), rules (the policy in force and scoring)
  and JSON (the report written to a string); best of ``--repeat`` rounds
  (rules: the median, as in ``bench/rules.py``);
- **start-up**: wall time of ``python -m ehcp_audit --help`` against
  ``python -c "import spacy"`` (and an empty interpreter), best of 5;
- **peak memory**: each scale input audited end to end (``audit()`` and the
  JSON report) in a fresh process, which reports its own ``ru_maxrss`` and
  time: a 300-page PDF (corpus PDFs joined), a 50,000-word DOCX (p01's body
  repeated) and, when the limits define them, a text plan at the text
  limits (one block at ``max_block_chars``, the plan at ``max_plan_chars``);
- **PDF scaling**: the PDF reader's milliseconds per page at 25, 100 and
  300 pages (corpus pages joined), and the 300-to-25 ratio against the
  1.2x target: reading must stay linear in the page count.

The inputs are generated here, in memory or in a temporary folder; nothing
is written to the repository. The helpers come from ``extract.py``
(timing, joined PDFs and DOCX), ``nlp.py`` (the corpus plans) and
``rules.py`` (the policy cost), so each figure is measured as those
benchmarks measure it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import extract  # noqa: E402  (puts src/ on the path)

import rules as rules_bench  # noqa: E402
from ehcp_audit import InputError, audit, load_config  # noqa: E402
from ehcp_audit._audit import analyse  # noqa: E402
from ehcp_audit._limits import DEFAULT_LIMITS, MIB  # noqa: E402
from ehcp_audit._placeholders import mark_placeholders  # noqa: E402
from ehcp_audit.checks import apply_policy, load_policy  # noqa: E402
from ehcp_audit.details import parse_details  # noqa: E402
from ehcp_audit.nlp import build_pipeline  # noqa: E402
from ehcp_audit.nlp._metrics import section_metrics  # noqa: E402
from ehcp_audit.nlp._pipeline import extract_cues  # noqa: E402
from ehcp_audit.readers import read_bytes  # noqa: E402
from ehcp_audit.reports.json import to_json  # noqa: E402
from ehcp_audit.sections import sectionize  # noqa: E402

SUFFIXES = {".docx", ".pdf", ".txt", ".md"}
SCALING_PAGES = (25, 100, 300)
SCALING_TARGET = 1.2
MEMORY_TARGET_MIB = 1024
STAGES = ("read", "sectionise", "details", "NLP", "rules", "JSON")


def stage_costs(path: Path, nlp: object, policy: object, repeat: int) -> dict[str, float] | None:
    """Milliseconds per stage for one corpus plan, or None when it is refused."""
    data = path.read_bytes()
    try:
        plan = analyse(path)
    except InputError:
        return None
    document = mark_placeholders(read_bytes(data, DEFAULT_LIMITS))
    sectioning = sectionize(document)
    details = parse_details(document, sectioning)
    result = apply_policy(plan, policy)
    best = extract.best_of(
        {
            "read": lambda: mark_placeholders(read_bytes(data, DEFAULT_LIMITS)),
            "sectionise": lambda: sectionize(document),
            "details": lambda: parse_details(document, sectioning),
            "NLP": lambda: (
                extract_cues(sectioning.sections, details, nlp),
                section_metrics(sectioning.sections, nlp),
            ),
            "JSON": lambda: to_json(result),
        },
        repeat,
    )
    costs = {name: seconds * 1000 for name, seconds in best.items()}
    costs["rules"] = rules_bench.policy_ms(plan, policy, repeat)
    return costs


def startup(repeat: int = 5) -> dict[str, float]:
    """Best wall milliseconds of the CLI's start-up, spaCy's import and an empty interpreter."""
    commands = {
        "python -m ehcp_audit --help": [sys.executable, "-m", "ehcp_audit", "--help"],
        'python -c "import spacy"': [sys.executable, "-c", "import spacy"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    best = {}
    for name, command in commands.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        best[name] = min(times) * 1000
    return best


def at_text_limits() -> bytes | None:
    """A text plan with one block at ``max_block_chars`` and ``max_plan_chars`` in all."""
    limits = DEFAULT_LIMITS
    block = getattr(limits, "max_block_chars", None)
    plan = getattr(limits, "max_plan_chars", None)
    if block is None or plan is None:
        return None
    sources = sorted(extract.CORPUS.glob("p*.md")) + sorted(extract.CORPUS.glob("p*.txt"))
    head = "\n\n".join(extract.decode(p.read_bytes()) for p in sources)
    sentence = "Alex reads with an adult every day and talks about the story. "
    long_block = (sentence * (block // len(sentence) + 1))[: block - 1]
    text = head + "\n\n" + long_block
    paragraph = (sentence * 8).strip()
    fill = []
    size = len(text)
    while size + len(paragraph) + 2 < plan - 1000:
        fill.append(paragraph)
        size += len(paragraph) + 2
    return (text + "\n\n" + "\n\n".join(fill) + "\n").encode("utf-8")


def peak(path: Path) -> dict[str, object]:
    """Audit ``path`` in a fresh process; its peak memory (MiB), seconds and outcome."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--peak-child", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def peak_child(path: str) -> None:
    """The child of :func:`peak`: audit one file, print what it cost."""
    start = time.perf_counter()
    try:
        outcome = f"audited, {len(to_json(audit(path))) // 1024} KiB of JSON"
    except InputError as error:
        outcome = f"{error.code}: {error.message[:60]}"
    print(
        json.dumps(
            {
                "mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "seconds": time.perf_counter() - start,
                "outcome": outcome,
            }
        )
    )


def pdf_scaling(repeat: int) -> dict[int, float]:
    """The PDF reader's milliseconds per page at each of ``SCALING_PAGES``."""
    inputs = {pages: extract.long_pdf(pages)[0] for pages in SCALING_PAGES}
    extract.read_only(inputs[SCALING_PAGES[0]])  # warm up
    best = extract.best_of(
        {str(pages): (lambda data=data: extract.read_only(data)) for pages, data in inputs.items()},
        repeat,
    )
    return {pages: best[str(pages)] * 1000 / pages for pages in SCALING_PAGES}


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.rjust(w) if k else c.ljust(w) for k, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def _section(title: str, rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    print(f"\n{title}")
    print(_row(header, widths))
    for row in rows:
        print(_row(row, widths))


def _scale_inputs() -> dict[str, Callable[[], bytes | None]]:
    return {
        "300-page PDF": lambda: extract.long_pdf(300)[0],
        "50,000-word DOCX": lambda: extract.long_docx(50_000)[0],
        "text plan at the text limits": at_text_limits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one plan per format, repeat 1")
    parser.add_argument("--peak-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak_child:
        peak_child(args.peak_child)
        return
    repeat = 1 if args.quick else args.repeat

    nlp = build_pipeline(None)
    policy = load_policy(load_config())
    paths = sorted(p for p in extract.CORPUS.iterdir() if p.suffix in SUFFIXES)
    if args.quick:
        plans = [p for p in paths if p.stem[:1] == "p" and p.stem[1:].isdigit()]
        paths = [next(p for p in plans if p.suffix == s) for s in (".docx", ".pdf", ".md")]
    rows, totals = [], dict.fromkeys(STAGES, 0.0)
    for path in paths:
        costs = stage_costs(path, nlp, policy, repeat)
        if costs is None:
            continue
        for name in STAGES:
            totals[name] += costs[name]
        rows.append([path.name, *(f"{costs[n]:.1f}" for n in STAGES), f"{sum(costs.values()):.1f}"])
    count = max(len(rows), 1)
    rows.append(["mean", *(f"{totals[n] / count:.1f}" for n in STAGES), ""])
    _section("Per plan (ms)", rows, ["plan", *STAGES, "total"])

    starts = startup()
    spacy_ms = starts['python -c "import spacy"']
    _section(
        "Start-up (ms, best of 5)",
        [[name, f"{ms:.0f}", f"{ms / spacy_ms:.2f}x"] for name, ms in starts.items()],
        ["command", "wall", "vs spaCy"],
    )

    memory_rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, make in _scale_inputs().items():
            data = make()
            if data is None:
                memory_rows.append([name, "-", "-", "-", "no such limits"])
                continue
            path = Path(folder) / name.replace(" ", "_").replace(",", "")
            path.write_bytes(data)
            got = peak(path)
            if "error" in got:
                memory_rows.append([name, f"{len(data) / MIB:.1f}", "-", "-", str(got["error"])])
                continue
            verdict = "ok" if float(got["mib"]) < MEMORY_TARGET_MIB else "MISSED"
            memory_rows.append(
                [
                    name,
                    f"{len(data) / MIB:.1f}",
                    f"{got['mib']:.0f} ({verdict})",
                    f"{got['seconds']:.1f}",
                    str(got["outcome"]),
                ]
            )
    _section(
        f"Peak memory, fresh process (target < {MEMORY_TARGET_MIB} MiB)",
        memory_rows,
        ["input", "MiB on disk", "peak MiB", "seconds", "outcome"],
    )

    per_page = pdf_scaling(repeat)
    ratio = per_page[SCALING_PAGES[-1]] / per_page[SCALING_PAGES[0]]
    verdict = "ok" if ratio <= SCALING_TARGET else "MISSED"
    _section(
        "PDF reader per page (ms)",
        [[f"{pages} pages", f"{ms:.2f}"] for pages, ms in per_page.items()]
        + [
            [
                f"{SCALING_PAGES[-1]} / {SCALING_PAGES[0]}",
                f"{ratio:.2f}x (<= {SCALING_TARGET}x: {verdict})",
            ]
        ],
        ["input", "ms/page"],
    )


if __name__ == "__main__":
    main()
