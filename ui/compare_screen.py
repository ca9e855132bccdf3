"""信息比对: load a county list, see who differs from the station, export the result.

The comparison runs in the background (the list may be long) and writes nothing.
Double-clicking a person the station holds opens their record.
"""

from pathlib import Path

from db import compare, glossary
from db.station import Station
from db.validation.masking import mask_id_number, mask_phone

from .import_wizard import FILE_FILTER, own_station
from .messages import info, show_error
from .operations import run_in_background
from .qt import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)
from .screen import Screen
from .table_export import ask_xlsx_path
from .widgets import fill_table, readonly_table

GROUPS = ("only_in_list", "only_in_station", "differing", "unreadable")
HEADERS = {
    "only_in_list": ["名单行号", "姓名", "公民身份号码", "手机号", "村", "就业状态"],
    "only_in_station": ["姓名", "公民身份号码", "手机号", "户籍村", "就业状态"],
    "differing": ["名单行号", "姓名", "公民身份号码", "不一致项目", "名单中", "本站中"],
    "unreadable": ["名单行号", "原因"],
}


def _fit(table) -> None:
    """Columns a little wider than their contents, so nothing looks squeezed."""
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, max(table.columnWidth(column) + 18, 80))


class CompareScreen(Screen):
    title = "信息比对"

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.result: compare.Comparison | None = None
        self.person_ids: dict[str, list[str | None]] = {g: [] for g in GROUPS}
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("选择县里下发的名单（.xlsx、.xls 或 .csv）")
        self.browse = QPushButton("浏览…")
        self.kind = QComboBox()
        for code, label in glossary.COMPARE_KINDS.items():
            self.kind.addItem(label, code)
        self.run_button = QPushButton("开始比对")
        self.export_button = QPushButton("导出结果…")
        self.export_button.setEnabled(False)
        self.scope = QLabel()
        self.scope.setWordWrap(True)
        self.scope.setStyleSheet("color: #555;")
        self.summary = QLabel("请选择名单文件和名单类型，然后点“开始比对”。")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.tabs = QTabWidget()
        self.tables = {}
        for group in GROUPS:
            table = readonly_table()
            table.setToolTip("双击或回车打开此人" if group in ("only_in_station", "differing") else "")
            table.activated.connect(lambda index, g=group: self._open(g, index.row()))
            self.tables[group] = table
            self.tabs.addTab(table, glossary.COMPARE_GROUPS[group])
        self._lay_out()
        self.browse.clicked.connect(self.choose_file)
        self.run_button.clicked.connect(self.run_comparison)
        self.export_button.clicked.connect(self.export)
        self.kind.currentIndexChanged.connect(self._show_scope)
        self._show_scope()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("名单文件："))
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.browse)
        top.addSpacing(12)
        top.addWidget(QLabel("名单类型："))
        top.addWidget(self.kind)
        top.addWidget(self.run_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scope)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def _show_scope(self) -> None:
        self.scope.setText(compare.SCOPE_NOTES[self.kind.currentData()]
                           + "按公民身份号码比对；“信息不一致”比较姓名、就业状态、户籍村和手机号。")

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择比对名单", str(Path.home()), FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    @property
    def full_numbers(self) -> bool:
        return bool(self.account and self.account.sees_full_numbers)

    # -- comparing -----------------------------------------------------------------------------
    def run_comparison(self) -> None:
        text = self.path_edit.text().strip().strip('"')
        if not text:
            self.summary.setText("请先选择名单文件。")
            return
        path, kind, station = Path(text), self.kind.currentData(), self.station
        self.summary.setText("正在比对……")
        self.run_button.setEnabled(False)

        def work(progress, cancelled):
            own = own_station(station)
            try:
                return compare.compare_roster(own, path, kind, progress=progress,
                                              cancelled=cancelled)
            finally:
                own.close()

        def failed(exc) -> None:
            self.run_button.setEnabled(True)
            self.summary.setText("比对没有完成。")
            show_error(self, exc)

        run_in_background(self, work, self.show_result, label="正在比对名单……",
                          cancellable=True, on_error=failed)

    def show_result(self, result: compare.Comparison) -> None:
        self.run_button.setEnabled(True)
        self.result = result
        idn = (lambda n: n) if self.full_numbers else mask_id_number
        tel = (lambda n: n) if self.full_numbers else (lambda n: mask_phone(n) if n else "")
        rows = {
            "only_in_list": [[e.row, e.name, idn(e.id_number), tel(e.phone), e.village, e.status]
                             for e in result.only_in_list],
            "only_in_station": [[p["name"], idn(p["id_number"]), tel(p["phone"]),
                                 p["hukou_village"], glossary.status_label(p["current_status"])]
                                for p in result.only_in_station],
            "differing": [[d.row, d.name, idn(d.id_number), d.label,
                           tel(d.list_value) if d.field == "phone" else d.list_value,
                           tel(d.station_value) if d.field == "phone" else d.station_value]
                          for d in result.differing],
            "unreadable": [[r.row, r.reason] for r in result.unreadable],
        }
        self.person_ids = {"only_in_list": [None] * len(result.only_in_list),
                           "only_in_station": [p["id"] for p in result.only_in_station],
                           "differing": [d.person_id for d in result.differing],
                           "unreadable": [None] * len(result.unreadable)}
        counts = {"only_in_list": len(result.only_in_list),
                  "only_in_station": len(result.only_in_station),
                  "differing": result.differing_people, "unreadable": len(result.unreadable)}
        for index, group in enumerate(GROUPS):
            fill_table(self.tables[group], HEADERS[group], rows[group])
            _fit(self.tables[group])
            self.tabs.setTabText(index, f"{glossary.COMPARE_GROUPS[group]}（{counts[group]}）")
        self.summary.setText(
            f"{glossary.COMPARE_KINDS[result.kind]}名单“{result.path.name}”共 {result.rows} 行，"
            f"其中 {result.matched} 人本站也有。名单有、本站无 {counts['only_in_list']} 人；"
            f"本站有、名单无 {counts['only_in_station']} 人；信息不一致 {counts['differing']} 人；"
            f"无法比对 {counts['unreadable']} 行。")
        self.export_button.setEnabled(True)

    def _open(self, group: str, row: int) -> None:
        ids = self.person_ids.get(group, [])
        if 0 <= row < len(ids) and ids[row]:
            self.open_person.emit(ids[row])

    # -- export --------------------------------------------------------------------------------
    def export(self) -> None:
        if self.result is None:
            return
        out = ask_xlsx_path(self, f"信息比对结果_{glossary.COMPARE_KINDS[self.result.kind]}")
        if out is None:
            return
        result, full = self.result, self.full_numbers
        run_in_background(
            self, lambda progress, cancelled: compare.export_comparison(result, out,
                                                                        full_numbers=full),
            lambda n: info(self, f"已导出 {n} 行到：\n{out}"), label="正在导出 Excel……")
