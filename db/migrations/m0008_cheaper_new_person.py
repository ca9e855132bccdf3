"""Cheaper triggers behind every new person (a roster import writes 100,000): the same rows.

Capture: migration 0006 made every sync capture trigger build ``{"column": [old, new]}``
as ``json_object`` of all columns, taken apart again by ``json_each``, each value parsed
again by ``json()`` and put together by ``json_group_object``: about a million CPU
instructions for one new person, more than the person's row, indexes and audit row
together. This rebuilds every capture trigger still in that form, capturing exactly the
columns it captured, in the form db/outbox.py writes now (one ``,"column":[old,new]``
piece per counted column, joined, checked once by ``json()``): the outbox rows are the
same, text for text, as migration 0007 did for the audit log. Triggers not in the form
0006 made are left alone.

The newest status: the status triggers, the ledger's and the importer look up a person's
newest status row ``ORDER BY since_date DESC, id DESC``; the index on (person_id,
since_date) left the ``id`` to a temporary sort every time. The index now holds ``id``
too (and replaces the old one, whose every use it serves).
"""

import re

from .. import audit, outbox

_CAPTURED = re.compile(r"'([^']+)', CASE WHEN NEW\.\"")


def _old_pairs(columns: list[str], op: str, everything: bool = False) -> str:
    """The changes expression as migration 0006 wrote it."""
    parts = []
    for col in columns:
        q = f'"{col}"'
        if op == "insert":
            parts.append(f"'{col}', CASE WHEN NEW.{q} IS NOT NULL "
                         f"THEN json_array(NULL, NEW.{q}) END")
        elif op == "delete":
            parts.append(f"'{col}', json_array(OLD.{q}, NULL)")
        elif everything:
            parts.append(f"'{col}', json_array(OLD.{q}, NEW.{q})")
        else:
            parts.append(f"'{col}', CASE WHEN OLD.{q} IS NOT NEW.{q} "
                         f"THEN json_array(OLD.{q}, NEW.{q}) END")
    return ("(SELECT json_group_object(key, json(value)) FROM json_each(json_object("
            + ", ".join(parts) + ")) WHERE value IS NOT NULL)")


def _old_insert(table: str, ref: str, changes: str) -> str:
    return (
        "INSERT INTO sync_outbox (epoch, eseq, hlc, tbl, pk, ch, actor) "
        f"SELECT s.epoch, s.next_eseq, max(s.hlc + 1, s.county_hlc + 1, {outbox.NOW_MS}), "
        f"'{table}', {ref}.id, c, {audit.ACTOR_SQL} FROM sync_state s, (SELECT {changes} AS c) "
        "WHERE c IS NOT NULL AND c <> '{}';"
    )


def old_trigger_sql(table: str, columns: list[str]) -> dict[str, str]:
    """The capture triggers of ``table`` as migrations 0006 and 0007 left them, by name."""
    applying, deleting = outbox.APPLYING, "OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL"
    found = {
        "insert": f"CREATE TRIGGER sync_{table}_insert AFTER INSERT ON \"{table}\" WHEN "
                  f"{applying} BEGIN {_old_insert(table, 'NEW', _old_pairs(columns, 'insert'))} END",
        "delete": f"CREATE TRIGGER sync_{table}_delete AFTER DELETE ON \"{table}\" WHEN "
                  f"{applying} BEGIN {_old_insert(table, 'OLD', _old_pairs(columns, 'delete'))} END",
    }
    if "deleted_at" in columns:
        found["update"] = (
            f"CREATE TRIGGER sync_{table}_update AFTER UPDATE ON \"{table}\" WHEN {applying} "
            f"AND NOT ({deleting}) BEGIN "
            f"{_old_insert(table, 'NEW', _old_pairs(columns, 'update'))} END")
        found["softdelete"] = (
            f"CREATE TRIGGER sync_{table}_softdelete AFTER UPDATE ON \"{table}\" WHEN "
            f"{applying} AND {deleting} BEGIN "
            f"{_old_insert(table, 'NEW', _old_pairs(columns, 'update', True))} END")
    else:
        found["update"] = (
            f"CREATE TRIGGER sync_{table}_update AFTER UPDATE ON \"{table}\" WHEN {applying} "
            f"BEGIN {_old_insert(table, 'NEW', _old_pairs(columns, 'update'))} END")
    return {f"sync_{table}_{op}": sql for op, sql in found.items()}


def new_trigger_sql(table: str, columns: list[str]) -> dict[str, str]:
    """The capture triggers of ``table`` as a new file has them after migration 0007."""
    return {re.match(r"CREATE TRIGGER (\w+)", sql).group(1): audit.with_actor_sql(sql)
            for sql in outbox.trigger_sql(table, columns)}


def _replacements(triggers: dict[str, str]) -> dict[str, str]:
    """New SQL by trigger name, for every table whose capture triggers are all in 0006's form."""
    found: dict[str, str] = {}
    for name, sql in triggers.items():
        match = re.fullmatch(r"sync_(\w+)_insert", name)
        if match is None or "json_group_object" not in sql:
            continue
        table, columns = match.group(1), _CAPTURED.findall(sql)
        old = old_trigger_sql(table, columns)
        if all(triggers.get(key) == text for key, text in old.items()):
            found.update(new_trigger_sql(table, columns))
    return found


NEWEST_STATUS_INDEX = ("CREATE INDEX IF NOT EXISTS employment_status_newest "
                       "ON employment_status(person_id, since_date, id)")


def migrate(db) -> None:
    db.execute(NEWEST_STATUS_INDEX)
    db.execute("DROP INDEX IF EXISTS employment_status_person")
    rows = db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                      "ORDER BY rowid").fetchall()
    new = _replacements({name: sql for name, _, sql in rows})
    # SQLite runs a table's triggers newest first: every trigger of a table that changes is
    # made again in its old order, so the outbox rows of one write keep their order too.
    tables = {table for name, table, _ in rows if name in new}
    again = [(name, new.get(name, sql)) for name, table, sql in rows if table in tables]
    for name, _ in again:
        db.execute(f'DROP TRIGGER "{name}"')
    for _, sql in again:
        db.execute(sql)
