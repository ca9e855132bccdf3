"""推荐反馈: the 回执 to chase (feedback overdue), every referral with its outcome, and the
day's letters printed in one batch."""

from datetime import date

from db import glossary, referrals
from db.errors import StationError
from db.station import Station

from .documents import referral_letters_pdf
from .messages import show_error
from .print_preview import PrintPreviewDialog
from .qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from .referral_flow import OutcomeDialog, letter_preview
from .screen import LoadsWhenShown, Screen
from .widgets import date_edit, date_of, fill_table, readonly_table

WATCHED_TABLES = {"referral", "person", "job", "employer", "setting"}
HEADERS = ["推荐信编号", "姓名", "户籍村", "用人单位", "工种", "推荐日期", "反馈期限",
           "推荐结果", "反馈日期", "经办人"]
ALL_OUTCOMES = "全部结果"


def referral_cells(r: dict) -> list:
    outcome = r["outcome_label"] + (f"（逾期 {r['overdue_days']} 天）" if r["overdue_days"] else "")
    return [r["number"], r["person_name"], r["hukou_village"], r["employer_name"], r["work_type"],
            r["referral_date"], r["due_date"], outcome, r["outcome_date"] or "", r["clerk"]]


class ReferralsScreen(LoadsWhenShown, Screen):
    title = "推荐反馈"

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(station, parent)
        self.overdue: list[dict] = []
        self.all_rows: list[dict] = []
        self.dialog: OutcomeDialog | None = None
        self.preview: PrintPreviewDialog | None = None
        self._stale = True
        self.overdue_table = readonly_table()
        self.all_table = readonly_table()
        self.outcome_filter = QComboBox()
        self.outcome_filter.addItem(ALL_OUTCOMES, "")
        for code, label in glossary.REFERRAL_OUTCOMES.items():
            self.outcome_filter.addItem(label, code)
        self.by_day = QCheckBox("只看推荐日期：")
        self.day = date_edit()
        self.print_day = date_edit()
        self.print_button = QPushButton("打印当日全部介绍信…")
        self.outcome_button = QPushButton("登记结果(&O)…")
        self.reprint_button = QPushButton("重新打印所选介绍信…")
        self.person_button = QPushButton("查看人员")
        self.count_label = QLabel("")
        self.tabs = QTabWidget()
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("按日批量打印，推荐日期："))
        top.addWidget(self.print_day)
        top.addWidget(self.print_button)
        top.addStretch(1)
        for button in (self.outcome_button, self.reprint_button, self.person_button):
            top.addWidget(button)
        listing = QWidget()
        column = QVBoxLayout(listing)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("推荐结果："))
        filters.addWidget(self.outcome_filter)
        filters.addWidget(self.by_day)
        filters.addWidget(self.day)
        filters.addWidget(self.count_label, 1)
        column.addLayout(filters)
        column.addWidget(self.all_table, 1)
        self.tabs.addTab(self.overdue_table, "逾期未反馈")
        self.tabs.addTab(listing, "全部推荐")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        self.outcome_filter.currentIndexChanged.connect(lambda _i: self._load_all())
        self.by_day.toggled.connect(lambda _on: self._load_all())
        self.day.dateChanged.connect(lambda _d: self.by_day.isChecked() and self._load_all())
        self.print_button.clicked.connect(self.print_day_letters)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.reprint_button.clicked.connect(self.reprint)
        self.person_button.clicked.connect(self._open_person)
        for table in (self.overdue_table, self.all_table):
            table.doubleClicked.connect(lambda _i: self._open_person())

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        self._stale = False
        self.overdue = referrals.overdue_referrals(self.station)
        fill_table(self.overdue_table, HEADERS, [referral_cells(r) for r in self.overdue])
        days = referrals.feedback_days(self.station)
        self.tabs.setTabText(0, f"逾期未反馈（{len(self.overdue)}）" if self.overdue
                             else "逾期未反馈（无）")
        self.overdue_table.setToolTip(f"推荐后超过 {days} 天仍未收到回执的推荐，请电话催问用人单位。")
        self._load_all()

    def _load_all(self) -> None:
        day = date_of(self.day) if self.by_day.isChecked() else None
        self.all_rows = referrals.list_referrals(
            self.station, outcome=self.outcome_filter.currentData(), day=day)
        fill_table(self.all_table, HEADERS, [referral_cells(r) for r in self.all_rows])
        self.count_label.setText(f"　共 {len(self.all_rows)} 条")

    def refresh(self, tables: set[str] | None = None) -> None:
        self.reload_when_shown(tables, WATCHED_TABLES)

    def selected(self) -> dict | None:
        table, rows = ((self.overdue_table, self.overdue) if self.tabs.currentIndex() == 0
                       else (self.all_table, self.all_rows))
        row = table.currentRow()
        return rows[row] if 0 <= row < len(rows) and table.selectedItems() else None

    # -- actions ------------------------------------------------------------------------------
    def record_outcome(self) -> None:
        referral = self.selected()
        if referral:
            self.dialog = OutcomeDialog(self.station, referral, self)
            self.dialog.accepted.connect(self._outcome_saved)
            self.dialog.open()

    def _outcome_saved(self) -> None:
        self.load()
        self.changed.emit(set(self.dialog.tables))

    def print_day_letters(self) -> None:
        day: date = date_of(self.print_day)
        try:
            pdf = referral_letters_pdf(self.station, day)
        except StationError as exc:
            show_error(self, exc)
            return
        title = f"{day.isoformat()} 推荐介绍信"
        self.preview = PrintPreviewDialog(pdf, title, f"{title}.pdf", self)
        self.preview.open()

    def reprint(self) -> None:
        referral = self.selected()
        if referral is None:
            return
        try:
            self.preview = letter_preview(self.station, referral["number"],
                                          referral["person_name"], self)
        except StationError as exc:
            show_error(self, exc)

    def _open_person(self) -> None:
        referral = self.selected()
        if referral:
            self.open_person.emit(referral["person_id"])
