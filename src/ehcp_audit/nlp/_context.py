"""What a spaCy component needs to know about where a text sits.

Components are section-aware: "I like trains" is the child's voice under
"All about me" and a professional's note in an advice summary. The pipeline
sets ``doc._.ehcp_context`` before running the components, and each
component appends what it finds to ``doc._.ehcp_hits``. Outside ehcp-audit
(a user's own ``nlp.add_pipe("ehcp_voice")``) the context defaults to an
unknown section, so the components still run, just less sharply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import evolve, field, frozen
from spacy.tokens import Doc

from .._model import ALL_SECTION_CODES

if TYPE_CHECKING:
    from spacy.language import Language


@frozen
class BlockContext:
    """Where a block of text sits in the plan, and who the plan is about."""

    section: str = "other"
    subsection: str = ""
    row_label: str = ""
    #: The short text atop the cell's column in the table's first row ("What has
    #: changed", "We did"): a header says what the cells under it are.
    column_label: str = ""
    #: The cell's column in its table, counted from 0 (-1 outside a table): a
    #: provider column ("Who") is never a table's first, its row labels' column.
    column: int = -1
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
#: (Tuple keys, as spaCy's own extensions use; its stubs say str, hence Any.)
_CONTEXT_KEY: Any = ("ehcp_context",)
_HITS_KEY: Any = ("ehcp_hits",)


def ensure_extensions() -> None:
    """Register the Doc extensions once per process (spaCy keeps them globally)."""
    if not Doc.has_extension("ehcp_context"):
        Doc.set_extension("ehcp_context", getter=_context_getter, setter=set_context)
    if not Doc.has_extension("ehcp_section"):
        Doc.set_extension("ehcp_section", getter=section_of, setter=set_section)
    if not Doc.has_extension("ehcp_hits"):
        Doc.set_extension("ehcp_hits", getter=hits_of)


def _context_getter(doc: Doc) -> BlockContext | None:
    return doc.user_data.get(_CONTEXT_KEY)


def section_of(doc: Doc) -> str:
    """The section code the doc's text belongs to (``doc._.ehcp_section``; "other" if unset)."""
    return context_of(doc).section


def set_section(doc: Doc, section: str) -> None:
    """Say which section of a plan the doc's text belongs to (``doc._.ehcp_section = "A"``).

    Set before the components run. The rest of the doc's context (a
    sub-heading, the child's names) is kept. A code that is not a section
    code is refused, since an unknown section would quietly change nothing.
    """
    if section not in ALL_SECTION_CODES:
        raise ValueError(
            f"{section!r} is not a section code (one of {', '.join(ALL_SECTION_CODES)})"
        )
    set_context(doc, evolve(context_of(doc), section=section))


def with_section(
    nlp: Language,
    text: str,
    section: str,
    *,
    subsection: str = "",
    child_names: Sequence[str] = (),
    parent_names: Sequence[str] = (),
) -> Doc:
    """Run ``nlp`` over ``text`` as text of plan section ``section`` ("A" … "K").

    The ehcp-audit components are section-aware ("I like football." is the
    child's voice in section A, a professional's in K), but a doc made by
    ``nlp(text)`` sits in no section. This makes the doc, sets its section
    (and, if given, the sub-heading it sits under and the names of the
    child and the parents or carers) and then runs every component, which
    is what ``doc._.ehcp_section = "A"`` before the components run does by hand.
    """
    ensure_extensions()
    doc = nlp.make_doc(text)
    context = evolve(
        context_of(doc),
        subsection=subsection,
        child_names=tuple(child_names),
        parent_names=tuple(parent_names),
    )
    set_context(doc, context)
    set_section(doc, section)
    return nlp(doc)


def set_context(doc: Doc, context: BlockContext) -> None:
    """Set where the doc's text sits (``doc._.ehcp_context = context`` does the same)."""
    doc.user_data[_CONTEXT_KEY] = context


def hits_of(doc: Doc) -> list[Hit]:
    """The doc's hits so far (``doc._.ehcp_hits``): every doc its own list."""
    # Backed by user_data: a mutable extension ``default`` would be shared by all docs.
    hits: list[Hit] = doc.user_data.setdefault(_HITS_KEY, [])
    return hits


def context_of(doc: Doc) -> BlockContext:
    value = doc.user_data.get(_CONTEXT_KEY)
    return value if isinstance(value, BlockContext) else _DEFAULT


def add_hit(doc: Doc, hit: Hit) -> None:
    doc.user_data.setdefault(_HITS_KEY, []).append(hit)


# Every component imports this module, so registering here means a user's own
# pipeline (``nlp.add_pipe("ehcp_voice")`` through the entry point) works too.
ensure_extensions()
