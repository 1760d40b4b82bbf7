"""Unfilled template prompts (rules/placeholders.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehcp_audit._errors import ConfigError
from ehcp_audit._model import Block, BlockKind, CellRef, Document, SourceFormat
from ehcp_audit._placeholders import (
    is_placeholder,
    load_placeholder_rules,
    mark_placeholders,
)

RULES = load_placeholder_rules()


def _examples(kind: str) -> list[tuple[str, str]]:
    out = []
    for prompt in RULES.prompts:
        for text in getattr(prompt, kind):
            out.append((prompt.name, text))
    return out


def test_every_prompt_kind_carries_examples():
    assert len(RULES.prompts) >= 6
    for prompt in RULES.prompts:
        assert prompt.matches, prompt.name
        assert prompt.not_matches, prompt.name


@pytest.mark.parametrize(("name", "text"), _examples("matches"))
def test_rule_examples_that_must_match(name, text):
    assert is_placeholder(text), name


@pytest.mark.parametrize(("name", "text"), _examples("not_matches"))
def test_rule_examples_that_must_not_match(name, text):
    assert not is_placeholder(text), name


@pytest.mark.parametrize(
    "text",
    [
        "{{ child_views }}",
        "{{ child_views}}\n\n{{ family_views}}\n",
        "[Insert the outcomes agreed at the meeting]",
        "[Enter date]",
        "Click or tap here to enter text.",
        "Click here to enter a date.",
        "YES/ NO",
        "Yes / No",
        "YES/ NO\n\n",
        "Enter text here",
        "<name>",
        "xxxx",
        "  •  [Insert need]\n  •  [Insert need]",
        "DD/MM/YYYY",
    ],
)
def test_prompt_only_blocks_are_placeholders(text):
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Sam Green",
        "Yes",
        "No",
        "Name: [Insert name]",
        "Sam likes {{ activity }} at weekends",
        "I like trains [and buses]",
        "Click here to enter text. Sam enjoys swimming.",
        "Dr Jones [Educational Psychologist] 12/06/2025",
        "Maxx",
    ],
)
def test_real_text_and_mixed_blocks_are_not_placeholders(text):
    assert not is_placeholder(text)


def _doc(*texts: str, furniture: tuple[str, ...] = (), marked: int | None = None) -> Document:
    blocks = tuple(
        Block(
            index=i,
            kind=BlockKind.TABLE_CELL if i % 2 else BlockKind.PARAGRAPH,
            text=t,
            cell=CellRef(table=1, row=i, column=0) if i % 2 else None,
            placeholder=(i == marked),
        )
        for i, t in enumerate(texts)
    )
    furn = tuple(Block(index=i, kind=BlockKind.PARAGRAPH, text=t) for i, t in enumerate(furniture))
    return Document(format=SourceFormat.DOCX, blocks=blocks, furniture=furn)


def test_mark_placeholders_marks_body_and_furniture():
    doc = _doc("Name:", "{{ name }}", "Sam likes trains.", "YES/ NO", furniture=("{{ name }}",))
    marked = mark_placeholders(doc)
    assert [b.placeholder for b in marked.blocks] == [False, True, False, True]
    assert marked.furniture[0].placeholder is True
    assert [b.text for b in marked.blocks] == [b.text for b in doc.blocks]
    assert doc.blocks[1].placeholder is False  # the input is not changed


def test_reader_marks_are_kept():
    doc = _doc("Sam likes trains.", "Real text the reader knew was a prompt", marked=1)
    assert mark_placeholders(doc).blocks[1].placeholder is True


def test_nothing_to_mark_returns_the_same_document():
    doc = _doc("Sam likes trains.", "He is 9.")
    assert mark_placeholders(doc) is doc
    again = mark_placeholders(mark_placeholders(_doc("{{ x }}")))
    assert mark_placeholders(again) is again


def test_bad_rule_file_is_a_config_error(tmp_path: Path):
    bad = tmp_path / "placeholders.toml"
    bad.write_text('[[prompt]]\nname = "x"\npattern = "(unclosed"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_placeholder_rules(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[[prompt\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_placeholder_rules(broken)
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_placeholder_rules(empty)


def test_long_text_is_checked_quickly_and_correctly():
    # A long run of prompts and one of near-prompts must both finish and be right.
    assert is_placeholder("{{ a }} " * 2000)
    assert not is_placeholder("x" * 5000 + " real words")
    assert not is_placeholder("[" * 3000 + "real")
