"""Every write leaves an audit row naming the clerk, in the same transaction."""

import pytest

from db import (
    accounts,
    audit,
    employment,
    people,
    registrations,
    returns,
    service_log,
    settings,
    villages,
)
from tests.conftest import id_of


def _audit_count(station, table):
    return station.scalar("SELECT count(*) FROM audit_log WHERE table_name = ?", [table])


def test_every_service_write_is_audited(station):
    pid = people.create_person(station, {"name": "张三", "id_number": id_of(1966)})
    employment.add_status(station, pid, "local", "2026-01-05")
    reg = registrations.register(station, pid, "job_seeking", "hukou", "2026-02-01")
    registrations.cancel_registration(station, reg, "2026-03-01", "已就业")
    returns.add_return(station, pid, "2026-01-20", from_place="苏州", reason="春节")
    service_log.log_service(station, pid, "policy", "咨询社保补贴")
    villages.add_village(station, "新村")
    settings.put(station, "older_age.male", 55)
    accounts.create_account(station, "clerk1", "李专员", "clerk", "password1")
    for table, expected in [("person", 1), ("employment_status", 1), ("registration", 2),
                            ("return_home", 1), ("service_log", 1), ("village", 1),
                            ("account", 1)]:
        assert _audit_count(station, table) >= expected, table
    rows = station.query("SELECT DISTINCT actor FROM audit_log WHERE table_name != 'setting'")
    assert {r["actor"] for r in rows} <= {"admin", "系统"}


def test_password_hashes_never_enter_the_audit_log(station):
    accounts.create_account(station, "clerk2", "赵专员", "clerk", "password2")
    text = " ".join(r["changes"] for r in station.query("SELECT changes FROM audit_log"))
    assert "scrypt" not in text
    assert '"password_hash":[null,"***"]' in text.replace(" ", "")


def test_a_failed_transaction_leaves_no_audit_row(station):
    before = station.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(RuntimeError):
        with station.atomic():
            people.create_person(station, {"name": "钱六", "id_number": id_of(1977)})
            raise RuntimeError("power cut")
    assert station.scalar("SELECT count(*) FROM audit_log") == before
    assert people.count_people(station) == 0


def test_history_reads_old_and_new_values(station):
    pid = people.create_person(station, {"name": "孙七", "id_number": id_of(1980)})
    people.update_person(station, pid, {"hukou_village": "东关村"})
    people.update_person(station, pid, {"hukou_village": "西关村"})
    changes = [h["changes"] for h in audit.history(station.db, "person", pid)]
    assert changes[-1] == {"hukou_village": ["东关村", "西关村"]}
    assert changes[0]["name"] == [None, "孙七"]


# -- the acting clerk from audit_actor (migration 0007) --------------------------------------


def _count_actor_calls(station) -> list[int]:
    """Re-register jobstation_actor() so that calls into Python are counted."""
    calls = [0]

    def actor():
        calls[0] += 1
        return station.actor

    station.conn.create_function("jobstation_actor", 0, actor)
    return calls


def test_writes_in_a_transaction_take_the_clerk_without_calling_python(station):
    calls = _count_actor_calls(station)
    with station.atomic():
        for n in range(5):
            people.create_person(station, {"name": f"周{'一二三四五'[n]}",
                                           "id_number": id_of(1970 + n)})
    assert calls[0] == 0
    rows = station.query("SELECT DISTINCT actor FROM audit_log WHERE table_name = 'person'")
    assert rows == [{"actor": "admin"}]


def test_the_actor_row_is_never_committed(station, tmp_path):
    import sqlite3

    other = sqlite3.connect(str(station.path))
    with station.atomic():
        people.create_person(station, {"name": "吴八", "id_number": id_of(1981)})
        assert station.scalar("SELECT actor FROM audit_actor") == "admin"
        assert other.execute("SELECT count(*) FROM audit_actor").fetchone()[0] == 0
    assert station.scalar("SELECT count(*) FROM audit_actor") == 0
    assert other.execute("SELECT count(*) FROM audit_actor").fetchone()[0] == 0
    other.close()


def test_a_write_outside_a_transaction_still_names_the_clerk(station):
    calls = _count_actor_calls(station)
    station.actor = "clerk9"
    station.conn.execute("UPDATE village SET sort_order = 7 WHERE name = '东关村'")
    station.conn.commit()
    assert calls[0] >= 1  # no actor row outside atomic(): the function answers
    [row] = station.query("SELECT actor FROM audit_log WHERE table_name = 'village' "
                          "ORDER BY id DESC LIMIT 1")
    assert row["actor"] == "clerk9"


def test_changing_the_clerk_inside_a_transaction_names_the_new_clerk(station):
    with station.atomic():
        pid = people.create_person(station, {"name": "郑九", "id_number": id_of(1983)})
        station.actor = "clerk2"
        people.update_person(station, pid, {"hukou_village": "东关村"})
    assert [h["actor"] for h in audit.history(station.db, "person", pid)] == ["admin", "clerk2"]
    assert station.scalar("SELECT count(*) FROM audit_actor") == 0


def test_a_rolled_back_transaction_leaves_no_actor_row(station):
    with pytest.raises(RuntimeError):
        with station.atomic():
            people.create_person(station, {"name": "冯十", "id_number": id_of(1984)})
            raise RuntimeError("power cut")
    assert station.scalar("SELECT count(*) FROM audit_actor") == 0
    people.create_person(station, {"name": "冯十", "id_number": id_of(1984)})  # works again


def test_every_trigger_reads_the_clerk_through_the_actor_table(station):
    triggers = station.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    naming = [t for t in triggers if audit.ACTOR_FUNCTION in t["sql"]]
    assert naming and all(audit.ACTOR_SQL in t["sql"] for t in naming)
    bare = [t["name"] for t in naming
            if t["sql"].replace(audit.ACTOR_SQL, "").count(audit.ACTOR_FUNCTION)]
    assert bare == []


# -- the changes text: the same as the json_each form of migration 0001 built ----------------

_OLD_CHANGES = {
    "insert": ("NEW.{q} IS NOT NULL", "json_array(NULL, NEW.{q})"),
    "update": ("OLD.{q} IS NOT NEW.{q}", "json_array(OLD.{q}, NEW.{q})"),
    "delete": ("OLD.{q} IS NOT NULL", "json_array(OLD.{q}, NULL)"),
}


def _old_trigger_sql(table: str, columns: list[str], pk: str = "id",
                     secret: str = "secret") -> list[str]:
    """The audit triggers as migrations 0001-0006 made them (json_each, the function);
    the column ``secret`` is logged as *** (as a password hash)."""
    statements = []
    for op, event, ref in audit.OPERATIONS:
        cond, pair = _OLD_CHANGES[op]
        parts = []
        for column in columns:
            quoted = f'"{column}"'
            value = _old_secret(op) if column == secret else pair.format(q=quoted)
            parts.append(f"'{column}', CASE WHEN {cond.format(q=quoted)} THEN {value} END")
        changes = ("(SELECT json_group_object(key, json(value)) FROM json_each("
                   f"json_object({', '.join(parts)})) WHERE value IS NOT NULL)")
        statements.append(
            f"CREATE TRIGGER audit_{table}_{op} AFTER {event} ON \"{table}\" BEGIN "
            "INSERT INTO audit_log (at, actor, table_name, row_id, op, changes) "
            f"SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), jobstation_actor(), '{table}', "
            f"{ref}.\"{pk}\", '{op}', c FROM (SELECT {changes} AS c) "
            "WHERE c IS NOT NULL AND c <> '{}'; END")
    return statements


def _old_secret(op: str) -> str:
    return {"insert": "json_array(NULL, '***')", "update": "json_array('***', '***')",
            "delete": "json_array('***', NULL)"}[op]


def _audited_writes(conn, statements: list[str]) -> list[tuple]:
    conn.execute("DROP TABLE IF EXISTS audit_log")
    conn.execute("DROP TABLE IF EXISTS sample")
    conn.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, "
                 "table_name TEXT, row_id TEXT, op TEXT, changes TEXT)")
    conn.execute("CREATE TABLE sample (id TEXT PRIMARY KEY, name TEXT, n INTEGER, x REAL, "
                 "secret TEXT, note TEXT)")
    for statement in statements:
        conn.execute(statement)
    rows = [("a", "张三", 1, 2.5, "s1", 'he said "hi"\n\t\\'), ("b", None, None, None, None, ""),
            ("c", "O'Neil", 0, -0.0, "s3", "{\"json\": [1, 2]}"), ("d", "李", 2**62, 1e300, None, None)]
    conn.executemany("INSERT INTO sample VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.execute("UPDATE sample SET name = 'x', n = n + 1, secret = 'changed' WHERE id IN ('a', 'c')")
    conn.execute("UPDATE sample SET note = note WHERE id = 'a'")  # nothing changes: no row
    conn.execute("UPDATE sample SET name = NULL, x = 3 WHERE id = 'd'")
    conn.execute("DELETE FROM sample WHERE id IN ('b', 'd')")
    return conn.execute("SELECT actor, table_name, row_id, op, changes FROM audit_log "
                        "ORDER BY id").fetchall()


def test_the_changes_text_is_the_same_as_before_the_actor_table(monkeypatch):
    import sqlite3

    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.create_function("jobstation_actor", 0, lambda: "admin")
    columns = ["name", "n", "x", "secret", "note"]
    old = _audited_writes(conn, _old_trigger_sql("sample", columns))
    conn.execute(audit.ACTOR_TABLE_SQL)
    monkeypatch.setattr(audit, "SECRET_COLUMNS", audit.SECRET_COLUMNS | {"secret"})
    new = _audited_writes(conn, audit.audited_trigger_sql("sample", columns))
    assert len(old) == 9 and new == old


def _triggers(station) -> dict[str, str]:
    return {r["name"]: r["sql"] for r in station.query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}


def test_migration_0007_brings_an_older_file_to_the_triggers_of_a_new_one(station, tmp_path):
    from db import setup
    from db.station import open_station

    new = _triggers(station)
    for table, pk, secret in (("person", "id", ""), ("setting", "key", ""),
                              ("account", "id", "password_hash")):
        columns = [r["name"] for r in station.query(
            f"SELECT name FROM pragma_table_info('{table}')")
            if r["name"] not in audit.UNAUDITED_COLUMNS]
        for op, _, _ in audit.OPERATIONS:
            station.conn.execute(f"DROP TRIGGER audit_{table}_{op}")
        for statement in _old_trigger_sql(table, columns, pk, secret):
            station.conn.execute(statement)
    for name, sql in new.items():  # the ledger's and the outbox's triggers as 0005/0006 made them
        if audit.ACTOR_SQL in sql and not name.startswith("audit_"):
            station.conn.execute(f'DROP TRIGGER "{name}"')
            station.conn.execute(sql.replace(audit.ACTOR_SQL, audit.ACTOR_FUNCTION))
    station.conn.execute("DROP TABLE audit_actor")
    station.conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_actor_table'")
    station.conn.commit()
    assert _triggers(station) != new
    folder = station.data_dir
    station.close()
    upgraded = open_station(folder)
    try:
        assert _triggers(upgraded) == new
        people.create_person(upgraded, {"name": "褚十一", "id_number": id_of(1985)})
        fresh = setup.create_station(
            tmp_path / "fresh", code="370124101", name="孔村镇就业服务站", county="平阴县",
            village_names=["东关村"], admin_username="admin", admin_display_name="王站长",
            admin_password="secret123")
        assert _triggers(fresh) == new
        fresh.close()
    finally:
        upgraded.close()
