"""Plain-language metrics per section: words, sentences, Flesch scores.

Sections are built by hand (so the expected counts are known exactly) and read
from real corpus plans; the pipeline is a real blank spaCy pipeline with its
sentencizer, as ``section_metrics`` is given in ``audit``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_audit._audit import read
from ehcp_audit._errors import ConfigError
from ehcp_audit._model import Block, BlockKind, FoundBy, Section
from ehcp_audit.nlp import _metrics
from ehcp_audit.nlp._metrics import (
    MIN_WORDS_FOR_SCORES,
    flesch_scores,
    section_metrics,
    syllables,
)
from ehcp_audit.sections import sectionize

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


def section(code: str, *texts: str, placeholder: tuple[int, ...] = (), **kw) -> Section:
    blocks = tuple(
        Block(index=i, kind=BlockKind.PARAGRAPH, text=t, placeholder=i in placeholder)
        for i, t in enumerate(texts)
    )
    return Section(code=code, heading=code, found_by=FoundBy.TEXT_PATTERN, blocks=blocks, **kw)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("cake", 1),
        ("the", 1),
        ("smile", 1),
        ("table", 2),
        ("little", 2),
        ("people", 2),
        ("free", 1),
        ("because", 2),
        ("jumped", 1),
        ("played", 1),
        ("wanted", 2),
        ("recognised", 3),
        ("therapist", 3),
        ("beautiful", 3),
        ("education", 4),
        ("communication", 5),
        ("Sam", 1),
        ("12", 2),
        ("2025", 4),
        ("1000000", 4),
        ("—", 0),
    ],
)
def test_syllable_heuristic(word, count):
    assert syllables(word) == count


def test_flesch_formulas():
    ease, grade = flesch_scores(words=100, sentences=5, syllable_count=150)
    assert ease == round(206.835 - 1.015 * 20 - 84.6 * 1.5, 1)
    assert grade == round(0.39 * 20 + 11.8 * 1.5 - 15.59, 1)
    with pytest.raises(ValueError):
        flesch_scores(0, 0, 0)


def test_scores_on_a_long_section(nlp):
    text = " ".join(["The cat sat on the mat."] * 20)  # 120 one-syllable words, 20 sentences
    [metrics] = section_metrics((section("A", text),), nlp)
    assert (metrics.section, metrics.words, metrics.sentences) == ("A", 120, 20)
    assert metrics.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6, abs=0.051)
    assert metrics.flesch_kincaid_grade == pytest.approx(0.39 * 6 + 11.8 - 15.59, abs=0.051)


def test_harder_text_scores_harder(nlp):
    plain = " ".join(["Sam likes to play with his dog in the park."] * 12)
    dense = " ".join(
        [
            "Comprehensive multidisciplinary assessment indicated significant "
            "communication difficulties."
        ]
        * 15
    )
    easy, hard = section_metrics((section("A", plain), section("B", dense)), nlp)
    assert easy.flesch_reading_ease > 80 > hard.flesch_reading_ease
    assert easy.flesch_kincaid_grade < 5 < hard.flesch_kincaid_grade


def test_short_sections_get_counts_but_no_scores(nlp):
    [metrics] = section_metrics((section("D", "No social care needs. None at present."),), nlp)
    assert (metrics.words, metrics.sentences) == (7, 2)
    assert metrics.flesch_reading_ease is None and metrics.flesch_kincaid_grade is None
    assert MIN_WORDS_FOR_SCORES == 100


def test_threshold_is_inclusive(nlp):
    exactly = " ".join(["One two three four five six seven eight nine ten."] * 10)
    below = " ".join(["One two three four five six seven eight nine ten."] * 9 + ["One."])
    at, under = section_metrics((section("A", exactly), section("B", below)), nlp)
    assert at.words == 100 and at.flesch_reading_ease is not None
    assert under.words == 91 and under.flesch_reading_ease is None


def test_placeholders_headings_and_labels_are_left_out(nlp):
    blocks = (
        Block(0, BlockKind.HEADING, "About me and my family history"),
        Block(1, BlockKind.TABLE_CELL, "Views"),
        Block(2, BlockKind.PARAGRAPH, "[Insert the child's views here]", placeholder=True),
        Block(3, BlockKind.PARAGRAPH, "Sam likes trains."),
    )
    sec = Section("A", "About me", FoundBy.HEADING_STYLE, blocks=blocks, subsections=("Views",))
    [metrics] = section_metrics((sec,), nlp)
    assert (metrics.words, metrics.sentences) == (3, 1)


def test_clitics_and_punctuation_are_not_words(nlp):
    [metrics] = section_metrics((section("A", "Sam's dad doesn't drive - he walks!"),), nlp)
    assert (metrics.words, metrics.sentences) == (6, 1)


def test_table_cells_are_counted_separately(nlp):
    [metrics] = section_metrics((section("F", "Weekly SALT", "Daily reading"),), nlp)
    assert (metrics.words, metrics.sentences) == (4, 2)


def test_only_statutory_sections_are_measured(nlp):
    sections = (
        section("front", "Name: Sam"),
        section("A", "Sam likes trains."),
        section("other", "x"),
    )
    assert [m.section for m in section_metrics(sections, nlp)] == ["A"]


def test_empty_section(nlp):
    [metrics] = section_metrics((section("J"),), nlp)
    assert (metrics.words, metrics.sentences, metrics.flesch_reading_ease) == (0, 0, None)


def test_needs_a_sentencizer():
    with pytest.raises(ConfigError):
        section_metrics((section("A", "Sam likes trains."),), spacy.blank("en"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=4))
def test_any_text_is_measured_without_error(texts):
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    [metrics] = section_metrics((section("B", *texts),), pipeline)
    assert metrics.words >= 0 and metrics.sentences >= 0
    assert (metrics.flesch_reading_ease is None) == (metrics.words < MIN_WORDS_FOR_SCORES)


@pytest.mark.parametrize("name", ["p01.docx", "p07.pdf", "p08.txt", "p06.md"])
def test_corpus_plans(nlp, name):
    sections = sectionize(read(CORPUS / name)).sections
    metrics = {m.section: m for m in section_metrics(sections, nlp)}
    assert "A" in metrics and metrics["A"].words >= MIN_WORDS_FOR_SCORES
    assert metrics["A"].flesch_reading_ease is not None
    assert 0 < metrics["A"].flesch_kincaid_grade < 20
    for m in metrics.values():
        assert m.words >= m.sentences or m.words == 0
        if m.words < MIN_WORDS_FOR_SCORES:
            assert m.flesch_reading_ease is None
    total_body = sum(len(b.text.split()) for s in sections if s.code in metrics for b in s.blocks)
    assert sum(m.words for m in metrics.values()) <= total_body * 1.3


def test_child_voice_section_reads_easier_than_professional_advice(nlp):
    """In a plan written for its family, section A reads more easily than the advice in K."""
    sections = sectionize(read(CORPUS / "p01.docx")).sections
    metrics = {m.section: m for m in section_metrics(sections, nlp)}
    assert metrics["A"].flesch_reading_ease > metrics["K"].flesch_reading_ease


@pytest.mark.parametrize("name", ["p01.docx", "p07.pdf", "p08.txt", "p06.md"])
def test_skipping_the_sentencizer_on_one_sentence_blocks_changes_no_count(
    nlp, name, monkeypatch: pytest.MonkeyPatch
):
    sections = sectionize(read(CORPUS / name)).sections
    fast = section_metrics(sections, nlp)
    monkeypatch.setattr(_metrics, "is_one_sentence", lambda text, enders: False)
    assert section_metrics(sections, nlp) == fast
    assert sum(m.sentences for m in fast) > 20
