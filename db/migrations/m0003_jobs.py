"""Employers, job postings, referrals (推荐) and organized labour export (劳务输出)."""

from .. import audit
from .m0001_initial import META

PLACE_TYPES = "('local', 'county', 'province', 'out_province')"

TABLES = {
    "employer": f"""
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        credit_code TEXT NOT NULL DEFAULT '',
        contact_person TEXT NOT NULL DEFAULT '',
        contact_phone TEXT NOT NULL DEFAULT '',
        industry TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        support_workshop INTEGER NOT NULL DEFAULT 0,
        village_factory INTEGER NOT NULL DEFAULT 0,
        wage_arrears INTEGER NOT NULL DEFAULT 0,
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "job": f"""
        id TEXT PRIMARY KEY,
        employer_id TEXT NOT NULL REFERENCES employer(id),
        work_type TEXT NOT NULL,
        headcount INTEGER NOT NULL DEFAULT 1 CHECK (headcount > 0),
        wage_min INTEGER,
        wage_max INTEGER,
        place_type TEXT NOT NULL CHECK (place_type IN {PLACE_TYPES}),
        work_place TEXT NOT NULL DEFAULT '',
        age_min INTEGER,
        age_max INTEGER,
        requirements TEXT NOT NULL DEFAULT '',
        gig INTEGER NOT NULL DEFAULT 0,
        older_friendly INTEGER NOT NULL DEFAULT 0,
        valid_until TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('station', 'county', 'cooperation')),
        source_note TEXT NOT NULL DEFAULT '',
        closed_on TEXT,
        {META}
    """,
    "referral": f"""
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        person_id TEXT NOT NULL REFERENCES person(id),
        job_id TEXT NOT NULL REFERENCES job(id),
        referral_date TEXT NOT NULL,
        clerk TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT 'pending'
            CHECK (outcome IN ('pending', 'hired', 'rejected', 'no_show')),
        outcome_date TEXT,
        outcome_note TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "export_batch": f"""
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        employer_id TEXT REFERENCES employer(id),
        destination TEXT NOT NULL DEFAULT '',
        place_type TEXT NOT NULL CHECK (place_type IN {PLACE_TYPES}),
        depart_date TEXT NOT NULL,
        transport TEXT NOT NULL DEFAULT '',
        leader TEXT NOT NULL DEFAULT '',
        leader_phone TEXT NOT NULL DEFAULT '',
        departed_on TEXT,
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "export_member": f"""
        id TEXT PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES export_batch(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        work_type TEXT NOT NULL DEFAULT '',
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
}

INDEXES = [
    "CREATE UNIQUE INDEX employer_name_live ON employer(name) WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX employer_credit_code_live ON employer(credit_code) "
    "WHERE deleted_at IS NULL AND credit_code <> ''",
    "CREATE INDEX job_employer ON job(employer_id)",
    "CREATE INDEX job_open ON job(valid_until) WHERE deleted_at IS NULL AND closed_on IS NULL",
    "CREATE UNIQUE INDEX referral_number ON referral(number)",
    "CREATE INDEX referral_person ON referral(person_id, outcome)",
    "CREATE INDEX referral_job ON referral(job_id, outcome)",
    "CREATE INDEX referral_date ON referral(referral_date)",
    "CREATE INDEX referral_pending ON referral(referral_date) "
    "WHERE outcome = 'pending' AND deleted_at IS NULL",
    "CREATE UNIQUE INDEX export_batch_number ON export_batch(number)",
    "CREATE UNIQUE INDEX export_member_live ON export_member(batch_id, person_id) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX export_member_person ON export_member(person_id)",
    # Matching reads only the people who may still be placed, by age window.
    "CREATE INDEX person_seeking ON person(birth_date) WHERE deleted_at IS NULL AND "
    "(current_status IS NULL OR current_status NOT IN "
    "('local', 'in_province', 'out_province', 'self_employed'))",
]


def migrate(db) -> None:
    for name, body in TABLES.items():
        db.execute(f"CREATE TABLE {name} ({body})")
    for statement in INDEXES:
        db.execute(statement)
    for table in TABLES:
        audit.install_triggers(db, table)
