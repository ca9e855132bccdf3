"""培训需求: the station's training-need list for the county, filtered and exported."""

from datetime import date
from pathlib import Path

from db import glossary, training, villages

from .lists_screen import worker_station
from .messages import info
from .operations import run_in_background
from .qt import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout
from .screen import LoadsWhenShown, Screen
from .widgets import fill_table, readonly_table

WATCHED_TABLES = {"training_need", "training_record", "brand_tag", "person", "village"}
COLUMNS = [("name", "姓名"), ("sex", "性别"), ("age", "年龄"), ("id_number", "公民身份号码"),
           ("phone", "手机号"), ("hukou_village", "户籍村"), ("kind_label", "培训类型"),
           ("course", "意向项目"), ("recorded_on", "登记日期"), ("brands", "劳务品牌")]


class TrainingScreen(LoadsWhenShown, Screen):
    title = "培训需求"

    def __init__(self, station, parent=None):
        super().__init__(station, parent)
        self.rows: list[dict] = []
        self.village = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem("全部类型", "")
        for code, label in glossary.TRAINING_KINDS.items():
            self.kind.addItem(label, code)
        self.count = QLabel()
        self.export_button = QPushButton("导出 Excel…")
        self.table = readonly_table()
        top = QHBoxLayout()
        for widget in (QLabel("村："), self.village, QLabel("培训类型："), self.kind, self.count):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("登记了培训需求、或有培训意愿尚未登记需求的人员（双击打开此人）"))
        layout.addWidget(self.table, 1)
        self._fill_villages()
        self.village.currentIndexChanged.connect(self.load)
        self.kind.currentIndexChanged.connect(self.load)
        self.export_button.clicked.connect(self.export)
        self.table.cellDoubleClicked.connect(
            lambda row, _: self.open_person.emit(self.rows[row]["id"]))

    def _fill_villages(self) -> None:
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem("全部村", "")
        for name in villages.list_villages(self.station):
            self.village.addItem(name, name)
        self.village.blockSignals(False)

    def _full(self) -> bool:
        return bool(self.account and self.account.sees_full_numbers)

    def load(self) -> None:
        self._stale = False
        self.rows = training.need_list(self.station, village=self.village.currentData(),
                                       kind=self.kind.currentData(), full_numbers=self._full())
        fill_table(self.table, [label for _, label in COLUMNS],
                   [[row.get(key, "") for key, _ in COLUMNS] for row in self.rows])
        self.count.setText(f"共 {len(self.rows)} 人")

    def refresh(self, tables=None) -> None:
        if tables is None or "village" in tables:
            self._fill_villages()
        self.reload_when_shown(tables, WATCHED_TABLES)

    def export(self) -> None:
        suggested = Path.home() / f"培训需求名单_{date.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", str(suggested),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, out: Path) -> None:
        station, village, kind, full = (self.station, self.village.currentData(),
                                        self.kind.currentData(), self._full())

        def work(progress, cancelled):
            own = worker_station(station)
            try:
                return training.export_need_list(own, out, village=village, kind=kind,
                                                 full_numbers=full)
            finally:
                own.close()

        run_in_background(self, work, lambda n: info(self, f"已导出 {n} 人到：\n{out}"),
                          label="正在导出培训需求名单……")
