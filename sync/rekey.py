"""Giving a record a new key everywhere it is referenced: used when the county finds that
two stations registered the same person, and keeps one key for both."""

import json
import sqlite3


def referencing(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(table, column) pairs with a foreign key to ``table``'s id."""
    found = []
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for fk in conn.execute(f'PRAGMA foreign_key_list("{name}")'):
            if fk[2] == table:
                found.append((name, fk[3]))
    return found


def rekey(conn: sqlite3.Connection, table: str, old: str, new: str) -> bool:
    """Move record ``old`` of ``table`` to key ``new`` with everything that points at it.
    When ``new`` already exists, ``old`` is retired (soft-deleted) and its references move.
    Call inside a transaction; returns whether anything changed."""
    if old == new or not conn.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [old]).fetchone():
        return False
    conn.execute("PRAGMA defer_foreign_keys = ON")
    exists = conn.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [new]).fetchone()
    if exists:
        conn.execute(f'UPDATE "{table}" SET deleted_at = coalesce(deleted_at, '
                     "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) WHERE id = ?", [old])
    else:
        conn.execute(f'UPDATE "{table}" SET id = ? WHERE id = ?', [new, old])
    for child, column in referencing(conn, table):
        conn.execute(f'UPDATE "{child}" SET "{column}" = ? WHERE "{column}" = ?', [new, old])
    conn.execute("UPDATE OR REPLACE sync_row SET pk = ? WHERE tbl = ? AND pk = ?",
                 [new, table, old])
    _keep_own_edits(conn, table, old, new, copy_values=bool(exists))
    return True


def _keep_own_edits(conn: sqlite3.Connection, table: str, old: str, new: str, *,
                    copy_values: bool) -> None:
    """This place's own edits of ``old`` sit in its outbox under the old key (the outbox is
    never rewritten) and already count at the county under ``new``: let their clocks count
    for ``new`` here too, and when ``new`` already existed carry the edited values over, so
    an older change from elsewhere cannot win here when it lost at the county."""
    site = conn.execute("SELECT coalesce(site_id, '') FROM sync_state").fetchone()[0]
    own: dict[str, list] = {}
    for hlc, ch in conn.execute("SELECT hlc, ch FROM sync_outbox WHERE tbl = ? AND pk = ?",
                                [table, old]):
        changes = json.loads(ch)
        registered = changes.get("id", [None, None])[0] is None
        for col, (before, after) in changes.items():
            if col in ("id", "deleted_at") or before == after:
                continue
            if registered and (col in ("created_at", "created_by") or after in (None, "")):
                continue    # the county merged the registration without these (ingest.py)
            own[col] = max(own.get(col, [0, ""]), [hlc, site])
    if not own:
        return
    row = conn.execute("SELECT clocks FROM sync_row WHERE tbl = ? AND pk = ?",
                       [table, new]).fetchone()
    clocks = json.loads(row[0]) if row else {}
    for col, clock in own.items():
        if clock > clocks.get(col, clocks.get("*", [0, ""])):
            clocks[col] = clock
            if copy_values:
                conn.execute(f'UPDATE "{table}" SET "{col}" = (SELECT "{col}" FROM "{table}" '
                             "WHERE id = ?) WHERE id = ?", [old, new])
    conn.execute("INSERT OR REPLACE INTO sync_row (tbl, pk, clocks) VALUES (?, ?, ?)",
                 [table, new, json.dumps(clocks, separators=(",", ":"))])
