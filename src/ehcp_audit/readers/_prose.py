"""What every reader asks of a line of prose: does it finish a sentence?

One definition for the PDF layout (a bold line after a finished plain one is a
heading) and the plain-text tables (a column of sentences against one of values), so
the two readers agree on what "finished" means: a full stop, question or exclamation
mark, which closing quotes and brackets may follow.
"""

from __future__ import annotations

import re

__all__ = ["SENTENCE_END"]

#: A line (or cell) that ends a sentence, closers and trailing white space allowed.
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
