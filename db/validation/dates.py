"""Dates typed by clerks or read from Excel/WPS, and ages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..errors import ValidationError
from .idcard import as_text, squeeze, to_half_width

FIELD = "date"
MIN_YEAR = 1900
MAX_YEAR = 2100

# Excel's 1900 date system counts 1900-02-29 (serial 60), a day that never was.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_MAX_SERIAL = (date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days

_SEPARATED = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_CHINESE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_SERIAL = re.compile(r"[0-9]{1,7}(\.[0-9]*)?")
_TIME_SUFFIX = re.compile(r"(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*$")

_GENERAL = "日期格式不对，请写成2026-03-01或2026年3月1日这样的形式。"


def _refuse(message: str) -> ValidationError:
    """A ValidationError for a date field."""
    return ValidationError(message, field=FIELD)


def _make_date(year: int, month: int, day: int) -> date:
    """A real date within MIN_YEAR..MAX_YEAR, or a refusal naming what is wrong."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _refuse(f"日期的年份{year}不在{MIN_YEAR}年到{MAX_YEAR}年之间，请检查。")
    try:
        return date(year, month, day)
    except ValueError:
        raise _refuse(f"日期{year}年{month}月{day}日不存在，请检查。") from None


def _from_excel_serial(serial: float) -> date:
    """The date of an Excel serial number (1900 date system; a time fraction is dropped)."""
    if not 1 <= serial < _EXCEL_MAX_SERIAL + 1:  # also refuses NaN and infinities
        raise _refuse("这个数字不是有效的Excel日期，请写成2026-03-01或2026年3月1日这样的形式。")
    days = int(serial)
    if days == _EXCEL_FAKE_LEAP_DAY:
        raise _refuse("日期1900年2月29日不存在，请检查。")
    if days < _EXCEL_FAKE_LEAP_DAY:
        days += 1  # before the phantom leap day serials are one day behind
    return _EXCEL_EPOCH + timedelta(days=days)


def _from_text(text: str) -> date:
    """Parse one of the written forms (or an Excel serial written as text)."""
    for pattern, groups in ((_SEPARATED, (1, 3, 4)), (_CHINESE, (1, 2, 3)),
                            (_COMPACT, (1, 2, 3))):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(match.group(g)) for g in groups)
            return _make_date(year, month, day)
    if _SERIAL.fullmatch(text):
        return _from_excel_serial(float(text))
    raise _refuse(_GENERAL)


def parse_date(raw: object) -> date:
    """A date from text (2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301), an Excel
    serial number (46082 → 2026-03-01), or a date/datetime; ValidationError(field="date")
    otherwise."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise _refuse(_GENERAL)
    if isinstance(raw, int | float):
        return _from_excel_serial(raw)
    text = to_half_width(as_text(raw)).strip()
    text = squeeze(_TIME_SUFFIX.sub("", text))  # "2026-03-01 08:30:00" keeps its date
    if not text:
        raise _refuse("请填写日期。")
    return _from_text(text)


def age_on(birth: date, on: date) -> int:
    """Age in completed years (周岁) on ``on``; a 29 February birthday counts from 1 March
    in common years. Negative when ``on`` is before ``birth``."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years
