"""Start to an interactive main window with 100,000 people, against a bare PySide6 window.

The main window opens on its first screen (首页, with its counts and work items); both
are measured from the parent's spawn of a fresh Python process to the child's
report that its window is shown and the event loop has run; the child also reports its
peak memory. Run: .venv/bin/python -m bench.bench_startup [--people N] [--runs 5]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

from .common import PASSWORD, station_with

BARE = """
import resource, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 720); w.show()
app.processEvents()
print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""

APP = """
import resource, sys
from pathlib import Path
from ui.qt import QApplication
from db import accounts
from db.station import open_station
from ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
station = open_station(Path(sys.argv[1]))
station.act_as(accounts.authenticate(station, "admin", sys.argv[2]))
w = MainWindow(station); w.show()
app.processEvents()
print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def measure(code: str, *args: str) -> tuple[float, int]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            text=True, env=env)
    line = proc.stdout.readline().split()
    elapsed = time.perf_counter() - start
    proc.wait()
    assert line and line[0] == "ready", line
    return elapsed, int(line[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    station = station_with(args.people)
    folder = str(station.data_dir)
    station.close()
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(measure(BARE))
        app.append(measure(APP, folder, PASSWORD))
    bare_t = statistics.median(t for t, _ in bare)
    app_t = statistics.median(t for t, _ in app)
    rss = max(m for _, m in app) / 1024
    print(f"people: {args.people}, runs: {args.runs}, platform: {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    print(f"bare PySide6 window: {bare_t * 1000:.0f} ms (peak {max(m for _, m in bare) / 1024:.0f} MB)")
    print(f"jobstation main window: {app_t * 1000:.0f} ms (peak {rss:.0f} MB)")
    print(f"ratio: {app_t / bare_t:.2f}x (target <= 2x); memory target < 200 MB")


if __name__ == "__main__":
    main()
