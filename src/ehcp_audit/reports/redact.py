"""Redaction: take a plan's personal details out of a record before it is shared.

Why: a quality-assurance officer hands batch reports to a partnership board
and to colleagues who have no need to know which child a plan is for. The
audit itself runs on the real text (a name tells "Sam said" from "Mum
said"); only what is written out afterwards is redacted, so the ratings are
the same with and without ``--redact``.

What is removed, and with what:

==========================================  ===================
the child's names (full, each part)         ``[child]``
a parent's or carer's names                 ``[parent]``
a family surname on its own ("Mrs Khan")    ``[family name]``
a sibling's or relative's name              ``[family member]``
the date of birth, in any format            ``[date of birth]``
an address after an "Address" label, and    ``[address]``
its street wherever else it appears
a UK postcode                               ``[postcode]``
an NHS number (3-3-4 digits, or 10 digits)  ``[NHS number]``
a UK phone number                           ``[phone]``
an e-mail address                           ``[email]``
==========================================  ===================

The names come from the record's own ``details`` (name, preferred name,
parents) and from what the plan says around them: a capitalised name next
to a family surname ("Sana and Tariq Qureshi"), after a relation word ("his
dad, Craig", "her brother Zayan") or before one in brackets ("Hannah Price
(Mother)"), a surname after a family given name ("Craig Dawson, Father") or
a couple's titles ("Mr and Mrs Abbott"), and the child naming themselves
("I'm Pavel"); a second pass follows the names just learnt. A learnt name
is never an all-capital word or a word on ``not_names``, and (unless it
stands right before a family surname) never a word the plan also writes in
lower case, so courses, languages and schools stay.

Names match as whole words (letters and digits make a word; underscores and
hyphens separate, so ``Sam_Taylor_EHCP.docx`` becomes ``[child]_EHCP.docx``
and ``Taylor_Sam.pdf`` ``[family name]_[child].pdf``), in any case, with their possessives
("Sam's", "Sams").

The trade-off for names that are ordinary words. A child called Will, Hope
or Mark (``common_words`` in ``rules/redaction.toml``) is removed only where
the word is written with a capital: "Will said" and "WILL" go, "he will
read" and "mark-making" stay. A sentence opening with the ordinary word
("Will it rain?") loses it too: when unsure, privacy wins. A possessive or
plural with a capital ("Marks") goes as well.

Every string in the record is redacted (quoted evidence, cues, sections'
text, details, findings, reasons, the source path and the batch file
names) except the keys in :data:`MACHINE_KEYS`, whose values come from the
tool, not the plan. Locations (``start``/``end``) still count characters of
the original text. Redaction is idempotent: a placeholder never matches a
pattern again. A record that could not be audited has no details to learn
names from, so its file name is replaced by ``plan-<first 12 digits of its
sha256>`` with the extension kept (the owner can still find the file by its
hash); the error message is redacted by the patterns.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any

from attrs import field, frozen

from .._resources import rules_dir
from ..details import parse_date

__all__ = ["MACHINE_KEYS", "PLACEHOLDERS", "Redactor", "Term", "personal_terms", "redact_record"]

CHILD = "[child]"
PARENT = "[parent]"
FAMILY_NAME = "[family name]"
FAMILY_MEMBER = "[family member]"
DATE_OF_BIRTH = "[date of birth]"
ADDRESS = "[address]"
POSTCODE = "[postcode]"
NHS_NUMBER = "[NHS number]"
PHONE = "[phone]"
EMAIL = "[email]"
PLACEHOLDERS = (
    CHILD, PARENT, FAMILY_NAME, FAMILY_MEMBER, DATE_OF_BIRTH,
    ADDRESS, POSTCODE, NHS_NUMBER, PHONE, EMAIL,
)  # fmt: skip

#: Keys whose string values the tool writes (identifiers, codes, enumerations, hashes):
#: never redacted, so a child called "Good" cannot blank a rating.
MACHINE_KEYS = frozenset({
    "schema_version", "tool", "sha256", "format", "kind", "rule", "level", "rating",
    "found_by", "code", "section", "overall", "category", "missing_sections",
})  # fmt: skip
#: Keys whose values are file paths: every folder and file name is redacted, the extension kept.
PATH_KEYS = frozenset({"path", "file", "duplicate_of"})

# -- word lists -------------------------------------------------------------------------


@frozen
class _Lists:
    common_words: frozenset[str]
    not_names: frozenset[str]
    parent_relations: tuple[str, ...]
    other_relations: tuple[str, ...]


@cache
def _lists() -> _Lists:
    with (rules_dir() / "redaction.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return _Lists(
        common_words=frozenset(w.lower() for w in data["common_words"]),
        not_names=frozenset(w.lower() for w in data["not_names"]),
        parent_relations=tuple(data["parent_relations"]),
        other_relations=tuple(data["other_relations"]),
    )


# -- fixed patterns -----------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+")
_NHS = re.compile(r"(?<!\d)(?:\d{3}[ \t\-]\d{3}[ \t\-]\d{4}|\d{10})(?!\d)")
# +44 or 0, then 9 or 10 more digits with single spaces, hyphens or a closing bracket between.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44[ \t\-]?(?:\(0\)[ \t\-]?)?|\(?0)\d(?:[ \t\-)]{0,2}\d){8,9}(?!\d)"
)
_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}(?![A-Za-z0-9])")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_ANY_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_ANY_DATE = (
    rf"\d{{1,2}}(?:st|nd|rd|th)?[ \t]*[/.\-][ \t]*\d{{1,2}}[ \t]*[/.\-][ \t]*\d{{2,4}}"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{_ANY_MONTH},?[ \t]+\d{{2,4}}"
    rf"|{_ANY_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
)
#: "Date of birth: 3 April 2015", "DOB - 03/04/15", "born on 3rd April 2015": whatever date follows.
_DOB_LABEL = re.compile(
    rf"(?P<label>\b(?:date[ \t]+of[ \t]+birth|d\.?o\.?b\b\.?|birth[ \t]?date|born(?:[ \t]+on)?)"
    rf"\**[ \t]*[:\-\u2013|]?\**[ \t]*\n?[ \t]*)(?P<date>{_ANY_DATE})(?!\d)",
    re.IGNORECASE,
)
#: An address label starting a line: "Address:", "Home address (if different ...):",
#: "- **Address:**".
_ADDRESS_LABEL = re.compile(
    r"^(?P<label>[ \t]*(?:\|[ \t]*)?(?:[-*\u2022][ \t]*)?(?:\*\*)?"
    r"(?:home |family |postal |current |main |child's |child\u2019s |young person's |"
    r"parents' |parent's )?address(?:es)?(?:[ \t]*\([^)\n]{0,80}\))?"
    # a separator (":", a table's "|", a tab), or an address starting with a number or a
    # flat ("Address 3 Orchard Row"), or nothing at all (the value is on the next line);
    # so "Address any concerns with the school" is left alone
    r"(?:[ \t]*(?:\*\*)?[ \t]*[:|\t](?:\*\*)?[ \t]*|[ \t]+(?=(?:flat|apartment|unit)\b|\d)"
    r"|[ \t]*(?:\*\*)?[ \t]*(?=\n|$)))(?P<value>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_PLACEHOLDER_ONLY = re.compile(
    r"^[\s,.;:|()\-]*(?:(?:" + "|".join(re.escape(p) for p in PLACEHOLDERS) + r")[\s,.;:|()\-]*)*$"
)
_DIGIT = re.compile(r"\d")
_WORD = r"[^\W\d_]"  # a letter, in any script
_NAME_WORD = rf"[A-Z]{_WORD}+(?:[-'\u2019][A-Z]{_WORD}+)?"
_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr)\.?\s+", re.IGNORECASE)
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def _is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER_ONLY.match(value))


# -- dates of birth -----------------------------------------------------------------------


def _date_pattern(date: dt.date) -> str:
    """Every way a plan writes this one date: 03/04/2015, 3.4.15, 3rd April 2015, 2015-04-03, ..."""
    day = f"0?{date.day}" if date.day < 10 else str(date.day)
    month = f"0?{date.month}" if date.month < 10 else str(date.month)
    yy = f"{date.year % 100:02d}"
    full = _MONTH_NAMES[date.month - 1]
    words = [full, full[:3]] + (["sept"] if date.month == 9 else [])
    month_word = "(?:" + "|".join(words) + r")\.?"
    ordinal = r"(?:st|nd|rd|th)?"
    sep = r"[ \t]*[/.\-_][ \t]*"
    forms = (
        rf"{day}{ordinal}{sep}{month}{sep}(?:{date.year}|{yy})",
        rf"{date.year}{sep}{month}{sep}{day}",
        rf"{day}{ordinal}[ \t\-]+(?:of[ \t]+)?{month_word},?[ \t\-]+(?:{date.year}|'?{yy})",
        rf"{month_word}[ \t]+{day}{ordinal},?[ \t]+{date.year}",
        f"{date.day:02d}{date.month:02d}{date.year}",
        f"{date.year}{date.month:02d}{date.day:02d}",
        f"{date.day:02d}{date.month:02d}{yy}",
    )
    return r"(?<!\d)(?:" + "|".join(forms) + r")(?!\d)"


# -- names ----------------------------------------------------------------------------------


@frozen
class Term:
    """One name to remove: as the plan writes it, what replaces it, and how it matches.

    ``common``: the name is also an ordinary word, so only its capitalised
    forms are removed (see the module docstring).
    """

    text: str
    placeholder: str
    common: bool = False


def _name_words(full: str) -> list[str]:
    bare = _TITLE.sub("", " ".join(full.split())).strip(" .,;:")
    return [w.strip(".,;:()") for w in bare.split() if len(w.strip(".,;:()")) > 1]


def _terms_for(full: str, role: str) -> Iterator[tuple[str, str]]:
    """(text, placeholder) for a full name, each given name, the surname, and hyphenated parts."""
    words = _name_words(full)
    if not words:
        return
    titled = _TITLE.match(full.strip()) is not None
    if len(words) > 1:
        yield " ".join(words), role
    for i, word in enumerate(words):
        surname = i == len(words) - 1 and (len(words) > 1 or titled)
        placeholder = FAMILY_NAME if surname else role
        yield word, placeholder
        for part in re.split(r"[-\u2010\u2011]", word):
            if len(part) > 1 and part != word:
                yield part, placeholder


def _surnames(names: Iterable[str]) -> list[str]:
    out = []
    for full in names:
        words = _name_words(full)
        if len(words) > 1 or (words and _TITLE.match(full.strip())):
            out.append(words[-1])
    return out


def _relation_pattern(relations: Iterable[str]) -> str:
    alts = sorted(
        (re.escape(r).replace(r"\ ", r"[ \t]+") for r in relations), key=len, reverse=True
    )
    return "(?:" + "|".join(alts) + ")"


@cache
def _relation_res() -> tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]:
    """Per role: a relation word just before a name, and one in brackets just after it."""
    lists = _lists()
    out = []
    for relations, role in (
        (lists.parent_relations, PARENT),
        (lists.other_relations, FAMILY_MEMBER),
    ):
        rel = _relation_pattern(relations)
        before = re.compile(rf"(?<![^\W_])(?i:{rel})[ \t]*,?[ \t]+(?:(?i:called|named)[ \t]+)?$")
        after = re.compile(rf"(?P<rest>(?:[ \t]+{_NAME_WORD}){{0,2}})[ \t]*\([ \t]*(?i:{rel})\b")
        out.append((before, after, role))
    return tuple(out)


#: The child naming themselves: "I'm Sam", "My name is Sam".
_SELF = re.compile(r"(?<![^\W_])(?:I['\u2019]m|I am|[Mm]y name is|[Mm]y name['\u2019]s)[ \t]+$")
_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z][a-z]")
#: "Mr and Mrs Abbott": a couple named by their titles is the family.
_COUPLE = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Mx)\.?[ \t]+(?:and|&)[ \t]+(?:Mr|Mrs|Ms|Mx)\.?[ \t]+(?P<name>{_NAME_WORD})"
)
_CAPITALISED = re.compile(rf"(?<![^\W_]){_NAME_WORD}(?![^\W_])")


def _learnt_names(
    text: str, surnames: list[str], given: list[str], lists: _Lists
) -> Iterator[tuple[str, str]]:
    """Family members the details do not list, from how the plan writes about them.

    A capitalised word (not a title or other word on ``not_names``) is a name
    when it stands before a family surname ("Sana and Tariq Qureshi"), or,
    if it is never written in lower case anywhere in the plan (an ordinary
    word would be), when a relation word comes just before it ("his dad,
    Craig"), in brackets after it ("Hannah Price (Mother)"), or when it
    follows a family given name: a surname the details do not give ("Cerys
    Mae Abbott" where the details hold an older surname).
    """
    lower_words = set(re.findall(r"(?<![^\W_])[a-z][a-z'\u2019]*", text))
    family = None
    if surnames:
        alts = "|".join(re.escape(s) for s in sorted(set(surnames), key=len, reverse=True))
        middle = "|".join(re.escape(g) for g in sorted(set(given), key=len, reverse=True))
        middle = rf"(?:(?:{middle})[ \t]+)?" if given else ""
        family = re.compile(
            rf"(?:[ \t]+(?:and|&)[ \t]+(?P<b>{_NAME_WORD}))?[ \t]+{middle}(?:{alts})(?![^\W_])"
        )
    relations = _relation_res()
    after_given = None
    if given:
        alts = "|".join(re.escape(g) for g in sorted(set(given), key=len, reverse=True))
        after_given = re.compile(rf"(?<![^\W_])(?:{alts})[ \t]+$")
    for m in _CAPITALISED.finditer(text):
        name = m.group(0)
        low = name.lower()
        if low in lists.not_names:
            continue
        if family is not None and (f := family.match(text, m.end())) is not None:
            yield name, FAMILY_MEMBER
            if f["b"] and f["b"].lower() not in lists.not_names:
                yield f["b"], FAMILY_MEMBER
            continue
        if low in lower_words:
            continue
        window = text[max(0, m.start() - 40) : m.start()]
        if name.isupper():  # "I'm OK", "Cal GCSE": not a name
            continue
        if (
            after_given is not None
            and after_given.search(window)
            and not _NEXT_CAPITAL.match(text, m.end())  # "Cal Entry Level 3" is a course
        ):
            yield name, FAMILY_NAME
            continue
        if _SELF.search(window):
            yield name, CHILD
            continue
        for before, after, role in relations:
            if before.search(window):
                yield name, role
                break
            if (b := after.match(text, m.end())) is not None:
                rest = [w for w in b["rest"].split() if w.lower() not in lists.not_names]
                yield from _terms_for(" ".join([name, *rest]), role)
                break


def _name_alternative(term: Term) -> str:
    words = [
        re.escape(w).replace("'", "['\u2019]").replace("\u2019", "['\u2019]")
        for w in term.text.split()
    ]
    if not term.common:
        return "(?i:" + r"[\s_]+".join(words) + ")"
    title = r"[\s_]+".join(w[:1].upper() + w[1:] for w in words)
    upper = r"[\s_]+".join(w.upper() for w in words)
    return f"(?:{title}|{upper})"


def _key(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("_", " ").split()).casefold()


# -- addresses ------------------------------------------------------------------------------


def _address_values(text: str) -> Iterator[str]:
    """Values after "Address" labels: on the same line, else the next line if it has a digit."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _ADDRESS_LABEL.match(line)
        if m is None:
            continue
        value = m["value"].strip(" |*\t")
        if not value and i + 1 < len(lines) and re.search(r"\d", lines[i + 1]):
            value = lines[i + 1].strip(" |*\t")
        if value and not _is_placeholder(value):
            yield value


def _street_terms(address: str) -> Iterator[str]:
    """The parts of an address that identify a home: "Flat 3", "18 Tanner St", "Tanner St"."""
    yield address
    for part in re.split(r"[,\n]", address):
        part = part.strip()
        if not re.search(r"\d", part) or _POSTCODE.fullmatch(part):
            continue
        yield part
        street = re.sub(
            r"^(?:flat|apartment|unit)?\s*\d+[A-Za-z]?\s*", "", part, flags=re.I
        ).strip()
        if len(street.split()) >= 2:
            yield street


# -- the redactor -----------------------------------------------------------------------------


def _strings(record: Mapping[str, Any]) -> list[str]:
    """Every string in the record the plan could have put there (not MACHINE_KEYS), once each."""
    found: dict[str, None] = {}
    stack: list[Any] = [record]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found[value] = None
        elif isinstance(value, dict):
            stack.extend(v for k, v in value.items() if k not in MACHINE_KEYS)
        elif isinstance(value, list):
            stack.extend(value)
    return list(found)


@frozen
class Redactor:
    """What to remove from one plan's record; build it with :meth:`for_record`.

    ``names`` are matched longest first, so "Inaya Qureshi" becomes one
    ``[child]`` rather than ``[child] [family name]``.
    """

    names: tuple[Term, ...]
    birth_dates: tuple[dt.date, ...]
    addresses: tuple[str, ...]
    hash_stand_in: str | None = None
    _names_re: re.Pattern[str] | None = field(default=None, eq=False, repr=False)
    _roles: Mapping[str, str] = field(factory=dict, eq=False, repr=False)
    _dates_re: re.Pattern[str] | None = field(default=None, eq=False, repr=False)
    _address_re: re.Pattern[str] | None = field(default=None, eq=False, repr=False)

    @classmethod
    def build(
        cls,
        names: Iterable[Term],
        birth_dates: Iterable[dt.date] = (),
        addresses: Iterable[str] = (),
        hash_stand_in: str | None = None,
    ) -> Redactor:
        """A redactor for these names, dates and addresses; a name's first placeholder wins."""
        roles: dict[str, str] = {}
        terms: list[Term] = []
        for term in names:
            if _key(term.text) not in roles and not _is_placeholder(term.text):
                roles[_key(term.text)] = term.placeholder
                terms.append(term)
        terms.sort(key=lambda t: len(t.text), reverse=True)
        names_re = None
        if terms:
            alts = "|".join(_name_alternative(t) for t in terms)
            names_re = re.compile(
                rf"(?<![^\W_])(?P<name>{alts})(?P<poss>['\u2019]s?|s['\u2019]?)?(?![^\W_])"
            )
        dates = tuple(dict.fromkeys(birth_dates))
        dates_re = re.compile("|".join(_date_pattern(d) for d in dates), re.I) if dates else None
        streets = tuple(dict.fromkeys(a for a in addresses if a.strip()))
        address_re = None
        if streets:
            alts = "|".join(
                r"[\s,]+".join(re.escape(w) for w in re.split(r"[\s,]+", a.strip()))
                for a in sorted(streets, key=len, reverse=True)
            )
            address_re = re.compile(rf"(?<![^\W_])(?:{alts})(?![^\W_])", re.I)
        return cls(
            tuple(terms), dates, streets, hash_stand_in, names_re, roles, dates_re, address_re
        )

    @classmethod
    def for_record(cls, record: Mapping[str, Any]) -> Redactor:
        """Learn the names, date of birth and address from the record's details and text."""
        lists = _lists()
        details = record.get("details") or {}
        text = "\n".join(_strings(record))
        found: list[tuple[str, str]] = []
        child = [v for v in (details.get("name"), details.get("preferred_name")) if v]
        parents = [p for p in details.get("parents") or [] if p]
        words = _name_words(child[0]) if child else []
        # A middle name is rarely used alone and is often a parent's first name ("Yusuf
        # Karim Haddad", son of Karim): the parent's placeholder takes it.
        middle = {w for w in words[1:-1]}
        child_terms = [t for full in child for t in _terms_for(full, CHILD)]
        found.extend(t for t in child_terms if t[0] not in middle)
        if len(words) > 1:
            # "Jayden Cole" for Jayden Michael Cole, "Ellie Carter" for Eleanor Mae Carter (Ellie)
            given = [words[0], *(_name_words(v)[0] for v in child[1:] if _name_words(v))]
            found.extend((f"{g} {words[-1]}", CHILD) for g in dict.fromkeys(given))
        for full in parents:
            found.extend(_terms_for(full, PARENT))
        found.extend(t for t in child_terms if t[0] in middle)
        people = [*child, *parents]
        given = [w for full in people for w in _name_words(full)[:-1] or _name_words(full)]
        surnames = _surnames(people) + [m["name"] for m in _COUPLE.finditer(text)]
        learnt = list(_learnt_names(text, surnames, given, lists))
        # once more with the names just learnt ("her brother Hari" ... "Hari Abbott")
        more = [t for t, role in learnt if role != FAMILY_NAME and t not in given]
        new_surnames = [t for t, role in learnt if role == FAMILY_NAME and t not in surnames]
        if more or new_surnames:
            learnt += _learnt_names(text, surnames + new_surnames, [*given, *more], lists)
        found.extend(learnt)
        # A title or relation in a details field ("Mum", "Mrs") is not a name; a child
        # called Will is, though "will" is never learnt from the text as one.
        names = (
            Term(t, role, common=all(w.lower() in lists.common_words for w in t.split()))
            for t, role in found
            if t.lower() not in lists.not_names or t.lower() in lists.common_words
        )
        dates: list[dt.date] = []
        raw_dob = details.get("date_of_birth")
        if raw_dob and not _is_placeholder(raw_dob):
            with contextlib.suppress(ValueError):
                dates.append(dt.date.fromisoformat(raw_dob))
        for m in _DOB_LABEL.finditer(text):
            if (date := parse_date(m["date"])) is not None:
                dates.append(date)
        addresses = [s for value in _address_values(text) for s in _street_terms(value)]
        stand_in = None
        if "error" in record and not details:
            sha = str((record.get("source") or {}).get("sha256") or "")
            stand_in = f"plan-{sha[:12]}" if sha else "plan"
        return cls.build(names, dates, addresses, stand_in)

    def redact(self, text: str) -> str:
        """``text`` with every personal detail replaced by its placeholder."""
        if not text:
            return text
        if "@" in text:
            text = _EMAIL.sub(EMAIL, text)
        text = _ADDRESS_LABEL.sub(self._address_line, text)
        if self._address_re is not None:
            text = self._address_re.sub(ADDRESS, text)
        if _DIGIT.search(text):  # every pattern below needs a digit somewhere
            text = _DOB_LABEL.sub(lambda m: m["label"] + DATE_OF_BIRTH, text)
            if self._dates_re is not None:
                text = self._dates_re.sub(DATE_OF_BIRTH, text)
            text = _NHS.sub(NHS_NUMBER, text)
            text = _PHONE.sub(PHONE, text)
            text = _POSTCODE.sub(POSTCODE, text)
        if self._names_re is not None:
            text = self._names_re.sub(self._name, text)
        return text

    def redact_path(self, path: str) -> str:
        """A file path with names redacted in every folder and file name; the extension kept.

        Inside a file name, names are also removed where they run into other
        letters ("SamTaylorEHCP.docx"): a name in a file name is far more
        likely than a short name inside an ordinary word.
        """
        if not path:
            return path
        parts = re.split(r"([/\\])", path)
        last = len(parts) - 1
        suffix_m = _SUFFIX.search(parts[last])
        suffix = suffix_m.group(0) if suffix_m else ""
        if self.hash_stand_in is not None:
            return self.hash_stand_in + suffix
        parts[last] = parts[last][: len(parts[last]) - len(suffix)]
        out = []
        for part in parts:
            if part in ("/", "\\", "", ".", ".."):
                out.append(part)
                continue
            part = self.redact(part)
            for term in self.names:
                if len(term.text) >= 3 and " " not in term.text:
                    flags = 0 if term.common else re.I
                    text = term.text[:1].upper() + term.text[1:] if term.common else term.text
                    part = re.sub(re.escape(text), term.placeholder, part, flags=flags)
            out.append(part)
        return "".join(out) + suffix

    def _address_line(self, m: re.Match[str]) -> str:
        value = m["value"].strip(" |*\t")
        if not value or _is_placeholder(value):
            return m.group(0)
        return m["label"] + ADDRESS

    def _name(self, m: re.Match[str]) -> str:
        placeholder = self._roles.get(_key(m["name"]), CHILD)
        poss = m["poss"] or ""
        if poss and poss[0] == "s":
            poss = "'s"
        return placeholder + poss

    def terms(self) -> list[Term]:
        """Everything this redactor removes, as terms: names, addresses, dates of birth."""
        out = list(self.names)
        out.extend(Term(a, ADDRESS) for a in self.addresses)
        for date in self.birth_dates:
            month = _MONTH_NAMES[date.month - 1].capitalize()
            for form in (
                f"{date:%d/%m/%Y}",
                f"{date.day}/{date.month}/{date.year}",
                f"{date:%d.%m.%Y}",
                f"{date:%d-%m-%Y}",
                date.isoformat(),
                f"{date.day} {month} {date.year}",
                f"{date.day}{_ordinal(date.day)} {month} {date.year}",
                f"{month} {date.day}, {date.year}",
                f"{date.day} {month[:3]} {date.year}",
            ):
                out.append(Term(form, DATE_OF_BIRTH))
        return out


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


# -- records ---------------------------------------------------------------------------------


def _walk(value: Any, key: str | None, redact: Callable[[str], str], redactor: Redactor) -> Any:
    """A redacted copy of a JSON value (records are plain dicts and lists: checked as such,
    which is several times faster than through the abstract Mapping)."""
    if key in MACHINE_KEYS:
        return copy.deepcopy(value)
    kind = type(value)
    if kind is str:
        return redactor.redact_path(value) if key in PATH_KEYS else redact(value)
    if kind is dict or isinstance(value, Mapping):
        return {k: _walk(v, k, redact, redactor) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_walk(item, key, redact, redactor) for item in value]
    return value


def redact_record(record: Mapping[str, Any], redactor: Redactor | None = None) -> dict[str, Any]:
    """A new record with the plan's personal details replaced; ``record`` is left as it was.

    Works on an audited record and on an error record (see the module
    docstring). ``redactor`` defaults to :meth:`Redactor.for_record`.
    """
    redactor = redactor or Redactor.for_record(record)
    # Evidence quotes the same sentences as cues and principles: redact each string once.
    redact = lru_cache(maxsize=None)(redactor.redact)
    return _walk(record, None, redact, redactor)


def personal_terms(record: Mapping[str, Any]) -> list[Term]:
    """What must not appear in the record once redacted.

    Names, addresses, the date of birth in its usual formats, and the e-mail
    addresses, phone and NHS numbers and postcodes the record holds.
    """
    redactor = Redactor.for_record(record)
    text = "\n".join(_strings(record))
    out = redactor.terms()
    for pattern, placeholder in (
        (_EMAIL, EMAIL),
        (_NHS, NHS_NUMBER),
        (_PHONE, PHONE),
        (_POSTCODE, POSTCODE),
    ):
        out.extend(Term(m.group(0), placeholder) for m in pattern.finditer(text))
    return out
