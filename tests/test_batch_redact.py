"""Redaction for shared batch reports, on real audits of the corpus plans.

What must not survive is read from each plan's own source file
(``corpus_samples/_generate/plans/*.toml``: the details the plan was written
from), not from what the audit parsed, so a detail the parser misses still
fails the test.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import ehcp_audit
from ehcp_audit._errors import EhcpAuditError
from ehcp_audit._resources import rules_dir
from ehcp_audit.reports.json import error_dict
from ehcp_audit.reports.redact import (
    PLACEHOLDERS,
    Redactor,
    Term,
    personal_terms,
    redact_record,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
SOURCES = CORPUS / "_generate" / "plans"
FORMATS = (".docx", ".pdf", ".txt", ".md")
LISTS = tomllib.loads((rules_dir() / "redaction.toml").read_text(encoding="utf-8"))
COMMON = frozenset(LISTS["common_words"])


def _plan_files() -> list[tuple[str, Path]]:
    out = []
    for source in sorted(SOURCES.glob("[ph][0-9]*.toml")):
        plan = tomllib.loads(source.read_text(encoding="utf-8"))
        folder = CORPUS / plan.get("folder", "")
        for path in sorted(folder.glob(plan["id"] + ".*")):
            if path.suffix in FORMATS:
                out.append((source.stem, path))
    return out


PLAN_FILES = _plan_files()


@cache
def _record(path: Path) -> dict[str, Any]:
    return ehcp_audit.to_dict(ehcp_audit.audit(path))


def record_of(path: Path) -> dict[str, Any]:
    return copy.deepcopy(_record(path))


def _people(details: dict[str, Any]) -> list[str]:
    """The child's and parents' names from a plan source (a council holding parental
    responsibility is not a person)."""
    people = [details.get(k) for k in ("name", "preferred_name", "parent_1_name", "parent_2_name")]
    return [re.sub(r"\s*\(.*$", "", p) for p in people if p and "Council" not in p]


def ground_truth(plan_id: str) -> list[str]:
    """Every personal detail of the plan, as the text to look for."""
    details = tomllib.loads((SOURCES / f"{plan_id}.toml").read_text(encoding="utf-8"))["details"]
    terms: list[str] = []
    for person in _people(details):
        terms.append(person)
        terms.extend(w for w in re.split(r"[\s\-]+", person) if len(w) > 1)
    dob = dt.date.fromisoformat(details["date_of_birth"])
    terms += [
        f"{dob:%d/%m/%Y}",
        dob.isoformat(),
        f"{dob.day} {dob:%B %Y}",
        f"{dob:%d.%m.%Y}",
        f"{dob:%B} {dob.day}, {dob.year}",
    ]
    for part in details["address"].split(","):
        if re.search(r"\d", part):
            terms.append(part.strip())  # the house and street, and the postcode
    return terms


def leaks(text: str, terms: list[str]) -> list[str]:
    """The terms that still appear in ``text`` as whole words.

    A name that is also an ordinary word counts only when written with a
    capital (the documented trade-off); everything else in any case.
    """
    found = []
    for term in terms:
        escaped = re.escape(term)
        if term.lower() in COMMON:
            pattern = rf"(?<![^\W_])(?:{escaped}|{re.escape(term.upper())})(?![^\W_])"
            flags = 0
        else:
            pattern, flags = rf"(?<![^\W_]){escaped}(?![^\W_])", re.IGNORECASE
        if re.search(pattern, text, flags):
            found.append(term)
    return found


def json_text(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


# -- every corpus plan ---------------------------------------------------------------------


@pytest.mark.parametrize(("plan_id", "path"), PLAN_FILES, ids=[p.name for _, p in PLAN_FILES])
def test_no_personal_detail_survives_in_a_corpus_plan(plan_id: str, path: Path) -> None:
    record = record_of(path)
    before = copy.deepcopy(record)
    terms = ground_truth(plan_id)
    assert leaks(json_text(record), terms), "the plan should hold its own details before redaction"

    redacted = redact_record(record)

    assert record == before, "the input record is left as it was"
    text = json_text(redacted)
    assert leaks(text, terms) == []
    assert leaks(text, [t.text for t in personal_terms(record)]) == []
    assert "[child]" in text and "[date of birth]" in text
    # the analysis is untouched: ratings, scores and identifiers are the tool's, not the plan's
    assert redacted["overall"] == record["overall"]
    assert redacted["total_score"] == record["total_score"]
    assert [p["rating"] for p in redacted["principles"]] == [
        p["rating"] for p in record["principles"]
    ]
    assert [f["rule"] for f in redacted["findings"]] == [f["rule"] for f in record["findings"]]
    assert redacted["source"]["sha256"] == record["source"]["sha256"]
    assert redacted["tool"] == record["tool"]


@pytest.mark.parametrize(
    ("plan_id", "path"), PLAN_FILES[::5], ids=[p.name for _, p in PLAN_FILES[::5]]
)
def test_redaction_is_idempotent(plan_id: str, path: Path) -> None:
    once = redact_record(record_of(path))
    assert redact_record(once) == once


def test_details_become_placeholders() -> None:
    redacted = redact_record(record_of(CORPUS / "p02.docx"))
    details = redacted["details"]
    assert details["name"] == "[child]"
    assert details["preferred_name"] == "[child]"
    assert details["date_of_birth"] == "[date of birth]"
    assert details["parents"] == ["[parent]", "[parent]"]
    # not personal: kept for the reports
    assert details["year_group"] == "Reception"
    assert details["plan_date"] == "2026-02-09"


def test_family_members_the_details_do_not_list_are_found_in_the_text() -> None:
    # p01: the mother is named only as the "main contact" and in "Sana and Tariq Qureshi";
    # p03: "her dad, Craig" and "her younger brother, Alfie" are in the narrative only.
    p01 = json_text(redact_record(record_of(CORPUS / "p01.docx")))
    p03 = json_text(redact_record(record_of(CORPUS / "p03.docx")))
    assert leaks(p01, ["Sana", "Zayan"]) == []
    assert leaks(p03, ["Craig", "Alfie", "Dawson"]) == []  # "Craig Dawson, Father" in section K
    assert "her dad, [parent]" in p03
    assert "younger brother, [family member]" in p03


def test_plans_renamed_with_unusual_names(tmp_path: Path) -> None:
    """The batch test corpus gives each plan fictional names (Dov, Kezia, Eze, Jovanovic...):
    none survives redaction."""
    from batch_corpus import FIRST, SURNAMES, make_batch

    folder = make_batch(tmp_path, plans=22, duplicates=0)
    checked = 0
    for file in folder.good:
        if not file.startswith("area"):
            continue
        index = int(Path(file).stem.removeprefix("plan"))
        first, surname = FIRST[index % len(FIRST)], SURNAMES[(index // len(FIRST)) % len(SURNAMES)]
        record = ehcp_audit.to_dict(ehcp_audit.audit(tmp_path / file))
        text = json_text(record)
        assert leaks(text, [first, surname]) == [first, surname]
        assert leaks(json_text(redact_record(record)), [first, surname]) == [], file
        checked += 1
    assert checked == 20


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("dev1/h03.md", ["Entry Level 3 Functional Skills", "Brackenford Sixth Form College"]),
        ("dev2/h08.docx", ["an Arabic interpreter"]),
        ("p01.docx", ["Larkfield Primary School", "Talking Mat"]),
        ("p03.docx", ["Hawthorn Hill Academy", "Fenmoor Primary School"]),
    ],
)
def test_ordinary_words_and_places_survive(name: str, kept: list[str]) -> None:
    """Learning names from the text must not blank courses, languages, schools or roles."""
    record = record_of(CORPUS / name)
    before, after = json_text(record), json_text(redact_record(record))
    for phrase in kept:
        assert phrase in before, "the plan says it"
        assert phrase in after


# -- details written in many ways, in a plan made at test time ---------------------------------

EXTRA = """
Jayden's mum can be reached at shanice.cole@example.org or on 07700 900123 (mobile),
or at home on (01632) 960 001 or +44 1632 960002. Jayden's NHS number is 943 476 5919
and his old one was 9434765919. Jayden was born on 2nd November 2018 (02/11/2018, 2.11.18,
2 Nov 2018, November 2, 2018, 2018-11-02, 02112018). JAYDEN and jayden and the Coles all
came. Jaydens bag is red. Post goes to 15 Orchard Rise (FG6 1AW).
"""


@pytest.fixture(scope="module")
def many_ways(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    text = (CORPUS / "p08.txt").read_text(encoding="cp1252")
    marker = "All About Me"
    assert marker in text
    text = text.replace(marker, marker + "\n" + EXTRA, 1)
    path = tmp_path_factory.mktemp("plans") / "Jayden_Cole_02-11-2018_EHCP.txt"
    path.write_text(text, encoding="utf-8")
    return ehcp_audit.to_dict(ehcp_audit.audit(path))


def test_patterns_and_every_date_format(many_ways: dict[str, Any]) -> None:
    redacted = redact_record(many_ways)
    text = json_text(redacted)
    gone = [
        "shanice.cole@example.org", "07700 900123", "(01632) 960 001", "1632 960 001",
        "+44 1632 960002", "943 476 5919", "9434765919", "2nd November 2018", "02/11/2018",
        "2.11.18", "2 Nov 2018", "November 2, 2018", "2018-11-02", "02112018", "FG6 1AW",
        "15 Orchard Rise", "Orchard Rise", "Jayden", "Shanice", "Cole", "Michael",
    ]  # fmt: skip
    assert [g for g in gone if g.lower() in text.lower()] == []
    for placeholder in ("[email]", "[phone]", "[NHS number]", "[postcode]", "[address]"):
        assert placeholder in text
    assert "[child]'s NHS number is [NHS number]" in text
    assert "[child]'s bag is red" in text  # a possessive without its apostrophe
    assert "[child] and [child] and the [family name]'s all" in text or (
        "[child] and [child] and the [family name]s all" in text
    )


def test_file_names_keep_their_extension_but_lose_the_names(many_ways: dict[str, Any]) -> None:
    redacted = redact_record(many_ways)
    name = Path(redacted["source"]["path"]).name
    assert name == "[child]_[date of birth]_EHCP.txt"
    record = copy.deepcopy(many_ways)
    record["source"]["path"] = "2025 Q3/Cole family/JaydenCole-plan.final.txt"
    record["batch"] = {"file": "Cole family/JaydenCole-plan.final.txt", "duplicate_of": None}
    redacted = redact_record(record)
    assert (
        redacted["source"]["path"]
        == "2025 Q3/[family name] family/[child][family name]-plan.final.txt"
    )
    assert redacted["batch"]["file"] == "[family name] family/[child][family name]-plan.final.txt"


def test_a_name_that_is_an_ordinary_word(tmp_path: Path) -> None:
    """A child called Will Mark: "Will said" goes, "he will read" and "mark-making" stay."""
    text = (CORPUS / "p08.txt").read_text(encoding="cp1252")
    text = text.replace("Jayden Michael Cole", "Will Mark").replace("Jayden", "Will")
    text = text.replace(
        "All About Me", "All About Me\n\nWill enjoys mark-making and will mark his own work.", 1
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    record = ehcp_audit.to_dict(ehcp_audit.audit(path))
    assert record["details"]["name"] == "Will Mark"
    before = json_text(record)
    after = json_text(redact_record(record))
    assert re.search(r"(?<![^\W_])(?:Will|Mark)(?![^\W_])", after) is None
    assert "[child] enjoys mark-making and will mark his own work." in after
    lower_will = len(re.findall(r"(?<![^\W_])will(?![^\W_])", before))
    assert lower_will > 10  # the plan's outcomes say "will" often
    assert len(re.findall(r"(?<![^\W_])will(?![^\W_])", after)) == lower_will


def test_an_unaudited_plan_keeps_only_its_hash_and_extension(tmp_path: Path) -> None:
    bad = tmp_path / "Sam_Taylor_EHCP.pdf"
    shutil.copy(CORPUS / "bad" / "corrupt.pdf", bad)
    with pytest.raises(EhcpAuditError) as caught:
        ehcp_audit.audit(bad)
    record = error_dict(caught.value, str(bad), "ab" * 32)
    record["batch"] = {"file": "Sam_Taylor_EHCP.pdf", "duplicate_of": None}
    redacted = redact_record(record)
    assert redacted["source"]["path"] == "plan-abababababab.pdf"
    assert redacted["batch"]["file"] == "plan-abababababab.pdf"
    assert "Sam" not in json_text(redacted) and "Taylor" not in json_text(redacted)
    assert redacted["error"]["code"] == record["error"]["code"]


def test_a_redactor_built_by_hand() -> None:
    redactor = Redactor.build(
        [Term("Sam Taylor", "[child]"), Term("Sam", "[child]"), Term("Taylor", "[family name]")],
        [dt.date(2015, 4, 3)],
    )
    said = "Sam's mum, Mrs Taylor, said SAM was born on 3rd April 2015 (03/04/2015, 3 April 2015)."
    assert redactor.redact(said) == (
        "[child]'s mum, Mrs [family name], said [child] was born on [date of birth] "
        "([date of birth], [date of birth])."
    )
    assert redactor.redact("Samuel and Sammy are not Sam.") == "Samuel and Sammy are not [child]."
    assert redactor.redact("4 April 2015 and 03/04/2016 are other days.") == (
        "4 April 2015 and 03/04/2016 are other days."
    )


def test_placeholders_and_word_lists() -> None:
    for name in ("common_words", "not_names", "parent_relations", "other_relations"):
        words = LISTS[name]
        assert words == [w.lower() for w in words], name
        assert len(words) == len(set(words)), f"{name} has duplicates"
    # a placeholder is never learnt as a name, so a second pass leaves it alone
    redactor = Redactor.build([Term(p, "[child]") for p in PLACEHOLDERS])
    assert redactor.names == ()


# -- end to end: every output file of `batch --redact` -------------------------------------------

#: (plan source id, corpus file, the name it is given in the batch folder): names in file
#: and folder names, as officers' folders hold them.
E2E_PLANS = (
    ("p01", "p01.docx", "Qureshi family/Inaya_Qureshi_EHCP.docx"),
    ("p03", "p03.pdf", "Ellie_Carter_2011-11-02.pdf"),
    ("h07", "dev2/h07.txt", "h07.txt"),
    ("p06", "p06.md", "Poppy Harding plan.md"),
)
#: A plan that cannot be read: its file name is the only personal detail it shows.
E2E_BAD = ("Zebedee_Quillfeather_EHCP.pdf", ["Zebedee", "Quillfeather"])


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            parts.extend(p.text for p in part.paragraphs)
    props = document.core_properties
    parts += [props.title or "", props.subject or "", props.author or "", props.keywords or ""]
    return "\n".join(parts)


def _output_texts(outdir: Path) -> list[tuple[str, str]]:
    """(what, text) for every file under OUTDIR: its name, and its content read back."""
    out = []
    for path in sorted(p for p in outdir.rglob("*") if p.is_file()):
        name = path.relative_to(outdir).as_posix()
        out.append((f"file name {name}", name))
        if path.suffix == ".docx":
            out.append((name, _docx_text(path)))
        else:  # text exports and the SQLite database (and any -wal file), as bytes
            out.append((name, path.read_bytes().decode("utf-8", errors="replace")))
    return out


def _batch_redacted(tmp_path: Path, named_files: bool) -> tuple[Path, list[str]]:
    """Run ``batch --redact`` over the E2E plans; return OUTDIR and every personal detail."""
    from ehcp_audit.batch import BatchOptions, run_batch

    plans = tmp_path / "plans"
    terms: list[str] = []
    for i, (plan_id, corpus_file, name) in enumerate(E2E_PLANS):
        target = plans / (name if named_files else f"plan {i}{Path(name).suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / corpus_file, target)
        terms += ground_truth(plan_id)
    bad = E2E_BAD[0] if named_files else "plan bad.pdf"
    shutil.copy(CORPUS / "bad" / "corrupt.pdf", plans / bad)
    terms += E2E_BAD[1]
    outdir = tmp_path / "out"
    result = run_batch([str(plans)], BatchOptions(outdir=outdir, jobs=1, redact=True))
    assert (result.files, result.errors) == (len(E2E_PLANS) + 1, 1)
    return outdir, terms


def _assert_no_leak(outdir: Path, terms: list[str]) -> None:
    texts = _output_texts(outdir)
    names = {what for what, _ in texts}
    for expected in ("results.jsonl", "plans.csv", "findings.csv", "summary.json", "report.html"):
        assert expected in names
    assert "audit.sqlite" in names
    forms = [n for n in names if n.startswith("forms/") and n.endswith(".docx")]
    assert len(forms) >= len(E2E_PLANS)
    found = {what: leaks(text, terms) for what, text in texts}
    assert {what: words for what, words in found.items() if words} == {}
    # and it was the redaction that did it: the placeholders are there
    results = (outdir / "results.jsonl").read_text(encoding="utf-8")
    assert "[child]" in results and "[date of birth]" in results


def test_batch_redact_leaves_no_personal_detail_in_any_output(tmp_path: Path) -> None:
    """Every output file of ``batch --redact``, the plans under neutral file names."""
    _assert_no_leak(*_batch_redacted(tmp_path, named_files=False))


def test_batch_redact_hides_names_in_file_names(tmp_path: Path) -> None:
    """As above, with the child's name and date of birth in the file and folder names."""
    _assert_no_leak(*_batch_redacted(tmp_path, named_files=True))
