"""Rural public-welfare posts (§五(二)): posts, placements, insurance, monthly attendance,
evaluations, subsidies, flexible income, printed sheets and dated policy parameters.

Money is integer fen; hours are exact decimal text ("3.5"). Attendance is one row per
placement and month whose ``marks`` hold one character per day (see db.attendance).
"""

from .. import audit
from .m0001_initial import META

TABLES = {
    "policy_parameter": f"""
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        effective_from TEXT NOT NULL,
        value TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'station' CHECK (source IN ('station', 'county')),
        note TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "welfare_post": f"""
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        village TEXT NOT NULL,
        duties TEXT NOT NULL DEFAULT '',
        schedule TEXT NOT NULL CHECK (schedule IN ('full_time', 'part_time')),
        pay_basis TEXT NOT NULL CHECK (pay_basis IN ('daily', 'hourly')),
        daily_hours TEXT NOT NULL,
        monthly_hours TEXT,
        subsidy_standard INTEGER,
        capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 1),
        closed_on TEXT,
        remarks TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "placement": f"""
        id TEXT PRIMARY KEY,
        post_id TEXT NOT NULL REFERENCES welfare_post(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        start_date TEXT NOT NULL,
        end_date TEXT,
        notice_no TEXT NOT NULL,
        approved_at TEXT,
        approved_by TEXT,
        exit_date TEXT,
        exit_reason TEXT,
        exit_note TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "insurance_policy": f"""
        id TEXT PRIMARY KEY,
        placement_id TEXT NOT NULL REFERENCES placement(id),
        insurer TEXT NOT NULL,
        policy_no TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        {META}
    """,
    "attendance_line": f"""
        id TEXT PRIMARY KEY,
        placement_id TEXT NOT NULL REFERENCES placement(id),
        month TEXT NOT NULL,
        marks TEXT NOT NULL,
        hours TEXT NOT NULL DEFAULT '',
        plan TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "attendance_month": f"""
        id TEXT PRIMARY KEY,
        month TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('approved', 'reopened')),
        approved_at TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        parameters TEXT NOT NULL,
        reopened_at TEXT,
        reopened_by TEXT,
        reopen_reason TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "attendance_correction": f"""
        id TEXT PRIMARY KEY,
        month TEXT NOT NULL,
        placement_id TEXT REFERENCES placement(id),
        day TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('mark', 'evaluation', 'reopen')),
        old_value TEXT NOT NULL DEFAULT '',
        new_value TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        {META}
    """,
    "evaluation": f"""
        id TEXT PRIMARY KEY,
        placement_id TEXT NOT NULL REFERENCES placement(id),
        month TEXT NOT NULL,
        result TEXT NOT NULL CHECK (result IN ('excellent', 'qualified', 'unqualified')),
        notes TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "subsidy_result": f"""
        id TEXT PRIMARY KEY,
        placement_id TEXT NOT NULL REFERENCES placement(id),
        month TEXT NOT NULL,
        amount INTEGER NOT NULL,
        explanation TEXT NOT NULL,
        details TEXT NOT NULL,
        {META}
    """,
    "flexible_income": f"""
        id TEXT PRIMARY KEY,
        placement_id TEXT NOT NULL REFERENCES placement(id),
        month TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 0),
        note TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "income_review": f"""
        id TEXT PRIMARY KEY,
        placement_id TEXT NOT NULL REFERENCES placement(id),
        month TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('exit', 'keep')),
        note TEXT NOT NULL DEFAULT '',
        {META}
    """,
    "attendance_sheet": f"""
        id TEXT PRIMARY KEY,
        sheet_no TEXT NOT NULL,
        month TEXT NOT NULL,
        village TEXT NOT NULL,
        placement_ids TEXT NOT NULL,
        {META}
    """,
}

INDEXES = [
    "CREATE UNIQUE INDEX policy_parameter_key_day ON policy_parameter(key, effective_from) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX welfare_post_village ON welfare_post(village) WHERE deleted_at IS NULL",
    "CREATE INDEX placement_post ON placement(post_id) WHERE deleted_at IS NULL",
    "CREATE INDEX placement_person ON placement(person_id) WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX placement_notice_no ON placement(notice_no)",
    "CREATE INDEX person_household ON person(household_no) "
    "WHERE deleted_at IS NULL AND household_no <> ''",
    "CREATE INDEX insurance_placement ON insurance_policy(placement_id, end_date) "
    "WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX attendance_line_month ON attendance_line(month, placement_id) "
    "WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX attendance_month_live ON attendance_month(month) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX attendance_correction_month ON attendance_correction(month, placement_id)",
    "CREATE UNIQUE INDEX evaluation_month ON evaluation(month, placement_id) "
    "WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX subsidy_result_month ON subsidy_result(month, placement_id) "
    "WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX flexible_income_month ON flexible_income(placement_id, month) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX income_review_month ON income_review(placement_id, month)",
    "CREATE UNIQUE INDEX attendance_sheet_no ON attendance_sheet(sheet_no)",
    "CREATE INDEX attendance_sheet_month ON attendance_sheet(month, village)",
]


def migrate(db) -> None:
    for name, body in TABLES.items():
        db.execute(f"CREATE TABLE {name} ({body})")
    for statement in INDEXES:
        db.execute(statement)
    for table in TABLES:
        audit.install_triggers(db, table)
