"""Run-time hook that takes the place of PyInstaller's pyi_rth_pyside6 in the bundles
(scripts/bundle_trim.py swaps it in): the same Qt paths, without importing Qt.

PyInstaller's hook imports PySide6.QtCore before the program's first line, only to check
that PySide6 registered its qt.conf (the pip wheels always do, when QtCore loads). Loading
Qt that early costs the station program twice: the sign-in thread it starts before Qt so
that scrypt and the station's file overlap Qt's loading finds Qt already loaded, and
PySide6's import hook, once Qt is in, reads every module the program imports afterwards
(desktop/gui.py loads the first screen's core modules before Qt to avoid that).
"""

import os
import sys


def _qt_paths():
    if sys.platform == "win32":
        qt = os.path.join(sys._MEIPASS, "PySide6")
        # As PyInstaller's hook: DLLs beside the program are found by Qt's own loads.
        os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")
    else:
        qt = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")


_qt_paths()
del _qt_paths
