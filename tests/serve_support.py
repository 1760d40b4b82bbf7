"""What ``ehcp-audit serve``'s two test files share: the plans, the expected ratings, the
reviewed copy's check, and the real server started as a user starts it.

The reviewed Word copy is checked with the annotate tests' own readers
(tests/test_annotate.py): each failed finding's sentence, worked out from
the audit alone, must carry a comment by "ehcp-audit" holding its
suggestion, on the paragraph that holds it.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
from attrs import evolve, frozen
from test_annotate import comment_ranges, flat, paragraph_text, wanted_sentences

import ehcp_audit
from ehcp_audit.checks import Policy
from ehcp_audit.reports._feedback import AUTHOR
from ehcp_audit.reports._fixes import judged_ratings
from ehcp_audit.reports._plain import rating_words

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus_samples"
#: One plan of each format the page takes.
PLANS = (CORPUS / "p03.docx", CORPUS / "p01.pdf", CORPUS / "p08.txt")


@frozen
class Ratings:
    """A plan's ratings in the words a page shows: the overall, then (number, rating) each."""

    overall: str
    principles: tuple[tuple[int, str], ...]


def expected_ratings(plan: Path, policy: Policy) -> tuple[ehcp_audit.PlanAudit, Ratings]:
    """``audit()``'s result for ``plan``'s bytes (named as uploaded) and its ratings in words.

    The corpus plans used are final plans, so the ratings a report shows
    (a draft's judged as a draft) are the audit's own: checked here.
    """
    result = ehcp_audit.audit(plan.read_bytes(), config=ehcp_audit.load_config())
    result = evolve(result, source=evolve(result.source, path=plan.name))
    judged = judged_ratings(result, policy)
    assert not judged.as_draft and judged.overall == result.overall
    ratings = Ratings(
        rating_words(result.overall),
        tuple((p.number, rating_words(p.rating)) for p in result.principles),
    )
    return result, ratings


def check_reviewed_docx(data: bytes, result: ehcp_audit.PlanAudit, policy: Policy) -> int:
    """Check a downloaded reviewed copy against the audit; return how many comments it holds.

    It opens with python-docx; every comment is by "ehcp-audit"; the first is
    the summary with the overall rating; each failed finding's sentence has
    a comment on its paragraph that holds the finding's suggestion.
    """
    document = docx.Document(io.BytesIO(data))
    comments = {c.comment_id: c for c in document.comments}
    assert len(comments) > 1
    assert {c.author for c in comments.values()} == {AUTHOR}
    summary = comments[min(comments)]
    assert f"Overall: {rating_words(result.overall)}" in summary.text
    # What each comment covers, and the paragraphs it sits in: by the text it covers.
    anchored: dict[str, list[tuple[int, str]]] = {}
    for number, (covered, paragraphs) in comment_ranges(data).items():
        where = flat("".join(paragraph_text(p) for p in paragraphs))
        anchored.setdefault(flat(covered), []).append((number, where))
    wanted = wanted_sentences(result, policy)
    assert wanted, "the plan should have failed findings that quote it"
    for sentence, suggestion in wanted:
        on_it = [n for n, where in anchored.get(flat(sentence), []) if flat(sentence) in where]
        assert on_it, f"no comment on {sentence[:60]!r}"
        assert any(suggestion in comments[n].text for n in on_it), suggestion
    return len(comments)


@frozen
class Server:
    """A running ``ehcp-audit serve``: its URL and what it has written so far."""

    url: str
    process: subprocess.Popen[str]
    output: list[str]
    reader: threading.Thread

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a user stops it: the exit code and everything it wrote."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        return code, "".join(self.output)


@contextmanager
def running_server(*options: str, cwd: Path) -> Iterator[Server]:
    """``ehcp-audit serve --port 0`` in a fresh interpreter, ready once it prints its URL.

    stdout and stderr are read together in a thread (so neither pipe fills
    up), and all of it is kept for the test to search.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "ehcp_audit", "serve", "--port", "0", *options],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output: list[str] = []
    ready = threading.Event()
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            match = re.search(r"open (http://\S+/) in a browser", line)
            if match:
                found.append(match.group(1))
                ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(timeout=60), "the server did not start"
        assert found, "".join(output)
        yield Server(found[0], process, output, reader)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        reader.join(timeout=10)
