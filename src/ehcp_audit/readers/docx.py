"""Read a Word (.docx) plan into a :class:`~ehcp_audit._model.Document`.

Internal. Real plans are built from council templates: personal details in
tables, B/F/E tables per area of need, content controls, text boxes, tracked
changes left in, tick boxes. python-docx's object model is blind to most of
that (content controls, text boxes, nested tables in reading order) and slow
on the rest, so the reader uses python-docx only for what it is good at
(part-name resolution, style-name aliases) and walks the WordprocessingML
itself with lxml, in ONE pass over ``word/document.xml``. (``docx.Document()``
alone costs about twice a raw lxml parse of the body, which would leave no
room under the reader's performance budget of three times that parse, and it
refuses macro-enabled or template packages that Word opens happily.) Styles
are looked up lazily and remembered per styles part across plans; see
:class:`_StyleIndex` and :class:`_StyleMemo`.

What a block's text is, so that character offsets can anchor Word comments:
the text as a reader sees it with all tracked changes accepted. ``w:ins`` and
``w:moveTo`` text is in, ``w:del``/``w:delText`` and ``w:moveFrom`` are out;
field codes are out and field results in; ``w:tab`` is ``"\\t"``, ``w:br`` and
``w:cr`` are ``"\\n"``, ``w:noBreakHyphen`` is ``"-"``, soft hyphens are
dropped, ``w:sym`` becomes the Unicode character it draws (``"\\ufffd"`` when
it cannot be named); hidden (``w:vanish``) text is out.

Checkboxes (legacy ``FORMCHECKBOX`` fields and ``w14:checkbox`` content
controls) stay part of their paragraph or cell text as written (a content
control's glyph such as "☒" is real text; a legacy box draws nothing), and
each also becomes a FORM_FIELD block right after its host block: ``checked``
is its state and ``text`` the label beside it (the text after the box up to
the next box or line end, else the text before it; "" when there is none).
A form field inside a table carries its host cell's :class:`CellRef`. So a
FORM_FIELD block repeats a few words of the block before it; consumers that
join text may skip FORM_FIELD blocks.

Tables: every visible cell is one TABLE_CELL block, even when empty, so the
grid of combined B/F/E tables stays visible. Its paragraphs are joined by
``"\\n"`` (empty ones left out); a vertically merged continuation cell emits
nothing. Nested tables, text boxes and form fields found in a cell follow
the cell's block. Tables in headers and footers are numbered separately
(from 1) from body tables. A paragraph in a table cell is described by its
cell block: hints (style, heading level, font size) come from the cell's
first non-empty paragraph, ``bold`` is true when all of them are bold.

Hints: ``style`` is the paragraph style's name as Word shows it ("Heading
1"); a style that is, or is based on, Heading N gives ``heading_level`` N
(Title gives 0) from HEADING_STYLE, else an outline level below 9 on the
paragraph or its style gives level+1 from OUTLINE_LEVEL; either makes the
block a HEADING. Numbering (``w:numPr``, direct or by style; ``numId`` 0
removes it) or a style name starting "List" makes a LIST_ITEM. ``bold`` is
true when every visible run is bold (run, character style, paragraph style,
document defaults); ``font_size`` is the size, in points, the paragraph's
visible text starts in; ``body_font_size`` is the size most of the body's
characters are set in.

Placeholders: blocks inside a block-, row- or cell-level content control
showing its placeholder (``w:showingPlcHdr``) are ``placeholder=True``; a
paragraph or cell is also a placeholder when at least half of its visible
characters are the prompt text of run-level placeholder controls.

Known simplifications: table-style conditional formatting (a bold first row
from the table style) is not seen by ``bold``; toggle properties are taken
from the nearest definition; a deleted paragraph mark does not merge the
paragraph with the next one; text hidden only through a character style is
missed in documents with no direct ``w:vanish``. Strict Open XML files are
refused with a hint.
"""

from __future__ import annotations

import functools
import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any, NamedTuple

import attrs
from docx.opc.packuri import PackURI
from docx.styles import BabelFish
from lxml import etree

from .._errors import InputError, TooLarge, Unreadable, UnsupportedFormat
from .._limits import MIB, Limits
from .._model import Block, BlockKind, CellRef, Document, FoundBy, SourceFormat

# Zip members smaller than this are not ratio-checked: tiny XML parts
# compress extremely well and are harmless.
_RATIO_FLOOR = MIB

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def _w(name: str) -> str:
    return f"{{{_W_NS}}}{name}"


_DOCUMENT = _w("document")
_BODY = _w("body")
_P = _w("p")
_R = _w("r")
_T = _w("t")
_PPR = _w("pPr")
_RPR = _w("rPr")
_PSTYLE = _w("pStyle")
_RSTYLE = _w("rStyle")
_NUMPR = _w("numPr")
_NUMID = _w("numId")
_OUTLINE = _w("outlineLvl")
_B = _w("b")
_SZ = _w("sz")
_VANISH = _w("vanish")
_VAL = _w("val")
_TBL = _w("tbl")
_TR = _w("tr")
_TC = _w("tc")
_TRPR = _w("trPr")
_TCPR = _w("tcPr")
_GRID_BEFORE = _w("gridBefore")
_GRID_SPAN = _w("gridSpan")
_VMERGE = _w("vMerge")
_HMERGE = _w("hMerge")
_DEL = _w("del")
_SDT = _w("sdt")
_SDTPR = _w("sdtPr")
_SDT_CONTENT = _w("sdtContent")
_SHOWING_PLC = _w("showingPlcHdr")
_CUSTOM_XML = _w("customXml")
_TXBX = _w("txbxContent")
_FLDCHAR = _w("fldChar")
_FLDTYPE = _w("fldCharType")
_FFDATA = _w("ffData")
_CHECKBOX = _w("checkBox")
_CHECKED = _w("checked")
_DEFAULT = _w("default")
_SYM = _w("sym")
_FONT = _w("font")
_CHAR = _w("char")
_SECTPR = _w("sectPr")
_HDR_REF = _w("headerReference")
_FTR_REF = _w("footerReference")
_STYLE = _w("style")
_NAME = _w("name")
_BASED_ON = _w("basedOn")
_TYPE = _w("type")
_STYLE_ID = _w("styleId")
_DOC_DEFAULTS = _w("docDefaults")
_W14_CHECKBOX = f"{{{_W14_NS}}}checkbox"
_W14_CHECKED = f"{{{_W14_NS}}}checked"
_W14_VAL = f"{{{_W14_NS}}}val"
_ALT = f"{{{_MC_NS}}}AlternateContent"
_CHOICE = f"{{{_MC_NS}}}Choice"
_FALLBACK = f"{{{_MC_NS}}}Fallback"
_M_T = f"{{{_M_NS}}}t"
_M_PARA = f"{{{_M_NS}}}oMathPara"
_M_MATH = f"{{{_M_NS}}}oMath"
_R_ID = f"{{{_R_NS}}}id"
_RELATIONSHIP = f"{{{_REL_NS}}}Relationship"

#: Run children that stand for one fixed piece of text.
_CHARS = {
    _w("tab"): "\t",
    _w("ptab"): "\t",
    _w("br"): "\n",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "-",
}
#: Paragraph-level wrappers whose runs are read as if they were direct children.
_INLINE_WRAPPERS = frozenset(
    _w(n)
    for n in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")
)
#: Run children that may hold a text box.
_GRAPHICS = frozenset(_w(n) for n in ("drawing", "pict", "object"))
#: Block-level wrappers whose children are read as if they were direct children.
_BLOCK_WRAPPERS = frozenset(_w(n) for n in ("customXml", "ins", "moveTo"))

_OFF = frozenset({"0", "false", "off", "none"})
#: The root start tag of an XML part (after any declaration, comments or DOCTYPE).
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(?:\s[^>]*)?/?>")
_W_PREFIX = re.compile(
    rb"\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*[\"']" + re.escape(_W_NS.encode()) + rb"[\"']"
)
_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_CHECK_GLYPHS = "☐☑☒✓✔✗✘□■"

#: w:sym glyphs from the symbol fonts plans use for boxes, ticks and bullets.
_SYMBOLS: dict[str, dict[int, str]] = {
    "wingdings": {
        0x6F: "□", 0x71: "❑", 0xA8: "☐", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
        0x78: "☒", 0x6C: "●", 0x6E: "■", 0xA7: "▪", 0x9F: "•", 0xD8: "➢", 0xE0: "➔",
    },
    "wingdings 2": {0x4F: "✗", 0x50: "✓", 0x51: "☒", 0x52: "☑", 0x53: "☒", 0x54: "☒", 0xA3: "☐"},
    "symbol": {0xB7: "•", 0xD6: "√", 0xAE: "→", 0xB3: "≥", 0xA3: "≤", 0xB4: "×"},
}  # fmt: skip


def read(data: bytes, limits: Limits) -> Document:
    """Read DOCX ``data`` into a Document; every failure is a typed InputError."""
    try:
        return _read(data, limits)
    except InputError:
        raise
    except RecursionError:
        raise Unreadable("the Word document is nested too deeply to read") from None
    except MemoryError:
        raise
    except Exception as exc:  # the contract: no other exception escapes for any bytes
        raise Unreadable(f"the Word document could not be read ({type(exc).__name__})") from None


def _read(data: bytes, limits: Limits) -> Document:
    package = _Package(data, limits)
    blob = package.blob(package.main)
    if blob is None:
        raise Unreadable("the Word document has no main document part (word/document.xml)")
    root = package.xml(package.main, blob)
    if root.tag != _DOCUMENT:
        if isinstance(root.tag, str) and root.tag.startswith(f"{{{_STRICT_W_NS}}}"):
            raise UnsupportedFormat(
                "this Word document is saved as 'Strict Open XML', which is not supported. "
                "Save it as an ordinary Word Document (.docx) and audit that."
            )
        raise Unreadable("word/document.xml is not a Word document body")
    styles_part = package.related(package.main, "styles")
    styles = _Styles(lambda: package.stream(styles_part), package.parse, package.memo(styles_part))
    walker = _Walker(styles, check_vanish=b"vanish" in blob)
    body = _child(root, _BODY)
    if body is not None:
        walker.blocks(body, walker.out, False, None)
    furniture = _Walker(styles)
    for part in package.furniture(walker.sections):
        part_root = package.xml(part)
        if part_root is not None:
            furniture.blocks(part_root, furniture.out, False, None)
    body_size = _body_font_size(walker.out)
    return Document(
        format=SourceFormat.DOCX,
        blocks=_finish(walker.out, body_size),
        furniture=_finish(furniture.out, body_size),
    )


# ---------------------------------------------------------------- package ---


class _Package:
    """The zip container: checked for bombs first, then read part by part."""

    def __init__(self, data: bytes, limits: Limits) -> None:
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
        _check_sizes(infos, limits)
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
        try:
            return self._zip.read(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise Unreadable(
                "the Word document is damaged or truncated (a part cannot be unpacked)"
            ) from None
        except (NotImplementedError, RuntimeError):
            raise Unreadable(
                "the Word document's zip uses encryption or a compression method "
                "that cannot be read"
            ) from None

    def xml(self, partname: str | None, blob: bytes | None = None) -> Any:
        """The parsed root of a part, or None when the package lacks it."""
        if blob is None:
            blob = self.blob(partname)
            if blob is None:
                return None
        try:
            return etree.fromstring(blob, self._parser)
        except (etree.XMLSyntaxError, ValueError):
            raise Unreadable(
                f"the Word document is damaged: its part {partname} is not well-formed XML"
            ) from None

    def memo(self, partname: str | None) -> _StyleMemo | None:
        """The shared style memo for a styles part, by its zip directory entry."""
        member = self._member(partname) if partname is not None else None
        if member is None:
            return None
        info = self._zip.getinfo(member)
        return _style_memo((info.CRC, info.file_size, info.compress_size))

    def stream(self, partname: str | None) -> Any:
        """An inflating reader over a part, or None when the package lacks it."""
        member = self._member(partname) if partname is not None else None
        if member is None:
            return None
        try:
            return self._zip.open(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise Unreadable(
                "the Word document is damaged or truncated (a part cannot be unpacked)"
            ) from None
        except (NotImplementedError, RuntimeError):
            raise Unreadable(
                "the Word document's zip uses encryption or a compression method "
                "that cannot be read"
            ) from None

    def parse(self, blob: bytes) -> Any:
        return etree.fromstring(blob, self._parser)

    def rels(self, partname: str) -> dict[str, tuple[str, str]]:
        """``{rId: (type, target)}`` for a part's internal relationships (targets as written)."""
        cached = self._rels.get(partname)
        if cached is not None:
            return cached
        rels: dict[str, tuple[str, str]] = {}
        root = self.xml(PackURI(partname).rels_uri)
        if root is not None:
            for rel in root:
                rid, kind, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
                if rel.tag != _RELATIONSHIP or not rid or not kind or not target:
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
            return PackURI.from_rel_ref(PackURI(partname).baseURI, rel[1])
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
        for sect in sections:
            for ref in sect:
                if ref.tag != _HDR_REF and ref.tag != _FTR_REF:
                    continue
                part = self.target(self.main, ref.get(_R_ID) or "")
                if part is not None and part not in parts:
                    parts.append(part)
        return parts


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip bomb from its directory, before anything is inflated."""
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise TooLarge(
            f"the Word document would unpack to {total / MIB:.0f} MiB, over the "
            f"{limits.max_uncompressed / MIB:.0f} MiB limit"
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_zip_ratio:
                raise TooLarge(
                    f"a part of the Word document is compressed {ratio:.0f} to 1, over the "
                    f"{limits.max_zip_ratio:.0f} to 1 limit (a possible zip bomb)"
                )


# ----------------------------------------------------------------- styles ---


class _ParaStyle:
    """A paragraph style resolved along its ``w:basedOn`` chain, doc defaults last."""

    __slots__ = ("bold", "heading", "name", "numbered", "outline", "size", "vanish")

    def __init__(self) -> None:
        self.name: str | None = None
        self.heading: int | None = None
        self.outline: int | None = None
        self.numbered = False
        self.bold = False
        self.size: float | None = None
        self.vanish = False


class _StyleIndex:
    """Finds ``w:style`` elements in styles.xml without parsing all of it.

    Packages made by python-docx carry a styles part ten times the size of a
    typical plan body (every built-in table style), and parsing it whole
    would cost more than reading the plan. So the part is inflated in chunks
    only as far as needed, style start tags are indexed by id with one byte
    pattern, and only the styles a paragraph asks for are parsed (with the
    same hardened parser, under the part's own root tag so its prefixes
    resolve). A part the scanner does not understand (UTF-16, an unusual
    prefix) is parsed whole instead. A damaged styles part only loses style
    hints; it never stops the plan being read.
    """

    _CHUNK = 32 * 1024
    _OVERLAP = 1024  # rescanned after each chunk, for a start tag cut in two

    def __init__(self, stream: Any, parse: Any, on_damage: Any = None) -> None:
        self._stream = stream
        self._parse = parse
        self._on_damage = on_damage  # called if inflating the part fails
        self._done = stream is None
        self._data = bytearray()
        self._scanned = 0
        self._offsets: dict[str, list[int]] = {}  # style id -> start tag offsets
        self._default_offsets: list[int] = []
        self._tree: dict[str, Any] | None = None  # "kind:id" -> element, after a fallback
        self._cache: dict[str, Any] = {}
        self._default: str | None = None
        self._default_known = False
        self._defaults: dict[str, Any] | None = None
        self._prefix = b""
        self._raw_prefix = b""
        self._root_start = b""
        self._root_end = b""
        if stream is not None:
            self._begin()

    # -- public --

    def element(self, kind: str, sid: str) -> Any:
        """The ``w:style`` element of that type and id, or None."""
        key = f"{kind}:{sid}"
        if key in self._cache:
            return self._cache[key]
        found = None
        if self._tree is not None:
            found = self._tree.get(key)
        elif self._prefix:
            while sid not in self._offsets and self._more():
                pass
            for offset in self._offsets.get(sid, ()):
                element = self._element_at(offset, b"style")
                if element is not None and (element.get(_TYPE) or "paragraph") == kind:
                    found = element
                    break
        self._cache[key] = found
        return found

    def default_para(self) -> str | None:
        """The id of the default paragraph style (``w:default="1"``)."""
        if self._default_known:
            return self._default
        checked = 0
        while self._tree is None and self._prefix:
            for offset in self._default_offsets[checked:]:
                element = self._element_at(offset, b"style")
                sid = element.get(_STYLE_ID) if element is not None else None
                if sid is not None and (element.get(_TYPE) or "paragraph") == "paragraph":
                    self._default = sid
                    self._cache.setdefault(f"paragraph:{sid}", element)
                    break
            checked = len(self._default_offsets)
            if self._default is not None or not self._more():
                break
        self._default_known = True
        return self._default

    @property
    def defaults(self) -> dict[str, Any]:
        """Run properties from ``w:docDefaults`` (which precede all styles)."""
        if self._defaults is None:
            self._defaults = {}
            start = -1
            while self._prefix and self._tree is None:
                start = self._data.find(b"<" + self._raw_prefix + b"docDefaults")
                if start >= 0 or self._offsets or not self._more():
                    break
            element = self._element_at(start, b"docDefaults") if start >= 0 else None
            rpr = _path(element, _w("rPrDefault"), _RPR) if element is not None else None
            if rpr is not None:
                self._defaults = _rpr_props(rpr)
        return self._defaults

    # -- scanning --

    def _begin(self) -> None:
        """Learn the root start tag and the WordprocessingML prefix, or fall back."""
        match = None
        while match is None and len(self._data) < 4 * self._CHUNK and self._read():
            match = _ROOT_TAG.search(self._data)
        if match is None or b"\x00" in self._data[:64]:
            self._whole()
            return
        root = bytes(match.group(0))
        prefix = _W_PREFIX.search(root)
        if prefix is None or match.group(1) != prefix.group(1) + b":styles" or root.endswith(b"/>"):
            self._whole()
            return
        self._raw_prefix = prefix.group(1) + b":"
        self._prefix = re.escape(self._raw_prefix)
        self._root_start = root
        self._root_end = b"</" + bytes(match.group(1)) + b">"
        self._ids, self._defaults_re = _style_patterns(self._prefix)
        self._scanned = match.end()
        self._scan()

    def _read(self) -> bool:
        """Inflate one more chunk; False at the end of the part."""
        if self._done:
            return False
        try:
            chunk = self._stream.read(self._CHUNK)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError):
            chunk = b""
            if self._on_damage is not None:
                self._on_damage()
        if not chunk:
            self._done = True
            return False
        self._data += chunk
        return True

    def _more(self) -> bool:
        if not self._read():
            return False
        self._scan()
        return True

    def _scan(self) -> None:
        data = self._data
        for match in self._ids.finditer(data, self._scanned):
            sid = match.group(1) or match.group(2) or b""
            key = sid.decode("utf-8", "replace")
            if "&" in key:
                key = html.unescape(key)
            offsets = self._offsets.setdefault(key, [])
            if match.start() not in offsets:
                offsets.append(match.start())
        if not self._default_known:  # only until the default style has been found
            for match in self._defaults_re.finditer(data, self._scanned):
                if match.start() not in self._default_offsets:
                    self._default_offsets.append(match.start())
        self._scanned = max(self._scanned, len(data) - self._OVERLAP)

    def _element_at(self, start: int, name: bytes) -> Any:
        """Parse the element whose start tag begins at ``start``, or None."""
        close = b"</" + self._raw_prefix + name + b">"
        while True:
            head_end = self._data.find(b">", start)
            if head_end >= 0:
                if self._data[head_end - 1] == ord("/"):
                    fragment = bytes(self._data[start : head_end + 1])
                    break
                end = self._data.find(close, head_end)
                if end >= 0:
                    fragment = bytes(self._data[start : end + len(close)])
                    break
            if not self._more():
                return None
        try:
            root = self._parse(self._root_start + fragment + self._root_end)
        except (etree.XMLSyntaxError, ValueError):
            return None
        return root[0] if len(root) else None

    def _whole(self) -> None:
        """Fallback: parse the whole part as a tree."""
        self._tree = {}
        self._defaults = {}
        self._default_known = True
        while self._read():
            pass
        try:
            root = self._parse(bytes(self._data))
        except (etree.XMLSyntaxError, ValueError):
            return
        self._data = bytearray()
        for child in root:
            tag = child.tag
            if tag == _STYLE:
                sid = child.get(_STYLE_ID)
                if sid is None:
                    continue
                kind = child.get(_TYPE) or "paragraph"
                self._tree.setdefault(f"{kind}:{sid}", child)
                if kind == "paragraph" and self._default is None and _on(child, _DEFAULT):
                    self._default = sid
            elif tag == _DOC_DEFAULTS:
                rpr = _path(child, _w("rPrDefault"), _RPR)
                if rpr is not None:
                    self._defaults = _rpr_props(rpr)


@functools.lru_cache(maxsize=16)
def _style_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Byte patterns for style start tags by id, and for the default ones."""
    head = rb"<" + prefix + rb"style\s[^>]*?\b" + prefix
    ids = re.compile(head + rb"styleId\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
    default = re.compile(head + rb"default\s*=\s*[\"'](?:1|true|on)[\"']")
    return ids, default


class _StyleMemo:
    """Styles resolved from one styles part, shared by every plan that has it.

    Plans in a batch mostly come from one council template, so their styles
    parts are byte for byte the same; resolving a style again for each plan
    would be wasted work. The memo holds only what styles.xml says (names,
    chains, formatting), never plan text.
    """

    def __init__(self) -> None:
        self.raw: dict[str, dict[str, Any] | None] = {}
        self.para: dict[str | None, _ParaStyle] = {}
        self.char: dict[str, tuple[bool | None, float | None, bool | None]] = {}


@functools.lru_cache(maxsize=32)
def _style_memo(key: tuple[int, int, int]) -> _StyleMemo:
    """The memo for a styles part identified by (CRC-32, size, compressed size)."""
    return _StyleMemo()


class _Styles:
    """Style lookups, each style resolved along its chain once and only when used.

    The index over styles.xml is opened only when a lookup misses the memo.
    """

    def __init__(self, open_stream: Any, parse: Any, memo: _StyleMemo | None = None) -> None:
        self._open_stream = open_stream
        self._parse = parse
        self._opened: _StyleIndex | None = None
        memo = memo or _StyleMemo()
        self._raw = memo.raw
        self._para = memo.para
        self._char = memo.char

    @property
    def _index(self) -> _StyleIndex:
        if self._opened is None:
            self._opened = _StyleIndex(self._open_stream(), self._parse, self._damaged)
        return self._opened

    def _damaged(self) -> None:
        """The styles part cannot be inflated: stop sharing what is read from it."""
        for shared in (self._raw, self._para, self._char):
            shared.clear()
        self._raw, self._para, self._char = {}, {}, {}

    def _props(self, key: str) -> dict[str, Any] | None:
        if key in self._raw:
            return self._raw[key]
        kind, _, sid = key.partition(":")
        element = self._index.element(kind, sid)
        raw: dict[str, Any] | None = None
        if element is not None:
            raw = {}
            for child in element:
                tag = child.tag
                if tag == _NAME:
                    raw["name"] = child.get(_VAL)
                elif tag == _BASED_ON:
                    raw["based_on"] = child.get(_VAL)
                elif tag == _PPR:
                    raw.update(_ppr_props(child))
                elif tag == _RPR:
                    raw.update(_rpr_props(child))
        self._raw[key] = raw
        return raw

    def _chain(self, kind: str, sid: str | None) -> list[dict[str, Any]]:
        chain: list[dict[str, Any]] = []
        seen: set[str] = set()
        while sid is not None and sid not in seen and len(chain) < 32:
            seen.add(sid)
            raw = self._props(f"{kind}:{sid}")
            if raw is None:
                break
            chain.append(raw)
            sid = raw.get("based_on")
        return chain

    def para(self, sid: str | None) -> _ParaStyle:
        """The resolved paragraph style for a ``w:pStyle`` value (None: the default)."""
        cached = self._para.get(sid)
        if cached is None:
            if sid is not None and self._props(f"paragraph:{sid}") is None:
                cached = self.para(None)  # Word falls back to the default style
            else:
                cached = self._resolve(sid if sid is not None else self._index.default_para())
            self._para[sid] = cached
        return cached

    def _resolve(self, sid: str | None) -> _ParaStyle:
        style = _ParaStyle()
        chain = self._chain("paragraph", sid)
        if chain and chain[0].get("name"):
            style.name = BabelFish.internal2ui(chain[0]["name"])
        style.heading = next((h for h in map(_heading_level, chain) if h is not None), None)
        outline = _first(chain, "outline")
        style.outline = outline + 1 if outline is not None and 0 <= outline < 9 else None
        style.numbered = bool(_first(chain, "numbered")) or (
            style.name is not None and style.name.lower().startswith("list")
        )
        chain.append(self._index.defaults)
        style.bold = bool(_first(chain, "bold"))
        style.size = _first(chain, "size")
        style.vanish = bool(_first(chain, "vanish"))
        return style

    def char(self, sid: str) -> tuple[bool | None, float | None, bool | None]:
        """(bold, size, vanish) a character style sets, None where it is silent."""
        cached = self._char.get(sid)
        if cached is None:
            chain = self._chain("character", sid)
            cached = (_first(chain, "bold"), _first(chain, "size"), _first(chain, "vanish"))
            self._char[sid] = cached
        return cached


def _heading_level(raw: dict[str, Any]) -> int | None:
    """Heading N is level N; Title is level 0 (python-docx's convention)."""
    name = (raw.get("name") or "").strip()
    if name.lower() == "title":
        return 0
    match = _HEADING_NAME.fullmatch(name)
    return int(match.group(1)) if match else None


def _first(chain: list[dict[str, Any]], key: str) -> Any:
    for raw in chain:
        value = raw.get(key)
        if value is not None:
            return value
    return None


def _ppr_props(ppr: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for child in ppr:
        tag = child.tag
        if tag == _OUTLINE:
            props["outline"] = _int(child.get(_VAL))
        elif tag == _NUMPR:
            num = _child(child, _NUMID)
            if num is not None:
                props["numbered"] = num.get(_VAL) != "0"
    return props


def _rpr_props(rpr: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for child in rpr:
        tag = child.tag
        if tag == _B:
            props["bold"] = _on(child)
        elif tag == _SZ:
            props["size"] = _half_points(child)
        elif tag == _VANISH:
            props["vanish"] = _on(child)
    return props


def _on(element: Any, attribute: str = _VAL) -> bool:
    """An OnOff property: an element present without ``w:val`` means on."""
    value = element.get(attribute)
    if value is None:
        return attribute == _VAL
    return value.lower() not in _OFF


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _half_points(element: Any) -> float | None:
    half = _int(element.get(_VAL))
    return half / 2 if half is not None and 0 < half < 10000 else None


def _path(element: Any, *tags: str) -> Any:
    """Follow first children with these tags; None when one is missing."""
    for tag in tags:
        element = _child(element, tag)
        if element is None:
            return None
    return element


def _child(parent: Any, tag: str) -> Any:
    """The first child with ``tag`` (a plain loop beats lxml's ElementPath ``find``)."""
    for child in parent:
        if child.tag == tag:
            return child
    return None


# ----------------------------------------------------------------- walker ---


class _Para(NamedTuple):
    """One paragraph as read: its text and the hints for its block."""

    text: str
    vis: int  # visible characters (in pieces that are not all whitespace)
    ph: int  # of which placeholder prompt text
    placeholder: bool
    bold: bool
    size: float | None
    style: str | None
    heading: int | None
    heading_source: FoundBy | None
    is_list: bool
    boxes: list[tuple[int, int, bool]] | None  # (start, end, checked) per checkbox
    textboxes: list[Any] | None


#: A block before its index is known: kind, text, cell, style, heading_level,
#: heading_source, bold, font_size, checked, placeholder.
_Record = tuple[
    BlockKind, str, "CellRef | None", "str | None", "int | None", "FoundBy | None", bool,
    "float | None", "bool | None", bool,
]  # fmt: skip


class _Cell:
    """What a table cell's content produced, before its CellRef is known."""

    __slots__ = ("fields", "paras", "sub")

    def __init__(self, paras: list[_Para]) -> None:
        self.paras = paras
        self.fields: list[tuple[str, bool]] = []
        self.sub: list[_Record] = []


class _Walker:
    """One pass over block-level content, emitting block records in reading order.

    Speed matters here (the reader's budget is three times a bare lxml pass
    over the body). The loops iterate children directly and compare tags,
    the fastest way through lxml from Python (``find`` and filtered
    ``iterchildren`` are slower on these small child lists); a paragraph is
    read in one function with local state, descending into wrappers
    (hyperlinks, insertions, content controls) with an explicit stack.
    """

    def __init__(self, styles: _Styles, check_vanish: bool = True) -> None:
        self.styles = styles
        #: False when the document has no direct hidden-text marks, so runs
        #: need not be inspected for them once bold and size are settled.
        self.check_vanish = check_vanish
        self.sections: list[Any] = []  # w:sectPr elements met, for headers and footers
        self.default_style = styles.para(None)
        self.out: list[_Record] = []
        self.tables = 0
        self.parent_table: int | None = None

    # -- block level --

    def blocks(self, container: Any, out: list[_Record], ph: bool, cell: _Cell | None) -> None:
        """Read block-level content (body, cell, text box, content control) into ``out``."""
        for el in container:
            tag = el.tag
            if tag == _P:
                self.paragraph(el, out, ph, cell)
            elif tag == _TBL:
                self.table(el, out, ph)
            elif tag in (_SDT, _ALT) or tag in _BLOCK_WRAPPERS:
                self.wrapper(el, tag, out, ph, cell)
            elif tag == _SECTPR:
                self.sections.append(el)

    def wrapper(self, el: Any, tag: str, out: list[_Record], ph: bool, cell: _Cell | None) -> None:
        """Content controls, custom XML and alternate content around blocks."""
        if tag == _SDT:
            sdt_ph, box = _sdt_props(el)
            content = _child(el, _SDT_CONTENT)
            start = len(cell.paras) if cell is not None else len(out)
            if content is not None:
                self.blocks(content, out, ph or sdt_ph, cell)
            if box is not None:
                _block_checkbox(box, out, cell, start)
        elif tag == _ALT:
            chosen = _choose(el)
            if chosen is not None:
                self.blocks(chosen, out, ph, cell)
        else:
            self.blocks(el, out, ph, cell)

    def paragraph(
        self, p: Any, out: list[_Record], ph: bool, cell: _Cell | None, para: _Para | None = None
    ) -> None:
        if para is None:
            para = self.read_paragraph(p, ph)
        if cell is not None:
            cell.paras.append(para)
            if para.boxes:
                cell.fields.extend(_labels(para))
        else:
            if para.vis:
                if para.heading is not None:
                    kind = BlockKind.HEADING
                elif para.is_list:
                    kind = BlockKind.LIST_ITEM
                else:
                    kind = BlockKind.PARAGRAPH
                heading, source = para.heading, para.heading_source
                record = (kind, para.text, None, para.style, heading, source, para.bold)
                out.append((*record, para.size, None, para.placeholder))
            if para.boxes:
                out.extend(_field_record(label, checked, None) for label, checked in _labels(para))
        if para.textboxes:
            for box in para.textboxes:
                self.blocks(box, out, ph, None)

    def table(self, tbl: Any, out: list[_Record], ph: bool) -> None:
        self.tables += 1
        number = self.tables
        parent = self.parent_table
        self.parent_table = number
        rows: list[list[tuple[int, list[_Para], _Cell | None, bool]]] = []
        try:
            for tr, row_ph in _rows(tbl, ph):
                cells: list[tuple[int, list[_Para], _Cell | None, bool]] = []
                col = 0
                for child in tr:
                    tag = child.tag
                    if tag == _TC:
                        col = self.cell(child, row_ph, col, cells)
                    elif tag == _TRPR:
                        col = _row_start(child)
                        if col < 0:  # a deleted row: gone once changes are accepted
                            break
                    elif tag in (_SDT, _CUSTOM_XML):
                        for tc, cell_ph in _cells(child, row_ph):
                            col = self.cell(tc, cell_ph, col, cells)
                else:
                    rows.append(cells)
        finally:
            self.parent_table = parent
        header = tuple([_cell_text(paras) for _, paras, _, _ in rows[0]]) if rows else ()
        for r, cells in enumerate(rows):
            for col, paras, extra, cell_ph in cells:
                ref = _cell_ref(number, r, col, header, parent)
                out.append(_cell_record(paras, ref, cell_ph))
                if extra is not None:
                    out.extend(
                        _field_record(label, checked, ref) for label, checked in extra.fields
                    )
                    out.extend(extra.sub)

    def cell(
        self, tc: Any, ph: bool, col: int, cells: list[tuple[int, list[_Para], _Cell | None, bool]]
    ) -> int:
        """Read one cell unless it continues a merge; return the next grid column."""
        paras: list[_Para] = []
        extra: _Cell | None = None  # only for cells holding more than paragraphs
        span = 1
        for el in tc:
            tag = el.tag
            if tag == _P:
                para = self.read_paragraph(el, ph)
                if para.boxes is None and para.textboxes is None:
                    paras.append(para)
                else:
                    extra = extra or _Cell(paras)
                    self.paragraph(el, extra.sub, ph, extra, para)
            elif tag == _TCPR:
                for prop in el:
                    ptag = prop.tag
                    if ptag == _GRID_SPAN:
                        span = max(_int(prop.get(_VAL)) or 1, 1)
                    elif ptag in (_VMERGE, _HMERGE) and prop.get(_VAL) in (None, "continue"):
                        return col + span  # a merge continuation: nothing of its own
            elif tag == _TBL:
                extra = extra or _Cell(paras)
                self.table(el, extra.sub, ph)
            elif tag in (_SDT, _ALT) or tag in _BLOCK_WRAPPERS:
                extra = extra or _Cell(paras)
                self.wrapper(el, tag, extra.sub, ph, extra)
        cells.append((col, paras, extra, ph))
        return col + span

    # -- paragraph level --

    def read_paragraph(self, p: Any, block_ph: bool) -> _Para:
        """Read a paragraph's text and hints in one pass (see the module docstring)."""
        style = self.default_style
        parts: list[str] = []
        vis = 0
        prompt = 0
        all_bold = True
        first_size: float | None = None  # the size the paragraph's visible text starts in
        check_vanish = self.check_vanish
        code = 0  # how many enclosing fields are in their code part
        fields: list[bool] = []  # per open field: in its result part yet?
        boxes: list[tuple[int, int, bool]] | None = None
        textboxes: list[Any] | None = None
        direct_num: bool | None = None
        direct_outline: int | None = None
        ph = False  # inside a run-level content control showing its placeholder
        # (parent iterator, its ph, pending checkbox (start, checked) or None)
        stack: list[tuple[Any, bool, tuple[int, bool] | None]] = []
        it = iter(p)
        while True:
            for el in it:
                tag = el.tag
                if tag == _R:
                    bold, size, hidden = style.bold, style.size, style.vanish
                    for item in el:
                        itag = item.tag
                        if itag == _T:
                            text = item.text
                            if not text or hidden or code:
                                continue
                        elif itag == _RPR:
                            # Skipped once nothing it could tell matters any more.
                            if all_bold or first_size is None or check_vanish:
                                bold, size, hidden = self._run_props(item, style)
                            continue
                        elif itag in _CHARS:
                            if hidden or code:
                                continue
                            text = _CHARS[itag]
                        elif itag == _SYM:
                            if hidden or code:
                                continue
                            text = _symbol(item)
                        elif itag == _FLDCHAR:
                            kind = item.get(_FLDTYPE)
                            if kind == "begin":
                                fields.append(False)
                                code += 1
                                checked = _form_checkbox(item)
                                if checked is not None:
                                    pos = sum(map(len, parts))
                                    boxes = (boxes or []) + [(pos, pos, checked)]
                            elif kind == "separate":
                                if fields and not fields[-1]:
                                    fields[-1] = True
                                    code -= 1
                            elif kind == "end" and fields and not fields.pop():
                                code -= 1
                            continue
                        elif itag in _GRAPHICS:
                            textboxes = (textboxes or []) + _textboxes(item)
                            continue
                        elif itag == _ALT:
                            chosen = _choose(item)
                            for graphic in () if chosen is None else chosen:
                                if graphic.tag in _GRAPHICS:
                                    textboxes = (textboxes or []) + _textboxes(graphic)
                            continue
                        else:
                            continue
                        parts.append(text)
                        if not text.isspace():
                            n = len(text)
                            vis += n
                            if ph:
                                prompt += n
                            if not bold:
                                all_bold = False
                            if first_size is None:
                                first_size = size
                elif tag == _PPR:
                    for child in el:
                        ctag = child.tag
                        if ctag == _PSTYLE:
                            style = self.styles.para(child.get(_VAL))
                        elif ctag == _NUMPR:
                            num = _child(child, _NUMID)
                            if num is not None:
                                direct_num = num.get(_VAL) != "0"
                        elif ctag == _OUTLINE:
                            direct_outline = _int(child.get(_VAL))
                        elif ctag == _SECTPR:
                            self.sections.append(child)
                elif tag in _INLINE_WRAPPERS:
                    stack.append((it, ph, None))
                    it = iter(el)
                    break
                elif tag == _SDT:
                    sdt_ph, box = _sdt_props(el)
                    content = _child(el, _SDT_CONTENT)
                    pending = (sum(map(len, parts)), box) if box is not None else None
                    if content is None:
                        if pending is not None:
                            boxes = (boxes or []) + [(pending[0], pending[0], pending[1])]
                        continue
                    stack.append((it, ph, pending))
                    ph = ph or sdt_ph
                    it = iter(content)
                    break
                elif tag == _ALT:
                    chosen = _choose(el)
                    if chosen is not None:
                        stack.append((it, ph, None))
                        it = iter(chosen)
                        break
                elif (tag in (_M_PARA, _M_MATH)) and not code:
                    text = "".join([t.text or "" for t in el.iter(_M_T)])
                    if text and not text.isspace():
                        parts.append(text)
                        vis += len(text)
                        prompt += len(text) if ph else 0
                        all_bold = all_bold and style.bold
                        first_size = style.size if first_size is None else first_size
            else:  # this level is done: back up one
                if not stack:
                    break
                it, ph, pending = stack.pop()
                if pending is not None:
                    boxes = (boxes or []) + [(pending[0], sum(map(len, parts)), pending[1])]

        if block_ph:  # inside a placeholder control, all of it is prompt text
            prompt = vis
        heading: int | None = None
        source: FoundBy | None = None
        if style.heading is not None:
            heading, source = style.heading, FoundBy.HEADING_STYLE
        else:
            outline = style.outline
            if direct_outline is not None:
                outline = direct_outline + 1 if 0 <= direct_outline < 9 else None
            if outline is not None:
                heading, source = outline, FoundBy.OUTLINE_LEVEL
        return _Para(
            "".join(parts),
            vis,
            prompt,
            block_ph or (prompt > 0 and 2 * prompt >= vis),
            vis > 0 and all_bold,
            first_size,
            style.name,
            heading,
            source,
            direct_num if direct_num is not None else style.numbered,
            boxes,
            textboxes,
        )

    def _run_props(self, rpr: Any, style: _ParaStyle) -> tuple[bool, float | None, bool]:
        """A run's effective (bold, size, hidden): direct, then char style, then paragraph."""
        bold: bool | None = None
        size: float | None = None
        hidden: bool | None = None
        rstyle: str | None = None
        for child in rpr:
            tag = child.tag
            if tag == _B:
                bold = _on(child)
            elif tag == _SZ:
                size = _half_points(child)
            elif tag == _RSTYLE:
                rstyle = child.get(_VAL)
            elif tag == _VANISH:
                hidden = _on(child)
        if rstyle is not None:
            c_bold, c_size, c_hidden = self.styles.char(rstyle)
            bold = c_bold if bold is None else bold
            size = c_size if size is None else size
            hidden = c_hidden if hidden is None else hidden
        return (
            style.bold if bold is None else bold,
            style.size if size is None else size,
            style.vanish if hidden is None else hidden,
        )


# ---------------------------------------------------------------- helpers ---


def _choose(alt: Any) -> Any:
    """One branch of an mc:AlternateContent: Choice if there is one, else Fallback.

    Both branches hold the same content (a DrawingML text box and its VML
    copy), so reading one keeps text boxes from being read twice.
    """
    fallback = None
    for branch in alt:
        if branch.tag == _CHOICE:
            return branch
        if branch.tag == _FALLBACK and fallback is None:
            fallback = branch
    return fallback


def _textboxes(graphic: Any) -> list[Any]:
    """Outermost w:txbxContent elements in a drawing (inner ones are read with them)."""
    found: list[Any] = []
    for box in graphic.iter(_TXBX):
        if not any(outer in found for outer in box.iterancestors(_TXBX)):
            found.append(box)
    return found


def _sdt_props(sdt: Any) -> tuple[bool, bool | None]:
    """(showing its placeholder?, checkbox state or None) of a content control."""
    props = _child(sdt, _SDTPR)
    placeholder = False
    box: bool | None = None
    if props is not None:
        for child in props:
            tag = child.tag
            if tag == _SHOWING_PLC:
                placeholder = _on(child)
            elif tag == _W14_CHECKBOX:
                state = _child(child, _W14_CHECKED)
                value = None
                if state is not None:
                    value = state.get(_W14_VAL) or state.get(_VAL)
                box = value is not None and value.lower() in ("1", "true", "on")
    return placeholder, box


def _symbol(sym: Any) -> str:
    """The character a ``w:sym`` draws (symbol fonts use the U+F000 private range)."""
    code = _int_hex(sym.get(_CHAR))
    if code is None:
        return "\ufffd"
    font = (sym.get(_FONT) or "").strip().lower()
    low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    table = _SYMBOLS.get(font)
    if table is not None:
        if low in table:
            return table[low]
        if font == "symbol" and 0x20 <= low < 0x7F and not chr(low).isalpha():
            return chr(low)
        return "\ufffd"
    if 0xE000 <= code <= 0xF8FF or not 0x20 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def _int_hex(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None


def _rows(tbl: Any, ph: bool) -> Iterator[tuple[Any, bool]]:
    """A table's rows in order, through row-level content controls."""
    for child in tbl:
        tag = child.tag
        if tag == _TR:
            yield child, ph
        elif tag == _SDT:
            sdt_ph, _ = _sdt_props(child)
            content = _child(child, _SDT_CONTENT)
            if content is not None:
                yield from _rows(content, ph or sdt_ph)
        elif tag == _CUSTOM_XML:
            yield from _rows(child, ph)


def _cells(wrapper: Any, ph: bool) -> Iterator[tuple[Any, bool]]:
    """The cells inside a cell-level content control or custom XML element."""
    if wrapper.tag == _SDT:
        sdt_ph, _ = _sdt_props(wrapper)
        ph = ph or sdt_ph
        wrapper = _child(wrapper, _SDT_CONTENT)
        if wrapper is None:
            return
    for child in wrapper:
        tag = child.tag
        if tag == _TC:
            yield child, ph
        elif tag in (_SDT, _CUSTOM_XML):
            yield from _cells(child, ph)


def _row_start(trpr: Any) -> int:
    """The grid column a row starts at (``w:gridBefore``), or -1 for a deleted row."""
    start = 0
    for child in trpr:
        tag = child.tag
        if tag == _GRID_BEFORE:
            start = max(_int(child.get(_VAL)) or 0, 0)
        elif tag == _DEL:
            return -1
    return start


def _block_checkbox(checked: bool, out: list[_Record], cell: _Cell | None, start: int) -> None:
    """A checkbox control wrapping whole paragraphs: labelled by their text."""
    if cell is not None:
        label = " ".join(p.text for p in cell.paras[start:])
        cell.fields.append((_label(label), checked))
    else:
        texts = [r[1] for r in out[start:] if r[0] is not BlockKind.FORM_FIELD]
        out.append(_field_record(_label(" ".join(texts)), checked, None))


def _form_checkbox(fld: Any) -> bool | None:
    """The state of a legacy FORMCHECKBOX field from its w:fldChar, None for other fields."""
    data = _child(fld, _FFDATA)
    box = _child(data, _CHECKBOX) if data is not None else None
    if box is None:
        return None
    state = _child(box, _CHECKED)  # w:checked wins over w:default
    if state is None:
        state = _child(box, _DEFAULT)
    return state is not None and _on(state)


def _cell_text(paras: list[_Para]) -> str:
    if len(paras) == 1:
        return paras[0].text if paras[0].vis else ""
    return "\n".join([p.text for p in paras if p.vis])


def _cell_record(paras: list[_Para], ref: CellRef, ph: bool) -> _Record:
    """One TABLE_CELL block for all of a cell's paragraphs (empty ones left out)."""
    if len(paras) == 1:  # the usual cell
        p = paras[0]
        text = p.text if p.vis else ""
        hints = (p.style, p.heading, p.heading_source, p.bold, p.size)
        return (BlockKind.TABLE_CELL, text, ref, *hints, None, ph or p.placeholder)
    filled = [p for p in paras if p.vis]
    if len(filled) == 1:
        lead = filled[0]
        text, vis, prompt, bold = lead.text, lead.vis, lead.ph, lead.bold
    else:
        lead = filled[0] if filled else (paras[0] if paras else None)
        text = "\n".join([p.text for p in filled])
        vis = sum(p.vis for p in filled)
        prompt = sum(p.ph for p in filled)
        bold = bool(filled) and all(p.bold for p in filled)
    if lead is None:
        return (BlockKind.TABLE_CELL, "", ref, None, None, None, False, None, None, ph)
    placeholder = ph or (prompt > 0 and 2 * prompt >= vis)
    hints = (lead.style, lead.heading, lead.heading_source, bold, lead.size)
    return (BlockKind.TABLE_CELL, text, ref, *hints, None, placeholder)


def _field_record(label: str, checked: bool, cell: CellRef | None) -> _Record:
    return (BlockKind.FORM_FIELD, label, cell, None, None, None, False, None, checked, False)


def _labels(para: _Para) -> list[tuple[str, bool]]:
    """(label, checked) per checkbox in a paragraph: the text beside the box."""
    boxes = para.boxes or []
    text = para.text
    found: list[tuple[str, bool]] = []
    for i, (start, end, checked) in enumerate(boxes):
        stop = boxes[i + 1][0] if i + 1 < len(boxes) else len(text)
        label = _label(text[end:stop].split("\n", 1)[0])
        if not label:
            begin = boxes[i - 1][1] if i > 0 else 0
            label = _label(text[begin:start].rsplit("\n", 1)[-1])
        found.append((label, checked))
    return found


def _label(text: str) -> str:
    return text.strip(" \t\n\u00a0\u2002" + _CHECK_GLYPHS)


def _body_font_size(records: list[_Record]) -> float | None:
    """The document's body text size: the size most characters are set in."""
    weights: dict[float, int] = {}
    for record in records:
        size = record[7]
        if size is not None and record[4] is None:
            weights[size] = weights.get(size, 0) + len(record[1])
    if not weights:
        return None
    return max(weights.items(), key=lambda kv: (kv[1], -kv[0]))[0]


#: Block's attribute order; when it holds, blocks are built with positional
#: arguments, a third faster than keywords (it matters for small plans).
_BLOCK_ORDER = (
    "index", "kind", "text", "page", "cell", "style", "heading_level", "heading_source", "bold",
    "font_size", "body_font_size", "checked", "placeholder",
)  # fmt: skip
_POSITIONAL = tuple(a.name for a in attrs.fields(Block)) == _BLOCK_ORDER
_CELL_POSITIONAL = tuple(a.name for a in attrs.fields(CellRef)) == (
    "table", "row", "column", "header", "parent_table",
)  # fmt: skip


def _cell_ref(
    table: int, row: int, column: int, header: tuple[str, ...], parent: int | None
) -> CellRef:
    if _CELL_POSITIONAL:
        return CellRef(table, row, column, header, parent)
    return CellRef(  # pragma: no cover - only if the model's field order ever changes
        table=table, row=row, column=column, header=header, parent_table=parent
    )


def _finish(records: list[_Record], body_size: float | None) -> tuple[Block, ...]:
    """Number the records in order and make them Blocks."""
    if _POSITIONAL:
        return tuple(
            [
                Block(i, kind, text, None, cell, style, level, source, bold, size, body_size, *rest)
                for i, (kind, text, cell, style, level, source, bold, size, *rest) in enumerate(
                    records
                )
            ]
        )
    return tuple(  # pragma: no cover - only if the model's field order ever changes
        [
            Block(
                index=i,
                kind=kind,
                text=text,
                cell=cell,
                style=style,
                heading_level=level,
                heading_source=source,
                bold=bold,
                font_size=size,
                body_font_size=body_size,
                checked=checked,
                placeholder=placeholder,
            )
            for i, (kind, text, cell, style, level, source, bold, size, checked, placeholder) in (
                enumerate(records)
            )
        ]
    )
