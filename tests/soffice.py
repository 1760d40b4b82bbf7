"""Convert a document with LibreOffice (``soffice --headless``), or skip the test without it.

Each conversion runs with its own user profile in the test's folder, so
tests converting at once (or a LibreOffice the tester has open) do not
fight over the shared profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def soffice_or_skip() -> str:
    """The LibreOffice command, or skip the calling test when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(source: Path, outdir: Path, to: str = "pdf") -> Path:
    """Convert ``source`` into ``outdir`` as ``to``; return the new file's path."""
    subprocess.run(
        [
            soffice_or_skip(),
            f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / f"{source.stem}.{to}"
