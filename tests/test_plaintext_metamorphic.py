"""The same plan as DOCX and as a plain-text export with drawn tables: same verdicts.

A case-management system that exports a plan as text keeps its words and
its tables, drawn with ``+---+`` borders and cells wrapped to their column
width, and loses its fonts. Reading that export must find the same sections,
the same filled and unfilled sections, the same row links and the same
ratings as reading the DOCX it came from. Each development plan's DOCX is
read, drawn as such an export here, and both are audited.

The exporter draws what text exporters draw: headings underlined, paragraphs
wrapped, list items with a bullet, and each table as a grid whose column
widths follow its content, a merged cell spanning the columns it covers,
wrapped at word boundaries (a word longer than its column runs past it).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

import ehcp_audit
from ehcp_audit import BlockKind, Document
from ehcp_audit.readers import read_bytes

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
PLANS = sorted(p for p in [*CORPUS.glob("p*.docx"), *CORPUS.glob("dev*/*.docx")])
WIDTH = 100


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for k, paragraph in enumerate(text.split("\n")):
        if k:
            lines.append("")
        lines += textwrap.wrap(paragraph, width, break_long_words=False) or [""]
    return lines


def _grid(cells: Sequence[ehcp_audit.Block]) -> list[str]:
    """One table drawn with +---+ borders, a rule between rows, spans drawn as spans."""
    texts: dict[int, dict[int, str]] = {}
    for b in cells:
        assert b.cell is not None
        row = texts.setdefault(b.cell.row, {})
        row[b.cell.column] = row[b.cell.column] + "\n" + b.text if b.cell.column in row else b.text
    ncols = max(c for row in texts.values() for c in row) + 1
    need = [1] * ncols
    for row in texts.values():
        for column, text in row.items():
            need[column] = max(need[column], min(len(text), 60))
    scale = (WIDTH - 3 * ncols) / sum(need)
    widths = [max(8, int(n * scale)) for n in need]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [rule]
    for r in sorted(texts):
        row = texts[r]
        starts = sorted(row)
        spans = []
        for k, column in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else ncols
            spans.append((column, sum(widths[column:end]) + 3 * (end - column - 1)))
        if starts[0] != 0:
            spans.insert(0, (0, sum(widths[: starts[0]]) + 3 * (starts[0] - 1)))
        wrapped = [(_wrap(row.get(c, ""), w), w) for c, w in spans]
        for n in range(max(len(lines) for lines, _ in wrapped)):
            parts = [f" {(lines[n] if n < len(lines) else '').ljust(w)} " for lines, w in wrapped]
            out.append("|" + "|".join(parts) + "|")
        out.append(rule)
    return out


def export(document: Document) -> str:
    """``document`` as a plain-text export: prose wrapped, tables drawn as grids."""
    out: list[str] = []
    blocks = list(document.blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.cell is not None:
            table, j = block.cell.table, i
            while j < len(blocks) and blocks[j].cell is not None:
                j += 1
            own = [b for b in blocks[i:j] if b.cell is not None and b.cell.table == table]
            out += [*_grid(own), ""]
            # Tables nested in a cell follow the table holding them.
            nested = sorted({b.cell.table for b in blocks[i:j] if b.cell} - {table})
            for inner in nested:
                inner_cells = [b for b in blocks[i:j] if b.cell and b.cell.table == inner]
                out += [*_grid(inner_cells), ""]
            i = j
            continue
        text = block.text.strip()
        if block.kind is BlockKind.HEADING and text:
            out += [text, ("=" if (block.heading_level or 1) == 1 else "-") * len(text), ""]
        elif block.kind is BlockKind.LIST_ITEM and text:
            lines = _wrap(text, WIDTH - 4)
            out += ["  * " + lines[0], *("    " + line for line in lines[1:]), ""]
        elif text:
            out += [*_wrap(text, WIDTH), ""]
        i += 1
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module", params=[p.relative_to(CORPUS).as_posix() for p in PLANS])
def pair(request, tmp_path_factory) -> tuple[ehcp_audit.PlanAudit, ehcp_audit.PlanAudit]:
    source = CORPUS / request.param
    text = export(read_bytes(source.read_bytes()))
    path = tmp_path_factory.mktemp("exports") / (source.stem + ".txt")
    path.write_text(text, encoding="utf-8")
    return ehcp_audit.audit(source), ehcp_audit.audit(path)


def test_most_plans_have_tables_to_draw() -> None:
    drawn = [export(read_bytes(p.read_bytes())).count("+---") for p in PLANS]
    assert sum(1 for n in drawn if n) >= len(PLANS) // 2


def test_same_sections_filled_and_unfilled(pair) -> None:
    docx, text = pair
    assert [(s.code, s.filled) for s in text.sections] == [
        (s.code, s.filled) for s in docx.sections
    ]
    assert text.missing_sections == docx.missing_sections


def test_same_row_links(pair) -> None:
    docx, text = pair

    def linked(plan: ehcp_audit.PlanAudit) -> list[tuple[str, ...]]:
        return [tuple(code for code, _ in link.cells) for link in plan.row_links]

    assert linked(text) == linked(docx)


def test_same_ratings_and_findings(pair) -> None:
    docx, text = pair
    assert [(p.number, p.rating) for p in text.principles] == [
        (p.number, p.rating) for p in docx.principles
    ]
    assert text.overall == docx.overall
    assert {f.rule: f.passed for f in text.findings} == {f.rule: f.passed for f in docx.findings}
