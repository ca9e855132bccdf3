"""The month grid: pre-filled from the official calendar, edited, locked, corrected, printed."""

from datetime import date
from decimal import Decimal

import pytest

from db import attendance, attendance_sheets, audit, placements, subsidy
from db.attendance import MonthLockedError
from db.errors import PermissionDenied, ValidationError
from db.holidays import Month

from .welfare_fixtures import act_as_clerk, placement, post, qualified


def _line_count(station):
    return station.scalar("SELECT count(*) FROM attendance_line")


def test_grid_is_prefilled_with_present_on_official_working_days(station):
    placement(station, start="2026-01-01", end="2026-12-31")
    grid = attendance.attendance_grid(station, "2026-02")
    row = grid.rows[0]
    assert len(grid.days) == 28 and not grid.locked and not row.stored
    assert row.totals.planned_days == 16 and row.totals.present_days == 16
    assert row.marks[13] == "present"  # 2月14日 (Saturday) is a make-up working day
    assert row.marks[15] == "" and row.plan[15] == attendance.REST  # 2月16日 春节
    assert grid.days[13].note == "班" and grid.days[15].festival == "春节"
    assert _line_count(station) == 0  # reading never writes


def test_days_outside_the_placement_are_not_in_post(station):
    placement(station, start="2025-03-17", end="2025-12-31")
    row = attendance.attendance_grid(station, "2025-03").rows[0]
    assert row.plan[:16] == "X" * 16 and row.totals.planned_days == 11
    assert not row.editable(0) and row.editable(16)
    with pytest.raises(ValidationError, match="3月3日不在岗"):
        attendance.set_mark(station, row.placement_id, "2025-03-03", "present")


def test_set_mark_updates_the_line_and_its_totals_and_is_audited(station):
    placement_id = placement(station)
    row = attendance.set_mark(station, placement_id, "2025-03-05", "absent")
    row = attendance.set_mark(station, placement_id, "2025-03-06", "半天")
    row = attendance.set_mark(station, placement_id, "2025-03-07", "√")
    assert row.marks[4:6] == ("absent", "half") and row.stored
    assert (row.totals.absent_days, row.totals.half_days) == (1, 1)
    assert row.totals.present_days == Decimal("19.5")
    line_id = station.scalar("SELECT id FROM attendance_line")
    changes = [h["changes"] for h in audit.history(station.db, "attendance_line", line_id)]
    assert "marks" in changes[-1] and changes[-1]["marks"][1][4:6] == "AH"


def test_rest_days_take_only_present_or_half(station):
    placement_id = placement(station)
    with pytest.raises(ValidationError, match="3月8日是休息日，只能记出勤或半天"):
        attendance.set_mark(station, placement_id, "2025-03-08", "leave")
    row = attendance.set_mark(station, placement_id, "2025-03-08", "present")
    assert row.totals.rest_days_worked == 1 and row.totals.present_days == 22


def test_hourly_posts_take_hours(station):
    placement_id = placement(station, post_id=post(station, pay_basis="hourly",
                                                    daily_hours="3.5", name="护林员"))
    row = attendance.attendance_grid(station, "2025-03").rows[0]
    assert row.hours[2] == Decimal("3.5") and row.totals.hours == Decimal("73.5")
    row = attendance.set_mark(station, placement_id, "2025-03-03", "2.25")
    assert row.hours[2] == Decimal("2.25") and row.totals.hours == Decimal("72.25")
    with pytest.raises(ValidationError, match="24 小时"):
        attendance.set_mark(station, placement_id, "2025-03-03", "25")
    with pytest.raises(ValidationError, match="工时应填写数字"):
        attendance.set_mark(station, placement_id, "2025-03-03", "present")


def test_set_marks_writes_all_or_nothing(station):
    first = placement(station, name="张三")
    second = placement(station, name="李四")
    with pytest.raises(ValidationError):
        attendance.set_marks(station, [(first, "2025-03-03", "leave"),
                                       (second, "2025-03-03", "sleeping")])
    assert _line_count(station) == 0
    assert attendance.set_marks(station, [(first, "2025-03-03", "leave"),
                                          (second, "2025-03-04", "absent")]) == 2


def test_clearing_a_working_day_blocks_approval_until_it_is_marked(station):
    placement_id = placement(station)
    attendance.set_mark(station, placement_id, "2025-03-05", None)
    qualified(station, "2025-03")
    with pytest.raises(ValidationError, match="张三 1 人有工作日未记考勤"):
        subsidy.approve_month(station, "2025-03")


def test_approved_month_is_locked_for_everyone(station):
    placement_id = placement(station)
    qualified(station, "2025-03")
    subsidy.approve_month(station, "2025-03")
    assert attendance.attendance_grid(station, "2025-03").locked
    assert _line_count(station) == 1  # the pre-filled line is stored at approval
    with pytest.raises(MonthLockedError, match="已经站长审核锁定"):
        attendance.set_mark(station, placement_id, "2025-03-05", "absent")
    with pytest.raises(ValidationError, match="已审核锁定"):
        placements.exit_placement(station, placement_id, "2025-03-15", "resigned")


def test_correction_after_locking_needs_the_head_and_a_reason(station):
    placement_id = placement(station)
    qualified(station, "2025-03")
    subsidy.approve_month(station, "2025-03")
    with pytest.raises(ValidationError, match="更正原因"):
        subsidy.correct_mark(station, placement_id, "2025-03-05", "absent", " ")
    result = subsidy.correct_mark(station, placement_id, "2025-03-05", "absent",
                                  "村考勤员补报：当日未到岗")
    assert result.amount == 126000 - 6000 and result.final
    [correction] = subsidy.corrections(station, "2025-03")
    assert (correction["old_value"], correction["new_value"]) == ("出勤", "缺勤")
    assert correction["created_by"] == "admin" and correction["name"] == "张三"
    act_as_clerk(station)
    with pytest.raises(PermissionDenied, match="只有站长"):
        subsidy.correct_mark(station, placement_id, "2025-03-06", "absent", "补报")


def test_locked_month_keeps_its_plan_when_the_placement_changes_later(station):
    placement_id = placement(station, start="2025-03-01", end="2025-04-30")
    qualified(station, "2025-03")
    subsidy.approve_month(station, "2025-03")
    placements.exit_placement(station, placement_id, "2025-04-10", "resigned")
    assert station.scalar("SELECT plan FROM attendance_line") == \
        attendance.attendance_grid(station, "2025-03").rows[0].plan
    assert attendance.attendance_grid(station, "2025-03").rows[0].totals.planned_days == 21
    assert attendance.attendance_grid(station, "2025-04").rows[0].totals.planned_days == 7

# ------------------------------------------------------------------ sheets


def test_sheets_are_numbered_per_village_and_reused_when_printed_again(station):
    placement(station, name="张三")
    placement(station, name="李四", post_id=post(station, village="西关村"))
    sheets = attendance_sheets.issue_sheets(station, "2025-03")
    assert [(s.village, s.sheet_no) for s in sheets] == [("东关村", "KQ202503001"),
                                                        ("西关村", "KQ202503002")]
    assert [s.sheet_no for s in attendance_sheets.issue_sheets(station, "2025-03")] == \
        ["KQ202503001", "KQ202503002"]
    sheet = attendance_sheets.find_sheet(station, "kq202503002")
    assert (sheet["month"], sheet["village"], len(sheet["placement_ids"])) == \
        ("2025-03", "西关村", 1)
    assert sheets[0].qr_text == "JOBSTATION|KQ|370124101|KQ202503001|2025-03|东关村"


def test_sheet_rows_show_marks_as_symbols_and_rest_days_shaded(station):
    placement_id = placement(station)
    attendance.set_mark(station, placement_id, "2025-03-05", "leave")
    [sheet] = attendance_sheets.issue_sheets(station, Month(2025, 3))
    row = sheet.rows[0]
    assert row.cells[2:5] == ("√", "√", "假") and row.shading[0] == "rest"
    assert (row.planned, row.present, row.leave, row.absent) == ("21", "20", "1", "0")
    assert sheet.days[0] == (1, "六", "", True)


def test_grid_for_one_village_and_for_a_month_nobody_is_in_post(station):
    placement(station)
    assert attendance.attendance_grid(station, "2025-03", "西关村").rows == []
    assert attendance.attendance_grid(station, date(2024, 12, 1)).rows == []
