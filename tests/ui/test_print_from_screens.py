"""Every printed document of the registry can be previewed from the window."""

import pytest

from db import employment, people, registrations
from tests.conftest import id_of
from ui.lists_screen import ListsScreen
from ui.person_dialog import PersonDialog


@pytest.fixture
def person(station):
    pid = people.create_person(station, {"name": "张三丰", "id_number": id_of(1968)})
    employment.add_status(station, pid, "unemployed", "2026-03-01")
    registrations.register(station, pid, "unemployment", "hukou", "2026-03-02")
    return pid


def test_list_screen_previews_the_list_as_filtered(qtbot, station, person):
    screen = ListsScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    screen.print_button.click()
    assert screen.preview is not None
    assert screen.preview.page_count.text().startswith("共 1 页")


def test_person_dialog_previews_the_service_summary(qtbot, station, person):
    dialog = PersonDialog(station, person)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary_button.isVisible()
    dialog.summary_button.click()
    assert dialog.preview.page_count.text().startswith("共")


def test_registration_tab_previews_the_certificate(qtbot, station, person):
    dialog = PersonDialog(station, person)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dict(dialog.history)["登记"]
    tab.load(person)
    tab.table.selectRow(0)
    tab.print_button.click()
    assert tab.preview is not None and tab.preview.page_count.text().startswith("共 1 页")
