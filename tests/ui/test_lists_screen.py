"""三类清单 on a real station of generated people: filters, counts, masking, Excel export."""

import shutil

import openpyxl
import pytest

from db import accounts, demo, glossary, lists, people
from db.setup import create_station
from db.station import open_station
from ui import lists_screen
from ui.lists_screen import ListsScreen
from ui.qt import QCoreApplication, QEvent, QFileDialog, Qt, QThreadPool


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory):
    """One station of 300 generated people; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("lists")
    st = create_station(
        folder, code="370124101", name="测试服务站", county="平阴县",
        village_names=["东关村", "西关村"], admin_username="admin",
        admin_display_name="王站长", admin_password="secret123")
    demo.seed_people(st, 300)
    accounts.create_account(st, "li", "李专员", "clerk", "secret123")
    st.close()
    return folder


@pytest.fixture
def station(seeded_dir, tmp_path):
    folder = tmp_path / "station"
    shutil.copytree(seeded_dir, folder)
    st = open_station(folder)
    st.act_as(accounts.get_account(st, "admin"))
    yield st
    st.close()


@pytest.fixture
def screen(qtbot, station):
    widget = ListsScreen(station)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    wait_loaded(qtbot, widget)
    return widget


def wait_loaded(qtbot, screen) -> None:
    """Wait for the background load, then let its finished helpers be deleted at once."""
    qtbot.waitUntil(lambda: screen.count_label.text().startswith("共"), timeout=10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def choose_kind(qtbot, screen, kind: str) -> None:
    screen.count_label.clear()
    screen.kind.setCurrentIndex(screen.kind.findData(kind))
    wait_loaded(qtbot, screen)


@pytest.mark.parametrize("kind", list(glossary.LIST_KINDS))
def test_each_list_shows_as_many_people_as_the_core_counts(qtbot, screen, station, kind):
    if kind != screen.current_kind():
        choose_kind(qtbot, screen, kind)
    expected = lists.count(station, kind)
    assert expected > 0
    assert screen.model.rowCount() == expected
    assert screen.count_label.text() == f"共 {expected} 人"
    labels = [screen.model.headerData(c, Qt.Orientation.Horizontal)
              for c in range(screen.model.columnCount())]
    assert labels[:2] == ["姓名", "性别"]


def test_village_group_and_age_filters_match_the_core(qtbot, screen, station):
    screen.count_label.clear()
    screen.village.setCurrentText("西关村")
    wait_loaded(qtbot, screen)
    screen.count_label.clear()
    screen.groups["older"].setChecked(True)
    wait_loaded(qtbot, screen)
    screen.count_label.clear()
    screen.min_age.setValue(45)
    screen.max_age.setValue(60)
    wait_loaded(qtbot, screen)

    flt = lists.ListFilter(village="西关村", groups={"older"}, min_age=45, max_age=60)
    expected = lists.count(station, "employed", flt)
    assert screen.current_filter() == flt
    assert screen.model.rowCount() == expected
    assert screen.count_label.text() == f"共 {expected} 人"
    ages = {screen.model.rows[r]["age"] for r in range(expected)}
    assert all(45 <= age <= 60 for age in ages)


def test_head_sees_full_numbers_and_clerk_sees_masked(qtbot, screen, station):
    assert "*" not in screen.model.rows[0]["id_number"]
    station.act_as(accounts.get_account(station, "li"))
    clerk_screen = ListsScreen(station)
    qtbot.addWidget(clerk_screen)
    clerk_screen.show()
    wait_loaded(qtbot, clerk_screen)
    assert "**********" in clerk_screen.model.rows[0]["id_number"]


def test_double_clicking_a_row_opens_that_person(qtbot, screen):
    index = screen.model.index(2, 0)
    rect = screen.table.visualRect(index)
    viewport = screen.table.viewport()
    with qtbot.waitSignal(screen.open_person) as opened:  # a real double click: click, dblclick
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [screen.model.rows[2]["id"]]


def test_sorting_by_age_keeps_every_row(qtbot, screen):
    before = {row["id"] for row in screen.model.rows}
    screen.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    ages = [row["age"] for row in screen.model.rows]
    assert ages == sorted(ages, reverse=True)
    assert {row["id"] for row in screen.model.rows} == before


def test_export_writes_an_xlsx_with_the_filtered_list(qtbot, screen, station, tmp_path,
                                                       monkeypatch):
    choose_kind(qtbot, screen, "willing")
    target = tmp_path / "有意愿外出人员清单"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    told = []
    monkeypatch.setattr(lists_screen, "info", lambda parent, text, *a: told.append(text))
    screen.export_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)

    written = target.with_suffix(".xlsx")
    assert str(written) in told[0]
    sheet = openpyxl.load_workbook(written).active
    cells = [str(c.value or "") for row in sheet.iter_rows() for c in row]
    assert "有意愿外出人员清单" in cells[0]
    expected = lists.count(station, "willing")
    assert f"共 {expected} 人" in " ".join(cells)
    assert any(cell == screen.model.rows[0]["id_number"] for cell in cells)


def test_refresh_after_a_write_reloads_when_visible(qtbot, screen, station):
    person = screen.model.rows[0]
    people.update_person(station, person["id"], {"wants_out": True})
    screen.count_label.clear()
    screen.refresh({"person"})
    wait_loaded(qtbot, screen)
    assert screen.model.rowCount() == lists.count(station, "employed")
    screen.refresh({"service_log"})  # unrelated tables change nothing
    assert screen.count_label.text().startswith("共")
