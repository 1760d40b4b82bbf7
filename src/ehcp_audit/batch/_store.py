"""The batch's memory: an SQLite database in OUTDIR (``audit.sqlite``).

Every plan's record is committed in its own transaction the moment it
arrives, so a run stopped at any point (Ctrl-C, a killed process, a power
cut) keeps every plan already audited; the next run reads them back instead
of auditing again. The database is in WAL mode: a reader (``compare``, an
export) never blocks the writer.

A result is found again by its **key**: the content's SHA-256 together with
the tool's version, the hash of the rules and scoring in force (with any
extra rule folders a configuration adds) and a fingerprint of the options
that change a record (limits, model, redaction). Change any of these and the
plan is audited afresh; rename or copy a file and it is not.

Tables:

- ``results``: one row per key: the record (JSON without its per-file
  ``batch`` block, zlib-compressed: about a sixth of the size, for a few
  milliseconds a plan), its status (``audited`` or the error code), when and in
  which run it was audited, how long it took and how many times this key
  has been audited (``audits``: more than 1 only when a plan stopped by its
  time or memory limit was tried again under other limits).
- ``runs``: one row per run: when it started and finished (NULL: stopped),
  how many files it found, audited and reused.
- ``files``: per run, each file found, in order: its name, path, hash, key,
  the file it duplicates, and the error document when it could not even be
  read for hashing.

Read API (for ``compare`` and other tools): :func:`open_store` on an OUTDIR,
then :meth:`Store.records` (the latest run's records, each with its
``batch`` block) and :meth:`Store.runs`.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from .._errors import OutputError

__all__ = ["DB_NAME", "FileRow", "RunInfo", "Store", "Stored", "open_store"]

DB_NAME = "audit.sqlite"
STORE_VERSION = 1
_ZLIB_LEVEL = 3  # level 6 saves another 15% for two and a half times the time

#: Executor failures that depend on the limits as well as the plan: kept, but
#: only reused by a run with the same time and memory limits.
LIMIT_FAILURES = frozenset({"timeout", "out_of_memory", "crashed"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    record BLOB NOT NULL,
    run INTEGER NOT NULL,
    audited_at REAL NOT NULL,
    seconds REAL,
    peak_mb REAL,
    limits TEXT,
    names TEXT,
    audits INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    files INTEGER NOT NULL DEFAULT 0,
    audited INTEGER NOT NULL DEFAULT 0,
    reused INTEGER NOT NULL DEFAULT 0,
    context TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    run INTEGER NOT NULL,
    position INTEGER NOT NULL,
    file TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    key TEXT,
    duplicate_of TEXT,
    error TEXT,
    PRIMARY KEY (run, position)
);
"""


@frozen
class FileRow:
    """One file of a run, as the store keeps it."""

    file: str
    path: str
    sha256: str | None
    key: str | None
    duplicate_of: str | None
    error: dict[str, Any] | None


@frozen(eq=False)
class Stored:
    """One stored result: the record without its ``batch`` block, and that block's columns."""

    body: dict[str, Any]
    seconds: float
    peak_mb: float | None
    names: list[str] | None
    #: The body's JSON text as stored, when at hand (a record just stored), so that the
    #: exports need not encode the same 200 KB again (:func:`record_line`).
    body_json: str | None = None

    def record_for(self, row: FileRow, index: int) -> dict[str, Any]:
        """The record of ``row``, the ``index``-th file (from 0) found with this content.

        ``source.path`` is that file's own path and the ``batch`` block names
        it, so a duplicate reads as itself; with redacted ``names`` both come
        from them.
        """
        file, path, duplicate_of = row.file, row.path, row.duplicate_of
        if self.names:
            file = path = self.names[min(index, len(self.names) - 1)]
            duplicate_of = self.names[0] if index else None
        record = dict(self.body)
        record["source"] = {**record.get("source", {}), "path": path}
        return with_batch(record, file, duplicate_of, self.seconds, self.peak_mb)


def with_batch(
    record: dict[str, Any],
    file: str,
    duplicate_of: str | None,
    seconds: float,
    peak_mb: float | None,
) -> dict[str, Any]:
    record["batch"] = {
        "file": file,
        "duplicate_of": duplicate_of,
        "seconds": seconds,
        "peak_mb": peak_mb,
    }
    return record


@frozen
class RunInfo:
    """One run: when it started and finished (None: it was stopped), and its counts."""

    id: int
    started: float
    finished: float | None
    files: int
    audited: int
    reused: int
    context: dict[str, Any]


class Store:
    """An open ``audit.sqlite``; use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            else:
                self._db = sqlite3.connect(path, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
                self._check_version()
            self._db.execute("PRAGMA busy_timeout=10000")
        except sqlite3.Error as exc:
            raise OutputError(f"{path}: the batch database cannot be opened ({exc})") from None

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE name='store_version'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('store_version', ?)", (str(STORE_VERSION),))
        elif row[0] != str(STORE_VERSION):
            raise OutputError(
                f"{self.path}: made by another version of ehcp-audit's batch "
                f"(store {row[0]}, this one reads {STORE_VERSION}); use a new --out folder"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- writing (the batch run) ------------------------------------------------

    def start_run(self, context: dict[str, Any], files: Sequence[FileRow]) -> int:
        """Record a new run and the files it found, in one transaction; return its id."""
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO runs (started, files, context) VALUES (?, ?, ?)",
                (time.time(), len(files), json.dumps(context, sort_keys=True)),
            )
            run = int(cursor.lastrowid or 0)
            self._db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run,
                        position,
                        row.file,
                        row.path,
                        row.sha256,
                        row.key,
                        row.duplicate_of,
                        None if row.error is None else json.dumps(row.error),
                    )
                    for position, row in enumerate(files)
                ],
            )
        return run

    def cached(self, keys: Sequence[str], limits: str) -> set[str]:
        """The keys already stored (an executor failure counts only under the same limits)."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, status, limits FROM results WHERE key IN ({marks})",
                chunk,
            )
            found.update(
                key for key, status, kept in rows if status not in LIMIT_FAILURES or kept == limits
            )
        return found

    def put(self, key: str, run: int, record: dict[str, Any], limits: str) -> Stored:
        """Store one plan's record (its ``batch`` block's timings go in columns), committed now.

        Returns what was stored, for a caller that exports it without reading it back.
        """
        batch = record.get("batch") or {}
        body = {k: v for k, v in record.items() if k != "batch"}
        error = body.get("error")
        status = error.get("code", "error") if isinstance(error, dict) else "audited"
        sha = (body.get("source") or {}).get("sha256") or ""
        text = _encode(body)
        with self._transaction():
            self._db.execute(
                "INSERT INTO results (key, sha256, status, record, run, audited_at, seconds,"
                " peak_mb, limits, names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET sha256=excluded.sha256, status=excluded.status,"
                " record=excluded.record, run=excluded.run, audited_at=excluded.audited_at,"
                " seconds=excluded.seconds, peak_mb=excluded.peak_mb, limits=excluded.limits,"
                " names=excluded.names,"
                " audits=results.audits + 1",
                (
                    key,
                    sha,
                    status,
                    zlib.compress(text.encode("utf-8"), _ZLIB_LEVEL),
                    run,
                    time.time(),
                    batch.get("seconds"),
                    batch.get("peak_mb"),
                    limits,
                    json.dumps(batch["names"]) if batch.get("names") else None,
                ),
            )
            self._db.execute("UPDATE runs SET audited = audited + 1 WHERE id = ?", (run,))
        seconds = batch.get("seconds") or 0.0
        return Stored(body, seconds, batch.get("peak_mb"), batch.get("names"), text)

    def set_file_error(self, run: int, file: str, error: dict[str, Any]) -> None:
        """Give one file of a run an error document of its own (it is not stored as a result)."""
        with self._transaction():
            self._db.execute(
                "UPDATE files SET error = ? WHERE run = ? AND file = ?",
                (json.dumps(error), run, file),
            )

    def finish_run(self, run: int, reused: int) -> None:
        with self._transaction():
            self._db.execute(
                "UPDATE runs SET finished = ?, reused = ? WHERE id = ?", (time.time(), reused, run)
            )

    def set_meta(self, name: str, value: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO meta VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    # -- reading ----------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first."""
        rows = self._db.execute(
            "SELECT id, started, finished, files, audited, reused, context FROM runs ORDER BY id"
        )
        return [
            RunInfo(
                id=run,
                started=started,
                finished=finished,
                files=files,
                audited=audited,
                reused=reused,
                context=json.loads(context),
            )
            for run, started, finished, files, audited, reused, context in rows
        ]

    def latest_run(self) -> RunInfo | None:
        runs = self.runs()
        return runs[-1] if runs else None

    def files(self, run: int | None = None) -> list[FileRow]:
        """The files of a run (default: the latest), in the order found."""
        run = self._run_id(run)
        rows = self._db.execute(
            "SELECT file, path, sha256, key, duplicate_of, error FROM files"
            " WHERE run = ? ORDER BY position",
            (run,),
        )
        return [
            FileRow(f, p, s, k, d, None if e is None else json.loads(e))
            for f, p, s, k, d, e in rows
        ]

    def statuses(self, run: int | None = None) -> list[str | None]:
        """Each file's status in a run, in order: ``audited``, an error code, or None (not yet)."""
        rows = self._db.execute(
            "SELECT files.error, results.status FROM files LEFT JOIN results"
            " ON results.key = files.key WHERE files.run = ? ORDER BY files.position",
            (self._run_id(run),),
        )
        return [json.loads(e)["error"]["code"] if e else status for e, status in rows]

    def results(self) -> list[dict[str, Any]]:
        """Every stored result's bookkeeping (key, sha256, status, run, audited_at, audits)."""
        rows = self._db.execute(
            "SELECT key, sha256, status, run, audited_at, seconds, audits FROM results ORDER BY key"
        )
        names = ("key", "sha256", "status", "run", "audited_at", "seconds", "audits")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def records(self, run: int | None = None) -> list[dict[str, Any]]:
        """The run's records (default: the latest run), one per file, in the order found.

        Each carries its ``batch`` block (file, duplicate_of, seconds, peak_mb)
        and ``source.path`` is that file's own path, so a duplicate reads as
        itself. A file whose plan has no stored result yet (a run that was
        stopped) is left out.
        """
        return list(self.iter_records(run))

    def iter_records(self, run: int | None = None) -> Iterator[dict[str, Any]]:
        """:meth:`records`, one at a time."""
        for _, record in self.iter_rows(run):
            yield record

    def iter_rows(
        self, run: int | None = None, known: Mapping[str, Stored] | None = None
    ) -> Iterator[tuple[FileRow, dict[str, Any]]]:
        """Each file of a run with its record, as :meth:`records` gives them.

        ``known`` holds results by key that the caller already has (a run's
        own, as :meth:`put` returned them): those are not read back and
        decompressed. In a run with ``--redact`` the file names come from the
        stored result (redacted in the worker, which knew the plan's names),
        never from the ``files`` table, which holds only stand-ins there.
        """
        seen: dict[str, int] = {}
        for row in self.files(run):
            if row.error is not None:
                yield row, with_batch(dict(row.error), row.file, row.duplicate_of, 0.0, None)
                continue
            stored = (known or {}).get(row.key or "") or self._stored(row.key or "")
            if stored is None:
                continue
            index = seen[row.key or ""] = seen.get(row.key or "", -1) + 1
            yield row, stored.record_for(row, index)

    def _stored(self, key: str) -> Stored | None:
        found = self._db.execute(
            "SELECT record, seconds, peak_mb, names FROM results WHERE key = ?", (key,)
        ).fetchone()
        if found is None:
            return None
        names = json.loads(found[3]) if found[3] else None
        return Stored(_unpack(found[0]), found[1] or 0.0, found[2], names)

    def audited_at(self, key: str) -> float | None:
        row = self._db.execute("SELECT audited_at FROM results WHERE key = ?", (key,)).fetchone()
        return None if row is None else float(row[0])

    def _run_id(self, run: int | None) -> int:
        if run is not None:
            return run
        row = self._db.execute("SELECT MAX(id) FROM runs").fetchone()
        return int(row[0]) if row and row[0] is not None else -1

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


def _encode(record: Any) -> str:
    """JSON text as stored and as ``results.jsonl`` writes it (a record, or one of its values)."""
    return json.dumps(record, ensure_ascii=False)


def record_line(stored: Stored, record: Mapping[str, Any]) -> str:
    """``record``'s JSON text (``json.dumps`` of it), made from the stored body's text.

    ``record`` is :meth:`Stored.record_for`'s: the body with its ``source``
    replaced and a ``batch`` block added last. Encoding a 200 KB record twice
    (once to store it, once for ``results.jsonl``) was a fifth of the batch's
    own work per plan, so the stored text is reused: the top-level ``source``
    object is swapped, exactly where the encoded keys before it end (or the
    record is encoded after all), and the batch block appended. Without the
    stored text, the record is encoded.
    """
    text = stored.body_json
    source = stored.body.get("source")
    if text is None or not isinstance(source, dict) or not text.endswith("}"):
        return _encode(record)
    # The top-level "source" is where the keys before it end: spliced there or nowhere.
    before = list(itertools.takewhile(lambda key: key != "source", stored.body))
    head = "{" + "".join(f"{_encode(k)}: {_encode(stored.body[k])}, " for k in before)
    old = '"source": ' + _encode(source)
    at = len(head)
    if not text.startswith(head + old):
        return _encode(record)
    new = '"source": ' + _encode(record.get("source", source))
    tail = {k: v for k, v in record.items() if k not in stored.body}
    extra = "".join(f", {_encode(k)}: {_encode(v)}" for k, v in tail.items())
    return text[:at] + new + text[at + len(old) : -1] + extra + "}"


def _unpack(blob: bytes) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(zlib.decompress(blob))
    return record


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *_: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def store_path(outdir: str | os.PathLike[str]) -> Path:
    return Path(outdir) / DB_NAME


def open_store(outdir: str | os.PathLike[str], *, readonly: bool = True) -> Store:
    """The batch database of an OUTDIR, read-only by default.

    Raises :class:`~ehcp_audit._errors.OutputError` when OUTDIR holds none
    (it is not the output folder of ``ehcp-audit batch``).
    """
    path = store_path(outdir)
    if readonly and not path.is_file():
        raise OutputError(f"{outdir}: no {DB_NAME} here; is this a batch's --out folder?")
    return Store(path, readonly=readonly)
