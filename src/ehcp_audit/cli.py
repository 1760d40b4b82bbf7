"""The ``ehcp-audit`` command: argument parsing and output only.

No audit logic lives here; every command calls the library and formats
what comes back. Exit codes: 0 audited, 1 a check fell short (``eval``
below a ``--min``, a failing ``rules test`` case, a plan rated below ``check
--fail-under``), 2 could not audit (bad
input, with ``error: FILE: CODE: message`` on stderr, or a configuration
or rule file that is wrong: ``error: config_error: message``). Plan text is
printed only to the user's own terminal or output file, never logged.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from . import _resources
from ._atomic import check_target, write_text_atomic
from ._audit import audit
from ._config import Config, load_config
from ._errors import ConfigError, InputError, OutputError
from ._limits import MIB, Limits
from ._model import PlanAudit
from .reports import rules_text
from .reports import text as text_report
from .reports._check import FAIL_UNDER
from .reports._check import FORMATS as CHECK_FORMATS
from .reports.json import error_dict

if TYPE_CHECKING:
    from ._evaluation import Evaluation
    from ._sentence_eval import SentenceEvaluation

EXIT_OK = 0
EXIT_BELOW_TARGET = 1
EXIT_INPUT_ERROR = 2


#: The largest value a size limit may take, in MiB (1 TiB): beyond this a
#: limit no longer limits anything, and sizes stop fitting the platform's reads.
MAX_LIMIT_MB = 1024 * 1024


def _positive_mb(text: str) -> float:
    """An argparse type: a size in MiB, finite and above zero (``nan`` passes ``float``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of MiB, got {text!r}") from None
    if not 0 < value <= MAX_LIMIT_MB:  # also false for nan
        raise argparse.ArgumentTypeError(
            f"must be above 0 and at most {MAX_LIMIT_MB} MiB, got {text!r}"
        )
    return value


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _limits_from(args: argparse.Namespace) -> Limits:
    return Limits(
        max_bytes=int(args.max_mb * MIB),
        max_pages=args.max_pages,
        max_uncompressed=int(args.max_uncompressed_mb * MIB),
        max_block_chars=args.max_block_chars,
        max_plan_chars=args.max_plan_chars,
        max_blocks=args.max_blocks,
    )


def _add_input_options(parser: argparse.ArgumentParser, *, many: bool = False) -> None:
    if many:
        parser.add_argument(
            "file", nargs="*", metavar="FILE", help="the plans: .docx, .pdf or .txt/.md"
        )
    else:
        parser.add_argument("file", nargs="?", help="the plan: .docx, .pdf or .txt/.md")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="audit the fictional sample plan bundled with ehcp-audit",
    )
    _add_limit_options(parser)


def _add_limit_options(parser: argparse.ArgumentParser) -> None:
    limits = parser.add_argument_group("limits (refuse runaway or hostile files)")
    limits.add_argument(
        "--max-mb", type=_positive_mb, default=50, help="largest file to read (default 50)"
    )
    limits.add_argument(
        "--max-pages", type=_positive_int, default=500, help="most PDF pages (default 500)"
    )
    limits.add_argument(
        "--max-uncompressed-mb",
        type=_positive_mb,
        default=200,
        help="largest uncompressed DOCX content, against zip bombs (default 200)",
    )
    text_limits = Limits()
    for option, default, what in (
        ("--max-block-chars", text_limits.max_block_chars, "most characters in one block"),
        ("--max-plan-chars", text_limits.max_plan_chars, "most characters of text in the plan"),
        ("--max-blocks", text_limits.max_blocks, "most blocks (paragraphs, list items, cells)"),
    ):
        limits.add_argument(
            option, type=_positive_int, default=default, help=f"{what} (default {default:,})"
        )


def _add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="settings file (default: ehcp-audit.toml here or above, [tool.ehcp-audit] in "
        "pyproject.toml, then ~/.config/ehcp-audit/config.toml)",
    )


def _build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="ehcp-audit",
        description="Audit Education, Health and Care Plans (EHCPs) for co-production.",
    )
    parser.add_argument("--version", action="version", version=f"ehcp-audit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check", help="audit plans and say what to fix in each, most important first"
    )
    _add_input_options(check, many=True)
    check.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="text",
        help="text: a report for a person (default); json: the full result; lines: "
        "FILE:SECTION:PARAGRAPH: LEVEL RULE: MESSAGE (PARAGRAPH counts from the section's "
        "heading, which is 0); sarif: SARIF 2.1.0 for review tools",
    )
    check.add_argument(
        "--fail-under",
        choices=FAIL_UNDER,
        help="exit 1 when a plan's overall rating is below this (a draft is judged as a draft)",
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="rule names, measurements and every quote"
    )
    check.add_argument(
        "-o", "--output", help="write the report to this file (atomically) instead of stdout"
    )

    sections = commands.add_parser("sections", help="show the sections found in a plan and how")
    _add_input_options(sections)

    explain = commands.add_parser(
        "explain", help="explain a plan's co-production ratings, rule by rule"
    )
    _add_input_options(explain)
    explain.add_argument(
        "--principle",
        type=int,
        action="append",
        choices=range(1, 7),
        metavar="N",
        help="the principle to explain (1-6); repeatable; default all six",
    )

    rules = commands.add_parser("rules", help="list, explain and test the rules in force")
    rule_commands = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    rules_list = rule_commands.add_parser(
        "list", help="every rule loaded, its kind, level and message"
    )
    rules_explain = rule_commands.add_parser("explain", help="what one rule checks and why")
    rules_explain.add_argument("rule", help="the rule's id, pack.Rule")
    rules_test = rule_commands.add_parser(
        "test", help="run the rules' own test cases (exit 1 if any fails)"
    )
    rules_test.add_argument("rule", nargs="*", help="rule ids or pack names (default: every rule)")

    config = commands.add_parser("config", help="show the settings in force")
    config_commands = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    config_show = config_commands.add_parser(
        "show", help="which settings file won, and the settings in force"
    )

    evaluate = commands.add_parser(
        "eval",
        help="compare the tool with human auditors' label files in a folder, "
        "or measure it on fresh-sentence sets",
    )
    evaluate.add_argument(
        "folder", nargs="?", help="a folder of plans with PLAN.labels.json files beside them"
    )
    evaluate.add_argument(
        "--sentences",
        metavar="PATH",
        help="a sentence-set file, or a folder of them (*.toml, see "
        "corpus_samples/sentences/README.md): recall and precision per set; exit 1 when "
        "a set falls below its own min_recall or min_precision",
    )
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument(
        "-v", "--verbose", action="store_true", help="list what was missed, per plan"
    )
    evaluate.add_argument(
        "--min",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 when METRIC (e.g. child_voice_recall, or child_voice.recall for a "
        "sentence set) is below VALUE; repeatable",
    )
    evaluate.add_argument(
        "--max",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 when METRIC (e.g. voice_trap_fp_rate) is above VALUE; repeatable",
    )
    batch = _add_batch_parser(commands)
    _add_compare_parser(commands)
    _add_annotate_parser(commands)
    _add_serve_parser(commands)
    for sub in (
        batch,
        check,
        sections,
        explain,
        evaluate,
        rules_list,
        rules_explain,
        rules_test,
        config_show,
    ):
        _add_config_option(sub)
    for sub in (batch, check, sections, evaluate, explain, rules_test):
        sub.add_argument(
            "--model",
            help="an installed trained spaCy pipeline to sharpen voice attribution "
            "(default: $EHCP_AUDIT_MODEL; none needed)",
        )
    return parser


def _positive_seconds(text: str) -> float:
    """An argparse type: a number of seconds, finite and above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value < math.inf:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, got {text!r}")
    return value


def _share(text: str) -> float:
    """An argparse type: a share between 0 and 1 (``0.9``), or a percentage (``90%``)."""
    percent = text.strip().endswith("%")
    try:
        value = float(text.strip().rstrip("%")) / (100 if percent else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a share such as 0.9 or 90%, got {text!r}"
        ) from None
    if not 0 <= value <= 1:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (or 0% and 100%), got {text!r}")
    return value


def _add_batch_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    batch = commands.add_parser(
        "batch",
        help="audit every plan in folders and files into OUTDIR (resumable): results, "
        "summary, board report and audit forms",
        description="Audit every .docx, .pdf, .txt and .md plan under the PATHs (folders are "
        "searched recursively; Word lock files ~$... and hidden files are skipped). Results are "
        "kept in OUTDIR/audit.sqlite: a run that is stopped keeps what it audited, and a re-run "
        "audits only new or changed plans. Writes results.jsonl, plans.csv, findings.csv, "
        "summary.json, report.html and forms/*.audit.docx into OUTDIR.",
    )
    batch.add_argument("paths", nargs="+", metavar="PATH", help="folders and plan files")
    batch.add_argument(
        "--out", required=True, metavar="OUTDIR", help="output folder (made if missing)"
    )
    run = batch.add_argument_group("running")
    run.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="worker processes (default: one per core)"
    )
    run.add_argument(
        "--time-limit",
        type=_positive_seconds,
        default=120.0,
        metavar="S",
        help="stop a plan after S seconds and report it (default 120)",
    )
    run.add_argument(
        "--memory-limit",
        type=_positive_int,
        default=2048,
        metavar="MB",
        help="stop a plan whose worker uses more than MB MiB and report it (default 2048)",
    )
    run.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local worker processes (default) or Dask (pip install 'ehcp-audit[dask]')",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a Dask scheduler's address (with --executor dask; default: a local cluster)",
    )
    out = batch.add_argument_group("outputs")
    out.add_argument(
        "--target",
        type=_share,
        metavar="SHARE",
        help="share of plans that should show effective co-production, e.g. 0.9 or 90%% "
        "(default: the configuration's target, else 0.9)",
    )
    out.add_argument(
        "--redact",
        action="store_true",
        help="leave names, dates of birth, NHS numbers, addresses, e-mail addresses and phone "
        "numbers out of every output",
    )
    out.add_argument(
        "--organisation", default="", metavar="NAME", help="audit forms: the organisation"
    )
    out.add_argument(
        "--service-area", default="", metavar="NAME", help="audit forms: the service area"
    )
    out.add_argument(
        "--auditor",
        default="",
        metavar="NAME",
        help="audit forms: who completed the audit, with designation",
    )
    out.add_argument(
        "--compare-with",
        metavar="OLD_OUTDIR",
        help="an earlier round's --out folder: report.html shows how things moved since",
    )
    out.add_argument("--no-forms", action="store_true", help="do not write the audit forms")
    out.add_argument("--no-html", action="store_true", help="do not write report.html")
    _add_limit_options(batch)
    return batch


def _add_compare_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    compare = commands.add_parser(
        "compare",
        help="how the effective share and each principle moved between two batch rounds",
    )
    compare.add_argument("old", metavar="OLD_OUTDIR", help="the earlier round's batch --out folder")
    compare.add_argument("new", metavar="NEW_OUTDIR", help="the later round's batch --out folder")
    compare.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )


def _add_annotate_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    annotate = commands.add_parser(
        "annotate",
        help="write a reviewed copy of a plan: Word comments in a .docx, an HTML page otherwise",
    )
    _add_input_options(annotate)
    annotate.add_argument(
        "-o",
        "--output",
        help="the reviewed copy (default: PLAN.reviewed.docx, or PLAN.review.html for a PDF or "
        "text plan, beside the plan); never the plan itself",
    )
    _add_config_option(annotate)
    annotate.add_argument(
        "--model", help="an installed trained spaCy pipeline (default: $EHCP_AUDIT_MODEL)"
    )


def _port(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free port) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {text!r}")
    return value


def _add_serve_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser(
        "serve",
        help="a page in the browser to drop a plan on, see the report and download the reviewed "
        'copy (needs: pip install "ehcp-audit[web]")',
        description="Serve a page where a plan can be dropped or chosen, checked, and its reviewed "
        "copy downloaded. Plans are read in memory and never kept or logged.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this computer only; another "
        "address serves others on the network)",
    )
    serve.add_argument("--port", type=_port, default=8765, help="the port (default 8765)")
    serve.add_argument(
        "--max-upload-mb",
        type=_positive_mb,
        default=20,
        metavar="MB",
        help="the largest plan the page accepts, in MiB (default 20)",
    )
    _add_config_option(serve)


#: What the web extra installs (import names): serve says how to get them when one is missing.
_WEB_EXTRA = ("starlette", "uvicorn", "python_multipart")


def _run_serve(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``serve``: the page, until Ctrl-C (exit 0); 2 without the web extra or the address."""
    try:
        from .web import ServeError, serve
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in _WEB_EXTRA:
            raise
        stderr.write('error: serve needs the web extra: pip install "ehcp-audit[web]"\n')
        return EXIT_INPUT_ERROR
    try:
        serve(
            host=args.host,
            port=args.port,
            config=_config_from(args),
            max_upload_bytes=int(args.max_upload_mb * MIB),
            stdout=stdout,
            stderr=stderr,
        )
    except ServeError as error:
        stderr.write(f"error: {error}\n")
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        pass
    stdout.write("ehcp-audit serve: stopped\n")
    return EXIT_OK


def _run_annotate(
    args: argparse.Namespace, parser: argparse.ArgumentParser, stdout: TextIO, stderr: TextIO
) -> int:
    """``annotate``: write the reviewed copy, then one line saying where and how many notes."""
    from pathlib import Path

    from .reports.annotate import annotate, default_output

    path = _resolve_file(args, parser)
    output = args.output
    if output is None and args.sample:  # beside the bundled sample is inside the package
        output = str(default_output(Path(path).name, "docx"))
    try:
        done = annotate(
            path, output, config=_config_from(args), limits=_limits_from(args), model=args.model
        )
    except InputError as error:
        return _report_error(path, error, args, stdout, stderr)
    held = "Word comments" if done.kind == "docx" else "notes on a review page"
    _emit(f"wrote {done.path} ({done.comments} {held})", None, stdout)
    return EXIT_OK


def _run_batch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``batch``: audit into OUTDIR, then a short account on stdout; 0 even with error rows."""
    from pathlib import Path

    from .batch import BatchOptions, run_batch
    from .batch._executors import ExecutorError
    from .nlp._model_choice import model_name  # imports no spaCy: only the workers need it

    options = BatchOptions(
        outdir=Path(args.out),
        config=_config_from(args),
        limits=_limits_from(args),
        model=model_name(args.model),
        redact=args.redact,
        target=args.target,
        jobs=args.jobs,
        time_limit=args.time_limit,
        memory_limit_mb=args.memory_limit,
        executor=args.executor,
        scheduler=args.scheduler,
        organisation=args.organisation,
        service_area=args.service_area,
        auditor=args.auditor,
        forms=not args.no_forms,
        html=not args.no_html,
        compare_with=args.compare_with,
    )
    if args.scheduler and args.executor != "dask":
        stderr.write("error: --scheduler is for the Dask executor: add --executor dask\n")
        return EXIT_INPUT_ERROR
    if not args.redact:
        stderr.write(
            f"note: the reports in {args.out} hold personal data from the plans (names, dates "
            "of birth, quoted text); use --redact to leave it out\n"
        )
    try:
        result = run_batch(args.paths, options, progress=stderr)
    except FileNotFoundError as error:
        stderr.write(f"error: {error.args[0]}: no such file or folder\n")
        return EXIT_INPUT_ERROR
    except ExecutorError as error:
        stderr.write(f"error: {error}\n")
        return EXIT_INPUT_ERROR
    except OutputError as error:
        stderr.write(f"error: {error.path or args.out}: {error.code}: {error.message}\n")
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        stderr.write(
            f"stopped: every plan audited so far is kept in {args.out}; run the same command "
            "again to finish\n"
        )
        return 130
    _emit(_batch_account(result, args.out), None, stdout)
    return EXIT_OK


def _batch_account(result: object, outdir: str) -> str:
    """What a batch run did, in a few lines."""
    from .batch import BatchResult

    assert isinstance(result, BatchResult)
    lines = [
        f"{result.files} file(s), {result.plans} distinct plan(s): {result.audited} audited now, "
        f"{result.reused} from the store, {result.errors} could not be audited "
        f"({result.seconds:.1f} s)"
    ]
    effective = result.summary.get("effective") or {}
    share, interval = effective.get("share"), effective.get("ci95")
    if share is not None and interval:
        verdict = "met" if effective.get("met") else "not met"
        lines.append(
            f"effective co-production: {effective.get('count')} of {effective.get('of')} plans "
            f"({share:.0%}; 95% interval {interval[0]:.0%} to {interval[1]:.0%}), target "
            f"{effective.get('target', 0.9):.0%}: {verdict}"
        )
    lines.append(f"written to {outdir}")
    return "\n".join(lines)


def _run_compare(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``compare``: how two batch rounds differ, as text or JSON (``batch._compare``)."""
    from .batch._compare import compare_outdirs, comparison_dict, render_text

    try:
        comparison = compare_outdirs(args.old, args.new)
    except OutputError as error:
        stderr.write(f"error: {error.code}: {error.message}\n")
        return EXIT_INPUT_ERROR
    if args.format == "json":
        text = json.dumps(comparison_dict(comparison), indent=2, ensure_ascii=False)
    else:
        text = render_text(comparison)
    _emit(text, None, stdout)
    return EXIT_OK


def _bounds(items: list[str], parser: argparse.ArgumentParser) -> dict[str, float]:
    bounds = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            bounds[name.strip()] = float(value)
        except ValueError:
            parser.error(f"expected METRIC=NUMBER, got {item!r}")
        if not math.isfinite(bounds[name.strip()]):
            parser.error(f"expected a finite number in METRIC=NUMBER, got {item!r}")
    return bounds


def _run_eval(
    args: argparse.Namespace, parser: argparse.ArgumentParser, stdout: TextIO, stderr: TextIO
) -> int:
    from pathlib import Path

    from . import _evaluation, _sentence_eval, _sentence_sets

    minimums, maximums = _bounds(args.min, parser), _bounds(args.max, parser)
    if not args.folder and not args.sentences:
        parser.error("eval needs a folder of labelled plans, --sentences PATH, or both")
    folder = Path(args.folder) if args.folder else None
    if folder is not None and not folder.is_dir():
        stderr.write(f"error: {folder}: not a folder\n")
        return EXIT_INPUT_ERROR
    config = _config_from(args)
    sets = _sentence_sets.load_sets(Path(args.sentences)) if args.sentences else []
    evaluation = sentences = None
    if folder is not None:
        evaluation = _evaluation.evaluate_folder(
            folder, lambda path: audit(path, model=args.model, config=config)
        )
        if not evaluation.plans:
            stderr.write(f"error: {folder}: no plans with a .labels.json file beside them\n")
            return EXIT_INPUT_ERROR
    if sets:
        sentences = _sentence_eval.evaluate_sets(
            sets, model=args.model, extra_variants=config.merged_variants(None)
        )
    _emit(_eval_output(evaluation, sentences, args), None, stdout)
    measured = [m for m in (evaluation, sentences) if m is not None]
    unknown = sorted(
        name for name in {**minimums, **maximums} if not any(m.knows(name) for m in measured)
    )
    if unknown:
        stderr.write(
            f"error: no such figure: {', '.join(unknown)} (the names are those eval prints)\n"
        )
        return EXIT_INPUT_ERROR
    problems = [
        problem
        for m in measured
        for problem in m.shortfalls(
            {k: v for k, v in minimums.items() if m.knows(k)},
            {k: v for k, v in maximums.items() if m.knows(k)},
        )
    ]
    if sentences is not None:
        problems += sentences.below_bars()
    for problem in problems:
        stderr.write(f"below target: {problem}\n")
    return EXIT_BELOW_TARGET if problems else EXIT_OK


def _eval_output(
    evaluation: Evaluation | None, sentences: SentenceEvaluation | None, args: argparse.Namespace
) -> str:
    """The report: labelled-plan figures, then the sentence sets', as text or JSON."""
    from . import _evaluation, _sentence_eval

    if args.format == "json":
        document: dict[str, object] = (
            _evaluation.to_dict(evaluation) if evaluation is not None else {}
        )
        if sentences is not None:
            document["sentence_sets"] = _sentence_eval.to_dict(sentences)
        return json.dumps(document, indent=2, ensure_ascii=False)
    parts = []
    if evaluation is not None:
        parts.append(_evaluation.render_text(evaluation, verbose=args.verbose))
    if sentences is not None:
        parts.append(_sentence_eval.render_text(sentences, verbose=args.verbose))
    return "\n".join(parts)


def _resolve_file(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    if args.sample:
        return str(_resources.sample_plan())
    if not args.file:
        parser.error("name a plan file, or use --sample")
    return str(args.file)


def _emit(text: str, output: str | None, stdout: TextIO) -> None:
    """Write ``text`` to the ``-o`` file (atomically) or stdout; a failure is an OutputError."""
    if output:
        write_text_atomic(output, text)
        return
    try:
        stdout.write(text if text.endswith("\n") else text + "\n")
        stdout.flush()
    except OSError as exc:  # a closed pipe (``| head``), a full disk behind ``>``
        _detach(stdout)
        error = OutputError(f"could not write ({exc.strerror or type(exc).__name__})")
        error.path = "<stdout>"
        raise error from None


def _detach(stream: TextIO) -> None:
    """Point a failed standard stream at devnull, so the exit's flush does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def _report_error(
    path: str, error: InputError, args: argparse.Namespace, stdout: TextIO, stderr: TextIO
) -> int:
    """The stderr line, and with ``--format json`` the error document on stdout.

    Never to ``-o``: that would replace a good report from an earlier run
    with an error. The hash and format come from the bytes already read
    (the error carries them), never from reading the file again.
    """
    stderr.write(f"error: {path}: {error.code}: {error.message}\n")
    if getattr(args, "format", "text") == "json":
        document = error_dict(error, path, error.sha256, error.format)
        _emit(json.dumps(document, indent=2), None, stdout)
    return EXIT_INPUT_ERROR


def _check_output(output: str, plan: str) -> None:
    """Refuse an output path that cannot be written, before the audit spends any time.

    Also refuses the plan itself: the input file is never modified.
    """
    target = check_target(output)
    with contextlib.suppress(OSError):
        if target.exists() and os.path.samefile(target, plan):
            raise OutputError(f"{output} is the plan being audited; name another file")


def _run_check(
    args: argparse.Namespace, parser: argparse.ArgumentParser, stdout: TextIO, stderr: TextIO
) -> int:
    """``check``: audit each plan, report on them all; 2 if any could not be audited,
    else 1 if any rates below ``--fail-under``."""
    from .checks import load_policy
    from .reports._check import render_checks, shortfalls

    paths = [str(_resources.sample_plan())] if args.sample else [str(p) for p in args.file]
    if not paths:
        parser.error("name one or more plan files, or use --sample")
    for path in paths if args.output else ():
        _check_output(args.output, path)
    config = _config_from(args)
    policy = load_policy(config)
    results: list[PlanAudit] = []
    errors: list[dict[str, object]] = []
    for path in paths:
        try:
            results.append(audit(path, limits=_limits_from(args), model=args.model, config=config))
        except InputError as error:
            stderr.write(f"error: {path}: {error.code}: {error.message}\n")
            errors.append(error_dict(error, path, error.sha256, error.format))
    if not results:  # errors only: never to -o, which may hold a good earlier report
        if args.format == "json":
            _emit(json.dumps(errors[0] if len(errors) == 1 else errors, indent=2), None, stdout)
        return EXIT_INPUT_ERROR
    colour = not args.output and text_report.use_colour(stdout)
    report = render_checks(
        results, policy, args.format, errors=errors, colour=colour, verbose=args.verbose
    )
    _emit(report, args.output, stdout)
    if errors:
        return EXIT_INPUT_ERROR
    below = shortfalls(results, policy, args.fail_under) if args.fail_under else []
    for line in below:
        stderr.write(f"below target: {line}\n")
    return EXIT_BELOW_TARGET if below else EXIT_OK


def _config_from(args: argparse.Namespace) -> Config:
    return load_config(args.config) if getattr(args, "config", None) else load_config()


def _run_rules(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .checks import load_policy
    from .checks._selftest import run_selftests

    policy = load_policy(_config_from(args))
    if args.rules_command == "list":
        _emit(rules_text.render_rules_list(policy), None, stdout)
        return EXIT_OK
    if args.rules_command == "explain":
        rule = policy.rule(args.rule)
        if rule is None:
            stderr.write(f"error: no rule {args.rule!r} is loaded (see: ehcp-audit rules list)\n")
            return EXIT_INPUT_ERROR
        _emit(rules_text.render_rule(rule, policy), None, stdout)
        return EXIT_OK
    chosen = [r for r in policy.rules if not args.rule or r.id in args.rule or r.pack in args.rule]
    unknown = [name for name in args.rule if not any(name in (r.id, r.pack) for r in policy.rules)]
    if unknown:
        stderr.write(f"error: no rule or pack named {', '.join(map(repr, unknown))} is loaded\n")
        return EXIT_INPUT_ERROR
    results = run_selftests(chosen, model=args.model)
    _emit(rules_text.render_selftest(results), None, stdout)
    return EXIT_BELOW_TARGET if any(not r.ok for r in results) else EXIT_OK


def _run_config(args: argparse.Namespace, stdout: TextIO) -> int:
    from .checks import load_policy

    config = _config_from(args)
    _emit(rules_text.render_config(config, load_policy(config)), None, stdout)
    return EXIT_OK


def _report_config_error(
    error: ConfigError, args: argparse.Namespace, stdout: TextIO, stderr: TextIO
) -> int:
    stderr.write(f"error: {error.code}: {error.message}\n")
    if args.command == "check" and getattr(args, "format", "text") == "json":
        _emit(json.dumps(error_dict(error, None, None), indent=2), None, stdout)  # not to -o
    return EXIT_INPUT_ERROR


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Entry point of the console script; returns the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        try:
            return _dispatch(args, parser, out, err)
        except ConfigError as error:
            return _report_config_error(error, args, out, err)
    except OutputError as error:
        where = error.path or getattr(args, "output", None)
        err.write(f"error: {where}: {error.code}: {error.message}\n")
        return EXIT_INPUT_ERROR


def _dispatch(
    args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO, err: TextIO
) -> int:
    if args.command == "eval":
        return _run_eval(args, parser, out, err)
    if args.command == "rules":
        return _run_rules(args, out, err)
    if args.command == "config":
        return _run_config(args, out)
    if args.command == "batch":
        return _run_batch(args, out, err)
    if args.command == "compare":
        return _run_compare(args, out, err)
    if args.command == "annotate":
        return _run_annotate(args, parser, out, err)
    if args.command == "serve":
        return _run_serve(args, out, err)
    if args.command == "check":
        return _run_check(args, parser, out, err)
    path = _resolve_file(args, parser)
    if getattr(args, "output", None):
        _check_output(args.output, path)
    config = _config_from(args)
    try:
        result = audit(path, limits=_limits_from(args), model=args.model, config=config)
    except InputError as error:
        return _report_error(path, error, args, out, err)
    if args.command == "explain":
        from .checks import load_policy

        numbers = args.principle or list(range(1, 7))
        _emit(rules_text.render_explain(result, load_policy(config), numbers), None, out)
    else:
        _emit(text_report.render_sections(result), None, out)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
