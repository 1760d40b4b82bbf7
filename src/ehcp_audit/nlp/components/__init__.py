"""Importing this package registers every ehcp-audit spaCy factory.

One module per component; each reads ``doc._.ehcp_context`` (where the text
sits) and appends :class:`~ehcp_audit.nlp._context.Hit` s to ``doc._.ehcp_hits``.
"""

from __future__ import annotations

import importlib

# TEMPORARY during parallel development: tolerate components not written yet.
for _name in ("acronyms", "agency", "outcome", "provision", "signals", "voice"):
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError:
        pass
