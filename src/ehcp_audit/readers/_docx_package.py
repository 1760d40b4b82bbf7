"""The zip container of a Word document: limits first, then parts on demand.

Internal to :mod:`ehcp_audit.readers.docx`. A hostile file must be refused
before it costs anything, so the zip directory is checked against the
:class:`~ehcp_audit._limits.Limits` (total unpacked size, per-part ratio)
before a single part is inflated; parts are then inflated a chunk at a time
and the bytes really produced are counted against the same limits (see
:mod:`._zip_inflate`: the directory may lie). Parts are found by name
case-insensitively, as Word does, relationships are resolved as OPC part
names (POSIX paths from the package root: :func:`rels_partname`,
:func:`resolve_target`; importing python-docx for them cost every audit of a
Word plan 35 ms), and XML is parsed with a
hardened parser (no entities, no network, no DTD). Every failure becomes
:class:`~ehcp_audit._errors.Unreadable` or :class:`~ehcp_audit._errors.TooLarge`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any

from lxml import etree

from .._errors import TooLarge, Unreadable
from .._limits import MIB, Limits
from ._docx_xml import FTR_REF, HDR_REF, R_ID, RELATIONSHIP
from ._zip_inflate import RATIO_FLOOR, Budget, MemberReader

#: A DTD declaring entities: Word never writes one, an entity bomb needs one.
_ENTITY_DECLARATION = b"<!ENTITY"


class Package:
    """The zip container: checked for bombs first, then read part by part."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self._data = data
        self._budget = Budget(limits)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,  # e.g. a zip claiming to span several disks
        ):
            raise Unreadable(
                "the Word document is damaged or truncated (not a valid zip)"
            ) from None
        check_sizes(infos, limits)
        self._names = {info.filename.lower(): info.filename for info in infos}
        self._parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
        )
        self._rels: dict[str, dict[str, tuple[str, str]]] = {}
        # The usual main part name saves reading the package relationships.
        self.main = "/word/document.xml"
        if self._member(self.main) is None:
            main = self.related("/", "officeDocument")
            self.main = main if main is not None and self._member(main) else self.main

    def _member(self, partname: str) -> str | None:
        return self._names.get(partname.lstrip("/").lower())

    def blob(self, partname: str | None) -> bytes | None:
        """A part's bytes, or None when the package lacks it."""
        member = self._member(partname) if partname is not None else None
        if member is None:
            return None
        reader = MemberReader(self._data, self._zip.getinfo(member), self._budget)
        try:
            return reader.read()
        finally:
            reader.close()

    def xml(self, partname: str | None, blob: bytes | None = None) -> Any:
        """The parsed root of a part, or None when the package lacks it."""
        if blob is None:
            blob = self.blob(partname)
            if blob is None:
                return None
        try:
            return etree.fromstring(blob, self._parser)
        except (etree.XMLSyntaxError, ValueError):
            if _ENTITY_DECLARATION in blob:
                raise Unreadable(
                    f"the Word document's part {partname} declares XML entities whose "
                    "expansion is refused (entity expansion: a possible 'billion laughs' "
                    "entity bomb; Word never writes entity declarations)"
                ) from None
            raise Unreadable(
                f"the Word document is damaged: its part {partname} is not well-formed XML"
            ) from None

    def fingerprint(self, partname: str | None) -> tuple[int, int, int] | None:
        """A part's (CRC-32, size, compressed size) from the zip directory, or None.

        Cheap (nothing is inflated) and the same for byte-identical parts, so
        it keys what is shared between plans made from one template.
        """
        member = self._member(partname) if partname is not None else None
        if member is None:
            return None
        info = self._zip.getinfo(member)
        return (info.CRC, info.file_size, info.compress_size)

    def stream(self, partname: str | None) -> MemberReader | None:
        """An inflating reader over a part (within the package's budget), or None."""
        member = self._member(partname) if partname is not None else None
        if member is None:
            return None
        return MemberReader(self._data, self._zip.getinfo(member), self._budget)

    def parse(self, blob: bytes) -> Any:
        return etree.fromstring(blob, self._parser)

    def rels(self, partname: str) -> dict[str, tuple[str, str]]:
        """``{rId: (type, target)}`` for a part's internal relationships (targets as written)."""
        cached = self._rels.get(partname)
        if cached is not None:
            return cached
        rels: dict[str, tuple[str, str]] = {}
        root = self.xml(rels_partname(partname))
        if root is not None:
            for rel in root:
                rid, kind, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
                if rel.tag != RELATIONSHIP or not rid or not kind or not target:
                    continue
                if rel.get("TargetMode") != "External":
                    rels[rid] = (kind, target)
        self._rels[partname] = rels
        return rels

    def target(self, partname: str, rid: str) -> str | None:
        """The part name a relationship of ``partname`` points at."""
        rel = self.rels(partname).get(rid)
        if rel is None:
            return None
        try:
            return resolve_target(partname, rel[1])
        except ValueError:
            return None

    def related(self, partname: str, kind: str) -> str | None:
        """The first part ``partname`` relates to by a relationship type ending in ``kind``."""
        for rid, (rel_kind, _) in self.rels(partname).items():
            if rel_kind.endswith(kind) and rel_kind.rsplit("/", 1)[-1] == kind:
                return self.target(partname, rid)
        return None

    def furniture(self, sections: list[Any]) -> list[str]:
        """Header and footer parts referenced by the sections, in document order, once."""
        parts: list[str] = []
        seen: set[str] = set()  # relationship ids already resolved: each section repeats them
        for sect in sections:
            for ref in sect:
                if ref.tag != HDR_REF and ref.tag != FTR_REF:
                    continue
                rid = ref.get(R_ID) or ""
                if rid in seen:
                    continue
                seen.add(rid)
                part = self.target(self.main, rid)
                if part is not None and part not in parts:
                    parts.append(part)
        return parts


def check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip bomb from its directory, before anything is inflated."""
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise TooLarge(
            f"the Word document would unpack to {total / MIB:.0f} MiB, over the "
            f"{limits.max_uncompressed / MIB:.0f} MiB limit"
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_zip_ratio:
                raise TooLarge(
                    f"a part of the Word document is compressed {ratio:.0f} to 1, over the "
                    f"{limits.max_zip_ratio:.0f} to 1 limit (a possible zip bomb)"
                )


def rels_partname(partname: str) -> str:
    """The part holding ``partname``'s relationships: ``/word/_rels/document.xml.rels``.

    The package's own relationships (``/``) are ``/_rels/.rels``. Raises
    ValueError for a name that does not start at the package root.
    """
    folder, name = posixpath.split(_rooted(partname))
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve_target(partname: str, target: str) -> str:
    """The part name a relationship ``target`` of ``partname`` points at.

    A relative target is read from ``partname``'s folder (``../media/a.png``
    from ``/word/document.xml`` is ``/media/a.png``); an absolute one stands.
    """
    folder = posixpath.split(_rooted(partname))[0]
    return posixpath.abspath(posixpath.join(folder, target))


def _rooted(partname: str) -> str:
    if not partname.startswith("/"):
        raise ValueError(f"a part name starts with '/', not {partname[:1]!r}")
    return partname
