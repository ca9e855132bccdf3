"""同步: enrollment with the county, then sync by network or USB stick, the history and the
conflicts to settle. Every sync runs on a worker thread behind a progress dialog; the
result is one sentence on the screen."""

from datetime import datetime
from pathlib import Path

from db.errors import ValidationError
from db.setup import station_info
from db.station import Station, open_station
from sync import client, history, identity

from .messages import info, sentence_for, show_error
from .operations import run_in_background
from .qt import (
    QColor,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)
from .screen import LoadsWhenShown, Screen
from .sync_background import SYNC_LOCK
from .sync_conflicts import ConflictsPanel
from .widgets import error_label, fill_table, readonly_table

BUNDLE_FILTER = "同步数据包 (*.bundle);;所有文件 (*)"
AFTER_EXPORT = "请把这个文件交县里导入，再用“从U盘导入…”导入县里给的回执数据包。"
FAILED_COLOR = QColor("#c0392b")
HISTORY_WIDTHS = (140, 90, 60, 60, 60, 60)  # 说明 takes the rest
ENROLL_FILTER = "县里的登记文件 (*.json);;所有文件 (*)"
ENROLL_HINT = ("本站还没有登记到县里。请向县就业服务中心索取一次性登记码（登记码单上印有县里密钥指纹），"
               "联网登记或用县里拷来的登记文件登记。")


def normalized_url(text: str) -> str:
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = "http://" + url
    return url


def _on_worker(station: Station, work):
    """``work(own)`` on a connection of the worker's own, one sync at a time."""
    own = open_station(station.data_dir)
    try:
        if station.account:
            own.act_as(station.account)
        with SYNC_LOCK:
            return work(own)
    finally:
        own.close()


class SyncScreen(LoadsWhenShown, Screen):
    title = "同步"

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.background = None
        self.enroll_box = self._build_enroll()
        self.status_box = self._build_status()
        self.history_table = readonly_table()
        self.conflicts = ConflictsPanel(station)
        self.conflicts.settled.connect(self._settled)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history_table, "同步记录")
        self.tabs.addTab(self.conflicts, "冲突")
        layout = QVBoxLayout(self)
        layout.addWidget(self.enroll_box)
        layout.addWidget(self.status_box)
        layout.addWidget(self.tabs, 1)
        self.load()

    # -- building ---------------------------------------------------------------------------
    def _build_enroll(self) -> QGroupBox:
        box = QGroupBox("登记到县里")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("例如 http://10.1.2.3:8765")
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("例如 8T2M-K26W-TXZ9")
        for edit in (self.url_edit, self.code_edit):
            edit.setMaximumWidth(420)
        self.enroll_button = QPushButton("联网登记")
        self.enroll_file_button = QPushButton("用U盘登记文件登记…")
        self.enroll_error = error_label()
        hint = QLabel(ENROLL_HINT)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("县里服务器地址：", self.url_edit)
        form.addRow("一次性登记码：", self.code_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.enroll_file_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.enroll_error)
        self.enroll_button.clicked.connect(self.enroll_online)
        self.enroll_file_button.clicked.connect(self.enroll_by_file)
        return box

    def _build_status(self) -> QGroupBox:
        box = QGroupBox("同步状态")
        self.county_label = QLabel("")
        self.fingerprint_label = QLabel("")
        self.server_edit = QLineEdit()
        self.save_server_button = QPushButton("保存地址")
        self.last_label = QLabel("")
        self.pending_label = QLabel("")
        self.conflicts_label = QLabel("")
        self.server_edit.setMinimumWidth(360)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        pairs = [[("所属县：", self.county_label), ("县里密钥指纹：", self.fingerprint_label)],
                 [],
                 [("上次同步：", self.last_label), ("待发出的变更：", self.pending_label),
                  ("待处理的冲突：", self.conflicts_label)]]
        for row, cells in enumerate(pairs):
            for column, (text, value) in enumerate(cells):
                grid.addWidget(QLabel(text), row, 2 * column)
                grid.addWidget(value, row, 2 * column + 1)
        server = QHBoxLayout()
        server.addWidget(self.server_edit, 1)
        server.addWidget(self.save_server_button)
        grid.addWidget(QLabel("服务器地址："), 1, 0)
        grid.addLayout(server, 1, 1, 1, 4)
        grid.setColumnStretch(6, 1)
        self.sync_button = QPushButton("立即同步")
        self.export_button = QPushButton("导出到U盘…")
        self.import_button = QPushButton("从U盘导入…")
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("font-weight: bold;")
        self.background_label = QLabel("")
        self.background_label.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        layout.addWidget(self.background_label)
        self.sync_button.clicked.connect(self.sync_now)
        self.export_button.clicked.connect(self.export_usb)
        self.import_button.clicked.connect(self.import_usb)
        self.save_server_button.clicked.connect(self.save_server)
        self.server_edit.textChanged.connect(
            lambda text: self.sync_button.setEnabled(bool(text.strip())))
        return box

    # -- showing ----------------------------------------------------------------------------
    def load(self) -> None:
        self._stale = False
        state = client.status(self.station)
        enrolled = state["enrolled"]
        self.enroll_box.setVisible(not enrolled)
        self.status_box.setVisible(enrolled)
        if enrolled:
            ident = identity.identity(self.station)
            self.county_label.setText(state["county"])
            self.fingerprint_label.setText(ident.county.fingerprint if ident else "")
            if not self.server_edit.hasFocus():
                self.server_edit.setText(state["server_url"])
            self.last_label.setText(history.local_time(state["last_sync"]))
            self.pending_label.setText(f"{state['pending']} 条")
            self.conflicts_label.setText(f"{state['open_conflicts']} 条")
            self.sync_button.setEnabled(bool(state["server_url"]))
        rows = history.recent(self.station)
        fill_table(self.history_table, history.COLUMNS, [r["cells"] for r in rows])
        header = self.history_table.horizontalHeader()
        for column, width in enumerate(HISTORY_WIDTHS):
            self.history_table.setColumnWidth(column, width)
        header.setSectionResizeMode(len(HISTORY_WIDTHS), QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(rows):
            if not entry["ok"]:
                for column in range(len(history.COLUMNS)):
                    self.history_table.item(row, column).setForeground(FAILED_COLOR)
        self.conflicts.load()
        count = len(self.conflicts.rows)
        self.tabs.setTabText(1, f"冲突（{count}）" if count else "冲突")

    def refresh(self, tables: set[str] | None = None) -> None:
        self._stale = True  # pending counts change with every write anywhere
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._attach_background()

    def _attach_background(self) -> None:
        """Show what background sync last did (the main window owns it)."""
        runner = getattr(self.window(), "background_sync", None)
        if runner is None or runner is self.background:
            return
        self.background = runner
        runner.reported.connect(self.background_label.setText)
        self.background_label.setText(runner.last_report)

    # -- enrolling --------------------------------------------------------------------------
    def _code(self) -> str:
        code = self.code_edit.text().strip()
        if not code:
            raise ValidationError("请填写县里发的一次性登记码。")
        return code

    def enroll_online(self) -> None:
        try:
            code = self._code()
            url = normalized_url(self.url_edit.text())
            if not url:
                raise ValidationError("请填写县里服务器地址。")
        except ValidationError as exc:
            self.enroll_error.setText(str(exc))
            return
        self._enroll(lambda own: client.enroll_network(own, url, code))

    def enroll_by_file(self) -> None:
        try:
            code = self._code()
        except ValidationError as exc:
            self.enroll_error.setText(str(exc))
            return
        path, _ = QFileDialog.getOpenFileName(self, "选择县里的登记文件", str(Path.home()),
                                              ENROLL_FILTER)
        if path:
            self._enroll(lambda own: identity.enroll_from_file(own, Path(path), code))

    def _enroll(self, work) -> None:
        self.enroll_error.setText("")

        def done(ident) -> None:
            self.code_edit.clear()
            self.load()
            self.result_label.setText(f"已登记到{ident.county_name}。")
            self.changed.emit({"sync_identity"})
            info(self, f"已登记到{ident.county_name}。\n\n县里密钥指纹：{ident.county.fingerprint}\n"
                       "请与县里登记码单上印的指纹核对；不一致时请立即联系县就业服务中心。",
                 "登记完成")

        def failed(exc: BaseException) -> None:
            self.enroll_error.setText(sentence_for(exc))
            show_error(self, exc)

        self._run(work, done, "正在登记……", failed)

    # -- syncing ----------------------------------------------------------------------------
    def _run(self, work, done, label: str, failed=None) -> None:
        station = self.station
        run_in_background(self, lambda progress, cancelled: _on_worker(station, work), done,
                          label=label, on_error=failed or self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.load()  # the failure is in the history now
        self.result_label.setText(sentence_for(exc))
        show_error(self, exc)

    def _received(self, receipt) -> None:
        self.load()
        self.result_label.setText(history.receipt_sentence(receipt, self.station))
        self.changed.emit(None if receipt.received else {"sync_history", "sync_outbox"})

    def sync_now(self) -> None:
        url = normalized_url(self.server_edit.text()) or None
        self._run(lambda own: client.sync_now(own, url), self._received, "正在与县里同步……")

    def export_usb(self) -> None:
        code = station_info(self.station).code
        suggested = Path.home() / f"{code}-{datetime.now():%Y%m%d-%H%M}.bundle"
        path, _ = QFileDialog.getSaveFileName(self, "导出到U盘", str(suggested), BUNDLE_FILTER)
        if not path:
            return
        out = Path(path if path.endswith(".bundle") else path + ".bundle")
        def exported(receipt) -> None:
            self._received(receipt)
            self.result_label.setText(f"{receipt.message.rstrip('。')}。{AFTER_EXPORT}")

        self._run(lambda own: client.export_usb(own, out), exported, "正在导出本站的变更……")

    def import_usb(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "从U盘导入县里的数据包", str(Path.home()),
                                              BUNDLE_FILTER)
        if path:
            self._run(lambda own: client.import_usb(own, Path(path)), self._received,
                      "正在导入县里的数据……")

    def save_server(self) -> None:
        url = normalized_url(self.server_edit.text())
        if not url:
            self.result_label.setText("请填写县里服务器地址。")
            return
        identity.set_server(self.station, url)
        self.server_edit.setText(url)
        self.load()
        self.result_label.setText(f"已保存服务器地址：{url}")

    def _settled(self, tables) -> None:
        self.load()
        self.result_label.setText("已处理冲突，下次同步时告知县里。")
        self.changed.emit(tables)
