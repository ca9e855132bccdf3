"""人员登记: search as you type over every registered person, open or register one."""

from db import people, search

from .people_model import PeopleModel
from .qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    Signal,
)
from .screen import Screen


class RegistryScreen(Screen):
    title = "人员登记"
    import_requested = Signal()

    def __init__(self, station, parent=None):
        super().__init__(station, parent)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("输入姓名、拼音首字母（如 zs）、身份证号或手机号查找")
        self.search_box.setClearButtonEnabled(True)
        self.new_button = QPushButton("新登记人员(&N)")
        self.import_button = QPushButton("导入花名册…")
        self.count_label = QLabel()
        self.model = PeopleModel(station, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((90, 50, 95, 170, 110, 100, 110)):
            self.table.setColumnWidth(column, width)

        top = QHBoxLayout()
        top.addWidget(QLabel("查找："))
        top.addWidget(self.search_box, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.search_box.textChanged.connect(self.run_search)
        self.search_box.returnPressed.connect(self.open_current)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.new_button.clicked.connect(self.register_new)
        self.import_button.clicked.connect(lambda: self.import_requested.emit())
        self.run_search("")

    def run_search(self, text: str) -> None:
        rowids = search.search_people(self.station, text)
        self.model.set_rowids(rowids)
        total = people.count_people(self.station)
        if text.strip():
            more = "（仅显示前 1000 人，请输入更多字符）" if len(rowids) >= search.DEFAULT_LIMIT else ""
            self.count_label.setText(f"找到 {len(rowids)} 人{more}，本站共登记 {total} 人")
        else:
            self.count_label.setText(f"本站共登记 {total} 人")
        if rowids:
            self.table.selectRow(0)

    def open_current(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())
        elif self._looks_like_id(self.search_box.text()):
            self.register_new()

    def open_row(self, row: int) -> None:
        person_id = self.model.person_id(row)
        if person_id:
            self.open_person.emit(person_id)

    def register_new(self) -> None:
        text = self.search_box.text().strip()
        self.open_person.emit("new:" + (text if self._looks_like_id(text) else ""))

    @staticmethod
    def _looks_like_id(text: str) -> bool:
        text = text.strip()
        return len(text) in (15, 18) and text[:-1].isdigit()

    def refresh(self, tables=None) -> None:
        if tables is None or "person" in tables or "employment_status" in tables:
            self.run_search(self.search_box.text())

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()
