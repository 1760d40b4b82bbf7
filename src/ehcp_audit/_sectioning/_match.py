"""Decide whether one short line of text names a section.

The hard part of sectionizing is not finding "Section B" but *not* finding
section A in "A lot of people help me" or section I in "I like trains". So a
line is judged together with how it looks (:class:`Form`): a heading style
or outline level (``STRONG``), bold / ALL CAPS / a table heading row
(``WEAK``), or nothing (``PLAIN``). The plainer the line, the more of it must
be section words:

* a letter with a keyword ("Section B", "Part A") is trusted whenever the line
  looks like a heading or the letter is followed by ":"/"–";
* a letter with punctuation ("F – ...", "A)", "(A)") needs the rest to be that
  section's words, unless the line looks like a heading;
* a letter and a space ("A1 Summary of history") needs the rest to *start*
  with that section's words: this is what keeps "I like trains" out of I;
* a letter alone ("A", "H1") only counts in a heading or a table's letter cell;
* without a letter, a plain line must *be* a variant ("All about me"), a
  heading-looking line may start with one.

Everything is compiled once per rule set; one call costs a few regex runs.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from attrs import frozen

from .._regex_cache import compile_data, longest_first
from ._rules import ROLES, SectionRules


class Form(enum.IntEnum):
    """How strongly a line looks like a heading, whatever it says."""

    PLAIN = 0
    WEAK = 1  # bold, ALL CAPS, larger font, a table heading row
    STRONG = 2  # heading style, outline level, Markdown '#', reader-certain


# Members bound once (an enum member costs a lookup each time it is named).
_WEAK, _STRONG = Form.WEAK, Form.STRONG

_TRANSLATE = str.maketrans(
    {
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\t": " ",
    }
)
_MARKDOWN = re.compile(r"^\s*#{1,6}\s+|^\s*[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}\s*$")
_BULLET = re.compile(r"^\s*(?:[\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043*]|-(?=\s))\s*")
_BULLET_STARTS = "\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043*-"
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}\.\d{1,2})\s+")
#: What ``normalize`` drops from a line's end (after white space is collapsed).
_TRAIL_CHARS = " :;,.-"
_TRAIL_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ASIDE = re.compile(r"[(\[]([^()\[\]]+)[)\]]$")

# A section letter at the start of a line. ``also`` soaks up "and H2", "/F/E".
_CODE = r"h\s?[12]|[a-k]"
_LETTER = re.compile(
    rf"""
    ^(?:(?P<kw>sections?|part)\s*)?
    (?P<open>[(\[])?
    (?P<code>{_CODE})(?P<sub>\d{{1,2}}(?!\d))?
    (?(open)[)\]])
    (?P<also>(?:\s*(?:and|&|/|,)\s*(?:{_CODE})\d?(?![a-z0-9]))*)
    (?P<sep>\s+-+\s*|\s*-+\s+|\s*:\s*|\.\s+|\.$|\)\s*|\s+|$)
    (?P<rest>.*)$
    """,
    re.VERBOSE | re.DOTALL,
)
#: A heading in a template's own words with the section named after a dash, colon or bar:
#: "What we are working towards - Section E: Outcomes", "Help from social care | Sections
#: H1 and H2". The keyword is needed: after a dash a bare letter is too often a word.
_TITLED_CODE = re.compile(
    rf"""
    \s[-:|]\s*(?P<kw>sections?|part)\s+(?P<code>{_CODE})(?![a-z0-9])
    (?P<also>(?:\s*(?:and|&|/|,)\s*(?:{_CODE})\d?(?![a-z0-9]))*)
    (?:\s*[-:.]\s*[^-:|]*)?$
    """,
    re.VERBOSE,
)
#: A finite verb that makes the words after a section's code a sentence about it.
_TELLS = re.compile(r"\b(?:has|have|had|was|were|will|would)\b")
_TRAILING_CODE = re.compile(
    rf"""
    [(\[]\s*(?P<kw>(?:sections?|part)\s+)?(?P<code>{_CODE})\d?
    (?:\s*(?:[-/,&+]|and)\s*(?:{_CODE})\d?)*\s*[)\]]$
    """,
    re.VERBOSE,
)


def normalize(text: str) -> str:
    """Lower-case a line and smooth away the typography that varies by template.

    Dashes become "-", curly quotes straight, Markdown marks, bullets and
    outline numbers ("2.1") go, white space is collapsed and trailing
    punctuation dropped. Punctuation inside the line stays: the letter rules
    need it.
    """
    # It runs on many lines per plan, so the cheap cases are taken first:
    # ASCII text is already NFKC and only its backquote needs translating
    # (tabs fall to the white-space collapse), and the Markdown pattern, which
    # scans the whole line, runs only when a Markdown mark is there at all.
    if text.isascii():
        t = text.lower()
        if "`" in t:
            t = t.replace("`", "'")
    else:
        t = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).lower()
    if "#" in t or "*" in t or "_" in t:
        t = _MARKDOWN.sub("", t)
    # A bullet or an outline number is there only if the line starts with one
    # of their characters: test that before running their patterns.
    first = t.lstrip()[:1]
    if first and first in _BULLET_STARTS:
        t = _BULLET.sub("", t, count=1)
        first = t.lstrip()[:1]
    if first.isdigit():
        t = _NUMBERING.sub("", t, count=1)
    # Collapsing white space leaves " " the only white space, so trailing
    # punctuation and spaces come off with one rstrip.
    return " ".join(t.split()).rstrip(_TRAIL_CHARS)


def flatten(normalized: str) -> str:
    """The variant-matching form: letters, digits and single spaces."""
    t = normalized.replace("'", "").replace("&", " and ")
    return _NON_ALNUM.sub(" ", t).strip()


def strip_trailing_parens(normalized: str) -> str:
    """Drop trailing "(...)" asides: "Special educational needs (B-F-E)"."""
    if not normalized.rstrip().endswith((")", "]")):  # the usual line: nothing to drop
        return normalized
    for _ in range(3):
        stripped = _TRAIL_PAREN.sub("", normalized)
        if stripped == normalized:
            break
        normalized = stripped
    return normalized


def canonical_code(raw: str) -> tuple[str, bool]:
    """'h' -> ('H1', merged), 'h 2' -> ('H2', False), 'b' -> ('B', False)."""
    code = raw.replace(" ", "").upper()
    if code == "H":
        return "H1", True
    return code, False


def _coded(raw: str, also: str | None) -> tuple[str, bool]:
    """The code a heading names, and whether it covers H1 and H2 together ("H", or
    "H1 and H2" with the second code among the ``also`` ones)."""
    code, merged = canonical_code(raw)
    return code, merged or (code == "H1" and re.search(r"h\s?2", also or "") is not None)


def words(text: str) -> int:
    return len(text.split())


class LetterKind(enum.Enum):
    KEYWORD = "keyword"  # Section B / Part B
    PUNCT = "punct"  # B – / B: / B. / B) / (B)
    SPACE = "space"  # B Special educational needs
    BARE = "bare"  # B


@frozen
class HeadingMatch:
    """A line that names a section.

    ``how`` is ``letter``, ``variant`` or ``trailing``; ``merged_h`` marks a
    heading that covers H1 and H2 together; ``numbered`` a part such as
    "A1"/"A2", which is also worth listing as a subsection.
    """

    code: str
    how: str
    merged_h: bool = False
    numbered: bool = False
    letter_only: bool = False


@frozen
class _Compiled:
    code: str
    full: re.Pattern[str] | None  # literals + patterns, whole-line
    prefix: re.Pattern[str] | None  # literals at the start, to a word end
    search: re.Pattern[str] | None  # patterns anywhere


def _literal_regex(literals: tuple[str, ...]) -> str | None:
    flat = longest_first({flatten(normalize(v)) for v in literals} - {""})
    if not flat:
        return None
    return "|".join(re.escape(v) for v in flat)


#: Pattern text that could mean something else once merged with other
#: patterns: numbered back references and conditionals, named references.
_UNMERGEABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


class _AnyOf:
    """A quick "could any of these patterns match?" test, to skip them all at once.

    Most lines asked about name no section, and trying each section's
    patterns in turn costs a dozen regex runs; one merged alternation
    answers "none of them" in one. The merged patterns match exactly where
    at least one of them does, so only a yes needs the patterns one by one.
    Patterns that cannot be merged safely (a council's pattern with a back
    reference, a global inline flag) turn the test off: it then says yes.
    """

    __slots__ = ("_full", "_prefix", "_search")

    def __init__(self, compiled: tuple[_Compiled, ...]) -> None:
        self._prefix = _merge([c.prefix.pattern for c in compiled if c.prefix is not None])
        self._search = _merge([c.search.pattern for c in compiled if c.search is not None])
        self._full = _merge([c.full.pattern for c in compiled if c.full is not None])

    def may_start_or_contain(self, flat: str) -> bool:
        """False only when no prefix matches at the start and no pattern anywhere."""
        prefix, search = self._prefix, self._search
        if prefix is True or search is True:
            return True
        return (prefix is not None and prefix.match(flat) is not None) or (
            search is not None and search.search(flat) is not None
        )

    def may_be(self, flat: str) -> bool:
        """False only when no rule matches the whole of ``flat``."""
        full = self._full
        if full is True:
            return True
        return full is not None and full.fullmatch(flat) is not None


def _merge(sources: list[str]) -> re.Pattern[str] | Literal[True] | None:
    """One alternation of ``sources``; None when there are none, True when unsafe to merge."""
    if not sources:
        return None
    if any(_UNMERGEABLE.search(source) for source in sources):
        return True
    try:
        return compile_data("|".join(f"(?:{source})" for source in sources))
    except re.error:
        return True


def _compile_rule(code: str, literals: tuple[str, ...], patterns: tuple[str, ...]) -> _Compiled:
    lit = _literal_regex(literals)
    pat = "|".join(f"(?:{p})" for p in patterns) if patterns else None
    full_parts = [p for p in (lit, pat) if p]
    return _Compiled(
        code=code,
        full=compile_data("|".join(f"(?:{p})" for p in full_parts)) if full_parts else None,
        prefix=compile_data(rf"(?:{lit})(?![a-z0-9])") if lit else None,
        search=compile_data(pat) if pat else None,
    )


class Matcher:
    """Compiled form of a :class:`SectionRules`: the questions the walker asks."""

    def __init__(self, rules: SectionRules) -> None:
        self.rules = rules
        self._statutory = tuple(
            _compile_rule(r.code, r.variants, r.patterns) for r in rules.codes if r.code != "other"
        )
        other = rules.rule("other")
        self._other = _compile_rule("other", other.variants, other.patterns) if other else None
        self._by_code = {c.code: c for c in self._statutory}
        self._bracketed = {
            flat: r.code
            for r in rules.codes
            for flat in (flatten(normalize(v)) for v in r.bracketed)
            if flat
        }
        self._any_statutory = _AnyOf(self._statutory)
        subs = {flatten(normalize(s)) for r in rules.codes for s in r.subsections} - {""}
        self._subsections = (
            compile_data("|".join(re.escape(s) for s in longest_first(subs))) if subs else None
        )
        # One pattern for all roles, tried in ROLES order: the first role whose
        # phrase starts the heading names it (``lastgroup``).
        roles = dict(rules.column_roles)
        role_parts = []
        for role in ROLES:
            lit = _literal_regex(roles.get(role, ()))
            if lit:
                role_parts.append(rf"(?P<{role}>(?:{lit})(?![a-z0-9]))")
        self._roles = compile_data("|".join(role_parts)) if role_parts else None
        self._role_words = _first_words(p for _, phrases in rules.column_roles for p in phrases)
        self._subsection_words = _first_words(s for r in rules.codes for s in r.subsections)
        self._context = {key: dict(pairs) for key, pairs in rules.column_context}
        self._memo: dict[tuple[str, Form, bool, bool], HeadingMatch | None] = {}
        self._template = (
            compile_data("|".join(f"(?:{p})" for p in rules.template_text))
            if rules.template_text
            else None
        )

    # -- variants ---------------------------------------------------------------

    def _rest_matches(self, code: str, rest_norm: str, anywhere: bool) -> bool:
        """Whether the words after a section letter are that section's words."""
        compiled = self._by_code.get(code)
        if compiled is None or not rest_norm:
            return False
        flat = flatten(rest_norm)
        if not flat:
            return False
        # The statutory titles open with an article: "A The views, interests ...".
        if flat.startswith(("the ", "any ")) and self._rest_matches(code, flat[4:], anywhere):
            return True
        if compiled.prefix is not None and compiled.prefix.match(flat):
            return True
        if compiled.search is None:
            return False
        if anywhere:
            return compiled.search.search(flat) is not None
        return compiled.search.match(flat) is not None

    def variant(self, norm: str, form: Form) -> str | None:
        """The section a letter-less line names by its words, if any."""
        if form is Form.PLAIN:
            flat = flatten(strip_trailing_parens(norm))
            if not flat:
                return None
            if not self._any_statutory.may_be(flat):
                return self._other_full(flat)
            for compiled in self._statutory:
                if compiled.full is not None and compiled.full.fullmatch(flat):
                    return compiled.code
            return self._other_full(flat)
        flat = flatten(norm)
        if not flat:
            return None
        best = None
        if self._any_statutory.may_start_or_contain(flat):
            best = self._best(self._statutory, flat)
        if best is None and self._other is not None:
            best = self._best((self._other,), flat)
        return best

    def _other_full(self, flat: str) -> str | None:
        other = self._other
        if other is not None and other.full is not None and other.full.fullmatch(flat):
            return "other"
        return None

    @staticmethod
    def _best(candidates: tuple[_Compiled, ...], flat: str) -> str | None:
        best: tuple[int, int] | None = None
        best_code: str | None = None
        for compiled in candidates:
            spans: list[tuple[int, int]] = []
            if compiled.prefix is not None:
                m = compiled.prefix.match(flat)
                if m:
                    spans.append((0, m.end()))
            if compiled.search is not None:
                m2 = compiled.search.search(flat)
                if m2:
                    spans.append((m2.start(), m2.end() - m2.start()))
            for start, length in spans:
                key = (start, -length)
                if best is None or key < best:
                    best, best_code = key, compiled.code
        return best_code

    # -- the main question -----------------------------------------------------------

    def resolve(
        self, line: str, form: Form, *, letter_cell: bool = False, unmarked: bool = False
    ) -> HeadingMatch | None:
        """Which section ``line`` (one line, as written) is a heading for.

        ``letter_cell`` says the line is a table cell where a bare section
        letter is meaningful (the left-hand cell of a row, or a row of its own).
        ``unmarked`` says the document cannot mark a heading at all (plain
        text: no styles, no bold), so a plain line is not evidence against one.
        Answers are remembered: template headings and labels recur across a
        batch. Body text does not, so it is never remembered: a sentence that
        does not look like a heading is answered afresh, and cheaply (without
        a section letter in front it names no section).
        """
        raw = line.strip()
        # Even the longest lettered heading is far shorter than this.
        if not raw or len(raw) > 60 * self.rules.max_lettered_heading_words:
            return None
        key = (raw, form, letter_cell, unmarked)
        try:
            return self._memo[key]
        except KeyError:
            pass
        if form is not _STRONG and _reads_as_sentence(raw):
            if not _may_be_lettered(raw):
                return None
            return self._resolve(raw, form, letter_cell, sentence=True, unmarked=unmarked)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        found = self._memo[key] = self._resolve(raw, form, letter_cell, unmarked=unmarked)
        return found

    def _resolve(
        self,
        raw: str,
        form: Form,
        letter_cell: bool,
        *,
        sentence: bool | None = None,
        unmarked: bool = False,
    ) -> HeadingMatch | None:
        norm = normalize(raw)
        if not norm:
            return None
        n_words = words(norm)
        limits = self.rules
        if sentence is None:
            sentence = _reads_as_sentence(raw)
        m = _LETTER.match(norm)
        if m is not None and n_words <= limits.max_lettered_heading_words:
            found = self._letter(m, form, letter_cell, n_words, sentence)
            if found is not None:
                return found
        if n_words > limits.max_heading_words:
            return None
        if form < Form.STRONG and sentence:
            return None
        code = self.variant(norm, form)
        if code is not None:
            return HeadingMatch(code=code, how="variant")
        titled = _TITLED_CODE.search(norm) if form >= Form.WEAK else None
        if titled is not None:
            code, merged = _coded(titled.group("code"), titled.group("also"))
            return HeadingMatch(code=code, how="trailing", merged_h=merged)
        # A short line that names its section outright at its end, "What I will achieve
        # (Section E)", is a heading in plain text too, where nothing can mark one; in a
        # Word or PDF plan an unmarked line like it is body text.
        t = _TRAILING_CODE.search(norm) if form >= Form.WEAK or unmarked else None
        named = t is not None and bool(t.group("kw"))
        if t is not None and (
            (form >= Form.WEAK and (named or t.group("code") != "i")) or (unmarked and named)
        ):
            code, merged = canonical_code(t.group("code"))
            return HeadingMatch(code=code, how="trailing", merged_h=merged)
        if form >= Form.WEAK:
            # "What I will be able to do (outcomes)": the statutory name in brackets, only
            # where the line looks like a heading ("Ada has made good progress (outcomes)"
            # in a plain paragraph is a sentence).
            aside = _ASIDE.search(norm) if norm.endswith((")", "]")) else None
            if aside is not None:
                code = self._bracketed.get(flatten(aside.group(1)))
                if code is not None:
                    return HeadingMatch(code=code, how="trailing")
        return None

    def _letter(
        self, m: re.Match[str], form: Form, letter_cell: bool, n_words: int, sentence: bool
    ) -> HeadingMatch | None:
        code, merged = _coded(m.group("code"), m.group("also"))
        rest = m.group("rest").strip()
        sep = m.group("sep").strip()
        sub = m.group("sub")
        if m.group("kw"):
            kind = LetterKind.KEYWORD
        elif not rest:
            kind = LetterKind.BARE
        elif m.group("open") or sep:
            kind = LetterKind.PUNCT
        else:
            kind = LetterKind.SPACE
        # After punctuation ("F – ...") the section's words may come anywhere;
        # after a bare space ("A lot ...", "Section F of the plan ...") they
        # must come first.
        anywhere = kind is LetterKind.PUNCT or (kind is LetterKind.KEYWORD and bool(sep))
        rest_ok = self._rest_matches(code, rest, anywhere)
        if sentence and form is not Form.STRONG and (not rest_ok or _TELLS.search(rest)):
            # "Section I (placement) has been left blank so that you can ...": a sentence
            # about the section, which a statutory title (no such verb) never is.
            return None
        # "A" and "I" are English words ("I: like trains"): without the
        # section's own words after them, bold type only counts with a dash
        # or a bracket, which nobody writes after the pronoun.
        wordy = code in ("A", "I") and sep in (":", ".")
        if kind is LetterKind.KEYWORD:
            ok = form >= Form.WEAK or letter_cell or bool(sep) or not rest or rest_ok
        elif kind is LetterKind.BARE:
            ok = form is Form.STRONG or letter_cell
        elif kind is LetterKind.PUNCT:
            ok = rest_ok or form is Form.STRONG or (form is Form.WEAK and sep != "." and not wordy)
        else:
            # "A1 Summary of history", "B2 Cognition and learning"; but not
            # "B12 injections" or "A1 grades".
            ok = rest_ok or (sub is not None and self.is_known_subsection(rest))
        if not ok:
            return None
        if not rest_ok and kind is not LetterKind.BARE and n_words > self.rules.max_heading_words:
            return None
        return HeadingMatch(
            code=code,
            how="letter",
            merged_h=merged,
            numbered=sub is not None,
            letter_only=kind is LetterKind.BARE or (kind is LetterKind.KEYWORD and not rest),
        )

    # -- smaller questions -----------------------------------------------------------

    def is_known_subsection(self, line: str, *, normalized: str | None = None) -> bool:
        """A short line that is exactly a typical sub-heading ("Strengths").

        ``normalized`` is ``normalize(line)`` when the caller has it already.
        """
        if self._subsections is None or not _may_start_with(line, self._subsection_words):
            return False
        norm = normalize(line) if normalized is None else normalized
        flat = flatten(strip_trailing_parens(norm))
        return bool(flat) and self._subsections.fullmatch(flat) is not None

    def is_template_text(self, text: str) -> bool:
        """Guidance the template prints in every plan (never counts as filled in)."""
        if self._template is None:
            return False
        flat = flatten(normalize(text))
        return bool(flat) and self._template.search(flat) is not None

    def column_code(self, line: str, context: str | None) -> str | None:
        """The section a combined table's column heading stands for.

        Explicit headings ("F – Special educational provision") name their
        section; generic ones ("Provision") are read in the current context.
        """
        # Most cells asked about are data cells full of sentences: a sentence
        # names a section only after a section letter, and is never a generic
        # column heading, so most are turned away before anything else.
        sentence = _reads_as_sentence(line)
        if sentence and not _may_be_lettered(line):
            return None
        found = self.resolve(line, _WEAK, letter_cell=True)
        if found is not None and found.code != "other":
            return found.code
        if sentence:
            return None
        if self._roles is None or not _may_start_with(line, self._role_words):
            return None
        norm = normalize(line)
        if words(norm) > self.rules.max_heading_words:
            return None
        found_role = self._roles.match(flatten(strip_trailing_parens(norm)))
        if found_role is None:
            return None
        mapping = self._context.get(context or "", self._context.get("default", {}))
        return mapping.get(found_role.lastgroup or "")


_LETTERS = re.compile(r"[a-z]+")
_WORD = re.compile(r"[a-z0-9]+")


def _first_words(phrases: Iterable[str]) -> frozenset[str] | None:
    """The first words of phrases as matched (flattened), for :func:`_may_start_with`.

    None when some phrase starts with a digit: the quick test assumes letters.
    """
    found = set()
    for phrase in phrases:
        first = _WORD.match(flatten(normalize(phrase)))
        if first is None:
            continue  # flattens to nothing: can never match a line
        if not first.group().isalpha():
            return None
        found.add(first.group())
    return frozenset(found)


def _may_start_with(line: str, first_words: frozenset[str] | None) -> bool:
    """False only when ``flatten(normalize(line))`` cannot start with any of ``first_words``.

    Phrases are matched from the start of the flattened line up to a word end,
    so its first word must be one of theirs. For an ASCII line that word is
    the line's first run of letters once apostrophes are gone: normalising
    only lower-cases and drops marks, bullets and outline numbers before it,
    and flattening only splits words, never joins them (except across the
    apostrophes dropped here too). Other lines are not judged.
    """
    if first_words is None or not line.isascii():
        return True
    word = _LETTERS.search(line.lower().replace("'", "").replace("`", ""))
    return word is not None and word.group() in first_words


#: Leading characters normalising may drop (white space, Markdown marks,
#: bullets, outline numbers) or that may open a lettered heading ("(B)").
_LEAD = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f#*_-.()[]0123456789"
_TOKEN = re.compile(r"[a-z0-9]*")


def _may_be_lettered(raw: str) -> bool:
    """False only when ``_LETTER`` cannot match ``normalize(raw)``.

    A lettered heading starts with "section"/"part" or a section letter on
    its own (a-k, with at most two digits: "B", "A1", "H2"). For an ASCII
    line, normalising only lower-cases and drops leading white space, marks,
    bullets and outline numbers, so the first word left once those (and
    brackets) are skipped here is where the letter would have to be. Other
    lines are not judged.
    """
    if not raw.isascii():
        return True
    match = _TOKEN.match(raw.lower().lstrip(_LEAD))
    token = match.group() if match is not None else ""
    if token.startswith(("section", "part")):
        return True
    if not token or not "a" <= token[0] <= "k":
        return False
    digits = token[1:]
    return not digits or (len(digits) <= 2 and digits.isdigit())


_MEMO_SIZE = 8192
_INNER_SENTENCE = re.compile(r"[a-z0-9][.!?]\s+[A-Z]")


def _reads_as_sentence(raw: str) -> bool:
    """Body text, not a heading: ends with a full stop, or holds two sentences.

    A single letter before the stop ("B.") is a heading marker, not a sentence.
    """
    text = raw.strip()
    if text.endswith((".", "!")) and len(text.split(None, 3)) > 2:
        return True
    # Two sentences need a stop between them: most headings have none.
    if "." not in text and "!" not in text and "?" not in text:
        return False
    return _INNER_SENTENCE.search(text) is not None
