"""用人单位 employers: name, 统一社会信用代码 (GB 32100), contact, flags; audited, soft-deleted."""

from .errors import DuplicateError, NotFoundError, ValidationError
from .glossary import EMPLOYER_FLAGS
from .records import insert_record, soft_delete, update_record
from .station import Station
from .validation.credit_code import validate_credit_code
from .validation.phone import normalize_phone

TEXT_FIELDS = ("name", "contact_person", "industry", "address", "remarks")
FLAG_FIELDS = ("support_workshop", "village_factory", "wage_arrears")
EDITABLE_FIELDS = (*TEXT_FIELDS, "credit_code", "contact_phone", *FLAG_FIELDS)
MAX_NAME_LENGTH = 60


def clean_fields(fields: dict) -> dict:
    """Validate and normalize the employer columns present in ``fields``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown employer fields: {sorted(unknown)}")
    out = {key: " ".join(str(fields[key] or "").split()) for key in TEXT_FIELDS if key in fields}
    if "name" in out and not out["name"]:
        raise ValidationError("请填写单位名称。", field="name")
    if len(out.get("name", "")) > MAX_NAME_LENGTH:
        raise ValidationError("单位名称不超过 60 个字。", field="name")
    if "credit_code" in fields:
        raw = fields["credit_code"]
        out["credit_code"] = validate_credit_code(raw) if str(raw or "").strip() else ""
    if "contact_phone" in fields:
        out["contact_phone"] = normalize_phone(fields["contact_phone"] or "")
    for key in FLAG_FIELDS:
        if key in fields:
            out[key] = int(bool(fields[key]))
    return out


def find_employer(station: Station, *, name: str = "", credit_code: str = "") -> dict | None:
    """The live employer with this credit code (preferred) or exact name, or None."""
    if credit_code:
        rows = station.query("SELECT * FROM employer WHERE credit_code = ? AND deleted_at IS NULL",
                             [credit_code])
        if rows:
            return rows[0]
    name = " ".join(name.split())
    if name:
        rows = station.query("SELECT * FROM employer WHERE name = ? AND deleted_at IS NULL",
                             [name])
        if rows:
            return rows[0]
    return None


def _refuse_duplicates(station: Station, row: dict, own_id: str | None = None) -> None:
    """No two live employers share a name or a credit code."""
    if row.get("credit_code"):
        other = find_employer(station, credit_code=row["credit_code"])
        if other and other["id"] != own_id:
            raise DuplicateError(
                f"统一社会信用代码 {row['credit_code']} 已登记为 {other['name']}。",
                existing_id=other["id"])
    if row.get("name"):
        other = find_employer(station, name=row["name"])
        if other and other["id"] != own_id:
            raise DuplicateError(f"单位 {row['name']} 已登记。", existing_id=other["id"])


def create_employer(station: Station, fields: dict) -> str:
    """Register an employer; returns its key. A name or code already registered is refused."""
    row = clean_fields({"name": "", **fields})
    _refuse_duplicates(station, row)
    return insert_record(station, "employer", row)


def get_employer(station: Station, employer_id: str) -> dict:
    """A live employer."""
    rows = station.query("SELECT * FROM employer WHERE id = ? AND deleted_at IS NULL",
                         [employer_id])
    if not rows:
        raise NotFoundError("找不到这个用人单位，可能已被删除。")
    return rows[0]


def update_employer(station: Station, employer_id: str, changes: dict) -> dict:
    """Apply ``changes``; returns the columns that really changed."""
    current = get_employer(station, employer_id)
    row = clean_fields(changes)
    _refuse_duplicates(station, row, own_id=employer_id)
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    if changed:
        update_record(station, "employer", employer_id, changed)
    return changed


def delete_employer(station: Station, employer_id: str) -> None:
    """Soft-delete an employer that has no open job postings."""
    get_employer(station, employer_id)
    if station.scalar("SELECT 1 FROM job WHERE employer_id = ? AND deleted_at IS NULL "
                      "AND closed_on IS NULL", [employer_id]):
        raise ValidationError("该单位还有在招岗位，请先停招或删除这些岗位。")
    soft_delete(station, "employer", employer_id)


def list_employers(station: Station, text: str = "") -> list[dict]:
    """Live employers whose name contains ``text`` (all when empty), by name."""
    return station.query(
        "SELECT * FROM employer WHERE deleted_at IS NULL AND instr(name, ?) > 0 ORDER BY name",
        [text.strip()])


def flag_labels(employer: dict) -> list[str]:
    """The Chinese labels of the employer's flags that are set (就业帮扶车间, 欠薪记录, …)."""
    return [label for key, label in EMPLOYER_FLAGS.items() if employer.get(key)]
