"""公益性岗位: the village posts, who is placed on each, and what needs attention.

Top: the posts (category, village, 全日制/非全日制, hours, subsidy standard, capacity and
filled). Below: the selected post's placements — place a person, 站长 approval, term,
exit, insurance, the printed 上岗通知书 — and the month's reminders (insurance expiring,
term ended, eligibility, one post per household, income over the line).
"""

from db import glossary, placements, welfare_posts
from db.clock import today
from db.errors import StationError
from db.holidays import Month
from db.policy import format_money
from db.station import Station
from db.validation.masking import mask_id_number

from .messages import show_error
from .place_dialog import PlaceDialog
from .policy_dialog import PolicyDialog
from .post_dialogs import ExitDialog, InsuranceDialog, PostDialog, TermDialog
from .post_documents import placement_notice_pdf
from .print_preview import PrintPreviewDialog
from .qt import (
    QColor,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from .screen import LoadsWhenShown, Screen
from .widgets import readonly_table, refill_villages

ALL_VILLAGES = "全部村"
WATCHED_TABLES = {"welfare_post", "placement", "insurance_policy", "person", "village",
                  "policy_parameter", "flexible_income", "income_review"}
POST_HEADERS = ["村", "岗位名称", "类别", "用工形式", "考勤方式", "每日工时", "月补贴标准（元）",
                "定员", "在岗", "岗位职责"]
PLACEMENT_HEADERS = ["姓名", "公民身份号码", "上岗日期", "聘期结束", "退岗日期", "退岗原因",
                     "审批", "意外伤害保险"]


def _filled(table, rows: list[list[str]], widths: tuple[int, ...]) -> None:
    table.verticalHeader().setDefaultSectionSize(24)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)


class PostsScreen(LoadsWhenShown, Screen):
    title = "公益性岗位"

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.posts: list[dict] = []
        self.placements: list[dict] = []
        self.dialog = None
        self.preview: PrintPreviewDialog | None = None
        self._stale = True
        self.village = QComboBox()
        self.count_label = QLabel("")
        self.add_button = QPushButton("新增岗位(&N)…")
        self.edit_button = QPushButton("修改岗位(&E)…")
        self.policy_button = QPushButton("政策参数…")
        self.posts_table = readonly_table()
        self.posts_table.setColumnCount(len(POST_HEADERS))
        self.posts_table.setHorizontalHeaderLabels(POST_HEADERS)
        self.placements_table = readonly_table()
        self.placements_table.setColumnCount(len(PLACEMENT_HEADERS))
        self.placements_table.setHorizontalHeaderLabels(PLACEMENT_HEADERS)
        self.place_button = QPushButton("安置上岗(&P)…")
        self.approve_button = QPushButton("审批上岗(&A)")
        self.term_button = QPushButton("变更聘期(&T)…")
        self.exit_button = QPushButton("退岗(&X)…")
        self.insurance_button = QPushButton("登记保险(&I)…")
        self.notice_button = QPushButton("打印上岗通知书(&O)…")
        self.person_button = QPushButton("查看人员")
        self.approve_button.setVisible(self.is_head)
        self.warnings_table = readonly_table()
        self.tabs = QTabWidget()
        self._lay_out()
        self._fill_villages()
        self._connect()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("村："))
        top.addWidget(self.village)
        top.addWidget(self.count_label, 1)
        for button in (self.add_button, self.edit_button, self.policy_button):
            top.addWidget(button)
        holders = QWidget()
        column = QVBoxLayout(holders)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.placements_table, 1)
        buttons = QHBoxLayout()
        for button in (self.place_button, self.approve_button, self.term_button,
                       self.exit_button, self.insurance_button, self.notice_button,
                       self.person_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.tabs.addTab(holders, "本岗位人员")
        self.tabs.addTab(self.warnings_table, "提醒（保险到期等）")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.posts_table)
        split.addWidget(self.tabs)
        split.setSizes([380, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        self.village.currentIndexChanged.connect(lambda _i: self.load())
        self.posts_table.itemSelectionChanged.connect(self._load_placements)
        self.posts_table.doubleClicked.connect(lambda _i: self.edit_post())
        self.placements_table.itemSelectionChanged.connect(self._enable)
        self.add_button.clicked.connect(self.add_post)
        self.edit_button.clicked.connect(self.edit_post)
        self.policy_button.clicked.connect(self.open_policy)
        self.place_button.clicked.connect(self.place)
        self.approve_button.clicked.connect(self.approve)
        self.term_button.clicked.connect(lambda: self._open(TermDialog))
        self.exit_button.clicked.connect(lambda: self._open(ExitDialog))
        self.insurance_button.clicked.connect(lambda: self._open(InsuranceDialog))
        self.notice_button.clicked.connect(self.print_notice)
        self.person_button.clicked.connect(self._open_person)
        self.placements_table.doubleClicked.connect(lambda _i: self._open_person())

    def _fill_villages(self) -> None:
        refill_villages(self.village, self.station, ALL_VILLAGES)

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        self._stale = False
        chosen = self.selected_post()
        village = self.village.currentText()
        self.posts = welfare_posts.list_posts(
            self.station, None if village == ALL_VILLAGES else village)
        _filled(self.posts_table, [self._post_cells(p) for p in self.posts],
                (80, 130, 90, 72, 72, 64, 110, 44, 44))
        self.count_label.setText(f"　共 {len(self.posts)} 个岗位，在岗 "
                                 f"{sum(p['filled'] for p in self.posts)} 人")
        ids = [p["id"] for p in self.posts]
        self.posts_table.selectRow(ids.index(chosen["id"]) if chosen and chosen["id"] in ids
                                   else 0)
        self._load_placements()
        self._load_warnings()

    @staticmethod
    def _post_cells(p: dict) -> list[str]:
        standard = ("按政策计算" if p["subsidy_standard"] is None
                    else format_money(p["subsidy_standard"]))
        return [p["village"], p["name"], p["category_label"], p["schedule_label"],
                p["pay_basis_label"], f"{p['daily_hours']} 小时", standard,
                str(p["capacity"]), str(p["filled"]), p["duties"] or ""]

    def _load_placements(self) -> None:
        post = self.selected_post()
        found = placements.list_placements(self.station, village=post["village"]) if post else []
        self.placements = [p for p in found if post and p["post_id"] == post["id"]]
        self.placements.sort(key=lambda p: (p["exit_date"] is not None, p["start_date"]))
        full = bool(self.account and self.account.sees_full_numbers)
        cover = {w.placement_id: w.text for w in placements.insurance_warnings(self.station)}
        rows = []
        for p in self.placements:
            policies = placements.insurance_of(self.station, p["id"])
            insured = f"{policies[0]['insurer']} 至 {policies[0]['end_date']}" if policies else "未投保"
            rows.append([p["name"], p["id_number"] if full else mask_id_number(p["id_number"]),
                         p["start_date"], p["end_date"] or "", p["exit_date"] or "",
                         glossary.EXIT_REASONS.get(p["exit_reason"] or "", ""),
                         "已审批" if p["approved_at"] else "待站长审批",
                         f"⚠ {insured}" if p["id"] in cover else insured])
        _filled(self.placements_table, rows, (70, 150, 86, 86, 86, 110, 80))
        for r, p in enumerate(self.placements):
            if p["exit_date"]:
                for c in range(len(PLACEMENT_HEADERS)):
                    self.placements_table.item(r, c).setForeground(QColor("#888888"))
            elif p["id"] in cover:
                self.placements_table.item(r, 7).setToolTip(cover[p["id"]])
        self.place_button.setEnabled(post is not None)
        if self.placements:
            self.placements_table.selectRow(0)
        self._enable()

    def _load_warnings(self) -> None:
        warnings = placements.monthly_checks(self.station, Month.parse(today()))
        self.warnings_table.setColumnCount(2)
        self.warnings_table.setHorizontalHeaderLabels(["姓名", "需要处理的事项"])
        _filled(self.warnings_table, [[w.name, w.text] for w in warnings], (80,))
        self.tabs.setTabText(1, f"提醒（{len(warnings)}）" if warnings else "提醒（无）")

    def refresh(self, tables: set[str] | None = None) -> None:
        if tables is not None and not tables & WATCHED_TABLES:
            return
        if tables is None or "village" in tables:
            self._fill_villages()
        self.reload_when_shown(tables, WATCHED_TABLES)

    def selected_post(self) -> dict | None:
        row = self.posts_table.currentRow()
        return self.posts[row] if 0 <= row < len(self.posts) else None

    def selected_placement(self) -> dict | None:
        row = self.placements_table.currentRow()
        return self.placements[row] if 0 <= row < len(self.placements) else None

    def _enable(self) -> None:
        chosen = self.selected_placement()
        current = bool(chosen and not chosen["exit_date"])
        self.edit_button.setEnabled(self.selected_post() is not None)
        self.approve_button.setEnabled(bool(chosen and not chosen["approved_at"]))
        for button in (self.term_button, self.exit_button, self.insurance_button):
            button.setEnabled(current)
        self.notice_button.setEnabled(bool(chosen and chosen["approved_at"]))
        self.person_button.setEnabled(chosen is not None)

    # -- actions ------------------------------------------------------------------------------
    def _saved(self, tables: set[str]) -> None:
        self.changed.emit(tables)
        self.load()

    def add_post(self) -> None:
        self.dialog = PostDialog(self.station, parent=self)
        self.dialog.accepted.connect(lambda: self._saved({"welfare_post"}))
        self.dialog.open()

    def edit_post(self) -> None:
        post = self.selected_post()
        if post:
            self.dialog = PostDialog(self.station, post["id"], self)
            self.dialog.accepted.connect(lambda: self._saved({"welfare_post"}))
            self.dialog.open()

    def open_policy(self) -> None:
        self.dialog = PolicyDialog(self.station, self)
        self.dialog.changed.connect(lambda tables: self._saved(tables))
        self.dialog.open()

    def place(self) -> None:
        post = self.selected_post()
        if post:
            self.dialog = PlaceDialog(self.station, post["id"], self)
            self.dialog.accepted.connect(lambda: self._saved({"placement"}))
            self.dialog.open()

    def _open(self, dialog_class) -> None:
        chosen = self.selected_placement()
        if chosen:
            self.dialog = dialog_class(self.station, chosen, self)
            self.dialog.accepted.connect(lambda: self._saved({"placement", "insurance_policy"}))
            self.dialog.open()

    def approve(self) -> None:
        chosen = self.selected_placement()
        try:
            placements.approve_placement(self.station, chosen["id"])
        except StationError as exc:
            show_error(self, exc)
            return
        self._saved({"placement"})

    def print_notice(self) -> None:
        chosen = self.selected_placement()
        try:
            pdf = placement_notice_pdf(self.station, chosen["id"])
        except StationError as exc:
            show_error(self, exc)
            return
        title = f"{chosen['name']}{glossary.WELFARE_DOCUMENTS['placement_notice']}"
        self.preview = PrintPreviewDialog(pdf, title, f"{title}.pdf", self)
        self.preview.open()

    def _open_person(self) -> None:
        chosen = self.selected_placement()
        if chosen:
            self.open_person.emit(chosen["person_id"])
