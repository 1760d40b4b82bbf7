"""The ``ehcp-audit`` command: argument parsing and output only.

No audit logic lives here; every command calls the public library API and
formats what comes back. Exit codes: 0 audited, 2 could not audit (bad
input, with ``error: FILE: CODE: message`` on stderr). Plan text is printed
only to the user's own terminal or output file, never logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from . import _resources
from ._atomic import write_text_atomic
from ._audit import audit, load_bytes
from ._errors import EhcpAuditError, InputError
from ._limits import MIB, Limits
from ._model import PlanAudit
from .reports import text as text_report
from .reports.json import error_dict, to_dict

EXIT_OK = 0
EXIT_BELOW_TARGET = 1
EXIT_INPUT_ERROR = 2


def _limits_from(args: argparse.Namespace) -> Limits:
    return Limits(
        max_bytes=int(args.max_mb * MIB),
        max_pages=args.max_pages,
        max_uncompressed=int(args.max_uncompressed_mb * MIB),
    )


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="the plan: .docx, .pdf or .txt/.md")
    parser.add_argument(
        "--sample", action="store_true", help="audit the fictional sample plan bundled with ehcp-audit"
    )
    limits = parser.add_argument_group("limits (refuse runaway or hostile files)")
    limits.add_argument("--max-mb", type=float, default=50, help="largest file to read (default 50)")
    limits.add_argument("--max-pages", type=int, default=500, help="most PDF pages (default 500)")
    limits.add_argument(
        "--max-uncompressed-mb",
        type=float,
        default=200,
        help="largest uncompressed DOCX content, against zip bombs (default 200)",
    )


def _build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="ehcp-audit",
        description="Audit Education, Health and Care Plans (EHCPs) for co-production.",
    )
    parser.add_argument("--version", action="version", version=f"ehcp-audit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="audit one plan and report what was found")
    _add_input_options(check)
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.add_argument("-o", "--output", help="write the report to this file (atomically) instead of stdout")

    sections = commands.add_parser("sections", help="show the sections found in a plan and how")
    _add_input_options(sections)

    evaluate = commands.add_parser(
        "eval", help="compare the tool with human auditors' label files in a folder"
    )
    evaluate.add_argument("folder", help="a folder of plans with PLAN.labels.json files beside them")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument("-v", "--verbose", action="store_true", help="list what was missed, per plan")
    evaluate.add_argument(
        "--min",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 when METRIC (e.g. child_voice_recall) is below VALUE; repeatable",
    )
    evaluate.add_argument(
        "--max",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 when METRIC (e.g. voice_trap_fp_rate) is above VALUE; repeatable",
    )
    for sub in (check, sections, evaluate):
        sub.add_argument(
            "--model",
            help="an installed trained spaCy pipeline to sharpen voice attribution "
            "(default: $EHCP_AUDIT_MODEL; none needed)",
        )
    return parser


def _bounds(items: list[str], parser: argparse.ArgumentParser) -> dict[str, float]:
    bounds = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            bounds[name.strip()] = float(value)
        except ValueError:
            parser.error(f"expected METRIC=NUMBER, got {item!r}")
    return bounds


def _run_eval(args: argparse.Namespace, parser: argparse.ArgumentParser, stdout: TextIO, stderr: TextIO) -> int:
    from pathlib import Path

    from . import _evaluation

    folder = Path(args.folder)
    if not folder.is_dir():
        stderr.write(f"error: {folder}: not a folder\n")
        return EXIT_INPUT_ERROR
    evaluation = _evaluation.evaluate_folder(folder, lambda path: audit(path, model=args.model))
    if not evaluation.plans:
        stderr.write(f"error: {folder}: no plans with a .labels.json file beside them\n")
        return EXIT_INPUT_ERROR
    if args.format == "json":
        _emit(json.dumps(_evaluation.to_dict(evaluation), indent=2, ensure_ascii=False), None, stdout)
    else:
        _emit(_evaluation.render_text(evaluation, verbose=args.verbose), None, stdout)
    problems = evaluation.shortfalls(_bounds(args.min, parser), _bounds(args.max, parser))
    for problem in problems:
        stderr.write(f"below target: {problem}\n")
    return EXIT_BELOW_TARGET if problems else EXIT_OK


def _resolve_file(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    if args.sample:
        return str(_resources.sample_plan())
    if not args.file:
        parser.error("name a plan file, or use --sample")
    return str(args.file)


def _emit(text: str, output: str | None, stdout: TextIO) -> None:
    if output:
        write_text_atomic(output, text)
    else:
        stdout.write(text)
        if not text.endswith("\n"):
            stdout.write("\n")


def _report_error(path: str, error: EhcpAuditError, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    stderr.write(f"error: {path}: {error.code}: {error.message}\n")
    if getattr(args, "format", "text") == "json":
        sha = None
        try:
            import hashlib

            sha = hashlib.sha256(load_bytes(path, _limits_from(args))[0]).hexdigest()
        except (EhcpAuditError, OSError):
            sha = None
        _emit(json.dumps(error_dict(error, path, sha), indent=2), getattr(args, "output", None), stdout)
    return EXIT_INPUT_ERROR


def _run_check(result: PlanAudit, args: argparse.Namespace, stdout: TextIO) -> None:
    if args.format == "json":
        _emit(json.dumps(to_dict(result), indent=2, ensure_ascii=False), args.output, stdout)
    else:
        _emit(text_report.render_check(result), args.output, stdout)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "eval":
        return _run_eval(args, parser, out, err)
    path = _resolve_file(args, parser)
    try:
        result = audit(path, limits=_limits_from(args), model=args.model)
    except InputError as error:
        return _report_error(path, error, args, out, err)
    if args.command == "check":
        _run_check(result, args, out)
    else:
        _emit(text_report.render_sections(result), None, out)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
