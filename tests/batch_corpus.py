"""A folder of plans for batch tests, made from the corpus at test time.

Each good plan is a corpus plan (DOCX, text or Markdown) with the child's
and family's names replaced by fictional ones and a plan reference of its
own, so every file's content differs; the corpus PDFs are copied as they are.
A few files from ``corpus_samples/bad`` are mixed in, plus duplicates under
other names, a Word lock file and a hidden folder (which must be skipped).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from attrs import frozen
from docx import Document

import ehcp_audit
from ehcp_audit._audit import _document
from ehcp_audit.details import parse_details
from ehcp_audit.sections import sectionize

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"

FIRST = (
    "Aurelio", "Bilal", "Cerys", "Dov", "Esme", "Femi", "Gwen", "Hari", "Isla", "Jonah",
    "Kezia", "Lorcan", "Maya", "Nico", "Orla", "Pavel", "Quinn", "Rhian", "Sami", "Tova",
)  # fmt: skip
SURNAMES = (
    "Abbott", "Brennan", "Chowdhury", "Delaney", "Eze", "Fairweather", "Gallagher",
    "Hussain", "Ingram", "Jovanovic", "Kowalczyk", "Lindqvist", "Mbeki", "Nolan",
)  # fmt: skip
BAD = ("corrupt.pdf", "truncated.docx", "empty.txt", "recipe.docx", "password.pdf")


@frozen
class BatchFolder:
    """What was made: good plans, bad files, duplicates (file -> original), and skipped files."""

    root: Path
    good: tuple[str, ...]
    bad: tuple[str, ...]
    duplicates: dict[str, str]
    skipped: tuple[str, ...]


def _sources() -> list[Path]:
    found = sorted(CORPUS.glob("p*.docx")) + sorted(CORPUS.glob("p*.txt"))
    found += sorted(CORPUS.glob("p*.md")) + sorted((CORPUS / "dev1").glob("h*.*"))
    found += sorted((CORPUS / "dev2").glob("h*.*"))
    return [p for p in found if p.suffix in {".docx", ".txt", ".md"}]


def _names(path: Path) -> dict[str, str]:
    """The names in the plan's own details: child's first name, surname(s)."""
    document = _document(path.read_bytes(), ehcp_audit.Limits())
    details = parse_details(document, sectionize(document, None))
    names = [details.name or "", *details.parents]
    parts: dict[str, str] = {}
    for name in names:
        words = name.split()
        if len(words) >= 2:
            parts.setdefault(words[0], "first")
            parts.setdefault(words[-1], "surname")
    if details.preferred_name and details.preferred_name not in parts:
        parts[details.preferred_name] = "first"
    return parts


def _replace(text: str, names: dict[str, str], first: str, surname: str) -> str:
    for old, kind in names.items():
        text = text.replace(old, first if kind == "first" else surname)
    return text


def _variant(source: Path, target: Path, names: dict[str, str], index: int) -> None:
    first, surname = FIRST[index % len(FIRST)], SURNAMES[(index // len(FIRST)) % len(SURNAMES)]
    reference = f"Plan reference: BATCH-{index:05d}"
    if source.suffix == ".docx":
        document = Document(str(source))
        paragraphs = list(document.paragraphs)
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(cell.paragraphs)
        for paragraph in paragraphs:
            for run in paragraph.runs:
                if any(old in run.text for old in names):
                    run.text = _replace(run.text, names, first, surname)
        document.add_paragraph(reference)
        document.save(str(target))
    else:
        text = _decoded(source.read_bytes())
        text = f"{_replace(text, names, first, surname)}\n{reference}\n"
        target.write_text(text, encoding="utf-8")


def _decoded(data: bytes) -> str:
    """A corpus text plan's text: some are UTF-16 (with a BOM), some Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def make_batch(root: Path, plans: int = 200, *, duplicates: int = 2) -> BatchFolder:
    """``plans`` distinct good plans under ``root`` (in sub-folders), bad and skipped files."""
    root.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(CORPUS.glob("p*.pdf"))[: max(0, min(6, plans // 10))]
    good: list[str] = []
    for pdf in pdfs:
        (root / "pdf").mkdir(exist_ok=True)
        shutil.copyfile(pdf, root / "pdf" / pdf.name)
        good.append(f"pdf/{pdf.name}")
    sources = [(s, _names(s)) for s in _sources()]
    for index in range(plans - len(good)):
        source, names = sources[index % len(sources)]
        folder = root / f"area{index % 3}"
        folder.mkdir(exist_ok=True)
        name = f"plan{index:03d}{source.suffix}"
        _variant(source, folder / name, names, index)
        good.append(f"{folder.name}/{name}")
    (root / "bad").mkdir(exist_ok=True)
    bad = []
    for name in BAD:
        shutil.copyfile(CORPUS / "bad" / name, root / "bad" / name)
        bad.append(f"bad/{name}")
    copies = {}
    for index in range(duplicates):
        original = good[index * 7 % len(good)]
        copy = f"copies/copy{index}{Path(original).suffix}"
        (root / "copies").mkdir(exist_ok=True)
        shutil.copyfile(root / original, root / copy)
        copies[copy] = original
    skipped = [f"area0/~${Path(good[-1]).name}", ".hidden/secret.docx", "area1/.plan.txt"]
    (root / ".hidden").mkdir(exist_ok=True)
    for name in skipped:
        shutil.copyfile(root / good[-1], root / name)
    return BatchFolder(root, tuple(good), tuple(bad), copies, tuple(skipped))
