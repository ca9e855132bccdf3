"""Documents → PDF with reportlab (A4, Chinese, the CJK font embedded).

Takes plain Python data and returns PDF bytes or writes a file; no Qt, no SQL.
Modules: ``fonts`` (find/register the CJK TrueType font), ``styles``, ``tables``,
``flowables`` and ``layout`` (shared page layout, ``build_pdf``/``write_pdf``), and one
module per document (``lists``, ``person_summary``).
"""

from .fonts import FontNotFoundError, cjk_font_name, font_path
from .layout import build_pdf, write_atomic, write_pdf
from .lists import render_person_list
from .person_summary import render_person_summary

__all__ = [
    "FontNotFoundError", "build_pdf", "cjk_font_name", "font_path", "render_person_list",
    "render_person_summary", "write_atomic", "write_pdf",
]
