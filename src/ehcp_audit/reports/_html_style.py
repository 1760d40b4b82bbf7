"""The board report's style sheet, inline in the page (no fonts or files fetched).

System fonts only; readable printed (each plan starts a new page) and on a
phone; colours pass WCAG AA contrast on white, and every colour in a chart
also has a pattern and a word, so nothing depends on seeing colour.
"""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8;
  --bad: #b3261e; --ok: #1e6b3a; --panel: #f5f5f2; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); background: #fff; line-height: 1.5; }
body { margin: 0 auto; max-width: 68rem; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 0.75rem; border-bottom: 2px solid var(--ink);
  padding-bottom: 0.2rem; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
p, li { max-width: 60rem; }
a { color: #0b4f8a; }
a:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
.lede { color: var(--muted); margin-top: 0; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
.headline { background: var(--panel); border-left: 8px solid var(--ink); padding: 1rem 1.25rem; }
.headline .figure { font-size: 3.2rem; font-weight: 700; line-height: 1.1; margin: 0; }
.headline .figure small { font-size: 1.1rem; font-weight: 400; display: block; }
.verdict { display: inline-block; font-weight: 700; padding: 0.2rem 0.6rem; border: 2px solid; }
.verdict.met { color: var(--ok); }
.verdict.not-met { color: var(--bad); }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: 0.75rem;
  padding: 0; list-style: none; }
.facts li { background: var(--panel); padding: 0.6rem 0.8rem; }
.facts strong { display: block; font-size: 1.5rem; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: 0.95rem; }
svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0 1.25rem; }
caption { text-align: left; font-weight: 700; padding: 0.3rem 0; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.55rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rating { font-weight: 700; white-space: nowrap; }
.rating.room_for_improvement, .rating.requires_improvement, .rating.error { color: var(--bad); }
.rating.excellent, .rating.outstanding { color: var(--ok); }
.plan { border-top: 1px solid var(--line); margin-top: 2rem; }
.plan h3 { word-break: break-word; }
blockquote, q { font-style: italic; }
.notes p { margin: 0.2rem 0; }
td ul, td ol { margin: 0; padding-left: 1.1rem; }
.muted { color: var(--muted); }
.top { font-size: 0.9rem; }
.legend { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.legend svg { vertical-align: middle; }
@media print {
  nav, .top { display: none; }
  .plan { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
"""
