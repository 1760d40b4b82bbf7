"""A parent called by title and the child's surname is the family, never the child.

Plans name parents as "Mrs Quarrie" as often as by first name, and often
without listing them in the personal details. The child's names include the
surname, so before this "Present: SENCo, Mrs Quarrie" counted the child as
present and the family not at all.
"""

from __future__ import annotations

import re

from ehcp_audit.nlp.components.signals import (
    CHILD_WORD,
    PARENT_WORD,
    child_alternation,
    family_by_surname,
    plan_names,
    titled_surnames,
)

TITLES = ("mr", "mrs", "ms")


def _child(text: str, names: tuple[str, ...]) -> bool:
    return bool(re.search(rf"\b{child_alternation(names, 'the child', TITLES)}\b", text))


def test_a_titled_surname_is_not_the_child() -> None:
    names = ("Anouk Quarrie", "Anouk", "Quarrie")
    assert not _child("present: senco, mrs quarrie.", names)
    assert not _child("mr. quarrie rang the school.", names)
    assert _child("anouk quarrie came for ten minutes.", names)
    assert _child("quarrie scored the winning goal.", names)
    assert _child("the child joined the meeting.", names)


def test_titles_change_nothing_when_none_are_given() -> None:
    assert re.search(rf"\b{child_alternation(('Quarrie',), 'the child')}\b", "mrs quarrie")


def test_titled_surnames_come_from_the_full_name_only() -> None:
    found = titled_surnames(("Anouk Quarrie", "Anouk"), TITLES)
    assert "mrs quarrie" in found and "mr. quarrie" in found
    assert not any(name.endswith(" anouk") for name in found)
    assert titled_surnames(("Anouk",), TITLES) == ()


def test_names_become_stand_ins_before_the_rules_read_a_statement() -> None:
    """Rules compile once for every plan: each statement's names are made one stand-in word."""
    child = ("Anouk Quarrie", "Anouk", "Quarrie")
    parents = ("Lise Quarrie", "Lise", *titled_surnames(child, TITLES))
    names = plan_names(child, parents, TITLES)
    tagged = names.tag("present: senco, mrs quarrie and anouk quarrie; lise's view was heard.")
    assert tagged == (
        f"present: senco, {PARENT_WORD} and {CHILD_WORD}; {PARENT_WORD}'s view was heard."
    )
    assert names.tag("anouk's brother rang.") == f"{CHILD_WORD}'s brother rang."
    assert plan_names((), (), TITLES).tag("mrs quarrie rang.") == "mrs quarrie rang."


def test_a_name_split_over_two_lines_is_still_one_name() -> None:
    names = plan_names(("Anouk Quarrie",), (), TITLES)
    assert names.tag("anouk\nquarrie came.") == f"{CHILD_WORD} came."


def test_the_family_by_the_childs_surname_in_the_plural_is_the_parents() -> None:
    assert family_by_surname(("Anouk Quarrie", "Anouk")) == ("the quarries",)
    assert family_by_surname(("Tom Birch",)) == ("the birches",)
    names = plan_names(("Anouk Quarrie",), family_by_surname(("Anouk Quarrie",)), TITLES)
    assert names.tag("it was agreed that the quarries would keep the diary.") == (
        f"it was agreed that {PARENT_WORD} would keep the diary."
    )
    assert names.tag("the tutors would keep the diary.") == "the tutors would keep the diary."
