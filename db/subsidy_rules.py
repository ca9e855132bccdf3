"""The subsidy rule itself: one grid line + the month's parameter segments → amount (fen)
and the Chinese sentence saying how it was reached. Pure: no station, no storage.

- 月标准 = 岗位月补贴标准, or 小时最低工资 × 月标准工时 (the post's own monthly hours, or
  the standard hours of its 全日制/非全日制 schedule);
- 日补贴 = 月标准 ÷ the month's official working days, rounded to the fen;
- a whole month in post earns the 月标准; part of a month earns 日补贴 × days planned;
- 缺勤 deducts 日补贴 × the deduction percentage per day (半天 counts as half a day
  absent; a working day left unmarked counts as absent); 请假 beyond the free days of the
  month deducts 日补贴 per day; work on rest days earns nothing extra;
- hourly posts earn 小时最低工资 × hours (beyond the post's monthly hours not paid);
- 不合格 pays the month at the evaluation percentage, 优秀 adds the bonus.

Money-rate parameters (wage, standard hours) apply day by day, so a change in the middle of
a month splits it into periods; the deduction and evaluation rules are those in force on
the month's last day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from . import glossary
from .attendance import OUT, WORK, Grid, GridRow
from .holidays import Month, working_days
from .policy import Segment, format_hours, format_money, round_fen


def _yuan(fen: int) -> str:
    return f"{format_money(fen)} 元"


def days_text(value: Decimal) -> str:
    """A day count such as 2, 1.5 or 0."""
    return format_hours(value) if value else "0"


@dataclass(frozen=True)
class Computation:
    """The amount (fen), how it was reached (Chinese) and the figures behind it."""

    amount: int
    explanation: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Period:
    """Consecutive days paid at one rate (a run of equal parameter segments)."""

    first: date
    last: date
    rate: int  # 月标准 (daily posts) or hourly wage (hourly posts), fen
    text: str

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last

    def label(self) -> str:
        return f"{self.first.month}月{self.first.day}日–{self.last.month}月{self.last.day}日"


def _standard(row: GridRow, values: dict) -> tuple[int, str]:
    if row.subsidy_standard is not None:
        return row.subsidy_standard, f"岗位月补贴标准 {_yuan(row.subsidy_standard)}"
    wage = values["hourly_min_wage"]
    if row.monthly_hours:
        hours, label = Decimal(row.monthly_hours), "岗位月工时"
    else:
        hours = Decimal(values[f"standard_hours.{row.schedule}"])
        label = f"{glossary.POST_SCHEDULES[row.schedule]}月标准工时"
    standard = round_fen(wage * hours)
    return standard, (f"小时最低工资 {_yuan(wage)} × {label} {format_hours(hours)} 小时 = "
                      f"月标准 {_yuan(standard)}")


def _periods(row: GridRow, segments: list[Segment]) -> list[_Period]:
    periods: list[_Period] = []
    for seg in segments:
        if row.hourly:
            rate = seg.values["hourly_min_wage"]
            text = f"小时最低工资 {_yuan(rate)}"
        else:
            rate, text = _standard(row, seg.values)
        if periods and periods[-1].rate == rate:
            periods[-1] = _Period(periods[-1].first, seg.end, rate, periods[-1].text)
        else:
            periods.append(_Period(seg.start, seg.end, rate, text))
    return periods


@lru_cache(maxsize=256)
def _period_index(month: Month, periods: tuple[_Period, ...]) -> tuple[int, ...]:
    """For each day of the month, the index of the period it falls in."""
    return tuple(next(i for i, p in enumerate(periods) if p.holds(d)) for d in month.days())


def _joined(periods: list[_Period], texts: list[str]) -> str:
    if len(periods) == 1:
        return texts[0]
    return "，".join(f"{p.label()} {t}" for p, t in zip(periods, texts, strict=True))


def _evaluation(net: int, result: str, rules: dict) -> tuple[int, str, str]:
    """Apply the evaluation rule: (amount, clause, formula suffix)."""
    if result == "unqualified":
        percent = rules["evaluation.unqualified_percent"]
        amount = round_fen(Decimal(net) * percent / 100)
        return amount, f"考核不合格，按 {percent}% 发放", f" × {percent}%"
    if result == "excellent":
        bonus = rules["evaluation.excellent_bonus"]
        if bonus:
            return net + bonus, f"考核优秀，奖励 {_yuan(bonus)}", f" + {format_money(bonus)}"
        return net, "考核优秀", ""
    if result == "qualified":
        return net, "考核合格", ""
    return net, "尚未考核，暂按合格计", ""


def _daily(row: GridRow, month: Month, periods: list[_Period], rules: dict
           ) -> tuple[int, list[str], list[str], dict]:
    """Gross minus deductions of a day-marked post: (net, clauses, formula terms, details)."""
    workdays = len(working_days(month))
    daily = [round_fen(Decimal(p.rate) / workdays) for p in periods]
    period_of = _period_index(month, tuple(periods))
    planned = [0] * len(periods)
    for i, kind in enumerate(row.plan):
        if kind == WORK:
            planned[period_of[i]] += 1
    clauses = [_joined(periods, [p.text for p in periods]),
               f"当月工作日 {workdays} 天，日补贴 " + " / ".join(_yuan(d) for d in daily)]
    if len(periods) == 1 and planned[0] == workdays:
        gross = periods[0].rate
        clauses.append(f"应出勤 {workdays} 天")
    else:
        gross = sum(d * n for d, n in zip(daily, planned, strict=True))
        parts = " + ".join(f"{format_money(d)} 元 × {n} 天" for d, n in
                           zip(daily, planned, strict=True) if n)
        clauses.append(f"在岗应出勤 {sum(planned)} 天，{parts or '0 天'} = {_yuan(gross)}")
    t = row.totals
    clauses[-1] += f"，出勤 {days_text(t.present_days - t.rest_days_worked)} 天"
    if t.rest_days_worked:
        clauses[-1] += f"，休息日出勤 {days_text(t.rest_days_worked)} 天（不另计补贴）"
    terms = [format_money(gross)]
    absence, leave, details = _deductions(row, period_of, daily, rules, clauses, terms)
    net = max(0, gross - absence - leave)
    details.update(gross=gross, daily=daily, workdays=workdays, planned_days=sum(planned))
    return net, clauses, terms, details


def _deductions(row: GridRow, period_of: list[int], daily: list[int], rules: dict,
                clauses: list[str], terms: list[str]) -> tuple[int, int, dict]:
    free = rules["absence.leave_free_days"]
    percent = rules["absence.deduct_percent"]
    absent_units, leave_over, leave_seen = Decimal(0), 0, 0
    counts = {"absent": 0, "half": 0, "": 0}
    for i, kind in enumerate(row.plan):
        if kind != WORK:
            continue
        mark = row.marks[i]
        rate = daily[period_of[i]]
        if mark in ("absent", "half", ""):
            counts[mark] += 1
            absent_units += rate * (Decimal("0.5") if mark == "half" else 1)
        elif mark == "leave":
            leave_seen += 1
            if leave_seen > free:
                leave_over += rate
    absence = round_fen(absent_units * percent / 100)
    equivalent = counts["absent"] + counts[""] + Decimal(counts["half"]) / 2
    if equivalent:
        named = [f"{label} {counts[k]} 天" for k, label in
                 (("absent", "缺勤"), ("half", "半天"), ("", "未记考勤（按缺勤计）")) if counts[k]]
        rate_text = (f"{format_money(daily[0])} 元 × {days_text(equivalent)}"
                     if len(set(daily)) == 1 else "各日日补贴合计")
        pct_text = f" × {percent}%" if percent != 100 else ""
        fold = f"折合缺勤 {days_text(equivalent)} 天，" if counts["half"] or len(named) > 1 else ""
        clauses.append(f"{'、'.join(named)}，{fold}扣 {rate_text}{pct_text} = {_yuan(absence)}")
        terms.append(f"- {format_money(absence)}")
    if leave_seen:
        if leave_over:
            extra = leave_seen - free
            clauses.append(f"请假 {leave_seen} 天，超出每月 {free} 天的 {extra} 天扣 "
                           f"{_yuan(leave_over)}")
            terms.append(f"- {format_money(leave_over)}")
        else:
            clauses.append(f"请假 {leave_seen} 天（每月 {free} 天内不扣）")
    details = {"absence_deduction": absence, "leave_deduction": leave_over,
               "absent_days": counts["absent"], "half_days": counts["half"],
               "unmarked_days": counts[""], "leave_days": leave_seen}
    return absence, leave_over, details


def _hourly(row: GridRow, month: Month, periods: list[_Period]
            ) -> tuple[int, list[str], list[str], dict]:
    cap = Decimal(row.monthly_hours) if row.monthly_hours else None
    paid = [Decimal(0)] * len(periods)
    total, unpaid = Decimal(0), Decimal(0)
    period_of = _period_index(month, tuple(periods))
    for i, hours in enumerate(row.hours):
        if hours is None or row.plan[i] == OUT:
            continue
        room = hours if cap is None else max(Decimal(0), min(hours, cap - total))
        total += hours
        unpaid += hours - room
        paid[period_of[i]] += room
    amounts = [round_fen(p.rate * h) for p, h in zip(periods, paid, strict=True)]
    gross = sum(amounts)
    texts = [f"{p.text} × {format_hours(h)} 小时 = {_yuan(a)}" if h else f"{p.text} × 0 小时"
             for p, h, a in zip(periods, paid, amounts, strict=True)]
    clauses = [f"实际工时 {format_hours(total)} 小时", _joined(periods, texts)]
    if unpaid:
        clauses.append(f"超出岗位月工时 {format_hours(cap)} 小时的 {format_hours(unpaid)} 小时不计")
    details = {"gross": gross, "hours": format_hours(total), "unpaid_hours": format_hours(unpaid)}
    return gross, clauses, [format_money(gross)], details


def compute(row: GridRow, month: Month, segments: list[Segment], evaluation: str
            ) -> Computation:
    """The subsidy of one grid line under the parameter ``segments`` of the month."""
    month = Month.parse(month)
    rules = segments[-1].values
    periods = _periods(row, segments)
    if row.plan.count(WORK) == 0 and not any(h for h in row.hours) and \
            not row.totals.rest_days_worked:
        return Computation(0, "本月在岗期间没有应出勤的工作日，补贴 0.00 元",
                           {"gross": 0, "evaluation": evaluation})
    if row.hourly:
        net, clauses, terms, details = _hourly(row, month, periods)
    else:
        net, clauses, terms, details = _daily(row, month, periods, rules)
    amount, clause, suffix = _evaluation(net, evaluation, rules)
    clauses.append(clause)
    if len(terms) == 1 and not suffix:
        clauses.append(f"应发 {_yuan(amount)}")
    else:
        formula = " ".join(terms)
        if len(terms) > 1 and suffix.startswith(" ×"):
            formula = f"（{formula}）"
        clauses.append(f"{formula}{suffix} = {_yuan(amount)}")
    details.update(evaluation=evaluation, amount=amount)
    return Computation(amount, "；".join(clauses), details)


def compute_all(grid: Grid, segments: list[Segment], results: dict) -> dict[str, Computation]:
    """Every line of ``grid`` computed; equal lines (the usual full month) only once."""
    done: dict[tuple, Computation] = {}
    out = {}
    for row in grid.rows:
        result = results.get(row.placement_id, {}).get("result", "")
        key = (row.plan, row.marks, row.hours, row.schedule, row.pay_basis, row.monthly_hours,
               row.subsidy_standard, result)
        if key not in done:
            done[key] = compute(row, grid.month, segments, result)
        out[row.placement_id] = done[key]
    return out
