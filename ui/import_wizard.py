"""导入花名册: a three-page wizard — choose the file, check the columns, preview, import.

The core does the work (``db.roster_import``): the preview reads the file in the
background with a progress bar and a cancel button, on a connection of the worker's own;
nothing is written until the clerk presses 开始导入, and then all of it or nothing.
"""

from pathlib import Path

from db import roster_import
from db.errors import StationError, ValidationError
from db.excel import sheet_names
from db.roster_fields import IMPORT_FIELDS
from db.station import Station, open_station

from .import_preview import PreviewPage
from .messages import info, show_error
from .operations import run_in_background
from .qt import (
    QApplication,
    QCheckBox,
    QColor,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
    Signal,
)
from .widgets import error_label, readonly_table

FILE_FILTER = "花名册 (*.xlsx *.xls *.csv *.txt);;所有文件 (*)"
IGNORE = "（不导入）"
UNKNOWN_COLOR = QColor("#fff4ce")
CHANGED_TABLES = {"person", "employment_status", "setting"}


def own_station(station: Station) -> Station:
    """The same station on a connection of its own, for a worker thread."""
    other = open_station(station.data_dir)
    if station.account:
        other.act_as(station.account)
    return other


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class FilePage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self.owner = wizard
        self.setTitle("第一步：选择花名册文件")
        self.setSubTitle("支持 Excel/WPS 表格（.xlsx、.xls）和 CSV 文件（UTF-8 或 GBK 编码）。"
                         "表头上方的标题行、合并单元格都没有关系。")
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("点“浏览…”选择文件，或把文件位置粘贴到这里")
        self.browse = QPushButton("浏览…")
        self.sheet = QComboBox()
        self.sheet_label = QLabel("工作表：")
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("花名册文件："))
        layout.addLayout(row)
        layout.addLayout(sheet_row)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.browse.clicked.connect(self.choose_file)
        self.path_edit.editingFinished.connect(self.load_sheets)
        self._show_sheets([])

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择花名册", str(Path.home()), FILE_FILTER)
        if path:
            self.path_edit.setText(path)
            self.load_sheets()

    def path(self) -> Path:
        return Path(self.path_edit.text().strip().strip('"'))

    def load_sheets(self) -> None:
        self.error.clear()
        try:
            names = sheet_names(self.path()) if self.path_edit.text().strip() else []
        except StationError as exc:
            self.error.setText(str(exc))
            names = []
        self._show_sheets([n for n in names if n])

    def _show_sheets(self, names: list[str]) -> None:
        self.sheet.clear()
        self.sheet.addItems(names)
        for widget in (self.sheet, self.sheet_label):
            widget.setVisible(len(names) > 1)

    def validatePage(self) -> bool:
        if not self.path_edit.text().strip():
            self.error.setText("请先选择要导入的花名册文件。")
            return False
        if self.sheet.count() == 0:
            self.load_sheets()
        sheet = self.sheet.currentText() or None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            header = roster_import.read_header(self.owner.station, self.path(), sheet=sheet)
        except ValidationError as exc:
            if str(exc) != roster_import.MSG_NO_HEADER:
                self.error.setText(str(exc))
                return False
            header = None
        finally:
            QApplication.restoreOverrideCursor()
        self.owner.path, self.owner.sheet, self.owner.header = self.path(), sheet, header
        self.error.clear()
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self.owner = wizard
        self.setTitle("第二步：核对各列对应的项目")
        self.setSubTitle("程序已按列名自动对应。黄色的列没有认出来，请在“导入为”中选择"
                         "它对应的项目，不需要的选“（不导入）”。")
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1000)
        self.header_row.setPrefix("第 ")
        self.header_row.setSuffix(" 行")
        self.reread = QPushButton("按此行重新识别")
        self.table = readonly_table()
        self.remember = QCheckBox("记住我的选择，以后导入同样的列名时自动对应")
        self.remember.setChecked(True)
        self.error = error_label()
        top = QHBoxLayout()
        top.addWidget(QLabel("表头所在行："))
        top.addWidget(self.header_row)
        top.addWidget(self.reread)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remember)
        layout.addWidget(self.error)
        self.reread.clicked.connect(self.read_at_row)
        self.combos: dict[int, QComboBox] = {}

    def initializePage(self) -> None:
        header = self.owner.header
        if header is None:
            self.error.setText("没有自动找到表头（需要有“姓名”或“公民身份号码”列），"
                               "请填写表头所在的行号，再点“按此行重新识别”。")
            self.table.setRowCount(0)
            self.combos = {}
            return
        self.error.clear()
        self.header_row.setValue(header.row_number)
        self._fill(header)

    def read_at_row(self) -> None:
        try:
            header = roster_import.read_header(
                self.owner.station, self.owner.path, sheet=self.owner.sheet,
                header_row=self.header_row.value())
        except StationError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.owner.header = header
        self._fill(header)

    def _fill(self, header: roster_import.RosterHeader) -> None:
        self.table.clear()
        self.table.setColumnCount(5)
        self.table.setHorizontalHeaderLabels(["列", "文件中的列名", "第一行数据", "导入为", "说明"])
        self.table.setRowCount(len(header.texts))
        self.combos = {}
        for row, (index, text) in enumerate(header.texts.items()):
            known = header.columns.get(index, "")
            combo = self._combo(known)
            self.combos[index] = combo
            unknown = index in header.unmapped
            note = ("已自动对应" if known else "未认出，请选择" if unknown
                    else "按以前的选择不导入")
            cells = [column_letter(index), text, header.samples.get(index, ""), None, note]
            for column, value in enumerate(cells):
                if value is None:
                    continue
                item = QTableWidgetItem(value)
                if unknown:
                    item.setBackground(UNKNOWN_COLOR)
                self.table.setItem(row, column, item)
            self.table.setCellWidget(row, 3, combo)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(3, 190)
        head.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(30)

    @staticmethod
    def _combo(selected: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(IGNORE, "")
        for key, label in IMPORT_FIELDS.items():
            combo.addItem(label, key)
        combo.setCurrentIndex(max(combo.findData(selected), 0))
        combo.setMaxVisibleItems(16)
        return combo

    def chosen_columns(self) -> dict[int, str]:
        return {index: combo.currentData() for index, combo in self.combos.items()
                if combo.currentData()}

    def taught(self) -> dict[str, str]:
        """The choices that differ from what was recognized, to remember for next time."""
        header = self.owner.header
        if header is None or not self.remember.isChecked():
            return {}
        return {header.texts[index]: combo.currentData() or ""
                for index, combo in self.combos.items()
                if (combo.currentData() or "") != header.columns.get(index, "")}

    def validatePage(self) -> bool:
        if self.owner.header is None:
            self.error.setText("请先指定表头所在的行。")
            return False
        columns = self.chosen_columns()
        try:
            roster_import.check_columns(columns)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return False
        self.owner.columns, self.owner.remember = columns, self.taught()
        return True


class ImportWizard(QWizard):
    """Emits ``changed`` with the tables written once an import is done."""

    changed = Signal(object)

    def __init__(self, station: Station, parent=None, path: str | Path | None = None):
        super().__init__(parent)
        self.station = station
        self.path: Path | None = None
        self.sheet = None
        self.header: roster_import.RosterHeader | None = None
        self.columns: dict[int, str] = {}
        self.remember: dict[str, str] = {}
        self.analysis: roster_import.RosterAnalysis | None = None
        self.result: roster_import.ImportResult | None = None
        self._applying = False
        self.setWindowTitle("导入花名册")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.file_page, self.mapping_page = FilePage(self), MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        for button, text in ((QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.BackButton, "< 上一步"),
                             (QWizard.WizardButton.FinishButton, "开始导入"),
                             (QWizard.WizardButton.CancelButton, "取消")):
            self.setButtonText(button, text)
        self.resize(940, 640)
        if path:
            self.file_page.path_edit.setText(str(path))
            self.file_page.load_sheets()

    @property
    def full_numbers(self) -> bool:
        return bool(self.station.account and self.station.account.sees_full_numbers)

    def forget_preview(self) -> None:
        if self.analysis is not None:
            self.analysis.discard()
            self.analysis = None

    def accept(self) -> None:
        """开始导入: write in the background; close when it has succeeded."""
        if self.result is not None:
            super().accept()
            return
        if self._applying or self.analysis is None:
            return
        self._applying = True
        analysis, chosen, remember = (self.analysis, self.preview_page.chosen(),
                                      dict(self.remember))
        station = self.station

        def work(progress, cancelled):
            own = own_station(station)
            try:
                return roster_import.apply_import(own, analysis, use_file_values=chosen,
                                                  remember=remember, progress=progress,
                                                  cancelled=cancelled)
            finally:
                own.close()

        run_in_background(self, work, self._imported, label="正在导入，请稍候……",
                          cancellable=True, on_error=self._failed)

    def _imported(self, result: roster_import.ImportResult) -> None:
        self._applying = False
        self.result, self.analysis = result, None
        self.changed.emit(set(CHANGED_TABLES))
        info(self, f"导入完成：新增 {result.created} 人，更新 {result.updated} 人，"
                   f"无变化 {result.unchanged} 人，未导入 {len(result.rejected)} 行。")
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._applying = False
        show_error(self, exc)

    def reject(self) -> None:
        if self._applying:
            return  # the progress dialog's 取消 stops an import in progress
        self.forget_preview()
        super().reject()
