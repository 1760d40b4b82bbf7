"""Importing this package registers every ehcp-audit spaCy factory.

One module per component; each reads ``doc._.ehcp_context`` (where the text
sits) and appends :class:`~ehcp_audit.nlp._context.Hit` s to ``doc._.ehcp_hits``.
"""

from __future__ import annotations

from . import acronyms, agency, outcome, provision, signals, voice

__all__ = ["acronyms", "agency", "outcome", "provision", "signals", "voice"]
