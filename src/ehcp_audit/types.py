"""Every public type of ehcp-audit: what a result holds, the settings, the errors.

Each is also importable from the package itself (``from ehcp_audit import
Finding``); they are listed here so that ``help(ehcp_audit)`` stays short.
All result types are frozen attrs classes or string enums: a stage never
changes what an earlier one produced, so results can be cached, compared,
pickled and serialised safely. What :func:`ehcp_audit.audit` returns::

    PlanAudit
    ├── source: SourceInfo                 path, sha256, format: SourceFormat, pages
    ├── document: Document                 the plan as read
    │   └── blocks: Block                  kind: BlockKind, cell: CellRef, heading_source: FoundBy
    ├── sections: Section                  code "A".."K", heading, found_by: FoundBy, blocks: Block
    ├── details: PlanDetails               name, date of birth, age, year group, dates, parents
    ├── missing_sections: str              section codes the plan lacks
    ├── unfilled_fields: UnfilledField     template prompts left in, at a Location
    ├── row_links: RowLink                 which cell of a combined table is in which section
    ├── cues: Cue                          evidence the NLP found, at a Location
    ├── metrics: SectionMetrics            plain-language measures per section
    ├── findings: Finding                  one per rule: level: Level, evidence: Evidence
    ├── principles: PrincipleRating        rating: Rating, evidence: Evidence,
    │                                      confidence: Confidence (level: ConfidenceLevel)
    └── overall: Overall                   with total_score and effective_coproduction

The enums are strings, so they compare with (and serialise as) their values:

>>> from ehcp_audit import Overall, Rating
>>> Rating.GOOD == "good", Overall("outstanding") is Overall.OUTSTANDING
(True, True)
>>> [rating.value for rating in Rating]
['room_for_improvement', 'good', 'excellent']

:class:`Config` is the settings in force (:func:`ehcp_audit.load_config`),
:class:`Limits` the input limits, and the errors form one tree under
:class:`EhcpAuditError` (every one with a stable ``code``)::

    EhcpAuditError
    ├── InputError         the plan could not be audited (Unreadable, TextNotPath, NotAnEhcp, …)
    ├── ConfigError        rule data or settings are wrong
    └── OutputError        a report could not be written
"""

from __future__ import annotations

# What the types' annotations name, so typing.get_type_hints() resolves them here,
# where the types say they live (their __module__), as well as where they are defined.
import datetime as _dt  # noqa: F401
from collections.abc import Mapping  # noqa: F401
from pathlib import Path  # noqa: F401
from typing import Any  # noqa: F401

from ._audit import Source
from ._config import Config
from ._errors import (
    ConfigError,
    EhcpAuditError,
    EmptyDocument,
    Encrypted,
    InputError,
    NotAFile,
    NotAnEhcp,
    NoTextLayer,
    OutputError,
    TextNotPath,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from ._limits import Limits
from ._model import (
    Block,
    BlockKind,
    CellRef,
    Confidence,
    ConfidenceLevel,
    Cue,
    Document,
    Evidence,
    Finding,
    FoundBy,
    Level,
    Location,
    Overall,
    PlanAudit,
    PlanDetails,
    PrincipleRating,
    Rating,
    RowLink,
    Section,
    SectionMetrics,
    SourceFormat,
    SourceInfo,
    UnfilledField,
)

__all__ = [
    "Block",
    "BlockKind",
    "CellRef",
    "Confidence",
    "ConfidenceLevel",
    "Config",
    "ConfigError",
    "Cue",
    "Document",
    "EhcpAuditError",
    "EmptyDocument",
    "Encrypted",
    "Evidence",
    "Finding",
    "FoundBy",
    "InputError",
    "Level",
    "Limits",
    "Location",
    "NoTextLayer",
    "NotAFile",
    "NotAnEhcp",
    "OutputError",
    "Overall",
    "PlanAudit",
    "PlanDetails",
    "PrincipleRating",
    "Rating",
    "RowLink",
    "Section",
    "SectionMetrics",
    "Source",
    "SourceFormat",
    "SourceInfo",
    "TextNotPath",
    "TooLarge",
    "UnfilledField",
    "Unreadable",
    "UnsupportedFormat",
]
