"""The core never imports the window: db, printing and sync stay free of Qt."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "db": {"PySide6", "ui", "desktop", "printing", "sync"},
    "printing": {"PySide6", "ui", "desktop", "db", "sync"},
    "sync": {"PySide6", "ui", "desktop"},
    "ui": {"desktop"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downwards(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if imported_roots(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_only_ui_qt_imports_pyside6():
    users = [str(p.relative_to(ROOT)) for pkg in ("ui", "desktop")
             for p in (ROOT / pkg).rglob("*.py") if "PySide6" in imported_roots(p)]
    assert users == ["ui/qt.py"]
