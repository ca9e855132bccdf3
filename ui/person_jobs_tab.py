"""岗位推荐, a tab of the person dialog: the open jobs that fit this person (score and
reasons), 推荐 with its letter, and the person's referrals with their outcomes."""

from db import matching, referrals
from db.errors import StationError
from db.station import Station

from .messages import show_error
from .print_preview import PrintPreviewDialog
from .qt import QHBoxLayout, QLabel, QPushButton, QSplitter, Qt, QVBoxLayout, QWidget, Signal
from .referral_flow import OutcomeDialog, letter_preview, refer
from .widgets import fill_table, readonly_table

JOB_HEADERS = ["得分", "用人单位", "工种", "薪资", "工作地", "有效期至", "匹配理由"]
REFERRAL_HEADERS = ["推荐信编号", "用人单位", "工种", "推荐日期", "推荐结果", "反馈日期",
                    "反馈期限", "经办人"]
MAX_WIDTH = 220


def _sized(table) -> None:
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, min(table.columnWidth(column), MAX_WIDTH))
    table.resizeRowsToContents()


class PersonJobsTab(QWidget):
    """Jobs for one person, and what became of the referrals already made."""

    changed = Signal(object)  # set[str] of table names
    add_button = None  # Enter keeps its meaning in the dialog (no 添加 on this tab)

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.person_id: str | None = None
        self.person_name = ""
        self.matches: list[matching.Match] = []
        self.referrals: list[dict] = []
        self.dialog: OutcomeDialog | None = None
        self.preview: PrintPreviewDialog | None = None
        self.jobs_table = readonly_table()
        self.jobs_table.setWordWrap(True)
        self.referral_table = readonly_table()
        self.jobs_title = QLabel("适合此人的在招岗位")
        self.referral_title = QLabel("推荐记录")
        for label in (self.jobs_title, self.referral_title):
            label.setStyleSheet("font-weight: bold;")
        self.refer_button = QPushButton("推荐并打印介绍信…")
        self.outcome_button = QPushButton("登记结果…")
        self.reprint_button = QPushButton("重新打印介绍信…")
        self.note = QLabel("")
        self.note.setStyleSheet("color: #1e7e34;")
        self._lay_out()
        self.refer_button.clicked.connect(self.refer_selected)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.reprint_button.clicked.connect(self.reprint)
        self.jobs_table.doubleClicked.connect(lambda _i: self.refer_selected())
        self.referral_table.doubleClicked.connect(lambda _i: self.record_outcome())

    def _lay_out(self) -> None:
        top, bottom = QWidget(), QWidget()
        upper = QVBoxLayout(top)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.addWidget(self.jobs_title)
        upper.addWidget(self.jobs_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.refer_button)
        row.addWidget(self.note, 1)
        upper.addLayout(row)
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 4, 0, 0)
        lower.addWidget(self.referral_title)
        lower.addWidget(self.referral_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.outcome_button)
        row.addWidget(self.reprint_button)
        row.addStretch(1)
        lower.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([300, 200])
        QVBoxLayout(self).addWidget(split)

    def load(self, person_id: str) -> None:
        self.person_id = person_id
        self.reload()

    def reload(self) -> None:
        if self.person_id is None:
            return
        self.matches = matching.jobs_for_person(self.station, self.person_id)
        self.person_name = self.matches[0].person["name"] if self.matches else self.person_name
        fill_table(self.jobs_table, JOB_HEADERS, [
            [m.score, m.job["employer_name"], m.job["work_type"], m.job["wage_text"],
             m.job["place_label"] + (f"·{m.job['work_place']}" if m.job["work_place"] else ""),
             m.job["valid_until"], m.explanation] for m in self.matches])
        _sized(self.jobs_table)
        self.jobs_title.setText(f"适合此人的在招岗位（{len(self.matches)} 个，按得分排列）")
        self.referrals = referrals.list_referrals(self.station, person_id=self.person_id)
        if self.referrals:
            self.person_name = self.referrals[0]["person_name"]
        fill_table(self.referral_table, REFERRAL_HEADERS, [
            [r["number"], r["employer_name"], r["work_type"], r["referral_date"],
             r["outcome_label"] + (f"（逾期 {r['overdue_days']} 天）" if r["overdue_days"] else ""),
             r["outcome_date"] or "", r["due_date"], r["clerk"]] for r in self.referrals])
        _sized(self.referral_table)
        self.referral_title.setText(f"推荐记录（{len(self.referrals)} 条）")
        self._enable()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.reload()  # a new 就业状态 on another tab changes what fits

    def _enable(self) -> None:
        self.refer_button.setEnabled(bool(self.matches))
        for button in (self.outcome_button, self.reprint_button):
            button.setEnabled(bool(self.referrals))

    def _row(self, table, rows: list):
        row = table.currentRow()
        return rows[row] if 0 <= row < len(rows) and table.selectedItems() else None

    def refer_selected(self) -> None:
        match = self._row(self.jobs_table, self.matches)
        if match is None:
            self.note.setText("请先在上表选中一个岗位。")
            return
        try:
            made, self.preview = refer(self.station, self.person_id, match.job["id"],
                                       match.person["name"], self)
        except StationError as exc:
            show_error(self, exc)
            return
        self.reload()
        self.note.setText(f"已推荐到 {match.job['employer_name']}（{match.job['work_type']}），"
                          f"推荐信编号 {made['number']}。")
        self.changed.emit({"referral", "service_log"})

    def record_outcome(self) -> None:
        referral = self._row(self.referral_table, self.referrals)
        if referral is None:
            self.note.setText("请先在下表选中一条推荐记录。")
            return
        self.dialog = OutcomeDialog(self.station, referral, self)
        self.dialog.accepted.connect(self._outcome_saved)
        self.dialog.open()

    def _outcome_saved(self) -> None:
        self.reload()
        self.changed.emit(set(self.dialog.tables))

    def reprint(self) -> None:
        referral = self._row(self.referral_table, self.referrals)
        if referral is None:
            self.note.setText("请先在下表选中一条推荐记录。")
            return
        try:
            self.preview = letter_preview(self.station, referral["number"],
                                          referral["person_name"], self)
        except StationError as exc:
            show_error(self, exc)
