"""Start to an interactive main window with 100,000 people, against a bare PySide6 window.

The main window opens on its first screen (首页, with its counts and work items); both
are measured from the parent's spawn of a fresh Python process to the child's
report that its window is shown and the event loop has run; the child also reports its
peak memory. The jobstation child starts the way the program does after its login
dialog, with the password given: ``desktop.session.BackgroundSignIn`` opens the station and
checks the password (scrypt, full strength) on a thread of its own while Qt and the window
load, then ``desktop.gui.show_signed_in`` shows the window (logging, font, Qt's Chinese
catalogue, the folder lock, the migration check included). It checks that the 首页 is the
screen shown and holds its counts before it reports.

Both children run from compiled bytecode, as an installed program does (pip and the
PyInstaller bundle compile every module at install time): this development environment
sets PYTHONDONTWRITEBYTECODE, which would have jobstation compile its ~60 start-up modules
from source on every run (about 0.13 s) while PySide6 comes compiled. The bytecode lives in
bench/out/pycache (PYTHONPYCACHEPREFIX, for both children), made by one unmeasured run of
each. ``--from-source`` measures without it.

Run: .venv/bin/python -m bench.bench_startup [--people N] [--runs 5] [--from-source]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

from .common import OUT, PASSWORD, station_with

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
from desktop.session import BackgroundSignIn
sign_in = BackgroundSignIn(Path(sys.argv[1]), "admin", sys.argv[2])
from desktop.gui import show_signed_in
from ui.qt import QApplication
session = show_signed_in(sign_in)
QApplication.instance().processEvents()
home = session.window.stack.currentWidget()
assert type(home).__name__ == "HomeScreen" and home.isVisible(), home
assert home.summary.people > 0 and home.headline.text(), "首页 without its counts"
print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""

ENTRY = """
import time
start = time.perf_counter()
import desktop.cli
print("ready", int((time.perf_counter() - start) * 1000), flush=True)
"""


def child_env(from_source: bool) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if not from_source:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    return env


def measure(code: str, *args: str, env: dict) -> tuple[float, int]:
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
    parser.add_argument("--from-source", action="store_true",
                        help="no bytecode cache: compile jobstation's modules on every run")
    args = parser.parse_args()
    station = station_with(args.people)
    folder = str(station.data_dir)
    station.close()
    env = child_env(args.from_source)
    measure(BARE, env=env)  # unmeasured: writes the bytecode cache, warms the disk cache
    measure(APP, folder, PASSWORD, env=env)
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(measure(BARE, env=env))
        app.append(measure(APP, folder, PASSWORD, env=env))
    entry = statistics.median(measure(ENTRY, env=env)[1] for _ in range(3))
    bare_t = statistics.median(t for t, _ in bare)
    app_t = statistics.median(t for t, _ in app)
    rss = max(m for _, m in app) / 1024
    print(f"people: {args.people}, runs: {args.runs}, platform: {env['QT_QPA_PLATFORM']}, "
          f"{'from source' if args.from_source else 'bytecode compiled'}")
    print(f"bare PySide6 window: {bare_t * 1000:.0f} ms (peak {max(m for _, m in bare) / 1024:.0f} MB)"
          f"; runs {', '.join(f'{t * 1000:.0f}' for t, _ in bare)}")
    print(f"jobstation main window: {app_t * 1000:.0f} ms (peak {rss:.0f} MB)"
          f"; runs {', '.join(f'{t * 1000:.0f}' for t, _ in app)}")
    print(f"ratio: {app_t / bare_t:.2f}x (target <= 2x); memory target < 200 MB")
    print(f"not in the ratio: the jobstation command imports desktop.cli before run_gui: "
          f"{entry:.0f} ms")


if __name__ == "__main__":
    main()
