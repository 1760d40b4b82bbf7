"""The board report: one self-contained HTML file, parsed here and opened in a real browser.

The records are real audits of corpus plans (``batch_records``). The parser
checks what a board member's locked-down laptop needs (nothing fetched from
outside, no script, every link inside the page) and what the board must
see (every plan, no rule identifiers, the plans needing attention first).
The browser test drives Debian's chromium through Playwright with scripts
off and every non-file request blocked, and checks the headline and the
principle chart are actually drawn.
"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from attrs import frozen
from batch_records import BAD, PLANS, batch_records, by_file
from browser import browser_or_skip, launch

from ehcp_audit.batch._compare import compare_outdirs, comparison_dict
from ehcp_audit.batch._summary import summarise
from ehcp_audit.reports.html_report import render_report


class Page(HTMLParser):
    """The parts of the page the tests look at: tags, ids, links, text, captions."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "style":
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


@frozen
class Board:
    """A batch's records, their summary and the report rendered from them."""

    records: list[dict[str, Any]]
    summary: dict[str, Any]
    html: str


@pytest.fixture(scope="module")
def board() -> Board:
    records = batch_records()
    summary = summarise(records)
    return Board(records, summary, render_report(records, summary))


def test_nothing_is_fetched_from_outside_the_page(board):
    html = board.html
    page = Page(html)
    for tag in ("script", "link", "img", "iframe", "object", "embed", "base", "form"):
        assert not page.all(tag), tag
    for name, attrs in page.tags:
        for key, value in attrs.items():
            assert key != "src", name
            assert not key.startswith("on"), (name, key)  # no inline script either
            if key in ("href", "xlink:href"):
                assert value and value.startswith("#"), value
                assert value[1:] in page.ids, f"link to a missing anchor {value}"
    style = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    assert "@import" not in style and "url(" not in style
    assert re.findall(r"url\(([^)]*)\)", html) and all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html)
    )
    assert "://" not in "".join(str(v) for _, a in page.tags for v in a.values())


def test_every_plan_has_its_own_page(board):
    records = board.records
    html = board.html
    page = Page(html)
    articles = page.all("article")
    assert len(articles) == len(PLANS) + len(BAD)
    headings = {str(a["id"]) for a in page.all("h3") if str(a.get("id", "")).startswith("plan-")}
    assert len(headings) == len(articles)
    for name in PLANS + BAD:
        assert re.search(rf'<h3 id="plan-\d+-h">{re.escape(name)}</h3>', html), name
    duplicate = next(r for r in records if r["batch"]["duplicate_of"])
    assert f"Also found as: {duplicate['batch']['file']}" in page.words
    assert by_file(records, BAD[0])["error"]["message"][:20].lower() in page.words.lower()


def test_board_language_without_rule_identifiers(board):
    records = board.records
    html = board.html
    words = Page(html).words
    rules = {f["rule"] for r in records for f in r.get("findings", ())}
    assert rules
    for rule in rules:
        assert rule not in words and rule.split(".")[-1] not in words, rule
    assert not re.search(r"\b(?:statutory|coproduction)\.", words)
    assert "Room for improvement" in words and "Excellent" in words


def test_headline_against_the_target(board):
    summary = board.summary
    html = board.html
    page = Page(html)
    effective = summary["effective"]
    assert f"{effective['share']:.0%}" in page.words
    assert f"({effective['count']} of {effective['of']})" in page.words
    assert "Target of 90% not met" in page.words
    lo, hi = effective["ci95"]
    assert f"between {lo:.0%} and {hi:.0%}" in page.words
    met = render_report(batch_records(), summarise(batch_records(), target=0.2))
    assert "Target of 20% met" in Page(met).words


def test_accessible_structure(board):
    html = board.html
    page = Page(html)
    assert ("html", {"lang": "en"}) in page.tags
    assert len(page.all("h1")) == 1
    tables = html.count("<table")
    assert tables == html.count("<caption>") and tables >= 4
    charts = [a for a in page.all("svg") if a.get("role") == "img"]
    assert len(charts) >= 3
    for chart in charts:
        title, desc = str(chart["aria-labelledby"]).split()
        assert {title, desc} <= page.ids
    # The chart's text alternative gives every principle's figures in words.
    desc = re.search(r'<desc id="principle-chart-d">(.*?)</desc>', html).group(1)
    assert all(f"Principle {n}:" in desc for n in range(1, 7))


def test_plans_needing_attention_come_first_in_order(board):
    records = board.records
    summary = board.summary
    html = board.html
    section = html[html.index('id="attention"') : html.index('id="plans"')]
    linked = re.findall(r'<a href="#(plan-\d+)">([^<]+)</a>', section)
    files = [name for _, name in linked]
    errors = [r["batch"]["file"] for r in records if "error" in r]
    weak = sorted(
        (
            r
            for r in records
            if r.get("overall") == "requires_improvement" and not r["batch"]["duplicate_of"]
        ),
        key=lambda r: (r["total_score"], r["batch"]["file"]),
    )
    assert files[: len(errors)] == sorted(errors)
    assert files[len(errors) : len(errors) + len(weak)] == [r["batch"]["file"] for r in weak]
    assert files[len(errors) + len(weak) :] == [e["file"] for e in summary["least_certain"]]
    assert section.index("Could not be audited") < section.index("Requires improvement")


def test_plan_text_is_escaped(board):
    hostile = copy.deepcopy(board.records)
    plan = by_file(hostile, "p01.docx")
    plan["batch"]["file"] = '<script>alert("x")</script>.docx'
    finding = next(f for f in plan["findings"] if f["passed"] and f["evidence"])
    for item in finding["evidence"]:
        item["text"] = "I like <img src=x onerror=alert(1)> trains and drawing every day."
    html = render_report(hostile, summarise(hostile))
    page = Page(html)
    assert not page.all("script") and not page.all("img")
    assert '<script>alert("x")</script>.docx' in page.words
    assert "&lt;script&gt;" in html


def _round(folder: Path, records) -> Path:
    """An OUTDIR holding only a results.jsonl, as a batch exports it."""
    folder.mkdir()
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (folder / "results.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_comparison_section_from_two_rounds(tmp_path, board):
    assert 'id="comparison"' not in board.html
    # Last quarter: p01 not yet written, p02 then rated requires improvement.
    old = [copy.deepcopy(r) for r in board.records if r["batch"]["file"] != "p01.docx"]
    by_file(old, "p02.docx").update(overall="requires_improvement", effective_coproduction=False)
    comparison = comparison_dict(
        compare_outdirs(_round(tmp_path / "july", old), _round(tmp_path / "october", board.records))
    )
    html = render_report(board.records, board.summary, comparison)
    page = Page(html)
    assert "comparison" in page.ids
    words = page.words
    assert "Since the last audit" in words and "july" in words and "october" in words
    change = comparison["effective_change"]
    assert f"{change['ci95_points'][0]:+.0f} and {change['ci95_points'][1]:+.0f}" in words
    assert "could be chance" in words  # a handful of plans cannot show a trend
    section = html[html.index('id="comparison"') : html.index('id="attention"')]
    anchor = re.search(r'<a href="#(plan-\d+)">p02.docx</a>', section)
    assert anchor and anchor.group(1) in page.ids
    assert "↑ up" in section
    assert "1 plan new this round." in words and "earlier round" not in words


# -- in a real browser -----------------------------------------------------------------------


def test_report_in_headless_chromium(tmp_path, board):
    summary = board.summary
    html = board.html
    sync_api = browser_or_skip()
    from PIL import Image

    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    blocked: list[str] = []
    requested: list[str] = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as playwright:
        context = launch(
            playwright,
            tmp_path / "profile",
            java_script_enabled=False,
            viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.route("**/*", only_files)
            page.goto(report.as_uri())
            figure = page.locator("#headline-figure")
            assert figure.is_visible()
            assert figure.inner_text().startswith(f"{summary['effective']['share']:.0%}")
            chart = page.locator("#principle-chart")
            chart.scroll_into_view_if_needed()
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 150
            assert page.locator("#principle-chart rect").count() >= 6
            assert page.locator("#headline-chart").is_visible()
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot))
        finally:
            context.close()

    assert blocked == []
    assert all(url.startswith("file://") for url in requested), requested
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(shot) as image:
        assert image.size == (1280, 900)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50  # text, bars and panels drawn
        dark = sum(count for count, rgb in colours if sum(rgb) < 200)
        assert dark > 1000  # the headline figure and its words


def test_a_batch_where_nothing_could_be_audited(board):
    errors = [r for r in board.records if "error" in r]
    page = Page(render_report(errors, summarise(errors), {"old": {}, "new": {}}))
    assert "No plan could be rated" in page.words
    assert len(page.all("article")) == len(errors)
    assert "Could not be audited (1)" in page.words and "comparison" in page.ids
