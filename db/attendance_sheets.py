"""The printed 月度考勤表: one numbered sheet per village, with a QR code, so the paper the
village signs can be matched with the record (``find_sheet``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from . import glossary, settings
from .attendance import OUT, REST, GridRow, attendance_grid
from .errors import ValidationError
from .holidays import Month
from .policy import format_hours
from .records import insert_record, next_sequence
from .station import Station


@dataclass(frozen=True)
class SheetRow:
    """One person's line on the printed sheet: cell texts and shading per day."""

    name: str
    post: str
    cells: tuple[str, ...]
    shading: tuple[str, ...]  # "rest", "out" or "" per day
    planned: str
    present: str
    leave: str
    absent: str


@dataclass(frozen=True)
class AttendanceSheet:
    """A numbered monthly sheet of one village, as printed for signatures."""

    sheet_no: str
    qr_text: str
    month_label: str
    village: str
    approved: bool
    days: tuple[tuple[int, str, str, bool], ...]  # day, weekday, 休/班 note, rest day
    rows: list[SheetRow]
    legend: str


LEGEND = ("√ 出勤　假 请假　× 缺勤　半 半天　数字为按小时计岗位的工时；"
          "灰色为休息日或不在岗；表头“休”为法定节假日，“班”为调休上班日")


def _sheet_row(row: GridRow) -> SheetRow:
    cells, shading = [], []
    for i, kind in enumerate(row.plan):
        if row.hourly:
            hours = row.hours[i]
            cells.append(format_hours(hours) if hours is not None else "")
        else:
            cells.append(glossary.MARK_SYMBOLS.get(row.marks[i], ""))
        shading.append({OUT: "out", REST: "rest"}.get(kind, ""))
    t = row.totals
    absent = t.absent_days + Decimal(t.half_days) / 2
    return SheetRow(
        row.name, row.post_name, tuple(cells), tuple(shading), str(t.planned_days),
        f"{format_hours(t.hours)}时" if row.hourly else _number(t.present_days),
        "" if row.hourly else _number(t.leave_days),
        "" if row.hourly else _number(absent))


def _number(value) -> str:
    return format_hours(value) if value else "0"


def _sheet_number(station: Station, month: Month) -> str:
    seq = next_sequence(station, f"attendance_sheet.{month.year}{month.month:02d}")
    return f"KQ{month.year}{month.month:02d}{seq:03d}"


def _issue(station: Station, month: Month, village: str, ids: list[str]) -> str:
    key = json.dumps(sorted(ids))
    existing = station.scalar("SELECT sheet_no FROM attendance_sheet WHERE month = ? AND "
                              "village = ? AND placement_ids = ? AND deleted_at IS NULL",
                              [str(month), village, key])
    if existing:
        return existing
    sheet_no = _sheet_number(station, month)
    insert_record(station, "attendance_sheet", {"sheet_no": sheet_no, "month": str(month),
                                                "village": village, "placement_ids": key})
    return sheet_no


def issue_sheets(station: Station, month, village: str | None = None
                 ) -> list[AttendanceSheet]:
    """The printable sheets of ``month``, one per village with post holders.

    Each sheet gets a number (kept in ``attendance_sheet``; printing the same people again
    reuses it) and QR text, so the signed paper can be matched with the record.
    """
    month = Month.parse(month)
    grid = attendance_grid(station, month, village)
    code = settings.get(station, "station.code")
    by_village: dict[str, list[GridRow]] = {}
    for row in grid.rows:
        by_village.setdefault(row.village, []).append(row)
    days = tuple((d.day.day, d.weekday, d.note, not d.is_workday) for d in grid.days)
    sheets = []
    with station.atomic():
        for name, rows in by_village.items():
            sheet_no = _issue(station, month, name, [r.placement_id for r in rows])
            sheets.append(AttendanceSheet(
                sheet_no, f"JOBSTATION|KQ|{code}|{sheet_no}|{month}|{name}", month.label,
                name, grid.locked, days, [_sheet_row(r) for r in rows], LEGEND))
    return sheets


def find_sheet(station: Station, sheet_no: str) -> dict:
    """The month, village and placements of a printed sheet (typed or scanned number)."""
    rows = station.query("SELECT * FROM attendance_sheet WHERE sheet_no = ? AND "
                         "deleted_at IS NULL", [sheet_no.strip().upper()])
    if not rows:
        raise ValidationError(f"没有编号为 {sheet_no} 的考勤表。", field="sheet_no")
    return {**rows[0], "placement_ids": json.loads(rows[0]["placement_ids"])}
