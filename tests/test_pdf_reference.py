"""The PDF reader (PDFium) against pdfplumber, the reference it was ported from.

pdfplumber is a test dependency only: its pdfminer parse is too slow to
read plans with, but it is the well-known answer to "what text and which
ruled tables are on this page". Every corpus PDF and every PDF the fixtures
draw is read both ways and compared:

* **text**: the words (lower-cased runs of letters and digits) of our
  blocks against pdfplumber's ``extract_text()`` lines, once the running
  headers and footers we keep once in ``Document.furniture`` are taken out
  of the reference. What differs by design: a table's header row drawn
  again on a later page is dropped by us; pdfplumber sometimes splits a
  word ("202 5") or runs two together. Hence the tolerances: at most
  ``MISSING`` of the reference's words may be missing from ours, and at
  most ``EXTRA`` of ours may be absent from the reference.
* **tables**: every non-empty cell of every ruled table pdfplumber finds
  (``find_tables()``, the lines strategy) must be inside one of our
  TABLE_CELL blocks, spaces and punctuation ignored (a row a page break
  split is one cell for us, two for pdfplumber); a lone ruled cell is a box
  round text, which we read as paragraphs, so its text need only be in our
  text. At most ``CELLS_MISSED`` of the cells may fail.
* a PDF we refuse for having no text must give pdfplumber no text either.

A failure lists the differing words and cells.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

pdfplumber = pytest.importorskip("pdfplumber")

import pdf_factory  # noqa: E402

from ehcp_audit import EmptyDocument, Encrypted, NoTextLayer, Unreadable  # noqa: E402
from ehcp_audit._model import BlockKind, Document  # noqa: E402
from ehcp_audit.readers import read_bytes  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PDFS = sorted((ROOT / "corpus_samples").rglob("*.pdf"))
FIXTURE_PDFS: dict[str, Callable[[], bytes]] = {
    "plan_pdf": functools.cache(pdf_factory.plan_pdf),
    "many_pages_pdf": lambda: pdf_factory.many_pages_pdf(6),
    "restricted_pdf": pdf_factory.restricted_pdf,
    "image_only_pdf": pdf_factory.image_only_pdf,
}

#: Share of the reference's words that may be missing from ours (repeated header rows).
MISSING = 0.035
#: Share of our words that may be absent from the reference.
EXTRA = 0.01
#: Share of pdfplumber's ruled-table cells that may be missing from our cells.
CELLS_MISSED = 0.02
#: A few words of slack for short documents.
SLACK = 5
#: pdfplumber's stand-in for a glyph with no Unicode (a drawn bullet).
_CID = re.compile(r"\(cid:\d+\)")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _squashed(text: str) -> str:
    return "".join(_words(text))


def _letters(text: str) -> str:
    """A line's letters only: furniture is matched with its page numbers ignored."""
    return "".join(re.findall(r"[a-z]+", text.lower()))


@functools.lru_cache(maxsize=4)  # the plan fixture is compared twice
def _reference(data: bytes) -> tuple[list[str], list[tuple[bool, str]]]:
    """pdfplumber's text lines and ruled-table cells (whether the table is one cell, text)."""
    lines: list[str] = []
    cells: list[tuple[bool, str]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines += _CID.sub(" ", page.extract_text() or "").splitlines()
            for table in page.find_tables():
                rows = table.extract()
                lone = len(rows) == 1 and len(rows[0]) == 1
                cells += [(lone, cell) for row in rows for cell in row if cell and cell.strip()]
    return lines, cells


def _compare(document: Document, data: bytes) -> list[str]:
    """What differs beyond the tolerances, one line each; empty when the readers agree."""
    lines, cells = _reference(data)
    furniture = {_letters(block.text) for block in document.furniture}
    reference = Counter(
        w for line in lines if _letters(line) not in furniture for w in _words(line)
    )
    ours = Counter(_words(" ".join(block.text for block in document.blocks)))
    problems = []
    missing, extra = reference - ours, ours - reference
    if missing.total() > MISSING * reference.total() + SLACK:
        problems.append(
            f"{missing.total()} of {reference.total()} reference words missing from ours "
            f"(over {MISSING:.1%}): {sorted(missing.items())[:40]}"
        )
    if extra.total() > EXTRA * ours.total() + SLACK:
        problems.append(
            f"{extra.total()} of our {ours.total()} words not in the reference "
            f"(over {EXTRA:.1%}): {sorted(extra.items())[:40]}"
        )
    ours_cells = [_squashed(b.text) for b in document.blocks if b.kind is BlockKind.TABLE_CELL]
    body = _squashed(" ".join(block.text for block in document.blocks))
    missed = [
        text
        for lone, text in cells
        if not (_squashed(text) in body if lone else any(_squashed(text) in c for c in ours_cells))
    ]
    if len(missed) > CELLS_MISSED * len(cells):
        problems.append(
            f"{len(missed)} of {len(cells)} ruled-table cells found by pdfplumber are in none "
            f"of our cells (over {CELLS_MISSED:.0%}): {[m[:60] for m in missed[:10]]}"
        )
    return problems


def _check(data: bytes) -> None:
    try:
        document = read_bytes(data)
    except (NoTextLayer, EmptyDocument):
        lines, _ = _reference(data)
        assert not _words(" ".join(lines)), "we found no text, pdfplumber did"
        return
    except (Encrypted, Unreadable):
        pytest.skip("refused before any text is read (password or damage): nothing to compare")
    problems = _compare(document, data)
    assert not problems, "PDFium reader and pdfplumber disagree:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_pdf_agrees_with_pdfplumber(path: Path) -> None:
    _check(path.read_bytes())


@pytest.mark.parametrize("name", sorted(FIXTURE_PDFS))
def test_fixture_pdf_agrees_with_pdfplumber(name: str) -> None:
    _check(FIXTURE_PDFS[name]())


def test_the_comparison_can_fail() -> None:
    """A reader that lost a table cell and a paragraph would be caught, and told why."""
    data = FIXTURE_PDFS["plan_pdf"]()
    document = read_bytes(data)
    kept = [b for b in document.blocks if "Need 2.3" not in b.text][: len(document.blocks) // 2]
    problems = _compare(Document(format=document.format, blocks=tuple(kept)), data)
    assert any("reference words missing" in p for p in problems)
    assert any("ruled-table cells" in p for p in problems)
