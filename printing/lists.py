"""The person lists (就业人员清单, 失业人员清单, 有意愿外出人员清单) as landscape PDF."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from .layout import PageContext, SealBox, build_pdf, data_table, markup, signature_line

ROW_NUMBER_LABEL = "序号"


def person_list_story(ctx: PageContext, station_name: str, title: str,
                      columns: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, object]], filters_text: str = "",
                      number_rows: bool = True) -> list[Flowable]:
    """The flowables of a person list: title, filter/count line, table, signatures, seal."""
    styles = ctx.styles
    header = [label for _key, label in columns]
    keys = [key for key, _label in columns]
    data = [[row.get(key) for key in keys] for row in rows]
    if number_rows:
        header = [ROW_NUMBER_LABEL, *header]
        data = [[n, *values] for n, values in enumerate(data, start=1)]
    summary = f"共 {len(rows)} 人"
    if filters_text:
        summary = f"筛选条件：{filters_text}　　{summary}"
    story: list[Flowable] = [
        Paragraph(markup(title), styles.title),
        Paragraph(markup(summary), styles.body),
        Spacer(1, 2 * mm),
        data_table(header, data, width=ctx.width, zebra=True),
    ]
    closing = [
        Spacer(1, 8 * mm),
        signature_line(["填表人", "审核人"], ctx.width * 0.6, with_date=True),
        Spacer(1, 4 * mm),
        SealBox(station_name),
    ]
    story.append(KeepTogether(closing))
    return story


def render_person_list(station_name: str, title: str, columns: list[tuple[str, str]],
                       rows: list[dict], printed_on: date, filters_text: str = "",
                       *, number_rows: bool = True) -> bytes:
    """Render a person list as a landscape A4 PDF and return its bytes.

    Args:
        station_name: printed in every page header, e.g. "某某镇就业服务站".
        title: document title, e.g. "失业人员清单" (header and first-page title).
        columns: ``(key, Chinese label)`` pairs in print order; ``key`` looks up
            the value in each row dict, the label heads the column.
        rows: one dict per person; values may be str, int, date, bool or None.
            Mask ID/phone numbers before calling if the clerk may not see them.
        printed_on: the print date shown in every footer.
        filters_text: description of the filter used, e.g. "村：红旗村；群体：脱贫人口".
        number_rows: add a leading "序号" column counting from 1.

    The table header repeats on every page; a "共 N 人" line, 填表人/审核人
    signature blanks and a 盖章 box are included.
    """
    return build_pdf(
        lambda ctx: person_list_story(ctx, station_name, title, columns, rows, filters_text,
                                      number_rows),
        station_name=station_name, title=title, printed_on=printed_on, landscape=True,
    )
