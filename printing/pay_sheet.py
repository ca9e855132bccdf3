"""补贴发放表 (with a 领取人签字 column) and its 公示 version (ID numbers masked, no
signature column, a publicity notice), A4 landscape, each amount with how it was reached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from .layout import (
    PageContext,
    RepeatingTable,
    SealBox,
    build_pdf,
    data_table,
    markup,
    signature_line,
)

FONT_SIZE = 8
# Column key, label, width (None: takes what is left).
COLUMNS = [
    ("number", "序号", 8 * mm), ("name", "姓名", 14 * mm), ("id_number", "公民身份号码", 33 * mm),
    ("village", "村", 14 * mm), ("post", "岗位", 19 * mm), ("planned", "应出勤", 11 * mm),
    ("present", "出勤", 15 * mm), ("leave", "请假", 8 * mm), ("absent", "缺勤", 8 * mm),
    ("evaluation", "考核", 10 * mm), ("amount", "金额（元）", 17 * mm),
    ("explanation", "计算方法", None),
]
SIGNATURE = ("signature", "领取人签字", 20 * mm)
PUBLIC_NOTICE = ("公示期为 5 个工作日。对公示内容如有异议，请在公示期内向本服务站或村民委员会反映。"
                 "公示内容已隐去公民身份号码中间数字。")


class PaySheetLike(Protocol):
    """What a pay sheet must offer (db.subsidy.PaySheet does)."""

    title: str
    status_text: str
    public: bool
    rows: Sequence[Mapping[str, object]]
    total_text: str


def _columns(public: bool) -> list[tuple[str, str, float | None]]:
    return COLUMNS if public else [*COLUMNS, SIGNATURE]


def pay_table(ctx: PageContext, sheet: PaySheetLike) -> RepeatingTable:
    """The table of the sheet: one row per person, then the 合计 row."""
    columns = _columns(sheet.public)
    fixed = sum(w for _k, _l, w in columns if w)
    widths = [w if w else ctx.width - fixed for _k, _l, w in columns]
    rows = [[row.get(key, "") for key, _l, _w in columns] for row in sheet.rows]
    total = {"name": "合计", "amount": sheet.total_text, "explanation": f"共 {len(rows)} 人"}
    rows.append([total.get(key, "") for key, _l, _w in columns])
    return data_table([label for _k, label, _w in columns], rows, width=ctx.width,
                      col_widths=widths, font_size=FONT_SIZE)


def pay_story(ctx: PageContext, station_name: str, sheet: PaySheetLike) -> list[Flowable]:
    styles = ctx.styles
    summary = f"{sheet.status_text}　　共 {len(sheet.rows)} 人　　合计 {sheet.total_text} 元"
    story: list[Flowable] = [Paragraph(markup(sheet.title), styles.title),
                             Paragraph(markup(summary), styles.body), Spacer(1, 2 * mm),
                             pay_table(ctx, sheet)]
    if sheet.public:
        closing: list[Flowable] = [Spacer(1, 3 * mm), Paragraph(markup(PUBLIC_NOTICE), styles.body),
                                   Spacer(1, 3 * mm), SealBox(station_name)]
    else:
        closing = [Spacer(1, 6 * mm),
                   signature_line(["制表人", "审核人（站长）"], ctx.width * 0.8, with_date=True),
                   Spacer(1, 3 * mm), SealBox(station_name)]
    story.append(KeepTogether(closing))
    return story


def render_pay_sheet(station_name: str, sheet: PaySheetLike, printed_on: date) -> bytes:
    """Render the pay sheet (or its 公示 version when ``sheet.public``) as PDF bytes.

    ``sheet.rows`` are display-ready mappings with the keys of ``COLUMNS`` (mask the ID
    numbers beforehand where the reader may not see them; the public version must).
    """
    return build_pdf(lambda ctx: pay_story(ctx, station_name, sheet),
                     station_name=station_name, title=sheet.title, printed_on=printed_on,
                     landscape=True)
