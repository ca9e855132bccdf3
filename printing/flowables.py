"""Form furniture: the 盖章 box, signature blanks, the cut line and QR codes."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from .fonts import cjk_font_name, has_glyph


class SealBox(Flowable):
    """The 盖章 area: an optional label line, a box saying "（盖章）" and a date line."""

    def __init__(self, label: str = "", width: float = 62 * mm, height: float = 36 * mm,
                 font_size: float = 10.5) -> None:
        super().__init__()
        self.label = label
        if label:
            width = max(width, stringWidth(label, cjk_font_name(), font_size) + 4 * mm)
        self.width = width
        self.height = height
        self.font_size = font_size
        self.hAlign = "RIGHT"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Fixed size."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw the dashed box, its caption and the date line."""
        canv = self.canv
        font = cjk_font_name()
        size = self.font_size
        date_h = size * 2.2
        box_top = self.height - (size * 1.8 if self.label else 0)
        canv.saveState()
        canv.setFont(font, size)
        if self.label:
            canv.drawCentredString(self.width / 2, self.height - size, self.label)
        canv.setDash(3, 2)
        canv.setLineWidth(0.6)
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.rect(0, date_h, self.width, box_top - date_h)
        canv.setFillColor(colors.HexColor("#777777"))
        canv.drawCentredString(self.width / 2, date_h + (box_top - date_h) / 2 - size / 3,
                               "（盖章）")
        canv.setFillColor(colors.black)
        canv.drawRightString(self.width, size * 0.6, "年　　月　　日")
        canv.restoreState()


class SignatureLine(Flowable):
    """One line of "label：________" blanks, evenly spread across ``width``."""

    def __init__(self, labels: Sequence[str], width: float, font_size: float = 10.5,
                 with_date: bool = False) -> None:
        super().__init__()
        self.labels = list(labels)
        if with_date:
            self.labels.append("日期")
        self.width = width
        self.font_size = font_size
        self.height = font_size * 2.4

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Full given width, fixed height."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw each label followed by an underline to sign on."""
        canv = self.canv
        font = cjk_font_name()
        slot = self.width / max(1, len(self.labels))
        y = self.font_size * 0.6
        canv.saveState()
        canv.setFont(font, self.font_size)
        canv.setLineWidth(0.6)
        for i, label in enumerate(self.labels):
            x = i * slot
            text = f"{label}："
            canv.drawString(x, y, text)
            x0 = x + stringWidth(text, font, self.font_size) + 2
            canv.line(x0, y - 2, x + slot - 6 * mm, y - 2)
        canv.restoreState()


def signature_line(labels: Sequence[str], width: float, *, with_date: bool = False
                   ) -> SignatureLine:
    """Signature blanks such as 填表人 / 审核人 (optionally followed by 日期)."""
    return SignatureLine(labels, width, with_date=with_date)


class CutLine(Flowable):
    """A dashed cut line across the frame with "沿此线剪开" in a gap in the middle.

    Uses the ✂ character when the embedded font has it, otherwise draws small
    scissors with lines (WenQuanYi Zen Hei has no U+2702).
    """

    def __init__(self, text: str = "沿此线剪开", font_size: float = 9,
                 space: float = 4 * mm) -> None:
        super().__init__()
        self.text = text
        self.font_size = font_size
        self.space = space
        self.width = 0.0
        self.height = font_size + 2 * space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Take the whole frame width."""
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        """Draw the dashed line, the caption and the scissors."""
        canv = self.canv
        font = cjk_font_name()
        size = self.font_size
        mid_y = self.height / 2
        glyph = has_glyph("\u2702")
        label = f"\u2702 {self.text}" if glyph else self.text
        icon_w = 0 if glyph else size * 1.4
        text_w = stringWidth(label, font, size) + icon_w
        gap0 = (self.width - text_w) / 2 - 2 * mm
        gap1 = (self.width + text_w) / 2 + 2 * mm
        canv.saveState()
        canv.setLineWidth(0.6)
        canv.setDash(4, 3)
        canv.line(0, mid_y, gap0, mid_y)
        canv.line(gap1, mid_y, self.width, mid_y)
        canv.setDash()
        x = gap0 + 2 * mm
        if not glyph:
            _draw_scissors(canv, x, mid_y, size)
            x += icon_w
        canv.setFont(font, size)
        canv.drawString(x, mid_y - size * 0.35, label)
        canv.restoreState()


def _draw_scissors(canv: Canvas, x: float, y: float, size: float) -> None:
    """Tiny vector scissors pointing right, ``size`` points tall, left edge at x."""
    r = size * 0.17
    canv.setLineWidth(0.7)
    canv.circle(x + r, y + size * 0.25, r)
    canv.circle(x + r, y - size * 0.25, r)
    tip = x + size * 1.15
    canv.line(x + 2 * r, y + size * 0.2, tip, y - size * 0.12)
    canv.line(x + 2 * r, y - size * 0.2, tip, y + size * 0.12)


def qr_flowable(text: str, size: float = 25 * mm, level: str = "M") -> Drawing:
    """A QR code carrying ``text``, drawn as vectors, ``size`` points square."""
    widget = QrCodeWidget(text, barLevel=level, barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing
