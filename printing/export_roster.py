"""劳务输出人员花名册: the printed roster of an organized labour-export batch.

``roster`` is a plain dict (``db.documents.export_roster`` makes it)::

    {"station_name": str, "number": str,
     "particulars": [(Chinese label, value), ...],   # destination, date, transport, ...
     "columns": [(key, Chinese label), ...], "rows": [dict, ...]}

Mask the ID and phone numbers beforehand if the clerk may not see them.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from .layout import (
    PageContext,
    SealBox,
    build_pdf,
    data_table,
    key_value_table,
    markup,
    signature_line,
)

DOC_TITLE = "劳务输出人员花名册"


def export_roster_story(ctx: PageContext, roster: dict) -> list[Flowable]:
    """Title, the batch particulars, the numbered roster, signatures and the seal."""
    styles = ctx.styles
    keys = [key for key, _label in roster["columns"]]
    header = ["序号", *(label for _key, label in roster["columns"])]
    rows = [[n, *(row.get(key) for key in keys)] for n, row in enumerate(roster["rows"], 1)]
    return [
        Paragraph(markup(DOC_TITLE), styles.title),
        key_value_table(list(roster["particulars"]), width=ctx.width),
        Spacer(1, 4 * mm),
        Paragraph(markup(f"输出人员（共 {len(rows)} 人）"), styles.heading),
        data_table(header, rows, width=ctx.width, zebra=True),
        KeepTogether([
            Spacer(1, 10 * mm),
            signature_line(["带队人", "经办人"], ctx.width * 0.6, with_date=True),
            Spacer(1, 4 * mm),
            SealBox(roster["station_name"]),
        ]),
    ]


def render_export_roster(roster: dict, printed_on: date | None = None) -> bytes:
    """The roster of one batch as a portrait A4 PDF."""
    return build_pdf(lambda ctx: export_roster_story(ctx, roster),
                     station_name=roster["station_name"], title=DOC_TITLE,
                     printed_on=printed_on or date.today())
