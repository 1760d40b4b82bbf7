"""The command line: real files in, real output out, exit codes as documented."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema

import ehcp_audit
from ehcp_audit._resources import schema_path
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus_samples" / "sample_plan.docx"
BAD = ROOT / "corpus_samples" / "bad"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def schema() -> dict:
    return json.loads(schema_path().read_text(encoding="utf-8"))


def test_check_json_is_valid_against_the_schema() -> None:
    code, out, err = run("check", str(SAMPLE), "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    jsonschema.validate(document, schema())
    assert document["schema_version"] == ehcp_audit.SCHEMA_VERSION == "1.5"
    assert document["source"]["format"] == "docx"
    assert len(document["tool"]["rules_sha256"]) == 64
    codes = [s["code"] for s in document["sections"]]
    assert {"A", "B", "E", "F", "K"} <= set(codes)


def test_check_text_summary() -> None:
    code, out, _ = run("check", "--sample")
    assert code == 0
    assert "sample_plan.docx" in out
    assert "Overall: " in out and "Done well" in out


def test_sections_command_shows_how_found() -> None:
    code, out, _ = run("sections", str(SAMPLE))
    assert code == 0
    assert "Sections found:" in out
    assert "found by" in out


def test_output_file_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "result.json"
    target.parent.mkdir()  # a missing folder is refused, not created (tests/test_io_output.py)
    code, out, _ = run("check", str(SAMPLE), "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    jsonschema.validate(json.loads(target.read_text(encoding="utf-8")), schema())
    assert [p.name for p in target.parent.iterdir()] == ["result.json"]  # no temp files left


def test_bad_input_exit_2_with_stderr_line_and_json(tmp_path: Path) -> None:
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"{\\rtf1 not really a docx}")
    code, out, err = run("check", str(bad), "--format", "json")
    assert code == 2
    assert err.startswith(f"error: {bad}: unsupported_format: ")
    document = json.loads(out)
    jsonschema.validate(document, schema())
    assert document["error"]["code"] == "unsupported_format"
    assert set(document) == {"schema_version", "tool", "source", "error"}


def test_missing_file_no_traceback(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "missing.pdf"))
    assert code == 2
    assert "unreadable" in err and "Traceback" not in err


def test_console_script_runs_as_module(tmp_path: Path) -> None:
    copy = tmp_path / "renamed.bin"  # format comes from the bytes, not the name
    shutil.copy(SAMPLE, copy)
    proc = subprocess.run(
        [sys.executable, "-m", "ehcp_audit", "check", str(copy), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"]["format"] == "docx"


def test_every_bad_sample_exits_2_without_traceback() -> None:
    expected = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))["files"]
    for name, code in expected.items():
        status, out, err = run("check", str(BAD / name), "--format", "json")
        assert status == 2, name
        assert f": {code}: " in err, (name, err)
        assert json.loads(out)["error"]["code"] == code


def test_error_json_names_the_detected_format() -> None:
    code, out, _ = run("check", str(BAD / "password.pdf"), "--format", "json")
    assert code == 2
    document = json.loads(out)
    jsonschema.validate(document, schema())
    assert document["source"]["format"] == "pdf"
    assert document["error"]["code"] == "encrypted"


def test_eval_refuses_an_unknown_figure_name() -> None:
    code, _, err = run("eval", str(ROOT / "corpus_samples" / "dev1"), "--min", "nosuch=0.9")
    assert code == 2
    assert "no such figure: nosuch" in err


def test_eval_bounds_pass_and_fail() -> None:
    folder = str(ROOT / "corpus_samples" / "dev1")
    assert run("eval", folder, "--min", "section_recall=1.0")[0] == 0
    code, _, err = run("eval", folder, "--max", "voice_trap_fp_rate=0.0")
    assert code == 1 and "voice_trap_fp_rate" in err
