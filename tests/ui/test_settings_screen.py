"""本站设置: villages and 大龄 thresholds saved by the 站长; read-only for clerks; font size."""

from datetime import date

import pytest

from db import accounts, people, settings, villages
from db.setup import create_station
from db.validation.idcard import make_id_number
from tests.ui.conftest import ime_type
from ui import preferences
from ui.qt import QApplication, QSettings, Qt
from ui.settings_screen import SettingsScreen


@pytest.fixture
def station(tmp_path):
    st = create_station(
        tmp_path / "station", code="370124101", name="测试服务站", county="平阴县",
        village_names=["东关村", "西关村"], admin_username="admin",
        admin_display_name="王站长", admin_password="secret123")
    yield st
    st.close()


@pytest.fixture
def screen(qtbot, station):
    widget = SettingsScreen(station)
    qtbot.addWidget(widget)
    widget.show()
    return widget



def test_head_saves_villages_in_order_and_older_age_thresholds(qtbot, screen, station):
    for name in ("南街村", "李家庄村"):
        ime_type(screen.new_village, name)
        qtbot.keyClick(screen.new_village, Qt.Key.Key_Return)
    screen.village_list.setCurrentRow(3)  # 李家庄村 moves to the top
    for _ in range(3):
        screen.village_buttons["上移"].click()
    screen.village_list.setCurrentRow(2)  # 西关村 goes
    screen.village_buttons["删除"].click()
    screen.numbers["older_age.male"].setValue(55)
    screen.numbers["older_age.female"].setValue(45)
    assert villages.list_villages(station) == ["东关村", "西关村"]  # nothing before 保存

    with qtbot.waitSignal(screen.changed) as emitted:
        screen.save_button.click()
    assert emitted.args == [{"setting", "village"}]
    assert villages.list_villages(station) == ["李家庄村", "东关村", "南街村"]
    assert settings.get(station, "older_age.male") == 55
    assert settings.get(station, "older_age.female") == 45
    assert screen.status.text() == "设置已保存。"


def test_older_age_threshold_changes_who_is_older(qtbot, screen, station):
    born = date(date.today().year - 47, 1, 2)  # a man of 46 or 47
    number = make_id_number("370124", born, 13)
    person_id = people.create_person(station, {"name": "赵六", "id_number": number})
    assert not people.get_person(station, person_id)["older"]  # default threshold 50
    screen.numbers["older_age.male"].setValue(45)
    screen.save_button.click()
    assert people.get_person(station, person_id)["older"]


def test_renaming_a_village_in_the_list(qtbot, screen, station):
    screen.village_list.item(0).setText("东关社区")
    screen.save_button.click()
    assert villages.list_villages(station) == ["东关社区", "西关村"]


def test_duplicate_and_blank_village_names_are_refused(qtbot, screen):
    ime_type(screen.new_village, "东关村")
    screen.village_buttons["添加"].click()
    assert screen.error.text() == "村名 东关村 已在列表中。"
    screen.new_village.clear()
    screen.village_buttons["添加"].click()
    assert screen.error.text() == "请填写村名。"
    assert screen.village_names() == ["东关村", "西关村"]


def test_blank_station_name_is_refused_and_nothing_is_written(qtbot, screen, station):
    screen.name.clear()
    screen.numbers["older_age.male"].setValue(60)
    screen.save_button.click()
    assert screen.error.text() == "请填写服务站名称。"
    assert settings.get(station, "older_age.male") == 50


def test_clerk_sees_settings_read_only(qtbot, station):
    clerk = accounts.create_account(station, "zhangli", "张丽", "clerk", "clerk123")
    station.act_as(clerk)
    screen = SettingsScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.name.text() == "测试服务站"
    assert not screen.name.isEnabled()
    assert not screen.numbers["older_age.male"].isEnabled()
    assert not screen.save_button.isVisible()
    assert screen.font_size.isEnabled()
    assert "只有站长" in screen.status.text()


def test_large_font_applies_at_once_and_is_remembered(qtbot, screen, tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    app = QApplication.instance()
    original = app.font()
    try:
        screen.font_size.setCurrentIndex(screen.font_size.findData("large"))
        screen.font_size.activated.emit(screen.font_size.currentIndex())
        assert app.font().pointSize() == preferences.FONT_SIZES["large"]
        assert preferences.get("ui/font_size") == "large"
    finally:
        preferences.put("ui/font_size", "normal")
        app.setFont(original)
