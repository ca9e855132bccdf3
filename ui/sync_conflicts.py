"""The conflicts the county found, each in one sentence, and settling them:
采用本站 / 采用县里 / 手工修改. Settling is an ordinary change that reaches everyone."""

from db.errors import StationError
from db.station import Station
from sync import conflicts

from .messages import show_error
from .qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import error_label

NONE_OPEN = "没有待处理的冲突。"
HINT = "选中一条冲突，再选择采用哪一方的内容；处理结果会在下次同步时告知县里和其他服务站。"


class ManualValueDialog(QDialog):
    """手工修改: the value to keep, typed by the clerk (both values shown for reference)."""

    def __init__(self, conflict: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("手工修改")
        self.conflict = conflict
        what = conflicts.FIELD_LABELS.get(conflict["col"], conflict["col"])
        self.value_edit = QLineEdit(_winner(conflict))
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        sentence = QLabel(conflict["sentence"])
        sentence.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(sentence)
        layout.addWidget(QLabel(f"改为（{what}）："))
        layout.addWidget(self.value_edit)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def value(self) -> str:
        return self.value_edit.text().strip()

    def _check(self) -> None:
        if not self.value():
            self.error.setText("请填写要采用的内容。")
            return
        self.accept()


def _winner(conflict: dict) -> str:
    value = conflict["value_b"] if conflict["winner"] == "b" else conflict["value_a"]
    return "" if value is None else str(value)


class ConflictsPanel(QWidget):
    """The open conflicts, newest first; settled ones disappear."""

    settled = Signal(object)  # tables the settlement wrote

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.rows: list[dict] = []
        self.manual_dialog: ManualValueDialog | None = None
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.empty = QLabel(NONE_OPEN)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.buttons = {choice: QPushButton(label) for choice, label in conflicts.CHOICES.items()}
        row = QHBoxLayout()
        for choice, button in self.buttons.items():
            row.addWidget(button)
            button.clicked.connect(lambda _=False, c=choice: self.settle_selected(c))
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self.load()

    def load(self) -> None:
        self.rows = conflicts.open_conflicts(self.station)
        self.list.clear()
        for conflict in self.rows:
            item = QListWidgetItem(conflict["sentence"])
            item.setData(Qt.ItemDataRole.UserRole, conflict["id"])
            self.list.addItem(item)
        self.empty.setVisible(not self.rows)
        self.list.setVisible(bool(self.rows))
        if self.rows:
            self.list.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        conflict = self.selected()
        for choice, button in self.buttons.items():
            button.setEnabled(conflict is not None and not (
                choice == conflicts.MANUAL and conflict["kind"] == "delete_edit"))

    def selected(self) -> dict | None:
        row = self.list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def settle_selected(self, choice: str) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        if choice == conflicts.MANUAL:
            self._ask_value(conflict)
            return
        self._settle(conflict, choice)

    def _ask_value(self, conflict: dict) -> None:
        dialog = ManualValueDialog(conflict, self)
        dialog.accepted.connect(lambda: self._settle(conflict, conflicts.MANUAL, dialog.value()))
        dialog.finished.connect(dialog.deleteLater)
        self.manual_dialog = dialog
        dialog.open()  # window-modal without a nested event loop

    def _settle(self, conflict: dict, choice: str, value: str | None = None) -> None:
        try:
            conflicts.settle(self.station, conflict["id"], choice, value)
        except StationError as exc:
            show_error(self, exc)
            self.load()
            return
        self.load()
        self.settled.emit({"sync_conflict", conflict["tbl"]})
