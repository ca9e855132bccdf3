"""同步 screen against a real county server process on 127.0.0.1: enrollment, 立即同步,
USB export and import through the county's command line, conflicts settled by the clerk,
and background sync that backs off while the server is down."""

import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from db import people, setup
from sync import client, history, identity
from tests.conftest import id_of
from tests.ui.conftest import ime_type
from ui import sync_conflicts, sync_screen
from ui.qt import QFileDialog, QThreadPool
from ui.sync_background import BackgroundSync
from ui.sync_screen import SyncScreen

COUNTY_CLI = str(Path(sys.executable).parent / "jobstation-county")
STATION, OTHER_STATION = "370124101", "370124102"


def county_cli(data_dir: Path, *args) -> str:
    done = subprocess.run([COUNTY_CLI, "--data-dir", str(data_dir), *map(str, args)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class County:
    data_dir: Path
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [COUNTY_CLI, "--data-dir", str(self.data_dir), "serve", "--host", "127.0.0.1",
                 "--port", str(self.port)], stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while not client.reachable(self.url, timeout=0.5):
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "county server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def enroll_code(self, station_code: str) -> dict:
        return json.loads(county_cli(self.data_dir, "enroll-code", "--station-code",
                                     station_code, "--json"))


@pytest.fixture(scope="module")
def fresh_county(tmp_path_factory) -> Path:
    """A newly initialised county folder, copied for each test (init takes seconds)."""
    data_dir = tmp_path_factory.mktemp("county-template") / "county"
    county_cli(data_dir, "init", "--county-code", "370124", "--name", "平阴县")
    return data_dir


@pytest.fixture
def county(tmp_path, fresh_county):
    data_dir = tmp_path / "county"
    shutil.copytree(fresh_county, data_dir)
    server = County(data_dir, free_port(), tmp_path / "county-server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def told(monkeypatch):
    """What the screen would have shown in message boxes (never a modal in tests)."""
    said = {"info": [], "error": []}
    monkeypatch.setattr(sync_screen, "info", lambda parent, text, *a: said["info"].append(text))
    for module in (sync_screen, sync_conflicts):
        monkeypatch.setattr(module, "show_error",
                            lambda parent, exc, *a: said["error"].append(str(exc)))
    return said


@pytest.fixture
def make_screen(qtbot, told):
    def make(station):
        widget = SyncScreen(station)
        qtbot.addWidget(widget)
        widget.show()
        return widget
    yield make
    QThreadPool.globalInstance().waitForDone(30_000)


@pytest.fixture
def enrolled(station, county):
    client.enroll_network(station, county.url, county.enroll_code(STATION)["code"])
    return station


def register(station, phone="13800000001", residence="东关村"):
    return people.create_person(station, {"name": "张三", "id_number": id_of(1970),
                                          "phone": phone, "residence": residence})


def history_rows(screen) -> list[list[str]]:
    table = screen.history_table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_enroll_from_screen_shows_the_county_and_its_key_fingerprint(qtbot, station, county,
                                                                     make_screen, told):
    screen = make_screen(station)
    assert screen.enroll_box.isVisible() and not screen.status_box.isVisible()
    issued = county.enroll_code(STATION)
    qtbot.keyClicks(screen.url_edit, f"127.0.0.1:{county.port}")
    qtbot.keyClicks(screen.code_edit, issued["code"])
    screen.enroll_button.click()
    qtbot.waitUntil(lambda: screen.status_box.isVisible(), timeout=20_000)
    assert not screen.enroll_box.isVisible()
    assert screen.county_label.text() == "平阴县"
    assert screen.fingerprint_label.text() == issued["fingerprint"]
    assert screen.server_edit.text() == county.url
    assert issued["fingerprint"] in told["info"][0]
    assert told["error"] == []


def test_enroll_by_file_from_the_usb_stick(qtbot, station, county, make_screen, told,
                                           tmp_path, monkeypatch):
    answer = tmp_path / "登记文件.json"
    issued = json.loads(county_cli(county.data_dir, "enroll-code", "--station-code", STATION,
                                   "--out", answer, "--json"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(answer), "")))
    screen = make_screen(station)
    qtbot.keyClicks(screen.code_edit, issued["code"])
    screen.enroll_file_button.click()
    qtbot.waitUntil(lambda: screen.status_box.isVisible(), timeout=20_000)
    assert screen.fingerprint_label.text() == issued["fingerprint"]
    assert not screen.sync_button.isEnabled()  # no server address yet: USB only
    qtbot.keyClicks(screen.server_edit, county.url)
    assert screen.sync_button.isEnabled()
    assert told["error"] == []


def test_wrong_enrollment_code_is_one_sentence_and_nothing_changes(qtbot, station, county,
                                                                   make_screen, told):
    county.enroll_code(STATION)
    screen = make_screen(station)
    qtbot.keyClicks(screen.url_edit, county.url)
    qtbot.keyClicks(screen.code_edit, "AAAA-BBBB-CCCC")
    screen.enroll_button.click()
    qtbot.waitUntil(lambda: bool(told["error"]), timeout=20_000)
    assert "登记码" in told["error"][0]
    assert screen.enroll_box.isVisible()
    assert identity.identity(station) is None


def test_enroll_needs_a_code_before_anything_is_sent(qtbot, station, make_screen, told):
    screen = make_screen(station)
    screen.enroll_button.click()
    assert screen.enroll_error.text() == "请填写县里发的一次性登记码。"


def test_sync_now_adds_a_history_row_and_clears_pending(qtbot, enrolled, make_screen, told):
    register(enrolled)
    screen = make_screen(enrolled)
    assert screen.pending_label.text() != "0 条"
    assert screen.last_label.text() == "从未"
    screen.sync_button.click()
    qtbot.waitUntil(lambda: screen.history_table.rowCount() == 1, timeout=20_000)
    row = history_rows(screen)[0]
    assert row[1:3] == ["联网", "成功"]
    assert int(row[3]) > 0
    assert screen.pending_label.text() == "0 条"
    assert screen.last_label.text() != "从未"
    assert screen.result_label.text().startswith("同步完成：发出")
    assert told["error"] == []


def test_sync_now_while_the_server_is_down_says_so_and_keeps_the_changes(
        qtbot, enrolled, county, make_screen, told):
    register(enrolled)
    county.stop()
    screen = make_screen(enrolled)
    pending = screen.pending_label.text()
    screen.sync_button.click()
    qtbot.waitUntil(lambda: bool(told["error"]), timeout=30_000)
    assert told["error"] == [client.UNREACHABLE]
    assert screen.result_label.text() == client.UNREACHABLE
    assert history_rows(screen)[0][1:3] == ["联网", "未成功"]
    assert screen.pending_label.text() == pending


def test_usb_export_then_county_import_then_usb_import_applies_the_answer(
        qtbot, enrolled, county, make_screen, told, tmp_path, monkeypatch):
    register(enrolled)
    screen = make_screen(enrolled)
    stick = tmp_path / "stick"
    stick.mkdir()
    up, back = stick / "up", stick / "return.bundle"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(up), "")))
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.history_table.rowCount() == 1, timeout=20_000)
    exported = up.with_suffix(".bundle")
    assert exported.exists()
    assert history_rows(screen)[0][1:3] == ["导出到U盘", "成功"]
    assert screen.result_label.text().endswith(sync_screen.AFTER_EXPORT)
    assert screen.pending_label.text() != "0 条"  # not acknowledged until the answer returns

    county_cli(county.data_dir, "import-bundle", exported, "--return-out", back)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(back), "")))
    screen.import_button.click()
    qtbot.waitUntil(lambda: screen.history_table.rowCount() == 2, timeout=20_000)
    assert history_rows(screen)[0][1:3] == ["从U盘导入", "成功"]
    assert screen.pending_label.text() == "0 条"
    assert told["error"] == []


def second_station(tmp_path, county):
    other = setup.create_station(
        tmp_path / "other", code=OTHER_STATION, name="榆山街道就业服务站", county="平阴县",
        village_names=["南关村"], admin_username="admin", admin_display_name="李站长",
        admin_password="secret123")
    client.enroll_network(other, county.url, county.enroll_code(OTHER_STATION)["code"])
    return other


@pytest.fixture
def in_conflict(enrolled, county, tmp_path):
    """The same worker registered at two stations with different phones and residences."""
    person_id = register(enrolled, "13800000001", "东关村")
    client.sync_now(enrolled)
    other = second_station(tmp_path, county)
    register(other, "13700000003", "县城南街")
    client.sync_now(other)
    client.sync_now(enrolled)
    other.close()
    return person_id


@pytest.mark.parametrize("choice", ["county", "here"])
def test_conflict_shows_both_values_and_one_click_settles_it(
        qtbot, enrolled, in_conflict, make_screen, told, choice):
    screen = make_screen(enrolled)
    panel = screen.conflicts
    phone = next(i for i, row in enumerate(panel.rows) if row["col"] == "phone")
    sentence = panel.list.item(phone).text()
    assert "13800000001" in sentence and "13700000003" in sentence
    assert "孔村镇就业服务站" in sentence and "榆山街道就业服务站" in sentence
    assert screen.tabs.tabText(1) == f"冲突（{len(panel.rows)}）"
    county_value = panel.rows[phone]["value_b" if panel.rows[phone]["winner"] == "b"
                                     else "value_a"]
    expected = {"county": county_value, "here": "13800000001"}[choice]
    before = len(panel.rows)
    with qtbot.waitSignal(screen.changed):
        panel.list.setCurrentRow(phone)
        panel.buttons[choice].click()
    assert len(panel.rows) == before - 1
    assert all(row["col"] != "phone" for row in panel.rows)
    assert people.get_person(enrolled, in_conflict)["phone"] == expected
    assert screen.conflicts_label.text() == f"{before - 1} 条"
    assert told["error"] == []


def test_manual_value_typed_in_chinese_settles_the_conflict_and_syncs_up(
        qtbot, enrolled, in_conflict, make_screen, told):
    screen = make_screen(enrolled)
    panel = screen.conflicts
    panel.list.setCurrentRow(next(i for i, row in enumerate(panel.rows)
                                  if row["col"] == "residence"))
    panel.buttons["manual"].click()
    dialog = panel.manual_dialog
    assert dialog.isVisible()
    dialog.value_edit.clear()
    ime_type(dialog.value_edit, "孔村镇东关村三组")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: all(row["col"] != "residence" for row in panel.rows))
    assert people.get_person(enrolled, in_conflict)["residence"] == "孔村镇东关村三组"
    assert screen.pending_label.text() != "0 条"  # the settlement is an ordinary change
    screen.sync_button.click()
    qtbot.waitUntil(lambda: screen.pending_label.text() == "0 条", timeout=20_000)
    assert told["error"] == []


def test_manual_value_must_not_be_empty(qtbot, enrolled, in_conflict, make_screen):
    screen = make_screen(enrolled)
    panel = screen.conflicts
    before = len(panel.rows)
    panel.buttons["manual"].click()
    panel.manual_dialog.value_edit.clear()
    panel.manual_dialog.ok_button.click()
    assert panel.manual_dialog.error.text() == "请填写要采用的内容。"
    assert len(panel.rows) == before


def test_background_sync_runs_while_the_server_answers(qtbot, enrolled, told):
    register(enrolled)
    runner = BackgroundSync(enrolled, interval_ms=100, backoff_ms=50, first_ms=0)
    reports = []
    runner.reported.connect(reports.append)
    runner.start()
    qtbot.waitUntil(lambda: runner.attempts >= 3 and not runner.busy, timeout=30_000)
    runner.stop()
    QThreadPool.globalInstance().waitForDone(30_000)
    assert runner.failures == 0
    assert reports[0].startswith("自动同步（") and "同步完成：发出 " in reports[0]
    assert reports[-1] == runner.last_report
    assert client.status(enrolled)["pending"] == 0
    ways = {row["way"] for row in history.recent(enrolled)}
    assert ways == {"network"}
    assert told["error"] == [] and told["info"] == []


def test_background_sync_backs_off_while_the_server_is_down_then_recovers(
        qtbot, enrolled, county, told):
    register(enrolled)
    county.stop()
    runner = BackgroundSync(enrolled, interval_ms=100, backoff_ms=50, backoff_max_ms=400,
                            first_ms=0)
    runner.start()
    qtbot.waitUntil(lambda: runner.failures >= 5, timeout=30_000)
    assert runner.delays[:6] == [0, 50, 100, 200, 400, 400]
    assert "县里服务器暂时连不上" in runner.last_report
    assert history.recent(enrolled) == []  # no attempt was made while nobody answered
    county.start()
    qtbot.waitUntil(lambda: runner.failures == 0 and runner.attempts > 6, timeout=30_000)
    runner.stop()
    QThreadPool.globalInstance().waitForDone(30_000)
    assert "同步完成" in runner.last_report
    assert client.status(enrolled)["pending"] == 0
    assert told["error"] == [] and told["info"] == []


def test_main_window_status_bar_and_screen_show_the_background_result(qtbot, enrolled, told):
    from ui.main_window import MainWindow

    register(enrolled)
    window = MainWindow(enrolled)
    qtbot.addWidget(window)
    window.show()
    runner = window.background_sync
    runner.stop()
    screen = window.go_to("SyncScreen") if "SyncScreen" in window.built else None
    if screen is None:
        window.nav.setCurrentRow(next(i for i, e in enumerate(window.entries)
                                      if e.cls == "SyncScreen"))
        screen = window.built["SyncScreen"]
    runner.try_now()
    qtbot.waitUntil(lambda: "同步完成" in screen.background_label.text(), timeout=30_000)
    runner.stop()
    QThreadPool.globalInstance().waitForDone(30_000)
    assert runner.last_report in [w.text() for w in window.statusBar().findChildren(
        type(screen.background_label))]
    qtbot.waitUntil(lambda: screen.pending_label.text() == "0 条")
    assert screen.history_table.rowCount() == 1


def test_background_sync_waits_quietly_until_the_station_is_enrolled(qtbot, station, told):
    runner = BackgroundSync(station, interval_ms=20, first_ms=0)
    runner.start()
    qtbot.waitUntil(lambda: len(runner.delays) >= 4)
    runner.stop()
    assert runner.attempts == 0 and runner.failures == 0
    assert runner.last_report == "" and told == {"info": [], "error": []}


def test_background_sync_stops_when_the_station_is_closed(qtbot, tmp_path):
    closed = setup.create_station(
        tmp_path / "closed", code=STATION, name="孔村镇就业服务站", county="平阴县",
        village_names=["东关村"], admin_username="admin", admin_display_name="王站长",
        admin_password="secret123")
    closed.close()  # e.g. a restore swapped the station under an old window
    runner = BackgroundSync(closed, interval_ms=20, first_ms=0)
    runner.start()
    qtbot.wait(200)
    assert not runner.timer.isActive() and runner.delays == [0]
