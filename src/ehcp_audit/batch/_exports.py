"""The files a batch writes into OUTDIR, every one made again from the database each run.

- ``results.jsonl``: each file's record (the ``check --format json`` schema,
  plus its ``batch`` block) or its error document, one a line;
- ``plans.csv``: a row per file: status, the six ratings and their
  confidence, overall, effective co-production, the main gaps in plain words,
  the error if it could not be audited;
- ``findings.csv``: a row per finding;
- ``summary.json``: the board's figures (:func:`~ehcp_audit.batch._summary.summarise`);
- ``report.html``: the board report (:func:`~ehcp_audit.reports.html_report.render_report`),
  with a section on the movement since an earlier round when ``compare_with``
  names that round's OUTDIR (:mod:`._compare`);
- ``forms/FILE.audit.docx``: York's audit form per file
  (:func:`~ehcp_audit.reports.audit_form.write_audit_form`); a file that
  could not be audited gets one too, saying so, for the officer to complete.

Each is written atomically. The forms are the slow part (a DOCX each), so
they are made in the batch's worker processes when there are many, and a
form is rewritten only when its record or header changed or it is missing;
``forms/.made.json`` remembers what each was made from, and forms of files no
longer in the batch are removed. CSV cells that a spreadsheet would read as a
formula (starting ``=``, ``+``, ``-``, ``@``) get a leading apostrophe: plan
text is untrusted input.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from attrs import frozen

from .._atomic import write_bytes_atomic, write_text_atomic

__all__ = [
    "FINDINGS_COLUMNS",
    "PLANS_COLUMNS",
    "ExportOptions",
    "Prepared",
    "exports_present",
    "prepare",
    "write_exports",
]

Record = Mapping[str, Any]
#: An executor's ``run``: maps a function over tasks, yielding each one's outcome.
Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]

PRINCIPLES = range(1, 7)
PLANS_COLUMNS = (
    "file",
    "duplicate_of",
    "status",
    *(f"principle_{n}{part}" for n in PRINCIPLES for part in ("", "_confidence")),
    "overall",
    "effective",
    "main_gaps",
    "error_code",
    "error_message",
)
FINDINGS_COLUMNS = (
    "file",
    "rule",
    "level",
    "passed",
    "principles",
    "message",
    "suggestion",
    "section",
    "evidence",
    "block",
    "start",
    "end",
)
FORMS = "forms"
_MADE = ".made.json"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@frozen
class ExportOptions:
    """What the exports need besides the records: the target and the audit forms' header."""

    target: float = 0.9
    organisation: str = ""
    service_area: str = ""
    auditor: str = ""
    forms: bool = True
    html: bool = True
    compare_with: str | None = None


@frozen(eq=False)
class Prepared:
    """One record's share of the exports, made as soon as the record arrives.

    A batch prepares each plan it audits while its workers audit the next
    ones, so that little is left to do once the last plan is in: its
    ``results.jsonl`` line, its rows of both CSV files (CSV text, no header)
    and, when the options ask for forms, its audit form.
    """

    record: dict[str, Any]
    line: str
    plans_csv: str
    findings_csv: str
    form: bytes | None = None


def prepare(
    record: dict[str, Any], options: ExportOptions | None = None, *, line: str | None = None
) -> Prepared:
    """``record``'s exports; its audit form too when ``options`` ask for forms.

    ``line`` is the record's JSON text when the caller has it already.
    """
    form = None
    if options is not None and options.forms:
        from ..reports.audit_form import audit_form_bytes

        form = audit_form_bytes(record, _header(options))
    return Prepared(
        record,
        json.dumps(record, ensure_ascii=False) if line is None else line,
        _csv_rows(PLANS_COLUMNS, [plan_row(record)]),
        _csv_rows(FINDINGS_COLUMNS, finding_rows(record)),
        form,
    )


def write_exports(
    outdir: Path,
    records: Sequence[dict[str, Any] | Prepared],
    options: ExportOptions,
    mapper: Mapper | None = None,
) -> dict[str, Any]:
    """Write every export for ``records`` into ``outdir``; return the summary.

    A record may come :class:`Prepared` (made with these ``options``); the
    rest are prepared here. ``mapper`` is an executor's ``run``: with it, the
    audit forms not made yet (the slow part) are made in its worker processes.
    """
    from ._summary import summarise

    items = [r if isinstance(r, Prepared) else prepare(r) for r in records]
    plain = [item.record for item in items]
    lines = [item.line for item in items]
    write_text_atomic(outdir / "results.jsonl", "".join(line + "\n" for line in lines))
    write_text_atomic(
        outdir / "plans.csv",
        _csv_rows(PLANS_COLUMNS, (), header=True) + "".join(i.plans_csv for i in items),
    )
    write_text_atomic(
        outdir / "findings.csv",
        _csv_rows(FINDINGS_COLUMNS, (), header=True) + "".join(i.findings_csv for i in items),
    )
    summary = summarise(plain, options.target)
    write_text_atomic(
        outdir / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    )
    if options.html:
        from ..reports.html_report import render_report

        comparison = None
        if options.compare_with is not None:
            from ._compare import compare_outdirs, comparison_dict

            comparison = comparison_dict(compare_outdirs(options.compare_with, outdir))
        html = render_report(plain, summary, comparison)
        write_text_atomic(outdir / "report.html", html)
    if options.forms:
        made = [item.form for item in items]
        write_forms(outdir / FORMS, plain, lines, options, mapper, made=made)
    return summary


def exports_present(outdir: Path, options: ExportOptions) -> bool:
    """True when every file these options export is in ``outdir`` (a re-run may keep them)."""
    names = ["results.jsonl", "plans.csv", "findings.csv", "summary.json"]
    names += ["report.html"] * options.html + [f"{FORMS}/{_MADE}"] * options.forms
    return all((outdir / name).is_file() for name in names)


def plan_row(record: Record) -> dict[str, Any]:
    """The ``plans.csv`` row of one record."""
    from ..reports._plain import plan_gaps

    batch = record.get("batch") or {}
    row: dict[str, Any] = {"file": batch.get("file"), "duplicate_of": batch.get("duplicate_of")}
    error = record.get("error")
    if error:
        row["error_code"] = error.get("code")
        row["error_message"] = error.get("message")
        return row
    row["status"] = (record.get("details") or {}).get("status")
    for principle in record.get("principles") or ():
        number = principle.get("number")
        row[f"principle_{number}"] = principle.get("rating")
        row[f"principle_{number}_confidence"] = (principle.get("confidence") or {}).get("level")
    row["overall"] = record.get("overall")
    row["effective"] = record.get("effective_coproduction")
    row["main_gaps"] = "; ".join(plan_gaps(record))
    return row


def finding_rows(record: Record) -> list[dict[str, Any]]:
    """The ``findings.csv`` rows of one record: one per finding, its first evidence located.

    ``evidence`` joins every quoted excerpt (`` | ``); ``section``, ``block``,
    ``start`` and ``end`` locate the first.
    """
    file = (record.get("batch") or {}).get("file")
    rows = []
    for finding in record.get("findings") or ():
        evidence = finding.get("evidence") or []
        first = evidence[0] if evidence else {}
        where = first.get("location") or {}
        rows.append(
            {
                "file": file,
                "rule": finding.get("rule"),
                "level": finding.get("level"),
                "passed": finding.get("passed"),
                "principles": ";".join(str(p) for p in finding.get("principles") or ()),
                "message": finding.get("message"),
                "suggestion": finding.get("suggestion"),
                "section": first.get("section"),
                "evidence": " | ".join(e.get("text") or "" for e in evidence),
                "block": where.get("block"),
                "start": where.get("start"),
                "end": where.get("end"),
            }
        )
    return rows


def _csv_rows(columns: Sequence[str], rows: Any, *, header: bool = False) -> str:
    """``rows`` as CSV text, after the header line when ``header``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell, with text a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def form_names(records: Sequence[Record]) -> list[str | None]:
    """Each record's form path under ``forms/`` (None for a record without a file name).

    A plan that could not be audited gets a form too: it says why and is left
    blank to complete by hand, so no plan drops out of the officer's folder.

    ``sub/plan.docx`` gives ``sub/plan.audit.docx``; when two files would give
    the same form (``plan.docx`` and ``plan.pdf``), both keep their suffix
    (``plan.docx.audit.docx``).
    """
    stems: list[str | None] = []
    for record in records:
        file = (record.get("batch") or {}).get("file")
        stems.append(_safe_stem(file) if file else None)
    counts: dict[str, int] = {}
    for stem in stems:
        if stem is not None:
            counts[stem] = counts.get(stem, 0) + 1
    names: list[str | None] = []
    for record, stem in zip(records, stems, strict=True):
        if stem is None:
            names.append(None)
            continue
        if counts[stem] > 1:
            stem = _safe_stem(record["batch"]["file"], keep_suffix=True)
        names.append(stem + ".audit.docx")
    return names


def _safe_stem(file: str, *, keep_suffix: bool = False) -> str:
    """The file's relative path without its suffix, kept inside ``forms/`` (no ``..``, no root)."""
    path = PurePosixPath(file.replace("\\", "/"))
    parts = [p for p in path.parts if p not in ("", ".", "..", "/")]
    if not parts:
        return "plan"
    last = parts[-1] if keep_suffix else PurePosixPath(parts[-1]).stem or parts[-1]
    return "/".join([*parts[:-1], last])


#: Below this many forms to make, making them here beats starting worker processes.
PARALLEL_FORMS = 16


@frozen(eq=False)
class FormJob:
    """One audit form to make in a worker: its name under ``forms/``, record and header."""

    name: str
    record: Mapping[str, Any]
    header: Any


def form_bytes(job: FormJob) -> bytes:
    """The audit form's DOCX bytes, made where this runs (a worker) and sent back.

    Bytes rather than a file, so that a Dask worker on another machine never
    writes into a folder of its own: the batch's process writes every output.
    """
    from ..reports.audit_form import audit_form_bytes

    return audit_form_bytes(job.record, job.header)


def write_forms(
    folder: Path,
    records: Sequence[Record],
    lines: Sequence[str],
    options: ExportOptions,
    mapper: Mapper | None = None,
    *,
    made: Sequence[bytes | None] | None = None,
) -> None:
    """Write the audit forms that changed, and remove those of files no longer in the batch.

    ``made`` holds forms already made for these options (None where not),
    one per record. ``mapper`` (an executor's ``run``) makes the others in
    worker processes when there are many; a form whose worker failed is left
    out and tried again on the next run.
    """
    header = _header(options)
    header_mark = json.dumps([options.organisation, options.service_area, options.auditor])
    folder.mkdir(exist_ok=True)
    before = _read_made(folder)
    now: dict[str, str] = {}
    jobs: list[FormJob] = []
    ready: list[tuple[str, bytes | None]] = []
    forms = made if made is not None else [None] * len(records)
    for record, line, name, form in zip(records, lines, form_names(records), forms, strict=True):
        if name is None:
            continue
        mark = hashlib.sha256(f"{header_mark}\0{line}".encode()).hexdigest()
        now[name] = mark
        if before.get(name) == mark and (folder / name).is_file():
            continue
        if form is not None:
            ready.append((name, form))
        else:
            jobs.append(FormJob(name, record, header))
    for name, data in itertools.chain(ready, _made_forms(jobs, mapper)):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            del now[name]
        else:
            write_bytes_atomic(target, data)
    for name in set(before) - set(now):
        stale = folder / name
        if stale.is_file() and stale.resolve().is_relative_to(folder.resolve()):
            os.remove(stale)
    write_text_atomic(folder / _MADE, json.dumps(now, indent=0, sort_keys=True) + "\n")


def _header(options: ExportOptions) -> Any:
    from ..reports.audit_form import FormHeader

    return FormHeader(
        organisation=options.organisation,
        service_area=options.service_area,
        auditor=options.auditor,
    )


def _made_forms(jobs: list[FormJob], mapper: Mapper | None) -> Iterator[tuple[str, bytes | None]]:
    """(name, DOCX bytes or None when its worker failed) for each job, in any order."""
    if mapper is None or len(jobs) < PARALLEL_FORMS:
        for job in jobs:
            yield job.name, form_bytes(job)
        return
    for done in mapper(form_bytes, jobs):
        yield done.task.name, done.value if done.failure is None else None


def _read_made(folder: Path) -> dict[str, str]:
    try:
        made = json.loads((folder / _MADE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in made.items()} if isinstance(made, dict) else {}
