"""What a case worker should change in a plan: the fixes, merged, ordered and quoted whole.

The rules report one finding each; a person wants one item per thing to
change. So here, for every report format (text, lines, SARIF):

* **whole sentences.** A cue may quote a fragment ("EP", "support"); each
  piece of evidence is widened to the sentence holding it in its block
  (:func:`quote_for`), which is what a case worker can search for in Word,
  and the fragment is kept beside it so a report can say what in the
  sentence is the problem.
* **paragraph numbers a user can find.** Word numbers no paragraphs, so a
  place is given as the section and the paragraph's position inside it:
  paragraph 1 is the first non-empty paragraph, list item, sub-heading or
  table cell after the section's heading (the heading itself is 0), counted
  in reading order across every part of the section.
* **duplicates merged.** Findings quoting mostly the same sentences (vague
  provision quoted by four rules) become one fix; findings with nothing to
  quote that stand for the same rubric descriptor ("aspirations recorded",
  statutory and co-production) become one fix too.
* **most important first.** A fix weighs by its level (error, warning,
  suggestion) and by what it holds back: more when it keeps a principle
  from Good than from Excellent, and more again when it is the last thing
  missing for that level.
* **a draft judged as a draft.** Rules marked ``after_consultation = true``
  (the family's comments on the draft, decisions reported back) cannot be
  met before the family has seen the plan. On a draft they are set aside:
  shown as "to do after consultation", rated as rules that do not apply yet
  (:func:`judged_ratings`), never as failures.

Nothing here decides whether a rule passed: it only arranges what the
audit found.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from attrs import evolve, field, frozen

from .._model import (
    Block,
    BlockKind,
    Evidence,
    Finding,
    Level,
    Overall,
    PlanAudit,
    PrincipleRating,
    Rating,
)
from ..checks._match import sentence_span
from ..scoring import (
    Assessment,
    Descriptor,
    DescriptorCheck,
    PrincipleSpec,
    Requirement,
    assess,
    overall_for,
)
from ._plain import clean_message

if TYPE_CHECKING:
    from ..checks import Policy

__all__ = [
    "AFTER_CONSULTATION",
    "Fix",
    "Judged",
    "Place",
    "Quote",
    "Strength",
    "after_consultation_rules",
    "below",
    "done_well",
    "is_draft",
    "judged_ratings",
    "place_of",
    "plan_fixes",
    "quote_for",
]

#: The reason a set-aside rule carries in the ratings' reasons.
AFTER_CONSULTATION = "to do after consultation (the plan is a draft)"

_LEVEL_WEIGHT = {Level.ERROR: 3, Level.WARNING: 2, Level.SUGGESTION: 1}
_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.SUGGESTION: 2}
# Holding a principle back from Good matters more than from Excellent.
_HOLD_WEIGHT = {Rating.GOOD: 3, Rating.EXCELLENT: 1}
_LAST_MISSING_BONUS = 2
# A success is celebrated on a quote of at least this many words (not a label like "Interests").
_FEWEST_WORDS = 5
# How many of a passing rule's quotes are looked at for one to celebrate.
_LOOKED_AT = 5
# A sentence longer than this is quoted as a window around what was found.
_LONGEST_QUOTE = 320
_WINDOW = 140


# -- where things are ---------------------------------------------------------------------

#: How places outside the lettered sections are named.
_SECTION_WORDS = {"": "the plan", "front": "Personal details", "other": "Other content"}


@frozen
class Place:
    """Where a quote sits, in terms a reader of the document can find.

    ``paragraph`` counts inside the section (see the module docstring);
    0 is the section's heading, None when the place is not known.
    """

    section: str
    paragraph: int | None = None
    page: int | None = None
    row: int | None = None

    def describe(self) -> str:
        parts = [_SECTION_WORDS.get(self.section, f"Section {self.section}")]
        if self.paragraph:
            parts.append(f"paragraph {self.paragraph}")
        elif self.paragraph == 0 and self.section:
            parts.append("heading")
        if self.row is not None:
            parts.append(f"table row {self.row}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        return ", ".join(parts)


def _paragraph_numbers(result: PlanAudit) -> dict[int, tuple[str, int]]:
    """Block index -> (section code, paragraph number inside that section)."""
    numbers: dict[int, tuple[str, int]] = {}
    for section in result.sections:
        if section.heading_block is not None:
            numbers.setdefault(section.heading_block, (section.code, 0))
        count = 0
        for block in section.blocks:
            if block.text.strip():
                count += 1
                numbers.setdefault(block.index, (section.code, count))
    return numbers


def place_of(result: PlanAudit, section: str, block: int | None) -> Place:
    """The place of block ``block`` (a document index), reported under ``section``."""
    if block is None:
        return Place(section)
    numbered = _numbers(result).get(block)
    found = _block(result, block)
    page = found.page if found is not None else None
    row = found.cell.row + 1 if found is not None and found.cell is not None else None
    if numbered is None:
        return Place(section, None, page, row)
    code, paragraph = numbered
    return Place(code if code != "other" or not section else section, paragraph, page, row)


def _numbers(result: PlanAudit) -> dict[int, tuple[str, int]]:
    cached = result.extras.get("_paragraph_numbers")
    if cached is None:
        cached = _paragraph_numbers(result)
        result.extras["_paragraph_numbers"] = cached
    return dict(cached)


def _block(result: PlanAudit, index: int) -> Block | None:
    blocks = result.document.blocks
    if 0 <= index < len(blocks) and blocks[index].index == index:
        return blocks[index]
    return next((b for b in blocks if b.index == index), None)


# -- quotes -------------------------------------------------------------------------------


@frozen
class Quote:
    """A whole sentence of the plan, where it is, and what in it a rule pointed at.

    ``fragment`` is the evidence as the rule quoted it when that is only part
    of the sentence (an acronym, a vague phrase), else empty. ``block``,
    ``start`` and ``end`` locate the sentence in the document (block index and
    character offsets), so a Word comment can be anchored on it.
    """

    text: str
    place: Place
    fragment: str = ""
    block: int | None = None
    start: int = 0
    end: int = 0

    @property
    def key(self) -> tuple[object, ...]:
        """What makes two quotes the same sentence."""
        if self.block is not None:
            return (self.block, self.start, self.end)
        return (self.place.section, " ".join(self.text.split()))


def quote_for(result: PlanAudit, evidence: Evidence) -> Quote:
    """``evidence`` widened to the whole sentence(s) holding it, with its place."""
    location = evidence.location
    block = _block(result, location.block) if location is not None else None
    if location is None or block is None or not block.text:
        return Quote(" ".join(evidence.text.split()), place_of(result, evidence.section, None))
    text = block.text
    start = max(0, min(location.start, len(text)))
    end = max(start, min(location.end or len(text), len(text)))
    # The last character, not ``end``: evidence ending on a full stop would
    # otherwise reach into the next sentence.
    begin, stop = sentence_span(text, start, max(start, end - 1))
    begin, stop = min(begin, start), max(stop, end)
    sentence = text[begin:stop].strip()
    fragment = " ".join(text[start:end].split())
    whole = " ".join(sentence.split())
    if len(whole) > _LONGEST_QUOTE:
        whole = _window(text, begin, stop, start, end)
    return Quote(
        text=whole,
        place=place_of(result, evidence.section, block.index),
        fragment="" if fragment == whole or not fragment else fragment,
        block=block.index,
        start=begin,
        end=stop,
    )


def _window(text: str, begin: int, stop: int, start: int, end: int) -> str:
    """A long sentence cut to the words around ``text[start:end]``, marked with ellipses."""
    left = max(begin, start - _WINDOW)
    right = min(stop, max(end, start) + _WINDOW)
    while left > begin and not text[left - 1].isspace():
        left -= 1
    while right < stop and not text[right].isspace():
        right += 1
    body = " ".join(text[left:right].split())
    return ("… " if left > begin else "") + body + (" …" if right < stop else "")


# -- drafts -------------------------------------------------------------------------------


def is_draft(result: PlanAudit) -> bool:
    """Whether the plan says it is a draft (or a proposed plan)."""
    return (result.details.status or "").casefold() == "draft"


def after_consultation_rules(policy: Policy | None) -> frozenset[str]:
    """Ids of the rules marked ``after_consultation = true`` in their files."""
    if policy is None:
        return frozenset()
    return frozenset(r.id for r in policy.rules if getattr(r, "after_consultation", False))


@frozen
class Judged:
    """The ratings as the report gives them, with the rules set aside for a draft.

    For a final plan (or when nothing is set aside) these are the audit's own
    ratings. ``assessments`` hold the reasoning, per principle number;
    ``set_aside`` the failed after-consultation rules of a draft; ``waiting``
    the rubric descriptors (their words, per principle) a draft cannot meet
    yet, which are rated as not due.
    """

    principles: tuple[PrincipleRating, ...]
    overall: Overall | None
    total_score: int | None
    effective: bool | None
    set_aside: tuple[str, ...] = ()
    assessments: Mapping[int, Assessment] = field(factory=dict)
    waiting: Mapping[int, tuple[str, ...]] = field(factory=dict)

    @property
    def as_draft(self) -> bool:
        return bool(self.set_aside)


def judged_ratings(result: PlanAudit, policy: Policy | None) -> Judged:
    """The ratings a report shows: a draft's after-consultation rules count as not due yet."""
    scoring = policy.scoring if policy is not None else None
    own = Judged(
        result.principles, result.overall, result.total_score, result.effective_coproduction
    )
    if scoring is None or not result.principles:
        return own
    later = after_consultation_rules(policy) if is_draft(result) else frozenset()
    set_aside = tuple(f.rule for f in result.findings if f.rule in later and not f.passed)
    findings = {f.rule: f for f in result.findings}
    not_run = dict(result.extras.get("not_run", {}))
    assessments = {spec.number: assess(spec, findings, not_run) for spec in scoring.principles}
    if not set_aside:
        return Judged(own.principles, own.overall, own.total_score, own.effective, (), assessments)
    waiting = {
        number: tuple(
            check.descriptor.says
            for level in assessment.levels
            for check in level.failing
            if _waits(check.descriptor, later)
        )
        for number, assessment in assessments.items()
    }
    not_run[_WAITING] = AFTER_CONSULTATION
    assessments = {
        spec.number: assess(_as_draft(spec, later), findings, not_run)
        for spec in scoring.principles
    }
    principles = tuple(a.rating for a in assessments.values())
    total = sum(p.score for p in principles)
    first = assessments[1].rating.rating if 1 in assessments else Rating.GOOD
    overall = overall_for(total, first, scoring)
    return Judged(
        principles,
        overall,
        total,
        overall in scoring.effective,
        set_aside,
        assessments,
        {n: says for n, says in waiting.items() if says},
    )


#: What a waiting descriptor is rated on: no rule, so it counts as not due yet.
_WAITING = "after consultation"


def _waits(descriptor: Descriptor, later: Collection[str]) -> bool:
    """Whether a descriptor waits for consultation: most of the rules evidencing it do.

    "The family's comments on the draft, or their agreement" (two of its
    three rules after consultation) waits; "the family took part in
    planning" (attendance, dated feedback or their views changing the plan)
    does not, since attendance is recorded before the draft goes out.
    """
    return sum(rule in later for rule in descriptor.of) * 2 > len(descriptor.of)


def _as_draft(spec: PrincipleSpec, later: Collection[str]) -> PrincipleSpec:
    """The principle with each waiting descriptor replaced by one that is not due yet."""

    def requirement(level: Requirement) -> Requirement:
        return Requirement(
            tuple(
                Descriptor(d.says, (_WAITING,)) if _waits(d, later) else d
                for d in level.descriptors
            )
        )

    # evolve, not a new spec: a custom rule's holds on the principle stay in force
    return evolve(spec, good=requirement(spec.good), excellent=requirement(spec.excellent))


# -- fixes --------------------------------------------------------------------------------


@frozen
class Fix:
    """One thing to change: the findings it answers, what is wrong, where, and what to do.

    ``message`` and ``suggestions`` are plain words (measurements trimmed);
    ``findings`` keep the rules' own words and ids for ``-v`` and the
    machine formats. ``quotes`` are in document order.
    """

    findings: tuple[Finding, ...]
    message: str
    suggestions: tuple[str, ...]
    quotes: tuple[Quote, ...]
    section: str
    level: Level
    weight: int
    after_consultation: bool = False

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.findings)

    @property
    def principles(self) -> tuple[int, ...]:
        return tuple(sorted({n for f in self.findings for n in f.principles}))


def _holds_back(judged: Judged) -> dict[str, int]:
    """Rule id -> how much its failing holds the plan's ratings back."""
    weights: dict[str, int] = {}
    for assessment in judged.assessments.values():
        for level in assessment.levels:
            if level.holds:
                continue
            failing = level.failing
            bonus = _LAST_MISSING_BONUS if len(failing) == 1 else 0
            for check in failing:
                for state in check.states:
                    if not state.passed:
                        weight = _HOLD_WEIGHT.get(level.rating, 0) + bonus
                        weights[state.rule] = weights.get(state.rule, 0) + weight
    return weights


def _scope(policy: Policy | None, rule_id: str) -> str:
    spec = policy.rule(rule_id) if policy is not None else None
    return spec.scope[0] if spec is not None and len(spec.scope) == 1 else ""


def _descriptor_groups(policy: Policy | None) -> dict[str, str]:
    """Rule id -> the first rubric descriptor (its words) that names it among others."""
    groups: dict[str, str] = {}
    scoring = policy.scoring if policy is not None else None
    if scoring is None:
        return groups
    for spec in scoring.principles:
        for requirement in (spec.good, spec.excellent):
            for descriptor in requirement.descriptors:
                if len(descriptor.of) > 1 and descriptor.n == 1:
                    for rule in descriptor.of:
                        groups.setdefault(rule, descriptor.says)
    return groups


def _components(size: int, links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Positions ``0 .. size - 1`` in groups, two positions linked being in one group.

    Relabels the later group on each link; a plan has at most a few dozen
    failed findings, so the quadratic worst case does not matter.
    """
    label = list(range(size))
    for a, b in links:
        keep, drop = label[a], label[b]
        if keep != drop:
            label = [keep if x == drop else x for x in label]
    groups: dict[int, list[int]] = {}
    for position, group in enumerate(label):
        groups.setdefault(group, []).append(position)
    return list(groups.values())


def _merge(
    findings: Sequence[Finding],
    quotes: Sequence[tuple[Quote, ...]],
    groups: Mapping[str, str],
    later: Collection[str],
) -> list[list[int]]:
    """Positions of findings that make one fix each: shared sentences, or one descriptor.

    Two findings merge when they quote mostly the same sentences (at least
    half of all the sentences either quotes), or, quoting nothing, when they stand
    for the same rubric descriptor or give the same advice. What is to do
    after consultation never merges with what is to do now.
    """
    links: list[tuple[int, int]] = []
    keys = [{q.key for q in qs} for qs in quotes]
    by_descriptor: dict[tuple[bool, str], int] = {}
    by_advice: dict[tuple[bool, str], int] = {}
    for i, finding in enumerate(findings):
        waits = finding.rule in later
        for j in range(i):
            shared = len(keys[i] & keys[j])
            same_time = waits == (findings[j].rule in later)
            if same_time and shared and shared * 2 >= len(keys[i] | keys[j]):
                links.append((j, i))
        if keys[i]:
            continue
        for table, key in (
            (by_descriptor, groups.get(finding.rule)),
            (by_advice, finding.suggestion),
        ):
            if not key:
                continue
            if (waits, key) in table:
                links.append((table[waits, key], i))
            else:
                table[waits, key] = i
    return _components(len(findings), links)


def plan_fixes(result: PlanAudit, policy: Policy | None, judged: Judged | None = None) -> list[Fix]:
    """Every finding that did not pass, as fixes: merged, quoted whole, most important first.

    On a draft, the fixes for rules set aside (``judged.set_aside``) come
    back with ``after_consultation`` true, after the others.
    """
    judged = judged if judged is not None else judged_ratings(result, policy)
    failed = [f for f in result.findings if not f.passed]
    quotes = [
        _dedupe(quote_for(result, e) for e in f.evidence) if _quotes_problems(policy, f) else ()
        for f in failed
    ]
    holds = _holds_back(judged)
    later = set(judged.set_aside)
    fixes = []
    for members in _merge(failed, quotes, _descriptor_groups(policy), later):
        weight = {
            i: _LEVEL_WEIGHT.get(failed[i].level, 0) + holds.get(failed[i].rule, 0) for i in members
        }
        order = sorted(members, key=lambda i: (-weight[i], _LEVEL_ORDER.get(failed[i].level, 3), i))
        chosen = [failed[i] for i in order]
        gathered = _dedupe(q for i in order for q in quotes[i])
        section = gathered[0].place.section if gathered else _scope(policy, chosen[0].rule)
        fixes.append(
            Fix(
                findings=tuple(chosen),
                message=clean_message(chosen[0].message),
                suggestions=tuple(dict.fromkeys(f.suggestion for f in chosen if f.suggestion)),
                quotes=tuple(sorted(gathered, key=_document_order)),
                section=section,
                level=min((f.level for f in chosen), key=lambda lv: _LEVEL_ORDER.get(lv, 3)),
                weight=max(weight.values()) + len(members) - 1,
                after_consultation=all(f.rule in later for f in chosen),
            )
        )
    first_place = {
        id(fix): min((_document_order(q) for q in fix.quotes), default=(1 << 30, 0))
        for fix in fixes
    }
    fixes.sort(
        key=lambda fix: (
            fix.after_consultation,
            -fix.weight,
            _LEVEL_ORDER.get(fix.level, 3),
            first_place[id(fix)],
        )
    )
    return fixes


def _quotes_problems(policy: Policy | None, finding: Finding) -> bool:
    """Whether a failed finding's evidence is where the problem is.

    An ``occurrence`` rule that failed for finding too few (only two of
    three agencies) quotes what it did find: true, but nothing to change.
    """
    spec = policy.rule(finding.rule) if policy is not None else None
    if spec is None or spec.kind != "occurrence":
        return True
    params = spec.params
    return getattr(params, "min", None) is None or getattr(params, "max", None) is not None


def _dedupe(quotes: Iterable[Quote]) -> tuple[Quote, ...]:
    """One quote per sentence, naming every fragment found in it once."""
    seen: dict[tuple[object, ...], Quote] = {}
    for quote in quotes:
        kept = seen.get(quote.key)
        if kept is None:
            seen[quote.key] = quote
            continue
        parts = [p for p in (kept.fragment + ", " + quote.fragment).split(", ") if p]
        joined = ", ".join(dict.fromkeys(parts))
        seen[quote.key] = Quote(kept.text, kept.place, joined, kept.block, kept.start, kept.end)
    return tuple(seen.values())


def _document_order(quote: Quote) -> tuple[int, int]:
    return (quote.block if quote.block is not None else 1 << 30, quote.start)


# -- what is done well --------------------------------------------------------------------


@frozen
class Strength:
    """A rubric descriptor the plan meets, in the policy's words, with a sentence showing it."""

    principle: int
    says: str
    quote: Quote | None = None


def _shows_presence(policy: Policy | None, rule_id: str) -> bool:
    """Whether a passing rule's evidence is something the plan does (not what it counted against).

    An ``occurrence`` rule with only a ``max`` passes quoting what it
    tolerated (a few unexplained acronyms); a ``metric`` rule quotes what it
    measured either way: neither quotes a success.
    """
    spec = policy.rule(rule_id) if policy is not None else None
    if spec is None:
        return False
    if spec.kind == "occurrence":
        return getattr(spec.params, "min", None) is not None
    return spec.kind in ("python", "conditional")


def done_well(result: PlanAudit, judged: Judged, policy: Policy | None) -> list[Strength]:
    """The descriptors that hold on evidence the plan quotes, highest level first.

    A descriptor that holds only because nothing was wrong (no vague
    provision found) or because a rule did not apply is not celebrated:
    success is something the plan shows.
    """
    found: list[tuple[int, int, Strength]] = []
    seen: set[str] = set()
    for number, assessment in sorted(judged.assessments.items()):
        for rank, level in enumerate(reversed(assessment.levels)):
            for check in level.descriptors:
                if not check.holds or check.descriptor.says in seen:
                    continue
                if _is_rule_id(check.descriptor.says):
                    continue
                quote = _best_quote(result, check, policy)
                if quote is None:
                    continue
                seen.add(check.descriptor.says)
                says = check.descriptor.says[:1].upper() + check.descriptor.says[1:]
                found.append((rank, number, Strength(number, says, quote)))
    found.sort(key=lambda item: (item[0], item[1]))
    # One sentence showing several descriptors is one item naming them all.
    merged: dict[tuple[object, ...], Strength] = {}
    for _, _, strength in found:
        assert strength.quote is not None
        kept = merged.get(strength.quote.key)
        if kept is None:
            merged[strength.quote.key] = strength
        else:
            also = strength.says[:1].lower() + strength.says[1:]
            merged[strength.quote.key] = Strength(
                kept.principle, f"{kept.says}; {also}", kept.quote
            )
    return list(merged.values())


def _best_quote(result: PlanAudit, check: DescriptorCheck, policy: Policy | None) -> Quote | None:
    """The first quote in the plan's own words among the passing rules' first few quotes."""
    for state in check.states:
        if not state.passed or state.finding is None or not _shows_presence(policy, state.rule):
            continue
        for evidence in state.finding.evidence[:_LOOKED_AT]:
            quote = quote_for(result, evidence)
            if _shows_something(result, quote):
                return quote
    return None


def _shows_something(result: PlanAudit, quote: Quote) -> bool:
    """Whether a quote is the plan's own words: not a heading, a template prompt or a label."""
    block = _block(result, quote.block) if quote.block is not None else None
    if block is not None and (block.kind is BlockKind.HEADING or block.placeholder):
        return False
    return len(quote.text.split()) >= _FEWEST_WORDS


def _is_rule_id(text: str) -> bool:
    return " " not in text and "." in text


def below(overall: Overall | None, target: Overall) -> bool:
    """Whether an overall rating is below ``target`` (an unrated plan is below anything)."""
    order = (Overall.REQUIRES_IMPROVEMENT, Overall.GOOD, Overall.OUTSTANDING)
    return overall is None or order.index(overall) < order.index(target)


def level_rank(level: Level) -> int:
    """0 for errors, 1 for warnings, 2 for suggestions (for sorting)."""
    return _LEVEL_ORDER.get(level, 3)


# -- one line per place, for tools ----------------------------------------------------------


@frozen
class Located:
    """One fix at one place: what the ``lines`` and SARIF formats write per entry.

    ``level`` is the fix's level, or ``"todo"`` for what a draft leaves to do
    after consultation; ``rule`` the most important rule of the fix and
    ``also`` the others it merges; ``quote`` is None when the fix is about
    something missing (its place is then the section, paragraph 0).
    """

    level: str
    rule: str
    also: tuple[str, ...]
    message: str
    suggestion: str
    section: str
    paragraph: int
    quote: Quote | None = None


def located(fixes: Iterable[Fix]) -> list[Located]:
    """Every fix at each of its places, in the fixes' order."""
    items: list[Located] = []
    for fix in fixes:
        level = "todo" if fix.after_consultation else fix.level.value
        head, *rest = fix.rules
        common = (level, head, tuple(rest), fix.message, next(iter(fix.suggestions), ""))
        if not fix.quotes:
            items.append(Located(*common, fix.section, 0))
        for quote in fix.quotes:
            place = quote.place
            items.append(Located(*common, place.section, place.paragraph or 0, quote))
    return items
