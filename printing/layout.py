"""Shared A4 page layout: header/footer, styles, tables, seal, signature, cut line, QR.

Every page carries the station name and the document title in the header, and the
print date and "第 X 页 / 共 Y 页" in the footer. The total page count is filled in by
a canvas that holds back its pages until the document is complete. The pieces a
document is made of live in ``styles``, ``tables`` and ``flowables`` and are re-exported
here.

Usage::

    pdf = build_pdf(lambda ctx: [title_block(ctx, "失业人员清单"), ...],
                    station_name="某某镇就业服务站", title="失业人员清单",
                    printed_on=date.today())
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from .flowables import CutLine, SealBox, SignatureLine, qr_flowable, signature_line
from .styles import Styles, cell_text, cn_date, get_styles, markup, para
from .tables import RepeatingTable, data_table, fit_widths, key_value_table, natural_widths

__all__ = [
    "CutLine", "PageContext", "RepeatingTable", "SealBox", "SignatureLine", "Styles",
    "build_pdf", "cell_text", "cn_date", "data_table", "fit_widths", "get_styles",
    "key_value_table", "markup", "natural_widths", "page_context", "page_size", "para",
    "qr_flowable", "signature_line", "title_block", "write_atomic", "write_pdf",
]

MARGIN_X = 15 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm


# --------------------------------------------------------------- page context


@dataclass(frozen=True)
class PageContext:
    """What a story builder needs to know: frame size and styles."""

    width: float
    height: float
    landscape: bool
    styles: Styles


def page_size(landscape: bool = False) -> tuple[float, float]:
    """A4 size in points, portrait or landscape."""
    return to_landscape(A4) if landscape else A4


def page_context(landscape: bool = False) -> PageContext:
    """The frame (printable body) size for an A4 page with the standard margins."""
    w, h = page_size(landscape)
    return PageContext(width=w - 2 * MARGIN_X, height=h - MARGIN_TOP - MARGIN_BOTTOM,
                       landscape=landscape, styles=get_styles())


def title_block(ctx: PageContext, title: str, subtitle: str = "") -> list[Flowable]:
    """The large centred title at the top of a document, with an optional subtitle."""
    out: list[Flowable] = [Paragraph(markup(title), ctx.styles.title)]
    if subtitle:
        out.append(Paragraph(markup(subtitle), ctx.styles.body))
        out.append(Spacer(1, 2 * mm))
    return out


# ------------------------------------------------------------ header / footer


@dataclass(frozen=True)
class _PageInfo:
    station_name: str
    title: str
    printed_on: date
    font: str


def _draw_header(canv: Canvas, doc: BaseDocTemplate, info: _PageInfo) -> None:
    """Station name (left), title (right) and a rule on top; print date at the bottom."""
    w, h = doc.pagesize
    canv.saveState()
    canv.setFont(info.font, 10)
    y = h - MARGIN_TOP + 7 * mm
    canv.drawString(MARGIN_X, y, info.station_name)
    canv.drawRightString(w - MARGIN_X, y, info.title)
    canv.setLineWidth(0.6)
    canv.line(MARGIN_X, y - 2.2 * mm, w - MARGIN_X, y - 2.2 * mm)
    fy = MARGIN_BOTTOM - 9 * mm
    canv.setLineWidth(0.4)
    canv.line(MARGIN_X, fy + 4 * mm, w - MARGIN_X, fy + 4 * mm)
    canv.setFont(info.font, 9)
    canv.drawString(MARGIN_X, fy, f"打印日期：{cn_date(info.printed_on)}")
    canv.restoreState()


class NumberedCanvas(Canvas):
    """A canvas that writes "第 X 页 / 共 Y 页" once the page count is known.

    Pages are held in memory until ``save`` (the usual two-pass trick), then each
    gets its footer with the final total.
    """

    footer_font = "Helvetica"  # replaced through make_numbered_canvas

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab API name
        """Hold the finished page instead of writing it."""
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Write all held pages with their page numbers, then the file."""
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._draw_page_number(number, total)
            Canvas.showPage(self)
        self._held_pages = []
        Canvas.save(self)

    def _draw_page_number(self, number: int, total: int) -> None:
        """Footer text at the bottom right."""
        w, _h = self._pagesize
        self.saveState()
        self.setFont(self.footer_font, 9)
        self.drawRightString(w - MARGIN_X, MARGIN_BOTTOM - 9 * mm,
                             f"第 {number} 页 / 共 {total} 页")
        self.restoreState()


def make_numbered_canvas(font: str) -> type[NumberedCanvas]:
    """A NumberedCanvas subclass whose footer uses ``font``."""
    return type("JobstationCanvas", (NumberedCanvas,), {"footer_font": font})

Story = Iterable[Flowable] | Callable[[PageContext], Iterable[Flowable]]


def build_pdf(story: Story, *, station_name: str, title: str, printed_on: date,
              landscape: bool = False) -> bytes:
    """Lay out ``story`` on A4 pages with the standard header and footer; return PDF bytes.

    ``story`` is either a list of flowables or a callable that receives the
    :class:`PageContext` (frame width, styles) and returns flowables.
    """
    ctx = page_context(landscape)
    flowables = list(story(ctx) if callable(story) else story)
    info = _PageInfo(station_name, title, printed_on, ctx.styles.font)
    buffer = BytesIO()
    w, h = page_size(landscape)
    doc = BaseDocTemplate(
        buffer, pagesize=(w, h), leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title,
        author=station_name, subject=title, creator="jobstation",
        initialFontName=ctx.styles.font,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, ctx.width, ctx.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(
        id="page", frames=[frame],
        onPage=lambda canv, d: _draw_header(canv, d, info),
    )])
    doc.build(flowables, canvasmaker=make_numbered_canvas(ctx.styles.font))
    return buffer.getvalue()


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file, fsync, os.replace)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_pdf(path: str | os.PathLike[str], story: Story, *, station_name: str, title: str,
              printed_on: date, landscape: bool = False) -> Path:
    """Build the PDF like :func:`build_pdf` and write it atomically to ``path``."""
    data = build_pdf(story, station_name=station_name, title=title, printed_on=printed_on,
                     landscape=landscape)
    return write_atomic(path, data)
