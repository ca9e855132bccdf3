"""数据备份: the station's backups, a backup now, an exported copy, a check, a restore.

Restoring replaces the open station file, so this screen only asks for it
(``restore_requested``); the main window closes the station, restores and reopens.
"""

from datetime import datetime
from pathlib import Path

from db import backup
from db.setup import station_info
from db.station import Station

from .lists_screen import worker_station
from .messages import confirm, info
from .operations import run_in_background
from .qt import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, Signal
from .screen import Screen
from .widgets import fill_table, readonly_table

BACKUP_FILTER = "本站数据备份 (*.sqlite3)"


def backup_name(path: Path) -> str:
    """The clerk's name for a backup file; a file from elsewhere keeps its own name."""
    try:
        return backup.describe(path)
    except (ValueError, IndexError):
        return path.name


def check_sentence(problems: list[str]) -> str:
    if not problems:
        return "完整性检查通过：本站数据文件完好。"
    return (f"完整性检查发现 {len(problems)} 处问题（{problems[0]}），"
            "请从最近的备份恢复，或联系县就业服务中心技术人员。")


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1024 / 1024:.1f} MB"


class MaintenanceScreen(Screen):
    title = "数据备份"
    restore_requested = Signal(str)  # the backup file the 站长 chose and confirmed

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.backups: list[Path] = []
        self.table = readonly_table()
        self.backup_button = QPushButton("立即备份")
        self.export_button = QPushButton("导出备份到…")
        self.check_button = QPushButton("完整性检查")
        self.restore_button = QPushButton("从备份恢复…")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        where = QLabel(f"数据文件：{station.path}\n自动备份位置：{backup.backups_dir(station.data_dir)}"
                       "（每天第一次打开时自动备份，升级、导入、恢复前也会自动备份）")
        where.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.export_button, self.check_button,
                       self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.restore_button.setVisible(bool(self.account and self.account.is_head))
        self.backup_button.clicked.connect(self.back_up_now)
        self.export_button.clicked.connect(self.export_copy)
        self.check_button.clicked.connect(self.check)
        self.restore_button.clicked.connect(self.restore)
        self.refresh()

    def refresh(self, tables: set[str] | None = None) -> None:
        if tables is not None and "setting" not in tables:
            return  # backups are files; only the retention setting changes what is kept
        self.backups = backup.list_backups(self.station.data_dir)
        fill_table(self.table, ["备份时间（原因）", "大小", "文件名"],
                   [[backup_name(p), _size(p), p.name] for p in self.backups])
        self.table.setColumnWidth(0, 240)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def selected_backup(self) -> Path | None:
        row = self.table.currentRow()
        if self.table.selectedItems() and 0 <= row < len(self.backups):
            return self.backups[row]
        return None

    def _in_background(self, work, done, label: str) -> None:
        """Run ``work(station)`` on a connection of the worker's own, then ``done(result)``."""
        station = self.station

        def job(progress, cancelled):
            own = worker_station(station)
            try:
                return work(own)
            finally:
                own.close()

        run_in_background(self, job, done, label=label)

    def back_up_now(self) -> None:
        def done(path: Path) -> None:
            self.refresh()
            self.status.setText(f"已备份：{backup_name(path)}，文件 {path.name}。")

        self._in_background(lambda st: backup.make_backup(st, "manual"), done, "正在备份……")

    def export_copy(self) -> None:
        """A consistent copy of the station file wherever the 站长 or clerk chooses."""
        name = station_info(self.station).name or "本站"
        suggested = Path.home() / f"{name}-备份-{datetime.now():%Y%m%d-%H%M}.sqlite3"
        path, _ = QFileDialog.getSaveFileName(self, "导出备份", str(suggested), BACKUP_FILTER)
        if not path:
            return
        out = Path(path if path.endswith(".sqlite3") else path + ".sqlite3")

        def done(written: Path) -> None:
            self.status.setText(f"已导出备份到：{written}")
            info(self, f"已导出备份到：\n{written}\n\n备份文件含本站全部人员的个人信息，"
                       "请妥善保管，不要随意拷贝或转交。")

        self._in_background(lambda st: backup.copy_database(st.conn, out), done,
                            "正在导出备份……")

    def check(self) -> None:
        def done(problems: list[str]) -> None:
            sentence = check_sentence(problems)
            self.status.setText(sentence)
            info(self, sentence, "完整性检查")

        self._in_background(backup.check, done, "正在检查数据文件……")

    def restore(self) -> None:
        """Pick a backup, make sure it is sound, confirm, then ask the window to restore."""
        start = self.selected_backup() or backup.backups_dir(self.station.data_dir)
        path, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份", str(start),
                                              BACKUP_FILTER)
        if not path:
            return

        def verified(_result) -> None:
            question = (f"将用备份“{backup_name(Path(path))}”替换本站当前的全部数据。\n"
                        "当前数据会先自动另存一份备份；恢复时程序会关闭并重新打开本站。\n"
                        "确定恢复吗？")
            if confirm(self, question, "从备份恢复"):
                self.restore_requested.emit(path)

        run_in_background(self, lambda progress, cancelled: backup.verify_backup(Path(path)),
                          verified, label="正在检查备份文件……")
