"""The month grid of attendance (post holders × days) as a Qt table, and its keyboard.

One row per placement (the person's name in the row header), one column per day, then
the row's totals. A keystroke writes one day through ``db.attendance.set_mark`` and
refreshes only that row.
"""

from decimal import Decimal

from db import attendance, glossary
from db.attendance import OUT, REST, Grid, GridRow
from db.holidays import HOLIDAY, MAKEUP
from db.policy import format_hours
from db.station import Station

from .qt import QAbstractTableModel, QColor, QModelIndex, Qt, QTableView, Signal

POST_COLUMN = 0
FIRST_DAY = 1
TOTALS = (("应出勤", "planned"), ("出勤", "present"), ("请假", "leave"), ("缺勤", "absent"))
# One key per mark, as on the legend shown under the grid.
KEY_MARKS = {Qt.Key.Key_1: "present", Qt.Key.Key_Space: "present", Qt.Key.Key_2: "leave",
             Qt.Key.Key_3: "absent", Qt.Key.Key_4: "half"}
DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): str(n) for n in range(10)}
CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
LEGEND = ("键盘记考勤：1 或空格 = 出勤(√)　2 = 请假(假)　3 = 缺勤(×)　4 = 半天(半)　"
          "Delete = 清除　方向键移动；按小时计的岗位直接按数字记工时（回车可输入 3.5 这样的小数）。"
          "灰色为休息日，深灰为不在岗；表头红色“休”为法定节假日，蓝色“班”为调休上班日。")

OUT_BACKGROUND = QColor("#c8c8c8")
REST_BACKGROUND = QColor("#ececec")
HOLIDAY_BACKGROUND = QColor("#fbe3e3")
MAKEUP_BACKGROUND = QColor("#e3ecfb")
MARK_COLOURS = {"leave": QColor("#1f5fbf"), "absent": QColor("#c0392b"),
                "half": QColor("#b9770e")}


def _days(value: Decimal | int) -> str:
    return format_hours(value) if value else "0"


def totals_text(row: GridRow, key: str) -> str:
    """A row's total for one of the TOTALS columns."""
    t = row.totals
    if key == "planned":
        return str(t.planned_days)
    if row.hourly:
        return f"{format_hours(t.hours)}时" if key == "present" else ""
    value = {"present": t.present_days, "leave": t.leave_days,
             "absent": t.absent_days + Decimal(t.half_days) / 2}[key]
    return _days(value)


class AttendanceModel(QAbstractTableModel):
    """The grid of one month (optionally one village) from ``db.attendance``."""

    hours_entered = Signal(int, int, str)  # row, column, text typed in a cell editor

    def __init__(self, station: Station, parent=None):
        super().__init__(parent)
        self.station = station
        self.grid: Grid | None = None
        self.rows: list[GridRow] = []

    def load(self, month, village: str | None = None) -> None:
        self.beginResetModel()
        self.grid = attendance.attendance_grid(self.station, month, village or None)
        self.rows = list(self.grid.rows)
        self.endResetModel()

    @property
    def locked(self) -> bool:
        return bool(self.grid and self.grid.locked)

    @property
    def day_count(self) -> int:
        return len(self.grid.days) if self.grid else 0

    def day_index(self, column: int) -> int | None:
        """The 0-based day of ``column``, or None for the post and totals columns."""
        index = column - FIRST_DAY
        return index if 0 <= index < self.day_count else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or not self.grid else FIRST_DAY + self.day_count + len(TOTALS)

    # -- headers ------------------------------------------------------------------------------
    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and section < len(self.rows):
                return self.rows[section].name
            return None
        day = self.day_index(section)
        if day is None:
            return self._fixed_header(section) if role == Qt.ItemDataRole.DisplayRole else None
        info = self.grid.days[day]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{info.day.day}\n{info.note or info.weekday}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return {HOLIDAY: QColor("#c0392b"), MAKEUP: QColor("#1f5fbf")}.get(info.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            if info.kind == HOLIDAY:
                return f"{info.day:%m月%d日} {info.festival}（法定节假日）"
            if info.kind == MAKEUP:
                return f"{info.day:%m月%d日} 调休上班（{info.festival}）"
            return f"{info.day:%m月%d日} 星期{info.weekday}"
        return None

    def _fixed_header(self, section: int) -> str:
        if section == POST_COLUMN:
            return "岗位"
        return TOTALS[section - FIRST_DAY - self.day_count][0]

    # -- cells --------------------------------------------------------------------------------
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        day = self.day_index(index.column())
        if day is None:
            return self._fixed_data(row, index.column(), role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if row.hourly:
                hours = row.hours[day]
                return format_hours(hours) if hours is not None else ""
            return glossary.MARK_SYMBOLS.get(row.marks[day], "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, day)
        if role == Qt.ItemDataRole.ForegroundRole and not row.hourly:
            return MARK_COLOURS.get(row.marks[day])
        if role == Qt.ItemDataRole.ToolTipRole:
            info = self.grid.days[day]
            what = ("不在岗" if row.plan[day] == OUT else
                    attendance.describe_mark(row.marks[day], row.hours[day]))
            return f"{row.name} {info.day.month}月{info.day.day}日：{what}"
        return None

    def _background(self, row: GridRow, day: int):
        if row.plan[day] == OUT:
            return OUT_BACKGROUND
        kind = self.grid.days[day].kind
        if kind == HOLIDAY:
            return HOLIDAY_BACKGROUND
        if row.plan[day] == REST:
            return REST_BACKGROUND
        return MAKEUP_BACKGROUND if kind == MAKEUP else None

    def _fixed_data(self, row: GridRow, column: int, role):
        if column == POST_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.post_name
            if role == Qt.ItemDataRole.ToolTipRole:
                basis = glossary.PAY_BASES[row.pay_basis]
                waiting = "" if row.approved else "（上岗待站长审批）"
                return f"{row.village} {row.post_name}，{basis}{waiting}"
            if role == Qt.ItemDataRole.ForegroundRole and not row.approved:
                return QColor("#b9770e")
            return None
        key = TOTALS[column - FIRST_DAY - self.day_count][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return totals_text(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "present" and row.totals.unmarked_days:
            return f"有 {row.totals.unmarked_days} 个工作日未记考勤"
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        day = self.day_index(index.column())
        if day is not None and not self.locked and self.rows[index.row()].hourly \
                and self.rows[index.row()].editable(day):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    # -- writes -------------------------------------------------------------------------------
    def mark(self, row: int, column: int, value) -> GridRow:
        """Write one day (a mark code, hours text, or "" to clear); refresh that row."""
        day = self.day_index(column)
        line = self.rows[row]
        updated = attendance.set_mark(self.station, line.placement_id,
                                      self.grid.days[day].day, value)
        self.replace_row(row, updated)
        return updated

    def replace_row(self, row: int, line: GridRow) -> None:
        self.rows[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        """Hours typed in the cell editor of an hourly post: the screen writes them."""
        if role != Qt.ItemDataRole.EditRole or self.day_index(index.column()) is None:
            return False
        self.hours_entered.emit(index.row(), index.column(), str(value).strip())
        return True


class AttendanceView(QTableView):
    """The grid's view: one key per mark (see LEGEND); emits ``mark_typed(value)``.

    ``value`` is a mark code, hours text, or "" to clear; the screen writes it for the
    current cell and moves on.
    """

    mark_typed = Signal(object)

    def keyPressEvent(self, event) -> None:
        value = self._value_for(event)
        if value is None:
            super().keyPressEvent(event)
            return
        event.accept()
        self.mark_typed.emit(value)

    def _value_for(self, event) -> str | None:
        index = self.currentIndex()
        model = self.model()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier \
                & ~Qt.KeyboardModifier.ShiftModifier:
            return None
        if not index.isValid() or not isinstance(model, AttendanceModel) \
                or model.day_index(index.column()) is None:
            return None
        key = event.key()
        if key in CLEAR_KEYS:
            return ""
        if model.rows[index.row()].hourly:
            return DIGIT_KEYS.get(key)
        return KEY_MARKS.get(key)
