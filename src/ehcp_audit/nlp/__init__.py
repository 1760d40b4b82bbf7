"""The NLP layer: spaCy rule components that find the evidence every score cites.

Internal. The components are registered spaCy factories (``ehcp_voice``,
``ehcp_agency``, ``ehcp_provision``, ``ehcp_outcome``, ``ehcp_signals``,
``ehcp_acronyms``), also exposed through the ``spacy_factories`` entry point
so other spaCy users can ``nlp.add_pipe("ehcp_voice")``.

The names below load lazily: importing ``ehcp_audit.nlp`` (or the spaCy-free
``ehcp_audit.nlp._kinds`` that the rule loader reads) does not import spaCy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COMPONENTS", "build_pipeline", "model_name"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import _pipeline

        return getattr(_pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
