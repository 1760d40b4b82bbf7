"""The accuracy bars the issues set, held from the label files.

Each folder is audited once and compared with its human auditors' labels
through the same evaluation a council runs (``ehcp-audit eval``):

- ``corpus_samples``: the plans the rules were developed on;
- ``corpus_samples/dev1`` and ``dev2``: plans first written by others without
  sight of the code, but developed against since they were first measured
  (rules were tuned on their misses, and one generator sentence was reworded).
  They are development data too: their figures show the rules still fit
  them, not how the tool does on plans nobody here has seen. The honest
  estimates come from the external split and the blind set's one measurement
  (docs/evaluation-split.md).
- ``corpus_samples/dev3`` to ``dev9``: the blind sets, development data since
  each was measured once.

The bars are the same for all folders (one exception, below); they guard
against regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ehcp_audit
from ehcp_audit._evaluation import Evaluation, evaluate_folder

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
FOLDERS = {
    "corpus": CORPUS,
    "dev1": CORPUS / "dev1",
    "dev2": CORPUS / "dev2",
    "dev3": CORPUS / "dev3",
    "dev4": CORPUS / "dev4",
    "dev5": CORPUS / "dev5",
    "dev6": CORPUS / "dev6",
    "dev7": CORPUS / "dev7",
    "dev8": CORPUS / "dev8",
    "dev9": CORPUS / "dev9",
}

MINIMUMS = {
    "section_recall": 1.0,
    "child_voice_recall": 0.9,
    "parent_voice_recall": 0.9,
    "agency_recall": 0.95,
    "vague_provision_recall": 0.9,
    "principle_exact": 0.8,
    "kappa": 0.75,
    "effective_agreement": 0.9,
}
MAXIMUMS = {"voice_trap_fp_rate": 0.1, "false_sections": 0}
#: Per-folder bars where a folder's labels differ in kind. dev3's trap lists hold many
#: short sentences naming the young person ("I am ..."-style lines are voice, the
#: traps beside them are not): a right, short voice cue matches a trap sharing half
#: of it under the label schema's rule, so its trap rate sits higher.
#: dev8's bars (here and below) are floors at its figures when it joined (its one held-out
#: measurement at 6fab915 gave principle exact 41/54, effective 7/9), raised as its misses
#: are fixed: floors against regression, not aims.
OVERRIDES: dict[str, dict[str, float]] = {
    "dev3": {"voice_trap_fp_rate": 0.15},
    "dev8": {"voice_trap_fp_rate": 0.12},
}
#: dev4's section recall: c06 labels a merged "SECTION H ... (H1 AND H2)" as H1 with the
#: opening words "H1: N/A", a line the tool reads as H1's own heading, not its text.
#: dev5's vague-provision recall: its authors list as vague strategies "throughout the day"
#: (which the rules read as an amount: all of it), a pointer "as set out in Section F" and a
#: careers line in a table outside the provision sections. dev6's section recall: e05's
#: labelled openings follow pdftotext's column order, where the tool reads its PDF tables
#: row by row (the sections themselves are found). dev8: its figures when it joined
#: (principle exact 46/54 after the first fixes, effective 7/9, vague-provision recall 42/50,
#: voluntary-sector agency recall 3/4), as above.
MINIMUM_OVERRIDES: dict[str, dict[str, float]] = {
    "dev4": {"section_recall": 0.98},
    "dev5": {"vague_provision_recall": 0.85},
    "dev6": {"section_recall": 0.95},
    "dev8": {
        "principle_exact": 0.85,
        "effective_agreement": 0.777,
        "vague_provision_recall": 0.84,
        "agency_recall.voluntary_community": 0.75,
    },
    #: dev9 (h01-h09), measured once at 932573e (principle exact 42/54, kappa 0.619,
    #: effective 7/9, section recall 102/107, parent-voice recall 76/94); after its misses
    #: were worked on 2026-12-08: exact 51/54, kappa 0.947, effective 9/9, section recall
    #: 104/107, parent-voice recall 82/94. Floors just under those, against regression.
    "dev9": {
        "section_recall": 0.97,
        "parent_voice_recall": 0.87,
    },
}


@pytest.fixture(scope="module", params=sorted(FOLDERS))
def folder(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def evaluation(folder: str) -> Evaluation:
    return evaluate_folder(FOLDERS[folder], ehcp_audit.audit)


def test_every_labelled_plan_was_audited(evaluation: Evaluation) -> None:
    assert evaluation.plans
    assert [p.path.name for p in evaluation.plans if p.error] == []


@pytest.mark.parametrize("name", sorted(MINIMUMS))
def test_minimum(evaluation: Evaluation, folder: str, name: str) -> None:
    bar = MINIMUM_OVERRIDES.get(folder, {}).get(name, MINIMUMS[name])
    assert evaluation.shortfalls({name: bar}, {}) == []


@pytest.mark.parametrize("name", sorted(MAXIMUMS))
def test_maximum(evaluation: Evaluation, folder: str, name: str) -> None:
    bar = OVERRIDES.get(folder, {}).get(name, MAXIMUMS[name])
    assert evaluation.shortfalls({}, {name: bar}) == []


@pytest.mark.parametrize("category", ["education", "health", "social_care", "voluntary_community"])
def test_agency_recall_per_category(evaluation: Evaluation, folder: str, category: str) -> None:
    name = f"agency_recall.{category}"
    bar = MINIMUM_OVERRIDES.get(folder, {}).get(name, 0.95)
    assert evaluation.shortfalls({name: bar}, {}) == []
