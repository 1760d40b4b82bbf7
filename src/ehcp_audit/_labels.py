"""Label files: a human auditor's reading of a plan, and how the tool is compared.

A label file ``PLAN.labels.json`` applies to every ``PLAN.docx``/``.pdf``/
``.txt``/``.md`` beside it (or to the names in its ``files`` list). The
matching rules are those of ``shared/label-schema.md``; they live here, in
the library, because councils run the same comparison on their own audits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attrs import frozen

from ._model import PlanAudit

PLAN_SUFFIXES = (".docx", ".pdf", ".txt", ".md")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold case and white space, as the label schema compares text."""
    return _SPACE.sub(" ", text).strip().casefold()


@frozen
class LabelledPlan:
    labels_path: Path
    plan_path: Path
    labels: dict[str, Any]


def find_labelled_plans(folder: Path) -> Iterator[LabelledPlan]:
    """Every plan file in ``folder`` that has a labels file, in name order."""
    for labels_path in sorted(folder.glob("*.labels.json")):
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        stem = labels_path.name.removesuffix(".labels.json")
        names = labels.get("files") or [stem + suffix for suffix in PLAN_SUFFIXES]
        for name in names:
            plan_path = folder / name
            if plan_path.is_file():
                yield LabelledPlan(labels_path, plan_path, labels)


@frozen
class SectionComparison:
    found: tuple[str, ...]
    not_found: tuple[str, ...]
    false_positives: tuple[str, ...]

    @property
    def recall(self) -> float:
        total = len(self.found) + len(self.not_found)
        return len(self.found) / total if total else 1.0


def compare_sections(result: PlanAudit, labels: dict[str, Any]) -> SectionComparison:
    """A labelled section is found when a section of that code contains its opening words."""
    texts = {s.code: fold(s.text) for s in result.sections}
    found: list[str] = []
    not_found: list[str] = []
    for code, opening in labels.get("sections_present", {}).items():
        (found if fold(opening) in texts.get(code, "\0") else not_found).append(code)
    false_positives = [code for code in labels.get("sections_absent", []) if code in texts]
    return SectionComparison(tuple(found), tuple(not_found), tuple(false_positives))
