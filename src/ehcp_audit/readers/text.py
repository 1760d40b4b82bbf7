"""Plain-text and Markdown plans.

Plans pasted out of case-management systems arrive as ``.txt`` in whatever
encoding the system used: UTF-8, UTF-16 with a byte-order mark, or Windows-1252
(the old "ANSI"). We decode by BOM, then strict UTF-8, then Windows-1252,
which can decode almost any byte string, so the choice order matters.

Structure is recovered from the conventions people actually type:
``#`` headings, underlined headings (``====``/``----``), short ALL-CAPS lines,
lone ``**bold**`` lines, bullets and numbered lists, "Label: value" lines, and
tables, whether Markdown pipe tables or grids drawn with ``+---+`` borders
(see ``_text_tables``): that is how combined B/F/E tables and section letters
in a left-hand cell survive as text. Table cells become TABLE_CELL blocks
with their row and column, as in the DOCX and PDF readers; borders never
reach the text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from .._errors import Unreadable
from .._limits import Limits, TextBudget
from .._model import Block, BlockKind, CellRef, Document, FoundBy, SourceFormat
from ._text_cell_lines import find_cell_lines_table
from ._text_columns import AlignedTables
from ._text_pages import split_pages
from ._text_tables import (
    BULLET,
    BULLET_MARKS,
    SECTION_OPENING,
    TextTable,
    find_table,
    is_border,
    may_start,
    mid_sentence,
)

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
#: A Markdown thematic break ("* * *", "- - -"): a divider, never text.
_BREAK_LINE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
_LABEL_LINE = re.compile(r"^[^:\n]{1,40}:\s*\S")
_LONE_BOLD = re.compile(r"^(\*\*|__)(.+?)\1:?$")
#: A Markdown quote marker ("> "): formatting, not text.
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
#: A line that ends a sentence (or a label, or a quotation that does): never a wrap.
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")
#: How full a line must be, against the widest in its run, for its break to be a wrap.
_WRAP_FULL = 0.85
#: The least indent of a text column with a margin beside it, and the longest margin label.
_MARGIN_MIN = 4
_MARGIN_LABEL = 12
#: A list's marker, whose item's later lines are indented under its text (pandoc's
#: "-   item", "1.  item"): never a margin label.
_LIST_MARKER = re.compile(rf"[{BULLET_MARKS}+]|\d{{1,2}}[.)]|[a-z][.)]|\(?[ivx]{{1,4}}\)")
#: A quotation opening a line: after "Mum said:" it goes on the sentence, not a new one.
_OPENS_QUOTE = ('"', "“", "‘", "'")
#: A line of bullet glyphs alone: a PDF's list markers, which ``pdftotext`` without
#: ``-layout`` prints in a run of their own apart from their items (the markers sit in
#: a column left of the text). Dashes and asterisks are left: alone on a line they
#: may be a table's empty value.
_ORPHAN_BULLETS = re.compile(
    r"^[ \t\u2022\u2023\u25aa\u25cf\u25e6\u25a0\u25ba\u27a2\uf0a7\uf0b7\uf0d8]+$"
)


#: Runs of the DOS code page's line-drawing bytes (─ ═ as 0xC4 0xCD, │ ║ as
#: 0xB3 0xBA): read as Windows-1252 they are "ÄÄÄ" and "³", never English.
_DOS_RULE = re.compile(rb"[\xc4\xcd]{3,}")
_DOS_BAR = re.compile(rb"[\xb3\xba]")


def decode(data: bytes) -> str:
    """Decode plan text by BOM, then strict UTF-8, then Windows-1252.

    Old case-management systems export tables drawn in the DOS code page
    (437); a file whose bytes draw such lines is decoded as that instead.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("the text file says it is UTF-16 but its bytes are damaged") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if _DOS_RULE.search(data) and _DOS_BAR.search(data):
            return data.decode("cp437")
        return data.decode("cp1252", errors="replace")


def read(data: bytes, limits: Limits) -> Document:
    """Read a plain-text or Markdown plan into blocks.

    Each block is counted against the text limits as it is made, so a
    runaway file (megabytes of one-word paragraphs) stops at the limit
    instead of being read to its end.
    """
    # A stray NUL (a paste gone wrong) is dropped: it is never part of the text.
    text = decode(data).replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    body, furniture = split_pages(text)
    builder = _Builder(limits.budget())
    lines = [_QUOTE.sub("", line) if ">" in line[:4] else line for line in split_margin(body)]
    # Bullets printed apart from their items break the run there, as a list's items do.
    lines = ["" if _ORPHAN_BULLETS.match(line) else line for line in lines]
    builder.wrap_width = hard_wrap_width(lines)
    i = 0
    while i < len(lines):
        i = builder.consume(lines, i)
    return Document(
        format=SourceFormat.TEXT,
        blocks=tuple(builder.blocks),
        furniture=tuple(
            Block(index=k, kind=BlockKind.PARAGRAPH, text=line) for k, line in enumerate(furniture)
        ),
    )


def split_margin(lines: list[str]) -> list[str]:
    """``lines`` with labels written in a left margin put on lines of their own.

    A PDF turned into text with its layout kept (``pdftotext -layout``) puts
    a template's left-hand column beside the text: the section letter "A",
    then spaces, then "Section A: My views". When most lines are indented to
    one column, a short label standing left of that column is split off,
    so the heading starts its line as it does in the plan.
    """
    indents = Counter(
        len(line) - len(line.lstrip(" ")) for line in lines if line.strip() and line[:1] == " "
    )
    if not indents:
        return lines
    column, count = indents.most_common(1)[0]
    if column < _MARGIN_MIN or count * 2 < sum(1 for line in lines if line.strip()):
        return lines
    out: list[str] = []
    for line in lines:
        label, text = line[:column], line[column:]
        word = label.strip()
        if (
            word
            and label[:1] != " "
            and len(word) <= _MARGIN_LABEL
            and label.endswith("  ")
            and text[:1].strip()
            and not _LIST_MARKER.fullmatch(word)
        ):
            out += [word, " " * column + text]
        else:
            out.append(line)
    return out


def hard_wrap_width(lines: list[str]) -> int | None:
    """The width a program hard-wrapped this file's prose at, or ``None``.

    Why: a case-management export wraps every paragraph at one width (with a
    blank line between paragraphs), so a line that ends a sentence can still
    be a wrap ("... in March 2025." / "No other needs identified."). In a
    file whose paragraphs each sit on one line, lines near the longest are
    few; in a hard-wrapped file a good share of the prose lines reach the
    width. Drawn table rows and borders are not prose and are left out.
    """
    prose = [len(line.rstrip()) for line in lines if line.strip() and line.lstrip()[:1] not in "+|"]
    if len(prose) < _MIN_WRAPPED_LINES:
        return None
    width = max(prose)
    full = sum(1 for n in prose if n >= width * _WRAP_FULL)
    return width if full >= _MIN_WRAPPED_LINES and full >= len(prose) * _WRAPPED_SHARE else None


def unwrap(run: list[str], wrap_width: int | None = None) -> list[str]:
    """The paragraphs of a run of lines with no blank line between them.

    A text export may hard-wrap paragraphs at a width (an e-mail, an old
    case-management system: every line but a paragraph's last is near the
    width and breaks mid-sentence), or put each paragraph on one line of its
    own with no blank line between (Word's and LibreOffice's "plain text"
    export, where a heading, a paragraph and the next heading follow one
    another). A line break is a wrap, joining the lines into one paragraph,
    when the next line goes on in lower case (after "e.g." or "Dr." too), or
    when the line does not end a sentence and the break was forced: the next
    line's first word would hardly have fitted on it within the run's widest
    line (a typist's own breaks are not quite as full as a program's, hence
    the slack) and the line is not a section's heading over a capital. A
    heading ("Section B: Special educational needs") is far shorter than the
    width and the paragraph after it starts with a capital, so it stands
    alone.
    """
    width = max(len(line) for line in run)
    paragraphs: list[list[str]] = [[run[0]]]
    for line in run[1:]:
        last = paragraphs[-1][-1]
        quoted = last.endswith(":") and line.startswith(_OPENS_QUOTE)
        goes_on = _goes_on(last, line, width) or _wrapped_at(last, line, wrap_width)
        if _new_record(paragraphs[-1], line):
            goes_on = False
        if quoted or (goes_on and not _heads(paragraphs[-1], line)):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return [_join(lines) for lines in paragraphs]


#: A line opening with a date in figures: "05/09/2026 Decision to assess".
_DATED_LINE = re.compile(r"\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


def _new_record(paragraph: list[str], line: str) -> bool:
    """Whether ``line`` starts a new entry of a dated log ("WORKFLOW HISTORY", a chronology).

    Why: each line of such a log is a record of its own ("03/11/2026 Draft plan
    issued"); joined into one paragraph, one entry's words would be read with the
    next's ("agreed at panel ... draft plan issued").
    """
    return bool(_DATED_LINE.match(paragraph[0]) and _DATED_LINE.match(line))


def _wrapped_at(last: str, line: str, wrap_width: int | None) -> bool:
    """In a file hard-wrapped at ``wrap_width``, whether the break after ``last`` was forced:
    ``line``'s first word would not have fitted, so even a finished sentence goes on.
    A section's heading never carries on."""
    if wrap_width is None or SECTION_OPENING.match(line) or _NAMES_SECTION.search(last):
        return False
    return len(last) + 1 + len(line.split(maxsplit=1)[0]) > wrap_width


def _join(lines: list[str]) -> str:
    """Wrapped lines as one paragraph; a word broken at its hyphen ("back-of-" /
    "house") joins up again without a space."""
    out = lines[0]
    for line in lines[1:]:
        hyphen = out.endswith("-") and out[-2:-1].isalpha() and line[:1].islower()
        out += ("" if hyphen else " ") + line
    return out


def _goes_on(last: str, line: str, width: int) -> bool:
    """Does ``line`` carry on ``last`` in a run of lines at most ``width`` wide?

    Yes when it goes on in lower case (even after "e.g." or "Dr."), or when
    ``last`` does not end a sentence and its break was forced: the next word
    would hardly have fitted on it. A colon ending a forced line ("... on 3 May.
    Present:") opens what follows, which goes on the same paragraph; a short
    line ending in a colon ("Parents' views:") is a label standing alone. A line
    opening a section ("Section D - Social care needs") never carries on the line
    above, nor does anything carry on a whole bracketed template prompt or a line
    naming its section in brackets ("Other social care provision (H2)"). In a run
    of short lines (labels and values, none near a wrap width) nothing was wrapped.
    """
    if line[:1].islower():
        return True
    if _NAMES_SECTION.search(last):
        return False  # "Other social care provision (H2)"
    if SECTION_OPENING.match(line) and not _SECTION_IN_PROSE.match(line):
        return False  # a section's heading
    if not line.startswith("[") and mid_sentence(last, line):
        # "... delivered by the" / "speech therapist"; "... added to" / "Section H1.";
        # never a template's "[Insert ...]" prompt, which stands alone under its heading.
        return True
    if SECTION_OPENING.match(line) or (last.endswith("]") and "[" in last):
        return False  # "Section H1." after a finished line; after a whole "[Insert ...]" prompt
    if width < _MIN_WRAP_WIDTH:
        return False  # a run of short labels, none near a wrap width
    forced = len(last) + 1 + len(line.split(maxsplit=1)[0]) > width * _WRAP_FULL
    return forced and (not _ENDS_SENTENCE.search(last) or last.endswith(":"))


#: A line naming its section in brackets at its end: "Needs (B)", "Outcomes (Section E)".
_NAMES_SECTION = re.compile(
    r"\((?:sections?\s+)?(?:[A-K]|H[12])(?:\s*(?:/|,|&|and)\s*(?:[A-K]|H[12]))*\)\s*$",
    re.IGNORECASE,
)
#: A section named in a sentence, not headed: "Section H1.", "Section F, which", "Sections
#: C and G)". After a line left mid-sentence it goes on that line.
_SECTION_IN_PROSE = re.compile(
    r"^\s*(?i:sections?)\s+(?:[A-K]|H[12])(?:\s*(?:,|&|and|or)\s*(?:[A-K]|H[12]))*\s*[.,;)]"
)
#: How many prose lines, and what share of them, must reach the widest line's
#: ``_WRAP_FULL`` for a file to count as hard-wrapped at that width.
_MIN_WRAPPED_LINES = 8
_WRAPPED_SHARE = 0.3
#: The narrowest run of lines whose breaks can have been forced by a wrap width.
_MIN_WRAP_WIDTH = 30
#: The most words a line naming its section in brackets may have to be taken as a heading.
_SECTION_LINE_WORDS = 10

#: The most words a section's heading wrapped over lines may have.
_HEADING_WORDS = 25


def _heads(paragraph: list[str], line: str) -> bool:
    """A section's heading ("Section H1: Social care provision under ...", perhaps
    wrapped over two lines) stands alone above a line starting with a capital."""
    return (
        line[:1].isupper()
        and SECTION_OPENING.match(paragraph[0]) is not None
        and not any(_ENDS_SENTENCE.search(part) for part in paragraph)
        and sum(len(part.split()) for part in paragraph) <= _HEADING_WORDS
    )


def _run_width(lines: list[str], i: int) -> int:
    """The widest line from ``lines[i]`` to the next blank line (the run's wrap width)."""
    width = 0
    for line in itertools.islice(lines, i, None):
        if not line.strip():
            break
        width = max(width, len(line.rstrip()))
    return width


#: The most words a title line above a paragraph may have.
_TITLE_WORDS = 8


def _is_title_line(text: str) -> bool:
    """A short line set apart above a paragraph, as a sub-heading is ("Feedback on
    the draft", "How this plan was agreed"): a few words starting with a capital,
    with no sentence end, comma or label colon. Word and PDF set such lines in bold;
    in a text export the space above them and the paragraph below are all that is
    left, so they are given the same mark."""
    words = text.split()
    return (
        0 < len(words) <= _TITLE_WORDS
        and text[:1].isupper()
        and not _ENDS_SENTENCE.search(text)
        and "," not in text
        and not _LABEL_LINE.match(text)
    )


def _names_section(text: str) -> bool:
    """A short line ending with its section code in brackets ("Needs (B)", "Other
    social care provision (H2)"): a heading wherever it stands, as Word would set it."""
    return len(text.split()) <= _SECTION_LINE_WORDS and _NAMES_SECTION.search(text) is not None


def _is_caps_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped.isupper():  # a lower-case letter (most lines): not caps
        return False
    letters = [c for c in stripped if c.isalpha()]
    return (
        len(letters) >= 3
        and all(c.isupper() for c in letters)
        and len(stripped.split()) <= 14
        and not stripped.endswith((".", ","))
    )


class _Builder:
    """Accumulates blocks; each ``consume`` call eats one structural unit."""

    def __init__(self, budget: TextBudget) -> None:
        self.blocks: list[Block] = []
        self.tables = 0
        self.budget = budget
        self._aligned: AlignedTables | None = None
        self._run = (0, 0, 0)  # the last run asked about: start, end, wrap width
        self._last_table: tuple[int, tuple[int, TextTable] | None] = (-1, None)
        #: the file's hard-wrap width (see :func:`hard_wrap_width`), set by ``read``
        self.wrap_width: int | None = None

    def table_at(self, lines: list[str], i: int) -> tuple[int, TextTable] | None:
        """The table of any kind starting at ``lines[i]``, and the index after it.

        Asked twice of the line a paragraph stops at (by the paragraph, then by
        the next ``consume``): the last answer is kept, so it is worked out once.
        """
        if self._last_table[0] != i:
            found = (
                find_table(lines, i) or self.aligned(lines).at(i) or find_cell_lines_table(lines, i)
            )
            self._last_table = (i, found)
        return self._last_table[1]

    def run_width(self, lines: list[str], i: int) -> int:
        """The wrap width of the run of lines holding ``lines[i]`` (see :func:`_run_width`),
        worked out once per run: a list of thousands of items asks at every item."""
        start, end, width = self._run
        if not start <= i < end:
            width = _run_width(lines, i)
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            self._run = (i, end, width)
        return width

    def aligned(self, lines: list[str]) -> AlignedTables:
        """The finder of space-aligned tables for this read's lines (one per read)."""
        if self._aligned is None:
            self._aligned = AlignedTables(lines)
        return self._aligned

    def add(self, kind: BlockKind, text: str, **hints: object) -> None:
        self.budget.admit(text)
        self.blocks.append(Block(index=len(self.blocks), kind=kind, text=text, **hints))  # type: ignore[arg-type]

    def heading(self, text: str, level: int) -> None:
        self.add(
            BlockKind.HEADING,
            text,
            heading_level=level,
            heading_source=FoundBy.TEXT_PATTERN,
            bold=True,
        )

    def consume(self, lines: list[str], i: int) -> int:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            return i + 1
        found = self.table_at(lines, i)
        if found is not None:
            self.table(found[1])
            return found[0]
        if may_start(line) and is_border(line):
            return i + 1  # a rule drawn on its own: decoration, not text
        if (_UNDERLINE.match(line) and len(stripped) >= 3) or _BREAK_LINE.match(line):
            return i + 1
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (m := _MD_HEADING.match(stripped)) and m.group(2):
            self.heading(m.group(2), len(m.group(1)))
            return i + 1
        if nxt.strip() and _UNDERLINE.match(nxt) and len(nxt.strip()) >= 3 and "|" not in stripped:
            self.heading(stripped, 1 if nxt.strip()[0] == "=" else 2)
            return i + 2
        if m := _LONE_BOLD.match(stripped):
            self.add(BlockKind.PARAGRAPH, m.group(2).strip(), bold=True)
            return i + 1
        if _is_caps_heading(stripped):
            self.heading(stripped, 2)
            return i + 1
        if m := BULLET.match(line):
            return self.list_item(lines, i, m.group(1))
        return self.paragraph(lines, i)

    def list_item(self, lines: list[str], i: int, first: str) -> int:
        """One list item: its first line and the lines carrying it on.

        A continuation is indented under the item's text, or (a numbered list
        laid out from a PDF, no hanging indent) not indented but carrying the
        item's sentence on (see :func:`_goes_on`); another bullet, a heading
        or a table ends the item.
        """
        parts = [first.strip()]
        width = self.run_width(lines, i)
        i += 1
        while i < len(lines) and (line := lines[i]).strip():
            stripped = line.strip()
            if (
                BULLET.match(line)
                or _MD_HEADING.match(stripped)
                or _is_caps_heading(stripped)
                or (may_start(line) and is_border(line))
            ):
                break
            if not line.startswith((" ", "\t")) and not _goes_on(parts[-1], stripped, width):
                break
            parts.append(stripped)
            i += 1
        self.add(BlockKind.LIST_ITEM, " ".join(parts))
        return i

    def paragraph(self, lines: list[str], i: int) -> int:
        run: list[str] = []
        while i < len(lines):
            stripped = lines[i].strip()
            if not stripped:
                break
            # The first line is this paragraph's whatever it looks like
            # (consume sent it here): taking it is what moves the reader on.
            if run and (
                BULLET.match(lines[i])
                or _MD_HEADING.match(stripped)
                or _is_caps_heading(stripped)
                or (may_start(lines[i]) and is_border(lines[i]))
                or self.table_at(lines, i)
            ):
                break
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if run and nxt.strip() and _UNDERLINE.match(nxt):
                break
            run.append(stripped)
            i += 1
        if all(_LABEL_LINE.match(line) for line in run):
            # "Name: Sam" lines are separate facts, not one wrapped paragraph.
            for line in run:
                self.add(BlockKind.PARAGRAPH, line)
        else:
            paragraphs = unwrap(run, self.wrap_width)
            # Something follows with no blank line between: a list, a table, a heading.
            followed = i < len(lines) and bool(lines[i].strip())
            for k, paragraph in enumerate(paragraphs):
                above = len(paragraphs) > 1 or followed
                title = k == 0 and above and _is_title_line(paragraph)
                self.add(BlockKind.PARAGRAPH, paragraph, bold=title or _names_section(paragraph))
        return i

    def table(self, table: TextTable) -> None:
        self.tables += 1
        header = table.header
        for cell in table.cells:
            ref = CellRef(table=self.tables, row=cell.row, column=cell.column, header=header)
            self.add(BlockKind.TABLE_CELL, cell.text, cell=ref, bold=cell.bold)
