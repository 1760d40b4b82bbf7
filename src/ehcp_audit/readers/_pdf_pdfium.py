"""Lean ctypes declarations of the few PDFium functions the PDF reader calls per glyph.

pypdfium2's bindings type-check every handle argument, which costs about a
microsecond a call. Reading fonts and positions calls PDFium once or twice
per character, so with those bindings a page would cost several times its
plain text extraction. Re-declaring the same C functions (taken from
pypdfium2's own loaded library, by address) with ``void *`` arguments makes a
call three to four times cheaper and keeps the reader within its speed budget.
Handles are passed as plain integers (see :func:`address`).
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c

_V = ctypes.c_void_p
_I = ctypes.c_int
_U = ctypes.c_ulong
_F = ctypes.c_float


def _plain(fn: Any, restype: Any, *argtypes: Any) -> Any:
    address_of_fn = ctypes.cast(fn, _V).value
    if address_of_fn is None:
        raise RuntimeError("PDFium function has no address")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address_of_fn)


def address(handle: Any) -> int:
    """The integer address of a pypdfium2 raw handle (0 for NULL)."""
    return ctypes.cast(handle, _V).value or 0


FS_RECTF = pdfium_c.FS_RECTF
FS_MATRIX = pdfium_c.FS_MATRIX

# Text page: one call per character or per word.
text_count_chars = _plain(pdfium_c.FPDFText_CountChars, _I, _V)
text_get_object = _plain(pdfium_c.FPDFText_GetTextObject, _V, _V, _I)
text_get_unicode = _plain(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _V, _I)
text_get_loose_box = _plain(pdfium_c.FPDFText_GetLooseCharBox, _I, _V, _I, _V)
text_get_font_size = _plain(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _V, _I)
text_get_matrix = _plain(pdfium_c.FPDFText_GetMatrix, _I, _V, _I, _V)
text_get_font_weight = _plain(pdfium_c.FPDFText_GetFontWeight, _I, _V, _I)
text_get_font_info = _plain(pdfium_c.FPDFText_GetFontInfo, _U, _V, _I, _V, _U, _V)
textobj_get_render_mode = _plain(pdfium_c.FPDFTextObj_GetTextRenderMode, _I, _V)
textobj_get_font = _plain(pdfium_c.FPDFTextObj_GetFont, _V, _V)
font_get_weight = _plain(pdfium_c.FPDFFont_GetWeight, _I, _V)
font_get_flags = _plain(pdfium_c.FPDFFont_GetFlags, _I, _V)
font_get_base_name = _plain(pdfium_c.FPDFFont_GetBaseFontName, _U, _V, _V, _U)

# Page objects: one call per drawing operation.
page_count_objects = _plain(pdfium_c.FPDFPage_CountObjects, _I, _V)
page_get_object = _plain(pdfium_c.FPDFPage_GetObject, _V, _V, _I)
form_count_objects = _plain(pdfium_c.FPDFFormObj_CountObjects, _I, _V)
form_get_object = _plain(pdfium_c.FPDFFormObj_GetObject, _V, _V, _U)
obj_get_type = _plain(pdfium_c.FPDFPageObj_GetType, _I, _V)
obj_get_bounds = _plain(pdfium_c.FPDFPageObj_GetBounds, _I, _V, _V, _V, _V, _V)
obj_get_matrix = _plain(pdfium_c.FPDFPageObj_GetMatrix, _I, _V, _V)
path_get_draw_mode = _plain(pdfium_c.FPDFPath_GetDrawMode, _I, _V, _V, _V)
path_count_segments = _plain(pdfium_c.FPDFPath_CountSegments, _I, _V)
path_get_segment = _plain(pdfium_c.FPDFPath_GetPathSegment, _V, _V, _I)
segment_get_point = _plain(pdfium_c.FPDFPathSegment_GetPoint, _I, _V, _V, _V)
segment_get_type = _plain(pdfium_c.FPDFPathSegment_GetType, _I, _V)
segment_get_close = _plain(pdfium_c.FPDFPathSegment_GetClose, _I, _V)

OBJ_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
OBJ_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
OBJ_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
OBJ_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
SEG_LINETO = pdfium_c.FPDF_SEGMENT_LINETO
SEG_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
RENDER_FILL_STROKE = pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE
ERR_PASSWORD = pdfium_c.FPDF_ERR_PASSWORD
ERR_SECURITY = pdfium_c.FPDF_ERR_SECURITY
