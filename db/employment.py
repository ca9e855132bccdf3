"""Employment status history: dated rows, the newest is the person's current status."""

from . import glossary
from .errors import ValidationError
from .people import get_person
from .records import insert_record, live_rows, soft_delete
from .station import Station
from .validation.dates import parse_date


def add_status(
    station: Station, person_id: str, status: str, since, *, employer: str = "",
    work_place: str = "", monthly_income=None, remarks: str = "",
) -> str:
    """Record that the person has ``status`` since ``since``; returns the row key."""
    if status not in glossary.STATUS:
        raise ValidationError("请选择就业状态。", field="status")
    get_person(station, person_id)
    income = None
    if monthly_income not in (None, ""):
        try:
            income = int(float(str(monthly_income).replace(",", "")))
        except ValueError:
            raise ValidationError("月收入应填写数字（元）。", field="monthly_income") from None
        if income < 0:
            raise ValidationError("月收入不能为负数。", field="monthly_income")
    return insert_record(station, "employment_status", {
        "person_id": person_id, "status": status,
        "since_date": parse_date(since).isoformat(), "employer": employer.strip(),
        "work_place": work_place.strip(), "monthly_income": income, "remarks": remarks.strip(),
    })


def status_history(station: Station, person_id: str) -> list[dict]:
    """Status rows, newest first (the first is current)."""
    return live_rows(station, "employment_status", person_id, "since_date")


def remove_status(station: Station, status_id: str) -> None:
    """Withdraw a status row entered by mistake; the current status follows."""
    soft_delete(station, "employment_status", status_id)
