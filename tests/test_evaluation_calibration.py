"""Calibration against human ratings: agreement, quadratic-weighted kappa, confusion matrices."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from plan_factory import make_plan

from ehcp_audit._evaluation import (
    Evaluation,
    confusion_matrix,
    evaluate_plan,
    quadratic_weighted_kappa,
)
from ehcp_audit._model import Overall, PrincipleRating, Rating, evolve
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "rules_fixtures"


def test_kappa_matches_a_hand_computed_example() -> None:
    """Labels 0,0,1,1,2,2 against tool 0,1,1,1,2,0 (0 = room for improvement ... 2 = excellent).

    Observed counts (rows label, columns tool): [[1,1,0],[0,2,0],[1,0,1]]; rows 2,2,2;
    columns 2,3,1; n = 6. Weights (i-j)^2/4. Weighted observed disagreement:
    0.25*1 (0->1) + 1*1 (2->0) = 1.25. Expected counts row_i*col_j/6 = [2/3, 1, 1/3] in
    every row; weighted: row 0: 0.25*1 + 1*(1/3) = 7/12; row 1: 0.25*(2/3) + 0.25*(1/3) = 1/4;
    row 2: 1*(2/3) + 0.25*1 = 11/12; total 7/4. Kappa = 1 - 1.25 / 1.75 = 2/7.
    """
    pairs = list(zip([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], strict=True))
    assert quadratic_weighted_kappa(pairs) == pytest.approx(2 / 7)


def test_kappa_edge_cases() -> None:
    assert quadratic_weighted_kappa([(0, 0), (1, 1), (2, 2)]) == pytest.approx(1.0)
    assert quadratic_weighted_kappa([(0, 2), (2, 0)]) == pytest.approx(-1.0)
    assert quadratic_weighted_kappa([(1, 1), (1, 1)]) is None  # one shared category: undefined
    assert quadratic_weighted_kappa([]) is None


def test_confusion_matrix_rows_are_labels() -> None:
    matrix = confusion_matrix(
        [("good", "good"), ("good", "excellent"), ("excellent", "good"), ("good", None)]
    )
    assert matrix == [[0, 0, 0], [0, 1, 1], [0, 1, 0]]


def _rated(ratings: list[str], overall: str, effective: bool):
    principles = tuple(
        PrincipleRating(
            n, f"P{n}", Rating(r), ("room_for_improvement", "good", "excellent").index(r) + 1
        )
        for n, r in enumerate(ratings, start=1)
    )
    return evolve(
        make_plan({"A": ["x"]}),
        principles=principles,
        overall=Overall(overall),
        total_score=sum(p.score for p in principles),
        effective_coproduction=effective,
    )


LABELS = {
    "principles": {
        "1": "excellent",
        "2": "good",
        "3": "good",
        "4": "room_for_improvement",
        "5": "good",
        "6": "good",
    },
    "overall": "good",
    "effective": True,
}


def test_evaluate_plan_agreement_figures() -> None:
    tool = ["excellent", "good", "excellent", "excellent", "good", "room_for_improvement"]
    plan = evaluate_plan(_rated(tool, "good", True), LABELS, Path("p.md"))
    assert plan.figures["principle_exact"].hits == 3 and plan.figures["principle_exact"].total == 6
    assert plan.figures["principle_within_one"].hits == 5  # principle 4: rfi vs excellent
    assert (
        plan.figures["principle_exact.3"].hits == 0
        and plan.figures["principle_within_one.3"].hits == 1
    )
    assert plan.figures["overall_agreement"].hits == 1
    assert plan.figures["effective_agreement"].hits == 1
    assert "principle 4: labelled room_for_improvement, tool excellent" in plan.misses["ratings"]
    unrated = evaluate_plan(make_plan({"A": ["x"]}), LABELS, Path("q.md"))
    assert unrated.figures["principle_exact"].hits == 0
    assert unrated.figures["effective_agreement"].hits == 0
    evaluation = Evaluation((plan, unrated))
    assert evaluation.figure("principle_exact") == pytest.approx(3 / 12)
    assert evaluation.figure("kappa") == evaluation.kappa  # over the rated pairs only
    assert evaluation.confusion(4) == [[0, 0, 1], [0, 0, 0], [0, 0, 0]]
    assert evaluation.shortfalls({"kappa": 0.99, "effective_agreement": 0.4}, {}) == [
        f"kappa = {evaluation.kappa:.3f} is below the minimum 0.99"
    ]


def test_eval_command_reports_calibration_and_gates_on_it(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(ROOT / "corpus_samples" / "p06.md", folder / "p06.md")
    shutil.copytree(FIXTURES / "demo", tmp_path / "rules" / "demo")
    shutil.copy(FIXTURES / "scoring.toml", tmp_path / "scoring.toml")
    config = tmp_path / "ehcp-audit.toml"
    config.write_text('rule_dirs = ["rules"]\nscoring = "scoring.toml"\nselect = ["demo"]\n')
    labels = dict(LABELS, id="p06")
    (folder / "p06.labels.json").write_text(json.dumps(labels), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", str(folder), "--config", str(config), "--format", "json"], out, err)
    assert code == 0, err.getvalue()
    document = json.loads(out.getvalue())
    calibration = document["calibration"]
    assert calibration["pairs"] == 6 and calibration["unrated"] == 0
    assert set(calibration["confusion"]) == {"1", "2", "3", "4", "5", "6"}
    assert sum(map(sum, calibration["confusion"]["1"])) == 1
    assert "principle_exact" in document["figures"] and "effective_agreement" in document["figures"]
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["eval", str(folder), "--config", str(config), "--min", "principle_within_one=1.01"],
        out,
        err,
    )
    assert code == 1
    assert (
        "principle_within_one = " in err.getvalue() and "below the minimum 1.01" in err.getvalue()
    )
    assert "kappa (quadratic-weighted)" in out.getvalue()
    assert "Confusion per principle" in out.getvalue()


def test_agreement_is_split_by_the_tools_confidence() -> None:
    from ehcp_audit._model import Confidence, ConfidenceLevel

    tool = ["excellent", "good", "excellent", "excellent", "good", "room_for_improvement"]
    levels = ["high", "low", "low", "medium", "high", "low"]
    rated = _rated(tool, "good", True)
    principles = tuple(
        evolve(p, confidence=Confidence(ConfidenceLevel(level)))
        for p, level in zip(rated.principles, levels, strict=True)
    )
    plan = evaluate_plan(evolve(rated, principles=principles), LABELS, Path("p.md"))
    # Labels agree on 1, 2 and 5: high 2/2, low 1/3, medium 0/1.
    high, low = (
        plan.figures["principle_exact.confidence_high"],
        plan.figures["principle_exact.confidence_low"],
    )
    medium = plan.figures["principle_exact.confidence_medium"]
    assert (high.hits, high.total) == (2, 2)
    assert (low.hits, low.total) == (1, 3)
    assert (medium.hits, medium.total) == (0, 1)
    assert (
        "principle 4: labelled room_for_improvement, tool excellent (confidence medium)"
        in (plan.misses["ratings"])
    )
