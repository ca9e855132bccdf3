"""求职登记 and 失业登记: numbered registrations that can be cancelled (注销)."""

from . import glossary, settings
from .errors import DuplicateError, NotFoundError, ValidationError
from .people import get_person
from .records import insert_record, live_rows, next_sequence, update_record
from .station import Station
from .validation.dates import parse_date

_PREFIX = {"job_seeking": "QZ", "unemployment": "SY"}


def next_number(station: Station, kind: str, year: int) -> str:
    """Station code + kind + year + sequence, e.g. 370124101QZ20260001 (call inside atomic)."""
    seq = next_sequence(station, f"registration.{kind}.{year}")
    return f"{settings.get(station, 'station.code')}{_PREFIX[kind]}{year}{seq:04d}"


def register(station: Station, person_id: str, kind: str, place_type: str, reg_date,
             number: str = "") -> str:
    """Open a registration; without ``number`` the station numbers it. Returns the key."""
    if kind not in glossary.REGISTRATION_KINDS:
        raise ValidationError("请选择登记类型。", field="kind")
    if place_type not in glossary.REGISTRATION_PLACES:
        raise ValidationError("请选择登记地类型。", field="place_type")
    get_person(station, person_id)
    when = parse_date(reg_date)
    open_same = [r for r in live_rows(station, "registration", person_id, "reg_date")
                 if r["kind"] == kind and not r["cancelled_on"]]
    if open_same:
        raise DuplicateError(
            f"此人已有未注销的{glossary.REGISTRATION_KINDS[kind]}（{open_same[0]['number']}）。",
            existing_id=open_same[0]["id"])
    with station.atomic():
        number = number.strip() or next_number(station, kind, when.year)
        if station.scalar("SELECT 1 FROM registration WHERE number = ?", [number]):
            raise DuplicateError(f"登记编号 {number} 已被使用。")
        return insert_record(station, "registration", {
            "person_id": person_id, "kind": kind, "place_type": place_type,
            "number": number, "reg_date": when.isoformat(),
        })


def cancel_registration(station: Station, registration_id: str, cancelled_on, reason: str
                        ) -> None:
    """注销: close the registration with a date and reason."""
    if not reason.strip():
        raise ValidationError("请填写注销原因。", field="cancel_reason")
    rows = station.query("SELECT * FROM registration WHERE id = ?", [registration_id])
    if not rows:
        raise NotFoundError("找不到这条登记。")
    when = parse_date(cancelled_on)
    if when.isoformat() < rows[0]["reg_date"]:
        raise ValidationError("注销日期不能早于登记日期。", field="cancelled_on")
    update_record(station, "registration", registration_id,
                  {"cancelled_on": when.isoformat(), "cancel_reason": reason.strip()})


def list_registrations(station: Station, person_id: str) -> list[dict]:
    return live_rows(station, "registration", person_id, "reg_date")


def get_by_number(station: Station, number: str) -> dict:
    rows = station.query(
        "SELECT * FROM registration WHERE number = ? AND deleted_at IS NULL", [number.strip()])
    if not rows:
        raise NotFoundError(f"没有登记编号 {number}。")
    return rows[0]
