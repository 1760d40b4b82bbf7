"""Speaker labels written as bare lines inside one table cell (no colon).

A council's form often holds a whole part of Section A in one cell, each part
under a line of its own with no colon ("What other people like about Tobin",
"Mum and Dad's views (given through the interpreter)"). Such a line names whose
words follow, as a sub-heading would; a line naming nobody changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import docx

import ehcp_audit


def _plan(tmp_path: Path, cell: str) -> ehcp_audit.PlanAudit:
    document = docx.Document()
    document.add_paragraph("Name: Tobin Aske")
    document.add_heading("Section A - About me", level=2)
    document.add_table(rows=1, cols=1).cell(0, 0).text = cell
    document.add_heading("Section B - Special educational needs", level=2)
    document.add_paragraph("Tobin has a moderate hearing loss in both ears.")
    document.add_heading("Section E - Outcomes", level=2)
    document.add_paragraph("By July 2027 Tobin will check his own hearing aids each morning.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return ehcp_audit.audit(path)


def _voice(plan: ehcp_audit.PlanAudit, start: str) -> list[str]:
    return [c.kind for c in plan.cues if c.text.startswith(start) and c.kind.endswith("_voice")]


def test_a_bare_label_line_naming_the_parents_makes_their_part(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "What other people like about Tobin\n"
        "His teacher says Tobin is kind.\n"
        "Mum and Dad's views (given in Polish through the interpreter)\n"
        "We are Tobin's mum and dad, and we speak Polish at home.\n"
        "We found out about his hearing when he was three.",
    )
    assert _voice(plan, "We are Tobin's mum and dad") == ["parent_voice"]
    assert _voice(plan, "We found out about his hearing") == ["parent_voice"]


def test_a_bare_line_naming_nobody_is_no_label(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "Our views as his parents\n"
        "We are proud of how hard Tobin works.\n"
        "Health and wellbeing\n"
        "We are worried that he sleeps badly.",
    )
    # "Health and wellbeing" names no speaker: the parents' part carries on under it.
    assert _voice(plan, "We are worried that he sleeps badly") == ["parent_voice"]
