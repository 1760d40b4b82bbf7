"""The DOCX reader: reading order, hints, furniture, limits and damaged files.

Every test builds a real .docx (python-docx plus raw WordprocessingML from
``docx_factory``) or reads the real Somerset council template.
"""

from __future__ import annotations

import io
import pathlib
import zipfile

import docx_factory as f
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp_audit._errors import InputError, TooLarge, Unreadable
from ehcp_audit._limits import DEFAULT_LIMITS, MIB, Limits
from ehcp_audit._model import BlockKind, Document, FoundBy
from ehcp_audit.readers import read_bytes
from ehcp_audit.readers.docx import read

TEMPLATE = pathlib.Path("/work/shared/templates/somerset-change-programme-ehcp-template.docx")
REPO = pathlib.Path(__file__).resolve().parents[1]


def read_doc(data: bytes) -> Document:
    document = read(data, DEFAULT_LIMITS)
    for blocks in (document.blocks, document.furniture):
        assert [b.index for b in blocks] == list(range(len(blocks)))
    return document


def body(*fragments: str, **kwargs: str) -> Document:
    return read_doc(f.build(*fragments, **kwargs))


def only(document: Document, text: str):
    found = [b for b in document.blocks if b.text == text]
    assert len(found) == 1, [b.text for b in document.blocks]
    return found[0]


# ----------------------------------------------------------------- order ---


def test_paragraphs_and_tables_come_in_reading_order():
    document = body(
        f.para("Before the table."),
        f.table(f.row("Need", "Provision"), f.row("Reading", "Daily phonics")),
        f.para("Between tables."),
        f.table(f.row("Outcome")),
        f.para("After."),
    )
    assert [(b.kind, b.text) for b in document.blocks] == [
        (BlockKind.PARAGRAPH, "Before the table."),
        (BlockKind.TABLE_CELL, "Need"),
        (BlockKind.TABLE_CELL, "Provision"),
        (BlockKind.TABLE_CELL, "Reading"),
        (BlockKind.TABLE_CELL, "Daily phonics"),
        (BlockKind.PARAGRAPH, "Between tables."),
        (BlockKind.TABLE_CELL, "Outcome"),
        (BlockKind.PARAGRAPH, "After."),
    ]
    reading = only(document, "Reading").cell
    assert (reading.table, reading.row, reading.column) == (1, 1, 0)
    assert reading.header == ("Need", "Provision")
    assert only(document, "Outcome").cell.table == 2


def test_empty_paragraphs_are_skipped_but_empty_cells_kept():
    document = body(f.para(""), f.para("   "), f.table(f.row("Name", "")), f.para("End"))
    assert f.texts(document.blocks) == ["Name", "", "End"]
    empty = document.blocks[1]
    assert empty.kind is BlockKind.TABLE_CELL and (empty.cell.row, empty.cell.column) == (0, 1)


def test_cell_paragraphs_join_into_one_block_and_nested_tables_follow():
    nested = f.table(f.row("Inner A", "Inner B"))
    document = body(
        f.table(
            f.row("Head 1", "Head 2"),
            f.row(f.cell("First line", "", "Second line", nested), "Right"),
        ),
        f.table(f.row("Next table")),
    )
    assert f.texts(document.blocks) == [
        "Head 1", "Head 2", "First line\nSecond line", "Inner A", "Inner B", "Right",
        "Next table",
    ]  # fmt: skip
    inner = only(document, "Inner B").cell
    assert (inner.table, inner.row, inner.column, inner.parent_table) == (2, 0, 1, 1)
    assert inner.header == ("Inner A", "Inner B")
    assert only(document, "Right").cell.table == 1
    assert only(document, "Next table").cell.table == 3
    assert only(document, "Head 1").cell.parent_table is None


def test_merged_cells_are_not_duplicated_and_columns_follow_the_grid():
    document = body(
        f.table(
            f.row(f.cell("Area", span=2), "E – Outcomes"),
            f.row(f.cell("Speech", vmerge="restart"), "Therapy weekly", "Says 50 words"),
            f.row(f.cell("", vmerge="continue"), "Signing group", "Joins in"),
            columns=3,
        )
    )
    assert f.texts(document.blocks) == [
        "Area", "E – Outcomes", "Speech", "Therapy weekly", "Says 50 words", "Signing group",
        "Joins in",
    ]  # fmt: skip
    cells = {b.text: (b.cell.row, b.cell.column) for b in document.blocks}
    assert cells["E – Outcomes"] == (0, 2)
    assert cells["Speech"] == (1, 0)
    assert cells["Signing group"] == (2, 1)
    assert cells["Joins in"] == (2, 2)
    assert only(document, "Joins in").cell.header == ("Area", "E – Outcomes")


# ------------------------------------------------------ content controls ---


def test_content_controls_at_every_level_are_read():
    document = body(
        f.sdt(f.para("Block control text")),
        f.table(
            f.sdt(f.row("Row control cell")),
            "<w:tr>" + f.sdt(f.cell("Cell control text")) + f.cell("Plain cell") + "</w:tr>",
        ),
        f.para("Name: ", f.sdt(f.run("Alex Example"))),
    )
    assert f.texts(document.blocks) == [
        "Block control text", "Row control cell", "Cell control text", "Plain cell",
        "Name: Alex Example",
    ]  # fmt: skip
    assert only(document, "Plain cell").cell.column == 1
    assert not any(b.placeholder for b in document.blocks)


def test_placeholder_prompt_text_is_marked():
    prompt = "Click or tap here to enter text."
    document = body(
        f.sdt(f.para(prompt), placeholder=True),
        f.table(f.row("Views", f.sdt(f.cell(prompt), placeholder=True))),
        f.table(f.row(f.cell(f.para(f.sdt(f.run(prompt), placeholder=True))))),
        f.para("Date: ", f.sdt(f.run(prompt), placeholder=True)),
        f.para("A long paragraph written by the family about what matters to them. ",
               f.sdt(f.run("Enter a date."), placeholder=True)),
    )  # fmt: skip
    flags = [(b.text, b.placeholder) for b in document.blocks]
    assert flags == [
        (prompt, True),
        ("Views", False),
        (prompt, True),
        (prompt, True),
        ("Date: " + prompt, True),
        (document.blocks[5].text, False),
    ]


# ------------------------------------------------------------ text boxes ---


def test_text_box_is_read_once_after_its_anchor():
    document = body(
        f.para("Anchor paragraph", f.textbox("Inside the box", "Second box line")),
        f.para("After"),
    )
    assert f.texts(document.blocks) == [
        "Anchor paragraph", "Inside the box", "Second box line", "After",
    ]  # fmt: skip


def test_text_box_on_an_empty_anchor_still_counts():
    document = body(f.para(f.textbox("Only in a box")))
    assert f.texts(document.blocks) == ["Only in a box"]


# ------------------------------------------------------- tracked changes ---


def test_tracked_changes_read_as_accepted():
    document = body(
        f.para("We met ", f.deleted("at school"), f.inserted("at home"), " on Monday."),
        f.para("Order: ", f.moved("first ", "second"), "."),
    )
    assert f.texts(document.blocks) == ["We met at home on Monday.", "Order: second."]


def test_deleted_table_rows_are_gone():
    deleted_row = (
        '<w:tr><w:trPr><w:del w:id="9" w:author="Case Officer"/></w:trPr>'
        + f.cell("Old need")
        + "</w:tr>"
    )
    document = body(f.table(f.row("Need"), deleted_row, f.row("New need")))
    assert f.texts(document.blocks) == ["Need", "New need"]
    assert only(document, "New need").cell.row == 1


# ------------------------------------------------------------ checkboxes ---


def test_legacy_form_checkboxes():
    document = body(
        f.para(f.legacy_checkbox(checked=True), " Yes ", f.legacy_checkbox(default=False), " No"),
        f.para(f.legacy_checkbox(default=True), " Agreed by parent"),
        f.para(f.legacy_checkbox(checked=False, default=True), " Overridden"),
    )
    fields = [(b.text, b.checked) for b in document.blocks if b.kind is BlockKind.FORM_FIELD]
    assert fields == [
        ("Yes", True),
        ("No", False),
        ("Agreed by parent", True),
        ("Overridden", False),
    ]
    assert document.blocks[0].text == " Yes  No"  # field codes are not text
    assert document.blocks[1].kind is BlockKind.FORM_FIELD


def test_content_control_checkboxes_in_a_table():
    document = body(
        f.table(
            f.row("Appended", "Choice"),
            f.row("EP advice", f.cell(f.para(f.checkbox_control(True), " YES ",
                                             f.checkbox_control(False), " NO"))),
        )
    )  # fmt: skip
    host = only(document, "☒ YES ☐ NO")
    assert host.kind is BlockKind.TABLE_CELL
    fields = [b for b in document.blocks if b.kind is BlockKind.FORM_FIELD]
    assert [(b.text, b.checked) for b in fields] == [("YES", True), ("NO", False)]
    assert all(b.cell == host.cell for b in fields)
    assert [b.index for b in fields] == [host.index + 1, host.index + 2]


def test_checkbox_label_before_the_box():
    document = body(f.para("Consent given ", f.checkbox_control(False)))
    field = document.blocks[-1]
    assert (field.kind, field.text, field.checked) == (BlockKind.FORM_FIELD, "Consent given", False)


# ----------------------------------------------------------------- runs ---


def test_special_characters_and_fields():
    sym = '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
    document = body(
        f.para(f.run("a", extra="<w:tab/>"), f.run("b", extra="<w:br/>"), f.run("c")),
        f.para(f.run("well", extra="<w:noBreakHyphen/>"), "being", sym),
        f.para("Page ", f.field(" PAGE ", "3"), " of plan"),
        f.para("Seen", f.run(" hidden words", hidden=True)),
    )
    assert f.texts(document.blocks) == ["a\tb\nc", "well-being✓", "Page 3 of plan", "Seen"]


# ---------------------------------------------------------- style hints ---


def test_heading_styles_resolve_names_and_based_on_chains():
    doc = f.new_document()
    doc.add_heading("Section A: About me", level=1)
    doc.add_heading("All about me", level=2)
    doc.add_heading("My Plan", level=0)
    custom = f.add_style(doc, "Council Section", base="Heading 2")
    deeper = f.add_style(doc, "Council Subsection", base="Council Section")
    f.append_xml(doc, f.para("Needs", style=custom), f.para("Speech", style=deeper))
    document = read_doc(f.to_bytes(doc))
    got = [(b.text, b.kind, b.style, b.heading_level, b.heading_source) for b in document.blocks]
    source = FoundBy.HEADING_STYLE
    assert got == [
        ("Section A: About me", BlockKind.HEADING, "Heading 1", 1, source),
        ("All about me", BlockKind.HEADING, "Heading 2", 2, source),
        ("My Plan", BlockKind.HEADING, "Title", 0, source),
        ("Needs", BlockKind.HEADING, "Council Section", 2, source),
        ("Speech", BlockKind.HEADING, "Council Subsection", 2, source),
    ]


def test_outline_levels_direct_and_through_a_style():
    doc = f.new_document()
    outlined = f.add_style(doc, "Part Title", outline_level=0)
    f.append_xml(
        doc,
        f.para("Part A – About me", outline_level=0),
        f.para("A1 My story", outline_level=1),
        f.para("Part B", style=outlined),
        f.para("Body text", outline_level=9),
    )
    document = read_doc(f.to_bytes(doc))
    got = [(b.text, b.kind, b.heading_level, b.heading_source) for b in document.blocks]
    assert got == [
        ("Part A – About me", BlockKind.HEADING, 1, FoundBy.OUTLINE_LEVEL),
        ("A1 My story", BlockKind.HEADING, 2, FoundBy.OUTLINE_LEVEL),
        ("Part B", BlockKind.HEADING, 1, FoundBy.OUTLINE_LEVEL),
        ("Body text", BlockKind.PARAGRAPH, None, None),
    ]
    assert document.blocks[0].style == "Normal"


def test_bold_from_runs_character_styles_and_paragraph_styles():
    doc = f.new_document()
    doc.add_paragraph().add_run("All bold").bold = True
    mixed = doc.add_paragraph()
    mixed.add_run("Half ").bold = True
    mixed.add_run("bold")
    strong = f.add_style(doc, "Strong Words", kind="character", bold=True)
    shouty = f.add_style(doc, "Label", bold=True)
    f.append_xml(
        doc,
        f.para(f.run("Via character style", style=strong), f.run("  ")),
        f.para("Via paragraph style", style=shouty),
        f.para(f.run("Switched off", bold=False), style=shouty),
    )
    document = read_doc(f.to_bytes(doc))
    assert [(b.text, b.bold) for b in document.blocks] == [
        ("All bold", True),
        ("Half bold", False),
        ("Via character style  ", True),
        ("Via paragraph style", True),
        ("Switched off", False),
    ]


def test_font_sizes_from_runs_styles_and_defaults():
    doc = f.new_document()
    big = f.add_style(doc, "Big Label", size=16)
    f.append_xml(
        doc,
        f.para(f.run("Sized run", size=14)),
        f.para("From style", style=big),
        f.para("Default size"),
    )
    document = read_doc(f.to_bytes(doc))
    assert [b.font_size for b in document.blocks] == [14.0, 16.0, 11.0]
    assert {b.body_font_size for b in document.blocks} == {11.0}


def test_list_items_by_numbering_and_style_name():
    doc = f.new_document()
    doc.add_paragraph("Bullet from style", style="List Bullet")
    f.append_xml(
        doc,
        f.para("Direct numbering", numbered=True),
        f.para("Numbering removed", style="ListBullet", numbered=False),
        f.para("Plain"),
    )
    document = read_doc(f.to_bytes(doc))
    assert [(b.text, b.kind) for b in document.blocks] == [
        ("Bullet from style", BlockKind.LIST_ITEM),
        ("Direct numbering", BlockKind.LIST_ITEM),
        ("Numbering removed", BlockKind.PARAGRAPH),  # numId 0: no bullet shows
        ("Plain", BlockKind.PARAGRAPH),
    ]
    assert document.blocks[0].style == "List Bullet"


def test_styles_part_with_other_prefix_or_encoding_still_resolves():
    doc = f.new_document()
    doc.add_heading("Section B", level=1)
    data = f.to_bytes(doc)

    def other_prefix(xml: bytes) -> bytes:
        for old, new in ((b"<w:", b"<q:"), (b"</w:", b"</q:"), (b" w:", b" q:")):
            xml = xml.replace(old, new)
        return xml.replace(b"xmlns:w=", b"xmlns:q=")

    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")
    utf16 = styles.decode("utf-8").replace("UTF-8", "UTF-16").encode("utf-16")
    for variant in (other_prefix(styles), utf16):
        block = read_doc(f.replace_part(data, "word/styles.xml", variant)).blocks[0]
        assert (block.style, block.heading_level) == ("Heading 1", 1)


def test_missing_or_broken_styles_only_lose_hints():
    doc = f.new_document()
    doc.add_heading("Section C", level=1)
    data = f.to_bytes(doc)
    for styles in (b"<w:styles", b""):
        document = read_doc(f.replace_part(data, "word/styles.xml", styles))
        assert f.texts(document.blocks) == ["Section C"]
        assert document.blocks[0].heading_level is None


def test_a_damaged_styles_part_does_not_spoil_the_shared_style_memo():
    doc = f.new_document()
    f.add_style(doc, "Only In This Test")  # a styles part no other test shares
    doc.add_heading("Section D", level=1)
    doc.add_paragraph("Body")
    healthy = f.to_bytes(doc)
    with zipfile.ZipFile(io.BytesIO(healthy)) as archive:
        offset = archive.getinfo("word/styles.xml").header_offset
    raw = bytearray(healthy)
    name_len = int.from_bytes(raw[offset + 26 : offset + 28], "little")
    extra_len = int.from_bytes(raw[offset + 28 : offset + 30], "little")
    raw[offset + 30 + name_len + extra_len] = 0xFF  # an invalid deflate block: cannot inflate
    damaged = read_doc(bytes(raw)).blocks[0]
    assert (damaged.text, damaged.heading_level) == ("Section D", None)
    heading, plain = read_doc(healthy).blocks
    assert (heading.heading_level, plain.style, plain.font_size) == (1, "Normal", 11.0)


# ------------------------------------------------------------- furniture ---


def test_headers_and_footers_go_to_furniture():
    document = body(
        f.para("Body text"),
        header="EHC Plan – Sam Fictional",
        footer="Confidential",
    )
    assert f.texts(document.blocks) == ["Body text"]
    assert f.texts(document.furniture) == ["EHC Plan – Sam Fictional", "Confidential"]
    assert [b.style for b in document.furniture] == ["Header", "Footer"]


def test_headers_of_every_section_are_read_once():
    doc = f.new_document()
    doc.add_paragraph("First section")
    doc.sections[0].header.paragraphs[0].text = "Shared header"
    second = doc.add_section()
    doc.add_paragraph("Second section")
    second.different_first_page_header_footer = True
    second.first_page_header.paragraphs[0].text = "First page header"
    document = read_doc(f.to_bytes(doc))
    assert f.texts(document.blocks) == ["First section", "Second section"]
    assert sorted(f.texts(document.furniture)) == ["First page header", "Shared header"]


# ------------------------------------------------------- the real template ---


@pytest.fixture(scope="module")
def template_bytes() -> bytes:
    if not TEMPLATE.exists():
        pytest.skip("the shared Somerset template is not available")
    return TEMPLATE.read_bytes()


def test_somerset_template_reads(template_bytes):
    document = read_bytes(template_bytes)
    assert document.sha256 and document.format.value == "docx"
    blocks = document.blocks
    assert [b.index for b in blocks] == list(range(len(blocks)))
    assert blocks[0].text == "EHCP template for testing in Change Programme Areas"
    assert (blocks[0].heading_level, blocks[0].style) == (1, "Heading 1")

    name_label = next(b for b in blocks if b.text == "Name:")
    name_value = blocks[name_label.index + 1]
    assert name_value.text == "{{ name }}"
    assert name_label.cell.table == name_value.cell.table == 1
    assert (name_label.cell.row, name_label.cell.column, name_value.cell.column) == (1, 0, 1)
    assert name_label.cell.header == ("Child or young person’s personal details",)
    assert name_label.bold


def test_somerset_combined_tables_keep_their_columns(template_bytes):
    blocks = read(template_bytes, DEFAULT_LIMITS).blocks
    rows: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for b in blocks:
        if b.cell is not None:
            rows.setdefault((b.cell.table, b.cell.row), []).append((b.cell.column, b.text.strip()))
    bfe = [
        key
        for key, cells in rows.items()
        if [t for _, t in cells]
        == ["B – Special Educational Needs", "F – Special Educational Provision", "E – Outcomes"]
    ]
    assert len(bfe) >= 4  # one per broad area of need
    for table, row in bfe:
        assert [c for c, _ in rows[(table, row)]] == [0, 1, 2]
        header = next(b.cell.header for b in blocks if b.cell and b.cell.table == table)
        assert header and header[0].startswith("Special Educational Needs and Provision")
    assert any(t.startswith("H1 –") for cells in rows.values() for _, t in cells)


def test_somerset_k_table(template_bytes):
    blocks = read(template_bytes, DEFAULT_LIMITS).blocks
    k_cells = [
        b for b in blocks if b.cell and b.cell.header and b.cell.header[0].startswith("Advice and")
    ]
    header = tuple(h.strip() for h in k_cells[0].cell.header)
    assert header == ("Advice and information requested:", "Date received", "Who from", "Appended")
    yes_no = [b for b in k_cells if b.text == "YES/ NO"]
    assert len(yes_no) >= 8 and {b.cell.column for b in yes_no} == {3}
    assert any(b.text == "Educational psychologist" and b.cell.column == 0 for b in k_cells)


def test_somerset_furniture(template_bytes):
    # The blank template's headers and footers hold no text: nothing to report...
    assert read(template_bytes, DEFAULT_LIMITS).furniture == ()
    # ...but filled in, the header is furniture, not body.
    header = zipfile.ZipFile(io.BytesIO(template_bytes)).read("word/header2.xml")
    filled = header.replace(
        b"</w:pPr></w:p></w:hdr>",
        b"</w:pPr><w:r><w:t>EHC Plan for Sam Fictional</w:t></w:r></w:p></w:hdr>",
    )
    assert filled != header
    document = read(f.replace_part(template_bytes, "word/header2.xml", filled), DEFAULT_LIMITS)
    assert f.texts(document.furniture) == ["EHC Plan for Sam Fictional"]
    assert all("Sam Fictional" not in b.text for b in document.blocks)


# ------------------------------------------------------ limits and damage ---


def test_zip_bomb_by_total_size_is_refused():
    data = f.add_member(f.build(f.para("Hello")), "word/media/padding.bin", b"\0" * (3 * MIB))
    with pytest.raises(TooLarge):
        read(data, Limits(max_uncompressed=2 * MIB))


def test_zip_bomb_by_ratio_is_refused():
    data = f.add_member(f.build(f.para("Hello")), "word/media/padding.bin", b" " * (8 * MIB))
    with pytest.raises(TooLarge, match="compressed"):
        read(data, DEFAULT_LIMITS)


def test_zip_bomb_is_refused_from_the_directory_alone():
    data = f.declare_size(f.build(f.para("Hello")), "word/document.xml", 300 * MIB)
    with pytest.raises(TooLarge):
        read(data, DEFAULT_LIMITS)


def test_corpus_zip_bomb_if_present():
    path = REPO / "corpus_samples" / "bad" / "zipbomb.docx"
    if not path.exists():
        pytest.skip("corpus bad inputs not generated")
    with pytest.raises(TooLarge):
        read(path.read_bytes(), DEFAULT_LIMITS)


def test_truncated_docx_is_unreadable():
    data = f.build(f.para("Some text"))
    for cut in (data[: len(data) // 2], data[:100], data[:-30]):
        with pytest.raises(Unreadable):
            read(cut, DEFAULT_LIMITS)
    with pytest.raises(Unreadable):
        read_bytes(data[: len(data) // 2])


def test_malformed_document_xml_is_unreadable():
    data = f.build(f.para("Some text"))
    broken = f.replace_part(data, "word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(Unreadable, match="not well-formed"):
        read(broken, DEFAULT_LIMITS)


def test_entities_are_not_expanded():
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>Hi &c;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = f.replace_part(f.build(f.para("x")), "word/document.xml", lol)
    try:
        document = read(data, DEFAULT_LIMITS)
    except Unreadable:
        return
    assert "aaaa" not in document.text


def test_deep_nesting_is_read_or_refused_cleanly():
    w = f.NAMESPACES["w"]
    inner = "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    sdts = inner
    for _ in range(120):
        sdts = f"<w:sdt><w:sdtContent>{sdts}</w:sdtContent></w:sdt>"
    tables = inner
    for _ in range(60):
        tables = f"<w:tbl><w:tr><w:tc>{tables}</w:tc></w:tr></w:tbl>"
    for content, blocks in ((sdts, 1), (tables, 60), (sdts * 2 + sdts.replace("sdt", "x"), 2)):
        xml = f'<w:document xmlns:w="{w}"><w:body>{content}</w:body></w:document>'
        data = f.replace_part(f.build(f.para("x")), "word/document.xml", xml.encode())
        try:
            document = read(data, DEFAULT_LIMITS)
        except InputError:
            continue
        assert len(document.blocks) == blocks
        assert document.blocks[-1].text == "deep"


def test_strict_open_xml_is_refused_with_a_hint():
    strict = b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>'
    data = f.replace_part(f.build(f.para("x")), "word/document.xml", strict)
    with pytest.raises(InputError, match="Strict Open XML"):
        read(data, DEFAULT_LIMITS)


def test_reading_is_repeatable():
    data = f.build(f.para("Section A", style="Heading1"), f.table(f.row("B", "F", "E")))
    assert read(data, DEFAULT_LIMITS) == read(data, DEFAULT_LIMITS)


def test_a_docx_without_document_part_is_unreadable():
    data = f.rewrite(f.build(f.para("x")), lambda n, c: None if n == "word/document.xml" else c)
    with pytest.raises(Unreadable):
        read(data, DEFAULT_LIMITS)


_SEED = f.build(
    f.para("Heading", style="Heading1"),
    f.table(f.row("B – Need", f.cell("Provision", span=2))),
    f.para(f.legacy_checkbox(checked=True), " Yes", f.inserted(" more")),
    f.sdt(f.para("Prompt"), placeholder=True),
    header="Header text",
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_bytes_only_raise_input_errors(data):
    raw = bytearray(_SEED)
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    try:
        read(bytes(raw), DEFAULT_LIMITS)
    except InputError as error:
        assert "could not be read (" not in error.message  # no unexpected exception type


_SEED_PARTS = {
    name: zipfile.ZipFile(io.BytesIO(_SEED)).read(name)
    for name in ("word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels")
}


@settings(max_examples=90, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_xml_parts_only_raise_input_errors(data):
    name = data.draw(st.sampled_from(sorted(_SEED_PARTS)))
    xml = bytearray(_SEED_PARTS[name])
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(xml) - 1))
        if data.draw(st.booleans()):
            del xml[position : position + data.draw(st.integers(1, 40))]
        else:
            xml[position] = data.draw(st.sampled_from(b'<>/"=&:w x0'))
    try:
        read(f.replace_part(_SEED, name, bytes(xml)), DEFAULT_LIMITS)
    except InputError as error:
        assert "could not be read (" not in error.message  # no unexpected exception type


def test_a_text_export_pasted_in_keeps_its_drawn_tables():
    """One paragraph per line of a "+---+" grid: read as a table, numbered in order."""
    lines = [
        "+---+----------------------------------+",
        "| A | Views, interests and aspirations |",
        "+---+----------------------------------+",
        "|   | Bryn likes rugby and his dog.    |",
        "+---+----------------------------------+",
    ]
    document = body(
        f.table(f.row("Name", "Bryn Hale")),
        f.para("EHC plan pasted from the case system:"),
        *(f.para(line) for line in lines),
        f.table(f.row("Next table")),
    )
    cells = [(b.cell.table, b.cell.row, b.cell.column, b.text) for b in document.blocks if b.cell]
    assert cells == [
        (1, 0, 0, "Name"),
        (1, 0, 1, "Bryn Hale"),
        (2, 0, 0, "A"),
        (2, 0, 1, "Views, interests and aspirations"),
        (2, 1, 0, ""),
        (2, 1, 1, "Bryn likes rugby and his dog."),
        (3, 0, 0, "Next table"),
    ]
    assert not any("|" in b.text or "+--" in b.text for b in document.blocks)


def test_a_paragraph_with_a_pipe_in_it_stays_a_paragraph():
    document = body(f.para("Bryn | rugby"), f.para("Mum said he loves it."))
    assert [b.kind for b in document.blocks] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]


def test_part_names_resolve_as_python_docx_resolves_them() -> None:
    """The reader resolves OPC part names itself (importing python-docx cost each audit 35 ms)."""
    from docx.opc.packuri import PackURI

    from ehcp_audit.readers._docx_package import rels_partname, resolve_target

    parts = ["/", "/word/document.xml", "/word/header1.xml", "/customXml/item1.xml", "/a/b/c.xml"]
    targets = [
        "styles.xml",
        "../media/image1.png",
        "/word/footer2.xml",
        "./numbering.xml",
        "x/y.xml",
    ]
    for part in parts:
        assert rels_partname(part) == PackURI(part).rels_uri
        for target in targets:
            assert resolve_target(part, target) == PackURI.from_rel_ref(
                PackURI(part).baseURI, target
            )
    for bad in ("word/document.xml", ""):
        with pytest.raises(ValueError):
            rels_partname(bad)
        with pytest.raises(ValueError):
            resolve_target(bad, "styles.xml")


def test_style_names_read_as_word_shows_them() -> None:
    from docx.styles import BabelFish

    from ehcp_audit.readers._docx_styles import _UI_NAMES

    for internal, shown in BabelFish.ui_style_names.items():
        assert _UI_NAMES[internal] == shown
    assert set(_UI_NAMES) == set(BabelFish.ui_style_names)


def test_reading_a_word_plan_does_not_import_python_docx() -> None:
    import subprocess
    import sys

    code = "import sys, ehcp_audit\nehcp_audit.read(sys.argv[1])\nprint('docx' in sys.modules)\n"
    from pathlib import Path

    plan = Path(__file__).resolve().parents[1] / "corpus_samples" / "p01.docx"
    done = subprocess.run(
        [sys.executable, "-c", code, str(plan)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
