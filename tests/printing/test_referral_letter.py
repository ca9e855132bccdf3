"""The 推荐介绍信: stub, letter and receipt on one page, cut lines, QR code, batches."""

from __future__ import annotations

import io
from datetime import date

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing.layout import page_context
from printing.referral_letter import (
    QrCode,
    render_referral_letter,
    render_referral_letters,
    title_with_qr,
)

from .pdfcheck import (
    PDFTOPPM,
    dark_pixels,
    font_is_embedded,
    no_font_env,
    page_fonts,
    page_texts,
    reader,
    render_gray,
)
from .samples import PRINTED_ON, STATION

needs_poppler = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is not installed")


def make_letter(number: str = "370124101-2026-00042", **changes) -> dict:
    letter = {
        "station_name": STATION, "number": number, "referral_date": date(2026, 5, 6),
        "due_date": date(2026, 5, 21), "clerk": "李四",
        "person": {"name": "张三丰", "sex": "男", "age": 36, "id_number": "370112199001021234",
                   "phone": "13812345678", "education": "初中", "skills": "电焊工",
                   "hukou": "红旗村"},
        "employer": {"name": "平阴县玫瑰食品有限公司", "credit_code": "91370124MA3C4D5E6X",
                     "contact_person": "王经理", "contact_phone": "0531-87881234",
                     "address": "平阴县玫瑰镇工业园"},
        "job": {"work_type": "电焊工", "wage_text": "5000–6000元/月", "work_place": "玫瑰镇工业园",
                "place_label": "本地", "requirements": "持证上岗", "headcount": 5},
    }
    letter.update(changes)
    return letter


def test_one_page_with_stub_letter_and_receipt(tmp_path):
    pdf = render_referral_letter(make_letter(), PRINTED_ON)
    (text,) = page_texts(pdf)
    for word in ("推荐介绍信（存根）", "推荐介绍信回执", "平阴县玫瑰食品有限公司：", f"{STATION}：",
                 "兹介绍", "张三丰", "电焊工岗位", "5000–6000元/月", "王经理", "经办人：李四",
                 "2026年5月21日前交回", "此致", "敬礼", "已录用", "未录用", "未报到", "用人单位",
                 "打印日期：2024年5月6日"):
        assert word in text, word
    assert text.count("370124101-2026-00042") >= 3  # stub, letter, receipt
    assert text.count("370112199001021234") >= 3  # the person's full ID on every part
    assert text.count("沿此线剪开") == 2
    assert text.count("（盖章）") == 2  # the station's and the employer's
    assert all(font_is_embedded(f) for f in page_fonts(pdf))


def test_long_texts_still_fit_one_page():
    long = make_letter()
    long["employer"]["name"] = "济南市历城区某某某某建筑劳务分包有限责任公司第二工程处"
    long["job"]["requirements"] = "身体健康，吃苦耐劳，能适应倒班，持特种作业操作证优先。" * 8
    pdf = render_referral_letter(long, PRINTED_ON)
    assert len(reader(pdf).pages) == 1
    assert "第二工程处" in page_texts(pdf)[0]


def test_long_texts_get_a_larger_qr_code():
    assert len(QrCode("x" * 200).matrix) > len(QrCode("370124101-2026-00042").matrix) == 25


def test_letter_and_receipt_carry_the_number_as_qr_code():
    ctx = page_context()
    header = title_with_qr(ctx, "推荐介绍信", "370124101-2026-00042")
    codes = [cell for row in header._cellvalues for cell in row if isinstance(cell, QrCode)]
    assert [c.text for c in codes] == ["370124101-2026-00042"]


@needs_poppler
def test_qr_code_is_drawn_module_for_module(tmp_path):
    """Render a QR code and read its modules back from the pixels."""
    number = "370124101-2026-00042"
    qr = QrCode(number, size=60 * mm)
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    qr.wrapOn(canvas, 0, 0)
    qr.drawOn(canvas, 100, 400)
    canvas.save()
    dpi = 100
    width, height, pixels = render_gray(buffer.getvalue(), tmp_path, dpi=dpi)
    n = len(qr.matrix)
    cell = qr.width / (n + 4)
    scale = dpi / 72
    page_h = 842  # reportlab's default A4 height in points

    def dark(r: int, c: int) -> bool:
        x = (100 + (c + 2.5) * cell) * scale
        y = (page_h - (400 + qr.height - (r + 2.5) * cell)) * scale
        return pixels[int(y) * width + int(x)] < 128

    drawn = [[dark(r, c) for c in range(n)] for r in range(n)]
    expected = qrcode.QRCode(version=2, border=0, error_correction=ERROR_CORRECT_M,
                             mask_pattern=0)
    expected.add_data(number)
    expected.make(fit=False)
    assert drawn == expected.get_matrix()


@needs_poppler
def test_letter_renders_without_any_system_font(tmp_path):
    pdf = render_referral_letter(make_letter(), PRINTED_ON)
    width, height, bare = render_gray(pdf, tmp_path / "b", env=no_font_env(tmp_path))
    _w, _h, normal = render_gray(pdf, tmp_path / "n")
    assert dark_pixels(bare) >= 0.98 * dark_pixels(normal)
    for part in range(3):  # every third of the page holds ink: stub, letter, receipt
        band = bare[int(height * part / 3) * width:int(height * (part + 1) / 3) * width]
        assert dark_pixels(band) > 2000


def test_batch_prints_one_page_per_letter_and_reports_progress():
    letters = [make_letter(f"370124101-2026-{i:05d}") for i in range(1, 26)]
    letters[3] = make_letter("370124101-2026-00004", clerk="赵六" * 40)
    seen = []
    pdf = render_referral_letters(letters, station_name=STATION, printed_on=PRINTED_ON,
                                  progress=lambda done, total: seen.append((done, total)))
    texts = page_texts(pdf)
    assert len(texts) == 25
    for i, text in enumerate(texts, start=1):
        assert f"370124101-2026-{i:05d}" in text
        assert f"第 {i} 页 / 共 25 页" in text
    assert seen == [(i, 25) for i in range(1, 26)]


def test_a_progress_callback_can_cancel_the_batch():
    class Cancelled(Exception):
        pass

    def cancel(done, total):
        if done == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        render_referral_letters([make_letter()] * 5, station_name=STATION,
                                printed_on=PRINTED_ON, progress=cancel)
