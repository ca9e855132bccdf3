"""A small horizontal bar chart painted with QPainter (QtCharts is not in Essentials)."""

from .qt import QColor, QPainter, QSize, Qt, QWidget

BAR_COLOR = QColor("#3b7dd8")
ROW_GAP = 6


class BarChart(QWidget):
    """Labelled bars, one row each: label, bar scaled to the largest value, the count."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: list[tuple[str, int]] = []

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
            painter.setPen(self.palette().windowText().color())
            painter.drawText(*text_box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             label)
            width = round(room * value / top_value)
            if width:
                painter.fillRect(label_width, y + ROW_GAP // 2, width, row - ROW_GAP, BAR_COLOR)
            painter.drawText(label_width + width + 4, y, count_width, row,
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(value))
        painter.end()
