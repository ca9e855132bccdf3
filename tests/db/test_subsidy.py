"""Subsidy rules on worked examples, month approval, and closed months that never change.

Defaults: 小时最低工资 21.00 元, 非全日制 60 小时 → 月标准 1,260.00 元; 2025年3月 has 21
official working days, so 日补贴 = 60.00 元.
"""

from datetime import date

import openpyxl
import pytest

from db import attendance, evaluation, placements, policy, subsidy
from db.errors import PermissionDenied, ValidationError

from .welfare_fixtures import act_as_clerk, placement, post, qualified

MARCH = "2025-03"


def _result(station, month=MARCH):
    [result] = subsidy.month_results(station, month)
    return result


def _marks(station, placement_id, *marks):
    attendance.set_marks(station, [(placement_id, day, mark) for day, mark in marks])


def test_full_month_earns_the_monthly_standard(station):
    placement(station)
    result = _result(station)
    assert result.amount == 126000 and not result.final
    assert result.explanation == (
        "小时最低工资 21.00 元 × 非全日制月标准工时 60 小时 = 月标准 1,260.00 元；"
        "当月工作日 21 天，日补贴 60.00 元；应出勤 21 天，出勤 21 天；尚未考核，暂按合格计；"
        "应发 1,260.00 元")


def test_absences_deduct_the_daily_subsidy(station):
    placement_id = placement(station)
    _marks(station, placement_id, ("2025-03-05", "absent"), ("2025-03-06", "absent"))
    evaluation.set_evaluation(station, placement_id, MARCH, "qualified")
    result = _result(station)
    assert result.amount == 114000
    assert "出勤 19 天；缺勤 2 天，扣 60.00 元 × 2 = 120.00 元；考核合格；" \
           "1,260.00 - 120.00 = 1,140.00 元" in result.explanation


def test_half_days_count_as_half_an_absence(station):
    placement_id = placement(station)
    _marks(station, placement_id, ("2025-03-05", "half"), ("2025-03-06", "half"))
    result = _result(station)
    assert result.amount == 120000
    assert "半天 2 天，折合缺勤 1 天，扣 60.00 元 × 1 = 60.00 元" in result.explanation


def test_leave_is_free_up_to_the_monthly_allowance(station):
    placement_id = placement(station)
    _marks(station, placement_id, ("2025-03-05", "leave"), ("2025-03-06", "leave"))
    assert _result(station).amount == 126000
    assert "请假 2 天（每月 2 天内不扣）" in _result(station).explanation
    _marks(station, placement_id, ("2025-03-07", "leave"))
    assert _result(station).amount == 120000
    assert "请假 3 天，超出每月 2 天的 1 天扣 60.00 元" in _result(station).explanation


def test_deduction_percentage_is_a_parameter(station):
    placement_id = placement(station)
    policy.set_parameter(station, "absence.deduct_percent", 200, "2025-01-01")
    _marks(station, placement_id, ("2025-03-05", "absent"))
    result = _result(station)
    assert result.amount == 114000 and "扣 60.00 元 × 1 × 200% = 120.00 元" in result.explanation


def test_holiday_month_divides_by_its_official_working_days(station):
    placement_id = placement(station, start="2026-01-01", end="2026-12-31")
    assert _result(station, "2026-02").amount == 126000
    _marks(station, placement_id, ("2026-02-14", "absent"))  # the make-up Saturday
    result = _result(station, "2026-02")
    assert result.amount == 118125
    assert "当月工作日 16 天，日补贴 78.75 元" in result.explanation


def test_part_of_a_month_earns_the_days_in_post(station):
    placement(station, start="2025-03-17")
    result = _result(station)
    assert result.amount == 66000
    assert "在岗应出勤 11 天，60.00 元 × 11 天 = 660.00 元" in result.explanation


def test_wage_change_mid_month_splits_the_month(station):
    placement(station)
    policy.set_parameter(station, "hourly_min_wage", "23", "2025-03-17")
    result = _result(station)
    assert result.amount == 132281  # 60.00 × 10 + 65.71 × 11
    assert result.explanation.startswith(
        "3月1日–3月16日 小时最低工资 21.00 元 × 非全日制月标准工时 60 小时 = 月标准 1,260.00 元，"
        "3月17日–3月31日 小时最低工资 23.00 元 × 非全日制月标准工时 60 小时 = 月标准 1,380.00 元；"
        "当月工作日 21 天，日补贴 60.00 元 / 65.71 元；"
        "在岗应出勤 21 天，60.00 元 × 10 天 + 65.71 元 × 11 天 = 1,322.81 元")


def test_rule_change_mid_month_does_not_split_the_rate(station):
    placement(station)
    policy.set_parameter(station, "absence.leave_free_days", 1, "2025-03-17")
    assert _result(station).explanation.startswith("小时最低工资 21.00 元")


def test_closed_month_never_changes_when_parameters_change(station):
    placement_id = placement(station)
    for month in ("2025-02", MARCH):
        qualified(station, month)
    subsidy.approve_month(station, "2025-02")
    before = _result(station, "2025-02")
    policy.set_parameter(station, "hourly_min_wage", "25", "2025-02-01")  # retroactive
    after = _result(station, "2025-02")
    assert (after.amount, after.explanation, after.final) == (before.amount, before.explanation,
                                                             True)
    assert _result(station).amount == 150000  # the open month follows the new wage
    subsidy.reopen_month(station, "2025-02", "村里补报一天请假")
    attendance.set_mark(station, placement_id, "2025-02-05", "leave")
    subsidy.approve_month(station, "2025-02")
    assert _result(station, "2025-02").amount == 126000  # approved again at the old wage


def test_post_with_its_own_standard(station):
    placement(station, post_id=post(station, subsidy_standard="800"))
    result = _result(station)
    assert result.amount == 80000 and result.explanation.startswith("岗位月补贴标准 800.00 元")


def test_full_time_post_uses_the_full_time_standard_hours(station):
    placement(station, post_id=post(station, schedule="full_time", daily_hours="8"))
    assert _result(station).amount == 365400  # 21.00 × 174


def test_hourly_post_is_paid_by_the_hour_up_to_its_monthly_hours(station):
    placement(station, post_id=post(station, pay_basis="hourly", daily_hours="3.5"))
    assert _result(station).amount == 154350  # 73.5 h × 21.00
    placement(station, name="李四", post_id=post(station, pay_basis="hourly",
                                                 daily_hours="3.5", monthly_hours="60",
                                                 name="护林员"))
    capped = [r for r in subsidy.month_results(station, MARCH) if r.name == "李四"][0]
    assert capped.amount == 126000
    assert "超出岗位月工时 60 小时的 13.5 小时不计" in capped.explanation


@pytest.mark.parametrize("result, parameters, amount, words", [
    ("unqualified", {}, 0, "考核不合格，按 0% 发放；1,260.00 × 0% = 0.00 元"),
    ("unqualified", {"evaluation.unqualified_percent": 50}, 63000, "1,260.00 × 50% = 630.00 元"),
    ("excellent", {"evaluation.excellent_bonus": "100"}, 136000,
     "考核优秀，奖励 100.00 元；1,260.00 + 100.00 = 1,360.00 元"),
])
def test_evaluation_changes_the_amount(station, result, parameters, amount, words):
    placement_id = placement(station)
    for key, value in parameters.items():
        policy.set_parameter(station, key, value, "2025-01-01")
    evaluation.set_evaluation(station, placement_id, MARCH, result, "")
    assert _result(station).amount == amount and words in _result(station).explanation

# ------------------------------------------------------------- approval


def test_approval_stores_results_and_the_parameters_used(station):
    placement(station)
    placement(station, name="李四")
    qualified(station, MARCH)
    closed = subsidy.approve_month(station, MARCH)
    assert (closed.people, closed.total) == (2, 252000)
    assert station.scalar("SELECT count(*) FROM subsidy_result WHERE deleted_at IS NULL") == 2
    assert '"hourly_min_wage": 2100' in station.scalar("SELECT parameters FROM attendance_month")
    with pytest.raises(ValidationError, match="已经审核过了"):
        subsidy.approve_month(station, MARCH)


def test_approval_waits_for_the_last_working_day(station):
    placement(station)
    qualified(station, MARCH)
    with pytest.raises(ValidationError, match="3月31日（最后一个工作日）起才能审核"):
        subsidy.approve_month(station, MARCH, on=date(2025, 3, 28))
    subsidy.approve_month(station, MARCH, on=date(2025, 3, 31))


def test_approval_needs_every_evaluation(station):
    placement(station, name="张三")
    placement(station, name="李四")
    with pytest.raises(ValidationError, match="李四、张三 2 人尚未填写2025年3月考核结果"):
        subsidy.approve_month(station, MARCH)
    assert station.scalar("SELECT count(*) FROM attendance_month") == 0


def test_only_the_head_approves(station):
    placement(station)
    qualified(station, MARCH)
    act_as_clerk(station)
    with pytest.raises(PermissionDenied, match="只有站长可以审核考勤"):
        subsidy.approve_month(station, MARCH)
    with pytest.raises(PermissionDenied, match="只有站长可以修改政策参数"):
        policy.set_parameter(station, "hourly_min_wage", "30", "2025-01-01")


def test_clerks_placement_must_be_approved_before_the_month(station):
    head = station.account
    post_id = post(station)
    act_as_clerk(station)
    placement_id = placement(station, post_id=post_id)
    qualified(station, MARCH)
    station.act_as(head)
    with pytest.raises(ValidationError, match="张三 1 人的上岗尚未经站长审批"):
        subsidy.approve_month(station, MARCH)
    placements.approve_placement(station, placement_id)
    subsidy.approve_month(station, MARCH)


def test_evaluation_correction_recomputes_with_a_reason(station):
    placement_id = placement(station)
    qualified(station, MARCH)
    subsidy.approve_month(station, MARCH)
    with pytest.raises(attendance.MonthLockedError):
        evaluation.set_evaluation(station, placement_id, MARCH, "unqualified")
    result = subsidy.correct_evaluation(station, placement_id, MARCH, "unqualified",
                                        "多次无故脱岗", "村委会复核结果")
    assert result.amount == 0
    assert subsidy.corrections(station, MARCH)[0]["new_value"] == "不合格"

# ------------------------------------------------------------- pay sheet


def test_pay_sheet_masks_numbers_and_exports_to_excel(station, tmp_path):
    placement(station, name="张三")
    placement(station, name="李四", post_id=post(station, village="西关村"))
    public = subsidy.pay_sheet(station, MARCH, public=True, full_numbers=True)
    assert public.title == "2025年3月乡村公益性岗位补贴发放公示"
    assert all("*" in row["id_number"] for row in public.rows)
    assert public.total_text == "2,520.00" and public.status_text == "未审核，仅供核对"
    sheet = subsidy.export_pay_sheet(station, MARCH, tmp_path / "pay.xlsx", full_numbers=True)
    ws = openpyxl.load_workbook(tmp_path / "pay.xlsx").active
    assert ws["A1"].value == "2025年3月乡村公益性岗位补贴发放表"
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0][:3] == ["序号", "姓名", "公民身份号码"]
    assert values[1][1] == "张三" and values[1][10] == 1260
    assert values[-1][1] == "合计" and values[-1][10] == 2520
    assert "*" not in values[1][2] and sheet.total == 252000


def test_reopened_month_may_take_corrected_parameters_when_the_head_says_so(station):
    placement(station)
    qualified(station, MARCH)
    subsidy.approve_month(station, MARCH)
    policy.set_parameter(station, "hourly_min_wage", "22", "2025-03-01")
    subsidy.reopen_month(station, MARCH, "县里通知的最低工资标准录错了")
    assert _result(station).amount == 126000  # as approving again would: first parameters
    subsidy.approve_month(station, MARCH, refresh_parameters=True)
    assert _result(station).amount == 132000 and _result(station).final
    assert [c["kind"] for c in subsidy.corrections(station, MARCH)] == ["reopen"]
