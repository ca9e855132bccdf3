"""培训 (§四(二)): training needs and records (技能 / 安全 / 适应性 / 农业技术), and
劳务品牌 tags on people (§三(三)).

A need says what training a person wants; a record says what they took (course, dates,
result, certificate). Recording a training meets the person's open needs of that kind.
The county's 培训需求名单 lists the open needs, and also the people marked 有培训意愿
on their own form who have no need recorded yet, so nobody who asked is left out.
"""

from pathlib import Path

from . import glossary, lists, service_log, settings
from .clock import today
from .errors import DuplicateError, NotFoundError, ValidationError
from .excel.writer import Column, write_table
from .people import get_person
from .records import insert_record, live_rows, soft_delete, update_record
from .setup import station_info
from .station import Station
from .validation.dates import parse_date

MAX_BRAND_LENGTH = 20
RECORD_TEXT = ("course", "provider", "certificate", "certificate_no", "remarks")


def _text(raw, limit: int = 100) -> str:
    return " ".join(str(raw or "").split())[:limit]


def _kind(kind: str) -> str:
    if kind not in glossary.TRAINING_KINDS:
        raise ValidationError("请选择培训类型（技能、安全、适应性或农业技术）。", field="kind")
    return kind


def clean_record(fields: dict) -> dict:
    """Validate a training record's columns present in ``fields``."""
    out = {key: _text(fields[key]) for key in RECORD_TEXT if key in fields}
    if "kind" in fields:
        out["kind"] = _kind(fields["kind"])
    if "course" in out and not out["course"]:
        raise ValidationError("请填写培训项目。", field="course")
    for key in ("start_date", "end_date"):
        if key in fields:
            raw = fields[key]
            out[key] = parse_date(raw).isoformat() if raw not in (None, "") else None
    if out.get("start_date") is None and "start_date" in out:
        raise ValidationError("请填写培训开始日期。", field="start_date")
    if "result" in fields:
        if fields["result"] not in glossary.TRAINING_RESULTS:
            raise ValidationError("培训结果应为在训、已结业或退训。", field="result")
        out["result"] = fields["result"]
    return out


def _check_dates(row: dict) -> None:
    if row["start_date"] > today().isoformat():
        raise ValidationError("培训开始日期不能晚于今天。", field="start_date")
    if row.get("end_date") and row["end_date"] < row["start_date"]:
        raise ValidationError("培训结束日期不能早于开始日期。", field="end_date")
    if row.get("certificate") and row.get("result") != "completed":
        raise ValidationError("只有已结业的培训才能登记证书。", field="certificate")


def record_training(station: Station, person_id: str, fields: dict) -> str:
    """Record a training the person took; returns its key.

    ``fields``: kind, course, provider, start_date, end_date, result (default 在训),
    certificate, certificate_no, remarks. The person's open needs of that kind are met
    by it, and a 培训报名 line goes into their service log.
    """
    get_person(station, person_id)
    row = {"result": "enrolled", "end_date": None, **clean_record(
        {"kind": "", "course": "", "start_date": fields.get("start_date") or today(), **fields})}
    _check_dates(row)
    with station.atomic():
        record_id = insert_record(station, "training_record", {"person_id": person_id, **row})
        station.conn.execute(
            "UPDATE training_need SET met_on = ?, record_id = ? WHERE person_id = ? AND kind = ? "
            "AND met_on IS NULL AND deleted_at IS NULL", [row["start_date"], record_id,
                                                          person_id, row["kind"]])
        service_log.log_service(
            station, person_id, "training",
            f"{glossary.TRAINING_KINDS[row['kind']]}：{row['course']}"
            + (f"（{row['provider']}）" if row.get("provider") else ""), row["start_date"])
    return record_id


def update_training(station: Station, record_id: str, changes: dict) -> dict:
    """Correct a training record (e.g. 结业 and its certificate); returns what changed."""
    current = get_training(station, record_id)
    row = {**current, **clean_record(changes)}
    _check_dates(row)
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    if changed:
        update_record(station, "training_record", record_id, changed)
    return changed


def get_training(station: Station, record_id: str) -> dict:
    rows = station.query("SELECT * FROM training_record WHERE id = ? AND deleted_at IS NULL",
                         [record_id])
    if not rows:
        raise NotFoundError("找不到这条培训记录，可能已被删除。")
    return rows[0]


def _labelled(row: dict) -> dict:
    return {**row, "kind_label": glossary.TRAINING_KINDS[row["kind"]],
            "result_label": glossary.TRAINING_RESULTS.get(row.get("result", ""), "")}


def training_of(station: Station, person_id: str) -> list[dict]:
    """The person's training records, newest first, with labels."""
    return [_labelled(r) for r in live_rows(station, "training_record", person_id, "start_date")]


def remove_training(station: Station, record_id: str) -> None:
    """Withdraw a record entered by mistake; the needs it met are open again."""
    get_training(station, record_id)
    with station.atomic():
        station.conn.execute("UPDATE training_need SET met_on = NULL, record_id = NULL "
                             "WHERE record_id = ?", [record_id])
        soft_delete(station, "training_record", record_id)

# ------------------------------------------------------------------- needs


def add_need(station: Station, person_id: str, kind: str, course: str = "", recorded_on=None,
             remarks: str = "") -> str:
    """Record that the person wants training of ``kind`` (``course`` if they named one)."""
    get_person(station, person_id)
    kind, course = _kind(kind), _text(course)
    same = station.scalar(
        "SELECT 1 FROM training_need WHERE person_id = ? AND kind = ? AND course = ? AND "
        "met_on IS NULL AND deleted_at IS NULL", [person_id, kind, course])
    if same:
        raise DuplicateError("此人已登记了相同的培训需求。")
    return insert_record(station, "training_need", {
        "person_id": person_id, "kind": kind, "course": course, "remarks": _text(remarks),
        "recorded_on": parse_date(recorded_on or today()).isoformat()})


def needs_of(station: Station, person_id: str) -> list[dict]:
    """The person's training needs (open and met), newest first."""
    return [_labelled(r) for r in live_rows(station, "training_need", person_id, "recorded_on")]


def remove_need(station: Station, need_id: str) -> None:
    if not station.scalar("SELECT 1 FROM training_need WHERE id = ? AND deleted_at IS NULL",
                          [need_id]):
        raise NotFoundError("找不到这条培训需求，可能已被删除。")
    soft_delete(station, "training_need", need_id)


NEED_SELECT = """
    SELECT p.*, n.kind, n.course, n.recorded_on FROM training_need n
    JOIN person p ON p.id = n.person_id
    WHERE n.met_on IS NULL AND n.deleted_at IS NULL AND p.deleted_at IS NULL {filters}
    UNION ALL
    SELECT p.*, '' AS kind, p.training_wish AS course, NULL AS recorded_on FROM person p
    WHERE p.wants_training = 1 AND p.deleted_at IS NULL {filters} AND NOT EXISTS
        (SELECT 1 FROM training_need n WHERE n.person_id = p.id AND n.met_on IS NULL
         AND n.deleted_at IS NULL)
"""
NEED_KEYS = ("serial", "name", "sex", "age", "id_number", "phone", "hukou_village", "groups",
             "current_status", "kind_label", "course", "recorded_on", "brands")
NEED_LABELS = {**lists.LABELS, "serial": "序号", "kind_label": "培训类型",
               "course": "意向培训项目", "recorded_on": "登记日期",
               "brands": glossary.TRAINING_FIELDS["brands"]}


def need_list(station: Station, *, village: str = "", kind: str = "",
              full_numbers: bool = False) -> list[dict]:
    """The 培训需求名单: open needs, and people 有培训意愿 with no need recorded, by village
    and name; ``kind`` keeps one kind of training."""
    filters, params = "", []
    if village:
        filters = "AND p.hukou_village = ?"
        params = [village]
    sql = NEED_SELECT.format(filters=filters)
    rows = station.query(f"SELECT * FROM ({sql}) ORDER BY hukou_village, search_pinyin, kind",
                         params * 2)
    if kind:
        rows = [r for r in rows if r["kind"] == _kind(kind)]
    brands = brands_by_person(station, [r["id"] for r in rows])
    on = today()
    older = [lists._birth_bound(settings.get(station, f"older_age.{sex}"), on)
             for sex in ("male", "female")]
    out = []
    for serial, row in enumerate(rows, start=1):
        shown = lists._display(row, on, *older, full_numbers)  # the lists' own labels, masking
        out.append({**shown, "serial": serial, "kind_label": glossary.TRAINING_KINDS.get(
            row["kind"], "未定"), "course": row["course"], "recorded_on": row["recorded_on"],
            "brands": "、".join(brands.get(row["id"], []))})
    return out


def export_need_list(station: Station, out: str | Path, *, village: str = "", kind: str = "",
                     full_numbers: bool = False) -> int:
    """Write the 培训需求名单 to an .xlsx for the county; returns the number of rows."""
    rows = need_list(station, village=village, kind=kind, full_numbers=full_numbers)
    title = glossary.REPORT_DOCUMENTS["training_needs"]
    scope = "、".join(filter(None, [village, glossary.TRAINING_KINDS.get(kind, "")])) or "全部"
    columns = [Column(key, NEED_LABELS[key], None, key in ("id_number", "phone"))
               for key in NEED_KEYS]
    return write_table(out, title=f"{station_info(station).name} {title}",
                       subtitle=f"导出日期：{today():%Y-%m-%d}　范围：{scope}　共 {len(rows)} 条",
                       columns=columns, rows=rows, sheet_name=title)

# ------------------------------------------------------------------ brands


def _brand(raw) -> str:
    brand = _text(raw, MAX_BRAND_LENGTH + 1)
    if not brand:
        raise ValidationError("请填写劳务品牌名称。", field="brand")
    if len(brand) > MAX_BRAND_LENGTH:
        raise ValidationError("劳务品牌名称不超过 20 个字。", field="brand")
    return brand


def add_brand(station: Station, person_id: str, brand: str) -> str | None:
    """Tag the person with a 劳务品牌; returns the tag's key (None if already tagged)."""
    get_person(station, person_id)
    brand = _brand(brand)
    if brand in brands_of(station, person_id):
        return None
    return insert_record(station, "brand_tag", {"person_id": person_id, "brand": brand})


def remove_brand(station: Station, person_id: str, brand: str) -> bool:
    """Take the tag off; returns whether the person had it."""
    tag_id = station.scalar("SELECT id FROM brand_tag WHERE person_id = ? AND brand = ? AND "
                            "deleted_at IS NULL", [person_id, brand.strip()])
    if tag_id:
        soft_delete(station, "brand_tag", tag_id)
    return bool(tag_id)


def set_brands(station: Station, person_id: str, brands: list[str]) -> None:
    """Make the person's tags exactly ``brands`` (the form's multi-select)."""
    wanted = list(dict.fromkeys(_brand(b) for b in brands))
    with station.atomic():
        for brand in set(brands_of(station, person_id)) - set(wanted):
            remove_brand(station, person_id, brand)
        for brand in wanted:
            add_brand(station, person_id, brand)


def brands_of(station: Station, person_id: str) -> list[str]:
    """The person's 劳务品牌 tags, in the order they were given."""
    return [r[0] for r in station.conn.execute(
        "SELECT brand FROM brand_tag WHERE person_id = ? AND deleted_at IS NULL ORDER BY rowid",
        [person_id])]


def brands_by_person(station: Station, person_ids: list[str]) -> dict[str, list[str]]:
    """Tags of many people at once: person key → brands."""
    found: dict[str, list[str]] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for person_id, brand in station.conn.execute(
                f"SELECT person_id, brand FROM brand_tag WHERE deleted_at IS NULL AND person_id "
                f"IN ({marks}) ORDER BY rowid", chunk):
            found.setdefault(person_id, []).append(brand)
    return found


def known_brands(station: Station) -> list[str]:
    """Brands to offer: the station's list (a setting), then any other tag in use."""
    declared = list(settings.get(station, "training.brands"))
    used = [r[0] for r in station.conn.execute(
        "SELECT DISTINCT brand FROM brand_tag WHERE deleted_at IS NULL ORDER BY brand")]
    return declared + [b for b in used if b not in declared]


def people_with_brand(station: Station, brand: str) -> list[str]:
    """Keys of the live people carrying ``brand``."""
    return [r[0] for r in station.conn.execute(
        "SELECT t.person_id FROM brand_tag t JOIN person p ON p.id = t.person_id WHERE "
        "t.brand = ? AND t.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY p.search_pinyin",
        [brand.strip()])]
