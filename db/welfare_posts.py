"""乡村公益性岗位 (§五(二)): the posts a village offers, with their hours and subsidy standard."""

from __future__ import annotations

from . import glossary, villages
from .errors import NotFoundError, ValidationError
from .policy import format_hours, parse_hours, parse_money
from .records import insert_record, update_record
from .station import Station
from .validation.dates import parse_date

FIELDS = ("name", "category", "village", "duties", "schedule", "pay_basis", "daily_hours",
          "monthly_hours", "subsidy_standard", "capacity", "remarks")
MAX_DAILY_HOURS = {"full_time": 8, "part_time": 4}  # 劳动法: 非全日制 ≤ 4 hours a day


def clean_post(station: Station, fields: dict, current: dict | None = None) -> dict:
    """Validate what the clerk typed for a post; returns the columns to store.

    ``subsidy_standard`` is in yuan (blank: computed from the policy parameters),
    hours are decimals; the village must be one of the station's villages.
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown post fields: {sorted(unknown)}")
    merged = {**(current or {}), **fields}
    out: dict = {}
    for key in ("name", "duties", "remarks"):
        if key in fields:
            out[key] = " ".join(str(fields[key] or "").split())
    if not (out.get("name") if "name" in fields else merged.get("name")):
        raise ValidationError("请填写岗位名称。", field="name")
    _choice(fields, out, "category", glossary.POST_CATEGORIES, "请选择岗位类别。")
    _choice(fields, out, "schedule", glossary.POST_SCHEDULES, "请选择全日制或非全日制。")
    _choice(fields, out, "pay_basis", glossary.PAY_BASES, "请选择考勤方式（按日或按小时）。")
    if "village" in fields:
        village = str(fields["village"] or "").strip()
        if village not in villages.list_villages(station):
            raise ValidationError("请从本站的行政村中选择岗位所在村。", field="village")
        out["village"] = village
    if "daily_hours" in fields:
        out["daily_hours"] = format_hours(parse_hours(fields["daily_hours"], "daily_hours",
                                                      "每日工时"))
    if "monthly_hours" in fields:
        raw = fields["monthly_hours"]
        out["monthly_hours"] = (None if raw in (None, "") else
                                format_hours(parse_hours(raw, "monthly_hours", "月工时")))
    if "subsidy_standard" in fields:
        raw = fields["subsidy_standard"]
        out["subsidy_standard"] = (None if raw in (None, "") else
                                   parse_money(raw, "subsidy_standard", "月补贴标准"))
    if "capacity" in fields:
        out["capacity"] = _capacity(fields["capacity"])
    _check_daily_hours({**merged, **out})
    return out


def _choice(fields: dict, out: dict, key: str, allowed: dict, message: str) -> None:
    if key in fields:
        if fields[key] not in allowed:
            raise ValidationError(message, field=key)
        out[key] = fields[key]


def _capacity(raw) -> int:
    try:
        capacity = int(str(raw).strip())
    except ValueError:
        capacity = 0
    if not 1 <= capacity <= 999:
        raise ValidationError("定员应为 1 到 999 之间的整数。", field="capacity")
    return capacity


def _check_daily_hours(post: dict) -> None:
    schedule, hours = post.get("schedule"), post.get("daily_hours")
    if schedule and hours is not None:
        limit = MAX_DAILY_HOURS[schedule]
        if parse_hours(hours) > limit:
            label = glossary.POST_SCHEDULES[schedule]
            raise ValidationError(f"{label}岗位每日工时不能超过 {limit} 小时。",
                                  field="daily_hours")


def create_post(station: Station, fields: dict) -> str:
    """Add a post; ``name``, ``category``, ``village``, ``schedule``, ``pay_basis`` and
    ``daily_hours`` are required. Returns its key."""
    for key in ("category", "village", "schedule", "pay_basis", "daily_hours"):
        if fields.get(key) in (None, ""):
            label = glossary.WELFARE_FIELDS.get(key, key)
            raise ValidationError(f"请填写{label}。", field=key)
    row = clean_post(station, {"capacity": 1, **fields})
    return insert_record(station, "welfare_post", row)


def update_post(station: Station, post_id: str, changes: dict) -> dict:
    """Apply ``changes``; returns the columns that really changed."""
    current = get_post(station, post_id)
    row = clean_post(station, changes, current)
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    if "capacity" in changed and changed["capacity"] < current["filled"]:
        raise ValidationError(f"该岗位现有 {current['filled']} 人在岗，定员不能少于在岗人数。",
                              field="capacity")
    if changed:
        update_record(station, "welfare_post", post_id, changed)
    return changed


def close_post(station: Station, post_id: str, closed_on) -> None:
    """撤销 a post from ``closed_on``; people still on it must exit first."""
    post = get_post(station, post_id)
    if post["filled"]:
        raise ValidationError(f"该岗位还有 {post['filled']} 人在岗，请先办理退岗。")
    update_record(station, "welfare_post", post_id,
                  {"closed_on": parse_date(closed_on).isoformat()})


_FILLED = ("(SELECT count(*) FROM placement pl WHERE pl.post_id = welfare_post.id "
           "AND pl.deleted_at IS NULL AND pl.exit_date IS NULL) AS filled")


def get_post(station: Station, post_id: str) -> dict:
    """A live post with ``filled`` (people on it now)."""
    rows = station.query(f"SELECT *, {_FILLED} FROM welfare_post WHERE id = ? "
                         "AND deleted_at IS NULL", [post_id])
    if not rows:
        raise NotFoundError("找不到这个岗位，可能已被删除。")
    return rows[0]


def list_posts(station: Station, village: str | None = None, *, include_closed: bool = False
               ) -> list[dict]:
    """Live posts by village and name, each with ``filled`` and Chinese labels."""
    sql = f"SELECT *, {_FILLED} FROM welfare_post WHERE deleted_at IS NULL"
    params: list = []
    if village:
        sql += " AND village = ?"
        params.append(village)
    if not include_closed:
        sql += " AND closed_on IS NULL"
    rows = station.query(sql + " ORDER BY village, name", params)
    for row in rows:
        row["category_label"] = glossary.POST_CATEGORIES[row["category"]]
        row["schedule_label"] = glossary.POST_SCHEDULES[row["schedule"]]
        row["pay_basis_label"] = glossary.PAY_BASES[row["pay_basis"]]
    return rows
