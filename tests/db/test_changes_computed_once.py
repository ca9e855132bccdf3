"""Migration 0010: audit and capture triggers compute a write's changes once, same text.

The triggers as they were (the changes subquery flattened, computed twice) are run beside
the new ones on the same writes, writing into shadow tables: the rows must be the same.
"""

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from db import audit, outbox
from db.migrations import m0010_changes_computed_once as m0010
from tests.conftest import id_of
from tests.db.odd_values import ODD_VALUES
from tests.db.station_snapshots import reopened, tables, triggers

COLUMNS = ["id", "name", "n", "x", "password_hash", "note", "deleted_at"]
SHADOWS = [
    "CREATE TABLE shadow_audit (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, "
    "table_name TEXT, row_id TEXT, op TEXT, changes TEXT)",
    "CREATE TABLE shadow_outbox (seq INTEGER PRIMARY KEY, epoch INTEGER, eseq INTEGER, "
    "hlc INTEGER, tbl TEXT, pk TEXT, ch TEXT, actor TEXT)",
]


def twice(sql: str) -> str:
    """A trigger as it was before migration 0010."""
    return sql.replace(m0010.ONCE_FORM, m0010.TWICE)


def _sample_db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.create_function("jobstation_actor", 0, lambda: "admin")
    conn.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, "
                  "table_name TEXT, row_id TEXT, op TEXT, changes TEXT)")
    for statement in [audit.ACTOR_TABLE_SQL, *outbox.STATE_TABLES, *SHADOWS]:
        conn.execute(statement)
    conn.execute(f"CREATE TABLE sample ({', '.join(COLUMNS)})")
    new = [audit.with_actor_sql(sql) for sql in outbox.trigger_sql("sample", COLUMNS)]
    new += audit.trigger_sql("sample", COLUMNS)
    assert all(m0010.ONCE_FORM in sql for sql in new)
    for sql in new:
        conn.execute(sql)
    for sql in new:   # the old form, renamed, into the shadow tables
        conn.execute(twice(sql).replace("CREATE TRIGGER ", "CREATE TRIGGER old_", 1)
                     .replace("INSERT INTO sync_outbox ", "INSERT INTO shadow_outbox ", 1)
                     .replace("INSERT INTO audit_log ", "INSERT INTO shadow_audit ", 1))
    return conn


values = ODD_VALUES


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(values, values, values, values, values), min_size=1,
                     max_size=4),
       changes=st.lists(st.tuples(values, values, values, values, values), min_size=1,
                        max_size=4))
def test_audit_and_capture_record_the_same_text_as_before(rows, changes):
    conn = _sample_db()
    conn.execute("INSERT INTO audit_actor VALUES (1, '王站长')")
    for i, row in enumerate(rows):
        conn.execute("INSERT INTO sample VALUES (?, ?, ?, ?, ?, ?, NULL)", [f"k{i}", *row])
    for i, row in enumerate(changes):
        conn.execute("UPDATE sample SET name = ?, n = ?, x = ?, password_hash = ?, note = ? "
                     "WHERE id = ?", [*row, f"k{i % len(rows)}"])
    conn.execute("UPDATE sample SET note = note")  # nothing changes: nothing recorded
    conn.execute("UPDATE sample SET deleted_at = '2026-11-29' WHERE id = 'k0'")
    conn.execute("DELETE FROM audit_actor")
    conn.execute("DELETE FROM sample WHERE id <> 'k0'")
    audited = "SELECT actor, table_name, row_id, op, changes FROM {} ORDER BY id"
    captured = "SELECT tbl, pk, ch, actor FROM {} ORDER BY seq"
    assert conn.execute(audited.format("audit_log")).fetchall() == \
        conn.execute(audited.format("shadow_audit")).fetchall()
    new = conn.execute(captured.format("sync_outbox")).fetchall()
    assert len(new) >= len(rows) + 1
    assert sorted(new) == sorted(conn.execute(captured.format("shadow_outbox")).fetchall())



def test_migration_0010_upgrades_a_station_with_data_to_the_triggers_of_a_new_one(station):
    from db import employment, people

    fresh = triggers(station)
    assert sum(m0010.ONCE_FORM in sql for _, _, sql in fresh) > 100
    rows = station.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                         "ORDER BY rowid")
    for row in rows:
        station.conn.execute(f'DROP TRIGGER "{row["name"]}"')
    for row in rows:
        station.conn.execute(twice(row["sql"]))
    station.conn.execute("DELETE FROM _sqlite_migrations WHERE name = "
                         "'0010_changes_computed_once'")
    station.conn.commit()
    assert not any(m0010.ONCE_FORM in sql for _, _, sql in triggers(station))
    person = people.create_person(station, {"name": "张三", "id_number": id_of(1980),
                                            "poverty_alleviated": True})
    employment.add_status(station, person, "unemployed", "2026-01-05")
    people.update_person(station, person, {"phone": "13800000000"})
    before = tables(station)
    assert before["audit_log"] and before["sync_outbox"] and before["ledger_entry"]
    with reopened(station) as upgraded:
        assert tables(upgraded) == before
        assert triggers(upgraded) == fresh
