"""Sync with the county: the outbox and its capture triggers, the station's sync identity,
conflicts sent down by the county, and the sync history.

Rows that existed before this migration enter the outbox as inserts, so the first sync
carries everything. The ledger trigger that opens entries from a person's status stays
quiet while changes from elsewhere are applied: those entries arrive themselves.
"""

from .. import outbox
from ..sync_tables import SYNCED
from .m0005_ledger_rights_training import LEDGER_TRIGGERS

TABLES = [
    "CREATE TABLE sync_identity (id INTEGER PRIMARY KEY CHECK (id = 1), county_code TEXT, "
    "county_name TEXT, server_url TEXT, county_sign_pub BLOB, county_kex_pub BLOB, "
    "sign_key BLOB, kex_key BLOB, enroll_proof TEXT, enrolled_at TEXT)",
    "CREATE TABLE sync_conflict (id TEXT PRIMARY KEY, tbl TEXT NOT NULL, pk TEXT NOT NULL, "
    "col TEXT NOT NULL, kind TEXT NOT NULL, label TEXT, "
    "value_a TEXT, site_a TEXT, station_a TEXT, actor_a TEXT, hlc_a INTEGER, "
    "value_b TEXT, site_b TEXT, station_b TEXT, actor_b TEXT, hlc_b INTEGER, "
    "winner TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open', settled_by TEXT, "
    "settled_at TEXT, settled_value TEXT, cseq INTEGER)",
    "CREATE INDEX sync_conflict_open ON sync_conflict (status, tbl, pk)",
    # Per-field clocks of changes applied from elsewhere: {"column": [hlc, site]}, "*" for
    # every column of a record that arrived whole.
    "CREATE TABLE sync_row (tbl TEXT NOT NULL, pk TEXT NOT NULL, clocks TEXT NOT NULL, "
    "PRIMARY KEY (tbl, pk)) WITHOUT ROWID",
    "CREATE TABLE sync_history (id INTEGER PRIMARY KEY, at TEXT NOT NULL, way TEXT NOT NULL, "
    "ok INTEGER NOT NULL, sent INTEGER NOT NULL DEFAULT 0, received INTEGER NOT NULL DEFAULT 0, "
    "conflicts INTEGER NOT NULL DEFAULT 0, message TEXT, actor TEXT)",
]


def migrate(db) -> None:
    for statement in [*outbox.STATE_TABLES, *TABLES]:
        db.execute(statement)
    db.execute("DROP TRIGGER IF EXISTS ledger_follow_person")
    for statement in LEDGER_TRIGGERS:
        db.execute(statement.replace(
            "BEGIN", f"AND {outbox.APPLYING} BEGIN", 1).replace(
            "WHEN OLD.poverty_alleviated", "WHEN (OLD.poverty_alleviated", 1).replace(
            "OR NEW.monitored = 1 AND", "OR NEW.monitored = 1) AND", 1))
    for table in SYNCED:
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
        db.execute(outbox.snapshot_sql(table, columns))
        outbox.finish_snapshot(db)
        outbox.install_triggers(db, table)
