"""The acting clerk from a one-row table instead of a Python call per row; cheaper audit SQL.

Adds ``audit_actor`` (see db/audit.py: it holds a row only inside a station's own
transaction) and rebuilds every trigger that named ``jobstation_actor()``:

- the audit triggers, auditing exactly the columns they audited before, now building the
  ``{"column": [old, new]}`` text by concatenation (the same text as before);
- every other trigger that records the clerk (the ledger's, the sync outbox's), with the
  bare function call replaced by ``audit.ACTOR_SQL``.

SQLite then runs a whole bulk insert (a 500-row chunk of a roster import, with all its
triggers) without returning to Python, so another thread can read the next rows meanwhile.
"""

from .. import audit


def _triggers(db) -> list[tuple[str, str, str]]:
    return db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                      "ORDER BY name").fetchall()


def _rebuild_audit_triggers(db) -> None:
    names = {name for name, _, _ in _triggers(db)}
    for name, table, sql in _triggers(db):
        if not (name == f"audit_{table}_insert" and audit.ACTOR_SQL not in sql
                and {f"audit_{table}_update", f"audit_{table}_delete"} <= names):
            continue  # a new file's triggers are made in the new form from the start
        columns, key = audit.audited_columns(sql)
        for op, _, _ in audit.OPERATIONS:
            db.execute(f'DROP TRIGGER "audit_{table}_{op}"')
        for statement in audit.audited_trigger_sql(table, columns, key):
            db.execute(statement)


def _rebuild_actor_triggers(db) -> None:
    for name, _, sql in _triggers(db):
        if audit.ACTOR_FUNCTION in sql and audit.ACTOR_SQL not in sql:
            db.execute(f'DROP TRIGGER "{name}"')
            db.execute(audit.with_actor_sql(sql))


def migrate(db) -> None:
    db.execute(audit.ACTOR_TABLE_SQL)
    _rebuild_audit_triggers(db)
    _rebuild_actor_triggers(db)
