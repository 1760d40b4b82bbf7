"""Property: any input gives a PlanAudit or a typed InputError, never another exception.

Mutations work at two depths: the raw file bytes (truncation, flipped and
inserted bytes, which mostly exercise the container: zip, PDF xref), and for
DOCX the XML inside a well-formed zip (which exercises our own XML walk).
Random bytes alone are refused at detection, so the rest start from a real
plan (``corpus_samples/p06.md``, sectioned, so the NLP stages run) and make
it odd: long runs of one punctuation character, thousands of paragraphs,
one huge block, repeated text, wide tables, deep nesting (lists, quotes,
nested DOCX tables and content controls past lxml's depth limit), control
characters and stray NULs, and corpus DOCX/PDF files cut short.

Each strategy is built at a ``scale``: 1 here, so the whole file runs in CI
in well under two minutes (``derandomize``: the same examples every run),
larger in ``bench/fuzz.py --minutes N``, which draws fresh examples for as
long as it is given and saves any input that breaks the property under
``tests/crashers/``; :func:`test_crashers_replay` runs every file saved
there. Each example runs under a deadline (30 s, the bound the hardening
issue sets) so a hang is a failure, not a stall.
"""

from __future__ import annotations

import copy
import gzip
import importlib.util
import io
import random
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import ehcp_audit
from ehcp_audit import InputError, Limits

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
CRASHERS = Path(__file__).resolve().parent / "crashers"
DOCX = (CORPUS / "sample_plan.docx").read_bytes()
PDF = next(iter(sorted(CORPUS.glob("p*.pdf")))).read_bytes()
PLAN_TEXT = (CORPUS / "p06.md").read_text(encoding="utf-8")
PARAGRAPHS = PLAN_TEXT.split("\n\n")
CONTAINERS = [DOCX, PDF, (CORPUS / "p03.docx").read_bytes(), (CORPUS / "p05.pdf").read_bytes()]
LIMITS = Limits(max_pages=60)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: Characters a run is made of: ASCII punctuation, typographic marks, spaces
#: that are not spaces, an emoji (two UTF-16 units), a combining accent.
SYMBOLS = "_=*-.~#|/\\!?,;:()[]{}<>'\"`^%$£@&+•–—…\u00a0\u200b\ufeff😀\u0301"

FUZZ = settings(
    max_examples=40,
    deadline=timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
#: For the strategies that build large inputs: fewer examples, same deadline.
FUZZ_LARGE = settings(FUZZ, max_examples=8)


def audit_or_input_error(data: bytes) -> None:
    """The property: an audit that serialises, or an InputError with a known code."""
    try:
        result = ehcp_audit.audit(data, limits=LIMITS)
    except InputError as error:
        assert error.code in ehcp_audit._errors.ERROR_CODES
        assert error.message
        return
    assert isinstance(result, ehcp_audit.PlanAudit)
    ehcp_audit.to_dict(result)  # serialising must not fail either


# ---------------------------------------------------------- byte mutations ---


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 256))]
        else:
            del data[pos:]
    return bytes(data)


def _rezip_with(document_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


DOCUMENT_XML = zipfile.ZipFile(io.BytesIO(DOCX)).read("word/document.xml")


@st.composite
def structurally_mutated_xml(draw: st.DrawFn) -> bytes:
    """Well-formed XML with elements removed, duplicated or moved and attributes set to junk.

    Byte mutations mostly break the XML and stop at the parser; these reach
    our own walk over tables, merged cells, content controls and styles.
    """
    root = etree.fromstring(DOCUMENT_XML)
    elements = list(root.iter())
    for _ in range(draw(st.integers(1, 12))):
        target = elements[draw(st.integers(1, len(elements) - 1))]
        parent = target.getparent()
        op = draw(st.sampled_from(["remove", "duplicate", "move", "attribute"]))
        if parent is None:
            continue
        if op == "remove":
            parent.remove(target)
        elif op == "duplicate":
            parent.append(copy.deepcopy(target))
        elif op == "move":
            destination = elements[draw(st.integers(0, len(elements) - 1))]
            if destination is not target and target not in destination.iterancestors():
                destination.append(target)
        else:
            name = draw(
                st.sampled_from(["val", "gridSpan", "vMerge", "ilvl", "numId", "sz", "outlineLvl"])
            )
            value = draw(st.sampled_from(["", "-5", "999999999999", "abc", "restart", "0"]))
            target.set(f"{{{W}}}{name}", value)
    return etree.tostring(root)


def truncated() -> st.SearchStrategy[bytes]:
    """A corpus DOCX or PDF cut short anywhere (a download or an attachment that stopped)."""
    return st.sampled_from(CONTAINERS).flatmap(
        lambda data: st.integers(0, len(data) - 1).map(lambda end: data[:end])
    )


def magic_prefixed() -> st.SearchStrategy[bytes]:
    """Random bytes behind the first bytes of each format detection knows."""
    heads = [
        b"%PDF-1.7\n",
        b"PK\x03\x04",
        b"{\\rtf1",
        b"\xef\xbb\xbf{\\rtf1",
        b"<html><body>",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"# Section A\n\n",
    ]
    return st.tuples(st.sampled_from(heads), st.binary(max_size=2048)).map(b"".join)


# --------------------------------------------------- odd, large, repetitive ---


def _in_plan(rng: random.Random, insertions: list[str]) -> bytes:
    """The plan's text with each of ``insertions`` between two of its paragraphs."""
    paragraphs = list(PARAGRAPHS)
    for text in insertions:
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), text)
    return "\n\n".join(paragraphs).encode("utf-8")


def punctuation_runs(scale: int) -> st.SearchStrategy[bytes]:
    """A plan with long runs of one symbol: alone, after a label, inside a word, spaced."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        rng = draw(st.randoms(use_true_random=False))
        runs = []
        for _ in range(draw(st.integers(1, 4))):
            char = draw(st.sampled_from(SYMBOLS))
            run = char * draw(st.integers(1, 12_000 * scale))
            shape = draw(st.sampled_from(["{}", "Signed: {}", "word{}word", "{} end", "- {}"]))
            runs.append(shape.format(run if draw(st.booleans()) else " ".join(run[:2000])))
        return _in_plan(rng, runs)

    return build()


def many_paragraphs(scale: int) -> st.SearchStrategy[bytes]:
    """A plan followed by thousands of short paragraphs, lines or list items."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        rng = draw(st.randoms(use_true_random=False))
        count = draw(st.integers(1, 3_000 * scale))
        shapes = ["Word{}.", "- item {}", "# Heading {}", "{}", "Mum said {} was fine.", "|{}|"]
        separator = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\r"]))
        lines = [rng.choice(shapes).format(i) for i in range(count)]
        return PLAN_TEXT.encode("utf-8") + separator.join(lines).encode("utf-8")

    return build()


def one_huge_block(scale: int) -> st.SearchStrategy[bytes]:
    """A plan with one paragraph of up to 200,000 characters (per scale), or past spaCy's
    ``max_length`` of 1,000,000 (once error E088, a traceback); words or none."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        rng = draw(st.randoms(use_true_random=False))
        past_spacy = st.sampled_from([1_000_001, 1_200_000]).map(lambda n: n * scale)
        size = draw(st.one_of(st.integers(1_000, 200_000 * scale), past_spacy))
        unit = draw(st.sampled_from(["the child said ", "abc", "Poppy. ", "1:1 ", "x" * 50 + " "]))
        return _in_plan(rng, [(unit * (size // len(unit) + 1))[:size]])

    return build()


def repeated(scale: int) -> st.SearchStrategy[bytes]:
    """The whole plan several times over, or one paragraph repeated hundreds of times."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        if draw(st.booleans()):
            return (PLAN_TEXT * draw(st.integers(2, 6 * scale))).encode("utf-8")
        rng = draw(st.randoms(use_true_random=False))
        paragraph = draw(st.sampled_from(PARAGRAPHS))
        return _in_plan(rng, [paragraph] * draw(st.integers(2, 600 * scale)))

    return build()


def wide_tables(scale: int) -> st.SearchStrategy[bytes]:
    """Tab- or pipe-separated tables with many columns or rows, cells empty or not."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        rng = draw(st.randoms(use_true_random=False))
        columns = draw(st.integers(1, 60 * scale))
        rows = draw(st.integers(2, 100 * scale))
        sep = draw(st.sampled_from(["\t", " | ", "|"]))
        cell = draw(st.sampled_from(["", "x", "Mum said yes", "12"]))
        edge = "|" if sep != "\t" and draw(st.booleans()) else ""
        line = edge + sep.join([cell] * columns) + edge
        return _in_plan(rng, ["\n".join([line] * rows)])

    return build()


def deep_text_nesting(scale: int) -> st.SearchStrategy[bytes]:
    """Lists, quotes and headings nested hundreds deep."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        rng = draw(st.randoms(use_true_random=False))
        depth = draw(st.integers(1, 400 * scale))
        shape = draw(st.sampled_from(["list", "quote", "heading", "brackets"]))
        if shape == "list":
            text = "\n".join("  " * level + f"- level {level}" for level in range(depth))
        elif shape == "quote":
            text = "\n".join(">" * level + f" level {level}" for level in range(1, depth))
        elif shape == "heading":
            text = "\n\n".join("#" * (level % 12 + 1) + " Section A" for level in range(depth))
        else:
            text = "(" * depth + "Mum said yes" + ")" * depth
        return _in_plan(rng, [text])

    return build()


def deep_docx_nesting(scale: int) -> st.SearchStrategy[bytes]:
    """The sample DOCX with tables or content controls nested deep (past lxml's 256 limit)."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        depth = draw(st.integers(1, 150 * scale))
        kind = draw(st.sampled_from(["table", "sdt"]))
        inner = "<w:p><w:r><w:t>Mum said yes</w:t></w:r></w:p>"
        for _ in range(depth):
            if kind == "table":
                inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
            else:
                inner = f"<w:sdt><w:sdtContent>{inner}</w:sdtContent></w:sdt>"
        end = DOCUMENT_XML.rindex(b"<w:sectPr")
        return _rezip_with(DOCUMENT_XML[:end] + inner.encode() + DOCUMENT_XML[end:])

    return build()


def control_characters(scale: int) -> st.SearchStrategy[bytes]:
    """A plan with NULs, other C0/C1 controls, lone surrogate escapes and odd line ends."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = bytearray(PLAN_TEXT.encode("utf-8"))
        junk = [b"\x00", b"\x01", b"\x0b", b"\x0c", b"\x1b[31m", b"\xc2\x85", b"\xed\xa0\x80"]
        junk += [b"\r", b"\xe2\x80\xa8", b"\xff", b"\x00" * 64]
        for _ in range(draw(st.integers(1, 20 * scale))):
            pos = draw(st.integers(0, len(data)))
            data[pos:pos] = draw(st.sampled_from(junk))
        return bytes(data)

    return build()


#: name -> (strategy at a scale, large?): what ``bench/fuzz.py`` runs for longer.
STRATEGIES: dict[str, tuple[Callable[[int], st.SearchStrategy[bytes]], bool]] = {
    "random_bytes": (lambda scale: st.binary(max_size=4096 * scale), False),
    "mutated_docx": (lambda scale: mutated(DOCX), False),
    "mutated_docx_xml": (lambda scale: mutated(DOCUMENT_XML).map(_rezip_with), False),
    "mutated_pdf": (lambda scale: mutated(PDF), False),
    "structural_docx": (lambda scale: structurally_mutated_xml().map(_rezip_with), False),
    "truncated": (lambda scale: truncated(), False),
    "magic_prefixed": (lambda scale: magic_prefixed(), False),
    "control_characters": (control_characters, False),
    "punctuation_runs": (punctuation_runs, True),
    "many_paragraphs": (many_paragraphs, True),
    "one_huge_block": (one_huge_block, True),
    "repeated": (repeated, True),
    "wide_tables": (wide_tables, True),
    "deep_text_nesting": (deep_text_nesting, True),
    "deep_docx_nesting": (deep_docx_nesting, True),
}


SMALL = [name for name, (_, large) in STRATEGIES.items() if not large]
LARGE = [name for name, (_, large) in STRATEGIES.items() if large]


@pytest.mark.parametrize("name", SMALL)
@FUZZ
@given(data=st.data())
def test_property(name: str, data: st.DataObject) -> None:
    audit_or_input_error(data.draw(STRATEGIES[name][0](1), label=name))


@pytest.mark.slow
@pytest.mark.parametrize("name", LARGE)
@FUZZ_LARGE
@given(data=st.data())
def test_property_on_large_and_repetitive_input(name: str, data: st.DataObject) -> None:
    audit_or_input_error(data.draw(STRATEGIES[name][0](1), label=name))


def test_crashers_replay() -> None:
    """Every input bench/fuzz.py saved as breaking the property now passes (none: passes)."""
    saved = sorted(p for p in CRASHERS.glob("*") if p.is_file() and p.suffix != ".md")
    for path in saved:
        data = path.read_bytes()
        try:
            audit_or_input_error(gzip.decompress(data) if path.suffix == ".gz" else data)
        except BaseException as error:
            raise AssertionError(f"{path.name} still breaks the property") from error


def bench_fuzz() -> ModuleType:
    """bench/fuzz.py as a module."""
    spec = importlib.util.spec_from_file_location(
        "bench_fuzz", CRASHERS.parents[1] / "bench" / "fuzz.py"
    )
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_bench_fuzz_saves_the_shrunk_crashing_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bench/fuzz.py, given a property that breaks on inputs of 11 to 4,096 bytes, saves one of 11.

    (The corpus plan the bench checks first is longer, so it still passes.)
    """
    bench = bench_fuzz()

    def breaks_over_ten_bytes(data: bytes) -> None:
        if 10 < len(data) <= 4096:
            raise ValueError("too long for this test")

    monkeypatch.setattr(bench, "CRASHERS", tmp_path)
    monkeypatch.setattr(bench, "audit_or_input_error", breaks_over_ten_bytes)
    assert bench.main(["--minutes", "0.02", "--only", "random_bytes"]) == 1
    saved = list(tmp_path.glob("random_bytes-*.bin"))
    assert saved and all(len(path.read_bytes()) == 11 for path in saved)


def test_bench_fuzz_stops_on_broken_rules_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = bench_fuzz()

    def broken_rules(data: bytes) -> None:
        raise ehcp_audit.ConfigError("rules/x.toml: key 'y': wrong")

    monkeypatch.setattr(bench, "CRASHERS", tmp_path)
    monkeypatch.setattr(bench, "audit_or_input_error", broken_rules)
    assert bench.main(["--minutes", "0.02", "--only", "random_bytes"]) == 2
    assert list(tmp_path.iterdir()) == []
