"""数据备份: backup now, export a copy, integrity check, restore request (站长 only)."""

import sqlite3

import pytest

from db import accounts, backup
from db.setup import create_station
from ui import maintenance_screen
from ui.maintenance_screen import MaintenanceScreen
from ui.qt import QFileDialog, QThreadPool


@pytest.fixture
def station(tmp_path):
    st = create_station(
        tmp_path / "station", code="370124101", name="测试服务站", county="平阴县",
        village_names=["东关村", "西关村"], admin_username="admin",
        admin_display_name="王站长", admin_password="secret123")
    yield st
    st.close()


@pytest.fixture
def screen(qtbot, station, monkeypatch):
    told = []
    monkeypatch.setattr(maintenance_screen, "info", lambda parent, text, *a: told.append(text))
    monkeypatch.setattr(maintenance_screen, "confirm", lambda *a, **k: True)
    widget = MaintenanceScreen(station)
    widget.told = told
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    QThreadPool.globalInstance().waitForDone(10_000)


def test_backup_now_adds_a_manual_backup_to_the_list(qtbot, screen, station):
    screen.backup_button.click()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    assert "（手动）" in screen.table.item(0, 0).text()
    assert screen.status.text().startswith("已备份")
    backup.verify_backup(backup.list_backups(station.data_dir)[0])


def test_export_copy_writes_a_sound_database(qtbot, screen, tmp_path, monkeypatch):
    target = tmp_path / "out" / "copy"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    screen.export_button.click()
    qtbot.waitUntil(lambda: bool(screen.told), timeout=10_000)
    written = target.with_suffix(".sqlite3")
    assert str(written) in screen.told[0]
    conn = sqlite3.connect(written)
    assert conn.execute("SELECT count(*) FROM account").fetchone()[0] == 1
    conn.close()


def test_integrity_check_reports_one_sentence(qtbot, screen):
    screen.check_button.click()
    qtbot.waitUntil(lambda: bool(screen.told), timeout=10_000)
    assert screen.told == ["完整性检查通过：本站数据文件完好。"]


def test_restore_asks_the_window_with_the_chosen_backup(qtbot, screen, station, monkeypatch):
    made = backup.make_backup(station, "manual")
    screen.refresh()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(made), "")))
    with qtbot.waitSignal(screen.restore_requested, timeout=10_000) as asked:
        screen.restore_button.click()
    assert asked.args == [str(made)]


def test_restore_refuses_a_file_that_is_not_a_backup(qtbot, screen, tmp_path, monkeypatch):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    shown = []
    monkeypatch.setattr("ui.operations.show_error", lambda parent, exc: shown.append(str(exc)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(junk), "")))
    screen.restore_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == ["该文件不是本程序的备份文件，或已损坏。"]


def test_clerk_has_no_restore_button(qtbot, station):
    station.act_as(accounts.create_account(station, "li", "李专员", "clerk", "secret123"))
    widget = MaintenanceScreen(station)
    qtbot.addWidget(widget)
    widget.show()
    assert not widget.restore_button.isVisible()
    assert widget.backup_button.isVisible()
