"""The official working-day calendar on dates everyone in China remembers."""

from datetime import date

import pytest

from db import holidays
from db.errors import ValidationError
from db.holidays import Month, day_info, is_workday, working_days


@pytest.mark.parametrize("day, festival", [
    ("2024-01-01", "元旦"), ("2024-02-10", "春节"), ("2024-02-17", "春节"),
    ("2024-04-05", "清明节"), ("2024-05-03", "劳动节"), ("2024-06-10", "端午节"),
    ("2024-09-16", "中秋节"), ("2024-10-07", "国庆节"),
    ("2025-01-28", "春节"), ("2025-02-04", "春节"), ("2025-04-04", "清明节"),
    ("2025-05-05", "劳动节"), ("2025-06-02", "端午节"), ("2025-10-08", "国庆节、中秋节"),
    ("2026-01-02", "元旦"), ("2026-02-23", "春节"), ("2026-04-06", "清明节"),
    ("2026-05-05", "劳动节"), ("2026-06-19", "端午节"), ("2026-09-25", "中秋节"),
    ("2026-10-07", "国庆节"),
])
def test_official_holidays_are_days_off(day, festival):
    info = day_info(date.fromisoformat(day))
    assert info.kind == holidays.HOLIDAY and info.festival == festival and info.note == "休"
    assert not is_workday(info.day)


@pytest.mark.parametrize("day", [
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
    "2024-09-29", "2024-10-12", "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28",
    "2025-10-11", "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
    "2026-10-10",
])
def test_make_up_weekend_days_are_working_days(day):
    info = day_info(date.fromisoformat(day))
    assert info.day.weekday() >= 5
    assert info.kind == holidays.MAKEUP and info.note == "班" and is_workday(info.day)


@pytest.mark.parametrize("day", ["2024-02-09", "2025-02-07", "2026-02-13", "2026-10-09"])
def test_ordinary_weekdays_next_to_holidays_stay_working_days(day):
    """2024's 除夕 (2月9日) was not yet a statutory holiday."""
    assert day_info(date.fromisoformat(day)).kind == holidays.WORKDAY


def test_ordinary_weekend_is_a_rest_day():
    assert day_info(date(2025, 3, 8)).kind == holidays.WEEKEND


@pytest.mark.parametrize("month, count", [
    ("2024-02", 18), ("2024-10", 19), ("2025-01", 19), ("2025-02", 19), ("2025-03", 21),
    ("2025-10", 18), ("2026-02", 16), ("2026-05", 19), ("2026-09", 22), ("2026-10", 18),
])
def test_working_days_per_month(month, count):
    assert len(working_days(Month.parse(month))) == count


def test_no_day_is_both_holiday_and_make_up_day():
    assert not set(holidays.HOLIDAYS) & set(holidays.MAKEUP_WORKDAYS)
    assert all(d.weekday() >= 5 for d in holidays.MAKEUP_WORKDAYS)


def test_2027_is_marked_provisional_but_keeps_its_statutory_days():
    assert holidays.is_known(2026) and not holidays.is_known(2027)
    assert day_info(date(2027, 2, 6)).festival == "春节"
    assert day_info(date(2027, 10, 1)).festival == "国庆节"


@pytest.mark.parametrize("text", ["2025-03", "2025/3", "2025年3月", " 2025-3 "])
def test_month_parses_what_clerks_type(text):
    assert Month.parse(text) == Month(2025, 3)


@pytest.mark.parametrize("text", ["2025-13", "3月", "", "2025-03-01x"])
def test_month_refuses_nonsense_in_chinese(text):
    with pytest.raises(ValidationError, match="月份"):
        Month.parse(text)


def test_month_arithmetic_crosses_years():
    assert Month(2024, 12).next() == Month(2025, 1)
    assert Month(2025, 1).previous() == Month(2024, 12)
    assert Month(2024, 2).length == 29 and Month(2024, 2).label == "2024年2月"


def test_month_lengths_match_the_calendar_module_including_leap_years():
    import calendar

    for year in (1900, 1999, 2000, 2023, 2024, 2026, 2100):
        for month in range(1, 13):
            assert len(Month(year, month).days()) == calendar.monthrange(year, month)[1]
