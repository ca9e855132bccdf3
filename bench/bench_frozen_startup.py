"""Start of the frozen bundle to an interactive window with 100,000 people, against a frozen
bare PySide6 window built the same way (issue #8: at most 1.5x; bundle size; memory).

The station program is build.spec's bundle; the floor is bench/bare_window.py frozen by
bench/bare_window.spec. Both are built with PyInstaller into bench/out/frozen (a few
minutes; reused while it is newer than the sources, or as it is with ``--keep-build DIR``).
The floor is trimmed exactly as the program is, neither more nor less: both are one-folder
bundles with modules as .pyc files in the folder (noarchive), console executables, stripped,
without UPX, and both go through scripts/bundle_trim.py (the same Qt plugins, Qt
translations, system libraries, trimmed ICU data and run-time hook for Qt's paths). Every
Qt cost a frozen PySide6 window pays is then in both figures, and the ratio shows only what
the program adds to it: its modules (and PyInstaller's run-time hooks they bring), the
station file, sign-in, the font, the Chinese catalogue and the 首页.

Each run spawns the executable and stops the clock at its ``ready <peak KB>`` line:
``jobstation-cli --data-dir DIR --user admin --startup-probe`` (password in
JOBSTATION_PASSWORD) signs in without the login dialog, shows the main window on its 首页
with its counts and says so; the bare window shows itself and says so. Runs are interleaved
(the order alternating) under QT_QPA_PLATFORM=offscreen, after one unmeasured run of each.
The CPU time each child has used by then (all threads, from /proc on Linux) is reported
beside the wall-clock time: on a busy machine it moves much less.
The children keep their logs and settings in a temporary folder. The station is
bench.common's 100,000-person one (built by bench.common when missing), its data file copied
once into a temporary folder: neither this benchmark nor the bundle opens the original, and
a migration the bundle carries is applied to the copy in the unmeasured first run. A sign-in
writes nothing, so every measured run finds the copy as the one before did; the benchmark
checks that after every run from the copy's size and modification time.

Run: .venv/bin/python -m bench.bench_frozen_startup [--runs 5] [--people N] [--keep-build DIR]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from db.station import station_path

from .common import OUT, PASSWORD, station_with

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
# What each bundle is built from: a build older than any of these is built again.
STATION_SOURCES = ["build.spec", "pyproject.toml", "scripts", "desktop", "ui", "db",
                   "printing", "sync"]
BARE_SOURCES = ["bench/bare_window.spec", "bench/bare_window.py", "scripts"]
TARGET_RATIO = 1.5


@dataclass
class Bundle:
    """One built program: its spec, its folder and the command that starts it."""

    spec: Path
    sources: list[str]
    folder: Path
    command: list[str]


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_kb: int
    shown: str


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, every thread) the process has used so far; 0 off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def newest_source(sources: list[str]) -> float:
    """The latest modification time among the files a bundle is built from."""
    newest = 0.0
    for name in sources:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        newest = max([newest, *(f.stat().st_mtime for f in files
                                if f.is_file() and "__pycache__" not in f.parts)])
    return newest


def build(bundle: Bundle, work: Path, reuse_any: bool) -> None:
    """Build ``bundle`` with PyInstaller unless a build newer than its sources is there."""
    stamp = work / f"{bundle.spec.stem}.built"
    if stamp.exists() and (reuse_any or stamp.stat().st_mtime > newest_source(bundle.sources)):
        return
    print(f"building {bundle.spec.relative_to(ROOT)} into {work} ...", flush=True)
    stamp.unlink(missing_ok=True)
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(bundle.spec)],
        cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"PyInstaller failed on {bundle.spec.name}:\n{proc.stderr[-4000:]}")
    stamp.touch()
    os.utime(stamp, (started, started))  # sources edited during the build make it stale
    print(f"built in {time.time() - started:.0f} s", flush=True)


def measure(command: list[str], env: dict) -> Run:
    """Spawn ``command`` and time it to its ``ready <peak KB> [what it shows]`` line."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            text=True, encoding="utf-8")
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(proc.pid)
    _out, err = proc.communicate(timeout=120)
    words = line.split(maxsplit=2)
    if proc.returncode != 0 or words[:1] != ["ready"]:
        raise SystemExit(f"{Path(command[0]).name} did not report ready (exit "
                         f"{proc.returncode}): {line!r}\n{err[-2000:]}")
    return Run(elapsed, cpu, int(words[1]), words[2].strip() if len(words) > 2 else "")


def folder_mib(folder: Path) -> float:
    """MiB of every file in ``folder`` (symbolic links count as themselves)."""
    return sum(p.lstat().st_size for p in folder.rglob("*")
               if not p.is_dir() or p.is_symlink()) / 2**20


def copied_station(people: int, into: Path) -> Path:
    """bench.common's station with ``people``, its data file copied into ``into``.

    bench.common builds it when missing; an existing one is copied without being opened
    here, since opening it from source would migrate the file every benchmark shares with
    whatever migration the working tree holds. The bundle migrates the copy instead, in the
    unmeasured first run."""
    source = station_path(OUT / f"station-{people}")
    if not source.exists():
        station_with(people).close()
    into.mkdir()
    shutil.copy2(source, station_path(into))
    return into


def file_state(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def child_env(scratch: Path) -> dict:
    """Offscreen, the password given, logs and settings kept out of the user's folders."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JOBSTATION_PASSWORD": PASSWORD,
           "XDG_STATE_HOME": str(scratch / "state"), "XDG_CONFIG_HOME": str(scratch / "config"),
           "XDG_DATA_HOME": str(scratch / "data"), "LOCALAPPDATA": str(scratch / "local")}
    env.pop("JOBSTATION_FONT", None)  # the bundle uses the font it carries
    return env


def summary(name: str, runs: list[Run]) -> str:
    times = ", ".join(f"{r.seconds * 1000:.0f}" for r in runs)
    peaks = [r.peak_kb / 1024 for r in runs]
    return (f"{name}: median {statistics.median(r.seconds for r in runs) * 1000:.0f} ms "
            f"(runs {times}); CPU {statistics.median(r.cpu_seconds for r in runs) * 1000:.0f} "
            f"ms; peak memory {statistics.median(peaks):.0f} MB ({min(peaks):.0f}-{max(peaks):.0f})")


def sources_label() -> str:
    """The commit the sources are at, and whether the tree holds uncommitted changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    dirty = git("status", "--porcelain", "--", *STATION_SOURCES).split("\n")
    changed = [line[3:] for line in dirty if line.strip()]
    head = git("log", "-1", "--format=%h %s").strip()[:72]
    return head + (f" + uncommitted: {', '.join(changed)}" if changed else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--keep-build", type=Path, metavar="DIR",
                        help="build into DIR once and reuse it as it is afterwards")
    args = parser.parse_args()
    work = (args.keep_build or OUT / "frozen").resolve()
    dist = work / "dist"
    bare = Bundle(BENCH / "bare_window.spec", BARE_SOURCES, dist / "bare_window",
                  [str(dist / "bare_window" / f"bare_window{EXE_SUFFIX}")])
    app = Bundle(ROOT / "build.spec", STATION_SOURCES, dist / "jobstation",
                 [str(dist / "jobstation" / f"jobstation-cli{EXE_SUFFIX}")])
    for bundle in (bare, app):
        build(bundle, work, reuse_any=args.keep_build is not None)

    with tempfile.TemporaryDirectory(prefix="bench-frozen-") as scratch:
        scratch = Path(scratch)
        data = copied_station(args.people, scratch / "station")
        app.command += ["--data-dir", str(data), "--user", "admin", "--startup-probe"]
        env = child_env(scratch)
        measure(bare.command, env)  # unmeasured: warms the disk cache
        shown = measure(app.command, env).shown
        untouched = file_state(station_path(data))
        bare_runs, app_runs = [], []
        for i in range(args.runs):
            order = [(bare, bare_runs), (app, app_runs)]
            for bundle, runs in order if i % 2 == 0 else order[::-1]:
                runs.append(measure(bundle.command, env))
            assert file_state(station_path(data)) == untouched, "the probe wrote to the station"

    bare_t = statistics.median(r.seconds for r in bare_runs)
    app_t = statistics.median(r.seconds for r in app_runs)
    ratios = [a.seconds / b.seconds for a, b in zip(app_runs, bare_runs, strict=True)]
    cpu_ratio = (statistics.median(r.cpu_seconds for r in app_runs)
                 / max(statistics.median(r.cpu_seconds for r in bare_runs), 1e-9))
    print(f"frozen start to an interactive window: {args.people} people, {args.runs} runs "
          f"interleaved, offscreen")
    print(f"sources: {sources_label()}")
    print(f"first screen shown: {shown}")
    print(summary("bare PySide6 window", bare_runs))
    print(summary("jobstation 首页", app_runs))
    print(f"ratio: {app_t / bare_t:.2f}x (target <= {TARGET_RATIO}x); "
          f"run by run {min(ratios):.2f}-{max(ratios):.2f}x; CPU time {cpu_ratio:.2f}x; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    county = dist / "jobstation-county"
    print(f"bundles: jobstation {folder_mib(app.folder):.1f} MiB (limit 150 MB), "
          f"jobstation-county {folder_mib(county):.1f} MiB, "
          f"bare window {folder_mib(bare.folder):.1f} MiB")


if __name__ == "__main__":
    main()
