"""补贴: each post holder's monthly subsidy — previewed while the month is open, stored
when the 站长 approves it — and the 补贴发放表.

The rule is in db.subsidy_rules. Approving a month (站长) locks its attendance and stores
each result with the parameters used, so a closed month never changes when parameters
change later; only the 站长's corrections (audited, with a reason) recompute one
person's month with those same parameters, and a reopened month is approved again with
them unless the 站长 asks for fresh ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import attendance, glossary, policy
from .attendance import Grid, GridRow, attendance_grid
from .clock import now_iso, today
from .errors import NotFoundError, PermissionDenied, ValidationError
from .evaluation import apply_evaluations, evaluations
from .excel.writer import Column, write_table
from .holidays import Month, last_working_day
from .policy import Segment, format_hours, format_money
from .records import insert_record, update_record
from .station import Station
from .subsidy_rules import Computation, compute, compute_all, days_text
from .validation.dates import parse_date
from .validation.masking import mask_id_number

# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class SubsidyResult:
    """One post holder's subsidy for a month: stored (``final``) or a preview."""

    placement_id: str
    person_id: str
    name: str
    id_number: str
    village: str
    post_name: str
    schedule: str
    pay_basis: str
    totals: attendance.Totals
    evaluation: str
    amount: int
    explanation: str
    final: bool


def _result(row: GridRow, evaluation: str, computation: Computation, final: bool
            ) -> SubsidyResult:
    return SubsidyResult(row.placement_id, row.person_id, row.name, row.id_number, row.village,
                         row.post_name, row.schedule, row.pay_basis, row.totals, evaluation,
                         computation.amount, computation.explanation, final)


def _stored_segments(station: Station, month: Month) -> list[Segment] | None:
    text = station.scalar("SELECT parameters FROM attendance_month WHERE month = ? "
                          "AND deleted_at IS NULL", [str(month)])
    return [Segment.from_json(s) for s in json.loads(text)] if text else None


def _segments(station: Station, month: Month) -> list[Segment]:
    return _stored_segments(station, month) or policy.segments(station, month.first,
                                                                  month.last)


def month_results(station: Station, month, village: str | None = None
                  ) -> list[SubsidyResult]:
    """Every post holder's subsidy of ``month``: as stored once approved, else computed now
    (a reopened month with the parameters of its first approval, as approving it again
    would)."""
    month = Month.parse(month)
    grid = attendance_grid(station, month, village)
    results = evaluations(station, month)
    if grid.locked:
        stored = {r["placement_id"]: r for r in station.query(
            "SELECT placement_id, amount, explanation FROM subsidy_result WHERE month = ? "
            "AND deleted_at IS NULL", [str(month)])}
        return [_result(row, results.get(row.placement_id, {}).get("result", ""),
                        Computation(stored[row.placement_id]["amount"],
                                    stored[row.placement_id]["explanation"]), True)
                for row in grid.rows if row.placement_id in stored]
    computed = compute_all(grid, _segments(station, month), results)
    return [_result(row, results.get(row.placement_id, {}).get("result", ""),
                    computed[row.placement_id], False) for row in grid.rows]


# ------------------------------------------------------------- month close


def _require_head(station: Station, what: str) -> None:
    if not (station.account and station.account.is_head):
        raise PermissionDenied(f"只有站长可以{what}。")


def _names(rows: list, limit: int = 3) -> str:
    names = [r.name for r in rows[:limit]]
    return "、".join(names) + ("等" if len(rows) > limit else "")


def _refusals(grid: Grid, results: dict) -> str | None:
    pending = [r for r in grid.rows if not r.approved]
    if pending:
        return f"{_names(pending)} {len(pending)} 人的上岗尚未经站长审批，请先审批。"
    missing = [r for r in grid.rows if r.placement_id not in results]
    if missing:
        return f"{_names(missing)} {len(missing)} 人尚未填写{grid.month.label}考核结果，请先填写。"
    blank = [r for r in grid.rows if not r.hourly and r.totals.unmarked_days]
    if blank:
        return f"{_names(blank)} {len(blank)} 人有工作日未记考勤，请补记后再审核。"
    return None


@dataclass(frozen=True)
class MonthClose:
    month: Month
    people: int
    total: int  # fen


def approve_month(station: Station, month, *, on: date | None = None,
                  refresh_parameters: bool = False) -> MonthClose:
    """站长审核: lock ``month``, store each subsidy and the parameters used.

    Refused before the month's last working day, when a placement awaits approval, an
    evaluation or a working day's mark is missing. A month reopened earlier is approved
    again with the parameters of its first approval, unless ``refresh_parameters`` (the
    站长 reopened it because those parameters were wrong) takes today's values.
    """
    _require_head(station, "审核考勤")
    month = Month.parse(month)
    if attendance.month_status(station, month).approved:
        raise ValidationError(f"{month.label}的考勤已经审核过了。")
    end = last_working_day(month)
    if (on or today()) < end:
        raise ValidationError(f"{month.label}尚未结束，{end.month}月{end.day}日（最后一个工作日）"
                              "起才能审核。")
    grid = attendance_grid(station, month)
    if not grid.rows:
        raise ValidationError(f"{month.label}没有在岗人员，无需审核。")
    results = evaluations(station, month)
    refusal = _refusals(grid, results)
    if refusal:
        raise ValidationError(refusal)
    segments = (policy.segments(station, month.first, month.last) if refresh_parameters
                else _segments(station, month))
    computed = compute_all(grid, segments, results)
    with station.atomic():
        attendance.freeze(station, grid)
        station.conn.execute("UPDATE subsidy_result SET deleted_at = ?, updated_at = ?, "
                             "updated_by = ? WHERE month = ? AND deleted_at IS NULL",
                             [now_iso(), now_iso(), station.actor, str(month)])
        for placement_id, c in computed.items():
            insert_record(station, "subsidy_result", {
                "placement_id": placement_id, "month": str(month), "amount": c.amount,
                "explanation": c.explanation,
                "details": json.dumps(c.details, ensure_ascii=False)})
        _mark_approved(station, month, segments)
    return MonthClose(month, len(computed), sum(c.amount for c in computed.values()))


def _mark_approved(station: Station, month: Month, segments: list[Segment]) -> None:
    row_id = station.scalar("SELECT id FROM attendance_month WHERE month = ? "
                            "AND deleted_at IS NULL", [str(month)])
    fields = {"status": "approved", "approved_at": now_iso(), "approved_by": station.actor,
              "parameters": json.dumps([s.to_json() for s in segments], ensure_ascii=False)}
    if row_id:
        update_record(station, "attendance_month", row_id, fields)
    else:
        insert_record(station, "attendance_month", {**fields, "month": str(month)})


def reopen_month(station: Station, month, reason: str) -> None:
    """站长 reopens an approved month (audited with ``reason``); its stored subsidies are
    withdrawn until it is approved again."""
    _require_head(station, "重新打开已审核的月份")
    month = Month.parse(month)
    if not attendance.month_status(station, month).approved:
        raise ValidationError(f"{month.label}尚未审核，无需重新打开。")
    reason = _reason(reason)
    row_id = station.scalar("SELECT id FROM attendance_month WHERE month = ? "
                            "AND deleted_at IS NULL", [str(month)])
    with station.atomic():
        update_record(station, "attendance_month", row_id, {
            "status": "reopened", "reopened_at": now_iso(), "reopened_by": station.actor,
            "reopen_reason": reason})
        station.conn.execute("UPDATE attendance_line SET plan = '', updated_at = ?, "
                             "updated_by = ? WHERE month = ? AND deleted_at IS NULL",
                             [now_iso(), station.actor, str(month)])
        station.conn.execute("UPDATE subsidy_result SET deleted_at = ?, updated_at = ?, "
                             "updated_by = ? WHERE month = ? AND deleted_at IS NULL",
                             [now_iso(), now_iso(), station.actor, str(month)])
        insert_record(station, "attendance_correction", {
            "month": str(month), "kind": "reopen", "reason": reason})


def _reason(reason: str) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError("请填写更正原因。", field="reason")
    return reason


def _locked_month(station: Station, month: Month) -> None:
    if not attendance.month_status(station, month).approved:
        raise ValidationError(f"{month.label}尚未审核，请直接修改，无需更正。")


def _recompute(station: Station, placement_id: str, month: Month) -> SubsidyResult:
    row = attendance.grid_row(station, placement_id, month)
    result = evaluations(station, month)[placement_id]["result"]
    computed = compute(row, month, _segments(station, month), result)
    stored_id = station.scalar("SELECT id FROM subsidy_result WHERE month = ? AND "
                               "placement_id = ? AND deleted_at IS NULL",
                               [str(month), placement_id])
    if stored_id is None:
        raise NotFoundError("找不到该月的补贴记录。")
    update_record(station, "subsidy_result", stored_id, {
        "amount": computed.amount, "explanation": computed.explanation,
        "details": json.dumps(computed.details, ensure_ascii=False)})
    return _result(row, result, computed, True)


def correct_mark(station: Station, placement_id: str, day, mark, reason: str
                 ) -> SubsidyResult:
    """站长更正 one day of an approved month; the person's subsidy is recomputed with the
    month's stored parameters. Returns the new result."""
    _require_head(station, "更正已审核的考勤")
    day = parse_date(day)
    month = Month.parse(day)
    _locked_month(station, month)
    reason = _reason(reason)
    before = attendance.grid_row(station, placement_id, month)
    old = attendance.describe_mark(before.marks[day.day - 1], before.hours[day.day - 1])
    with station.atomic():
        attendance.apply_marks(station, [(placement_id, day, mark)])
        after = attendance.grid_row(station, placement_id, month)
        insert_record(station, "attendance_correction", {
            "month": str(month), "placement_id": placement_id, "day": day.isoformat(),
            "kind": "mark", "old_value": old, "reason": reason,
            "new_value": attendance.describe_mark(after.marks[day.day - 1],
                                                  after.hours[day.day - 1])})
        return _recompute(station, placement_id, month)


def correct_evaluation(station: Station, placement_id: str, month, result: str,
                       notes: str, reason: str) -> SubsidyResult:
    """站长更正 an approved month's evaluation; the subsidy is recomputed."""
    _require_head(station, "更正已审核的考核结果")
    month = Month.parse(month)
    _locked_month(station, month)
    reason = _reason(reason)
    old = evaluations(station, month).get(placement_id, {}).get("result", "")
    with station.atomic():
        apply_evaluations(station, month, [(placement_id, result, notes)])
        insert_record(station, "attendance_correction", {
            "month": str(month), "placement_id": placement_id, "kind": "evaluation",
            "old_value": glossary.EVALUATION_RESULTS.get(old, ""),
            "new_value": glossary.EVALUATION_RESULTS[result], "reason": reason})
        return _recompute(station, placement_id, month)


def corrections(station: Station, month) -> list[dict]:
    """The corrections and reopenings of ``month``, oldest first, with who made them."""
    return station.query("SELECT c.*, p.name FROM attendance_correction c LEFT JOIN placement pl "
                         "ON pl.id = c.placement_id LEFT JOIN person p ON p.id = pl.person_id "
                         "WHERE c.month = ? ORDER BY c.created_at, c.id",
                         [str(Month.parse(month))])


# ---------------------------------------------------------------- pay sheet

PAY_COLUMNS = [("number", "序号"), ("name", "姓名"), ("id_number", "公民身份号码"),
               ("village", "村"), ("post", "岗位"), ("planned", "应出勤"),
               ("present", "出勤"), ("leave", "请假"), ("absent", "缺勤"),
               ("evaluation", "考核"), ("amount", "补贴金额（元）"),
               ("explanation", "计算方法")]


@dataclass(frozen=True)
class PaySheet:
    """The 补贴发放表 (or its 公示 version) of a month, display-ready for print or Excel."""

    title: str
    month: Month
    status_text: str
    approved: bool
    public: bool
    rows: list[dict]
    total: int  # fen

    @property
    def total_text(self) -> str:
        return format_money(self.total)


def _pay_row(number: int, r: SubsidyResult, full_numbers: bool) -> dict:
    t = r.totals
    hours = f"{format_hours(t.hours)} 小时" if r.pay_basis == "hourly" else ""
    return {
        "number": number, "name": r.name,
        "id_number": r.id_number if full_numbers else mask_id_number(r.id_number),
        "village": r.village, "post": r.post_name, "planned": t.planned_days,
        "present": hours or days_text(t.present_days), "leave": t.leave_days or "",
        "absent": days_text(t.absent_days + Decimal(t.half_days) / 2) if not hours else "",
        "evaluation": glossary.EVALUATION_RESULTS.get(r.evaluation, "未考核"),
        "amount": format_money(r.amount), "amount_fen": r.amount,
        "explanation": r.explanation,
    }


def pay_sheet(station: Station, month, *, public: bool = False, full_numbers: bool = False,
              village: str | None = None) -> PaySheet:
    """The month's pay sheet; ``public`` makes the 公示 version (ID numbers always masked)."""
    month = Month.parse(month)
    results = month_results(station, month, village)
    status = attendance.month_status(station, month)
    if status.approved:
        who = station.scalar("SELECT display_name FROM account WHERE username = ?",
                             [status.approved_by]) or status.approved_by
        text = f"已审核（{who}，{status.approved_at[:10]}）"
    else:
        text = "未审核，仅供核对"
    kind = "pay_public" if public else "pay"
    rows = [_pay_row(i, r, full_numbers and not public) for i, r in enumerate(results, 1)]
    return PaySheet(f"{month.label}{glossary.WELFARE_DOCUMENTS[kind]}", month, text,
                    status.approved, public, rows, sum(r.amount for r in results))


def export_pay_sheet(station: Station, month, out, *, full_numbers: bool = False) -> PaySheet:
    """Write the month's pay sheet to an .xlsx (amounts as numbers in yuan)."""
    sheet = pay_sheet(station, month, full_numbers=full_numbers)
    columns = [Column(k, label, WIDTHS.get(k), k == "id_number") for k, label in PAY_COLUMNS]
    rows = [{**r, "amount": Decimal(r["amount_fen"]) / 100} for r in sheet.rows]
    rows.append({"name": "合计", "amount": Decimal(sheet.total) / 100,
                 "explanation": f"共 {len(sheet.rows)} 人"})
    write_table(out, title=sheet.title, columns=columns, rows=_excel_numbers(rows),
                subtitle=f"{sheet.status_text}　共 {len(sheet.rows)} 人　"
                         f"合计 {sheet.total_text} 元",
                sheet_name=sheet.month.label)
    return sheet


WIDTHS = {"number": 6, "id_number": 22, "explanation": 60, "amount": 14}


def _excel_numbers(rows: list[dict]) -> list[dict]:
    """Excel keeps numbers as binary floats; two-decimal yuan survive that exactly enough
    to display and sum, and the fen stay exact in the station file."""
    return [{**r, "amount": float(r["amount"])} for r in rows]
