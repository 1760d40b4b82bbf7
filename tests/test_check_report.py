"""The ``check`` report a case worker acts on: text, lines and SARIF.

Run on real corpus plans and on a weak draft made here as a real .docx
(python-docx): the order of the report's parts, plain words without rule
ids unless asked, the terminal width, colour only on a terminal, merged
duplicates, whole sentences, a draft's after-consultation items, the
content gaps ("N/A" in G and H, unexplained acronyms), exit codes, and the
two machine formats read back.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import jsonschema
import pytest

from ehcp_audit import audit, load_config
from ehcp_audit._model import PlanAudit
from ehcp_audit.checks import load_policy
from ehcp_audit.checks._match import sentence_span
from ehcp_audit.cli import main
from ehcp_audit.reports._check import render_checks, shortfalls
from ehcp_audit.reports._fixes import judged_ratings, located, plan_fixes, quote_for
from ehcp_audit.reports.lines import LINE, render_lines
from ehcp_audit.reports.sarif import to_sarif
from ehcp_audit.reports.text import render_report, use_colour

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
RULE_ID = re.compile(r"\b(?:coproduction|statutory)\.[A-Z][A-Za-z]+")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# The weak draft: what the issue found in a real one, in invented words.
DRAFT = {
    "front": [
        "DRAFT Education, Health and Care Plan",
        "Name: Robin Ashby",
        "Date of birth: 4 May 2016",
        "Year group: Year 4",
    ],
    "Section A: About me": [
        "I like trains and drawing. Robin has ASC and is working below ARE in reading.",
        "Robin's mum said he is happiest outdoors.",
    ],
    "Section B: Special educational needs": [
        "Robin has SLCN. The EP assessed Robin in March 2026 and found that he finds it hard "
        "to follow long instructions.",
        "Robin can become dysregulated when the classroom is noisy.",
    ],
    "Section C: Health needs": ["Robin has no health needs related to his SEN."],
    "Section D: Social care needs": ["Robin has no social care needs."],
    "Section E: Outcomes": ["Robin will improve his reading."],
    "Section F: Special educational provision": [
        "Robin will have support in class.",
        "Robin may use the calm room in lessons as required.",
    ],
    "Section G: Health provision": ["N/A"],
    "Section H1: Social care provision": ["N/A"],
    "Section H2: Other social care provision": ["Not applicable"],
    "Section I: Placement": ["Larchmere Primary School"],
    "Section J: Personal budget": ["No personal budget was requested."],
    "Section K: Advice and information": [
        "Educational psychology advice, Dr L. Okafor, 12 March 2026.",
        "Review date: 1 June 2027",
    ],
}


def _draft_docx(path: Path, plan: dict[str, list[str]] | None = None) -> Path:
    document = docx.Document()
    for heading, paragraphs in (plan or DRAFT).items():
        if heading != "front":
            document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def policy():  # type: ignore[no-untyped-def]
    return load_policy(load_config())


@pytest.fixture(scope="module")
def draft_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _draft_docx(tmp_path_factory.mktemp("draft") / "weak draft.docx")


@pytest.fixture(scope="module")
def draft(draft_path: Path) -> PlanAudit:
    result = audit(draft_path)
    assert result.details.status == "draft"
    return result


@pytest.fixture(scope="module")
def p03() -> PlanAudit:
    return audit(CORPUS / "p03.docx")


@pytest.fixture(scope="module")
def p08() -> PlanAudit:
    return audit(CORPUS / "p08.txt")


def _part(out: str, title: str) -> str:
    """One part of a text report: from its title line to the next title line."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()),
        len(lines),
    )
    return "\n".join(lines[start:end])


def _failed(result: PlanAudit) -> set[str]:
    return {f.rule for f in result.findings if not f.passed}


# -- the text report ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["p03", "p08", "draft"])
def test_parts_come_in_order(name: str, request: pytest.FixtureRequest, policy) -> None:  # type: ignore[no-untyped-def]
    result = request.getfixturevalue(name)
    out = render_report(result, policy, width=100)
    order = ["Overall:", "Done well", "Fixes, most important first", "To do after consultation"]
    order.append("Unfilled template fields")
    titles = [line for line in out.splitlines() if line and not line[0].isspace()]
    found = [i for part in order for i, line in enumerate(titles) if line.startswith(part)]
    assert found == sorted(found) and len(found) >= 2
    assert out.index("Overall:") < out.index("Fixes")
    for principle in result.principles:
        assert f"  {principle.number}  " in out


@pytest.mark.parametrize("name", ["p03", "p08", "draft"])
def test_rule_ids_only_when_verbose(name: str, request: pytest.FixtureRequest, policy) -> None:  # type: ignore[no-untyped-def]
    result = request.getfixturevalue(name)
    assert not RULE_ID.search(render_report(result, policy, width=100))
    verbose = render_report(result, policy, width=100, verbose=True)
    assert set(RULE_ID.findall(verbose)) >= _failed(result) - {
        f.rule for f in result.findings if f.rule in _set_aside(result, policy)
    }


def _set_aside(result: PlanAudit, policy) -> set[str]:  # type: ignore[no-untyped-def]
    return set(judged_ratings(result, policy).set_aside)


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("name", ["p03", "p08", "draft"])
def test_fits_the_width(name: str, width: int, request: pytest.FixtureRequest, policy) -> None:  # type: ignore[no-untyped-def]
    result = request.getfixturevalue(name)
    for verbose in (False, True):
        out = render_report(result, policy, width=width, verbose=verbose)
        # Only a single unbreakable word (a long path) may run past the width.
        over = [line for line in out.splitlines() if len(line) > width and " " in line.strip()]
        assert not over, over[:3]
    if width == 120:
        assert any(len(line) > 60 for line in out.splitlines())  # really uses the room


def test_a_long_path_is_never_broken_inside(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    """Paths are something to search for: wider than the page, they stay whole."""
    folder = tmp_path / ("a_very_long_folder_name_for_plans_" * 3)
    folder.mkdir()
    plan = folder / "sample_plan.docx"
    plan.write_bytes((CORPUS / "p03.docx").read_bytes())
    out = render_report(audit(plan), policy, width=60)
    assert str(plan) in out.splitlines()


def test_colour_only_on_a_terminal_without_no_color(
    p03: PlanAudit, policy, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(Terminal()) is True
    assert use_colour(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(Terminal()) is False
    assert not ANSI.search(render_report(p03, policy, width=80, colour=False))
    coloured = render_report(p03, policy, width=80, colour=True)
    assert ANSI.search(coloured)
    assert max(len(ANSI.sub("", line)) for line in coloured.splitlines()) <= 80


def test_the_same_sentence_under_several_rules_is_one_fix(p03: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    sentence = "Ellie will have access to a reading pen."
    quoting = [f.rule for f in p03.findings if any(sentence in e.text for e in f.evidence)]
    assert len(quoting) >= 3  # quoted by several rules ...
    out = render_report(p03, policy, width=100)
    assert out.count(sentence) == 1  # ... and shown once
    fixes = plan_fixes(p03, policy)
    [fix] = [fix for fix in fixes if any(q.text == sentence for q in fix.quotes)]
    assert set(quoting) <= set(fix.rules)
    assert len(fixes) < len(_failed(p03))


def test_quotes_are_whole_sentences(draft: PlanAudit, p08: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    for result in (draft, p08):
        for fix in plan_fixes(result, policy):
            for quote in fix.quotes:
                if quote.block is None:
                    continue
                block = result.document.blocks[quote.block].text
                begin, _ = sentence_span(block, quote.start, quote.start)
                assert quote.start == begin  # starts where its sentence starts
                assert (
                    block[quote.start : quote.end].rstrip()[-1:] in ".!?"
                    or quote.end == len(block.rstrip())
                    or block[quote.end : quote.end + 1] == "\n"
                )
                assert len(quote.text.split()) >= 2 or quote.text.strip().upper() in {"N/A"}
    out = render_report(draft, policy, width=200)
    # The acronym cue quotes "EP"; the report quotes its sentence and names the term.
    assert '"The EP assessed Robin in March 2026 and found that he finds it hard to follow' in out
    assert "found: EP" in out


def test_a_fragment_is_widened_to_its_sentence(draft: PlanAudit) -> None:
    [cue] = [c for c in draft.cues if c.kind == "acronym_unexpanded" and c.text == "ASC"]
    from ehcp_audit._model import Evidence

    quote = quote_for(draft, Evidence(cue.text, cue.section, cue.location))
    assert quote.text == "Robin has ASC and is working below ARE in reading."
    assert quote.fragment == "ASC"
    assert quote.place.section == "A" and quote.place.paragraph == 1


def test_a_draft_is_judged_as_a_draft(draft: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    waiting = {"coproduction.FamilyFeedbackOnDraft", "coproduction.DatedFeedbackOnDraft"}
    assert waiting <= _failed(draft)
    judged = judged_ratings(draft, policy)
    assert waiting <= set(judged.set_aside)
    own = {p.number: p.score for p in draft.principles}
    assert all(p.score >= own[p.number] for p in judged.principles)
    out = render_report(draft, policy, width=100)
    family = "no sign that the family saw the draft plan"
    dated = "feedback on the draft plan is not dated"
    later_part = " ".join(_part(out, "To do after consultation").split())
    fixes_part = " ".join(_part(out, "Fixes").split())
    assert family in later_part or dated in later_part
    assert family not in fixes_part and dated not in fixes_part
    assert "Judged as a draft" in out
    principle_2 = out[out.index("  2  ") : out.index("  3  ")]
    assert "As a draft" in principle_2 and "comments on the draft" in principle_2


def test_json_keeps_the_audit_and_adds_the_draft_view(
    draft: PlanAudit, p08: PlanAudit, policy
) -> None:  # type: ignore[no-untyped-def]
    from ehcp_audit._resources import schema_path

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    document = json.loads(render_checks([draft], policy, "json"))
    jsonschema.validate(document, schema)
    judged = judged_ratings(draft, policy)
    # The measurement is untouched: the audit's own ratings.
    assert [p["score"] for p in document["principles"]] == [p.score for p in draft.principles]
    assert document["overall"] == (draft.overall.value if draft.overall else None)
    # Beside it, what the other formats show for a draft.
    as_draft = document["as_draft"]
    assert (
        set(as_draft["set_aside"])
        == set(judged.set_aside)
        >= {"coproduction.FamilyFeedbackOnDraft"}
    )
    assert [p["score"] for p in as_draft["principles"]] == [p.score for p in judged.principles]
    assert as_draft["total_score"] == judged.total_score >= document["total_score"]
    assert any("draft" in says for says in as_draft["waiting"].get("2", []))
    final = json.loads(render_checks([p08], policy, "json"))
    jsonschema.validate(final, schema)
    assert "as_draft" not in final


def test_a_final_plan_is_not_judged_as_a_draft(p08: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    judged = judged_ratings(p08, policy)
    assert judged.set_aside == () and judged.overall == p08.overall
    out = render_report(p08, policy, width=100)
    assert "To do after consultation" not in out and "As a draft" not in out


def test_every_fix_has_a_suggestion(
    draft: PlanAudit, p03: PlanAudit, p08: PlanAudit, policy
) -> None:  # type: ignore[no-untyped-def]
    for result in (draft, p03, p08):
        fixes = plan_fixes(result, policy)
        assert fixes and all(fix.suggestions for fix in fixes)
        covered = {rule for fix in fixes for rule in fix.rules}
        assert covered == _failed(result)


def test_most_important_first(p08: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    fixes = plan_fixes(p08, policy)
    weights = [fix.weight for fix in fixes]
    assert weights == sorted(weights, reverse=True)
    # A fix that keeps principle 1 from Good outranks one that only stands between
    # principle 4 and Excellent.
    rank = {rule: i for i, fix in enumerate(fixes) for rule in fix.rules}
    assert rank["coproduction.ParentVoice"] < rank["coproduction.WideNetwork"]


def test_done_well_celebrates_what_the_plan_shows(p03: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    out = render_report(p03, policy, width=100)
    part = out[out.index("Done well") : out.index("Fixes")]
    assert "The child's own voice" in part
    assert '"I love animals' in part


# -- the content gaps -----------------------------------------------------------------------


def test_na_as_the_whole_of_g_or_h_asks_for_the_reason(draft: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    [finding] = [f for f in draft.findings if f.rule == "statutory.ProvisionNotBlank"]
    assert not finding.passed
    assert {e.section for e in finding.evidence} == {"G", "H1", "H2"}
    out = " ".join(render_report(draft, policy, width=100).split())
    assert 'bare "N/A"' in out and "a sentence saying why" in out


def test_each_unexplained_acronym_is_listed(draft: PlanAudit, p03: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    [finding] = [f for f in draft.findings if f.rule == "coproduction.EveryAcronymExplained"]
    assert not finding.passed
    [scored] = [f for f in draft.findings if f.rule == "coproduction.AcronymsExplained"]
    assert scored.passed  # the rated allowance is unchanged ...
    out = " ".join(render_report(draft, policy, width=200).split())
    for term in ("ARE", "ASC", "SLCN", "EP"):
        assert re.search(rf"found: [^\"]*\b{term}\b", out), term  # ... but each term is listed
    assert "coproduction.EveryAcronymExplained" not in _failed(p03)


# -- lines and SARIF ------------------------------------------------------------------------


def test_lines_are_parseable(draft_path: Path, draft: PlanAudit, p08: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    for result in (draft, p08):
        lines = render_lines(result, policy).splitlines()
        items = located(plan_fixes(result, policy))
        assert len(lines) == len(items) >= len(plan_fixes(result, policy))
        for line, item in zip(lines, items, strict=True):
            match = LINE.match(line)
            assert match, line
            assert match["file"] == result.source.path
            assert match["section"] in {s.code for s in result.sections} | {"-", *"ABCDEFIJK"}
            assert (match["level"], match["rule"]) == (item.level, item.rule)
            if item.quote is not None:
                assert f' "{item.quote.text}"' in match["message"]
                assert int(match["paragraph"]) == item.quote.place.paragraph
    draft_lines = render_lines(draft, policy).splitlines()
    assert any(" todo coproduction." in line for line in draft_lines)
    assert any(":G:1: warning statutory.ProvisionNotBlank:" in line for line in draft_lines)
    assert str(draft_path) == draft.source.path


def test_a_paragraph_number_is_the_place_in_its_section(draft: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    """Paragraph 2 of Section F is the second paragraph under its heading."""
    lines = render_lines(draft, policy).splitlines()
    vague = [line for line in lines if "Robin may use the calm room" in line]
    assert vague and all(LINE.match(line)["paragraph"] == "2" for line in vague)  # type: ignore[index]
    assert all(LINE.match(line)["section"] == "F" for line in vague)  # type: ignore[index]


#: The parts of the SARIF 2.1.0 schema a consumer relies on (from the OASIS
#: schema's definitions of sarifLog, run, tool, reportingDescriptor, result,
#: location, physicalLocation, artifactLocation and region).
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string", "format": "uri"},
                                    "rules": {
                                        "type": "array",
                                        "uniqueItems": True,
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": {"$ref": "#/$defs/message"},
                                                "fullDescription": {"$ref": "#/$defs/message"},
                                                "help": {"$ref": "#/$defs/message"},
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {
                                                        "level": {"$ref": "#/$defs/level"}
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "artifacts": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"location": {"$ref": "#/$defs/artifactLocation"}},
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"$ref": "#/$defs/level"},
                                "message": {"$ref": "#/$defs/message"},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "properties": {
                                                    "artifactLocation": {
                                                        "$ref": "#/$defs/artifactLocation"
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "properties": {
                                                            "startLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "snippet": {
                                                                "type": "object",
                                                                "required": ["text"],
                                                                "properties": {
                                                                    "text": {"type": "string"}
                                                                },
                                                            },
                                                        },
                                                    },
                                                },
                                            },
                                            "logicalLocations": {"type": "array"},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": {
            "type": "object",
            "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
            "properties": {"text": {"type": "string"}},
        },
        "artifactLocation": {
            "type": "object",
            "properties": {
                "uri": {"type": "string", "format": "uri-reference"},
                "index": {"type": "integer", "minimum": -1},
            },
        },
    },
}


def test_sarif_has_the_structure_tools_read(draft: PlanAudit, p03: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    log = to_sarif([draft, p03], policy)
    log = json.loads(json.dumps(log))  # what is written is plain JSON
    jsonschema.Draft202012Validator(
        SARIF_SUBSET, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(log)
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    assert [a["location"]["uri"] for a in run["artifacts"]][1] == "corpus_samples/p03.docx" or run[
        "artifacts"
    ][1]["location"]["uri"].endswith("corpus_samples/p03.docx")
    assert " " not in run["artifacts"][0]["location"]["uri"]  # "weak draft.docx" is encoded
    results = run["results"]
    assert results
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["index"] in (0, 1)
        if "region" in physical:
            assert physical["region"]["snippet"]["text"].strip()
        assert not RULE_ID.search(result["message"]["text"])
    waiting = [r for r in results if r["message"]["text"].startswith("To do after consultation")]
    assert waiting and all(r["level"] == "none" for r in waiting)
    snippets = {
        r["locations"][0]["physicalLocation"].get("region", {}).get("snippet", {}).get("text")
        for r in results
    }
    assert "Ellie will have access to a reading pen." in snippets


# -- several plans and the target ------------------------------------------------------------


def test_several_plans_in_each_format(draft: PlanAudit, p03: PlanAudit, policy) -> None:  # type: ignore[no-untyped-def]
    both = [draft, p03]
    text = render_checks(both, policy, "text", width=80)
    assert text.index(str(draft.source.path)) < text.index(str(p03.source.path))
    assert text.count("Overall: ") == 2
    documents = json.loads(render_checks(both, policy, "json"))
    assert [d["source"]["path"] for d in documents] == [draft.source.path, p03.source.path]
    one = json.loads(render_checks([p03], policy, "json"))
    assert one["source"]["path"] == p03.source.path  # one plan: the document itself
    files = {LINE.match(line)["file"] for line in render_checks(both, policy, "lines").splitlines()}  # type: ignore[index]
    assert files == {draft.source.path, p03.source.path}
    [run] = json.loads(render_checks(both, policy, "sarif"))["runs"]
    assert len(run["artifacts"]) == 2


def test_shortfalls_against_a_target(
    draft: PlanAudit, p03: PlanAudit, p08: PlanAudit, policy
) -> None:  # type: ignore[no-untyped-def]
    assert p03.overall is not None and p03.overall.value == "good"
    assert shortfalls([p03], policy, "good") == []
    [line] = shortfalls([p03], policy, "outstanding")
    assert line.startswith(f"{p03.source.path}: overall good") and "below outstanding" in line
    [line] = shortfalls([p08], policy, "good")
    assert "requires improvement" in line
    [line] = shortfalls([draft], policy, "good")
    assert "judged as a draft" in line


# -- acting on the report ------------------------------------------------------------------

_A, _C, _D = "Section A: About me", "Section C: Health needs", "Section D: Social care needs"
_E, _F = "Section E: Outcomes", "Section F: Special educational provision"
_G, _K = "Section G: Health provision", "Section K: Advice and information"

#: What a case worker writes when following each fix's suggestion, by the rule
#: behind it: (section, paragraphs, whether they replace what is there).
#: The outcome a case worker writes for the outcome fixes (taking up Robin's words, and
#: saying by when): one rewrite answers both.
_OUTCOME = [
    (
        _E,
        [
            "Robin told us he wants to read train magazines on his own, so by July 2027 "
            "Robin will read a page of a train magazine aloud with no more than three "
            "errors on 4 out of 5 occasions."
        ],
        True,
    )
]
REMEDIES: dict[str, list[tuple[str, list[str], bool]]] = {
    "coproduction.OutcomesTakeUpViews": _OUTCOME,
    "coproduction.OutcomesTimeBound": _OUTCOME,
    "statutory.OutcomesTimeBound": _OUTCOME,
    "coproduction.ViewsShapedDecisions": [
        (
            _K,
            [
                "Because Robin said he wants to read about trains, the reading outcome in "
                "Section E is about train magazines."
            ],
            False,
        )
    ],
    "coproduction.ProvisionQuantified": [
        (
            _F,
            [
                "A teaching assistant will read with Robin for 20 minutes, four times a week, "
                "in the school library.",
                "The class teacher will give Robin a printed copy of instructions in every "
                "lesson, checked by the SENCo each half term.",
            ],
            True,
        )
    ],
    "coproduction.AchievementsNoted": [
        (
            _A,
            [
                'Robin is proud that he learnt to ride his bike this summer. "I can ride with '
                'no stabilisers now!"'
            ],
            False,
        )
    ],
    "coproduction.CommunicationRecorded": [
        (
            _A,
            [
                "Robin communicates in short spoken sentences and points to pictures when he "
                "is tired."
            ],
            False,
        )
    ],
    "coproduction.MultipleViewsMethods": [
        (
            _A,
            [
                "Robin's views were gathered by talking with him at home, by a home visit and "
                "with Talking Mats."
            ],
            False,
        )
    ],
    "statutory.NoNeedsCitesAdvice": [
        (
            _C,
            [
                "Robin has no health needs related to his special educational needs (medical "
                "advice, Dr P. Moreau, community paediatrician, 2 April 2026)."
            ],
            True,
        ),
        (
            _D,
            [
                "Robin has no social care needs (social care advice, Larchmere Children's "
                "Services, 5 April 2026)."
            ],
            True,
        ),
    ],
    "coproduction.AttendanceRecorded": [
        (
            _K,
            [
                "Robin, his mum, the SENCo and the educational psychologist attended the "
                "planning meeting on 20 March 2026."
            ],
            False,
        )
    ],
    "coproduction.TwoOrMoreAgencyCategories": [
        (
            _K,
            [
                "Medical advice, Dr P. Moreau, community paediatrician, 2 April 2026.",
                "Social care advice, Larchmere Children's Services, 5 April 2026.",
                "Educational advice, Mrs J. Hollis, SENCo, Larchmere Primary School, 3 April 2026.",
                "Advice from Robin's parents, 1 April 2026.",
            ],
            False,
        )
    ],
    "coproduction.YouSaidWeDid": [
        (
            _K,
            [
                "You said, we did: Robin's mum asked for reading help at home, so a weekly "
                "train book has been added in Section F."
            ],
            False,
        )
    ],
    "coproduction.Aspirations": [
        (
            _A,
            [
                "When I grow up I want to drive trains.",
                "Robin's mum hopes he can join the Saturday model railway club next year.",
            ],
            False,
        )
    ],
    "coproduction.SharedDeliveryRoles": [
        (
            _F,
            [
                "Robin's mum will read the weekly train book with him at home for 10 minutes "
                "each evening."
            ],
            False,
        )
    ],
    "statutory.ProvisionNotBlank": [
        (
            _G,
            [
                "No health provision is needed: the community paediatrician found no health "
                "needs related to Robin's special educational needs (medical advice, "
                "2 April 2026)."
            ],
            True,
        )
    ],
}


def test_acting_on_the_report_raises_the_rating(draft: PlanAudit, tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    """Work down the report's fixes, writing what each suggestion asks; the plan rates higher."""
    fixes = [fix for fix in plan_fixes(draft, policy) if not fix.after_consultation]
    plan = {heading: list(paragraphs) for heading, paragraphs in DRAFT.items()}
    acted = 0
    for position, fix in enumerate(fixes):
        remedies = [edit for rule in fix.rules for edit in REMEDIES.get(rule, [])]
        if position < 10:
            assert remedies, f"no remedy written for fix {position + 1}: {fix.message}"
        for section, paragraphs, replace in remedies:
            plan[section] = list(paragraphs) if replace else plan[section] + list(paragraphs)
        acted += bool(remedies)
    assert acted >= 10
    before = judged_ratings(draft, policy)
    after = judged_ratings(audit(_draft_docx(tmp_path / "revised.docx", plan)), policy)
    assert before.overall is not None and before.overall.value == "requires_improvement"
    assert after.overall is not None and after.overall.value == "good"
    assert after.total_score is not None and before.total_score is not None
    assert after.total_score >= before.total_score + 4
    assert all(a.score >= b.score for a, b in zip(after.principles, before.principles, strict=True))


# -- the command ------------------------------------------------------------------------------


def _run(*argv: str, stdout: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = stdout or io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_fail_under_sets_the_exit_code(draft_path: Path) -> None:
    p03, p08 = str(CORPUS / "p03.docx"), str(CORPUS / "p08.txt")
    assert _run("check", p03, "--fail-under", "good")[0] == 0
    code, _, err = _run("check", p03, "--fail-under", "outstanding")
    assert code == 1 and f"below target: {p03}: overall good, below outstanding" in err
    assert _run("check", p03)[0] == 0  # no target, no verdict
    code, _, err = _run("check", p03, p08, "--fail-under", "good")
    assert code == 1 and p08 in err and p03 not in err
    code, _, err = _run("check", p03, str(draft_path), "--fail-under", "good")
    assert code == 1 and "judged as a draft" in err
    code, _, err = _run("check", p03, str(CORPUS / "bad" / "empty.txt"), "--fail-under", "good")
    assert code == 2 and "error: " in err  # could not audit outranks below target


def test_check_takes_several_files_in_every_format(draft_path: Path) -> None:
    p03 = str(CORPUS / "p03.docx")
    code, out, _ = _run("check", p03, str(draft_path))
    assert code == 0 and out.count("Overall: ") == 2 and not RULE_ID.search(out)
    code, out, _ = _run("check", p03, str(draft_path), "--format", "lines")
    assert code == 0 and all(LINE.match(line) for line in out.splitlines())
    code, out, _ = _run("check", p03, str(draft_path), "--format", "sarif")
    [run] = json.loads(out)["runs"]
    assert code == 0 and len(run["artifacts"]) == 2
    code, out, _ = _run("check", p03, str(CORPUS / "bad" / "empty.txt"), "--format", "json")
    documents = json.loads(out)
    assert code == 2 and [d.get("error", {}).get("code") for d in documents] == [None, "empty"]
    code, out, _ = _run("check", p03, "-v")
    assert "[warning statutory.ProvisionSpecific]" in out


def test_check_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    p03 = str(CORPUS / "p03.docx")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "72")
    assert ANSI.search(_run("check", p03, stdout=Terminal())[1])
    _, plain, _ = _run("check", p03)
    assert not ANSI.search(plain)
    assert max(len(line) for line in plain.splitlines()) <= 72
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(_run("check", p03, stdout=Terminal())[1])
