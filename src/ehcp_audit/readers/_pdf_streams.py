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

The scan itself must not be a way to hang the reader, so its own work is
bounded too: only ``stream`` keywords followed by a zlib header are looked
at (the regular expression skips the rest at C speed), at most
``_MAX_STREAMS`` of them; a stream's dictionary is looked for only back to
the previous stream; compressed input is handed to zlib in chunks that grow
from a kilobyte (a tiny stream costs little); the compressed bytes handed
over in all are held to a few times the file's size (streams crafted to
overlap would otherwise be inflated again and again) and the image bytes
produced to ``_IMAGE_BUDGET`` times the unpacked-size limit.

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

from .._errors import TooLarge, Unreadable
from .._limits import MIB, Limits

#: Bytes asked of zlib per step, and the largest compressed chunk handed to it.
_CHUNK = 256 * 1024
#: The first compressed chunk of a stream (doubled each step up to ``_CHUNK``).
_FIRST_CHUNK = 1024
#: Streams that produce less than this are not ratio-checked.
_RATIO_FLOOR = MIB
#: Flate layers followed inside one stream.
_MAX_LAYERS = 4
#: Compressed streams looked at, at most; plans hold a few thousand.
_MAX_STREAMS = 200_000
#: Compressed bytes handed to zlib in all, at most this many times the file
#: (each stream's bytes are read about once; overshoot at its end is small).
_FED_FACTOR = 4
#: Image bytes the scan may produce in all, as a multiple of ``max_uncompressed``.
_IMAGE_BUDGET = 4
#: How far back from ``stream`` its dictionary is looked for.
_DICT_WINDOW = 16 * 1024
#: ``stream`` (not ``endstream``), whitespace, then the first byte of a zlib header.
_STREAM = re.compile(rb"(?<![A-Za-z])stream[ \t\r\n\f\x00]*(?=[\x08\x18\x28\x38\x48\x58\x68\x78])")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_WIDTH = re.compile(rb"/Width\s+(\d{1,6})(?!\s+\d+\s+R)")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,6})(?!\s+\d+\s+R)")
_BITS = re.compile(rb"/BitsPerComponent\s+(\d{1,2})\b")
#: Components per pixel by colour space name (anything else: 4, the most).
_COMPONENTS = (
    (re.compile(rb"/ColorSpace\s*/DeviceGray\b"), 1),
    (re.compile(rb"/ColorSpace\s*/DeviceRGB\b"), 3),
)
#: Slack for a predictor byte per row and padding.
_IMAGE_SLACK = 64 * 1024
_RAISE_HINT = "raise it with --max-uncompressed-mb (Limits.max_uncompressed) if the file is trusted"


def check_streams(data: bytes, limits: Limits) -> None:
    """Raise :class:`TooLarge` if the PDF's streams unpack past the limits."""
    scan = _Scan(limits, memoryview(data), fed_budget=_FED_FACTOR * len(data) + 16 * MIB)
    previous = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        window = data[max(previous, match.start() - _DICT_WINDOW) : match.start()]
        previous = start
        if not _is_zlib(data[start : start + 2]):
            continue
        scan.streams += 1
        if scan.streams > _MAX_STREAMS:
            raise TooLarge(
                f"the PDF holds more than {_MAX_STREAMS:,} compressed streams, far more than "
                "any plan (a crafted file?)"
            )
        scan.stream(start, _image_cap(window))


@define
class _Scan:
    """What the scan of one file has produced and read so far."""

    limits: Limits
    view: memoryview
    fed_budget: int
    streams: int = 0
    total: int = 0  # bytes produced by streams other than images
    images: int = 0  # bytes produced by images
    fed: int = 0  # compressed bytes handed to zlib, over every stream

    def stream(self, start: int, image_cap: int | None) -> None:
        """Inflate the stream whose data starts at ``start``, counting what comes out."""
        limits = self.limits
        produced = 0
        first_fed = self.fed
        for chunk in _layers(self._raw(start), _MAX_LAYERS):
            produced += len(chunk)
            if image_cap is not None:
                self.images += len(chunk)
                if produced > image_cap:
                    raise TooLarge(
                        "a stream of the PDF unpacks to more than the image it declares "
                        "(a possible decompression bomb; stopped while unpacking)"
                    )
                if self.images > _IMAGE_BUDGET * limits.max_uncompressed:
                    raise TooLarge(
                        "the PDF's images unpack to more than "
                        f"{_IMAGE_BUDGET * limits.max_uncompressed / MIB:.0f} MiB (if it is a "
                        "scanned plan it needs OCR anyway; otherwise "
                        f"{_RAISE_HINT})"
                    )
                continue
            self.total += len(chunk)
            if self.total > limits.max_uncompressed:
                raise TooLarge(
                    "the PDF's compressed streams unpack to more than the "
                    f"{limits.max_uncompressed / MIB:.0f} MiB limit on unpacked size "
                    f"(stopped while unpacking; {_RAISE_HINT})"
                )
            ratio = produced / max(self.fed - first_fed, 1)
            if produced > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
                raise TooLarge(
                    f"a stream of the PDF unpacks at over {limits.max_zip_ratio:.0f} to 1, "
                    "the limit on compression ratio (a possible decompression bomb; "
                    "stopped while unpacking; raise Limits.max_zip_ratio if the file is trusted)"
                )

    def _raw(self, start: int) -> Iterator[bytes]:
        """The file's bytes from ``start`` on, in growing chunks (zlib stops at its own end)."""
        size = _FIRST_CHUNK
        offset = start
        while offset < len(self.view):
            chunk = bytes(self.view[offset : offset + size])
            self.fed += len(chunk)
            # Each stream may overshoot its end by about its first chunk.
            if self.fed > self.fed_budget + _FIRST_CHUNK * self.streams:
                raise Unreadable(
                    "the PDF is damaged or crafted: its compressed streams overlap one another"
                )
            yield chunk
            offset += len(chunk)
            size = min(size * 2, _CHUNK)


def _is_zlib(head: bytes) -> bool:
    """A zlib header: deflate method, a valid window size, and its check bits."""
    return (
        len(head) == 2
        and head[0] & 0x0F == 8
        and head[0] >> 4 <= 7
        and (head[0] << 8 | head[1]) % 31 == 0
    )


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


def _image_cap(window: bytes) -> int | None:
    """The most bytes the image this dictionary declares can need, or None if it is no image."""
    start = window.rfind(b"obj")
    window = window[start + 3 :] if start >= 0 else window
    if not _IMAGE.search(window):
        return None
    width, height = _WIDTH.search(window), _HEIGHT.search(window)
    if width is None or height is None:
        return None
    bits = _BITS.search(window)
    depth = max(int(bits.group(1)), 8) if bits is not None else 8
    components = next((n for pattern, n in _COMPONENTS if pattern.search(window)), 4)
    w, h = int(width.group(1)), int(height.group(1))
    return w * h * components * depth // 8 + h + _IMAGE_SLACK
