"""Size limits that protect a batch from hostile or runaway files."""

from __future__ import annotations

from collections.abc import Iterable

from attrs import define, frozen

from ._errors import TooLarge

MIB = 1024 * 1024


@frozen
class Limits:
    """Ceilings checked before and while a file is read.

    ``max_bytes`` bounds the file itself; ``max_pages`` a PDF's page count;
    ``max_uncompressed`` the summed uncompressed size of a DOCX's zip members
    (checked from the zip directory before anything is inflated, so a zip
    bomb is refused without being expanded) and ``max_zip_ratio`` any single
    member's compression ratio. Both are checked again while parts are
    inflated, on the bytes really produced (a directory may lie), and both
    also bound a PDF's compressed streams, which are inflated and counted
    before PDFium opens the file (images are only held to their declared size).

    ``max_block_chars``, ``max_plan_chars`` and ``max_blocks`` bound the text
    read out of the file: the characters of one block (paragraph, list item,
    table cell), of the whole plan, and the number of blocks. Every stage
    after reading costs time and memory in proportion to these (an audit
    holds a few hundred bytes per character and per block at its peak), so
    with all three at their defaults a plan audits in well under 30 seconds
    and 1 GB. They are counted by a :class:`TextBudget` as blocks are made.
    The largest plans in the corpus and the external set hold 3,200
    characters in a block, 26,000 in a plan and 360 blocks: the defaults
    leave room for a plan some forty times that size.
    """

    max_bytes: int = 50 * MIB
    max_pages: int = 500
    max_uncompressed: int = 200 * MIB
    max_zip_ratio: float = 200.0
    max_block_chars: int = 200_000
    max_plan_chars: int = 1_000_000
    max_blocks: int = 20_000

    def budget(self) -> TextBudget:
        """A fresh count of one document's text against these limits."""
        return TextBudget(self)


@define
class TextBudget:
    """One document's blocks and characters, counted while it is built.

    A reader calls :meth:`admit` for each block's text as it makes the
    block, so a runaway file is refused the moment it crosses a limit,
    before the rest of it is read or kept. The error names the limit and
    how to raise it.
    """

    limits: Limits
    blocks: int = 0
    chars: int = 0

    def admit(self, text: str) -> None:
        """Count one block's ``text``; raise :class:`TooLarge` past any text limit."""
        size = len(text)
        limits = self.limits
        if size > limits.max_block_chars:
            raise _over(
                f"a block (paragraph or table cell) has {size:,} characters, over the limit "
                f"of {limits.max_block_chars:,}",
                "max_block_chars",
            )
        self.blocks += 1
        self.chars += size
        if self.blocks > limits.max_blocks:
            raise _over(
                f"the plan has more than {limits.max_blocks:,} blocks (paragraphs, list items "
                "and table cells), the limit",
                "max_blocks",
            )
        if self.chars > limits.max_plan_chars:
            raise _over(
                f"the plan has more than {limits.max_plan_chars:,} characters of text, the limit",
                "max_plan_chars",
            )

    def admit_all(self, texts: Iterable[str]) -> None:
        """:meth:`admit` each of ``texts`` in turn."""
        for text in texts:
            self.admit(text)


#: The command-line option that raises each text limit.
TEXT_LIMIT_OPTIONS = {
    "max_block_chars": "--max-block-chars",
    "max_plan_chars": "--max-plan-chars",
    "max_blocks": "--max-blocks",
}


def _over(what: str, name: str) -> TooLarge:
    return TooLarge(
        f"{what} ({name}: raise it with {TEXT_LIMIT_OPTIONS[name]} or Limits({name}=...))"
    )


DEFAULT_LIMITS = Limits()
