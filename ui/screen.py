"""What every screen of the main window is: a titled widget that refreshes on demand."""

from db.station import Station

from .qt import QWidget, Signal


class LoadsWhenShown:
    """For widgets that load their data only while shown (mix in before the Qt class).

    ``reload_when_shown(tables, watched)`` marks the data stale when a watched table
    changed and reloads at once if the widget is visible; otherwise ``load()`` runs the
    next time it is shown. ``load()`` sets ``_stale = False``.
    """

    _stale = True

    def reload_when_shown(self, tables: set[str] | None, watched: set[str]) -> None:
        if tables is not None and not tables & watched:
            return
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()


class Screen(QWidget):
    """A screen in the main window's navigation.

    Screens never call each other: after a write a screen emits ``changed`` with the
    names of the tables it touched; the main window then calls ``refresh`` on every screen.
    ``open_person`` asks the main window to open a person's record.
    """

    title = ""
    changed = Signal(object)  # set[str] of table names
    open_person = Signal(str)  # person id

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station

    def refresh(self, tables: set[str] | None = None) -> None:
        """Reload what this screen shows; ``tables`` says what changed (None: everything)."""

    @property
    def account(self):
        return self.station.account

    @property
    def is_head(self) -> bool:
        """Whether the signed-in clerk is the 站长."""
        return bool(self.account and self.account.is_head)
