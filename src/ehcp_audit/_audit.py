"""The audit pipeline: source -> bytes -> Document -> sections -> PlanAudit.

This module only wires the stages together; each stage lives in its own
module and knows nothing of the ones after it. ``audit`` is pure in the
sense that matters for batches and services: the same bytes and settings
give the same result, and nothing is written or sent anywhere.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ._errors import NotAnEhcp, TooLarge, Unreadable
from ._limits import DEFAULT_LIMITS, Limits
from ._model import SECTION_CODES, Document, PlanAudit, SourceInfo

if TYPE_CHECKING:
    from ._config import Config

#: What ``read`` and ``audit`` accept: a path, the file's bytes, or an open binary file.
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

#: A plan must show at least this many statutory sections to be audited as an EHCP.
MIN_SECTIONS_FOR_EHCP = 3


def load_bytes(source: Source, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, str | None]:
    """Return the source's bytes and its path (if it has one), without modifying it.

    Reads at most one byte past the limit, so a huge file is refused without
    being loaded whole.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        path = None
    elif isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            with open(path, "rb") as handle:
                data = handle.read(limits.max_bytes + 1)
        except IsADirectoryError:
            raise Unreadable("this is a folder, not a file") from None
        except FileNotFoundError:
            raise Unreadable("the file does not exist") from None
        except PermissionError:
            raise Unreadable("permission to read the file was refused") from None
        except OSError as exc:
            raise Unreadable(
                f"the file could not be read ({exc.strerror or type(exc).__name__})"
            ) from None
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


def read(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a plan (DOCX, PDF or text) into a :class:`Document`.

    Unfilled template prompts are flagged on the blocks (``placeholder``).
    Raises an :class:`~ehcp_audit.InputError` subclass for input that cannot
    be read; never any other exception for bad bytes.
    """
    data, _ = load_bytes(source, limits)
    return _document(data, limits)


def _document(data: bytes, limits: Limits) -> Document:
    """The bytes read into a Document, with unfilled template prompts flagged."""
    from ._placeholders import mark_placeholders
    from .readers import read_bytes

    return mark_placeholders(read_bytes(data, limits))


def audit(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    extra_variants: Mapping[str, Sequence[str]] | None = None,
    model: str | None = None,
    config: Config | None = None,
) -> PlanAudit:
    """Audit one plan and return everything found, with locations, findings and ratings.

    ``extra_variants`` adds section-heading variants for a council's own
    template (code -> headings), without editing the installed rule data.
    ``model`` names an installed trained spaCy pipeline used only to sharpen
    voice attribution (default: ``EHCP_AUDIT_MODEL``, else none).
    ``config`` is the settings in force (:func:`~ehcp_audit.load_config`);
    None discovers them from the current folder. The rules and scoring
    policy load (and are checked) before the plan is read, so a broken
    rule file is a :class:`~ehcp_audit.ConfigError` whatever the plan.
    """
    from ._config import load_config
    from .checks import apply_policy, load_policy

    settings = load_config() if config is None else config
    policy = load_policy(settings)
    variants = settings.merged_variants(extra_variants)
    plan = analyse(source, limits=limits, extra_variants=variants, model=model)
    return apply_policy(plan, policy)


def analyse(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    extra_variants: Mapping[str, Sequence[str]] | None = None,
    model: str | None = None,
) -> PlanAudit:
    """Read, sectionize and find the cues of one plan: everything before the rules run.

    The rules' own self-tests use this on their synthetic plans, so that a
    rule is tested alone rather than through the whole policy.
    """
    from .details import parse_details
    from .nlp import build_pipeline, model_name
    from .nlp._metrics import section_metrics
    from .nlp._pipeline import extract_cues
    from .sections import sectionize

    data, path = load_bytes(source, limits)
    document = _document(data, limits)
    sectioning = sectionize(document, extra_variants)
    found = [s for s in sectioning.sections if s.code in SECTION_CODES]
    if len(found) < MIN_SECTIONS_FOR_EHCP:
        raise NotAnEhcp(
            f"only {len(found)} EHCP section(s) were recognised (at least {MIN_SECTIONS_FOR_EHCP} "
            "of A-K are needed); this does not look like an Education, Health and Care Plan. "
            "If it is one, add its headings to the configuration's section variants."
        )
    details = parse_details(document, sectioning)
    nlp = build_pipeline(model_name(model))
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
