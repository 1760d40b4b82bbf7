"""Build the labelled corpus in ``corpus_samples/`` from the plan sources.

Usage::

    python corpus_samples/_generate/generate.py [PLAN_ID ...] [--out DIR] [--template T]

With no PLAN_ID every ``plans/pNN.toml`` is built, plus the blank Somerset
template (``somerset_blank``); files whose name starts with ``_`` (the
development example) are built only when asked for by name. ``--template``
overrides the plan's template and renders that one format (to try one plan
in every style), and ``--out`` writes somewhere other than the plan's own
folder: ``corpus_samples/``, or the sub-folder a source names in ``folder``
(the development plans ``hNN`` live in ``dev1/`` and ``dev2/``).

Each plan source is written once as content (PLAN_SOURCE.md) and rendered
into one council template style and one or more formats. The labels file
beside the outputs is the author's ``[labels]`` plus what can be computed
from the content (id, files, age, the sections and their opening words), so
labels and rendered text cannot drift apart: every quoted sentence is checked
against the source before anything is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import render_docx  # noqa: E402  (needs HERE on sys.path when imported from tests)

PLANS_DIR = HERE / "plans"
CORPUS_DIR = HERE.parent
SAMPLE_PLAN = "p01"
SAMPLE_NAME = "sample_plan.docx"
BLANK_ID = "somerset_blank"

SECTION_CODES = ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K")
TEMPLATES = frozenset(
    {"somerset", "classic", "childfriendly", "tablegrid", "outline", "markdown", "plaintext",
     "council_pdf"}
)  # fmt: skip
FORMATS = ("docx", "pdf_lo", "pdf_rl", "txt", "md")
ENCODINGS = frozenset({"utf-8", "utf-16", "cp1252"})
RATINGS = frozenset({"room_for_improvement", "good", "excellent"})
OVERALL = frozenset({"requires_improvement", "good", "outstanding"})
AGENCY_KINDS = ("education", "health", "social_care", "voluntary_community")
SENTENCE_LABELS = (
    "child_voice",
    "parent_voice",
    "voice_traps",
    "vague_provision",
    "quantified_provision",
)
#: Which module renders each format, and the file suffix it writes.
FORMAT_MODULES = {
    "docx": ("render_docx", ".docx"),
    "pdf_rl": ("render_pdf", ".pdf"),
    "txt": ("render_text", ".txt"),
    "md": ("render_text", ".md"),
}
#: The one format a ``--template`` override renders.
OVERRIDE_FORMATS = {"markdown": "md", "plaintext": "txt", "council_pdf": "pdf_rl"}
#: The timestamp every zip entry gets, so outputs are byte-stable.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SOFFICE_TIMEOUT = 240


class PlanError(Exception):
    """A plan source is wrong; the message names the plan and what to fix."""


# ---------------------------------------------------------------- schema

STR, INT, BOOL, LIST, TABLE, DATE = "string", "integer", "boolean", "list", "table", "date"

#: key -> (kind, required)
TOP_SCHEMA: dict[str, tuple[str, bool]] = {
    "id": (STR, True),
    "template": (STR, True),
    "formats": (LIST, True),
    "encoding": (STR, False),
    "folder": (STR, False),
    "absent": (LIST, False),
    "details": (TABLE, True),
    "section_a": (TABLE, False),
    "needs": (LIST, False),
    "health": (LIST, False),
    "health_none": (TABLE, False),
    "social_care": (LIST, False),
    "social_care_none": (TABLE, False),
    "placement": (TABLE, False),
    "personal_budget": (TABLE, False),
    "advice": (LIST, False),
    "sign_off": (TABLE, False),
    "labels": (TABLE, True),
}
TABLE_SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "details": {
        "name": (STR, True),
        "preferred_name": (STR, False),
        "date_of_birth": (DATE, True),
        "age": (INT, True),
        "year_group": (STR, False),
        "sex": (STR, False),
        "ethnicity": (STR, False),
        "first_language": (STR, False),
        "parent_first_language": (STR, False),
        "parent_1_name": (STR, False),
        "parent_1_relationship": (STR, False),
        "parent_2_name": (STR, False),
        "parent_2_relationship": (STR, False),
        "address": (STR, False),
        "education_setting": (STR, False),
        "gp": (STR, False),
        "known_to_social_care": (STR, False),
        "plan_date": (DATE, False),
        "review_date": (DATE, False),
        "status": (STR, False),
    },
    "section_a": {k: (STR, False) for k in render_docx.A_FIELDS},
    "needs": {
        "area": (STR, True),
        "need": (STR, True),
        "provision": (STR, False),
        "outcome": (STR, False),
    },
    "health": {"need": (STR, True), "provision": (STR, False), "outcome": (STR, False)},
    "health_none": {"c": (STR, True), "g": (STR, True)},
    "social_care": {
        "need": (STR, True),
        "h1": (STR, False),
        "h2": (STR, False),
        "outcome": (STR, False),
    },
    "social_care_none": {"d": (STR, True), "h1": (STR, False), "h2": (STR, False)},
    "placement": {"name": (STR, True), "type": (STR, False)},
    "personal_budget": {"details": (STR, True), "arrangements": (STR, False)},
    "advice": {
        "advice": (STR, True),
        "author": (STR, True),
        "date": (DATE, False),
        "appended": (BOOL, False),
        "summary": (STR, False),
    },
    "sign_off": {"officer": (STR, False), "date": (DATE, False)},
    "labels": {
        **{k: (LIST, False) for k in SENTENCE_LABELS},
        "young_person_16_plus": (BOOL, False),
        "principles": (TABLE, False),
        "overall": (STR, False),
        "effective": (BOOL, False),
        "agencies_contributing": (TABLE, False),
        "rationale": (TABLE, False),
    },
}


def _kind_ok(value: Any, kind: str) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == LIST:
        return isinstance(value, list)
    if kind == TABLE:
        return isinstance(value, dict)
    if kind == DATE:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return True
        # free text ("To be arranged") is allowed: weak plans leave dates unset
        return isinstance(value, str)
    raise AssertionError(kind)


def _check_keys(
    where: str, table: dict[str, Any], schema: dict[str, tuple[str, bool]], errors: list[str]
) -> None:
    for key in table:
        if key not in schema:
            known = ", ".join(schema)
            errors.append(f"{where}: unknown key {key!r} (known keys: {known})")
    for key, (kind, required) in schema.items():
        if key not in table:
            if required:
                errors.append(f"{where}: missing required key {key!r}")
            continue
        if not _kind_ok(table[key], kind):
            shown = "a date (YYYY-MM-DD, or text)" if kind == DATE else f"a {kind}"
            errors.append(f"{where}.{key}: must be {shown}, not {type(table[key]).__name__}")


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _normalise_dates(value: Any) -> Any:
    """TOML may hold bare dates; renderers get ISO strings either way."""
    if isinstance(value, dict):
        return {k: _normalise_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validate(plan: dict[str, Any], source: str) -> None:
    """Raise :class:`PlanError` listing every way ``plan`` breaks PLAN_SOURCE.md."""
    errors: list[str] = []
    _check_keys(source, plan, TOP_SCHEMA, errors)
    for key, schema in TABLE_SCHEMAS.items():
        value = plan.get(key)
        if isinstance(value, dict):
            _check_keys(f"{source} [{key}]", value, schema, errors)
        elif isinstance(value, list):
            for i, row in enumerate(value, start=1):
                if not isinstance(row, dict):
                    errors.append(f"{source} [[{key}]] entry {i}: must be a table")
                    continue
                _check_keys(f"{source} [[{key}]] #{i}", row, schema, errors)
    if errors:
        raise PlanError("\n".join(errors))
    _check_values(plan, source, errors)
    _check_labels(plan.get("labels", {}), source, errors)
    _check_sections(plan, source, errors)
    _check_charset(plan, source, errors)
    if errors:
        raise PlanError("\n".join(errors))


def _check_values(plan: dict[str, Any], source: str, errors: list[str]) -> None:
    if plan["template"] not in TEMPLATES | {"somerset_blank"}:
        errors.append(f"{source}: template {plan['template']!r} is not one of {sorted(TEMPLATES)}")
    formats = plan["formats"]
    for fmt in formats:
        if fmt not in FORMATS:
            errors.append(f"{source}: format {fmt!r} is not one of {list(FORMATS)}")
    if len(set(formats)) != len(formats):
        errors.append(f"{source}: formats lists a format twice")
    if "pdf_lo" in formats and "pdf_rl" in formats:
        errors.append(f"{source}: pdf_lo and pdf_rl would both write {plan['id']}.pdf")
    docx_wanted = {"docx", "pdf_lo"} & set(formats)
    if docx_wanted and plan["template"] not in render_docx.DOCX_TEMPLATES:
        errors.append(
            f"{source}: format(s) {sorted(docx_wanted)} need a DOCX template, "
            f"not {plan['template']!r}"
        )
    encoding = plan.get("encoding", "utf-8")
    if encoding not in ENCODINGS:
        errors.append(f"{source}: encoding {encoding!r} is not one of {sorted(ENCODINGS)}")
    for code in plan.get("absent", []):
        if code not in SECTION_CODES:
            errors.append(f"{source}: absent lists {code!r}, not a section code")
    for i, row in enumerate(plan.get("needs", []), start=1):
        if render_docx.canonical_area(row["area"]) is None:
            errors.append(
                f"{source} [[needs]] #{i}: area {row['area']!r} is not one of "
                f"{list(render_docx.AREAS)}"
            )
    if plan.get("health") and plan.get("health_none"):
        errors.append(f"{source}: [health_none] is only for plans without [[health]] rows")
    if plan.get("social_care") and plan.get("social_care_none"):
        errors.append(
            f"{source}: [social_care_none] is only for plans without [[social_care]] rows"
        )
    dob = plan["details"].get("date_of_birth")
    if isinstance(dob, str) and not _is_iso_date(dob):
        errors.append(f"{source} [details]: date_of_birth must be YYYY-MM-DD")
    status = plan["details"].get("status")
    if status is not None and status not in ("final", "draft"):
        errors.append(f"{source} [details]: status must be 'final' or 'draft'")


def _check_labels(labels: dict[str, Any], source: str, errors: list[str]) -> None:
    where = f"{source} [labels]"
    for key in SENTENCE_LABELS:
        for item in labels.get(key, []):
            if not isinstance(item, str) or not item.strip():
                errors.append(f"{where}.{key}: every entry must be a non-empty string")
    principles = labels.get("principles", {})
    for key, value in principles.items():
        if key not in {"1", "2", "3", "4", "5", "6"}:
            errors.append(f"{where}.principles: key {key!r} is not '1'..'6'")
        if value not in RATINGS:
            errors.append(f"{where}.principles.{key}: {value!r} is not one of {sorted(RATINGS)}")
    if "overall" in labels and labels["overall"] not in OVERALL:
        errors.append(f"{where}.overall: {labels['overall']!r} is not one of {sorted(OVERALL)}")
    for key, value in labels.get("agencies_contributing", {}).items():
        if key not in AGENCY_KINDS:
            errors.append(f"{where}.agencies_contributing: unknown key {key!r}")
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f"{where}.agencies_contributing.{key}: must be a list of strings")
    for key, value in labels.get("rationale", {}).items():
        if key not in {"1", "2", "3", "4", "5", "6"} or not isinstance(value, str):
            errors.append(f"{where}.rationale: {key!r} must be '1'..'6' with a string")


def _check_sections(plan: dict[str, Any], source: str, errors: list[str]) -> None:
    """Every section either has content or is declared absent, never both."""
    absent = set(plan.get("absent", []))
    content = {
        code: render_docx.has_section({**plan, "absent": []}, code) for code in SECTION_CODES
    }
    for code in SECTION_CODES:
        if code in absent and content[code]:
            errors.append(f"{source}: section {code} is listed in absent but has content")
        if code not in absent and not content[code]:
            errors.append(
                f"{source}: section {code} has no content; write it or add {code!r} to absent"
            )


def _check_charset(plan: dict[str, Any], source: str, errors: list[str]) -> None:
    for where, text in _strings(plan, source):
        try:
            text.encode("cp1252")
        except UnicodeEncodeError as exc:
            bad = text[exc.start : exc.end]
            errors.append(f"{where}: {bad!r} is not in Windows-1252 (PLAN_SOURCE.md text rules)")


def _strings(value: Any, where: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value, start=1):
            yield from _strings(v, f"{where}[{i}]")


# ---------------------------------------------------------------- content text

_CONTENT_KEYS = (
    "details",
    "section_a",
    "needs",
    "health",
    "health_none",
    "social_care",
    "social_care_none",
    "placement",
    "personal_budget",
    "advice",
    "sign_off",
)


def fold(text: str) -> str:
    """White space folded to single spaces, as the label schema compares."""
    return " ".join(text.split())


def source_paragraphs(plan: dict[str, Any]) -> list[str]:
    """Every paragraph of content the renderers write, in source order."""
    out: list[str] = []
    for key in _CONTENT_KEYS:
        for _where, text in _strings(plan.get(key, {}), key):
            out.extend(b.text for b in render_docx.text_blocks(text))
    return out


def source_text(plan: dict[str, Any]) -> str:
    """The plan's content as one string (the text labels must quote)."""
    return "\n".join(source_paragraphs(plan))


def check_label_sentences(plan: dict[str, Any], source: str) -> list[str]:
    """Fail on a quoted sentence missing from the content; warn when it spans paragraphs."""
    paragraphs = [fold(p) for p in source_paragraphs(plan)]
    whole = fold(" ".join(paragraphs))
    missing, warnings = [], []
    labels = plan.get("labels", {})
    for key in SENTENCE_LABELS:
        for sentence in labels.get(key, []):
            wanted = fold(sentence)
            if any(wanted in p for p in paragraphs):
                continue
            if wanted in whole:
                warnings.append(f"{source}: {key} sentence spans two paragraphs: {sentence!r}")
            else:
                missing.append(f"{source}: {key} sentence not found verbatim: {sentence!r}")
    provision = fold(" ".join(_provision_texts(plan)))
    for key in ("vague_provision", "quantified_provision"):
        for sentence in labels.get(key, []):
            if fold(sentence) in whole and fold(sentence) not in provision:
                warnings.append(f"{source}: {key} entry is not in F, G, H1 or H2: {sentence!r}")
    if missing:
        raise PlanError("\n".join(missing))
    return warnings


def _provision_texts(plan: dict[str, Any]) -> list[str]:
    texts = [r.get("provision", "") for r in plan.get("needs", [])]
    texts += [r.get("provision", "") for r in render_docx.health_rows(plan)]
    for row in render_docx.social_rows(plan):
        texts += [row.get("h1", ""), row.get("h2", "")]
    return [t for t in texts if t]


def first_words(text: str, n: int = 8) -> str:
    words = " ".join(b.text for b in render_docx.text_blocks(text)).split()
    return " ".join(words[:n])


def merged_h(template: str) -> bool:
    """Whether a template writes H1 and H2 under one heading."""
    if template in render_docx.MERGED_H_TEMPLATES:
        return True
    for module_name in ("render_text", "render_pdf"):
        module = _optional_module(module_name, quiet=True)
        if module is not None and template in getattr(module, "MERGED_H_TEMPLATES", ()):
            return True
    return False


def section_openings(plan: dict[str, Any]) -> dict[str, str]:
    """``sections_present``: each present section's first 8 words (PLAN_SOURCE.md)."""
    needs = plan.get("needs", [])
    health = render_docx.health_rows(plan)
    social = render_docx.social_rows(plan)

    def first(rows: Sequence[dict[str, Any]], *keys: str) -> str:
        for row in rows:
            for key in keys:
                if row.get(key):
                    return first_words(row[key])
        return ""

    a_fields = render_docx.section_a_fields(plan)
    candidates = {
        "A": first_words(a_fields[0][1]) if a_fields else "",
        "B": first(needs, "need"),
        "C": first(health, "need"),
        "D": first(social, "need"),
        "E": first(needs, "outcome") or first(health, "outcome") or first(social, "outcome"),
        "F": first(needs, "provision"),
        "G": first(health, "provision"),
        "H1": first(social, "h1"),
        "H2": first(social, "h2"),
        "I": first_words(plan.get("placement", {}).get("name", "")),
        "J": first_words(plan.get("personal_budget", {}).get("details", "")),
        "K": first_words(plan["advice"][0]["advice"]) if plan.get("advice") else "",
    }
    if merged_h(plan["template"]):
        declared = set(plan.get("absent", []))
        keys = [k for k, code in (("h1", "H1"), ("h2", "H2")) if code not in declared]
        candidates["H1"] = first(social, *keys) if keys else ""
        candidates["H2"] = ""
    absent = set(sections_absent(plan))
    return {c: candidates[c] for c in SECTION_CODES if c not in absent and candidates[c]}


def sections_absent(plan: dict[str, Any]) -> list[str]:
    """``absent`` as declared, adjusted for a template that merges H1 and H2.

    Under a merged heading there is no separate H2, and the merged section is
    labelled H1 whenever either half has content.
    """
    absent = set(plan.get("absent", []))
    if merged_h(plan["template"]):
        if not {"H1", "H2"} <= absent:
            absent.discard("H1")
        absent.add("H2")
    return [c for c in SECTION_CODES if c in absent]


def build_labels(plan: dict[str, Any], files: Sequence[str]) -> dict[str, Any]:
    labels = plan.get("labels", {})
    out: dict[str, Any] = {
        "id": plan["id"],
        "files": list(files),
        "age": plan["details"]["age"],
        "young_person_16_plus": render_docx.is_16_plus(plan),
        "sections_present": section_openings(plan),
        "sections_absent": sections_absent(plan),
    }
    for key in (
        "child_voice",
        "parent_voice",
        "voice_traps",
        "agencies_contributing",
        "vague_provision",
        "quantified_provision",
        "principles",
        "overall",
        "effective",
        "rationale",
    ):
        if key in labels:
            out[key] = labels[key]
    return out


def blank_template_labels() -> dict[str, Any]:
    """Labels for the unfilled Somerset template, written by hand from what it shows.

    Its sections are there (headings, table headers, preset K rows) but their
    bodies are ``{{ placeholders }}`` and empty cells; the opening words are
    the first text each section's body holds.
    """
    return {
        "id": BLANK_ID,
        "files": [f"{BLANK_ID}.docx"],
        "sections_present": {
            "A": "{{ history }}",
            "B": "{{ communication_interaction_need_1 }}",
            "C": "{{ health_care_need_1 }}",
            "D": "{{ social_care_need_1 }}",
            "E": "{{ communication_interaction_outcome_1 }}",
            "F": "{{ communication_interaction_provision_1 }}",
            "G": "{{ health_care_provision_1 }}",
            "H1": "{{ h1_provision_1 }}",
            "H2": "{{ h2_provision_1 }}",
            "I": "Name",
            "J": "Details",
            "K": "Educational psychologist",
        },
        "sections_absent": [],
        "child_voice": [],
        "parent_voice": [],
        "vague_provision": [],
        "quantified_provision": [],
    }


# ---------------------------------------------------------------- rendering

_missing_reported: set[str] = set()


def _optional_module(name: str, *, quiet: bool = False) -> ModuleType | None:
    """Import another engineer's renderer lazily; None when it is not there yet."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        if not quiet and name not in _missing_reported:
            print(f"note: {name}.py is not there yet; its formats are skipped", file=sys.stderr)
            _missing_reported.add(name)
        return None


def normalise_zip(path: pathlib.Path) -> None:
    """Rewrite a DOCX with fixed zip timestamps: the same plan gives the same bytes."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info)) for info in zin.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zout.writestr(info, data)
    tmp.replace(path)


def soffice_to_pdf(docx_path: pathlib.Path, out_dir: pathlib.Path) -> pathlib.Path:
    """Convert with LibreOffice in a throwaway profile (parallel runs don't collide)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    with (
        tempfile.TemporaryDirectory(prefix="lo_profile_", dir="/tmp") as profile,
        tempfile.TemporaryDirectory(prefix="lo_out_") as tmp_out,
    ):
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp_out,
            str(docx_path),
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
        produced = pathlib.Path(tmp_out) / (docx_path.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            raise PlanError(
                f"LibreOffice could not convert {docx_path.name}: "
                f"{(result.stderr or result.stdout).strip()[:500]}"
            )
        target = out_dir / produced.name
        shutil.move(str(produced), target)
    return target


def render_plan(plan: dict[str, Any], out_dir: pathlib.Path) -> list[str]:
    """Write every format the plan asks for; return the file names written."""
    plan_id = plan["id"]
    written: list[str] = []
    formats = plan["formats"]
    docx_path = out_dir / f"{plan_id}.docx"
    with tempfile.TemporaryDirectory(prefix="ehcp_gen_") as tmp:
        if "docx" in formats or "pdf_lo" in formats:
            target = docx_path if "docx" in formats else pathlib.Path(tmp) / f"{plan_id}.docx"
            render_docx.render(plan, target)
            if plan["template"] != BLANK_ID:
                normalise_zip(target)
            if "docx" in formats:
                written.append(target.name)
            if "pdf_lo" in formats:
                if shutil.which("soffice") is None:
                    print(f"warning: soffice not installed; {plan_id}.pdf skipped", file=sys.stderr)
                else:
                    written.append(soffice_to_pdf(target, out_dir).name)
        for fmt in formats:
            if fmt in ("docx", "pdf_lo"):
                continue
            module_name, suffix = FORMAT_MODULES[fmt]
            module = _optional_module(module_name)
            if module is None:
                print(f"warning: {fmt} for {plan_id} skipped ({module_name}.py missing)")
                continue
            out_path = out_dir / f"{plan_id}{suffix}"
            module.render(plan, out_path)
            written.append(out_path.name)
    return written


def load_plan(path: pathlib.Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            plan = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path.name}: not valid TOML: {exc}") from exc
    validate(plan, path.name)
    if plan["id"] != path.stem:
        raise PlanError(f"{path.name}: id {plan['id']!r} must match the file name {path.stem!r}")
    return _normalise_dates(plan)


def plan_paths(ids: Sequence[str]) -> list[pathlib.Path]:
    if not ids:
        return sorted(p for p in PLANS_DIR.glob("*.toml") if not p.name.startswith("_"))
    paths = []
    for plan_id in ids:
        path = PLANS_DIR / f"{plan_id}.toml"
        if not path.is_file():
            raise PlanError(f"no plan source {path.relative_to(CORPUS_DIR.parent)}")
        paths.append(path)
    return paths


def write_json(path: pathlib.Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build_blank(out_dir: pathlib.Path) -> None:
    render_docx.render({"template": BLANK_ID}, out_dir / f"{BLANK_ID}.docx")
    write_json(out_dir / f"{BLANK_ID}.labels.json", blank_template_labels())
    print(f"{BLANK_ID}: {BLANK_ID}.docx")


def main(argv: Sequence[str] | None = None, *, log: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", metavar="PLAN_ID", help="e.g. p01 (default: all)")
    parser.add_argument(
        "--out", type=pathlib.Path, help="output folder (default: each plan's own folder)"
    )
    parser.add_argument("--template", help="render in this template instead of the plan's own")
    args = parser.parse_args(argv)
    out_root: pathlib.Path = args.out or CORPUS_DIR
    out_root.mkdir(parents=True, exist_ok=True)
    ids = [i for i in args.ids if i != BLANK_ID]
    want_blank = not args.ids or BLANK_ID in args.ids
    try:
        plans = []
        for path in plan_paths(ids) if (ids or not args.ids) else []:
            plan = load_plan(path)
            if args.template:
                plan["template"] = args.template
                plan["formats"] = [OVERRIDE_FORMATS.get(args.template, "docx")]
                validate(plan, path.name)
            for warning in check_label_sentences(plan, path.name):
                print(f"warning: {warning}", file=sys.stderr)
            plans.append(plan)
        for plan in plans:
            out_dir = args.out or CORPUS_DIR / plan.get("folder", "")
            out_dir.mkdir(parents=True, exist_ok=True)
            files = render_plan(plan, out_dir)
            write_json(out_dir / f"{plan['id']}.labels.json", build_labels(plan, files))
            log(f"{plan['id']}: {', '.join(files) or 'nothing written'}")
            if plan["id"] == SAMPLE_PLAN and f"{SAMPLE_PLAN}.docx" in files:
                shutil.copyfile(out_dir / f"{SAMPLE_PLAN}.docx", out_dir / SAMPLE_NAME)
                log(f"{SAMPLE_PLAN}: copied to {SAMPLE_NAME}")
        if want_blank:
            build_blank(out_root)
    except (PlanError, render_docx.RenderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
