"""The welfare-post documents as PDF bytes: db data laid out by printing.

Used by the window and by the ``print`` command alike. ID numbers are masked unless the
signed-in role may see them in full.
"""

from db import attendance_sheets, flexible_income, placements, subsidy
from db.clock import today
from db.errors import NotFoundError
from db.holidays import Month
from db.setup import station_info
from db.station import Station
from printing.attendance_sheet import render_attendance_sheets
from printing.exit_notice import render_exit_notice
from printing.pay_sheet import render_pay_sheet
from printing.placement_notice import render_placement_notice

from .documents import pdf_or_font_error as _pdf
from .documents import sees_full_numbers as full_numbers


def attendance_sheets_pdf(station: Station, month, village: str | None = None
                          ) -> tuple[bytes, list[str]]:
    """The numbered 月度考勤表 of ``month`` (one sheet per village) and their numbers."""
    month = Month.parse(month)
    sheets = attendance_sheets.issue_sheets(station, month, village or None)
    if not sheets:
        raise NotFoundError(f"{village or '本站'}{month.label}没有在岗人员，无需打印考勤表。")
    name = station_info(station).name
    pdf = _pdf(lambda: render_attendance_sheets(name, sheets, today()))
    return pdf, [s.sheet_no for s in sheets]


def pay_sheet_pdf(station: Station, month: Month, *, public: bool = False,
                  village: str | None = None) -> bytes:
    """The 补贴发放表 of ``month`` (``public``: the 公示 version, numbers masked)."""
    sheet = subsidy.pay_sheet(station, month, public=public, village=village or None,
                              full_numbers=full_numbers(station))
    if not sheet.rows:
        raise NotFoundError(f"{month.label}没有在岗人员。")
    name = station_info(station).name
    return _pdf(lambda: render_pay_sheet(name, sheet, today()))


def placement_notice_pdf(station: Station, placement_id: str) -> bytes:
    """The 上岗通知书 (with its 回执) of a placement."""
    notice = placements.notice_data(station, placement_id, full_numbers=full_numbers(station))
    name = station_info(station).name
    return _pdf(lambda: render_placement_notice(name, notice, today()))


def exit_notice_pdf(station: Station, placement_id: str, month: Month, exit_date=None) -> bytes:
    """The 退岗告知书 of a part-time holder on the exit worklist of ``month``."""
    notice = flexible_income.exit_notice(station, placement_id, month, exit_date=exit_date,
                                         full_numbers=full_numbers(station))
    name = station_info(station).name
    return _pdf(lambda: render_exit_notice(name, notice, today()))
