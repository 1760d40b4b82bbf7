"""The audit pipeline: source -> bytes -> Document -> sections -> PlanAudit.

This module only wires the stages together; each stage lives in its own
module and knows nothing of the ones after it. ``audit`` is pure in the
sense that matters for batches and services: the same bytes and settings
give the same result, and nothing is written or sent anywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ._errors import InputError, NotAFile, NotAnEhcp, TextNotPath, TooLarge, Unreadable
from ._limits import DEFAULT_LIMITS, Limits
from ._model import SECTION_CODES, Document, PlanAudit, SourceFormat, SourceInfo

if TYPE_CHECKING:
    from ._config import Config

#: What ``read`` and ``audit`` accept: a path, the file's bytes, or an open binary file.
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

#: A plan must show at least this many statutory sections to be audited as an EHCP.
MIN_SECTIONS_FOR_EHCP = 3
#: A str longer than this cannot be a path (Linux's PATH_MAX): it is text.
_MAX_PATH_CHARS = 4096


def load_bytes(source: Source, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, str | None]:
    """Return the source's bytes and its path (if it has one), without modifying it.

    Reads at most one byte past the limit, so a huge file is refused without
    being loaded whole. A path must name a regular file (see
    :func:`_read_regular_file`).
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        path = None
    elif isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        if isinstance(source, str):
            _refuse_text(source)
        data = _read_regular_file(path, limits.max_bytes)
    elif hasattr(source, "read"):
        data = source.read(limits.max_bytes + 1)
        if not isinstance(data, bytes):
            raise TypeError("open the file in binary mode ('rb') before passing it to ehcp_audit")
        path = getattr(source, "name", None)
        path = path if isinstance(path, str) else None
    else:
        raise TypeError(
            f"cannot audit a {type(source).__name__}: pass a path, bytes or a binary file"
        )
    if len(data) > limits.max_bytes:
        raise TooLarge(f"the file is over the {limits.max_bytes / 1048576:.0f} MiB limit")
    return data, path


def _refuse_text(source: str) -> None:
    """Refuse a str that is a plan's text rather than a path, naming the call to use instead.

    A str is a path unless it names no file and holds a line break (no
    sensible file name does) or is longer than any path can be.
    """
    if "\n" not in source and len(source) <= _MAX_PATH_CHARS:
        return
    try:
        if os.path.isfile(source):
            return
    except (OSError, ValueError):
        pass
    why = "holds a line break" if "\n" in source else f"is {len(source):,} characters long"
    raise TextNotPath(
        f"audit() takes a path, bytes or a binary file; it was given a str that {why}, "
        "which looks like the plan's text rather than a file name: use "
        "ehcp_audit.audit_text(text) for text, or pass pathlib.Path(name) for a file"
    )


#: Open flags for plans: never block (a FIFO swapped in after ``stat``), never
#: become a controlling terminal, binary on Windows.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_READ_CHUNK = 1 << 20

_NOT_FILES = (
    (stat.S_ISDIR, "this is a folder, not a file"),
    (stat.S_ISFIFO, "this is a pipe (FIFO), not a file: save the plan to a file and audit that"),
    (stat.S_ISSOCK, "this is a socket, not a file"),
    (stat.S_ISCHR, "this is a device, not a file"),
    (stat.S_ISBLK, "this is a device, not a file"),
)


def _require_regular(mode: int) -> None:
    for test, message in _NOT_FILES:
        if test(mode):
            raise NotAFile(message)
    if not stat.S_ISREG(mode):
        raise NotAFile("this is not a regular file")


def _read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``: at most ``limit + 1`` of them, read once.

    A FIFO or pipe would block ``open()`` until a writer came, a device can
    stream for ever and a folder has no bytes, so ``os.stat`` refuses them
    before any open. The open itself is non-blocking and ``fstat`` checks the
    file again, so one swapped in between the two cannot hang it either. Reads
    go in chunks: ``read(limit + 1)`` would allocate the whole limit up front.
    """
    try:
        _require_regular(os.stat(path).st_mode)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(exc) from None
    except ValueError:  # a NUL in the path
        raise Unreadable("the file name is not valid") from None
    try:
        info = os.fstat(fd)
        _require_regular(info.st_mode)
        if info.st_size > limit:
            raise TooLarge(f"the file is over the {limit / 1048576:.0f} MiB limit")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(max(info.st_size + 1, _READ_CHUNK), limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _unreadable(exc: OSError) -> Unreadable:
    if isinstance(exc, FileNotFoundError):
        return Unreadable("the file does not exist")
    if isinstance(exc, PermissionError):
        return Unreadable("permission to read the file was refused")
    if isinstance(exc, IsADirectoryError):
        return NotAFile("this is a folder, not a file")
    if isinstance(exc, NotADirectoryError):
        return Unreadable("the path goes through a file as if it were a folder")
    return Unreadable(f"the file could not be read ({exc.strerror or type(exc).__name__})")


def read(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a plan (DOCX, PDF or text) into a :class:`Document`.

    Unfilled template prompts are flagged on the blocks (``placeholder``).
    Raises an :class:`~ehcp_audit.InputError` subclass for input that cannot
    be read; never any other exception for bad bytes.
    """
    data, _ = load_bytes(source, limits)
    with _naming(data):
        return _document(data, limits)


@contextlib.contextmanager
def _naming(data: bytes) -> Iterator[None]:
    """Label an input error with the hash and format of the bytes it refused.

    An error report can then name them without reading the source again (a
    second read of a pipe blocks, and a file may have changed in between).
    """
    try:
        yield
    except InputError as error:
        if error.sha256 is None:
            from .readers import detect_format

            error.sha256 = hashlib.sha256(data).hexdigest()
            with contextlib.suppress(InputError):
                error.format = detect_format(data)
        raise


def _document(data: bytes, limits: Limits, fmt: SourceFormat | None = None) -> Document:
    """The bytes read into a Document, with unfilled template prompts flagged."""
    from ._placeholders import mark_placeholders
    from .readers import read_bytes

    return mark_placeholders(read_bytes(data, limits, fmt))


def audit(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    extra_variants: Mapping[str, Sequence[str]] | None = None,
    model: str | None = None,
    config: Config | None = None,
) -> PlanAudit:
    """Audit one plan and return everything found, with locations, findings and ratings.

    ``source`` is a path (str or :class:`~pathlib.Path`), the file's bytes or
    a binary file. A plan's *text* goes to :func:`audit_text`: a str holding
    a line break that names no file is refused with
    :class:`~ehcp_audit.TextNotPath`, which says so.

    ``extra_variants`` adds section-heading variants for a council's own
    template (code -> headings), without editing the installed rule data.
    ``model`` names an installed trained spaCy pipeline used only to sharpen
    voice attribution (default: ``EHCP_AUDIT_MODEL``, else none).
    ``config`` is the settings in force (:func:`~ehcp_audit.load_config`);
    None discovers them from the current folder. The rules and scoring
    policy load (and are checked) before the plan is read, so a broken
    rule file is a :class:`~ehcp_audit.ConfigError` whatever the plan.
    """
    return _audit(source, None, limits, extra_variants, model, config)


def audit_text(
    text: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    extra_variants: Mapping[str, Sequence[str]] | None = None,
    model: str | None = None,
    config: Config | None = None,
) -> PlanAudit:
    """Audit a plan given as text (plain text or Markdown), with the options of :func:`audit`.

    The text is read as a text plan whatever it starts with, and
    ``result.source.path`` is None. Headings are recognised as in a text
    file: a Markdown ``#`` heading, or a line that is a section's heading
    ("Section A: ...").

    >>> import ehcp_audit
    >>> plan = '''
    ... ## Section A: Views, interests and aspirations
    ... I like football. My favourite team is Rovers.
    ... ## Section B: Special educational needs
    ... Sam finds it hard to follow long instructions.
    ... ## Section F: Special educational provision
    ... A teaching assistant will give Sam 20 minutes of language work three times a week.
    ... '''
    >>> result = ehcp_audit.audit_text(plan)
    >>> [section.code for section in result.sections]
    ['A', 'B', 'F']
    >>> sorted({cue.kind for cue in result.cues if cue.section == "A"})
    ['child_voice']
    >>> no_outcomes = next(f for f in result.findings if f.rule == "statutory.SectionE")
    >>> isinstance(no_outcomes, ehcp_audit.Finding), no_outcomes.passed
    (True, False)
    >>> ehcp_audit.audit_text(42)
    Traceback (most recent call last):
    ...
    TypeError: audit_text() takes the plan's text as a str, not int: for a file, use audit(path)
    """
    if not isinstance(text, str):
        raise TypeError(
            f"audit_text() takes the plan's text as a str, not {type(text).__name__}: "
            "for a file, use audit(path)"
        )
    data = text.encode("utf-8", errors="replace")
    return _audit(data, SourceFormat.TEXT, limits, extra_variants, model, config)


def _audit(
    source: Source,
    fmt: SourceFormat | None,
    limits: Limits,
    extra_variants: Mapping[str, Sequence[str]] | None,
    model: str | None,
    config: Config | None,
) -> PlanAudit:
    """:func:`audit` and :func:`audit_text`: the policy first, then the plan, then the rules."""
    from ._config import load_config
    from .checks import apply_policy, load_policy

    settings = load_config() if config is None else config
    policy = load_policy(settings)
    variants = settings.merged_variants(extra_variants)
    plan = analyse(
        source,
        limits=limits,
        extra_variants=variants,
        model=model,
        fmt=fmt,
        lexicon_dirs=settings.lexicon_dirs,
    )
    return apply_policy(plan, policy)


def analyse(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    extra_variants: Mapping[str, Sequence[str]] | None = None,
    model: str | None = None,
    fmt: SourceFormat | None = None,
    lexicon_dirs: Sequence[Path] = (),
) -> PlanAudit:
    """Read, sectionize and find the cues of one plan: everything before the rules run.

    The rules' own self-tests use this on their synthetic plans, so that a
    rule is tested alone rather than through the whole policy. ``fmt``
    forces a format (default: detected from the bytes); ``lexicon_dirs``
    are folders of word lists added to the shipped lexicons (default none).
    The lexicons are checked before the plan is read.
    """
    from .nlp._lexicon import use_lexicon_dirs

    use_lexicon_dirs(lexicon_dirs)
    data, path = load_bytes(source, limits)
    with _naming(data):
        return _analysed(data, path, limits, extra_variants, model, fmt)


def _analysed(
    data: bytes,
    path: str | None,
    limits: Limits,
    extra_variants: Mapping[str, Sequence[str]] | None,
    model: str | None,
    fmt: SourceFormat | None = None,
) -> PlanAudit:
    """:func:`analyse` once the bytes are in hand."""
    from .details import parse_details
    from .nlp import build_pipeline, model_name
    from .nlp._lexicon import active_lexicon_dirs
    from .nlp._metrics import section_metrics
    from .nlp._pipeline import extract_cues
    from .sections import sectionize

    document = _document(data, limits, fmt)
    sectioning = sectionize(document, extra_variants)
    found = [s for s in sectioning.sections if s.code in SECTION_CODES]
    if len(found) < MIN_SECTIONS_FOR_EHCP:
        raise NotAnEhcp(
            f"only {len(found)} EHCP section(s) were recognised (at least {MIN_SECTIONS_FOR_EHCP} "
            "of A-K are needed); this does not look like an Education, Health and Care Plan. "
            "If it is one, add its headings to the configuration's section variants."
        )
    details = parse_details(document, sectioning)
    nlp = build_pipeline(model_name(model), active_lexicon_dirs())
    return PlanAudit(
        source=SourceInfo(
            path=path,
            sha256=document.sha256 or hashlib.sha256(data).hexdigest(),
            format=document.format,
            pages=document.pages,
        ),
        document=document,
        sections=sectioning.sections,
        details=details,
        missing_sections=sectioning.missing,
        unfilled_fields=sectioning.unfilled,
        row_links=sectioning.row_links,
        cues=extract_cues(sectioning.sections, details, nlp),
        metrics=section_metrics(sectioning.sections, nlp),
    )


def display_path(path: str | None) -> str:
    """The path as the user gave it, or ``<bytes>`` for in-memory input."""
    return str(Path(path)) if path else "<bytes>"
