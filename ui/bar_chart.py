"""A small horizontal bar chart made of plain widgets (QtCharts is not in Essentials).

Each row is a label, a bar and the count. The bar's length comes from the layout's
stretch factors (the bar stretches by its value, the space after it by the rest up to the
largest value), so the chart rescales with the window without painting code. It is the
首页's: painting it with QPainter would have PySide build its whole ``Qt`` namespace (93
enum types, 30-50 ms) during the window's first show, since QPainter's pen and fill calls
resolve their overloads against ``Qt`` enums.
"""

from .qt import QGridLayout, QHBoxLayout, QLabel, QWidget

BAR_STYLE = "background-color: #3b7dd8;"
LABEL_STYLE = "qproperty-alignment: 'AlignRight | AlignVCenter';"
ROW_GAP = 6


class BarChart(QWidget):
    """Labelled bars, one row each: label, bar scaled to the largest value, the count."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: list[tuple[str, int]] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(ROW_GAP)
        self.grid.setColumnStretch(1, 1)
        self._rows: list[QWidget] = []

    def set_bars(self, bars: list[tuple[str, int]]) -> None:
        self.bars = list(bars)
        for widget in self._rows:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._rows = []
        top_value = max((n for _, n in self.bars), default=0) or 1
        for row, (label, value) in enumerate(self.bars):
            name = QLabel(label)
            name.setStyleSheet(LABEL_STYLE)
            line = _bar_line(value, top_value)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(line, row, 1)
            self._rows += [name, line]


def _bar_line(value: int, top_value: int) -> QWidget:
    """The bar (stretched by ``value``), its count, then the space up to ``top_value``."""
    line = QWidget()
    layout = QHBoxLayout(line)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    if value:
        bar = QWidget()
        bar.setStyleSheet(BAR_STYLE)
        bar.setMinimumWidth(1)
        layout.addWidget(bar, value)
    layout.addWidget(QLabel(str(value)))
    layout.addStretch(top_value - value)
    return line
