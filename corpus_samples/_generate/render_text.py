"""Render a corpus plan (parsed plan-source TOML) as Markdown or plain text.

Two text renderings, so the text reader meets plans as people actually send
them: a Markdown export (``template = "markdown"``: ``#``/``##`` headings,
pipe tables for the combined B/F/E, C/G/E, D/H1/H2/E and K parts) and a plain
text file (``template = "plaintext"``: upper-case section headings underlined
with ``=``, Title Case sub-headings underlined with ``-``, "Label: value"
details and ``*``/numbered lists) written in the plan's ``encoding``.

Every field is copied verbatim: a field is split into paragraphs on blank
lines, and a line starting with "- " is a bullet; nothing is reflowed or
re-quoted, so the labels file quotes match the rendered text. Sections come
in statutory order (a combined table stands where its first section would).

Called by ``generate.py`` as ``render(plan, out_path)``.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

Plan = dict[str, Any]
Block = tuple[str, str]  # ("p", paragraph) or ("li", bullet item text)

#: Section A's fields in rendering order, with their child-friendly sub-headings.
#: ``history`` comes first: the generator labels A by its first rendered field.
A_PARTS: tuple[tuple[str, str], ...] = (
    ("history", "All about me"),
    ("communication", "How I communicate"),
    ("child_views", "What is important to me"),
    ("family_views", "What my family say"),
    ("interests", "What I enjoy"),
    ("strengths", "What people like and admire about me"),
    ("aspirations", "My hopes for the future"),
    ("how_best_to_support", "How best to support me"),
    ("how_views_gathered", "How my views were gathered"),
)

SECTION_TITLES: dict[str, str] = {
    "A": "Views, interests and aspirations",
    "B": "Special educational needs",
    "C": "Health needs",
    "D": "Social care needs",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision under section 2 of the Chronically Sick and Disabled "
    "Persons Act 1970",
    "H2": "Other social care provision",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information",
}

AREAS: tuple[str, ...] = (
    "Communication and interaction",
    "Cognition and learning",
    "Social, emotional and mental health",
    "Sensory and/or physical",
)

#: Templates that put H1 and H2 under one heading "H – Social care provision"
#: (generate.py reads this to label such plans ``H1`` only).
MERGED_H_TEMPLATES = frozenset({"childfriendly"})

_LINE_ENDINGS = {"utf-8": "\n", "utf-16": "\r\n", "cp1252": "\r\n"}


# --------------------------------------------------------------------------- content model


def blocks(text: object) -> list[Block]:
    """Split a field into paragraphs and bullet items, keeping the words verbatim.

    Paragraphs are separated by blank lines; within a paragraph, a line starting
    with "- " starts a bullet and other lines continue the current paragraph or
    bullet (joined with one space, the way a word processor would show them).
    """
    if text is None:
        return []
    result: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", str(text).strip()):
        current: list[str] | None = None
        kind = "p"
        for raw in chunk.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.startswith("- "):
                if current:
                    result.append((kind, " ".join(current)))
                kind, current = "li", [line[2:].strip()]
            elif current is None:
                kind, current = "p", [line]
            else:
                current.append(line)
        if current:
            result.append((kind, " ".join(current)))
    return result


def fmt_date(value: object, style: str | None) -> str:
    """A date field as printed: verbatim (None), ``slash`` 14/03/2016 or ``long`` 14 March 2016."""
    text = str(value)
    if style is None:
        return text
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    if style == "slash":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {day.strftime('%B')} {day.year}"


def details_rows(plan: Plan, date_style: str | None = None) -> list[tuple[str, str]]:
    """The personal details as (label, value) pairs, in the order councils print them."""
    d = plan.get("details", {}) or {}
    rows: list[tuple[str, str]] = []

    def add(label: str, key: str, date: bool = False) -> None:
        if d.get(key) not in (None, ""):
            rows.append((label, fmt_date(d[key], date_style) if date else str(d[key])))

    add("Name", "name")
    add("Preferred name", "preferred_name")
    add("Date of birth", "date_of_birth", date=True)
    add("Age", "age")
    add("Year group", "year_group")
    add("Sex", "sex")
    add("Ethnicity", "ethnicity")
    add("First language", "first_language")
    add("Parent's first language", "parent_first_language")
    for n in ("1", "2"):
        name = d.get(f"parent_{n}_name")
        if name:
            rel = d.get(f"parent_{n}_relationship")
            rows.append(("Parent or carer", f"{name} ({rel})" if rel else str(name)))
    add("Address", "address")
    add("Education setting", "education_setting")
    add("GP", "gp")
    add("Known to social care", "known_to_social_care")
    add("Date of plan", "plan_date", date=True)
    add("Review date", "review_date", date=True)
    if d.get("status"):
        rows.append(("Plan status", str(d["status"]).capitalize()))
    return rows


def health_rows(plan: Plan) -> list[dict[str, Any]]:
    """C/G/E rows; ``[health_none]`` stands in as one row without an outcome."""
    if plan.get("health"):
        return list(plan["health"])
    none = plan.get("health_none") or {}
    return [{"need": none.get("c"), "provision": none.get("g")}] if none else []


def social_rows(plan: Plan) -> list[dict[str, Any]]:
    """D/H1/H2/E rows; ``[social_care_none]`` stands in as one row without an outcome."""
    if plan.get("social_care"):
        return list(plan["social_care"])
    none = plan.get("social_care_none") or {}
    return [{"need": none.get("d"), "h1": none.get("h1"), "h2": none.get("h2")}] if none else []


def needs_in_order(plan: Plan) -> list[dict[str, Any]]:
    """``[[needs]]`` rows with areas in Code of Practice order (stable within an area)."""
    rank = {area.lower(): i for i, area in enumerate(AREAS)}
    rows = plan.get("needs") or []
    return sorted(rows, key=lambda r: rank.get(" ".join(str(r.get("area", "")).lower().split()), 9))


def present(plan: Plan, code: str) -> bool:
    """Whether section ``code`` is rendered: not deliberately absent and has content.

    The same rule as ``render_docx.has_section``, so every format of a plan has
    the same sections and the generated labels fit them all.
    """
    if code in (plan.get("absent") or []):
        return False
    a = plan.get("section_a") or {}
    needs = plan.get("needs") or []
    return {
        "A": any(a.get(k) for k, _ in A_PARTS),
        "B": any(r.get("need") for r in needs),
        "C": any(r.get("need") for r in health_rows(plan)),
        "D": any(r.get("need") for r in social_rows(plan)),
        "E": bool(outcome_rows(plan)),
        "F": any(r.get("provision") for r in needs),
        "G": any(r.get("provision") for r in health_rows(plan)),
        "H1": any(r.get("h1") for r in social_rows(plan)),
        "H2": any(r.get("h2") for r in social_rows(plan)),
        "I": bool((plan.get("placement") or {}).get("name")),
        "J": bool((plan.get("personal_budget") or {}).get("details")),
        "K": bool(plan.get("advice")),
    }[code]


def merges_h(plan: Plan) -> bool:
    """Whether this plan's template writes H1 and H2 under one "H" heading."""
    return plan.get("template") in MERGED_H_TEMPLATES


def outcome_rows(plan: Plan) -> list[dict[str, Any]]:
    """Every row that carries an outcome, tagged with the heading it is grouped under."""
    rows = [
        {"group": r.get("area") or "Special educational needs", "outcome": r.get("outcome")}
        for r in needs_in_order(plan)
    ]
    rows += [{"group": "Health", "outcome": r.get("outcome")} for r in plan.get("health") or []]
    rows += [
        {"group": "Social care", "outcome": r.get("outcome")} for r in plan.get("social_care") or []
    ]
    return [r for r in rows if r["outcome"]]


def title_case(text: str) -> str:
    """Capitalise each word's first letter, leaving the rest alone ("and/or" -> "And/or")."""
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def plan_name(plan: Plan) -> str:
    return str((plan.get("details") or {}).get("name", ""))


def is_draft(plan: Plan) -> bool:
    return str((plan.get("details") or {}).get("status", "")).lower() == "draft"


# --------------------------------------------------------------------------- markdown


def _md_cell(text: object) -> str:
    """A field as one pipe-table cell: paragraphs joined with <br>, pipes escaped."""
    parts = [f"- {t}" if kind == "li" else t for kind, t in blocks(text)]
    return "<br>".join(p.replace("|", "\\|") for p in parts)


def _md_blocks(text: object) -> Iterator[str]:
    previous = ""
    for kind, t in blocks(text):
        if kind == "li":
            if previous == "p":
                yield ""
            yield f"- {t}"
        else:
            if previous:
                yield ""
            yield t
        previous = kind
    if previous:
        yield ""


def _md_table(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    yield "| " + " | ".join(header) + " |"
    yield "|" + "|".join("---" for _ in header) + "|"
    for row in rows:
        yield "| " + " | ".join(row) + " |"
    yield ""


def _md_heading(code: str) -> str:
    return f"## Section {code} – {SECTION_TITLES[code]}"


def _md_combined(
    plan: Plan,
    title: str,
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str, str]],
    lead_key: str | None = None,
) -> Iterator[str]:
    """A combined table; ``columns`` is (section code, header, row key), absent codes dropped."""
    cols = [c for c in columns if present(plan, c[0])]
    if not cols or not rows:
        return
    yield f"## {title}"
    yield ""
    body = []
    for row in rows:
        cells = []
        for i, (_code, _header, key) in enumerate(cols):
            cell = _md_cell(row.get(key))
            if i == 0 and lead_key and row.get(lead_key):
                cell = f"**{row[lead_key]}**<br>{cell}"
            cells.append(cell)
        body.append(cells)
    yield from _md_table([h for _c, h, _k in cols], body)


def h_text(plan: Plan, row: dict[str, Any]) -> str:
    """A row's H1 and H2 text as one field, for templates that merge H (absent halves left out)."""
    absent = plan.get("absent") or []
    parts = [
        str(row[k]) for k, code in (("h1", "H1"), ("h2", "H2")) if row.get(k) and code not in absent
    ]
    return "\n\n".join(parts)


def render_markdown(plan: Plan) -> str:
    merged = merges_h(plan)
    out: list[str] = ["# Education, Health and Care Plan", ""]
    if is_draft(plan):
        out += ["**DRAFT**", ""]
    out += ["## Personal details", ""]
    out += [f"- **{label}:** {value}" for label, value in details_rows(plan)]
    out.append("")

    if present(plan, "A"):
        out += [_md_heading("A"), ""]
        a = plan.get("section_a") or {}
        for key, sub in A_PARTS:
            if a.get(key):
                out += [f"### {sub}", ""]
                out += list(_md_blocks(a[key]))

    out += _md_combined(
        plan,
        "Sections B, F and E – Special educational needs, provision and outcomes",
        needs_in_order(plan),
        [
            ("B", "Special educational needs (B)", "need"),
            ("F", "Special educational provision (F)", "provision"),
            ("E", "Outcomes (E)", "outcome"),
        ],
        lead_key="area",
    )

    if plan.get("health"):
        out += _md_combined(
            plan,
            "Sections C, G and E – Health needs, provision and outcomes",
            plan["health"],
            [
                ("C", "Health needs (C)", "need"),
                ("G", "Health provision (G)", "provision"),
                ("E", "Outcomes (E)", "outcome"),
            ],
        )
    else:  # "no health needs" statements read better as two short sections
        for code, key in (("C", "need"), ("G", "provision")):
            if present(plan, code):
                out += [_md_heading(code), "", *_md_blocks(health_rows(plan)[0].get(key))]

    if plan.get("social_care"):
        h_columns = (
            [("H1", "Social care provision (H)", "h")]
            if merged
            else [
                ("H1", "Social care provision under section 2 CSDPA 1970 (H1)", "h1"),
                ("H2", "Other social care provision (H2)", "h2"),
            ]
        )
        rows = [{**r, "h": h_text(plan, r)} for r in plan["social_care"]]
        out += _md_combined(
            plan,
            "Sections D, H and E – Social care needs, provision and outcomes"
            if merged
            else "Sections D, H1, H2 and E – Social care needs, provision and outcomes",
            rows,
            [("D", "Social care needs (D)", "need"), *h_columns, ("E", "Outcomes (E)", "outcome")],
        )
    else:
        row = (social_rows(plan) or [{}])[0]
        if present(plan, "D"):
            out += [_md_heading("D"), "", *_md_blocks(row.get("need"))]
        if merged and (present(plan, "H1") or present(plan, "H2")):
            out += ["## Section H – Social care provision", "", *_md_blocks(h_text(plan, row))]
        elif not merged:
            for code, key in (("H1", "h1"), ("H2", "h2")):
                if present(plan, code):
                    out += [_md_heading(code), "", *_md_blocks(row.get(key))]

    if present(plan, "I"):
        p = plan["placement"]
        out += [_md_heading("I"), ""]
        out.append(f"- **Name of school or other institution:** {p['name']}")
        if p.get("type"):
            out.append(f"- **Type of school or other institution:** {p['type']}")
        out.append("")

    if present(plan, "J"):
        pb = plan["personal_budget"]
        out += [_md_heading("J"), "", *_md_blocks(pb.get("details"))]
        if pb.get("arrangements"):
            out += ["**Arrangements:**", "", *_md_blocks(pb["arrangements"])]

    if present(plan, "K"):
        out += [_md_heading("K"), ""]
        advice = plan["advice"]
        with_summary = any(a.get("summary") for a in advice)
        header = ["Advice and information", "Provided by", "Date", "Appended"]
        if with_summary:
            header.append("Summary")
        table = []
        for a in advice:
            cells = [
                _md_cell(a.get("advice")),
                _md_cell(a.get("author")),
                _md_cell(a.get("date")),
                "Yes" if a.get("appended") else "No",
            ]
            if with_summary:
                cells.append(_md_cell(a.get("summary")))
            table.append(cells)
        out += _md_table(header, table)

    out += _signoff(plan, bold=True)
    return "\n".join(out).rstrip("\n") + "\n"


def _signoff(plan: Plan, bold: bool) -> list[str]:
    s = plan.get("sign_off") or {}
    if not s:
        return []
    fmt = "**{}:** {}" if bold else "{}: {}"
    lines = []
    if s.get("officer"):
        lines.append(fmt.format("Signed on behalf of the local authority", s["officer"]))
    if s.get("date"):
        lines.append(fmt.format("Date", s["date"]))
    if bold:  # Markdown: one paragraph each, so they do not run together
        return [part for line in lines for part in (line, "")]
    return [*lines, ""]


# --------------------------------------------------------------------------- plain text


def _underline(text: str, char: str) -> list[str]:
    return [text, char * len(text), ""]


def _txt_heading(code: str) -> list[str]:
    return _underline(f"SECTION {code} - {SECTION_TITLES[code].upper()}", "=")


def _txt_prose(text: object) -> list[str]:
    out: list[str] = []
    previous = ""
    for kind, t in blocks(text):
        if previous and not (kind == "li" and previous == "li"):
            out.append("")
        out.append(f"- {t}" if kind == "li" else t)
        previous = kind
    return [*out, ""] if out else []


def _txt_star_list(text: object) -> list[str]:
    """Provision as a "*" list; the field's own bullets become sub-items."""
    return [f"* {t}" if kind == "p" else f"    - {t}" for kind, t in blocks(text)]


def _txt_grouped(groups: list[tuple[str | None, list[str]]], numbered: bool = False) -> list[str]:
    out: list[str] = []
    n = 0
    for title, lines in groups:
        if not lines:
            continue
        if title:
            out += _underline(title_case(title), "-")
        for line in lines:
            if numbered and line.startswith("* "):
                n += 1
                line = f"{n}. {line[2:]}"
            out.append(line)
        out.append("")
    return out


def render_plaintext(plan: Plan) -> str:
    merged = merges_h(plan)
    out: list[str] = _underline("EDUCATION, HEALTH AND CARE PLAN", "=")
    if is_draft(plan):
        out += ["DRAFT - NOT FOR CIRCULATION", ""]
    out += [f"{label}: {value}" for label, value in details_rows(plan)]
    out.append("")

    needs = needs_in_order(plan)
    health, social = health_rows(plan), social_rows(plan)
    # Real rows are provision lists; a "none" statement stays a sentence.
    health_list, social_list = bool(plan.get("health")), bool(plan.get("social_care"))

    def provision(rows: list[dict[str, Any]], key: str, as_list: bool) -> list[str]:
        if as_list:
            return _txt_grouped([(None, _txt_star_list(r.get(key))) for r in rows])
        return [line for r in rows for line in _txt_prose(r.get(key))]

    codes = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    if merged:
        codes[codes.index("H1") : codes.index("H2") + 1] = ["H"]
    for code in codes:
        if code == "H":
            if not (present(plan, "H1") or present(plan, "H2")):
                continue
            out += _underline("SECTION H - SOCIAL CARE PROVISION", "=")
            rows = [{"h": h_text(plan, r)} for r in social]
            out += provision(rows, "h", social_list)
            continue
        if not present(plan, code):
            continue
        out += _txt_heading(code)
        if code == "A":
            a = plan.get("section_a") or {}
            for key, sub in A_PARTS:
                if a.get(key):
                    out += _underline(title_case(sub), "-")
                    out += _txt_prose(a[key])
        elif code == "B":
            for r in needs:
                out += _underline(title_case(r.get("area") or "Special educational needs"), "-")
                out += _txt_prose(r.get("need"))
        elif code in ("C", "D"):
            for r in health if code == "C" else social:
                out += _txt_prose(r.get("need"))
        elif code == "E":
            groups = [(r["group"], _txt_star_list(r["outcome"])) for r in outcome_rows(plan)]
            out += _txt_grouped(groups, numbered=True)
        elif code == "F":
            out += _txt_grouped(
                [(r.get("area"), _txt_star_list(r.get("provision"))) for r in needs]
            )
        elif code == "G":
            out += provision(health, "provision", health_list)
        elif code in ("H1", "H2"):
            out += provision(social, code.lower(), social_list)
        elif code == "I":
            p = plan["placement"]
            out.append(f"Name of school or other institution: {p['name']}")
            if p.get("type"):
                out.append(f"Type of school or other institution: {p['type']}")
            out.append("")
        elif code == "J":
            pb = plan["personal_budget"]
            out += _txt_prose(pb.get("details"))
            if pb.get("arrangements"):
                out += ["Arrangements:", ""]
                out += _txt_prose(pb["arrangements"])
        elif code == "K":
            for i, a in enumerate(plan["advice"], 1):
                appended = "appended" if a.get("appended") else "not appended"
                out.append(
                    f"{i}. {a.get('advice', '')} - {a.get('author', '')}, "
                    f"{a.get('date', '')} ({appended})"
                )
                for line in _txt_prose(a.get("summary"))[:-1]:
                    out.append(f"   {line}" if line else "")
            out.append("")

    out += _signoff(plan, bold=False)
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


# --------------------------------------------------------------------------- entry point


def render(plan: Plan, out_path: pathlib.Path) -> None:
    """Write ``plan`` to ``out_path`` as Markdown or plain text.

    The template decides ("markdown" or "plaintext"); for any other template the
    file suffix does (``.md`` Markdown, anything else plain text). Plain text is
    written in ``plan["encoding"]``: utf-8 with LF line endings, utf-16 (with a
    byte-order mark) or cp1252 with CRLF, as Windows tools write them.
    """
    out_path = pathlib.Path(out_path)
    template = plan.get("template")
    markdown = template == "markdown" or (template != "plaintext" and out_path.suffix == ".md")
    text = render_markdown(plan) if markdown else render_plaintext(plan)
    encoding = str(plan.get("encoding") or "utf-8").lower().replace("_", "-")
    if encoding not in _LINE_ENDINGS:
        raise ValueError(f"unknown encoding {encoding!r}: use utf-8, utf-16 or cp1252")
    text = text.replace("\n", _LINE_ENDINGS[encoding])
    # Python's "utf-16" codec writes the machine's byte order; pin little-endian + BOM.
    codec, bom = ("utf-16-le", b"\xff\xfe") if encoding == "utf-16" else (encoding, b"")
    out_path.write_bytes(bom + text.encode(codec))
