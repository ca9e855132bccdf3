"""农民工就业服务工作月报 as a portrait A4 PDF: titled sections of figures (项目, 数值,
说明), the table of people by village and status, then 填报人 / 审核人 and the seal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .layout import PageContext, SealBox, build_pdf, data_table, markup, signature_line

LINE_HEADER = ["项目", "数值", "说明"]
FONT_SIZE = 8.5
HEADING_ROOM = 30 * mm
VILLAGE_FONT_SIZE = 7.5


class LineLike(Protocol):
    label: str
    value: object
    note: str


class SectionLike(Protocol):
    title: str
    lines: Sequence[LineLike]


class MonthlyReportLike(Protocol):
    """What the report must offer (db.monthly_report.MonthlyReport does)."""

    station_name: str
    title: str
    subtitle: str
    sections: Sequence[SectionLike]
    village_title: str
    village_header: Sequence[str]
    village_rows: Sequence[Sequence[object]]


def _section_heading(ctx: PageContext, title: str) -> list[Flowable]:
    """A heading that starts a new page only when too little room is left for it and a
    few rows; otherwise its section flows on, continuing overleaf under a repeated header."""
    style = ParagraphStyle("js-report-heading", parent=ctx.styles.heading, keepWithNext=0,
                           spaceBefore=3 * mm, spaceAfter=1.5 * mm)
    return [CondPageBreak(HEADING_ROOM), Paragraph(markup(title), style)]


def _section(ctx: PageContext, section: SectionLike) -> list[Flowable]:
    widths = [ctx.width * 0.3, ctx.width * 0.15, ctx.width * 0.55]
    rows = [[line.label, line.value, line.note] for line in section.lines]
    return [*_section_heading(ctx, section.title),
            data_table(LINE_HEADER, rows, width=ctx.width, col_widths=widths,
                       font_size=FONT_SIZE)]


def _closing(ctx: PageContext, station_name: str) -> Flowable:
    """填报人 / 审核人 blanks on the left, the 盖章 box on the right, kept together."""
    left = ctx.width * 0.58
    signatures = [signature_line(["填报人"], left * 0.7, with_date=False),
                  signature_line(["审核人（站长）"], left * 0.7, with_date=False),
                  signature_line(["报送日期"], left * 0.7, with_date=False)]
    table = Table([[signatures, SealBox(station_name, height=30 * mm)]],
                  colWidths=[left, ctx.width - left],
                  style=TableStyle([("FONT", (0, 0), (-1, -1), ctx.styles.font, 10.5),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 5 * mm), table])


def report_story(ctx: PageContext, report: MonthlyReportLike) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(markup(report.title), ctx.styles.title),
                             Paragraph(markup(report.subtitle), ctx.styles.body)]
    for section in report.sections:
        story += _section(ctx, section)
    story += _section_heading(ctx, report.village_title)
    if report.village_rows:
        first = 18 * mm
        rest = (ctx.width - first) / (len(report.village_header) - 1)
        story.append(data_table(list(report.village_header), report.village_rows,
                                width=ctx.width, zebra=True, font_size=VILLAGE_FONT_SIZE,
                                col_widths=[first] + [rest] * (len(report.village_header) - 1)))
    else:
        story.append(Paragraph("（无人员）", ctx.styles.body))
    story.append(_closing(ctx, report.station_name))
    return story


def render_monthly_report(report: MonthlyReportLike, printed_on: date) -> bytes:
    """Render the monthly report as portrait A4 PDF bytes."""
    return build_pdf(lambda ctx: report_story(ctx, report), station_name=report.station_name,
                     title=report.title, printed_on=printed_on)
