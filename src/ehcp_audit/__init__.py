"""ehcp-audit: audit Education, Health and Care Plans for co-production.

One call audits a plan; the result says what each section holds, what each
rule found (with the sentences it rests on) and how the plan rates against
York's six co-production principles::

    import ehcp_audit
    result = ehcp_audit.audit("plan.docx")      # a path, bytes or a binary file
    result = ehcp_audit.audit_text(text)        # or the plan's text
    for finding in result.findings:
        print(finding.rule, finding.passed, finding.message)
    result.principles, result.overall           # co-production ratings, with evidence
    ehcp_audit.to_json(result)                  # the versioned JSON document
    settings = ehcp_audit.load_config("ehcp-audit.toml")  # default: discovered
    ehcp_audit.audit("plan.docx", config=settings)

Every type a result holds (``Finding``, ``Cue``, ``Evidence``,
``PrincipleRating``, ``Rating``, ``Overall`` …) and every error can be
imported from here; :mod:`ehcp_audit.types` lists them and draws the result
as a tree. :mod:`ehcp_audit.nlp` holds the spaCy components for use in other
pipelines, :mod:`ehcp_audit.scoring` the rating helpers. Everything else is
private and may change without notice. The API reference is generated from
these docstrings (``python docs/make_api.py`` writes ``docs/api/``).

Importing this package is cheap: the readers (python-docx, pypdfium2) and
spaCy load only when a plan is first read.
"""

from __future__ import annotations

# What the annotations of the objects documented here name (Config, PlanAudit, audit),
# so they resolve in this module, which those objects say is theirs.
from collections.abc import Mapping, Sequence  # noqa: F401
from contextlib import suppress as _suppress
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from pathlib import Path  # noqa: F401
from typing import Any  # noqa: F401

from . import types
from ._audit import audit, audit_text, read
from ._config import load_config
from .reports.json import SCHEMA_VERSION, to_dict, to_json

# Every type a result holds, the settings and the errors: importable from here too,
# listed in ehcp_audit.types.__all__ (not in __all__ here, so help() stays short);
# "X as X" marks each as a re-export for type checkers in strict mode.
from .types import Block as Block
from .types import BlockKind as BlockKind
from .types import CellRef as CellRef
from .types import Confidence as Confidence
from .types import ConfidenceLevel as ConfidenceLevel
from .types import Config as Config
from .types import ConfigError as ConfigError
from .types import Cue as Cue
from .types import Document as Document
from .types import EhcpAuditError as EhcpAuditError
from .types import EmptyDocument as EmptyDocument
from .types import Encrypted as Encrypted
from .types import Evidence as Evidence
from .types import Finding as Finding
from .types import FoundBy as FoundBy
from .types import InputError as InputError
from .types import Level as Level
from .types import Limits as Limits
from .types import Location as Location
from .types import NotAFile as NotAFile
from .types import NotAnEhcp as NotAnEhcp
from .types import NoTextLayer as NoTextLayer
from .types import OutputError as OutputError
from .types import Overall as Overall
from .types import PlanAudit as PlanAudit
from .types import PlanDetails as PlanDetails
from .types import PrincipleRating as PrincipleRating
from .types import Rating as Rating
from .types import RowLink as RowLink
from .types import Section as Section
from .types import SectionMetrics as SectionMetrics
from .types import Source as Source
from .types import SourceFormat as SourceFormat
from .types import SourceInfo as SourceInfo
from .types import TextNotPath as TextNotPath
from .types import TooLarge as TooLarge
from .types import UnfilledField as UnfilledField
from .types import Unreadable as Unreadable
from .types import UnsupportedFormat as UnsupportedFormat

try:
    __version__ = _version("ehcp-audit")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

# Kept short so that help(ehcp_audit) is: the types are in ehcp_audit.types.
__all__ = [
    "SCHEMA_VERSION",
    "Config",
    "EhcpAuditError",
    "PlanAudit",
    "__version__",
    "audit",
    "audit_text",
    "load_config",
    "read",
    "to_dict",
    "to_json",
    "types",
]

# Public objects report where they are documented, not the private module they live in.
for _module, _names in ((__name__, __all__), (types.__name__, types.__all__)):
    for _name in _names:
        _obj = globals()[_name]
        if _name in __all__ and _module != __name__:
            continue
        if isinstance(_obj, type) or callable(_obj):
            with _suppress(AttributeError, TypeError):
                _obj.__module__ = _module
del _module, _names, _name, _obj
