"""The welfare-post documents read back (pypdf) and rendered (pdftoppm, also without fonts)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from printing.attendance_sheet import ROWS_PER_PAGE, render_attendance_sheets
from printing.exit_notice import render_exit_notice
from printing.pay_sheet import render_pay_sheet
from printing.placement_notice import render_placement_notice

from .pdfcheck import PDFTOPPM, dark_pixels, no_font_env, page_texts, reader, render_gray

STATION = "孔村镇就业服务站"
PRINTED_ON = date(2025, 4, 1)
NAMES = ["张三丰", "李四", "王五", "赵六", "欧阳修文", "孙七", "周八", "吴九", "郑十", "钱多多",
         "冯一", "陈二", "褚三", "卫四", "蒋五", "沈六", "韩七", "杨八", "朱九", "秦十"]
needs_poppler = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is not installed")


def _sheet(people: int = 20, days: int = 31, village: str = "东关村"):
    rest = {1, 2, 8, 9, 15, 16, 22, 23, 29, 30}
    day_cells = [(d, "一二三四五六日"[(d + 4) % 7], "", d in rest) for d in range(1, days + 1)]
    rows = []
    for i in range(people):
        hourly = i % 5 == 4
        cells = ["" if d in rest else ("3.5" if hourly else "√") for d in range(1, days + 1)]
        if not hourly:
            cells[4], cells[5] = "假", "半"
        rows.append(SimpleNamespace(
            name=NAMES[i % len(NAMES)], post="护林防火员" if hourly else "村庄保洁员",
            cells=cells, shading=["rest" if d in rest else "" for d in range(1, days + 1)],
            planned="21", present="73.5时" if hourly else "20.5", leave="" if hourly else "1",
            absent="" if hourly else "0.5"))
    return SimpleNamespace(sheet_no="KQ202503001", qr_text="JOBSTATION|KQ|370124101|KQ202503001",
                           month_label="2025年3月", village=village, approved=False,
                           days=day_cells, rows=rows, legend="√ 出勤　假 请假　× 缺勤　半 半天")


def _pay(public: bool):
    rows = [{"number": i + 1, "name": n, "id_number": "3701**********123X" if public
             else "37012419750503123X", "village": "东关村", "post": "村庄保洁员",
             "planned": 21, "present": "19", "leave": "", "absent": "2", "evaluation": "合格",
             "amount": "1,140.00",
             "explanation": "小时最低工资 21.00 元 × 非全日制月标准工时 60 小时 = 月标准 1,260.00 元；"
                            "当月工作日 21 天，日补贴 60.00 元；应出勤 21 天，出勤 19 天；缺勤 2 天，"
                            "扣 60.00 元 × 2 = 120.00 元；考核合格；1,260.00 - 120.00 = 1,140.00 元"}
            for i, n in enumerate(NAMES[:12])]
    title = "2025年3月乡村公益性岗位补贴发放" + ("公示" if public else "表")
    return SimpleNamespace(title=title, status_text="已审核（admin，2025-03-31）", public=public,
                           rows=rows, total_text="13,680.00")


def test_attendance_sheet_prints_a_full_month_for_signatures():
    pdf = render_attendance_sheets(STATION, [_sheet()], PRINTED_ON)
    texts = page_texts(pdf)
    assert len(texts) == 2  # 20 people, 15 a page: each page a complete signed form
    first = texts[0]
    for words in ("乡村公益性岗位月度考勤表", "表号：KQ202503001", "第 1 张 / 共 2 张", "在岗 20 人",
                  "村：东关村", "张三丰", "本人签字", "考勤员", "村负责人", "31", "73.5时"):
        assert words in first, words
    assert "第 2 张 / 共 2 张" in texts[1] and "考勤员" in texts[1]
    box = reader(pdf).pages[0].mediabox
    assert box.width > box.height  # landscape


def test_attendance_sheet_has_one_sheet_per_village():
    sheets = [_sheet(3, village="东关村"), _sheet(2, village="西关村")]
    texts = page_texts(render_attendance_sheets(STATION, sheets, PRINTED_ON))
    assert len(texts) == 2 and "村：西关村" in texts[1] and "在岗 2 人" in texts[1]


@needs_poppler
def test_attendance_grid_fits_the_page_and_carries_a_qr_code(tmp_path):
    pdf = render_attendance_sheets(STATION, [_sheet(ROWS_PER_PAGE)], PRINTED_ON)
    width, height, pixels = render_gray(pdf, tmp_path / "r", dpi=40)
    margin = int(12 / 25.4 * 40)  # the right margin is 15 mm: nothing may print in it
    right = [pixels[y * width + x] for y in range(height) for x in range(width - margin, width)]
    assert dark_pixels(bytes(right)) == 0
    corner = [pixels[y * width + x] for y in range(int(height * 0.08), int(height * 0.2))
              for x in range(int(width * 0.88), width - margin)]
    assert dark_pixels(bytes(corner)) > 100  # the QR code


@needs_poppler
def test_attendance_sheet_renders_without_any_installed_font(tmp_path):
    pdf = render_attendance_sheets(STATION, [_sheet(5)], PRINTED_ON)
    _w, _h, normal = render_gray(pdf, tmp_path / "n")
    _w, _h, bare = render_gray(pdf, tmp_path / "b", env=no_font_env(tmp_path))
    assert dark_pixels(bare) > 1000 and dark_pixels(bare) >= 0.98 * dark_pixels(normal)


def test_pay_sheet_has_amounts_explanations_and_a_signature_column():
    text = "".join(page_texts(render_pay_sheet(STATION, _pay(False), PRINTED_ON)))
    for words in ("2025年3月乡村公益性岗位补贴发放表", "领取人签字", "37012419750503123X", "1,140.00",
                  "扣 60.00 元 × 2 = 120.00 元", "合计", "13,680.00", "审核人（站长）", "共 12 人"):
        assert words in text, words


def test_public_pay_sheet_masks_numbers_and_has_no_signature_column():
    text = "".join(page_texts(render_pay_sheet(STATION, _pay(True), PRINTED_ON)))
    assert "补贴发放公示" in text and "3701**********123X" in text and "公示期" in text
    assert "领取人签字" not in text and "37012419750503123X" not in text


@needs_poppler
def test_pay_sheet_renders_without_any_installed_font(tmp_path):
    pdf = render_pay_sheet(STATION, _pay(False), PRINTED_ON)
    _w, _h, bare = render_gray(pdf, tmp_path / "b", env=no_font_env(tmp_path))
    assert dark_pixels(bare) > 1000


NOTICE = {"notice_no": "370124101SG20250001", "name": "张三丰", "sex": "男",
          "id_number": "3701**********123X", "village": "东关村", "post": "村庄保洁员",
          "category": "公共服务类", "schedule": "非全日制", "hours": "每日 3 小时",
          "duties": "负责本村主街道保洁。", "subsidy": "按小时最低工资标准（现行 21.00 元/小时）计发",
          "start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31),
          "insurance": "中国人寿，保单号 P001，2025-01-01 至 2025-12-31"}


def test_placement_notice_has_the_terms_and_a_receipt():
    [text] = page_texts(render_placement_notice(STATION, NOTICE, PRINTED_ON))
    for words in ("乡村公益性岗位上岗通知书", "张三丰同志", "2025年1月1日至2025年12月31日",
                  "370124101SG20250001", "保单号 P001", "上岗通知书回执", "本人签字", "（盖章）"):
        assert words in text, words


def test_exit_notice_cites_the_rule_and_leaves_the_date_blank_when_undecided():
    notice = {"name": "张三丰", "id_number": "3701**********123X", "village": "东关村",
              "post": "村庄保洁员", "notice_no": "370124101SG20250001", "month_label": "2025年3月",
              "explanation": "近 2 个月灵活就业收入共 4,000.00 元，折合年收入 24,000.00 元",
              "exit_date": None}
    [text] = page_texts(render_exit_notice(STATION, notice, PRINTED_ON))
    for words in ("乡村公益性岗位退岗告知书", "鲁人社字〔2023〕1号", "折合年收入 24,000.00 元",
                  "5 个工作日内", "本人签收"):
        assert words in text, words
    dated = page_texts(render_exit_notice(STATION, {**notice, "exit_date": date(2025, 4, 30)},
                                          PRINTED_ON))[0]
    assert "拟自2025年4月30日起退出" in dated
