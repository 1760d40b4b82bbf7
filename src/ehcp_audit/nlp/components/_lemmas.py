"""Verb phrases written once, as lemmas, and matched in every form a plan uses.

Why: a list of inflected forms ("signed", "signs", "has signed", "signing")
is never complete, and every new verb needs four entries. The voice lexicon
lists lemmas ("sign", "choose not to", "point to") and this module expands
each to its present, past and past participle forms once, when the lexicon is
compiled, so the per-document cost stays one PhraseMatcher pass. Regular
English inflection is a few rules; the irregular verbs are data
(``[verbs.irregular]`` in ``voice.toml``). -ing forms are left out on purpose:
"enjoys signing" is a description, not someone signing a view.

spacy-lookups-data's English lemma table would give the same forms, but it
comes in a 98 MB package and would add nothing the rules here lack for the
few dozen verbs the lexicon names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: A final consonant-vowel-consonant doubles before -ed in a short verb ("nod" -> "nodded").
_CVC = re.compile(r"^[^aeiou]*[aeiou][b-df-hj-np-tvz]$")
#: Endings that take -es in the third person ("pushes", "goes", "does").
_SIBILANT = ("s", "x", "z", "ch", "sh", "o")


def _third(verb: str) -> str:
    if verb.endswith(_SIBILANT):
        return verb + "es"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if len(verb) <= 4 and _CVC.match(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def verb_forms(verb: str, irregular: Mapping[str, Iterable[str]], present: bool = True) -> set[str]:
    """The lemma, its third person and its past forms ("choose" -> chose, chosen, chooses).

    ``present=False`` keeps only the past forms: the bare lemma is also the
    imperative and the infinitive ("let Sam choose" is an adult's offer), and
    the present often describes a habit ("she points to photos"), not an act.
    """
    forms = set(irregular.get(verb, (_past(verb),)))
    if present:
        forms |= {verb, _third(verb)}
    return forms


def phrase_forms(
    phrase: str, irregular: Mapping[str, Iterable[str]], fixed: frozenset[str], present: bool = True
) -> set[str]:
    """Every form of a verb phrase, inflecting its first word ("point to" -> "pointed to").

    A phrase that starts with a word in ``fixed`` ("would like", "is clear
    that") is already finite and is kept as written.
    """
    text = " ".join(phrase.lower().split())
    words = text.split(" ")
    if not words[0] or words[0] in fixed:
        return {text}
    if (
        " " in text and text in irregular
    ):  # an idiom with its own past ("sum it up" -> "summed it up")
        return {*irregular[text], *([text] if present else [])}
    rest = words[1:]
    return {" ".join([form, *rest]) for form in verb_forms(words[0], irregular, present)}


def expand(
    phrases: Iterable[str],
    irregular: Mapping[str, Iterable[str]],
    fixed: frozenset[str],
    present: bool = True,
) -> frozenset[str]:
    """Every form of every phrase in a lemma list."""
    out: set[str] = set()
    for phrase in phrases:
        out |= phrase_forms(phrase, irregular, fixed, present)
    return frozenset(out)
