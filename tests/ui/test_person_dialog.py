"""The person dialog driven from the keyboard, as a clerk types: real station files."""

from datetime import date

import pytest

from db import audit, employment, people, registrations, service_log
from db.setup import create_station
from db.validation.idcard import make_id_number
from tests.ui.conftest import ime_type
from ui import person_dialog
from ui.person_dialog import PersonDialog
from ui.qt import Qt

VALID_ID = make_id_number("370124", date(1968, 5, 3), 12)  # a woman born 1968
OTHER_ID = make_id_number("370124", date(1990, 8, 21), 24)  # ends in X


@pytest.fixture
def station(tmp_path):
    st = create_station(
        tmp_path, code="370124101", name="测试服务站", county="平阴县",
        village_names=["东关村", "西关村"], admin_username="admin",
        admin_display_name="王站长", admin_password="secret123")
    yield st
    st.close()


@pytest.fixture
def open_dialog(qtbot, station, monkeypatch):
    """Show a PersonDialog; questions (discard? delete?) are answered yes."""
    monkeypatch.setattr(person_dialog, "confirm", lambda *a, **k: True)
    monkeypatch.setattr("ui.person_history.confirm", lambda *a, **k: True)

    def make(person_id=None, id_number=""):
        dialog = PersonDialog(station, person_id, id_number=id_number)
        qtbot.addWidget(dialog)
        with qtbot.waitActive(dialog):
            dialog.show()
            dialog.activateWindow()
        return dialog

    return make



def register(station, name="李四", number=OTHER_ID) -> str:
    return people.create_person(station, {"name": name, "id_number": number})


def test_new_person_typed_in_chinese_is_saved_by_enter_with_audit_rows(open_dialog, station,
                                                                       qtbot):
    dialog = open_dialog()
    form = dialog.form
    ime_type(form.name, "张三")
    qtbot.keyClicks(form.id_number, VALID_ID)
    qtbot.keyClicks(form.phone, "138 0531 2266")
    form.status.setCurrentIndex(form.status.findData("local"))
    ime_type(form.employer, "玫瑰食品公司")
    with qtbot.waitSignal(dialog.changed) as emitted:
        qtbot.keyClick(form.phone, Qt.Key.Key_Return)

    person = people.find_by_id_number(station, VALID_ID)
    assert person["name"] == "张三"
    assert person["phone"] == "13805312266"
    assert person["sex"] == "F" and person["birth_date"] == "1968-05-03"
    assert person["current_status"] == "local"
    assert dialog.person_id == person["id"]
    assert emitted.args[0] == {"person", "employment_status"}
    assert audit.history(station.conn, "person", person["id"])[0]["actor"] == "admin"
    status = employment.status_history(station, person["id"])[0]
    assert audit.history(station.conn, "employment_status", status["id"])
    assert dialog.tabs.isTabVisible(1)  # the dialog now shows the person's story
    assert "当前就业状态：本地就业" in dialog.summary.text()


def test_valid_id_number_shows_sex_birth_age_and_older(open_dialog):
    dialog = open_dialog()
    form = dialog.form
    form.id_number.setText(VALID_ID)
    assert "女" in form.id_info.text()
    assert "1968-05-03" in form.id_info.text()
    assert "大龄：是" in form.id_info.text()


def test_invalid_id_number_shows_inline_chinese_error_and_writes_nothing(open_dialog, station,
                                                                         qtbot):
    dialog = open_dialog()
    ime_type(dialog.form.name, "张三")
    wrong_check_digit = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    qtbot.keyClicks(dialog.form.id_number, wrong_check_digit)
    qtbot.keyClick(dialog.form.id_number, Qt.Key.Key_Return)

    error = dialog.form.errors.labels["id_number"]
    assert "校验位" in error.text() and error.isVisible()
    assert dialog.form.id_number.hasFocus()
    assert people.count_people(station) == 0
    assert dialog.person_id is None


def test_missing_name_is_reported_under_the_name_field(open_dialog, station, qtbot):
    dialog = open_dialog()
    qtbot.keyClicks(dialog.form.id_number, VALID_ID)
    qtbot.keyClick(dialog.form.id_number, Qt.Key.Key_Return)
    assert dialog.form.errors.labels["name"].text() == "请填写姓名。"
    assert dialog.form.name.hasFocus()
    assert people.count_people(station) == 0


def test_bad_first_status_income_writes_neither_person_nor_status(open_dialog, station, qtbot):
    dialog = open_dialog()
    form = dialog.form
    ime_type(form.name, "张三")
    form.id_number.setText(VALID_ID)
    form.status.setCurrentIndex(form.status.findData("local"))
    qtbot.keyClicks(form.monthly_income, "abc")
    dialog.save()
    assert "月收入" in form.errors.labels["monthly_income"].text()
    assert people.count_people(station) == 0


def test_leaving_the_id_field_with_a_registered_number_opens_that_person(open_dialog, station,
                                                                        qtbot):
    existing = register(station, "李四")
    dialog = open_dialog()
    qtbot.keyClick(dialog.form.name, Qt.Key.Key_Tab)
    assert dialog.form.id_number.hasFocus()
    qtbot.keyClicks(dialog.form.id_number, OTHER_ID.lower())
    qtbot.keyClick(dialog.form.id_number, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.person_id == existing)
    assert dialog.form.name.text() == "李四"
    assert "已登记为 李四" in dialog.notice.text()
    assert people.count_people(station) == 1


def test_saving_a_registered_number_opens_that_person_instead(open_dialog, station):
    existing = register(station, "李四")
    dialog = open_dialog()
    ime_type(dialog.form.name, "李斯")
    dialog.form.id_number.setText(OTHER_ID)  # no focus change: Enter/保存 finds it
    dialog.save()
    assert dialog.person_id == existing
    assert dialog.form.name.text() == "李四"
    assert people.count_people(station) == 1


def test_new_dialog_with_a_registered_number_opens_that_person(open_dialog, station, qtbot):
    existing = register(station, "李四")
    dialog = open_dialog(id_number=OTHER_ID)
    qtbot.waitUntil(lambda: dialog.person_id == existing)
    assert dialog.form.name.text() == "李四"


def test_editing_an_existing_person_saves_only_what_changed(open_dialog, station, qtbot):
    person_id = register(station)
    dialog = open_dialog(person_id)
    dialog.form.phone.clear()
    qtbot.keyClicks(dialog.form.phone, "13912345678")
    with qtbot.waitSignal(dialog.changed):
        qtbot.keyClick(dialog.form.phone, Qt.Key.Key_Return)
    assert people.get_person(station, person_id)["phone"] == "13912345678"
    last = audit.history(station.conn, "person", person_id)[-1]
    assert set(last["changes"]) == {"phone"}
    dialog.tabs.setCurrentIndex(5)
    audit_tab = dialog.history[4][1]
    assert "手机号：（空） → 13912345678" in audit_tab.table.item(0, 3).text()


def test_adding_a_status_makes_it_the_current_status(open_dialog, station, qtbot):
    person_id = register(station)
    employment.add_status(station, person_id, "unemployed", "2025-01-10")
    dialog = open_dialog(person_id)
    dialog.tabs.setCurrentIndex(1)
    tab = dialog.history[0][1]
    tab.status.setCurrentIndex(tab.status.findData("out_province"))
    ime_type(tab.employer, "苏州精工机械有限公司")
    qtbot.keyClicks(tab.income, "6500")
    with qtbot.waitSignal(dialog.changed) as emitted:
        qtbot.keyClick(tab.income, Qt.Key.Key_Return)
    assert people.get_person(station, person_id)["current_status"] == "out_province"
    assert "employment_status" in emitted.args[0]
    assert tab.table.item(0, 0).text() == "当前"
    assert tab.table.item(0, 1).text() == "省外务工"
    assert tab.table.rowCount() == 2
    assert "当前就业状态：省外务工" in dialog.summary.text()


def test_status_without_a_choice_says_so(open_dialog, station, qtbot):
    dialog = open_dialog(register(station))
    tab = dialog.history[0][1]
    tab.add()
    assert tab.error.text() == "请选择就业状态。"
    assert employment.status_history(station, dialog.person_id) == []


def test_registration_is_added_then_cancelled(open_dialog, station, qtbot):
    person_id = register(station)
    dialog = open_dialog(person_id)
    dialog.tabs.setCurrentIndex(2)
    tab = dialog.history[1][1]
    tab.kind.setCurrentIndex(tab.kind.findData("unemployment"))
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    [row] = registrations.list_registrations(station, person_id)
    assert row["number"].startswith("370124101SY")
    assert tab.table.item(0, 4).text() == "有效"

    tab.table.selectRow(0)
    ime_type(tab.cancel_reason, "已实现就业")
    with qtbot.waitSignal(dialog.changed):
        qtbot.keyClick(tab.cancel_reason, Qt.Key.Key_Return)
    [row] = registrations.list_registrations(station, person_id)
    assert row["cancel_reason"] == "已实现就业" and row["cancelled_on"]
    assert tab.table.item(0, 4).text() == "已注销"


def test_cancelling_without_a_reason_is_refused_inline(open_dialog, station):
    person_id = register(station)
    registrations.register(station, person_id, "job_seeking", "hukou", date.today())
    dialog = open_dialog(person_id)
    tab = dialog.history[1][1]
    tab.table.selectRow(0)
    tab.cancel()
    assert tab.error.text() == "请填写注销原因。"
    assert not registrations.list_registrations(station, person_id)[0]["cancelled_on"]


def test_service_log_line_names_the_signed_in_clerk(open_dialog, station, qtbot):
    dialog = open_dialog(register(station))
    tab = dialog.history[3][1]
    ime_type(tab.content, "介绍包装工岗位")
    qtbot.keyClick(tab.content, Qt.Key.Key_Return)
    [line] = service_log.list_services(station, dialog.person_id)
    assert line["clerk"] == "王站长" and line["content"] == "介绍包装工岗位"
    assert tab.table.item(0, 3).text() == "王站长"


def test_return_home_is_recorded(open_dialog, station, qtbot):
    dialog = open_dialog(register(station))
    tab = dialog.history[2][1]
    ime_type(tab.from_place, "苏州市")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "苏州市"


def test_head_deletes_a_person(open_dialog, station, qtbot):
    person_id = register(station)
    dialog = open_dialog(person_id)
    assert dialog.delete_button.isVisible()
    with qtbot.waitSignal(dialog.changed):
        dialog.delete()
    assert people.count_people(station) == 0


def test_clerk_has_no_delete_button(open_dialog, station):
    from db import accounts

    clerk = accounts.create_account(station, "li", "李专员", "clerk", "secret123")
    person_id = register(station)
    station.act_as(clerk)
    dialog = open_dialog(person_id)
    assert not dialog.delete_button.isVisible()
