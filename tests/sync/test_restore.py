"""A station copied back from an old backup: detected, nothing at the county overwritten,
its new edits still reach the county, and what it had lost comes back."""

import shutil
from contextlib import closing

import pytest

from db import backup, people
from db.station import open_station
from sync.errors import SyncError

from .helpers import add_person, county_rows, id_number, usb_round


def _round_until_done(st, county_dir, folder, rounds=3):
    for _ in range(rounds):
        try:
            usb_round(st, county_dir, folder)
        except SyncError as exc:
            assert "请再同步一次" in str(exc)
            continue


@pytest.mark.parametrize("how", ["restore", "file-copy"])
def test_station_restored_from_old_backup_loses_nothing(tmp_path, county_dir, stations, how):
    a = stations(1)
    data_dir = a.path.parent
    first = add_person(a, 1, "蒋十六", phone="13800000001")
    usb_round(a, county_dir, tmp_path / "a")
    if how == "restore":
        saved = backup.make_backup(a, reason="manual")
    else:
        a.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        saved = shutil.copyfile(a.path, tmp_path / "copy.sqlite3")
    second = add_person(a, 2, "沈十七")
    people.update_person(a, first, {"phone": "13811111111"})
    usb_round(a, county_dir, tmp_path / "a")
    a.close()

    if how == "restore":
        backup.restore(data_dir, saved)
    else:
        for extra in ("-wal", "-shm"):
            (data_dir / f"station.sqlite3{extra}").unlink(missing_ok=True)
        shutil.copyfile(saved, data_dir / "station.sqlite3")
    with closing(open_station(data_dir)) as back:
        assert not back.scalar("SELECT 1 FROM person WHERE id = ?", [second])
        third = add_person(back, 3, "韩十八", phone="13900000003")
        people.update_person(back, first, {"residence": "玫瑰镇"})
        _round_until_done(back, county_dir, tmp_path / "back")

        held = county_rows(county_dir, "person", ["phone", "residence", "id_number"])
        assert held[first]["phone"] == "13811111111"          # not overwritten by the backup
        assert held[first]["residence"] == "玫瑰镇"            # its new edit arrived
        assert held[second]["id_number"] == id_number(2)
        assert held[third]["phone"] == "13900000003"
        mine = {r["id"]: r for r in back.query("SELECT id, phone, residence FROM person")}
        assert set(held) <= set(mine)                            # what it lost came back
        assert mine[first]["phone"] == "13811111111" and mine[first]["residence"] == "玫瑰镇"
        assert back.scalar("PRAGMA integrity_check") == "ok"
        from sync import outgoing

        assert outgoing.pending(back) == 0
