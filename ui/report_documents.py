"""The 就业帮扶台账 and the monthly report as PDF bytes: db data laid out by printing.

The same two-line glue as ``desktop.commands_report`` (ui does not import desktop).
"""

from db import ledger, monthly_report
from db.clock import today
from db.station import Station
from printing.ledger_sheet import render_ledger_sheet
from printing.monthly_report import render_monthly_report

from .documents import pdf_or_font_error, sees_full_numbers


def ledger_pdf(station: Station, *, village: str = "", overdue_only: bool = False) -> bytes:
    """The 就业帮扶台账 as PDF, numbers masked by role."""
    sheet = ledger.ledger_sheet(station, village=village, overdue_only=overdue_only,
                                full_numbers=sees_full_numbers(station))
    return pdf_or_font_error(lambda: render_ledger_sheet(sheet, today()))


def monthly_report_pdf(station: Station, month) -> bytes:
    """The 农民工就业服务工作月报 of ``month`` as PDF."""
    report = monthly_report.monthly_report(station, month)
    return pdf_or_font_error(lambda: render_monthly_report(report, today()))
