"""政策参数: the welfare-post parameters in force, their history, and (站长) a new value
from a chosen date. Closed months keep the values they were approved with."""

from db import policy
from db.clock import today
from db.errors import StationError
from db.station import Station

from .qt import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    Signal,
)
from .widgets import date_edit, date_of, error_label, readonly_table

SOURCES = {"station": "本站", "county": "县里下发"}


class PolicyDialog(QDialog):
    """Everyone sees the parameters; only the 站长 sets a new value."""

    changed = Signal(object)

    def __init__(self, station: Station, parent=None):
        super().__init__(parent)
        self.station = station
        self.setWindowTitle("公益性岗位政策参数")
        self.current = readonly_table()
        self.history = readonly_table()
        self.key = QComboBox()
        for key, param in policy.DECLARED.items():
            self.key.addItem(f"{param.label}（{param.unit}）" if param.unit else param.label, key)
        self.value = QLineEdit()
        self.effective = date_edit(today())
        self.note = QLineEdit()
        self.note.setPlaceholderText("依据文件等")
        self.set_button = QPushButton("设定新值(&S)")
        self.set_button.clicked.connect(self.save)
        self.key.currentIndexChanged.connect(lambda _i: self._show_history())
        self.current.currentCellChanged.connect(lambda r, *_: self.key.setCurrentIndex(r))
        self.error = error_label()
        self._lay_out()
        self.resize(900, 620)
        self.load()

    @property
    def is_head(self) -> bool:
        return bool(self.station.account and self.station.account.is_head)

    def _lay_out(self) -> None:
        setter = QGroupBox("设定新值（从生效日期起适用；已审核的月份不受影响）")
        row = QHBoxLayout(setter)
        for widget in (self.key, QLabel("新值："), self.value, QLabel("生效日期："),
                       self.effective, QLabel("备注："), self.note, self.set_button):
            row.addWidget(widget)
        setter.setVisible(self.is_head)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        end = QHBoxLayout()
        if not self.is_head:
            end.addWidget(QLabel("政策参数由站长设定或县里下发。"))
        end.addStretch(1)
        end.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("现行参数："))
        layout.addWidget(self.current, 3)
        layout.addWidget(QLabel("所选参数的历次设定："))
        layout.addWidget(self.history, 2)
        layout.addWidget(setter)
        layout.addWidget(self.error)
        layout.addLayout(end)

    def load(self) -> None:
        values = policy.values_on(self.station, today())
        self.current.setColumnCount(2)
        self.current.setHorizontalHeaderLabels(["参数", "现行值"])
        self.current.setRowCount(len(policy.DECLARED))
        for r, key in enumerate(policy.DECLARED):
            self.current.setItem(r, 0, QTableWidgetItem(policy.DECLARED[key].label))
            self.current.setItem(r, 1, QTableWidgetItem(policy.display_value(key, values[key])))
        self.current.setColumnWidth(0, 260)
        self._show_history()

    def _show_history(self) -> None:
        key = self.key.currentData()
        rows = policy.history(self.station, key)
        self.history.setColumnCount(4)
        self.history.setHorizontalHeaderLabels(["生效日期", "值", "来源", "备注"])
        self.history.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row["effective_from"], row["shown"],
                                      SOURCES.get(row["source"], row["source"]), row["note"])):
                self.history.setItem(r, c, QTableWidgetItem(text))
        if not rows:
            default = policy.DECLARED[key].default
            self.history.setRowCount(1)
            self.history.setItem(0, 0, QTableWidgetItem("（默认）"))
            self.history.setItem(0, 1, QTableWidgetItem(policy.display_value(key, default)))
        self.history.setColumnWidth(0, 100)
        self.history.setColumnWidth(1, 220)

    def save(self) -> None:
        key = self.key.currentData()
        try:
            policy.set_parameter(self.station, key, self.value.text().strip(),
                                 date_of(self.effective), note=self.note.text())
        except StationError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.value.clear()
        self.changed.emit({"policy_parameter"})
        self.load()
        self.key.setCurrentIndex(self.key.findData(key))
