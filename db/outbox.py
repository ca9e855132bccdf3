"""Change capture for sync: triggers append every change of a synced table to an outbox.

Like the audit log, capture lives in triggers so no code path can forget it. Each outbox
row names the table, the key and ``{"column": [old, new]}`` of the changed columns (all
columns when a record is deleted, so the county can tell what the deleter had seen), and
gets the next gapless number of the station's epoch and a hybrid-logical-clock stamp
(milliseconds, never below the previous stamp or the newest county stamp seen).

While the sync code applies changes that came from elsewhere it sets
``sync_state.applying``, which silences capture: those changes are not this station's.
"""

import json

from .audit import ONCE
from .sync_tables import DERIVED

NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
APPLYING = "(SELECT applying FROM sync_state) = 0"

STATE_TABLES = [
    # One row: who this station is to the county and where its clock and counters stand.
    "CREATE TABLE IF NOT EXISTS sync_state (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "site_id TEXT, epoch INTEGER NOT NULL DEFAULT 1, next_eseq INTEGER NOT NULL DEFAULT 1, "
    "hlc INTEGER NOT NULL DEFAULT 0, applying INTEGER NOT NULL DEFAULT 0, "
    "acked_epoch INTEGER NOT NULL DEFAULT 0, acked_eseq INTEGER NOT NULL DEFAULT 0, "
    "county_cursor INTEGER NOT NULL DEFAULT 0, county_hlc INTEGER NOT NULL DEFAULT 0, "
    "digest_at TEXT)",
    "INSERT OR IGNORE INTO sync_state (id) VALUES (1)",
    "CREATE TABLE IF NOT EXISTS sync_outbox (seq INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, "
    "eseq INTEGER NOT NULL, hlc INTEGER NOT NULL, tbl TEXT NOT NULL, pk TEXT NOT NULL, "
    "ch TEXT NOT NULL, actor TEXT, UNIQUE (epoch, eseq))",
    "CREATE INDEX IF NOT EXISTS sync_outbox_row ON sync_outbox (tbl, pk)",
    # The outbox numbers itself: the state moves on with every captured change.
    "CREATE TRIGGER IF NOT EXISTS sync_outbox_advance AFTER INSERT ON sync_outbox BEGIN "
    "UPDATE sync_state SET next_eseq = NEW.eseq + 1, hlc = NEW.hlc; END",
]


def _piece(column: str, op: str, everything: bool = False) -> str:
    """``,"column":[old,new]`` when the column counts for ``op``, else ''."""
    q = f'"{column}"'
    key = json.dumps(column).replace("'", "''")
    if op == "insert":
        return f"CASE WHEN NEW.{q} IS NOT NULL THEN ',{key}:' || json_array(NULL, NEW.{q}) ELSE '' END"
    if op == "delete":
        return f"',{key}:' || json_array(OLD.{q}, NULL)"
    if everything:
        return f"',{key}:' || json_array(OLD.{q}, NEW.{q})"
    return (f"CASE WHEN OLD.{q} IS NOT NEW.{q} "
            f"THEN ',{key}:' || json_array(OLD.{q}, NEW.{q}) ELSE '' END")


def _pieces(columns: list[str], op: str, everything: bool = False) -> str:
    return " || ".join(_piece(column, op, everything) for column in columns) or "''"


def _insert_outbox(table: str, ref: str, changes: str) -> str:
    """One captured change; ``changes`` is its ``,"column":[old,new]`` pieces joined, and
    nothing is captured when no piece counts. ``json()`` checks the joined text once, so a
    value JSON cannot hold (an infinite number) is refused as the json_each form refused it.
    The clerk comes from ``jobstation_actor()`` here; migration 0007 reads it through
    ``audit.ACTOR_SQL`` (and rebuilds these triggers in the order it always did)."""
    return (
        "INSERT INTO sync_outbox (epoch, eseq, hlc, tbl, pk, ch, actor) "
        f"SELECT s.epoch, s.next_eseq, max(s.hlc + 1, s.county_hlc + 1, {NOW_MS}), "
        f"'{table}', {ref}.id, json('{{' || substr(c, 2) || '}}'), jobstation_actor() "
        f"FROM sync_state s, (SELECT {changes} AS c {ONCE}) WHERE c <> '';"
    )


def trigger_sql(table: str, columns: list[str]) -> list[str]:
    """CREATE TRIGGER statements that capture ``table``'s changes into the outbox."""
    columns = [c for c in columns if c not in DERIVED.get(table, ())]
    soft_delete = "deleted_at" in columns
    statements = [
        f"CREATE TRIGGER sync_{table}_insert AFTER INSERT ON \"{table}\" WHEN {APPLYING} "
        f"BEGIN {_insert_outbox(table, 'NEW', _pieces(columns, 'insert'))} END",
        f"CREATE TRIGGER sync_{table}_delete AFTER DELETE ON \"{table}\" WHEN {APPLYING} "
        f"BEGIN {_insert_outbox(table, 'OLD', _pieces(columns, 'delete'))} END",
    ]
    if soft_delete:
        deleting = "OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL"
        statements += [
            f"CREATE TRIGGER sync_{table}_update AFTER UPDATE ON \"{table}\" "
            f"WHEN {APPLYING} AND NOT ({deleting}) "
            f"BEGIN {_insert_outbox(table, 'NEW', _pieces(columns, 'update'))} END",
            f"CREATE TRIGGER sync_{table}_softdelete AFTER UPDATE ON \"{table}\" "
            f"WHEN {APPLYING} AND {deleting} "
            f"BEGIN {_insert_outbox(table, 'NEW', _pieces(columns, 'update', True))} END",
        ]
    else:
        statements.append(
            f"CREATE TRIGGER sync_{table}_update AFTER UPDATE ON \"{table}\" WHEN {APPLYING} "
            f"BEGIN {_insert_outbox(table, 'NEW', _pieces(columns, 'update'))} END")
    return statements


def install_triggers(db, table: str) -> None:
    """(Re)create ``table``'s capture triggers from its current columns; call it from the
    migration that adds or changes a synced table."""
    for op in ("insert", "update", "softdelete", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS sync_{table}_{op}")
    columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
    for statement in trigger_sql(table, columns):
        db.execute(statement)


def snapshot_sql(table: str, columns: list[str], where: str = "") -> str:
    """Capture every existing row of ``table`` (or those matching ``where``, a condition on
    ``t``) as an insert: for a station that had data before sync existed, or a bucket the
    county found different. Numbers are assigned in row order after the current counter;
    call :func:`finish_snapshot` after."""
    columns = [c for c in columns if c not in DERIVED.get(table, ())]
    pairs = ", ".join(f"'{c}', CASE WHEN t.\"{c}\" IS NOT NULL "
                      f"THEN json_array(NULL, t.\"{c}\") END" for c in columns)
    changes = (f"(SELECT json_group_object(key, json(value)) FROM json_each(json_object({pairs})) "
               "WHERE value IS NOT NULL)")
    return (
        "INSERT INTO sync_outbox (epoch, eseq, hlc, tbl, pk, ch, actor) "
        f"SELECT s.epoch, s.next_eseq + row_number() OVER (ORDER BY t.rowid) - 1, "
        f"max(s.hlc + 1, {NOW_MS}), '{table}', t.id, {changes}, coalesce(t.updated_by, '系统') "
        f"FROM \"{table}\" t, sync_state s" + (f" WHERE {where}" if where else "")
    )


def finish_snapshot(db) -> None:
    db.execute("UPDATE sync_state SET next_eseq = coalesce((SELECT max(eseq) + 1 FROM "
               "sync_outbox WHERE epoch = sync_state.epoch), 1)")
