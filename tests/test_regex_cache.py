"""The compiled-pattern cache: the same patterns as ``re``, never a plan's text, never in the way.

Start-up compiled about a thousand rule and lexicon patterns on every run;
``ehcp_audit._regex_cache`` keeps what the compiler made on disk. These
tests hold it to its promises: a cached pattern equals ``re.compile``'s and
matches the same; a damaged, foreign or unwritable cache only costs time; a
plan's names never reach the file; and a pattern's source is the same in
every process whatever the hash seed, so a second run compiles nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from ehcp_audit import _regex_cache
from ehcp_audit.nlp._lexicon import compile_pattern
from ehcp_audit.nlp.components.provision import compile_cased

# Patterns of the kinds the rules and lexicons hold: alternations, named
# groups, look-arounds, case-insensitive parts, unicode classes, repeats.
PATTERNS = [
    (r"\b(?:speech\s+and\s+language|occupational)\s+therap(?:y|ist)\b", re.IGNORECASE),
    (r"(?P<name>(?-i:[A-Z][\w'’-]+))\s+(?:said|told\s+us)", re.IGNORECASE),
    (r"(?<![a-z0-9])(?=(minutes?|hours?|sessions?))", 0),
    (r"\d{1,3}\s*(?:x|times)\s+(?:a|per|each)\s+(?:day|week|term)", 0),
    (r"^[^.!?:\n]{2,100}:\s*$", re.MULTILINE),
    (r"[^\W\d_]+(?:['’][^\W\d_]+)?", 0),
]
SAMPLES = [
    "Ellis sees the Speech and Language therapist for 30 minutes twice a week.",
    "Marnie told us she likes the quiet room.",
    "3 times a week, 20 minutes each session.",
    "What I want people to know:\nI like trains.",
    "Occupational therapy: 6 sessions per term.",
    "",
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache folder in force, and the module's loaded state forgotten before and after."""
    monkeypatch.setenv("EHCP_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    _regex_cache.reset()
    yield tmp_path / "cache"
    _regex_cache.reset()


def _cache_file(folder: Path) -> Path:
    files = list(folder.glob("patterns-*.marshal"))
    assert len(files) == 1, files
    return files[0]


def _same_behaviour(cached: re.Pattern[str], reference: re.Pattern[str]) -> None:
    assert cached == reference  # same source, flags and compiled code
    assert cached.groupindex == reference.groupindex
    assert cached.groups == reference.groups
    for text in SAMPLES:
        assert [m.span() for m in cached.finditer(text)] == [
            m.span() for m in reference.finditer(text)
        ]
        assert [m.groups() for m in cached.finditer(text)] == [
            m.groups() for m in reference.finditer(text)
        ]


def test_a_pattern_read_back_equals_re_compile(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [_regex_cache.compile_data(source, flags) for source, flags in PATTERNS]
    _regex_cache.save()
    assert _cache_file(cache_dir).stat().st_size > 0
    _regex_cache.reset()
    recompiled: list[str] = []
    monkeypatch.setattr(
        _regex_cache, "_compiled", lambda s, f: recompiled.append(s) or (re.compile(s, f), None)
    )
    again = [_regex_cache.compile_data(source, flags) for source, flags in PATTERNS]
    assert recompiled == []  # every one came from the file
    for (source, flags), before, after in zip(PATTERNS, first, again, strict=True):
        reference = re.compile(source, flags)
        _same_behaviour(before, reference)
        _same_behaviour(after, reference)


def test_bad_patterns_raise_as_re_does(cache_dir: Path) -> None:
    with pytest.raises(re.error):
        _regex_cache.compile_data(r"(?:unclosed")
    with pytest.raises(Exception, match="does not compile"):
        compile_pattern(r"[z-a]", "lexicon test.toml")


def _entries(path: Path) -> dict:
    """The entries of a cache file (a marshalled dict, checked by its SHA-256)."""
    import marshal

    return marshal.loads(marshal.loads(path.read_bytes())["entries"])


def _write_entries(path: Path, entries: dict) -> None:
    import hashlib
    import marshal

    data = marshal.loads(path.read_bytes())
    values = marshal.dumps(entries)
    data["entries"], data["sha256"] = values, hashlib.sha256(values).digest()
    path.write_bytes(marshal.dumps(data))


@pytest.mark.parametrize(
    "damage",
    [b"", b"not marshal data at all", "flipped", None],
    ids=["empty", "garbage", "checksum-fails", "entry-with-bad-code"],
)
def test_a_damaged_cache_costs_time_only(cache_dir: Path, damage: bytes | str | None) -> None:
    source, flags = PATTERNS[1]
    _regex_cache.compile_data(source, flags)
    _regex_cache.save()
    path = _cache_file(cache_dir)
    if damage is None:  # a well-formed file whose entry holds code _sre refuses
        entries = _entries(path)
        key = (source, int(flags))
        final_flags, code, groups, groupindex, indexgroup = entries[key]
        entries[key] = (final_flags, b"\xff" * len(code), groups, groupindex, indexgroup)
        _write_entries(path, entries)
    elif damage == "flipped":  # one byte of the values changed: the SHA-256 no longer fits
        raw = bytearray(path.read_bytes())
        raw[-40] ^= 0xFF
        path.write_bytes(bytes(raw))
    else:
        assert isinstance(damage, bytes)
        path.write_bytes(damage)
    _regex_cache.reset()
    _same_behaviour(_regex_cache.compile_data(source, flags), re.compile(source, flags))


def test_an_unwritable_folder_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    monkeypatch.setenv("EHCP_AUDIT_CACHE_DIR", str(blocker / "cache"))
    _regex_cache.reset()
    source, flags = PATTERNS[0]
    _same_behaviour(_regex_cache.compile_data(source, flags), re.compile(source, flags))
    _regex_cache.save()  # cannot make the folder: quietly runs without the cache
    assert blocker.read_text() == "in the way"


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EHCP_AUDIT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _regex_cache.reset()
    try:
        assert _regex_cache.cache_file() is None
        source, flags = PATTERNS[2]
        _same_behaviour(_regex_cache.compile_data(source, flags), re.compile(source, flags))
        _regex_cache.save()
    finally:
        _regex_cache.reset()
    assert not (tmp_path / "xdg").exists()


def test_the_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ehcp_audit._disk_cache import cache_folder

    monkeypatch.delenv("EHCP_AUDIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "ehcp-audit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "ehcp-audit"


def test_the_file_is_named_for_the_python_build(cache_dir: Path) -> None:
    path = _regex_cache.cache_file()
    assert path is not None and path.parent == cache_dir
    assert sys.implementation.cache_tag in path.name  # one file per Python build


def test_a_cased_pattern_keeps_both_ways(cache_dir: Path) -> None:
    source = r"\b(?:Speech\s+and\s+Language|SALT)\b(?P<Kind>\s+therapy)?"
    first = compile_cased(source, "test")
    _regex_cache.save()
    _regex_cache.reset()
    again = compile_cased(source, "test")
    assert first.fast is not None and first.fast == again.fast
    assert first.cased == again.cased == re.compile(source, re.IGNORECASE)
    assert again.fast.pattern == r"\b(?:speech\s+and\s+language|salt)\b(?P<Kind>\s+therapy)?"


def test_longest_first_is_the_same_in_any_order() -> None:
    words = ["ot", "salt", "slt", "ep", "camhs", "sen", "asd"]
    ordered = _regex_cache.longest_first(words)
    assert ordered == ["camhs", "salt", "asd", "sen", "slt", "ep", "ot"]
    assert _regex_cache.longest_first(reversed(words + words)) == ordered


_AUDIT = textwrap.dedent(
    """
    import ehcp_audit
    plan = '''
    # Education, Health and Care Plan
    Name of child: Zephyrine Quillfeather
    Date of birth: 3 March 2016
    Parents: Morwenna Quillfeather (mother)
    ## Section A: Views, interests and aspirations
    Zephyrine told us she likes drawing dragons. Morwenna said Zephyrine sleeps badly.
    ## Section B: Special educational needs
    Zephyrine finds it hard to follow long instructions.
    ## Section E: Outcomes
    By July 2027 Zephyrine will follow a three-step instruction in class on four days out of five.
    Zephyrine will be able to tell an adult when she needs a break, by the end of Year 5.
    ## Section F: Special educational provision
    A teaching assistant will give Zephyrine 20 minutes of language work three times a week.
    '''
    result = ehcp_audit.audit_text(plan)
    # The names were read, so the name-bearing patterns were built from them.
    assert result.details.name == "Zephyrine Quillfeather", result.details
    assert result.details.parents == ("Morwenna Quillfeather",), result.details
    assert {"child_voice", "parent_voice"} <= {cue.kind for cue in result.cues}
    """
)


def _run_audit(cache: Path, seed: str) -> None:
    env = {**os.environ, "EHCP_AUDIT_CACHE_DIR": str(cache), "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _AUDIT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_a_plans_names_never_reach_the_file_and_a_second_run_compiles_nothing(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    _run_audit(cache, seed="1")
    path = _cache_file(cache)
    data = path.read_bytes()
    assert len(data) > 100_000  # the shipped rules' and lexicons' patterns are there
    every_file = b"".join(p.read_bytes() for p in cache.iterdir())  # parsed rule files too
    assert len(list(cache.iterdir())) >= 2
    for secret in ("Zephyrine", "Quillfeather", "Morwenna"):
        assert secret.encode() not in every_file and secret.lower().encode() not in every_file
    before = (path.stat().st_mtime_ns, hashlib.sha256(data).hexdigest())
    _run_audit(cache, seed="2")  # another hash seed: sets iterate in another order
    after = (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    assert after == before  # nothing new compiled, so nothing written


def test_patterns_no_longer_used_leave_the_file(cache_dir: Path) -> None:
    old = [rf"\bword{n}\b" for n in range(10)]
    for source in old:
        _regex_cache.compile_data(source)
    _regex_cache.save()
    _regex_cache.reset()
    # A later run uses three of them and one new pattern (a rule was edited).
    for source in [*old[:3], r"\bedited\b"]:
        _regex_cache.compile_data(source)
    _regex_cache.save()
    sources = {source for source, _ in _entries(_cache_file(cache_dir))}
    assert {*old[:3], r"\bedited\b"} <= sources  # what this run used stays
    assert len(sources) <= 2 * 4  # and at most as many again of the rest


def test_a_folder_or_file_others_may_write_is_not_used(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, flags = PATTERNS[0]
    _regex_cache.compile_data(source, flags)
    _regex_cache.save()
    path = _cache_file(cache_dir)
    path.chmod(0o666)  # anyone may write it now
    _regex_cache.reset()
    recompiled: list[str] = []
    monkeypatch.setattr(
        _regex_cache, "_compiled", lambda s, f: recompiled.append(s) or (re.compile(s, f), None)
    )
    _same_behaviour(_regex_cache.compile_data(source, flags), re.compile(source, flags))
    assert recompiled == [source]  # not read
    # A link in the file's place is not followed either.
    path.unlink()
    target = cache_dir.parent / "elsewhere.marshal"
    target.write_bytes(b"someone else's file")
    path.symlink_to(target)
    _regex_cache.reset()
    _regex_cache.compile_data(r"\bnew\b")
    _regex_cache.save()
    assert target.read_bytes() == b"someone else's file" and path.is_symlink()


def test_no_home_folder_means_no_cache_not_a_crash(tmp_path: Path) -> None:
    """A container user with no HOME and no passwd entry: every command still runs."""
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME")}
    env.pop("EHCP_AUDIT_CACHE_DIR", None)
    code = (
        "import pathlib\n"
        "def no_home(): raise RuntimeError('Could not determine home directory.')\n"
        "pathlib.Path.home = staticmethod(no_home)\n"
        "from ehcp_audit import _disk_cache, audit_text\n"
        "assert _disk_cache.cache_folder() is None\n"
        "print(audit_text('# Section A: Views\\nI like trains.\\n# Section B: Needs\\n"
        "Sam needs help.\\n# Section F: Provision\\nA TA will help.').overall)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
