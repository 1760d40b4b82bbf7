"""``ehcp-audit serve`` in headless chromium, as a case worker uses it.

The real server is started as a user starts it (``ehcp-audit serve``, in
its own interpreter, on a free port). In a browser with JavaScript off, a
corpus Word plan is chosen in the file input and sent with the button;
the ratings the page shows are read and compared with ``audit()``'s; the
reviewed copy is downloaded and opened with python-docx, and its comments
checked. With JavaScript on, a plan dropped on the page is checked the
same way. Every request outside the server is blocked and counted, and
the browser must report no Content-Security-Policy violation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from attrs import frozen
from browser import browser_or_skip, launch
from serve_support import CORPUS, check_reviewed_docx, expected_ratings, running_server

import ehcp_audit
from ehcp_audit.checks import Policy, load_policy

pytest.importorskip("starlette")


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(ehcp_audit.load_config())


@frozen
class Opened:
    """A page in chromium, the requests blocked outside the server, and the console's messages
    (a Content-Security-Policy violation is one)."""

    page: Any
    outside: list[str]
    console: list[str]


@contextmanager
def opened(playwright: Any, profile: Path, server_url: str, **options: Any) -> Iterator[Opened]:
    """The server's page in a fresh chromium context (``options`` as for :func:`launch`).

    Requests to the server go on; anything else is blocked and noted.
    """
    context = launch(playwright, profile, **options)
    seen = Opened(context.new_page(), [], [])

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            seen.outside.append(route.request.url)
            route.abort()

    try:
        seen.page.route("**/*", only_the_server)
        seen.page.on("console", lambda message: seen.console.append(message.text))
        seen.page.goto(server_url)
        yield seen
    finally:
        context.close()


def _ratings_shown(page: Any) -> tuple[str, tuple[tuple[int, str], ...]]:
    overall = page.locator("header p strong").first.inner_text()
    rows = []
    for row in page.locator("table.ratings tr").all()[1:]:
        number = row.locator("th").inner_text().split(".", 1)[0]
        rows.append((int(number), row.locator("td").inner_text()))
    return overall, tuple(rows)


def test_upload_a_word_plan_read_the_ratings_download_the_reviewed_copy(
    tmp_path: Path, policy: Policy
) -> None:
    sync_api = browser_or_skip()
    plan = CORPUS / "p03.docx"
    result, ratings = expected_ratings(plan, policy)
    with running_server(cwd=tmp_path) as server, sync_api.sync_playwright() as playwright:
        with opened(playwright, tmp_path / "profile", server.url, java_script_enabled=False) as it:
            page = it.page
            assert page.get_by_role("heading", name="Check an EHCP plan").is_visible()
            style = page.locator("#drop").evaluate("e => getComputedStyle(e).borderTopStyle")
            assert style == "dashed"  # the page's own style sheet applies under its CSP
            page.set_input_files("#plan", str(plan))
            with page.expect_navigation():
                page.get_by_role("button", name="Check the plan").click()
            assert page.get_by_role("heading", name="Review of p03.docx").is_visible()
            assert _ratings_shown(page) == (ratings.overall, ratings.principles)
            assert page.locator("mark.evidence").count() > 0
            assert page.locator("#report pre").inner_text().startswith("p03.docx")
            with page.expect_download() as info:
                page.locator("#download").click()
            download = info.value
            assert download.suggested_filename == "p03.reviewed.docx"
            saved = tmp_path / "downloads" / download.suggested_filename
            download.save_as(saved)
        code, output = server.stop()
    comments = check_reviewed_docx(saved.read_bytes(), result, policy)
    assert comments > 1
    assert it.outside == [] and it.console == []
    assert code == 0 and "p03" not in output, output


def test_a_plan_dropped_on_the_page_is_checked(tmp_path: Path, policy: Policy) -> None:
    sync_api = browser_or_skip()
    plan = CORPUS / "p08.txt"
    _, ratings = expected_ratings(plan, policy)
    with running_server(cwd=tmp_path) as server, sync_api.sync_playwright() as playwright:
        with opened(playwright, tmp_path / "profile", server.url) as it:
            page = it.page
            dropped = page.evaluate_handle(
                """(bytes) => {
                    const data = new DataTransfer();
                    data.items.add(new File([new Uint8Array(bytes)], "p08.txt",
                                            {type: "text/plain"}));
                    return data;
                }""",
                list(plan.read_bytes()),
            )
            with page.expect_navigation():
                page.dispatch_event("#drop", "drop", {"dataTransfer": dropped})
            assert page.get_by_role("heading", name="Review of p08.txt").is_visible()
            assert _ratings_shown(page) == (ratings.overall, ratings.principles)
            assert page.locator("#download").get_attribute("download") == "p08.review.html"
        server.stop()
    assert it.outside == [] and it.console == []
