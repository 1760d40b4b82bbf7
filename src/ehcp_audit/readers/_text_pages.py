"""Pages of a text export: running headers and footers, and tables cut by a break.

Text made from a paged document (a PDF run through a text converter, a
case-management system's print-to-text) marks each page break with a form
feed and repeats the page's header and footer on every page: "OFFICIAL -
SENSITIVE", "EHC Plan for Sam Green", "Page 3 of 12". Left in the text they
would sit in the middle of sections, and between the two halves of a table
a page break cut, which would then read as two tables. So, as the PDF
reader does, lines at the top or bottom of a page that come back on at
least half the pages (digits ignored), and bare page numbers, are taken out
as furniture, and a table going on over a break is joined back.
"""

from __future__ import annotations

import re

#: Lines nearest each edge of a page that may be a running header or footer.
_EDGE_LINES = 2
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^[-–—(\[]*\s*(?:page\s*)?\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*[-–—)\]]*$", re.IGNORECASE
)
_TABLE_EDGE = re.compile(r"^\s*[+|\u2500-\u257f]")


def _key(line: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", line.lower())).strip()


def _edges(lines: list[str]) -> list[int]:
    """Indices of the first and last few non-blank lines of a page, tables' lines
    aside (a border or a repeated header row comes back on every page a table
    runs over)."""
    filled = [k for k, line in enumerate(lines) if line.strip()]
    edges = set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])
    return sorted(k for k in edges if not _TABLE_EDGE.match(lines[k]))


def split_pages(text: str) -> tuple[list[str], list[str]]:
    """The body's lines with page furniture taken out, and the furniture (once each).

    Text without form feeds is one page and is returned as it is.
    """
    if "\f" not in text:
        return text.split("\n"), []
    pages = [page.split("\n") for page in text.split("\f")]
    counts: dict[str, int] = {}
    for lines in pages:
        for key in {_key(lines[k]) for k in _edges(lines)}:
            counts[key] = counts.get(key, 0) + 1
    shown = sum(1 for lines in pages if any(line.strip() for line in lines))
    repeated = {key for key, n in counts.items() if n >= 2 and 2 * n >= shown}
    furniture: dict[str, str] = {}
    body: list[str] = []
    for lines in pages:
        drop = {
            k
            for k in _edges(lines)
            if _key(lines[k]) in repeated or _PAGE_NUMBER.match(lines[k].strip())
        }
        kept = [line for k, line in enumerate(lines) if k not in drop]
        for k in sorted(drop):
            furniture.setdefault(_key(lines[k]), lines[k].strip())
        _join_table(body, kept)
        body.extend(kept)
    return body, list(furniture.values())


def _join_table(body: list[str], page: list[str]) -> None:
    """Drop the blank lines between a table ending one page and one starting the next."""
    last = next((line for line in reversed(body) if line.strip()), "")
    first = next((line for line in page if line.strip()), "")
    if not (_TABLE_EDGE.match(last) and _TABLE_EDGE.match(first)):
        return
    while body and not body[-1].strip():
        body.pop()
    while page and not page[0].strip():
        page.pop(0)
