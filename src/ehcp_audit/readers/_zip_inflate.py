"""Inflate zip members in bounded steps, counting the bytes really produced.

Internal to the DOCX reader. The zip directory says how big each member
is, and :func:`~ehcp_audit.readers._docx_package.check_sizes` refuses a
package whose directory owns up to being a bomb. But the directory can lie:
a member claiming 1,000 bytes may inflate to gigabytes, and ``zipfile``'s
``read()`` asks zlib for up to 2 GiB in a single call before it notices.
So members are inflated here, from their raw bytes, a chunk at a time, and
what comes out (not what the directory claims) is counted against the
package's budget (``Limits.max_uncompressed``) and against the ratio limit
(``Limits.max_zip_ratio``). The first chunk over either limit stops the
read with :class:`~ehcp_audit._errors.TooLarge`; nothing more is inflated.

Before any of that, :func:`check_member_count` refuses a zip listing more
members than a document has: ``zipfile`` itself would spend hundreds of
megabytes listing them.

Only the two methods Word and LibreOffice write are read: stored and
deflated. A member that ends early, inflates to another size than its
directory entry says, or fails its CRC is damaged:
:class:`~ehcp_audit._errors.Unreadable`.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from attrs import define

from .._errors import TooLarge, Unreadable
from .._limits import MIB, Limits

#: Bytes asked of zlib per step: small enough that a bomb is stopped within
#: one chunk of a limit, large enough that ordinary parts take few steps.
CHUNK = 256 * 1024
#: Members that produce less than this are not ratio-checked: tiny XML parts
#: compress extremely well and are harmless.
RATIO_FLOOR = MIB
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED_FLAG = 0x1

_RAISE_HINT = "raise it with --max-uncompressed-mb (Limits.max_uncompressed) if the file is trusted"


@define
class Budget:
    """Uncompressed bytes a package may still produce, over every member read."""

    limits: Limits
    used: int = 0

    def spend(self, size: int) -> None:
        self.used += size
        if self.used > self.limits.max_uncompressed:
            raise TooLarge(
                "the Word document unpacks to more than the "
                f"{self.limits.max_uncompressed / MIB:.0f} MiB limit on unpacked size "
                f"(stopped while unpacking; {_RAISE_HINT})"
            )


def _damaged(what: str) -> Unreadable:
    return Unreadable(f"the Word document is damaged or truncated ({what})")


class MemberReader:
    """A file-like ``read(n)`` over one member, inflated step by step within a budget."""

    def __init__(self, data: bytes, info: zipfile.ZipInfo, budget: Budget) -> None:
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise Unreadable("the Word document's zip uses encryption, which cannot be read")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unreadable(
                "the Word document's zip uses a compression method Word does not write "
                f"(method {info.compress_type}), which cannot be read"
            )
        start = _data_offset(data, info)
        self._raw = memoryview(data)[start : start + info.compress_size]
        if len(self._raw) < info.compress_size:
            raise _damaged("a part is cut short")
        self._info = info
        self._budget = budget
        self._inflater = (
            zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        )
        self._fed = 0  # raw bytes handed to the inflater (or copied, when stored)
        self._tail = b""  # raw bytes zlib has been given but not yet consumed
        self._produced = 0
        self._crc = 0
        self._done = False

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (all that is left when ``n`` < 0); b"" at the end."""
        if n is None or n < 0:
            parts = []
            while chunk := self.read(CHUNK):
                parts.append(chunk)
            return b"".join(parts)
        out = b""
        while not out and not self._done and n > 0:  # zlib may need more input first
            out = self._step(min(n, CHUNK))
            self._account(out)
        return out

    def close(self) -> None:
        self._raw.release()

    def _step(self, n: int) -> bytes:
        if self._inflater is None:
            out = bytes(self._raw[self._fed : self._fed + n])
            self._fed += len(out)
            self._done = self._fed >= len(self._raw)
            return out
        if not self._tail and self._fed < len(self._raw):
            self._tail = bytes(self._raw[self._fed : self._fed + CHUNK])
            self._fed += len(self._tail)
        try:
            out = self._inflater.decompress(self._tail, n)
        except zlib.error:
            raise _damaged("a part cannot be unpacked") from None
        self._tail = self._inflater.unconsumed_tail
        if self._inflater.eof:
            self._done = True
        elif not out and not self._tail and self._fed >= len(self._raw):
            raise _damaged("a part ends early")
        return out

    def _account(self, out: bytes) -> None:
        self._produced += len(out)
        self._budget.spend(len(out))
        limits = self._budget.limits
        if self._produced > RATIO_FLOOR:
            # Per compressed byte read so far: a bomb is stopped in its first mebibytes.
            ratio = self._produced / max(self._fed - len(self._tail), 1)
            if ratio > limits.max_zip_ratio:
                raise TooLarge(
                    f"a part of the Word document unpacks at over {limits.max_zip_ratio:.0f} "
                    "to 1, the limit on compression ratio (a possible zip bomb; stopped "
                    "while unpacking; raise Limits.max_zip_ratio if the file is trusted)"
                )
        self._crc = zlib.crc32(out, self._crc)
        if self._done and (self._produced != self._info.file_size or self._crc != self._info.CRC):
            raise _damaged("a part does not match its entry in the zip directory")


#: Zip members a document may have: Word writes tens, a plan with many
#: pictures hundreds. Each costs ``zipfile`` about 800 bytes to list, so a
#: 50 MB zip of empty members would take half a gigabyte just to open.
MAX_MEMBERS = 10_000
_CENTRAL_ENTRY = b"PK\x01\x02"


def check_member_count(data: bytes) -> None:
    """Refuse a zip of more than :data:`MAX_MEMBERS` members, before ``zipfile`` lists them.

    The central directory's entries are counted by their signature (in C,
    over the whole file): ``zipfile`` reads every entry the directory holds
    whatever count its end record states, so the record is not trusted.
    """
    count = data.count(_CENTRAL_ENTRY)
    if count > MAX_MEMBERS:
        raise TooLarge(
            f"the file is a zip of {count:,} members, over the limit of {MAX_MEMBERS:,} "
            "(a Word document has tens; a crafted file?)"
        )


def _data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where a member's raw bytes start: after its local header, name and extra field."""
    header = data[info.header_offset : info.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise _damaged("a part's header is cut short")
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        raise _damaged("a part's header is missing")
    name_length, extra_length = fields[-2], fields[-1]
    return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
