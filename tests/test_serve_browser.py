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

from pathlib import Path
from typing import Any

import pytest
from browser import browser_or_skip, launch
from serve_support import CORPUS, check_reviewed_docx, expected_ratings, running_server

import ehcp_audit
from ehcp_audit.checks import Policy, load_policy

pytest.importorskip("starlette")


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(ehcp_audit.load_config())


def _only(server_url: str, outside: list[str]) -> Any:
    """A route handler: requests to the server go on, anything else is blocked and noted."""

    def handle(route: Any) -> None:
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    return handle


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
    outside: list[str] = []
    problems: list[str] = []
    with running_server(cwd=tmp_path) as server, sync_api.sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", java_script_enabled=False)
        try:
            page = context.new_page()
            page.route("**/*", _only(server.url, outside))
            page.on("console", lambda message: problems.append(message.text))
            page.goto(server.url)
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
        finally:
            context.close()
        code, output = server.stop()
    comments = check_reviewed_docx(saved.read_bytes(), result, policy)
    assert comments > 1
    assert outside == [] and problems == []
    assert code == 0 and "p03" not in output, output


def test_a_plan_dropped_on_the_page_is_checked(tmp_path: Path, policy: Policy) -> None:
    sync_api = browser_or_skip()
    plan = CORPUS / "p08.txt"
    _, ratings = expected_ratings(plan, policy)
    outside: list[str] = []
    problems: list[str] = []
    with running_server(cwd=tmp_path) as server, sync_api.sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile")
        try:
            page = context.new_page()
            page.route("**/*", _only(server.url, outside))
            page.on("console", lambda message: problems.append(message.text))
            page.goto(server.url)
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
        finally:
            context.close()
        server.stop()
    assert outside == [] and problems == []
