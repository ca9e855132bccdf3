"""Giving a record a new key everywhere it is referenced: used when the county finds that
two stations registered the same person, and keeps one key for both."""

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
    return True
