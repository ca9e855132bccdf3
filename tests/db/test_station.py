import sqlite3
from pathlib import Path

import pytest

from db import migrations
from db.errors import DatabaseError, NotFoundError
from db.station import open_station, station_path


def test_new_station_is_migrated_to_latest(tmp_path):
    st = open_station(tmp_path, create=True)
    applied = [m.name for m in migrations.migrations.applied(st.db)]
    assert applied[-1] == migrations.latest()
    assert migrations.pending(st.db) == []
    st.close()


def test_every_migration_module_is_named_once_in_order():
    folder = Path(migrations.__file__).parent
    modules = sorted(p.stem[1:] for p in folder.glob("m[0-9][0-9][0-9][0-9]_*.py"))
    assert list(migrations.NAMES) == modules
    assert all(callable(migrations.step(name)) for name in migrations.NAMES)


def test_station_file_uses_wal_and_full_sync(station):
    assert station.scalar("PRAGMA journal_mode") == "wal"
    assert station.scalar("PRAGMA synchronous") == 2  # FULL
    assert station.scalar("PRAGMA foreign_keys") == 1


def test_opening_a_missing_station_says_so_in_chinese(tmp_path):
    with pytest.raises(NotFoundError, match="没有本站数据"):
        open_station(tmp_path / "nowhere")


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    station_path(tmp_path).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="损坏"):
        open_station(tmp_path)


def test_station_from_a_newer_program_is_refused(station, tmp_path):
    station.conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES ('jobstation', '9999_future', 'x')")
    station.conn.commit()
    folder = station.data_dir
    station.close()
    with pytest.raises(DatabaseError, match="升级"):
        open_station(folder)


def test_writes_without_a_station_connection_cannot_bypass_the_audit(station):
    raw = sqlite3.connect(str(station.path))
    with pytest.raises(sqlite3.OperationalError, match="jobstation_actor"):
        raw.execute("INSERT INTO village(id, name, created_at, created_by, updated_at, "
                    "updated_by) VALUES ('v', 'x', '', '', '', '')")
    raw.close()
