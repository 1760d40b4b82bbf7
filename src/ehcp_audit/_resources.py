"""Find the rule data and bundled sample that ship inside the package.

In a wheel, the top-level ``rules/`` folder is installed as
``ehcp_audit/rules`` and read through :mod:`importlib.resources`. In an
editable install or a source checkout it is not copied, so we fall back to
the checkout's own ``rules/`` beside ``src/``.
"""

from __future__ import annotations

import hashlib
import importlib.resources
from functools import cache
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


def _packaged_or_checkout(packaged: str, checkout: str) -> Path:
    resource = importlib.resources.files("ehcp_audit").joinpath(packaged)
    candidate = Path(str(resource))
    if candidate.exists():
        return candidate
    fallback = _CHECKOUT_ROOT / checkout
    if fallback.exists():
        return fallback
    raise FileNotFoundError(f"ehcp-audit data not found: {packaged} (is the package installed?)")


@cache
def rules_dir() -> Path:
    """The folder holding ``sections.toml``, lexicons and rule packs."""
    return _packaged_or_checkout("rules", "rules")


def sample_plan() -> Path:
    """The small fictional plan the README's first command audits."""
    return _packaged_or_checkout("samples/sample_plan.docx", "corpus_samples/sample_plan.docx")


def schema_path() -> Path:
    return Path(str(importlib.resources.files("ehcp_audit").joinpath("schema/audit.schema.json")))


@cache
def rules_sha256() -> str:
    """A hash over every rule data file in force, so results name their policy."""
    digest = hashlib.sha256()
    root = rules_dir()
    for path in sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in {".toml", ".txt", ".json"}
    ):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
