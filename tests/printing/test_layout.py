"""The shared page layout: header/footer, embedding, tables, special flowables, output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from printing import layout
from printing.layout import (
    CutLine,
    SealBox,
    build_pdf,
    data_table,
    fit_widths,
    para,
    qr_flowable,
    signature_line,
    title_block,
    write_pdf,
)

from .pdfcheck import font_is_embedded, page_fonts, page_texts, reader
from .samples import PRINTED_ON, STATION


def _doc(story, title="测试文件", landscape=False) -> bytes:
    return build_pdf(story, station_name=STATION, title=title, printed_on=PRINTED_ON,
                     landscape=landscape)


def _long_table_story(n: int):
    def story(ctx):
        rows = [[f"R{i:04d}", "张三丰" if i == 0 else "李四", "红旗村"] for i in range(n)]
        return [*title_block(ctx, "长表格"),
                data_table(["编号", "姓名", "户籍村"], rows, width=ctx.width, zebra=True)]
    return story


def test_header_and_footer_on_every_page():
    pdf = _doc(_long_table_story(200))
    texts = page_texts(pdf)
    assert len(texts) > 2
    for number, text in enumerate(texts, start=1):
        assert STATION in text
        assert "测试文件" in text
        assert "打印日期：2024年5月6日" in text
        assert f"第 {number} 页 / 共 {len(texts)} 页" in text


def test_font_is_embedded_and_never_stsong():
    pdf = _doc(lambda ctx: [para("张三丰 中文内容", ctx.styles.body), SealBox("盖章单位"),
                            CutLine()])
    used = page_fonts(pdf)
    assert used, "no font found in page resources"
    for font in used:
        assert font_is_embedded(font), font
        desc = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in desc  # TrueType outlines
    assert b"STSong" not in pdf
    assert b"STSong" not in b"".join(str(f).encode() for f in used)


def test_table_header_repeats_and_every_row_once_in_order():
    pdf = _doc(_long_table_story(200))
    texts = page_texts(pdf)
    seen: list[str] = []
    for text in texts:
        assert "编号" in text and "姓名" in text and "户籍村" in text
        seen += re.findall(r"R\d{4}", text)
    assert seen == [f"R{i:04d}" for i in range(200)]


def test_page_count_grows_with_rows():
    counts = [len(reader(_doc(_long_table_story(n))).pages) for n in (5, 100, 400)]
    assert counts[0] == 1
    assert counts[0] < counts[1] < counts[2]


def test_empty_table_prints_header_only():
    pdf = _doc(lambda ctx: [data_table(["姓名", "性别"], [], width=ctx.width)])
    assert "姓名" in page_texts(pdf)[0]


def test_long_cells_wrap_and_markup_is_escaped():
    long_text = "杭州市西湖区某某电子科技有限公司" * 12
    rows = [["A&B <c>", long_text], ["第二行", "短"]]
    story = lambda ctx: [data_table(["名称", "说明"], rows, width=ctx.width)]  # noqa: E731
    text = page_texts(_doc(story))[0].replace("\n", "")
    assert "A&B <c>" in text
    assert "第二行" in text and "某某电子科技" in text


def test_landscape_option():
    page = reader(_doc(lambda ctx: [para("横向")], landscape=True)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    page = reader(_doc(lambda ctx: [para("纵向")])).pages[0]
    assert float(page.mediabox.width) < float(page.mediabox.height)


def test_seal_signature_and_cut_line_text():
    def story(ctx):
        return [signature_line(["填表人", "审核人"], ctx.width, with_date=True),
                SealBox(STATION), CutLine()]
    text = page_texts(_doc(story))[0]
    for word in ("填表人", "审核人", "日期", "（盖章）", "年", "月", "日", "沿此线剪开"):
        assert word in text


def test_qr_code_is_drawn():
    """The QR widget becomes many filled squares in the page's content stream."""
    def stream(pdf: bytes) -> bytes:
        return reader(pdf).pages[0].get_contents().get_data()

    plain = stream(_doc(lambda ctx: [para("二维码")]))
    with_qr = stream(_doc(lambda ctx: [para("二维码"), qr_flowable("TJ-2024-0001 张三丰")]))
    assert with_qr.count(b" re") - plain.count(b" re") > 50


def test_ideographic_spaces_keep_their_width():
    style = layout.get_styles().body
    spaced = Paragraph(layout.markup("年　　月　　日"), style)
    tight = Paragraph(layout.markup("年月日"), style)
    assert spaced.minWidth() > tight.minWidth() + 3 * style.fontSize


def test_cell_text_formats_plain_values():
    from datetime import date, datetime
    assert layout.cell_text(None) == ""
    assert layout.cell_text(True) == "是" and layout.cell_text(False) == "否"
    assert layout.cell_text(date(2024, 5, 6)) == "2024-05-06"
    assert layout.cell_text(datetime(2024, 5, 6, 9, 5)) == "2024-05-06 09:05"
    assert layout.cell_text(5200) == "5200"
    assert layout.cn_date(date(2024, 5, 6)) == "2024年5月6日"


@given(st.lists(st.floats(min_value=0, max_value=800), min_size=1, max_size=15),
       st.floats(min_value=200, max_value=800))
def test_fit_widths_fill_the_width(natural, total):
    widths = fit_widths(natural, total, minimum=5)
    assert len(widths) == len(natural)
    assert all(w > 0 for w in widths)
    assert sum(widths) == pytest.approx(total)


def test_fit_widths_keep_narrow_columns():
    widths = fit_widths([30, 40, 900], 500, minimum=5)
    assert widths[:2] == [30, 40]
    assert widths[2] == pytest.approx(430)


def test_write_pdf_is_atomic(tmp_path: Path):
    target = tmp_path / "out" / "清单.pdf"
    write_pdf(target, lambda ctx: [para("第一版")], station_name=STATION, title="测试",
              printed_on=PRINTED_ON)
    first = target.read_bytes()
    assert first.startswith(b"%PDF")

    def broken(ctx):
        raise RuntimeError("story failed")

    with pytest.raises(RuntimeError):
        write_pdf(target, broken, station_name=STATION, title="测试", printed_on=PRINTED_ON)
    assert target.read_bytes() == first
    assert [p.name for p in target.parent.iterdir()] == ["清单.pdf"]


def test_write_atomic_leaves_no_temp_on_failure(tmp_path: Path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(layout.os, "replace", fail)
    with pytest.raises(OSError):
        layout.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
