"""The main window only composes: navigation, screens, status bar, menus.

Screens are built the first time the clerk opens them, so start-up imports and builds
only the first one (each screen module pulls in its own heavy parts: Excel, PDF, ...).
"""

import importlib
from dataclasses import dataclass

from db.errors import StationError
from db.setup import station_info
from db.station import Station

from .messages import show_error
from .qt import (
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
    Signal,
    menu_action,
)
from .sync_background import attach_background_sync


@dataclass(frozen=True)
class ScreenEntry:
    module: str
    cls: str
    title: str
    head_only: bool = False


SCREENS = [
    ScreenEntry("home_screen", "HomeScreen", "首页"),
    ScreenEntry("registry_screen", "RegistryScreen", "人员登记"),
    ScreenEntry("lists_screen", "ListsScreen", "三类清单"),
    ScreenEntry("jobs_screen", "JobsScreen", "岗位与推荐"),
    ScreenEntry("referrals_screen", "ReferralsScreen", "推荐反馈"),
    ScreenEntry("posts_screen", "PostsScreen", "公益性岗位"),
    ScreenEntry("attendance_screen", "AttendanceScreen", "考勤与补贴"),
    ScreenEntry("ledger_screen", "LedgerScreen", "帮扶台账"),
    ScreenEntry("rights_screen", "RightsScreen", "维权咨询"),
    ScreenEntry("training_screen", "TrainingScreen", "培训需求"),
    ScreenEntry("compare_screen", "CompareScreen", "信息比对"),
    ScreenEntry("accounts_screen", "AccountsScreen", "账户管理", head_only=True),
    ScreenEntry("settings_screen", "SettingsScreen", "本站设置"),
    ScreenEntry("maintenance_screen", "MaintenanceScreen", "数据备份"),
    ScreenEntry("sync_screen", "SyncScreen", "同步"),
]


class MainWindow(QMainWindow):
    """Navigation on the left, one screen at a time on the right."""

    restore_requested = Signal(str)

    def __init__(self, station: Station, *, demo: bool = False):
        super().__init__()
        self.station = station
        info = station_info(station)
        suffix = "（演示站）" if demo else ""
        self.setWindowTitle(f"农民工就业服务站工作台 — {info.name}{suffix}")
        self.resize(1280, 720)
        is_head = bool(station.account and station.account.is_head)
        self.entries = [e for e in SCREENS if is_head or not e.head_only]
        self.built: dict[str, object] = {}
        self.nav = QListWidget()
        self.nav.setFixedWidth(130)
        self.stack = QStackedWidget()
        for entry in self.entries:
            self.nav.addItem(entry.title)
            self.stack.addWidget(QWidget())  # replaced by the screen when first opened
        self.nav.currentRowChanged.connect(self.show_screen)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        account = station.account
        who = f"{account.display_name}（{'站长' if account.is_head else '专员'}）" if account else ""
        self.statusBar().addPermanentWidget(QLabel(f"{info.name}　{info.county}　当前用户：{who}"))
        attach_background_sync(self)  # status bar shows its last result
        self.nav.setCurrentRow(0)

    # -- screens --------------------------------------------------------------------------
    def screen(self, cls_name: str):
        """The screen of that class, built now if it was not yet."""
        row = next(i for i, e in enumerate(self.entries) if e.cls == cls_name)
        return self._build(row)

    def _build(self, row: int):
        entry = self.entries[row]
        if entry.cls not in self.built:
            module = importlib.import_module(f"ui.{entry.module}")
            screen = getattr(module, entry.cls)(self.station)
            screen.changed.connect(self.broadcast)
            screen.open_person.connect(self.open_person)
            if hasattr(screen, "open_target"):
                screen.open_target.connect(self.open_target)
            if hasattr(screen, "import_requested"):
                screen.import_requested.connect(self.import_roster)
            if hasattr(screen, "restore_requested"):
                screen.restore_requested.connect(self.restore_requested)
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, screen)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.built[entry.cls] = screen
        return self.built[entry.cls]

    def show_screen(self, row: int) -> None:
        if row < 0:
            return
        screen = self._build(row)
        self.stack.setCurrentWidget(screen)

    def go_to(self, cls_name: str):
        row = next(i for i, e in enumerate(self.entries) if e.cls == cls_name)
        self.nav.setCurrentRow(row)
        return self.built[cls_name]

    @property
    def registry(self):
        return self.screen("RegistryScreen")

    @property
    def screens(self) -> list:
        return list(self.built.values())

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        for title, keys, slot in (("查找人员(&F)", "Ctrl+F", self.show_registry_search),
                                  ("新登记人员(&N)", "Ctrl+N", lambda: self.open_person("new:")),
                                  ("导入花名册(&I)…", "Ctrl+I", self.import_roster),
                                  ("退出(&Q)", "Ctrl+Q", self.close)):
            file_menu.addAction(menu_action(self, title, keys, slot))
        go_menu = self.menuBar().addMenu("转到(&G)")
        for i, entry in enumerate(self.entries):
            go_menu.addAction(menu_action(self, entry.title, f"Alt+{i + 1}" if i < 9 else "",
                                          lambda _=False, row=i: self.nav.setCurrentRow(row)))

    def show_registry_search(self) -> None:
        self.go_to("RegistryScreen").focus_search()

    # -- records --------------------------------------------------------------------------
    def open_person(self, key: str) -> None:
        """Open a person's record; ``new:<ID>`` registers a new person (ID optional)."""
        from .person_dialog import PersonDialog  # with its tabs: not needed at start

        try:
            if key.startswith("new:"):
                dialog = PersonDialog(self.station, None, self, id_number=key[4:])
            else:
                dialog = PersonDialog(self.station, key, self)
        except StationError as exc:  # e.g. deleted meanwhile
            show_error(self, exc)
            return
        dialog.changed.connect(self.broadcast)
        dialog.finished.connect(dialog.deleteLater)
        self.person_dialog = dialog
        dialog.open()  # window-modal, without a nested event loop

    def import_roster(self) -> None:
        """The roster import wizard (Excel/WPS/CSV 花名册 into the registry)."""
        from .import_wizard import ImportWizard

        wizard = ImportWizard(self.station, self)
        wizard.changed.connect(self.broadcast)
        wizard.finished.connect(wizard.deleteLater)
        self.import_wizard = wizard
        wizard.open()

    def open_target(self, target: str, target_id: str) -> None:
        """A home-screen item without a person: go to the screen that holds it."""
        if target == "attendance_month":
            from db.holidays import Month

            self.go_to("AttendanceScreen").show_month(Month.parse(target_id))

    def broadcast(self, tables) -> None:
        """Something was written: every built screen refreshes what it shows."""
        for screen in self.built.values():
            screen.refresh(set(tables) if tables is not None else None)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Cancel):
            return
        super().keyPressEvent(event)
