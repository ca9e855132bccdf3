"""What every screen of the main window is: a titled widget that refreshes on demand."""

from db.station import Station

from .qt import QWidget, Signal


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
