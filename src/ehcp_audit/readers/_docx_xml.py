"""WordprocessingML vocabulary for the DOCX reader: qualified names and small element readers.

Internal to :mod:`ehcp_audit.readers.docx`. lxml reports a tag as
``"{namespace}name"``; every name the reader compares against is built here
once, so the walk compares ready-made strings and never formats one. The
helpers read one element each (an OnOff flag, a half-point size, a content
control's properties, a ``w:sym`` glyph) and know nothing about blocks.
"""

from __future__ import annotations

from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def w(name: str) -> str:
    """The qualified name of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{name}"


DOCUMENT = w("document")
BODY = w("body")
P = w("p")
R = w("r")
T = w("t")
PPR = w("pPr")
RPR = w("rPr")
PSTYLE = w("pStyle")
RSTYLE = w("rStyle")
NUMPR = w("numPr")
NUMID = w("numId")
OUTLINE = w("outlineLvl")
B = w("b")
SZ = w("sz")
VANISH = w("vanish")
VAL = w("val")
TBL = w("tbl")
TR = w("tr")
TC = w("tc")
TRPR = w("trPr")
TCPR = w("tcPr")
GRID_BEFORE = w("gridBefore")
GRID_SPAN = w("gridSpan")
VMERGE = w("vMerge")
HMERGE = w("hMerge")
DEL = w("del")
SDT = w("sdt")
SDTPR = w("sdtPr")
SDT_CONTENT = w("sdtContent")
SHOWING_PLC = w("showingPlcHdr")
CUSTOM_XML = w("customXml")
TXBX = w("txbxContent")
FLDCHAR = w("fldChar")
FLDTYPE = w("fldCharType")
FFDATA = w("ffData")
CHECKBOX = w("checkBox")
CHECKED = w("checked")
DEFAULT = w("default")
SYM = w("sym")
FONT = w("font")
CHAR = w("char")
SECTPR = w("sectPr")
HDR_REF = w("headerReference")
FTR_REF = w("footerReference")
STYLE = w("style")
NAME = w("name")
BASED_ON = w("basedOn")
TYPE = w("type")
STYLE_ID = w("styleId")
DOC_DEFAULTS = w("docDefaults")
RPR_DEFAULT = w("rPrDefault")
W14_CHECKBOX = f"{{{W14_NS}}}checkbox"
W14_CHECKED = f"{{{W14_NS}}}checked"
W14_VAL = f"{{{W14_NS}}}val"
ALT = f"{{{MC_NS}}}AlternateContent"
CHOICE = f"{{{MC_NS}}}Choice"
FALLBACK = f"{{{MC_NS}}}Fallback"
M_T = f"{{{M_NS}}}t"
M_PARA = f"{{{M_NS}}}oMathPara"
M_MATH = f"{{{M_NS}}}oMath"
R_ID = f"{{{R_NS}}}id"
RELATIONSHIP = f"{{{REL_NS}}}Relationship"

#: Run children that stand for one fixed piece of text.
CHARS = {
    w("tab"): "\t",
    w("ptab"): "\t",
    w("br"): "\n",
    w("cr"): "\n",
    w("noBreakHyphen"): "-",
}
#: Paragraph-level wrappers whose runs are read as if they were direct children.
INLINE_WRAPPERS = frozenset(
    w(n) for n in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")
)
#: Run children that may hold a text box.
GRAPHICS = frozenset(w(n) for n in ("drawing", "pict", "object"))
#: Block-level wrappers whose children are read as if they were direct children.
BLOCK_WRAPPERS = frozenset(w(n) for n in ("customXml", "ins", "moveTo"))
#: The property elements the walk acts on, inside w:pPr, w:rPr and w:tcPr.
PROPERTIES = (PSTYLE, NUMPR, OUTLINE, SECTPR, B, SZ, RSTYLE, VANISH, GRID_SPAN, VMERGE, HMERGE)
#: Block-level elements read through :meth:`Walker.wrapper`.
ANY_BLOCK_WRAPPER = BLOCK_WRAPPERS | {SDT, ALT}

#: OnOff values that mean off.
OFF = frozenset({"0", "false", "off", "none"})

#: w:sym glyphs from the symbol fonts plans use for boxes, ticks and bullets.
_SYMBOLS: dict[str, dict[int, str]] = {
    "wingdings": {
        0x6F: "□", 0x71: "❑", 0xA8: "☐", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
        0x78: "☒", 0x6C: "●", 0x6E: "■", 0xA7: "▪", 0x9F: "•", 0xD8: "➢", 0xE0: "➔",
    },
    "wingdings 2": {0x4F: "✗", 0x50: "✓", 0x51: "☒", 0x52: "☑", 0x53: "☒", 0x54: "☒", 0xA3: "☐"},
    "symbol": {0xB7: "•", 0xD6: "√", 0xAE: "→", 0xB3: "≥", 0xA3: "≤", 0xB4: "×"},
}  # fmt: skip


# ----------------------------------------------------------- small values ---


def on(element: Any, attribute: str = VAL) -> bool:
    """An OnOff property: an element present without ``w:val`` means on."""
    value = element.get(attribute)
    if value is None:
        return attribute == VAL
    return value.lower() not in OFF


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def half_points(element: Any) -> float | None:
    """A ``w:sz`` in points (Word stores half points); None when implausible."""
    half = to_int(element.get(VAL))
    return half / 2 if half is not None and 0 < half < 10000 else None


#: What :func:`index_properties` holds: an element's property children.
Properties = dict[Any, list[Any]]


def index_properties(root: Any, index: Properties) -> None:
    """Add to ``index`` each element under ``root`` that has :data:`PROPERTIES`
    children, with those children in document order.

    Property lists (``w:pPr``, ``w:rPr``, ``w:tcPr``) are mostly fonts,
    colours, spacing and borders the reader ignores; visiting them from
    Python costs more than anything else in the walk. lxml finds the few
    that matter in one pass in C, and the walk then looks a property list's
    children up here instead of iterating it. The index holds the parent
    elements, so lxml hands the walk those same objects again and the lookup
    (by identity) is exact. (Reading the values here instead costs more: a
    third of the lists, such as the paragraph mark's, are never asked for.)
    """
    for element in root.iter(*PROPERTIES):
        parent = element.getparent()
        found = index.get(parent)
        if found is None:
            index[parent] = [element]
        else:
            found.append(element)


def child(parent: Any, tag: str) -> Any:
    """The first child with ``tag`` (a plain loop beats lxml's ElementPath ``find``)."""
    for element in parent:
        if element.tag == tag:
            return element
    return None


def path(element: Any, *tags: str) -> Any:
    """Follow first children with these tags; None when one is missing."""
    for tag in tags:
        element = child(element, tag)
        if element is None:
            return None
    return element


# ------------------------------------------------------- special elements ---


def choose(alt: Any) -> Any:
    """One branch of an mc:AlternateContent: Choice if there is one, else Fallback.

    Both branches hold the same content (a DrawingML text box and its VML
    copy), so reading one keeps text boxes from being read twice.
    """
    fallback = None
    for branch in alt:
        if branch.tag == CHOICE:
            return branch
        if branch.tag == FALLBACK and fallback is None:
            fallback = branch
    return fallback


def textboxes(graphic: Any) -> list[Any]:
    """Outermost w:txbxContent elements in a drawing (inner ones are read with them)."""
    found: list[Any] = []
    for box in graphic.iter(TXBX):
        if not any(outer in found for outer in box.iterancestors(TXBX)):
            found.append(box)
    return found


def sdt_props(sdt: Any) -> tuple[bool, bool | None]:
    """(showing its placeholder?, checkbox state or None) of a content control."""
    props = child(sdt, SDTPR)
    placeholder = False
    box: bool | None = None
    if props is not None:
        for prop in props:
            tag = prop.tag
            if tag == SHOWING_PLC:
                placeholder = on(prop)
            elif tag == W14_CHECKBOX:
                state = child(prop, W14_CHECKED)
                value = None
                if state is not None:
                    value = state.get(W14_VAL) or state.get(VAL)
                box = value is not None and value.lower() in ("1", "true", "on")
    return placeholder, box


def form_checkbox(fld: Any) -> bool | None:
    """The state of a legacy FORMCHECKBOX field from its w:fldChar, None for other fields."""
    data = child(fld, FFDATA)
    box = child(data, CHECKBOX) if data is not None else None
    if box is None:
        return None
    state = child(box, CHECKED)  # w:checked wins over w:default
    if state is None:
        state = child(box, DEFAULT)
    return state is not None and on(state)


def symbol(sym: Any) -> str:
    """The character a ``w:sym`` draws (symbol fonts use the U+F000 private range)."""
    code = _int_hex(sym.get(CHAR))
    if code is None:
        return "\ufffd"
    font = (sym.get(FONT) or "").strip().lower()
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
