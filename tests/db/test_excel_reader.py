"""db.excel.reader: tolerant streaming of real-world rosters (.xlsx, .xls, .csv)."""

import csv
import datetime as dt
import os
import re
import zipfile

import openpyxl
import pytest

from db.errors import ValidationError
from db.excel import (
    count_rows,
    find_header,
    is_blank,
    is_excel_rounded_number,
    is_total_row,
    open_rows,
    sheet_names,
)

HEADER = ["序号", "姓名", "公民身份号码", "联系电话", "所在村", "出生日期", "月收入（元）", "备注"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_clerk_message(err: ValidationError):
    text = str(err)
    assert CJK.search(text) and text.endswith("。") and text.count("。") == 1


def roster_xlsx(path):
    """A roster as clerks make it: title + notes above the header, blank and 合计 rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["孔村镇农民工花名册"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：孔村镇就业服务站", None, None, None, None, "填报日期：2026年11月"])
    ws.append([" 序号 ", "姓　名", "公民身份\n号码", "联系电话", "所在村", "出生日期", "月收入（元）", "备注"])
    ws.append([1, "  张三 ", "37012419900101123X", "13812345678", "东关村", dt.date(1990, 1, 1), 3500, None])
    ws.append([2.0, "李四", 370124199001011234, 13912345678, "西关村", dt.date(1985, 5, 6), 4200.5, "返乡"])
    ws.append([None, "  ", None])
    ws.append([3, "王五", float(370124199001011234), "", "东关村", None, None, None])
    ws.append(["合计", None, None, None, None, None, 7700.5])
    wb.save(path)
    return path


def test_xlsx_roster_rows(tmp_path):
    path = roster_xlsx(tmp_path / "花名册.xlsx")
    rows = list(open_rows(path))
    numbers = [n for n, _ in rows]
    assert numbers == list(range(1, 9))
    assert rows[0][1] == ["孔村镇农民工花名册"]  # merged title: the top-left only
    assert rows[2][1][1] == "姓　名".strip() and rows[2][1][0] == "序号"
    n, zhang = rows[3]
    assert n == 4 and zhang[:3] == [1, "张三", "37012419900101123X"]
    assert zhang[5] == dt.datetime(1990, 1, 1)
    assert len(zhang) == 7  # trailing empty cells are dropped
    li = rows[4][1]
    assert li[0] == 2 and isinstance(li[0], int)  # 2.0 → 2
    # openpyxl stores numbers as doubles ("%.16g"), as Excel does: the ID is rounded.
    assert isinstance(li[2], float) and is_excel_rounded_number(li[2])
    assert li[3] == 13912345678 and li[6] == 4200.5
    assert rows[5][1] == [] and is_blank(rows[5][1])
    wang = rows[6][1]
    assert isinstance(wang[2], float) and is_excel_rounded_number(wang[2])
    assert wang[3] is None  # "" → None
    assert is_total_row(rows[7][1]) and not is_total_row(zhang)


def test_xlsx_header_found_below_title_and_notes(tmp_path):
    path = roster_xlsx(tmp_path / "r.xlsx")
    match = find_header(open_rows(path))
    assert match.row_number == 3
    assert match.columns == {
        0: "serial", 1: "name", 2: "id_number", 3: "phone",
        4: "hukou_village", 5: "birth_date", 6: "monthly_income", 7: "remarks",
    }
    assert match.unmapped == {}
    assert match.following[0][0] == 4


def test_scientific_string_from_excel_is_detected(tmp_path):
    path = tmp_path / "sci.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.active.append(["张三", "3.70124E+17"])
    wb.save(path)
    (_, header), (_, row) = list(open_rows(path))
    assert is_excel_rounded_number(row[1])


def _rewrite_sheet_xml(path, change):
    src = zipfile.ZipFile(path)
    out_path = str(path) + ".new"
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data)
    src.close()
    os.replace(out_path, path)


def test_wrong_stored_dimension_does_not_lose_rows(tmp_path):
    path = tmp_path / "dim.xlsx"
    wb = openpyxl.Workbook()
    for i in range(50):
        wb.active.append([f"人{i}", i, None, None, "尾"])
    wb.save(path)
    _rewrite_sheet_xml(path, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B2"', xml))
    rows = list(open_rows(path))
    assert len(rows) == 50 and rows[-1] == (50, ["人49", 49, None, None, "尾"])
    assert count_rows(path) == 2  # the declared size: only an estimate


def test_gaps_keep_excel_row_numbers(tmp_path):
    path = tmp_path / "gap.xlsx"
    wb = openpyxl.Workbook()
    wb.active["B2"] = "姓名"
    wb.active["B7"] = "张三"
    wb.save(path)
    rows = list(open_rows(path))
    assert rows[1] == (2, [None, "姓名"])
    assert rows[6] == (7, [None, "张三"])
    assert all(r == [] for n, r in rows if n not in (2, 7))


def test_sheets_hidden_named_and_missing(tmp_path):
    path = tmp_path / "sheets.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["隐藏的说明"])
    wb.active.sheet_state = "hidden"
    wb.create_sheet("花名册").append(["姓名"])
    wb.create_sheet("汇总").append(["合计"])
    wb.active = 1
    wb.save(path)
    assert sheet_names(path) == ["说明", "花名册", "汇总"]
    assert list(open_rows(path)) == [(1, ["姓名"])]
    assert list(open_rows(path, sheet="汇总")) == [(1, ["合计"])]
    assert list(open_rows(path, sheet=0)) == [(1, ["隐藏的说明"])]
    with pytest.raises(ValidationError) as err:
        list(open_rows(path, sheet="不存在"))
    assert_clerk_message(err.value)


def test_xlsx_renamed_xls_is_read(tmp_path):
    path = roster_xlsx(tmp_path / "r.xlsx")
    renamed = tmp_path / "改了扩展名.xls"
    os.replace(path, renamed)
    assert len(list(open_rows(renamed))) == 8


def test_count_rows_xlsx_and_csv(tmp_path):
    path = roster_xlsx(tmp_path / "r.xlsx")
    assert count_rows(path) == 8
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("姓名\n张三\n李四", encoding="utf-8")
    assert count_rows(csv_path) == 3
    assert count_rows(tmp_path / "missing.xlsx") is None


# ---- CSV -----------------------------------------------------------------------------------

CSV_ROWS = [
    ["孔村镇农民工花名册"],
    ["姓名", "身份证号", "联系电话", "村", "备注"],
    ["张三", "37012419900101123X", "13812345678", "东关村", "在外务工，年底返乡"],
    ["李四", "3.70124E+17", " 13912345678 ", "西关村", "多行\n备注"],
    [],
    ["合计", "2人"],
]


def write_csv(path, encoding, delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(CSV_ROWS)
    return path


def expected_csv_rows():
    return [
        (1, ["孔村镇农民工花名册"]),
        (2, ["姓名", "身份证号", "联系电话", "村", "备注"]),
        (3, ["张三", "37012419900101123X", "13812345678", "东关村", "在外务工，年底返乡"]),
        (4, ["李四", "3.70124E+17", "13912345678", "西关村", "多行\n备注"]),
        (5, []),
        (6, ["合计", "2人"]),
    ]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gb18030", ","), ("gbk", ","), ("utf-8-sig", ","), ("utf-8", ","), ("utf-8", "\t"),
     ("gb18030", "\t"), ("utf-16", "\t")],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = write_csv(tmp_path / "名单.csv", encoding, delimiter)
    rows = list(open_rows(path))
    assert rows == expected_csv_rows()
    assert is_excel_rounded_number(rows[3][1][1])
    assert is_total_row(rows[5][1])
    match = find_header(iter(rows))
    assert match.row_number == 2
    assert match.columns == {0: "name", 1: "id_number", 2: "phone", 3: "hukou_village", 4: "remarks"}


def test_gb18030_rare_characters(tmp_path):
    path = tmp_path / "rare.txt"
    path.write_bytes("姓名,身份证号\n𠀾䶮,370124199001011234\n".encode("gb18030"))
    assert list(open_rows(path))[1] == (2, ["𠀾䶮", "370124199001011234"])


# ---- .xls ----------------------------------------------------------------------------------


def test_xls_roster(tmp_path):
    xlwt = pytest.importorskip("xlwt", reason="xlwt (writes .xls for this test) is not installed")
    path = tmp_path / "旧格式.xls"
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("花名册")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    ws.write_merge(0, 0, 0, 4, "孔村镇农民工花名册")
    for col, text in enumerate(["序号", "姓名", "身份证号码", "出生年月", "月工资", "是否脱贫户"]):
        ws.write(1, col, text)
    ws.write(2, 0, 1)
    ws.write(2, 1, " 张三 ")
    ws.write(2, 2, "37012419900101123X")
    ws.write(2, 3, dt.date(1990, 1, 1), date_style)
    ws.write(2, 4, 3500.5)
    ws.write(2, 5, True)
    ws.write(3, 0, 2)
    ws.write(3, 1, "李四")
    ws.write(3, 2, 370124199001011234)  # Excel keeps 15 digits: a rounded ID
    ws.write(5, 0, "合计")
    wb.save(str(path))

    rows = list(open_rows(path))
    assert [n for n, _ in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0][1] == ["孔村镇农民工花名册"]
    assert rows[2][1] == [1, "张三", "37012419900101123X", dt.datetime(1990, 1, 1), 3500.5, True]
    assert isinstance(rows[2][1][0], int)
    assert is_excel_rounded_number(rows[3][1][2])
    assert rows[4][1] == [] and is_total_row(rows[5][1])
    assert count_rows(path) == 6
    assert sheet_names(path) == ["花名册"]
    match = find_header(iter(rows))
    assert match.row_number == 2
    assert match.columns == {
        0: "serial", 1: "name", 2: "id_number", 3: "birth_date", 4: "monthly_income",
        5: "poverty_alleviated",
    }


# ---- Files that are not what they say ------------------------------------------------------


def _corrupt(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("random.xlsx", os.urandom(4096)),
        ("random.xls", os.urandom(4096)),
        ("empty.xlsx", b""),
        ("page.xls", b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>"),
        ("ole.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4000)),
        ("zip.xlsx", None),
        ("truncated.xlsx", "truncated"),
        ("doc.docx", b"PK\x03\x04rest"),
        ("wps.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ],
)
def test_bad_files_raise_a_chinese_validation_error(tmp_path, name, data):
    if data is None:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "not a workbook")
    elif data == "truncated":
        full = roster_xlsx(tmp_path / "full.xlsx").read_bytes()
        path = _corrupt(tmp_path, name, full[: len(full) // 2])
    else:
        path = _corrupt(tmp_path, name, data)
    with pytest.raises(ValidationError) as err:
        list(open_rows(path))
    assert_clerk_message(err.value)
    assert count_rows(path) is None or isinstance(count_rows(path), int)


def test_password_protected_xlsx_says_so(tmp_path):
    # Encrypted .xlsx files are OLE2 envelopes holding an "EncryptedPackage" stream.
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000) + "EncryptedPackage".encode("utf-16-le")
    path = _corrupt(tmp_path, "加密.xlsx", body + bytes(2000))
    with pytest.raises(ValidationError) as err:
        list(open_rows(path))
    assert "密码" in str(err.value)
    assert_clerk_message(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ValidationError) as err:
        open_rows(tmp_path / "没有.xlsx")
    assert "找不到" in str(err.value)


def test_open_rows_checks_the_file_type_at_once(tmp_path):
    with pytest.raises(ValidationError):
        open_rows(_corrupt(tmp_path, "x.pdf", b"%PDF-1.4"))


def test_early_stop_releases_the_file(tmp_path):
    path = roster_xlsx(tmp_path / "r.xlsx")
    rows = open_rows(path)
    next(rows)
    rows.close()
    os.replace(path, tmp_path / "moved.xlsx")  # would fail on Windows if still open
    assert len(list(open_rows(tmp_path / "moved.xlsx"))) == 8
