"""Each rule kind on plans built by hand, with exactly the cues and rows it needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_factory import cue, make_plan

from ehcp_audit import ConfigError
from ehcp_audit._model import Level, PlanDetails, SectionMetrics
from ehcp_audit.checks import RuleSpec, load_rule, run_rule, run_rules, skip_reason
from ehcp_audit.checks._match import sentence_span

ALL = {c: ["Something written here."] for c in ("A", "B", "C", "D", "E", "F", "G", "I", "K")}


def rule(tmp_path: Path, body: str, name: str = "Rule", pack: str = "test") -> RuleSpec:
    header = 'message = "It failed."\ndescription = "It checks a thing. More detail."\n'
    path = tmp_path / f"{name}.toml"
    path.write_text(header + body, encoding="utf-8")
    return load_rule(path, pack)


# -- required_section ---------------------------------------------------------------


def test_required_section_missing_and_unfilled(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "required_section"\nsections = ["A", "J"]\nfilled = true\n')
    plan = make_plan({"A": [], "B": ["x"], "E": ["x"]}, placeholders={"A": ["[Insert views]"]})
    finding = run_rule(plan, spec)
    assert not finding.passed
    assert finding.message == "It failed. (missing: J; not filled in: A)"
    assert [e.text for e in finding.evidence] == ["Section A", "[Insert views]"]
    assert finding.rule == "test.Rule" and finding.level is Level.WARNING


def test_required_section_passes_and_cites_headings(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "required_section"\nsections = ["A", "K"]\nfilled = true\n')
    finding = run_rule(make_plan(ALL), spec)
    assert finding.passed
    assert finding.message == "It checks a thing."
    assert [e.section for e in finding.evidence] == ["A", "K"]
    assert finding.evidence[0].location is not None


def test_required_section_any_of_and_merged_h2(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "required_section"\nsections = ["H1", "H2"]\nany_of = true\n')
    assert run_rule(make_plan({"H1": ["Support at home."], "A": ["x"]}), spec).passed
    both = rule(tmp_path, 'kind = "required_section"\nsections = ["H2"]\nfilled = true\n', "Both")
    merged = make_plan({"H1": ["Support at home."], "A": ["x"]}, missing=["J"])  # H2 not missing
    assert run_rule(merged, both).passed
    assert not run_rule(make_plan({"A": ["x"]}), both).passed


# -- existence ------------------------------------------------------------------------


def test_existence_quotes_each_sentence_with_a_match(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "existence"\nscope = ["F"]\nphrases = ["as required", "access to"]\n',
    )
    plan = make_plan(
        {
            "F": ["Sam will have support as required. A TA will read with Sam daily."],
            "A": ["Help as required at home."],  # out of scope
        }
    )
    finding = run_rule(plan, spec)
    assert not finding.passed
    assert [e.text for e in finding.evidence] == ["Sam will have support as required."]
    location = finding.evidence[0].location
    assert location is not None and (location.start, location.end) == (0, 34)
    assert finding.message == "It failed. (1 found)"
    clean = make_plan({"F": ["A teaching assistant will read with Sam for 20 minutes a day."]})
    assert run_rule(clean, spec).passed


def test_existence_of_cues_narrowed_by_where(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "existence"\ncue = "outcome"\nwhere = { is_provision = true }\n',
    )
    provision_like = cue("outcome", "Sam will have a TA.", "E", is_provision=True)
    proper = cue("outcome", "Sam will read a book by July.", "E", is_provision=False)
    assert run_rule(make_plan(ALL, cues=[proper]), spec).passed
    finding = run_rule(make_plan(ALL, cues=[proper, provision_like]), spec)
    assert not finding.passed
    assert [e.text for e in finding.evidence] == ["Sam will have a TA."]


def test_cue_and_pattern_are_a_union_without_repeats(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "existence"\nscope = ["F"]\ncue = "vague_provision"\nphrases = ["regular"]\n',
    )
    plan = make_plan(
        {"F": ["Regular checks.", "Access to a quiet room."]},
        cues=[cue("vague_provision", "Access to", "F", block=2)],
    )
    finding = run_rule(plan, spec)
    assert [e.text for e in finding.evidence] == ["Access to", "Regular checks."]


def test_sentence_span_finds_the_sentence_around_a_match() -> None:
    text = "First one. Sam will have help as required! Last"
    start = text.index("as required")
    assert text[slice(*sentence_span(text, start, start + 11))] == "Sam will have help as required!"
    assert text[slice(*sentence_span(text, 45, 46))] == "Last"
    lines = "a\nb as c\nd"
    assert lines[slice(*sentence_span(lines, 4, 6))] == "b as c"


# -- occurrence -----------------------------------------------------------------------


def test_occurrence_min_counts_cues_in_scope(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "occurrence"\nscope = ["A"]\ncue = "child_voice"\nmin = 2\n')
    one = [cue("child_voice", "I like trains.", "A"), cue("child_voice", "I like cats.", "K")]
    finding = run_rule(make_plan(ALL, cues=one), spec)
    assert not finding.passed
    assert finding.message == "It failed. (1 found; at least 2 expected)"
    two = [*one, cue("child_voice", "My dog is Max.", "A")]
    finding = run_rule(make_plan(ALL, cues=two), spec)
    assert finding.passed and len(finding.evidence) == 2


def test_occurrence_max(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "occurrence"\ncue = "acronym_unexpanded"\nmax = 1\n')
    cues = [cue("acronym_unexpanded", "SALT", "F"), cue("acronym_unexpanded", "EP", "K")]
    finding = run_rule(make_plan(ALL, cues=cues), spec)
    assert not finding.passed and "at most 1 expected" in finding.message


def test_occurrence_distinct_counts_values(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "occurrence"\nscope = ["K"]\ncue = "agency"\ndistinct = "category"\nmin = 2\n',
    )
    teachers = [
        cue("agency", "class teacher", "K", category="education"),
        cue("agency", "SENCo", "K", category="education"),
    ]
    finding = run_rule(make_plan(ALL, cues=teachers), spec)
    assert not finding.passed
    assert finding.message == "It failed. (1 different category values; at least 2 expected)"
    nurse = cue("agency", "school nurse", "K", category="health")
    finding = run_rule(make_plan(ALL, cues=[*teachers, nurse]), spec)
    assert finding.passed
    assert [e.text for e in finding.evidence] == ["class teacher", "school nurse"]


def test_occurrence_where_matches_lists_and_any_of(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "occurrence"\ncue = "attendance"\nwhere = { who = ["child", "family"] }\nmin = 1\n',
    )
    staff = cue("attendance", "The SENCo attended.", "A", who=["professional"])
    family = cue("attendance", "Mum and Sam came.", "A", who=["family", "child"])
    assert not run_rule(make_plan(ALL, cues=[staff]), spec).passed
    assert run_rule(make_plan(ALL, cues=[staff, family]), spec).passed


def test_distinct_needs_a_cue(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="key 'distinct'"):
        rule(tmp_path, 'kind = "occurrence"\nphrases = ["x"]\ndistinct = "category"\nmin = 1\n')


# -- conditional ----------------------------------------------------------------------

NEEDS_MET = """
kind = "conditional"
for_each = { section = "B" }
require = [{ section = "F" }, { section = "E" }]
"""


def test_conditional_rows_each_need_has_provision_and_outcome(tmp_path: Path) -> None:
    spec = rule(tmp_path, NEEDS_MET)
    rows = [
        {
            "B": "Sam finds reading hard.",
            "F": "Daily reading with a TA.",
            "E": "Read a book by July.",
        },
        {"B": "Sam finds writing tiring.", "F": "", "E": ""},
        {"B": "", "F": "Extra", "E": ""},  # no need in B: not checked
    ]
    finding = run_rule(make_plan({"A": ["x"], "K": ["x"]}, table=rows), spec)
    assert not finding.passed
    assert [e.text for e in finding.evidence] == ["Sam finds writing tiring."]
    assert finding.evidence[0].location is not None and finding.evidence[0].location.row == 2
    assert finding.message == "It failed. (1 of 2 rows lack F, E)"
    finding = run_rule(make_plan({"A": ["x"], "K": ["x"]}, table=rows[:1]), spec)
    assert finding.passed and [e.text for e in finding.evidence] == ["Sam finds reading hard."]


def test_conditional_column_absent_from_table_checks_the_section(tmp_path: Path) -> None:
    spec = rule(tmp_path, NEEDS_MET)
    rows = [{"B": "Sam finds reading hard.", "F": "Daily reading with a TA."}]
    without_e = make_plan({"A": ["x"], "K": ["x"]}, table=rows)
    assert not run_rule(without_e, spec).passed
    with_e = make_plan({"A": ["x"], "E": ["By July Sam will read a book."]}, table=rows)
    assert run_rule(with_e, spec).passed


def test_conditional_falls_back_to_sections_without_rows(tmp_path: Path) -> None:
    spec = rule(tmp_path, NEEDS_MET)
    assert run_rule(make_plan(ALL), spec).passed
    finding = run_rule(make_plan({"A": ["x"], "B": ["Reading is hard."], "F": ["TA daily."]}), spec)
    assert not finding.passed
    assert finding.message == "It failed. (section B is filled; E not)"
    # Nothing in B: nothing to check.
    assert run_rule(make_plan({"A": ["x"], "F": ["x"], "K": ["x"]}), spec).passed


def test_conditional_cue_to_cue_same_row_section_plan(tmp_path: Path) -> None:
    body = (
        'kind = "conditional"\nfor_each = { cue = "outcome" }\n'
        'require = [{ cue = "quantified_provision", same = "%s" }]\n'
    )
    outcome = cue("outcome", "Read a book by July.", "E", block=5, table=1, row=1)
    same_row = cue("quantified_provision", "TA daily.", "F", block=4, table=1, row=1)
    other_row = cue("quantified_provision", "TA daily.", "F", block=9, table=1, row=2)
    for same, partner, passes in [
        ("row", same_row, True),
        ("row", other_row, False),
        ("section", same_row, False),
        ("plan", other_row, True),
    ]:
        spec = rule(tmp_path, body % same, name=f"R{same}")
        finding = run_rule(make_plan(ALL, cues=[outcome, partner]), spec)
        assert finding.passed is passes, same
    lonely = rule(tmp_path, body % "plan", name="Lonely")
    finding = run_rule(make_plan(ALL, cues=[outcome]), lonely)
    assert not finding.passed and [e.text for e in finding.evidence] == ["Read a book by July."]


# -- metric ---------------------------------------------------------------------------


def _metrics() -> list[SectionMetrics]:
    return [
        SectionMetrics(
            "A", words=300, sentences=30, flesch_reading_ease=70.0, flesch_kincaid_grade=5.0
        ),
        SectionMetrics(
            "B", words=100, sentences=4, flesch_reading_ease=30.0, flesch_kincaid_grade=14.0
        ),
        SectionMetrics("F", words=20, sentences=2),
    ]


def test_metric_readability_is_word_weighted(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "metric"\nmetric = "flesch_reading_ease"\nmin = 61\n')
    finding = run_rule(make_plan(ALL, metrics=_metrics()), spec)  # (70*300 + 30*100) / 400 = 60
    assert not finding.passed
    assert finding.message == "It failed. (measured 60.0; minimum 61.0)"
    scoped = rule(
        tmp_path, 'kind = "metric"\nscope = ["A"]\nmetric = "flesch_reading_ease"\nmin = 61\n', "A"
    )
    finding = run_rule(make_plan(ALL, metrics=_metrics()), scoped)
    assert finding.passed and finding.message == "It checks a thing. (measured 70.0; minimum 61.0)"


def test_metric_totals_and_grade_max(tmp_path: Path) -> None:
    words = rule(tmp_path, 'kind = "metric"\nmetric = "words"\nscope = ["F"]\nmin = 25\n')
    assert not run_rule(make_plan(ALL, metrics=_metrics()), words).passed
    # (5 * 300 + 14 * 100) / 400 = 7.25; F has no grade (too short) and is left out.
    grade = rule(tmp_path, 'kind = "metric"\nmetric = "flesch_kincaid_grade"\nmax = 7\n', "G")
    finding = run_rule(make_plan(ALL, metrics=_metrics()), grade)
    assert not finding.passed and "(measured 7.2; maximum 7.0)" in finding.message
    looser = rule(tmp_path, 'kind = "metric"\nmetric = "flesch_kincaid_grade"\nmax = 7.5\n', "H")
    assert run_rule(make_plan(ALL, metrics=_metrics()), looser).passed


def test_metric_shares_and_ratios(tmp_path: Path) -> None:
    share = rule(
        tmp_path,
        'kind = "metric"\nmetric = "share:quantified_provision/vague_provision"\nmin = 0.6\n',
    )
    cues = [
        cue("quantified_provision", "TA daily.", "F"),
        cue("vague_provision", "as required", "F"),
    ]
    finding = run_rule(make_plan(ALL, cues=cues), share)
    assert not finding.passed and finding.message == "It failed. (measured 50%; minimum 60%)"
    assert [e.text for e in finding.evidence] == ["as required"]
    ratio = rule(tmp_path, 'kind = "metric"\nmetric = "ratio:outcome.time_bound"\nmin = 0.5\n', "R")
    attr = rule(
        tmp_path,
        'kind = "metric"\nmetric = "attribute_share"\ncue = "outcome"\n'
        'attribute = "time_bound"\nmin = 0.5\n',
        "S",
    )
    outcomes = [
        cue("outcome", "By July Sam will read.", "E", time_bound=True),
        cue("outcome", "Sam will read more.", "E", time_bound=False),
    ]
    for spec in (ratio, attr):
        finding = run_rule(make_plan(ALL, cues=outcomes), spec)
        assert finding.passed and [e.text for e in finding.evidence] == ["By July Sam will read."]
        assert not run_rule(make_plan(ALL, cues=outcomes[1:]), spec).passed


def test_metric_with_nothing_to_measure(tmp_path: Path) -> None:
    lenient = rule(tmp_path, 'kind = "metric"\nmetric = "ratio:outcome.time_bound"\nmin = 0.5\n')
    strict = rule(
        tmp_path,
        'kind = "metric"\nmetric = "ratio:outcome.time_bound"\nmin = 0.5\nwhen_empty = "fail"\n',
        "Strict",
    )
    assert run_rule(make_plan(ALL), lenient).passed
    finding = run_rule(make_plan(ALL), strict)
    assert not finding.passed and finding.message == "It failed. (nothing to measure)"


# -- python ---------------------------------------------------------------------------


def test_python_review_date(tmp_path: Path) -> None:
    import datetime as dt

    spec = rule(tmp_path, 'kind = "python"\nfunction = "review_date_set"\n')
    assert not run_rule(make_plan(ALL), spec).passed
    dated = make_plan(ALL, details=PlanDetails(name="Sam", review_date=dt.date(2026, 5, 20)))
    finding = run_rule(dated, spec)
    assert finding.passed and finding.evidence[0].text == "Review date: 2026-05-20"


def test_python_outcomes_take_up_views(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "python"\nfunction = "outcomes_take_up_views"\n')
    voice = cue("child_voice", "I love trains and want to drive one.", "A")
    linked = cue("outcome", "By July Sam will read a book about trains.", "E")
    unlinked = cue("outcome", "By July Sam will read a book.", "E")
    finding = run_rule(make_plan(ALL, cues=[voice, unlinked, linked]), spec)
    assert finding.passed
    assert [e.text for e in finding.evidence] == [linked.text, voice.text]
    assert not run_rule(make_plan(ALL, cues=[voice, unlinked]), spec).passed
    finding = run_rule(make_plan(ALL, cues=[linked]), spec)
    assert "no child or parent views" in finding.message


def test_python_reg6_sources_with_year_9(tmp_path: Path) -> None:
    spec = rule(tmp_path, 'kind = "python"\nfunction = "reg6_advice_complete"\nscope = ["K"]\n')
    sources = ["parent", "school", "medical", "educational_psychologist", "social_care"]
    cues = [cue("agency", s, "K", reg6_source=s) for s in sources]
    assert run_rule(make_plan(ALL, cues=cues), spec).passed
    year9 = make_plan(ALL, cues=cues, details=PlanDetails(name="Sam", year_group="Year 9"))
    finding = run_rule(year9, spec)
    assert not finding.passed and finding.message.endswith(
        "(no advice from preparing for adulthood)"
    )
    finding = run_rule(make_plan(ALL, cues=cues[1:]), spec)
    assert "the parent or young person" in finding.message


def test_python_check_that_crashes_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ehcp_audit.checks import _builtins

    def broken(plan: object, rule: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(_builtins.BUILTINS, "broken", broken)
    spec = rule(tmp_path, 'kind = "python"\nfunction = "broken"\n')
    with pytest.raises(ConfigError, match=r"check 'broken' of rule test\.Rule failed"):
        run_rule(make_plan(ALL), spec)


# -- applies_when and the engine ------------------------------------------------------------


def test_applies_when_skips_with_a_reason(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "occurrence"\nphrases = ["college"]\nmin = 1\napplies_when = { min_year = 9 }\n',
    )
    young = make_plan(ALL, details=PlanDetails(name="Sam", year_group="Year 3"))
    run = run_rules(young, [spec])
    assert run.findings == ()
    assert run.skipped == (("test.Rule", "applies from Year 9; the plan gives Year 3"),)
    unknown = make_plan(ALL)  # no year: the rule applies
    assert len(run_rules(unknown, [spec]).findings) == 1


@pytest.mark.parametrize(
    ("condition", "details", "applies"),
    [
        ({"min_age": 14}, PlanDetails(age=13), False),
        ({"min_age": 14}, PlanDetails(age=14), True),
        ({"max_age": 5}, PlanDetails(age=6), False),
        ({"min_year": 9}, PlanDetails(year_group="Reception"), False),
        ({"min_year": 9}, PlanDetails(year_group="Post-16"), True),
        ({"young_person_16_plus": True}, PlanDetails(age=15), False),
        ({"young_person_16_plus": True}, PlanDetails(year_group="Post-16"), True),
        ({"young_person_16_plus": False}, PlanDetails(age=17), False),
        ({"young_person_16_plus": True}, PlanDetails(), True),
    ],
)
def test_applies_when_conditions(condition: dict, details: PlanDetails, applies: bool) -> None:
    from ehcp_audit.checks import AppliesWhen

    assert (skip_reason(AppliesWhen(**condition), details) is None) is applies


def test_failed_finding_carries_suggestion_and_level(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "existence"\nphrases = ["regular"]\nlevel = "error"\nprinciples = [6, 2]\n'
        'suggestion = "Say how often."\nweight = 2\n',
    )
    finding = run_rule(make_plan({"F": ["Regular sessions."], "A": ["x"], "B": ["x"]}), spec)
    assert finding.level is Level.ERROR and finding.principles == (6, 2)
    assert finding.suggestion == "Say how often."
    assert spec.weight == 2.0
    assert run_rule(make_plan(ALL), spec).suggestion == ""


def test_occurrence_distinct_counts_each_value_of_a_list(tmp_path: Path) -> None:
    spec = rule(
        tmp_path,
        'kind = "occurrence"\nscope = ["A"]\ncue = "views_method"\ndistinct = "methods"\nmin = 2\n',
    )
    both = cue("views_method", "by questionnaire and conversation", "A", methods=["a", "b"])
    finding = run_rule(make_plan(ALL, cues=[both]), spec)
    assert finding.passed
    assert [e.text for e in finding.evidence] == ["by questionnaire and conversation"]
    one = cue("views_method", "by questionnaire", "A", methods=["a"])
    assert not run_rule(make_plan(ALL, cues=[one]), spec).passed
