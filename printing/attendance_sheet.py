"""月度考勤表: one numbered sheet per village, pre-filled, for signatures (A4 landscape).

Every physical page is a complete form: title, month, village, sheet number and page
("第 1 张 / 共 2 张"), a QR code carrying the sheet number so the signed paper can be
matched with the record, the people × days grid, the legend and the signature lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from .layout import PageContext, build_pdf, markup, qr_flowable, signature_line
from .styles import GRID_COLOR, HEADER_BG

TITLE = "乡村公益性岗位月度考勤表"
ROWS_PER_PAGE = 15
ROW_HEIGHT = 7.2 * mm
HEADER_HEIGHT = 10 * mm
FONT_SIZE = 7.5
FIXED = [("序号", 7 * mm), ("姓名", 15 * mm), ("岗位", 21 * mm)]
TOTALS = [("应出勤", 8.5 * mm), ("出勤", 9.5 * mm), ("请假", 7.5 * mm), ("缺勤", 7.5 * mm)]
SIGN = ("本人签字", 19 * mm)
REST_BG = colors.HexColor("#E6E6E6")
OUT_BG = colors.HexColor("#B8B8B8")


class SheetRowLike(Protocol):
    name: str
    post: str
    cells: Sequence[str]
    shading: Sequence[str]  # "rest", "out" or "" per day
    planned: str
    present: str
    leave: str
    absent: str


class SheetLike(Protocol):
    """What a sheet must offer (db.attendance_sheets.AttendanceSheet does)."""

    sheet_no: str
    qr_text: str
    month_label: str
    village: str
    approved: bool
    days: Sequence[tuple[int, str, str, bool]]  # day, weekday, 休/班 note, rest day
    rows: Sequence[SheetRowLike]
    legend: str


def _header(sheet: SheetLike) -> list[str]:
    days = [f"{d}\n{w}" + (f"\n{note}" if note else "") for d, w, note, _rest in sheet.days]
    return [label for label, _w in FIXED] + days + [label for label, _w in TOTALS] + [SIGN[0]]


def _widths(ctx: PageContext, days: int) -> list[float]:
    fixed = sum(w for _l, w in FIXED) + sum(w for _l, w in TOTALS) + SIGN[1]
    day = (ctx.width - fixed) / days
    return [w for _l, w in FIXED] + [day] * days + [w for _l, w in TOTALS] + [SIGN[1]]


def _grid(ctx: PageContext, sheet: SheetLike, rows: Sequence[SheetRowLike], start: int
          ) -> Table:
    first_day = len(FIXED)
    data: list[list[object]] = [_header(sheet)]
    for n, row in enumerate(rows, start=start):
        data.append([str(n), row.name, row.post, *row.cells, row.planned, row.present,
                     row.leave, row.absent, ""])
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), ctx.styles.font, FONT_SIZE, FONT_SIZE * 1.15),
        ("FONT", (0, 0), (-1, 0), ctx.styles.font, 6.5, 7.2),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("ALIGN", (1, 1), (2, -1), "LEFT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for i, (_d, _w, _note, rest) in enumerate(sheet.days):
        if rest:
            commands.append(("BACKGROUND", (first_day + i, 0), (first_day + i, 0), REST_BG))
    for r, row in enumerate(rows, start=1):
        for i, shade in enumerate(row.shading):
            if shade:
                commands.append(("BACKGROUND", (first_day + i, r), (first_day + i, r),
                                 OUT_BG if shade == "out" else REST_BG))
    return Table(data, colWidths=_widths(ctx, len(sheet.days)),
                 rowHeights=[HEADER_HEIGHT] + [ROW_HEIGHT] * len(rows),
                 style=TableStyle(commands), hAlign="LEFT")


def _head_block(ctx: PageContext, sheet: SheetLike, page: int, pages: int, people: int
                ) -> Table:
    styles = ctx.styles
    title = ParagraphStyle("js-sheet-title", parent=styles.title, fontSize=15, leading=19,
                           spaceAfter=0)
    status = "（已审核）" if sheet.approved else ""
    info = (f"考勤月份：{sheet.month_label}　　村：{sheet.village}　　表号：{sheet.sheet_no}"
            f"　　第 {page} 张 / 共 {pages} 张　　在岗 {people} 人{status}")
    left = [Paragraph(markup(TITLE), title), Spacer(1, 2 * mm),
            Paragraph(markup(info), styles.body)]
    qr = qr_flowable(f"{sheet.qr_text}|{page}/{pages}", size=19 * mm)
    return Table([[left, qr]], colWidths=[ctx.width - 22 * mm, 22 * mm],
                 style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))


def sheet_story(ctx: PageContext, sheets: Sequence[SheetLike]) -> list[Flowable]:
    """The flowables of every sheet, one complete form per page."""
    story: list[Flowable] = []
    for sheet in sheets:
        rows = list(sheet.rows)
        chunks = [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)] or [[]]
        for page, chunk in enumerate(chunks, start=1):
            if story:
                story.append(PageBreak())
            story += [
                _head_block(ctx, sheet, page, len(chunks), len(rows)),
                Spacer(1, 2 * mm),
                _grid(ctx, sheet, chunk, (page - 1) * ROWS_PER_PAGE + 1),
                Spacer(1, 1.5 * mm),
                Paragraph(markup(sheet.legend), ctx.styles.small),
                Spacer(1, 5 * mm),
                signature_line(["考勤员", "村负责人", "服务站审核"], ctx.width, with_date=True),
            ]
    return story


def render_attendance_sheets(station_name: str, sheets: Sequence[SheetLike],
                             printed_on: date) -> bytes:
    """Render the sheets (one or more villages) as one landscape A4 PDF; return its bytes."""
    return build_pdf(lambda ctx: sheet_story(ctx, sheets), station_name=station_name,
                     title=TITLE, printed_on=printed_on, landscape=True)
