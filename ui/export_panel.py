"""劳务输出 (点对点): batches of people sent together, their members, departure, roster.

A tab of the jobs screen. Left: the batches. Right: the chosen batch's people, a search
box to add more (name, pinyin initials or ID digits), 出发 (every member's 就业状态
follows) and the printed 花名册.
"""

from db import labour_export, search
from db.errors import StationError
from db.station import Station
from db.validation.masking import mask_id_number

from .documents import export_roster_pdf
from .job_dialogs import BatchDialog
from .messages import confirm, show_error
from .print_preview import PrintPreviewDialog
from .qt import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .screen import LoadsWhenShown
from .widgets import fill_table, readonly_table

WATCHED_TABLES = {"export_batch", "export_member", "person", "employer"}
BATCH_HEADERS = ["批次编号", "输出单位/地区", "类型", "出发日期", "人数", "状态"]
MEMBER_HEADERS = ["姓名", "性别", "年龄", "公民身份号码", "户籍村", "就业状态"]
SEARCH_LIMIT = 30


class ExportPanel(LoadsWhenShown, QWidget):
    changed = Signal(object)
    open_person = Signal(str)

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.batches: list[dict] = []
        self.members: list[dict] = []
        self.dialog = None
        self.preview: PrintPreviewDialog | None = None
        self.batch_table = readonly_table()
        self.member_table = readonly_table()
        self.new_button = QPushButton("新建批次…")
        self.depart_button = QPushButton("标记已出发")
        self.roster_button = QPushButton("打印花名册…")
        self.remove_button = QPushButton("移出所选人员")
        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名、拼音首字母或身份证号后几位")
        self.found = QListWidget()
        self.found.setMaximumHeight(110)
        self.add_button = QPushButton("加入批次")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self._lay_out()
        self._connect()
        self._stale = True

    def _lay_out(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.batch_table, 1)
        row = QHBoxLayout()
        for button in (self.new_button, self.depart_button, self.roster_button):
            row.addWidget(button)
        column.addLayout(row)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.member_table, 1)
        column.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        adding = QHBoxLayout()
        adding.addWidget(QLabel("添加人员："))
        adding.addWidget(self.search, 1)
        adding.addWidget(self.add_button)
        column.addLayout(adding)
        column.addWidget(self.found)
        column.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([640, 580])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _connect(self) -> None:
        self.batch_table.itemSelectionChanged.connect(self._load_members)
        self.member_table.doubleClicked.connect(lambda _i: self._open_person())
        self.new_button.clicked.connect(self.new_batch)
        self.depart_button.clicked.connect(self.mark_departed)
        self.roster_button.clicked.connect(self.print_roster)
        self.remove_button.clicked.connect(self.remove_member)
        self.search.textChanged.connect(self._search)
        self.add_button.clicked.connect(self.add_found)
        self.found.itemDoubleClicked.connect(lambda _i: self.add_found())

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        self._stale = False
        chosen = self.selected_batch()
        self.batches = labour_export.list_batches(self.station)
        self.batch_table.blockSignals(True)
        fill_table(self.batch_table, BATCH_HEADERS, [
            [b["number"], b["destination_text"], b["place_label"], b["depart_date"],
             b["member_count"], f"{b['departed_on']} 已出发" if b["departed_on"] else "待出发"]
            for b in self.batches])
        for column, width in enumerate((160, 200, 44, 86, 44)):
            self.batch_table.setColumnWidth(column, width)
        ids = [b["id"] for b in self.batches]
        if ids:
            self.batch_table.selectRow(ids.index(chosen["id"]) if chosen and chosen["id"] in ids
                                       else 0)
        self.batch_table.blockSignals(False)
        self._load_members()

    def refresh(self, tables: set[str] | None = None) -> None:
        self.reload_when_shown(tables, WATCHED_TABLES)

    def selected_batch(self) -> dict | None:
        row = self.batch_table.currentRow()
        return self.batches[row] if 0 <= row < len(self.batches) else None

    def _load_members(self) -> None:
        batch = self.selected_batch()
        self.members = labour_export.members(self.station, batch["id"]) if batch else []
        full = bool(self.station.account and self.station.account.sees_full_numbers)
        fill_table(self.member_table, MEMBER_HEADERS, [
            [m["name"], m["sex_label"], m["age"],
             m["id_number"] if full else mask_id_number(m["id_number"]), m["hukou_village"],
             m["status_label"]] for m in self.members])
        editable = bool(batch and not batch["departed_on"])
        for widget in (self.depart_button, self.remove_button, self.add_button, self.search):
            widget.setEnabled(editable)
        self.roster_button.setEnabled(bool(batch and self.members))

    # -- actions ------------------------------------------------------------------------------
    def _write(self, action, tables: set[str], note: str = "") -> bool:
        try:
            action()
        except StationError as exc:
            show_error(self, exc)
            return False
        self.note.setText(note)
        self.load()
        self.changed.emit(tables)
        return True

    def new_batch(self) -> None:
        self.dialog = BatchDialog(self.station, self)
        self.dialog.accepted.connect(lambda: (self.load(), self.changed.emit({"export_batch"})))
        self.dialog.open()

    def _search(self, text: str) -> None:
        self.found.clear()
        if not text.strip():
            return
        rowids = search.search_people(self.station, text, limit=SEARCH_LIMIT)
        rows = search.fetch_rows(self.station, rowids)
        for rowid in rowids:
            person = dict(zip(search.DISPLAY_COLUMNS, rows[rowid], strict=True))
            item = QListWidgetItem(f"{person['name']}　{mask_id_number(person['id_number'])}"
                                   f"　{person['hukou_village'] or ''}")
            item.setData(Qt.ItemDataRole.UserRole, person["id"])
            self.found.addItem(item)
        if self.found.count():
            self.found.setCurrentRow(0)

    def add_found(self) -> None:
        batch, item = self.selected_batch(), self.found.currentItem()
        if batch is None or item is None:
            return
        person_id = item.data(Qt.ItemDataRole.UserRole)
        if self._write(lambda: labour_export.add_members(self.station, batch["id"], [person_id]),
                       {"export_member"}, f"已加入：{item.text().split('　')[0]}"):
            self.search.clear()
            self.search.setFocus()

    def remove_member(self) -> None:
        batch, row = self.selected_batch(), self.member_table.currentRow()
        if batch and 0 <= row < len(self.members):
            person = self.members[row]
            self._write(lambda: labour_export.remove_member(self.station, batch["id"],
                                                            person["id"]), {"export_member"})

    def mark_departed(self) -> None:
        batch = self.selected_batch()
        if batch is None or not confirm(
                self, f"确定批次 {batch['number']} 已于 {batch['depart_date']} 出发吗？"
                      f"全部 {batch['member_count']} 人的就业状态将随之更新。"):
            return
        self._write(lambda: labour_export.mark_departed(self.station, batch["id"]),
                    {"export_batch", "employment_status", "person"},
                    f"批次 {batch['number']} 已标记出发。")

    def print_roster(self) -> None:
        batch = self.selected_batch()
        try:
            pdf = export_roster_pdf(self.station, batch["id"])
        except StationError as exc:
            show_error(self, exc)
            return
        title = f"劳务输出人员花名册 {batch['number']}"
        self.preview = PrintPreviewDialog(pdf, title, f"{title}.pdf", self)
        self.preview.open()

    def _open_person(self) -> None:
        row = self.member_table.currentRow()
        if 0 <= row < len(self.members):
            self.open_person.emit(self.members[row]["id"])
