"""Options are validated before any work: a bad value is a usage error (exit 2), not a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import ehcp_audit.cli as cli
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus_samples" / "sample_plan.docx"

BAD_SIZES = ["nan", "NaN", "inf", "-inf", "1e400", "-1", "0", "-0.0", "abc", "", "2e6"]
BAD_COUNTS = ["0", "-1", "1.5", "nan", "inf", "abc", ""]


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main(list(argv), stdout=io.StringIO(), stderr=io.StringIO())
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.fixture(autouse=True)
def no_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "audit", lambda *a, **k: pytest.fail("audited with a bad option"))


@pytest.mark.parametrize("option", ["--max-mb", "--max-uncompressed-mb"])
@pytest.mark.parametrize("value", BAD_SIZES)
def test_bad_sizes_are_usage_errors(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    err = usage_error(capsys, "check", str(SAMPLE), f"{option}={value}")
    assert f"argument {option}:" in err


@pytest.mark.parametrize("value", BAD_COUNTS)
def test_bad_page_counts_are_usage_errors(capsys: pytest.CaptureFixture[str], value: str) -> None:
    err = usage_error(capsys, "sections", str(SAMPLE), f"--max-pages={value}")
    assert "argument --max-pages:" in err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_eval_bounds_must_be_finite(capsys: pytest.CaptureFixture[str], value: str) -> None:
    err = usage_error(
        capsys, "eval", str(ROOT / "corpus_samples"), "--min", f"plans_audited={value}"
    )
    assert "finite" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--max-mb", "0.5"], 0.5),
        (["--max-mb", "1048576"], 1048576.0),
        (["--max-uncompressed-mb", "1e3"], 1000.0),
    ],
)
def test_sensible_sizes_are_accepted(argv: list[str], expected: float) -> None:
    args = cli._build_parser().parse_args(["check", str(SAMPLE), *argv])
    assert expected in (args.max_mb, args.max_uncompressed_mb)
    limits = cli._limits_from(args)
    assert limits.max_bytes > 0 and limits.max_uncompressed > 0
