"""First-run set-up: a new station file with its settings, villages and 站长 account."""

import re
from dataclasses import dataclass
from pathlib import Path

from . import accounts, settings, villages
from .errors import DuplicateError, ValidationError
from .station import Station, open_station, station_path


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    county: str


def check_station_code(code: str) -> str:
    code = code.strip()
    if not re.fullmatch(r"\d{9}", code):
        raise ValidationError("乡镇（街道）代码应为 9 位数字，例如 370124101。", field="code")
    return code


def create_station(
    data_dir: Path, *, code: str, name: str, county: str, village_names: list[str],
    admin_username: str, admin_display_name: str, admin_password: str,
) -> Station:
    """Create the station file and its first 站长; all of it or nothing."""
    code = check_station_code(code)
    if not name.strip():
        raise ValidationError("请填写服务站名称。", field="name")
    if station_path(data_dir).exists():
        raise DuplicateError(f"此文件夹中已有本站数据：{data_dir}")
    accounts._check_new(admin_username, admin_display_name, admin_password, "head")
    station = open_station(data_dir, create=True)
    try:
        with station.atomic():
            settings.put(station, "station.code", code)
            settings.put(station, "station.name", name.strip())
            settings.put(station, "station.county", county.strip())
            villages.set_villages(station, village_names)
            admin = accounts.create_account(
                station, admin_username, admin_display_name, "head", admin_password)
    except Exception:
        station.close()
        station_path(data_dir).unlink(missing_ok=True)
        raise
    station.act_as(admin)
    return station


def station_info(station: Station) -> StationInfo:
    return StationInfo(
        settings.get(station, "station.code"),
        settings.get(station, "station.name"),
        settings.get(station, "station.county"),
    )


def is_set_up(station: Station) -> bool:
    return bool(settings.get(station, "station.code")) and bool(
        station.scalar("SELECT count(*) FROM account"))
