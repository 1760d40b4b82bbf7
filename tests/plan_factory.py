"""Build PlanAudits by hand, so rule kinds can be tested on exactly the cues they need.

The NLP components that produce cues are developed separately; these plans
let every rule kind be tested on cues constructed here, independently of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ehcp_audit._model import (
    Block,
    BlockKind,
    CellRef,
    Cue,
    Document,
    FoundBy,
    Location,
    PlanAudit,
    PlanDetails,
    RowLink,
    Section,
    SectionMetrics,
    SourceFormat,
    SourceInfo,
    UnfilledField,
)


def cue(
    kind: str,
    text: str = "text",
    section: str = "A",
    *,
    category: str | None = None,
    block: int = 0,
    table: int | None = None,
    row: int | None = None,
    **attributes: Any,
) -> Cue:
    """A cue of ``kind`` in ``section``; ``table``/``row`` place it in a table row."""
    location = Location(
        block=block, start=0, end=len(text), table=table, row=row, label=f"paragraph {block + 1}"
    )
    return Cue(
        kind=kind,
        text=text,
        section=section,
        location=location,
        rule=f"test.{kind}",
        category=category,
        attributes=attributes,
    )


def make_plan(
    sections: Mapping[str, Sequence[str]] | None = None,
    *,
    table: Sequence[Mapping[str, str]] = (),
    cues: Sequence[Cue] = (),
    metrics: Sequence[SectionMetrics] = (),
    details: PlanDetails | None = None,
    placeholders: Mapping[str, Sequence[str]] | None = None,
    missing: Sequence[str] | None = None,
) -> PlanAudit:
    """A plan with these section bodies (code -> paragraphs) and a combined table of rows.

    ``table`` rows map section codes to cell texts ("" for an empty cell);
    ``placeholders`` adds unfilled prompts to sections (code -> prompt texts).
    """
    from ehcp_audit._model import SECTION_CODES

    bodies = {code: list(texts) for code, texts in (sections or {}).items()}
    prompts = {code: list(texts) for code, texts in (placeholders or {}).items()}
    blocks: list[Block] = []
    owned: dict[str, list[Block]] = {}
    headings: dict[str, int] = {}

    def add(kind: BlockKind, text: str, code: str | None, **extra: Any) -> Block:
        block = Block(index=len(blocks), kind=kind, text=text, **extra)
        blocks.append(block)
        if code is not None:
            owned.setdefault(code, []).append(block)
        return block

    codes = list(dict.fromkeys([*bodies, *prompts, *(c for row in table for c in row)]))
    links: list[RowLink] = []
    for code in codes:
        headings[code] = add(BlockKind.HEADING, f"Section {code}", None, heading_level=2).index
        for text in bodies.get(code, []):
            add(BlockKind.PARAGRAPH, text, code)
        for text in prompts.get(code, []):
            add(BlockKind.PARAGRAPH, text, code, placeholder=True)
    if table:
        columns = list(dict.fromkeys(c for row in table for c in row))
        header = tuple(f"Section {c}" for c in columns)
        for r, row in enumerate(table, start=1):
            cells = []
            for col, code in enumerate(columns):
                block = add(
                    BlockKind.TABLE_CELL,
                    row.get(code, ""),
                    code,
                    cell=CellRef(table=1, row=r, column=col, header=header),
                )
                cells.append((code, (block.index,)))
            links.append(RowLink(table=1, row=r, cells=tuple(cells)))
    built = tuple(
        Section(
            code=code,
            heading=f"Section {code}",
            found_by=FoundBy.HEADING_STYLE,
            blocks=tuple(owned.get(code, [])),
            heading_block=headings.get(code),
            filled=any(not b.placeholder and b.text.strip() for b in owned.get(code, [])),
        )
        for code in codes
    )
    unfilled = tuple(
        UnfilledField(text=b.text, section=code, location=b.location())
        for code in codes
        for b in owned.get(code, [])
        if b.placeholder
    )
    document = Document(format=SourceFormat.TEXT, blocks=tuple(blocks), sha256="0" * 64)
    return PlanAudit(
        source=SourceInfo(path=None, sha256="0" * 64, format=SourceFormat.TEXT),
        document=document,
        sections=built,
        details=details or PlanDetails(name="Sam Taylor", preferred_name="Sam"),
        missing_sections=tuple(
            missing if missing is not None else [c for c in SECTION_CODES if c not in codes]
        ),
        unfilled_fields=unfilled,
        row_links=tuple(links),
        cues=tuple(cues),
        metrics=tuple(metrics),
    )
