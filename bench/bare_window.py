"""A bare PySide6 window: the floor bench/bench_frozen_startup.py measures the bundle
against, frozen by bench/bare_window.spec. It shows the window, lets Qt run its events
once, reports its peak memory (KB) and exits, as ``jobstation-cli --startup-probe`` does."""

import resource
import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("hello"))
window.resize(1280, 720)
window.show()
app.processEvents()
print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
