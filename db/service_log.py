"""The service log: every contact with a person, dated, with the clerk who served."""

from . import glossary
from .clock import today
from .errors import ValidationError
from .people import get_person
from .records import insert_record, live_rows
from .station import Station
from .validation.dates import parse_date


def log_service(station: Station, person_id: str, kind: str, content: str,
                service_date=None) -> str:
    if kind not in glossary.SERVICE_KINDS:
        raise ValidationError("请选择服务类型。", field="kind")
    if not content.strip():
        raise ValidationError("请填写服务内容。", field="content")
    get_person(station, person_id)
    clerk = station.account.display_name if station.account else station.actor
    return insert_record(station, "service_log", {
        "person_id": person_id, "kind": kind, "content": content.strip(), "clerk": clerk,
        "service_date": parse_date(service_date or today()).isoformat(),
    })


def list_services(station: Station, person_id: str) -> list[dict]:
    return live_rows(station, "service_log", person_id, "service_date")
