"""Sync capture triggers (migration 0008): the same outbox rows as the form 0006 made.

Each check runs both forms side by side on the same writes: the triggers as migrations
0006/0007 left them, renamed and writing into a shadow table, next to the station's own.
Every write fires both, so the two lists of captured changes must agree row for row (the
shadow triggers, made last, run first: rows of one write may come in another order there).
"""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import audit, employment, outbox, people, roster_import
from db.migrations import m0008_cheaper_new_person as m0008
from db.sync_tables import DERIVED, SYNCED
from tests.conftest import id_of
from tests.db.odd_values import ODD_VALUES
from tests.roster_samples import HEADER, TITLE, write_xlsx

SHADOW = ("CREATE TABLE shadow_outbox (seq INTEGER PRIMARY KEY, epoch INTEGER, eseq INTEGER, "
          "hlc INTEGER, tbl TEXT, pk TEXT, ch TEXT, actor TEXT)")


def _shadow_triggers(conn, table: str, columns: list[str]) -> None:
    """Add the 0006 form of ``table``'s capture triggers, writing into ``shadow_outbox``."""
    for name, sql in m0008.old_trigger_sql(table, columns).items():
        conn.execute(sql.replace(f"TRIGGER {name} ", f"TRIGGER old_{name} ", 1)
                     .replace("INSERT INTO sync_outbox ", "INSERT INTO shadow_outbox ", 1))


def _captured(conn, source: str, since: int = 0) -> list[tuple]:
    return conn.execute(f"SELECT tbl, pk, ch, actor FROM {source} WHERE seq > ? ORDER BY seq",
                        [since]).fetchall()


def _both(conn, since: int = 0) -> tuple[list[tuple], list[tuple]]:
    """What the station's triggers captured (after outbox row ``since``) and the shadow's."""
    return _captured(conn, "sync_outbox", since), _captured(conn, "shadow_outbox")


# -- one table, odd values --------------------------------------------------------------------

COLUMNS = ["id", "name", "n", "x", "note", "deleted_at"]


def _sample_db(columns=COLUMNS) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.create_function("jobstation_actor", 0, lambda: "admin")
    conn.execute(audit.ACTOR_TABLE_SQL)
    for statement in outbox.STATE_TABLES:
        conn.execute(statement)
    conn.execute(SHADOW)
    conn.execute(f"CREATE TABLE sample ({', '.join(columns)})")
    for statement in m0008.new_trigger_sql("sample", columns).values():
        conn.execute(statement)
    _shadow_triggers(conn, "sample", columns)
    return conn


values = ODD_VALUES


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(values, values, values, values), min_size=1, max_size=4),
       changes=st.lists(st.tuples(values, values, values, values), min_size=1, max_size=4))
def test_captured_changes_are_the_same_text_as_the_json_each_form(rows, changes):
    conn = _sample_db()
    conn.execute("INSERT INTO audit_actor VALUES (1, '王站长')")
    for i, row in enumerate(rows):
        conn.execute("INSERT INTO sample VALUES (?, ?, ?, ?, ?, NULL)", [f"k{i}", *row])
    for i, row in enumerate(changes):
        conn.execute("UPDATE sample SET name = ?, n = ?, x = ?, note = ? WHERE id = ?",
                     [*row, f"k{i % len(rows)}"])
    conn.execute("UPDATE sample SET note = note")  # nothing changes: nothing captured
    conn.execute("UPDATE sample SET deleted_at = '2026-11-29' WHERE id = 'k0'")
    conn.execute("DELETE FROM audit_actor")  # the clerk from the function again
    conn.execute("DELETE FROM sample WHERE id <> 'k0'")
    new, old = _both(conn)
    assert len(new) >= 2 * len(rows)  # each insert, the soft delete, the deletes
    assert new == old


@pytest.mark.parametrize("form", ["new", "0006"])
def test_a_value_json_cannot_hold_is_refused_by_either_form(form):
    conn = _sample_db()
    if form == "new":
        conn.execute("DROP TABLE shadow_outbox")  # the old form's inserts now fail anyway
        for name, _ in m0008.old_trigger_sql("sample", COLUMNS).items():
            conn.execute(f'DROP TRIGGER "old_{name}"')
    else:
        for name in m0008.old_trigger_sql("sample", COLUMNS):
            conn.execute(f'DROP TRIGGER "{name}"')
    with pytest.raises(sqlite3.OperationalError, match="malformed JSON"):
        conn.execute("INSERT INTO sample VALUES ('a', '李', 1, ?, NULL, NULL)", [float("inf")])
    assert conn.execute("SELECT count(*) FROM sample").fetchone() == (0,)


def test_a_table_without_soft_delete_and_applied_changes_capture_alike():
    conn = _sample_db(["id", "name", "n"])
    conn.execute("INSERT INTO sample VALUES ('a', '李', 1)")
    conn.execute("UPDATE sample SET n = 2")
    conn.execute("UPDATE sync_state SET applying = 1")
    conn.execute("UPDATE sample SET n = 3")  # a change from elsewhere: not captured
    conn.execute("UPDATE sync_state SET applying = 0")
    conn.execute("DELETE FROM sample")
    new, old = _both(conn)
    assert [row[2] for row in new] == ['{"id":[null,"a"],"name":[null,"李"],"n":[null,1]}',
                                       '{"n":[1,2]}', '{"id":["a",null],"name":["李",null],'
                                       '"n":[3,null]}']
    assert new == old


# -- a whole station ----------------------------------------------------------------------------


def _shadow_station(station) -> int:
    """Add the shadow triggers; returns the last outbox row written before them."""
    station.conn.execute(SHADOW)
    for table in SYNCED:
        columns = [r["name"] for r in station.query(
            f"SELECT name FROM pragma_table_info('{table}')")
            if r["name"] not in DERIVED.get(table, ())]
        _shadow_triggers(station.conn, table, columns)
    station.conn.commit()
    return station.scalar("SELECT coalesce(max(seq), 0) FROM sync_outbox")


def test_an_import_and_later_edits_capture_what_the_old_triggers_captured(station, tmp_path):
    since = _shadow_station(station)
    rows = [[TITLE], list(HEADER)]
    statuses = ["外出务工", "失业", "本地就业", "灵活就业", None]
    for i in range(40):
        rows.append([i + 1, "测试" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅卯"[i // 10], id_of(1970 + i % 30, seq=100 + i),
                     f"138{i:08d}", "东关村", statuses[i % 5], "是" if i % 3 == 0 else "否",
                     'He said "hi"\\' if i % 7 == 0 else None])
    result = roster_import.import_roster(station, write_xlsx(tmp_path / "r.xlsx", rows))
    assert result.created == 40
    person = people.find_by_id_number(station, id_of(1970, seq=100))
    people.update_person(station, person["id"], {"phone": "13900000000", "remarks": "改"})
    status = employment.add_status(station, person["id"], "local", "2026-01-02",
                                   employer="宏达", monthly_income=4200)
    employment.remove_status(station, status)
    people.delete_person(station, person["id"])
    new, old = _both(station.conn, since)
    tables = {row[0] for row in new}
    assert {"person", "employment_status", "ledger_entry"} <= tables
    assert len(new) > 80 and sorted(new) == sorted(old)


def test_migration_0008_brings_an_older_file_to_the_triggers_of_a_new_one(station):
    from db.station import open_station

    def triggers(st) -> dict[str, str]:
        return {r["name"]: r["sql"] for r in st.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}

    def order(st) -> list[tuple[str, str]]:  # a table's triggers run newest first
        return [(r["tbl_name"], r["name"]) for r in st.query(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
            "ORDER BY tbl_name, rowid")]

    def indexes(st) -> list[str]:
        return [r["name"] for r in st.query("SELECT name FROM sqlite_master WHERE type = "
                                            "'index' AND tbl_name = 'employment_status'")]

    new, new_indexes = triggers(station), indexes(station)
    for table in SYNCED:
        columns = [r["name"] for r in station.query(
            f"SELECT name FROM pragma_table_info('{table}')")
            if r["name"] not in DERIVED.get(table, ())]
        for name, sql in m0008.old_trigger_sql(table, columns).items():
            station.conn.execute(f'DROP TRIGGER "{name}"')
            station.conn.execute(sql)
    station.conn.execute("DROP INDEX employment_status_newest")
    station.conn.execute("CREATE INDEX employment_status_person "
                         "ON employment_status(person_id, since_date)")
    station.conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0008_cheaper_new_person'")
    station.conn.commit()
    old, old_order = triggers(station), order(station)
    capture = {name for name in new if name.startswith("sync_") and name != "sync_outbox_advance"}
    assert {name for name in new if old[name] != new[name]} == capture
    folder = station.data_dir
    station.close()
    upgraded = open_station(folder)
    try:
        assert triggers(upgraded) == new
        assert order(upgraded) == old_order
        assert indexes(upgraded) == new_indexes
    finally:
        upgraded.close()



def test_the_newest_status_is_found_by_index_without_a_sort(station):
    plan = station.conn.execute(
        "EXPLAIN QUERY PLAN SELECT status FROM employment_status s WHERE s.person_id = ? "
        "AND s.deleted_at IS NULL ORDER BY since_date DESC, id DESC LIMIT 1", ["x"]).fetchall()
    details = " ".join(row[-1] for row in plan)
    assert "employment_status_newest" in details and "TEMP B-TREE" not in details
