"""A person's 服务记录 summary."""

from __future__ import annotations

from datetime import date

from printing.person_summary import render_person_summary

from .pdfcheck import font_is_embedded, page_fonts, page_texts, reader
from .samples import PRINTED_ON, STATION


def test_summary_content(person, sections):
    pdf = render_person_summary(STATION, person, sections, PRINTED_ON)
    text = "\n".join(page_texts(pdf))
    for word in (STATION, "张三丰 服务记录", "基本信息", "公民身份号码", "370112199001021234",
                 "1990-01-02", "就业状态历史", "省外务工", "登记记录", "SY-2023-000123",
                 "外出意愿", "江苏省", "服务记录", "职业指导", "2023-11-20 09:30", "培训记录",
                 "（无记录）", "经办人", "（盖章）", "第 1 页"):
        assert word in text, word
    page = reader(pdf).pages[0]
    assert float(page.mediabox.width) < float(page.mediabox.height)  # portrait
    assert all(font_is_embedded(f) for f in page_fonts(pdf))


def test_summary_without_name_or_sections():
    pdf = render_person_summary(STATION, {"公民身份号码": "370112199001021234"}, [], PRINTED_ON)
    text = page_texts(pdf)[0]
    assert "服务记录" in text and "370112199001021234" in text


def test_long_service_log_spans_pages_with_header(person):
    services = [{"日期": date(2024, 1, 1 + i % 28), "服务类型": "政策咨询",
                 "内容": f"第{i}次咨询：外出务工交通补贴政策", "经办人": "李四"}
                for i in range(150)]
    pdf = render_person_summary(STATION, person, [("服务记录", services)], PRINTED_ON)
    texts = page_texts(pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert STATION in text and "张三丰 服务记录" in text
        assert f"第 {number} 页 / 共 {len(texts)} 页" in text
    for text in texts[1:]:
        assert "服务类型" in text  # the table header repeats
    joined = "".join(texts)
    assert "第0次咨询" in joined and "第149次咨询" in joined
