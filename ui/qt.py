"""The one module that imports the Qt binding; screens import Qt names from here.

The names are looked up on first use (PEP 562 ``__getattr__``): PySide6 builds each class
the first time it is asked for, and asking for all 76 at import cost about 0.1 s of the
window's start, while the first screen needs a fraction of them.
"""

import importlib

from PySide6 import QtCore, QtGui, QtWidgets
from shiboken6 import isValid as _is_valid

_MODULES = {
    QtCore: (
        "QAbstractTableModel", "QCoreApplication", "QDate", "QEvent", "QItemSelectionModel",
        "QLibraryInfo", "QModelIndex", "QObject", "QPersistentModelIndex", "QRect", "QRunnable",
        "QSettings", "QSize", "QSortFilterProxyModel", "Qt", "QThreadPool", "QTimer",
        "QTranslator", "Signal", "Slot",
    ),
    QtGui: (
        "QAction", "QColor", "QFont", "QGuiApplication", "QIcon", "QImage", "QInputMethodEvent",
        "QKeySequence", "QPainter", "QPalette", "QPixmap", "QShortcut", "QStandardItem",
        "QStandardItemModel",
    ),
    "PySide6.QtPrintSupport": (  # loaded by the first print, not at start (10-15 ms)
        "QPrintDialog", "QPrinter",
    ),
    QtWidgets: (
        "QAbstractItemView", "QApplication", "QCheckBox", "QComboBox", "QDateEdit", "QDialog",
        "QDialogButtonBox", "QFileDialog", "QFormLayout", "QFrame", "QGridLayout", "QGroupBox",
        "QHBoxLayout", "QHeaderView", "QInputDialog", "QLabel", "QLineEdit", "QListWidget",
        "QListWidgetItem", "QMainWindow", "QMenu", "QMessageBox", "QPlainTextEdit",
        "QProgressDialog", "QPushButton", "QScrollArea", "QSizePolicy", "QSpinBox", "QSplitter",
        "QStackedWidget", "QStatusBar", "QTableView", "QTableWidget", "QTableWidgetItem",
        "QTabWidget", "QTextEdit", "QToolBar", "QTreeWidget", "QTreeWidgetItem", "QVBoxLayout",
        "QWidget", "QWizard", "QWizardPage",
    ),
}
# Qt.ItemDataRole.UserRole as the int that Qt's item API takes. The modules of the first
# screen never touch ``Qt``: its first use builds the whole namespace (93 enum types,
# 30-50 ms), which belongs to the first screen that needs it, not to the window's start.
USER_ROLE = 0x0100

_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ui.qt' has no attribute {name!r}")
    if isinstance(module, str):
        module = importlib.import_module(module)
    value = globals()[name] = getattr(module, name)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


def is_alive(obj) -> bool:
    """Whether a Qt object still exists on the C++ side (its parent may have deleted it)."""
    return obj is not None and _is_valid(obj)


def menu_action(parent, title: str, keys: str, slot) -> "QtGui.QAction":
    """A menu action with its keyboard shortcut (``keys`` like "Ctrl+F", or "" for none).

    The shortcut is given as a list: PySide resolves ``setShortcut``'s overloads against
    ``Qt.Key``, and the first such call builds the whole ``Qt`` namespace (93 enum types,
    30-50 ms), which would land in the window's start; ``setShortcuts`` does not.
    """
    action = QtGui.QAction(title, parent)
    if keys:
        action.setShortcuts([QtGui.QKeySequence(keys)])
    action.triggered.connect(slot)
    return action
