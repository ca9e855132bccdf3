"""Flexible income of part-time holders, the exit worklist, and the dated policy parameters."""

from datetime import date

import pytest

from db import flexible_income, placements, policy
from db.errors import ValidationError
from db.holidays import Month

from .welfare_fixtures import placement, post

# ---------------------------------------------------------- flexible income


def test_income_over_the_line_puts_the_person_on_the_worklist_with_the_reason(station):
    placement_id = placement(station, name="张三")
    flexible_income.record_income(station, placement_id, "2025-02", "600")
    assert flexible_income.exit_worklist(station, "2025-02") == []  # 7,200 a year
    flexible_income.record_income(station, placement_id, "2025-03", "1,000")
    [entry] = flexible_income.exit_worklist(station, "2025-03")
    assert (entry.name, entry.months, entry.total, entry.annualized) == ("张三", 2, 160000,
                                                                         960000)
    assert entry.explanation == ("近 2 个月灵活就业收入共 1,600.00 元，月均 800.00 元，"
                                 "折合年收入 9,600.00 元，超过防止返贫监测收入线 7,600.00 元/年，"
                                 "按规定应退出岗位")


def test_the_line_is_a_parameter(station):
    placement_id = placement(station)
    flexible_income.record_income(station, placement_id, "2025-03", "1000")
    policy.set_parameter(station, "income.monitoring_line", "15000", "2025-01-01")
    assert flexible_income.exit_worklist(station, "2025-03") == []


def test_re_entering_a_month_replaces_it(station):
    placement_id = placement(station)
    flexible_income.record_income(station, placement_id, "2025-03", "1000")
    flexible_income.record_income(station, placement_id, "2025-03", "300", "更正")
    assert [r["amount"] for r in flexible_income.incomes(station, placement_id)] == [30000]


def test_full_time_holders_enter_no_flexible_income(station):
    placement_id = placement(station, post_id=post(station, schedule="full_time",
                                                    daily_hours="8"))
    with pytest.raises(ValidationError, match="只有非全日制岗位人员"):
        flexible_income.record_income(station, placement_id, "2025-03", "100")


def test_clerk_decides_keep_with_a_reason_or_exit_with_a_date(station):
    kept = placement(station, name="张三")
    leaving = placement(station, name="李四")
    for placement_id in (kept, leaving):
        flexible_income.record_income(station, placement_id, "2025-03", "2000")
    with pytest.raises(ValidationError, match="写明理由"):
        flexible_income.decide(station, kept, "2025-03", "keep")
    flexible_income.decide(station, kept, "2025-03", "keep", "收入为一次性劳务报酬，已核实")
    flexible_income.decide(station, leaving, "2025-03", "exit", "本人同意", "2025-03-31")
    assert flexible_income.exit_worklist(station, "2025-03") == []
    row = placements.get_placement(station, leaving)
    assert (row["exit_date"], row["exit_reason"]) == ("2025-03-31", "income_over_line")


def test_worklist_shows_up_in_the_monthly_checks(station):
    placement_id = placement(station, name="张三")
    flexible_income.record_income(station, placement_id, "2025-03", "2000")
    income = [w for w in placements.monthly_checks(station, Month(2025, 3), date(2025, 3, 31))
              if w.kind == "income"]
    assert len(income) == 1 and "折合年收入 24,000.00 元" in income[0].text


def test_exit_notice_data_masks_the_number(station):
    placement_id = placement(station, name="张三")
    flexible_income.record_income(station, placement_id, "2025-03", "2000")
    notice = flexible_income.exit_notice(station, placement_id, "2025-03")
    assert notice["name"] == "张三" and "*" in notice["id_number"]
    with pytest.raises(ValidationError, match="未超过防止返贫监测收入线"):
        flexible_income.exit_notice(station, placement(station, name="李四"), "2025-03")

# ------------------------------------------------------------ parameters


@pytest.mark.parametrize("key, raw, stored", [
    ("hourly_min_wage", "21.5", 2150),
    ("income.monitoring_line", "7,600元", 760000),
    ("standard_hours.part_time", "62.50", "62.5"),
    ("eligibility.groups", "脱贫人口、大龄", ["poverty_alleviated", "older"]),
    ("eligibility.one_per_household", "否", False),
    ("absence.leave_free_days", "3", 3),
])
def test_parameter_values_are_parsed_exactly(key, raw, stored):
    assert policy.parse_value(key, raw) == stored


@pytest.mark.parametrize("key, raw, message", [
    ("hourly_min_wage", "21.555", "最多两位小数"),
    ("hourly_min_wage", "abc", "应填写数字"),
    ("absence.deduct_percent", "500", "0 到 300"),
    ("eligibility.groups", "外星人", "人员类别"),
    ("unknown.key", "1", "没有这个政策参数"),
])
def test_bad_parameter_values_are_refused_in_chinese(key, raw, message):
    with pytest.raises(ValidationError, match=message):
        policy.parse_value(key, raw)


def test_value_in_force_follows_effective_from(station):
    assert policy.value(station, "hourly_min_wage", date(2025, 1, 1)) == 2100  # default
    policy.set_parameter(station, "hourly_min_wage", "22", "2025-03-01", note="县人社局通知")
    policy.set_parameter(station, "hourly_min_wage", "23", "2025-10-01", source="county")
    assert policy.value(station, "hourly_min_wage", date(2025, 2, 28)) == 2100
    assert policy.value(station, "hourly_min_wage", date(2025, 3, 1)) == 2200
    assert policy.value(station, "hourly_min_wage", date(2026, 1, 1)) == 2300
    shown = [(r["effective_from"], r["shown"], r["source"])
             for r in policy.history(station, "hourly_min_wage")]
    assert shown == [("2025-10-01", "23.00 元/小时", "county"),
                     ("2025-03-01", "22.00 元/小时", "station")]


def test_same_day_value_replaces_the_earlier_one(station):
    policy.set_parameter(station, "hourly_min_wage", "22", "2025-03-01")
    policy.set_parameter(station, "hourly_min_wage", "22.5", "2025-03-01")
    assert len(policy.history(station, "hourly_min_wage")) == 1
    assert policy.value(station, "hourly_min_wage", date(2025, 3, 2)) == 2250


def test_segments_split_a_month_where_values_change(station):
    policy.set_parameter(station, "hourly_min_wage", "23", "2025-03-17")
    segments = policy.segments(station, date(2025, 3, 1), date(2025, 3, 31))
    assert [(s.start.day, s.end.day, s.values["hourly_min_wage"]) for s in segments] == \
        [(1, 16, 2100), (17, 31, 2300)]
    assert policy.format_money(-123456) == "-1,234.56"
