"""``check --format lines``: one line per fix and place, for editors and scripts.

Each line reads ``FILE:SECTION:PARAGRAPH: LEVEL RULE: MESSAGE``, the shape
compilers and linters use, so an editor's "jump to problem" list, ``grep``
and ``awk`` can take it as it is:

* ``SECTION`` is the plan's section code (A, B, … H1, H2, … K, ``front``
  for the personal details before Section A), or ``-`` for the whole plan.
* ``PARAGRAPH`` counts inside the section, the way a reader would count
  down from the section's heading in Word: 1 is the first non-empty
  paragraph, list item, sub-heading or table cell after the heading, in
  reading order across every part of the section; 0 is the section as a
  whole (something missing from it, or its heading).
* ``LEVEL`` is ``error``, ``warning``, ``suggestion``, or ``todo`` for what a
  draft can only record after the family has seen it.
* ``RULE`` is the most important rule behind the fix (the others it merges
  follow the message in brackets); ``MESSAGE`` is the fix in plain words,
  then the whole sentence to search for, in double quotes.

Fixes come in the text report's order (most important first), merged the
same way (:mod:`._fixes`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._model import PlanAudit
from ._fixes import judged_ratings, located, plan_fixes

if TYPE_CHECKING:
    from ..checks import Policy

#: A line as written, for readers of the format (and the tests).
LINE = re.compile(
    r"^(?P<file>.+):(?P<section>[A-Za-z0-9_-]+):(?P<paragraph>\d+): "
    r"(?P<level>error|warning|suggestion|todo) (?P<rule>\S+): (?P<message>.*)$"
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_lines(
    result: PlanAudit, policy: Policy | None = None, *, path: str | None = None
) -> str:
    """The plan's fixes as lines (see the module docstring); empty when nothing is to fix."""
    if policy is None:
        from .._config import load_config
        from ..checks import load_policy

        policy = load_policy(load_config())
    name = _one_line(path or result.source.path or "<bytes>")
    fixes = plan_fixes(result, policy, judged_ratings(result, policy))
    lines = []
    for item in located(fixes):
        message = _one_line(item.message)
        if item.quote is not None:
            message += f' "{_one_line(item.quote.text)}"'
        if item.also:
            message += f" [also {', '.join(item.also)}]"
        section = item.section or "-"
        lines.append(f"{name}:{section}:{item.paragraph}: {item.level} {item.rule}: {message}")
    return "".join(line + "\n" for line in lines)
