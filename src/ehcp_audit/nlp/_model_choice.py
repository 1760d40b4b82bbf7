"""Which trained spaCy pipeline, if any, sharpens voice attribution.

Kept apart from :mod:`._pipeline` so that choosing the model imports no
spaCy: a batch's own process names the model for its workers and never
builds a pipeline itself (importing spaCy costs it about 0.8 s).
"""

from __future__ import annotations

import os

#: The environment variable naming an installed trained pipeline.
MODEL_ENV = "EHCP_AUDIT_MODEL"


def model_name(explicit: str | None = None) -> str | None:
    """The trained pipeline to refine attribution with, if any was asked for."""
    return explicit or os.environ.get(MODEL_ENV) or None
