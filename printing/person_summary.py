"""A person's 服务记录 summary: basic information, then titled tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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

DOC_TITLE = "服务记录"
EMPTY_SECTION_TEXT = "（无记录）"

SectionContent = Sequence[tuple[str, object]] | Sequence[Mapping[str, object]]


def _columns_of(records: Sequence[Mapping[str, object]]) -> list[str]:
    """Column labels in first-seen order over all records."""
    seen: dict[str, None] = {}
    for record in records:
        for key in record:
            seen.setdefault(key, None)
    return list(seen)


def summary_title(person: Mapping[str, object]) -> str:
    """Document title: "张三丰 服务记录" (just "服务记录" without a name)."""
    name = str(person.get("姓名") or "").strip()
    return f"{name} {DOC_TITLE}" if name else DOC_TITLE


def section_flowables(ctx: PageContext, heading: str, content: SectionContent
                      ) -> list[Flowable]:
    """One titled section: a key/value block, a table of records, or "（无记录）"."""
    styles = ctx.styles
    head = Paragraph(markup(heading), styles.heading)
    if not content:
        return [KeepTogether([head, Paragraph(EMPTY_SECTION_TEXT, styles.body)])]
    first = content[0]
    if isinstance(first, Mapping):
        columns = _columns_of(content)  # type: ignore[arg-type]
        rows = [[record.get(c) for c in columns] for record in content]  # type: ignore[union-attr]
        body: Flowable = data_table(columns, rows, width=ctx.width)
    else:
        body = key_value_table(list(content), width=ctx.width)  # type: ignore[arg-type]
    # Keep the heading with the first rows of its table.
    return [head, body]


def person_summary_story(ctx: PageContext, station_name: str, person: Mapping[str, object],
                         sections: Sequence[tuple[str, SectionContent]]) -> list[Flowable]:
    """Title, basic-information block, sections, then 经办人 and the seal box."""
    styles = ctx.styles
    story: list[Flowable] = [
        Paragraph(markup(summary_title(person)), styles.title),
        Paragraph("基本信息", styles.heading),
        key_value_table(list(person.items()), width=ctx.width),
    ]
    for heading, content in sections:
        story.extend(section_flowables(ctx, heading, content))
    story.append(KeepTogether([
        Spacer(1, 10 * mm),
        signature_line(["经办人"], ctx.width * 0.5, with_date=True),
        Spacer(1, 4 * mm),
        SealBox(station_name),
    ]))
    return story


def render_person_summary(station_name: str, person: dict,
                          sections: list[tuple[str, list[tuple[str, str]] | list[dict]]],
                          printed_on: date) -> bytes:
    """Render one person's 服务记录 summary as a portrait A4 PDF and return its bytes.

    Args:
        station_name: printed in every page header and above the seal box.
        person: basic information as ``{Chinese label: value}`` in display order,
            e.g. ``{"姓名": "张三丰", "公民身份号码": "3701…", "性别": "男",
            "出生日期": date(1990, 1, 2), "手机号": "138****1234", "户籍地": "…"}``.
            Shown two pairs per line. ``person["姓名"]`` (if present) goes in the title.
            Mask the ID and phone numbers beforehand if the clerk may not see them.
        sections: ``(section title, content)`` in print order, e.g.
            ``("就业状态历史", [...])``, ``("登记记录", [...])``, ``("服务记录", [...])``.
            ``content`` is either
              * a list of dicts, one per record, ``{Chinese column label: value}``:
                printed as a table whose columns are the labels in first-seen
                order (a missing key prints empty); or
              * a list of ``(Chinese label, value)`` pairs: printed as a
                key/value block like the basic information;
              * an empty list prints "（无记录）".
            Values may be str, int, date, datetime, bool or None.
        printed_on: the print date shown in every footer.
    """
    return build_pdf(
        lambda ctx: person_summary_story(ctx, station_name, person, sections),
        station_name=station_name, title=summary_title(person), printed_on=printed_on,
    )
