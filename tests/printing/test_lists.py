"""The person lists: content, count line, signatures, pagination, 5,000 rows."""

from __future__ import annotations

from datetime import date

from printing.lists import render_person_list

from .pdfcheck import font_is_embedded, page_fonts, page_texts, reader
from .samples import LIST_COLUMNS, PRINTED_ON, STATION


def _render(rows, title="失业人员清单", filters_text=""):
    return render_person_list(STATION, title, LIST_COLUMNS, rows, PRINTED_ON, filters_text)


def test_small_list_content(rows_factory):
    pdf = _render(rows_factory(3), filters_text="村：红旗村；群体：脱贫人口")
    texts = page_texts(pdf)
    assert len(texts) == 1
    text = texts[0]
    for word in (STATION, "失业人员清单", "张三丰", "共 3 人", "村：红旗村；群体：脱贫人口",
                 "序号", "公民身份号码", "填表人", "审核人", "（盖章）", "打印日期：2024年5月6日",
                 "第 1 页 / 共 1 页"):
        assert word in text, word
    page = reader(pdf).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert all(font_is_embedded(f) for f in page_fonts(pdf))


def test_empty_list():
    text = page_texts(_render([], title="有意愿外出人员清单"))[0]
    assert "共 0 人" in text and "有意愿外出人员清单" in text and "姓名" in text


def test_plain_values_of_any_type():
    rows = [{"name": "李<四>&", "id_number": None, "sex": "男", "phone": 13800000000,
             "village": "红旗村", "status": "失业", "employer": "", "place": None,
             "since": date(2024, 1, 2)}, {"name": "王五"}]
    text = page_texts(_render(rows))[0]
    assert "李<四>&" in text and "13800000000" in text and "2024-01-02" in text
    assert "王五" in text and "共 2 人" in text


def test_header_repeats_and_pages_grow(rows_factory):
    small = reader(_render(rows_factory(10))).pages
    pdf = _render(rows_factory(120))
    texts = page_texts(pdf)
    assert len(small) == 1
    assert len(texts) > len(small)
    for number, text in enumerate(texts, start=1):
        assert "公民身份号码" in text and "就业状态" in text
        assert f"第 {number} 页 / 共 {len(texts)} 页" in text
    assert "张三丰" in texts[0]
    assert "审核人" in texts[-1]
    assert "138****0119" in texts[-1]


def test_five_thousand_rows(rows_factory):
    pdf = _render(rows_factory(5000), title="就业人员清单")
    pages = reader(pdf).pages
    assert len(pages) > 100
    last = pages[-1].extract_text()
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in last
    assert "5000" in last and "138****4999" in last and "共 5000 人" in pages[0].extract_text()
