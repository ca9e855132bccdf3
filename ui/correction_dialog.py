"""更正: the 站长 changes one day of an approved month, with a reason (audited)."""

from datetime import date

from db import attendance, glossary, subsidy
from db.attendance import GridRow
from db.errors import StationError
from db.policy import format_money
from db.station import Station

from .qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    Signal,
)
from .widgets import error_label

CLEAR = "（清除）"


class CorrectionDialog(QDialog):
    """Correct ``row``'s mark on ``day``; emits ``corrected`` with the new SubsidyResult."""

    corrected = Signal(object)

    def __init__(self, station: Station, row: GridRow, day: date, parent=None):
        super().__init__(parent)
        self.station, self.row, self.day = station, row, day
        self.setWindowTitle("更正已审核的考勤")
        index = day.day - 1
        now = attendance.describe_mark(row.marks[index], row.hours[index])
        self.value = QComboBox()
        if row.hourly:
            self.value.setEditable(True)
            self.value.setToolTip("填写小时数，如 3.5；填 0 为清除")
            self.value.setCurrentText("")
        else:
            for code, label in glossary.ATTENDANCE_MARKS.items():
                self.value.addItem(label, code)
            self.value.addItem(CLEAR, "")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：村里报来的考勤表有误")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("人员：", QLabel(f"{row.name}（{row.village} {row.post_name}）"))
        form.addRow("日期：", QLabel(f"{day.year}年{day.month}月{day.day}日，现为：{now}"))
        form.addRow("改为：", self.value)
        form.addRow("更正原因：", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("更正")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return self.value.currentText().strip() if self.row.hourly else self.value.currentData()

    def save(self) -> None:
        try:
            result = subsidy.correct_mark(self.station, self.row.placement_id, self.day,
                                          self.chosen(), self.reason.text())
        except StationError as exc:
            self.error.setText(str(exc))
            return
        self.result_text = f"已更正，{result.name}本月补贴改为 {format_money(result.amount)} 元。"
        self.corrected.emit(result)
        self.accept()
