"""公益性岗位退岗告知书 (portrait A4) for a part-time holder whose flexible income passed
the 防止返贫监测 line (鲁人社字〔2023〕1号 §五(二)). The clerk decides; the paper
tells the person why and how to object."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from .layout import (
    PageContext,
    SealBox,
    build_pdf,
    cn_date,
    key_value_table,
    markup,
    signature_line,
)

TITLE = "乡村公益性岗位退岗告知书"
RULE = ("根据《山东省农民工就业创业支持行动》（鲁人社字〔2023〕1号）第五部分第（二）项"
        "“从事非全日制乡村公益性岗位人员……灵活就业收入水平超出当地防止返贫监测范围的，应退出岗位”的规定")
BLANK_DATE = "　　年　　月　　日"


def exit_story(ctx: PageContext, station_name: str, notice: Mapping) -> list[Flowable]:
    styles = ctx.styles
    when = cn_date(notice["exit_date"]) if notice.get("exit_date") else BLANK_DATE
    body = (f"{notice['name']}同志：\n　　{RULE}，经核实，你{notice['explanation']}。"
            f"拟自{when}起退出{notice['village']}“{notice['post']}”岗位。\n"
            "　　如对核实的收入情况有异议，请自收到本告知书之日起 5 个工作日内向本服务站提出，"
            "并提供相关证明材料。")
    pairs = [("姓名", notice["name"]), ("公民身份号码", notice["id_number"]),
             ("所在村", notice["village"]), ("岗位名称", notice["post"]),
             ("上岗通知编号", notice["notice_no"]), ("核实月份", notice["month_label"])]
    return [
        Paragraph(markup(TITLE), styles.title),
        Paragraph(markup(body), styles.body),
        Spacer(1, 5 * mm),
        key_value_table(pairs, width=ctx.width),
        Spacer(1, 12 * mm),
        signature_line(["本人签收", "经办人"], ctx.width, with_date=True),
        Spacer(1, 8 * mm),
        SealBox(station_name),
    ]


def render_exit_notice(station_name: str, notice: Mapping, printed_on: date) -> bytes:
    """Render a 退岗告知书; ``notice`` is db.flexible_income.exit_notice(...).

    Keys: name, id_number (masked as allowed), village, post, notice_no, month_label,
    explanation (how the income passed the line), exit_date (date or None: left blank).
    """
    return build_pdf(lambda ctx: exit_story(ctx, station_name, notice),
                     station_name=station_name, title=TITLE, printed_on=printed_on)
