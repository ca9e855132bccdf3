"""Which tables travel to the county, and how: the one-line decision for every table.

A table listed in ``SYNCED`` is captured by the outbox triggers (db/outbox.py) and
applied field by field at the other side; a table in ``LOCAL`` never leaves the station.
Every table of the schema must be in exactly one of the two (a test checks it), so a new
record type cannot be forgotten.
"""

# How concurrent changes of one field are settled at the county (see SYNC.md):
SHARED = "shared"        # any station edits; last writer wins per field, loser is a conflict
OWNED = "owned"          # the creating station edits; concurrent edits are still recorded
APPEND = "append"        # events: written once, corrected rarely (service log, attendance)
COUNTY = "county"        # published by the county to every station (policy parameters)

SYNCED: dict[str, str] = {
    "person": SHARED,
    "employment_status": APPEND,
    "registration": OWNED,
    "return_home": APPEND,
    "service_log": APPEND,
    "village": OWNED,
    "employer": SHARED,
    "job": OWNED,
    "referral": OWNED,
    "export_batch": OWNED,
    "export_member": OWNED,
    "welfare_post": OWNED,
    "placement": OWNED,
    "insurance_policy": OWNED,
    "attendance_month": OWNED,
    "attendance_line": APPEND,
    "attendance_correction": APPEND,
    "attendance_sheet": APPEND,
    "evaluation": OWNED,
    "subsidy_result": OWNED,
    "flexible_income": OWNED,
    "income_review": OWNED,
    "policy_parameter": COUNTY,
    "ledger_entry": OWNED,
    "ledger_followup": APPEND,
    "rights_case": OWNED,
    "rights_party": OWNED,
    "training_need": OWNED,
    "training_record": OWNED,
    "brand_tag": OWNED,
}

LOCAL: dict[str, str] = {
    "_sqlite_migrations": "schema bookkeeping",
    "account": "each place has its own clerks and passwords",
    "setting": "this PC's preferences and the station's identity",
    "sequence": "number counters; numbers carry the station code so they never collide",
    "audit_log": "kept where the change was made; synced changes carry their clerk",
    "audit_actor": "the acting clerk, present only inside a station's own transaction",
    "name_char": "search index kept by triggers from person",
    "name_pos": "search helper",
    "person_tally": "counts kept by triggers from person",
}

# Columns a receiving side recomputes itself (kept by its own triggers).
DERIVED: dict[str, frozenset[str]] = {
    "ledger_entry": frozenset({"last_followup_date", "last_method", "last_outcome",
                               "next_due_date"}),
}


def is_local(table: str) -> bool:
    return table in LOCAL or table.startswith(("sync_", "county_", "sqlite_"))
