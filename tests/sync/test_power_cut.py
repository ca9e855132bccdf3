"""Power cut (kill -9) at random points of an import, at the county and at the station: the
file stays sound, the data is wholly before or wholly after, and importing again completes."""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from db import demo, setup
from sync import identity, incoming, outgoing
from sync.county import enrollment
from sync.county.store import open_county

from .helpers import (
    COUNTY_CODE,
    PASSWORD,
    county_exe,
    county_import,
    export,
    integrity,
    usb_round,
)

PEOPLE = 300


def _count(db: Path, sql: str):
    with closing(sqlite3.connect(str(db))) as conn:
        return conn.execute(sql).fetchone()[0]


def _run_and_kill(command: list[str], delay: float, env=None) -> bool:
    """Start ``command``, kill -9 it after ``delay`` seconds; whether it had finished."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    finished = proc.poll() is not None
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return finished


def _timed(command: list[str], env=None) -> float:
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
    return time.monotonic() - start


def test_power_cut_during_county_import_leaves_it_before_or_after(tmp_path, county_dir,
                                                                  stations):
    a = stations(1)
    demo.seed_people(a, PEOPLE)
    up = export(a, tmp_path / "a.up")
    db = county_dir / "station.sqlite3"
    rehearsal = tmp_path / "rehearsal"
    shutil.copytree(county_dir, rehearsal)

    def command(folder: Path) -> list[str]:
        return [county_exe(), "--data-dir", str(folder), "import-bundle", str(up),
                "--return-out", str(tmp_path / "a.back")]

    duration = _timed(command(rehearsal))
    rng = random.Random(7)
    before = _count(db, "SELECT count(*) FROM person")
    numbered = _count(db, "SELECT coalesce(sum(ingested), 0) FROM county_epoch")
    outcomes = []
    for _ in range(4):
        finished = _run_and_kill(command(county_dir), rng.uniform(0.3, duration * 1.1))
        assert integrity(db) == "ok"
        people = _count(db, "SELECT count(*) FROM person")
        assert people in (before, before + PEOPLE), "an import was half-applied"
        ingested = _count(db, "SELECT coalesce(sum(ingested), 0) FROM county_epoch")
        assert (people == before) == (ingested == numbered), "records and numbers disagree"
        outcomes.append((finished, people))
        if people != before:
            break
    subprocess.run(command(county_dir), check=True, capture_output=True, timeout=300)
    assert _count(db, "SELECT count(*) FROM person") == before + PEOPLE
    incoming.consume_bundle(a, tmp_path / "a.back")
    assert outgoing.pending(a) == 0, outcomes


def test_power_cut_during_station_import_leaves_it_before_or_after(tmp_path, county_dir,
                                                                   stations):
    a = stations(1)
    demo.seed_people(a, PEOPLE)
    usb_round(a, county_dir, tmp_path / "a")
    # The same station reinstalled on a new PC: its first return bundle carries everything.
    code = f"{COUNTY_CODE}101"
    with closing(open_county(county_dir)) as store:
        issued = enrollment.write_enrollment_file(store, code, tmp_path / "again.enroll")
    fresh = setup.create_station(tmp_path / "new-pc", code=code, name="第1服务站",
                                 county="平阴县", village_names=["东关村", "西关村"],
                                 admin_username="admin", admin_display_name="站长",
                                 admin_password=PASSWORD)
    identity.enroll_from_file(fresh, tmp_path / "again.enroll", issued["code"])
    up = export(fresh, tmp_path / "fresh.up")
    county_import(county_dir, up, tmp_path / "fresh.back")
    base = fresh.scalar("SELECT count(*) FROM person")
    fresh.close()
    db = tmp_path / "new-pc" / "station.sqlite3"
    rehearsal = tmp_path / "rehearsal"
    shutil.copytree(tmp_path / "new-pc", rehearsal)
    env = {**os.environ, "JOBSTATION_PASSWORD": PASSWORD}

    def command(folder: Path) -> list[str]:
        return [str(Path(sys.executable).with_name("jobstation")), "--data-dir", str(folder),
                "--user", "admin", "sync", "import", str(tmp_path / "fresh.back")]

    duration = _timed(command(rehearsal), env)
    rng = random.Random(11)
    for _ in range(4):
        _run_and_kill(command(tmp_path / "new-pc"), rng.uniform(0.3, duration * 1.1), env)
        assert integrity(db) == "ok"
        people = _count(db, "SELECT count(*) FROM person")
        cursor = _count(db, "SELECT county_cursor FROM sync_state")
        assert people in (base, base + PEOPLE), "an import was half-applied"
        assert (people == base) == (cursor == 0)
        if people != base:
            break
    subprocess.run(command(tmp_path / "new-pc"), check=True, capture_output=True, env=env,
                   timeout=300)
    assert _count(db, "SELECT count(*) FROM person") == base + PEOPLE
    assert _count(db, "SELECT count(*) FROM person") == _count(
        rehearsal / "station.sqlite3", "SELECT count(*) FROM person")

