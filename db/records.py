"""Shared writes for record tables: key, bookkeeping columns, one transaction each."""

from .clock import now_iso
from .errors import NotFoundError
from .ids import uuid7
from .station import Station


def insert_record(station: Station, table: str, row: dict) -> str:
    """Insert ``row`` with a new UUIDv7 key and who/when columns; returns the key."""
    now = now_iso()
    record = {**row, "id": uuid7(), "created_at": now, "created_by": station.actor,
              "updated_at": now, "updated_by": station.actor}
    with station.atomic() as db:
        db[table].insert(record)
    return record["id"]


def update_record(station: Station, table: str, record_id: str, changes: dict) -> None:
    with station.atomic() as db:
        if not db.execute(
            f"SELECT 1 FROM {table} WHERE id = ? AND deleted_at IS NULL", [record_id]
        ).fetchone():
            raise NotFoundError("找不到这条记录，可能已被删除。")
        db[table].update(record_id, {**changes, "updated_at": now_iso(),
                                     "updated_by": station.actor})


def soft_delete(station: Station, table: str, record_id: str) -> None:
    update_record(station, table, record_id, {"deleted_at": now_iso()})


def next_sequence(station: Station, name: str) -> int:
    """The next value (1, 2, ...) of the named counter; call inside ``station.atomic()`` so a
    failed write gives its number back."""
    station.conn.execute(
        "INSERT INTO sequence(name, value) VALUES (?, 1) "
        "ON CONFLICT(name) DO UPDATE SET value = value + 1", [name])
    return station.scalar("SELECT value FROM sequence WHERE name = ?", [name])


def live_rows(station: Station, table: str, person_id: str, order_by: str) -> list[dict]:
    """A person's live rows of ``table``, newest first by ``order_by``."""
    return station.query(
        f"SELECT * FROM {table} WHERE person_id = ? AND deleted_at IS NULL "
        f"ORDER BY {order_by} DESC, id DESC", [person_id])
