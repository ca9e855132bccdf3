"""What build.spec leaves out of the Qt part of a bundle, and how Qt starts in it (and
bench/bare_window.spec too, so that the bare window it measures the program against is
built exactly alike).

Qt plugins other than the platform, input-method, print and style ones (and the libraries
only they needed), Qt translations other than zh_CN, on Windows Qt's software OpenGL, and on
Linux the CUPS client library, the desktop libraries Qt takes from the system and the ICU
data Qt never reads (scripts/trim_icu.py). PyInstaller's run-time hook for PySide6 gives
way to scripts/pyi_rth_qt_paths.py, which sets Qt's paths without loading Qt before the
program starts.
"""

import os
import subprocess
import sys
from pathlib import Path

import trim_icu

# Qt plugins the window needs, by plugin folder; None keeps the whole folder. Platforms:
# Windows, X11 and offscreen (the self-test); input contexts carry the Linux Chinese IMEs.
QT_PLUGINS = {
    "platforms": {"qwindows", "qxcb", "qoffscreen"},
    "platforminputcontexts": None,
    "printsupport": None,
    "styles": None,
}

# Windows: Qt's software OpenGL (20 MB) and Direct3D shader compiler, loaded only by Qt Quick
# and OpenGL widgets, which the window does not use.
UNUSED_LIBRARIES = {"opengl32sw.dll", "d3dcompiler_47.dll"}

# Qt's translations: only zh_CN of qtbase (the standard buttons and dialogs) and its index.
KEPT_CATALOGS = {"qtbase_zh_CN.qm", "qt_zh_CN.qm"}

SYSTEM_LIB_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
QT_PATHS_HOOK = Path(__file__).resolve().parent / "pyi_rth_qt_paths.py"


def trim_qt(analysis, workpath: str) -> None:
    """Apply every rule above to a PyInstaller ``Analysis`` (its binaries and data)."""
    binaries = drop_with_orphans(analysis.binaries, unused_binary)
    analysis.binaries = with_trimmed_icu(without_qt_system_libs(binaries), workpath)
    datas = without_dangling_links(analysis.datas, analysis.binaries)
    analysis.datas = [d for d in datas if not d[0].endswith(".qm")
                      or os.path.basename(d[0]) in KEPT_CATALOGS]
    analysis.scripts = with_lazy_qt_hook(analysis.scripts)


def with_lazy_qt_hook(scripts):
    """The run-time hooks and script, with pyi_rth_qt_paths.py for PyInstaller's
    pyi_rth_pyside6 (which imports PySide6.QtCore before the program starts)."""
    swapped = [(name, str(QT_PATHS_HOOK), kind) if name == "pyi_rth_pyside6"
               else (name, path, kind) for name, path, kind in scripts]
    if swapped == list(scripts):
        raise SystemExit("PyInstaller's pyi_rth_pyside6 hook is gone: check bundle_trim.py")
    return swapped


def unused_binary(dest: str) -> bool:
    """Qt plugins the window does not need, and the CUPS client library: the Linux print
    plugin uses the computer's own CUPS (present wherever there is a printer, and matched to
    its print server) instead of a copy with its 10 MB of TLS and Kerberos libraries."""
    name = os.path.basename(dest).lower()
    if name.startswith("libcups.so") or name in UNUSED_LIBRARIES:
        return True
    parts = Path(dest).parts
    if parts[0] != "PySide6" or "plugins" not in parts[:-1]:
        return False
    kind = parts[parts.index("plugins") + 1]
    if kind not in QT_PLUGINS:
        return True
    name = Path(parts[-1]).name.split(".")[0].removeprefix("lib")
    return QT_PLUGINS[kind] is not None and name not in QT_PLUGINS[kind]


def needed_names(src: str) -> set[str]:
    """File names of the shared libraries ``src`` links against directly."""
    if sys.platform.startswith("linux"):  # not ldd (PyInstaller's way): it lists them all
        dump = subprocess.run(["objdump", "-p", src], check=True, capture_output=True, text=True)
        return {line.split()[1].lower() for line in dump.stdout.splitlines()
                if line.split()[:1] == ["NEEDED"]}
    from PyInstaller.depend.bindepend import get_imports

    return {os.path.basename(name).lower() for name, _path in get_imports(src)}


def drop_with_orphans(binaries, unused):
    """Drop ``unused`` entries and every library that only dropped entries linked against."""
    dropped = [b for b in binaries if unused(b[0])]
    kept = [b for b in binaries if not unused(b[0])]
    needs = {}
    while dropped:
        for dest, src, _kind in dropped + kept:
            if dest not in needs:
                needs[dest] = needed_names(src)
        wanted = set().union(*(needs[d] for d, _s, _k in kept))
        freed = set().union(*(needs[d] for d, _s, _k in dropped))
        dropped = [b for b in kept if os.path.basename(b[0]).lower() in freed - wanted]
        kept = [b for b in kept if b not in dropped]
    return kept


def without_dangling_links(datas, binaries):
    """Symbolic links (PyInstaller lists them with the data) whose target was dropped."""
    present = {os.path.normcase(d) for d, _s, _k in binaries + datas if _k != "SYMLINK"}
    return [d for d in datas if d[2] != "SYMLINK" or os.path.normcase(
        os.path.normpath(os.path.join(os.path.dirname(d[0]), d[1]))) in present]


def without_qt_system_libs(binaries):
    """Linux: leave out the system libraries that only Qt reaches (X11/xcb, fontconfig,
    FreeType, GLib, D-Bus, libstdc++ ...). PySide6's own wheels take these from the computer,
    so a desktop that runs Qt from pip runs the bundle (scripts/setup.sh lists them); copies
    built on another distribution only risk clashing with the desktop's fonts and X server.
    Libraries Python's own modules need (sqlite, OpenSSL, libffi ...) stay in the bundle."""
    if not sys.platform.startswith("linux"):
        return binaries

    def system_lib(entry):
        dest, src, kind = entry
        return (kind == "BINARY" and os.path.dirname(dest) == ""
                and src.startswith(SYSTEM_LIB_DIRS) and not dest.startswith("libpython"))

    def qt(entry):
        return Path(entry[0]).parts[0] in ("PySide6", "shiboken6")

    by_name = {os.path.basename(b[0]).lower(): b for b in binaries}
    reached = set()
    todo = [b for b in binaries if not system_lib(b) and not qt(b)]
    while todo:
        for name in needed_names(todo.pop()[1]):
            if name in by_name and name not in reached:
                reached.add(name)
                todo.append(by_name[name])
    return [b for b in binaries if not system_lib(b) or os.path.basename(b[0]).lower() in reached]


def with_trimmed_icu(binaries, workpath: str):
    """Linux: ICU's 31 MB data library swapped for the part Qt uses (scripts/trim_icu.py)."""
    out = []
    for dest, src, kind in binaries:
        if os.path.basename(dest).startswith("libicudata.so") and kind != "SYMLINK":
            src = str(trim_icu.trim_library(Path(src), Path(workpath) / "icu"))
        out.append((dest, src, kind))
    return out
