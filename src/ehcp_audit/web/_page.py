"""The pages ``ehcp-audit serve`` answers with: the upload page, the result page, the error page.

Every page is one self-contained document: inline CSS and (on the upload
page) a little inline JavaScript, each carrying the response's nonce, and
nothing fetched from anywhere; :func:`content_security_policy` says so to
the browser. Every piece of plan text and every file name is escaped.

The result page is the check report and the review page together: the
review page's header (the overall rating and the six principles'), the
check report's text (what is done well, the fixes with their quoted
sentences and what to do), then the plan's text with each sentence to fix
highlighted and the notes beside it (:func:`~ehcp_audit.reports.review_html.review_parts`).
The reviewed copy is in the page itself, as a ``data:`` link with a
``download`` name, so the server keeps nothing between requests.
"""

from __future__ import annotations

import base64
import html
from pathlib import PurePosixPath

from ..reports.review_html import CSS as REVIEW_CSS
from ._review import Reviewed
from ._upload import FIELD

__all__ = ["content_security_policy", "download_name", "result_page", "upload_page"]

#: What the file input offers (the audit detects the format from the content anyway).
ACCEPT = (
    ".docx,.pdf,.txt,.md,application/pdf,text/plain,text/markdown,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

_CSS = """
.bar { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: center;
  padding: 0.75rem 0; border-bottom: 2px solid var(--line); }
.button { display: inline-block; background: #1f6feb; color: #fff; border: 0; border-radius: 6px;
  padding: 0.55rem 1.1rem; font: inherit; font-weight: 600; text-decoration: none;
  cursor: pointer; }
.button:focus-visible, input:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.drop { display: block; border: 3px dashed #8c959f; border-radius: 10px; padding: 2rem 1.5rem;
  margin: 1rem 0; text-align: center; background: #f6f8fa; }
.drop.over { border-color: #1f6feb; background: #ddf4ff; }
.drop strong { display: block; font-size: 1.2rem; margin-bottom: 0.75rem; }
.error { border-left: 6px solid #cf222e; background: var(--missing); padding: 0.5rem 1rem;
  margin: 1rem 0; }
.error h2 { border: 0; margin: 0.25rem 0; }
.report pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa;
  border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem;
  font: 0.9rem/1.45 ui-monospace, "Cascadia Mono", Consolas, monospace; }
.quiet { color: #59636e; }
"""

_SCRIPT = """
(function () {
  var form = document.getElementById("upload");
  var input = document.getElementById("plan");
  var zone = document.getElementById("drop");
  var status = document.getElementById("status");
  var max = Number(form.getAttribute("data-max-bytes"));
  function tooBig(file) {
    if (file.size <= max) { return false; }
    status.textContent = file.name + " is larger than this page accepts (" +
      Math.round(max / 1048576) + " MiB). Check it is the right file.";
    return true;
  }
  function checking(file) { status.textContent = "Checking " + file.name + "\\u2026"; }
  document.addEventListener("dragover", function (event) {
    event.preventDefault();
    zone.classList.add("over");
  });
  document.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  document.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("over");
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) { return; }
    var one = new DataTransfer();
    one.items.add(files[0]);
    input.files = one.files;
    if (!tooBig(files[0])) { checking(files[0]); form.submit(); }
  });
  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (file && tooBig(file)) { event.preventDefault(); return; }
    if (file) { checking(file); }
  });
})();
"""


def content_security_policy(nonce: str) -> str:
    """Nothing loads from anywhere; only the page's own style and script (by nonce) run.

    ``img-src data:`` allows inline images; ``form-action 'self'`` lets the
    form post only back here.
    """
    return (
        f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
        "img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def _document(nonce: str, title: str, body: str, *, script: bool = False) -> str:
    tail = f'<script nonce="{nonce}">{_SCRIPT}</script>' if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        '<link rel="icon" href="data:,">'  # so the browser asks the server for no icon
        f"<title>{html.escape(title)}</title>"
        f'<style nonce="{nonce}">{REVIEW_CSS}{_CSS}</style></head>\n<body>\n'
        f"{body}\n{tail}</body></html>\n"
    )


def upload_page(nonce: str, max_bytes: int, *, error: str = "", code: str = "") -> str:
    """The page to drop a plan on, or choose one with the file input (which needs no script).

    With ``error``, the page says why the last plan could not be checked,
    above the same form, so the next try is one step away; ``code`` (the
    error's, e.g. ``encrypted``) is kept on the message for tools and tests.
    """
    problem = (
        f'<div class="error" role="alert" data-code="{html.escape(code or "upload")}">'
        f"<h2>This plan could not be checked</h2><p>{html.escape(_sentence(error))}</p></div>"
        if error
        else ""
    )
    body = f"""<header><h1>Check an EHCP plan</h1>
<p>See the plan's co-production ratings, what it does well and what to fix, with each
sentence to change highlighted, and download a reviewed copy (Word comments in a .docx).</p>
</header>
<main>{problem}
<form id="upload" method="post" action="/check" enctype="multipart/form-data"
 data-max-bytes="{max_bytes}">
<label class="drop" id="drop" for="plan"><strong>Drop a plan here</strong>
or choose a file: a Word document (.docx), a PDF, or a text file (.txt, .md), up to
{max_bytes / 1048576:g} MiB.<br>
<input type="file" id="plan" name="{FIELD}" accept="{ACCEPT}" required></label>
<button class="button" type="submit">Check the plan</button>
<p id="status" role="status" aria-live="polite"></p>
</form>
<p class="quiet">The plan is read in memory on this computer, checked, and forgotten once the
page is sent: nothing is stored or logged, and nothing is sent anywhere else. The ratings are a
guide for your own review, not a decision.</p>
</main>"""
    title = "Could not check the plan · ehcp-audit" if error else "Check an EHCP plan · ehcp-audit"
    return _document(nonce, title, body, script=True)


def _sentence(message: str) -> str:
    """A library message (``the PDF is damaged``) as a sentence on its own."""
    message = message.strip()
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def download_name(filename: str, suffix: str) -> str:
    """The reviewed copy's name: the plan's name without its extension, then ``suffix``."""
    stem = PurePosixPath(filename).stem if "." in filename else filename
    return f"{stem or 'plan'}{suffix}"


def _download(reviewed: Reviewed) -> str:
    copy = reviewed.copy
    media = copy.media_type.replace(" ", "")
    href = f"data:{media};base64,{base64.b64encode(copy.content).decode('ascii')}"
    what = (
        f"a Word document with {copy.notes} comment{'s' if copy.notes != 1 else ''}"
        if copy.kind == "docx"
        else f"a web page with {copy.notes} note{'s' if copy.notes != 1 else ''}"
    )
    name = download_name(reviewed.filename, copy.suffix)
    return (
        f'<a class="button" id="download" href="{href}" download="{html.escape(name)}">'
        "Download the reviewed copy</a>"
        f'<span class="quiet">{html.escape(name)}: {what}</span>'
    )


def result_page(nonce: str, reviewed: Reviewed) -> str:
    """The ratings, the check report, the plan's text with its notes, and the copy to download."""
    parts = reviewed.parts
    body = (
        f'<nav class="bar">{_download(reviewed)}<a href="/">Check another plan</a></nav>\n'
        f"{parts.header}\n"
        '<section class="report" id="report"><h2>The report</h2>'
        '<p class="quiet">What the plan does well and what to fix, most important first: each fix '
        "quotes the whole sentence, to search for in the plan.</p>"
        f"<pre>{html.escape(reviewed.report)}</pre></section>\n"
        '<h2 id="plan-text">The plan, with each sentence to fix highlighted</h2>\n'
        f"{parts.main}"
    )
    return _document(nonce, f"Review of {reviewed.filename} · ehcp-audit", body)
