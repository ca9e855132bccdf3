"""What importing one roster row would do to the station: create, fill in, or leave alone.

A person already registered (same ID number) is never duplicated. A field empty in the
station is filled from the file; a field that differs is a conflict, kept as the station
has it unless the clerk chose the file's value. The employment status is a dated history:
a differing status chosen from the file adds a new status row; employer, place and income
of the same status fill in or correct the current row.
"""

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from . import glossary, people
from .clock import now_iso
from .ids import uuid7
from .roster_fields import ParsedRow
from .station import Station

DERIVED = {"name": ("search_initials", "search_pinyin"), "phone": ("phone_rev",)}
STATUS_DETAILS = ("employer", "work_place", "monthly_income")
PERSON_COLUMNS = (
    "id", "id_number", "name", "sex", "birth_date", "phone", *people.TEXT_FIELDS,
    *people.FLAG_FIELDS, "consent_date", "out_expected_wage", "search_initials",
    "search_pinyin", "id_rev", "phone_rev", "current_status", "current_status_since",
    "created_at", "created_by", "updated_at", "updated_by",
)
STATUS_COLUMNS = ("id", "person_id", "status", "since_date", "employer", "work_place",
                  "monthly_income", "remarks", "created_at", "created_by", "updated_at",
                  "updated_by")
_NULLABLE = {"consent_date", "out_expected_wage", "current_status", "current_status_since"}

_LOOKUP = """
SELECT p.*, s.id AS s_id, s.status AS s_status, s.employer AS s_employer,
       s.work_place AS s_work_place, s.monthly_income AS s_monthly_income
FROM person p
LEFT JOIN employment_status s ON s.id = (
    SELECT e.id FROM employment_status e WHERE e.person_id = p.id AND e.deleted_at IS NULL
    ORDER BY e.since_date DESC, e.id DESC LIMIT 1)
WHERE p.deleted_at IS NULL AND p.id_number IN ({marks})
"""


@dataclass
class Plan:
    """The writes one row needs; ``existing`` is the person's key (None: a new person)."""

    existing: str | None
    status_row: str | None = None
    person: dict = field(default_factory=dict)
    status_insert: dict | None = None
    status_update: dict = field(default_factory=dict)
    conflicts: list[tuple[str, object, object]] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.existing is None:
            return "created"
        return "updated" if self.person or self.status_insert or self.status_update else "unchanged"


def lookup(station: Station, id_numbers: Iterable[str]) -> dict[str, dict]:
    """Live people with these ID numbers, with their current status row (``s_*``)."""
    numbers = list(id_numbers)
    found: dict[str, dict] = {}
    for start in range(0, len(numbers), 500):
        part = numbers[start:start + 500]
        sql = _LOOKUP.format(marks=",".join("?" * len(part)))
        for row in station.query(sql, part):
            found[row["id_number"]] = row
    return found


def _empty(value) -> bool:
    return value is None or value == "" or value == 0


def _person_changes(plan: Plan, current: dict, parsed: ParsedRow, choose) -> None:
    for key in parsed.given:
        new, old = parsed.person[key], current.get(key)
        if new is None or new == "" or new == old:
            continue
        if key in people.FLAG_FIELDS and bool(new) == bool(old):
            continue
        if not _empty(old):
            plan.conflicts.append((key, old, new))
            if not choose(key):
                continue
        plan.person[key] = new
        for extra in DERIVED.get(key, ()):
            plan.person[extra] = parsed.person[extra]


def _status_changes(plan: Plan, current: dict, status: dict, choose, on: date) -> None:
    code, now_code = status.get("status"), current.get("s_status")
    if code and now_code is None:
        plan.status_insert = _new_status(status, on)
        return
    if code and code != now_code:
        plan.conflicts.append(("status", now_code, code))
        if choose("status"):
            plan.status_insert = _new_status(status, on)
        return
    if now_code is None:
        return  # details without any status: nothing to attach them to
    for key in STATUS_DETAILS:
        new, old = status.get(key), current.get(f"s_{key}")
        if new is None or new == "" or new == old:
            continue
        if old is not None and old != "":
            plan.conflicts.append((key, old, new))
            if not choose(key):
                continue
        plan.status_update[key] = new


def _new_status(status: dict, on: date) -> dict:
    return {"status": status["status"], "since_date": status.get("status_since") or on.isoformat(),
            "employer": status.get("employer", ""), "work_place": status.get("work_place", ""),
            "monthly_income": status.get("monthly_income")}


def plan_row(current: dict | None, parsed: ParsedRow, on: date,
             choose: Callable[[str], bool] = lambda _field: False) -> Plan:
    """The plan for one valid row; ``choose(field)`` says whether the file's value wins."""
    if current is None:
        plan = Plan(None, person=dict(parsed.person))
        if parsed.status.get("status"):
            plan.status_insert = _new_status(parsed.status, on)
        return plan
    plan = Plan(current["id"], current.get("s_id"))
    _person_changes(plan, current, parsed, choose)
    _status_changes(plan, current, parsed.status, choose, on)
    return plan


def shown(field_key: str, value) -> str:
    """A stored value as the clerk reads it in a conflict list."""
    if value is None:
        return ""
    if field_key == "status":
        return glossary.status_label(value)
    if field_key in people.FLAG_FIELDS:
        return "是" if value else "否"
    return str(value)


def write_plans(station: Station, plans: list[Plan]) -> None:
    """Carry out a chunk of plans on the open transaction (bulk inserts, keyed updates)."""
    now, actor = now_iso(), station.actor
    stamp = {"created_at": now, "created_by": actor, "updated_at": now, "updated_by": actor}
    new_people, new_status = [], []
    for plan in plans:
        if plan.existing is None:
            plan.existing = uuid7()
            row = {**plan.person, "id": plan.existing, **stamp, **_current(plan.status_insert)}
            new_people.append([row.get(c, default) for c, default in _PERSON_DEFAULTS])
        elif plan.person:
            _update(station, "person", plan.existing, plan.person, now, actor)
        if plan.status_update:
            _update(station, "employment_status", plan.status_row, plan.status_update,
                    now, actor)
        if plan.status_insert:
            row = {**plan.status_insert, "id": uuid7(), "person_id": plan.existing,
                   "remarks": "", **stamp}
            new_status.append([row[c] for c in STATUS_COLUMNS])
    if new_people:
        _insert_all(station, "person", PERSON_COLUMNS, new_people)
    if new_status:
        _insert_all(station, "employment_status", STATUS_COLUMNS, new_status)


def _current(status: dict | None) -> dict:
    """A new person's current status, written with the person: their only status row is
    written with them, so status_current_insert has nothing to change (migration 0009)."""
    if status is None:
        return {}
    return {"current_status": status["status"], "current_status_since": status["since_date"]}


def _default(column: str):
    if column in _NULLABLE:
        return None
    return 0 if column in people.FLAG_FIELDS else ""


_PERSON_DEFAULTS = [(column, _default(column)) for column in PERSON_COLUMNS]


def _insert_all(station: Station, table: str, columns: tuple[str, ...], rows: list[list]) -> None:
    """Insert the rows with one multi-row statement (as many rows as its parameters allow).

    One statement instead of one per row means SQLite runs every row's triggers without
    returning to Python in between: faster, and it lets another thread (the file reader
    of a one-call import) hold Python's lock meanwhile instead of taking turns per row.
    Plain parameters rather than one JSON array taken apart with ``->>`` per column: that
    cost a sixth of the writing of a new person (CPU instructions, counted by callgrind).
    """
    limit = station.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, limit // len(columns))
    marks = "(" + ", ".join("?" * len(columns)) + ")"
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    for start in range(0, len(rows), per_statement):
        part = rows[start:start + per_statement]
        station.conn.execute(insert + ", ".join([marks] * len(part)),
                             [value for row in part for value in row])


def _update(station: Station, table: str, key: str, changes: dict, now: str, actor: str) -> None:
    values = {**changes, "updated_at": now, "updated_by": actor}
    assignments = ", ".join(f"{column} = ?" for column in values)
    station.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), key])
