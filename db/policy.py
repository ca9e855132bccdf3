"""Policy parameters of the welfare posts, each value valid from an ``effective_from`` date.

The 站长 sets them in the app; later the county sends them down (``source="county"``).
A parameter's value on a day is the live row with the latest ``effective_from`` not after
that day, else the declared default. Money is kept in integer fen (分), hours as exact
decimal text, so no amount ever suffers float rounding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import glossary
from .errors import PermissionDenied, ValidationError
from .records import insert_record, update_record
from .station import Station
from .validation.dates import parse_date

MONEY, HOURS, INT, BOOL, GROUPS = "money", "hours", "int", "bool", "groups"


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its kind, default, bounds (in stored units) and unit text."""

    key: str
    label: str
    kind: str
    default: Any
    minimum: Any = None
    maximum: Any = None
    unit: str = ""


DECLARED = {p.key: p for p in (
    Parameter("hourly_min_wage", "小时最低工资标准", MONEY, 2100, 100, 20000, "元/小时"),
    Parameter("standard_hours.full_time", "全日制岗位月标准工时", HOURS, "174", 1, 300, "小时/月"),
    Parameter("standard_hours.part_time", "非全日制岗位月标准工时", HOURS, "60", 1, 300, "小时/月"),
    Parameter("absence.leave_free_days", "每月不扣补贴的请假天数", INT, 2, 0, 31, "天"),
    Parameter("absence.deduct_percent", "缺勤 1 天扣减日补贴的比例", INT, 100, 0, 300, "%"),
    Parameter("evaluation.unqualified_percent", "考核不合格当月补贴发放比例", INT, 0, 0, 100, "%"),
    Parameter("evaluation.excellent_bonus", "考核优秀当月奖励", MONEY, 0, 0, 1_000_000, "元"),
    Parameter("income.monitoring_line", "防止返贫监测收入线", MONEY, 760_000, 0, 100_000_000,
              "元/年"),
    Parameter("eligibility.groups", "安置对象人员类别", GROUPS,
              ["poverty_alleviated", "monitored", "low_income", "rural_disabled"]),
    Parameter("eligibility.one_per_household", "实行一户一岗", BOOL, True),
    Parameter("eligibility.min_age", "上岗最低年龄", INT, 16, 16, 30, "周岁"),
    Parameter("eligibility.max_age_male", "男性上岗年龄上限（0 为不限）", INT, 0, 0, 90, "周岁"),
    Parameter("eligibility.max_age_female", "女性上岗年龄上限（0 为不限）", INT, 0, 0, 90, "周岁"),
    Parameter("eligibility.max_term_months", "单次聘期上限（0 为不限）", INT, 12, 0, 120, "个月"),
    Parameter("eligibility.max_total_months", "累计在岗上限（0 为不限）", INT, 0, 0, 600, "个月"),
)}
SOURCES = ("station", "county")

# ------------------------------------------------------------------ units


def parse_money(raw: object, field: str = "amount", label: str = "金额") -> int:
    """Yuan as typed ("1,234.5", "800元", 800, Decimal) → integer fen; never negative."""
    text = str(raw if raw is not None else "").replace(",", "").replace("，", "")
    text = text.replace("元", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{label}应填写数字（元），例如 800 或 21.5。", field=field) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}应为不小于 0、最多两位小数的金额（元）。", field=field)
    return int(amount * 100)


def round_fen(value: Decimal | int) -> int:
    """An exact amount in fen rounded half up to a whole fen (四舍五入)."""
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(fen: int) -> str:
    """Integer fen → "1,234.00" (yuan with thousands separators)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def parse_hours(raw: object, field: str = "hours", label: str = "工时") -> Decimal:
    """Hours as typed ("3.5", 4, "2.25") → Decimal with at most two decimals, > 0."""
    try:
        hours = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError(f"{label}应填写数字（小时），例如 4 或 3.5。", field=field) from None
    if not hours.is_finite() or hours <= 0 or hours != hours.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}应为大于 0、最多两位小数的小时数。", field=field)
    return hours


def format_hours(hours: Decimal | str) -> str:
    """Decimal("3.50") → "3.5", Decimal("174.00") → "174"."""
    value = Decimal(str(hours)).normalize()
    return f"{value:f}"

# ------------------------------------------------------------- values


def parse_value(key: str, raw: object) -> Any:
    """Check and convert a value typed for ``key`` into its stored form."""
    param = _declared(key)
    if param.kind == MONEY:
        value = parse_money(raw, key, param.label)
    elif param.kind == HOURS:
        hours = parse_hours(raw, key, param.label)
        _check_bounds(param, hours)
        return format_hours(hours)
    elif param.kind == INT:
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ValidationError(f"{param.label}应填写整数。", field=key) from None
    elif param.kind == BOOL:
        return raw if isinstance(raw, bool) else str(raw).strip() in ("1", "是", "true", "True")
    else:
        return _parse_groups(param, raw)
    _check_bounds(param, value)
    return value


def _check_bounds(param: Parameter, value) -> None:
    low, high = param.minimum, param.maximum
    if low is not None and not low <= value <= high:
        shown = (format_money(low), format_money(high)) if param.kind == MONEY else (low, high)
        raise ValidationError(f"{param.label}应在 {shown[0]} 到 {shown[1]} {param.unit}之间。",
                              field=param.key)


def _parse_groups(param: Parameter, raw: object) -> list[str]:
    known = {**glossary.GROUP_FLAGS, "older": "大龄"}
    codes = list(raw) if isinstance(raw, list | tuple | set) else str(raw).replace("、", ",").split(",")
    by_label = {label: code for code, label in known.items()}
    out = []
    for item in (c.strip() for c in codes):
        code = by_label.get(item, item)
        if code not in known:
            raise ValidationError(f"人员类别“{item}”不正确。", field=param.key)
        if code not in out:
            out.append(code)
    if not out:
        raise ValidationError("请至少选择一类安置对象。", field=param.key)
    return [c for c in known if c in out]


def display_value(key: str, value: Any) -> str:
    """A stored value as the clerk reads it, with its unit."""
    param = _declared(key)
    if param.kind == MONEY:
        return f"{format_money(value)} {param.unit}"
    if param.kind == BOOL:
        return "是" if value else "否"
    if param.kind == GROUPS:
        return "、".join({**glossary.GROUP_FLAGS, "older": "大龄"}[c] for c in value)
    return f"{value} {param.unit}".strip()


def _declared(key: str) -> Parameter:
    if key not in DECLARED:
        raise ValidationError("没有这个政策参数。", field="key")
    return DECLARED[key]

# --------------------------------------------------------------- storage


def set_parameter(station: Station, key: str, value: object, effective_from, *,
                  source: str = "station", note: str = "") -> str:
    """Record that ``key`` is ``value`` from ``effective_from`` on; returns the row key.

    Only the 站长 sets parameters in the app; the county's (``source="county"``) come with
    sync. A second value for the same key and day replaces the first (audited).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown parameter source {source!r}")
    if source == "station" and not (station.account and station.account.is_head):
        raise PermissionDenied("只有站长可以修改政策参数。")
    stored = json.dumps(parse_value(key, value), ensure_ascii=False)
    day = parse_date(effective_from).isoformat()
    with station.atomic():
        row = station.conn.execute(
            "SELECT id FROM policy_parameter WHERE key = ? AND effective_from = ? "
            "AND deleted_at IS NULL", [key, day]).fetchone()
        fields = {"value": stored, "source": source, "note": note.strip()}
        if row:
            update_record(station, "policy_parameter", row[0], fields)
            return row[0]
        return insert_record(station, "policy_parameter",
                             {"key": key, "effective_from": day, **fields})


def history(station: Station, key: str | None = None) -> list[dict]:
    """Live parameter rows (newest first), each with ``value`` decoded and ``shown`` text."""
    sql = "SELECT * FROM policy_parameter WHERE deleted_at IS NULL"
    params: list = []
    if key:
        sql += " AND key = ?"
        params.append(key)
    rows = station.query(sql + " ORDER BY key, effective_from DESC", params)
    for row in rows:
        row["value"] = json.loads(row["value"])
        row["label"] = DECLARED[row["key"]].label if row["key"] in DECLARED else row["key"]
        row["shown"] = display_value(row["key"], row["value"]) if row["key"] in DECLARED else ""
    return rows


def _timeline(station: Station) -> list[tuple[str, str, Any]]:
    rows = station.conn.execute(
        "SELECT effective_from, key, value FROM policy_parameter WHERE deleted_at IS NULL "
        "ORDER BY effective_from").fetchall()
    return [(day, key, json.loads(value)) for day, key, value in rows if key in DECLARED]


def values_on(station: Station, day: date) -> dict[str, Any]:
    """Every parameter's value in force on ``day``."""
    values = {key: p.default for key, p in DECLARED.items()}
    for effective, key, value in _timeline(station):
        if effective <= day.isoformat():
            values[key] = value
    return values


def value(station: Station, key: str, on: date) -> Any:
    return values_on(station, on)[_declared(key).key]


@dataclass(frozen=True)
class Segment:
    """Days ``start``..``end`` (inclusive) during which ``values`` did not change."""

    start: date
    end: date
    values: dict

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "values": self.values}

    @classmethod
    def from_json(cls, data: dict) -> Segment:
        return cls(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]),
                   data["values"])


def segments(station: Station, first: date, last: date) -> list[Segment]:
    """The periods of ``first``..``last`` with constant parameters, in order."""
    changes = sorted({date.fromisoformat(d) for d, _k, _v in _timeline(station)
                      if first.isoformat() < d <= last.isoformat()})
    starts = [first, *changes]
    ends = [d - timedelta(days=1) for d in changes] + [last]
    return [Segment(s, e, values_on(station, s)) for s, e in zip(starts, ends, strict=True)]
