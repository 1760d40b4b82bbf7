"""The uploaded plan, read from the request body in memory, with the size limit kept while reading.

Why not Starlette's ``request.form()``: it spools every file part to a
``SpooledTemporaryFile``, which goes to disk past 1 MiB, and only checks
sizes after the body has been received. A plan holds special-category
data about a child, so it must never touch the disk, and a body past the
limit must not be read at all. So the body is read here, chunk by chunk,
from the ASGI stream, and fed to python-multipart's streaming parser
(the one Starlette itself uses); the file part's bytes are kept in a
``bytearray``, and reading stops as soon as the body passes the limit.

The page's form posts ``multipart/form-data`` with one file field, ``plan``,
with or without JavaScript (the drop zone puts the dropped file into that
field and submits the same form), so there is one way in to test.
"""

from __future__ import annotations

import codecs
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING

from attrs import define, field, frozen
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = ["FIELD", "OVERHEAD", "Upload", "UploadRefused", "clean_name", "read_upload", "too_large"]

#: The form field that carries the plan.
FIELD = "plan"
#: What a body may hold beyond the plan itself: boundaries, part headers, the file name.
OVERHEAD = 16 * 1024
#: The longest file name kept (it names the download); a longer one is cut.
_NAME_CHARS = 120


@frozen
class Upload:
    """The plan as uploaded: its file name (as the browser gave it, path removed) and bytes."""

    filename: str
    data: bytes


class UploadRefused(Exception):
    """The body is not an upload the page sent, or is too large; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def too_large(max_bytes: int) -> UploadRefused:
    """The refusal of a plan over ``max_bytes``, in the words the page shows."""
    return UploadRefused(
        413,
        f"The file is larger than this page accepts ({max_bytes / 1048576:g} MiB). A plan is "
        "usually well under 5 MiB: check it is the right file. Whoever runs this page can "
        "allow larger files (ehcp-audit serve --max-upload-mb).",
    )


async def read_upload(
    headers: Mapping[str, str], chunks: AsyncIterator[bytes], max_bytes: int
) -> Upload:
    """Read the plan from a ``multipart/form-data`` body, keeping at most ``max_bytes`` of it.

    ``headers`` are the request's (lower-case names); ``chunks`` its body as
    it arrives. A ``Content-Length`` past the limit is refused before
    anything is read; otherwise reading stops at the first chunk that takes
    the body past ``max_bytes`` plus :data:`OVERHEAD`, or the file past
    ``max_bytes``. Raises :class:`UploadRefused` (413 too large, 400 not a
    form from the page or no file chosen).
    """
    content_type, options = parse_options_header(headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UploadRefused(400, "Send the plan with the form on this page.")
    ceiling = max_bytes + OVERHEAD
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > ceiling:
        raise too_large(max_bytes)
    parts = _Parts(max_bytes, _charset(options))
    parser = MultipartParser(boundary, parts.callbacks())
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > ceiling:
                raise too_large(max_bytes)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise UploadRefused(400, "The upload was cut short or garbled: try again.") from None
    if parts.found is None or not parts.found.filename:
        raise UploadRefused(400, "No file was chosen: choose a plan, then press the button.")
    if not parts.found.complete:  # the body ended inside the file: never audit part of a plan
        raise UploadRefused(400, "The upload was cut short: try again.")
    return Upload(parts.found.filename, bytes(parts.found.data))


def _charset(options: Mapping[bytes, bytes]) -> str:
    """The form's character set (for the file name): UTF-8 unless the body names a known one."""
    name = options.get(b"charset", b"utf-8").decode("latin-1")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def clean_name(raw: str) -> str:
    """A file name to show and to name the download: no folders, no control characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[:_NAME_CHARS] or "plan"


@define
class _Part:
    name: str = ""
    filename: str = ""
    data: bytearray = field(factory=bytearray)
    complete: bool = False


@define
class _Parts:
    """python-multipart's callbacks: keep the first ``plan`` file part, in memory, within limits.

    Other fields are parsed and dropped (their size is bounded by the body's).
    """

    max_bytes: int
    charset: str
    found: _Part | None = None
    _current: _Part | None = None
    _header: bytes = b""
    _value: bytes = b""
    _disposition: bytes = b""

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._current = None
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        if self._header.strip().lower() == b"content-disposition":
            self._disposition = self._value
        self._header = self._value = b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode(self.charset, "replace")
        if self.found is None and name == FIELD and b"filename" in options:
            filename = options[b"filename"].decode(self.charset, "replace")
            self._current = self.found = _Part(name, clean_name(filename) if filename else "")

    def _end(self) -> None:
        if self._current is not None:
            self._current.complete = True
        self._current = None

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._current is None:
            return
        if len(self._current.data) + (end - start) > self.max_bytes:
            raise too_large(self.max_bytes)
        self._current.data += data[start:end]
