"""A big station's first network sync is cut off (the county server dies mid-request): both
sides stay usable, nothing is lost, and the next try finishes the job."""

import os
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from db import demo
from db.station import open_station
from sync import client, outgoing

from .helpers import PASSWORD, Server, integrity

PEOPLE = 1500


@pytest.mark.slow   # seeds and sends 1,500 people twice
def test_interrupted_first_sync_keeps_old_data_and_retry_succeeds(tmp_path, county_dir,
                                                                  stations):
    a = stations(1)
    demo.seed_people(a, PEOPLE)
    pending = outgoing.pending(a)
    data_dir = a.path.parent
    a.close()
    server = Server(county_dir, tmp_path / "server1.log")
    try:
        env = {**os.environ, "JOBSTATION_PASSWORD": PASSWORD}
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("jobstation")), "--data-dir", str(data_dir),
             "--user", "admin", "sync", "now", "--server", server.url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        # cut the server off once the station has started sending
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if _connected(server.proc.pid):
                time.sleep(0.5)
                break
            time.sleep(0.02)
        server.stop()
        out, err = proc.communicate(timeout=120)
    finally:
        server.stop()
    assert proc.returncode != 0, out
    assert "县里" in err or "连不上" in err

    county_db = county_dir / "station.sqlite3"
    assert integrity(county_db) == "ok" and integrity(data_dir / "station.sqlite3") == "ok"
    with closing(open_station(data_dir)) as st:
        assert outgoing.pending(st) == pending            # nothing acknowledged, nothing lost
        assert st.scalar("SELECT count(*) FROM person") == PEOPLE
        server = Server(county_dir, tmp_path / "server2.log")
        try:
            receipt = client.sync_now(st, server.url)
        finally:
            server.stop()
        assert receipt.sent == pending
        assert outgoing.pending(st) == 0
    with closing(open_station(county_dir)) as store:
        assert store.scalar("SELECT count(*) FROM person") == PEOPLE


def _connected(pid: int) -> bool:
    """Whether the server process has an established TCP connection (the upload began)."""
    try:
        for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
            if line.split()[3] == "01":      # ESTABLISHED
                return True
    except OSError:
        return False
    return False
