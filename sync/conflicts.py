"""Conflicts the county found on this station's records, in words, and settling them.

A settlement is an ordinary change of the field (it reaches everyone through the outbox)
plus a note to the county that the conflict is settled.
"""

from datetime import UTC, datetime

from db import glossary
from db.clock import now_iso
from db.errors import NotFoundError, ValidationError
from db.station import Station

HERE, COUNTY, MANUAL = "here", "county", "manual"
CHOICES = {HERE: "采用本站", COUNTY: "采用县里", MANUAL: "手工修改"}

FIELD_LABELS = {
    "phone": "联系电话", "name": "姓名", "id_number": "身份证号", "hukou_village": "户籍村",
    "hukou_address": "户籍地址", "residence": "现居住地", "education": "文化程度",
    "skills": "技能", "health": "健康状况", "current_status": "就业状态",
    "poverty_alleviated": "脱贫人口", "monitored": "防返贫监测对象", "low_income": "低保",
    "rural_disabled": "农村残疾人", "out_destination": "外出意向地", "deleted_at": "删除",
    "remarks": "备注",
}
TABLE_LABELS = {"person": "人员", "employer": "用人单位", "job": "岗位", "referral": "推荐",
                "placement": "公益性岗位安置", "village": "行政村",
                "employment_status": "就业状态", "service_log": "服务记录",
                "ledger_entry": "帮扶台账"}


def person_name(db: Station, table: str, pk: str) -> str:
    """The name of the person a record is, or belongs to (``person_id``); "" when none."""
    if table == "person":
        return db.scalar("SELECT name FROM person WHERE id = ?", [pk]) or ""
    if not any(r[1] == "person_id" for r in db.conn.execute(f'PRAGMA table_info("{table}")')):
        return ""
    return db.scalar(f'SELECT p.name FROM "{table}" t JOIN person p ON p.id = t.person_id '
                     "WHERE t.id = ?", [pk]) or ""


def _when(hlc) -> str:
    if not hlc:
        return "时间不详"
    return datetime.fromtimestamp(int(hlc) / 1000, UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _value(value) -> str:
    return "（空）" if value in (None, "") else str(value)


def sentence(row: dict) -> str:
    """The conflict in one Chinese sentence, with both values, who and when."""
    what = FIELD_LABELS.get(row["col"], row["col"])
    thing = TABLE_LABELS.get(row["tbl"], "记录")
    subject = f"{thing}“{row['label']}”" if row.get("label") else thing
    a = f"{row['station_a'] or '其他服务站'}{row['actor_a'] or ''}于{_when(row['hlc_a'])}"
    b = f"{row['station_b'] or '其他服务站'}{row['actor_b'] or ''}于{_when(row['hlc_b'])}"
    if row["kind"] == "delete_edit":
        return (f"{subject}：一方删除了这条记录，另一方同时修改了它（{a}：{_value(row['value_a'])}；"
                f"{b}：{_value(row['value_b'])}），暂按{'后者' if row['winner'] == 'b' else '前者'}处理。")
    winner = row["value_b"] if row["winner"] == "b" else row["value_a"]
    return (f"{subject}的{what}被两处同时修改：{a}改为“{_value(row['value_a'])}”，"
            f"{b}改为“{_value(row['value_b'])}”，暂时采用“{_value(winner)}”。")


def open_conflicts(station: Station) -> list[dict]:
    rows = station.query("SELECT * FROM sync_conflict WHERE status = 'open' "
                         "ORDER BY coalesce(hlc_b, 0) DESC")
    for row in rows:
        row["sentence"] = sentence(row)
    return rows


def _own_site(station: Station) -> str:
    return station.scalar("SELECT coalesce(site_id, '') FROM sync_state")


def settle(station: Station, conflict_id: str, choice: str, value: str | None = None) -> None:
    """Settle a conflict: 采用本站 (this station's value), 采用县里 (the value the county
    kept) or 手工修改 (``value``). Writes the field as an ordinary change."""
    rows = station.query("SELECT * FROM sync_conflict WHERE id = ?", [conflict_id])
    if not rows:
        raise NotFoundError("找不到这条冲突，可能已经处理过了。")
    row = rows[0]
    if row["status"] != "open":
        raise ValidationError("这条冲突已经处理过了。")
    own = _own_site(station)
    winner = row["value_b"] if row["winner"] == "b" else row["value_a"]
    if choice == HERE:
        chosen = row["value_a"] if row["site_a"] == own else (
            row["value_b"] if row["site_b"] == own else _current(station, row))
    elif choice == COUNTY:
        chosen = winner
    elif choice == MANUAL:
        if row["kind"] == "delete_edit":
            raise ValidationError("删除与修改的冲突只能选择采用本站或采用县里。")
        if value is None or not str(value).strip():
            raise ValidationError("请填写要采用的内容。")
        chosen = str(value).strip()
    else:
        raise ValidationError("请选择采用本站、采用县里或手工修改。")
    with station.atomic() as db:
        if row["col"] == "deleted_at" or row["kind"] == "delete_edit":
            _settle_delete(station, row, chosen)
        elif _current(station, row) != chosen:
            _write_field(station, row, chosen)
        db.execute("UPDATE sync_conflict SET status = 'settled_here', settled_value = ?, "
                   "settled_by = ?, settled_at = ? WHERE id = ?",
                   [chosen, station.actor, now_iso(), conflict_id])


def _current(station: Station, row: dict):
    value = station.scalar(f'SELECT "{row["col"]}" FROM "{row["tbl"]}" WHERE id = ?',
                           [row["pk"]])
    return None if value is None else str(value)


def _write_field(station: Station, row: dict, chosen) -> None:
    if row["tbl"] == "person":
        from db import people

        people.update_person(station, row["pk"], {row["col"]: chosen})
        return
    station.conn.execute(
        f'UPDATE "{row["tbl"]}" SET "{row["col"]}" = ?, updated_at = ?, updated_by = ? '
        "WHERE id = ?", [chosen, now_iso(), station.actor, row["pk"]])


def _settle_delete(station: Station, row: dict, chosen) -> None:
    deleted = row["col"] == "deleted_at" and chosen not in (None, "")
    station.conn.execute(
        f'UPDATE "{row["tbl"]}" SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?',
        [now_iso() if deleted else None, now_iso(), station.actor, row["pk"]])


_ = glossary  # labels live here until the glossary grows field names
