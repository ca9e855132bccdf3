"""Every table of the schema is either synced or local: a new record type cannot be forgotten."""

from db.sync_tables import LOCAL, SYNCED, is_local


def test_every_table_is_synced_or_local_exactly_once(station):
    tables = [r[0] for r in station.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    unplaced = [t for t in tables if t not in SYNCED and not is_local(t)]
    assert not unplaced, f"decide in db/sync_tables.py whether these travel: {unplaced}"
    assert not set(SYNCED) & set(LOCAL)
    assert not [t for t in SYNCED if is_local(t)]
    assert set(SYNCED) <= set(tables)


def test_every_synced_table_has_capture_triggers(station):
    triggers = {r[0] for r in station.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in SYNCED:
        assert {f"sync_{table}_insert", f"sync_{table}_update",
                f"sync_{table}_delete"} <= triggers, table
