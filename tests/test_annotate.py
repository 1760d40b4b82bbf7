"""``annotate``: a reviewed copy of a plan, Word comments in a DOCX or an HTML review page.

Real plans from ``corpus_samples`` and a plan built here with a tracked
change, a content control and a table are annotated; the copies are opened
again (python-docx for the comments, the raw ``word/document.xml`` for the
comment ranges, ``html.parser`` for the page) and checked against the audit
of the same plan: each failed finding's sentence carries a comment saying
what the finding says, the source file is byte for byte unchanged, and
nothing but comments was added.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import docx
import docx_factory as f
import pytest
from lxml import etree
from soffice import convert

import ehcp_audit
from ehcp_audit._config import load_config
from ehcp_audit._errors import OutputError, UnsupportedFormat
from ehcp_audit._model import Finding, PlanAudit
from ehcp_audit.checks import Policy, load_policy
from ehcp_audit.checks._match import sentence_span
from ehcp_audit.reports._feedback import AUTHOR
from ehcp_audit.reports._fixes import judged_ratings
from ehcp_audit.reports._plain import rating_words
from ehcp_audit.reports.annotate import Annotated, annotate, default_output, reviewed_copy
from ehcp_audit.reports.annotate_docx import annotated_docx
from ehcp_audit.reports.review_html import review_page

CORPUS = Path(__file__).resolve().parent.parent / "corpus_samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flat(text: str) -> str:
    """Text with all white space removed: tabs and breaks are drawn differently by each side."""
    return "".join(text.split())


def document_xml(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def comment_ranges(data: bytes) -> dict[int, tuple[str, list[etree._Element]]]:
    """Comment id -> (visible text between its range markers, the ``w:p`` s it touches)."""
    open_ranges: dict[int, tuple[list[str], list[etree._Element]]] = {}
    done: dict[int, tuple[str, list[etree._Element]]] = {}
    for el in document_xml(data).iter():
        if el.tag == f"{W}commentRangeStart":
            para = next(el.iterancestors(f"{W}p"))
            open_ranges[int(el.get(f"{W}id"))] = ([], [para])
        elif el.tag == f"{W}commentRangeEnd":
            texts, paras = open_ranges.pop(int(el.get(f"{W}id")))
            done[int(el.get(f"{W}id"))] = ("".join(texts), paras)
        elif el.tag in (f"{W}t", f"{W}tab", f"{W}br"):
            if any(a.tag in (f"{W}del", f"{W}moveFrom") for a in el.iterancestors()):
                continue
            for texts, _ in open_ranges.values():
                texts.append(el.text or " " if el.tag == f"{W}t" else " ")
        elif el.tag == f"{W}p":
            for _, paras in open_ranges.values():
                paras.append(el)
    assert not open_ranges, "a comment range is never closed"
    return done


def paragraph_text(p: etree._Element) -> str:
    return "".join(
        t.text or ""
        for t in p.iter(f"{W}t")
        if not any(a.tag in (f"{W}del", f"{W}moveFrom") for a in t.iterancestors())
    )


def counts(data: bytes) -> dict[str, int]:
    """How many of each structure the checks must see survive."""
    root = document_xml(data)
    return {
        tag: sum(1 for _ in root.iter(f"{W}{tag}")) for tag in ("ins", "del", "sdt", "tbl", "tc")
    }


def quotes_a_problem(policy: Policy, finding: Finding) -> bool:
    """Whether a failed finding's evidence is what to change.

    An occurrence rule with only a minimum failed for finding too few (two
    agencies of three): it quotes what it did find, which is not wrong.
    """
    spec = policy.rule(finding.rule)
    assert spec is not None
    params = spec.params
    return (
        spec.kind != "occurrence"
        or getattr(params, "max", None) is not None
        or (getattr(params, "min", None) is None)
    )


def wanted_sentences(result: PlanAudit, policy: Policy) -> list[tuple[str, str]]:
    """(sentence, suggestion) for every located piece of evidence of a failed finding.

    Worked out here from the audit alone (the block text and the evidence's
    offsets), not from the feedback module, so the test checks its placing.
    A draft's after-consultation rules are left out: they are not failures
    yet, and go to the summary.
    """
    blocks = {b.index: b for b in result.document.blocks}
    later = set(judged_ratings(result, policy).set_aside)
    out = []
    for finding in result.findings:
        if finding.passed or finding.rule in later or not quotes_a_problem(policy, finding):
            continue
        for evidence in finding.evidence:
            if evidence.location is None:
                continue
            text = blocks[evidence.location.block].text
            start, end = evidence.location.start, evidence.location.end
            # From its last character: a quote ending on a full stop ends its sentence.
            begin, stop = sentence_span(text, start, max(start, end - 1))
            begin, stop = min(begin, start), max(stop, end)
            if text[begin:stop].strip():
                out.append((text[begin:stop], finding.suggestion))
    return out


# -- a plan made here: a tracked change, a content control, a table --------------------------


def heading(text: str) -> str:
    return f.para(text, style="Heading1")


def made_plan() -> bytes:
    """A short draft plan whose weak sentences sit in awkward places.

    The vague provision starts in the middle of a bold run in a table cell;
    a need holds a tracked insertion and deletion; an outcome that says no
    date sits in a content control.
    """
    return f.build(
        f.para("Education, Health and Care Plan for Sam Example"),
        heading("Section A: The views, interests and aspirations of the child and their parents"),
        f.para("Sam likes trains and swimming. His teacher says he is a kind friend."),
        heading("Section B: Special educational needs"),
        f.para(
            "Sam has difficulties with speech and language ",
            f.inserted("and with reading"),
            f.deleted(" and with maths"),
            ".",
        ),
        heading("Section C: Health needs"),
        f.para("Sam has no health needs related to his special educational needs."),
        heading("Section D: Social care needs"),
        f.para("To be confirmed."),
        heading("Section E: Outcomes"),
        f.sdt(f.para("Sam will improve his reading.")),
        heading("Section F: Special educational provision"),
        f.table(
            f.row(
                f.cell(
                    f.para(
                        f.run(
                            "Sam will have a reading group each morning. "
                            "Access to SALT as required.",
                            bold=True,
                        )
                    )
                )
            ),
            columns=1,
        ),
        heading("Section G: Health provision"),
        f.para("None."),
        heading("Section H: Social care provision"),
        f.para("None."),
        heading("Section I: Placement"),
        f.para("Oak Primary School."),
        heading("Section J: Personal budget"),
        f.para("No personal budget was requested."),
        heading("Section K: Advice and information"),
        f.para("Educational psychologist advice, 3 March 2026."),
    )


def short_plan(*more: str) -> bytes:
    """A plan of three short sections, then ``more`` (raw body XML)."""
    return f.build(
        f.para("Education, Health and Care Plan for Sam Example"),
        heading("Section A: Views, interests and aspirations"),
        f.para("Sam likes trains."),
        heading("Section B: Special educational needs"),
        f.para("Sam has difficulties with speech."),
        heading("Section E: Outcomes"),
        f.para("Sam will improve his speech."),
        *more,
    )


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(load_config())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Annotated]:
    folder = tmp_path_factory.mktemp("made")
    plan = folder / "made.docx"
    plan.write_bytes(made_plan())
    out = folder / "made.reviewed.docx"
    return plan, out, annotate(plan, out)


# -- Word: comments on the sentences, the summary first -------------------------------------


CORPUS_DOCX = ("p02.docx", "p04.docx", "p11.docx", "somerset_blank.docx")


@pytest.fixture(scope="module", params=CORPUS_DOCX)
def corpus_copy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str, Annotated]]:
    plan = CORPUS / request.param
    before = sha256(plan)
    out = tmp_path_factory.mktemp("copy") / f"{plan.stem}.reviewed.docx"
    yield plan, before, annotate(plan, out)


def test_every_failed_sentence_has_a_comment_saying_the_finding(
    corpus_copy: tuple[Path, str, Annotated], policy: Policy
) -> None:
    _, _, done = corpus_copy
    data = done.path.read_bytes()
    comments = {c.comment_id: c for c in docx.Document(io.BytesIO(data)).comments}
    ranges = comment_ranges(data)
    wanted = wanted_sentences(done.result, policy)
    assert wanted, "the corpus plan should have failed findings that quote the plan"
    for sentence, suggestion in wanted:
        holding = [
            i
            for i, (text, paras) in ranges.items()
            if flat(text) == flat(sentence)
            and flat(sentence) in flat("".join(paragraph_text(p) for p in paras))
        ]
        assert holding, f"no comment sits on {sentence[:60]!r}"
        assert any(suggestion in comments[i].text for i in holding), suggestion


def test_summary_comment_comes_first_with_every_rating(
    corpus_copy: tuple[Path, str, Annotated],
) -> None:
    _, _, done = corpus_copy
    document = docx.Document(io.BytesIO(done.path.read_bytes()))
    comments = list(document.comments)
    summary = comments[0]
    assert summary.comment_id == min(c.comment_id for c in comments)
    assert f"Overall: {rating_words(done.result.overall)}" in summary.text
    for principle in done.result.principles:
        assert (
            f"Principle {principle.number} ({principle.name}): {rating_words(principle.rating)}"
            in (summary.text)
        )
    # It is anchored on the first paragraph that has text.
    data = done.path.read_bytes()
    first = next(p for p in document_xml(data).iter(f"{W}p") if paragraph_text(p).strip())
    text, paras = comment_ranges(data)[summary.comment_id]
    assert flat(paragraph_text(paras[0])) == flat(paragraph_text(first)) == flat(text)


def test_comments_are_plain_words_by_ehcp_audit(corpus_copy: tuple[Path, str, Annotated]) -> None:
    _, _, done = corpus_copy
    comments = list(docx.Document(io.BytesIO(done.path.read_bytes())).comments)
    assert done.comments == len(comments) > 1
    rule_ids = {f.rule for f in done.result.findings}
    for comment in comments:
        assert comment.author == AUTHOR
        assert comment.text.strip()
        assert not any(rule in comment.text for rule in rule_ids)
        assert "coproduction." not in comment.text and "statutory." not in comment.text
        assert "expected)" not in comment.text


def test_duplicates_merged_one_comment_per_sentence(
    corpus_copy: tuple[Path, str, Annotated],
) -> None:
    _, _, done = corpus_copy
    ranges = comment_ranges(done.path.read_bytes())
    places = [
        (flat(text), paras[0].getroottree().getpath(paras[0]))
        for i, (text, paras) in ranges.items()
        if i != 0
    ]
    assert len(places) == len(set(places)), "two comments on the same sentence"


def test_source_untouched_and_copy_holds_the_same_text(
    corpus_copy: tuple[Path, str, Annotated],
) -> None:
    plan, before, done = corpus_copy
    assert sha256(plan) == before
    original = ehcp_audit.read(plan)
    copy = ehcp_audit.read(done.path)
    assert [b.text for b in copy.blocks] == [b.text for b in original.blocks]
    assert counts(done.path.read_bytes()) == counts(plan.read_bytes())


def test_a_missing_point_sits_on_its_section_heading(policy: Policy) -> None:
    data = (CORPUS / "p04.docx").read_bytes()
    result = ehcp_audit.audit(data)
    copy = annotated_docx(data, result, policy)
    comments = {c.comment_id: c for c in docx.Document(io.BytesIO(copy)).comments}
    ranges = comment_ranges(copy)
    heading_a = result.section("A")
    assert heading_a is not None and heading_a.heading_block is not None
    heading_text = result.document.blocks[heading_a.heading_block].text
    missing = [
        f
        for f in result.findings
        if not f.passed and not f.evidence and policy.rule(f.rule).scope == ("A",)
    ]
    assert missing
    on_heading = [
        i for i, (text, _) in ranges.items() if flat(text) == flat(heading_text) and i != 0
    ]
    assert len(on_heading) == 1
    text = comments[on_heading[0]].text
    assert "Missing from this section" in text
    for finding in missing:
        assert finding.suggestion in text


# -- the plan made here: tracked changes, content controls and tables survive ---------------


def test_made_plan_comments_sit_inside_change_control_and_table(
    made: tuple[Path, Path, Annotated],
) -> None:
    _, out, done = made
    data = out.read_bytes()
    ranges = comment_ranges(data)
    texts = {flat(text): paras for text, paras in ranges.values()}
    # The sentence with a tracked insertion: the inserted words are inside the range.
    changed = texts[flat("Sam has difficulties with speech and language and with reading.")]
    assert changed[0].find(f".//{W}ins") is not None
    # The outcome inside the content control.
    outcome = texts[flat("Sam will improve his reading.")]
    assert next(outcome[0].iterancestors(f"{W}sdt"), None) is not None
    # The vague provision, which started mid-run in a table cell.
    vague = texts[flat("Access to SALT as required.")]
    assert next(vague[0].iterancestors(f"{W}tc"), None) is not None
    assert flat("Sam will have a reading group each morning.") not in texts
    # Two agencies of three found: the teacher's sentence is not what is wrong.
    assert flat("His teacher says he is a kind friend.") not in texts
    assert done.comments == len(ranges)


def test_made_plan_split_run_keeps_its_formatting(made: tuple[Path, Path, Annotated]) -> None:
    _, out, _ = made
    document = docx.Document(out)
    cell = document.tables[0].cell(0, 0)
    runs = [r for r in cell.paragraphs[0].runs if r.text]
    assert [r.text for r in runs] == [
        "Sam will have a reading group each morning. ",
        "Access to SALT as required.",
    ]
    assert all(r.bold for r in runs)


def test_made_plan_keeps_changes_controls_and_tables(made: tuple[Path, Path, Annotated]) -> None:
    plan, out, _ = made
    source, copy = plan.read_bytes(), out.read_bytes()
    assert counts(copy) == counts(source)
    assert counts(copy)["ins"] == counts(copy)["del"] == counts(copy)["sdt"] == 1
    assert counts(copy)["tbl"] == 1
    # Deleted text is still deleted text, and still there.
    root = document_xml(copy)
    assert [t.text for t in root.iter(f"{W}delText")] == [" and with maths"]
    assert [b.text for b in ehcp_audit.read(copy).blocks] == [
        b.text for b in ehcp_audit.read(source).blocks
    ]
    # Only comment markup was added to the body.
    added = {el.tag for el in root.iter()} - {el.tag for el in document_xml(source).iter()}
    assert added == {
        f"{W}commentRangeStart",
        f"{W}commentRangeEnd",
        f"{W}commentReference",
        f"{W}rStyle",
    }


def test_a_table_drawn_with_characters_gets_its_comment_in_the_line(
    policy: Policy,
) -> None:
    """A text export pasted into Word: the reader reads its drawn table as cells."""
    drawn = [
        "+---------+------------------------------------------+",
        "| Section | Provision                                |",
        "+---------+------------------------------------------+",
        "| F       | Access to SALT as required.              |",
        "+---------+------------------------------------------+",
    ]
    data = short_plan(*(f.para(line) for line in drawn))
    result = ehcp_audit.audit(data)
    cell = next(b for b in result.document.blocks if b.text == "Access to SALT as required.")
    assert cell.cell is not None  # read as a table cell, not as the line it is in Word
    copy = annotated_docx(data, result, policy)
    ranges = comment_ranges(copy)
    on_it = [i for i, (text, _) in ranges.items() if text == "Access to SALT as required."]
    assert len(on_it) == 1
    assert paragraph_text(ranges[on_it[0]][1][0]) == drawn[3]
    summary = next(iter(docx.Document(io.BytesIO(copy)).comments))
    assert "could not be marked" not in summary.text


def test_a_draft_is_judged_as_a_draft(policy: Policy) -> None:
    """What needs the family to have seen the plan is "to do after consultation", in the summary."""
    document = docx.Document(io.BytesIO(made_plan()))
    document.paragraphs[0].text = "DRAFT Education, Health and Care Plan for Sam Example"
    stream = io.BytesIO()
    document.save(stream)
    data = stream.getvalue()
    result = ehcp_audit.audit(data)
    assert result.details.status == "draft"
    later = judged_ratings(result, policy).set_aside
    assert later
    suggestions = [f.suggestion for f in result.findings if f.rule in later]
    summary, *others = docx.Document(io.BytesIO(annotated_docx(data, result, policy))).comments
    assert "This plan is a draft" in summary.text
    assert "To do after consultation" in summary.text
    for suggestion in suggestions:
        assert suggestion in summary.text
        assert not any(suggestion in comment.text for comment in others)
    page = review_page(result, policy)
    assert "To do after consultation" in page
    assert all(html.escape(s) in page for s in suggestions)


def test_comments_already_in_the_plan_are_kept(tmp_path: Path) -> None:
    first = annotate(CORPUS / "p02.docx", tmp_path / "once.docx")
    before = {c.comment_id: c.text for c in docx.Document(first.path).comments}
    second = annotate(first.path, tmp_path / "twice.docx")
    after = {c.comment_id: c.text for c in docx.Document(second.path).comments}
    assert len(after) == 2 * len(before) == second.comments
    assert all(after[i] == text for i, text in before.items())
    assert len(comment_ranges(second.path.read_bytes())) == len(after)


def test_reviewed_copy_in_memory_for_a_service(policy: Policy) -> None:
    """What a web page serves: the copy's bytes, named and typed."""
    for name, kind in (("p05.docx", "docx"), ("p05.pdf", "html")):
        data = (CORPUS / name).read_bytes()
        result = ehcp_audit.audit(data)
        copy = reviewed_copy(data, result, policy, title=name)
        assert copy.kind == kind and copy.notes >= 1
        if kind == "docx":
            assert copy.suffix == ".reviewed.docx" and "wordprocessingml" in copy.media_type
            document = docx.Document(io.BytesIO(copy.content))
            assert len(document.comments) == copy.notes
        else:
            assert copy.suffix == ".review.html" and copy.media_type.startswith("text/html")
            assert f"Review of {name}" in copy.content.decode("utf-8")


def test_sentence_around_hidden_text_and_a_field(policy: Policy) -> None:
    """Hidden text is not in the reader's text and a field shows its result, not its code:
    the comment still starts and ends where the sentence does, and both stay as they were."""
    data = short_plan(
        heading("Section F: Special educational provision"),
        f.para(
            "Sam will see the therapist each week. Access to ",
            f.run("hidden note ", hidden=True),
            "SALT ",
            f.field(" MERGEFIELD frequency ", "as required"),
            ". Sam will use a visual timetable.",
        ),
    )
    result = ehcp_audit.audit(data)
    assert "hidden" not in result.document.text and "MERGEFIELD" not in result.document.text
    copy = annotated_docx(data, result, policy)
    texts = [text for text, _ in comment_ranges(copy).values()]
    assert "Access to hidden note SALT as required." in texts
    root = document_xml(copy)
    hidden = [r for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}vanish") is not None]
    assert ["".join(t.text for t in r.iter(f"{W}t")) for r in hidden] == ["hidden note "]
    assert [c.get(f"{W}fldCharType") for c in root.iter(f"{W}fldChar")] == [
        "begin",
        "separate",
        "end",
    ]
    assert [t.text for t in root.iter(f"{W}instrText")] == [" MERGEFIELD frequency "]


# -- never the source --------------------------------------------------------------------------


def test_output_that_is_the_plan_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes((CORPUS / "p02.docx").read_bytes())
    before = sha256(plan)
    link = tmp_path / "link.docx"
    link.symlink_to(plan)
    hard = tmp_path / "hard.docx"
    os.link(plan, hard)
    for target in (plan, link, hard, tmp_path / "." / "plan.docx"):
        with pytest.raises(OutputError, match="the plan itself"):
            annotate(plan, target)
    assert sha256(plan) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.docx", "link.docx", "plan.docx"]


def test_existing_output_replaced_whole_and_no_temporary_file_left(tmp_path: Path) -> None:
    out = tmp_path / "reviewed.docx"
    out.write_bytes(b"an older review")
    done = annotate(CORPUS / "p05.docx", out)
    assert done.path == out and done.kind == "docx"
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["reviewed.docx"]


def test_missing_output_folder_refused_before_the_audit(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        annotate(CORPUS / "p05.docx", tmp_path / "no" / "such" / "folder" / "x.docx")


def test_default_output_names() -> None:
    assert default_output("plans/p1.docx", "docx") == Path("plans/p1.reviewed.docx")
    assert default_output("plans/p1.pdf", "pdf") == Path("plans/p1.review.html")
    assert default_output("p1.txt", "text") == Path("p1.review.html")


def test_package_python_docx_cannot_open_is_a_typed_error(tmp_path: Path) -> None:
    data = (CORPUS / "p05.docx").read_bytes()
    result = ehcp_audit.audit(data)
    broken = f.rewrite(
        data,
        lambda name, content: (
            content.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            if name == "[Content_Types].xml"
            else content
        ),
    )
    with pytest.raises(UnsupportedFormat, match=r"\.docx"):
        annotated_docx(broken, result)


@pytest.mark.slow
def test_annotated_copy_converts_with_libreoffice(tmp_path: Path) -> None:
    out = tmp_path / "p04.reviewed.docx"
    annotate(CORPUS / "p04.docx", out)
    pdf = convert(out, tmp_path)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_libreoffice_reads_every_comment_with_its_range(
    made: tuple[Path, Path, Annotated], tmp_path: Path
) -> None:
    _, out, done = made
    odt = convert(out, tmp_path, to="odt")
    content = zipfile.ZipFile(odt).read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") == done.comments
    assert content.count("<office:annotation-end ") == done.comments
    assert content.count("<dc:creator>ehcp-audit</dc:creator>") == done.comments


# -- the command ---------------------------------------------------------------------------


def run_cli(*argv: str) -> tuple[int, str, str]:
    from ehcp_audit.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_annotate_writes_the_copy_beside_the_plan(tmp_path: Path) -> None:
    for name, copy_name in (("p02.docx", "p02.reviewed.docx"), ("p08.txt", "p08.review.html")):
        plan = tmp_path / name
        plan.write_bytes((CORPUS / name).read_bytes())
        before = sha256(plan)
        code, out, err = run_cli("annotate", str(plan))
        assert (code, err) == (0, "")
        assert out.startswith(f"wrote {tmp_path / copy_name} (")
        assert (tmp_path / copy_name).stat().st_size > 0
        assert sha256(plan) == before


def test_cli_annotate_output_option_and_refusals(tmp_path: Path) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes((CORPUS / "p05.docx").read_bytes())
    before = sha256(plan)
    code, out, _ = run_cli("annotate", str(plan), "-o", str(tmp_path / "mine.docx"))
    assert code == 0 and "Word comments" in out
    assert len(docx.Document(tmp_path / "mine.docx").comments) >= 2
    code, out, err = run_cli("annotate", str(plan), "-o", str(plan))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {plan}: output_error: ") and "the plan itself" in err
    code, _, err = run_cli(
        "annotate", str(CORPUS / "bad" / "recipe.docx"), "-o", str(tmp_path / "x.docx")
    )
    assert code == 2 and ": not_an_ehcp: " in err
    assert not (tmp_path / "x.docx").exists()
    assert sha256(plan) == before


def test_cli_annotate_sample_writes_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("annotate", "--sample")
    assert code == 0 and out.startswith("wrote sample_plan.reviewed.docx (")
    assert [p.name for p in tmp_path.iterdir()] == ["sample_plan.reviewed.docx"]


# -- HTML review page for PDF and text plans ---------------------------------------------------


class Page(HTMLParser):
    """What the checks need from a review page: marks, tags, attributes, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.marks: dict[str, str] = {}
        self.text: list[str] = []
        self._in_mark = 0
        self._notes: list[str] = []
        self._in_sup = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(value or "" for _, value in attrs)
        if tag == "mark":
            self._in_mark += 1
            self._notes = (dict(attrs).get("data-notes") or "").split()
        elif tag == "sup":
            self._in_sup += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark -= 1
        elif tag == "sup":
            self._in_sup -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_mark and not self._in_sup:
            for note in self._notes:
                self.marks[note] = self.marks.get(note, "") + data


@pytest.fixture(scope="module", params=("p11.pdf", "p08.txt"))
def page(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str, Annotated]:
    plan = CORPUS / request.param
    before = sha256(plan)
    out = tmp_path_factory.mktemp("page") / "review.html"
    done = annotate(plan, out)
    assert sha256(plan) == before
    return plan, out.read_text(encoding="utf-8"), done


def test_review_page_highlights_each_failed_sentence(
    page: tuple[Path, str, Annotated], policy: Policy
) -> None:
    _, text, done = page
    assert done.kind == "html"
    parsed = Page()
    parsed.feed(text)
    marked = {flat(m) for m in parsed.marks.values()}
    body = flat("".join(parsed.text))
    wanted = wanted_sentences(done.result, policy)
    assert wanted
    for sentence, suggestion in wanted:
        assert flat(sentence) in marked, sentence[:60]
        assert flat(suggestion) in body


def test_review_page_shows_the_ratings_first(page: tuple[Path, str, Annotated]) -> None:
    _, text, done = page
    parsed = Page()
    parsed.feed(text)
    words = " ".join(" ".join(parsed.text).split())
    overall = f"Overall: {rating_words(done.result.overall)}"
    assert overall in words
    assert text.index("Overall:") < text.index('id="section-')
    for principle in done.result.principles:
        assert f"{principle.number}. {principle.name} {rating_words(principle.rating)}" in words


def test_review_page_is_self_contained(page: tuple[Path, str, Annotated]) -> None:
    _, text, _ = page
    parsed = Page()
    parsed.feed(text)
    assert not {"script", "link", "img", "iframe", "object", "embed", "a"} & set(parsed.tags)
    lowered = text.lower()
    assert "//" not in lowered  # no http://, https:// or protocol-relative address
    assert "url(" not in lowered and "@import" not in lowered
    assert "default-src 'none'" in text


def test_review_page_escapes_plan_text(policy: Policy) -> None:
    data = (CORPUS / "p08.txt").read_bytes()  # Windows-1252, as a council system saved it
    hostile = b"<script>alert(1)</script> & <b>bold</b>"
    result = ehcp_audit.audit(data.replace(b"\n", b"\n" + hostile + b"\n", 1))
    html_page = review_page(result, policy, title="<plan>.txt")
    assert "<script>" not in html_page and "<b>bold" not in html_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html_page
    assert "Review of &lt;plan&gt;.txt" in html_page


def test_a_heading_cell_holding_the_sections_text_is_shown_whole() -> None:
    """A table cell with the heading on its first line and the section's text below it."""
    import html as html_module

    import ehcp_audit
    from ehcp_audit.checks import load_policy
    from ehcp_audit.reports.review_html import review_page

    result = ehcp_audit.audit(CORPUS / "p01.pdf")
    page = html_module.unescape(review_page(result, load_policy(ehcp_audit.load_config())))
    flat_page = " ".join(page.split())
    cells = [
        block
        for section in result.sections
        for block in section.blocks
        if block.index == section.heading_block
        and len(block.text.split()) > len((section.heading or "").split())
    ]
    assert cells  # p01.pdf's combined B-F-E table opens with such a cell
    for block in cells:
        below_heading = " ".join(block.text.splitlines()[1:]).split()
        assert " ".join(below_heading[:12]) in flat_page
