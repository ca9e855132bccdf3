"""db.excel.writer: exports that open cleanly and keep IDs, phones and dates intact."""

import csv
import datetime as dt
import glob
import os
import shutil
import subprocess
import tempfile

import openpyxl
import pytest

from db.errors import ValidationError
from db.excel import Column, find_header, open_rows, write_table
from db.excel.xlsx_writer import MAX_WIDTH, display_width

COLUMNS = [
    Column("serial", "序号"),
    Column("name", "姓名"),
    Column("id_number", "公民身份号码", text=True),
    Column("phone", "联系电话", text=True),
    Column("village", "村"),
    Column("birth_date", "出生日期"),
    Column("registered_at", "登记时间"),
    Column("income", "月收入"),
    Column("monitored", "监测对象"),
    Column("remarks", "备注"),
]


def people(n):
    for i in range(n):
        yield {
            "serial": i + 1,
            "name": "欧阳娜娜" if i % 2 else "张三",
            "id_number": "370124199001011234" if i % 2 else "37012419900101123X",
            "phone": 13812345678,
            "village": "东关村",
            "birth_date": dt.date(1990, 1, 1 + i % 28),
            "registered_at": dt.datetime(2026, 11, 29, 9, 30),
            "income": 3500.5 if i % 3 else None,
            "monitored": bool(i % 2),
            "remarks": None,
        }


@pytest.fixture
def exported(tmp_path):
    path = tmp_path / "就业人员清单.xlsx"
    count = write_table(
        path,
        title="孔村镇就业服务站 就业人员清单",
        subtitle="导出日期 2026-11-29  共 1000 人",
        columns=COLUMNS,
        rows=people(1000),
        sheet_name="就业人员",
    )
    return path, count


def test_round_trip_1000_rows(exported):
    path, count = exported
    assert count == 1000
    assert not os.path.exists(str(path) + ".tmp")
    wb = openpyxl.load_workbook(path)
    ws = wb["就业人员"]
    assert ws["A1"].value == "孔村镇就业服务站 就业人员清单"
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "导出日期 2026-11-29  共 1000 人"
    assert [c.value for c in ws[3]] == [c.label for c in COLUMNS]
    assert ws.freeze_panes == "A4"
    assert ws.max_row == 1003

    first, second = ws[4], ws[5]
    assert first[2].value == "37012419900101123X"
    assert second[2].value == "370124199001011234"
    assert isinstance(second[2].value, str) and second[2].number_format == "@"
    assert second[3].value == "13812345678" and second[3].number_format == "@"
    assert first[5].value == dt.datetime(1990, 1, 1)  # openpyxl reads dates as datetimes
    assert first[5].is_date and first[5].number_format == "yyyy-mm-dd"
    assert first[6].is_date and first[6].value == dt.datetime(2026, 11, 29, 9, 30)
    assert first[7].value is None and second[7].value == 3500.5
    assert first[8].value == "否" and second[8].value == "是"
    assert first[9].value is None
    assert ws.column_dimensions["C"].number_format == "@"


def test_column_widths_fit_cjk(exported):
    path, _ = exported
    ws = openpyxl.load_workbook(path)["就业人员"]
    # 18 digits need 18 units; the label 公民身份号码 needs 12.
    assert ws.column_dimensions["C"].width >= 18
    # 欧阳娜娜: four CJK characters count 8.
    assert ws.column_dimensions["B"].width >= 8
    assert display_width("欧阳娜娜") == 8 and display_width("ab") == 2


def test_width_is_capped_and_explicit_width_wins(tmp_path):
    path = tmp_path / "w.xlsx"
    columns = [Column("a", "备注"), Column("b", "姓名", width=25)]
    write_table(path, title="t", columns=columns, rows=[{"a": "很长的备注" * 40, "b": "张三"}])
    ws = openpyxl.load_workbook(path).active
    assert ws.column_dimensions["A"].width == MAX_WIDTH
    assert ws.column_dimensions["B"].width == 25


def test_no_subtitle_puts_header_on_row_two(tmp_path):
    path = tmp_path / "t.xlsx"
    write_table(path, title="清单", columns=COLUMNS[:3], rows=people(3))
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "清单"
    assert [c.value for c in ws[2]] == ["序号", "姓名", "公民身份号码"]
    assert ws.freeze_panes == "A3"
    assert ws.max_row == 5


def test_single_column_is_not_merged_and_empty_rows_ok(tmp_path):
    path = tmp_path / "one.xlsx"
    assert write_table(path, title="名单", columns=[Column("name", "姓名")], rows=[]) == 0
    ws = openpyxl.load_workbook(path).active
    assert not ws.merged_cells.ranges
    assert ws["A2"].value == "姓名"


def test_strings_are_never_formulas_and_bad_characters_go(tmp_path):
    path = tmp_path / "f.xlsx"
    rows = [{"remarks": "=HYPERLINK(\"http://x\")", "name": "#N/A"}, {"remarks": "换\x07行", "name": "李四"}]
    columns = [Column("name", "姓名"), Column("remarks", "备注")]
    write_table(path, title="t", columns=columns, rows=rows)
    ws = openpyxl.load_workbook(path).active
    assert ws["B3"].value == '=HYPERLINK("http://x")' and ws["B3"].data_type == "s"
    assert ws["A3"].value == "#N/A" and ws["A3"].data_type == "s"
    assert ws["B4"].value == "换行"


def test_iso_date_strings_become_real_dates(tmp_path):
    path = tmp_path / "d.xlsx"
    columns = [Column("d", "登记日期"), Column("skills", "技能")]
    rows = [{"d": "2024-03-01", "skills": ["电工", "焊工"]}, {"d": "2024-02-30", "skills": ()},
            {"d": "2024-03-01T08:00:00Z", "skills": None}]
    write_table(path, title="t", columns=columns, rows=rows)
    ws = openpyxl.load_workbook(path).active
    assert ws["A3"].value == dt.datetime(2024, 3, 1) and ws["A3"].number_format == "yyyy-mm-dd"
    assert ws["A4"].value == "2024-02-30"  # not a real date: kept as written
    assert ws["A5"].value == "2024-03-01T08:00:00Z"
    assert ws["B3"].value == "电工、焊工" and ws["B4"].value is None


def test_text_column_formats_numbers_and_dates_as_text(tmp_path):
    path = tmp_path / "t.xlsx"
    columns = [Column("v", "值", text=True)]
    rows = [{"v": 13812345678.0}, {"v": dt.date(2024, 3, 1)}, {"v": 7}, {"v": None}]
    write_table(path, title="t", columns=columns, rows=rows)
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(r, 1).value for r in range(3, 7)] == ["13812345678", "2024-03-01", "7", None]


def test_export_reads_back_through_the_importer_path(exported):
    path, _ = exported
    rows = open_rows(path)
    match = find_header(rows)
    assert match is not None and match.row_number == 3
    assert match.columns[2] == "id_number" and match.columns[1] == "name"
    number, cells = match.following[0]
    assert number == 4 and cells[2] == "37012419900101123X"
    assert sum(1 for _ in rows) + len(match.following) == 1000


def test_failed_stream_leaves_old_file_and_no_tmp(tmp_path):
    path = tmp_path / "list.xlsx"
    write_table(path, title="旧", columns=COLUMNS, rows=people(2))
    before = path.read_bytes()

    def broken():
        yield from people(300)
        raise RuntimeError("database went away")

    scratch = set(glob.glob(os.path.join(tempfile.gettempdir(), "openpyxl.*")))
    with pytest.raises(RuntimeError):
        write_table(path, title="新", columns=COLUMNS, rows=broken())
    assert path.read_bytes() == before
    assert not os.path.exists(str(path) + ".tmp")
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "openpyxl.*"))) <= scratch


def test_unwritable_target_is_a_chinese_validation_error(tmp_path):
    target = tmp_path / "是目录.xlsx"
    target.mkdir()
    with pytest.raises(ValidationError) as err:
        write_table(target, title="t", columns=COLUMNS, rows=people(1))
    assert "无法保存" in str(err.value)
    assert not os.path.exists(str(target) + ".tmp")


def test_sheet_name_is_made_legal(tmp_path):
    path = tmp_path / "s.xlsx"
    write_table(path, title="t", columns=COLUMNS[:1], rows=[], sheet_name="2026/11 清单[全部]?" * 3)
    name = openpyxl.load_workbook(path).sheetnames[0]
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export(exported, tmp_path):
    path, _ = exported
    out = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    with open(out / (path.stem + ".csv"), encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "孔村镇就业服务站 就业人员清单"
    assert rows[2][:3] == ["序号", "姓名", "公民身份号码"]
    assert rows[4][2] == "370124199001011234"
    assert rows[3][5] == "1990-01-01"
    assert len(rows) == 1003
