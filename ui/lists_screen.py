"""三类清单: the employed, unemployed and willing-to-go-out lists, filtered and exported.

A list can hold tens of thousands of people: the rows are built off the UI thread (on a
connection of the worker's own) and shown through a table model over plain dicts.
"""

from datetime import date
from pathlib import Path

from db import exports, glossary, lists, villages
from db.station import Station, open_station

from .messages import info
from .operations import run_in_background
from .print_preview import preview_document
from .qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPushButton,
    QSpinBox,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
)
from .screen import Screen

ALL_VILLAGES = "全部"
# Typical cell text per column: widths follow the font, so 大字号 still fits.
SAMPLES = {"name": "欧阳秀英", "id_number": "370124196805030125", "phone": "13805312266",
           "hukou_village": "李家庄村", "groups": "脱贫人口、大龄", "current_status": "县外省内务工",
           "employer": "苏州精工机械有限公司", "work_place": "平阴县城",
           "current_status_since": "2026-11-29", "out_destination": "平阴县城",
           "out_work_type": "养老护理员", "skills": "养老护理员"}
NUMERIC = {"age", "monthly_income", "out_expected_wage"}
SORT_KEYS = {"name": "search_pinyin"}
WATCHED_TABLES = {"person", "employment_status", "setting", "village"}


def worker_station(station: Station) -> Station:
    """The same station on a connection of its own, for use on a worker thread."""
    other = open_station(station.data_dir)
    if station.account:
        other.act_as(station.account)
    return other


class ListModel(QAbstractTableModel):
    """One list's rows (display-ready dicts from ``lists.rows``) as a read-only table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: list[str] = []
        self.rows: list[dict] = []

    def set_rows(self, columns: list[str], rows: list[dict]) -> None:
        self.beginResetModel()
        self.columns, self.rows = columns, rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return lists.LABELS[self.columns[section]]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self.rows[index.row()].get(key)  # the tip shows text cut off by width
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = SORT_KEYS.get(self.columns[column], self.columns[column])
        blank = 0 if key in NUMERIC else ""

        def sort_key(row: dict):
            value = row.get(key)
            return (value is None or value == "", blank if value is None else value)

        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()  # keep the selection on the same people
        kept_ids = [self.rows[i.row()]["id"] for i in kept]
        self.rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        where = {row["id"]: n for n, row in enumerate(self.rows)}
        self.changePersistentIndexList(
            kept, [self.index(where[pid], i.column()) for pid, i in zip(kept_ids, kept,
                                                                         strict=True)])
        self.layoutChanged.emit()

    def person_id(self, row: int) -> str | None:
        return self.rows[row]["id"] if 0 <= row < len(self.rows) else None


class ListsScreen(Screen):
    title = "三类清单"

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self._generation = 0
        self._stale = True
        self.kind = QComboBox()
        for code, label in glossary.LIST_KINDS.items():
            self.kind.addItem(label, code)
        self.village = QComboBox()
        self.min_age, self.max_age = self._age_box(), self._age_box()
        group_names = {**glossary.GROUP_FLAGS, "older": glossary.PERSON_FIELDS["older"]}
        self.groups = {key: QCheckBox(group_names[key]) for key in lists.GROUP_KEYS}
        self.count_label = QLabel("")
        self.count_label.setStyleSheet("font-weight: bold;")
        self.export_button = QPushButton("导出 Excel…")
        self.print_button = QPushButton("打印(&P)…")
        self.preview = None
        self.model = ListModel(self)
        self.table = self._build_table()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self._lay_out()
        self._fill_villages()
        self._connect()

    @staticmethod
    def _age_box() -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 120)
        box.setSpecialValueText("不限")
        box.setSuffix(" 岁")
        return box

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.setToolTip("双击或回车打开此人")
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for text, widget in (("清单：", self.kind), ("户籍村：", self.village),
                             ("年龄：", self.min_age), ("至", self.max_age)):
            top.addWidget(QLabel(text))
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        groups = QHBoxLayout()
        groups.addWidget(QLabel("人员类别（须同时符合）："))
        for check in self.groups.values():
            groups.addWidget(check)
        groups.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(groups)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(self.reload)
        self.village.currentIndexChanged.connect(self.reload)
        for check in self.groups.values():
            check.toggled.connect(self.reload)
        for box in (self.min_age, self.max_age):
            box.valueChanged.connect(self._debounce.start)
        self.table.activated.connect(self._open_row)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_list)

    def _fill_villages(self) -> None:
        current = self.village.currentText()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItems([ALL_VILLAGES, *villages.list_villages(self.station)])
        self.village.setCurrentIndex(max(self.village.findText(current), 0))
        self.village.blockSignals(False)

    # -- what is shown -------------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def current_filter(self) -> lists.ListFilter:
        village = self.village.currentText()
        return lists.ListFilter(
            village="" if village == ALL_VILLAGES else village,
            groups={key for key, check in self.groups.items() if check.isChecked()},
            min_age=self.min_age.value() or None, max_age=self.max_age.value() or None)

    @property
    def full_numbers(self) -> bool:
        return bool(self.account and self.account.sees_full_numbers)

    def reload(self) -> None:
        """Build the chosen list off the UI thread; a newer request supersedes older ones."""
        self._debounce.stop()
        self._stale = False
        self._generation += 1
        generation, station = self._generation, self.station
        kind, flt, full = self.current_kind(), self.current_filter(), self.full_numbers
        self.count_label.setText("正在统计……")

        def work(progress, cancelled):
            own = worker_station(station)
            try:
                return lists.rows(own, kind, flt, full_numbers=full)
            finally:
                own.close()

        def done(rows) -> None:
            if generation == self._generation:
                self._show(kind, rows)

        run_in_background(self, work, done, label="正在生成清单……")

    def _show(self, kind: str, rows: list[dict]) -> None:
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_rows(lists.COLUMNS[kind], rows)
        metrics = self.table.fontMetrics()
        for column, key in enumerate(lists.COLUMNS[kind]):
            text = max(SAMPLES.get(key, ""), lists.LABELS[key], key=metrics.horizontalAdvance)
            self.table.setColumnWidth(column, metrics.horizontalAdvance(text) + 16)
        self.count_label.setText(f"共 {len(rows)} 人")

    def refresh(self, tables: set[str] | None = None) -> None:
        if tables is not None and not tables & WATCHED_TABLES:
            return
        if tables is None or "village" in tables:
            self._fill_villages()
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _open_row(self, index) -> None:
        person_id = self.model.person_id(index.row())
        if person_id:
            self.open_person.emit(person_id)

    def print_list(self) -> None:
        """Preview the list as shown (same kind and filters) for printing or saving as PDF."""
        from .documents import list_pdf

        kind, flt = self.current_kind(), self.current_filter()
        self.preview = preview_document(
            self, lambda: list_pdf(self.station, kind, flt),
            f"{glossary.LIST_KINDS[kind]}_{date.today():%Y%m%d}")

    # -- export -----------------------------------------------------------------------------
    def export(self) -> None:
        """Save the list as shown (same kind and filters) to an .xlsx the clerk chooses."""
        kind, flt, full = self.current_kind(), self.current_filter(), self.full_numbers
        suggested = Path.home() / f"{glossary.LIST_KINDS[kind]}_{date.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出 Excel", str(suggested), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        station = self.station

        def work(progress, cancelled):
            own = worker_station(station)
            try:
                return exports.export_list(own, kind, out, flt, full_numbers=full)
            finally:
                own.close()

        run_in_background(self, work, lambda n: info(self, f"已导出 {n} 人到：\n{out}"),
                          label="正在导出 Excel……")
