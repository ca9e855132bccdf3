"""考勤与补贴 screen: the keyboard-driven month grid, the 站长's approval, subsidies, prints."""

import openpyxl
import pytest

from db import attendance, evaluation, flexible_income
from db.holidays import Month
from tests.db.welfare_fixtures import placement, post
from ui.attendance_model import FIRST_DAY
from ui.attendance_screen import AttendanceScreen
from ui.print_preview import PrintPreviewDialog
from ui.qt import QCoreApplication, QEvent, Qt, QThreadPool

MONTH = Month(2025, 3)  # 3 March 2025 is a Monday; the month has no holidays


@pytest.fixture
def placed(station):
    """Two people on a day-marked post for all of 2025."""
    post_id = post(station)
    first = placement(station, post_id=post_id, name="张三")
    second = placement(station, post_id=post_id, name="李四")
    return first, second


@pytest.fixture
def screen(qtbot, station, placed):
    widget = AttendanceScreen(station)
    qtbot.addWidget(widget)
    widget.resize(1236, 700)
    widget.show_month(MONTH)
    widget.show()
    return widget


def row_of(screen, placement_id):
    return next(i for i, r in enumerate(screen.model.rows) if r.placement_id == placement_id)


def go_to(qtbot, screen, row, day):
    screen.view.setFocus()
    screen.view.setCurrentIndex(screen.model.index(row, FIRST_DAY + day - 1))


def stored_marks(station, placement_id):
    return attendance.grid_row(station, placement_id, MONTH).marks


def test_grid_shows_every_holder_prefilled_present_on_working_days(screen, placed):
    assert screen.model.rowCount() == 2
    row = screen.model.rows[0]
    assert screen.model.data(screen.model.index(0, FIRST_DAY + 2)) == "√"  # Mon 3 March
    assert screen.model.data(screen.model.index(0, FIRST_DAY)) == ""  # Sat 1 March
    assert row.totals.planned_days == 21
    assert screen.month_label.text() == "2025年3月"


def test_keys_2_3_and_delete_write_marks_move_right_and_update_totals(qtbot, screen, station,
                                                                        placed):
    first = placed[0]
    row = row_of(screen, first)
    go_to(qtbot, screen, row, 3)
    qtbot.keyClick(screen.view, Qt.Key.Key_2)
    assert screen.view.currentIndex().column() == FIRST_DAY + 3  # moved right to the 4th
    qtbot.keyClick(screen.view, Qt.Key.Key_3)
    qtbot.keyClick(screen.view, Qt.Key.Key_Delete)
    marks = stored_marks(station, first)
    assert marks[2:5] == ("leave", "absent", "")
    totals = screen.model.rows[row].totals
    assert (totals.leave_days, totals.absent_days, totals.unmarked_days) == (1, 1, 1)
    leave_column = screen.model.columnCount() - 2
    assert screen.model.data(screen.model.index(row, leave_column)) == "1"


def test_arrow_keys_move_and_space_marks_present(qtbot, screen, station, placed):
    row = 0
    first = screen.model.rows[row].placement_id
    go_to(qtbot, screen, row, 3)
    qtbot.keyClick(screen.view, Qt.Key.Key_3)
    qtbot.keyClick(screen.view, Qt.Key.Key_Left)
    assert screen.view.currentIndex().column() == FIRST_DAY + 2
    qtbot.keyClick(screen.view, Qt.Key.Key_Space)
    assert stored_marks(station, first)[2] == "present"
    qtbot.keyClick(screen.view, Qt.Key.Key_Down)
    assert screen.view.currentIndex().row() == row + 1


def test_leave_on_a_rest_day_is_refused_in_the_banner(qtbot, screen, station, placed):
    go_to(qtbot, screen, row_of(screen, placed[0]), 1)  # Saturday
    qtbot.keyClick(screen.view, Qt.Key.Key_2)
    assert "休息日" in screen.banner.text()
    assert stored_marks(station, placed[0])[0] == ""


def test_hourly_post_takes_digits_as_hours(qtbot, station):
    hourly = post(station, name="道路养护员", pay_basis="hourly", daily_hours="3")
    holder = placement(station, post_id=hourly, name="王五")
    widget = AttendanceScreen(station)
    qtbot.addWidget(widget)
    widget.show_month(MONTH)
    go_to(qtbot, widget, 0, 3)
    qtbot.keyClick(widget.view, Qt.Key.Key_2)
    row = attendance.grid_row(station, holder, MONTH)
    assert str(row.hours[2]) == "2"
    assert widget.model.data(widget.model.index(0, FIRST_DAY + 2)) == "2"


def test_approving_locks_the_grid_and_typing_only_explains(qtbot, screen, station, placed,
                                                           monkeypatch):
    evaluation.fill_qualified(station, MONTH)
    monkeypatch.setattr("ui.attendance_screen.confirm", lambda *a, **k: True)
    screen.approve()
    assert screen.model.locked
    assert "已审核" in screen.status_label.text()
    before = stored_marks(station, placed[0])
    go_to(qtbot, screen, row_of(screen, placed[0]), 3)
    qtbot.keyClick(screen.view, Qt.Key.Key_3)
    assert stored_marks(station, placed[0]) == before
    assert "锁定" in screen.banner.text()


def test_approval_refused_without_evaluations_says_why(screen, monkeypatch):
    shown = []
    monkeypatch.setattr("ui.attendance_screen.confirm", lambda *a, **k: True)
    monkeypatch.setattr("ui.attendance_screen.show_error", lambda p, e, t="": shown.append(str(e)))
    screen.approve()
    assert "考核" in shown[0]
    assert not screen.model.locked


def test_reopen_and_correction_after_locking(qtbot, screen, station, placed, monkeypatch):
    evaluation.fill_qualified(station, MONTH)
    monkeypatch.setattr("ui.attendance_screen.confirm", lambda *a, **k: True)
    screen.approve()
    go_to(qtbot, screen, row_of(screen, placed[0]), 3)
    screen.correct()
    dialog = screen.dialog
    dialog.value.setCurrentIndex(dialog.value.findData("absent"))
    dialog.save()
    assert "原因" in dialog.error.text()
    dialog.reason.setText("村里报来有误")
    dialog.save()
    assert stored_marks(station, placed[0])[2] == "absent"
    assert screen.model.locked
    screen.reopen_with("参数有误")
    assert not screen.model.locked
    assert "参数有误" in screen.status_label.text()


def test_evaluations_fill_qualified_and_subsidy_tab_shows_amounts(screen, station, placed):
    screen.tabs.setCurrentWidget(screen.evaluations)
    screen.evaluations.fill_qualified()
    assert set(r["result"] for r in evaluation.evaluations(station, MONTH).values()) == {
        "qualified"}
    combo = screen.evaluations.table.cellWidget(0, 3)
    combo.setCurrentIndex(combo.findData("excellent"))
    screen.evaluations.save()
    assert "excellent" in {r["result"] for r in evaluation.evaluations(station, MONTH).values()}
    screen.tabs.setCurrentWidget(screen.subsidies)
    table = screen.subsidies.table
    assert table.rowCount() == 2
    assert table.item(0, 4).text().replace(",", "").replace(".", "").isdigit()
    assert table.item(0, 5).text() and table.item(0, 5).toolTip() == table.item(0, 5).text()
    assert "合计" in screen.subsidies.summary.text()


def test_pay_sheet_export_writes_an_xlsx(qtbot, screen, tmp_path, monkeypatch):
    monkeypatch.setattr("ui.subsidy_panels.info", lambda *a, **k: None)
    screen.tabs.setCurrentWidget(screen.subsidies)
    out = tmp_path / "补贴发放表.xlsx"
    screen.subsidies.export_to(out)
    qtbot.waitUntil(out.exists, timeout=10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    sheet = openpyxl.load_workbook(out).active
    names = {c.value for row in sheet.iter_rows() for c in row}
    assert {"张三", "李四"} <= names


def test_print_preview_opens_for_the_attendance_sheet(screen):
    screen.print_button.click()
    assert isinstance(screen.preview, PrintPreviewDialog)
    assert screen.preview.isVisible()
    assert "考勤表" in screen.preview.windowTitle()
    screen.preview.close()


def test_print_preview_opens_for_pay_sheet_public_version(screen):
    screen.tabs.setCurrentWidget(screen.subsidies)
    screen.subsidies.public_button.click()
    assert "公示" in screen.subsidies.preview.windowTitle()
    screen.subsidies.preview.close()


def test_income_over_the_line_is_proposed_for_exit_and_decided(qtbot, station):
    part_time = post(station, name="保洁员")
    holder = placement(station, post_id=part_time, name="赵六")
    widget = AttendanceScreen(station)
    qtbot.addWidget(widget)
    widget.show_month(MONTH)
    widget.open_income()
    dialog = widget.dialog
    dialog.incomes.item(0, 3).setText("9000")
    dialog.save_incomes()
    assert flexible_income.incomes(station, holder)[0]["amount"] == 900_000
    assert [c.name for c in dialog.candidates] == ["赵六"]
    dialog.print_notice()
    assert dialog.preview.isVisible()
    dialog.preview.close()
    dialog.decide("keep")
    assert "理由" in dialog.error.text()
    dialog.note.setText("下月核实")
    dialog.decide("keep")
    assert dialog.candidates == []
    dialog.close()
