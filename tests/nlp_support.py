"""Shared test support for the NLP components: a blank pipeline with one component."""

from __future__ import annotations

import spacy
from spacy.language import Language

from ehcp_audit.nlp._context import BlockContext, Hit, ensure_extensions


def blank_with(component: str) -> Language:
    """``spacy.blank("en")`` + sentencizer + one ehcp component, as a user would build it."""
    import ehcp_audit.nlp.components  # noqa: F401  (registers the factories)

    ensure_extensions()
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe(component)
    return pipeline


def hits(nlp: Language, text: str, context: BlockContext) -> list[Hit]:
    """Run the pipeline's components on ``text`` placed in ``context``; every offset in range."""
    doc = nlp.make_doc(text)
    doc._.ehcp_context = context
    for _, component in nlp.pipeline:
        doc = component(doc)
    found = list(doc._.ehcp_hits)
    for hit in found:  # offsets always point into the text
        assert 0 <= hit.start < hit.end <= len(text)
    return found
