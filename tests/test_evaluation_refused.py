"""eval makes a refused plan visible: "every plan audited" is a figure, not a footnote."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import ehcp_audit
from ehcp_audit._evaluation import evaluate_folder, render_text
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def labelled_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(ROOT / "corpus_samples" / "p06.md", folder / "p06.md")
    (folder / "p06.labels.json").write_text(json.dumps({"id": "p06"}), encoding="utf-8")
    (folder / "memo.txt").write_text(
        "Minutes of the allotment committee.\n\nThe shed roof needs mending before winter.\n",
        encoding="utf-8",
    )
    (folder / "memo.labels.json").write_text(json.dumps({"id": "memo"}), encoding="utf-8")
    return folder


def test_a_refused_plan_lowers_plans_audited_and_is_named(tmp_path: Path) -> None:
    evaluation = evaluate_folder(labelled_folder(tmp_path), ehcp_audit.audit)
    assert evaluation.figure("plans_audited") == 0.5
    text = render_text(evaluation)
    assert text.startswith("2 labelled plan file(s): 1 audited, 1 refused")
    assert "could not audit memo.txt: not_an_ehcp" in text
    assert evaluation.shortfalls({"plans_audited": 1.0}, {}) == [
        "plans_audited = 0.500 is below the minimum 1"
    ]


def test_eval_json_lists_the_refused_plans_and_gates_on_them(tmp_path: Path) -> None:
    folder = labelled_folder(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", str(folder), "--format", "json", "--min", "plans_audited=1"], out, err)
    assert code == 1 and "plans_audited = 0.500" in err.getvalue()
    document = json.loads(out.getvalue())
    assert document["refused"] == [str(folder / "memo.txt")]
    assert document["figures"]["plans_audited"] == {"value": 0.5, "hits": 1, "total": 2}
