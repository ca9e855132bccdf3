"""import-jobs, match, refer, outcome and print, end to end in real subprocesses."""

import json
import re
import sqlite3
from datetime import date

import pytest

from db import accounts
from db.station import open_station, station_path
from tests.db.test_jobs_import import write_xlsx
from tests.printing.pdfcheck import font_is_embedded, page_fonts, page_texts
from tests.test_cli import ENV, run

TODAY = date.today()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-jobs") / "station"
    run("--data-dir", folder, "init", "--station-code", "370124101",
        "--station-name", "孔村镇就业服务站", "--county", "平阴县",
        "--villages", "东关村,西关村", "--admin", "admin")
    out = run("--data-dir", folder, "--user", "admin", "seed-demo", "--people", "200", "--json")
    seeded = json.loads(out.stdout)
    assert seeded["jobs"] > 0 and seeded["referrals"] > 0 and seeded["export_batches"] > 0
    return folder


def admin(data_dir, *args, check=True, env=ENV):
    return run("--data-dir", data_dir, "--user", "admin", *args, check=check, env=env)


def query(data_dir, sql, params=()):
    with sqlite3.connect(station_path(data_dir)) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def imported(data_dir, tmp_path_factory):
    from tests.db.test_jobs_import import job_rows

    path = write_xlsx(tmp_path_factory.mktemp("xlsx") / "岗位.xlsx", job_rows())
    out = json.loads(admin(data_dir, "import-jobs", path, "--json").stdout)
    return path, out


def test_import_jobs_lists_each_created_job(data_dir, imported):
    _path, out = imported
    assert len(out["created"]) == 2
    assert {r["row"] for r in out["rejected"]} == {6, 7, 8, 9}
    for job_id in out["created"]:
        assert query(data_dir, "SELECT 1 FROM job WHERE id = ?", [job_id])


def test_import_jobs_again_changes_nothing_and_writes_the_rejects(data_dir, imported, tmp_path):
    path, _out = imported
    rejects = tmp_path / "未导入.xlsx"
    out = admin(data_dir, "import-jobs", path, "--rejects", rejects)
    assert "新增岗位 0 个" in out.stdout and "已存在 2 个" in out.stdout
    assert "第 6 行" in out.stdout and rejects.exists()


def _seeker(data_dir) -> str:
    """A person of the demo station aged 18–50 without any referral."""
    rows = query(data_dir, "SELECT id_number FROM person p WHERE birth_date > '1976-01-01' "
                           "AND birth_date < '2007-01-01' AND NOT EXISTS "
                           "(SELECT 1 FROM referral r WHERE r.person_id = p.id) ORDER BY rowid")
    return rows[0][0]


def test_refer_prints_the_number_and_refuses_a_second_time(data_dir, imported):
    job_id = imported[1]["created"][0]  # 包装工, 18–55
    id_number = _seeker(data_dir)
    number = admin(data_dir, "refer", "--id", id_number, "--job", job_id).stdout.strip()
    assert re.fullmatch(rf"370124101-{TODAY.year}-\d{{5}}", number)
    count = query(data_dir, "SELECT count(*) FROM referral")[0][0]
    again = admin(data_dir, "refer", "--id", id_number, "--job", job_id, check=False)
    assert again.returncode == 1 and number in again.stderr and "已推荐" in again.stderr
    assert query(data_dir, "SELECT count(*) FROM referral")[0][0] == count


def test_refer_json_and_outcome_with_status_update(data_dir, imported):
    job_id = imported[1]["created"][0]
    id_number = _seeker(data_dir)
    made = json.loads(admin(data_dir, "refer", "--id", id_number, "--job", job_id,
                            "--json").stdout)
    out = json.loads(admin(data_dir, "outcome", made["number"], "hired", "--update-status",
                           "--json").stdout)
    assert out == {"number": made["number"], "outcome": "hired", "status_updated": True}
    status = query(data_dir, "SELECT current_status FROM person WHERE id_number = ?",
                   [id_number])[0][0]
    assert status == "local"


def test_match_for_a_person_and_for_a_job(data_dir, imported):
    job_id = imported[1]["created"][0]
    by_job = json.loads(admin(data_dir, "match", "--job", job_id, "--limit", "5",
                              "--json").stdout)["matches"]
    assert 0 < len(by_job) <= 5 and by_job[0]["score"] >= by_job[-1]["score"]
    assert all(r["reasons"] for r in by_job)
    id_number = _seeker(data_dir)
    text = admin(data_dir, "match", "--id", id_number).stdout
    assert "（+" in text


def test_print_referral_letter_with_the_full_id(data_dir):
    number, id_number = query(
        data_dir, "SELECT r.number, p.id_number FROM referral r JOIN person p "
                  "ON p.id = r.person_id ORDER BY r.number LIMIT 1")[0]
    out = data_dir.parent / "letter.pdf"
    admin(data_dir, "print", "referral", number, "--out", out)
    text = page_texts(out.read_bytes())[0]
    assert "推荐介绍信（存根）" in text and "推荐介绍信回执" in text
    assert number in text and id_number in text
    assert all(font_is_embedded(f) for f in page_fonts(out.read_bytes()))


def test_print_a_days_letters_in_one_file(data_dir):
    day, count = query(data_dir, "SELECT referral_date, count(*) FROM referral "
                                 "GROUP BY referral_date ORDER BY count(*) DESC LIMIT 1")[0]
    out = data_dir.parent / "day.pdf"
    payload = json.loads(admin(data_dir, "print", "day", day, "--out", out, "--json").stdout)
    assert payload["out"] == str(out)
    assert len(page_texts(out.read_bytes())) == count


def test_print_certificate_list_person_and_export_roster(data_dir):
    reg_number, id_number = query(data_dir, "SELECT r.number, p.id_number FROM registration r "
                                            "JOIN person p ON p.id = r.person_id LIMIT 1")[0]
    batch = query(data_dir, "SELECT number FROM export_batch LIMIT 1")[0][0]
    cases = {
        ("certificate", reg_number): ["凭证", reg_number, id_number],
        ("list", "unemployed"): ["失业人员清单", "共"],
        ("person", id_number): ["服务记录", "基本信息", id_number],
        ("export", batch): ["劳务输出人员花名册", batch],
    }
    for (kind, key), words in cases.items():
        out = data_dir.parent / f"{kind}.pdf"
        admin(data_dir, "print", kind, key, "--out", out)
        text = "".join(page_texts(out.read_bytes()))
        for word in words:
            assert word in text, (kind, word)


def test_a_clerk_prints_lists_with_masked_numbers(data_dir):
    station = open_station(data_dir)
    try:
        station.act_as(accounts.authenticate(station, "admin", ENV["JOBSTATION_PASSWORD"]))
        accounts.create_account(station, "li", "李专员", "clerk", "secret456")
    finally:
        station.close()
    out = data_dir.parent / "masked.pdf"
    run("--data-dir", data_dir, "--user", "li", "print", "list", "unemployed", "--out", out,
        env={**ENV, "JOBSTATION_PASSWORD": "secret456"})
    text = "".join(page_texts(out.read_bytes()))
    full_ids = query(data_dir, "SELECT id_number FROM person WHERE current_status = 'unemployed'")
    assert "**********" in text
    assert not any(row[0] in text for row in full_ids)


def test_printing_something_unknown_fails_in_chinese_and_writes_nothing(data_dir):
    out = data_dir.parent / "none.pdf"
    proc = admin(data_dir, "print", "referral", "370124101-1999-99999", "--out", out, check=False)
    assert proc.returncode == 1 and "没有推荐信编号" in proc.stderr
    assert not out.exists()


def test_import_of_a_roster_instead_of_a_job_list_fails_and_writes_nothing(data_dir, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.save(tmp_path / "roster.xlsx")
    before = query(data_dir, "SELECT count(*) FROM job")[0][0]
    proc = admin(data_dir, "import-jobs", tmp_path / "roster.xlsx", check=False)
    assert proc.returncode == 1 and "表头" in proc.stderr
    assert query(data_dir, "SELECT count(*) FROM job")[0][0] == before
