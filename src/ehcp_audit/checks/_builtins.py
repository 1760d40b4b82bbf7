"""Built-in Python checks: what the rubric asks for that data rules cannot say.

Each is registered in ``pyproject.toml`` under the ``ehcp_audit.checks``
entry point group and also listed in :data:`BUILTINS`, so they work from a
source checkout too. Each reads its settings from the rule's ``options``
table; the options each accepts are in :data:`OPTIONS`, and the loader
refuses others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from attrs import frozen

from .._errors import ConfigError
from .._model import Block, BlockKind, Cue, Evidence, PlanAudit
from ._blocks import block_at, has_content, year_number
from ._match import cue_evidence, cues_of_kind, in_scope, pattern_evidence, sentence_span
from ._spec import CheckResult, RuleSpec

# -- review date ----------------------------------------------------------------------

#: A date precise enough to plan a meeting for: a day or a month, with the year.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}|{_MONTH}\.?,?\s+\d{{4}}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})"
)
#: A school term with its year ("the spring term of 2027", "Summer term 2027"): schools
#: and families plan a review by term, so it sets the review as a month does.
_TERM = r"(?:the\s+)?(?:spring|summer|autumn)\s+(?:half[-\s])?term,?\s+(?:of\s+)?\d{4}"
#: The plan (its EHC plan or placement) named as what is reviewed, also by the child's
#: possessive ("Kai's plan").
_THE_PLAN = (
    r"(?:this|the|his|her|their|my|your|[A-Z][\w'-]*['’]s)\s+(?:EHC\s+|EHCP\s+)?(?:plan|placement)"
)
#: A sentence that sets the plan's next review for a date. A past review ("after the annual
#: review on 10 February", "the review meeting was held on ...") or a programme's own review
#: ("the OT will review the programme") is not the plan's review date. The plan's review is
#: named ("next review", "annual review due"), the plan or its placement "will (next) be
#: reviewed" (or "... and it will be reviewed") or "is due for review", someone "will meet
#: to review this plan", a first, early or interim review of the plan "will take place" or
#: "is set", an annual review (meeting) "has been booked", or a "Review" label (a table
#: row or a text export's "Review | Within 12 months (May 2025)") is followed by the date:
#: a day or a month with its year, or a school term with its year.
REVIEW_PATTERN = (
    r"(?:\b(?:next\s+(?:annual\s+)?review|review\s+date|date\s+of\s+(?:the\s+)?next\s+review"
    rf"|{_THE_PLAN}(?:[^.]{{0,80}}?\b(?:it|this))?\s+(?:will|is\s+to)"
    r"\s+(?:(?:next|first|again|then|also|formally)\s+)?be\s+reviewed"
    rf"|{_THE_PLAN}\s+is\s+(?:next\s+)?due\s+"
    r"(?:for\s+(?:its\s+)?(?:annual\s+)?review|to\s+be\s+reviewed)"
    rf"|\b(?:will|shall|to)\s+(?:[\w-]+\s+){{0,3}}?review\s+(?:of\s+)?{_THE_PLAN}"
    rf"|(?:first|early|earlier|interim|next)\s+review\s+of\s+{_THE_PLAN}\s+"
    r"(?:will|is|has\s+been|must|should)\b"
    r"|annual\s+review\s+(?:meeting\s+)?(?:will\s+be|is|has\s+been|is\s+being)\s+"
    r"(?:held|due|booked|planned|arranged|scheduled|set)|annual\s+review\s+due)\b"
    r"|\breview\s*[|:])[^.\n]{0,80}?\b" + rf"(?:{DATE}|{_TERM})" + r"\b"
)


def review_date_set(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """The plan states when it will next be reviewed (in its details or in its text)."""
    date = plan.details.review_date
    if date is not None:
        return CheckResult(
            True, (Evidence(text=f"Review date: {date.isoformat()}", section="front"),)
        )
    found = pattern_evidence(plan, rule.scope, _regex(_option_str(rule, "pattern", REVIEW_PATTERN)))
    return CheckResult(bool(found), tuple(found[:1]))


# -- outcomes that take up what the child and family said -----------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Words every plan uses whatever the child said: sharing them links nothing.
_GENERIC_WORDS = """
    able about above after again against also always another around because been before
    being better between both cannot could does doing done during each either enough every
    from further have having help helped helping here into just know like likes liked make
    makes many might more most much must need needs never next only other others over really
    same should some such than that their them then there these they thing things this those
    through time times under until very want wants wanted well were what when where which
    while will with within without would your yours year years week weeks term terms month
    months support supported supporting adult adults staff school setting home people
    person child young parent parents family mum dad carer carers develop developing
    progress improve improved skills skill learn learning access provide provided able
    feel feels felt think thinks thought said says told tell talk talked good best better
    happy important enjoy enjoys enjoyed love loves loved find finds found going make
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_VOICE_KINDS = ("child_voice", "parent_voice")


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'").split("'")[0] for w in _WORD.findall(text)]


def _content(word: str, skip: frozenset[str]) -> bool:
    return len(word) >= 4 and word not in _GENERIC and word not in skip


def _stems(text: str, names: Iterable[str], generic: frozenset[str] = frozenset()) -> set[str]:
    skip = frozenset(n.casefold() for n in names) | generic
    return {low[:5] for low in _words(text) if _content(low, skip)}


def _phrases(text: str, skip: frozenset[str], function_words: frozenset[str]) -> set[str]:
    """Two-word phrases with a content word in them ("radio aid", "wheelchair basketball").

    Function words, numbers and names make no phrase: "one friend" and "one
    friendship" share a number, not a phrase.
    """
    words = _words(text)
    stop = function_words | skip
    return {
        f"{a[:5]} {b[:5]}"
        for a, b in pairwise(words)
        if a not in stop and b not in stop and (_content(a, skip) or _content(b, skip))
    }


@frozen
class _TakeUp:
    """What counts as an outcome visibly taking up the child's words (the rule's options)."""

    skip: frozenset[str]
    min_shared: int
    function_words: frozenset[str]

    def visible(self, voice: str, outcome: str, shared: set[str]) -> bool:
        """More than a chance word in common: ``min_shared`` content words, or a phrase."""
        if len(shared) >= self.min_shared:
            return True
        return bool(
            _phrases(voice, self.skip, self.function_words)
            & _phrases(outcome, self.skip, self.function_words)
        )


def _outcome_sentences(plan: PlanAudit, sections: tuple[str, ...]) -> list[Evidence]:
    cues = [c for c in plan.cues if c.kind == "outcome" and c.section in sections]
    if cues:
        return [cue_evidence(c) for c in cues]
    found = []
    for section in plan.sections:
        if section.code not in sections:
            continue
        for block in section.blocks:
            if not has_content(block):
                continue
            start = 0
            while start < len(block.text):
                begin, end = sentence_span(block.text, start, start)
                if end > begin:
                    found.append(
                        Evidence(block.text[begin:end], section.code, block.location(begin, end))
                    )
                start = max(end, start) + 1
    return found


def outcomes_take_up_views(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """Outcomes visibly take up what the child or family said (shared words, names aside).

    Auditors read "visibly take up" as more than the family's worry echoed
    in an outcome: at least one linked outcome must answer the child's own
    views (``child_voice_kinds``), since a plan whose outcomes take up only
    what the adults said is not yet shaped by the child. That answer must be
    visible, not one word that happens to recur ("lunchtime", "books",
    "teacher"): the outcome shares ``child_min_shared`` content words with
    the child's sentence, or a two-word phrase (``function_words`` make no
    phrase). ``generic_words`` are words that link nothing (months, days).
    An outcome in stock words (``stock_outcomes``: "will make progress in his reading
    and writing", "a successful transition to secondary school") takes up nobody: it
    would be written whatever the child said, so a word it shares with them is chance.
    """
    views_in = tuple(_option_list(rule, "views_sections", ["A"]))
    outcomes_in = tuple(_option_list(rule, "outcome_sections", ["E"]))
    needed = _option_int(rule, "min_links", 1)
    childs = set(_option_list(rule, "child_voice_kinds", []))
    names = [n for n in (plan.details.name, plan.details.preferred_name) if n]
    names += [part for n in names for part in re.split(r"[\s\-‐–]+", n) if part]
    generic = frozenset(w.casefold() for w in _option_list(rule, "generic_words", []))
    take_up = _TakeUp(
        skip=frozenset(n.casefold() for n in names) | generic,
        min_shared=_option_int(rule, "child_min_shared", 1),
        function_words=frozenset(w.casefold() for w in _option_list(rule, "function_words", [])),
    )
    voices = [c for c in plan.cues if c.kind in _VOICE_KINDS and c.section in views_in]
    if not voices:
        return CheckResult(False, (), f"{rule.message} (no child or parent views found to take up)")
    voice_stems = [(_stems(c.text, names, generic), c) for c in voices]
    links: list[Evidence] = []
    linked = 0
    child_taken_up = not childs
    stock_source = _option_str(rule, "stock_outcomes", "")
    stock = _regex(stock_source) if stock_source else None
    for outcome in _outcome_sentences(plan, outcomes_in):
        if stock is not None and stock.search(outcome.text):
            continue
        words = _stems(outcome.text, names, generic)
        partners = [(stems & words, c) for stems, c in voice_stems if stems & words]
        if not partners:
            continue
        linked += 1
        childs_own = [
            c
            for shared, c in partners
            if c.kind in childs and take_up.visible(c.text, outcome.text, shared)
        ]
        child_taken_up = child_taken_up or bool(childs_own)
        partner = next(iter(childs_own), next((c for _, c in partners if c.kind in childs), None))
        links += [outcome, cue_evidence(partner or partners[0][1])]
    if linked >= needed and child_taken_up:
        return CheckResult(True, tuple(links))
    why = f"{linked} outcome(s) linked; {needed} expected"
    if linked >= needed:
        why = (
            "they take up what the adults said or a word the child used,"
            " but none visibly takes up the child's own views"
        )
    return CheckResult(False, tuple(links), f"{rule.message} ({why})")


# -- advice from every regulation 6(1) source -----------------------------------------

REG6_SOURCES = ("parent", "school", "medical", "educational_psychologist", "social_care")
_SOURCE_WORDS = {
    "parent": "the parent or young person",
    "school": "the school or setting",
    "medical": "health (medical advice)",
    "educational_psychologist": "an educational psychologist",
    "social_care": "social care",
    "preparing_for_adulthood": "preparing for adulthood",
}


def reg6_advice_complete(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """K lists advice from each regulation 6(1) source (preparing for adulthood from Year 9)."""
    required = list(_option_list(rule, "sources", list(REG6_SOURCES)))
    from_year = _option_int(rule, "pfa_from_year", 9)
    year = year_number(plan.details.year_group)
    age = plan.details.age
    # Year 9 starts at 13 and ends at 14; with only an age, count from 14 to be sure.
    old_enough = year >= from_year if year is not None else age is not None and age >= from_year + 5
    if old_enough and "preparing_for_adulthood" not in required:
        required.append("preparing_for_adulthood")
    scope = set(rule.scope or ("K",))
    firsts: dict[str, Evidence] = {}
    for cue in plan.cues:
        if cue.kind == "agency" and cue.section in scope:
            source = cue.attributes.get("reg6_source")
            if isinstance(source, str):
                firsts.setdefault(source, cue_evidence(cue))
    evidence = tuple(firsts[s] for s in required if s in firsts)
    missing = [s for s in required if s not in firsts]
    if not missing:
        return CheckResult(True, evidence)
    words = ", ".join(_SOURCE_WORDS.get(s, s) for s in missing)
    return CheckResult(False, evidence, f"{rule.message} (no advice from {words})")


# -- advice in K, each with its date ---------------------------------------------------


def advice_dated(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """Each piece of advice listed in K says when it was given (regulation 12: with dates)."""
    scope = rule.scope or ("K",)
    wanted = set(scope)
    date = _regex(DATE)
    entries: dict[tuple[str, str], tuple[Cue, bool]] = {}
    for cue in cues_of_kind(plan, "agency"):
        if cue.section not in wanted or "advice" not in cue.attributes:
            continue
        key = (str(cue.attributes.get("advice") or ""), str(cue.attributes.get("author") or ""))
        dated = bool(cue.attributes.get("date")) or _block_has(plan, cue, date)
        earlier = entries.get(key)
        if earlier is None or (dated and not earlier[1]):
            entries[key] = (cue, dated)
    if not entries:
        # K is not laid out as entries the tool can tell apart: a date anywhere will do.
        found = pattern_evidence(plan, scope, date)
        return CheckResult(bool(found), tuple(found[:1]))
    undated = [cue for cue, dated in entries.values() if not dated]
    if undated:
        return CheckResult(
            False,
            tuple(cue_evidence(c) for c in undated),
            f"{rule.message} ({len(undated)} of {len(entries)} entries have no date)",
        )
    return CheckResult(True, tuple(cue_evidence(c) for c, _ in entries.values()))


def _block_has(plan: PlanAudit, cue: Cue, pattern: re.Pattern[str]) -> bool:
    block = block_at(plan, cue.location.block) if cue.location is not None else None
    return block is not None and pattern.search(block.text) is not None


# -- how views were gathered, unless Section A is in the first person -----------------


def views_gathered(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """Section A says how views were gathered, unless the views are written in the first person.

    Views written in the child's or parents' own first person carry their own
    provenance; views reported by someone else need the method to be judged.
    """
    wanted = set(rule.scope or ("A",))
    methods = [c for c in cues_of_kind(plan, "views_method") if c.section in wanted]
    if methods:
        return CheckResult(True, tuple(cue_evidence(c) for c in methods))
    share = _option_float(rule, "first_person_share", 0.5)
    voices = [c for kind in _VOICE_KINDS for c in cues_of_kind(plan, kind) if c.section in wanted]
    first = [c for c in voices if c.attributes.get("form") == "first_person"]
    if first and len(first) >= share * len(voices):
        return CheckResult(
            True,
            tuple(cue_evidence(c) for c in first),
            "The views are written in the first person, so how they were gathered need not "
            "be stated.",
        )
    return CheckResult(False, tuple(cue_evidence(c) for c in voices[:3]))


# -- successes celebrated in the child's or family's own words ------------------------

#: A success told in the first person ("I can swim a whole length now", "we are so proud").
FIRST_PERSON_SUCCESS = (
    r"\b(?:(?:I|we)(?:'m|'re|\s+am|\s+are|\s+was|\s+were|\s+feel|\s+felt)\s+"
    r"(?:so\s+|really\s+|very\s+|all\s+)?(?:proud|pleased|happy|over\s+the\s+moon|thrilled"
    r"|delighted)(?!\s+(?:with|about|for)\s+(?:the|this|my|our)\s+(?:final\s+|new\s+)?"
    r"(?:plan|draft|decision|changes|wording|version))|I\s+(?:can\s+now|can\s+\w+\s+now|have\s+(?:learnt|learned|passed|won|got"
    r"|made|finished)|learnt|learned|passed|won|got\s+(?:a|an|my)|made|managed|did\s+it"
    r"|finished|went\s+on)|(?:my|our)\s+(?:best|proudest)\s+(?:moment|day|thing))\b"
)
#: Words of pride or success inside the child's or family's own words (a quote).
SUCCESS_WORDS = (
    r"\b(?:proud(?:er|est)?|pride|over\s+the\s+moon|thrilled|delighted|chuffed"
    r"|(?:so|really|very)\s+pleased|did\s+it|all\s+by\s+(?:my|him|her|them)sel(?:f|ves))\b"
)


def successes_in_own_words(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """A success is celebrated in the child's or family's own words (first person or a quote).

    Counts the child's or parents' own words (voice cues in the first person or
    quoted) that tell of a success (an achievement cue in the same sentence, or
    words of pride), and any first-person success sentence.
    """
    scope = rule.scope or ("A",)
    wanted = set(scope)
    forms = set(_option_list(rule, "forms", ["first_person", "quote"]))
    success = _regex(_option_str(rule, "success_pattern", SUCCESS_WORDS))
    spans: dict[int, list[tuple[int, int]]] = {}
    for cue in cues_of_kind(plan, "achievement"):
        if cue.section in wanted and cue.location is not None:
            spans.setdefault(cue.location.block, []).append((cue.location.start, cue.location.end))
    found: dict[tuple[int, int], Evidence] = {}
    for kind in _VOICE_KINDS:
        for cue in cues_of_kind(plan, kind):
            where = cue.location
            if (
                cue.section not in wanted
                or where is None
                or cue.attributes.get("form") not in forms
            ):
                continue
            told = any(s < where.end and where.start < e for s, e in spans.get(where.block, ()))
            if told or success.search(cue.text):
                found.setdefault((where.block, where.start), cue_evidence(cue))
    pattern = _regex(_option_str(rule, "pattern", FIRST_PERSON_SUCCESS))
    for item in pattern_evidence(plan, scope, pattern):
        at = item.location
        key = (at.block, at.start) if at is not None else (-1, len(found))
        found.setdefault(key, item)
    evidence = tuple(found[k] for k in sorted(found))
    return CheckResult(bool(evidence), evidence)


# -- technical terms explained in plain words -----------------------------------------

#: A plain explanation right after a term: a bracket opening in lower case within a few
#: words, ", which means / is", a bracket holding "means", "where" or "when", or a dash;
#: or its effect told in everyday words after the rest of its noun phrase ("limited fine
#: motor control, which makes cutting slow"), or how it compares with other children
#: ("her processing speed is slower than her classmates'"), or everyday examples of it
#: ("fine motor skills such as cutting and writing").
_GLOSS_AFTER = re.compile(
    r"[^.(\n]{0,30}\(\s*[a-z]|\s*,?\s*(?:which|that|this)\s+(?:means|is|are)\b"
    r"|\s*\([^)]{0,40}\b(?:means?|where|when)\b|\s+[–—-]\s"
    r"|(?:\s+[a-z]+){0,2},\s*(?:which|this|so\s+that)\s+(?:means|makes|affects|causes)\b"
    r"|\s+(?:is|are)\s+(?:much\s+|a\s+(?:little|lot)\s+|slightly\s+|far\s+)?"
    r"(?:slower|faster|lower|higher|weaker|stronger)\s+than\b"
    # what it looks like for this child, after a colon or semicolon in the same sentence:
    # "his fine motor skills lag behind; he holds a crayon in his fist"
    r"|[^.;:!?\n]{0,80}[;:]\s*(?:she|he|they)\s+(?!(?:is|are|was|were|has|have|had|will|would"
    r"|may|might|can|could|needs?|should|must)\b)[a-z]+"
    # everyday things the child does, given as examples: "fine motor skills such as
    # writing, cutting and doing up buttons"
    r"|(?:\s+[a-z]+){0,2},?\s+(?:such\s+as|like|for\s+example|e\.g\.?|including)\s+[a-z]+ing\b"
)
#: The term named as another form of words just before it: in a bracket that closes it,
#: after plain words ("cannot hear high sounds in either ear (sensorineural)"), or as
#: "also called" / "also known as" ("a coordination disorder (also called dyspraxia)").
_NAMED_BEFORE = re.compile(r"(?:\b[a-z][a-z'’-]*\s*\(\s*|\b(?:also\s+)?(?:called|known\s+as)\s+)$")
_CLOSES_BRACKET = re.compile(r"(?:\s+[a-z]+){0,2}\s*\)")
#: The name of the child's diagnosis, as the family was given it ("was diagnosed with
#: global developmental delay"), and a growth-chart centile, which the family's own
#: health records use ("her height sits on the 25th centile"): the family's words.
_FAMILY_NAME_BEFORE = re.compile(
    r"(?:\bdiagnos(?:is|es)\s+of|\bdiagnosed\s+with)\s+(?:an?\s+)?(?:[a-z-]+\s+){0,2}$"
    r"|\b(?:weight|height|length|growth|head\s+circumference)\b[^.;]{0,25}\b\d{1,2}(?:st|nd|rd|th)\s+$"
)
#: A named diagnosis ("a bilateral sensorineural hearing loss", "has spastic diplegia"):
#: the condition's name, which the family knows, is not jargon to be glossed.
_DIAGNOSIS_AFTER = re.compile(
    r"(?:\s+[a-z]+){0,2}?\s+(?:hearing\s+loss|sight\s+loss|vision\s+loss|impairment|disorder"
    r"|syndrome|palsy)\b"
)
#: The term is itself inside an explanation of something else: "(a sensory processing need)".
_INSIDE_GLOSS = ("(a ", "(an ", "(the ")
_TERM_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*\*?")


def _term_regex(term: str) -> str:
    """A term as a regex on lower-cased text.

    Words are separated by any white space or hyphen; a hyphen inside a word is
    optional ("co-morbid" also finds "comorbid"); a trailing ``*`` takes any
    ending ("dysregulat*" finds "dysregulated" and "dysregulation").
    """
    words = []
    for word in term.split():
        star = word.endswith("*")
        parts = word.rstrip("*").split("-")
        words.append(r"[-\s]?".join(re.escape(p) for p in parts) + (r"\w*" if star else ""))
    return r"[\s-]+".join(words)


def term_problem(term: str) -> str | None:
    """Why a term cannot be used (None when it can): lower-case words, hyphens, a final ``*``."""
    if not term.strip():
        return "a term must not be empty"
    for word in term.split():
        if _TERM_WORD.fullmatch(word) is None:
            return (
                f"term {term!r}: write lower-case words, with hyphens or apostrophes inside a "
                "word and an optional '*' at its end"
            )
    return None


@lru_cache(maxsize=16)
def _terms_matcher(terms: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """One pattern finding any term, and each term's own pattern to tell which one it was.

    The guard before the alternation rejects positions inside a word before any of
    the alternatives is tried, which is what keeps a list of a hundred terms cheap.
    """
    singles = tuple(re.compile(_term_regex(t) + r"(?!\w)") for t in terms)
    body = "|".join(sorted((_term_regex(t) for t in terms), key=lambda r: (-len(r), r)))
    return re.compile(rf"(?<![\w-])(?:{body})(?!\w)"), singles


def _lower(text: str) -> str:
    """Lower case with the same length, so offsets stay valid in the original text."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def unexplained_terms(plan: PlanAudit, rule: RuleSpec) -> CheckResult:
    """Technical terms are explained in plain words where they are first used.

    Reads the plan in document order. A term followed by a plain explanation
    (a bracket, ", which means", a dash) counts as explained from then on, as an
    acronym spelled out once is; a use before any explanation is counted, once
    per sentence.
    """
    terms = tuple(_option_list(rule, "terms", []))
    allowed = _option_int(rule, "max", 0)
    if not terms:
        return CheckResult(True)
    anything, singles = _terms_matcher(terms)
    explained: set[int] = set()
    unexplained: dict[tuple[int, int], Evidence] = {}
    names: list[str] = []
    for section, block in _blocks_in_order(plan, rule.scope):
        low = _lower(block.text)
        for match in anything.finditer(low):
            which = next((i for i, p in enumerate(singles) if p.match(low, match.start())), -1)
            begin = max(0, match.start() - 60)
            before = low[begin : match.start()]
            if (
                _GLOSS_AFTER.match(block.text, match.end())
                or before.endswith(_INSIDE_GLOSS)
                or _named_in_other_words(low, block.text[begin : match.start()], match.end())
            ):
                explained.add(which)
                continue
            if _DIAGNOSIS_AFTER.match(low, match.end()) or _FAMILY_NAME_BEFORE.search(before):
                continue
            if which in explained:
                continue
            begin, end = sentence_span(block.text, match.start(), match.end())
            key = (block.index, begin)
            if key not in unexplained:
                unexplained[key] = Evidence(
                    block.text[begin:end], section, block.location(begin, end)
                )
            if which >= 0 and terms[which] not in names:
                names.append(terms[which])
    evidence = tuple(unexplained.values())
    if len(evidence) <= allowed:
        return CheckResult(True, evidence)
    listed = ", ".join(f"'{n.rstrip('*')}'" for n in names[:6]) + (", …" if len(names) > 6 else "")
    return CheckResult(
        False, evidence, f"{rule.message} ({len(evidence)} sentence(s); terms: {listed})"
    )


def _named_in_other_words(low: str, before: str, end: int) -> bool:
    """Whether plain words just before the term already say what it is (see _NAMED_BEFORE)."""
    found = _NAMED_BEFORE.search(before)
    if found is None:
        return False
    if found.group().rstrip().endswith("("):
        return _CLOSES_BRACKET.match(low, end) is not None
    return True


def _blocks_in_order(plan: PlanAudit, scope: Sequence[str]) -> list[tuple[str, Block]]:
    """The text blocks of the sections in scope, in reading order (headings left out)."""
    blocks = [
        (section.code, block)
        for section in in_scope(plan, scope)
        for block in section.blocks
        if block.kind is not BlockKind.HEADING and block.text
    ]
    blocks.sort(key=lambda pair: pair[1].index)
    return blocks


# -- options ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def _option_str(rule: RuleSpec, name: str, default: str) -> str:
    value = rule.options.get(name, default)
    if not isinstance(value, str):
        raise ConfigError(f"{rule.path}: key 'options.{name}': expected a string")
    return value


def _option_float(rule: RuleSpec, name: str, default: float) -> float:
    value = rule.options.get(name, default)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ConfigError(f"{rule.path}: key 'options.{name}': expected a number")
    return float(value)


def _option_list(rule: RuleSpec, name: str, default: list[str]) -> list[str]:
    value = rule.options.get(name, default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{rule.path}: key 'options.{name}': expected a list of strings")
    return value


def _option_int(rule: RuleSpec, name: str, default: int) -> int:
    value = rule.options.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{rule.path}: key 'options.{name}': expected a whole number")
    return value


BUILTINS: dict[str, Callable[[PlanAudit, RuleSpec], CheckResult]] = {
    "review_date_set": review_date_set,
    "outcomes_take_up_views": outcomes_take_up_views,
    "reg6_advice_complete": reg6_advice_complete,
    "advice_dated": advice_dated,
    "views_gathered": views_gathered,
    "successes_in_own_words": successes_in_own_words,
    "unexplained_terms": unexplained_terms,
}

#: The ``options`` each built-in check accepts, with what each must be (the loader refuses
#: others): "int" a whole number, "number" any number, "strings" a list of strings,
#: "regex" a pattern that compiles, "terms" a list of terms (see :func:`term_problem`).
OPTIONS: dict[str, dict[str, str]] = {
    "review_date_set": {"pattern": "regex"},
    "outcomes_take_up_views": {
        "views_sections": "strings",
        "outcome_sections": "strings",
        "min_links": "int",
        "child_voice_kinds": "strings",
        "child_min_shared": "int",
        "function_words": "strings",
        "generic_words": "strings",
        "stock_outcomes": "regex",
    },
    "reg6_advice_complete": {"sources": "strings", "pfa_from_year": "int"},
    "advice_dated": {},
    "views_gathered": {"first_person_share": "number"},
    "successes_in_own_words": {"forms": "strings", "pattern": "regex", "success_pattern": "regex"},
    "unexplained_terms": {"terms": "terms", "max": "int"},
}


def option_problem(name: str, options: dict[str, Any]) -> tuple[str, str] | None:
    """(option, problem) for the first option a built-in check cannot use, if any."""
    allowed = OPTIONS.get(name)
    if allowed is None:
        return None
    for key in sorted(options):
        if key not in allowed:
            listed = ", ".join(sorted(allowed)) or "none"
            return key, f"unknown option for check {name!r} (expected one of: {listed})"
        problem = _value_problem(allowed[key], options[key])
        if problem is not None:
            return key, problem
    return None


def _value_problem(kind: str, value: Any) -> str | None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "int" and not (number and isinstance(value, int)):
        return "expected a whole number"
    if kind == "number" and not number:
        return "expected a number"
    if kind in ("strings", "terms") and not (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return "expected a list of strings"
    if kind == "terms":
        return next((p for p in map(term_problem, value) if p is not None), None)
    if kind == "regex":
        if not isinstance(value, str) or not value.strip():
            return "expected a regular expression (a non-empty string)"
        try:
            re.compile(value, re.IGNORECASE)
        except re.error as exc:
            return f"pattern {value!r} does not compile: {exc}"
    return None
