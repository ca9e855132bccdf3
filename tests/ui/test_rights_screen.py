"""维权咨询 screen: a case received, referred to labour inspection, resolved; refusals."""

from datetime import date

from db import people, rights
from tests.conftest import id_of
from tests.ui.conftest import ime_type
from ui.qt import Qt
from ui.rights_screen import RightsScreen


def test_receive_refer_and_resolve_a_case(qtbot, station):
    pid = people.create_person(station, {"name": "孙建国", "id_number": id_of(1972, seq=31),
                                         "hukou_village": "东关村"})
    screen = RightsScreen(station)
    qtbot.addWidget(screen)
    screen.open_new_case()
    dialog = screen.new_case_dialog
    ime_type(dialog.search, "孙建国")
    assert dialog.found.count() == 1
    dialog.found.itemActivated.emit(dialog.found.item(0))
    ime_type(dialog.other_name, "刘二")
    qtbot.mouseClick(dialog.add_other, Qt.MouseButton.LeftButton)
    ime_type(dialog.employer, "济南宏达建筑劳务有限公司")
    dialog.amount.setText("18600")
    dialog.period_from.setText(f"{date.today().year}-01")
    dialog.evidence["iou"].setChecked(True)
    with qtbot.waitSignal(screen.changed):
        dialog.accept()
    [case] = screen.cases
    assert case["parties_text"] == "孙建国、刘二" and case["people_count"] == 2
    assert case["evidence_labels"] == ["欠条"] and case["status_label"] == "受理"
    assert screen.selected_case()["id"] == case["id"]
    assert rights.list_cases(station, person_id=pid)[0]["id"] == case["id"]
    assert [s for s, b in screen.move_buttons.items() if b.isEnabled()] == [
        "referred", "resolved", "withdrawn"]

    screen.ask_move("referred")
    screen.move_dialog.accept()
    assert screen.selected_case()["status_label"] == "转劳动监察"
    assert [s for s, b in screen.move_buttons.items() if b.isEnabled()] == [
        "resolved", "withdrawn"]

    screen.ask_move("resolved")
    ime_type(screen.move_dialog.result, "已足额发放")
    screen.move_dialog.recovered.setText("18600")
    screen.move_dialog.accept()
    done = screen.selected_case()
    assert (done["status_label"], done["recovered_text"]) == ("已解决", "18,600.00")
    assert not any(b.isEnabled() for b in screen.move_buttons.values())


def test_a_refused_move_shows_the_chinese_reason(qtbot, station):
    made = rights.create_case(station, {"kind": "unpaid_wages", "employer_name": "某包工头",
                                        "parties": [{"name": "赵四"}]})
    rights.move_case(station, made["id"], "withdrawn", result="当事人已和解")
    screen = RightsScreen(station)
    qtbot.addWidget(screen)
    screen.select_number(made["number"])
    screen.ask_move("referred")
    assert screen.move_dialog is None
    assert screen.refusal.text() == "此咨询已撤回，不能再改为“转劳动监察”。"


def test_closing_without_a_result_is_refused_in_the_dialog(qtbot, station):
    made = rights.create_case(station, {"kind": "unpaid_wages", "employer_name": "某包工头",
                                        "parties": [{"name": "赵四"}]})
    screen = RightsScreen(station)
    qtbot.addWidget(screen)
    screen.select_number(made["number"])
    screen.ask_move("resolved")
    screen.move_dialog.accept()
    assert screen.move_dialog.error.text() == "请填写办理结果或撤回原因。"
    assert rights.get_case(station, made["id"])["status"] == "accepted"


def test_new_case_without_parties_is_refused_in_the_dialog(qtbot, station):
    screen = RightsScreen(station)
    qtbot.addWidget(screen)
    screen.open_new_case()
    ime_type(screen.new_case_dialog.employer, "某公司")
    screen.new_case_dialog.accept()
    assert screen.new_case_dialog.error.text() == "请至少填写一名当事人。"
    assert screen.cases == []


def test_status_filter(qtbot, station):
    for name in ("赵四", "钱五"):
        rights.create_case(station, {"kind": "other", "parties": [{"name": name}]})
    first = rights.list_cases(station)[-1]
    rights.move_case(station, first["id"], "referred")
    screen = RightsScreen(station)
    qtbot.addWidget(screen)
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("referred"))
    assert [c["id"] for c in screen.cases] == [first["id"]]
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("open"))
    assert len(screen.cases) == 2
