import pytest

from db import backup, people, settings
from db.errors import ValidationError
from db.station import open_station
from tests.conftest import id_of


def test_backup_and_restore_bring_back_the_old_data(station, tmp_path):
    people.create_person(station, {"name": "张三", "id_number": id_of(1970)})
    saved = backup.copy_database(station.conn, tmp_path / "b.sqlite3")
    people.create_person(station, {"name": "李四", "id_number": id_of(1971)})
    folder = station.data_dir
    station.close()
    previous = backup.restore(folder, saved)
    reopened = open_station(folder)
    assert people.count_people(reopened) == 1
    assert previous.exists()  # what was replaced is kept
    reopened.close()


def test_a_damaged_backup_is_refused_and_changes_nothing(station, tmp_path):
    people.create_person(station, {"name": "张三", "id_number": id_of(1970)})
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    folder = station.data_dir
    station.close()
    with pytest.raises(ValidationError, match="不是本程序的备份文件"):
        backup.restore(folder, bad)
    reopened = open_station(folder)
    assert people.count_people(reopened) == 1
    reopened.close()


def test_daily_backup_once_a_day_and_rotation(station):
    assert backup.daily_backup_if_due(station) is not None
    assert backup.daily_backup_if_due(station) is None
    settings.put(station, "backup.keep_other", 2)
    for _ in range(4):
        backup.make_backup(station, "manual")
    names = [p.name for p in backup.list_backups(station.data_dir)]
    assert sum(n.endswith("-manual.sqlite3") for n in names) == 2
    assert sum(n.endswith("-daily.sqlite3") for n in names) == 1
    assert "手动" in backup.describe(backup.list_backups(station.data_dir)[0])


def test_check_finds_a_sound_file(station):
    assert backup.check(station) == []
