"""The station's administrative villages (行政村), editable after set-up."""

from .clock import now_iso
from .errors import DuplicateError, NotFoundError, ValidationError
from .ids import uuid7
from .station import Station


def list_villages(station: Station) -> list[str]:
    """Names of the live villages in the clerk's order."""
    rows = station.conn.execute(
        "SELECT name FROM village WHERE deleted_at IS NULL ORDER BY sort_order, name"
    ).fetchall()
    return [r[0] for r in rows]


def add_village(station: Station, name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("请填写村名。", field="village")
    if name in list_villages(station):
        raise DuplicateError(f"村名 {name} 已存在。")
    order = station.scalar("SELECT coalesce(max(sort_order), 0) + 1 FROM village")
    now = now_iso()
    with station.atomic() as db:
        db["village"].insert({
            "id": uuid7(), "name": name, "sort_order": order, "created_at": now,
            "created_by": station.actor, "updated_at": now, "updated_by": station.actor,
            "deleted_at": None,
        })
    return name


def set_villages(station: Station, names: list[str]) -> None:
    """Make the village list exactly ``names`` (in that order), keeping history of removals."""
    wanted = [n.strip() for n in names if n.strip()]
    if len(set(wanted)) != len(wanted):
        raise ValidationError("村名有重复。", field="village")
    with station.atomic():
        current = set(list_villages(station))
        for name in current - set(wanted):
            remove_village(station, name)
        for name in wanted:
            if name not in current:
                add_village(station, name)
        for order, name in enumerate(wanted, start=1):
            station.conn.execute(
                "UPDATE village SET sort_order = ?, updated_at = ?, updated_by = ? "
                "WHERE name = ? AND deleted_at IS NULL AND sort_order <> ?",
                [order, now_iso(), station.actor, name, order],
            )


def remove_village(station: Station, name: str) -> None:
    """Soft-delete a village; people keep the name they were registered with."""
    row = station.conn.execute(
        "SELECT id FROM village WHERE name = ? AND deleted_at IS NULL", [name]
    ).fetchone()
    if not row:
        raise NotFoundError(f"没有村 {name}。")
    with station.atomic() as db:
        db["village"].update(row[0], {"deleted_at": now_iso(), "updated_at": now_iso(),
                                      "updated_by": station.actor})
