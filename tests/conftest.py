"""Session set-up shared by every test file.

The compiled-pattern cache (``ehcp_audit._regex_cache``) goes to a folder of
this session's own, so the tests never write to the user's ``~/.cache`` and
start from a cold cache, as a fresh install does. Subprocesses inherit it.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CACHE_VARIABLE = "EHCP_AUDIT_CACHE_DIR"


def pytest_configure(config: pytest.Config) -> None:
    folder = tempfile.mkdtemp(prefix="ehcp-audit-test-cache-")
    config.stash[_CACHE_KEY] = (os.environ.get(_CACHE_VARIABLE), folder)
    os.environ[_CACHE_VARIABLE] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    from ehcp_audit._disk_cache import save_all

    save_all()  # now, so no exit handler writes the folder again after it is removed
    before, folder = config.stash.get(_CACHE_KEY, (None, ""))
    if before is None:
        os.environ.pop(_CACHE_VARIABLE, None)
    else:
        os.environ[_CACHE_VARIABLE] = before
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_KEY = pytest.StashKey[tuple[str | None, str]]()
