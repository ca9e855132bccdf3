"""The command line end to end, in real subprocesses on a real station folder."""

import json
import os
import subprocess
import sys

import openpyxl
import pytest

ENV = {**os.environ, "JOBSTATION_PASSWORD": "secret123", "QT_QPA_PLATFORM": "offscreen"}


def run(*args, env=ENV, check=True):
    proc = subprocess.run([sys.executable, "-m", "desktop", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "station"
    run("--data-dir", folder, "init", "--station-code", "370124101",
        "--station-name", "孔村镇就业服务站", "--county", "平阴县",
        "--villages", "东关村,西关村", "--admin", "admin")
    return folder


def test_seed_demo_reports_counts_as_json(data_dir):
    out = run("--data-dir", data_dir, "--user", "admin", "seed-demo", "--people", "300", "--json")
    assert json.loads(out.stdout)["people"] == 300


def test_export_list_writes_xlsx(data_dir, tmp_path):
    run("--data-dir", data_dir, "--user", "admin", "seed-demo", "--people", "50")
    target = tmp_path / "willing.xlsx"
    out = run("--data-dir", data_dir, "--user", "admin", "export-list", "willing",
              "--out", target, "--json")
    written = json.loads(out.stdout)["rows"]
    ws = openpyxl.load_workbook(target).active
    assert "有意愿外出人员清单" in ws["A1"].value
    assert ws.max_row >= written + 2


def test_backup_check_and_restore(data_dir, tmp_path):
    saved = tmp_path / "copy.sqlite3"
    run("--data-dir", data_dir, "--user", "admin", "backup", "--out", saved)
    assert json.loads(run("--data-dir", data_dir, "--user", "admin", "check", "--json").stdout)["ok"]
    out = run("--data-dir", data_dir, "--user", "admin", "restore", saved, "--json")
    assert "previous_saved_as" in json.loads(out.stdout)


def test_wrong_password_fails_in_chinese_and_changes_nothing(data_dir, tmp_path):
    proc = run("--data-dir", data_dir, "--user", "admin", "export-list", "employed",
               "--out", tmp_path / "x.xlsx", env={**ENV, "JOBSTATION_PASSWORD": "bad"},
               check=False)
    assert proc.returncode == 1
    assert "密码" in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_init_refuses_a_bad_station_code(tmp_path):
    proc = run("--data-dir", tmp_path / "s", "init", "--station-code", "3701", "--station-name",
               "某站", "--admin", "admin", check=False)
    assert proc.returncode == 1 and "9 位数字" in proc.stderr
    assert not (tmp_path / "s" / "station.sqlite3").exists()


def test_self_test_opens_the_window_and_exits_zero():
    proc = run("--self-test")
    assert "自检通过" in proc.stdout
