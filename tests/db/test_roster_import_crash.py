"""kill -9 in the middle of a roster import leaves the station wholly as before."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import setup
from tests.roster_samples import simple_roster, write_csv

ROOT = Path(__file__).resolve().parents[2]
ROWS = 6000

IMPORTER = """
import sys
from db import accounts, roster_import
from db.station import open_station
st = open_station(sys.argv[1])
st.act_as(accounts.get_account(st, "admin"))
started = []

def progress(done, total):
    if not started:
        started.append(1)
        print("writing", flush=True)

if sys.argv[3] == "preview-then-write":
    analysis = roster_import.analyze(st, sys.argv[2])
    roster_import.apply_import(st, analysis, progress=progress)
else:  # written while read
    roster_import.import_roster(st, sys.argv[2], progress=progress)
print("done", flush=True)
"""


def counts(folder: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(str(folder / "station.sqlite3"))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return tuple(conn.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM person", "SELECT count(*) FROM employment_status",
            "SELECT count(*) FROM audit_log WHERE table_name = 'person'"))
    finally:
        conn.close()


@pytest.mark.parametrize("mode", ["preview-then-write", "one-call"])
def test_kill_during_import_leaves_the_station_as_before(tmp_path, mode):
    folder = tmp_path / "station"
    setup.create_station(folder, code="370124101", name="站", county="县",
                         village_names=["东关村"], admin_username="admin",
                         admin_display_name="站长", admin_password="secret123").close()
    roster = write_csv(tmp_path / "r.csv", simple_roster(ROWS))
    rng = random.Random(3)
    killed_while_writing = 0
    for _attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(folder), str(roster), mode],
                                stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(rng.uniform(0.3, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        finished = proc.stdout.read().strip() == "done"
        proc.wait()
        killed_while_writing += not finished
        assert counts(folder) in ((0, 0, 0), (ROWS, ROWS, ROWS)), "an import was half-applied"
    assert killed_while_writing, "no attempt was killed while writing"
    subprocess.run([sys.executable, "-c", IMPORTER, str(folder), str(roster), mode], check=True,
                   cwd=ROOT, capture_output=True)
    assert counts(folder) == (ROWS, ROWS, ROWS)
