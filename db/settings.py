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
        Setting("welfare.insurance_warn_days", 30, "意外伤害保险到期提前提醒天数", 1, 365),
        Setting("referral.feedback_days", 15, "推荐反馈期限（天）", 1, 180),
        Setting("job.valid_days", 30, "岗位默认有效天数", 1, 365),
        # Header text (normalized) → field key, or "" to ignore that column: taught by
        # the clerk in the import wizard, used by every later import (db.roster_import).
        Setting("import.remembered_headers", {}, "导入时记住的表头对应关系"),
        # Employment-assistance ledger, risk warning and 劳务品牌 (issue #6).
        Setting("ledger.first_followup_days", 15, "进入帮扶台账后首次走访期限（天）", 1, 180),
        Setting("ledger.followup_interval_days", 30, "帮扶走访默认间隔（天）", 1, 365),
        Setting("risk.window_days", 30, "规模性失业风险统计天数", 1, 365),
        Setting("risk.people", 10, "规模性失业风险预警人数（同一村）", 2, 100000),
        Setting("training.brands", ["平阴玫瑰工匠", "鲁嫂家政", "齐鲁建工", "沂蒙护理"],
                "本地劳务品牌"),
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
