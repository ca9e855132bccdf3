"""Sync from the command line, end to end: a county folder, station folders, the USB path
and the network path against a real ``jobstation-county serve`` on 127.0.0.1."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import openpyxl
import pytest

ENV = {**os.environ, "JOBSTATION_PASSWORD": "secret123", "QT_QPA_PLATFORM": "offscreen"}
COUNTY = [sys.executable, "-m", "sync.county.cli"]
STATION = [sys.executable, "-m", "desktop"]


def run(base, *args, check=True):
    proc = subprocess.run([*base, *map(str, args)], capture_output=True, text=True, env=ENV,
                          timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def county(folder, *args, check=True):
    return run(COUNTY, "--data-dir", folder, *args, check=check)


def station(folder, *args, check=True):
    return run(STATION, "--data-dir", folder, "--user", "admin", *args, check=check)


def new_station(folder, code, name):
    run(STATION, "--data-dir", folder, "init", "--station-code", code, "--station-name", name,
        "--county", "平阴县", "--villages", "东关村,西关村", "--admin", "admin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def county_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county") / "county"
    out = county(folder, "init", "--county-code", "370124", "--name", "平阴县", "--json")
    assert len(json.loads(out.stdout)["fingerprint"]) == 19
    return folder


@pytest.fixture(scope="module")
def server(county_dir):
    port = free_port()
    proc = subprocess.Popen([*COUNTY, "--data-dir", county_dir, "serve", "--host", "127.0.0.1",
                             "--port", str(port)], env=ENV, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/api/v1/info", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("county server did not start")
    yield url
    proc.kill()
    proc.wait()


def test_usb_round_trip_enrolls_exports_imports_and_publishes_policy(county_dir, tmp_path):
    folder = tmp_path / "station"
    new_station(folder, "370124101", "孔村镇就业服务站")
    station(folder, "seed-demo", "--people", "60")
    enroll_file = tmp_path / "enroll.json"
    issued = json.loads(county(county_dir, "enroll-code", "--station-code", "370124101",
                               "--out", enroll_file, "--json").stdout)
    out = station(folder, "sync", "enroll", "--file", enroll_file, "--code", issued["code"],
                  "--json")
    assert json.loads(out.stdout)["fingerprint"] == issued["fingerprint"]

    pending = json.loads(station(folder, "sync", "status", "--json").stdout)["pending"]
    assert pending > 60
    stick = tmp_path / "up.bundle"
    exported = json.loads(station(folder, "sync", "export", "--out", stick, "--json").stdout)
    assert exported["sent"] == pending
    back = tmp_path / "back.bundle"
    imported = json.loads(county(county_dir, "import-bundle", stick, "--return-out", back,
                                 "--json").stdout)
    assert imported["applied"] == pending and imported["rejected"] == []
    station(folder, "sync", "import", back)
    assert json.loads(station(folder, "sync", "status", "--json").stdout)["pending"] == 0

    # The same stick again: nothing changes anywhere.
    again = json.loads(county(county_dir, "import-bundle", stick, "--return-out", back,
                              "--json").stdout)
    assert again["duplicate"] is True

    # The county publishes a new hourly minimum wage; the station receives it by file.
    county(county_dir, "set-policy", "--key", "hourly_min_wage", "--value", "24.5",
           "--from", "2026-12-01")
    down = tmp_path / "down.bundle"
    assert json.loads(county(county_dir, "export-bundle", "--station", "370124101", "--out",
                             down, "--json").stdout)["records"] >= 1
    station(folder, "sync", "import", down)
    from db.station import open_station

    opened = open_station(folder)
    try:
        rows = opened.query("SELECT value, source FROM policy_parameter WHERE key = "
                            "'hourly_min_wage' AND effective_from = '2026-12-01'")
    finally:
        opened.close()
    assert rows and rows[0]["source"] == "county"

    listed = json.loads(county(county_dir, "stations", "--json").stdout)["stations"]
    assert [s["station_code"] for s in listed] == ["370124101"]
    assert listed[0]["people"] == 60
    report = tmp_path / "report.xlsx"
    county(county_dir, "report", "--month", "2026-11", "--out", report)
    sheet = openpyxl.load_workbook(report).active
    assert "全县农民工月报" in sheet["A1"].value
    counted = sum(row[3] for row in sheet.iter_rows(min_row=4, values_only=True)
                  if isinstance(row[3], int))
    assert counted == 60


def test_network_enroll_and_sync_now(county_dir, server, tmp_path):
    folder = tmp_path / "station"
    new_station(folder, "370124102", "孝直镇就业服务站")
    station(folder, "seed-demo", "--people", "30")
    code = json.loads(county(county_dir, "enroll-code", "--station-code", "370124102",
                             "--json").stdout)["code"]
    station(folder, "sync", "enroll", "--server", server, "--code", code)
    first = json.loads(station(folder, "sync", "now", "--json").stdout)
    assert first["sent"] > 30 and first["rejected"] == []
    second = json.loads(station(folder, "sync", "now", "--json").stdout)
    assert second["sent"] == 0
    status = json.loads(station(folder, "sync", "status", "--json").stdout)
    assert status["pending"] == 0 and status["last_sync"]

    # A used code cannot enroll anyone else.
    other = tmp_path / "other"
    new_station(other, "370124102", "冒名服务站")
    refused = station(other, "sync", "enroll", "--server", server, "--code", code, check=False)
    assert refused.returncode == 1 and "登记码不对或已用过" in refused.stderr


def test_refusals_are_one_chinese_sentence(county_dir, tmp_path):
    folder = tmp_path / "station"
    new_station(folder, "370124103", "榆山街道就业服务站")
    not_enrolled = station(folder, "sync", "now", check=False)
    assert not_enrolled.returncode == 1 and "还没有登记到县里" in not_enrolled.stderr

    junk = tmp_path / "junk.bundle"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    refused = county(county_dir, "import-bundle", junk, "--return-out", tmp_path / "r", check=False)
    assert refused.returncode == 1 and "不是本程序的同步数据包" in refused.stderr
    assert not (tmp_path / "r").exists()

    wrong = county(county_dir, "enroll-code", "--station-code", "370125101", check=False)
    assert wrong.returncode == 1 and "不属于本县" in wrong.stderr
    unreachable = station(folder, "sync", "enroll", "--server", "http://127.0.0.1:9",
                          "--code", "AAAA-BBBB-CCCC", check=False)
    assert unreachable.returncode == 1 and "连不上县里服务器" in unreachable.stderr


def test_digest_after_network_sync_finds_and_repairs_a_difference(county_dir, server, tmp_path):
    from db.station import open_station
    from sync.county.store import open_county

    folder = tmp_path / "station"
    new_station(folder, "370124104", "玫瑰镇就业服务站")
    station(folder, "seed-demo", "--people", "40")
    code = json.loads(county(county_dir, "enroll-code", "--station-code", "370124104",
                             "--json").stdout)["code"]
    station(folder, "sync", "enroll", "--server", server, "--code", code)
    station(folder, "sync", "now")  # what the county sends down first (merges, policy)
    station(folder, "sync", "now")
    _digest_due_again(folder)
    clean = json.loads(station(folder, "sync", "now", "--json").stdout)
    assert clean["checked"] is True and clean["mismatched"] == []

    # Damage the county's copy behind sync's back (as a bug or a bad disk would).
    opened = open_station(folder)
    person = opened.query("SELECT id, phone FROM person ORDER BY id LIMIT 1")[0]
    opened.close()
    _digest_due_again(folder)
    store = open_county(county_dir)
    with store.atomic() as db:
        db.execute("UPDATE sync_state SET applying = 1")
        db.execute("UPDATE person SET phone = '13000000000' WHERE id = ?", [person["id"]])
        db.execute("UPDATE sync_state SET applying = 0")
    store.close()

    second = json.loads(station(folder, "sync", "now", "--json").stdout)
    assert second["checked"] is True and ["person", person["id"][-1]] in second["mismatched"]
    store = open_county(county_dir)
    try:
        assert store.scalar("SELECT phone FROM person WHERE id = ?",
                            [person["id"]]) == person["phone"]
    finally:
        store.close()


def _digest_due_again(folder):
    from db.station import open_station

    opened = open_station(folder)
    with opened.atomic() as db:
        db.execute("UPDATE sync_state SET digest_at = NULL")
    opened.close()


def test_county_jobs_reach_stations_and_a_revoked_station_is_refused(county_dir, tmp_path):
    from tests.db.test_jobs_import import job_rows, write_xlsx

    folder = tmp_path / "station"
    new_station(folder, "370124105", "东阿镇就业服务站")
    enroll_file = tmp_path / "enroll.json"
    code = json.loads(county(county_dir, "enroll-code", "--station-code", "370124105",
                             "--out", enroll_file, "--json").stdout)["code"]
    station(folder, "sync", "enroll", "--file", enroll_file, "--code", code)

    jobs = write_xlsx(tmp_path / "县里岗位.xlsx", job_rows())
    out = json.loads(county(county_dir, "import-jobs", jobs, "--json").stdout)
    assert out["created"] and out["published"] >= len(out["created"])
    stick, back = tmp_path / "up.bundle", tmp_path / "back.bundle"
    station(folder, "sync", "export", "--out", stick)
    county(county_dir, "import-bundle", stick, "--return-out", back)
    station(folder, "sync", "import", back)
    from db.station import open_station

    opened = open_station(folder)
    try:
        got = {r["id"] for r in opened.query("SELECT id FROM job WHERE deleted_at IS NULL")}
    finally:
        opened.close()
    assert set(out["created"]) <= got

    county(county_dir, "revoke", "--station", "370124105")
    station(folder, "sync", "export", "--out", stick)
    refused = county(county_dir, "import-bundle", stick, "--return-out", back, check=False)
    assert refused.returncode == 1 and "未在本县登记" in refused.stderr
