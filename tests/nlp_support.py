"""Shared test support for the NLP components: a blank pipeline with one component."""

from __future__ import annotations

import spacy
from spacy.language import Language

from ehcp_audit.nlp._context import ensure_extensions


def blank_with(component: str) -> Language:
    """``spacy.blank("en")`` + sentencizer + one ehcp component, as a user would build it."""
    import ehcp_audit.nlp.components  # noqa: F401  (registers the factories)

    ensure_extensions()
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe(component)
    return pipeline
