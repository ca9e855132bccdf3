"""岗位与推荐: the open job postings, the people who fit the chosen one, and 推荐.

Top: the jobs (filter text, 显示已停招/过期, 新增岗位, 停招, 导入岗位 Excel). Below: the
people matching the selected job, best first, each with its score and the Chinese reasons;
推荐 writes the referral and opens the 推荐介绍信 in print preview. Matching reads the
whole register (about 1.5 s at 100,000 people), so it runs off the UI thread.
"""

from pathlib import Path

from db import jobs, matching
from db.errors import StationError
from db.job_import import import_jobs, write_rejects
from db.station import Station

from .export_panel import ExportPanel
from .job_dialogs import JobDialog
from .lists_screen import worker_station
from .messages import confirm, info, show_error
from .operations import run_in_background
from .print_preview import PrintPreviewDialog
from .qt import (
    QCheckBox,
    QColor,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from .referral_flow import refer
from .screen import Screen
from .widgets import readonly_table

WATCHED_TABLES = {"job", "employer", "referral", "person", "employment_status"}
PEOPLE_TABLES = {"person", "employment_status"}
JOB_HEADERS = ["用人单位", "工种", "人数", "薪资", "工作地", "年龄", "标记", "有效期至", "状态"]
JOB_WIDTHS = (190, 100, 100, 130, 180, 80, 120, 90)
MATCH_HEADERS = ["得分", "姓名", "性别", "年龄", "户籍村", "技能", "就业状态", "匹配理由"]
MATCH_WIDTHS = (44, 70, 40, 40, 80, 110, 90)
MATCH_LIMIT = 100


def _fill(table, headers: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setDefaultSectionSize(24)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)


def job_state(job: dict) -> str:
    """停招 / 已过期 / 已招满 / 在招."""
    if job["closed_on"]:
        return f"{job['closed_on']} 停招"
    if job["hired"] >= job["headcount"]:
        return "已招满"
    return "在招" if job["is_open"] else "已过期"


def job_cells(job: dict) -> list[str]:
    flags = "、".join(label for key, label in (("gig", "零工"), ("older_friendly", "适合大龄"))
                     if job[key])
    place = job["place_label"] + (f"·{job['work_place']}" if job["work_place"] else "")
    return [job["employer_name"], job["work_type"], f"{job['headcount']}（已录{job['hired']}）",
            job["wage_text"], place, job["age_text"], flags, job["valid_until"], job_state(job)]


class JobsScreen(Screen):
    title = "岗位与推荐"

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(station, parent)
        self.jobs: list[dict] = []
        self.matches: list[matching.Match] = []
        self.match_job_id: str | None = None
        self.dialog = None
        self.preview: PrintPreviewDialog | None = None
        self.last_import = None
        self._generation = 0
        self.running = 0  # matching searches not yet finished
        self._stale = True
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("按单位名称或工种查找")
        self.filter.setClearButtonEnabled(True)
        self.show_closed = QCheckBox("显示已停招、过期、招满的岗位")
        self.count_label = QLabel("")
        self.add_button = QPushButton("新增岗位(&N)…")
        self.close_button = QPushButton("停招所选岗位")
        self.import_button = QPushButton("导入岗位 Excel…")
        self.jobs_table = readonly_table()
        self.match_title = QLabel("匹配人员")
        self.match_title.setStyleSheet("font-weight: bold;")
        self.match_table = readonly_table()
        self.match_table.setWordWrap(True)
        self.refer_button = QPushButton("推荐并打印介绍信(&R)…")
        self.person_button = QPushButton("查看人员")
        self.export_panel = ExportPanel(station)
        self.export_panel.changed.connect(self.changed.emit)
        self.export_panel.open_person.connect(self.open_person.emit)
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.show_closed)
        top.addWidget(self.count_label)
        top.addStretch(1)
        for button in (self.add_button, self.close_button, self.import_button):
            top.addWidget(button)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.match_title)
        column.addWidget(self.match_table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refer_button)
        buttons.addWidget(self.person_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.jobs_table)
        split.addWidget(lower)
        split.setSizes([280, 360])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(page, "岗位与匹配")
        self.tabs.addTab(self.export_panel, "劳务输出")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)

    def _connect(self) -> None:
        self.filter.textChanged.connect(lambda _t: self.load())
        self.show_closed.toggled.connect(lambda _on: self.load())
        self.jobs_table.itemSelectionChanged.connect(self._job_selected)
        self.match_table.itemSelectionChanged.connect(self._enable)
        self.match_table.doubleClicked.connect(lambda _i: self._open_person())
        self.add_button.clicked.connect(self.add_job)
        self.close_button.clicked.connect(self.close_job)
        self.import_button.clicked.connect(self.choose_import_file)
        self.refer_button.clicked.connect(self.refer_selected)
        self.person_button.clicked.connect(self._open_person)

    # -- loading ------------------------------------------------------------------------------
    def load(self, rematch: bool = False) -> None:
        self._stale = False
        chosen = self.selected_job()
        self.jobs = jobs.list_jobs(self.station, open_only=not self.show_closed.isChecked(),
                                   text=self.filter.text())
        self.jobs_table.blockSignals(True)
        _fill(self.jobs_table, JOB_HEADERS, [job_cells(j) for j in self.jobs], JOB_WIDTHS)
        for r, job in enumerate(self.jobs):
            if not job["is_open"]:
                for c in range(len(JOB_HEADERS)):
                    self.jobs_table.item(r, c).setForeground(QColor("#888888"))
        ids = [j["id"] for j in self.jobs]
        if ids:
            self.jobs_table.selectRow(ids.index(chosen["id"]) if chosen and chosen["id"] in ids
                                      else 0)
        self.jobs_table.blockSignals(False)
        open_count = sum(j["is_open"] for j in self.jobs)
        self.count_label.setText(f"在招 {open_count} 个岗位，共需 "
                                 f"{sum(j['headcount'] - j['hired'] for j in self.jobs if j['is_open'])} 人")
        if rematch:
            self.match_job_id = None
        self._job_selected()

    def refresh(self, tables: set[str] | None = None) -> None:
        self.export_panel.refresh(tables)
        if tables is not None and not tables & WATCHED_TABLES:
            return
        self._stale = True
        if self.isVisible():
            self.load(rematch=tables is None or bool(tables & PEOPLE_TABLES))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.load(rematch=True)

    def selected_job(self) -> dict | None:
        row = self.jobs_table.currentRow()
        return self.jobs[row] if 0 <= row < len(self.jobs) else None

    def selected_match(self) -> matching.Match | None:
        row = self.match_table.currentRow()
        ok = 0 <= row < len(self.matches) and self.match_table.selectedItems()
        return self.matches[row] if ok else None

    def _enable(self) -> None:
        job = self.selected_job()
        self.close_button.setEnabled(bool(job and not job["closed_on"]))
        chosen = self.selected_match() is not None
        self.refer_button.setEnabled(chosen)
        self.person_button.setEnabled(chosen)

    # -- matching (in the background) ----------------------------------------------------------
    def _job_selected(self) -> None:
        job = self.selected_job()
        self._enable()
        if job is None or not job["is_open"]:
            self._generation += 1  # a search still running for another job is ignored
        if job is None:
            self._show_matches(None, [], "匹配人员：请先在上表选择岗位")
        elif not job["is_open"]:
            self._show_matches(job["id"], [], f"匹配人员：{job['employer_name']}"
                               f"（{job['work_type']}）{job_state(job)}，不再匹配人员")
        elif job["id"] != self.match_job_id:
            self.start_matching(job)

    def start_matching(self, job: dict) -> None:
        self._generation += 1
        generation, station, job_id = self._generation, self.station, job["id"]
        self.match_job_id = job_id
        self.running += 1
        self.match_title.setText(f"匹配人员：{job['employer_name']}（{job['work_type']}）正在查找……")
        self.matches = []
        self.match_table.setRowCount(0)
        full = bool(self.account and self.account.sees_full_numbers)

        def work(progress, cancelled):
            own = worker_station(station)
            try:
                return matching.people_for_job(own, job_id, limit=MATCH_LIMIT, full_numbers=full)
            finally:
                own.close()

        def done(found) -> None:
            self.running -= 1
            if generation == self._generation:
                self._show_matches(job_id, found, f"匹配人员：{job['employer_name']}"
                                   f"（{job['work_type']}），最合适的 {len(found)} 人，按得分排列")

        def failed(exc) -> None:
            self.running -= 1
            if generation != self._generation:
                return
            if isinstance(exc, StationError):  # e.g. the job was closed meanwhile
                self._show_matches(job_id, [], f"匹配人员：{exc}")
            else:
                self._show_matches(job_id, [], "匹配人员：查找没有完成。")
                show_error(self, exc)

        self._search = run_in_background(self, work, done, label="正在查找合适人员……",
                                         on_error=failed)

    def _show_matches(self, job_id, found: list, title: str) -> None:
        self.match_job_id, self.matches = job_id, list(found)
        self.match_title.setText(title)
        rows = [[m.score, m.person["name"], m.person["sex"], m.person["age"],
                 m.person["hukou_village"], m.person["skills"], m.person["current_status"],
                 m.explanation] for m in self.matches]
        _fill(self.match_table, MATCH_HEADERS, rows, MATCH_WIDTHS)
        for r, m in enumerate(self.matches):
            self.match_table.item(r, 7).setToolTip("\n".join(str(x) for x in m.reasons))
        self.match_table.resizeRowsToContents()
        if self.matches:
            self.match_table.selectRow(0)
        self._enable()

    # -- actions ------------------------------------------------------------------------------
    def add_job(self) -> None:
        self.dialog = JobDialog(self.station, self)
        self.dialog.accepted.connect(self._job_added)
        self.dialog.open()

    def _job_added(self) -> None:
        self.changed.emit({"job", "employer"})
        new_id = self.dialog.job_id
        ids = [j["id"] for j in self.jobs]
        if new_id in ids:
            self.jobs_table.selectRow(ids.index(new_id))

    def close_job(self) -> None:
        job = self.selected_job()
        if job is None or not confirm(
                self, f"确定停招 {job['employer_name']} 的“{job['work_type']}”岗位吗？"
                      "停招后不再匹配和推荐，已有推荐记录保留。"):
            return
        try:
            jobs.close_job(self.station, job["id"])
        except StationError as exc:
            show_error(self, exc)
            return
        self.changed.emit({"job"})

    def refer_selected(self) -> None:
        match, job = self.selected_match(), self.selected_job()
        if match is None or job is None:
            return
        try:
            made, self.preview = refer(self.station, match.person["id"], job["id"],
                                       match.person["name"], self)
        except StationError as exc:
            show_error(self, exc)
            return
        row = self.match_table.currentRow()
        self.matches.pop(row)
        self.match_table.removeRow(row)
        self.match_title.setText(f"已推荐 {match.person['name']}，推荐信编号 {made['number']}。")
        self.changed.emit({"referral", "service_log"})

    def _open_person(self) -> None:
        match = self.selected_match()
        if match:
            self.open_person.emit(match.person["id"])

    # -- import ---------------------------------------------------------------------------------
    def choose_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入岗位 Excel", str(Path.home()),
                                              "Excel 文件 (*.xlsx *.xls *.csv)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        station = self.station

        def work(progress, cancelled):
            own = worker_station(station)
            try:
                return import_jobs(own, path, progress=progress)
            finally:
                own.close()

        run_in_background(self, work, lambda result: self._imported(path, result),
                          label="正在导入岗位……")

    def _imported(self, path: Path, result) -> None:
        self.last_import = result
        if result.created:
            self.changed.emit({"job", "employer"})
        if not result.rejected:
            info(self, result.summary())
            return
        out = path.with_name(f"{path.stem}_未导入.xlsx")
        try:
            write_rejects(out, result)
        except (StationError, OSError) as exc:
            show_error(self, exc)
            return
        info(self, f"{result.summary()}\n未导入的行及原因已保存到：\n{out}")
