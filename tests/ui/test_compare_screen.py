"""信息比对 screen, and exporting any table as shown (ui.table_export)."""

import openpyxl
import pytest

from db import accounts, employment, people
from tests.conftest import id_of
from tests.roster_samples import write_csv
from tests.ui.conftest import ime_type
from ui import compare_screen, table_export
from ui.compare_screen import CompareScreen
from ui.qt import QFileDialog, QStandardItem, QStandardItemModel, Qt

ZHANG, LI, OUTSIDER = id_of(1970, seq=11), id_of(1980, seq=21), id_of(1991, seq=77)


@pytest.fixture
def screen(qtbot, station):
    for name, number, status in (("张三", ZHANG, "unemployed"), ("李四", LI, "willing")):
        pid = people.create_person(station, {"name": name, "id_number": number,
                                             "phone": "13800000001", "hukou_village": "东关村"})
        employment.add_status(station, pid, status, "2025-01-01")
    widget = CompareScreen(station)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


@pytest.fixture
def county_list(tmp_path):
    rows = [["县失业登记人员名单"], ["姓名", "公民身份号码", "联系电话", "就业状态"],
            ["张三", ZHANG, "13800000009", "失业"], ["某某", OUTSIDER, None, "失业"],
            ["坏号", "123", None, None]]
    return write_csv(tmp_path / "失业登记名单.csv", rows, encoding="gb18030")


def run(qtbot, screen) -> None:
    screen.run_button.click()
    qtbot.waitUntil(lambda: screen.export_button.isEnabled(), timeout=15_000)


def test_comparison_shows_the_three_groups_with_counts(qtbot, screen, county_list):
    assert screen.title == "信息比对"
    ime_type(screen.path_edit, str(county_list))
    screen.kind.setCurrentIndex(screen.kind.findData("unemployment"))
    assert "未注销失业登记" in screen.scope.text()
    run(qtbot, screen)
    tabs = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert tabs == ["名单有、本站无（1）", "本站有、名单无（1）", "信息不一致（1）", "无法比对（1）"]
    assert screen.tables["only_in_list"].item(0, 1).text() == "某某"
    assert screen.tables["only_in_station"].item(0, 0).text() == "李四"
    differing = screen.tables["differing"]
    assert [differing.item(0, c).text() for c in (1, 3, 4, 5)] == [
        "张三", "手机号", "13800000009", "13800000001"]
    assert "共 3 行" in screen.summary.text()


def test_double_clicking_a_station_person_opens_the_record(qtbot, screen, county_list):
    screen.path_edit.setText(str(county_list))
    run(qtbot, screen)
    table = screen.tables["only_in_station"]
    screen.tabs.setCurrentWidget(table)
    qtbot.waitUntil(table.isVisible)
    rect = table.visualItemRect(table.item(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(screen.open_person) as opened:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [people.find_by_id_number(screen.station, LI)["id"]]


def test_a_clerk_sees_masked_numbers(qtbot, station, screen, county_list):
    accounts.create_account(station, "li", "李专员", "clerk", "secret123")
    station.act_as(accounts.get_account(station, "li"))
    screen.path_edit.setText(str(county_list))
    run(qtbot, screen)
    assert "**********" in screen.tables["only_in_list"].item(0, 2).text()
    assert screen.tables["differing"].item(0, 4).text() == "138****0009"


def test_result_exports_to_xlsx(qtbot, screen, county_list, tmp_path, monkeypatch):
    screen.path_edit.setText(str(county_list))
    run(qtbot, screen)
    target = tmp_path / "比对结果"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    told = []
    monkeypatch.setattr(compare_screen, "info", lambda parent, text, *a: told.append(text))
    screen.export_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    values = list(openpyxl.load_workbook(target.with_suffix(".xlsx")).active.iter_rows(
        values_only=True))
    assert values[0][0] == "信息比对结果（失业登记）"
    assert {row[0] for row in values[3:]} == {"名单有、本站无", "本站有、名单无", "信息不一致",
                                              "无法比对"}


def test_missing_file_is_reported_in_one_sentence(qtbot, screen, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(compare_screen, "show_error", lambda parent, exc: shown.append(str(exc)))
    screen.path_edit.setText(str(tmp_path / "没有这个文件.xlsx"))
    screen.run_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "找不到该文件" in shown[0]
    assert screen.run_button.isEnabled()


def test_any_table_exports_as_shown(qtbot, tmp_path, monkeypatch):
    model = QStandardItemModel(0, 4)
    model.setHorizontalHeaderLabels(["姓名", "公民身份号码", "年龄", "月收入（元）"])
    for row in (["张三", "3701**********123X", "45", "3500.5"], ["李四", "370124199001011234",
                                                                  "36", ""]):
        model.appendRow([QStandardItem(v) for v in row])
    columns, rows = table_export.model_table(model)
    assert [c.text for c in columns] == [False, True, False, False]
    assert rows[0] == {"c0": "张三", "c1": "3701**********123X", "c2": 45, "c3": 3500.5}
    assert rows[1]["c3"] is None

    told = []
    monkeypatch.setattr(table_export, "info", lambda parent, text, *a: told.append(text))
    out = tmp_path / "表格.xlsx"
    assert table_export.export_model(None, model, "人员名单", out=out) == out
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    values = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert values[0][0] == "人员名单"
    assert values[1] == ("姓名", "公民身份号码", "年龄", "月收入（元）")
    assert values[3][1] == "370124199001011234" and values[2][2] == 45
