"""劳务输出 organized labour export (点对点): a numbered batch of people sent together to
one employer or region; when it departs, every member's employment status follows."""

from datetime import date

from . import employment, glossary, jobs, settings
from .clock import today
from .employers import get_employer
from .errors import DuplicateError, NotFoundError, ValidationError
from .people import get_person
from .records import insert_record, next_sequence, soft_delete, update_record
from .station import Station
from .validation.dates import age_on
from .validation.phone import normalize_phone

TEXT_FIELDS = ("destination", "transport", "leader", "remarks")
EDITABLE_FIELDS = (*TEXT_FIELDS, "employer_id", "place_type", "depart_date", "leader_phone")

BATCH_SELECT = """
    SELECT b.*, coalesce(e.name, '') AS employer_name,
           (SELECT count(*) FROM export_member m WHERE m.batch_id = b.id
            AND m.deleted_at IS NULL) AS member_count
    FROM export_batch b LEFT JOIN employer e ON e.id = b.employer_id
    WHERE b.deleted_at IS NULL
"""


def clean_fields(station: Station, fields: dict) -> dict:
    """Validate and normalize the batch columns present in ``fields``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown export batch fields: {sorted(unknown)}")
    out = {key: " ".join(str(fields[key] or "").split()) for key in TEXT_FIELDS if key in fields}
    if "employer_id" in fields:
        out["employer_id"] = fields["employer_id"] or None
        if out["employer_id"]:
            get_employer(station, out["employer_id"])
    if "place_type" in fields:
        out["place_type"] = jobs.place_code(fields["place_type"])
    if "depart_date" in fields:
        out["depart_date"] = jobs.field_date(fields["depart_date"], "depart_date").isoformat()
    if "leader_phone" in fields:
        out["leader_phone"] = normalize_phone(fields["leader_phone"] or "")
    return out


def next_number(station: Station, year: int) -> str:
    """``{station code}-SC-{year}-{seq:03d}`` (输出), unique across stations like referrals."""
    code = settings.get(station, "station.code")
    return f"{code}-SC-{year}-{next_sequence(station, f'export_batch.{year}'):03d}"


def create_batch(station: Station, fields: dict) -> dict:
    """Open a batch; needs a destination employer or region, a place type and a date.

    Returns ``{"id", "number"}``.
    """
    row = clean_fields(station, {"place_type": "", **fields})
    if not row.get("employer_id") and not row.get("destination"):
        raise ValidationError("请填写输出单位或输出地区。", field="destination")
    if "depart_date" not in row:
        raise ValidationError("请填写出发日期。", field="depart_date")
    with station.atomic():
        row["number"] = next_number(station, int(row["depart_date"][:4]))
        batch_id = insert_record(station, "export_batch", row)
    return {"id": batch_id, "number": row["number"]}


def get_batch(station: Station, batch_id: str) -> dict:
    """A live batch with its employer's name and member count."""
    rows = station.query(BATCH_SELECT + " AND b.id = ?", [batch_id])
    if not rows:
        raise NotFoundError("找不到这个劳务输出批次。")
    return _decorate(rows[0])


def get_by_number(station: Station, number: str) -> dict:
    rows = station.query(BATCH_SELECT + " AND b.number = ?", [number.strip().upper()])
    if not rows:
        raise NotFoundError(f"没有劳务输出批次 {number.strip()}。")
    return _decorate(rows[0])


def _decorate(batch: dict) -> dict:
    batch["place_label"] = glossary.JOB_PLACES[batch["place_type"]]
    batch["destination_text"] = "，".join(
        t for t in (batch["employer_name"], batch["destination"]) if t)
    return batch


def list_batches(station: Station) -> list[dict]:
    """Live batches, newest departure first."""
    return [_decorate(b) for b in station.query(BATCH_SELECT + " ORDER BY b.depart_date DESC, "
                                                "b.number DESC")]


def update_batch(station: Station, batch_id: str, changes: dict) -> dict:
    """Apply ``changes`` to a batch that has not yet departed; returns what changed."""
    current = _editable(station, batch_id)
    row = clean_fields(station, changes)
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    if changed:
        update_record(station, "export_batch", batch_id, changed)
    return changed


def _editable(station: Station, batch_id: str) -> dict:
    batch = get_batch(station, batch_id)
    if batch["departed_on"]:
        raise ValidationError("该批次已出发，不能再修改或调整人员。")
    return batch


def add_members(station: Station, batch_id: str, person_ids: list[str], work_type: str = ""
                ) -> int:
    """Put people on the batch (all or none); returns how many were added."""
    _editable(station, batch_id)
    with station.atomic():
        for person_id in person_ids:
            person = get_person(station, person_id)
            if station.scalar("SELECT 1 FROM export_member WHERE batch_id = ? AND person_id = ? "
                              "AND deleted_at IS NULL", [batch_id, person_id]):
                raise DuplicateError(f"{person['name']} 已在此批次中。")
            insert_record(station, "export_member", {
                "batch_id": batch_id, "person_id": person_id,
                "work_type": " ".join(work_type.split())})
    return len(person_ids)


def remove_member(station: Station, batch_id: str, person_id: str) -> None:
    """Take a person off a batch that has not yet departed."""
    _editable(station, batch_id)
    member_id = station.scalar("SELECT id FROM export_member WHERE batch_id = ? AND person_id = ? "
                               "AND deleted_at IS NULL", [batch_id, person_id])
    if not member_id:
        raise NotFoundError("此人不在这个批次中。")
    soft_delete(station, "export_member", member_id)


def members(station: Station, batch_id: str, on: date | None = None) -> list[dict]:
    """The batch's people in the order they were added, with age and labels."""
    on = on or today()
    rows = station.query(
        "SELECT m.id AS member_id, m.work_type, m.remarks, p.id, p.name, p.sex, p.birth_date, "
        "p.id_number, p.phone, p.hukou_village, p.current_status FROM export_member m "
        "JOIN person p ON p.id = m.person_id WHERE m.batch_id = ? AND m.deleted_at IS NULL "
        "ORDER BY m.rowid", [batch_id])
    for row in rows:
        row["age"] = age_on(date.fromisoformat(row["birth_date"]), on)
        row["sex_label"] = glossary.SEX[row["sex"]]
        row["status_label"] = glossary.status_label(row["current_status"])
    return rows


def mark_departed(station: Station, batch_id: str, on=None) -> int:
    """The batch left on ``on``: every member's employment status follows (all or none).

    Returns how many people's status was updated.
    """
    batch = _editable(station, batch_id)
    people = members(station, batch_id)
    if not people:
        raise ValidationError("该批次还没有人员，不能标记为已出发。")
    when = jobs.field_date(on or batch["depart_date"], "departed_on")
    if when > today():
        raise ValidationError("出发日期不能晚于今天。", field="departed_on")
    status = jobs.PLACE_STATUS[batch["place_type"]]
    with station.atomic():
        for person in people:
            employment.add_status(
                station, person["id"], status, when, employer=batch["employer_name"],
                work_place=batch["destination"], remarks=f"劳务输出批次 {batch['number']}")
        update_record(station, "export_batch", batch_id, {"departed_on": when.isoformat()})
    return len(people)


def delete_batch(station: Station, batch_id: str) -> None:
    """Withdraw a batch that has not departed (entered by mistake)."""
    _editable(station, batch_id)
    soft_delete(station, "export_batch", batch_id)
