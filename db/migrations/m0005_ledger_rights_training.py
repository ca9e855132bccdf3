"""帮扶台账 (employment-assistance ledger) with its follow-ups, 维权咨询 (labour-rights
consultations), training needs and records, 劳务品牌 tags, and the indexes the home screen
and the monthly report read.

Ledger entries are kept by triggers on ``person`` (see db.ledger for the rules), so a
person enters and leaves the ledger whatever code path changes their status or groups.
The latest follow-up of an entry is copied onto it by triggers on ``ledger_followup``.
``person_tally`` counts live people by status, village and group, also by triggers, for
the home screen.
"""

from .. import audit
from .m0001_initial import META

# Statuses that put a poverty-alleviated or monitored person in the ledger: not employed
# (失业, 未就业有意愿, 无就业意愿) or unstably employed (灵活就业). Kept in step with
# db.ledger.LEDGER_STATUSES.
LEDGER_STATUSES = "('unemployed', 'willing', 'no_intention', 'flexible')"

TABLES = {
    "ledger_entry": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        entered_on TEXT NOT NULL,
        recorded_on TEXT NOT NULL,
        entry_status TEXT,
        entry_status_id TEXT,
        left_on TEXT,
        leave_reason TEXT CHECK (leave_reason IN
            ('employed', 'left_group', 'status_withdrawn', 'person_deleted')),
        left_status TEXT,
        exit_status_id TEXT,
        measures TEXT NOT NULL DEFAULT '',
        remarks TEXT NOT NULL DEFAULT '',
        last_followup_date TEXT,
        last_method TEXT,
        last_outcome TEXT,
        next_due_date TEXT,
        {META}
    """,
    "ledger_followup": f"""
        id TEXT PRIMARY KEY,
        entry_id TEXT NOT NULL REFERENCES ledger_entry(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        followup_date TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('phone', 'visit')),
        outcome TEXT NOT NULL,
        next_due_date TEXT NOT NULL,
        clerk TEXT NOT NULL,
        service_log_id TEXT REFERENCES service_log(id),
        {META}
    """,
    "rights_case": f"""
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN
            ('unpaid_wages', 'contract', 'injury', 'social_insurance', 'other')),
        received_on TEXT NOT NULL,
        employer_name TEXT NOT NULL DEFAULT '',
        employer_id TEXT REFERENCES employer(id),
        amount INTEGER CHECK (amount >= 0),
        period_from TEXT,
        period_to TEXT,
        people_count INTEGER NOT NULL CHECK (people_count >= 1),
        evidence TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('accepted', 'referred', 'resolved', 'withdrawn')),
        referred_on TEXT,
        closed_on TEXT,
        result TEXT NOT NULL DEFAULT '',
        recovered INTEGER CHECK (recovered >= 0),
        clerk TEXT NOT NULL,
        {META}
    """,
    "rights_party": f"""
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES rights_case(id),
        person_id TEXT REFERENCES person(id),
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "training_record": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL CHECK (kind IN ('skill', 'safety', 'adaptive', 'agriculture')),
        course TEXT NOT NULL,
        provider TEXT NOT NULL DEFAULT '',
        start_date TEXT NOT NULL,
        end_date TEXT,
        result TEXT NOT NULL DEFAULT 'enrolled'
            CHECK (result IN ('enrolled', 'completed', 'dropped')),
        certificate TEXT NOT NULL DEFAULT '',
        certificate_no TEXT NOT NULL DEFAULT '',
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "training_need": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL CHECK (kind IN ('skill', 'safety', 'adaptive', 'agriculture')),
        course TEXT NOT NULL DEFAULT '',
        recorded_on TEXT NOT NULL,
        met_on TEXT,
        record_id TEXT REFERENCES training_record(id),
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "brand_tag": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        brand TEXT NOT NULL,
        {META}
    """,
}

OPEN = "left_on IS NULL AND deleted_at IS NULL"
INDEXES = [
    f"CREATE UNIQUE INDEX ledger_entry_open ON ledger_entry(person_id) WHERE {OPEN}",
    "CREATE INDEX ledger_entry_person ON ledger_entry(person_id, entered_on)",
    # Overdue follow-ups: a range below today, and the never-visited (NULL) entries.
    f"CREATE INDEX ledger_entry_due ON ledger_entry(next_due_date) WHERE {OPEN}",
    "CREATE INDEX ledger_entry_left ON ledger_entry(left_on) "
    "WHERE left_on IS NOT NULL AND deleted_at IS NULL",
    "CREATE INDEX ledger_entry_entered ON ledger_entry(entered_on) WHERE deleted_at IS NULL",
    "CREATE INDEX ledger_followup_entry ON ledger_followup(entry_id, followup_date)",
    "CREATE INDEX ledger_followup_date ON ledger_followup(followup_date) WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX rights_case_number ON rights_case(number)",
    "CREATE INDEX rights_case_received ON rights_case(received_on) WHERE deleted_at IS NULL",
    "CREATE INDEX rights_case_employer ON rights_case(employer_id) WHERE employer_id IS NOT NULL",
    "CREATE INDEX rights_party_case ON rights_party(case_id)",
    "CREATE INDEX rights_party_person ON rights_party(person_id) WHERE person_id IS NOT NULL",
    "CREATE INDEX training_record_person ON training_record(person_id, start_date)",
    "CREATE INDEX training_record_start ON training_record(start_date) WHERE deleted_at IS NULL",
    "CREATE INDEX training_need_person ON training_need(person_id)",
    "CREATE INDEX training_need_open ON training_need(kind) "
    "WHERE met_on IS NULL AND deleted_at IS NULL",
    "CREATE UNIQUE INDEX brand_tag_live ON brand_tag(person_id, brand) WHERE deleted_at IS NULL",
    "CREATE INDEX brand_tag_brand ON brand_tag(brand) WHERE deleted_at IS NULL",
    # The home screen's risk warning: recent returns and job losses by day.
    "CREATE INDEX return_home_date ON return_home(return_date) WHERE deleted_at IS NULL",
    "CREATE INDEX employment_status_lost ON employment_status(since_date) "
    "WHERE status = 'unemployed' AND deleted_at IS NULL",
    # The home screen's count of 大龄 people: two index range counts.
    "CREATE INDEX person_sex_birth ON person(sex, birth_date) WHERE deleted_at IS NULL",
]

# ------------------------------------------------------------ people tally

# Live people counted by current status, village and group flags, kept by triggers: the
# home screen reads its counts from a few hundred rows instead of 100,000. Derived data,
# like ``sequence``: no record columns, not audited, never synced.
TALLY_KEY = ("current_status", "hukou_village", "poverty_alleviated", "monitored", "low_income",
             "rural_disabled")
TALLY = f"""CREATE TABLE person_tally (
    current_status TEXT NOT NULL, hukou_village TEXT NOT NULL,
    poverty_alleviated INTEGER NOT NULL, monitored INTEGER NOT NULL,
    low_income INTEGER NOT NULL, rural_disabled INTEGER NOT NULL,
    people INTEGER NOT NULL,
    PRIMARY KEY ({", ".join(TALLY_KEY)})
) WITHOUT ROWID"""


def _tally_values(ref: str) -> str:
    return ", ".join(f"coalesce({ref}.{c}, '')" if c == "current_status" else f"{ref}.{c}"
                     for c in TALLY_KEY)


def _tally_add(ref: str) -> str:
    return (f"INSERT INTO person_tally SELECT {_tally_values(ref)}, 1 WHERE {ref}.deleted_at "
            f"IS NULL ON CONFLICT ({', '.join(TALLY_KEY)}) DO UPDATE SET people = people + 1")


def _tally_remove(ref: str) -> str:
    return (f"UPDATE person_tally SET people = people - 1 WHERE {ref}.deleted_at IS NULL AND "
            f"({', '.join(TALLY_KEY)}) = ({_tally_values(ref)})")


_TALLY_CHANGED = " OR ".join(
    [f"OLD.{c} IS NOT NEW.{c}" for c in TALLY_KEY]
    + ["(OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)"])
TALLY_TRIGGERS = [
    f"CREATE TRIGGER person_tally_insert AFTER INSERT ON person BEGIN {_tally_add('NEW')}; END",
    f"CREATE TRIGGER person_tally_update AFTER UPDATE OF {', '.join(TALLY_KEY)}, deleted_at "
    f"ON person WHEN {_TALLY_CHANGED} BEGIN {_tally_remove('OLD')}; {_tally_add('NEW')}; END",
    f"CREATE TRIGGER person_tally_delete AFTER DELETE ON person BEGIN {_tally_remove('OLD')}; END",
]
TALLY_BACKFILL = (f"INSERT INTO person_tally SELECT {_tally_values('person')}, count(*) "
                  "FROM person "
                  f"WHERE deleted_at IS NULL GROUP BY {', '.join(f'{i + 1}' for i in range(6))}")

# ------------------------------------------------------------ ledger triggers

NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"
TODAY = "date('now', 'localtime')"


def uuid7_sql(row_ref: str = "NULL") -> str:
    """A version-7 UUID made in SQL (a trigger has no Python at hand): 48 bits of Unix
    milliseconds, the version nibble, random bits and the RFC 9562 variant. ``row_ref``
    names a column of the outer row, so that SQLite computes a new value for every row
    instead of caching one for the whole statement."""
    return (
        "(SELECT substr(t, 1, 8) || '-' || substr(t, 9, 4) || '-7' || substr(r, 1, 3) || '-' || "
        "substr('89ab', 1 + (random() & 3), 1) || substr(r, 4, 3) || '-' || substr(r, 7, 12) "
        "|| coalesce(substr(k, 1, 0), '') "
        f"FROM (SELECT {row_ref} AS k, lower(printf('%012x', CAST((julianday('now') - 2440587.5) "
        "* 86400000 AS INTEGER))) AS t, lower(hex(randomblob(9))) AS r))"
    )


def _qualifies(ref: str) -> str:
    return (f"({ref}.deleted_at IS NULL AND ({ref}.poverty_alleviated = 1 OR "
            f"{ref}.monitored = 1) AND coalesce({ref}.current_status, '') IN {LEDGER_STATUSES})")


_STATUS_CHANGED = ("(OLD.current_status IS NOT NEW.current_status OR "
                   "OLD.current_status_since IS NOT NEW.current_status_since)")
_NEWEST_STATUS_ID = ("(SELECT id FROM employment_status s WHERE s.person_id = NEW.id AND "
                     "s.deleted_at IS NULL ORDER BY since_date DESC, id DESC LIMIT 1)")
_CAUSE_GONE = ("(NEW.current_status IS NULL OR NOT EXISTS (SELECT 1 FROM employment_status s "
               "WHERE s.id = ledger_entry.entry_status_id AND s.deleted_at IS NULL))")
_STILL_IN_GROUP = "(NEW.deleted_at IS NULL AND (NEW.poverty_alleviated = 1 OR NEW.monitored = 1))"
_THIS_OPEN = "person_id = NEW.id AND left_on IS NULL AND deleted_at IS NULL"
_NONE_OPEN = ("NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.person_id = NEW.id AND "
              "e.left_on IS NULL AND e.deleted_at IS NULL)")
_STAMP = f"updated_at = {NOW}, updated_by = jobstation_actor()"
_REASON = (f"CASE WHEN NEW.deleted_at IS NOT NULL THEN 'person_deleted' "
           f"WHEN NOT (NEW.poverty_alleviated = 1 OR NEW.monitored = 1) THEN 'left_group' "
           f"WHEN {_CAUSE_GONE} THEN 'status_withdrawn' ELSE 'employed' END")
# Leaving for work counts from the day the work began; any other leaving from today.
_LEFT_ON = (f"max(entered_on, CASE WHEN {_STILL_IN_GROUP} AND NOT {_CAUSE_GONE} "
            f"THEN min(coalesce(NEW.current_status_since, {TODAY}), {TODAY}) ELSE {TODAY} END)")
# Entering by a status counts from the status's date; by a group flag from today; never
# before the person last left.
_ENTERED_ON = (
    f"max(coalesce((SELECT max(left_on) FROM ledger_entry WHERE person_id = NEW.id AND "
    f"deleted_at IS NULL), ''), CASE WHEN {_STATUS_CHANGED} AND NEW.current_status_since "
    f"IS NOT NULL THEN min(NEW.current_status_since, {TODAY}) ELSE {TODAY} END)"
)

_LEDGER_STEPS = [
    # 1. An entry brought by a status row since withdrawn, never followed up: a mistake
    #    undone, so the entry goes too.
    f"UPDATE ledger_entry SET deleted_at = {NOW}, left_on = max(entered_on, {TODAY}), "
    f"leave_reason = 'status_withdrawn', left_status = NEW.current_status, {_STAMP} "
    f"WHERE {_THIS_OPEN} AND NOT {_qualifies('NEW')} AND {_STILL_IN_GROUP} AND {_CAUSE_GONE} "
    "AND NOT EXISTS (SELECT 1 FROM ledger_followup f WHERE f.entry_id = ledger_entry.id "
    "AND f.deleted_at IS NULL)",
    # 2. No longer qualifying: the open entry closes, saying when, why and on which status.
    f"UPDATE ledger_entry SET left_on = {_LEFT_ON}, leave_reason = {_REASON}, "
    f"left_status = NEW.current_status, exit_status_id = {_NEWEST_STATUS_ID}, {_STAMP} "
    f"WHERE {_THIS_OPEN} AND NOT {_qualifies('NEW')}",
    # 3. Qualifying again because the work that took the person out was withdrawn (entered
    #    by mistake): their last entry opens again instead of a new one.
    f"UPDATE ledger_entry SET left_on = NULL, leave_reason = NULL, left_status = NULL, "
    f"exit_status_id = NULL, {_STAMP} WHERE {_qualifies('NEW')} AND {_NONE_OPEN} "
    "AND id = (SELECT e.id FROM ledger_entry e WHERE e.person_id = NEW.id AND "
    "e.deleted_at IS NULL ORDER BY e.entered_on DESC, e.rowid DESC LIMIT 1) "
    "AND leave_reason = 'employed' AND NOT EXISTS (SELECT 1 FROM employment_status s "
    "WHERE s.id = ledger_entry.exit_status_id AND s.deleted_at IS NULL)",
    # 4. Qualifying and not in the ledger: a new entry.
    "INSERT INTO ledger_entry (id, person_id, entered_on, recorded_on, entry_status, "
    "entry_status_id, created_at, created_by, updated_at, updated_by) "
    f"SELECT {uuid7_sql('NEW.id')}, NEW.id, {_ENTERED_ON}, {TODAY}, NEW.current_status, "
    f"{_NEWEST_STATUS_ID}, {NOW}, jobstation_actor(), {NOW}, jobstation_actor() "
    f"WHERE {_qualifies('NEW')} AND {_NONE_OPEN}",
]
LEDGER_TRIGGERS = [
    "CREATE TRIGGER ledger_follow_person AFTER UPDATE OF current_status, current_status_since, "
    "poverty_alleviated, monitored, deleted_at ON person "
    "WHEN OLD.poverty_alleviated = 1 OR OLD.monitored = 1 OR NEW.poverty_alleviated = 1 "
    "OR NEW.monitored = 1 BEGIN " + "; ".join(_LEDGER_STEPS) + "; END",
]

LATEST_FOLLOWUP = (
    "UPDATE ledger_entry SET (last_followup_date, last_method, last_outcome, next_due_date) = "
    "(SELECT followup_date, method, outcome, next_due_date FROM ledger_followup f "
    "WHERE f.entry_id = ledger_entry.id AND f.deleted_at IS NULL "
    "ORDER BY f.followup_date DESC, f.id DESC LIMIT 1) WHERE id = {ref}.entry_id;"
)
FOLLOWUP_TRIGGERS = [
    f"CREATE TRIGGER ledger_followup_latest_{op} AFTER {op.upper()} ON ledger_followup BEGIN "
    + LATEST_FOLLOWUP.format(ref=ref) + " END"
    for op, ref in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD"))
]
# Copies of the latest follow-up, which the follow-up's own audit rows already record.
DERIVED_COLUMNS = {"last_followup_date", "last_method", "last_outcome", "next_due_date"}

# People who qualify when this migration runs enter the ledger from their status's date.
BACKFILL = (
    "INSERT INTO ledger_entry (id, person_id, entered_on, recorded_on, entry_status, "
    "entry_status_id, created_at, created_by, updated_at, updated_by) "
    f"SELECT {uuid7_sql('p.id')}, p.id, "
    f"min(coalesce(p.current_status_since, {TODAY}), {TODAY}), {TODAY}, p.current_status, "
    "(SELECT id FROM employment_status s WHERE s.person_id = p.id AND s.deleted_at IS NULL "
    f"ORDER BY since_date DESC, id DESC LIMIT 1), {NOW}, jobstation_actor(), {NOW}, "
    f"jobstation_actor() FROM person p WHERE {_qualifies('p')}"
)


def migrate(db) -> None:
    for name, body in TABLES.items():
        db.execute(f"CREATE TABLE {name} ({body})")
    for statement in [*INDEXES, TALLY, *TALLY_TRIGGERS, TALLY_BACKFILL, *LEDGER_TRIGGERS,
                      *FOLLOWUP_TRIGGERS]:
        db.execute(statement)
    for table in TABLES:
        if table == "ledger_entry":
            columns = [r[1] for r in db.execute("PRAGMA table_info(ledger_entry)").fetchall()]
            for statement in audit.trigger_sql(
                    table, [c for c in columns if c not in DERIVED_COLUMNS]):
                db.execute(statement)
        else:
            audit.install_triggers(db, table)
    db.execute(BACKFILL)
