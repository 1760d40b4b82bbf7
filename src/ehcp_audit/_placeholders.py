"""Recognise template prompts nobody filled in.

A plan issued with ``{{ child_views }}``, "[Insert outcome]" or a bare
"YES/ NO" still in it was not finished, and whatever sits in that field must
not count as anybody's words. The prompts are data (``rules/placeholders.toml``)
so a council can add its own; they are compiled once into a single regular
expression that must cover a block's whole text. A block that mixes real
words with a prompt ("Name: [Insert name]") is left alone: somebody wrote in
it, and the checks downstream decide what that is worth.
"""

from __future__ import annotations

import re
import tomllib
import weakref
from collections.abc import Callable
from functools import cache
from pathlib import Path

from attrs import frozen

from ._errors import ConfigError
from ._model import Block, Document, evolve
from ._resources import rules_dir
from ._toml import parse_toml

__all__ = ["PlaceholderRules", "is_placeholder", "load_placeholder_rules", "mark_placeholders"]


@frozen
class Prompt:
    """One kind of prompt, with the examples that pin what it means."""

    name: str
    pattern: str
    matches: tuple[str, ...] = ()
    not_matches: tuple[str, ...] = ()


@frozen
class PlaceholderRules:
    """The compiled prompt set: one anchored regex over a whole block."""

    prompts: tuple[Prompt, ...]
    whole: re.Pattern[str]

    def is_placeholder(self, text: str) -> bool:
        return bool(text) and self.whole.fullmatch(text) is not None


def _compile(separators: str, prompts: tuple[Prompt, ...]) -> re.Pattern[str]:
    alternation = "|".join(f"(?:{p.pattern})" for p in prompts)
    # Leading/trailing separators and at least one prompt; between prompts
    # only separators. Each prompt and each run of separators is atomic, so
    # "xxxxxxxx real words" fails at once instead of trying every way to cut
    # the x's into prompts (exponential backtracking on long cells).
    source = f"(?>{separators})(?:(?>{alternation})(?>{separators}))+"
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(
            f"placeholders.toml: a prompt pattern is not a valid regex ({exc})"
        ) from None


def _parse(path: Path) -> PlaceholderRules:
    try:
        data = parse_toml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path.name} could not be read ({type(exc).__name__}: {exc})") from None
    separators = data.get("separators", r"[\s,;/|]*")
    raw = data.get("prompt", [])
    if not isinstance(separators, str) or not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path.name} needs a 'separators' string and at least one [[prompt]]")
    prompts: list[Prompt] = []
    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            raise ConfigError(f"{path.name}: prompt {i} has no 'pattern' string")
        try:
            re.compile(entry["pattern"])
        except re.error as exc:
            raise ConfigError(
                f"{path.name}: prompt {i} pattern is not a valid regex ({exc})"
            ) from None
        prompts.append(
            Prompt(
                name=str(entry.get("name", f"prompt{i}")),
                pattern=entry["pattern"],
                matches=tuple(str(x) for x in entry.get("matches", ())),
                not_matches=tuple(str(x) for x in entry.get("not_matches", ())),
            )
        )
    frozen_prompts = tuple(prompts)
    return PlaceholderRules(prompts=frozen_prompts, whole=_compile(separators, frozen_prompts))


@cache
def load_placeholder_rules(path: Path | None = None) -> PlaceholderRules:
    """Load and compile ``rules/placeholders.toml`` (cached per path)."""
    return _parse(path if path is not None else rules_dir() / "placeholders.toml")


def is_placeholder(text: str) -> bool:
    """True when ``text`` is nothing but unfilled template prompts."""
    return load_placeholder_rules().is_placeholder(text)


def _nothing() -> Document | None:
    return None


#: The document :func:`mark_placeholders` returned last (weakly held) and
#: the rules it was marked with.
_last_marked: tuple[Callable[[], Document | None], PlaceholderRules | None] = (_nothing, None)


def mark_placeholders(document: Document) -> Document:
    """Return ``document`` with ``placeholder=True`` on every prompt-only block.

    Body blocks and furniture are both marked (a header may hold
    ``{{ name }}``). A block already marked by its reader stays marked. The
    document object is returned unchanged when nothing new is found, so the
    call is cheap to repeat; and marking is idempotent, so the document this
    function returned last is handed back at once (recognised by identity,
    never by content): the audit marks a plan and then gives it to the
    sectionizer, which marks whatever it is given.
    """
    global _last_marked
    rules = load_placeholder_rules()
    last, marked_with = _last_marked
    if marked_with is rules and last() is document:
        return document

    fullmatch = rules.whole.fullmatch

    def mark(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        # Usually nothing changes (a reader marked its own placeholders, or
        # the document was marked before): copy the blocks only once one does.
        out: list[Block] | None = None
        for i, block in enumerate(blocks):
            text = block.text
            if not block.placeholder and text and fullmatch(text) is not None:
                if out is None:
                    out = list(blocks[:i])
                block = evolve(block, placeholder=True)
            if out is not None:
                out.append(block)
        return blocks if out is None else tuple(out)

    blocks = mark(document.blocks)
    furniture = mark(document.furniture)
    if blocks is not document.blocks or furniture is not document.furniture:
        document = evolve(document, blocks=blocks, furniture=furniture)
    try:
        _last_marked = (weakref.ref(document), rules)
    except TypeError:  # pragma: no cover - a Document that cannot be weakly referenced
        _last_marked = (_nothing, None)
    return document
