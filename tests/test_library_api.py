"""The library as a developer meets it: typed results, text in, a short help, no import cycle."""

from __future__ import annotations

import ast
import enum
import pydoc
import re
import subprocess
import sys
import typing
from pathlib import Path

import attrs
import pytest

import ehcp_audit

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "ehcp_audit"
SAMPLE_MD = ROOT / "corpus_samples" / "p06.md"

EXPECTED_TYPES = {
    "Block", "BlockKind", "CellRef", "Confidence", "ConfidenceLevel", "Config", "ConfigError",
    "Cue", "Document", "EhcpAuditError", "EmptyDocument", "Encrypted", "Evidence", "Finding",
    "FoundBy", "InputError", "Level", "Limits", "Location", "NoTextLayer", "NotAFile",
    "NotAnEhcp", "OutputError", "Overall", "PlanAudit", "PlanDetails", "PrincipleRating",
    "Rating", "RowLink", "Section", "SectionMetrics", "Source", "SourceFormat", "SourceInfo",
    "TextNotPath", "TooLarge", "UnfilledField", "Unreadable", "UnsupportedFormat",
}  # fmt: skip


def test_types_are_pinned_and_importable_from_the_package() -> None:
    assert set(ehcp_audit.types.__all__) == EXPECTED_TYPES
    for name in EXPECTED_TYPES:
        assert getattr(ehcp_audit, name) is getattr(ehcp_audit.types, name), name
        obj = getattr(ehcp_audit, name)
        if isinstance(obj, type):
            where = "ehcp_audit" if name in ehcp_audit.__all__ else "ehcp_audit.types"
            assert obj.__module__ == where, name


def _reached(cls: type, seen: set[type]) -> set[type]:
    """Every attrs class and enum that a field of ``cls`` can hold, recursively."""
    hints = typing.get_type_hints(cls)  # resolved where the type says it lives
    for hint in hints.values():
        stack = [hint]
        while stack:
            item = stack.pop()
            stack.extend(typing.get_args(item))
            if isinstance(item, type) and item not in seen:
                if attrs.has(item):
                    seen.add(item)
                    _reached(item, seen)
                elif issubclass(item, enum.Enum):
                    seen.add(item)
    return seen


def test_every_type_a_result_holds_is_exported() -> None:
    reached = _reached(ehcp_audit.PlanAudit, {ehcp_audit.PlanAudit})
    names = {cls.__name__ for cls in reached}
    # Finding, Cue, Evidence, PrincipleRating, Rating, Overall, Confidence ... all of them.
    assert {"Finding", "Cue", "Evidence", "PrincipleRating", "Rating", "Overall"} <= names
    assert {"Confidence", "ConfidenceLevel", "SectionMetrics", "Level", "Location"} <= names
    assert names <= set(ehcp_audit.types.__all__), names - set(ehcp_audit.types.__all__)
    for cls in reached:
        assert getattr(ehcp_audit, cls.__name__) is cls


def test_every_public_type_has_resolvable_annotations() -> None:
    for name in ehcp_audit.types.__all__:
        obj = getattr(ehcp_audit, name)
        if isinstance(obj, type) and attrs.has(obj):
            assert typing.get_type_hints(obj), name


def test_result_types_pickle_by_their_public_names() -> None:
    import pickle

    finding = ehcp_audit.Finding(
        rule="pack.Rule",
        level=ehcp_audit.Level.ERROR,
        principles=(1,),
        passed=False,
        message="m",
        evidence=(ehcp_audit.Evidence("I like football.", "A"),),
    )
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert pickle.loads(pickle.dumps(ehcp_audit.Overall.GOOD)) is ehcp_audit.Overall.GOOD


def test_help_is_short() -> None:
    text = pydoc.render_doc(ehcp_audit, renderer=pydoc.plaintext)
    lines = text.splitlines()
    assert len(lines) < 450, len(lines)  # it was 3,206 lines
    assert "audit_text" in text and "ehcp_audit.types" in text
    assert len(ehcp_audit.__all__) <= 12


@pytest.mark.parametrize(
    "statement",
    ["import ehcp_audit.types", "import ehcp_audit.nlp", "from ehcp_audit import Finding, Cue"],
)
def test_the_public_modules_import_cheaply(statement: str) -> None:
    """The types and the nlp package's front door load no reader and no spaCy."""
    heavy = ("spacy", "pypdfium2", "docx", "lxml")
    probe = f"{statement}\nimport sys\nprint(sorted(set({heavy!r}) & set(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (run.returncode, run.stdout.strip()) == (0, "[]"), run.stderr


# -- audit_text ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def markdown_plan() -> str:
    return SAMPLE_MD.read_text(encoding="utf-8")


def test_audit_text_matches_auditing_the_file(markdown_plan: str) -> None:
    from_text = ehcp_audit.audit_text(markdown_plan)
    from_file = ehcp_audit.audit(SAMPLE_MD)
    assert from_text.source.path is None
    assert from_text.source.format is ehcp_audit.SourceFormat.TEXT
    assert [s.code for s in from_text.sections] == [s.code for s in from_file.sections]
    assert [(f.rule, f.passed) for f in from_text.findings] == [
        (f.rule, f.passed) for f in from_file.findings
    ]
    assert from_text.overall is from_file.overall
    assert isinstance(from_text.findings[0], ehcp_audit.Finding)


def test_audit_text_reads_text_whatever_it_starts_with(markdown_plan: str) -> None:
    # Bytes starting "%PDF-" would be sniffed as a PDF; text given as text is text.
    result = ehcp_audit.audit_text("%PDF-1.7 is the format we asked for.\n\n" + markdown_plan)
    assert result.source.format is ehcp_audit.SourceFormat.TEXT
    assert result.section("A") is not None


def test_audit_text_takes_the_same_options(markdown_plan: str, tmp_path: Path) -> None:
    config = tmp_path / "ehcp-audit.toml"
    config.write_text('select = ["statutory"]\n', encoding="utf-8")
    result = ehcp_audit.audit_text(markdown_plan, config=ehcp_audit.load_config(config))
    assert result.findings
    assert all(f.rule.startswith("statutory.") for f in result.findings)
    with pytest.raises(ehcp_audit.TooLarge):
        ehcp_audit.audit_text(markdown_plan, limits=ehcp_audit.Limits(max_bytes=1000))


def test_audit_text_refuses_non_text() -> None:
    with pytest.raises(TypeError, match="audit\\(path\\)"):
        ehcp_audit.audit_text(SAMPLE_MD)  # type: ignore[arg-type]


def test_audit_given_text_says_to_use_audit_text(markdown_plan: str) -> None:
    with pytest.raises(ehcp_audit.TextNotPath, match="audit_text") as caught:
        ehcp_audit.audit(markdown_plan)
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, ehcp_audit.InputError)
    assert "line break" in str(caught.value)
    assert "Child" not in str(caught.value)  # never the plan's own words
    with pytest.raises(ehcp_audit.TextNotPath, match="characters long"):
        ehcp_audit.audit("word " * 1000)


def test_a_short_missing_name_is_still_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ehcp_audit.Unreadable) as caught:
        ehcp_audit.audit(str(tmp_path / "plan.docx"))
    assert not isinstance(caught.value, ehcp_audit.TextNotPath)


def test_a_real_file_whose_name_holds_a_line_break_is_read(tmp_path: Path) -> None:
    odd = tmp_path / "plan\nv2.md"
    odd.write_bytes(SAMPLE_MD.read_bytes())
    assert ehcp_audit.audit(str(odd)).section("A") is not None


# -- no import cycle among _config, scoring and checks ------------------------------------

LAYERED = ("_toml", "_config", "scoring", "checks")


def _node(module: str) -> str | None:
    """The layer a module of the package belongs to (checks.* is one node)."""
    parts = module.split(".")
    if parts[0] != "ehcp_audit" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERED else None


def _imports(path: Path, module: str) -> set[str]:
    """Every ehcp_audit module imported anywhere in the file, function-local ones included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in LAYERED}
    files = [SRC / "_toml.py", SRC / "_config.py", SRC / "scoring.py", *SRC.glob("checks/*.py")]
    for path in files:
        rel = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        source = _node(module)
        assert source is not None
        for target in _imports(path, module):
            node = _node(target)
            if node is not None and node != source:
                graph[source].add(node)
    return graph


def test_config_scoring_and_checks_import_no_cycle() -> None:
    graph = _graph()
    # checks sits above _config and scoring, which sit above the shared TOML helpers.
    assert graph["_toml"] == set()
    assert graph["_config"] == {"_toml"}
    assert graph["scoring"] == {"_toml"}
    assert {"_config", "scoring"} <= graph["checks"]
    order: list[str] = []
    visiting: set[str] = set()

    def visit(node: str) -> None:
        assert node not in visiting, f"import cycle through {node}"
        if node in order:
            return
        visiting.add(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        visiting.discard(node)
        order.append(node)

    for node in LAYERED:
        visit(node)


def test_the_cycle_check_finds_a_function_local_import(tmp_path: Path) -> None:
    hidden = tmp_path / "scoring.py"
    hidden.write_text("def f():\n    from .checks._spec import Table\n", encoding="utf-8")
    assert "ehcp_audit.checks._spec" in _imports(hidden, "ehcp_audit.scoring")


@pytest.mark.parametrize("module", ["_toml", "_config", "scoring", "checks", "checks._spec"])
def test_each_module_imports_alone(module: str) -> None:
    code = f"import ehcp_audit.{module}"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# -- a custom rule's principles take part in scoring ---------------------------------------

STRONG_PLAN = ROOT / "corpus_samples" / "p01.docx"  # rated excellent on every principle


def _council_rule(folder: Path, name: str, body: str) -> Path:
    pack = folder / "council"
    pack.mkdir(parents=True, exist_ok=True)
    path = pack / f"{name}.toml"
    path.write_text(
        'kind = "existence"\n'
        'scope = ["A"]\n'
        f'message = "{name} found something to fix."\n'
        f'description = "{name}: a council check."\n' + body,
        encoding="utf-8",
    )
    return path


def _audit_with(tmp_path: Path, *rules: tuple[str, str]) -> ehcp_audit.PlanAudit:
    folder = tmp_path / "our-rules"
    for name, body in rules:
        _council_rule(folder, name, body)
    config = tmp_path / "ehcp-audit.toml"
    config.write_text('rule_dirs = ["our-rules"]\n', encoding="utf-8")
    return ehcp_audit.audit(STRONG_PLAN, config=ehcp_audit.load_config(config))


def _principle(result: ehcp_audit.PlanAudit, number: int) -> ehcp_audit.PrincipleRating:
    return next(p for p in result.principles if p.number == number)


FAILS = "pattern = '\\w+'\n"  # any word in section A: the rule fails on every real plan
PASSES = "pattern = 'qqzzxqq'\n"


def test_a_failing_council_warning_holds_its_principle_at_good(tmp_path: Path) -> None:
    result = _audit_with(
        tmp_path, ("OnePageProfile", f'level = "warning"\nprinciples = [3]\n{FAILS}')
    )
    finding = next(f for f in result.findings if f.rule == "council.OnePageProfile")
    assert not finding.passed
    held = _principle(result, 3)
    assert held.rating is ehcp_audit.Rating.GOOD
    assert held.score == 2
    assert any("held back: council.OnePageProfile did not pass" in r for r in held.reasons)
    assert any("not the excellent the rubric's descriptors reach" in r for r in held.reasons)
    assert held.confidence is not None
    assert held.confidence.next_level is ehcp_audit.Rating.EXCELLENT
    assert any("council.OnePageProfile passes" in m for m in held.confidence.missing)
    assert held.confidence.level is ehcp_audit.ConfidenceLevel.LOW  # one check short
    # The other principles, and the scoring file, are as they were.
    assert _principle(result, 2).rating is ehcp_audit.Rating.EXCELLENT
    assert result.total_score == 17


def test_explain_says_which_rule_holds_a_principle_back(tmp_path: Path) -> None:
    import io

    from ehcp_audit.cli import main

    _audit_with(tmp_path, ("OnePageProfile", f'level = "warning"\nprinciples = [3]\n{FAILS}'))
    out = io.StringIO()
    config = str(tmp_path / "ehcp-audit.toml")
    code = main(["explain", str(STRONG_PLAN), "--principle", "3", "--config", config], stdout=out)
    text = " ".join(out.getvalue().split())
    assert code == 0
    assert "Held back: council.OnePageProfile did not pass (warning)" in text
    assert (
        "Hence: good (score 2), because both good and excellent are reached, "
        "and a failing rule holds it lower." in text
    )


def test_an_error_holds_at_room_for_improvement_unless_it_says(tmp_path: Path) -> None:
    result = _audit_with(
        tmp_path,
        ("Strict", f'level = "error"\nprinciples = [4]\n{FAILS}'),
        ("Lenient", f'level = "error"\nprinciples = [5]\nprinciples_level = "good"\n{FAILS}'),
    )
    assert _principle(result, 4).rating is ehcp_audit.Rating.ROOM_FOR_IMPROVEMENT
    assert _principle(result, 5).rating is ehcp_audit.Rating.GOOD
    assert result.total_score == 18 - 2 - 1


def test_a_passing_or_suggestion_rule_holds_nothing(tmp_path: Path) -> None:
    result = _audit_with(
        tmp_path,
        ("Passing", f'level = "error"\nprinciples = [1]\n{PASSES}'),
        ("Mild", f'level = "suggestion"\nprinciples = [2]\n{FAILS}'),
    )
    assert {p.rating for p in result.principles} == {ehcp_audit.Rating.EXCELLENT}
    assert not any("held back" in r for p in result.principles for r in p.reasons)


def test_built_in_rules_hold_nothing() -> None:
    from ehcp_audit.checks import load_policy

    policy = load_policy(ehcp_audit.Config())
    assert policy.scoring is not None
    assert all(spec.holds == () for spec in policy.scoring.principles)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('principles_level = "good"\n', "needs 'principles'"),
        ('principles = [2]\nprinciples_level = "excellent"\n', "is not one of"),
        ("principles = [2]\nprinciples_level = 2\n", "expected a string"),
    ],
)
def test_principles_level_is_checked(tmp_path: Path, body: str, problem: str) -> None:
    from ehcp_audit.checks import load_rule

    path = _council_rule(tmp_path, "Bad", body + PASSES)
    with pytest.raises(ehcp_audit.ConfigError, match=problem) as caught:
        load_rule(path, "council")
    assert "principles_level" in str(caught.value)


# -- lexicon folders through the configuration ----------------------------------------------

ACORN = """
[[agency]]
id = "acorn_family_hub"
role = "Acorn Family Hub"
category = "voluntary_community"
reg6 = "other"
terms = ["Acorn Family Hub"]
"""
ACORN_LINE = "Advice from the Acorn Family Hub (family support worker), 3 March 2025, is appended."


def _lexicons(tmp_path: Path, files: dict[str, str]) -> ehcp_audit.Config:
    folder = tmp_path / "our-lexicons"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    config = tmp_path / "ehcp-audit.toml"
    config.write_text('lexicon_dirs = ["our-lexicons"]\n', encoding="utf-8")
    return ehcp_audit.load_config(config)


def _with_line_in_k(plan: str, line: str) -> str:
    head, k_heading, rest = plan.partition("## Section K")
    assert k_heading, "the sample plan has a section K"
    first_line, _, body = rest.partition("\n")
    return f"{head}{k_heading}{first_line}\n\n{line}\n{body}"


def _roles(result: ehcp_audit.PlanAudit) -> set[str]:
    return {str(c.attributes.get("role")) for c in result.cues if c.kind == "agency"}


def test_a_lexicon_folder_adds_an_agency(tmp_path: Path, markdown_plan: str) -> None:
    plan = _with_line_in_k(markdown_plan, ACORN_LINE)
    settings = _lexicons(tmp_path, {"agencies.toml": ACORN})
    assert settings.lexicon_dirs == ((tmp_path / "our-lexicons").resolve(),)
    shipped_only = ehcp_audit.audit_text(plan, config=ehcp_audit.Config())
    assert "Acorn Family Hub" not in _roles(shipped_only)
    extended = ehcp_audit.audit_text(plan, config=settings)
    assert "Acorn Family Hub" in _roles(extended)
    # The shipped agencies are all still found, and the next audit without the folder
    # is back to the shipped lexicon alone (the caches follow the folders in force).
    assert _roles(shipped_only) <= _roles(extended)
    assert _roles(ehcp_audit.audit_text(plan, config=ehcp_audit.Config())) == _roles(shipped_only)


def test_a_lexicon_folder_adds_known_acronyms(tmp_path: Path, markdown_plan: str) -> None:
    plan = _with_line_in_k(markdown_plan, "Poppy goes to QZXW on Fridays.")

    def unexplained(config: ehcp_audit.Config) -> set[str]:
        result = ehcp_audit.audit_text(plan, config=config)
        return {c.text for c in result.cues if c.kind == "acronym_unexpanded"}

    assert "QZXW" in unexplained(ehcp_audit.Config())
    settings = _lexicons(tmp_path, {"acronyms.toml": 'known = ["QZXW"]\n'})
    assert "QZXW" not in unexplained(settings)


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"agency.toml": ACORN}, "not a lexicon ehcp-audit ships"),
        ({"acronyms.toml": 'means_pattern = "x"\n'}, "key 'means_pattern': a lexicon folder adds"),
        ({"acronyms.toml": 'knwon = ["QZXW"]\n'}, "key 'knwon': not a key of the shipped"),
        ({"acronyms.toml": "known = [1]\n"}, "key 'known': expected a list of non-empty strings"),
        ({"acronyms.toml": 'known = "QZXW"\n'}, "key 'known': expected a list"),
        ({"acronyms.toml": "[glossary]\nQZXW = 3\n"}, "key 'glossary.QZXW': expected a string"),
        ({"agencies.toml": ACORN.replace("reg6", "reg_6")}, "entry 1: unknown key 'reg_6'"),
        ({"agencies.toml": ACORN.replace('category = "voluntary_community"\n', "")}, "'category'"),
        ({"agencies.toml": ACORN.replace("acorn_family_hub", "educational_psychologist")}, "id"),
        ({"voice.toml": "[contexts]\nchild_views_label = 'x'\n"}, "contexts.child_views_label"),
        ({"agencies.toml": "[[agency]\n"}, "not valid TOML"),
    ],
)
def test_lexicon_folders_are_checked_strictly(
    tmp_path: Path, files: dict[str, str], problem: str
) -> None:
    settings = _lexicons(tmp_path, files)
    with pytest.raises(ehcp_audit.ConfigError, match=re.escape(problem)) as caught:
        ehcp_audit.audit(SAMPLE_MD, config=settings)
    assert str(tmp_path / "our-lexicons") in str(caught.value)


def test_a_broken_pattern_in_a_lexicon_folder_names_the_folder(tmp_path: Path) -> None:
    entry = (
        '[[vague]]\nid = "vague.ours"\npattern = "(unclosed"\n'
        'fires = ["It is unclosed."]\nquiet = ["It is closed."]\n'
    )
    settings = _lexicons(tmp_path, {"provision.toml": entry})
    with pytest.raises(ehcp_audit.ConfigError, match="does not compile") as caught:
        ehcp_audit.audit(SAMPLE_MD, config=settings)
    assert str(tmp_path / "our-lexicons") in str(caught.value)


def test_a_glossary_entry_can_be_added(tmp_path: Path) -> None:
    from ehcp_audit.nlp import _lexicon

    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "acronyms.toml").write_text('[glossary]\nQZXW = ["quiet zone extra work"]\n')
    try:
        _lexicon.use_lexicon_dirs([folder])
        assert _lexicon.load("acronyms")["glossary"]["QZXW"] == ["quiet zone extra work"]
        assert "SALT" in _lexicon.load("acronyms")["glossary"]
    finally:
        _lexicon.use_lexicon_dirs([])
    assert "QZXW" not in _lexicon.load("acronyms")["glossary"]


def test_a_missing_lexicon_folder_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "ehcp-audit.toml"
    config.write_text('lexicon_dirs = ["nowhere"]\n', encoding="utf-8")
    with pytest.raises(ehcp_audit.ConfigError, match="key 'lexicon_dirs'"):
        ehcp_audit.load_config(config)


# -- the API reference and the examples in it -------------------------------------------------


@pytest.mark.parametrize(
    ("module", "examples"),
    [("ehcp_audit", 8), ("ehcp_audit.types", 3), ("ehcp_audit.nlp", 12)],
)
def test_docstring_examples_run(module: str, examples: int) -> None:
    import doctest
    import importlib

    results = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert results.failed == 0
    assert results.attempted >= examples  # the examples were found, not skipped


def test_the_api_reference_is_generated_from_the_docstrings(tmp_path: Path) -> None:
    out = tmp_path / "api"
    run = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_api.py"), "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "wrote 6 pages" in run.stdout
    pages = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")
    }
    assert {"ehcp_audit.html", "ehcp_audit/types.html", "ehcp_audit/nlp.html"} <= set(pages)
    assert "audit_text" in pages["ehcp_audit.html"]
    assert "I like football." in pages["ehcp_audit/nlp.html"]
    assert "with_section" in pages["ehcp_audit/nlp.html"]
    assert "make_app" in pages["ehcp_audit/web.html"]
    for name in ("Finding", "PrincipleRating", "Confidence", "TextNotPath"):
        assert f'id="{name}"' in pages["ehcp_audit/types.html"], name
    assert "_resources" not in "".join(pages)  # private modules stay out
    assert "Warning" not in run.stderr  # every name resolves, every annotation parses


def test_another_pipeline_can_use_a_lexicon_folder(tmp_path: Path) -> None:
    import spacy

    from ehcp_audit.nlp import use_lexicon_dirs, with_section

    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "agencies.toml").write_text(ACORN, encoding="utf-8")

    def roles() -> list[str]:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("ehcp_agency")
        doc = with_section(nlp, ACORN_LINE, "K")
        return [h.attributes.get("role") for h in doc._.ehcp_hits if h.kind == "agency"]

    try:
        use_lexicon_dirs([folder])
        assert "Acorn Family Hub" in roles()
    finally:
        use_lexicon_dirs([])
    assert "Acorn Family Hub" not in roles()
