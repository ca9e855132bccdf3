"""帮扶台账 screen: record a follow-up through the form, the overdue filter, opening a person."""

from datetime import date, timedelta

import pytest

from db import employment, ledger, people
from tests.conftest import id_of
from tests.ui.conftest import ime_type
from ui.ledger_screen import OVERDUE_COLOR, LedgerScreen
from ui.qt import QDate, Qt

TODAY = date.today()


def _poor(station, seq, name, village="东关村") -> str:
    pid = people.create_person(station, {"name": name, "id_number": id_of(1975, seq=seq),
                                         "hukou_village": village, "poverty_alleviated": 1})
    employment.add_status(station, pid, "unemployed", TODAY - timedelta(days=120))
    return pid


@pytest.fixture
def two_people(station):
    """李秀英 visited 60 days ago and overdue; 赵大山 visited yesterday."""
    late, fine = _poor(station, 12, "李秀英"), _poor(station, 14, "赵大山", "西关村")
    for pid, ago, due in ((late, 60, -30), (fine, 1, 29)):
        entry = ledger.open_entry(station, pid)
        ledger.record_followup(station, entry["id"], TODAY - timedelta(days=ago), "phone",
                               "在家", TODAY + timedelta(days=due))
    return late, fine


def _row_of(screen, name) -> int:
    return [e["name"] for e in screen.entries].index(name)


def test_recording_a_followup_through_the_form(qtbot, station, two_people):
    late, _fine = two_people
    screen = LedgerScreen(station)
    qtbot.addWidget(screen)
    screen.table.selectRow(_row_of(screen, "李秀英"))
    screen.method.setCurrentIndex(screen.method.findData("visit"))
    ime_type(screen.outcome, "已联系县城物流园，下周面试")
    due = TODAY + timedelta(days=20)
    screen.next_due.setDate(QDate(due.year, due.month, due.day))
    with qtbot.waitSignal(screen.changed) as changed:
        qtbot.mouseClick(screen.record_button, Qt.MouseButton.LeftButton)
    assert "ledger_followup" in changed.args[0]
    entry = ledger.open_entry(station, late)
    newest = ledger.followups(station, entry["id"])[0]
    assert (newest["method"], newest["outcome"], newest["next_due_date"]) == (
        "visit", "已联系县城物流园，下周面试", due.isoformat())
    assert screen.selected_entry()["person_id"] == late  # still selected after reload
    assert screen.history.rowCount() == 2
    assert screen.history.item(0, 1).text() == "上门走访"
    assert "走访逾期 0 人" in screen.count_label.text()


def test_a_refused_followup_shows_the_reason_under_the_form(qtbot, station, two_people):
    screen = LedgerScreen(station)
    qtbot.addWidget(screen)
    screen.table.selectRow(_row_of(screen, "赵大山"))
    qtbot.mouseClick(screen.record_button, Qt.MouseButton.LeftButton)  # no outcome typed
    assert screen.form_error.text() == "请填写走访结果。"


def test_overdue_filter_and_red_rows(qtbot, station, two_people):
    screen = LedgerScreen(station)
    qtbot.addWidget(screen)
    assert screen.table.rowCount() == 2
    assert screen.count_label.text() == "在册 2 人，走访逾期 1 人"
    late_row = _row_of(screen, "李秀英")
    assert screen.table.item(late_row, 0).foreground().color() == OVERDUE_COLOR
    screen.overdue_only.setChecked(True)
    assert [e["name"] for e in screen.entries] == ["李秀英"]
    screen.overdue_only.setChecked(False)
    screen.village.setCurrentText("西关村")
    assert [e["name"] for e in screen.entries] == ["赵大山"]


def test_activating_a_row_opens_the_person(qtbot, station, two_people):
    late, _fine = two_people
    screen = LedgerScreen(station)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.open_person) as opened:
        screen.table.activated.emit(screen.table.model().index(_row_of(screen, "李秀英"), 0))
    assert opened.args == [late]


def test_measures_are_saved(qtbot, station, two_people):
    late, _fine = two_people
    screen = LedgerScreen(station)
    qtbot.addWidget(screen)
    screen.table.selectRow(_row_of(screen, "李秀英"))
    screen.measures.clear()
    ime_type(screen.measures, "推荐公益性岗位")
    qtbot.mouseClick(screen.save_measures_button, Qt.MouseButton.LeftButton)
    assert ledger.open_entry(station, late)["measures"] == "推荐公益性岗位"
