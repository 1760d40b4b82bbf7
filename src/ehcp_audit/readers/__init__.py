"""Readers turn a file's bytes into a :class:`~ehcp_audit._model.Document`.

Internal. One module per format, each with the same small protocol::

    read(data: bytes, limits: Limits) -> Document

The format is detected from the bytes. Reader modules are imported lazily
so that ``import ehcp_audit`` never pays for PDFium or python-docx.
"""

from __future__ import annotations

import hashlib
import importlib

from .._errors import EmptyDocument, TooLarge
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Document, SourceFormat, evolve
from ._detect import detect_format

_READER_MODULES = {
    SourceFormat.DOCX: "ehcp_audit.readers.docx",
    SourceFormat.PDF: "ehcp_audit.readers.pdf",
    SourceFormat.TEXT: "ehcp_audit.readers.text",
}


def read_bytes(
    data: bytes, limits: Limits = DEFAULT_LIMITS, fmt: SourceFormat | None = None
) -> Document:
    """Read ``data`` into a Document, in format ``fmt`` (default: detected from the bytes).

    ``fmt`` is given when the caller knows better than the bytes can say:
    :func:`ehcp_audit.audit_text` is given text, whatever its first bytes
    look like.
    """
    if len(data) > limits.max_bytes:
        size, limit = len(data) / 1048576, limits.max_bytes / 1048576
        raise TooLarge(f"the file is {size:.1f} MiB, over the {limit:.0f} MiB limit")
    fmt = detect_format(data) if fmt is None else fmt
    reader = importlib.import_module(_READER_MODULES[fmt])
    document: Document = reader.read(data, limits)
    if not any(block.text.strip() for block in document.blocks):
        raise EmptyDocument("the document has no text in it")
    return evolve(document, sha256=hashlib.sha256(data).hexdigest())


__all__ = ["detect_format", "read_bytes"]
