"""Station settings: each declared once here with its default, stored as JSON in ``setting``."""

import json
from dataclasses import dataclass
from typing import Any

from .clock import now_iso
from .errors import ValidationError
from .station import Station


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    label: str
    minimum: int | None = None
    maximum: int | None = None


DECLARED = {
    s.key: s
    for s in (
        Setting("station.code", "", "乡镇（街道）代码"),
        Setting("station.name", "", "服务站名称"),
        Setting("station.county", "", "所属县（市、区）"),
        Setting("older_age.male", 50, "大龄劳动者年龄（男）", 30, 70),
        Setting("older_age.female", 40, "大龄劳动者年龄（女）", 30, 70),
        Setting("backup.keep_daily", 14, "保留的每日自动备份份数", 1, 365),
        Setting("backup.keep_other", 10, "保留的其他自动备份份数", 1, 100),
    )
}


def get(station: Station, key: str) -> Any:
    """The stored value of ``key``, or its declared default."""
    declared = DECLARED[key]
    row = station.conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else declared.default


def put(station: Station, key: str, value: Any) -> None:
    """Store ``value`` for ``key`` (audited), after checking its bounds."""
    declared = DECLARED[key]
    if declared.minimum is not None and not (declared.minimum <= int(value) <= declared.maximum):
        raise ValidationError(
            f"{declared.label}应在 {declared.minimum} 到 {declared.maximum} 之间。", field=key
        )
    with station.atomic() as db:
        db["setting"].upsert(
            {"key": key, "value": json.dumps(value, ensure_ascii=False),
             "updated_at": now_iso(), "updated_by": station.actor},
            pk="key",
        )
