"""Load ``rules/sections.toml`` into plain, validated data.

Kept apart from matching so that a malformed rule file fails once, with a
:class:`ConfigError` naming the key, before any plan is read; and so that a
council's extra heading variants can be merged in without touching the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from .._errors import ConfigError
from .._model import SECTION_CODES
from .._toml import parse_toml

#: Codes a rule or an extra variant may name.
RULE_CODES: tuple[str, ...] = (*SECTION_CODES, "other")
ROLES: tuple[str, ...] = ("need", "provision", "outcome")


@frozen
class CodeRule:
    """The words that name one section (or ``other``)."""

    code: str
    title: str
    variants: tuple[str, ...]
    patterns: tuple[str, ...]
    subsections: tuple[str, ...] = ()
    #: Statutory names a child-friendly heading may give in brackets after
    #: its own words: "What I will be able to do (outcomes)".
    bracketed: tuple[str, ...] = ()


@frozen
class SectionRules:
    """Everything ``sections.toml`` says, validated."""

    codes: tuple[CodeRule, ...]
    column_roles: tuple[tuple[str, tuple[str, ...]], ...]
    column_context: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    max_heading_words: int = 20
    max_lettered_heading_words: int = 40
    max_subsection_words: int = 12
    template_text: tuple[str, ...] = ()
    max_label_words: int = 5

    def rule(self, code: str) -> CodeRule | None:
        for rule in self.codes:
            if rule.code == code:
                return rule
        return None

    def with_extras(self, extras: Mapping[str, Sequence[str]] | None) -> SectionRules:
        """A copy with a council's own heading variants added.

        A string starting ``re:`` is a pattern, anything else a literal phrase.
        """
        if not extras:
            return self
        if not isinstance(extras, Mapping):
            raise ConfigError(
                "extra section variants must map a section code to a list of headings"
            )
        added: dict[str, tuple[list[str], list[str]]] = {}
        for raw_code, values in extras.items():
            code = _canonical_code(raw_code)
            if isinstance(values, str) or not isinstance(values, Sequence):
                raise ConfigError(
                    f"extra variants for section {raw_code!r} must be a list of strings"
                )
            literals, patterns = added.setdefault(code, ([], []))
            for value in values:
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(
                        f"extra variants for section {raw_code!r} must be non-empty strings"
                    )
                if value.startswith("re:"):
                    patterns.append(_checked_pattern(value[3:], f"extra variant for {raw_code!r}"))
                else:
                    literals.append(value)
        codes = []
        for rule in self.codes:
            literals, patterns = added.get(rule.code, ([], []))
            codes.append(
                CodeRule(
                    code=rule.code,
                    title=rule.title,
                    variants=(*rule.variants, *literals),
                    patterns=(*rule.patterns, *patterns),
                    subsections=rule.subsections,
                    bracketed=rule.bracketed,
                )
            )
        return SectionRules(
            codes=tuple(codes),
            column_roles=self.column_roles,
            column_context=self.column_context,
            max_heading_words=self.max_heading_words,
            max_lettered_heading_words=self.max_lettered_heading_words,
            max_subsection_words=self.max_subsection_words,
            template_text=self.template_text,
            max_label_words=self.max_label_words,
        )


def _canonical_code(raw: object) -> str:
    if not isinstance(raw, str):
        raise ConfigError(f"{raw!r} is not a section code")
    code = raw.strip()
    code = {"h": "H1"}.get(code.lower(), code.upper() if code.lower() != "other" else "other")
    if code not in RULE_CODES:
        raise ConfigError(f"{raw!r} is not a section code (use one of {', '.join(RULE_CODES)})")
    return code


def _checked_pattern(pattern: str, where: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(
            f"{where}: {pattern!r} is not a valid regular expression ({exc})"
        ) from None
    return pattern


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"sections.toml: {where} must be a list of strings")
    return tuple(value)


def _int(table: Mapping[str, Any], key: str, default: int) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"sections.toml: limits.{key} must be a positive whole number")
    return value


def parse_rules(data: Mapping[str, Any]) -> SectionRules:
    """Validate a parsed ``sections.toml``."""
    sections = data.get("sections")
    if not isinstance(sections, dict):
        raise ConfigError("sections.toml has no [sections.X] tables")
    codes: list[CodeRule] = []
    for code in SECTION_CODES:
        entry = sections.get(code)
        if not isinstance(entry, dict):
            raise ConfigError(f"sections.toml: [sections.{code}] is missing")
        patterns = _strings(entry.get("patterns"), f"sections.{code}.patterns")
        for pattern in patterns:
            _checked_pattern(pattern, f"sections.toml: sections.{code}.patterns")
        codes.append(
            CodeRule(
                code=code,
                title=str(entry.get("title", "")),
                variants=_strings(entry.get("variants"), f"sections.{code}.variants"),
                patterns=patterns,
                subsections=_strings(entry.get("subsections"), f"sections.{code}.subsections"),
                bracketed=_strings(entry.get("bracketed"), f"sections.{code}.bracketed"),
            )
        )
    unknown = set(sections) - set(SECTION_CODES)
    if unknown:
        raise ConfigError(f"sections.toml: unknown section code(s) {', '.join(sorted(unknown))}")
    other = data.get("other", {})
    if not isinstance(other, dict):
        raise ConfigError("sections.toml: [other] must be a table")
    other_patterns = _strings(other.get("patterns"), "other.patterns")
    for pattern in other_patterns:
        _checked_pattern(pattern, "sections.toml: other.patterns")
    codes.append(
        CodeRule(
            code="other",
            title="Other",
            variants=_strings(other.get("variants"), "other.variants"),
            patterns=other_patterns,
        )
    )

    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise ConfigError("sections.toml: [columns] must be a table")
    roles = tuple((role, _strings(columns.get(role), f"columns.{role}")) for role in ROLES)
    context_raw = columns.get("context", {})
    if not isinstance(context_raw, dict):
        raise ConfigError("sections.toml: [columns.context] must be a table")
    context: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for key, mapping in context_raw.items():
        if key != "default":
            _canonical_code(key)
        if not isinstance(mapping, dict):
            raise ConfigError(f"sections.toml: columns.context.{key} must map roles to codes")
        pairs = []
        for role, code in mapping.items():
            if role not in ROLES or not isinstance(code, str):
                raise ConfigError(f"sections.toml: columns.context.{key} has a bad entry {role!r}")
            pairs.append((role, _canonical_code(code)))
        context.append((key, tuple(pairs)))

    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        raise ConfigError("sections.toml: [limits] must be a table")
    template = data.get("template_text", {})
    if not isinstance(template, dict):
        raise ConfigError("sections.toml: [template_text] must be a table")
    template_text = _strings(template.get("patterns"), "template_text.patterns")
    for pattern in template_text:
        _checked_pattern(pattern, "sections.toml: template_text.patterns")
    return SectionRules(
        codes=tuple(codes),
        column_roles=roles,
        column_context=tuple(context),
        max_heading_words=_int(limits, "max_heading_words", 20),
        max_lettered_heading_words=_int(limits, "max_lettered_heading_words", 40),
        max_subsection_words=_int(limits, "max_subsection_words", 12),
        template_text=template_text,
        max_label_words=_int(limits, "max_label_words", 5),
    )


def load_rules(path: Path) -> SectionRules:
    """Read and validate a ``sections.toml`` file."""
    try:
        data = parse_toml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path.name} could not be read ({type(exc).__name__}: {exc})") from None
    return parse_rules(data)
