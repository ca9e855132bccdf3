"""``jobstation import-roster`` and ``jobstation compare`` in real subprocesses."""

import json
import os
import subprocess
import sys

import openpyxl
import pytest

from tests.roster_samples import simple_roster, write_csv, write_xlsx

ENV = {**os.environ, "JOBSTATION_PASSWORD": "secret123", "QT_QPA_PLATFORM": "offscreen"}


def run(data_dir, *args, check=True):
    proc = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data_dir),
                           "--user", "admin", *map(str, args)],
                          capture_output=True, text=True, env=ENV, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "station"
    subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(folder), "init",
                    "--station-code", "370124101", "--station-name", "孔村镇就业服务站",
                    "--villages", "东关村", "--admin", "admin"],
                   check=True, env=ENV, capture_output=True)
    return folder


@pytest.fixture
def roster(tmp_path):
    rows = simple_roster(6)
    rows[5][2] = "3.70124E+17"
    rows[6][1] = None
    return write_xlsx(tmp_path / "花名册.xlsx", rows, merges=("A1:H1",))


def test_dry_run_reports_counts_as_json_and_writes_nothing(data_dir, roster):
    out = json.loads(run(data_dir, "import-roster", roster, "--dry-run", "--json").stdout)
    assert set(out) == {"rows", "created", "updated", "unchanged", "conflicts", "rejected"}
    assert (out["rows"], out["created"], out["updated"], out["unchanged"]) == (6, 4, 0, 0)
    assert [r["row"] for r in out["rejected"]] == [6, 7]
    assert "最后几位已经丢失" in out["rejected"][0]["reason"]
    again = json.loads(run(data_dir, "import-roster", roster, "--json").stdout)
    assert again["created"] == 4  # the dry run wrote nothing


def test_import_then_reimport_changes_nothing(data_dir, roster):
    first = json.loads(run(data_dir, "import-roster", roster, "--json").stdout)
    second = json.loads(run(data_dir, "import-roster", roster, "--json").stdout)
    assert first["created"] == 4
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 4)


def test_report_holds_the_rejected_rows_with_reasons(data_dir, roster, tmp_path):
    report = tmp_path / "未导入.xlsx"
    proc = run(data_dir, "import-roster", roster, "--report", report)
    assert "新增 4 人" in proc.stdout and "第6行" in proc.stdout
    values = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert values[2][-2:] == ("原行号", "未导入原因")
    assert [row[-2] for row in values[3:]] == [6, 7]


def test_conflicts_keep_station_values_unless_asked(data_dir, tmp_path):
    rows = simple_roster(1)
    write_csv(tmp_path / "a.csv", rows)
    run(data_dir, "import-roster", tmp_path / "a.csv")
    rows[3][3] = "13999999999"
    write_csv(tmp_path / "b.csv", rows)
    kept = json.loads(run(data_dir, "import-roster", tmp_path / "b.csv", "--json").stdout)
    assert (kept["conflicts"], kept["unchanged"]) == (1, 1)
    taken = json.loads(run(data_dir, "import-roster", tmp_path / "b.csv", "--use-file-values",
                           "--json").stdout)
    assert (taken["conflicts"], taken["updated"]) == (1, 1)
    final = json.loads(run(data_dir, "import-roster", tmp_path / "b.csv", "--json").stdout)
    assert (final["conflicts"], final["unchanged"]) == (0, 1)


def test_unreadable_file_fails_with_one_chinese_line(data_dir, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    proc = run(data_dir, "import-roster", bad, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "无法读取" in proc.stderr


def test_compare_writes_the_result_and_prints_counts(data_dir, roster, tmp_path):
    run(data_dir, "import-roster", roster)
    rows = simple_roster(6)
    county = write_csv(tmp_path / "县名单.csv", [rows[2], rows[3], rows[4]], encoding="gb18030")
    out = tmp_path / "结果.xlsx"
    counts = json.loads(run(data_dir, "compare", county, "--kind", "社保参保", "--out", out,
                            "--json").stdout)
    assert (counts["kind"], counts["rows"], counts["matched"]) == ("insurance", 2, 2)
    assert counts["only_in_station"] == 2 and counts["only_in_list"] == 0
    values = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert values[0][0] == "信息比对结果（社保参保）"
    text = run(data_dir, "compare", county, "--kind", "unemployment").stdout
    assert "失业登记名单共 2 行" in text


def test_compare_refuses_an_unknown_kind(data_dir, roster):
    proc = run(data_dir, "compare", roster, "--kind", "随便", check=False)
    assert proc.returncode == 1 and "比对名单的类型" in proc.stderr
