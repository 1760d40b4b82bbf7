"""Read one ``w:p`` into its text and hints, in one pass.

Internal to :mod:`ehcp_audit.readers.docx`, whose docstring says what the
text of a paragraph is (tracked changes accepted, field results not codes,
hidden text out, symbols drawn) and how hints are worked out.

This is the reader's innermost loop (a long plan has thousands of
paragraphs), so it is written for speed: one function with local state
that takes each element's children in one call (``el[:]``, a third cheaper
than lxml's child iterator on these short lists) and compares ready-made
tag strings (``find`` and filtered ``iterchildren`` cost more than they
save), looks paragraph and run properties up in the walk's property index
instead of iterating them, descends into wrappers (hyperlinks, insertions,
content controls) with an explicit stack instead of recursion, allocates
the rarely needed lists (fields, checkboxes, text boxes) only when met, and
builds its result tuple without a Python-level constructor.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._model import FoundBy
from ._docx_styles import ParaStyle, Styles
from ._docx_xml import (
    ALT,
    CHARS,
    FLDCHAR,
    FLDTYPE,
    GRAPHICS,
    INLINE_WRAPPERS,
    M_MATH,
    M_PARA,
    M_T,
    NUMID,
    NUMPR,
    OFF,
    OUTLINE,
    PPR,
    PSTYLE,
    RPR,
    RSTYLE,
    SDT,
    SDT_CONTENT,
    SECTPR,
    SYM,
    SZ,
    VAL,
    VANISH,
    B,
    Properties,
    R,
    T,
    child,
    choose,
    form_checkbox,
    half_points,
    on,
    sdt_props,
    symbol,
    textboxes,
    to_int,
)


class Para(NamedTuple):
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


_new_para = tuple.__new__  # Para(...) runs a Python-level __new__; this does not


class ParagraphReader:
    """Reads paragraphs against one document's styles.

    ``check_vanish`` is False when the document has no direct hidden-text
    marks, so a run's properties need not be read for them once bold and
    size are settled. ``sections`` collects the ``w:sectPr`` elements met in
    paragraph properties (they name the headers and footers). ``props`` is
    the walk's :func:`~._docx_xml.index_properties` index: paragraph and run
    properties are looked up there, not iterated.
    """

    __slots__ = ("check_vanish", "default_style", "props", "sections", "styles")

    def __init__(
        self,
        styles: Styles,
        check_vanish: bool,
        sections: list[Any],
        props: Properties,
    ) -> None:
        self.styles = styles
        self.check_vanish = check_vanish
        self.sections = sections
        self.props = props
        self.default_style = styles.para(None)

    def read(self, p: Any, block_ph: bool) -> Para:
        """Read a paragraph's text and hints (see the reader's module docstring)."""
        style = self.default_style
        parts: list[str] = []
        vis = 0
        prompt = 0
        all_bold = True
        first_size: float | None = None  # the size the paragraph's visible text starts in
        check_vanish = self.check_vanish
        props = self.props
        code = 0  # how many enclosing fields are in their code part
        fields: list[bool] | None = None  # per open field: in its result part yet?
        boxes: list[tuple[int, int, bool]] | None = None
        boxes_in: list[Any] | None = None  # text boxes, read after the paragraph
        direct_num: bool | None = None
        direct_outline: int | None = None
        ph = False  # inside a run-level content control showing its placeholder
        # (parent iterator, its ph, pending checkbox (start, checked) or None)
        stack: list[tuple[Any, bool, tuple[int, bool] | None]] | None = None
        it = iter(p[:])
        while True:
            for el in it:
                tag = el.tag
                if tag == R:
                    bold, size, hidden = style.bold, style.size, style.vanish
                    for item in el[:]:
                        itag = item.tag
                        if itag == T:
                            text = item.text
                            if not text or hidden or code:
                                continue
                        elif itag == RPR:
                            # Skipped once nothing it could tell matters any more.
                            if all_bold or first_size is None or check_vanish:
                                found = props.get(item)
                                if found is None:  # nothing that matters: the style's
                                    bold, size, hidden = style.bold, style.size, style.vanish
                                else:
                                    bold, size, hidden = self._run_props(found, style)
                            continue
                        elif itag in CHARS:
                            if hidden or code:
                                continue
                            text = CHARS[itag]
                        elif itag == SYM:
                            if hidden or code:
                                continue
                            text = symbol(item)
                        elif itag == FLDCHAR:
                            kind = item.get(FLDTYPE)
                            if kind == "begin":
                                if fields is None:
                                    fields = []
                                fields.append(False)
                                code += 1
                                checked = form_checkbox(item)
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
                        elif itag in GRAPHICS:
                            boxes_in = (boxes_in or []) + textboxes(item)
                            continue
                        elif itag == ALT:
                            chosen = choose(item)
                            for graphic in () if chosen is None else chosen:
                                if graphic.tag in GRAPHICS:
                                    boxes_in = (boxes_in or []) + textboxes(graphic)
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
                elif tag == PPR:
                    for prop in props.get(el, ()):
                        ptag = prop.tag
                        if ptag == PSTYLE:
                            style = self.styles.para(prop.get(VAL))
                        elif ptag == NUMPR:
                            num = child(prop, NUMID)
                            if num is not None:
                                direct_num = num.get(VAL) != "0"
                        elif ptag == OUTLINE:
                            direct_outline = to_int(prop.get(VAL))
                        elif ptag == SECTPR:
                            self.sections.append(prop)
                elif tag in INLINE_WRAPPERS:
                    if stack is None:
                        stack = []
                    stack.append((it, ph, None))
                    it = iter(el[:])
                    break
                elif tag == SDT:
                    sdt_ph, box = sdt_props(el)
                    content = child(el, SDT_CONTENT)
                    pending = (sum(map(len, parts)), box) if box is not None else None
                    if content is None:
                        if pending is not None:
                            boxes = (boxes or []) + [(pending[0], pending[0], pending[1])]
                        continue
                    if stack is None:
                        stack = []
                    stack.append((it, ph, pending))
                    ph = ph or sdt_ph
                    it = iter(content[:])
                    break
                elif tag == ALT:
                    chosen = choose(el)
                    if chosen is not None:
                        if stack is None:
                            stack = []
                        stack.append((it, ph, None))
                        it = iter(chosen[:])
                        break
                elif tag in (M_PARA, M_MATH) and not code:
                    text = "".join([t.text or "" for t in el.iter(M_T)])
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
        return _new_para(  # type: ignore[no-any-return]
            Para,
            (
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
                boxes_in,
            ),
        )

    def _run_props(self, found: list[Any], style: ParaStyle) -> tuple[bool, float | None, bool]:
        """A run's effective (bold, size, hidden): direct, then char style, then paragraph.

        ``found`` is what the property index holds for the run's ``w:rPr``.
        """
        bold: bool | None = None
        size: float | None = None
        hidden: bool | None = None
        rstyle: str | None = None
        for prop in found:
            tag = prop.tag
            if tag == B:
                value = prop.get(VAL)  # on(prop), inlined: this runs for most runs
                bold = value is None or value.lower() not in OFF
            elif tag == SZ:
                size = half_points(prop)
            elif tag == RSTYLE:
                rstyle = prop.get(VAL)
            elif tag == VANISH:
                hidden = on(prop)
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
