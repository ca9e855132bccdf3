"""帮扶台账: who is in the ledger now, their follow-ups, a 登记走访 form and 帮扶措施.

Overdue follow-ups are red. Export (.xlsx) and print (PDF preview) run off the UI thread.
"""

from datetime import date, timedelta
from pathlib import Path

from db import glossary, ledger, settings, villages
from db.errors import StationError
from db.station import Station

from .lists_screen import worker_station
from .messages import info
from .operations import run_in_background
from .print_preview import PrintPreviewDialog
from .qt import (
    QCheckBox,
    QColor,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from .report_documents import ledger_pdf
from .screen import Screen
from .widgets import date_edit, date_of, error_label, fill_table, readonly_table

ALL_VILLAGES = "全部"
OVERDUE_COLOR = QColor("#c0392b")
ENTRY_COLUMNS = (("name", "姓名"), ("village", "村"), ("groups", "人员类别"),
                 ("status", "就业状态"), ("last_followup_date", "上次走访"),
                 ("due_date", "应走访日期"), ("overdue_days", "逾期天数"), ("measures", "帮扶措施"))
WATCHED_TABLES = {"person", "employment_status", "ledger_entry", "ledger_followup", "village",
                  "setting"}
CHANGED_TABLES = {"ledger_followup", "ledger_entry", "service_log", "employment_status", "person"}


class LedgerScreen(Screen):
    title = "帮扶台账"

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(station, parent)
        self.entries: list[dict] = []
        self._preview: PrintPreviewDialog | None = None
        self.village = QComboBox()
        self.overdue_only = QCheckBox("仅看逾期")
        self.count_label = QLabel("")
        self.export_button = QPushButton("导出 Excel…")
        self.print_button = QPushButton("打印…")
        self.table = readonly_table()
        self.table.setToolTip("双击或回车打开此人")
        self.person_label = QLabel("请在左侧选择一人")
        self.person_label.setStyleSheet("font-weight: bold;")
        self.history = readonly_table()
        for table in (self.table, self.history):
            table.setWordWrap(False)
            table.verticalHeader().setDefaultSectionSize(24)
        self._build_form()
        self._lay_out()
        self._fill_villages()
        self._connect()
        self.reload()

    def _build_form(self) -> None:
        self.followup_date = date_edit()
        self.method = QComboBox()
        for code, label in glossary.FOLLOWUP_METHODS.items():
            self.method.addItem(label, code)
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("例如：在家务农，有外出务工意愿")
        self.next_due = date_edit()
        self.new_status = QComboBox()
        self.new_status.addItem("（不变）", "")
        for code, label in glossary.STATUS.items():
            self.new_status.addItem(label, code)
        self.record_button = QPushButton("登记走访")
        self.form_error = error_label()
        self.measures = QLineEdit()
        self.save_measures_button = QPushButton("保存措施")
        self._suggest_next_due()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("户籍村："))
        top.addWidget(self.village)
        top.addWidget(self.overdue_only)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        form_box = QGroupBox("登记走访")
        form = QFormLayout(form_box)
        form.addRow("走访日期", self.followup_date)
        form.addRow("方式", self.method)
        form.addRow("结果", self.outcome)
        form.addRow("下次走访日期", self.next_due)
        form.addRow("新就业状态", self.new_status)
        form.addRow(self.form_error)
        form.addRow("", self.record_button)
        measures_box = QGroupBox("帮扶措施")
        row = QHBoxLayout(measures_box)
        row.addWidget(self.measures, 1)
        row.addWidget(self.save_measures_button)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.person_label)
        column.addWidget(QLabel("走访记录"))
        column.addWidget(self.history, 1)
        column.addWidget(form_box)
        column.addWidget(measures_box)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.village.currentIndexChanged.connect(self.reload)
        self.overdue_only.toggled.connect(self.reload)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        self.followup_date.dateChanged.connect(self._suggest_next_due)
        self.record_button.clicked.connect(self.record_followup)
        self.save_measures_button.clicked.connect(self.save_measures)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_ledger)

    def _fill_villages(self) -> None:
        current = self.village.currentText()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItems([ALL_VILLAGES, *villages.list_villages(self.station)])
        self.village.setCurrentIndex(max(self.village.findText(current), 0))
        self.village.blockSignals(False)

    def _suggest_next_due(self) -> None:
        days = settings.get(self.station, "ledger.followup_interval_days")
        when = date_of(self.followup_date) + timedelta(days=days)
        self.next_due.setDate(date_edit(when).date())

    # -- the entries -------------------------------------------------------------------------
    def chosen_village(self) -> str:
        village = self.village.currentText()
        return "" if village == ALL_VILLAGES else village

    def reload(self) -> None:
        """Read the entries again, keeping the selection on the same person."""
        kept = self.selected_entry()
        self.entries = ledger.current_entries(
            self.station, village=self.chosen_village(),
            overdue_only=self.overdue_only.isChecked(), full_numbers=self._full_numbers)
        fill_table(self.table, [label for _k, label in ENTRY_COLUMNS],
                   [[e[key] or "" for key, _l in ENTRY_COLUMNS]
                    for e in self.entries])
        for row, entry in enumerate(self.entries):
            if entry["overdue_days"]:
                for col in range(self.table.columnCount()):
                    self.table.item(row, col).setForeground(OVERDUE_COLOR)
        late = sum(1 for e in self.entries if e["overdue_days"])
        self.count_label.setText(f"在册 {len(self.entries)} 人，走访逾期 {late} 人")
        ids = [e["id"] for e in self.entries]
        if kept and kept["id"] in ids:
            self.table.selectRow(ids.index(kept["id"]))
        self._show_selected()

    @property
    def _full_numbers(self) -> bool:
        return bool(self.account and self.account.sees_full_numbers)

    def selected_entry(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.entries[rows[0].row()] if rows and rows[0].row() < len(self.entries) else None

    def _show_selected(self) -> None:
        entry = self.selected_entry()
        enabled = entry is not None
        for widget in (self.record_button, self.save_measures_button, self.outcome,
                       self.measures):
            widget.setEnabled(enabled)
        self.form_error.setText("")
        if not entry:
            self.person_label.setText("请在左侧选择一人")
            fill_table(self.history, ["走访日期", "方式", "结果", "下次走访", "走访人"], [])
            self.measures.clear()
            return
        late = f"，走访已逾期 {entry['overdue_days']} 天" if entry["overdue_days"] else ""
        self.person_label.setText(f"{entry['name']}（{entry['village']}，{entry['status']}）"
                                  f"　应于 {entry['due_date']} 前走访{late}")
        fill_table(self.history, ["走访日期", "方式", "结果", "下次走访", "走访人"],
                   [[f["followup_date"], f["method_label"], f["outcome"], f["next_due_date"],
                     f["clerk"]] for f in ledger.followups(self.station, entry["id"])])
        self.measures.setText(entry["measures"] or "")

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.open_person.emit(self.entries[row]["person_id"])

    def refresh(self, tables: set[str] | None = None) -> None:
        if tables is not None and not tables & WATCHED_TABLES:
            return
        if tables is None or "village" in tables:
            self._fill_villages()
        self.reload()

    # -- writes ------------------------------------------------------------------------------
    def record_followup(self) -> None:
        """Record the form's follow-up of the selected entry; refusals show under the form."""
        entry = self.selected_entry()
        if not entry:
            return
        try:
            ledger.record_followup(
                self.station, entry["id"], date_of(self.followup_date),
                self.method.currentData(), self.outcome.text(), date_of(self.next_due),
                new_status=self.new_status.currentData() or None)
        except StationError as exc:
            self.form_error.setText(str(exc))
            return
        self.outcome.clear()
        self.new_status.setCurrentIndex(0)
        self.reload()
        self.changed.emit(set(CHANGED_TABLES))

    def save_measures(self) -> None:
        entry = self.selected_entry()
        if not entry:
            return
        try:
            changed = ledger.set_measures(self.station, entry["id"], self.measures.text())
        except StationError as exc:
            self.form_error.setText(str(exc))
            return
        if changed:
            self.reload()
            self.changed.emit({"ledger_entry"})

    # -- export and print --------------------------------------------------------------------
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
        village, late, full = self.chosen_village(), self.overdue_only.isChecked(), \
            self._full_numbers
        suggested = Path.home() / f"就业帮扶台账_{date.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", str(suggested),
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        self._in_worker(
            lambda own: ledger.export_ledger(own, out, village=village, overdue_only=late,
                                             full_numbers=full),
            lambda n: info(self, f"已导出 {n} 人到：\n{out}"), "正在导出 Excel……")

    def print_ledger(self) -> None:
        village, late = self.chosen_village(), self.overdue_only.isChecked()
        self._in_worker(lambda own: ledger_pdf(own, village=village, overdue_only=late),
                        self._show_preview, "正在生成台账……")

    def _show_preview(self, pdf: bytes) -> None:
        title = glossary.REPORT_DOCUMENTS["ledger"]
        self._preview = PrintPreviewDialog(pdf, title, f"{title}_{date.today():%Y%m%d}.pdf", self)
        self._preview.open()
