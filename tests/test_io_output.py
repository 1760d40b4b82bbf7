"""Output from the CLI: paths checked before the audit, write failures typed, reports kept.

Every failure here is ``error: PATH: output_error: message`` on stderr and
exit code 2, never a traceback, and it comes before the audit (the audit is
replaced by one that fails the test if it is reached).
"""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import pytest

import ehcp_audit.cli as cli
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus_samples" / "sample_plan.docx"
BAD = ROOT / "corpus_samples" / "bad"
GOOD_REPORT = '{"overall": "good", "note": "yesterday\'s report"}\n'


def run(*argv: str, stdout: io.TextIOBase | None = None) -> tuple[int, str, str]:
    out, err = stdout or io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)  # type: ignore[arg-type]
    return code, out.getvalue() if isinstance(out, io.StringIO) else "", err.getvalue()


@pytest.fixture
def no_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit must not start: output paths are checked first."""
    monkeypatch.setattr(cli, "audit", lambda *a, **k: pytest.fail("audited before checking -o"))


def refused(target: Path | str, expected: str) -> None:
    code, out, err = run("check", str(SAMPLE), "--format", "json", "-o", str(target))
    assert code == 2, err
    assert out == ""
    assert err.startswith(f"error: {target}: output_error: "), err
    assert expected in err and "Traceback" not in err


def test_a_missing_folder_is_refused_not_created(tmp_path: Path, no_audit: None) -> None:
    refused(tmp_path / "reports" / "result.json", "does not exist")
    assert not (tmp_path / "reports").exists()


def test_a_path_under_a_file_is_refused(tmp_path: Path, no_audit: None) -> None:
    (tmp_path / "afile").write_text("x")
    refused(tmp_path / "afile" / "result.json", "not a folder")


def test_a_folder_as_output_is_refused(tmp_path: Path, no_audit: None) -> None:
    refused(tmp_path, "is a folder")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_as_output_is_refused(no_audit: None) -> None:
    refused("/dev/null", "not a regular file")


def test_the_plan_itself_as_output_is_refused(tmp_path: Path, no_audit: None) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes(SAMPLE.read_bytes())
    code, _, err = run("check", str(plan), "-o", str(plan))
    assert code == 2 and "is the plan being audited" in err
    assert plan.read_bytes() == SAMPLE.read_bytes()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only folders"
)
def test_a_read_only_folder_is_refused(tmp_path: Path, no_audit: None) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        refused(folder / "result.json", "read-only")
    finally:
        folder.chmod(0o755)


def test_a_read_only_folder_is_refused_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_audit: None
) -> None:
    """The same check with ``os.access`` answering as it does for a non-root user."""
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if Path(p) == folder else real_access(p, mode)
    )
    refused(folder / "result.json", "read-only")


def test_a_full_disk_is_an_output_error_and_keeps_the_old_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "result.json"
    report.write_text(GOOD_REPORT)

    def disk_full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_write_text_atomic = cli.write_text_atomic

    def write_on_a_full_disk(path: str, text: str) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "write", disk_full)
            real_write_text_atomic(path, text)

    monkeypatch.setattr(cli, "write_text_atomic", write_on_a_full_disk)
    code, out, err = run("check", str(SAMPLE), "--format", "json", "-o", str(report))
    assert code == 2 and out == ""
    assert err == f"error: {report}: output_error: could not write {report}: the disk is full\n"
    assert report.read_text() == GOOD_REPORT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_a_failing_stdout_is_an_output_error() -> None:
    class FullStdout(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    code, _, err = run("check", str(SAMPLE), stdout=FullStdout())
    assert code == 2
    assert err.startswith("error: <stdout>: output_error: could not write (No space left")


def test_an_input_error_does_not_overwrite_a_good_report(tmp_path: Path) -> None:
    report = tmp_path / "result.json"
    report.write_text(GOOD_REPORT)
    code, out, err = run("check", str(BAD / "corrupt.pdf"), "--format", "json", "-o", str(report))
    assert code == 2
    assert ": unreadable: " in err
    assert json.loads(out)["error"]["code"] == "unreadable"  # on stdout instead
    assert report.read_text() == GOOD_REPORT


def test_a_config_error_does_not_overwrite_a_good_report(tmp_path: Path) -> None:
    report = tmp_path / "result.json"
    report.write_text(GOOD_REPORT)
    config = tmp_path / "ehcp-audit.toml"
    config.write_text("this is = not [valid toml\n")
    code, out, err = run(
        "check", str(SAMPLE), "--format", "json", "-o", str(report), "--config", str(config)
    )
    assert code == 2 and "config_error" in err
    assert json.loads(out)["error"]["code"] == "config_error"
    assert report.read_text() == GOOD_REPORT


def test_a_good_audit_replaces_the_report_and_keeps_its_mode(tmp_path: Path) -> None:
    report = tmp_path / "result.json"
    report.write_text(GOOD_REPORT)
    report.chmod(0o644)
    code, out, _ = run("check", str(SAMPLE), "--format", "json", "-o", str(report))
    assert code == 0 and out == ""
    assert json.loads(report.read_text())["source"]["format"] == "docx"
    if os.name == "posix":
        assert report.stat().st_mode & 0o777 == 0o644
