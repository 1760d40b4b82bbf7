"""Debian's chromium driven by Playwright, for the tests that open a page in a real browser.

Shared by the board report's test (tests/test_batch_html.py) and the web
page's (tests/test_serve_browser.py). Playwright's own browser builds cannot
be downloaded here, so the tests drive Debian's ``/usr/bin/chromium``
(``.ci/run`` installs it). Outside CI a missing chromium or Playwright skips
the test; in CI (``CI`` set, as root) a missing Playwright fails it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_or_skip() -> Any:
    """``playwright.sync_api``, or a skip when chromium or Playwright is missing outside CI."""
    in_ci = bool(os.environ.get("CI")) and os.geteuid() == 0
    if not CHROMIUM.exists() and not in_ci:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it in CI)")
    if in_ci:
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    return sync_api


def launch(playwright: Any, profile: Path, **options: Any) -> Any:
    """A headless chromium context with a fresh profile in ``profile``; ``options`` are
    Playwright's ``launch_persistent_context`` keywords (viewport, scripts, downloads)."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        **options,
    )
