"""The registry flow a clerk follows every day, through the real window."""

from db import people
from tests.conftest import id_of
from tests.ui.conftest import ime_type
from ui.main_window import MainWindow
from ui.qt import Qt


def _window(qtbot, station):
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    window.go_to("RegistryScreen")
    return window


def test_register_in_chinese_find_by_initials_and_reopen_by_id(qtbot, station):
    window = _window(qtbot, station)
    registry = window.registry
    number = id_of(1968, seq=15)

    qtbot.mouseClick(registry.new_button, Qt.MouseButton.LeftButton)
    dialog = window.person_dialog
    form = dialog.form
    ime_type(form.name, "张三丰")
    qtbot.keyClicks(form.id_number, number)
    qtbot.keyClicks(form.phone, "138-1234-5678")
    qtbot.keyClick(form.phone, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: people.count_people(station) == 1)
    saved = people.find_by_id_number(station, number)
    assert saved["name"] == "张三丰" and saved["phone"] == "13812345678"
    dialog.close()

    qtbot.keyClicks(registry.search_box, "zsf")
    assert registry.model.rowCount() == 1
    assert registry.model.data(registry.model.index(0, 0)) == "张三丰"

    registry.search_box.clear()
    qtbot.mouseClick(registry.new_button, Qt.MouseButton.LeftButton)
    again = window.person_dialog
    with qtbot.waitActive(again):  # offscreen has no window manager to activate it
        again.activateWindow()
    again.form.id_number.setFocus()
    qtbot.keyClicks(again.form.id_number, number.lower())
    qtbot.keyClick(again.form.id_number, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: again.person_id == saved["id"])
    assert again.form.name.text() == "张三丰"
    assert people.count_people(station) == 1


def test_search_box_finds_by_id_tail_and_enter_opens_the_person(qtbot, station):
    pid = people.create_person(station, {"name": "单雄信", "id_number": id_of(1975, seq=31)})
    window = _window(qtbot, station)
    registry = window.registry
    registry.refresh()
    qtbot.keyClicks(registry.search_box, id_of(1975, seq=31)[-6:])
    assert registry.model.rowCount() == 1
    qtbot.keyClick(registry.search_box, Qt.Key.Key_Return)
    assert window.person_dialog.person_id == pid


def test_clerk_sees_masked_numbers_in_the_registry(qtbot, station):
    from db import accounts

    people.create_person(station, {"name": "乐嘉", "id_number": id_of(1980, seq=41),
                                   "phone": "13912345678"})
    accounts.create_account(station, "clerk1", "李专员", "clerk", "password1")
    station.act_as(accounts.get_account(station, "clerk1"))
    window = _window(qtbot, station)
    model = window.registry.model
    assert "*" in model.data(model.index(0, 3))
    assert model.data(model.index(0, 4)) == "139****5678"


def test_registry_button_opens_the_roster_import_wizard(qtbot, station):
    window = _window(qtbot, station)
    window.registry.import_button.click()
    assert window.import_wizard.windowTitle() == "导入花名册"
    window.import_wizard.reject()
