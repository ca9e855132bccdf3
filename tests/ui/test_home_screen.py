"""首页: the risk warning on top, today's overdue follow-up one activation from its person."""

from datetime import date, timedelta

import pytest

from db import employment, ledger, people, returns, settings
from tests.conftest import id_of
from ui.home_screen import HomeScreen
from ui.qt import Qt

TODAY = date.today()


def _person(station, seq, village="东关村", **fields) -> str:
    return people.create_person(station, {"name": f"王{'一二三四五六七八九十'[seq % 10]}",
                                          "id_number": id_of(1970 + seq % 30, seq=seq),
                                          "hukou_village": village, **fields})


@pytest.fixture
def overdue_person(station):
    pid = _person(station, 1, poverty_alleviated=1)
    employment.add_status(station, pid, "unemployed", TODAY - timedelta(days=90))
    entry = ledger.open_entry(station, pid)
    ledger.record_followup(station, entry["id"], TODAY - timedelta(days=60), "phone", "在家务农",
                           TODAY - timedelta(days=30))
    return pid


@pytest.fixture
def risk(station):
    settings.put(station, "risk.people", 3)
    for seq in range(20, 23):
        returns.add_return(station, _person(station, seq, "西关村"), TODAY - timedelta(days=2),
                           reason="企业停产")


def test_home_shows_the_risk_warning_and_the_overdue_followup(qtbot, station, overdue_person,
                                                              risk):
    screen = HomeScreen(station)
    qtbot.addWidget(screen)
    assert not screen.risk_label.isHidden()
    assert screen.risk_label.text().startswith("⚠ 规模性失业风险：西关村")
    [row] = screen.work_items("followup_overdue")
    assert "王二（东关村）帮扶走访已逾期 30 天" in row.text(0)
    assert "帮扶走访逾期（1 项）" == row.parent().text(0)
    assert "今日待办 1 项" in screen.headline.text()


def test_activating_an_overdue_item_opens_that_person(qtbot, station, overdue_person):
    screen = HomeScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    [row] = screen.work_items("followup_overdue")
    screen.work_tree.setCurrentItem(row)
    screen.work_tree.setFocus()
    with qtbot.waitSignal(screen.open_person) as opened:
        qtbot.keyClick(screen.work_tree, Qt.Key.Key_Return)
    assert opened.args == [overdue_person]


def test_no_risk_no_red_line_and_counts_drawn(qtbot, station, overdue_person):
    screen = HomeScreen(station)
    qtbot.addWidget(screen)
    assert screen.risk_label.isHidden()
    assert dict(screen.status_chart.bars)["失业"] == 1
    assert dict(screen.village_chart.bars) == {"东关村": 1}
    assert dict(screen.group_chart.bars)["脱贫人口"] == 1


def test_an_item_without_a_person_asks_for_its_target(qtbot, station):
    from db.home import WorkItem
    from ui.qt import QTreeWidgetItem

    screen = HomeScreen(station)
    qtbot.addWidget(screen)
    row = QTreeWidgetItem(["2026年10月考勤尚未审批"])
    row.setData(0, Qt.ItemDataRole.UserRole,
                WorkItem("attendance_approval", "…", "attendance_month", "2026-10"))
    with qtbot.waitSignal(screen.open_target) as opened:
        screen.work_tree.itemActivated.emit(row, 0)
    assert opened.args == ["attendance_month", "2026-10"]


def test_monthly_report_dialog_offers_this_month_and_earlier(qtbot, station):
    screen = HomeScreen(station)
    qtbot.addWidget(screen)
    screen.open_monthly_report()
    dialog = screen._report_dialog
    assert dialog.month.count() == 24
    assert dialog.month.itemData(0) == f"{TODAY:%Y-%m}"
    dialog.close()


def test_the_qt_values_the_first_screen_writes_as_ints_are_qts_own():
    # the 首页 avoids touching ``Qt`` (its first use builds 93 enum types); the ints agree
    from ui import bar_chart, qt

    assert qt.USER_ROLE == qt.Qt.ItemDataRole.UserRole.value
    assert bar_chart.ALIGN_LEFT == qt.Qt.AlignmentFlag.AlignLeft.value
    assert bar_chart.ALIGN_RIGHT == qt.Qt.AlignmentFlag.AlignRight.value
    assert bar_chart.ALIGN_VCENTER == qt.Qt.AlignmentFlag.AlignVCenter.value
