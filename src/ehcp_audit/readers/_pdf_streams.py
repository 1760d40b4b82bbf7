"""Refuse a PDF whose compressed streams unpack to too much, before PDFium sees it.

Internal to :mod:`ehcp_audit.readers.pdf`. PDFium inflates a stream in full
whenever it needs it (page contents, fonts, object streams) and has no limit
of its own: a 1 MB file of deflated zeros takes gigabytes. So every stream
in the file is inflated here first, a chunk at a time with zlib's
``max_length`` (nothing is kept), and the bytes it really produces are
counted:

* the total over the file against ``Limits.max_uncompressed``;
* each stream's ratio (bytes out per compressed byte read) against
  ``Limits.max_zip_ratio`` once it has produced more than a mebibyte, which
  stops a bomb within its first few mebibytes.

Streams are found by their ``stream`` keyword and judged by their bytes,
not by their dictionary: a stream whose data starts with a zlib header is
inflated whatever its ``/Filter`` says (an indirect or abbreviated filter
cannot hide one), and again while the output starts with another (a
``[/FlateDecode /FlateDecode]`` chain). Images are the exception: PDFium
does not decode them to read text, and scans compress far beyond any bomb
ratio, so a stream declaring ``/Subtype /Image`` with its size is only held
to the bytes that size allows, and counts for nothing while within them.

An encrypted PDF's streams are ciphertext here, so the PDF reader scans
them again in the copy PDFium saves without its encryption (streams still
compressed), before any page is loaded. Not covered: an object stream of an
encrypted PDF, which PDFium inflates while opening it, and filters other than
Flate (LZW, run-length), which are rare in plans.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from attrs import define

from .._errors import TooLarge
from .._limits import MIB, Limits

#: Bytes asked of zlib per step (and compressed bytes handed to it per step).
_CHUNK = 256 * 1024
#: Streams that produce less than this are not ratio-checked.
_RATIO_FLOOR = MIB
#: Flate layers followed inside one stream.
_MAX_LAYERS = 4
#: How far back from ``stream`` its dictionary is looked for.
_DICT_WINDOW = 16 * 1024
_STREAM = re.compile(rb"(?<![A-Za-z])stream[ \t\r\n\f\x00]*")
_OBJ = re.compile(rb"\bobj\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_WIDTH = re.compile(rb"/Width\s+(\d{1,6})(?!\s+\d+\s+R)")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,6})(?!\s+\d+\s+R)")
#: Bytes per pixel an image can need at most (4 components of 16 bits) and a
#: predictor byte per row, plus slack for padding.
_PIXEL_BYTES = 8
_IMAGE_SLACK = 64 * 1024
_RAISE_HINT = "raise it with --max-uncompressed-mb (Limits.max_uncompressed) if the file is trusted"


def check_streams(data: bytes, limits: Limits) -> None:
    """Raise :class:`TooLarge` if the PDF's streams unpack past the limits."""
    view = memoryview(data)
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        if not _is_zlib(data[start : start + 2]):
            continue
        image_cap = _image_cap(data, match.start())
        produced = 0
        consumed = _Counter()
        for chunk in _layers(_raw(view, start, consumed), _MAX_LAYERS):
            produced += len(chunk)
            if image_cap is not None:
                if produced > image_cap:
                    raise TooLarge(
                        "a stream of the PDF unpacks to more than the image it declares "
                        "(a possible decompression bomb; stopped while unpacking)"
                    )
                continue
            total += len(chunk)
            if total > limits.max_uncompressed:
                raise TooLarge(
                    "the PDF's compressed streams unpack to more than the "
                    f"{limits.max_uncompressed / MIB:.0f} MiB limit on unpacked size "
                    f"(stopped while unpacking; {_RAISE_HINT})"
                )
            if produced > _RATIO_FLOOR and produced / max(consumed.n, 1) > limits.max_zip_ratio:
                raise TooLarge(
                    f"a stream of the PDF unpacks at over {limits.max_zip_ratio:.0f} to 1, "
                    "the limit on compression ratio (a possible decompression bomb; "
                    "stopped while unpacking; raise Limits.max_zip_ratio if the file is trusted)"
                )


@define
class _Counter:
    """Compressed bytes handed to the outermost inflater so far."""

    n: int = 0


def _is_zlib(head: bytes) -> bool:
    """A zlib header: deflate method, a valid window size, and its check bits."""
    return (
        len(head) == 2
        and head[0] & 0x0F == 8
        and head[0] >> 4 <= 7
        and (head[0] << 8 | head[1]) % 31 == 0
    )


def _raw(view: memoryview, start: int, consumed: _Counter) -> Iterator[bytes]:
    """The file's bytes from ``start`` on, a chunk at a time (zlib stops at its own end)."""
    for offset in range(start, len(view), _CHUNK):
        chunk = bytes(view[offset : offset + _CHUNK])
        consumed.n += len(chunk)
        yield chunk


def _layers(chunks: Iterator[bytes], depth: int) -> Iterator[bytes]:
    """Inflate ``chunks``; inflate the output again while it is itself zlib data."""
    inflated = _inflate(chunks)
    first = next(inflated, b"")
    if depth > 1 and _is_zlib(first[:2]):

        def again() -> Iterator[bytes]:
            yield first
            yield from inflated

        yield from _layers(again(), depth - 1)
        return
    if first:
        yield first
    yield from inflated


def _inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """zlib output in steps of at most ``_CHUNK`` bytes; stops quietly on bad data."""
    inflater = zlib.decompressobj()
    for chunk in chunks:
        pending = chunk
        while pending:
            try:
                out = inflater.decompress(pending, _CHUNK)
            except zlib.error:
                return  # damaged: PDFium reads what it can, and so little is no bomb
            if out:
                yield out
            if inflater.eof:
                return
            pending = inflater.unconsumed_tail
    while not inflater.eof:  # input ended: drain what zlib still holds, in steps
        try:
            out = inflater.decompress(b"", _CHUNK)
        except zlib.error:
            return
        if not out:
            return
        yield out


def _image_cap(data: bytes, keyword: int) -> int | None:
    """The most bytes the image declared in this stream's dictionary can need, or None."""
    window_start = max(0, keyword - _DICT_WINDOW)
    objects = list(_OBJ.finditer(data, window_start, keyword))
    window = data[objects[-1].end() if objects else window_start : keyword]
    if not _IMAGE.search(window):
        return None
    width, height = _WIDTH.search(window), _HEIGHT.search(window)
    if width is None or height is None:
        return None
    w, h = int(width.group(1)), int(height.group(1))
    return w * h * _PIXEL_BYTES + h + _IMAGE_SLACK
