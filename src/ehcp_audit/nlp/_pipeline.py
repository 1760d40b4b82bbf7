"""Build the spaCy pipeline once per process and run it over a plan's sections.

The default pipeline is ``spacy.blank("en")`` with a sentencizer and rule
components: it needs no trained model and no download, and it is what every
accuracy figure is measured on. A trained pipeline, where one is installed
and named (``--model NAME`` or ``EHCP_AUDIT_MODEL``), is handed to the voice
component, which uses its parse only on sentences the rules flagged as
candidates, never on the whole plan.

Each block is processed as its own doc, with the block's place in the plan
set on ``doc._.ehcp_context`` *before* the components run (so they can be
section-aware). What spaCy is given is the block's text as :mod:`._feed`
makes it (long symbol runs collapsed, a very long block cut into pieces,
each its own doc): for every ordinary block that is the text itself, and a
hit's offsets map back through the feed to offsets in the block's text,
which is exactly what a :class:`~ehcp_audit.Location` needs.

Docs are made, run and read in batches (:class:`BlockRunner`), and let go
once their hits are read: memory holds one batch of docs, not one doc per
block of the plan (a spaCy doc costs kilobytes even for one word).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .._model import Block, BlockKind, Cue, PlanDetails, Section
from ._context import BlockContext, ensure_extensions, hits_of, set_context
from ._feed import PIECE_CHARS, Feed, feed
from ._lexicon import use_lexicon_dirs
from ._text import (
    is_one_sentence,
    known_one_sentence,
    one_sentence,
    sentence_enders,
    set_text,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: The rule components, in the order they run.
COMPONENTS: tuple[str, ...] = (
    "ehcp_voice",
    "ehcp_agency",
    "ehcp_provision",
    "ehcp_outcome",
    "ehcp_signals",
    "ehcp_acronyms",
)

#: Docs run through the components together before their hits are read and
#: they are let go (what ``nlp.pipe`` calls its batch size).
BATCH_DOCS = 256

_Tag = TypeVar("_Tag")
_PRONOUNS = {"male": ("he", "him", "his"), "female": ("she", "her", "hers")}


def build_pipeline(model: str | None = None, lexicon_dirs: tuple[Path, ...] = ()) -> Language:
    """The blank English pipeline with the ehcp-audit components added.

    Built once per model and set of lexicon folders (the components read
    their lexicons when they are made), and each call puts the folders in
    force (:func:`~ehcp_audit.nlp._lexicon.use_lexicon_dirs`) for the
    components that read them as they run.
    """
    use_lexicon_dirs(lexicon_dirs)
    return _built(model, tuple(lexicon_dirs))


@cache
def _built(model: str | None, lexicon_dirs: tuple[Path, ...]) -> Language:
    import spacy

    from . import components  # noqa: F401  (registers the factories)

    ensure_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    for name in COMPONENTS:
        config = {"refine_model": model} if name == "ehcp_voice" else {}
        nlp.add_pipe(name, config=config)
    return nlp


def _year_number(year_group: str | None) -> int | None:
    if not year_group:
        return None
    digits = "".join(c for c in year_group if c.isdigit())
    return int(digits) if digits else None


def child_names(details: PlanDetails) -> tuple[str, ...]:
    """Every form of the child's name a plan might use ("Amira", "Amira Khan", "Miri")."""
    names: list[str] = []
    for value in (details.name, details.preferred_name):
        if value:
            names.append(value)
            names.extend(part for part in value.split() if len(part) > 1)
    return tuple(dict.fromkeys(names))


def parent_names(details: PlanDetails) -> tuple[str, ...]:
    """Parents' and carers' names as a plan might use them ("Nadia Khan", "Nadia", "Mrs Khan")."""
    names: list[str] = []
    for value in details.parents:
        names.append(value)
        parts = value.replace(".", " ").split()
        if len(parts) > 1 and parts[0].casefold() not in {"mr", "mrs", "ms", "miss", "mx", "dr"}:
            names.append(parts[0])
    return tuple(dict.fromkeys(names))


def block_contexts(
    section: Section, details: PlanDetails, plan_state: dict[str, Any] | None = None
) -> Iterator[tuple[Block, BlockContext]]:
    """Each block of a section with the sub-heading and row label it sits under."""
    state = {} if plan_state is None else plan_state
    subsections = {s.strip().casefold() for s in section.subsections}
    names = child_names(details)
    parents = parent_names(details)
    year = _year_number(details.year_group)
    current = ""
    row_labels: dict[tuple[int, int], str] = {}
    column_labels: dict[tuple[int, int], str] = {}
    for block in section.blocks:
        text = block.text.strip()
        if text.casefold() in subsections or block.kind is BlockKind.HEADING:
            current = text
        cell = block.cell
        if cell is not None and cell.column == 0 and len(text.split()) <= 8:
            row_labels[(cell.table, cell.row)] = text
        if cell is not None and cell.row == 0 and len(text.split()) <= 8:
            column_labels[(cell.table, cell.column)] = text
        label = column = ""
        if cell is not None and cell.column > 0:
            label = row_labels.get((cell.table, cell.row), "")
        if cell is not None and cell.row > 0:
            column = column_labels.get((cell.table, cell.column), "")
        yield (
            block,
            BlockContext(
                section=section.code,
                subsection=current,
                row_label=label,
                column_label=column,
                column=cell.column if cell is not None else -1,
                is_heading=block.kind is BlockKind.HEADING or text.casefold() in subsections,
                is_placeholder=block.placeholder,
                child_names=names,
                parent_names=parents,
                year_group_number=year,
                age=details.age,
                plan_state=state,
            ),
        )


def extract_cues(
    sections: tuple[Section, ...], details: PlanDetails, nlp: Language
) -> tuple[Cue, ...]:
    """Every cue in the plan: the blocks' cues, completed where a block cannot see enough.

    A table cell cannot see the rest of its row, and a block cannot see the
    blocks after it, so after the per-block pass the components complete
    their cues from the sections: K-table advice (date, "appended", whether
    the advice ever came), provision tables (what, how often, how long and
    who across a row's cells), outcome tables (a "By when" or "How we will
    know" column speaks for the outcome in its row), request tables (a
    request, its decision and the reason across a row), acronyms spelled out
    later in the plan or in an end glossary, and first person written for a
    child the plan says does not speak (form ``on_behalf``).
    """
    from .components._outcome_rows import complete_outcome_rows
    from .components._provision_rows import complete_provision_rows
    from .components._request_rows import complete_request_rows
    from .components._voice_on_behalf import mark_written_for
    from .components.acronyms import withdraw_explained_later
    from .components.agency import complete_advice_rows

    cues = block_cues(sections, details, nlp)
    for complete in (
        complete_advice_rows,
        complete_provision_rows,
        complete_outcome_rows,
        complete_request_rows,
        withdraw_explained_later,
        mark_written_for,
    ):
        cues = complete(cues, sections)
    return cues


class BlockRunner:
    """Runs a pipeline over the blocks of one plan, the cheap way.

    What ``nlp(text)`` per block would do, minus the work that changes
    nothing, and in the order ``nlp.pipe`` uses (each component over every
    doc in turn, which keeps one component's code and data warm in the
    processor's caches: about 13% faster than block by block). Each doc
    gets its context and its text (the block's own, so no component
    rebuilds ``doc.text``) before the components run, and the sentencizer
    is skipped on a block with no sentence-ending mark before its last
    character (most table cells and list items), which it would leave one
    sentence anyway. Components see the docs in document order, so one that
    remembers across blocks (in ``plan_state``) works as before.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.steps: tuple[tuple[str, Any], ...] = tuple(nlp.pipeline)
        self._sentencizer: Any = None
        if "sentencizer" in nlp.pipe_names:
            self._sentencizer = nlp.get_pipe("sentencizer")
        self._enders = sentence_enders(self._sentencizer)

    def make_docs(self, blocks: Iterable[tuple[str, BlockContext]]) -> list[Doc]:
        """A doc per ``(text, context)``, tokenized, with its context and text set."""
        docs: list[Doc] = []
        for text, context in blocks:
            doc = self.nlp.make_doc(text)
            set_context(doc, context)
            set_text(doc, text)
            if self._enders is not None and is_one_sentence(text, self._enders):
                one_sentence(doc)
            docs.append(doc)
        return docs

    def run_step(self, component: Any, docs: list[Doc]) -> list[Doc]:
        """Run one component over every doc, in order."""
        if component is self._sentencizer:
            return [doc if known_one_sentence(doc) else component(doc) for doc in docs]
        return [component(doc) for doc in docs]

    def __call__(self, blocks: Iterable[tuple[str, BlockContext]]) -> list[Doc]:
        """Every doc at once (a test's view); :meth:`run` holds only a batch."""
        return [doc for _, doc in self.run((text, context, None) for text, context in blocks)]

    def run(
        self, items: Iterable[tuple[str, BlockContext, _Tag]], batch: int = BATCH_DOCS
    ) -> Iterator[tuple[_Tag, Doc]]:
        """Each ``(text, context, tag)`` made and run, yielded as ``(tag, doc)`` in order.

        Every component runs over a batch of docs before the next batch is
        made; docs go in document order, so a component remembering across
        blocks sees them in the same order as when all ran at once (each
        component keeps its own memory, so batching changes nothing found).
        """
        pending = iter(items)
        while chunk := list(islice(pending, batch)):
            docs = self.make_docs((text, context) for text, context, _ in chunk)
            for _, component in self.steps:
                docs = self.run_step(component, docs)
            yield from zip((tag for _, _, tag in chunk), docs, strict=True)


def block_cues(
    sections: tuple[Section, ...], details: PlanDetails, nlp: Language
) -> tuple[Cue, ...]:
    """Run the components over every block, in document order; return the cues.

    Blocks are visited in the order a reader meets them (a section's blocks
    can be spread over several tables), so a component that remembers
    across blocks, such as an acronym spelled out once, sees them in order.
    Each block is fed as :mod:`._feed` makes it; a hit's offsets are mapped
    back to the block's own text before its cue is made.
    """
    plan_state: dict[str, Any] = {}
    visits = [
        (block, context, section.code)
        for section in sections
        for block, context in block_contexts(section, details, plan_state)
        if block.text.strip()
    ]
    visits.sort(key=lambda visit: visit[0].index)
    runner = BlockRunner(nlp)
    cues: list[Cue] = []
    for (block, code, fed, offset), doc in runner.run(_pieces(visits, nlp.max_length)):
        text = block.text
        for hit in hits_of(doc):
            start, end = fed.span(offset, hit.start, hit.end)
            cues.append(
                Cue(
                    kind=hit.kind,
                    text=text[start:end],
                    section=code,
                    location=block.location(start, end),
                    rule=hit.rule,
                    category=hit.category,
                    attributes=dict(hit.attributes),
                )
            )
    # The plan is done: drop what the components kept for it (the voice
    # memory holds docs, whose contexts hold this dict) now, not at the next
    # garbage collection.
    plan_state.clear()
    return tuple(cues)


def _pieces(
    visits: Iterable[tuple[Block, BlockContext, str]], max_length: int
) -> Iterator[tuple[str, BlockContext, tuple[Block, str, Feed, int]]]:
    """The pieces spaCy is given for each visited block, tagged with how to map them back."""
    for block, context, code in visits:
        fed = feed(block.text, min(PIECE_CHARS, max_length))
        for offset, piece in fed.pieces:
            if piece.strip():
                yield piece, context, (block, code, fed, offset)
