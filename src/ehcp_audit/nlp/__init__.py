"""The NLP layer: spaCy rule components that find the evidence every score cites.

Internal. The components are registered spaCy factories (``ehcp_voice``,
``ehcp_agency``, ``ehcp_provision``, ``ehcp_outcome``, ``ehcp_signals``,
``ehcp_acronyms``), also exposed through the ``spacy_factories`` entry point
so other spaCy users can ``nlp.add_pipe("ehcp_voice")``. Importing this
package imports spaCy, so the package root imports it only when a plan is
audited.
"""

from __future__ import annotations

from ._pipeline import COMPONENTS, build_pipeline, model_name

__all__ = ["COMPONENTS", "build_pipeline", "model_name"]
