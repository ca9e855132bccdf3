"""The import wizard's last page: counts, conflicts to decide, refused rows to take back.

The preview is computed in the background when the page opens; nothing is written.
"""

from db import roster_import
from db.roster_report import write_rejected
from db.validation.masking import mask_id_number, mask_phone

from .messages import info, show_error
from .operations import run_in_background
from .qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)
from .table_export import ask_xlsx_path
from .widgets import readonly_table

MAX_SHOWN = 2000  # rows shown per table; the rest are decided together / exported
TILES = (("created", "新增", "#1e7e34"), ("updated", "更新", "#1f5fa8"),
         ("conflicts", "冲突", "#b35c00"), ("rejected", "未导入", "#b02a2a"))
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


def _tile(caption: str, color: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setObjectName("tile")
    frame.setStyleSheet(f"#tile {{ border: 1px solid #c8c8c8; border-radius: 4px; "
                        f"border-top: 4px solid {color}; background: white; }}")
    number = QLabel("—")
    number.setAlignment(Qt.AlignmentFlag.AlignCenter)
    number.setStyleSheet(f"font-size: 22pt; font-weight: bold; color: {color};")
    label = QLabel(caption)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(6, 4, 6, 6)
    layout.addWidget(number)
    layout.addWidget(label)
    return frame, number


def _item(text, *, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class PreviewPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.owner = wizard
        self._ready = False
        self._generation = 0
        self.conflicts: list[roster_import.Conflict] = []
        self.setTitle("第三步：预览")
        self.setSubTitle("下面是导入后的结果，现在还没有写入任何数据。核对无误后点“开始导入”，"
                         "导入前会自动备份本站数据。")
        self.numbers: dict[str, QLabel] = {}
        tiles = QGridLayout()
        for column, (key, caption, color) in enumerate(TILES):
            frame, self.numbers[key] = _tile(caption, color)
            tiles.addWidget(frame, 0, column)
        self.summary = QLabel("正在读取文件……")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._conflict_tab(), "冲突")
        self.tabs.addTab(self._rejected_tab(), "未导入")
        layout = QVBoxLayout(self)
        layout.addLayout(tiles)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def _conflict_tab(self) -> QWidget:
        self.conflict_table = readonly_table()
        self.use_all = QPushButton("全部采用文件中的值")
        self.keep_all = QPushButton("全部保留本站的值")
        note = QLabel("同一个人在本站和文件中的信息不同：默认保留本站的值，"
                      "勾选“采用文件中的值”的项目会被改成文件中的值。")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(self.use_all)
        buttons.addWidget(self.keep_all)
        self.use_all.clicked.connect(lambda: self._check_all(CHECKED))
        self.keep_all.clicked.connect(lambda: self._check_all(UNCHECKED))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(buttons)
        layout.addWidget(self.conflict_table, 1)
        return tab

    def _rejected_tab(self) -> QWidget:
        self.rejected_table = readonly_table()
        self.export_rejected = QPushButton("导出未导入的行…")
        note = QLabel("这些行不会导入。导出后按“未导入原因”改正，再导入导出的文件即可。")
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(note, 1)
        row.addWidget(self.export_rejected)
        self.export_rejected.clicked.connect(self.save_rejected)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.rejected_table, 1)
        return tab

    # -- reading ---------------------------------------------------------------------------
    def initializePage(self) -> None:
        self._set_ready(False)
        self._generation += 1
        generation = self._generation
        owner = self.owner
        owner.forget_preview()
        for label in self.numbers.values():
            label.setText("—")
        self.summary.setText("正在读取文件……")
        self.conflict_table.setRowCount(0)
        self.rejected_table.setRowCount(0)
        path, sheet, header, columns = owner.path, owner.sheet, owner.header, owner.columns
        station = owner.station

        def work(progress, cancelled):
            from .import_wizard import own_station

            own = own_station(station)
            try:
                return roster_import.analyze(own, path, sheet=sheet, header=header,
                                             columns=columns, progress=progress,
                                             cancelled=cancelled)
            finally:
                own.close()

        def done(analysis) -> None:
            if generation != self._generation:
                analysis.discard()  # the clerk went back meanwhile
                return
            owner.analysis = analysis
            self.show_analysis(analysis)

        def failed(exc) -> None:
            if generation != self._generation:
                return
            if isinstance(exc, roster_import.ImportCancelled):
                self.summary.setText("已取消读取。请点“上一步”重新开始，或点“取消”关闭。")
                return
            self.summary.setText(str(exc) if str(exc) else "读取失败。")
            show_error(self, exc)

        run_in_background(self, work, done, label="正在读取花名册……", cancellable=True,
                          on_error=failed)

    def cleanupPage(self) -> None:
        self._generation += 1
        self.owner.forget_preview()
        super().cleanupPage()

    def isComplete(self) -> bool:
        return self._ready

    def _set_ready(self, ready: bool) -> None:
        self._ready = ready
        self.completeChanged.emit()

    # -- showing ---------------------------------------------------------------------------
    def show_analysis(self, analysis: roster_import.RosterAnalysis) -> None:
        counts = {"created": analysis.created, "updated": analysis.updated,
                  "conflicts": analysis.conflicts, "rejected": len(analysis.rejected)}
        for key, label in self.numbers.items():
            label.setText(str(counts[key]))
        skipped = f"，另有 {analysis.skipped} 个空行或合计行已跳过" if analysis.skipped else ""
        self.summary.setText(
            f"文件“{analysis.path.name}”共 {analysis.rows} 行人员数据{skipped}。"
            f"新增 {analysis.created} 人，更新 {analysis.updated} 人（补充本站空缺的信息），"
            f"无变化 {analysis.unchanged} 人；{analysis.conflicts} 人的信息与本站不同，"
            f"{len(analysis.rejected)} 行不能导入。")
        self.conflicts = roster_import.list_conflicts(analysis, MAX_SHOWN + 1)
        self._fill_conflicts()
        self._fill_rejected(roster_import.list_rejected(analysis, MAX_SHOWN))
        self.tabs.setTabText(0, f"冲突（{analysis.conflicts} 人）")
        self.tabs.setTabText(1, f"未导入（{len(analysis.rejected)} 行）")
        self.tabs.setCurrentIndex(0 if analysis.conflicts or not analysis.rejected else 1)
        self.export_rejected.setEnabled(bool(analysis.rejected))
        self._set_ready(True)

    def _fill_conflicts(self) -> None:
        table, full = self.conflict_table, self.owner.full_numbers
        shown = self.conflicts[:MAX_SHOWN]
        table.clear()
        table.setColumnCount(7)
        table.setHorizontalHeaderLabels(["行号", "姓名", "公民身份号码", "项目", "本站的值",
                                         "文件中的值", "采用文件中的值"])
        table.setRowCount(len(shown))
        for row, c in enumerate(shown):
            masked = c.field == "phone" and not full
            values = [c.row, c.name, c.id_number if full else mask_id_number(c.id_number),
                      c.label, mask_phone(c.station_value) if masked else c.station_value,
                      mask_phone(c.file_value) if masked else c.file_value]
            for column, value in enumerate(values):
                table.setItem(row, column, _item(value, align_right=column == 0))
            check = QTableWidgetItem("采用")
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(UNCHECKED)
            table.setItem(row, 6, check)
        self._size_columns(table, stretch=(4, 5))

    def _fill_rejected(self, shown: list[tuple[int, str, str]]) -> None:
        table = self.rejected_table
        table.clear()
        table.setColumnCount(3)
        table.setHorizontalHeaderLabels(["行号", "姓名", "未导入原因"])
        table.setRowCount(len(shown))
        for row, (number, name, reason) in enumerate(shown):
            table.setItem(row, 0, _item(number, align_right=True))
            table.setItem(row, 1, _item(name))
            table.setItem(row, 2, _item(reason))
            table.item(row, 2).setToolTip(reason)
        self._size_columns(table, stretch=(2,))

    @staticmethod
    def _size_columns(table, stretch: tuple[int, ...]) -> None:
        """Fit columns to their contents with some air; ``stretch`` share what is left."""
        head = table.horizontalHeader()
        head.setStretchLastSection(False)
        table.resizeColumnsToContents()
        for column in range(table.columnCount()):
            if column in stretch:
                head.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                table.setColumnWidth(column, table.columnWidth(column) + 14)
        table.verticalHeader().setDefaultSectionSize(26)

    def _check_all(self, state) -> None:
        for row in range(self.conflict_table.rowCount()):
            self.conflict_table.item(row, 6).setCheckState(state)

    def chosen(self) -> bool | set[tuple[str, str]]:
        """The conflicts where the file's value wins (True: every one of them)."""
        table = self.conflict_table
        picked = {(self.conflicts[row].id_number, self.conflicts[row].field)
                  for row in range(table.rowCount())
                  if table.item(row, 6).checkState() == CHECKED}
        everything = len(picked) == table.rowCount() > 0
        if everything and len(self.conflicts) > MAX_SHOWN:
            return True  # more conflicts than shown: "全部采用" covers the unseen ones too
        return picked

    def save_rejected(self) -> None:
        analysis = self.owner.analysis
        if analysis is None:
            return
        out = ask_xlsx_path(self, "未导入的行")
        if out is None:
            return
        run_in_background(self, lambda progress, cancelled: write_rejected(analysis, out),
                          lambda n: info(self, f"已导出 {n} 行到：\n{out}"),
                          label="正在导出 Excel……")
