"""月度报表: pick a month, export the 农民工就业服务工作月报 to Excel or preview and print it."""

from pathlib import Path

from db import glossary, monthly_report
from db.clock import today
from db.holidays import Month
from db.station import Station

from .lists_screen import worker_station
from .messages import info
from .operations import run_in_background
from .print_preview import PrintPreviewDialog
from .qt import QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout
from .report_documents import monthly_report_pdf

MONTHS_OFFERED = 24


def recent_months(count: int = MONTHS_OFFERED) -> list[Month]:
    """This month and the ones before it, newest first."""
    months = [Month.parse(today())]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


class MonthlyReportDialog(QDialog):
    """月度报表: a month, then 导出 Excel… or 打印预览…"""

    def __init__(self, station: Station, parent=None):
        super().__init__(parent)
        self.station = station
        self._preview: PrintPreviewDialog | None = None
        self.setWindowTitle(glossary.REPORT_DOCUMENTS["monthly"])
        self.month = QComboBox()
        for month in recent_months():
            self.month.addItem(month.label, str(month))
        if self.month.count() > 1 and today().day < 15:
            self.month.setCurrentIndex(1)  # early in a month the report is for the last one
        self.export_button = QPushButton("导出 Excel…")
        self.print_button = QPushButton("打印预览…")
        close = QPushButton("关闭")
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.preview)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("月份："))
        row.addWidget(self.month, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.export_button, self.print_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(buttons)

    def chosen_month(self) -> str:
        return self.month.currentData()

    def _in_worker(self, job, on_done, label: str) -> None:
        station = self.station

        def work(progress, cancelled):
            own = worker_station(station)
            try:
                return job(own)
            finally:
                own.close()

        run_in_background(self, work, on_done, label=label)

    def export(self) -> None:
        month = self.chosen_month()
        suggested = Path.home() / f"{Month.parse(month).label}农民工就业服务工作月报.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", str(suggested),
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        self._in_worker(
            lambda own: monthly_report.export_xlsx(monthly_report.monthly_report(own, month), out),
            lambda _rows: info(self, f"已导出月报到：\n{out}"), "正在生成月报……")

    def preview(self) -> None:
        month = self.chosen_month()
        self._in_worker(lambda own: monthly_report_pdf(own, month), self._show_preview,
                        "正在生成月报……")

    def _show_preview(self, pdf: bytes) -> None:
        label = Month.parse(self.chosen_month()).label
        self._preview = PrintPreviewDialog(pdf, f"{label}月报", f"{label}月报.pdf", self)
        self._preview.open()
