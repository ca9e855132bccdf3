"""Audit log written by triggers, so no code path can change a record unseen.

Every audited table gets AFTER INSERT/UPDATE/DELETE triggers that append one row to
``audit_log`` in the same transaction: who (``jobstation_actor()``, a function the open
station registers on its connection), when, which row, and ``{"column": [old, new]}``.
A connection without that function cannot write audited tables at all.
"""

import json

# Columns that are bookkeeping or derived: their changes say nothing new.
UNAUDITED_COLUMNS = frozenset(
    {
        "updated_at",
        "updated_by",
        "created_at",
        "created_by",
        "search_initials",
        "search_pinyin",
        "id_rev",
        "phone_rev",
        "current_status",
        "current_status_since",
    }
)
# Columns whose values never enter the log.
SECRET_COLUMNS = frozenset({"password_hash"})


def _pair(old: str | None, new: str | None, column: str) -> str:
    if column in SECRET_COLUMNS:
        old = "'***'" if old else "NULL"
        new = "'***'" if new else "NULL"
    return f"json_array({old or 'NULL'}, {new or 'NULL'})"


def _changes_expr(columns: list[str], op: str) -> str:
    parts = []
    for col in columns:
        q = f'"{col}"'
        if op == "insert":
            pair = _pair(None, f"NEW.{q}", col)
            parts.append(f"'{col}', CASE WHEN NEW.{q} IS NOT NULL THEN {pair} END")
        elif op == "delete":
            pair = _pair(f"OLD.{q}", None, col)
            parts.append(f"'{col}', CASE WHEN OLD.{q} IS NOT NULL THEN {pair} END")
        else:
            pair = _pair(f"OLD.{q}", f"NEW.{q}", col)
            parts.append(f"'{col}', CASE WHEN OLD.{q} IS NOT NEW.{q} THEN {pair} END")
    obj = "json_object(" + ", ".join(parts) + ")"
    return (
        "(SELECT json_group_object(key, json(value)) "
        f"FROM json_each({obj}) WHERE value IS NOT NULL)"
    )


def trigger_sql(table: str, columns: list[str], pk: str = "id") -> list[str]:
    """CREATE TRIGGER statements that audit ``table``'s ``columns``."""
    audited = [c for c in columns if c not in UNAUDITED_COLUMNS]
    statements = []
    for op, event, ref in (
        ("insert", "INSERT", "NEW"),
        ("update", "UPDATE", "NEW"),
        ("delete", "DELETE", "OLD"),
    ):
        changes = _changes_expr(audited, op)
        statements.append(
            f"CREATE TRIGGER audit_{table}_{op} AFTER {event} ON \"{table}\" BEGIN "
            "INSERT INTO audit_log (at, actor, table_name, row_id, op, changes) "
            f"SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), jobstation_actor(), '{table}', "
            f"{ref}.\"{pk}\", '{op}', c FROM (SELECT {changes} AS c) "
            "WHERE c IS NOT NULL AND c <> '{}'; END"
        )
    return statements


def install_triggers(db, table: str, pk: str = "id") -> None:
    """(Re)create the audit triggers of ``table`` from its current columns."""
    for op in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{op}")
    columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
    for statement in trigger_sql(table, columns, pk):
        db.execute(statement)


def history(db, table: str, row_id: str) -> list[dict]:
    """Audit rows of one record, oldest first, with ``changes`` decoded."""
    rows = db.execute(
        "SELECT at, actor, op, changes FROM audit_log WHERE table_name = ? AND row_id = ? "
        "ORDER BY id",
        [table, row_id],
    ).fetchall()
    return [
        {"at": at, "actor": actor, "op": op, "changes": json.loads(changes)}
        for at, actor, op, changes in rows
    ]
