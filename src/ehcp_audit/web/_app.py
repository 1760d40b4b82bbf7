"""The Starlette application: the routes, the security headers, and the audit off the event loop.

Two routes: ``GET /`` (the upload page) and ``POST /check`` (the plan in,
the result page out). Nothing is kept between requests and nothing about
a plan is logged: the upload is read into memory (:mod:`._upload`), audited
in a worker thread (:mod:`._review`, one plan at a time), and the page
carries the reviewed copy itself. A plan that cannot be audited gets the
upload page again with the reason and a 4xx status, never a traceback;
an unexpected failure gets a 500 page, and the log line names only the
exception's type.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Mapping

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._errors import InputError
from ._page import content_security_policy, result_page, upload_page
from ._review import Reviewer
from ._upload import UploadRefused, read_upload

__all__ = ["SECURITY_HEADERS", "build_app", "status_for"]

_log = logging.getLogger("ehcp_audit.web")

#: Sent with every response (a page's own Content-Security-Policy replaces the default one).
SECURITY_HEADERS: Mapping[str, str] = {
    "content-security-policy": "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

#: The HTTP status of each plan error: the upload was fine, the plan could not be audited.
_STATUS: Mapping[str, int] = {"unsupported_format": 415, "too_large": 413}


def status_for(error: InputError) -> int:
    """415 for a file that is not a plan's format, 413 over a limit, else 422."""
    return _STATUS.get(error.code, 422)


class _SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response, 404s and 405s included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode("latin-1") not in present
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _html(page: str, nonce: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        page, status, headers={"content-security-policy": content_security_policy(nonce)}
    )


def build_app(reviewer: Reviewer, *, warm: bool = True) -> ASGIApp:
    """The application around ``reviewer``; with ``warm``, the pipeline loads at start-up.

    Start-up (the ASGI lifespan) reviews the bundled sample plan in a worker
    thread, so the first real upload is as quick as the rest.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm:
            await run_in_threadpool(reviewer.warm)
        yield

    async def home(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        return _html(upload_page(nonce, reviewer.max_bytes), nonce)

    async def check(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        try:
            upload = await read_upload(request.headers, request.stream(), reviewer.max_bytes)
        except UploadRefused as refused:
            page = upload_page(nonce, reviewer.max_bytes, error=refused.message)
            return _html(page, nonce, refused.status)
        except ClientDisconnect:  # the browser went away: nobody to answer
            return Response(status_code=400)
        try:
            reviewed = await run_in_threadpool(reviewer.review, upload.data, upload.filename)
            page = await run_in_threadpool(result_page, nonce, reviewed)
        except InputError as error:
            refused_page = upload_page(
                nonce, reviewer.max_bytes, error=error.message, code=error.code
            )
            return _html(refused_page, nonce, status_for(error))
        except Exception as error:  # a bug: say so on the page, log no plan detail
            _log.error("a plan could not be checked: %s (details not logged)", type(error).__name__)
            problem = (
                "Something went wrong while checking this plan. It was not kept. Please try "
                "again; if it happens again, tell whoever looks after this page."
            )
            failed_page = upload_page(nonce, reviewer.max_bytes, error=problem, code="internal")
            return _html(failed_page, nonce, 500)
        return _html(page, nonce)

    app = Starlette(
        routes=[Route("/", home, methods=["GET"]), Route("/check", check, methods=["POST"])],
        lifespan=lifespan,
    )
    return _SecurityHeaders(app)
