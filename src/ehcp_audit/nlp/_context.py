"""What a spaCy component needs to know about where a text sits.

Components are section-aware: "I like trains" is the child's voice under
"All about me" and a professional's note in an advice summary. The pipeline
sets ``doc._.ehcp_context`` before running the components, and each
component appends what it finds to ``doc._.ehcp_hits``. Outside ehcp-audit
(a user's own ``nlp.add_pipe("ehcp_voice")``) the context defaults to an
unknown section, so the components still run, just less sharply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import field, frozen
from spacy.tokens import Doc


@frozen
class BlockContext:
    """Where a block of text sits in the plan, and who the plan is about."""

    section: str = "other"
    subsection: str = ""
    row_label: str = ""
    is_heading: bool = False
    is_placeholder: bool = False
    child_names: tuple[str, ...] = ()
    #: Parents' and carers' names from the plan's details ("Nadia Khan"), so
    #: "Nadia told us…" is heard as the family's voice.
    parent_names: tuple[str, ...] = ()
    child_pronouns: tuple[str, ...] = ("he", "she", "they")
    year_group_number: int | None = None
    age: int | None = None
    #: Shared by every block of one plan, fresh for the next plan: lets a
    #: component remember across blocks (an acronym already spelled out)
    #: without keeping state between plans.
    plan_state: dict[str, Any] = field(factory=dict, eq=False, repr=False)


@frozen
class Hit:
    """A cue found in one doc, with character offsets into the doc's text."""

    kind: str
    start: int
    end: int
    rule: str
    category: str | None = None
    attributes: Mapping[str, Any] = field(factory=dict)


_DEFAULT = BlockContext()
#: Where the context and the hits live in ``doc.user_data``. The ``doc._``
#: extensions read and write the same entries; components go straight to
#: ``user_data``, since each ``doc._`` read builds an ``Underscore`` object
#: and they are read several times per block by every component.
_CONTEXT_KEY = ("ehcp_context",)
_HITS_KEY = ("ehcp_hits",)


def ensure_extensions() -> None:
    """Register the Doc extensions once per process (spaCy keeps them globally)."""
    if not Doc.has_extension("ehcp_context"):
        Doc.set_extension("ehcp_context", getter=_context_getter, setter=set_context)
    if not Doc.has_extension("ehcp_hits"):
        Doc.set_extension("ehcp_hits", getter=hits_of)


def _context_getter(doc: Doc) -> BlockContext | None:
    return doc.user_data.get(_CONTEXT_KEY)


def set_context(doc: Doc, context: BlockContext) -> None:
    """Set where the doc's text sits (``doc._.ehcp_context = context`` does the same)."""
    doc.user_data[_CONTEXT_KEY] = context


def hits_of(doc: Doc) -> list[Hit]:
    """The doc's hits so far (``doc._.ehcp_hits``): every doc its own list."""
    # Backed by user_data: a mutable extension ``default`` would be shared by all docs.
    return doc.user_data.setdefault(_HITS_KEY, [])


def context_of(doc: Doc) -> BlockContext:
    value = doc.user_data.get(_CONTEXT_KEY)
    return value if isinstance(value, BlockContext) else _DEFAULT


def add_hit(doc: Doc, hit: Hit) -> None:
    doc.user_data.setdefault(_HITS_KEY, []).append(hit)


# Every component imports this module, so registering here means a user's own
# pipeline (``nlp.add_pipe("ehcp_voice")`` through the entry point) works too.
ensure_extensions()
