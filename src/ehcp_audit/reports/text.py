"""Plain-text reports for a person at a terminal."""

from __future__ import annotations

import textwrap

from .._model import SECTION_CODES, PlanAudit, Section

_TITLES = {
    "front": "Personal details",
    "A": "Views, interests and aspirations",
    "B": "Special educational needs",
    "C": "Health needs",
    "D": "Social care needs",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision (CSDPA s2)",
    "H2": "Other social care provision",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information",
    "other": "Other content",
}

_FIRST_WORDS = 12


def first_words(text: str, count: int = _FIRST_WORDS) -> str:
    words = text.split()
    head = " ".join(words[:count])
    return head + (" …" if len(words) > count else "")


def _header(result: PlanAudit) -> list[str]:
    src = result.source
    pages = f", {src.pages} pages" if src.pages else ""
    fmt = src.format.value if src.format else "?"
    lines = [f"{src.path or '<bytes>'} ({fmt}{pages})"]
    d = result.details
    facts = [
        ("name", d.name),
        ("preferred name", d.preferred_name),
        ("date of birth", d.date_of_birth and d.date_of_birth.isoformat()),
        ("age", d.age),
        ("year group", d.year_group),
        ("plan date", d.plan_date and d.plan_date.isoformat()),
        ("review date", d.review_date and d.review_date.isoformat()),
        ("status", d.status),
    ]
    shown = [f"{k}: {v}" for k, v in facts if v not in (None, "")]
    if shown:
        lines.append("  " + "; ".join(shown))
    return lines


def _section_line(section: Section) -> list[str]:
    title = _TITLES.get(section.code, section.code)
    state = "" if section.filled else "  [NOT FILLED IN]"
    lines = [f"  {section.code:<5} {title}{state}"]
    lines.append(f"        heading: {section.heading!r}  (found by {section.found_by.value})")
    if section.subsections:
        lines.append("        parts: " + "; ".join(section.subsections))
    body = first_words(section.text)
    if body:
        lines.append(
            textwrap.fill(
                body, width=96, initial_indent="        text: ", subsequent_indent="              "
            )
        )
    return lines


def render_sections(result: PlanAudit) -> str:
    """What ``ehcp-audit sections`` prints: each section, its heading, how it was found."""
    lines = _header(result)
    lines.append("")
    lines.append("Sections found:")
    for section in result.sections:
        lines.extend(_section_line(section))
    lines.append("")
    if result.missing_sections:
        lines.append("Missing sections: " + ", ".join(result.missing_sections))
    else:
        lines.append("All statutory sections A-K are present.")
    return "\n".join(lines) + "\n"


def render_check(result: PlanAudit) -> str:
    """What ``ehcp-audit check`` prints by default."""
    found = [s for s in result.sections if s.code in SECTION_CODES]
    lines = _header(result)
    lines.append("")
    lines.append(
        f"Sections: {len(found)} of {len(SECTION_CODES)} found"
        + (f"; missing: {', '.join(result.missing_sections)}" if result.missing_sections else "")
    )
    unfilled_sections = [s.code for s in found if not s.filled]
    if unfilled_sections:
        lines.append("Not filled in: " + ", ".join(unfilled_sections))
    if result.unfilled_fields:
        lines.append(f"Unfilled template fields: {len(result.unfilled_fields)}")
        for item in result.unfilled_fields[:20]:
            lines.append(
                f"  - section {item.section}, {item.location.label}: {first_words(item.text, 8)}"
            )
        if len(result.unfilled_fields) > 20:
            lines.append(f"  … and {len(result.unfilled_fields) - 20} more (see --format json)")
    return "\n".join(lines) + "\n"
