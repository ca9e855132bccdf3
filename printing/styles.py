"""Text helpers and paragraph styles in the embedded CJK font."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from .fonts import cjk_font_name, has_glyph

CELL_PAD = 3  # points of padding left/right inside table cells
GRID_COLOR = colors.HexColor("#555555")
HEADER_BG = colors.HexColor("#E4E4E4")
ZEBRA_BG = colors.HexColor("#F4F4F4")


# ---------------------------------------------------------------- text helpers


def cn_date(value: date | datetime | None) -> str:
    """Format a date the Chinese way: 2024年5月6日 (empty for None)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cell_text(value: object) -> str:
    """Turn a plain value into printable text (None → "", dates ISO, bools 是/否)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@functools.cache
def _ideographic_space_for(font: str) -> str:
    """No-break spaces as wide as one U+3000 (which Paragraph would collapse)."""
    if not has_glyph("\xa0"):
        return "\u3000"
    n = round(stringWidth("\u3000", font, 10) / stringWidth("\xa0", font, 10))
    return "\xa0" * max(1, n)


def markup(text: str) -> str:
    """Escape plain text for a Paragraph.

    Newlines become line breaks, and ideographic spaces (as in "年　　月　　日")
    keep their width instead of collapsing like ordinary whitespace.
    """
    out = escape(text).replace("\n", "<br/>")
    if "\u3000" in out:
        out = out.replace("\u3000", _ideographic_space_for(cjk_font_name()))
    return out

# ---------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    """Paragraph styles in the CJK font (all with CJK word wrapping)."""

    font: str
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_header: ParagraphStyle


@functools.cache
def _styles_for(font: str) -> Styles:
    """Build the style sheet for one registered font name."""

    def style(name: str, size: float, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.35,
                              wordWrap="CJK", **kw)

    return Styles(
        font=font,
        title=style("js-title", 18, alignment=TA_CENTER, spaceAfter=4 * mm),
        heading=style("js-heading", 12.5, spaceBefore=4 * mm, spaceAfter=2 * mm,
                      keepWithNext=1),
        body=style("js-body", 10.5),
        small=style("js-small", 9),
        cell=style("js-cell", 9),
        cell_header=style("js-cell-header", 9, alignment=TA_CENTER),
    )


def get_styles() -> Styles:
    """Return the shared paragraph styles (registers the CJK font on first use)."""
    return _styles_for(cjk_font_name())


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of plain (escaped) text, body style by default."""
    return Paragraph(markup(cell_text(text)), style or get_styles().body)
