"""就业帮扶台账 as a landscape A4 PDF in the county's layout (序号 … 备注), with the
填表人 / 审核人 lines and the 盖章 box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from .layout import PageContext, SealBox, build_pdf, data_table, markup, signature_line
from .styles import CELL_PAD

FONT_SIZE = 8
# The short columns are as wide as their longest usual text, so that no ID number or date
# breaks; 帮扶措施, 走访结果 and 备注 share what is left and wrap.
SAMPLES = {"serial": "9999", "name": "欧阳娜娜", "sex": "性别", "id_number": "370124199001011234",
           "village": "李家庄村", "groups": "防止返贫监测对象", "status": "未就业有意愿",
           "last_followup_date": "2026-12-31", "last_method": "上门走访",
           "due_date": "2026-12-31"}


class LedgerSheetLike(Protocol):
    """What the sheet must offer (db.ledger.LedgerSheet does)."""

    station_name: str
    title: str
    subtitle: str
    columns: Sequence[tuple[str, str]]
    rows: Sequence[Mapping[str, object]]


def _widths(ctx: PageContext, keys: Sequence[str]) -> list[float]:
    fixed = {k: stringWidth(SAMPLES[k], ctx.styles.font, FONT_SIZE) + 2 * CELL_PAD + 1
             for k in keys if k in SAMPLES}
    share = (ctx.width - sum(fixed.values())) / max(1, len(keys) - len(fixed))
    return [fixed.get(k, share) for k in keys]


def ledger_story(ctx: PageContext, sheet: LedgerSheetLike) -> list[Flowable]:
    """Title, the scope/count line, the table (header on every page), signatures, seal."""
    keys = [key for key, _label in sheet.columns]
    rows = [[row.get(key) for key in keys] for row in sheet.rows]
    story: list[Flowable] = [
        Paragraph(markup(sheet.title), ctx.styles.title),
        Paragraph(markup(sheet.subtitle), ctx.styles.body),
        Spacer(1, 2 * mm),
        data_table([label for _key, label in sheet.columns], rows, width=ctx.width,
                   col_widths=_widths(ctx, keys), zebra=True, font_size=FONT_SIZE),
    ]
    story.append(KeepTogether([
        Spacer(1, 8 * mm),
        signature_line(["填表人", "审核人"], ctx.width * 0.6, with_date=True),
        Spacer(1, 4 * mm),
        SealBox(sheet.station_name),
    ]))
    return story


def render_ledger_sheet(sheet: LedgerSheetLike, printed_on: date) -> bytes:
    """Render the 就业帮扶台账 as landscape A4 PDF bytes.

    ``sheet.rows`` are display-ready dicts keyed by ``sheet.columns``' keys (ID numbers
    masked beforehand when the clerk may not see them); overdue follow-ups say so in 备注.
    """
    return build_pdf(lambda ctx: ledger_story(ctx, sheet), station_name=sheet.station_name,
                     title=sheet.title, printed_on=printed_on, landscape=True)
