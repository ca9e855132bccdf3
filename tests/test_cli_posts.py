"""Welfare-post commands end to end, in real subprocesses on a real demo station."""

import json
from datetime import date

import openpyxl
import pytest

from db.holidays import Month
from tests.printing.pdfcheck import page_texts

from .test_cli import run

CURRENT = Month.parse(date.today())
PREVIOUS = CURRENT.previous()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-posts") / "station"
    run("--data-dir", folder, "init", "--station-code", "370124101",
        "--station-name", "孔村镇就业服务站", "--county", "平阴县",
        "--villages", "东关村,西关村", "--admin", "admin")
    return folder


@pytest.fixture(scope="module")
def seeded(data_dir):
    out = run("--data-dir", data_dir, "--user", "admin", "seed-demo", "--people", "400",
              "--json")
    return json.loads(out.stdout)


def cli(data_dir, *args, check=True):
    return run("--data-dir", data_dir, "--user", "admin", *args, check=check)


def test_seed_demo_creates_posts_and_approved_months(seeded):
    assert seeded["welfare_posts"] == 8 and seeded["placements"] > 5
    assert seeded["approved_months"] == 3


def test_print_attendance_for_the_open_month(data_dir, seeded, tmp_path):
    target = tmp_path / "kq.pdf"
    cli(data_dir, "print", "attendance", "--month", str(CURRENT), "--out", target)
    texts = page_texts(target.read_bytes())
    assert "乡村公益性岗位月度考勤表" in texts[0] and f"表号：KQ{CURRENT.year}" in texts[0]
    assert any("村：西关村" in t for t in texts) and any("村：东关村" in t for t in texts)
    one = tmp_path / "one.pdf"
    cli(data_dir, "print", "attendance", "--month", str(CURRENT), "--village", "西关村",
        "--out", one)
    assert all("村：东关村" not in t for t in page_texts(one.read_bytes()))


def test_subsidy_exports_the_approved_month(data_dir, seeded, tmp_path):
    target = tmp_path / "pay.xlsx"
    out = json.loads(cli(data_dir, "subsidy", "--month", str(PREVIOUS), "--out", target,
                         "--json").stdout)
    assert out["approved"] and out["people"] == seeded["placements"]
    ws = openpyxl.load_workbook(target).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert rows[-1][1] == "合计" and round(rows[-1][10] * 100) == out["total_fen"]
    assert round(sum(r[10] for r in rows[:-1]) * 100) == out["total_fen"]
    assert all(r[11] for r in rows[:-1])  # every amount says how it was reached


def test_subsidy_of_the_open_month_is_a_preview(data_dir, seeded, tmp_path):
    out = json.loads(cli(data_dir, "subsidy", "--month", str(CURRENT), "--out",
                         tmp_path / "p.xlsx", "--json").stdout)
    assert out["approved"] is False


def test_pay_sheet_and_its_public_version_print(data_dir, seeded, tmp_path):
    cli(data_dir, "print", "pay", "--month", str(PREVIOUS), "--out", tmp_path / "pay.pdf")
    cli(data_dir, "print", "pay", "--month", str(PREVIOUS), "--public", "--out",
        tmp_path / "pub.pdf")
    internal = "".join(page_texts((tmp_path / "pay.pdf").read_bytes()))
    public = "".join(page_texts((tmp_path / "pub.pdf").read_bytes()))
    assert "领取人签字" in internal and "已审核" in internal
    assert "公示期" in public and "**********" in public and "领取人签字" not in public


def test_placement_notice_prints_by_id_number(data_dir, seeded, tmp_path):
    target = tmp_path / "pay.xlsx"
    cli(data_dir, "subsidy", "--month", str(PREVIOUS), "--out", target)
    ws = openpyxl.load_workbook(target).active
    name, id_number = ws["B4"].value, ws["C4"].value
    cli(data_dir, "print", "placement-notice", id_number, "--out", tmp_path / "n.pdf")
    text = page_texts((tmp_path / "n.pdf").read_bytes())[0]
    assert f"{name}同志" in text and "上岗通知书回执" in text


def test_future_month_cannot_be_approved(data_dir, seeded):
    proc = cli(data_dir, "approve-month", "--month", str(CURRENT.next()), check=False)
    assert proc.returncode == 1 and "尚未结束" in proc.stderr


def test_bad_month_is_refused_in_chinese_and_writes_nothing(data_dir, tmp_path):
    proc = cli(data_dir, "print", "attendance", "--month", "2025-13", "--out",
               tmp_path / "x.pdf", check=False)
    assert proc.returncode == 1 and "月份格式不对" in proc.stderr
    assert not (tmp_path / "x.pdf").exists()
