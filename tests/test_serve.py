"""``ehcp-audit serve``: the page, through the application and through the real server.

Real corpus plans of each format are uploaded through Starlette's
TestClient, and the page is compared with ``audit()`` of the same bytes:
the ratings, the check report, the evidence, and the reviewed copy in the
download (opened with python-docx, its comments checked as the annotate
tests check them). The limit is tested on the raw ASGI stream, to see
that the body is not read past it. Privacy is tested as a case worker
would want it: no log record names the plan or quotes it, no file is
written while a plan is checked (an audit hook sees every file opened for
writing, in every thread), and the real server, started and stopped with
Ctrl-C as a user does, prints nothing about the plans it checked.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import os
import re
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import anyio
import pytest
from serve_support import CORPUS, PLANS, check_reviewed_docx, expected_ratings, running_server

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")
pytest.importorskip("uvicorn")

from starlette.testclient import TestClient

import ehcp_audit
from ehcp_audit.checks import Policy, load_policy
from ehcp_audit.cli import _build_parser, main
from ehcp_audit.reports._check import render_checks
from ehcp_audit.reports._feedback import gather
from ehcp_audit.reports.annotate import reviewed_copy
from ehcp_audit.reports.review_html import review_parts
from ehcp_audit.web import _review as review_module
from ehcp_audit.web import make_app
from ehcp_audit.web._review import REPORT_WIDTH
from ehcp_audit.web._server import is_loopback
from ehcp_audit.web._upload import OVERHEAD

BAD = CORPUS / "bad"
SMALL_LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(ehcp_audit.load_config())


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The page at its defaults, warmed at start-up as ``serve`` runs it."""
    with TestClient(make_app()) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def small() -> Iterator[TestClient]:
    """The page with a 64 KiB upload limit."""
    with TestClient(make_app(max_upload_bytes=SMALL_LIMIT, warm=False)) as test_client:
        yield test_client


def upload(client: TestClient, name: str, data: bytes) -> Any:
    return client.post("/check", files={"plan": (name, data)})


# -- what the page shows -------------------------------------------------------------------


def shown_ratings(page: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """The overall rating and each principle's, as the result page shows them."""
    overall = re.search(r"Overall: <strong class=\"[^\"]*\">([^<]+)</strong>", page)
    rows = re.findall(r"<tr><th>(\d)\. [^<]*</th><td class=\"[^\"]*\">([^<]+)</td></tr>", page)
    assert overall is not None
    return html.unescape(overall.group(1)), tuple((int(n), html.unescape(r)) for n, r in rows)


def download(page: str) -> tuple[str, str, bytes]:
    """The download link's name, media type and bytes."""
    found = re.search(
        r'id="download" href="data:([^;"]+)[^"]*;base64,([^"]+)" download="([^"]+)"', page
    )
    assert found is not None, "no download link"
    media, content, name = found.groups()
    return html.unescape(name), media, base64.b64decode(content)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.suffix[1:])
def test_an_upload_shows_the_audits_ratings_report_and_evidence(
    client: TestClient, policy: Policy, plan: Path
) -> None:
    result, ratings = expected_ratings(plan, policy)
    response = upload(client, plan.name, plan.read_bytes())
    assert response.status_code == 200
    page = response.text
    assert shown_ratings(page) == (ratings.overall, ratings.principles)
    assert len(ratings.principles) == 6
    # The check report, as `ehcp-audit check` words it for this plan.
    report = re.search(r"<pre>(.*?)</pre>", page, flags=re.S)
    assert report is not None
    expected = render_checks([result], policy, "text", width=REPORT_WIDTH)
    assert html.unescape(report.group(1)) == expected
    assert "Done well" in expected or "Fixes" in expected
    # The review page's ratings and the plan's text, with the evidence highlighted.
    parts = review_parts(result, policy, title=plan.name)
    assert parts.header in page and parts.main in page
    assert page.count('id="note-') == len(gather(result, policy).notes) > 0
    if plan.suffix != ".pdf":  # p01's one note is on a section heading: nothing to highlight
        assert '<mark class="evidence"' in page


def test_the_word_download_holds_comments_on_the_findings(
    client: TestClient, policy: Policy
) -> None:
    plan = CORPUS / "p03.docx"
    result, _ = expected_ratings(plan, policy)
    page = upload(client, plan.name, plan.read_bytes()).text
    name, media, data = download(page)
    assert name == "p03.reviewed.docx"
    assert media == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    comments = check_reviewed_docx(data, result, policy)
    assert f"a Word document with {comments} comments" in page


@pytest.mark.parametrize("plan", PLANS[1:], ids=lambda p: p.suffix[1:])
def test_a_pdf_or_text_download_is_the_review_page(
    client: TestClient, policy: Policy, plan: Path
) -> None:
    result, _ = expected_ratings(plan, policy)
    page = upload(client, plan.name, plan.read_bytes()).text
    name, media, data = download(page)
    assert name == f"{plan.stem}.review.html" and media == "text/html"
    assert data == reviewed_copy(plan.read_bytes(), result, policy, title=plan.name).content
    assert f"<h1>Review of {plan.name}</h1>".encode() in data


def test_the_plans_name_and_text_are_escaped(client: TestClient) -> None:
    text = (CORPUS / "p08.txt").read_text(encoding="cp1252")
    text = text.replace("\n", "\n<script>alert(1)</script> <b onmouseover=x>\n", 1)
    page = upload(client, '<img src=x onerror=alert(1)>".txt', text.encode()).text
    assert (
        "<script>alert(1)" not in page and "<img src=x" not in page and "<b onmouseover" not in page
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- plans that cannot be checked ---------------------------------------------------------


BAD_PLANS = {
    "corrupt.pdf": (422, "unreadable"),
    "truncated.docx": (422, "unreadable"),
    "password.docx": (422, "encrypted"),
    "password.pdf": (422, "encrypted"),
    "scanned.pdf": (422, "no_text_layer"),
    "empty.txt": (422, "empty"),
    "recipe.docx": (422, "not_an_ehcp"),
    "old_word.doc": (415, "unsupported_format"),
    "scan.png": (415, "unsupported_format"),
    "zipbomb.docx": (413, "too_large"),
}


@pytest.mark.parametrize("name", BAD_PLANS)
def test_a_plan_that_cannot_be_checked_gets_a_clear_page(client: TestClient, name: str) -> None:
    status, code = BAD_PLANS[name]
    with pytest.raises(ehcp_audit.InputError) as raised:
        ehcp_audit.audit(BAD / name)
    response = upload(client, name, (BAD / name).read_bytes())
    assert response.status_code == status
    page = response.text
    message = raised.value.message
    assert f'data-code="{code}"' in page
    assert html.escape(message[1:40]) in page  # the library's own words, as a sentence
    assert "Traceback" not in page and 'id="upload"' in page  # and the form, to try again


def test_not_a_file_from_the_form(client: TestClient) -> None:
    assert client.post("/check", content=b"plan text").status_code == 400
    empty = client.post("/check", files={"plan": ("", b"")})
    assert empty.status_code == 400 and "No file was chosen" in empty.text
    other = client.post("/check", files={"other": ("p08.txt", b"text")})
    assert other.status_code == 400
    assert client.get("/check").status_code == 405


# -- the upload limit ----------------------------------------------------------------------


def post_in_chunks(
    app: Any, head: bytes, chunk: bytes, count: int, length: int | None, *, close: bool = True
) -> Any:
    """POST a multipart body to the ASGI ``app``: ``head``, then ``count`` times ``chunk``,
    then (with ``close``) the closing boundary.

    Returns the status, the page, and how many body bytes the app asked for.
    """
    boundary = b"limit-test"
    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-type", b"multipart/form-data; boundary=" + boundary),
    ]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    ending = [b"\r\n--" + boundary + b"--\r\n"] if close else []
    pieces = iter([head, *([chunk] * count), *ending])
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        piece = next(pieces, None)
        if piece is None:  # the whole body was sent
            return {"type": "http.request", "body": b"", "more_body": False}
        read += len(piece)
        return {"type": "http.request", "body": piece, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/check",
        "raw_path": b"/check",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
    }
    anyio.run(app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body.decode(), read


HEAD = (
    b'--limit-test\r\nContent-Disposition: form-data; name="plan"; filename="big.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
)


def test_an_upload_over_the_limit_is_not_read_past_it() -> None:
    app = make_app(max_upload_bytes=SMALL_LIMIT, warm=False)
    chunk = b"x" * 8192
    count = 12_800  # 100 MiB, if it were all read
    status, page, read = post_in_chunks(app, HEAD, chunk, count, None)
    assert status == 413 and "larger than this page accepts" in page
    assert read <= SMALL_LIMIT + OVERHEAD + len(chunk)
    # Said up front in Content-Length: refused before reading any of it.
    status, _, read = post_in_chunks(app, HEAD, chunk, count, len(HEAD) + count * len(chunk))
    assert (status, read) == (413, 0)


def test_a_body_that_ends_inside_the_file_is_not_audited() -> None:
    app = make_app(max_upload_bytes=SMALL_LIMIT, warm=False)
    plan = (CORPUS / "p08.txt").read_bytes()
    cut = HEAD + plan[: len(plan) // 2]
    status, page, _ = post_in_chunks(app, cut, b"", 0, None, close=False)
    assert status == 400 and "cut short" in page


def test_a_file_over_the_limit_in_a_body_within_it(small: TestClient) -> None:
    response = upload(small, "p08.txt", b"x" * (SMALL_LIMIT + 1))
    assert response.status_code == 413 and 'data-code="upload"' in response.text
    text = (CORPUS / "p08.txt").read_bytes()
    assert len(text) <= SMALL_LIMIT and upload(small, "p08.txt", text).status_code == 200


# -- what goes out with every page ---------------------------------------------------------


def test_security_headers_and_a_self_contained_page(client: TestClient) -> None:
    plan = CORPUS / "p03.docx"
    for response in (
        client.get("/"),
        upload(client, plan.name, plan.read_bytes()),
        upload(client, "empty.txt", b""),
        client.get("/nowhere"),
    ):
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        if response.status_code == 404:
            continue
        assert "img-src data:" in csp and "form-action 'self'" in csp
        assert "unsafe-inline" not in csp
        nonce = re.search(r"'nonce-([^']+)'", csp)
        assert nonce is not None
        page = response.text
        tags = re.findall(r"<(style|script)\b([^>]*)>", page)
        assert tags and all(f'nonce="{nonce.group(1)}"' in attrs for _, attrs in tags)
        assert not re.search(r"\s(src|srcset|action)=\"(?!/check\")", page)
        assert not re.search(r"\son[a-z]+=", page)
        assert "://" not in re.sub(r'href="data:[^"]*"', "", page)
    first, second = client.get("/"), client.get("/")
    assert first.headers["content-security-policy"] != second.headers["content-security-policy"]


def test_the_upload_page_works_without_script(client: TestClient) -> None:
    page = client.get("/").text
    form = re.search(r"<form [^>]*>", page)
    assert form is not None
    assert 'method="post"' in form.group(0) and 'action="/check"' in form.group(0)
    assert 'enctype="multipart/form-data"' in form.group(0)
    assert re.search(r'<input type="file" id="plan" name="plan" accept="[^"]*\.docx', page)
    assert '<button class="button" type="submit">' in page
    assert 'id="drop"' in page


# -- privacy: nothing logged, nothing written ----------------------------------------------


def test_no_log_record_names_or_quotes_the_plan(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    plan = CORPUS / "p03.docx"
    name = "Ellie-Carter-EHCP-private.docx"
    caplog.set_level(logging.DEBUG)
    assert upload(client, name, plan.read_bytes()).status_code == 200
    assert upload(client, "Ellie-broken.pdf", b"%PDF-1.7 broken").status_code == 422
    sentences = [b.text for b in ehcp_audit.audit(plan).document.blocks if len(b.text) > 30]
    assert sentences
    for record in caplog.records:
        said = record.getMessage() + repr(record.args) + str(record.exc_info)
        assert "Ellie" not in said, said
        assert not any(sentence[:30] in said for sentence in sentences), said


def test_an_unexpected_failure_is_a_500_page_that_logs_no_detail(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Any, data: bytes, filename: str) -> Any:
        raise RuntimeError(f"failed on {filename}: {data[:20]!r}")

    monkeypatch.setattr(review_module.Reviewer, "review", broken)
    caplog.set_level(logging.DEBUG)
    response = upload(client, "Private-Name.txt", (CORPUS / "p08.txt").read_bytes())
    assert response.status_code == 500
    assert 'data-code="internal"' in response.text and "Traceback" not in response.text
    assert "Private-Name" not in response.text
    said = [record.getMessage() for record in caplog.records if record.name == "ehcp_audit.web"]
    assert said == ["a plan could not be checked: RuntimeError (details not logged)"]
    assert not any("Private" in r.getMessage() or r.exc_info for r in caplog.records)


class _Writes:
    """Every file opened for writing, in any thread, while watching (``sys.addaudithook``).

    An audit hook cannot be removed, so one is installed per process and
    does nothing unless a test is watching.
    """

    _watching: ClassVar[list[list[str]]] = []
    _installed = False
    _WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_TMPFILE", 0)

    @classmethod
    def _hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not cls._watching:
            return
        path, mode, flags = args
        written = any(c in mode for c in "wax+") if isinstance(mode, str) else False
        if written or (isinstance(flags, int) and flags & cls._WRITE):
            cls._watching[-1].append(str(path))

    @classmethod
    def watch(cls) -> list[str]:
        if not cls._installed:
            sys.addaudithook(cls._hook)
            cls._installed = True
        cls._watching.append([])
        return cls._watching[-1]

    @classmethod
    def stop(cls) -> None:
        cls._watching.pop()


def _large_docx(plan: Path, extra: int) -> bytes:
    """The plan with a stored member of ``extra`` random bytes: past Starlette's 1 MiB spool."""
    out = io.BytesIO()
    with zipfile.ZipFile(plan) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(zipfile.ZipInfo("customXml/padding.bin"), os.urandom(extra))
    return out.getvalue()


def test_no_file_is_written_while_plans_are_checked(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watched = tmp_path / "tmp"
    here = tmp_path / "cwd"
    watched.mkdir()
    here.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(watched))
    monkeypatch.setenv("TMPDIR", str(watched))
    monkeypatch.chdir(here)
    large = _large_docx(CORPUS / "p03.docx", 3 * 1024 * 1024)
    uploads = [(p.name, p.read_bytes()) for p in PLANS] + [("large.docx", large)]
    uploads.append(("password.pdf", (BAD / "password.pdf").read_bytes()))
    writes = _Writes.watch()
    try:
        statuses = [upload(client, name, data).status_code for name, data in uploads]
        with tempfile.TemporaryFile():  # the watch sees a temporary file, even an unnamed one
            pass
    finally:
        _Writes.stop()
    assert statuses == [200, 200, 200, 200, 422]
    assert set(writes) == {str(watched)}, writes  # only the test's own temporary file
    assert list(watched.iterdir()) == [] and list(here.iterdir()) == []


# -- one at a time, off the event loop -----------------------------------------------------


def test_audits_run_one_at_a_time_in_worker_threads(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = 0
    most = 0
    threads: list[str] = []
    real_audit = review_module.audit

    def slow_audit(*args: Any, **kwargs: Any) -> Any:
        nonlocal running, most
        running += 1
        most = max(most, running)
        threads.append(threading.current_thread().name)
        time.sleep(0.2)
        try:
            return real_audit(*args, **kwargs)
        finally:
            running -= 1

    monkeypatch.setattr(review_module, "audit", slow_audit)
    plan = CORPUS / "p08.txt"
    statuses: list[int] = []
    workers = [
        threading.Thread(
            target=lambda: statuses.append(upload(client, plan.name, plan.read_bytes()).status_code)
        )
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert statuses == [200, 200, 200]
    assert most == 1 and len(threads) == 3
    assert all("AnyIO worker thread" in name for name in threads), threads


def test_the_checker_is_loaded_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    warmed: list[str] = []
    monkeypatch.setattr(
        review_module.Reviewer, "warm", lambda self: warmed.append(threading.current_thread().name)
    )
    with TestClient(make_app()):
        assert len(warmed) == 1 and "AnyIO worker thread" in warmed[0]  # before any request
    with TestClient(make_app(warm=False)):
        assert len(warmed) == 1


# -- the command ---------------------------------------------------------------------------


def test_the_host_is_loopback_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    import ehcp_audit.web as web

    args = _build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.max_upload_mb) == ("127.0.0.1", 8765, 20)
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert not is_loopback("example.org")
    ran: list[tuple[str, int]] = []
    monkeypatch.setattr(web, "run", lambda app, host, port, out: ran.append((host, port)))
    monkeypatch.setattr(review_module.Reviewer, "warm", lambda self: None)
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve"], stdout=out, stderr=err) == 0
    assert ran == [("127.0.0.1", 8765)] and "warning" not in err.getvalue()
    assert main(["serve", "--host", "0.0.0.0", "--port", "9000"], stdout=out, stderr=err) == 0
    assert ran[-1] == ("0.0.0.0", 9000)
    assert "warning: listening on 0.0.0.0" in err.getvalue()


def test_without_the_web_extra_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [
        m for m in sys.modules if m == "ehcp_audit.web" or m.startswith("ehcp_audit.web.")
    ]:
        monkeypatch.delitem(sys.modules, name)
    for name in ["starlette", *(m for m in sys.modules if m.startswith("starlette."))]:
        monkeypatch.setitem(sys.modules, name, None)  # as if Starlette were not installed
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # and should it be found, no server starts
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve"], stdout=out, stderr=err) == 2
    assert err.getvalue() == 'error: serve needs the web extra: pip install "ehcp-audit[web]"\n'
    assert out.getvalue() == ""


def test_bad_options_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for options in (["--port", "70000"], ["--port", "x"], ["--max-upload-mb", "0"]):
        with pytest.raises(SystemExit) as raised:
            main(["serve", *options])
        assert raised.value.code == 2
    assert "must be between 0 and 65535" in capsys.readouterr().err


def test_an_address_in_use_is_one_error_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setattr(review_module.Reviewer, "warm", lambda self: None)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out, err = io.StringIO(), io.StringIO()
        assert main(["serve", "--port", str(port)], stdout=out, stderr=err) == 2
    assert f"error: cannot listen on http://127.0.0.1:{port}/" in err.getvalue()
    assert "open http" not in out.getvalue()


def test_the_real_server_checks_a_plan_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    import httpx2

    plan = CORPUS / "p08.txt"
    name = "Private-Child-Name-EHCP.txt"
    with running_server(cwd=tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with httpx2.Client(base_url=server.url, timeout=60) as http:
            assert http.get("/").status_code == 200
            response = http.post("/check", files={"plan": (name, plan.read_bytes())})
            assert response.status_code == 200 and name in response.text
            assert http.post("/check", files={"plan": (name, b"")}).status_code == 422
        code, output = server.stop()
    assert code == 0, output
    assert "Traceback" not in output and "stopped" in output
    assert "Private-Child" not in output and "POST" not in output and "GET" not in output
    text = plan.read_text(encoding="cp1252")
    assert not any(line[:30] in output for line in text.splitlines() if len(line) > 30)
    assert list(tmp_path.iterdir()) == []


def test_the_core_never_imports_the_web_packages() -> None:
    """Only ehcp_audit.web names Starlette, uvicorn or python-multipart; the CLI loads none."""
    import subprocess

    web_packages = ("starlette", "uvicorn", "python_multipart", "multipart")
    package = Path(ehcp_audit.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "web" not in path.relative_to(package).parts
        and re.search(
            rf"^\s*(from|import)\s+({'|'.join(web_packages)})\b",
            path.read_text(encoding="utf-8"),
            flags=re.M,
        )
    ]
    assert offenders == []
    script = (
        "import sys, io\n"
        "from ehcp_audit.cli import main\n"
        f"main(['check', {str(PLANS[2])!r}], stdout=io.StringIO())\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(web_packages)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_page_names_the_upload_without_its_folders(client: TestClient) -> None:
    """The report's title is the uploaded file's name, never a path or ``<bytes>``."""
    plan = CORPUS / "p08.txt"
    page = upload(client, "folder\\sub/Plan for S.txt", plan.read_bytes()).text
    assert "Review of Plan for S.txt" in page and "&lt;bytes&gt;" not in page
    assert 'download="Plan for S.review.html"' in page
