"""The batch engine: the per-plan task, discovery, the store, resuming, exports."""

from __future__ import annotations

import csv
import io
import json
import pickle
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve, frozen
from docx import Document

import ehcp_audit
from ehcp_audit._config import Config, load_config
from ehcp_audit.batch import BatchOptions, PlanTask, audit_task, open_store, run_batch
from ehcp_audit.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
RULES_FIXTURES = Path(__file__).resolve().parent / "rules_fixtures"


def test_audit_task_returns_the_check_json_record_plus_its_batch_block() -> None:
    plan = CORPUS / "p01.docx"
    task = PlanTask(str(plan), "p01.docx")
    record = audit_task(pickle.loads(pickle.dumps(task)))
    batch = record.pop("batch")
    assert record == ehcp_audit.to_dict(ehcp_audit.audit(plan, config=Config()))
    assert batch["file"] == "p01.docx" and batch["duplicate_of"] is None
    assert batch["seconds"] > 0


def test_audit_task_turns_a_bad_plan_into_its_error_document() -> None:
    record = audit_task(PlanTask(str(CORPUS / "bad" / "corrupt.pdf"), "corrupt.pdf"))
    assert set(record) == {"schema_version", "tool", "source", "error", "batch"}
    assert record["error"]["code"] in {"unreadable", "unsupported_format", "empty"}
    assert len(record["source"]["sha256"]) == 64
    missing = audit_task(PlanTask(str(CORPUS / "no-such-plan.docx"), "gone.docx"))
    assert missing["error"]["code"] == "unreadable"
    assert missing["batch"]["file"] == "gone.docx"


def test_audit_task_reports_running_out_of_memory_as_out_of_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The workers' address-space backstop raises MemoryError inside the audit."""
    import ehcp_audit._audit as audit_module

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(audit_module, "audit", exhausted)
    record = audit_task(PlanTask(str(CORPUS / "p01.docx"), "p01.docx"))
    assert record["error"]["code"] == "out_of_memory"
    assert "--memory-limit" in record["error"]["message"]


# -- discovery ------------------------------------------------------------------


def test_discovery_skips_lock_files_hidden_entries_other_suffixes_and_the_output_folder(
    tmp_path: Path,
) -> None:
    from ehcp_audit.batch._discover import discover

    root = tmp_path / "plans"
    for name in (
        "a.docx",
        "B.PDF",
        "c.txt",
        "sub/d.md",
        "~$a.docx",
        ".e.txt",
        ".git/f.docx",
        "notes.rtf",
        "out/forms/a.audit.docx",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (root / "link.docx").symlink_to(root / "a.docx")
    found = discover([str(root), str(root / "a.docx")], exclude=[str(root / "out")])
    assert [f.file for f in found] == ["B.PDF", "a.docx", "c.txt", "sub/d.md"]
    lock = discover([str(root / "~$a.docx")])  # named directly: kept, its audit says why
    assert [f.file for f in lock] == [str(root / "~$a.docx")]


def test_discovery_keeps_the_folder_in_front_when_two_folders_hold_the_same_name(
    tmp_path: Path,
) -> None:
    from ehcp_audit.batch._discover import discover

    for folder in ("q1", "q2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.docx").write_bytes(folder.encode())
    (tmp_path / "q2" / "other.txt").write_bytes(b"y")
    found = discover([str(tmp_path / "q1"), str(tmp_path / "q2")])
    assert [f.file for f in found] == [
        f"{tmp_path.as_posix()}/q1/plan.docx",
        "other.txt",
        f"{tmp_path.as_posix()}/q2/plan.docx",
    ]


# -- runs -----------------------------------------------------------------------


def _plans(tmp_path: Path, *names: str) -> tuple[Path, Path]:
    """A folder ``plans`` of corpus files (``bad/x`` lands as ``x``) and the OUTDIR beside it."""
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in names:
        shutil.copyfile(CORPUS / name, plans / Path(name).name)
    return plans, tmp_path / "out"


def _small_folder(root: Path) -> Path:
    """Two plans, a copy of one under another name, a corrupt PDF, a lock file, a hidden file."""
    (root / "sub").mkdir(parents=True)
    shutil.copyfile(CORPUS / "p01.docx", root / "p01.docx")
    shutil.copyfile(CORPUS / "p08.txt", root / "p08.txt")
    shutil.copyfile(CORPUS / "p01.docx", root / "sub" / "copy of p01.docx")
    shutil.copyfile(CORPUS / "bad" / "corrupt.pdf", root / "corrupt.pdf")
    shutil.copyfile(CORPUS / "p01.docx", root / "~$p01.docx")
    shutil.copyfile(CORPUS / "p08.txt", root / ".p08.txt")
    return root


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_batch_audits_each_content_once_reports_every_file_and_a_rerun_audits_nothing(
    tmp_path: Path,
) -> None:
    plans, out = _small_folder(tmp_path / "plans"), tmp_path / "out"
    options = BatchOptions(outdir=out, jobs=1, auditor="A. Officer, QA")
    first = run_batch([str(plans)], options)
    assert (first.files, first.plans, first.audited, first.reused, first.errors) == (4, 3, 3, 0, 1)

    records = _jsonl(out / "results.jsonl")
    by_file = {r["batch"]["file"]: r for r in records}
    assert list(by_file) == ["corrupt.pdf", "p01.docx", "p08.txt", "sub/copy of p01.docx"]
    assert by_file["corrupt.pdf"]["error"]["code"] == "unreadable"
    copy, original = by_file["sub/copy of p01.docx"], by_file["p01.docx"]
    assert copy["batch"]["duplicate_of"] == "p01.docx" and original["batch"]["duplicate_of"] is None
    assert copy["source"]["path"].endswith("copy of p01.docx")
    assert copy["principles"] == original["principles"]
    fresh = ehcp_audit.to_dict(ehcp_audit.audit(CORPUS / "p08.txt", config=Config()))
    assert by_file["p08.txt"]["overall"] == fresh["overall"]
    assert by_file["p08.txt"]["findings"] == fresh["findings"]

    rows = {r["file"]: r for r in _csv_rows(out / "plans.csv")}
    assert rows["corrupt.pdf"]["error_code"] == "unreadable" and not rows["corrupt.pdf"]["overall"]
    assert rows["p08.txt"]["overall"] == fresh["overall"]
    assert rows["p08.txt"]["principle_1"] == fresh["principles"][0]["rating"]
    assert rows["p08.txt"]["main_gaps"]  # p08 falls short somewhere: plain words, no rule ids
    assert "coproduction." not in rows["p08.txt"]["main_gaps"]
    assert rows["sub/copy of p01.docx"]["duplicate_of"] == "p01.docx"
    findings = _csv_rows(out / "findings.csv")
    assert len(findings) == sum(len(r.get("findings", [])) for r in records)
    assert {f["file"] for f in findings} == {"p01.docx", "p08.txt", "sub/copy of p01.docx"}

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["files"], summary["plans"], summary["errors"]) == (4, 3, 1)
    forms = sorted(p.relative_to(out / "forms").as_posix() for p in out.glob("forms/**/*.docx"))
    assert forms == [
        "corrupt.audit.docx",  # not audited: its form says so, for the officer to complete
        "p01.audit.docx",
        "p08.audit.docx",
        "sub/copy of p01.audit.docx",
    ]
    assert Document(str(out / "forms" / "p08.audit.docx")).tables  # a real Word document
    unaudited = [p.text for p in Document(str(out / "forms" / "corrupt.audit.docx")).paragraphs]
    assert any(t.startswith("This plan could not be audited (unreadable)") for t in unaudited)

    with open_store(out) as store:
        stored = store.results()
        assert [r["audits"] for r in stored] == [1, 1, 1]
        assert [r["file"] for r in (rec["batch"] for rec in store.records())] == list(by_file)
    made = {p: p.stat().st_mtime_ns for p in out.glob("forms/**/*.docx")}
    results_before = (out / "results.jsonl").read_bytes()

    again = run_batch([str(plans)], options)
    assert (again.audited, again.reused, again.files) == (0, 3, 4)
    with open_store(out) as store:
        assert store.results() == stored  # not one audited again, timestamps unchanged
        assert [run.audited for run in store.runs()] == [3, 0]
    assert (out / "results.jsonl").read_bytes() == results_before
    assert {p: p.stat().st_mtime_ns for p in out.glob("forms/**/*.docx")} == made

    (plans / "p08.txt").unlink()  # a file gone: its form goes too; nothing is audited
    third = run_batch([str(plans)], options)
    assert (third.audited, third.files) == (0, 3)
    assert not (out / "forms" / "p08.audit.docx").exists()


@frozen
class _Done:
    task: Any
    value: Any
    failure: str | None = None
    detail: str = ""


class _InProcess:
    """Runs the tasks here, one by one: for tests of what is cached, not of how it runs."""

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[_Done]:
        for task in tasks:
            yield _Done(task, fn(task))

    def close(self) -> None:
        return None


def test_a_changed_rule_in_an_extra_rule_folder_means_the_plans_are_audited_again(
    tmp_path: Path,
) -> None:
    plans, out = _plans(tmp_path, "p08.txt")
    shutil.copytree(RULES_FIXTURES / "demo", tmp_path / "ours" / "demo")
    (tmp_path / "ehcp-audit.toml").write_text('rule_dirs = ["ours"]\n', encoding="utf-8")
    options = BatchOptions(outdir=out, jobs=1, config=load_config(tmp_path / "ehcp-audit.toml"))

    def run(options: BatchOptions) -> int:
        return run_batch([str(plans)], options, executor=_InProcess()).audited

    assert run(options) == 1
    assert run(options) == 0
    rule = tmp_path / "ours" / "demo" / "ReviewDate.toml"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(text + "\n# edited by the council\n", encoding="utf-8")
    assert run(options) == 1
    assert run(evolve(options, jobs=2, auditor="someone else")) == 0  # neither shapes a record
    assert run(evolve(options, limits=ehcp_audit.Limits(max_blocks=10_000))) == 1
    with open_store(out) as store:
        assert [r.audited for r in store.runs()] == [1, 0, 1, 0, 1]


def test_a_changed_lexicon_folder_changes_the_key_of_every_plan(tmp_path: Path) -> None:
    """Word lists added by the configuration shape the cues, so they are part of the key."""
    from ehcp_audit.batch._run import key_context

    folder = tmp_path / "our-lexicons"
    folder.mkdir()
    (folder / "acronyms.toml").write_text("# nothing added yet\n", encoding="utf-8")
    (tmp_path / "ehcp-audit.toml").write_text('lexicon_dirs = ["our-lexicons"]\n', "utf-8")
    options = BatchOptions(
        outdir=tmp_path / "out", config=load_config(tmp_path / "ehcp-audit.toml")
    )
    before = key_context(options)
    assert before == key_context(options)
    (folder / "acronyms.toml").write_text("# a council's own list, edited\n", encoding="utf-8")
    assert key_context(options) != before


# -- the command ----------------------------------------------------------------


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_batch_command_refuses_a_missing_path_a_file_as_outdir_and_a_stray_scheduler(
    tmp_path: Path,
) -> None:
    (tmp_path / "plans").mkdir()
    code, _, err = _cli("batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert code == 2 and "nowhere: no such file or folder" in err
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    code, _, err = _cli("batch", str(tmp_path / "plans"), "--out", str(tmp_path / "taken"))
    assert code == 2 and "taken: output_error: this is a file" in err
    code, _, err = _cli(
        "batch", str(tmp_path / "plans"), "--out", str(tmp_path / "o"), "--scheduler", "x:1"
    )
    assert code == 2 and "--executor dask" in err
    with pytest.raises(SystemExit) as stopped:
        _cli("batch", str(tmp_path / "plans"), "--out", str(tmp_path / "o"), "--target", "150%")
    assert stopped.value.code == 2


def test_batch_command_over_an_empty_folder_writes_empty_outputs_and_the_privacy_notice(
    tmp_path: Path,
) -> None:
    (tmp_path / "plans").mkdir()
    out = tmp_path / "out"
    code, stdout, err = _cli("batch", str(tmp_path / "plans"), "--out", str(out), "--target", "80%")
    assert code == 0
    assert err.count("\n") == 1 and "hold personal data" in err and "--redact" in err
    assert stdout.startswith("0 file(s), 0 distinct plan(s)")
    assert _jsonl(out / "results.jsonl") == []
    assert _csv_rows(out / "plans.csv") == []
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"] == 0 and summary["target"] == 0.8
    code, _, err = _cli("batch", str(tmp_path / "plans"), "--out", str(out), "--redact")
    assert code == 0 and "personal data" not in err
    settings = tmp_path / "settings.toml"
    settings.write_text("target = 0.75\n", encoding="utf-8")
    code, _, _ = _cli(
        "batch", str(tmp_path / "plans"), "--out", str(out), "--config", str(settings)
    )
    assert code == 0
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["target"] == 0.75
    settings.write_text("target = 'most'\n", encoding="utf-8")
    code, _, err = _cli(
        "batch", str(tmp_path / "plans"), "--out", str(out), "--config", str(settings)
    )
    assert code == 2 and "config_error" in err


def test_compare_reads_two_rounds_and_the_report_shows_the_movement(tmp_path: Path) -> None:
    old_plans, new_plans = tmp_path / "q1", tmp_path / "q2"
    old_plans.mkdir()
    new_plans.mkdir()
    shutil.copyfile(CORPUS / "p08.txt", old_plans / "p08.txt")  # requires improvement
    shutil.copyfile(CORPUS / "p06.md", old_plans / "p06.md")
    shutil.copyfile(CORPUS / "p06.md", new_plans / "p06.md")
    shutil.copyfile(CORPUS / "p10.txt", new_plans / "p10.txt")
    old, new = tmp_path / "out-q1", tmp_path / "out-q2"
    run_batch([str(old_plans)], BatchOptions(outdir=old, forms=False), executor=_InProcess())
    options = BatchOptions(outdir=new, forms=False, compare_with=str(old))
    result = run_batch([str(new_plans)], options, executor=_InProcess())
    assert result.audited == 2
    report = (new / "report.html").read_text(encoding="utf-8")
    assert "Since the last audit" in report

    code, text, _ = _cli("compare", str(old), str(new))
    assert code == 0 and text.strip()
    code, document, _ = _cli("compare", str(old), str(new), "--format", "json")
    comparison = json.loads(document)
    assert code == 0
    assert comparison["old"]["audited"] == 2 and comparison["new"]["audited"] == 2
    summaries = [json.loads((d / "summary.json").read_text()) for d in (old, new)]
    assert [comparison[k]["effective"]["count"] for k in ("old", "new")] == [
        s["effective"]["count"] for s in summaries
    ]
    code, _, err = _cli("compare", str(old), str(tmp_path))
    assert code == 2 and "output_error" in err
    stray = evolve(options, compare_with=str(tmp_path / "q1"))
    with pytest.raises(ehcp_audit.EhcpAuditError, match="no earlier batch results"):
        run_batch([str(new_plans)], stray, executor=_InProcess())


def _output_texts(out: Path) -> dict[str, str]:
    """Every output file's name and text (a form's from its Word XML, the database's raw bytes)."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(out).as_posix()
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                texts[name] = " ".join(
                    archive.read(n).decode("utf-8")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
        else:
            texts[name] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


def test_redact_keeps_the_names_out_of_every_output_and_file_name_and_the_database(
    tmp_path: Path,
) -> None:
    plans, out = tmp_path / "plans", tmp_path / "out"
    (plans / "Qureshi family").mkdir(parents=True)
    shutil.copyfile(CORPUS / "p01.docx", plans / "Inaya Qureshi EHCP.docx")
    shutil.copyfile(CORPUS / "p01.docx", plans / "Qureshi family" / "final.docx")
    shutil.copyfile(CORPUS / "p08.txt", plans / "p08.txt")
    shutil.copyfile(CORPUS / "bad" / "corrupt.pdf", plans / "Inaya notes.pdf")
    (plans / "Inaya huge.txt").write_bytes(b"x" * 2_000_000)  # over --max-mb: never read
    options = BatchOptions(outdir=out, redact=True, limits=ehcp_audit.Limits(max_bytes=1_000_000))
    first = run_batch([str(plans)], options, executor=_InProcess())
    assert (first.files, first.audited) == (5, 3)
    texts = _output_texts(out)
    assert {"results.jsonl", "plans.csv", "findings.csv", "summary.json", "report.html"} <= set(
        texts
    )
    assert len([n for n in texts if n.endswith(".audit.docx")]) == 5  # the 2 not audited too
    for name, text in texts.items():
        for personal in ("Inaya", "Qureshi", "2016-09-18", "18 September 2016", "Jayden"):
            assert personal not in name and personal not in text, (name, personal)
    with open_store(out) as store:
        records = store.records()
        assert all("Inaya" not in json.dumps(r) for r in records)
    files = [r["batch"]["file"] for r in records]
    assert "p08.txt" in files  # a name without personal details is kept as it was
    copies = [r for r in records if r["batch"]["duplicate_of"]]
    assert len(copies) == 1 and copies[0]["batch"]["duplicate_of"] in files
    assert run_batch([str(plans)], options, executor=_InProcess()).audited == 0
    (plans / "p08.txt").rename(plans / "Jayden Cole.txt")  # a new name: redacted afresh
    assert run_batch([str(plans)], options, executor=_InProcess()).audited == 1
    assert not any("Jayden" in n or "Jayden" in t for n, t in _output_texts(out).items())
    plain = run_batch([str(plans)], evolve(options, redact=False), executor=_InProcess())
    assert plain.audited == 3  # unredacted records are other keys
    assert "Inaya" in (out / "results.jsonl").read_text(encoding="utf-8")


def test_a_plan_over_its_time_limit_is_an_error_row_kept_until_the_limits_change(
    tmp_path: Path,
) -> None:
    plans, out = _plans(tmp_path, "p01.docx", "bad/empty.txt")
    hasty = BatchOptions(outdir=out, jobs=1, time_limit=0.001, forms=False, html=False)
    first = run_batch([str(plans)], hasty)
    assert (first.audited, first.errors) == (2, 2)
    rows = {r["file"]: r for r in _csv_rows(out / "plans.csv")}
    assert rows["p01.docx"]["error_code"] == "timeout"
    timeouts = sum(r["error_code"] == "timeout" for r in rows.values())  # empty.txt may be too
    assert run_batch([str(plans)], hasty).audited == 0  # the same limits: kept
    patient = evolve(hasty, time_limit=120.0)
    again = run_batch([str(plans)], patient)
    assert (again.audited, again.errors) == (timeouts, 1)  # only those that ran out of time
    rows = {r["file"]: r for r in _csv_rows(out / "plans.csv")}
    assert rows["p01.docx"]["overall"] and not rows["p01.docx"]["error_code"]
    assert rows["empty.txt"]["error_code"] == "empty"
    with open_store(out) as store:
        assert sorted(r["audits"] for r in store.results()) == [1] * (2 - timeouts) + [2] * timeouts


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_audit_forms_made_in_worker_processes_match_those_made_here_and_failures_are_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ehcp_audit.batch import _exports
    from ehcp_audit.batch._executors import make_executor

    records = []
    for name in ("p01.docx", "p08.txt", "p06.md"):
        record = ehcp_audit.to_dict(ehcp_audit.audit(CORPUS / name, config=Config()))
        record["batch"] = {"file": name, "duplicate_of": None, "seconds": 0.1, "peak_mb": None}
        records.append(record)
    lines = [json.dumps(r) for r in records]
    options = _exports.ExportOptions(auditor="A. Officer")
    _exports.write_forms(tmp_path / "here", records, lines, options)
    monkeypatch.setattr(_exports, "PARALLEL_FORMS", 1)
    executor = make_executor("local", jobs=2)
    try:
        _exports.write_forms(tmp_path / "there", records, lines, options, executor.run)
    finally:
        executor.close()
    names = ["p01.audit.docx", "p08.audit.docx", "p06.audit.docx"]
    for name in names:
        assert _docx_text(tmp_path / "there" / name) == _docx_text(tmp_path / "here" / name)

    def failing(fn: Callable[[Any], Any], jobs: Iterable[Any]) -> Iterator[_Done]:
        for job in jobs:
            if job.name == names[1]:
                yield _Done(job, None, "timeout", "stopped after 120 s")
            else:
                yield _Done(job, fn(job))

    failing_out = tmp_path / "failing"
    _exports.write_forms(failing_out, records, lines, options, failing)
    made = json.loads((failing_out / ".made.json").read_text(encoding="utf-8"))
    assert sorted(made) == sorted([names[0], names[2]])
    assert not (failing_out / names[1]).exists()
    _exports.write_forms(failing_out, records, lines, options)  # the next run makes it
    assert (failing_out / names[1]).is_file()


def test_a_file_changed_between_hashing_and_auditing_is_reported_not_stored(
    tmp_path: Path,
) -> None:
    plans, out = _plans(tmp_path, "p08.txt")

    class Meddling(_InProcess):
        """Someone saves the plan again just as its audit starts."""

        def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[_Done]:
            for task in tasks:
                Path(task.path).write_bytes(Path(task.path).read_bytes() + b"\nEdited.\n")
                yield _Done(task, fn(task))

    options = BatchOptions(outdir=out, forms=False, html=False)
    first = run_batch([str(plans)], options, executor=Meddling())
    assert (first.audited, first.errors) == (0, 1)
    (row,) = _csv_rows(out / "plans.csv")
    assert row["error_code"] == "changed" and "run the batch again" in row["error_message"]
    with open_store(out) as store:
        assert store.results() == []  # nothing stored under the old content's key
    second = run_batch([str(plans)], options, executor=_InProcess())
    assert (second.audited, second.errors) == (1, 0)


def test_two_batches_cannot_write_into_one_folder_at_once(tmp_path: Path) -> None:
    from ehcp_audit.batch._run import _only_run

    (tmp_path / "plans").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    with _only_run(out):
        with pytest.raises(ehcp_audit.EhcpAuditError, match="another batch is writing"):
            run_batch([str(tmp_path / "plans")], BatchOptions(outdir=out))
        code, _, err = _cli("batch", str(tmp_path / "plans"), "--out", str(out), "--redact")
        assert code == 2 and "another batch" in err
    assert run_batch([str(tmp_path / "plans")], BatchOptions(outdir=out)).files == 0


def test_the_dask_executor_writes_the_same_outputs_as_local_workers(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    plans, _ = _plans(tmp_path, "p08.txt", "p07.pdf", "bad/corrupt.pdf")
    outputs = {}
    for kind in ("local", "dask"):
        out = tmp_path / kind
        options = BatchOptions(outdir=out, executor=kind, jobs=1, forms=False, html=False)
        assert run_batch([str(plans)], options).audited == 3
        outputs[kind] = [
            {k: v for k, v in r.items() if k != "batch"} for r in _jsonl(out / "results.jsonl")
        ]
        assert (out / "plans.csv").read_text(encoding="utf-8").count("\n") == 4
    assert outputs["dask"] == outputs["local"]


def test_choosing_the_model_imports_no_spacy(tmp_path: Path) -> None:
    """``batch`` names the model in its own process: only its workers load spaCy (0.8 s)."""
    import subprocess
    import sys

    probe = (
        "import os, sys; os.environ['EHCP_AUDIT_MODEL'] = 'en_core_web_md';"
        "from ehcp_audit.nlp._model_choice import model_name;"
        "print(model_name(None), model_name(''), model_name('en_core_web_sm'),"
        " 'spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["en_core_web_md", "en_core_web_md", "en_core_web_sm", "False"]


def _form_text(path: Path) -> list[str]:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs] + cells


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_exports_prepared_as_plans_arrive_equal_those_made_from_the_store_alone(
    tmp_path: Path, redact: bool
) -> None:
    """A run exports the plans it audits from memory (rows and forms made as each arrives);
    the same exports made again from the database alone, on a re-run, are identical."""
    plans, out = _small_folder(tmp_path / "plans"), tmp_path / "out"
    options = BatchOptions(outdir=out, jobs=1, redact=redact, auditor="Robin Ashe")
    first = run_batch([str(plans)], options)
    assert first.audited == 3 and first.reused == 0
    names = ["results.jsonl", "plans.csv", "findings.csv", "summary.json", "report.html"]
    made = {name: (out / name).read_text(encoding="utf-8") for name in names}
    forms = {p.relative_to(out): _form_text(p) for p in sorted(out.glob("forms/**/*.docx"))}
    assert len(forms) == 4  # the duplicate and the corrupt file get forms too
    for name in names:
        (out / name).unlink()
    shutil.rmtree(out / "forms")
    again = run_batch([str(plans)], options)
    assert again.audited == 0 and again.reused == 3
    for name in names:
        assert (out / name).read_text(encoding="utf-8") == made[name], name
    assert {p.relative_to(out): _form_text(p) for p in sorted(out.glob("forms/**/*.docx"))} == forms


def test_a_stored_records_line_is_what_json_dumps_writes(tmp_path: Path) -> None:
    """results.jsonl lines are made from the stored text: byte for byte json.dumps's."""
    import json

    from ehcp_audit.batch._store import FileRow, Store, Stored, record_line

    record = audit_task(PlanTask(str(CORPUS / "p03.docx"), "p03.docx"))
    # A message quoting what looks like the key being swapped must not fool the swap.
    record["findings"][0]["message"] += ' (see "source": {"path": "elsewhere.docx"})'
    error = audit_task(PlanTask(str(CORPUS / "bad" / "corrupt.pdf"), "corrupt.pdf"))
    with Store(tmp_path / "audit.sqlite") as store:
        rows = [
            FileRow("a/p03.docx", "/plans/a/p03.docx", "s1", "k1", None, None),
            FileRow("b/copy.docx", "/plans/b/copy.docx", "s1", "k1", "a/p03.docx", None),
            FileRow("corrupt.pdf", "/plans/corrupt.pdf", "s2", "k2", None, None),
        ]
        run = store.start_run({}, rows)
        stored = store.put("k1", run, record, "[]")
        stored_error = store.put("k2", run, error, "[]")
        named = Stored(stored.body, 1.5, None, ["Plan 1", "Plan 2"], stored.body_json)
        for holder, row, index in [
            (stored, rows[0], 0),
            (stored, rows[1], 1),
            (named, rows[1], 1),
            (stored_error, rows[2], 0),
        ]:
            expected = holder.record_for(row, index)
            assert record_line(holder, expected) == json.dumps(expected, ensure_ascii=False)
        # Without the stored text (a record read back from the store), it is encoded.
        plain = Stored(stored.body, 0.0, None, None)
        again = plain.record_for(rows[0], 0)
        assert record_line(plain, again) == json.dumps(again, ensure_ascii=False)
