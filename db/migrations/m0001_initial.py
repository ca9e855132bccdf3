"""The station's first schema: station settings, accounts, villages, people and their story."""

from .. import audit

META = """
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
"""

TABLES = {
    "setting": """
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    """,
    "account": f"""
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('head', 'clerk')),
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        {META}
    """,
    "village": f"""
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        sort_order INTEGER NOT NULL DEFAULT 0,
        {META}
    """,
    "person": f"""
        id TEXT PRIMARY KEY,
        id_number TEXT NOT NULL,
        name TEXT NOT NULL,
        sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
        birth_date TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        hukou_village TEXT NOT NULL DEFAULT '',
        hukou_address TEXT NOT NULL DEFAULT '',
        residence TEXT NOT NULL DEFAULT '',
        education TEXT NOT NULL DEFAULT '',
        skills TEXT NOT NULL DEFAULT '',
        health TEXT NOT NULL DEFAULT '',
        disability TEXT NOT NULL DEFAULT '',
        poverty_alleviated INTEGER NOT NULL DEFAULT 0,
        monitored INTEGER NOT NULL DEFAULT 0,
        low_income INTEGER NOT NULL DEFAULT 0,
        rural_disabled INTEGER NOT NULL DEFAULT 0,
        household_no TEXT NOT NULL DEFAULT '',
        consent_date TEXT,
        wants_out INTEGER NOT NULL DEFAULT 0,
        out_destination TEXT NOT NULL DEFAULT '',
        out_work_type TEXT NOT NULL DEFAULT '',
        out_expected_wage INTEGER,
        wants_training INTEGER NOT NULL DEFAULT 0,
        training_wish TEXT NOT NULL DEFAULT '',
        remarks TEXT NOT NULL DEFAULT '',
        current_status TEXT,
        current_status_since TEXT,
        search_initials TEXT NOT NULL DEFAULT '',
        search_pinyin TEXT NOT NULL DEFAULT '',
        id_rev TEXT NOT NULL DEFAULT '',
        phone_rev TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "employment_status": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        status TEXT NOT NULL,
        since_date TEXT NOT NULL,
        employer TEXT NOT NULL DEFAULT '',
        work_place TEXT NOT NULL DEFAULT '',
        monthly_income INTEGER,
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "return_home": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        return_date TEXT NOT NULL,
        from_place TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "registration": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL CHECK (kind IN ('job_seeking', 'unemployment')),
        place_type TEXT NOT NULL,
        number TEXT NOT NULL,
        reg_date TEXT NOT NULL,
        cancelled_on TEXT,
        cancel_reason TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "service_log": f"""
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL,
        service_date TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        clerk TEXT NOT NULL,
        {META}
    """,
}

INDEXES = [
    "CREATE UNIQUE INDEX account_username ON account(username)",
    "CREATE UNIQUE INDEX village_name_live ON village(name) WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX person_id_number_live ON person(id_number) WHERE deleted_at IS NULL",
    "CREATE INDEX person_name ON person(name) WHERE deleted_at IS NULL",
    "CREATE INDEX person_initials ON person(search_initials) WHERE deleted_at IS NULL",
    "CREATE INDEX person_pinyin ON person(search_pinyin) WHERE deleted_at IS NULL",
    "CREATE INDEX person_id_rev ON person(id_rev) WHERE deleted_at IS NULL",
    "CREATE INDEX person_phone ON person(phone) WHERE deleted_at IS NULL",
    "CREATE INDEX person_phone_rev ON person(phone_rev) WHERE deleted_at IS NULL",
    "CREATE INDEX person_status ON person(current_status, hukou_village) WHERE deleted_at IS NULL",
    "CREATE INDEX person_village ON person(hukou_village)",
    "CREATE INDEX person_wants_out ON person(hukou_village) WHERE wants_out = 1 AND deleted_at IS NULL",
    "CREATE INDEX employment_status_person ON employment_status(person_id, since_date)",
    "CREATE INDEX return_home_person ON return_home(person_id)",
    "CREATE UNIQUE INDEX registration_number ON registration(number)",
    "CREATE INDEX registration_person ON registration(person_id)",
    "CREATE INDEX service_log_person ON service_log(person_id, service_date)",
    # audit_log is read per record and by time
    "CREATE INDEX audit_row ON audit_log(table_name, row_id)",
    "CREATE INDEX audit_at ON audit_log(at)",
]

# The person's current status is the newest live status row: kept by the database itself.
CURRENT_STATUS_SYNC = """
UPDATE person SET
  current_status = (SELECT status FROM employment_status s
                    WHERE s.person_id = person.id AND s.deleted_at IS NULL
                    ORDER BY since_date DESC, id DESC LIMIT 1),
  current_status_since = (SELECT since_date FROM employment_status s
                    WHERE s.person_id = person.id AND s.deleted_at IS NULL
                    ORDER BY since_date DESC, id DESC LIMIT 1)
WHERE id = {ref}.person_id;
"""

STATUS_TRIGGERS = [
    "CREATE TRIGGER status_current_insert AFTER INSERT ON employment_status BEGIN "
    + CURRENT_STATUS_SYNC.format(ref="NEW")
    + " END",
    "CREATE TRIGGER status_current_update AFTER UPDATE ON employment_status BEGIN "
    + CURRENT_STATUS_SYNC.format(ref="NEW")
    + " END",
]

AUDITED = ["setting", "account", "village", "person", "employment_status", "return_home",
           "registration", "service_log"]


def migrate(db) -> None:
    db.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            op TEXT NOT NULL,
            changes TEXT NOT NULL
        )"""
    )
    db.execute("CREATE TABLE sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    for name, body in TABLES.items():
        db.execute(f"CREATE TABLE {name} ({body})")
    for statement in INDEXES + STATUS_TRIGGERS:
        db.execute(statement)
    for table in AUDITED:
        audit.install_triggers(db, table, pk="key" if table == "setting" else "id")
