"""A new person who arrives with a status: the person row carries it from the start.

Until now a roster import wrote a new person with no current status, then the status row,
whose trigger ``status_current_insert`` updated the person to that status: an UPDATE of
the person firing every trigger of ``person`` (audit, sync capture, tally, ledger) and a
third captured change, for each of 100,000 people, about as much as the two inserts.

The importer now writes ``current_status``/``current_status_since`` in the person row
itself. When the person already holds exactly what the update would set, the update only
rewrites the same values: this migration gives ``status_current_insert`` a WHEN that skips
it for a person *fresh* with this status (see ``FRESH``: the person's only status row,
written in the same write as the person, already the person's current status). The
update's one visible effect there was the ledger's (``ledger_follow_person``: a
poverty-alleviated or monitored person who is not in work enters the 帮扶台账 from the
status's date); ``status_fresh_ledger`` does that for the fresh case, as that trigger's
fourth step did when the person's status went from none to this one.

The captured changes: the person's insert now carries the two columns that the third
change used to carry; the county and other stations end with the same record (they apply
a person arriving with a status as the first sync's snapshot always sent it). The audit
log is unchanged: neither column is audited.
"""

from .. import audit, outbox
from .m0001_initial import CURRENT_STATUS_SYNC
from .m0005_ledger_rights_training import LEDGER_STATUSES, NOW, TODAY, uuid7_sql

OLD_STATUS_CURRENT_INSERT = (
    "CREATE TRIGGER status_current_insert AFTER INSERT ON employment_status BEGIN "
    + CURRENT_STATUS_SYNC.format(ref="NEW") + " END")

# The person's only status row, written with the person (same created_at), and the person
# already holds its status and date: the update of status_current_insert would change nothing.
FRESH = (
    "NEW.deleted_at IS NULL AND EXISTS (SELECT 1 FROM person p WHERE p.id = NEW.person_id "
    "AND p.current_status IS NEW.status AND p.current_status_since IS NEW.since_date "
    "AND p.created_at IS NEW.created_at) AND NOT EXISTS (SELECT 1 FROM employment_status s "
    "WHERE s.person_id = NEW.person_id AND s.id <> NEW.id)"
)

STATUS_CURRENT_INSERT = (
    f"CREATE TRIGGER status_current_insert AFTER INSERT ON employment_status "
    f"WHEN NOT ({FRESH}) BEGIN " + CURRENT_STATUS_SYNC.format(ref="NEW") + " END")

# ledger_follow_person's fourth step for a person whose status went from none to NEW's:
# entered from the status's date (never after today, never before the person last left),
# the entry's status row being NEW, the person's only one.
_QUALIFIES = (f"p.deleted_at IS NULL AND (p.poverty_alleviated = 1 OR p.monitored = 1) "
              f"AND coalesce(p.current_status, '') IN {LEDGER_STATUSES}")
STATUS_FRESH_LEDGER = (
    f"CREATE TRIGGER status_fresh_ledger AFTER INSERT ON employment_status "
    f"WHEN {FRESH} AND {outbox.APPLYING} BEGIN "
    "INSERT INTO ledger_entry (id, person_id, entered_on, recorded_on, entry_status, "
    "entry_status_id, created_at, created_by, updated_at, updated_by) "
    f"SELECT {uuid7_sql('p.id')}, p.id, max(coalesce((SELECT max(left_on) FROM ledger_entry "
    f"WHERE person_id = p.id AND deleted_at IS NULL), ''), min(p.current_status_since, {TODAY})), "
    f"{TODAY}, p.current_status, NEW.id, {NOW}, {audit.ACTOR_SQL}, {NOW}, {audit.ACTOR_SQL} "
    f"FROM person p WHERE p.id = NEW.person_id AND {_QUALIFIES} AND NOT EXISTS (SELECT 1 "
    "FROM ledger_entry e WHERE e.person_id = p.id AND e.left_on IS NULL "
    "AND e.deleted_at IS NULL); END"
)


def migrate(db) -> None:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                      "tbl_name = 'employment_status' ORDER BY rowid").fetchall()
    if dict(rows).get("status_current_insert") != OLD_STATUS_CURRENT_INSERT:
        return  # not the trigger this migration knows: left as it is
    # SQLite runs a table's triggers newest first: all of the table's triggers are made
    # again in their old order (the new one beside the one it completes), so the captured
    # changes of one write keep their order: the status before the ledger entry it brings.
    again = []
    for name, sql in rows:
        if name == "status_current_insert":
            again += [STATUS_CURRENT_INSERT, STATUS_FRESH_LEDGER]
        else:
            again.append(sql)
    for name, _ in rows:
        db.execute(f'DROP TRIGGER "{name}"')
    for sql in again:
        db.execute(sql)
