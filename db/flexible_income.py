"""灵活就业收入 of part-time post holders, and the exit worklist (§五(二)).

A 非全日制 post holder may also work flexibly; once that income passes the local
防止返贫监测 line the person should leave the post. The clerk enters the income month by
month; the months entered in the last twelve are annualized (monthly average × 12) and
compared with the line (a policy parameter, 元/年). The software proposes, the clerk
decides: exit (退岗) or keep, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import glossary, policy
from .errors import ValidationError
from .holidays import Month
from .placements import exit_placement, get_placement, list_placements
from .policy import format_money, parse_money, round_fen
from .records import insert_record, update_record
from .station import Station
from .validation.dates import parse_date
from .validation.masking import mask_id_number

WINDOW_MONTHS = 12


def record_income(station: Station, placement_id: str, month, amount, note: str = "") -> None:
    """Enter (or replace) one month's flexible income, in yuan, of a part-time holder."""
    month = Month.parse(month)
    placement = get_placement(station, placement_id)
    if placement["schedule"] != "part_time":
        raise ValidationError("只有非全日制岗位人员需要登记灵活就业收入。", field="amount")
    fen = parse_money(amount, "amount", "灵活就业收入")
    row_id = station.scalar("SELECT id FROM flexible_income WHERE placement_id = ? AND month = ? "
                            "AND deleted_at IS NULL", [placement_id, str(month)])
    fields = {"amount": fen, "note": " ".join(note.split())}
    if row_id:
        update_record(station, "flexible_income", row_id, fields)
    else:
        insert_record(station, "flexible_income",
                      {"placement_id": placement_id, "month": str(month), **fields})


def incomes(station: Station, placement_id: str) -> list[dict]:
    """The placement's entered incomes, newest month first."""
    return station.query("SELECT * FROM flexible_income WHERE placement_id = ? AND "
                         "deleted_at IS NULL ORDER BY month DESC", [placement_id])


@dataclass(frozen=True)
class ExitCandidate:
    """A part-time holder whose annualized flexible income passes the line."""

    placement_id: str
    person_id: str
    name: str
    id_number: str
    village: str
    post_name: str
    months: int
    total: int  # fen over the months entered
    annualized: int  # fen a year
    line: int  # fen a year
    explanation: str
    decision: str  # "" (pending), or "keep" once the clerk decided so for this month


def _window(month: Month) -> str:
    first = month
    for _ in range(WINDOW_MONTHS - 1):
        first = first.previous()
    return str(first)


def _explain(months: int, total: int, annualized: int, line: int) -> str:
    return (f"近 {months} 个月灵活就业收入共 {format_money(total)} 元，月均 "
            f"{format_money(round_fen(Decimal(total) / months))} 元，折合年收入 {format_money(annualized)} 元，"
            f"超过防止返贫监测收入线 {format_money(line)} 元/年，按规定应退出岗位")


def exit_worklist(station: Station, month, *, pending_only: bool = True) -> list[ExitCandidate]:
    """Part-time holders in post in ``month`` whose income passes the line."""
    month = Month.parse(month)
    line = policy.value(station, "income.monitoring_line", month.last)
    sums = {r[0]: (r[1], r[2]) for r in station.conn.execute(
        "SELECT placement_id, count(*), sum(amount) FROM flexible_income WHERE deleted_at "
        "IS NULL AND month BETWEEN ? AND ? GROUP BY placement_id", [_window(month), str(month)])}
    kept = {r[0] for r in station.conn.execute(
        "SELECT placement_id FROM income_review WHERE month = ? AND decision = 'keep' "
        "AND deleted_at IS NULL", [str(month)])}
    out = []
    for p in list_placements(station, month=month, current_only=True):
        if p["id"] not in sums or p["schedule"] != "part_time":
            continue
        months, total = sums[p["id"]]
        annualized = round_fen(Decimal(total) * WINDOW_MONTHS / months)
        if annualized <= line or (pending_only and p["id"] in kept):
            continue
        out.append(ExitCandidate(p["id"], p["person_id"], p["name"], p["id_number"],
                                 p["village"], p["post_name"], months, total, annualized, line,
                                 _explain(months, total, annualized, line),
                                 "keep" if p["id"] in kept else ""))
    return out


def decide(station: Station, placement_id: str, month, decision: str, note: str = "",
           exit_date=None) -> None:
    """The clerk's decision on a worklist entry: ``exit`` on ``exit_date`` or ``keep``."""
    month = Month.parse(month)
    if decision not in glossary.INCOME_DECISIONS:
        raise ValidationError("请选择退出岗位或暂不退岗。", field="decision")
    note = " ".join(note.split())
    if decision == "keep" and not note:
        raise ValidationError("暂不退岗时请写明理由。", field="note")
    if decision == "exit" and exit_date in (None, ""):
        raise ValidationError("请填写退岗日期。", field="exit_date")
    with station.atomic():
        insert_record(station, "income_review", {"placement_id": placement_id,
                      "month": str(month), "decision": decision, "note": note})
        if decision == "exit":
            exit_placement(station, placement_id, parse_date(exit_date), "income_over_line",
                           note)


def exit_notice(station: Station, placement_id: str, month, *, exit_date: date | None = None,
                full_numbers: bool = False) -> dict:
    """Plain data for the printed 退岗告知书 of a worklist entry."""
    month = Month.parse(month)
    matches = [c for c in exit_worklist(station, month, pending_only=False)
               if c.placement_id == placement_id]
    if not matches:
        raise ValidationError(f"此人{month.label}的灵活就业收入未超过防止返贫监测收入线。")
    c = matches[0]
    number = c.id_number if full_numbers else mask_id_number(c.id_number)
    return {"name": c.name, "id_number": number, "village": c.village,
            "post": c.post_name, "month_label": month.label, "explanation": c.explanation,
            "exit_date": exit_date, "notice_no": get_placement(station, placement_id)["notice_no"]}
