"""Other spaCy users can add our components by name, without importing ehcp_audit.

spaCy finds factories it does not know through the ``spacy_factories``
entry point group, so this needs the package installed (as CI installs it);
from a bare source tree there is no distribution metadata and it is skipped.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution

import pytest

from ehcp_audit.nlp import COMPONENTS

SCRIPT = """
import spacy
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
for name in {components!r}:
    nlp.add_pipe(name)
doc = nlp("I like trains. Mum said she is proud of me.")
print(",".join(nlp.pipe_names))
print(len(doc._.ehcp_hits))
"""


def _installed_points() -> set[str]:
    try:
        dist = distribution("ehcp-audit")
    except PackageNotFoundError:
        return set()
    return {point.name for point in dist.entry_points if point.group == "spacy_factories"}


def test_components_load_by_name_in_a_fresh_process() -> None:
    points = _installed_points()
    if not points:
        pytest.skip("ehcp-audit is not installed: no entry point metadata")
    assert points == set(COMPONENTS)
    code = SCRIPT.format(components=COMPONENTS)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    names, hits = out.stdout.split()
    assert names.split(",") == ["sentencizer", *COMPONENTS]
    assert int(hits) >= 1  # the components ran and found something
