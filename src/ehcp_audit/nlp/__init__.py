"""The NLP layer: spaCy rule components that find the evidence every score cites.

The components are registered spaCy factories (``ehcp_voice``,
``ehcp_agency``, ``ehcp_provision``, ``ehcp_outcome``, ``ehcp_signals``,
``ehcp_acronyms``), also exposed through the ``spacy_factories`` entry point
so other spaCy users can ``nlp.add_pipe("ehcp_voice")``. Each appends what
it finds to ``doc._.ehcp_hits``.

They are section-aware: "I like football." is the child's voice in section
A (views, interests and aspirations) and a professional's in K (advice). In
your own pipeline, say which section a text belongs to with
:func:`with_section`, or set ``doc._.ehcp_section`` on a doc before the
components run:

>>> import spacy
>>> from ehcp_audit.nlp import with_section
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("sentencizer")
>>> _ = nlp.add_pipe("ehcp_voice")
>>> doc = with_section(nlp, "I like football.", "A")
>>> [(hit.kind, doc.text[hit.start : hit.end]) for hit in doc._.ehcp_hits]
[('child_voice', 'I like football.')]
>>> [hit.kind for hit in with_section(nlp, "I like football.", "K")._.ehcp_hits]
['professional_voice']
>>> doc = nlp.make_doc("I like football.")
>>> doc._.ehcp_section = "A"
>>> [hit.kind for hit in nlp(doc)._.ehcp_hits]
['child_voice']
>>> nlp("I like football.")._.ehcp_hits  # in no section: not heard as anyone's
[]

Extra word lists for the components (a council's own services, roles or
acronyms) come from the configuration's ``lexicon_dirs``, not from editing
the installed package; in your own pipeline, call
``use_lexicon_dirs([folder])`` before adding the components. Everything else
here is internal.

The names below load lazily: importing ``ehcp_audit.nlp`` (or the spaCy-free
``ehcp_audit.nlp._kinds`` that the rule loader reads) does not import spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time the names load on first use
    from ._context import with_section
    from ._lexicon import use_lexicon_dirs
    from ._model_choice import model_name
    from ._pipeline import COMPONENTS, build_pipeline

__all__ = ["COMPONENTS", "build_pipeline", "model_name", "use_lexicon_dirs", "with_section"]

_WHERE = {
    "COMPONENTS": "_pipeline",
    "build_pipeline": "_pipeline",
    "model_name": "_model_choice",
    "use_lexicon_dirs": "_lexicon",
    "with_section": "_context",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is not None:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{module}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
