"""Tables: long data tables with a repeated header, and key/value blocks."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .styles import (
    CELL_PAD,
    GRID_COLOR,
    HEADER_BG,
    ZEBRA_BG,
    cell_text,
    get_styles,
    markup,
    para,
)


def fit_widths(natural: Sequence[float], total: float, minimum: float = 12 * mm) -> list[float]:
    """Share ``total`` among columns whose content would like ``natural`` widths.

    Narrow columns keep their natural width; wide ones share what is left equally
    (water filling) and will wrap. Spare room is spread in proportion.
    """
    want = [max(minimum, w) for w in natural]
    if sum(want) <= total:
        scale = total / sum(want)
        return [w * scale for w in want]
    widths = [0.0] * len(want)
    remaining = total
    order = sorted(range(len(want)), key=lambda i: want[i])
    for pos, i in enumerate(order):
        share = remaining / (len(order) - pos)
        widths[i] = min(want[i], share)
        remaining -= widths[i]
    return widths


def natural_widths(header: Sequence[str], rows: Sequence[Sequence[str]],
                   measure: Callable[[str], float]) -> list[float]:
    """Width each column needs to show its longest line without wrapping.

    ``measure`` gives the width of one line of text in points.
    """
    def width(text: str) -> float:
        if "\n" in text:
            return max(measure(line) for line in text.split("\n"))
        return measure(text)

    extra = 2 * CELL_PAD + 1
    result = [width(h) + extra for h in header]
    for row in rows:
        for i, text in enumerate(row):
            if text:
                w = width(text) + extra
                if w > result[i]:
                    result[i] = w
    return result


_PAD_TOP = 2
_PAD_BOTTOM = 3


def _grid_style(font: str, font_size: float, zebra: bool, odd_first: bool) -> TableStyle:
    """Style of one page's piece of a data table (row 0 is the header)."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), font, font_size, font_size * 1.3),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), _PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD_BOTTOM),
    ]
    if zebra:
        shades = [ZEBRA_BG, colors.white] if odd_first else [colors.white, ZEBRA_BG]
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), shades))
    return TableStyle(commands)


class RepeatingTable(Flowable):
    """A long table split page by page, with its header row on every page.

    reportlab's own Table copies all remaining rows at every page break
    (quadratic for long lists); this flowable keeps the laid-out rows with their
    precomputed heights once and hands each page a small Table of its own rows.
    """

    def __init__(self, header: list[object], header_height: float, rows: list[list[object]],
                 row_heights: list[float], col_widths: list[float], font: str,
                 font_size: float, zebra: bool = False, start: int = 0,
                 offsets: list[float] | None = None) -> None:
        super().__init__()
        self.header, self.header_height = header, header_height
        self.rows, self.row_heights = rows, row_heights
        self.col_widths, self.font, self.font_size = col_widths, font, font_size
        self.zebra, self.start = zebra, start
        if offsets is None:  # offsets[i] = height of rows[:i]
            offsets = [0.0]
            for h in row_heights:
                offsets.append(offsets[-1] + h)
        self.offsets = offsets
        self.width = sum(col_widths)
        self.hAlign = "LEFT"

    def _rest_height(self) -> float:
        return self.header_height + self.offsets[-1] - self.offsets[self.start]

    def _rows_fitting(self, avail_height: float) -> int:
        """How many rows from ``start`` fit below the header in ``avail_height``."""
        limit = self.offsets[self.start] + avail_height - self.header_height + 1e-6
        return bisect.bisect_right(self.offsets, limit) - 1 - self.start

    def _piece(self, stop: int) -> Table:
        """A plain Table of the header and rows[start:stop]."""
        data = [self.header, *self.rows[self.start:stop]]
        heights = [self.header_height, *self.row_heights[self.start:stop]]
        style = _grid_style(self.font, self.font_size, self.zebra, self.start % 2 == 1)
        return Table(data, colWidths=self.col_widths, rowHeights=heights, style=style,
                     hAlign="LEFT")

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Height of the header and all remaining rows."""
        return self.width, self._rest_height()

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """This page's piece, then the rest (sharing the row lists, no copy)."""
        n = self._rows_fitting(avail_height)
        if n <= 0:
            return []
        stop = self.start + n
        if stop >= len(self.rows):
            return [self._piece(len(self.rows))]
        rest = RepeatingTable(self.header, self.header_height, self.rows, self.row_heights,
                              self.col_widths, self.font, self.font_size, self.zebra,
                              start=stop, offsets=self.offsets)
        return [self._piece(stop), rest]

    def draw(self) -> None:
        """Draw all remaining rows (used when they fit in one frame)."""
        piece = self._piece(len(self.rows))
        piece.wrapOn(self.canv, self.width, self._rest_height())
        piece.drawOn(self.canv, 0, 0)


def data_table(header: Sequence[str], rows: Sequence[Sequence[object]], *,
               width: float, col_widths: Sequence[float] | None = None,
               zebra: bool = False, font_size: float = 9) -> RepeatingTable:
    """A gridded table whose header row repeats on every page.

    ``rows`` hold plain values (formatted with :func:`cell_text`). Text that fits its
    column is drawn as a plain string (fast); longer text becomes a CJK-wrapping
    Paragraph. ``col_widths`` default to widths fitted to the content and ``width``.
    """
    styles = get_styles()
    font = styles.font
    texts = [[cell_text(v) for v in row] for row in rows]
    widths_cache: dict[str, float] = {}

    def measure(text: str) -> float:
        w = widths_cache.get(text)
        if w is None:
            w = widths_cache[text] = stringWidth(text, font, font_size)
        return w

    if col_widths is None:
        col_widths = fit_widths(natural_widths(header, texts, measure), width)
    col_widths = list(col_widths)
    leading = font_size * 1.3
    cell_style = ParagraphStyle("js-cell-sized", parent=styles.cell, fontSize=font_size,
                                leading=leading)
    head_style = ParagraphStyle("js-head-sized", parent=styles.cell_header,
                                fontSize=font_size, leading=leading)
    room = [w - 2 * CELL_PAD - 0.5 for w in col_widths]

    def layout_row(row: Sequence[str], style: ParagraphStyle) -> tuple[list[object], float]:
        cells: list[object] = []
        height = leading
        for i, text in enumerate(row):
            if "\n" in text or measure(text) > room[i]:
                p = Paragraph(markup(text), style)
                height = max(height, p.wrap(room[i], 10_000)[1])
                cells.append(p)
            else:
                cells.append(text)
        return cells, height + _PAD_TOP + _PAD_BOTTOM

    head_cells, head_height = layout_row(list(header), head_style)
    body = [layout_row(row, cell_style) for row in texts]
    return RepeatingTable(head_cells, head_height, [c for c, _h in body],
                          [h for _c, h in body], col_widths, font, font_size, zebra)


def key_value_table(pairs: Sequence[tuple[str, object]], *, width: float,
                    per_row: int = 2, label_width: float = 26 * mm) -> Table:
    """Basic-information block: label | value pairs, ``per_row`` pairs per line."""
    styles = get_styles()
    label_style = ParagraphStyle("js-kv-label", parent=styles.cell, alignment=TA_CENTER)
    value_width = (width - per_row * label_width) / per_row
    data: list[list[object]] = []
    for start in range(0, len(pairs), per_row):
        line: list[object] = []
        for label, value in pairs[start:start + per_row]:
            line += [Paragraph(markup(label), label_style), para(value, styles.cell)]
        line += ["", ""] * (per_row - len(pairs[start:start + per_row]))
        data.append(line)
    if not data:
        data.append(["", ""] * per_row)
    commands = [
        ("FONT", (0, 0), (-1, -1), styles.font, styles.cell.fontSize, styles.cell.leading),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for k in range(per_row):
        commands.append(("BACKGROUND", (2 * k, 0), (2 * k, -1), HEADER_BG))
    return Table(data, colWidths=[label_width, value_width] * per_row,
                 style=TableStyle(commands), hAlign="LEFT")
