"""Audit and sync capture triggers compute a write's changes once instead of twice.

Every audit trigger and sync capture trigger builds the ``,"column":[old,new]`` text of a
write in a subquery, ``(SELECT <a piece a column> AS c) WHERE c <> ''``. SQLite flattens
such a subquery into the statement around it, and so computed the whole expression twice:
once to test ``c <> ''``, once for the text written, every piece of every column. For a
new person that was a tenth of the writing. A subquery with an OFFSET is never flattened:
this migration adds ``LIMIT -1 OFFSET 0`` (which keeps every row) to each of those
subqueries, as db/audit.py and db/outbox.py now write them. The text recorded is the same,
byte for byte; only the work to make it differs.
"""

from ..audit import ONCE

TWICE = " AS c) WHERE c <> ''"
ONCE_FORM = f" AS c {ONCE}) WHERE c <> ''"


def computed_once(sql: str) -> str:
    """A trigger's SQL with its changes subquery kept from being flattened."""
    return sql.replace(TWICE, ONCE_FORM)


def migrate(db) -> None:
    rows = db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                      "ORDER BY rowid").fetchall()
    tables = {table for _, table, sql in rows if TWICE in sql}
    # A table's triggers run newest first: all of a changed table's triggers are made again
    # in their old order, so the rows one write appends keep their order.
    again = [(name, computed_once(sql)) for name, table, sql in rows if table in tables]
    for name, _ in again:
        db.execute(f'DROP TRIGGER "{name}"')
    for _, sql in again:
        db.execute(sql)
