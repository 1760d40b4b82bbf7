"""The corpus generator: plan sources, rendered DOCX files and their labels.

The labels are only worth measuring against if every sentence they quote is
really in the plan, in every template the plan can be rendered in. These
tests hold the generator (corpus_samples/_generate) to that.
"""

from __future__ import annotations

import copy
import hashlib
import json
import pathlib
import re
import sys
import zipfile

import pytest
from lxml import etree

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus_samples"
GENERATOR = CORPUS / "_generate"
sys.path.insert(0, str(GENERATOR))

generate = pytest.importorskip("generate")
render_docx = pytest.importorskip("render_docx")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
EXAMPLE = GENERATOR / "plans" / "_example.toml"
DOCX_STYLES = ("somerset", "classic", "childfriendly", "tablegrid", "outline")
SENTENCE_KEYS = generate.SENTENCE_LABELS


def fold(text: str) -> str:
    return " ".join(text.split())


def docx_paragraphs(path: pathlib.Path) -> list[str]:
    """Body paragraph texts as Word shows them: changes accepted, text boxes once."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for p in root.iter(f"{{{W}}}p"):
        if any(a.tag == f"{{{MC}}}Fallback" for a in p.iterancestors()):
            continue
        parts = []
        for el in p.iter(f"{{{W}}}t"):
            if next(el.iterancestors(f"{{{W}}}p")) is p:
                parts.append(el.text or "")
        out.append("".join(parts))
    return out


def labelled_pairs() -> list[tuple[pathlib.Path, pathlib.Path]]:
    """Label files generated from a plan source (hand-made samples have none)."""
    pairs = []
    for labels in sorted(CORPUS.glob("*.labels.json")):
        plan_id = labels.name.removesuffix(".labels.json")
        source = GENERATOR / "plans" / f"{plan_id}.toml"
        if source.is_file():
            pairs.append((labels, source))
    return pairs


@pytest.fixture(scope="module")
def example() -> dict:
    return generate.load_plan(EXAMPLE)


# ------------------------------------------------------------ committed labels


@pytest.mark.parametrize(
    ("labels_path", "source_path"),
    labelled_pairs() or [pytest.param(None, None, marks=pytest.mark.skip("no labels yet"))],
    ids=lambda p: p.name if isinstance(p, pathlib.Path) else str(p),
)
def test_committed_labels_quote_their_source(labels_path, source_path) -> None:
    plan = generate.load_plan(source_path)
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    text = fold(generate.source_text(plan))
    for key in SENTENCE_KEYS:
        for sentence in labels.get(key, []):
            assert fold(sentence) in text, f"{labels_path.name} {key}: {sentence!r}"
    for code, opening in labels.get("sections_present", {}).items():
        assert fold(opening) in text, f"{labels_path.name} sections_present {code}"


@pytest.mark.parametrize(
    ("labels_path", "source_path"),
    labelled_pairs() or [pytest.param(None, None, marks=pytest.mark.skip("no labels yet"))],
    ids=lambda p: p.name if isinstance(p, pathlib.Path) else str(p),
)
def test_committed_labels_are_regenerated(labels_path, source_path) -> None:
    """A label file edited by hand, or a source changed without regenerating, fails."""
    plan = generate.load_plan(source_path)
    committed = json.loads(labels_path.read_text(encoding="utf-8"))
    expected = generate.build_labels(plan, committed.get("files", []))
    assert committed == expected


def test_blank_template_labels_match_its_text(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "blank.docx"
    render_docx.render({"template": generate.BLANK_ID}, out)
    text = fold("\n".join(docx_paragraphs(out)))
    for code, opening in generate.blank_template_labels()["sections_present"].items():
        assert fold(opening) in text, code


# ------------------------------------------------------------ rendering


@pytest.mark.parametrize("style", DOCX_STYLES)
def test_every_label_and_opening_is_in_the_rendered_docx(
    style: str, example: dict, tmp_path: pathlib.Path
) -> None:
    plan = {**copy.deepcopy(example), "template": style}
    out = tmp_path / f"{style}.docx"
    render_docx.render(plan, out)
    text = fold("\n".join(docx_paragraphs(out)))
    labels = generate.build_labels(plan, [out.name])
    for key in SENTENCE_KEYS:
        for sentence in labels.get(key, []):
            assert fold(sentence) in text, f"{style} {key}: {sentence!r}"
    for code, opening in labels["sections_present"].items():
        assert fold(opening) in text, f"{style} section {code}"
    assert "{{" not in text


def test_rendering_is_byte_stable(example: dict, tmp_path: pathlib.Path) -> None:
    for style in DOCX_STYLES:
        plan = {**copy.deepcopy(example), "template": style}
        a, b = tmp_path / f"{style}-a.docx", tmp_path / f"{style}-b.docx"
        for path in (a, b):
            render_docx.render(plan, path)
            generate.normalise_zip(path)
        assert a.read_bytes() == b.read_bytes(), style


def test_somerset_fills_a_copy_and_never_the_template(example: dict, tmp_path) -> None:
    template = render_docx.template_path()
    before = hashlib.sha256(template.read_bytes()).hexdigest()
    out = tmp_path / "s.docx"
    render_docx.render({**example, "template": "somerset"}, out)
    assert hashlib.sha256(template.read_bytes()).hexdigest() == before
    paragraphs = docx_paragraphs(out)
    assert not any("{{" in p for p in paragraphs)
    # areas of need without rows are dropped; J (absent) is gone with its heading
    assert not any(p.startswith("Cognition and learning") for p in paragraphs)
    assert not any(p.startswith("J - Direct Payments") for p in paragraphs)
    assert "YES" in paragraphs and "NO" in paragraphs


def _xml(path: pathlib.Path) -> str:
    return zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")


def test_each_style_carries_its_distinguishing_structure(example: dict, tmp_path) -> None:
    paths = {}
    for style in DOCX_STYLES:
        paths[style] = tmp_path / f"{style}.docx"
        render_docx.render({**copy.deepcopy(example), "template": style}, paths[style])
    classic = _xml(paths["classic"])
    assert 'w:val="Heading1"' in classic and 'w:val="Heading2"' in classic
    assert 'w:val="ListBullet"' in classic
    footer = zipfile.ZipFile(paths["classic"]).read("word/footer1.xml").decode()
    assert " PAGE " in footer
    friendly = _xml(paths["childfriendly"])
    assert "Heading" not in friendly
    assert "w:txbxContent" in friendly and "<w:sdt>" in friendly
    assert friendly.index("Section E – Outcomes") < friendly.index("B – Special educational")
    grid = _xml(paths["tablegrid"])
    assert "w14:checkbox" in grid and "FORMCHECKBOX" in grid
    assert 'w:vMerge w:val="restart"' in grid
    assert "Needs (B)" in grid
    outline = _xml(paths["outline"])
    assert "w:outlineLvl" in outline and "Heading" not in outline
    assert "<w:ins " in outline and "<w:del " in outline


def test_core_properties_are_fixed(example: dict, tmp_path) -> None:
    import docx

    out = tmp_path / "c.docx"
    render_docx.render({**example, "template": "classic"}, out)
    props = docx.Document(str(out)).core_properties
    assert props.author == "ehcp-audit corpus"
    assert props.created.date().isoformat() == example["details"]["plan_date"]


# ------------------------------------------------------------ the source rules


def test_text_blocks_split_paragraphs_and_bullets() -> None:
    blocks = render_docx.text_blocks("One line\nwrapped.\n\n- first\n- second\n  more\n\nLast.")
    assert [(b.text, b.bullet) for b in blocks] == [
        ("One line wrapped.", False),
        ("first", True),
        ("second more", True),
        ("Last.", False),
    ]


def test_merged_h_template_labels_h1_only(example: dict) -> None:
    plan = {**example, "template": "childfriendly"}
    labels = generate.build_labels(plan, [])
    assert "H1" in labels["sections_present"] and "H2" not in labels["sections_present"]
    assert "H2" in labels["sections_absent"]
    plain = generate.build_labels({**example, "template": "classic"}, [])
    assert "H2" in plain["sections_present"]


def _write(tmp_path: pathlib.Path, text: str) -> pathlib.Path:
    path = tmp_path / "_example.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    source = EXAMPLE.read_text(encoding="utf-8").replace(
        'preferred_name = "Leo"', 'preferred_name = "Leo"\nfavourite_colour = "blue"'
    )
    with pytest.raises(generate.PlanError, match="unknown key 'favourite_colour'"):
        generate.load_plan(_write(tmp_path, source))


def test_missing_required_key_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    source = EXAMPLE.read_text(encoding="utf-8").replace('date_of_birth = "2014-05-20"\n', "")
    with pytest.raises(generate.PlanError, match="missing required key 'date_of_birth'"):
        generate.load_plan(_write(tmp_path, source))


def test_section_without_content_must_be_declared_absent(tmp_path: pathlib.Path) -> None:
    source = EXAMPLE.read_text(encoding="utf-8").replace('absent = ["J"]', "absent = []")
    with pytest.raises(generate.PlanError, match="section J has no content"):
        generate.load_plan(_write(tmp_path, source))


def test_label_sentence_missing_from_source_fails_loudly(example: dict) -> None:
    plan = copy.deepcopy(example)
    plan["labels"]["child_voice"].append("I love purple elephants.")
    with pytest.raises(generate.PlanError, match="purple elephants"):
        generate.check_label_sentences(plan, "_example.toml")


def _no_h1_plan(example: dict) -> dict:
    """The example with social care rows that have no H1 provision (H1 absent)."""
    plan = copy.deepcopy(example)
    del plan["social_care_none"]
    plan["social_care"] = [
        {
            "need": "Leo needs short breaks to give his family a rest.",
            "h2": "Leo will attend a Saturday youth club for 3 hours each week.",
            "outcome": "By June 2026, Leo will stay at the club without his mum.",
        }
    ]
    plan["absent"] = ["H1", "J"]
    generate.validate(plan, "no_h1")
    return plan


@pytest.mark.parametrize("style", ("somerset", "tablegrid", "outline"))
def test_absent_section_loses_its_column(style: str, example: dict, tmp_path) -> None:
    plan = {**_no_h1_plan(example), "template": style}
    out = tmp_path / f"{style}.docx"
    render_docx.render(plan, out)
    paragraphs = docx_paragraphs(out)
    assert not any(re.search(r"\bH1\b", p) for p in paragraphs)
    assert any(re.search(r"\bH2\b", p) for p in paragraphs)
    text = fold("\n".join(paragraphs))
    assert "Leo will attend a Saturday youth club for 3 hours each week." in text
    labels = generate.build_labels(plan, [])
    assert "H1" in labels["sections_absent"] and "H1" not in labels["sections_present"]
