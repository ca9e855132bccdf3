"""Real stations, a real county folder and the rounds between them, shared by the sync tests."""

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from datetime import date
from pathlib import Path

from db import people, setup
from db.validation.idcard import make_id_number
from sync import identity, incoming, outgoing
from sync.county import enrollment, publish, service
from sync.county.store import init_county, open_county

COUNTY_CODE = "370124"
PASSWORD = "secret123"
# Columns both sides keep for themselves (search helpers are recomputed identically anyway).
PERSON_COLUMNS = ("id", "name", "id_number", "phone", "hukou_address", "residence",
                  "current_status", "deleted_at", "remarks", "skills")


def new_county(root: Path) -> Path:
    init_county(root / "county", COUNTY_CODE, "平阴县")
    return root / "county"


def new_station(root: Path, county_dir: Path, number: int, name: str | None = None):
    """A station enrolled with the county by the USB enrollment file."""
    code = f"{COUNTY_CODE}{100 + number:03d}"
    st = setup.create_station(
        root / f"station-{code}", code=code, name=name or f"第{number}服务站", county="平阴县",
        village_names=["东关村", "西关村"], admin_username="admin",
        admin_display_name="站长", admin_password=PASSWORD)
    with closing(open_county(county_dir)) as store:
        issued = enrollment.write_enrollment_file(store, code, root / f"{code}.enroll")
    identity.enroll_from_file(st, root / f"{code}.enroll", issued["code"])
    usb_round(st, county_dir, root / f"first-{code}")   # the county learns its keys
    return st


def station_code(st) -> str:
    return setup.station_info(st).code


def hand_over(county_dir: Path, pk_or_id: str, st, folder: Path) -> None:
    """The county hands a person to ``st`` (move-person), and ``st`` syncs to receive them."""
    with closing(open_county(county_dir)) as store:
        number = store.scalar("SELECT id_number FROM person WHERE id = ?", [pk_or_id]) or pk_or_id
        publish.move_person(store, number, station_code(st))
    usb_round(st, county_dir, folder)


def id_number(n: int) -> str:
    """A valid, distinct ID number per ``n``."""
    return make_id_number("370124", date(1970 + n % 30, 1 + n % 12, 1 + n % 28), 1 + n // 360)


def add_person(st, n: int, name: str = "张三", **fields) -> str:
    return people.create_person(st, {"name": name, "id_number": id_number(n), **fields})


def export(st, out: Path) -> Path:
    return outgoing.produce_bundle(st, out).path


def county_import(county_dir: Path, bundle: Path, back: Path):
    with closing(open_county(county_dir)) as store:
        return service.handle(store, bundle, back, way="usb")


def usb_round(st, county_dir: Path, folder: Path, tag: str = "r"):
    """Station → county → station by files, as a clerk with a USB stick does it."""
    folder.mkdir(parents=True, exist_ok=True)
    n = len(list(folder.glob("*.up")))
    up = export(st, folder / f"{tag}{n}.up")
    result = county_import(county_dir, up, folder / f"{tag}{n}.back")
    receipt = incoming.consume_bundle(st, folder / f"{tag}{n}.back")
    return result, receipt


def county_publish(county_dir: Path) -> int:
    with closing(open_county(county_dir)) as store:
        return publish.publish(store)


def rows(conn_or_station, table: str, columns=None, where: str = "1") -> dict:
    conn = getattr(conn_or_station, "conn", conn_or_station)
    """Rows of ``table`` by key, with ``columns`` (all when None)."""
    cols = ", ".join(f'"{c}"' for c in columns) if columns else "*"
    cursor = conn.execute(f'SELECT id AS _key, {cols} FROM "{table}" WHERE {where}')
    names = [d[0] for d in cursor.description]
    return {r[0]: dict(zip(names[1:], r[1:], strict=True)) for r in cursor}


def county_rows(county_dir: Path, table: str, columns=None) -> dict:
    with closing(open_county(county_dir)) as store:
        return rows(store, table, columns)


def person(st, pk: str) -> dict:
    return st.query("SELECT * FROM person WHERE id = ?", [pk])[0]


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(str(path))) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def snapshot(path: Path, tables=("person", "sync_outbox", "sync_state", "sync_conflict",
                                 "sync_row")) -> dict:
    """Everything that sync may change in a database file, to compare before/after."""
    with closing(sqlite3.connect(str(path))) as conn:
        out = {}
        for table in tables:
            try:
                out[table] = sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"')))
            except sqlite3.OperationalError:
                out[table] = None
        return out


def county_snapshot(county_dir: Path) -> dict:
    return snapshot(county_dir / "station.sqlite3", (
        "person", "county_log", "county_epoch", "county_parked", "county_station",
        "sync_conflict", "sync_row", "county_bundle_seen", "county_rejected"))


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def county_exe() -> str:
    return str(Path(sys.executable).with_name("jobstation-county"))


class Server:
    """A real ``jobstation-county serve`` process on a free port."""

    def __init__(self, county_dir: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [county_exe(), "--data-dir", str(county_dir), "serve", "--host", "127.0.0.1",
             "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"county server exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/api/v1/info", timeout=1) as response:
                    self.info = json.loads(response.read())
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("county server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.log.close()


def copy_file(st_path: Path, out: Path) -> Path:
    shutil.copyfile(st_path, out)
    return out
