"""考勤与补贴: the month grid of post holders × days, the 站长's approval, evaluations,
subsidies and the printed sheets.

The grid is driven by the keyboard (see ``attendance_model.LEGEND``): each keystroke is one
``set_mark`` and refreshes that row's totals. An approved month is read-only; only the
站长 reopens it or corrects a day with a reason.
"""

from db import accounts, subsidy
from db.clock import today
from db.errors import StationError
from db.holidays import Month
from db.policy import format_money
from db.station import Station

from .attendance_model import FIRST_DAY, LEGEND, TOTALS, AttendanceModel, AttendanceView
from .correction_dialog import CorrectionDialog
from .income_dialog import IncomeDialog
from .messages import confirm, info, show_error
from .post_documents import attendance_sheets_pdf
from .print_preview import PrintPreviewDialog
from .qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from .screen import LoadsWhenShown, Screen
from .subsidy_panels import EvaluationPanel, SubsidyPanel
from .widgets import refill_villages

ALL_VILLAGES = "全部村"
WATCHED_TABLES = {"placement", "welfare_post", "attendance_line", "attendance_month",
                  "evaluation", "subsidy_result", "policy_parameter", "village", "person",
                  "flexible_income", "income_review"}
BANNER_ERROR = "color: #c0392b; font-weight: bold;"
BANNER_OK = "color: #1e7e34;"


class AttendanceScreen(LoadsWhenShown, Screen):
    title = "考勤与补贴"

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.month = Month.parse(today())
        self.preview: PrintPreviewDialog | None = None
        self.dialog = None
        self._writing = False
        self._stale = True
        self.previous_button = QPushButton("◀ 上月")
        self.next_button = QPushButton("下月 ▶")
        self.month_label = QLabel("")
        self.month_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.month_label.setMinimumWidth(90)
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.village = QComboBox()
        self.status_label = QLabel("")
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.print_button = QPushButton("打印考勤表(&P)…")
        self.income_button = QPushButton("灵活就业收入(&I)…")
        self.approve_button = QPushButton("审核本月(&A)")
        self.reopen_button = QPushButton("重新打开(&R)…")
        self.correct_button = QPushButton("更正(&C)…")
        self.model = AttendanceModel(station, self)
        self.view = self._build_view()
        self.evaluations = EvaluationPanel(station)
        self.subsidies = SubsidyPanel(station)
        self.tabs = QTabWidget()
        self._lay_out()
        self._fill_villages()
        self._connect()

    def _build_view(self) -> AttendanceView:
        view = AttendanceView()
        view.setModel(self.model)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        view.verticalHeader().setDefaultSectionSize(24)
        view.horizontalHeader().setMinimumSectionSize(20)
        view.horizontalHeader().setFixedHeight(40)
        view.setWordWrap(False)
        return view

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for widget in (self.previous_button, self.month_label, self.next_button):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(QLabel("村："))
        top.addWidget(self.village)
        top.addSpacing(12)
        top.addWidget(self.status_label, 1)
        for button in (self.print_button, self.income_button, self.approve_button,
                       self.reopen_button, self.correct_button):
            top.addWidget(button)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #555;")
        grid_tab = QVBoxLayout()
        grid_tab.setContentsMargins(0, 4, 0, 0)
        grid_tab.addWidget(self.view, 1)
        grid_tab.addWidget(legend)
        page = QWidget()
        page.setLayout(grid_tab)
        self.tabs.addTab(page, "考勤表")
        self.tabs.addTab(self.evaluations, "考核")
        self.tabs.addTab(self.subsidies, "补贴")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        self.previous_button.clicked.connect(lambda: self.show_month(self.month.previous()))
        self.next_button.clicked.connect(lambda: self.show_month(self.month.next()))
        self.village.currentIndexChanged.connect(lambda _i: self.load())
        self.view.mark_typed.connect(self.write_current)
        self.model.hours_entered.connect(self._hours_entered)
        self.print_button.clicked.connect(self.print_sheets)
        self.income_button.clicked.connect(self.open_income)
        self.approve_button.clicked.connect(self.approve)
        self.reopen_button.clicked.connect(self.reopen)
        self.correct_button.clicked.connect(self.correct)
        self.evaluations.changed.connect(self._written)
        self.tabs.currentChanged.connect(lambda _i: self._load_tab())

    def _fill_villages(self) -> None:
        refill_villages(self.village, self.station, ALL_VILLAGES)

    def current_village(self) -> str | None:
        text = self.village.currentText()
        return None if text in ("", ALL_VILLAGES) else text

    # -- loading ------------------------------------------------------------------------------
    def show_month(self, month: Month) -> None:
        self.month = month
        self.load()

    def load(self) -> None:
        """Show the month: the grid, its status and the open tab."""
        self._stale = False
        self.month_label.setText(self.month.label)
        self.model.load(self.month, self.current_village())
        self._size_columns()
        self._show_status()
        self.say("")
        self._load_tab()
        if self.model.rows and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, FIRST_DAY))

    def _load_tab(self) -> None:
        if self.tabs.currentWidget() is self.evaluations:
            self.evaluations.load(self.model.grid, self.current_village())
        elif self.tabs.currentWidget() is self.subsidies:
            self.subsidies.load(self.month, self.current_village(), self.model.locked)

    def _size_columns(self) -> None:
        self.view.setColumnWidth(0, 92)
        days = self.model.day_count
        for column in range(FIRST_DAY, FIRST_DAY + days):
            self.view.setColumnWidth(column, 27)
        for offset in range(len(TOTALS)):
            self.view.setColumnWidth(FIRST_DAY + days + offset, 46)

    def _show_status(self) -> None:
        status = self.model.grid.status
        people = len(self.model.rows)
        if status.approved:
            who = self._display_name(status.approved_by)
            text = f"已审核锁定（{who}，{status.approved_at[:10]}）　{people} 人"
            self.status_label.setStyleSheet(BANNER_OK + " font-weight: bold;")
        else:
            again = f"，曾重新打开：{status.reopen_reason}" if status.reopen_reason else ""
            text = f"未审核{again}　{people} 人"
            self.status_label.setStyleSheet("")
        self.status_label.setText(text)
        self.approve_button.setVisible(self.is_head and not status.approved)
        self.approve_button.setEnabled(bool(people))
        self.reopen_button.setVisible(self.is_head and status.approved)
        self.correct_button.setVisible(self.is_head and status.approved)

    def _display_name(self, username: str) -> str:
        try:
            return accounts.get_account(self.station, username).display_name
        except StationError:
            return username

    def say(self, text: str, error: bool = True) -> None:
        """One line above the grid: what just went wrong (or right), never a popup."""
        self.banner.setStyleSheet(BANNER_ERROR if error else BANNER_OK)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def refresh(self, tables: set[str] | None = None) -> None:
        if self._writing or (tables is not None and not tables & WATCHED_TABLES):
            return
        if tables is None or "village" in tables:
            self._fill_villages()
        self.reload_when_shown(tables, WATCHED_TABLES)

    def _written(self, tables: set[str]) -> None:
        """After a write here: tell the window, then reload this screen once."""
        self._writing = True
        try:
            self.changed.emit(set(tables))
        finally:
            self._writing = False
        self.load()

    # -- keyboard marks -----------------------------------------------------------------------
    def write_current(self, value: str) -> None:
        """Write ``value`` (mark code, hours, "" to clear) on the current cell, move right."""
        index = self.view.currentIndex()
        if index.isValid():
            self.write(index.row(), index.column(), value)

    def _hours_entered(self, row: int, column: int, text: str) -> None:
        self.write(row, column, text)

    def write(self, row: int, column: int, value: str) -> None:
        if self.model.locked:
            hint = "请点“更正…”并写明原因。" if self.is_head else "如需更正请找站长。"
            self.say(f"{self.month.label}的考勤已经站长审核锁定，不能直接修改；{hint}")
            return
        try:
            self.model.mark(row, column, value)
        except StationError as exc:
            self.say(str(exc))
            return
        self.say("")
        self._writing = True
        try:
            self.changed.emit({"attendance_line"})
        finally:
            self._writing = False
        self._move_on(row, column)

    def _move_on(self, row: int, column: int) -> None:
        last = FIRST_DAY + self.model.day_count - 1
        if column < last:
            self.view.setCurrentIndex(self.model.index(row, column + 1))
        elif row + 1 < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row + 1, FIRST_DAY))

    # -- the 站长's month close ---------------------------------------------------------------
    def approve(self) -> None:
        if not confirm(self, f"审核{self.month.label}的考勤和考核？\n审核后本月锁定，"
                             "补贴金额按现行参数核定，之后只能由站长更正。"):
            return
        try:
            closed = subsidy.approve_month(self.station, self.month)
        except StationError as exc:
            show_error(self, exc, "不能审核")
            return
        self._written({"attendance_month", "attendance_line", "subsidy_result"})
        self.say(f"已审核{closed.month.label}：{closed.people} 人，补贴合计 "
                 f"{format_money(closed.total)} 元。本月已锁定。", error=False)

    def reopen(self) -> None:
        reason, ok = QInputDialog.getText(self, "重新打开",
                                          f"重新打开{self.month.label}，请写明原因：")
        if ok:
            self.reopen_with(reason)

    def reopen_with(self, reason: str) -> None:
        try:
            subsidy.reopen_month(self.station, self.month, reason)
        except StationError as exc:
            show_error(self, exc)
            return
        self._written({"attendance_month", "attendance_line", "subsidy_result"})
        self.say(f"{self.month.label}已重新打开，改好后请再次审核。", error=False)

    def correct(self) -> None:
        index = self.view.currentIndex()
        day = self.model.day_index(index.column()) if index.isValid() else None
        if day is None:
            info(self, "请先在考勤表中选中要更正的那一天。", "提示")
            return
        row = self.model.rows[index.row()]
        self.dialog = CorrectionDialog(self.station, row, self.model.grid.days[day].day, self)
        self.dialog.corrected.connect(lambda: self._written({"attendance_line",
                                                             "attendance_correction",
                                                             "subsidy_result"}))
        self.dialog.open()

    # -- documents ----------------------------------------------------------------------------
    def print_sheets(self) -> None:
        try:
            pdf, _ = attendance_sheets_pdf(self.station, self.month, self.current_village())
        except StationError as exc:
            show_error(self, exc)
            return
        title = f"{self.month.label}公益性岗位月度考勤表"
        self.preview = PrintPreviewDialog(pdf, title, f"{title}.pdf", self)
        self.preview.open()

    def open_income(self) -> None:
        self.dialog = IncomeDialog(self.station, self.month, self)
        self.dialog.changed.connect(self._written)
        self.dialog.open()
