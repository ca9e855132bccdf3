"""灵活就业收入: a month's flexible income of part-time post holders, and the exit
worklist of those whose income passes the 防止返贫监测 line (the clerk decides)."""

from db import flexible_income, placements
from db.errors import StationError
from db.holidays import Month
from db.policy import format_money
from db.station import Station

from .messages import show_error
from .post_documents import exit_notice_pdf
from .print_preview import PrintPreviewDialog
from .qt import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    Signal,
)
from .widgets import date_edit, date_of, error_label, readonly_table

INCOME_COLUMN, NOTE_COLUMN = 3, 4


class IncomeDialog(QDialog):
    """Enter ``month``'s incomes; decide exit or keep for each worklist entry."""

    changed = Signal(object)

    def __init__(self, station: Station, month: Month, parent=None):
        super().__init__(parent)
        self.station, self.month = station, month
        self.preview: PrintPreviewDialog | None = None
        self.setWindowTitle(f"{month.label}灵活就业收入与退岗提醒")
        self.incomes = readonly_table()
        self.incomes.setEditTriggers(self.incomes.EditTrigger.AllEditTriggers)
        self.save_button = QPushButton("保存收入(&S)")
        self.save_button.clicked.connect(self.save_incomes)
        self.worklist = readonly_table()
        self.exit_date = date_edit(month.last)
        self.note = QLineEdit()
        self.note.setPlaceholderText("暂不退岗时必须写明理由")
        self.exit_button = QPushButton("退出岗位(&X)")
        self.keep_button = QPushButton("暂不退岗(&K)")
        self.notice_button = QPushButton("打印退岗告知书(&P)…")
        self.error = error_label()
        self.exit_button.clicked.connect(lambda: self.decide("exit"))
        self.keep_button.clicked.connect(lambda: self.decide("keep"))
        self.notice_button.clicked.connect(self.print_notice)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        self._lay_out(close)
        self.resize(940, 620)
        self.load()

    def _lay_out(self, close: QPushButton) -> None:
        top = QGroupBox(f"{self.month.label}非全日制岗位人员的灵活就业收入（元，双击填写）")
        box = QVBoxLayout(top)
        box.addWidget(self.incomes, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        box.addLayout(row)
        bottom = QGroupBox("退岗提醒：折合年收入超过防止返贫监测收入线的人员")
        box = QVBoxLayout(bottom)
        box.addWidget(self.worklist, 1)
        decide = QHBoxLayout()
        for widget in (QLabel("退岗日期："), self.exit_date, QLabel("说明："), self.note,
                       self.exit_button, self.keep_button, self.notice_button):
            decide.addWidget(widget)
        box.addLayout(decide)
        layout = QVBoxLayout(self)
        layout.addWidget(top, 3)
        layout.addWidget(bottom, 2)
        layout.addWidget(self.error)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(close)
        layout.addLayout(end)

    def load(self) -> None:
        self.holders = [p for p in placements.list_placements(self.station, month=self.month)
                        if p["schedule"] == "part_time"]
        self.stored = {}
        self.incomes.clear()
        self.incomes.setColumnCount(5)
        self.incomes.setHorizontalHeaderLabels(["姓名", "村", "岗位", "本月收入（元）", "备注"])
        self.incomes.setRowCount(len(self.holders))
        for r, p in enumerate(self.holders):
            entered = [i for i in flexible_income.incomes(self.station, p["id"])
                       if i["month"] == str(self.month)]
            amount = format_money(entered[0]["amount"]).replace(",", "") if entered else ""
            note = entered[0]["note"] if entered else ""
            self.stored[p["id"]] = (amount, note)
            for c, text in enumerate((p["name"], p["village"], p["post_name"], amount, note)):
                item = QTableWidgetItem(text)
                if c < INCOME_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.incomes.setItem(r, c, item)
        for column, width in enumerate((80, 80, 140, 110)):
            self.incomes.setColumnWidth(column, width)
        self._load_worklist()

    def _load_worklist(self) -> None:
        self.candidates = flexible_income.exit_worklist(self.station, self.month)
        self.worklist.clear()
        self.worklist.setColumnCount(5)
        self.worklist.setHorizontalHeaderLabels(["姓名", "村", "岗位", "折合年收入（元）", "说明"])
        self.worklist.setRowCount(len(self.candidates))
        for r, c in enumerate(self.candidates):
            cells = (c.name, c.village, c.post_name, format_money(c.annualized), c.explanation)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(c.explanation)
                self.worklist.setItem(r, col, item)
        for column, width in enumerate((80, 80, 140, 120)):
            self.worklist.setColumnWidth(column, width)
        if self.candidates:
            self.worklist.selectRow(0)
        for button in (self.exit_button, self.keep_button, self.notice_button):
            button.setEnabled(bool(self.candidates))

    def save_incomes(self) -> None:
        try:
            count = 0
            for r, p in enumerate(self.holders):
                amount = self.incomes.item(r, INCOME_COLUMN).text().strip()
                note = self.incomes.item(r, NOTE_COLUMN).text().strip()
                if amount and (amount, note) != self.stored[p["id"]]:
                    flexible_income.record_income(self.station, p["id"], self.month, amount, note)
                    count += 1
        except StationError as exc:
            self.error.setText(f"{p['name']}：{exc}")
            return
        self.error.setText("")
        self.changed.emit({"flexible_income"})
        self.load()
        self.error.setText(f"已保存 {count} 人的收入。" if count else "收入没有改动。")

    def selected(self):
        row = self.worklist.currentRow()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def decide(self, decision: str) -> None:
        candidate = self.selected()
        if candidate is None:
            self.error.setText("请先在退岗提醒中选中一人。")
            return
        try:
            flexible_income.decide(self.station, candidate.placement_id, self.month, decision,
                                   self.note.text(), date_of(self.exit_date))
        except StationError as exc:
            self.error.setText(str(exc))
            return
        self.note.clear()
        self.changed.emit({"income_review", "placement"})
        self.load()

    def print_notice(self) -> None:
        candidate = self.selected()
        if candidate is None:
            return
        try:
            pdf = exit_notice_pdf(self.station, candidate.placement_id, self.month,
                                  date_of(self.exit_date))
        except StationError as exc:
            show_error(self, exc)
            return
        title = f"{candidate.name}退岗告知书"
        self.preview = PrintPreviewDialog(pdf, title, f"{title}.pdf", self)
        self.preview.open()
