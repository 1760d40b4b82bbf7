"""Small lookups over a plan's blocks that several rule kinds share."""

from __future__ import annotations

from .._model import Block, Evidence, PlanAudit, Section

#: Longest quote taken from a whole cell or section, so evidence stays readable.
MAX_QUOTE = 300


def block_at(plan: PlanAudit, index: int) -> Block | None:
    """The document block with this index (blocks are numbered in reading order)."""
    blocks = plan.document.blocks
    if 0 <= index < len(blocks) and blocks[index].index == index:
        return blocks[index]
    for block in blocks:
        if block.index == index:
            return block
    return None


def has_content(block: Block | None) -> bool:
    """A block that holds something a person wrote (not blank, not an unfilled prompt)."""
    return block is not None and not block.placeholder and bool(block.text.strip())


def quote(block: Block, section: str) -> Evidence:
    """The block's text as evidence, shortened to :data:`MAX_QUOTE` characters."""
    raw = block.text
    start = len(raw) - len(raw.lstrip())
    end = len(raw.rstrip())
    text = raw[start:end]
    if len(text) > MAX_QUOTE:
        cut = text.rfind(" ", 0, MAX_QUOTE)
        cut = cut if cut > 0 else MAX_QUOTE
        text, end = text[:cut] + " …", start + cut
    return Evidence(text=text, section=section, location=block.location(start, end))


def heading_evidence(plan: PlanAudit, section: Section) -> Evidence:
    """The section's heading as evidence that the section is there."""
    block = block_at(plan, section.heading_block) if section.heading_block is not None else None
    location = block.location() if block is not None else section.location
    return Evidence(text=section.heading, section=section.code, location=location)


def section_filled(section: Section) -> bool:
    return section.filled and any(has_content(b) for b in section.blocks)


_YEARS = {"reception": 0, "nursery": -1, "post-16": 12, "post-19": 14}


def year_number(year_group: str | None) -> int | None:
    """A normalised year group as a number: "Year 9" -> 9, Reception 0, Nursery -1, Post-16 12."""
    if not year_group:
        return None
    text = year_group.strip().casefold()
    if text in _YEARS:
        return _YEARS[text]
    digits = "".join(c for c in text if c.isdigit())
    return int(digits) if digits else None
