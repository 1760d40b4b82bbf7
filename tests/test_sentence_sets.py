"""Fresh-sentence sets: every set in corpus_samples/sentences holds its own bars,
and the runner that measures them is itself tested on sets written here.

Each set file states the recall and precision its cue kind truly reaches
(``min_recall``, ``min_precision``); a change that loses a class of sentence
fails here with the missed cases and the general pattern each stands for.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from ehcp_audit._errors import ConfigError
from ehcp_audit._sentence_eval import evaluate_sets, synthetic_plan
from ehcp_audit._sentence_sets import load_set, load_sets
from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "corpus_samples" / "sentences"
SET_FILES = sorted(SENTENCES.glob("*.toml"))


# -- the committed sets --------------------------------------------------------------


def test_there_are_sentence_sets() -> None:
    assert SET_FILES, f"no *.toml sets in {SENTENCES}"


@pytest.mark.parametrize("path", SET_FILES, ids=[p.stem for p in SET_FILES])
def test_the_set_holds_its_bars(path: Path) -> None:
    sentence_set = load_set(path)
    assert sum(c.expect for c in sentence_set.cases) >= 3, "too few positives to measure"
    assert sum(not c.expect for c in sentence_set.cases) >= 3, "too few near-miss negatives"
    (result,) = evaluate_sets([sentence_set]).sets
    report = "\n".join(
        [f"missed: {c.describe()}" for c in result.misses]
        + [f"false positive: {c.describe()}" for c in result.false_positives]
    )
    assert result.below_bars() == [], f"{path.name}:\n{report}"


# -- the runner, on sets written here ------------------------------------------------

SET = """
kind = "child_voice"
description = "a small set whose answers are known"
min_recall = 0.5
min_precision = 0.5

[plan]
name = "Perrin Wren"
preferred_name = "Tom"
age = 8
parents = ["Hilde Wren"]

[[case]]
text = "Tom told us he likes the climbing frame best."
expect = true
pattern = "reported speech, preferred name from the details"

[[case]]
text = "Perrin said that swimming on Fridays is his favourite thing."
expect = true
pattern = "reported speech, first name from the details"

[[case]]
text = "Hilde said that Tom sleeps badly before school trips."
expect = false
pattern = "a parent named in the details speaks"

[[case]]
text = "The class teacher noted that Tom settles quickly after lunch."
expect = false
pattern = "a professional's observation"
"""


def write(tmp_path: Path, text: str, name: str = "demo.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_known_positives_and_negatives_are_scored(tmp_path: Path) -> None:
    (result,) = evaluate_sets(load_sets(write(tmp_path, SET))).sets
    assert (result.recall.hits, result.recall.total) == (2, 2)
    assert (result.precision.hits, result.precision.total) == (2, 2)
    assert result.misses == [] and result.false_positives == []
    assert result.below_bars() == []


def test_a_negative_the_tool_takes_is_a_false_positive(tmp_path: Path) -> None:
    # The same parent sentence, now (wrongly) expected to be the child's voice
    # and the child's sentence expected not to be: both must show up as wrong.
    text = SET.replace('expect = false\npattern = "a parent', 'expect = true\npattern = "a parent')
    text = text.replace(
        'expect = true\npattern = "reported speech, first',
        'expect = false\npattern = "reported speech, first',
    )
    (result,) = evaluate_sets(load_sets(write(tmp_path, text))).sets
    assert [c.case.number for c in result.misses] == [3]
    assert [c.case.number for c in result.false_positives] == [2]
    assert result.recall.value == pytest.approx(0.5)
    assert result.precision.value == pytest.approx(0.5)
    assert "a parent named in the details speaks" in result.misses[0].describe()


def test_the_covering_cue_must_carry_the_attributes(tmp_path: Path) -> None:
    text = SET.replace(
        'pattern = "reported speech, preferred name from the details"',
        'pattern = "reported speech, preferred name from the details"\n'
        'attributes = { form = "nonverbal" }',
    )
    (result,) = evaluate_sets(load_sets(write(tmp_path, text))).sets
    assert [c.case.number for c in result.misses] == [1]
    assert "found, but with" in result.misses[0].describe()


def one_case(tmp_path: Path, kind: str, section: str, before: str, text: str):
    """The result of a one-case set whose case must not be covered."""
    path = write(
        tmp_path,
        f'kind = "{kind}"\nmin_recall = 0\nmin_precision = 0\n[plan]\nname = "Orla Finch"\n'
        f'[[case]]\nsection = "{section}"\nbefore = "{before}"\ntext = "{text}"\n'
        'expect = false\npattern = "the context only"\n',
    )
    (result,) = evaluate_sets(load_sets(path)).sets
    return result


def test_a_cue_on_the_context_before_the_case_does_not_cover_it(tmp_path: Path) -> None:
    result = one_case(
        tmp_path,
        "child_voice",
        "A",
        "Orla told us she wants a quieter place to eat lunch.",
        "The dining hall has two sittings.",
    )
    (case,) = result.results
    assert case.error is None and not case.covered and result.false_positives == []


def test_a_short_cue_covers_only_its_own_case(tmp_path: Path) -> None:
    # An acronym cue's text is the acronym alone; a text-similarity match would
    # let "SALT" cover any sentence sharing two letters with it ("sa" in "said").
    result = one_case(
        tmp_path,
        "acronym_unexpanded",
        "F",
        "The SALT will see Orla each week.",
        "Orla said the sessions are fun.",
    )
    assert result.false_positives == []


def test_the_synthetic_plan_teaches_the_tool_the_family(tmp_path: Path) -> None:
    from ehcp_audit._audit import analyse

    sentence_set = load_set(write(tmp_path, SET))
    case = sentence_set.cases[0]
    plan = analyse(synthetic_plan(case, sentence_set.plan).encode("utf-8"))
    assert plan.details.name == "Perrin Wren"
    assert plan.details.preferred_name == "Tom"
    assert plan.details.age == 8
    assert plan.details.parents == ("Hilde Wren",)
    section_a = next(s for s in plan.sections if s.code == "A")
    assert case.text in section_a.text


def test_heading_before_and_section_are_placed(tmp_path: Path) -> None:
    from ehcp_audit._audit import analyse

    text = SET.replace(
        'text = "Tom told us he likes the climbing frame best."',
        'text = "Tom told us he likes the climbing frame best."\nsection = "E"\n'
        'heading = "What Tom told us"\nbefore = "We met Tom at school."',
    )
    sentence_set = load_set(write(tmp_path, text))
    case = sentence_set.cases[0]
    plan = analyse(synthetic_plan(case, sentence_set.plan).encode("utf-8"))
    section_e = next(s for s in plan.sections if s.code == "E")
    body = section_e.text
    assert body.index("What Tom told us") < body.index("We met Tom") < body.index(case.text)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("min_precision = 0.5", "min_precision = 0.5\ncolour = 'red'"), "colour"),
        (('text = "Tom told us he likes the climbing frame best."\n', ""), "case 1: text"),
        (('expect = false\npattern = "a parent', 'expext = false\npattern = "a parent'), "expext"),
        (('kind = "child_voice"', 'kind = "child_voices"'), "kind"),
        (("age = 8", "age = 'eight'"), "plan.age"),
        (("min_recall = 0.5", "min_recall = 5"), "min_recall"),
        (("min_recall = 0.5\n", ""), "min_recall"),
        (
            ('pattern = "a professional\'s observation"', 'pattern = "x"\nsection = "Z"'),
            "case 4: section",
        ),
        (
            (
                'pattern = "a professional\'s observation"',
                'pattern = "x"\nattributes = "nonverbal"',
            ),
            "case 4: attributes",
        ),
        (("[[case]]", "[[case]"), "not valid TOML"),
    ],
)
def test_a_malformed_set_is_a_config_error_naming_file_and_key(
    tmp_path: Path, change: tuple[str, str], key: str
) -> None:
    old, new = change
    assert old in SET
    path = write(tmp_path, SET.replace(old, new, 1))
    with pytest.raises(ConfigError) as raised:
        load_sets(path)
    assert str(path) in raised.value.message and key in raised.value.message


def test_a_set_without_cases_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, 'kind = "child_voice"\nmin_recall = 1\nmin_precision = 1\n')
    with pytest.raises(ConfigError, match=r"\[\[case\]\]"):
        load_sets(path)


# -- the command line ----------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_eval_sentences_prints_each_set_and_gates_on_figures(tmp_path: Path) -> None:
    write(tmp_path, SET)
    code, out, err = run("eval", "--sentences", str(tmp_path), "-v")
    assert code == 0, err
    assert "demo" in out and "child_voice" in out and "1.000 (2/2)" in out
    code, _, err = run("eval", "--sentences", str(tmp_path), "--min", "demo.recall=1.01")
    assert code == 1 and "demo.recall = 1.000 is below the minimum 1.01" in err
    code, _, err = run("eval", "--sentences", str(tmp_path), "--min", "other.recall=0.5")
    assert code == 2 and "no such figure: other.recall" in err


def test_eval_sentences_fails_below_the_sets_own_bars_and_lists_misses(tmp_path: Path) -> None:
    text = SET.replace("min_recall = 0.5", "min_recall = 1.0").replace(
        'expect = false\npattern = "a parent', 'expect = true\npattern = "a parent'
    )
    write(tmp_path, text)
    code, out, err = run("eval", "--sentences", str(tmp_path / "demo.toml"), "-v")
    assert code == 1
    assert "demo.recall" in err and "the set's minimum 1" in err
    assert "missed: [a parent named in the details speaks] (case 3)" in out


def test_eval_sentences_json(tmp_path: Path) -> None:
    write(tmp_path, SET)
    code, out, _ = run("eval", "--sentences", str(tmp_path), "--format", "json")
    assert code == 0
    (document,) = json.loads(out)["sentence_sets"]
    assert document["name"] == "demo" and document["kind"] == "child_voice"
    assert document["recall"] == {"value": 1.0, "hits": 2, "total": 2}
    assert document["cases"] == 4 and document["misses"] == []


def test_eval_sentences_malformed_is_a_config_error_not_a_traceback(tmp_path: Path) -> None:
    write(tmp_path, SET.replace("kind =", "knd ="))
    code, out, err = run("eval", "--sentences", str(tmp_path))
    assert code == 2
    assert err.startswith("error: config_error:") and "knd" in err and "demo.toml" in err
    assert out == ""


def test_eval_needs_a_folder_or_sentences() -> None:
    with pytest.raises(SystemExit) as raised:
        run("eval")
    assert raised.value.code == 2


def test_an_attribute_a_kind_never_carries_is_refused(tmp_path: Path) -> None:
    text = SET.replace('kind = "child_voice"', 'kind = "feedback"').replace(
        'pattern = "a professional\'s observation"',
        'pattern = "x"\nattributes = { datde = true }',
    )
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=r"case 4: attributes\.datde"):
        load_sets(path)


def test_eval_labelled_plans_and_sentences_together(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(ROOT / "corpus_samples" / "p06.md", plans / "p06.md")
    (plans / "p06.labels.json").write_text('{"id": "p06"}', encoding="utf-8")
    sets = tmp_path / "sets"
    sets.mkdir()
    write(sets, SET)
    bounds = ("--min", "plans_audited=1", "--min", "demo.precision=1")
    code, out, err = run("eval", str(plans), "--sentences", str(sets), *bounds)
    assert code == 0, err
    assert "1 labelled plan file(s): 1 audited, 0 refused" in out and "demo" in out
    code, out, _ = run("eval", str(plans), "--sentences", str(sets), "--format", "json")
    document = json.loads(out)
    assert document["figures"]["plans_audited"]["value"] == 1.0
    assert [s["name"] for s in document["sentence_sets"]] == ["demo"]
