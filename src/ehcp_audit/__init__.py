"""ehcp-audit: audit Education, Health and Care Plans for co-production.

The public API is this short list; everything else is private and may
change without notice::

    import ehcp_audit
    result = ehcp_audit.audit("plan.docx")      # or bytes, or a binary file
    for section in result.sections:
        print(section.code, section.heading, section.filled)
    ehcp_audit.to_json(result)                  # the versioned JSON document
    result.principles, result.overall           # co-production ratings, with evidence
    settings = ehcp_audit.load_config("ehcp-audit.toml")  # default: discovered
    ehcp_audit.audit("plan.docx", config=settings)

Importing this package is cheap: the readers (python-docx, pdfplumber,
pypdfium2) and spaCy load only when a plan is first read.
"""

from __future__ import annotations

from contextlib import suppress as _suppress
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from ._audit import Source, audit, read
from ._config import load_config
from ._errors import (
    ConfigError,
    EhcpAuditError,
    EmptyDocument,
    Encrypted,
    InputError,
    NotAnEhcp,
    NoTextLayer,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from ._limits import Limits
from ._model import (
    Block,
    BlockKind,
    CellRef,
    Document,
    FoundBy,
    Location,
    PlanAudit,
    PlanDetails,
    RowLink,
    Section,
    SourceFormat,
    SourceInfo,
    UnfilledField,
)
from .reports.json import SCHEMA_VERSION, to_dict, to_json

try:
    __version__ = _version("ehcp-audit")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

__all__ = [
    "SCHEMA_VERSION",
    "Block",
    "BlockKind",
    "CellRef",
    "ConfigError",
    "Document",
    "EhcpAuditError",
    "EmptyDocument",
    "Encrypted",
    "FoundBy",
    "InputError",
    "Limits",
    "Location",
    "NoTextLayer",
    "NotAnEhcp",
    "PlanAudit",
    "PlanDetails",
    "RowLink",
    "Section",
    "Source",
    "SourceFormat",
    "SourceInfo",
    "TooLarge",
    "UnfilledField",
    "Unreadable",
    "UnsupportedFormat",
    "__version__",
    "audit",
    "load_config",
    "read",
    "to_dict",
    "to_json",
]

# Public objects report the package, not the private module they live in.
for _name in __all__:
    _obj = globals()[_name]
    if hasattr(_obj, "__module__") and not isinstance(_obj, str):
        with _suppress(AttributeError, TypeError):
            _obj.__module__ = "ehcp_audit"
