"""Section recall on layouts the plan was not written in.

The committed corpus puts each plan in one template. Real councils use many,
so here every plan is rendered again in every other template style that can
be drawn without LibreOffice (five DOCX styles, a council PDF drawn with
reportlab, Markdown and plain text) and must still have every labelled
section found and no absent one reported. This guards against a sectionizer
tuned to the corpus rather than to how plans are written.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

import ehcp_audit
from ehcp_audit._labels import compare_sections

GENERATOR = Path(__file__).resolve().parents[1] / "corpus_samples" / "_generate"
STYLES = {
    "somerset": ".docx",
    "classic": ".docx",
    "childfriendly": ".docx",
    "tablegrid": ".docx",
    "outline": ".docx",
    "council_pdf": ".pdf",
    "markdown": ".md",
    "plaintext": ".txt",
}
PLANS = sorted(p.stem for p in (GENERATOR / "plans").glob("p*.toml"))


@pytest.fixture(scope="module")
def generator():
    sys.path.insert(0, str(GENERATOR))
    try:
        yield importlib.import_module("generate")
    finally:
        sys.path.remove(str(GENERATOR))


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("plan_id", PLANS)
def test_every_plan_in_every_style(generator, plan_id: str, style: str, tmp_path: Path) -> None:
    plan = generator.load_plan(GENERATOR / "plans" / f"{plan_id}.toml")
    plan = {**plan, "template": style, "encoding": "utf-8"}
    suffix = STYLES[style]
    out = tmp_path / f"{plan_id}{suffix}"
    renderer = {
        ".docx": "render_docx",
        ".pdf": "render_pdf",
        ".md": "render_text",
        ".txt": "render_text",
    }
    importlib.import_module(renderer[suffix]).render(plan, out)
    labels = generator.build_labels(plan, [out.name])
    result = ehcp_audit.audit(out)
    comparison = compare_sections(result, labels)
    assert comparison.not_found == (), f"{plan_id} as {style}: not found {comparison.not_found}"
    assert comparison.false_positives == (), (
        f"{plan_id} as {style}: absent but reported {comparison.false_positives}"
    )
