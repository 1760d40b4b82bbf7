"""The cue kinds the NLP components produce: the one list rule files are checked against.

A rule that names a cue kind no component produces would never fire, and a
rule that never fires passes silently; the rule loader refuses such a rule
instead, by checking it against :data:`CUE_KINDS`. When a component learns
to produce a new kind (or a new attribute), add it here in the same change.

This module imports nothing, so loading rule files does not need spaCy.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Every ``Cue.kind`` a component can produce.
CUE_KINDS: tuple[str, ...] = (
    "child_voice",
    "parent_voice",
    "professional_voice",
    "template_prompt",
    "views_method",
    "agency",
    "vague_provision",
    "quantified_provision",
    "outcome",
    "achievement",
    "feedback",
    "attendance",
    "family_role",
    "request_explained",
    "access_need",
    "acronym_unexpanded",
)

#: Fields every cue has, usable in a rule's ``where`` and ``distinct`` beside its attributes.
CUE_FIELDS: tuple[str, ...] = ("category", "section", "rule")

#: The attributes known for a kind. A rule's ``where``/``attribute``/``distinct`` naming
#: another attribute of one of these kinds is refused as a typo; kinds not listed here
#: accept any attribute name (their components do not promise a fixed set yet).
CUE_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "agency": frozenset({"role", "input", "author", "date", "appended", "reg6_source"}),
    "quantified_provision": frozenset({"what", "how_often", "how_long", "who"}),
    "outcome": frozenset(
        {"time_bound", "measurable", "child_centred", "pfa_domain", "is_provision"}
    ),
    "feedback": frozenset({"dated", "agreement_only"}),
    "attendance": frozenset({"who", "roles", "dated"}),
    "access_need": frozenset({"means", "involvement", "who"}),
}


def known_name(kind: str, name: str) -> bool:
    """Whether ``name`` is a field or a (possibly) known attribute of cues of ``kind``."""
    if name in CUE_FIELDS:
        return True
    known = CUE_ATTRIBUTES.get(kind)
    return known is None or name in known
