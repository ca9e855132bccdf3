"""China's official working-day calendar (法定节假日与调休) and calendar months.

The data are the 国务院办公厅 notices on each year's holiday arrangements:

- 2024: 国办发明电〔2023〕7号 (2023-10-25)
- 2025: 国办发明电〔2024〕12号 (2024-11-12), the first year with the revised
  《全国年节及纪念日放假办法》 (除夕 and 5月2日 became statutory holidays)
- 2026: 国办发明电〔2025〕7号 (2025-11-04)
- 2027: PROVISIONAL. The notice was not known when this table was written, so only the
  statutory days themselves are listed (元旦 1/1; 春节 除夕–初三 2/5–2/8; 清明 4/5;
  劳动节 5/1–5/2; 端午 6/9; 中秋 9/15; 国庆 10/1–10/3; lunar dates checked against a
  lunar calendar). The extra bridging days and the 调休 make-up working days are
  missing: when the notice comes out, replace the 2027 block by its real arrangement
  and drop 2027 from ``PROVISIONAL_YEARS``.

A day is a working day when it is a Monday–Friday that is not a holiday, or a listed
make-up working day (调休上班, always a Saturday or Sunday). Years outside the table
are treated as plain weekday/weekend years and reported by :func:`is_known`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .errors import ValidationError

# (first day, last day, festival) of each holiday period, and the make-up working days.
_HOLIDAYS: dict[int, list[tuple[str, str, str]]] = {
    2024: [
        ("2024-01-01", "2024-01-01", "元旦"),
        ("2024-02-10", "2024-02-17", "春节"),
        ("2024-04-04", "2024-04-06", "清明节"),
        ("2024-05-01", "2024-05-05", "劳动节"),
        ("2024-06-10", "2024-06-10", "端午节"),
        ("2024-09-15", "2024-09-17", "中秋节"),
        ("2024-10-01", "2024-10-07", "国庆节"),
    ],
    2025: [
        ("2025-01-01", "2025-01-01", "元旦"),
        ("2025-01-28", "2025-02-04", "春节"),
        ("2025-04-04", "2025-04-06", "清明节"),
        ("2025-05-01", "2025-05-05", "劳动节"),
        ("2025-05-31", "2025-06-02", "端午节"),
        ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ],
    2026: [
        ("2026-01-01", "2026-01-03", "元旦"),
        ("2026-02-15", "2026-02-23", "春节"),
        ("2026-04-04", "2026-04-06", "清明节"),
        ("2026-05-01", "2026-05-05", "劳动节"),
        ("2026-06-19", "2026-06-21", "端午节"),
        ("2026-09-25", "2026-09-27", "中秋节"),
        ("2026-10-01", "2026-10-07", "国庆节"),
    ],
    # Statutory days only (see the module docstring): the official arrangement is unknown.
    2027: [
        ("2027-01-01", "2027-01-01", "元旦"),
        ("2027-02-05", "2027-02-08", "春节"),
        ("2027-04-05", "2027-04-05", "清明节"),
        ("2027-05-01", "2027-05-02", "劳动节"),
        ("2027-06-09", "2027-06-09", "端午节"),
        ("2027-09-15", "2027-09-15", "中秋节"),
        ("2027-10-01", "2027-10-03", "国庆节"),
    ],
}
_MAKEUP_WORKDAYS: dict[int, list[tuple[str, str]]] = {
    2024: [("2024-02-04", "春节"), ("2024-02-18", "春节"), ("2024-04-07", "清明节"),
           ("2024-04-28", "劳动节"), ("2024-05-11", "劳动节"), ("2024-09-14", "中秋节"),
           ("2024-09-29", "国庆节"), ("2024-10-12", "国庆节")],
    2025: [("2025-01-26", "春节"), ("2025-02-08", "春节"), ("2025-04-27", "劳动节"),
           ("2025-09-28", "国庆节"), ("2025-10-11", "国庆节")],
    2026: [("2026-01-04", "元旦"), ("2026-02-14", "春节"), ("2026-02-28", "春节"),
           ("2026-05-09", "劳动节"), ("2026-09-20", "国庆节"), ("2026-10-10", "国庆节")],
    2027: [],
}
PROVISIONAL_YEARS = frozenset({2027})
WEEKDAYS = "一二三四五六日"

WORKDAY, WEEKEND, HOLIDAY, MAKEUP = "workday", "weekend", "holiday", "makeup"


def _expand() -> tuple[dict[date, str], dict[date, str]]:
    holidays: dict[date, str] = {}
    for periods in _HOLIDAYS.values():
        for first, last, name in periods:
            day, end = date.fromisoformat(first), date.fromisoformat(last)
            while day <= end:
                holidays[day] = name
                day += timedelta(days=1)
    makeup = {date.fromisoformat(d): name for days in _MAKEUP_WORKDAYS.values()
              for d, name in days}
    return holidays, makeup


HOLIDAYS, MAKEUP_WORKDAYS = _expand()


@dataclass(frozen=True)
class DayInfo:
    """One calendar day: its kind (workday/weekend/holiday/makeup) and the festival."""

    day: date
    kind: str
    festival: str = ""

    @property
    def is_workday(self) -> bool:
        return self.kind in (WORKDAY, MAKEUP)

    @property
    def weekday(self) -> str:
        """一 … 日."""
        return WEEKDAYS[self.day.weekday()]

    @property
    def note(self) -> str:
        """休 for a holiday, 班 for a make-up working day, "" otherwise (as on calendars)."""
        return {HOLIDAY: "休", MAKEUP: "班"}.get(self.kind, "")


@cache
def day_info(day: date) -> DayInfo:
    """What kind of day ``day`` is under the official calendar."""
    if day in HOLIDAYS:
        return DayInfo(day, HOLIDAY, HOLIDAYS[day])
    if day in MAKEUP_WORKDAYS:
        return DayInfo(day, MAKEUP, MAKEUP_WORKDAYS[day])
    return DayInfo(day, WEEKEND if day.weekday() >= 5 else WORKDAY)


def is_workday(day: date) -> bool:
    return day_info(day).is_workday


def is_known(year: int) -> bool:
    """Whether the official arrangement of ``year`` is in the table (not provisional)."""
    return year in _HOLIDAYS and year not in PROVISIONAL_YEARS


_MONTH = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month such as 2025-03 (the unit of attendance and subsidies)."""

    year: int
    month: int

    @classmethod
    def parse(cls, value: object) -> Month:
        """From "2025-03", "2025/3", "2025年3月", a Month or a date."""
        if isinstance(value, Month):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month)
        match = _MONTH.fullmatch(str(value or ""))
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 < int(match.group(1)) < 2100:
            raise ValidationError("月份格式不对，请写成 2025-03 这样的形式。", field="month")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, self.length)

    @property
    def length(self) -> int:
        return _length(self.year, self.month)

    def days(self) -> tuple[date, ...]:
        return _days(self.year, self.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)


@cache
def _length(year: int, month: int) -> int:
    return (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days


@cache
def _days(year: int, month: int) -> tuple[date, ...]:
    return tuple(date(year, month, d) for d in range(1, _length(year, month) + 1))


@cache
def month_days(month: Month) -> tuple[DayInfo, ...]:
    """Every day of ``month`` with its kind."""
    return tuple(day_info(d) for d in month.days())


def working_days(month: Month) -> list[date]:
    """The official working days of ``month``."""
    return [d.day for d in month_days(month) if d.is_workday]


def last_working_day(month: Month) -> date:
    return working_days(month)[-1]
