"""home, ledger, followup, rights-add, rights-status, training-needs and report, end to end
in real subprocesses on a real station folder."""

import json
import sqlite3
from datetime import date

import openpyxl
import pytest

from db.holidays import Month
from db.station import station_path
from tests.printing.pdfcheck import font_is_embedded, page_fonts, page_texts
from tests.test_cli import run

TODAY = date.today()
MONTH = str(Month.parse(TODAY))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-report") / "station"
    run("--data-dir", folder, "init", "--station-code", "370124101",
        "--station-name", "孔村镇就业服务站", "--county", "平阴县",
        "--villages", "东关村,西关村", "--admin", "admin")
    seeded = json.loads(admin(folder, "seed-demo", "--people", "300", "--json").stdout)
    assert seeded["ledger_followups"] > 0 and seeded["consultations"] > 0
    assert seeded["training_records"] > 0 and seeded["risk_returns"] > 0
    return folder


def admin(data_dir, *args, check=True):
    return run("--data-dir", data_dir, "--user", "admin", *args, check=check)


def query(data_dir, sql, params=()):
    with sqlite3.connect(station_path(data_dir)) as conn:
        return conn.execute(sql, params).fetchall()


def refused(data_dir, *args) -> str:
    proc = admin(data_dir, *args, check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    return proc.stderr.strip()


def test_home_lists_work_items_counts_and_the_risk_warning(data_dir):
    home = json.loads(admin(data_dir, "home", "--json").stdout)
    assert home["people"] == query(data_dir, "SELECT count(*) FROM person "
                                             "WHERE deleted_at IS NULL")[0][0]
    assert sum(home["by_status"].values()) == home["people"]
    assert {i["target"] for i in home["items"]} <= {"ledger_entry", "referral", "placement",
                                                    "attendance_month"}
    assert all(i["text"] and i["target_id"] for i in home["items"])
    assert home["risks"] and home["risks"][0]["village"] == "东关村"
    assert "规模性失业风险" in admin(data_dir, "home").stdout


def test_ledger_exports_to_excel_and_prints_to_pdf(data_dir, tmp_path):
    in_ledger = query(data_dir, "SELECT count(*) FROM ledger_entry WHERE left_on IS NULL "
                                "AND deleted_at IS NULL")[0][0]
    out = json.loads(admin(data_dir, "ledger", "--out", tmp_path / "台账.xlsx", "--json").stdout)
    assert out["rows"] == in_ledger > 0
    ws = openpyxl.load_workbook(tmp_path / "台账.xlsx").active
    assert [c.value for c in ws[3]][-2:] == ["下次走访日期", "备注"]
    overdue = json.loads(admin(data_dir, "ledger", "--overdue", "--out", tmp_path / "逾期.pdf",
                               "--json").stdout)["rows"]
    assert 0 < overdue < in_ledger
    pdf = (tmp_path / "逾期.pdf").read_bytes()
    text = "".join(page_texts(pdf))
    assert "就业帮扶台账" in text and "走访已逾期" in text
    assert all(font_is_embedded(f) for f in page_fonts(pdf))


def _ledger_id_number(data_dir):
    return query(data_dir, "SELECT p.id_number FROM ledger_entry e JOIN person p ON "
                           "p.id = e.person_id WHERE e.left_on IS NULL AND e.deleted_at IS NULL "
                           "ORDER BY e.rowid LIMIT 1")[0][0]


def test_followup_by_id_number_and_a_found_job_takes_the_person_out(data_dir):
    number = _ledger_id_number(data_dir)
    out = json.loads(admin(data_dir, "followup", "--id", number, "--method", "visit",
                           "--outcome", "在家务农，愿意就近务工", "--next-due",
                           "2099-01-01", "--json").stdout)
    assert (out["next_due_date"], out["in_ledger"]) == ("2099-01-01", True)
    assert query(data_dir, "SELECT method, clerk FROM ledger_followup WHERE id = ?",
                 [out["id"]]) == [("visit", "站长")]
    text = admin(data_dir, "followup", "--id", number, "--method", "phone", "--outcome",
                 "已在县城企业上班", "--status", "local").stdout
    assert "已退出就业帮扶台账" in text
    message = refused(data_dir, "followup", "--id", number, "--method", "phone", "--outcome", "再访")
    assert message.startswith("此人不在就业帮扶台账中")


def test_a_bad_followup_is_refused_and_writes_nothing(data_dir):
    number = _ledger_id_number(data_dir)
    before = query(data_dir, "SELECT count(*) FROM audit_log")
    message = refused(data_dir, "followup", "--id", number, "--method", "phone", "--outcome",
                      "联系了", "--date", "2099-01-01")
    assert message == "走访日期不能晚于今天。"
    assert query(data_dir, "SELECT count(*) FROM audit_log") == before


def test_rights_case_flow_with_a_refused_move(data_dir):
    number = _ledger_id_number(data_dir)
    case = admin(data_dir, "rights-add", "--employer", "刘某某（包工头）", "--person", number,
                 "--name", "赵卫东", "--people", "5", "--amount", "26000", "--evidence",
                 "工资花名册,欠条", "--period-from", "2026-01", "--period-to", "2026-03")
    case_number = case.stdout.strip()
    assert case_number.startswith("370124101-WQ")
    admin(data_dir, "rights-status", case_number, "referred")
    done = json.loads(admin(data_dir, "rights-status", case_number, "resolved", "--result",
                            "劳动监察督促后已全额支付", "--recovered", "26000", "--json").stdout)
    assert (done["status"], done["recovered"]) == ("resolved", 2_600_000)
    before = query(data_dir, "SELECT count(*) FROM audit_log")
    message = refused(data_dir, "rights-status", case_number, "referred")
    assert message == "此咨询已解决，不能再改为“转劳动监察”。"
    assert query(data_dir, "SELECT count(*) FROM audit_log") == before
    assert query(data_dir, "SELECT people_count, evidence, status FROM rights_case WHERE "
                           "number = ?", [case_number]) == [(5, "payroll,iou", "resolved")]


def test_training_needs_export(data_dir, tmp_path):
    out = json.loads(admin(data_dir, "training-needs", "--out", tmp_path / "需求.xlsx",
                           "--json").stdout)
    assert out["rows"] > 0
    assert "培训需求名单" in openpyxl.load_workbook(tmp_path / "需求.xlsx").active["A1"].value
    assert refused(data_dir, "training-needs", "--out", tmp_path / "需求.pdf") == (
        "培训需求名单请导出为 .xlsx 文件。")


def test_report_to_excel_and_pdf_with_figures_as_json(data_dir, tmp_path):
    figures = json.loads(admin(data_dir, "report", "--month", MONTH, "--out",
                               tmp_path / "月报.xlsx", "--json").stdout)
    assert figures["month"] == MONTH
    assert figures["people"] == query(data_dir, "SELECT count(*) FROM person "
                                                "WHERE deleted_at IS NULL")[0][0]
    assert figures["consultations"]["received"] == query(
        data_dir, "SELECT count(*) FROM rights_case WHERE deleted_at IS NULL AND "
                  "substr(received_on, 1, 7) = ?", [MONTH])[0][0]
    ws = openpyxl.load_workbook(tmp_path / "月报.xlsx").active
    assert ws["A1"].value.endswith("农民工就业服务工作月报")
    text = admin(data_dir, "report", "--month", MONTH, "--out", tmp_path / "月报.pdf").stdout
    assert "已生成" in text
    assert "分村人员情况" in "".join(page_texts((tmp_path / "月报.pdf").read_bytes()))


@pytest.mark.parametrize("month, name, message", [
    (MONTH, "月报.docx", "输出文件的扩展名应为 .xlsx（Excel）或 .pdf。"),
    ("2099-01", "月报.xlsx", "月报月份不能晚于本月。"),
    ("2026-13", "月报.xlsx", "月份格式不对，请写成 2025-03 这样的形式。"),
])
def test_report_refusals_leave_no_file(data_dir, tmp_path, month, name, message):
    assert refused(data_dir, "report", "--month", month, "--out", tmp_path / name) == message
    assert list(tmp_path.iterdir()) == []
