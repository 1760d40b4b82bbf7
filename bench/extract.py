"""Benchmark: reading + sectionizing cost per page, against a raw baseline.

    python bench/extract.py [--repeat N]

For each format it prints milliseconds per page for ehcp-audit's read,
placeholder marking and sectionize stages next to a raw baseline on the same
bytes, and the ratio; then the same for reading alone, so it is plain how the
cost splits between the reader and the sectionizer:

- PDF: pypdfium2's plain text extraction of every page (target: ratio <= 10);
- DOCX: an lxml walk collecting every ``w:t`` in ``word/document.xml``,
  tables included (target: ratio <= 3);
- text: decoding and splitting lines.

Plans of 10 pages or more are used so fixed costs do not dominate: the
corpus plans are joined in memory (PDF pages imported with pypdfium2; DOCX
bodies repeated inside one package) until each input has at least 10 pages.
A DOCX has no pages until Word lays it out, so its pages are estimated at
500 words each, the same estimate for ehcp-audit and the baseline.

Timing: each of ``--repeat`` rounds runs the baseline, the reader alone and
the whole of ehcp-audit's stages once, back to back, so all three meet the
same machine conditions; each figure is the best (lowest) of its rounds, as
``timeit`` advises, since disturbances only ever add time. What is kept
between rounds is what a batch of plans from one template keeps: the section
rules and compiled patterns, style lookups per styles part, and the
sectionizer's answers for short lines (headings, labels; body sentences are
never remembered). ``--cold`` forgets those answers before every round, as
for a plan whose every line is new.
"""

from __future__ import annotations

import argparse
import copy
import io
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lxml import etree  # noqa: E402

from ehcp_audit._limits import DEFAULT_LIMITS  # noqa: E402
from ehcp_audit._placeholders import mark_placeholders  # noqa: E402
from ehcp_audit.readers import read_bytes  # noqa: E402
from ehcp_audit.readers.text import decode  # noqa: E402
from ehcp_audit.sections import sectionize  # noqa: E402

CORPUS = ROOT / "corpus_samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MIN_PAGES = 10
WORDS_PER_PAGE = 500


def best_of(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best wall time of each function over ``repeat`` interleaved rounds, in seconds."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(spent) for name, spent in times.items()}


def long_pdf(pages: int | None = None) -> tuple[bytes, int]:
    """Corpus PDFs joined, in turn, to at least 20 pages (exactly ``pages`` when given)."""
    import pypdfium2 as pdfium

    sources = sorted(CORPUS.glob("p*.pdf"))
    target = pdfium.PdfDocument.new()
    while len(target) < (pages or MIN_PAGES * 2):
        for path in sources:
            target.import_pages(pdfium.PdfDocument(path.read_bytes()))
    while pages is not None and len(target) > pages:
        target.del_page(len(target) - 1)
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue(), len(target)


def pdf_baseline(data: bytes) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        pdf.close()


def long_docx(min_words: int | None = None) -> tuple[bytes, int]:
    """p01.docx's body repeated to 10+ pages (at least ``min_words`` words when given)."""
    source = (CORPUS / "p01.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        members = {item.filename: archive.read(item) for item in archive.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    body = root.find(f"{W}body")
    original = [child for child in body if child.tag != f"{W}sectPr"]
    sect = body.find(f"{W}sectPr")
    words = sum(len("".join(t.text or "" for t in el.iter(f"{W}t")).split()) for el in original)
    wanted = min_words or MIN_PAGES * 2 * WORDS_PER_PAGE
    copies = max(1, -(-wanted // max(words, 1)))
    for _ in range(copies - 1):
        for child in original:
            if sect is not None:
                sect.addprevious(copy.deepcopy(child))
            else:
                body.append(copy.deepcopy(child))
    members["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    pages = max(MIN_PAGES, round(words * copies / WORDS_PER_PAGE))
    return out.getvalue(), pages


def docx_baseline(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    "".join(t.text or "" for t in root.iter(f"{W}t"))


def long_text() -> tuple[bytes, int]:
    texts = [p.read_bytes() for p in sorted(CORPUS.glob("p*.md")) + sorted(CORPUS.glob("p*.txt"))]
    joined = "\n\n".join(decode(t) for t in texts)
    words = len(joined.split())
    copies = max(1, -(-MIN_PAGES * WORDS_PER_PAGE // max(words, 1)))
    data = ("\n\n".join([joined] * copies)).encode("utf-8")
    return data, max(MIN_PAGES, round(words * copies / WORDS_PER_PAGE))


def text_baseline(data: bytes) -> None:
    decode(data).splitlines()


def ours(data: bytes) -> None:
    sectionize(mark_placeholders(read_bytes(data, DEFAULT_LIMITS)))


def ours_cold(data: bytes) -> None:
    """``ours`` with the sectionizer's remembered answers per line forgotten first."""
    from ehcp_audit.sections import _matcher_for  # private: a benchmark may look inside

    _matcher_for(())._memo.clear()
    ours(data)


def read_only(data: bytes) -> None:
    read_bytes(data, DEFAULT_LIMITS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--cold", action="store_true", help="forget remembered heading answers every round"
    )
    args = parser.parse_args()
    run_ours = ours_cold if args.cold else ours
    cases = [
        ("pdf", long_pdf, pdf_baseline, 10.0),
        ("docx", long_docx, docx_baseline, 3.0),
        ("text", long_text, text_baseline, None),
    ]
    print(
        f"{'format':<6} {'pages':>5} {'ours ms/page':>13} {'raw ms/page':>12} {'ratio':>7}  "
        f"{'target':<14} {'read ms/page':>13} {'read ratio':>10}"
    )
    for name, build, baseline, target in cases:
        data, pages = build()
        ours(data)  # warm up imports and caches; not counted
        baseline(data)
        best = best_of(
            {
                "raw": lambda data=data, baseline=baseline: baseline(data),
                "read": lambda data=data: read_only(data),
                "ours": lambda data=data: run_ours(data),
            },
            args.repeat,
        )
        raw, read, mine = (best[key] * 1000 / pages for key in ("raw", "read", "ours"))
        ratio = mine / raw if raw else float("inf")
        read_ratio = read / raw if raw else float("inf")
        verdict = ""
        if target is not None:
            verdict = f"<= {target:g}x " + ("ok" if ratio <= target else "MISSED")
        print(
            f"{name:<6} {pages:>5} {mine:>13.2f} {raw:>12.2f} {ratio:>6.1f}x  {verdict:<14} "
            f"{read:>13.2f} {read_ratio:>9.1f}x"
        )


if __name__ == "__main__":
    main()
