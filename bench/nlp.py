"""Benchmark: what the NLP cue pipeline costs, per word and per 5,000-word plan.

    python bench/nlp.py [--repeat N] [--model NAME]

Reading and sectionizing are done once, up front, and not timed: only
``extract_cues`` is, over plans that are already sectioned, with a pipeline
that is already built (building it, and compiling the lexicons, happens once
per process and is reported separately). It prints:

- words per second for the default pipeline over every corpus plan;
- milliseconds for one 5,000-word plan, built by joining corpus sections
  until the plan holds at least 5,000 words (target: under 50 ms);
- milliseconds per 5,000 words for each stage, so a slow one is easy to
  find: making the docs (``make_doc``: tokenizing, setting each block's
  context and text), then each component over all the docs, as
  ``extract_cues`` runs them;
- with ``--model NAME`` (or ``EHCP_AUDIT_MODEL``): the same plan with the
  trained pipeline refining voice attribution, the extra cost (the parse is
  run only on the sentences the rules flagged as voice candidates), and how
  many cues the refinement changed. The model must already be installed;
  nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ehcp_audit._errors import EhcpAuditError  # noqa: E402
from ehcp_audit._limits import DEFAULT_LIMITS  # noqa: E402
from ehcp_audit._model import Cue, PlanDetails, Section  # noqa: E402
from ehcp_audit._placeholders import mark_placeholders  # noqa: E402
from ehcp_audit.details import parse_details  # noqa: E402
from ehcp_audit.nlp._model_choice import MODEL_ENV  # noqa: E402
from ehcp_audit.nlp._pipeline import (  # noqa: E402
    BlockRunner,
    block_contexts,
    build_pipeline,
    extract_cues,
)
from ehcp_audit.readers import read_bytes  # noqa: E402
from ehcp_audit.sections import sectionize  # noqa: E402

CORPUS = ROOT / "corpus_samples"
PLAN_WORDS = 5000
TARGET_MS = 50.0
Plan = tuple[tuple[Section, ...], PlanDetails]


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Shortest CPU time of ``repeat`` runs, in seconds.

    CPU time of this process, not wall time, and the best of several runs:
    on a shared machine other work only ever adds to a run, never removes.
    """
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def words_in(sections: tuple[Section, ...]) -> int:
    return sum(len(b.text.split()) for s in sections for b in s.blocks)


def corpus_plans() -> list[Plan]:
    """Every readable corpus plan, read and sectioned (not timed)."""
    plans: list[Plan] = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in {".docx", ".pdf", ".txt", ".md"} or not path.stem.startswith("p"):
            continue
        try:
            document = mark_placeholders(read_bytes(path.read_bytes(), DEFAULT_LIMITS))
        except EhcpAuditError:
            continue
        sectioning = sectionize(document)
        plans.append((sectioning.sections, parse_details(document, sectioning)))
    return plans


def long_plan(plans: list[Plan]) -> Plan:
    """One plan of at least PLAN_WORDS words: corpus sections joined, cycling through the plans."""
    sections: list[Section] = []
    while words_in(tuple(sections)) < PLAN_WORDS:
        for plan_sections, _ in plans:
            sections.extend(plan_sections)
            if words_in(tuple(sections)) >= PLAN_WORDS:
                break
    return tuple(sections), plans[0][1]


def per_component(nlp: object, plan: Plan, repeat: int) -> dict[str, float]:
    """Seconds each stage takes over ``plan`` (best of ``repeat`` passes).

    Stages run as ``extract_cues`` runs them (:class:`BlockRunner`): the
    docs are made (``make_doc``: tokenized, context and text set), then
    each component runs over all of them in turn, the sentencizer only on
    blocks of more than one sentence. Each stage is one timed call over the
    whole plan, in CPU time like the total above.
    """
    sections, details = plan
    state: dict[str, object] = {}
    visits = [
        (b, c) for s in sections for b, c in block_contexts(s, details, state) if b.text.strip()
    ]
    visits.sort(key=lambda pair: pair[0].index)
    blocks = [(b.text, c) for b, c in visits]
    runner = BlockRunner(nlp)  # type: ignore[arg-type]
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        state.clear()
        start = time.process_time()
        docs = runner.make_docs(blocks)
        runs.setdefault("make_doc", []).append(time.process_time() - start)
        for name, component in runner.steps:
            start = time.process_time()
            docs = runner.run_step(component, docs)
            runs.setdefault(name, []).append(time.process_time() - start)
    return {name: min(values) for name, values in runs.items()}


def cue_key(cue: Cue) -> tuple[object, ...]:
    return (
        cue.kind,
        cue.section,
        cue.location.block,
        cue.location.start,
        cue.location.end,
        cue.rule,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--model", default=os.environ.get(MODEL_ENV) or None)
    args = parser.parse_args()

    plans = corpus_plans()
    start = time.perf_counter()
    nlp = build_pipeline(None)
    built = time.perf_counter() - start
    print(f"pipeline: {', '.join(nlp.pipe_names)}")
    print(f"built once in {built * 1000:.0f} ms (lexicons compiled; not counted below)")

    corpus_words = sum(words_in(sections) for sections, _ in plans)
    for sections, details in plans:  # warm up caches (per-plan name patterns)
        extract_cues(sections, details, nlp)
    corpus_time = best_time(lambda: [extract_cues(s, d, nlp) for s, d in plans], args.repeat)
    print(
        f"corpus: {len(plans)} plan files, {corpus_words} words, "
        f"{corpus_words / corpus_time:,.0f} words/s ({corpus_time * 1000:.1f} ms)"
    )

    plan = long_plan(plans)
    words = words_in(plan[0])
    extract_cues(*plan, nlp)
    seconds = best_time(lambda: extract_cues(*plan, nlp), args.repeat)
    ms = seconds * 1000 * PLAN_WORDS / words
    verdict = "ok" if ms < TARGET_MS else "MISSED"
    print(
        f"5,000-word plan ({words} words joined): {ms:.1f} ms per 5,000 words "
        f"(target < {TARGET_MS:g} ms: {verdict})"
    )

    print("per component, ms per 5,000 words:")
    for name, value in per_component(nlp, plan, args.repeat).items():
        print(f"  {name:<16} {value * 1000 * PLAN_WORDS / words:7.2f}")

    if args.model:
        try:
            refined = build_pipeline(args.model)
        except EhcpAuditError as error:
            print(f"model {args.model}: {error}")
            return
        start = time.perf_counter()
        extract_cues(*plan, refined)  # loads the model on first use
        loaded = time.perf_counter() - start
        refined_seconds = best_time(lambda: extract_cues(*plan, refined), args.repeat)
        extra = (refined_seconds - seconds) * 1000 * PLAN_WORDS / words
        print(
            f"model {args.model}: first run {loaded * 1000:.0f} ms (loads the model); "
            f"then {refined_seconds * 1000 * PLAN_WORDS / words:.1f} ms per 5,000 words, "
            f"{extra:+.1f} ms for parsing the voice candidates"
        )
        changed = 0
        total = 0
        for sections, details in plans:
            rules_only = {cue_key(c) for c in extract_cues(sections, details, nlp)}
            parsed = {cue_key(c) for c in extract_cues(sections, details, refined)}
            changed += len(rules_only ^ parsed)
            total += len(rules_only)
        print(f"cues changed by the parse over the corpus: {changed} of {total}")


if __name__ == "__main__":
    main()
