"""考勤: the month grid of post holders × days, pre-filled from the official calendar.

One ``attendance_line`` row per placement and month keeps the marks, one character per
day (``P`` 出勤, ``L`` 请假, ``A`` 缺勤, ``H`` 半天, space: none) and, for hourly posts,
the hours per day as a JSON list. A line that was never edited is not stored: the grid
shows it pre-filled (出勤 on every official working day in post, or the post's daily
hours). Every write is audited by the table's triggers. Once the 站长 approves a month
(db.subsidy.approve_month) it is locked: the lines are stored with their ``plan`` and
only the 站长's corrections (db.subsidy.correct_mark) change them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from . import glossary
from .errors import StationError, ValidationError
from .holidays import Month, month_days
from .placements import get_placement, list_placements
from .policy import format_hours, parse_hours
from .records import insert_record, update_record
from .station import Station
from .validation.dates import parse_date

MARK_CHARS = {"present": "P", "leave": "L", "absent": "A", "half": "H"}
CHAR_MARKS = {v: k for k, v in MARK_CHARS.items()}
NO_MARK = " "
# One plan character per day: official working day in post, rest day in post, not in post.
WORK, REST, OUT = "W", "R", "X"
MAX_HOURS = Decimal(24)


class MonthLockedError(StationError):
    """The month was approved by the 站长: only a correction may change it."""


@dataclass(frozen=True)
class Totals:
    """A line's sums: days planned, attended (半天 counts ½), on leave, absent, hours."""

    planned_days: int = 0
    present_days: Decimal = Decimal(0)
    leave_days: int = 0
    absent_days: int = 0
    half_days: int = 0
    unmarked_days: int = 0
    rest_days_worked: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)


@dataclass(frozen=True)
class GridRow:
    """One post holder's line of the month grid.

    ``plan`` has one character per day (``W`` working day in post, ``R`` rest day in post,
    ``X`` not in post); ``marks`` one code per day ("present", "leave", "absent", "half"
    or "" for none); ``hours`` one Decimal or None per day (hourly posts only).
    """

    placement_id: str
    person_id: str
    name: str
    id_number: str
    village: str
    post_id: str
    post_name: str
    schedule: str
    pay_basis: str
    monthly_hours: str | None
    subsidy_standard: int | None
    approved: bool
    plan: str
    marks: tuple[str, ...]
    hours: tuple[Decimal | None, ...]
    stored: bool
    totals: Totals

    @property
    def hourly(self) -> bool:
        return self.pay_basis == "hourly"

    def editable(self, index: int) -> bool:
        """Whether day ``index`` (0-based) may carry a mark: the person is in post."""
        return self.plan[index] != OUT


@dataclass(frozen=True)
class MonthStatus:
    month: Month
    approved: bool
    approved_by: str = ""
    approved_at: str = ""
    reopened_by: str = ""
    reopen_reason: str = ""


@dataclass(frozen=True)
class Grid:
    """People × days of one month (optionally one village), ready for a table model."""

    month: Month
    days: tuple  # holidays.DayInfo per day
    rows: list[GridRow]
    status: MonthStatus

    @property
    def locked(self) -> bool:
        return self.status.approved

    def row(self, placement_id: str) -> GridRow:
        for row in self.rows:
            if row.placement_id == placement_id:
                return row
        raise KeyError(placement_id)

# -------------------------------------------------------------- plan & lines


@cache
def _calendar_plan(month: Month) -> str:
    return "".join(WORK if d.is_workday else REST for d in month_days(month))


def plan_of(placement: dict, month: Month) -> str:
    """The plan string of a placement in ``month`` from the calendar and its time in post."""
    ends = [d for d in (placement.get("end_date"), placement.get("exit_date")) if d]
    return _plan(month, placement["start_date"], min(ends) if ends else None)


@lru_cache(maxsize=4096)
def _plan(month: Month, start: str, last: str | None) -> str:
    lo = max(0, (date.fromisoformat(start) - month.first).days)
    hi = month.length
    if last:
        hi = min(hi, (date.fromisoformat(last) - month.first).days + 1)
    if hi <= lo:
        return OUT * month.length
    return OUT * lo + _calendar_plan(month)[lo:hi] + OUT * (month.length - hi)


_PREFILL_MARKS = str.maketrans({WORK: "P", REST: NO_MARK, OUT: NO_MARK})


@lru_cache(maxsize=1024)
def _prefill_hours(plan: str, daily_hours: str) -> str:
    return json.dumps([daily_hours if c == WORK else None for c in plan])


def _prefill(placement: dict, plan: str) -> tuple[str, str]:
    """Marks and hours (JSON text, hourly posts) of a line nobody edited yet."""
    if placement["pay_basis"] == "hourly":
        return NO_MARK * len(plan), _prefill_hours(plan, placement["daily_hours"])
    return plan.translate(_PREFILL_MARKS), ""


def _decode_hours(text: str, length: int) -> list[str | None]:
    return json.loads(text) if text else [None] * length


def totals_of(plan: str, marks: str, hours: list[str | None] | None = None) -> Totals:
    """Sum a line over the days in post (``plan`` not ``X``); ``hours`` for hourly posts."""
    if hours is not None:
        worked = [Decimal(h) for i, h in enumerate(hours) if h is not None and plan[i] != OUT]
        return Totals(planned_days=plan.count(WORK), present_days=Decimal(len(worked)),
                      hours=sum(worked, Decimal(0)))
    counts = dict.fromkeys("PLAH ", 0)
    rest_worked = Decimal(0)
    for kind, mark in zip(plan, marks, strict=True):
        if kind == WORK:
            counts[mark] += 1
        elif kind == REST and mark in "PH":
            rest_worked += 1 if mark == "P" else Decimal("0.5")
    return Totals(planned_days=plan.count(WORK),
                  present_days=counts["P"] + Decimal(counts["H"]) / 2 + rest_worked,
                  leave_days=counts["L"], absent_days=counts["A"], half_days=counts["H"],
                  unmarked_days=counts[NO_MARK], rest_days_worked=rest_worked)


# Lines repeat (most people are present every working day): decode each pattern once.
@lru_cache(maxsize=8192)
def _daily_cells(plan: str, marks: str) -> tuple[tuple[str, ...], Totals]:
    visible = tuple(CHAR_MARKS.get(m, "") if k != OUT else "" for k, m in zip(plan, marks,
                                                                              strict=True))
    return visible, totals_of(plan, marks)


@lru_cache(maxsize=8192)
def _hourly_cells(plan: str, hours_text: str) -> tuple[tuple[Decimal | None, ...], Totals]:
    hours = _decode_hours(hours_text, len(plan))
    shown = tuple(Decimal(h) if h is not None and k != OUT else None
                  for k, h in zip(plan, hours, strict=True))
    return shown, totals_of(plan, NO_MARK * len(plan), hours)


def _grid_row(placement: dict, line: dict | None, month: Month) -> GridRow:
    plan = line["plan"] if line and line["plan"] else plan_of(placement, month)
    marks, hours_text = (line["marks"], line["hours"]) if line else _prefill(placement, plan)
    if placement["pay_basis"] == "hourly":
        hours, totals = _hourly_cells(plan, hours_text)
        visible = ("",) * len(plan)
    else:
        visible, totals = _daily_cells(plan, marks)
        hours = (None,) * len(plan)
    return GridRow(
        placement_id=placement["id"], person_id=placement["person_id"],
        name=placement["name"], id_number=placement["id_number"],
        village=placement["village"], post_id=placement["post_id"],
        post_name=placement["post_name"], schedule=placement["schedule"],
        pay_basis=placement["pay_basis"], monthly_hours=placement["monthly_hours"],
        subsidy_standard=placement["subsidy_standard"],
        approved=bool(placement["approved_at"]),
        plan=plan, marks=visible, hours=hours, stored=line is not None, totals=totals)


def _lines(station: Station, month: Month, placement_id: str | None = None
           ) -> dict[str, dict]:
    sql = ("SELECT id, placement_id, marks, hours, plan FROM attendance_line "
           "WHERE month = ? AND deleted_at IS NULL")
    params = [str(month)]
    if placement_id:
        sql += " AND placement_id = ?"
        params.append(placement_id)
    rows = station.conn.execute(sql, params).fetchall()
    return {r[1]: {"id": r[0], "marks": r[2], "hours": r[3], "plan": r[4]} for r in rows}


# -------------------------------------------------------------------- reads


def month_status(station: Station, month) -> MonthStatus:
    """Whether the month is approved (locked), by whom and when."""
    month = Month.parse(month)
    rows = station.query("SELECT * FROM attendance_month WHERE month = ? AND deleted_at IS NULL",
                         [str(month)])
    if not rows:
        return MonthStatus(month, False)
    r = rows[0]
    return MonthStatus(month, r["status"] == "approved", r["approved_by"], r["approved_at"],
                       r["reopened_by"] or "", r["reopen_reason"])


def approved_months(station: Station) -> list[Month]:
    """Every locked month, oldest first."""
    rows = station.conn.execute("SELECT month FROM attendance_month WHERE status = 'approved' "
                                "AND deleted_at IS NULL ORDER BY month").fetchall()
    return [Month.parse(r[0]) for r in rows]


def attendance_grid(station: Station, month, village: str | None = None) -> Grid:
    """The month grid: every placement in post during ``month`` (of ``village``'s posts)."""
    month = Month.parse(month)
    lines = _lines(station, month)
    rows = [_grid_row(p, lines.get(p["id"]), month)
            for p in list_placements(station, month=month, village=village)]
    return Grid(month, month_days(month), rows, month_status(station, month))


def grid_row(station: Station, placement_id: str, month) -> GridRow:
    """One line of the grid (after an edit, to refresh just that row)."""
    month = Month.parse(month)
    placement = _placement_in(station, placement_id, month)
    return _grid_row(placement, _lines(station, month, placement_id).get(placement_id), month)


def _placement_in(station: Station, placement_id: str, month: Month) -> dict:
    placement = get_placement(station, placement_id)
    if set(plan_of(placement, month)) == {OUT}:
        raise ValidationError(f"{placement['name']}{month.label}不在岗，不能记考勤。",
                              field="day")
    return placement


# ------------------------------------------------------------------- writes


# What a clerk may type for a mark: the code, its label (出勤) or its printed symbol (√).
_MARK_WORDS = {**{label: code for code, label in glossary.ATTENDANCE_MARKS.items()},
               **{symbol: code for code, symbol in glossary.MARK_SYMBOLS.items()}}


def _parse_mark(raw: object, placement: dict, plan_char: str, day: date
                ) -> tuple[str, str | None]:
    """A typed mark → (mark character, hours text) for this placement and day."""
    where = f"{placement['name']} {day.month}月{day.day}日"
    if plan_char == OUT:
        raise ValidationError(f"{where}不在岗，不能记考勤。", field="day")
    if raw in (None, ""):
        return NO_MARK, None
    if placement["pay_basis"] == "hourly":
        if str(raw).strip() in ("0", "0.0", "0.00"):
            return NO_MARK, None
        hours = parse_hours(raw, "hours", "工时")
        if hours > MAX_HOURS:
            raise ValidationError("一天的工时不能超过 24 小时。", field="hours")
        return NO_MARK, format_hours(hours)
    code = _MARK_WORDS.get(str(raw).strip(), raw)
    if code not in MARK_CHARS:
        raise ValidationError("考勤只能记出勤、请假、缺勤或半天。", field="mark")
    if plan_char == REST and code in ("leave", "absent"):
        raise ValidationError(f"{where}是休息日，只能记出勤或半天。", field="mark")
    return MARK_CHARS[code], None


def check_unlocked(station: Station, month: Month) -> None:
    if month_status(station, month).approved:
        raise MonthLockedError(f"{month.label}的考勤已经站长审核锁定，如需更正请由站长办理更正。")


def apply_marks(station: Station, changes: Iterable[tuple[str, object, object]]
                ) -> list[tuple[str, Month]]:
    """Write marks without the lock check (callers check it); all or nothing.

    ``changes`` are (placement_id, day, mark). Returns the (placement_id, month) lines
    changed.
    """
    staged: dict[tuple[str, Month], dict] = {}
    for placement_id, raw_day, raw in changes:
        day = parse_date(raw_day)
        month = Month.parse(day)
        key = (placement_id, month)
        if key not in staged:
            staged[key] = _load_line(station, placement_id, month)
        line = staged[key]
        mark, hours = _parse_mark(raw, line["placement"], line["plan"][day.day - 1], day)
        line["marks"][day.day - 1] = mark
        line["hours"][day.day - 1] = hours
    with station.atomic():
        for line in staged.values():
            _save_line(station, line)
    return list(staged)


def set_mark(station: Station, placement_id: str, day, mark) -> GridRow:
    """Set one day's mark (a code, its Chinese label, hours for hourly posts, or None to
    clear); returns the refreshed grid row. Refused once the month is approved."""
    day = parse_date(day)
    check_unlocked(station, Month.parse(day))
    apply_marks(station, [(placement_id, day, mark)])
    return grid_row(station, placement_id, Month.parse(day))


def set_marks(station: Station, changes: Iterable[tuple[str, object, object]]) -> int:
    """Set many marks at once — (placement_id, day, mark) each — in one transaction.

    Nothing is written if any change is refused. Returns the number of lines changed.
    """
    changes = list(changes)
    for month in {Month.parse(parse_date(day)) for _p, day, _m in changes}:
        check_unlocked(station, month)
    return len(apply_marks(station, changes))


def _load_line(station: Station, placement_id: str, month: Month) -> dict:
    placement = _placement_in(station, placement_id, month)
    stored = _lines(station, month, placement_id).get(placement_id)
    plan = stored["plan"] if stored and stored["plan"] else plan_of(placement, month)
    marks, hours = (stored["marks"], stored["hours"]) if stored else _prefill(placement, plan)
    return {"placement": placement, "month": month, "plan": plan, "stored": stored,
            "marks": list(marks), "hours": _decode_hours(hours, len(plan))}


def _save_line(station: Station, line: dict) -> None:
    hourly = line["placement"]["pay_basis"] == "hourly"
    fields = {"marks": "".join(line["marks"]),
              "hours": json.dumps(line["hours"]) if hourly else ""}
    stored = line["stored"]
    if stored is None:
        insert_record(station, "attendance_line", {
            "placement_id": line["placement"]["id"], "month": str(line["month"]), **fields})
    elif fields["marks"] != stored["marks"] or fields["hours"] != stored["hours"]:
        update_record(station, "attendance_line", stored["id"], fields)


def freeze(station: Station, grid: Grid) -> None:
    """Store every line of ``grid`` with its plan (at approval), inside the caller's
    transaction, so later calendar or placement edits cannot change a closed month."""
    lines = _lines(station, grid.month)
    for row in grid.rows:
        stored = lines.get(row.placement_id)
        if stored is None:
            marks = "".join(MARK_CHARS.get(m, NO_MARK) for m in row.marks)
            hours = [format_hours(h) if h is not None else None for h in row.hours]
            insert_record(station, "attendance_line", {
                "placement_id": row.placement_id, "month": str(grid.month), "marks": marks,
                "hours": json.dumps(hours) if row.hourly else "", "plan": row.plan})
        elif stored["plan"] != row.plan:
            update_record(station, "attendance_line", stored["id"], {"plan": row.plan})


def describe_mark(code: str, hours: Decimal | None = None) -> str:
    """A day's value in Chinese: 出勤 / 请假 / … / "3.5 小时" / "未记"."""
    if hours is not None:
        return f"{format_hours(hours)} 小时"
    return glossary.ATTENDANCE_MARKS.get(code, "未记")
