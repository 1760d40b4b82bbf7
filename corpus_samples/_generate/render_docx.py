"""Render a plan source (``plans/pNN.toml``) into a council-style DOCX.

Real EHC plans come in many layouts, and the reader and sectionizer must cope
with all of them, so the corpus renders the same kind of content through five
deliberately different templates (``plan["template"]``):

- ``somerset``: the real Somerset Council template, filled in (tables,
  combined B/F/E, C/G/E and D/H1/H2/E tables, Jinja placeholders replaced).
- ``classic``: a textbook plan made with Word heading styles, A..K in order.
- ``childfriendly``: no heading styles at all (bold Normal paragraphs),
  outcomes before needs, H1 and H2 merged, a text box and content controls.
- ``tablegrid``: the whole plan as tables with the section letter in a cell.
- ``outline``: headings made only by ``w:outlineLvl``, combined tables, and
  one tracked change (an insertion and a deletion).

``somerset_blank`` copies the real template unchanged (a draft nobody filled).

Every field is written verbatim (paragraphs split on blank lines, ``- ``
lines as bullets), because the labels quote the source text and must be
found in the rendered plan. Output is deterministic: fixed core properties
here, fixed zip timestamps in ``generate.py``.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import pathlib
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

HERE = pathlib.Path(__file__).resolve().parent
TEMPLATE_NAME = "somerset-change-programme-ehcp-template.docx"
#: Where the real Somerset template is looked for, first hit wins: a vendored
#: copy beside the generator (so the corpus rebuilds from the repository
#: alone), then the team's shared folder.
TEMPLATE_CANDIDATES = (
    HERE / "_vendor" / TEMPLATE_NAME,
    pathlib.Path("/work/shared/templates") / TEMPLATE_NAME,
)

DOCX_TEMPLATES = frozenset(
    {"somerset", "somerset_blank", "classic", "childfriendly", "tablegrid", "outline"}
)
#: Templates that write H1 and H2 under one heading (labelled ``H1`` only).
MERGED_H_TEMPLATES = frozenset({"childfriendly"})

AREAS = (
    "Communication and interaction",
    "Cognition and learning",
    "Social, emotional and mental health",
    "Sensory and/or physical",
)
_AREA_ALIASES = {
    "communication and interaction": AREAS[0],
    "cognition and learning": AREAS[1],
    "social, emotional and mental health": AREAS[2],
    "social, emotional and mental health difficulties": AREAS[2],
    "semh": AREAS[2],
    "sensory and/or physical": AREAS[3],
    "sensory and/or physical needs": AREAS[3],
    "sensory and physical": AREAS[3],
}
#: Section A fields in the order the sections_present label reads them.
A_FIELDS = (
    "history",
    "communication",
    "child_views",
    "family_views",
    "interests",
    "strengths",
    "aspirations",
    "how_best_to_support",
    "how_views_gathered",
)

AUTHOR = "ehcp-audit corpus"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


class RenderError(Exception):
    """The plan cannot be rendered in the requested template."""


# ---------------------------------------------------------------- plan text


@dataclass(frozen=True)
class TextBlock:
    """One rendered paragraph of a field: its text and whether it is a bullet."""

    text: str
    bullet: bool = False


def text_blocks(value: Any) -> list[TextBlock]:
    """Split a field into paragraphs the way every renderer must.

    Paragraphs are separated by blank lines; a line starting with ``- `` is a
    bullet (the marker stripped). Other line breaks inside a paragraph are
    wrapping, joined with one space, so the words stay exactly as written.
    """
    if value is None:
        return []
    text = str(value).replace("\r\n", "\n").strip("\n")
    blocks: list[TextBlock] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        chunk_start = len(blocks)
        for line in chunk.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("- "):
                blocks.append(TextBlock(stripped[2:].strip(), True))
                continue
            continues = len(blocks) > chunk_start and (
                not blocks[-1].bullet or line[:1] in (" ", "\t")
            )
            if continues:
                blocks[-1] = TextBlock(f"{blocks[-1].text} {stripped}", blocks[-1].bullet)
            else:
                blocks.append(TextBlock(stripped, False))
    return blocks


def canonical_area(area: str) -> str | None:
    """The standard name of a broad area of need, or None when unknown."""
    return _AREA_ALIASES.get(" ".join(area.lower().split()))


def needs_by_area(plan: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """``[[needs]]`` rows grouped by area, areas in the Code of Practice order."""
    groups: dict[str, list[dict[str, Any]]] = {a: [] for a in AREAS}
    for row in plan.get("needs", []):
        area = canonical_area(row["area"])
        if area is None:
            raise RenderError(f"unknown area of need {row['area']!r}")
        groups[area].append(row)
    return [(a, rows) for a, rows in groups.items() if rows]


def fmt_date(value: str | None, style: str) -> str:
    """An ISO date as a council would print it (``slash``, ``long``, ``ordinal``, ``iso``)."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)  # free text such as "To be arranged" is printed as written
    month = day.strftime("%B")
    if style == "iso":
        return day.isoformat()
    if style == "slash":
        return day.strftime("%d/%m/%Y")
    if style == "ordinal":
        suffix = (
            "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        )
        return f"{day.day}{suffix} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def _iso_or(value: Any, default: str) -> str:
    """``value`` when it is an ISO date, else ``default`` (for XML date attributes)."""
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return default


def section_a_fields(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """Present Section A fields, (key, text), in the canonical order."""
    a = plan.get("section_a", {})
    return [(k, a[k]) for k in A_FIELDS if a.get(k)]


def is_16_plus(plan: dict[str, Any]) -> bool:
    labels = plan.get("labels", {})
    if "young_person_16_plus" in labels:
        return bool(labels["young_person_16_plus"])
    return int(plan["details"].get("age", 0)) >= 16


def health_rows(plan: dict[str, Any]) -> list[dict[str, str]]:
    """C/G/E rows, ``health_none`` standing in as one row without an outcome."""
    if plan.get("health"):
        return list(plan["health"])
    none = plan.get("health_none")
    if none:
        return [{"need": none.get("c", ""), "provision": none.get("g", ""), "outcome": ""}]
    return []


def social_rows(plan: dict[str, Any]) -> list[dict[str, str]]:
    """D/H1/H2/E rows, ``social_care_none`` standing in as one row."""
    if plan.get("social_care"):
        return list(plan["social_care"])
    none = plan.get("social_care_none")
    if none:
        return [
            {
                "need": none.get("d", ""),
                "h1": none.get("h1", ""),
                "h2": none.get("h2", ""),
                "outcome": "",
            }
        ]
    return []


def has_section(plan: dict[str, Any], code: str) -> bool:
    """Whether the plan has content for a section (and so renders it)."""
    if code in plan.get("absent", []):
        return False
    if code == "A":
        return bool(section_a_fields(plan))
    if code in ("B", "F"):
        key = "need" if code == "B" else "provision"
        return any(r.get(key) for r in plan.get("needs", []))
    if code == "E":
        return any(
            r.get("outcome")
            for r in [*plan.get("needs", []), *plan.get("health", []), *plan.get("social_care", [])]
        )
    if code in ("C", "G"):
        return any(r.get("need" if code == "C" else "provision") for r in health_rows(plan))
    if code in ("D", "H1", "H2"):
        key = {"D": "need", "H1": "h1", "H2": "h2"}[code]
        return any(r.get(key) for r in social_rows(plan))
    if code == "I":
        return bool(plan.get("placement", {}).get("name"))
    if code == "J":
        return bool(plan.get("personal_budget", {}).get("details"))
    if code == "K":
        return bool(plan.get("advice"))
    raise RenderError(f"unknown section code {code!r}")


def _parents(plan: dict[str, Any]) -> list[tuple[str, str]]:
    d = plan["details"]
    out = []
    for n in ("1", "2"):
        name = d.get(f"parent_{n}_name")
        if name:
            out.append((name, d.get(f"parent_{n}_relationship", "")))
    return out


def _professionals(plan: dict[str, Any]) -> str:
    """Advice authors other than the parents, for the 'services involved' box."""
    parents = {name for name, _ in _parents(plan)}
    authors = []
    for a in plan.get("advice", []):
        author = a.get("author", "")
        if author and not any(author.startswith(p) for p in parents) and author not in authors:
            authors.append(author)
    return "; ".join(authors)


# ---------------------------------------------------------------- docx helpers


def _new_document(*, font: str = "Arial", size: float = 11, landscape: bool = False):
    """A blank A4 python-docx document with the house font."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), font)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Heading 1", "Heading 2", "Title"):
        style = doc.styles[name]
        style.font.name = font
        style_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            style_fonts.set(qn(attr), font)
    # python-docx's stock package carries a thumbnail of an empty page: drop it.
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)
    return doc


def set_core_properties(doc: DocxDocument, plan: dict[str, Any], title: str) -> None:
    """Fixed document properties so regenerating gives the same bytes."""
    try:
        day = dt.date.fromisoformat(str(plan.get("details", {}).get("plan_date")))
    except ValueError:
        day = dt.date(2025, 1, 1)
    stamp = dt.datetime.combine(day, dt.time(9, 0))
    props = doc.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    props.title = title
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.category = ""


def _add_blocks(
    container: Any,
    blocks: Sequence[TextBlock],
    *,
    bullet_style: str = "List Bullet",
    all_bullets: bool = False,
    first: Paragraph | None = None,
) -> list[Paragraph]:
    """Write blocks as paragraphs into a document or a cell.

    ``first`` is an existing empty paragraph (a new cell's) to use for the
    first block, so cells do not start with a stray blank line.
    """
    out: list[Paragraph] = []
    for block in blocks:
        style = bullet_style if (block.bullet or all_bullets) else None
        if first is not None:
            para, first = first, None
            para.add_run(block.text)
            if style:
                para.style = style
        else:
            para = container.add_paragraph(block.text, style=style)
        out.append(para)
    return out


def _cell(cell: _Cell, value: Any, *, bold: bool = False, bullets: bool = False) -> None:
    """Fill a new (empty) table cell with a field's paragraphs."""
    blocks = value if isinstance(value, list) else text_blocks(value)
    if not blocks:
        return
    paras = _add_blocks(cell, blocks, all_bullets=bullets, first=cell.paragraphs[0])
    if bold:
        for p in paras:
            for r in p.runs:
                r.bold = True


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    tc_pr.append(shd)


def _header_row(table: Table, texts: Sequence[str], fill: str = "D9E2F3") -> None:
    row = table.rows[0]
    for cell, text in zip(row.cells, texts, strict=True):
        _cell(cell, text, bold=True)
        _shade(cell, fill)
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _table(container: Any, rows: int, cols: int, widths_cm: Sequence[float]) -> Table:
    table = container.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    return table


def _add_row(table: Table, widths_cm: Sequence[float]) -> list[_Cell]:
    row = table.add_row()
    for cell, width in zip(row.cells, widths_cm, strict=True):
        cell.width = Cm(width)
    return list(row.cells)


def _field_runs(paragraph: Paragraph, instr: str, shown: str) -> None:
    """Append a complex field (PAGE, NUMPAGES) with its cached result."""
    xml = (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r {nsdecls('w')}><w:t>{shown}</w:t></w:r>"
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for el in parse_xml(f"<x>{xml}</x>".replace("<x>", f"<x {nsdecls('w')}>")):
        paragraph._p.append(el)


def _page_footer(doc: DocxDocument, prefix: str = "") -> None:
    footer = doc.sections[0].footer
    para = footer.paragraphs[0]
    para.alignment = 1  # centre
    para.add_run(f"{prefix}Page ")
    _field_runs(para, "PAGE", "1")
    para.add_run(" of ")
    _field_runs(para, "NUMPAGES", "1")


def _page_header(doc: DocxDocument, text: str) -> None:
    para = doc.sections[0].header.paragraphs[0]
    para.alignment = 2  # right
    run = para.add_run(text)
    run.font.size = Pt(9)


def _bold_para(container: Any, text: str, size: float, *, colour: str | None = None) -> Paragraph:
    """A heading made of direct formatting only (Normal style, bold run)."""
    para = container.add_paragraph()
    run = para.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    para.paragraph_format.space_before = Pt(12 if size >= 14 else 8)
    para.paragraph_format.keep_with_next = True
    return para


def _blank(container: Any) -> None:
    """An empty paragraph: keeps consecutive tables apart, as Word requires."""
    container.add_paragraph()


_PPR_BEFORE_NUMPR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr")


def _insert_ppr_child(p_pr: Any, child: Any, before: Sequence[str]) -> None:
    """Insert into w:pPr before the first of ``before`` present, else at the end."""
    for tag in before:
        found = p_pr.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    p_pr.append(child)


# ---------------------------------------------------------------- somerset

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
_SOMERSET_AREAS = {
    "communication_interaction": AREAS[0],
    "cognition_learning": AREAS[1],
    "semh": AREAS[2],
    "sensory_physical": AREAS[3],
}
_SOMERSET_ROWS = 10
#: Rows that only label the row below; removed with it.
_LABEL_ROWS = frozenset(
    {"Strengths", "Views", "Interests", "Aspirations", "How best to support me",
     "How my views were gathered"}
)  # fmt: skip
_SOMERSET_BULLET_NUM_ID = "7"  # numbering.xml: a plain round bullet, no style bound


def template_path() -> pathlib.Path:
    for candidate in TEMPLATE_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise RenderError(f"the Somerset template {TEMPLATE_NAME} was not found")


def _p_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _strip_ids(el: Any) -> None:
    """Drop Word's paragraph ids from a clone: they must be unique in a file."""
    for node in el.iter():
        for attr in (f"{{{W14}}}paraId", f"{{{W14}}}textId"):
            if attr in node.attrib:
                del node.attrib[attr]


def _set_run_text(run: Any, text: str) -> None:
    for child in list(run):
        if child.tag != qn("w:rPr"):
            run.remove(child)
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)


def _merge_placeholder_runs(root: Any) -> None:
    """Join the runs of every paragraph holding ``{{``: Word splits Jinja fields."""
    for p in root.iter(qn("w:p")):
        runs = [c for c in p if c.tag == qn("w:r")]
        text = "".join(t.text or "" for r in runs for t in r.iter(qn("w:t")))
        if "{{" not in text or not runs:
            continue
        for r in runs:
            extra = [c.tag for c in r if c.tag not in (qn("w:rPr"), qn("w:t"))]
            if extra:
                raise RenderError(f"unexpected content in a placeholder run: {extra}")
        keep = runs[0]
        for child in list(p):
            if child.tag == qn("w:proofErr") or (child.tag == qn("w:r") and child is not keep):
                p.remove(child)
        _set_run_text(keep, text)


def _new_para_like(proto: Any, block: TextBlock | None) -> Any:
    """A copy of a template paragraph with one run holding ``block``'s text."""
    p = copy.deepcopy(proto)
    _strip_ids(p)
    run_proto = p.find(qn("w:r"))
    r_pr = copy.deepcopy(run_proto.find(qn("w:rPr"))) if run_proto is not None else None
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    if block is None:
        return p
    run = OxmlElement("w:r")
    if r_pr is not None:
        run.append(r_pr)
    _set_run_text(run, block.text)
    p.append(run)
    if block.bullet:
        p_pr = p.find(qn("w:pPr"))
        if p_pr is None:
            p_pr = OxmlElement("w:pPr")
            p.insert(0, p_pr)
        style = p_pr.find(qn("w:pStyle"))
        if style is None:
            style = OxmlElement("w:pStyle")
            p_pr.insert(0, style)
        style.set(qn("w:val"), "ListParagraph")
        num_pr = parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
            f'<w:numId w:val="{_SOMERSET_BULLET_NUM_ID}"/></w:numPr>'
        )
        anchor = None
        for tag in _PPR_BEFORE_NUMPR:
            found = p_pr.find(qn(tag))
            if found is not None:
                anchor = found
        if anchor is None:
            p_pr.insert(0, num_pr)
        else:
            anchor.addnext(num_pr)
    return p


_PPR_AFTER_SPACING = (
    "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _space_after(p: Any, twips: int) -> None:
    """Open up a filled-in paragraph: the template's cells have no paragraph spacing."""
    p_pr = p.find(qn("w:pPr"))
    if p_pr is None:
        p_pr = OxmlElement("w:pPr")
        p.insert(0, p_pr)
    spacing = p_pr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        _insert_ppr_child(p_pr, spacing, _PPR_AFTER_SPACING)
    spacing.set(qn("w:after"), str(twips))


def _replace_paragraph(p: Any, blocks: Sequence[TextBlock]) -> None:
    """Put ``blocks`` where the placeholder paragraph ``p`` stands."""
    new = [_new_para_like(p, b) for b in blocks] or [_new_para_like(p, None)]
    for el, block in zip(new[:-1], blocks[:-1], strict=True):
        _space_after(el, 40 if block.bullet else 100)
    for el in new:
        p.addprevious(el)
    p.getparent().remove(p)


def _remove_paragraph(p: Any) -> None:
    parent = p.getparent()
    if parent.tag == qn("w:tc") and len(parent.findall(qn("w:p"))) == 1:
        parent.replace(p, _new_para_like(p, None))
        return
    parent.remove(p)


def _tidy_cell(tc: Any) -> None:
    """No leading, trailing or doubled blank paragraphs in a filled cell."""
    paras = tc.findall(qn("w:p"))

    def blank(p: Any) -> bool:
        return not _p_text(p).strip() and p.find(f".//{qn('w:drawing')}") is None

    keep: list[Any] = []
    for p in paras:
        if blank(p) and (not keep or blank(keep[-1])):
            continue
        keep.append(p)
    while keep and blank(keep[-1]):
        keep.pop()
    if not keep:
        keep = paras[:1]
    for p in paras:
        if not any(p is k for k in keep):
            tc.remove(p)


def _set_cell(tc: Any, blocks: Sequence[TextBlock], *, bold_first: bool = False) -> None:
    """Replace a template cell's paragraphs with ``blocks`` as plain 10pt Arial.

    The template's empty cells carry grey guidance formatting; a filled-in
    value is ordinary black text, as an officer's typing would be.
    """
    for p in tc.findall(qn("w:p")):
        tc.remove(p)
    proto = parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>'
        '<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>'
        '<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:r></w:p>'
    )
    new = [_new_para_like(proto, b) for b in blocks] or [_new_para_like(proto, None)]
    for el in new:
        tc.append(el)
    if bold_first and blocks:
        new[0].find(f"{qn('w:r')}/{qn('w:rPr')}").insert(0, OxmlElement("w:b"))


def _cells(tr: Any) -> list[Any]:
    return tr.findall(qn("w:tc"))


def _row_text(tr: Any) -> str:
    return " ".join(_p_text(p) for p in tr.iter(qn("w:p"))).strip()


def _following_table(el: Any) -> Any:
    nxt = el.getnext()
    while nxt is not None and nxt.tag != qn("w:tbl"):
        nxt = nxt.getnext()
    return nxt


def _remove_with_spacer(el: Any) -> None:
    """Remove a body element and the empty paragraph that spaced it."""
    nxt = el.getnext()
    parent = el.getparent()
    parent.remove(el)
    if (
        nxt is not None
        and nxt.tag == qn("w:p")
        and not _p_text(nxt).strip()
        and nxt.find(f".//{qn('w:br')}") is None
        and nxt.find(qn("w:pPr") + "/" + qn("w:sectPr")) is None
    ):
        parent.remove(nxt)


def _remove_heading_and_table(body: Any, heading_start: str) -> None:
    for p in body.findall(qn("w:p")):
        if _p_text(p).strip().startswith(heading_start):
            table = _following_table(p)
            between = []
            nxt = p.getnext()
            while nxt is not None and nxt is not table:
                between.append(nxt)
                nxt = nxt.getnext()
            for el in [p, *between]:
                body.remove(el)
            if table is not None:
                _remove_with_spacer(table)
            return
    raise RenderError(f"Somerset template: no heading starting {heading_start!r}")


_COLUMN_HEAD = re.compile(r"\s*(B|C|D|E|F|G|H1|H2)\s*[–-]\s")


def _grid_positions(tr: Any) -> list[tuple[Any, int, int]]:
    """Each cell of a row with the grid column it starts at and how many it spans."""
    out, start = [], 0
    for tc in tr.findall(qn("w:tc")):
        span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
        out.append((tc, start, span))
        start += span
    return out


def _drop_column(tbl: Any, index: int) -> None:
    """Remove grid column ``index``; merged cells across it just get narrower."""
    grid = tbl.find(qn("w:tblGrid"))
    cols = grid.findall(qn("w:gridCol"))
    width = int(cols[index].get(qn("w:w"), "0"))
    neighbour = cols[index - 1] if index > 0 else cols[index + 1]
    neighbour.set(qn("w:w"), str(int(neighbour.get(qn("w:w"), "0")) + width))
    grid.remove(cols[index])
    for tr in tbl.findall(qn("w:tr")):
        for tc, start, span in _grid_positions(tr):
            if start <= index < start + span:
                if span > 1:
                    tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}").set(qn("w:val"), str(span - 1))
                else:
                    tr.remove(tc)
                break


def _drop_absent_columns(body: Any, absent: set[str]) -> None:
    """A section the plan leaves out loses its column in the combined tables."""
    if not absent:
        return
    for tbl in body.iter(qn("w:tbl")):
        for tr in tbl.findall(qn("w:tr")):
            heads = []
            for tc, start, _span in _grid_positions(tr):
                m = _COLUMN_HEAD.match(_row_text_all(tc))
                if m:
                    heads.append((m.group(1), start))
            if len(heads) >= 2:
                for _code, start in sorted((h for h in heads if h[0] in absent), reverse=True,
                                           key=lambda h: h[1]):  # fmt: skip
                    _drop_column(tbl, start)
                break


def _set_para_text(p: Any, text: str) -> None:
    """Give a paragraph one run holding ``text``, in its first run's formatting."""
    runs = p.findall(qn("w:r"))
    for r in runs[1:]:
        p.remove(r)
    for child in list(p):
        if child.tag == qn("w:proofErr"):
            p.remove(child)
    _set_run_text(runs[0], text)


def _retitle_combined_headings(body: Any, absent: set[str]) -> None:
    """Headings naming a dropped section are reworded, as an officer would."""
    for p in body.findall(qn("w:p")):
        text = _p_text(p)
        if text.startswith("Sections D ") and {"H1", "H2"} & absent:
            if {"H1", "H2"} <= absent:
                new = text.replace(" and H1 and H2 (Social care provision)", "")
                new = new.replace("Sections D", "Section D")
            else:
                kept = "H2" if "H1" in absent else "H1"
                new = text.replace(" and H1 and H2 (", f" and {kept} (")
            _set_para_text(p, new)
        elif text.startswith("Sections C ") and "G" in absent:
            new = text.split(" and G (")[0].replace("Sections C", "Section C")
            _set_para_text(p, new)


def _somerset_values(plan: dict[str, Any]) -> dict[str, str | None]:
    """What goes into each Jinja placeholder (None: the field is left out)."""
    d = plan["details"]
    a = plan.get("section_a", {})
    v: dict[str, str | None] = {
        "name": d["name"],
        "preferred_name": d.get("preferred_name", ""),
        "date_of_birth": fmt_date(d.get("date_of_birth"), "slash"),
        "sex": d.get("sex", ""),
        "ethnicity": d.get("ethnicity", ""),
        "child_or_young_person_first_language": d.get("first_language", ""),
        "parent_or_carer_first_language": d.get("parent_first_language", ""),
        "parent_1_name": d.get("parent_1_name", ""),
        "parent_1_relationship": d.get("parent_1_relationship", ""),
        "parent_1_email": "",
        "parent_1_telephone_number": "",
        "parent_1_home_address": d.get("address", ""),
        "education_setting": d.get("education_setting", ""),
        "gp_and_key_health_professional_where_applicable": d.get("gp", ""),
        "nhs_number_if_available": "",
        "known_to_social_care": d.get("known_to_social_care", ""),
        "other_professionals_involved_with_this_childyoung_personfamily": _professionals(plan),
        "currently_a_looked_after_child": "",
        "has_been_a_looked_after_child": "",
        "is_there_a_one_page_profile_received_append": "",
        "child_or_young_person_moving_to_area_with_ehcp_from_a_different_local_authority": "",
    }
    has_second = bool(d.get("parent_2_name"))
    for key in ("name", "relationship", "email", "telephone_number"):
        v[f"parent_2_{key}"] = d.get(f"parent_2_{key}", "") if has_second else None
    v["parent_2_home_address_if_different_to_parent_or_carer_1"] = "" if has_second else None
    show_a = "A" not in plan.get("absent", [])
    for key in A_FIELDS:
        v[key] = a.get(key) if show_a and a.get(key) else None
    groups = dict(needs_by_area(plan))
    for prefix, area in _SOMERSET_AREAS.items():
        rows = groups.get(area, [])
        _check_rows(area, rows)
        v[f"{prefix}_strengths"] = None
        for n in range(1, _SOMERSET_ROWS + 1):
            row = rows[n - 1] if n <= len(rows) else None
            for key in ("need", "provision", "outcome"):
                v[f"{prefix}_{key}_{n}"] = None if row is None else row.get(key, "")
    h_rows = health_rows(plan)
    s_rows = social_rows(plan)
    _check_rows("health", h_rows)
    _check_rows("social care", s_rows)
    v["health_care_strengths"] = None
    v["social_care_strengths"] = None
    for n in range(1, _SOMERSET_ROWS + 1):
        h = h_rows[n - 1] if n <= len(h_rows) else None
        s = s_rows[n - 1] if n <= len(s_rows) else None
        v[f"health_care_need_{n}"] = None if h is None else h.get("need", "")
        v[f"health_care_provision_{n}"] = None if h is None else h.get("provision", "")
        v[f"health_care_outcome_{n}"] = None if h is None else h.get("outcome", "")
        v[f"social_care_need_{n}"] = None if s is None else s.get("need", "")
        v[f"h1_provision_{n}"] = None if s is None else s.get("h1", "")
        v[f"h2_provision_{n}"] = None if s is None else s.get("h2", "")
        v[f"social_care_outcome_{n}"] = None if s is None else s.get("outcome", "")
    return v


def _check_rows(what: str, rows: Sequence[Any]) -> None:
    if len(rows) > _SOMERSET_ROWS:
        raise RenderError(
            f"the Somerset template has {_SOMERSET_ROWS} rows per table; {what} has {len(rows)}"
        )


def _clone_a2_rows(body: Any) -> None:
    """Add rows for the A fields the template has no box for, like an officer would."""
    for tbl in body.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        texts = [_row_text(r) for r in rows]
        if "Aspirations" not in texts:
            continue
        label_row = rows[texts.index("Aspirations")]
        value_row = label_row.getnext()
        anchor = value_row
        for label, field in (
            ("How best to support me", "how_best_to_support"),
            ("How my views were gathered", "how_views_gathered"),
        ):
            new_label = copy.deepcopy(label_row)
            new_value = copy.deepcopy(value_row)
            for el in (new_label, new_value):
                _strip_ids(el)
            for t in new_label.iter(qn("w:t")):
                t.text = ""
            next(new_label.iter(qn("w:t"))).text = label
            for t in new_value.iter(qn("w:t")):
                if t.text and "aspirations" in t.text:
                    t.text = "{{ " + field + " }}"
            anchor.addnext(new_label)
            new_label.addnext(new_value)
            anchor = new_value
        return
    raise RenderError("Somerset template: the A2 table was not found")


def _prune_rows(body: Any, values: dict[str, str | None]) -> None:
    """Remove rows whose placeholders are all unused, with their label rows."""
    for tbl in list(body.iter(qn("w:tbl"))):
        rows = tbl.findall(qn("w:tr"))
        for i, tr in enumerate(rows):
            names = _PLACEHOLDER.findall(_row_text(tr))
            if not names:
                continue
            for name in names:
                if name not in values:
                    raise RenderError(f"Somerset template: no value for placeholder {name!r}")
            if all(values[n] is None for n in names):
                if i > 0 and _row_text(rows[i - 1]) in _LABEL_ROWS:
                    tbl.remove(rows[i - 1])
                tbl.remove(tr)


def _fill_placeholders(body: Any, values: dict[str, str | None]) -> None:
    touched = []
    for p in list(body.iter(qn("w:p"))):
        text = _p_text(p)
        if "{{" not in text:
            continue
        only = _PLACEHOLDER.fullmatch(text.strip())
        parent = p.getparent()
        if only:
            value = values[only.group(1)]
            if value is None:
                _remove_paragraph(p)
            else:
                _replace_paragraph(p, text_blocks(value))
        else:

            def one_line(m: re.Match[str]) -> str:
                value = values[m.group(1)] or ""
                return " ".join(b.text for b in text_blocks(value))

            _set_run_text(p.find(qn("w:r")), _PLACEHOLDER.sub(one_line, text))
        if parent.tag == qn("w:tc"):
            touched.append(parent)
    for tc in touched:
        _tidy_cell(tc)


def _fill_advice_table(tbl: Any, plan: dict[str, Any]) -> None:
    """K: one row per piece of advice, the form's own rows reused where they fit."""
    rows = tbl.findall(qn("w:tr"))[1:]
    blank_rows = [r for r in rows if not _p_text(_cells(r)[0]).strip()]
    preset = {
        "medical": next(r for r in rows if "Medical advice" in _p_text(_cells(r)[0])),
        "ep": next(r for r in rows if "Educational psychologist" in _p_text(_cells(r)[0])),
        "social": next(r for r in rows if _p_text(_cells(r)[0]).strip() == "Social care"),
    }
    patterns = {
        "medical": r"medical|paediatric|paediatrician",
        "ep": r"educational psycholog",
        "social": r"social care|social work",
    }
    used: set[int] = set()
    for item in plan.get("advice", []):
        kind = next(
            (k for k, pat in patterns.items() if re.search(pat, item["advice"], re.IGNORECASE)),
            None,
        )
        if kind is not None and id(preset[kind]) not in used:
            tr = preset[kind]
        else:
            if not blank_rows:
                clone = copy.deepcopy(rows[0])
                _strip_ids(clone)
                tbl.findall(qn("w:tr"))[-1].addnext(clone)
                blank_rows.append(clone)
            tr = blank_rows.pop(0)
        used.add(id(tr))
        cells = _cells(tr)
        _set_cell(
            cells[0],
            [TextBlock(item["advice"]), *text_blocks(item.get("summary"))],
            bold_first=bool(item.get("summary")),
        )
        _set_cell(cells[1], [TextBlock(fmt_date(item.get("date"), "slash"))])
        _set_cell(cells[2], text_blocks(item.get("author")))
        if "appended" in item:
            _set_cell(cells[3], [TextBlock("YES" if item["appended"] else "NO")])
    for tr in rows:
        if id(tr) in used:
            continue
        if tr in blank_rows:
            tbl.remove(tr)
        else:
            _set_cell(_cells(tr)[3], [TextBlock("NO")])


def _somerset_plan_table(doc: DocxDocument, plan: dict[str, Any], after: Any) -> None:
    """Plan date, review date and status: the template has no place for them."""
    d = plan["details"]
    age = d.get("age")
    age_text = ", ".join(
        x for x in (f"{age} years" if age is not None else "", d.get("year_group", "")) if x
    )
    cols = [
        ("Plan status", str(d.get("status", "")).upper()),
        ("Date of this plan", fmt_date(d.get("plan_date"), "slash")),
        ("Date of next review", fmt_date(d.get("review_date"), "slash")),
        ("Age and year group", age_text),
    ]
    table = doc.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    for i, (label, value) in enumerate(cols):
        _cell(table.cell(0, i), label, bold=True)
        _cell(table.cell(1, i), value)
    after.addnext(table._tbl)
    spacer = OxmlElement("w:p")
    table._tbl.addnext(spacer)


def _render_somerset(plan: dict[str, Any], out_path: pathlib.Path) -> None:
    doc = docx.Document(str(template_path()))
    body = doc.element.body
    _merge_placeholder_runs(body)
    _clone_a2_rows(body)
    _drop_absent_columns(body, set(plan.get("absent", [])))
    _retitle_combined_headings(body, set(plan.get("absent", [])))
    values = _somerset_values(plan)
    tables = body.findall(qn("w:tbl"))

    def table_with(placeholder: str) -> Any:
        for t in tables:
            if placeholder in _row_text_all(t):
                return t
        raise RenderError(f"Somerset template: no table holds {placeholder}")

    if not any(values[k] for k in ("history", "communication")):
        _remove_with_spacer(table_with("{{ history }}"))
    if not any(values[k] for k in A_FIELDS[2:]):
        _remove_with_spacer(table_with("{{ interests }}"))
    groups = dict(needs_by_area(plan))
    for prefix, area in _SOMERSET_AREAS.items():
        if not groups.get(area):
            _remove_with_spacer(table_with("{{ " + prefix + "_need_1 }}"))
    if not health_rows(plan):
        _remove_heading_and_table(body, "Sections C ")
    if not social_rows(plan):
        _remove_heading_and_table(body, "Sections D ")
    _prune_rows(body, values)
    _fill_placeholders(body, values)

    placement = plan.get("placement")
    if has_section(plan, "I") and placement:
        tbl = _following_table(_body_para(body, "I - Placement"))
        rows = tbl.findall(qn("w:tr"))
        _set_cell(_cells(rows[0])[1], [TextBlock(placement["name"])])
        _set_cell(_cells(rows[1])[1], text_blocks(placement.get("type", "")))
        for tr in rows[2:]:
            tbl.remove(tr)
    else:
        _remove_heading_and_table(body, "I - Placement")
    budget = plan.get("personal_budget")
    if has_section(plan, "J") and budget:
        tbl = _following_table(_body_para(body, "J - Direct Payments"))
        rows = tbl.findall(qn("w:tr"))
        _set_cell(_cells(rows[0])[1], text_blocks(budget["details"]))
        _set_cell(_cells(rows[1])[1], text_blocks(budget.get("arrangements", "")))
    else:
        _remove_heading_and_table(body, "J - Direct Payments")
    if has_section(plan, "K"):
        _fill_advice_table(_following_table(_body_para(body, "K - The advice")), plan)
    else:
        _remove_heading_and_table(body, "K - The advice")
    sign_off = plan.get("sign_off")
    if sign_off:
        tbl = _following_table(_body_para(body, "Sign-off"))
        cells = _cells(tbl.findall(qn("w:tr"))[1])
        _set_cell(cells[0], text_blocks(sign_off.get("officer", "")))
        _set_cell(cells[2], [TextBlock(fmt_date(sign_off.get("date"), "slash"))])

    title = _body_para(body, "EHCP template for testing")
    _set_run_text(title.find(qn("w:r")), "Education, Health and Care Plan")
    _somerset_plan_table(doc, plan, title)
    left = _PLACEHOLDER.search(_row_text_all(body))
    if left:
        raise RenderError(f"Somerset template: placeholder {left.group(0)} left unfilled")
    set_core_properties(doc, plan, "Education, Health and Care Plan")
    doc.save(str(out_path))


def _row_text_all(el: Any) -> str:
    return "\n".join(_p_text(p) for p in el.iter(qn("w:p")))


def _body_para(body: Any, start: str) -> Any:
    for p in body.findall(qn("w:p")):
        if _p_text(p).strip().startswith(start):
            return p
    raise RenderError(f"Somerset template: no paragraph starting {start!r}")


def _render_somerset_blank(plan: dict[str, Any], out_path: pathlib.Path) -> None:
    """The real template as published: a draft whose fields nobody filled."""
    shutil.copyfile(template_path(), out_path)


# ---------------------------------------------------------------- classic

_CLASSIC_A_TITLES = {
    "history": "All about me",
    "communication": "How I communicate",
    "child_views": "What is important to me",
    "family_views": "What my family say",
    "interests": "My interests",
    "strengths": "What people like and admire about me",
    "aspirations": "My hopes for the future",
    "how_best_to_support": "How best to support me",
    "how_views_gathered": "How my views were gathered",
}

_STATUTORY_TITLES = {
    "B": "Special educational needs",
    "C": "Health care needs which relate to special educational needs",
    "D": "Social care needs which relate to special educational needs or a disability",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health care provision reasonably required",
    "H1": "Social care provision under section 2 of the Chronically Sick and Disabled "
    "Persons Act 1970",
    "H2": "Other social care provision reasonably required",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information",
}


def _a_title(plan: dict[str, Any]) -> str:
    if is_16_plus(plan):
        return "The views, interests and aspirations of the young person"
    return "The views, interests and aspirations of the child and their parents"


def _details_rows(plan: dict[str, Any], date_style: str) -> list[tuple[str, str]]:
    d = plan["details"]
    rows = [
        ("Name", d["name"]),
        ("Preferred name", d.get("preferred_name", "")),
        ("Date of birth", fmt_date(d.get("date_of_birth"), date_style)),
        ("Age", str(d.get("age", ""))),
        ("Year group", d.get("year_group", "")),
        ("Sex", d.get("sex", "")),
        ("Ethnicity", d.get("ethnicity", "")),
        ("First language", d.get("first_language", "")),
        ("Parent or carer first language", d.get("parent_first_language", "")),
    ]
    for i, (name, relation) in enumerate(_parents(plan), start=1):
        rows.append((f"Parent or carer {i}", f"{name} ({relation})" if relation else name))
    rows += [
        ("Home address", d.get("address", "")),
        ("Education setting", d.get("education_setting", "")),
        ("GP", d.get("gp", "")),
        ("Known to social care", d.get("known_to_social_care", "")),
        ("Date of this plan", fmt_date(d.get("plan_date"), date_style)),
        ("Date of next review", fmt_date(d.get("review_date"), date_style)),
        ("Plan status", str(d.get("status", "")).capitalize()),
    ]
    return [(k, v) for k, v in rows if v]


def _outcome_groups(plan: dict[str, Any]) -> list[tuple[str, list[str]]]:
    groups = [(area, [r["outcome"] for r in rows if r.get("outcome")])
              for area, rows in needs_by_area(plan)]  # fmt: skip
    groups.append(("Health", [r["outcome"] for r in plan.get("health", []) if r.get("outcome")]))
    groups.append(
        ("Social care", [r["outcome"] for r in plan.get("social_care", []) if r.get("outcome")])
    )
    return [(title, outs) for title, outs in groups if outs]


def _render_classic(plan: dict[str, Any], out_path: pathlib.Path) -> None:
    d = plan["details"]
    doc = _new_document(font="Arial", size=11)
    _page_header(doc, f"EHC Plan – {d['name']} – CONFIDENTIAL")
    _page_footer(doc)
    doc.add_heading("Education, Health and Care Plan", level=1)
    if d.get("status") == "draft":
        doc.add_paragraph("DRAFT – for consultation with the family")
    rows = _details_rows(plan, "long")
    widths = (5.5, 11.5)
    table = _table(doc, len(rows) + 1, 2, widths)
    _header_row(table, ("Personal details", ""))
    table.cell(0, 0).merge(table.cell(0, 1))
    for i, (label, value) in enumerate(rows, start=1):
        _cell(table.cell(i, 0), label, bold=True)
        _cell(table.cell(i, 1), value)

    def heading(code: str, title: str) -> None:
        doc.add_heading(f"Section {code}: {title}", level=1)

    if has_section(plan, "A"):
        heading("A", _a_title(plan))
        for key, value in section_a_fields(plan):
            doc.add_heading(_CLASSIC_A_TITLES[key], level=2)
            _add_blocks(doc, text_blocks(value))
    groups = needs_by_area(plan)
    if has_section(plan, "B"):
        heading("B", _STATUTORY_TITLES["B"])
        for area, needs in groups:
            doc.add_heading(area, level=2)
            for row in needs:
                _add_blocks(doc, text_blocks(row.get("need")))
    if has_section(plan, "C"):
        heading("C", _STATUTORY_TITLES["C"])
        for row in health_rows(plan):
            _add_blocks(doc, text_blocks(row.get("need")))
    if has_section(plan, "D"):
        heading("D", _STATUTORY_TITLES["D"])
        for row in social_rows(plan):
            _add_blocks(doc, text_blocks(row.get("need")))
    if has_section(plan, "E"):
        heading("E", _STATUTORY_TITLES["E"])
        for title, outcomes in _outcome_groups(plan):
            doc.add_heading(title, level=2)
            for outcome in outcomes:
                _add_blocks(doc, text_blocks(outcome), all_bullets=True)
    if has_section(plan, "F"):
        heading("F", _STATUTORY_TITLES["F"])
        for area, needs in groups:
            if any(r.get("provision") for r in needs):
                doc.add_heading(area, level=2)
            for row in needs:
                _add_blocks(doc, text_blocks(row.get("provision")), all_bullets=True)
    if has_section(plan, "G"):
        heading("G", _STATUTORY_TITLES["G"])
        for row in health_rows(plan):
            _add_blocks(
                doc, text_blocks(row.get("provision")), all_bullets=bool(plan.get("health"))
            )
    for code, key in (("H1", "h1"), ("H2", "h2")):
        if has_section(plan, code):
            heading(code, _STATUTORY_TITLES[code])
            for row in social_rows(plan):
                _add_blocks(
                    doc, text_blocks(row.get(key)), all_bullets=bool(plan.get("social_care"))
                )
    if has_section(plan, "I"):
        heading("I", _STATUTORY_TITLES["I"])
        placement = plan["placement"]
        doc.add_paragraph(f"Name of school or setting: {placement['name']}")
        if placement.get("type"):
            doc.add_paragraph(f"Type of school or setting: {placement['type']}")
    if has_section(plan, "J"):
        heading("J", _STATUTORY_TITLES["J"])
        budget = plan["personal_budget"]
        _add_blocks(doc, text_blocks(budget["details"]))
        if budget.get("arrangements"):
            doc.add_heading("Arrangements for the personal budget", level=2)
            _add_blocks(doc, text_blocks(budget["arrangements"]))
    if has_section(plan, "K"):
        heading("K", _STATUTORY_TITLES["K"])
        doc.add_paragraph("The advice and information gathered during the EHC needs assessment:")
        widths_k = (6.5, 5.0, 3.3, 2.2)
        table = _table(doc, 1, 4, widths_k)
        _header_row(table, ("Advice", "Author", "Date", "Appended"))
        for item in plan["advice"]:
            cells = _add_row(table, widths_k)
            _cell(cells[0], [TextBlock(item["advice"]), *text_blocks(item.get("summary"))])
            _cell(cells[1], item.get("author", ""))
            _cell(cells[2], fmt_date(item.get("date"), "long"))
            if "appended" in item:
                _cell(cells[3], "Yes" if item["appended"] else "No")
    _sign_off_paragraphs(doc, plan, "long")
    set_core_properties(doc, plan, "Education, Health and Care Plan")
    doc.save(str(out_path))


def _sign_off_paragraphs(doc: DocxDocument, plan: dict[str, Any], date_style: str) -> None:
    sign_off = plan.get("sign_off")
    if not sign_off:
        return
    doc.add_paragraph()
    if sign_off.get("officer"):
        doc.add_paragraph(f"Signed on behalf of the local authority: {sign_off['officer']}")
    if sign_off.get("date"):
        doc.add_paragraph(f"Date: {fmt_date(sign_off['date'], date_style)}")


# ---------------------------------------------------------------- childfriendly

_FRIENDLY_A_TITLES = {
    "history": "My history",
    "communication": "How I communicate",
    "strengths": "What people like and admire about me",
    "child_views": "What is important to me",
    "family_views": "What my family say",
    "how_best_to_support": "How best to support me",
    "aspirations": "My hopes for the future",
    "how_views_gathered": "How we found out my views",
}
_FRIENDLY_ORDER = (
    "history",
    "communication",
    "strengths",
    "child_views",
    "family_views",
    "how_best_to_support",
    "aspirations",
    "how_views_gathered",
)
_WNS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _textbox_paragraphs(title: str, blocks: Sequence[TextBlock]) -> str:
    paras = [
        '<w:p><w:pPr><w:spacing w:after="60"/></w:pPr><w:r><w:rPr><w:b/>'
        '<w:sz w:val="24"/></w:rPr>'
        f'<w:t xml:space="preserve">{_xml_escape(title)}</w:t></w:r></w:p>'
    ]
    for block in blocks:
        paras.append(
            '<w:p><w:pPr><w:spacing w:after="60"/></w:pPr><w:r><w:rPr><w:i/></w:rPr>'
            f'<w:t xml:space="preserve">{_xml_escape(block.text)}</w:t></w:r></w:p>'
        )
    return "".join(paras)


def _text_box_run(title: str, blocks: Sequence[TextBlock], width_cm: float) -> Any:
    """A Word text box (DrawingML with a VML fallback, as Word itself writes it)."""
    emu_per_cm = 360000
    chars_per_line = max(20, int(width_cm * 5.2))
    lines = 1 + sum(max(1, math.ceil(len(b.text) / chars_per_line)) for b in blocks)
    cx = int(width_cm * emu_per_cm)
    cy = int((0.55 * lines + 0.5) * emu_per_cm)
    content = _textbox_paragraphs(title, blocks)
    width_pt = round(width_cm * 28.3465, 1)
    height_pt = round(cy / 12700, 1)
    xml = f"""<w:r {_WNS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0"
 relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
<wp:wrapTopAndBottom/><wp:docPr id="1" name="Text Box 1"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>
<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
<a:solidFill><a:srgbClr val="FFF4D6"/></a:solidFill>
<a:ln w="19050"><a:solidFill><a:srgbClr val="E0A526"/></a:solidFill></a:ln></wps:spPr>
<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440"
 bIns="45720" anchor="t" anchorCtr="0"><a:spAutoFit/></wps:bodyPr></wps:wsp>
</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"
 path="m,l,21600r21600,l21600,xe" xmlns:o="urn:schemas-microsoft-com:office:office">
<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
<v:shape id="Text Box 1" o:spid="_x0000_s1026" type="#_x0000_t202"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 style="position:absolute;margin-left:0;margin-top:0;width:{width_pt}pt;height:{height_pt}pt;z-index:251659264;mso-wrap-style:square"
 fillcolor="#fff4d6" strokecolor="#e0a526" strokeweight="1.5pt">
<v:textbox style="mso-fit-shape-to-text:t"><w:txbxContent>{content}</w:txbxContent></v:textbox>
<w10:wrap type="topAndBottom" xmlns:w10="urn:schemas-microsoft-com:office:word"/>
</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""
    return etree.fromstring(xml.replace("\n", " "))


def _wrap_in_sdt(paragraphs: Sequence[Paragraph], alias: str, tag: str, sdt_id: int) -> None:
    """Put consecutive body paragraphs inside a block-level content control."""
    first = paragraphs[0]._p
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/>'
        f'<w:id w:val="{sdt_id}"/></w:sdtPr><w:sdtContent/></w:sdt>'
    )
    first.addprevious(sdt)
    content = sdt.find(qn("w:sdtContent"))
    for para in paragraphs:
        content.append(para._p)


def _inline_date_sdt(paragraph: Paragraph, iso: str, shown: str, sdt_id: int) -> None:
    """A date-picker content control around a run, as council forms use."""
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="Date of plan"/>'
        f'<w:id w:val="{sdt_id}"/><w:date w:fullDate="{iso}T00:00:00Z">'
        '<w:dateFormat w:val="d MMMM yyyy"/><w:lid w:val="en-GB"/>'
        '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
        f"</w:sdtPr><w:sdtContent><w:r><w:t>{_xml_escape(shown)}</w:t></w:r></w:sdtContent></w:sdt>"
    )
    paragraph._p.append(sdt)


def _render_childfriendly(plan: dict[str, Any], out_path: pathlib.Path) -> None:
    d = plan["details"]
    doc = _new_document(font="Arial", size=11)
    _page_footer(doc, prefix=f"{d.get('preferred_name') or d['name']}'s EHC Plan – ")
    _bold_para(doc, "My EHC Plan", 22, colour="1F6F8B")
    doc.add_paragraph(f"Education, Health and Care Plan for {d['name']}")
    status = doc.add_paragraph(f"This plan is {d.get('status', 'final')}. Date of plan: ")
    plan_date = d.get("plan_date")
    if plan_date and _iso_or(plan_date, "") == plan_date:
        _inline_date_sdt(status, plan_date, fmt_date(plan_date, "long"), 101)
    elif plan_date:
        status.add_run(plan_date)
    review = d.get("review_date")
    if review and _iso_or(review, "") == review:
        doc.add_paragraph(f"We will look at this plan again by {fmt_date(review, 'long')}.")
    elif review:
        doc.add_paragraph(f"Review date: {review}")

    skip = ("Date of this plan", "Date of next review", "Plan status")
    rows = [(label, value) for label, value in _details_rows(plan, "long") if label not in skip]
    details = [doc.add_paragraph(f"{label}: {value}") for label, value in rows]
    _wrap_in_sdt(details, "Child details", "child_details", 102)

    def section(title: str) -> None:
        _bold_para(doc, title, 15, colour="1F6F8B")

    def part(title: str) -> None:
        _bold_para(doc, title, 12)

    if has_section(plan, "A"):
        section("A – My views, interests and aspirations")
        a = plan.get("section_a", {})
        if a.get("interests"):
            part("All about me")
            holder = doc.add_paragraph()
            holder._p.append(
                _text_box_run("My one-page profile", text_blocks(a["interests"]), 16.0)
            )
        for key in _FRIENDLY_ORDER:
            if not a.get(key):
                continue
            part(_FRIENDLY_A_TITLES[key])
            paras = _add_blocks(doc, text_blocks(a[key]))
            if key == "child_views":
                _wrap_in_sdt(paras, "What is important to me", "child_views", 103)
    if has_section(plan, "E"):
        section("Section E – Outcomes")
        doc.add_paragraph("What we want to happen for me, and by when:")
        for title, outcomes in _outcome_groups(plan):
            part(title)
            for outcome in outcomes:
                _add_blocks(doc, text_blocks(outcome), all_bullets=True)
    groups = needs_by_area(plan)
    if has_section(plan, "B"):
        section("B – Special educational needs")
        for area, needs in groups:
            part(area)
            for row in needs:
                _add_blocks(doc, text_blocks(row.get("need")))
    if has_section(plan, "F"):
        section("F – Special educational provision")
        for area, needs in groups:
            if any(r.get("provision") for r in needs):
                part(f"Help with {area[0].lower()}{area[1:]}")
            for row in needs:
                _add_blocks(doc, text_blocks(row.get("provision")))
    if has_section(plan, "C"):
        section("C – My health needs")
        for row in health_rows(plan):
            _add_blocks(doc, text_blocks(row.get("need")))
    if has_section(plan, "G"):
        section("G – Health provision")
        for row in health_rows(plan):
            _add_blocks(doc, text_blocks(row.get("provision")))
    if has_section(plan, "D"):
        section("D – My social care needs")
        for row in social_rows(plan):
            _add_blocks(doc, text_blocks(row.get("need")))
    if has_section(plan, "H1") or has_section(plan, "H2"):
        section("H – Social care provision")
        for row in social_rows(plan):
            if "H1" not in plan.get("absent", []):
                _add_blocks(doc, text_blocks(row.get("h1")))
            if "H2" not in plan.get("absent", []):
                _add_blocks(doc, text_blocks(row.get("h2")))
    if has_section(plan, "I"):
        section("I – Where I go to school")
        placement = plan["placement"]
        doc.add_paragraph(placement["name"])
        if placement.get("type"):
            doc.add_paragraph(f"Type of school: {placement['type']}")
    if has_section(plan, "J"):
        section("J – Personal budget")
        budget = plan["personal_budget"]
        _add_blocks(doc, text_blocks(budget["details"]))
        _add_blocks(doc, text_blocks(budget.get("arrangements")))
    if has_section(plan, "K"):
        section("K – Advice and information")
        doc.add_paragraph("People who gave advice for my plan:")
        for item in plan["advice"]:
            line = f"{item['advice']} from {item.get('author', 'unknown')}"
            if item.get("date"):
                line += f", dated {fmt_date(item['date'], 'long')}"
            if "appended" in item:
                line += " (appended)" if item["appended"] else " (not appended)"
            doc.add_paragraph(line, style="List Bullet")
            _add_blocks(doc, text_blocks(item.get("summary")))
    _sign_off_paragraphs(doc, plan, "long")
    set_core_properties(doc, plan, "My EHC Plan")
    doc.save(str(out_path))


# ---------------------------------------------------------------- tablegrid

_GRID_A_TITLES = {
    "history": "Background and history",
    "communication": "How I communicate",
    "child_views": "My views",
    "family_views": "My parents' and carers' views",
    "interests": "My interests",
    "strengths": "My strengths",
    "aspirations": "My aspirations",
    "how_best_to_support": "How best to support me",
    "how_views_gathered": "How views were gathered",
}
_GRID_W = (4.2, 12.8)
_HEAD_FILL = "BDD7EE"


def _section_table(doc: DocxDocument, letter: str, title: str, rows: Sequence[tuple[str, Any]]):
    table = _table(doc, 1, 2, _GRID_W)
    _header_row(table, (letter, title), fill=_HEAD_FILL)
    for label, value in rows:
        cells = _add_row(table, _GRID_W)
        _cell(cells[0], label, bold=True)
        _cell(cells[1], value)
    _blank(doc)
    return table


#: (section code, row key, relative width) of each combined table's columns
BFE_COLUMNS = (("B", "need", 5.5), ("F", "provision", 6.0), ("E", "outcome", 5.5))
CGE_COLUMNS = (("C", "need", 5.5), ("G", "provision", 6.0), ("E", "outcome", 5.5))
DHE_COLUMNS = (("D", "need", 4.2), ("H1", "h1", 4.3), ("H2", "h2", 4.3), ("E", "outcome", 4.2))
CONTENT_WIDTH_CM = 17.0


def _combined_table(
    doc: DocxDocument,
    plan: dict[str, Any],
    columns: Sequence[tuple[str, str, float]],
    headers: dict[str, str],
    groups: Sequence[tuple[str | None, Sequence[dict[str, Any]]]],
    fill: str,
) -> None:
    """A combined needs/provision/outcomes table: header row, then rows per group.

    A section the plan leaves out (``absent``) loses its column, so the
    rendered plan has no heading for a section its labels call absent. A
    group's title, when given, is a row merged across the table.
    """
    absent = set(plan.get("absent", []))
    kept = [c for c in columns if c[0] not in absent]
    scale = CONTENT_WIDTH_CM / sum(w for _c, _k, w in kept)
    widths = [round(w * scale, 2) for _c, _k, w in kept]
    table = _table(doc, 1, len(kept), widths)
    _header_row(table, [headers[c] for c, _k, _w in kept], fill=fill)
    for title, rows in groups:
        if title:
            cells = _add_row(table, widths)
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            _cell(merged, title, bold=True)
            _shade(merged, "F2F2F2")
        for row in rows:
            cells = _add_row(table, widths)
            for cell, (_code, key, _w) in zip(cells, kept, strict=True):
                _cell(cell, row.get(key, ""))
    _blank(doc)


def _checkbox_w14(paragraph: Paragraph, checked: bool, sdt_id: int) -> None:
    glyph = "\u2612" if checked else "\u2610"
    sdt = parse_xml(
        f'<w:sdt {_WNS}><w:sdtPr><w:id w:val="{sdt_id}"/>'
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
        '</w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" '
        'w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr>'
        f"<w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
    )
    paragraph._p.append(sdt)


def _checkbox_legacy(paragraph: Paragraph, checked: bool, name: str) -> None:
    state = "<w:checked/>" if checked else ""
    xml = (
        f'<x {nsdecls("w")}><w:r><w:fldChar w:fldCharType="begin"><w:ffData>'
        f'<w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>'
        f'<w:checkBox><w:sizeAuto/><w:default w:val="0"/>{state}</w:checkBox>'
        "</w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></x>'
    )
    for el in parse_xml(xml):
        paragraph._p.append(el)


def _render_tablegrid(plan: dict[str, Any], out_path: pathlib.Path) -> None:
    d = plan["details"]
    doc = _new_document(font="Calibri", size=11)
    _page_footer(doc, prefix=f"EHCP {d['name']} – ")
    title = doc.add_paragraph()
    title.alignment = 1
    run = title.add_run("EDUCATION, HEALTH AND CARE PLAN")
    run.bold = True
    run.font.size = Pt(16)

    rows = _details_rows(plan, "slash")
    # the family's rows (each parent, then their address) share one label cell
    # spanning them: a vertically merged cell, as many council forms have
    family = re.compile(r"Parent or carer \d|Home address")
    family_rows = [(k, v) for k, v in rows if family.fullmatch(k)]
    other_rows = [(k, v) for k, v in rows if not family.fullmatch(k)]
    widths = (4.2, 4.0, 8.8)
    table = _table(doc, 1, 3, widths)
    _header_row(table, ("Personal details", "", ""), fill=_HEAD_FILL)
    table.cell(0, 0).merge(table.cell(0, 2))
    for label, value in other_rows[:9]:
        cells = _add_row(table, widths)
        _cell(cells[0], label, bold=True)
        _cell(cells[1].merge(cells[2]), value)
    family_cells = []
    for label, value in family_rows:
        cells = _add_row(table, widths)
        _cell(cells[1], label, bold=True)
        _cell(cells[2], value)
        family_cells.append(cells[0])
    if family_cells:
        merged = family_cells[0]
        if len(family_cells) > 1:
            merged = family_cells[0].merge(family_cells[-1])
        _cell(merged, "Parents and carers", bold=True)
    for label, value in other_rows[9:]:
        cells = _add_row(table, widths)
        _cell(cells[0], label, bold=True)
        _cell(cells[1].merge(cells[2]), value)
    _blank(doc)

    if has_section(plan, "A"):
        _section_table(
            doc,
            "A",
            _a_title(plan),
            [(_GRID_A_TITLES[k], v) for k, v in section_a_fields(plan)],
        )
    if has_section(plan, "B"):
        headers = {"B": "Needs (B)", "F": "Provision (F)", "E": "Outcomes (E)"}
        for area, needs in needs_by_area(plan):
            _combined_table(doc, plan, BFE_COLUMNS, headers, [(area, needs)], _HEAD_FILL)
    if has_section(plan, "C") or has_section(plan, "G"):
        headers = {
            "C": "Health care needs (C)",
            "G": "Health care provision (G)",
            "E": "Outcomes (E)",
        }
        _combined_table(doc, plan, CGE_COLUMNS, headers, [(None, health_rows(plan))], _HEAD_FILL)
    if any(has_section(plan, c) for c in ("D", "H1", "H2")):
        headers = {
            "D": "Social care needs (D)",
            "H1": "Social care provision: CSDPA 1970 s2 (H1)",
            "H2": "Other social care provision (H2)",
            "E": "Outcomes (E)",
        }
        _combined_table(doc, plan, DHE_COLUMNS, headers, [(None, social_rows(plan))], _HEAD_FILL)
    if has_section(plan, "I"):
        placement = plan["placement"]
        _section_table(
            doc,
            "I",
            "Placement",
            [("Name of school or setting", placement["name"]), ("Type", placement.get("type", ""))],
        )
    if has_section(plan, "J"):
        budget = plan["personal_budget"]
        _section_table(
            doc,
            "J",
            "Personal budget",
            [("Details", budget["details"]), ("Arrangements", budget.get("arrangements", ""))],
        )
    if has_section(plan, "K"):
        widths = (1.6, 6.0, 4.6, 2.6, 2.2)
        table = _table(doc, 1, 5, widths)
        head = table.rows[0].cells
        _cell(head[0], "K", bold=True)
        merged = head[1].merge(head[4])
        _cell(merged, "Advice and information", bold=True)
        for c in (head[0], merged):
            _shade(c, _HEAD_FILL)
        cells = _add_row(table, widths)
        for cell, text in zip(
            cells[1:], ("Advice", "Provided by", "Date", "Appended"), strict=True
        ):
            _cell(cell, text, bold=True)
        for item in plan["advice"]:
            cells = _add_row(table, widths)
            _cell(cells[1], [TextBlock(item["advice"]), *text_blocks(item.get("summary"))])
            _cell(cells[2], item.get("author", ""))
            _cell(cells[3], fmt_date(item.get("date"), "slash"))
            if "appended" in item:
                _cell(cells[4], "Yes" if item["appended"] else "No")
        _blank(doc)

    sign_off = plan.get("sign_off", {})
    table = _table(doc, 1, 2, _GRID_W)
    _header_row(table, ("", "Agreement and sign-off"), fill=_HEAD_FILL)
    cells = _add_row(table, _GRID_W)
    _cell(cells[0], "Parent agrees with plan", bold=True)
    _checkbox_w14(cells[1].paragraphs[0], d.get("status") == "final", 201)
    cells = _add_row(table, _GRID_W)
    _cell(cells[0], "Plan sent to education setting", bold=True)
    _checkbox_legacy(cells[1].paragraphs[0], d.get("status") == "final", "SentToSetting")
    if sign_off:
        cells = _add_row(table, _GRID_W)
        _cell(cells[0], "Signed", bold=True)
        _cell(cells[1], sign_off.get("officer", ""))
        cells = _add_row(table, _GRID_W)
        _cell(cells[0], "Date", bold=True)
        _cell(cells[1], fmt_date(sign_off.get("date"), "slash"))
    set_core_properties(doc, plan, "Education, Health and Care Plan")
    doc.save(str(out_path))


# ---------------------------------------------------------------- outline

_OUTLINE_A_TITLES = {
    "history": "My story",
    "communication": "How I communicate",
    "child_views": "My views",
    "family_views": "My family's views",
    "interests": "My interests",
    "strengths": "My strengths",
    "aspirations": "My hopes for the future",
    "how_best_to_support": "How best to support me",
    "how_views_gathered": "How my views were gathered",
}
_OUTLINE_COLOUR = "2E5597"


def _outline_para(doc: DocxDocument, text: str, level: int) -> Paragraph:
    """A Normal paragraph that is a heading only through its outline level."""
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.font.color.rgb = RGBColor.from_string(_OUTLINE_COLOUR)
    para.paragraph_format.space_before = Pt(12 if level == 0 else 6)
    para.paragraph_format.keep_with_next = True
    p_pr = para._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    _insert_ppr_child(p_pr, outline, ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"))
    return para


def _tracked_change_para(doc: DocxDocument, plan: dict[str, Any]) -> None:
    """One sentence with a deletion and an insertion, as a reviewing officer leaves it."""
    d = plan["details"]
    who = d.get("preferred_name") or d["name"]
    parent = d.get("parent_1_name")
    with_whom = f"{who} and {parent}" if parent else who
    when = fmt_date(d.get("plan_date"), "ordinal")
    stamp = f"{_iso_or(d.get('plan_date'), '2025-01-01')}T09:00:00Z"
    author = "SEN Case Officer"
    para = doc.add_paragraph()
    xml = (
        f"<x {nsdecls('w')}>"
        f'<w:r><w:t xml:space="preserve">This part of the plan was written with {_xml_escape(with_whom)} at </w:t></w:r>'  # noqa: E501
        f'<w:del w:id="1" w:author="{author}" w:date="{stamp}"><w:r>'
        '<w:delText xml:space="preserve">a meeting at school</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" w:author="{author}" w:date="{stamp}"><w:r>'
        '<w:t xml:space="preserve">their home</w:t></w:r></w:ins>'
        f'<w:r><w:t xml:space="preserve"> on {when}.</w:t></w:r></x>'
    )
    for el in parse_xml(xml):
        para._p.append(el)


def _render_outline(plan: dict[str, Any], out_path: pathlib.Path) -> None:
    d = plan["details"]
    doc = _new_document(font="Verdana", size=10)
    _page_header(doc, f"{d['name']} – EHC Plan – {str(d.get('status', '')).capitalize()}")
    _page_footer(doc)
    title = doc.add_paragraph()
    run = title.add_run("Education, Health and Care Plan")
    run.font.size = Pt(18)
    run.font.color.rgb = RGBColor.from_string(_OUTLINE_COLOUR)
    _outline_para(doc, "Part 1 – Personal details", 0)
    for label, value in _details_rows(plan, "ordinal"):
        doc.add_paragraph(f"{label}: {value}")

    if has_section(plan, "A"):
        _outline_para(doc, "Part A – About me", 0)
        _tracked_change_para(doc, plan)
        for n, (key, value) in enumerate(section_a_fields(plan), start=1):
            _outline_para(doc, f"A{n} {_OUTLINE_A_TITLES[key]}", 1)
            _add_blocks(doc, text_blocks(value))
    if has_section(plan, "B"):
        _outline_para(doc, "Part B – Special educational needs", 0)
        doc.add_paragraph(
            "Needs (B), the provision to meet them (F) and the outcomes sought (E), "
            "by broad area of need."
        )
        headers = {
            "B": "B – Special Educational Needs",
            "F": "F – Special Educational Provision",
            "E": "E – Outcomes",
        }
        for n, (area, needs) in enumerate(needs_by_area(plan), start=1):
            _outline_para(doc, f"B{n} {area}", 1)
            _combined_table(doc, plan, BFE_COLUMNS, headers, [(None, needs)], "DEEAF6")
    if has_section(plan, "C") or has_section(plan, "G"):
        _outline_para(doc, "Part C and G – Health", 0)
        headers = {
            "C": "C – Health care needs",
            "G": "G – Health care provision",
            "E": "E – Outcomes",
        }
        _combined_table(doc, plan, CGE_COLUMNS, headers, [(None, health_rows(plan))], "DEEAF6")
    if any(has_section(plan, c) for c in ("D", "H1", "H2")):
        _outline_para(doc, "Part D and H – Social care", 0)
        headers = {
            "D": "D – Social care needs",
            "H1": "H1 – Social care provision (CSDPA 1970 section 2)",
            "H2": "H2 – Other social care provision",
            "E": "E – Outcomes",
        }
        _combined_table(doc, plan, DHE_COLUMNS, headers, [(None, social_rows(plan))], "DEEAF6")
    if has_section(plan, "I"):
        _outline_para(doc, "Part I – Placement", 0)
        placement = plan["placement"]
        doc.add_paragraph(f"School or other institution: {placement['name']}")
        if placement.get("type"):
            doc.add_paragraph(f"Type: {placement['type']}")
    if has_section(plan, "J"):
        _outline_para(doc, "Part J – Personal budget", 0)
        budget = plan["personal_budget"]
        _add_blocks(doc, text_blocks(budget["details"]))
        _add_blocks(doc, text_blocks(budget.get("arrangements")))
    if has_section(plan, "K"):
        _outline_para(doc, "Part K – Advice and information", 0)
        for n, item in enumerate(plan["advice"], start=1):
            para = doc.add_paragraph()
            para.add_run(f"K{n}. ")
            para.add_run(item["advice"]).bold = True
            extra = [item.get("author", "")]
            if item.get("date"):
                extra.append(fmt_date(item["date"], "ordinal"))
            if "appended" in item:
                extra.append("appended" if item["appended"] else "not appended")
            para.add_run(" – " + ", ".join(x for x in extra if x))
            _add_blocks(doc, text_blocks(item.get("summary")))
    _sign_off_paragraphs(doc, plan, "ordinal")
    set_core_properties(doc, plan, "Education, Health and Care Plan")
    doc.save(str(out_path))


# ---------------------------------------------------------------- entry point

_RENDERERS = {
    "somerset": _render_somerset,
    "somerset_blank": _render_somerset_blank,
    "classic": _render_classic,
    "childfriendly": _render_childfriendly,
    "tablegrid": _render_tablegrid,
    "outline": _render_outline,
}


def render(plan: dict[str, Any], out_path: pathlib.Path) -> None:
    """Write ``plan`` as a DOCX in the style its ``template`` names."""
    template = plan.get("template", "")
    renderer = _RENDERERS.get(template)
    if renderer is None:
        raise RenderError(
            f"template {template!r} is not a DOCX template (one of {sorted(_RENDERERS)})"
        )
    renderer(plan, pathlib.Path(out_path))
