"""Starting the window: first-run wizard or login, the demo station, the self-test.

Import order matters for start-up time: after PySide6 is loaded, its import hook reads the
source of every module imported later (PYSIDE-2029), which costs 50-70 ms over the
modules of the first screen. So the core modules the 首页 needs (``db.home`` brings the
services it reads), logging and the data folder's lock load here before the first ``ui``
import brings in Qt.
"""

import logging
import sys
import tempfile
from pathlib import Path

from db import backup
from db import home as _first_screen_data  # noqa: F401 - before Qt, see above
from db.errors import AuthError
from db.setup import create_station, station_info
from db.station import Station, open_station, station_path
from desktop.instance import claim_station
from desktop.logs import setup_logging
from desktop.session import BackgroundSignIn
from ui.main_window import MainWindow
from ui.messages import info, show_error
from ui.operations import run_in_background
from ui.preferences import apply_font
from ui.qt import QApplication
from ui.qt_translation import install_chinese_qt

log = logging.getLogger("jobstation")
DEMO_USER, DEMO_PASSWORD = "demo", "demo1234"


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("jobstation")
    app.setApplicationDisplayName("农民工就业服务站工作台")
    apply_font(app)
    install_chinese_qt(app)
    return app


def make_demo_station(folder: Path, people_count: int = 3000) -> Station:
    """A throw-away station with generated people, signed in as its 站长."""
    from db import demo

    station = create_station(
        folder, code="370124101", name="孔村镇就业服务站（演示）", county="平阴县",
        village_names=list(demo.DEMO_VILLAGES), admin_username=DEMO_USER,
        admin_display_name="演示站长", admin_password=DEMO_PASSWORD)
    demo.seed_everything(station, people_count)
    return station


def _open_or_set_up(data_dir: Path, *, user: str = "", notice: str = "",
                    probe: bool = False) -> Station | None:
    from ui.login_dialog import LoginDialog
    from ui.setup_wizard import SetupWizard

    if not station_path(data_dir).exists():
        wizard = SetupWizard(data_dir)
        if probe:
            return _report_ready(wizard)
        return wizard.station if wizard.exec() and wizard.station else None
    station = open_station(data_dir)
    login = LoginDialog(station, station_info(station).name)
    login.username.setText(user)
    login.error.setText(notice)
    if user:
        login.password.setFocus()
    if probe:
        station.close()
        return _report_ready(login)
    if not login.exec():
        station.close()
        return None
    station.act_as(login.account)
    return station


def _signed_in(sign_in: BackgroundSignIn, user: str, probe: bool) -> Station | None:
    """The station the sign-in thread opened; a wrong password gets the login dialog."""
    try:
        return sign_in.station()
    except AuthError as exc:
        return _open_or_set_up(sign_in.data_dir, user=user, notice=str(exc), probe=probe)


def _report_ready(window) -> None:
    """--startup-probe: the first window is up; say so with the peak memory and stop."""
    window.show()
    QApplication.instance().processEvents()
    try:
        import resource

        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except ImportError:  # Windows: no peak figure
        peak_kb = 0
    screen = window.stack.currentWidget() if isinstance(window, MainWindow) else window
    headline = getattr(screen, "headline", None)
    shown = headline.text() if headline is not None else type(screen).__name__
    print("ready", peak_kb, shown, flush=True)
    window.close()


def run_gui(data_dir: Path, *, demo: bool = False, self_test: bool = False,
            sign_in: BackgroundSignIn | None = None, user: str = "",
            probe: bool = False) -> int:
    setup_logging()
    app = _application()
    if self_test:
        from .self_test import run_self_test

        return run_self_test(app, make_demo_station)
    try:
        if demo:
            station = make_demo_station(Path(tempfile.mkdtemp(prefix="jobstation-demo-")))
        elif sign_in is not None:
            station = _signed_in(sign_in, user, probe)
        else:
            claim_station(data_dir)  # a second copy on this folder stops with one sentence
            station = _open_or_set_up(data_dir, user=user, probe=probe)
    except Exception as exc:  # the clerk sees one sentence; the log keeps the details
        log.exception("start-up failed")
        if probe:  # nobody to close a dialog: the sentence goes to stderr
            print(exc, file=sys.stderr)
        else:
            show_error(None, exc)
        return 1
    if station is None:
        return 0
    session = WindowSession(station, demo)
    if probe:
        _report_ready(session.window)
        session.station.close()
        return 0
    if not demo:
        _daily_backup_in_background(session.window, station.data_dir)
    code = app.exec()
    session.station.close()
    return code


def show_signed_in(sign_in: BackgroundSignIn) -> "WindowSession":
    """The main window for a clerk whose password is already given, as run_gui shows it
    after the login dialog: the password is checked on the sign-in's thread while Qt and
    the window load here (bench/bench_startup.py starts the window this way)."""
    setup_logging()
    _application()
    return WindowSession(sign_in.station(), demo=False)


class WindowSession:
    """The open station and its main window; a restore swaps both."""

    def __init__(self, station: Station, demo: bool):
        self.station, self.demo = station, demo
        self.window = _show_window(station, demo, self.restore)

    def restore(self, path: str) -> None:
        """Replace the station's data with a backup (the screen has already asked)."""
        account, folder = self.station.account, self.station.data_dir
        self.station.close()
        try:
            backup.restore(folder, Path(path))
        except Exception as exc:
            self.station = open_station(folder)  # the data as it was
            self.station.act_as(account)
            show_error(self.window, exc)
            return
        self.station = open_station(folder)
        self.station.act_as(account)
        old, self.window = self.window, _show_window(self.station, self.demo, self.restore)
        old.close()
        info(self.window, "已从备份恢复。恢复前的数据已另存为一份备份。")


def _daily_backup_in_background(window: MainWindow, data_dir: Path) -> None:
    """Today's backup, made after the window is up so it never delays the clerk."""

    def work(progress, cancelled):
        station = open_station(data_dir)  # this thread's own connection
        try:
            return backup.daily_backup_if_due(station)
        finally:
            station.close()

    def done(path) -> None:
        if path:
            window.statusBar().showMessage(f"已自动备份：{backup.describe(path)}", 8000)

    run_in_background(window, work, done, label="正在自动备份……")


def _show_window(station: Station, demo: bool, on_restore=None) -> MainWindow:
    window = MainWindow(station, demo=demo)
    if on_restore:
        window.restore_requested.connect(on_restore)
    window.show()
    if demo:
        window.statusBar().showMessage(
            f"演示站：站长账户 {DEMO_USER} / 密码 {DEMO_PASSWORD}，数据在临时文件夹 {station.data_dir}")
    return window

