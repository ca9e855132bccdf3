"""The main window only composes: navigation, screens, status bar, menus."""

from db.errors import StationError
from db.setup import station_info
from db.station import Station

from .accounts_screen import AccountsScreen
from .attendance_screen import AttendanceScreen
from .jobs_screen import JobsScreen
from .lists_screen import ListsScreen
from .maintenance_screen import MaintenanceScreen
from .messages import show_error
from .person_dialog import PersonDialog
from .posts_screen import PostsScreen
from .qt import (
    QAction,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    Qt,
    QWidget,
    Signal,
)
from .referrals_screen import ReferralsScreen
from .registry_screen import RegistryScreen
from .settings_screen import SettingsScreen


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
        self.screens = self._build_screens()
        self.nav = QListWidget()
        self.nav.setFixedWidth(130)
        self.stack = QStackedWidget()
        for screen in self.screens:
            self.nav.addItem(screen.title)
            self.stack.addWidget(screen)
            screen.changed.connect(self.broadcast)
            screen.open_person.connect(self.open_person)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        account = station.account
        who = f"{account.display_name}（{'站长' if account.is_head else '专员'}）" if account else ""
        self.statusBar().addPermanentWidget(QLabel(f"{info.name}　{info.county}　当前用户：{who}"))

    def _build_screens(self) -> list:
        screens = [RegistryScreen(self.station), ListsScreen(self.station),
                   JobsScreen(self.station), ReferralsScreen(self.station),
                   PostsScreen(self.station), AttendanceScreen(self.station)]
        if self.station.account and self.station.account.is_head:
            screens.append(AccountsScreen(self.station))
        screens.append(SettingsScreen(self.station))
        maintenance = MaintenanceScreen(self.station)
        maintenance.restore_requested.connect(self.restore_requested)
        screens.append(maintenance)
        return screens

    @property
    def registry(self) -> RegistryScreen:
        return self.screens[0]

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        find = QAction("查找人员(&F)", self, shortcut=QKeySequence("Ctrl+F"))
        find.triggered.connect(self.show_registry_search)
        new = QAction("新登记人员(&N)", self, shortcut=QKeySequence("Ctrl+N"))
        new.triggered.connect(lambda: self.open_person("new:"))
        quit_action = QAction("退出(&Q)", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        for action in (find, new, quit_action):
            file_menu.addAction(action)
        go_menu = self.menuBar().addMenu("转到(&G)")
        for i, screen in enumerate(self.screens):
            action = QAction(screen.title, self, shortcut=QKeySequence(f"Alt+{i + 1}"))
            action.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            go_menu.addAction(action)

    def show_registry_search(self) -> None:
        self.nav.setCurrentRow(0)
        self.registry.focus_search()

    def open_person(self, key: str) -> None:
        """Open a person's record; ``new:<ID>`` registers a new person (ID optional)."""
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

    def broadcast(self, tables) -> None:
        """Something was written: every screen refreshes what it shows."""
        for screen in self.screens:
            screen.refresh(set(tables) if tables is not None else None)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)
