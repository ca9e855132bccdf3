"""Importing job lists from Excel: tolerant reading, reasons per row, idempotent."""

from datetime import date, datetime, timedelta

import openpyxl
import pytest

from db import employers, job_import, jobs
from db.errors import ValidationError
from db.validation.credit_code import credit_code_check_char

TODAY = date.today()
VALID = TODAY + timedelta(days=60)
CODE = "91370124MA3C4D5E6" + credit_code_check_char("91370124MA3C4D5E6")
HEADER = ["序号", "企业名称", "统一社会信用代码", "岗位名称", "招聘人数", "薪资待遇（元/月）",
          "工作地点", "年龄要求", "是否适合大龄", "零工", "有效期至", "联系人", "联系电话", "备注"]


def job_rows() -> list[list]:
    """Rows as a county 岗位信息表 carries them, with the mistakes clerks meet."""
    excel_serial = (VALID - date(1899, 12, 30)).days
    return [
        [1, "平阴县玫瑰食品有限公司", CODE, "包装工", "5人", "3000-3800", "平阴县玫瑰镇",
         "18-55周岁", "是", "", datetime.combine(VALID, datetime.min.time()), "张经理",
         "0531-87881234", "长白班"],
        [2, " 苏州精工机械有限公司 ", None, "电焊工", 10, "７０００～９０００", "江苏省苏州市",
         "45岁以下", "否", None, excel_serial, None, None, None],
        [3, "某某建材厂", CODE[:-1] + ("1" if CODE[-1] != "1" else "2"), "搬运工", 2, "4000",
         "平阴县城", None, None, None, VALID.isoformat()],
        [4, "平阴县玫瑰食品有限公司", CODE, None, 3, "3500", "平阴县玫瑰镇"],
        [5, "青岛某厂", None, "普工", 3, "5000", "某开发区"],
        [6, "平阴县家政服务中心", None, "保洁", 4, "150元/天", "平阴县城", None, None, "是"],
        ["合计", None, None, None, 27],
    ]


def write_xlsx(path, rows, *, title=True):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append(["2026年平阴县企业用工岗位信息表"])
        ws.append(["填报单位：平阴县就业服务中心"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def job_file(tmp_path):
    return write_xlsx(tmp_path / "岗位.xlsx", job_rows())


def test_import_creates_jobs_and_employers_and_reports_each_refusal(station, job_file):
    result = job_import.import_jobs(station, job_file)
    assert len(result.created) == 2 and result.employers_created == 2
    reasons = {r.row: r.reason for r in result.rejected}
    assert sorted(reasons) == [6, 7, 8, 9]  # Excel row numbers below the title and header
    assert "校验位" in reasons[6]
    assert "工种" in reasons[7]
    assert "工作地类型" in reasons[8]
    assert "月薪" in reasons[9]
    assert "新增岗位 2 个" in result.summary() and "未导入 4 行" in result.summary()


def test_imported_job_fields_are_read_tolerantly(station, job_file):
    created = job_import.import_jobs(station, job_file).created
    packing, welding = (jobs.get_job(station, jid) for jid in created)
    assert (packing["headcount"], packing["wage_min"], packing["wage_max"]) == (5, 3000, 3800)
    assert (packing["age_min"], packing["age_max"], packing["older_friendly"]) == (18, 55, 1)
    assert packing["place_type"] == "county"  # 平阴县 is the station's county
    assert packing["valid_until"] == VALID.isoformat() and packing["source"] == "county"
    assert packing["source_note"] == "长白班" and packing["credit_code"] == CODE
    assert packing["contact_phone"] == "0531-87881234"
    assert welding["employer_name"] == "苏州精工机械有限公司"
    assert (welding["wage_min"], welding["wage_max"], welding["age_max"]) == (7000, 9000, 45)
    assert welding["place_type"] == "out_province"  # 江苏 is not 山东
    assert welding["valid_until"] == VALID.isoformat()  # from an Excel date serial


def test_reimporting_the_same_file_changes_nothing(station, job_file):
    job_import.import_jobs(station, job_file)
    audit_rows = station.scalar("SELECT count(*) FROM audit_log")
    again = job_import.import_jobs(station, job_file)
    assert again.created == [] and len(again.unchanged) == 2 and len(again.rejected) == 4
    assert station.scalar("SELECT count(*) FROM audit_log") == audit_rows


def test_existing_employer_is_reused_by_credit_code(station, job_file):
    owner = employers.create_employer(station, {"name": "玫瑰食品", "credit_code": CODE})
    result = job_import.import_jobs(station, job_file)
    assert result.employers_created == 1
    assert jobs.get_job(station, result.created[0])["employer_id"] == owner


def test_a_file_without_a_job_header_is_refused_and_nothing_written(station, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.active.append(["张三", "370124198505031234"])
    wb.save(tmp_path / "roster.xlsx")
    with pytest.raises(ValidationError, match="表头"):
        job_import.import_jobs(station, tmp_path / "roster.xlsx")
    assert station.scalar("SELECT count(*) FROM employer") == 0


def test_place_type_column_wins_and_csv_works(station, tmp_path):
    path = tmp_path / "jobs.csv"
    path.write_text("用人单位,工种,工作地类型,工作地点,工资\n"
                    "济南宏达建筑工程有限公司,建筑瓦工,省内,济南市槐荫区,6000-8000\n",
                    encoding="gb18030")
    (jid,) = job_import.import_jobs(station, path, source="cooperation").created
    row = jobs.get_job(station, jid)
    assert (row["place_type"], row["source"], row["wage_max"]) == ("province", "cooperation", 8000)


def test_rejected_rows_come_back_in_an_excel_file(station, job_file, tmp_path):
    result = job_import.import_jobs(station, job_file)
    out = tmp_path / "未导入.xlsx"
    assert job_import.write_rejects(out, result) == 4
    ws = openpyxl.load_workbook(out).active
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    flat = [str(v) for row in values for v in row]
    assert "未导入原因" in flat and "企业名称" in flat and "某某建材厂" in flat
    assert any("校验位" in v for v in flat)
