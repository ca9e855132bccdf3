"""返乡 records: when a person came home, from where and why."""

from .errors import ValidationError
from .people import get_person
from .records import insert_record, live_rows
from .station import Station
from .validation.dates import parse_date


def add_return(station: Station, person_id: str, return_date, *, from_place: str = "",
               reason: str = "", remarks: str = "") -> str:
    if return_date in (None, ""):
        raise ValidationError("请填写返乡日期。", field="return_date")
    get_person(station, person_id)
    return insert_record(station, "return_home", {
        "person_id": person_id, "return_date": parse_date(return_date).isoformat(),
        "from_place": from_place.strip(), "reason": reason.strip(), "remarks": remarks.strip(),
    })


def list_returns(station: Station, person_id: str) -> list[dict]:
    return live_rows(station, "return_home", person_id, "return_date")
