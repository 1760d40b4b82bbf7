"""Paragraph and character styles of a Word document, resolved lazily and shared.

Internal to :mod:`ehcp_audit.readers.docx`. A block's hints (style name,
heading level, numbering, bold, size, hidden) depend on its style's
``w:basedOn`` chain and the document defaults. Resolving them is cheap once
but styles.xml can be large, so: :class:`StyleIndex` finds a style's element
without parsing the whole part; :class:`Styles` resolves each style along
its chain once, only when a paragraph asks for it; :class:`StyleMemo` keeps
what was resolved for every later plan whose styles part is byte for byte
the same (a batch from one council template), keyed by the part's zip
checksum, never by plan text.
"""

from __future__ import annotations

import functools
import html
import re
import zipfile
import zlib
from typing import Any

from lxml import etree

from .._errors import Unreadable
from ._docx_xml import (
    BASED_ON,
    DEFAULT,
    DOC_DEFAULTS,
    NAME,
    NUMID,
    NUMPR,
    OUTLINE,
    PPR,
    RPR,
    RPR_DEFAULT,
    STYLE,
    STYLE_ID,
    SZ,
    TYPE,
    VAL,
    VANISH,
    W_NS,
    B,
    child,
    half_points,
    on,
    path,
    to_int,
)

#: The root start tag of an XML part (after any declaration, comments or DOCTYPE).
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(?:\s[^>]*)?/?>")
_W_PREFIX = re.compile(
    rb"\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*[\"']" + re.escape(W_NS.encode()) + rb"[\"']"
)
_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
#: Word stores its built-in styles' names in lower case ("heading 1") and shows them
#: capitalised ("Heading 1"): the names as a person sees them, as python-docx maps them.
_UI_NAMES = {
    "caption": "Caption",
    "footer": "Footer",
    "header": "Header",
    **{f"heading {level}": f"Heading {level}" for level in range(1, 10)},
}


class ParaStyle:
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


class StyleIndex:
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
                if element is not None and (element.get(TYPE) or "paragraph") == kind:
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
                sid = element.get(STYLE_ID) if element is not None else None
                if sid is not None and (element.get(TYPE) or "paragraph") == "paragraph":
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
            rpr = path(element, RPR_DEFAULT, RPR) if element is not None else None
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
        except (Unreadable, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            # A damaged styles part costs the styles, not the plan (too_large still stops it).
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
        for el in root:
            tag = el.tag
            if tag == STYLE:
                sid = el.get(STYLE_ID)
                if sid is None:
                    continue
                kind = el.get(TYPE) or "paragraph"
                self._tree.setdefault(f"{kind}:{sid}", el)
                if kind == "paragraph" and self._default is None and on(el, DEFAULT):
                    self._default = sid
            elif tag == DOC_DEFAULTS:
                rpr = path(el, RPR_DEFAULT, RPR)
                if rpr is not None:
                    self._defaults = _rpr_props(rpr)


@functools.lru_cache(maxsize=16)
def _style_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Byte patterns for style start tags by id, and for the default ones."""
    head = rb"<" + prefix + rb"style\s[^>]*?\b" + prefix
    ids = re.compile(head + rb"styleId\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
    default = re.compile(head + rb"default\s*=\s*[\"'](?:1|true|on)[\"']")
    return ids, default


class StyleMemo:
    """Styles resolved from one styles part, shared by every plan that has it.

    Plans in a batch mostly come from one council template, so their styles
    parts are byte for byte the same; resolving a style again for each plan
    would be wasted work. The memo holds only what styles.xml says (names,
    chains, formatting), never plan text.
    """

    def __init__(self) -> None:
        self.raw: dict[str, dict[str, Any] | None] = {}
        self.para: dict[str | None, ParaStyle] = {}
        self.char: dict[str, tuple[bool | None, float | None, bool | None]] = {}


@functools.lru_cache(maxsize=32)
def style_memo(key: tuple[int, int, int]) -> StyleMemo:
    """The memo for a styles part identified by (CRC-32, size, compressed size)."""
    return StyleMemo()


class Styles:
    """Style lookups, each style resolved along its chain once and only when used.

    The index over styles.xml is opened only when a lookup misses the memo.
    """

    def __init__(self, open_stream: Any, parse: Any, memo: StyleMemo | None = None) -> None:
        self._open_stream = open_stream
        self._parse = parse
        self._opened: StyleIndex | None = None
        memo = memo or StyleMemo()
        self._raw = memo.raw
        self._para = memo.para
        self._char = memo.char

    @property
    def _index(self) -> StyleIndex:
        if self._opened is None:
            self._opened = StyleIndex(self._open_stream(), self._parse, self._damaged)
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
            for el in element:
                tag = el.tag
                if tag == NAME:
                    raw["name"] = el.get(VAL)
                elif tag == BASED_ON:
                    raw["based_on"] = el.get(VAL)
                elif tag == PPR:
                    raw.update(_ppr_props(el))
                elif tag == RPR:
                    raw.update(_rpr_props(el))
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

    def para(self, sid: str | None) -> ParaStyle:
        """The resolved paragraph style for a ``w:pStyle`` value (None: the default)."""
        cached = self._para.get(sid)
        if cached is None:
            if sid is not None and self._props(f"paragraph:{sid}") is None:
                cached = self.para(None)  # Word falls back to the default style
            else:
                cached = self._resolve(sid if sid is not None else self._index.default_para())
            self._para[sid] = cached
        return cached

    def _resolve(self, sid: str | None) -> ParaStyle:
        style = ParaStyle()
        chain = self._chain("paragraph", sid)
        if chain and chain[0].get("name"):
            style.name = _UI_NAMES.get(chain[0]["name"], chain[0]["name"])
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
    for el in ppr:
        tag = el.tag
        if tag == OUTLINE:
            props["outline"] = to_int(el.get(VAL))
        elif tag == NUMPR:
            num = child(el, NUMID)
            if num is not None:
                props["numbered"] = num.get(VAL) != "0"
    return props


def _rpr_props(rpr: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for el in rpr:
        tag = el.tag
        if tag == B:
            props["bold"] = on(el)
        elif tag == SZ:
            props["size"] = half_points(el)
        elif tag == VANISH:
            props["vanish"] = on(el)
    return props
