"""One batch run: discover, hash, skip what is stored, audit the rest, export.

The order matters for resuming. Every file is hashed and the run's file list
committed before any audit starts; each audited plan is committed the moment
its record arrives; the exports are made last, from the database alone. A run
stopped anywhere leaves a database the next run simply continues from: only
plans with no stored result under the current key are audited.

The key joins the content's SHA-256 with everything else that shapes a
record (:func:`key_context`): the tool version, the built-in rules' hash, the
configuration's rule settings and the bytes of its extra rule folders and
scoring file, the limits, the model and whether records are redacted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any, TextIO

from attrs import asdict, field, fields, frozen

from .._config import Config
from .._errors import EhcpAuditError, InputError, OutputError
from .._limits import DEFAULT_LIMITS, Limits
from ._discover import Found, discover
from ._exports import ExportOptions, Prepared, exports_present, prepare, write_exports
from ._store import DB_NAME, FileRow, Store, Stored, record_line, store_path
from ._task import WORKER_MODULES, PlanTask, audit_task, batch_block, warm_up

__all__ = ["BatchOptions", "BatchResult", "key_context", "run_batch"]

#: The lock file a run holds in OUTDIR (see :func:`_only_run`).
LOCK_NAME = "audit.lock"

#: The store's note of the state the exports in OUTDIR were last written from.
EXPORTS_MARK = "exports"

#: The error code of a plan whose file changed (or went) between hashing and auditing.
CHANGED = "changed"


@frozen
class BatchOptions:
    """Everything a run needs besides the paths.

    ``target`` and the fields from ``organisation`` on are handed to the
    exports (:class:`~._exports.ExportOptions`, by name). ``target`` None takes
    the configuration's (else the scoring policy's, else 0.9).
    ``compare_with`` is an earlier round's OUTDIR: the report then shows how
    the share and each principle moved since. ``jobs`` None means one worker
    per core. ``model`` is the resolved model name (``EHCP_AUDIT_MODEL``
    already applied by the caller).
    """

    outdir: Path = field(converter=Path)
    config: Config = field(factory=Config)
    limits: Limits = DEFAULT_LIMITS
    model: str | None = None
    redact: bool = False
    target: float | None = None
    jobs: int | None = None
    time_limit: float = 120.0
    memory_limit_mb: int = 2048
    executor: str = "local"
    scheduler: str | None = None
    organisation: str = ""
    service_area: str = ""
    auditor: str = ""
    forms: bool = True
    html: bool = True
    compare_with: str | None = None


@frozen
class BatchResult:
    """What a run did: files found, unique plans, audited now, reused from the store, errors."""

    run: int
    files: int
    plans: int
    audited: int
    reused: int
    errors: int
    seconds: float
    summary: dict[str, Any]


def key_context(options: BatchOptions) -> dict[str, Any]:
    """Everything besides the content that a stored record depends on (JSON-ready)."""
    from .. import __version__
    from .._resources import rules_sha256

    config = options.config
    return {
        "tool": __version__,
        "rules_sha256": rules_sha256(),
        "config": {
            "select": list(config.select),
            "ignore": list(config.ignore),
            "levels": [list(pair) for pair in config.levels],
            "sections": [[code, list(v)] for code, v in config.sections],
            "rule_dirs": [_folder_hash(folder) for folder in config.rule_dirs],
            "lexicon_dirs": [_folder_hash(folder) for folder in config.lexicon_dirs],
            "scoring": _file_hash(config.scoring) if config.scoring else None,
        },
        "limits": asdict(options.limits),
        "model": options.model,
        "redact": options.redact,
    }


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _folder_hash(folder: Path) -> str:
    """A hash over every file under an extra rule folder (names and bytes)."""
    digest = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(_file_hash(path).encode() + b"\0")
    return digest.hexdigest()


def _digest(context: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest()


def run_batch(
    paths: Sequence[str],
    options: BatchOptions,
    *,
    progress: TextIO | None = None,
    executor: Any | None = None,
) -> BatchResult:
    """Audit every plan under ``paths`` into ``options.outdir``; return what was done.

    ``progress`` is where the progress bar or lines go (None: none).
    ``executor`` replaces the one ``options`` would make (it is closed here).
    Raises :class:`~ehcp_audit.OutputError` when OUTDIR cannot be used,
    :class:`~ehcp_audit.ConfigError` for a broken configuration and
    FileNotFoundError for a path that does not exist, all before any audit.
    """
    from ..checks import load_policy

    started = time.perf_counter()
    outdir = _prepare(options.outdir)
    if options.compare_with is not None:
        _check_round(Path(options.compare_with))
    found = discover(paths, exclude=[str(outdir)])
    context = key_context(options)
    rows, contents = _hash_all(found, options.limits, _digest(context), redact=options.redact)
    limits_mark = json.dumps([options.time_limit, options.memory_limit_mb])
    pool = _Pool(options, executor)
    with _only_run(outdir), Store(store_path(outdir)) as store, contextlib.closing(pool):
        primaries = [r for r in rows if r.key is not None and r.duplicate_of is None]
        done_keys = store.cached([r.key for r in primaries if r.key], limits_mark)
        todo = [r for r in primaries if r.key not in done_keys]
        if todo:
            pool.start()  # the workers build their pipelines while the rules load here
        policy = load_policy(options.config)  # a broken rule or setting stops the run here
        target = options.target if options.target is not None else policy.target
        shared = {f.name: getattr(options, f.name) for f in fields(ExportOptions)}
        exports = ExportOptions(**{**shared, "target": target})
        run = store.start_run(context, rows)
        fresh = _Fresh(exports)
        audited = _audit(store, run, todo, contents, options, limits_mark, progress, pool, fresh)
        store.finish_run(run, reused=len(primaries) - audited)
        summary = _export(store, run, outdir, exports, pool, fresh)
        errors = sum(1 for status in store.statuses(run) if status != "audited")
    return BatchResult(
        run=run,
        files=len(rows),
        plans=len({r.key for r in rows if r.key is not None}),
        audited=audited,
        reused=len(primaries) - audited,
        errors=errors,
        seconds=time.perf_counter() - started,
        summary=summary,
    )


class _Fresh:
    """The plans audited in this run, kept as they arrive with their exports prepared.

    The exports then neither read these records back from the store nor
    make their rows and forms once the last plan is in: that work is done
    while the workers audit the next plans. (The exports hold every record
    in memory at once in any case, for the summary and the report.)
    """

    def __init__(self, options: ExportOptions) -> None:
        self.options = options
        self.stored: dict[str, Stored] = {}
        self.prepared: dict[str, Prepared] = {}

    def add(self, row: FileRow, stored: Stored) -> None:
        key = row.key or ""
        self.stored[key] = stored
        record = stored.record_for(row, 0)  # the first file found with this content
        line = record_line(stored, record)
        try:
            self.prepared[key] = prepare(record, self.options, line=line)
        except Exception:  # a form that cannot be made here is tried again by the exports
            self.prepared[key] = prepare(record, line=line)

    def records(self, store: Store, run: int) -> list[dict[str, Any] | Prepared]:
        """The run's records in file order, those audited now as prepared."""
        return [
            self.prepared[row.key]
            if row.duplicate_of is None and row.key in self.prepared
            else record
            for row, record in store.iter_rows(run, self.stored)
        ]


def _export(
    store: Store, run: int, outdir: Path, options: ExportOptions, pool: _Pool, fresh: _Fresh
) -> dict[str, Any]:
    """Write the exports from the store, unless they are already those of this very state.

    They are a function of the run's files (names, keys, errors), the stored
    records behind the keys, the export options and the tool version: when
    none of these changed since the exports were last written, and the files
    are all there, they are kept, which makes a re-run over an unchanged
    folder take well under a second or two whatever the number of plans.
    """
    from .. import __version__

    state = [
        [r.file, r.path, r.key, r.duplicate_of, r.error, store.audited_at(r.key) if r.key else None]
        for r in store.files(run)
    ]
    mark = _digest({"files": state, "options": asdict(options), "tool": __version__})
    if store.meta(EXPORTS_MARK) == mark and exports_present(outdir, options):
        try:
            kept = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = None
        if isinstance(kept, dict):
            return kept
    summary = write_exports(outdir, fresh.records(store, run), options, pool.run)
    store.set_meta(EXPORTS_MARK, mark)
    return summary


def _prepare(outdir: Path) -> Path:
    """OUTDIR, made if missing (its parent must exist), checked to be a writable folder."""
    try:
        outdir.mkdir(exist_ok=True)
    except FileExistsError:
        raise _output_error(outdir, "this is a file: name a folder for the outputs") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _output_error(outdir, f"the output folder cannot be made ({reason})") from None
    if not outdir.is_dir():
        raise _output_error(outdir, "this is a file: name a folder for the outputs")
    if not os.access(outdir, os.W_OK | os.X_OK):
        raise _output_error(outdir, "the output folder cannot be written to")
    return outdir


@contextlib.contextmanager
def _only_run(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR's lock for the run: two batches writing one folder would mix their exports.

    An advisory ``flock`` on ``OUTDIR/audit.lock``, released by the system
    however the process ends (so a killed run never leaves it held). Where
    the platform has no ``flock`` (Windows) the run goes ahead unguarded.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        handle = open(outdir / LOCK_NAME, "a")  # noqa: SIM115 - held for the whole run
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _output_error(outdir, f"the output folder cannot be written to ({reason})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise _output_error(
                outdir, "another batch is writing into this folder; wait for it to finish"
            ) from None
        yield


def _check_round(outdir: Path) -> None:
    """Refuse, before any audit, an earlier round's OUTDIR that holds no batch results."""
    if not ((outdir / DB_NAME).is_file() or (outdir / "results.jsonl").is_file()):
        raise _output_error(outdir, "no earlier batch results here to compare with")


def _output_error(outdir: Path, message: str) -> OutputError:
    error = OutputError(message)
    error.path = str(outdir)
    return error


@frozen
class _Content:
    """One content to audit: the file to read (the first found with it) and every name it has."""

    path: str
    names: tuple[str, ...]


def _hash_all(
    found: Sequence[Found], limits: Limits, context: str, *, redact: bool = False
) -> tuple[list[FileRow], dict[str, _Content]]:
    """Each file's row (hash, key, the first file with its content), and each key's content.

    Each file is read once (regular files only). One that cannot be read at
    all (gone, refused, too large) gets its error document now: there is
    nothing to send to a worker. With ``redact`` the rows hold stand-ins
    (``plan-<hash>``), never a file name, which may name a child: the real
    names go to the worker with the plan and come back redacted; and the names
    are part of the key, so a renamed file is audited (and redacted) again.
    """
    from .._audit import _read_regular_file
    from ..reports.json import error_dict

    hashed: list[tuple[Found, str | InputError]] = []
    names: dict[str, list[str]] = {}
    for item in found:
        try:
            sha = hashlib.sha256(_read_regular_file(item.path, limits.max_bytes)).hexdigest()
        except InputError as error:
            hashed.append((item, error))
            continue
        hashed.append((item, sha))
        names.setdefault(sha, []).append(item.file)
    rows = []
    by_key: dict[str, _Content] = {}
    for position, (item, outcome) in enumerate(hashed):
        suffix = PurePath(item.file).suffix
        if isinstance(outcome, InputError):
            name = f"file-{position + 1}{suffix}" if redact else item.path
            document = error_dict(outcome, name, None)
            rows.append(FileRow(name if redact else item.file, name, None, None, None, document))
            continue
        sha = outcome
        same = names[sha]
        salt = "\0".join(same) if redact else ""
        key = hashlib.sha256(f"{sha}\0{context}\0{salt}".encode()).hexdigest()
        index = same.index(item.file)
        if not index:
            by_key[key] = _Content(item.path, tuple(same))
        if redact:
            stand_in = f"plan-{sha[:12]}"
            file = f"{stand_in}-{index + 1}{suffix}" if index else f"{stand_in}{suffix}"
            first = f"{stand_in}{suffix}" if index else None
            rows.append(FileRow(file, file, sha, key, first, None))
        else:
            rows.append(FileRow(item.file, item.path, sha, key, same[0] if index else None, None))
    return rows, by_key


class _Pool:
    """The run's executor, made only when there is work for it, closed once at the end.

    One pool serves the audits and then the audit forms, so workers that
    have built the pipeline are not started twice.
    """

    def __init__(self, options: BatchOptions, executor: Any | None) -> None:
        self._options = options
        self._executor = executor

    def start(self) -> None:
        """Start the workers now, so they warm up while the caller works.

        The local executor's ``start`` returns at once; another executor is
        started by an empty run.
        """
        starter = getattr(self._make(), "start", None)
        if callable(starter):
            starter()
            return
        for _ in self.run(_nothing, ()):
            pass

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        return self._make().run(fn, tasks)  # type: ignore[no-any-return]

    def _make(self) -> Any:
        if self._executor is None:
            from ._executors import make_executor

            options = self._options
            config = _config_path(options)
            self._executor = make_executor(
                options.executor,
                jobs=options.jobs,
                time_limit=options.time_limit,
                memory_limit_mb=options.memory_limit_mb,
                scheduler=options.scheduler,
                initializer=functools.partial(warm_up, config, options.model),
                preload=WORKER_MODULES,
            )
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()


def _nothing(_: object) -> None:  # pragma: no cover - never called: it has no tasks
    return None


def _config_path(options: BatchOptions) -> str | None:
    return str(options.config.path) if options.config.path is not None else None


def _audit(
    store: Store,
    run: int,
    todo: Sequence[FileRow],
    contents: Mapping[str, _Content],
    options: BatchOptions,
    limits_mark: str,
    progress: TextIO | None,
    pool: _Pool,
    fresh: _Fresh,
) -> int:
    """Audit ``todo`` in the pool, committing each record as it comes; return the count."""
    if not todo:
        return 0
    config = _config_path(options)
    tasks = {
        PlanTask(
            path=os.path.abspath(contents[row.key or ""].path),  # a Dask worker's folder differs
            file=contents[row.key or ""].names[0],
            limits=options.limits,
            config=config,
            model=options.model,
            redact=options.redact,
            sha256=row.sha256,
            names=contents[row.key or ""].names,
        ): row
        for row in todo
    }
    bar = _progress(len(tasks), progress)
    count = 0
    try:
        for done in pool.run(audit_task, list(tasks)):
            task: PlanTask = done.task
            row = tasks[task]
            record: dict[str, Any] = (
                done.value if done.failure is None and done.value else _failure(task, row, done)
            )
            if _changed(record, task):
                store.set_file_error(run, row.file, _changed_error(row))
            else:
                fresh.add(row, store.put(row.key or "", run, record, limits_mark))
                count += 1
            if bar is not None:
                bar.advance()
    finally:
        if bar is not None:
            bar.close()
    return count


def _progress(total: int, stream: TextIO | None) -> Any:
    if stream is None:
        return None
    from ._progress import make_progress

    return make_progress(total, stream, "plans")


def _failure(task: PlanTask, row: FileRow, done: Any) -> dict[str, Any]:
    """The error document for a plan its worker could not finish (time, memory, crash)."""
    from ..reports.json import error_dict

    code = done.failure or "crashed"
    error = EhcpAuditError(done.detail or code.replace("_", " "))
    error.code = code
    record = error_dict(error, row.path, task.sha256)  # a stand-in when redacting
    record["batch"] = batch_block(row.file, 0.0, None)
    return record


def _changed(record: Mapping[str, Any], task: PlanTask) -> bool:
    """True when the worker audited other bytes than the ones hashed (or found none)."""
    sha = (record.get("source") or {}).get("sha256")
    code = (record.get("error") or {}).get("code")
    if code in {"timeout", "out_of_memory", "crashed"}:
        return False
    return sha != task.sha256


def _changed_error(row: FileRow) -> dict[str, Any]:
    from ..reports.json import error_dict

    error = EhcpAuditError(
        "the file changed or went while the batch ran; run the batch again to audit it"
    )
    error.code = CHANGED
    return error_dict(error, row.path, row.sha256)
