"""``ehcp-audit serve``: a page where a case worker drops a plan and sees what to fix.

Needs the ``web`` extra (``pip install "ehcp-audit[web]"``: Starlette,
uvicorn and python-multipart), which only this package imports; the rest
of ehcp-audit never does. ::

    from ehcp_audit.web import make_app, serve
    app = make_app(max_upload_bytes=20 * 1024 * 1024)   # an ASGI app, for any ASGI server
    serve(host="127.0.0.1", port=8765)                  # or run it on uvicorn

What the page promises, and how:

- The plan is read into memory with the upload limit kept while reading
  (:mod:`._upload`); it is never written to disk, and nothing of it is kept
  after the response: the reviewed copy travels inside the result page as
  a ``data:`` link.
- Nothing about a plan is logged: uvicorn runs without an access log at
  level ``warning``, and this package logs only an unexpected failure's
  exception type.
- Every page is self-contained (inline CSS and script under a nonce-based
  Content-Security-Policy, nothing fetched), sent with ``nosniff`` and
  ``no-store``.
- Audits run one at a time in a worker thread (:mod:`._review`), the
  pipeline warmed before the first upload.
- It listens on 127.0.0.1 unless told otherwise; the audit itself opens
  no connection (tests/test_no_network.py).
"""

from __future__ import annotations

import sys
from typing import TextIO

from starlette.types import ASGIApp

from .._config import Config
from .._limits import MIB
from ._app import build_app
from ._review import Reviewer
from ._server import ServeError, is_loopback, run

__all__ = ["DEFAULT_HOST", "DEFAULT_MAX_UPLOAD", "DEFAULT_PORT", "ServeError", "make_app", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: The largest plan the page accepts by default, in bytes (plans are rarely over 5 MiB).
DEFAULT_MAX_UPLOAD = 20 * MIB


def make_app(
    *, config: Config | None = None, max_upload_bytes: int = DEFAULT_MAX_UPLOAD, warm: bool = True
) -> ASGIApp:
    """The page as an ASGI application.

    ``config`` is the settings in force (default: discovered as the CLI
    does; the rules load and are checked now). ``max_upload_bytes`` is the
    largest plan accepted. With ``warm``, the application's start-up (its
    ASGI lifespan) loads the pipeline by reviewing the bundled sample plan.
    """
    return build_app(Reviewer.from_settings(config, max_bytes=max_upload_bytes), warm=warm)


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    config: Config | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Serve the page on uvicorn at ``host``:``port`` until Ctrl-C.

    Warns on ``stderr`` when ``host`` is not a loopback address: the page
    then serves anyone who can reach this computer. The pipeline is warmed
    before the URL is printed on ``stdout``. Raises :class:`ServeError` when
    the address cannot be had, and ``KeyboardInterrupt`` after a clean stop.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if not is_loopback(host):
        err.write(
            f"warning: listening on {host}, not only on this computer: anyone who can reach it "
            "on the network can open the page and upload plans to it\n"
        )
    reviewer = Reviewer.from_settings(config, max_bytes=max_upload_bytes)
    err.write("ehcp-audit serve: loading the checker...\n")
    reviewer.warm()
    run(build_app(reviewer, warm=False), host, port, out)
