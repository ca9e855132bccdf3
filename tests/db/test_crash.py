"""kill -9 in the middle of a bulk write leaves a sound file, wholly before or after."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from db import setup

WRITER = """
import sys
from db.station import open_station
from db import demo
st = open_station(sys.argv[1])
print("started", flush=True)
demo.seed_people(st, 20000, seed=int(sys.argv[2]))
print("done", flush=True)
"""


def test_kill_during_bulk_write_leaves_database_whole(tmp_path):
    folder = tmp_path / "station"
    setup.create_station(folder, code="370124101", name="站", county="县",
                         village_names=["东关村"], admin_username="admin",
                         admin_display_name="站长", admin_password="secret123").close()
    killed_mid_write = 0
    before = 0
    for attempt, delay in enumerate((0.3, 0.8, 1.5)):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(attempt)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "started"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        finished = proc.stdout.read().strip() == "done"
        proc.wait()
        killed_mid_write += not finished
        conn = sqlite3.connect(str(folder / "station.sqlite3"))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        people = conn.execute("SELECT count(*) FROM person").fetchone()[0]
        statuses = conn.execute("SELECT count(*) FROM employment_status").fetchone()[0]
        audited = conn.execute(
            "SELECT count(*) FROM audit_log WHERE table_name='person'").fetchone()[0]
        conn.close()
        assert people in (before, before + 20000), "a bulk write was half-applied"
        assert people == statuses == audited
        before = people
    assert killed_mid_write, "no attempt was killed while writing"
