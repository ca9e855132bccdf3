"""The 考核 and 补贴 tabs of the attendance screen: one month's evaluations and subsidies."""

from datetime import date
from pathlib import Path

from db import evaluation, glossary, subsidy
from db.errors import StationError
from db.holidays import Month
from db.policy import format_money
from db.station import Station

from .lists_screen import worker_station
from .messages import info, show_error
from .operations import run_in_background
from .post_documents import pay_sheet_pdf
from .print_preview import PrintPreviewDialog
from .qt import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import readonly_table

NOT_EVALUATED = "（未考核）"


class EvaluationPanel(QWidget):
    """考核: 优秀/合格/不合格 and notes per post holder; 全部合格 fills the blanks."""

    changed = Signal(object)

    def __init__(self, station: Station, parent=None):
        super().__init__(parent)
        self.station = station
        self.month: Month | None = None
        self.village: str | None = None
        self.locked = False
        self.rows: list = []
        self.table = readonly_table()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.fill_button = QPushButton("全部合格(&Q)")
        self.fill_button.setToolTip("给本月尚未考核的人都记为“合格”")
        self.save_button = QPushButton("保存考核(&V)")
        self.hint = QLabel("")
        self.fill_button.clicked.connect(self.fill_qualified)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.fill_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    @property
    def is_head(self) -> bool:
        return bool(self.station.account and self.station.account.is_head)

    def load(self, grid, village: str | None) -> None:
        self.month, self.village, self.locked = grid.month, village, grid.locked
        self.rows = grid.rows
        results = evaluation.evaluations(self.station, grid.month)
        self.table.clear()
        self.table.setColumnCount(5)
        self.table.setHorizontalHeaderLabels(["姓名", "村", "岗位", "考核结果", "备注"])
        self.table.setRowCount(len(self.rows))
        self.saved = {}
        for r, row in enumerate(self.rows):
            current = results.get(row.placement_id, {})
            self.saved[row.placement_id] = (current.get("result", ""), current.get("notes", ""))
            for c, text in enumerate((row.name, row.village, row.post_name)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            combo = QComboBox()
            combo.addItem(NOT_EVALUATED, "")
            for code, label in glossary.EVALUATION_RESULTS.items():
                combo.addItem(label, code)
            combo.setCurrentIndex(max(combo.findData(current.get("result", "")), 0))
            combo.setEnabled(not self.locked or self.is_head)
            self.table.setCellWidget(r, 3, combo)
            self.table.setItem(r, 4, QTableWidgetItem(current.get("notes", "")))
        self.table.setEditTriggers(self.table.EditTrigger.AllEditTriggers
                                   if not self.locked or self.is_head
                                   else self.table.EditTrigger.NoEditTriggers)
        for column, width in enumerate((80, 80, 120, 100)):
            self.table.setColumnWidth(column, width)
        self.fill_button.setEnabled(not self.locked)
        self.save_button.setEnabled(not self.locked or self.is_head)
        self.save_button.setText("更正考核(&V)…" if self.locked else "保存考核(&V)")
        missing = sum(1 for v in self.saved.values() if not v[0])
        self.hint.setText("本月已审核锁定，考核结果只能由站长更正（须写明原因）。" if self.locked
                          else f"还有 {missing} 人未考核。" if missing else "全部已考核。")

    def entered(self) -> list[tuple[str, str, str]]:
        """(placement_id, result, notes) of every row whose entry differs from the stored one."""
        out = []
        for r, row in enumerate(self.rows):
            result = self.table.cellWidget(r, 3).currentData()
            notes = (self.table.item(r, 4).text() if self.table.item(r, 4) else "").strip()
            if result and (result, notes) != self.saved[row.placement_id]:
                out.append((row.placement_id, result, notes))
        return out

    def save(self) -> None:
        todo = self.entered()
        if not todo:
            info(self, "考核结果没有改动。", "提示")
            return
        try:
            if self.locked:
                self._correct(todo)
            else:
                evaluation.set_evaluations(self.station, self.month, todo)
        except StationError as exc:
            show_error(self, exc)
            return
        self.changed.emit({"evaluation", "subsidy_result"})

    def _correct(self, todo: list) -> None:
        reason, ok = QInputDialog.getText(self, "更正考核结果",
                                          f"更正 {len(todo)} 人的考核结果，请写明原因：")
        if not ok:
            return
        for placement_id, result, notes in todo:
            subsidy.correct_evaluation(self.station, placement_id, self.month, result, notes,
                                       reason)

    def fill_qualified(self) -> None:
        try:
            count = evaluation.fill_qualified(self.station, self.month, self.village)
        except StationError as exc:
            show_error(self, exc)
            return
        self.changed.emit({"evaluation"})
        self.hint.setText(f"已将 {count} 人记为合格。")


class SubsidyPanel(QWidget):
    """补贴: each holder's amount with its explanation; export and print the pay sheet."""

    def __init__(self, station: Station, parent=None):
        super().__init__(parent)
        self.station = station
        self.month: Month | None = None
        self.village: str | None = None
        self.preview: PrintPreviewDialog | None = None
        self.results: list = []
        self.table = readonly_table()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.summary = QLabel("")
        self.summary.setStyleSheet("font-weight: bold;")
        self.export_button = QPushButton("导出 Excel(&E)…")
        self.print_button = QPushButton("打印补贴发放表(&F)…")
        self.public_button = QPushButton("打印公示版(&G)…")
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(lambda: self.print_sheet(public=False))
        self.public_button.clicked.connect(lambda: self.print_sheet(public=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.export_button, self.print_button, self.public_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def load(self, month: Month, village: str | None, locked: bool) -> None:
        self.month, self.village = month, village
        self.results = subsidy.month_results(self.station, month, village)
        self.table.clear()
        headers = ["姓名", "村", "岗位", "考核", "补贴金额（元）", "计算方法（鼠标停留可看全文）"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.results))
        for r, res in enumerate(self.results):
            cells = (res.name, res.village, res.post_name,
                     glossary.EVALUATION_RESULTS.get(res.evaluation, "未考核"),
                     format_money(res.amount), res.explanation)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(res.explanation)
                self.table.setItem(r, c, item)
            self.table.item(r, 4).setTextAlignment(Qt.AlignmentFlag.AlignRight
                                                  | Qt.AlignmentFlag.AlignVCenter)
        for column, width in enumerate((72, 72, 110, 56, 104)):
            self.table.setColumnWidth(column, width)
        total = format_money(sum(r.amount for r in self.results))
        state = "已审核，金额已核定" if locked else "未审核，金额为预览，仅供核对"
        self.summary.setText(f"{month.label}：共 {len(self.results)} 人，合计 {total} 元（{state}）")
        for button in (self.export_button, self.print_button, self.public_button):
            button.setEnabled(bool(self.results))

    def export(self) -> None:
        suggested = Path.home() / f"补贴发放表_{self.month}_{date.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出补贴发放表", str(suggested),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, out: Path) -> None:
        """Write the month's 补贴发放表 to ``out`` off the UI thread."""
        station, month = self.station, self.month
        full = bool(station.account and station.account.sees_full_numbers)

        def work(progress, cancelled):
            own = worker_station(station)
            try:
                return subsidy.export_pay_sheet(own, month, out, full_numbers=full)
            finally:
                own.close()

        run_in_background(self, work, lambda sheet: info(
            self, f"已导出{sheet.title}（{len(sheet.rows)} 人，合计 {sheet.total_text} 元）到：\n{out}"),
            label="正在导出补贴发放表……")

    def print_sheet(self, public: bool) -> None:
        try:
            pdf = pay_sheet_pdf(self.station, self.month, public=public, village=self.village)
        except StationError as exc:
            show_error(self, exc)
            return
        kind = "pay_public" if public else "pay"
        title = f"{self.month.label}{glossary.WELFARE_DOCUMENTS[kind]}"
        self.preview = PrintPreviewDialog(pdf, title, f"{title}.pdf", self)
        self.preview.open()
