"""A small horizontal bar chart painted with QPainter (QtCharts is not in Essentials).

It is on the 首页, so it paints during the window's first show, and PySide builds its whole
``Qt`` namespace (93 enum types, 30-50 ms) the first time a call resolves its overloads
against ``Qt`` enums: QPainter's pen, brush and colour fills all do. So the text takes the
widget's own pen (a painter on a widget starts with its palette's text colour), the
alignments are given as the ints drawText takes, and the bars are a one-pixel pixmap of
the bar colour drawn stretched.
"""

from .qt import QColor, QPainter, QPixmap, QRect, QSize, QWidget

BAR_COLOR = "#3b7dd8"
ROW_GAP = 6
# Qt.AlignmentFlag values, as the int flags of QPainter.drawText
ALIGN_LEFT, ALIGN_RIGHT, ALIGN_VCENTER = 0x0001, 0x0002, 0x0080


class BarChart(QWidget):
    """Labelled bars, one row each: label, bar scaled to the largest value, the count."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: list[tuple[str, int]] = []
        self._bar = QPixmap(1, 1)
        self._bar.fill(QColor(BAR_COLOR))

    def set_bars(self, bars: list[tuple[str, int]]) -> None:
        self.bars = list(bars)
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + ROW_GAP

    def sizeHint(self) -> QSize:
        return QSize(320, max(1, len(self.bars)) * self._row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(200, max(1, len(self.bars)) * self._row_height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        label_width = max((metrics.horizontalAdvance(t) for t, _ in self.bars), default=0) + 10
        count_width = max((metrics.horizontalAdvance(str(n)) for _, n in self.bars),
                          default=0) + 10
        room = max(10, self.width() - label_width - count_width)
        top_value = max((n for _, n in self.bars), default=0) or 1
        row = self._row_height()
        for index, (label, value) in enumerate(self.bars):
            y = index * row
            text_box = (0, y, label_width - 8, row)
            painter.drawText(*text_box, ALIGN_RIGHT | ALIGN_VCENTER, label)
            width = round(room * value / top_value)
            if width:
                painter.drawPixmap(QRect(label_width, y + ROW_GAP // 2, width, row - ROW_GAP),
                                   self._bar)
            painter.drawText(label_width + width + 4, y, count_width, row,
                             ALIGN_LEFT | ALIGN_VCENTER, str(value))
        painter.end()
