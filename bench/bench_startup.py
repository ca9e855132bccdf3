"""Start to an interactive main window with 100,000 people, against a bare PySide6 window.

Both are measured from the parent's spawn of a fresh Python process to the child's report
that its window is shown and the event loop has run; the child also reports its peak
memory. The jobstation child is the real command, ``python -m desktop`` (what the
``jobstation`` script runs), started as a clerk whose password is given:
``--data-dir DIR --user admin`` with ``JOBSTATION_PASSWORD``, and ``--startup-probe``, which
prints ``ready <peak KB> <the first screen's headline>`` once the main window is shown. The
station is opened and the password checked (scrypt, full strength) on a thread while Qt and
the window load; logging, the font, Qt's Chinese catalogue, the folder lock and the
migration check are all in. The 首页 must be shown with its counts (在册 N 人). Without
``--user`` the same command stops at the login dialog: that is measured too.

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


def child_env(from_source: bool) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if not from_source:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    return env


def measure(command: list[str], env: dict, shown: str = "") -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *command], stdout=subprocess.PIPE, text=True,
                            env=env)
    line = proc.stdout.readline().split(maxsplit=2)
    elapsed = time.perf_counter() - start
    proc.wait()
    assert line and line[0] == "ready" and shown in line[-1], line
    return elapsed, int(line[1])


def app_command(folder: str, *, signed_in: bool) -> list[str]:
    user = ["--user", "admin"] if signed_in else []
    return ["-m", "desktop", "--data-dir", folder, *user, "--startup-probe"]


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
    env["JOBSTATION_PASSWORD"] = PASSWORD
    bare_cmd = ["-c", BARE]
    app_cmd = app_command(folder, signed_in=True)
    login_cmd = app_command(folder, signed_in=False)
    measure(bare_cmd, env)  # unmeasured: writes the bytecode cache, warms the disk cache
    measure(app_cmd, env, "在册")
    bare, app, login = [], [], []
    for _ in range(args.runs):
        bare.append(measure(bare_cmd, env))
        app.append(measure(app_cmd, env, "在册"))
        login.append(measure(login_cmd, env, "LoginDialog"))
    bare_t, app_t, login_t = (statistics.median(t for t, _ in runs)
                              for runs in (bare, app, login))
    print(f"people: {args.people}, runs: {args.runs}, platform: {env['QT_QPA_PLATFORM']}, "
          f"{'from source' if args.from_source else 'bytecode compiled'}")
    for label, runs, t in (("bare PySide6 window", bare, bare_t),
                           ("jobstation main window (首页), password given", app, app_t),
                           ("jobstation login dialog", login, login_t)):
        print(f"{label}: {t * 1000:.0f} ms (peak {max(m for _, m in runs) / 1024:.0f} MB)"
              f"; runs {', '.join(f'{r * 1000:.0f}' for r, _ in runs)}")
    print(f"ratio main window / bare: {app_t / bare_t:.2f}x (target <= 2x); "
          f"login dialog / bare: {login_t / bare_t:.2f}x; memory target < 200 MB")


if __name__ == "__main__":
    main()
