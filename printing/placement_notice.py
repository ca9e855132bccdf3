"""公益性岗位上岗通知书 (portrait A4): the notice, then a 回执 to cut off and return."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from .layout import (
    CutLine,
    PageContext,
    SealBox,
    build_pdf,
    cn_date,
    key_value_table,
    markup,
    signature_line,
)

TITLE = "乡村公益性岗位上岗通知书"
RECEIPT = "上岗通知书回执"


def _term(notice: Mapping) -> str:
    start = cn_date(notice["start_date"])
    return f"{start}至{cn_date(notice['end_date'])}" if notice.get("end_date") else f"{start}起"


def notice_story(ctx: PageContext, station_name: str, notice: Mapping) -> list[Flowable]:
    styles = ctx.styles
    body = (f"{notice['name']}同志：\n　　经本人申请、资格审核，同意你到{notice['village']}"
            f"“{notice['post']}”岗位上岗，聘期{_term(notice)}。请按时到岗，认真履行岗位职责，"
            "遵守考勤、考核等管理规定。岗位补贴按月考勤和考核结果核发，意外伤害商业保险由用人单位"
            "按规定购买。")
    pairs = [("通知编号", notice["notice_no"]), ("姓名", notice["name"]),
             ("性别", notice["sex"]), ("公民身份号码", notice["id_number"]),
             ("所在村", notice["village"]), ("岗位名称", notice["post"]),
             ("岗位类别", notice["category"]), ("用工形式", notice["schedule"]),
             ("工作时间", notice["hours"]), ("聘期", _term(notice)),
             ("岗位补贴", notice["subsidy"]), ("意外伤害保险", notice["insurance"]),
             ("岗位职责", notice["duties"])]
    return [
        Paragraph(markup(TITLE), styles.title),
        Paragraph(markup(body), styles.body),
        Spacer(1, 4 * mm),
        key_value_table(pairs, width=ctx.width, per_row=1, label_width=30 * mm),
        Spacer(1, 6 * mm),
        SealBox(station_name),
        Spacer(1, 6 * mm),
        CutLine(),
        Paragraph(markup(RECEIPT), styles.heading),
        Paragraph(markup(f"本人{notice['name']}（通知编号 {notice['notice_no']}）已收到上岗通知书，"
                         f"了解{notice['village']}“{notice['post']}”岗位的职责和考勤、考核规定，"
                         "将按时到岗。"), styles.body),
        Spacer(1, 8 * mm),
        signature_line(["本人签字"], ctx.width * 0.6, with_date=True),
    ]


def render_placement_notice(station_name: str, notice: Mapping, printed_on: date) -> bytes:
    """Render a 上岗通知书 with its 回执; ``notice`` is db.placements.notice_data(...).

    Keys: notice_no, name, sex, id_number (masked unless the reader may see it), village,
    post, category, schedule, hours, duties, subsidy, start_date, end_date (date or
    None), insurance.
    """
    return build_pdf(lambda ctx: notice_story(ctx, station_name, notice),
                     station_name=station_name, title=TITLE, printed_on=printed_on)
