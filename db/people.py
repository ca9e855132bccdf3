"""People (劳动者): one row per ID number, validated, searchable, audited, soft-deleted."""

from datetime import date

from . import pinyin, settings
from .clock import now_iso, today
from .errors import DuplicateError, NotFoundError, ValidationError
from .ids import uuid7
from .station import Station
from .validation.dates import age_on, parse_date
from .validation.idcard import normalize_id_number, parse_id_number
from .validation.phone import normalize_phone

TEXT_FIELDS = (
    "hukou_village", "hukou_address", "residence", "education", "skills", "health",
    "disability", "household_no", "out_destination", "out_work_type", "training_wish",
    "remarks",
)
FLAG_FIELDS = (
    "poverty_alleviated", "monitored", "low_income", "rural_disabled", "wants_out",
    "wants_training",
)
EDITABLE_FIELDS = ("name", "id_number", "phone", "consent_date", "out_expected_wage",
                   *TEXT_FIELDS, *FLAG_FIELDS)
_EDITABLE = frozenset(EDITABLE_FIELDS)
MAX_NAME_LENGTH = 30


def _clean_name(raw) -> str:
    name = " ".join(str(raw or "").split())
    if not name:
        raise ValidationError("请填写姓名。", field="name")
    if len(name) > MAX_NAME_LENGTH or any(c.isdigit() for c in name):
        raise ValidationError("姓名不应含数字，长度不超过 30 个字。", field="name")
    return name


def _clean_wage(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        wage = int(float(str(raw).replace(",", "").strip()))
    except ValueError:
        raise ValidationError("期望月薪应填写数字（元）。", field="out_expected_wage") from None
    if not 0 <= wage <= 1_000_000:
        raise ValidationError("期望月薪应在 0 到 1000000 元之间。", field="out_expected_wage")
    return wage


def clean_fields(fields: dict, *, on: date | None = None) -> dict:
    """Validate and normalize what a clerk typed into the columns of ``person``.

    Only keys present in ``fields`` are returned; the ID number brings its derived
    birth date and sex, the name and numbers bring their search keys.
    """
    unknown = fields.keys() - _EDITABLE
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    out: dict = {}
    if "name" in fields:
        out["name"] = _clean_name(fields["name"])
        out["search_initials"] = pinyin.initials(out["name"])
        out["search_pinyin"] = pinyin.full_pinyin(out["name"])
    if "id_number" in fields:
        info = parse_id_number(fields["id_number"], today=on or today())
        out.update(id_number=info.number, birth_date=info.birth_date.isoformat(),
                   sex=info.sex, id_rev=info.number[::-1])
    if "phone" in fields:
        out["phone"] = normalize_phone(str(fields["phone"] or ""))
        out["phone_rev"] = out["phone"][::-1]
    if "consent_date" in fields:
        raw = fields["consent_date"]
        out["consent_date"] = parse_date(raw).isoformat() if raw not in (None, "") else None
    if "out_expected_wage" in fields:
        out["out_expected_wage"] = _clean_wage(fields["out_expected_wage"])
    for key in TEXT_FIELDS:
        if key in fields:
            out[key] = " ".join(str(fields[key] or "").split())
    for key in FLAG_FIELDS:
        if key in fields:
            out[key] = int(bool(fields[key]))
    return out


def find_by_id_number(station: Station, raw: str) -> dict | None:
    """The live person with this ID number (typed any way), or None."""
    number = normalize_id_number(raw)
    rows = station.query(
        "SELECT * FROM person WHERE id_number = ? AND deleted_at IS NULL", [number])
    return rows[0] if rows else None


def create_person(station: Station, fields: dict) -> str:
    """Register a new person; an ID number already registered raises DuplicateError."""
    for required in ("name", "id_number"):
        if not str(fields.get(required) or "").strip():
            label = "姓名" if required == "name" else "公民身份号码"
            raise ValidationError(f"请填写{label}。", field=required)
    row = clean_fields(fields)
    existing = find_by_id_number(station, row["id_number"])
    if existing:
        raise DuplicateError(
            f"公民身份号码 {row['id_number']} 已登记为 {existing['name']}，已为您打开此人。",
            existing_id=existing["id"],
        )
    now = now_iso()
    row.update(id=uuid7(), created_at=now, created_by=station.actor, updated_at=now,
               updated_by=station.actor)
    with station.atomic() as db:
        db["person"].insert(row)
    return row["id"]


def get_person(station: Station, person_id: str) -> dict:
    """A live person with derived fields ``age`` and ``older`` (大龄)."""
    rows = station.query(
        "SELECT * FROM person WHERE id = ? AND deleted_at IS NULL", [person_id])
    if not rows:
        raise NotFoundError("找不到此人，可能已被删除。")
    person = rows[0]
    person["age"] = age_on(date.fromisoformat(person["birth_date"]), today())
    person["older"] = person["age"] >= older_age(station, person["sex"])
    return person


def older_age(station: Station, sex: str) -> int:
    """The 大龄 age threshold for this sex (a station setting)."""
    return settings.get(station, "older_age.male" if sex == "M" else "older_age.female")


def update_person(station: Station, person_id: str, changes: dict) -> dict:
    """Apply ``changes``; returns the columns that really changed (empty when none did)."""
    current = get_person(station, person_id)
    row = clean_fields(changes)
    if "id_number" in row and row["id_number"] != current["id_number"]:
        other = find_by_id_number(station, row["id_number"])
        if other:
            raise DuplicateError(
                f"公民身份号码 {row['id_number']} 已属于 {other['name']}。",
                existing_id=other["id"])
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    if not changed:
        return {}
    changed.update(updated_at=now_iso(), updated_by=station.actor)
    with station.atomic() as db:
        db["person"].update(person_id, changed)
    return changed


def delete_person(station: Station, person_id: str) -> None:
    """Soft-delete: the row stays (and its history), hidden from lists and search."""
    get_person(station, person_id)
    with station.atomic() as db:
        db["person"].update(person_id, {"deleted_at": now_iso(), "updated_at": now_iso(),
                                        "updated_by": station.actor})


def count_people(station: Station) -> int:
    return station.scalar("SELECT count(*) FROM person WHERE deleted_at IS NULL")
