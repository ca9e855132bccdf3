"""Audit log written by triggers, so no code path can change a record unseen.

Every audited table gets AFTER INSERT/UPDATE/DELETE triggers that append one row to
``audit_log`` in the same transaction: who, when, which row, and
``{"column": [old, new]}`` of the columns that changed.

Who: ``ACTOR_SQL``, ``coalesce((SELECT actor FROM audit_actor), jobstation_actor())``.
``audit_actor`` holds one row only *inside* a transaction of an open ``Station``: its
``atomic()`` inserts the acting clerk when the transaction begins and deletes the row
before committing, so the row is never committed, never seen by another connection and
never in a backup. Writes inside ``atomic()`` (every service write, and imports of 100,000
rows) so take the clerk from a one-row table, without calling into Python for every row.
Anything else on a station's connection (a migration, a stray write outside ``atomic()``)
finds no row and falls back to the SQL function ``jobstation_actor()``, which only
``Station`` registers. Because every trigger names that function, SQLite refuses to even
prepare a write to an audited table on a connection that is not a ``Station`` ("no such
function"), whether or not a row is there: no write goes unlogged, as before the table.
(Migration 0007 moved every trigger from the bare function to ``ACTOR_SQL``; triggers
that record the clerk elsewhere, such as the ledger's and the sync outbox's, should use
``ACTOR_SQL`` too.)

The changes are built by plain string concatenation of one ``,"column":[old,new]`` piece
per changed column (the same text ``json_group_object`` over ``json_each`` gave, at a
fraction of the cost).
"""

import json
import re

ACTOR_TABLE = "audit_actor"
ACTOR_FUNCTION = "jobstation_actor()"
ACTOR_SQL = f"coalesce((SELECT actor FROM {ACTOR_TABLE}), {ACTOR_FUNCTION})"
# A subquery with an OFFSET is never flattened into the query around it: flattened, the
# changes expression (a piece a column) was computed twice, for ``WHERE c <> ''`` and for
# the text written (migration 0010).
ONCE = "LIMIT -1 OFFSET 0"
ACTOR_TABLE_SQL = (f"CREATE TABLE IF NOT EXISTS {ACTOR_TABLE} (id INTEGER PRIMARY KEY "
                   "CHECK (id = 1), actor TEXT NOT NULL)")

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
OPERATIONS = (("insert", "INSERT", "NEW"), ("update", "UPDATE", "NEW"),
              ("delete", "DELETE", "OLD"))


def _pair(old: str | None, new: str | None, column: str) -> str:
    if column in SECRET_COLUMNS:
        old = "'***'" if old else "NULL"
        new = "'***'" if new else "NULL"
    return f"json_array({old or 'NULL'}, {new or 'NULL'})"


def _piece(column: str, op: str) -> str:
    """``,"column":[old,new]`` when the column counts for ``op``, else ''."""
    q = f'"{column}"'
    if op == "insert":
        changed, pair = f"NEW.{q} IS NOT NULL", _pair(None, f"NEW.{q}", column)
    elif op == "delete":
        changed, pair = f"OLD.{q} IS NOT NULL", _pair(f"OLD.{q}", None, column)
    else:
        changed, pair = f"OLD.{q} IS NOT NEW.{q}", _pair(f"OLD.{q}", f"NEW.{q}", column)
    key = json.dumps(column).replace("'", "''")
    return f"CASE WHEN {changed} THEN ',{key}:' || {pair} ELSE '' END"


def trigger_sql(table: str, columns: list[str], pk: str = "id") -> list[str]:
    """CREATE TRIGGER statements that audit ``table``'s ``columns``."""
    return audited_trigger_sql(table, [c for c in columns if c not in UNAUDITED_COLUMNS], pk)


def audited_trigger_sql(table: str, audited: list[str], pk: str = "id") -> list[str]:
    """The triggers for exactly the ``audited`` columns (in that order)."""
    statements = []
    for op, event, ref in OPERATIONS:
        pieces = " || ".join(_piece(col, op) for col in audited) or "''"
        statements.append(
            f"CREATE TRIGGER audit_{table}_{op} AFTER {event} ON \"{table}\" BEGIN "
            "INSERT INTO audit_log (at, actor, table_name, row_id, op, changes) "
            f"SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), {ACTOR_SQL}, '{table}', "
            f"{ref}.\"{pk}\", '{op}', '{{' || substr(c, 2) || '}}' "
            f"FROM (SELECT {pieces} AS c {ONCE}) WHERE c <> ''; END"
        )
    return statements


def install_triggers(db, table: str, pk: str = "id") -> None:
    """(Re)create the audit triggers of ``table`` from its current columns (and the actor
    table they read, which a new file gets with its first audited table)."""
    db.execute(ACTOR_TABLE_SQL)
    for op, _, _ in OPERATIONS:
        db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{op}")
    columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
    for statement in trigger_sql(table, columns, pk):
        db.execute(statement)


# -- migrating the triggers of older files (migration 0007) ----------------------------------

_AUDITED_COLUMN = re.compile(r"'([^']+)', CASE WHEN NEW\.")  # the json_object form of 0001
_AUDITED_KEY = re.compile(r"NEW\.\"([^\"]+)\", 'insert'")


def audited_columns(insert_trigger_sql: str) -> tuple[list[str], str]:
    """The audited columns and key column of an ``audit_<table>_insert`` trigger as
    written before migration 0007, so that it can be rebuilt auditing the same columns."""
    columns = _AUDITED_COLUMN.findall(insert_trigger_sql)
    key = _AUDITED_KEY.search(insert_trigger_sql)
    if key is None:
        raise ValueError(f"not an audit trigger: {insert_trigger_sql[:80]}")
    return columns, key.group(1)


def with_actor_sql(trigger_sql: str) -> str:
    """A trigger's SQL with every bare ``jobstation_actor()`` call read via ``ACTOR_SQL``."""
    return trigger_sql.replace(ACTOR_FUNCTION, ACTOR_SQL)


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
