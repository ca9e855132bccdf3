"""The county's own tables, beside the station schema it shares (so the same records and
the same apply code serve both sides)."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("jobstation-county")


@migrations()
def m0001_county(db) -> None:
    for statement in [
        "CREATE TABLE county_identity (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "county_code TEXT NOT NULL, name TEXT NOT NULL, sign_key BLOB NOT NULL, "
        "kex_key BLOB NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE county_station (site_id TEXT PRIMARY KEY, station_code TEXT NOT NULL "
        "UNIQUE, name TEXT, sign_pub BLOB NOT NULL, kex_pub BLOB NOT NULL, "
        "enrolled_at TEXT NOT NULL, last_contact TEXT, last_way TEXT, cursor INTEGER NOT NULL "
        "DEFAULT 0, clock_skew_ms INTEGER NOT NULL DEFAULT 0, revoked_at TEXT)",
        "CREATE TABLE county_enroll_code (station_code TEXT PRIMARY KEY, code TEXT NOT NULL, "
        "created_at TEXT NOT NULL, used_at TEXT)",
        # Every change the county holds, numbered: what stations download after their cursor.
        "CREATE TABLE county_log (cseq INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
        "tbl TEXT NOT NULL, pk TEXT NOT NULL, hlc INTEGER NOT NULL, site TEXT NOT NULL, "
        "epoch INTEGER, eseq INTEGER, hash TEXT, actor TEXT, ch TEXT NOT NULL, target TEXT)",
        "CREATE UNIQUE INDEX county_log_origin ON county_log (site, epoch, eseq) "
        "WHERE eseq IS NOT NULL",
        "CREATE INDEX county_log_row ON county_log (tbl, pk)",
        "CREATE TABLE county_epoch (site TEXT NOT NULL, epoch INTEGER NOT NULL, "
        "ingested INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (site, epoch))",
        # Who receives changes of a record: the stations that wrote it or were handed it;
        # '*' for what the county publishes to everyone.
        "CREATE TABLE county_interest (tbl TEXT NOT NULL, pk TEXT NOT NULL, site TEXT NOT NULL, "
        "PRIMARY KEY (tbl, pk, site)) WITHOUT ROWID",
        "CREATE INDEX county_interest_site ON county_interest (site)",
        "CREATE TABLE county_alias (tbl TEXT NOT NULL, pk TEXT NOT NULL, canonical TEXT NOT "
        "NULL, PRIMARY KEY (tbl, pk)) WITHOUT ROWID",
        "CREATE TABLE county_parked (site TEXT NOT NULL, epoch INTEGER NOT NULL, "
        "eseq INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (site, epoch, eseq))",
        "CREATE TABLE county_rejected (site TEXT NOT NULL, epoch INTEGER NOT NULL, "
        "eseq INTEGER NOT NULL, tbl TEXT, pk TEXT, reason TEXT NOT NULL, at TEXT NOT NULL, "
        "PRIMARY KEY (site, epoch, eseq))",
        "CREATE TABLE county_bundle_seen (bundle_id TEXT PRIMARY KEY, site TEXT NOT NULL, "
        "at TEXT NOT NULL)",
        # Village names and attendance months repeat across townships, and employers are
        # told apart by their credit code alone: at the county these are not unique.
        "DROP INDEX IF EXISTS village_name_live",
        "DROP INDEX IF EXISTS attendance_month_live",
        "DROP INDEX IF EXISTS employer_name_live",
    ]:
        db.execute(statement)
