"""岗位 job postings: employer, 工种, 人数, wage and age ranges, place, flags, 有效期, source.

A job is *open* while it is live, not closed (停招), not past its 有效期 and not yet
filled (as many 已录用 referrals as its 人数).
"""

import re
from datetime import date, timedelta

from . import glossary, settings
from .clock import today
from .employers import get_employer
from .errors import NotFoundError, ValidationError
from .records import insert_record, soft_delete, update_record
from .station import Station
from .validation.dates import parse_date

TEXT_FIELDS = ("work_type", "work_place", "requirements", "source_note")
FLAG_FIELDS = ("gig", "older_friendly")
EDITABLE_FIELDS = ("employer_id", *TEXT_FIELDS, *FLAG_FIELDS, "headcount", "wage_min",
                   "wage_max", "place_type", "age_min", "age_max", "valid_until", "source")
MAX_WAGE = 1_000_000
MIN_AGE, MAX_AGE = 16, 75
MAX_HEADCOUNT = 10_000

# The employment status a person takes when placed in a job at this kind of place.
PLACE_STATUS = {"local": "local", "county": "local", "province": "in_province",
                "out_province": "out_province"}

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DAILY = re.compile(r"/\s*(?:天|日)|每天|每日|日薪|/\s*小时|时薪")


def _code(value, codes: dict, field: str, message: str) -> str:
    """A stored code from a code or its Chinese label."""
    text = str(value or "").strip()
    for code, label in codes.items():
        if text in (code, label):
            return code
    raise ValidationError(message, field=field)


def place_code(value) -> str:
    """'local'…'out_province' from a code or 本地/县内/省内/省外."""
    return _code(value, glossary.JOB_PLACES, "place_type", "工作地类型应为本地、县内、省内或省外。")


def _numbers(text: str) -> list[float]:
    """Numbers in ``text``, with 千/k/万 multipliers applied (4.5千 → 4500)."""
    out = []
    for match in _NUMBER.finditer(text):
        unit = text[match.end():match.end() + 1].lower()
        scale = {"千": 1000, "k": 1000, "万": 10000, "w": 10000}.get(unit, 1)
        out.append(float(match.group()) * scale)
    return out


def _range(text: str, field: str, what: str) -> tuple[int | None, int | None]:
    """(low, high) from "4000-6000", "5000以上", "45岁以下", "不限" or one number."""
    text = str(text or "").replace(",", "").replace("，", "").strip()
    numbers = [int(n) for n in _numbers(text)]
    if not numbers:
        if text in ("", "不限", "无", "面议", "无要求", "-"):
            return None, None
        raise ValidationError(f"{what}应写成“4000-6000”“5000以上”这样的形式。", field=field)
    if len(numbers) >= 2:
        return min(numbers), max(numbers)
    if re.search(r"以上|起|及以上|\+|≥|>", text):
        return numbers[0], None
    if re.search(r"以下|以内|之内|≤|<", text):
        return None, numbers[0]
    return numbers[0], numbers[0]


def parse_wage_range(text) -> tuple[int | None, int | None]:
    """Monthly wage range in yuan from what an employer writes: "4000-6000元/月", "面议"."""
    if _DAILY.search(str(text or "")):
        raise ValidationError("薪资请折算为月薪（元/月）填写。", field="wage")
    return _range(text, "wage", "薪资范围")


def parse_age_range(text) -> tuple[int | None, int | None]:
    """Age window from "18-45周岁", "45岁以下", "18岁以上", "不限"."""
    return _range(text, "age", "年龄要求")


def field_date(value, field: str) -> date:
    """``parse_date`` whose refusal names the form field it came from."""
    try:
        return parse_date(value)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from None


def _int(value, field: str, label: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(float(str(value).replace(",", "").strip()))
    except ValueError:
        raise ValidationError(f"{label}应填写数字。", field=field) from None
    if not low <= number <= high:
        raise ValidationError(f"{label}应在 {low} 到 {high} 之间。", field=field)
    return number


def _check_order(row: dict, low: str, high: str, message: str) -> None:
    if row.get(low) is not None and row.get(high) is not None and row[low] > row[high]:
        raise ValidationError(message, field=low)


def clean_fields(fields: dict) -> dict:
    """Validate and normalize the job columns present in ``fields``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown job fields: {sorted(unknown)}")
    out = {key: " ".join(str(fields[key] or "").split()) for key in TEXT_FIELDS if key in fields}
    if "work_type" in out and not out["work_type"]:
        raise ValidationError("请填写工种。", field="work_type")
    for key in FLAG_FIELDS:
        if key in fields:
            out[key] = int(bool(fields[key]))
    if "employer_id" in fields:
        out["employer_id"] = fields["employer_id"]
    if "headcount" in fields:
        out["headcount"] = _int(fields["headcount"], "headcount", "招聘人数", 1, MAX_HEADCOUNT) or 1
    for key in ("wage_min", "wage_max"):
        if key in fields:
            out[key] = _int(fields[key], key, "月薪", 0, MAX_WAGE)
    for key in ("age_min", "age_max"):
        if key in fields:
            out[key] = _int(fields[key], key, "年龄要求", MIN_AGE, MAX_AGE)
    if "place_type" in fields:
        out["place_type"] = place_code(fields["place_type"])
    if "source" in fields:
        out["source"] = _code(fields["source"], glossary.JOB_SOURCES, "source",
                              "岗位来源应为本站、县就业服务中心或劳务协作。")
    if "valid_until" in fields:
        out["valid_until"] = field_date(fields["valid_until"], "valid_until").isoformat()
    return out


def _check_ranges(row: dict) -> None:
    _check_order(row, "wage_min", "wage_max", "最低月薪不能高于最高月薪。")
    _check_order(row, "age_min", "age_max", "最低年龄不能高于最高年龄。")


def create_job(station: Station, fields: dict) -> str:
    """Post a job; 有效期 defaults to the setting ``job.valid_days`` from today."""
    if not fields.get("employer_id"):
        raise ValidationError("请选择用人单位。", field="employer_id")
    if not str(fields.get("place_type") or "").strip():
        raise ValidationError("请选择工作地类型（本地、县内、省内或省外）。", field="place_type")
    row = clean_fields({"work_type": "", "headcount": 1, "source": "station", **fields})
    get_employer(station, row["employer_id"])
    row.setdefault("valid_until", default_valid_until(station).isoformat())
    _check_ranges(row)
    return insert_record(station, "job", row)


def default_valid_until(station: Station, on: date | None = None) -> date:
    """Today plus the station's default validity."""
    return (on or today()) + timedelta(days=settings.get(station, "job.valid_days"))


JOB_SELECT = """
    SELECT j.*, e.name AS employer_name, e.credit_code, e.contact_person, e.contact_phone,
           e.address AS employer_address, e.support_workshop, e.village_factory, e.wage_arrears,
           (SELECT count(*) FROM referral r WHERE r.job_id = j.id AND r.outcome = 'hired'
            AND r.deleted_at IS NULL) AS hired
    FROM job j JOIN employer e ON e.id = j.employer_id
    WHERE j.deleted_at IS NULL
"""

OPEN_CONDITION = "closed_on IS NULL AND valid_until >= :on AND hired < headcount"


def _decorate(job: dict, on: date) -> dict:
    """Add display fields: labels, wage/age text and whether the job is open."""
    job["place_label"] = glossary.JOB_PLACES[job["place_type"]]
    job["source_label"] = glossary.JOB_SOURCES[job["source"]]
    job["wage_text"] = wage_text(job)
    job["age_text"] = age_text(job)
    job["is_open"] = (not job["closed_on"] and job["valid_until"] >= on.isoformat()
                      and job["hired"] < job["headcount"])
    return job


def get_job(station: Station, job_id: str, on: date | None = None) -> dict:
    """A live job with its employer's name, contact and flags, ``hired`` and ``is_open``."""
    rows = station.query(JOB_SELECT + " AND j.id = :id", {"id": job_id})
    if not rows:
        raise NotFoundError("找不到这个岗位，可能已被删除。")
    return _decorate(rows[0], on or today())


def get_jobs(station: Station, job_ids: list[str], on: date | None = None) -> dict[str, dict]:
    """Several live jobs at once, by key (as :func:`get_job` shows them)."""
    on, found = on or today(), {}
    for start in range(0, len(job_ids), 500):
        chunk = job_ids[start:start + 500]
        rows = station.query(f"{JOB_SELECT} AND j.id IN ({','.join('?' * len(chunk))})", chunk)
        found.update((row["id"], _decorate(row, on)) for row in rows)
    return found


def list_jobs(station: Station, *, open_only: bool = True, on: date | None = None,
              employer_id: str = "", text: str = "") -> list[dict]:
    """Live jobs (only open ones unless ``open_only`` is False), soonest 有效期 first."""
    on = on or today()
    where = ["1"]
    if open_only:
        where.append(OPEN_CONDITION)
    if employer_id:
        where.append("employer_id = :employer")
    if text.strip():
        where.append("(instr(work_type, :text) > 0 OR instr(employer_name, :text) > 0)")
    rows = station.query(
        f"SELECT * FROM ({JOB_SELECT}) WHERE {' AND '.join(where)} "
        "ORDER BY valid_until, employer_name, work_type",
        {"on": on.isoformat(), "employer": employer_id, "text": text.strip()})
    return [_decorate(row, on) for row in rows]


def update_job(station: Station, job_id: str, changes: dict) -> dict:
    """Apply ``changes``; returns the columns that really changed."""
    current = get_job(station, job_id)
    row = clean_fields(changes)
    if "employer_id" in row:
        get_employer(station, row["employer_id"])
    _check_ranges({**current, **row})
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    if changed:
        update_record(station, "job", job_id, changed)
    return changed


def close_job(station: Station, job_id: str, on=None) -> None:
    """停招: the job stops taking referrals from ``on`` (today by default)."""
    get_job(station, job_id)
    when = field_date(on or today(), "closed_on")
    update_record(station, "job", job_id, {"closed_on": when.isoformat()})


def reopen_job(station: Station, job_id: str) -> None:
    """Undo 停招."""
    get_job(station, job_id)
    update_record(station, "job", job_id, {"closed_on": None})


def delete_job(station: Station, job_id: str) -> None:
    """Withdraw a job posted by mistake (its referrals keep pointing at it)."""
    get_job(station, job_id)
    soft_delete(station, "job", job_id)


def _span(low, high, unit: str, none: str) -> str:
    if low is None and high is None:
        return none
    if low is None:
        return f"{high}{unit}以下"
    if high is None:
        return f"{low}{unit}以上"
    return f"{low}{unit}" if low == high else f"{low}–{high}{unit}"


def wage_text(job: dict) -> str:
    """"4000–6000元/月", "5000元/月以上" or "面议"."""
    return _span(job.get("wage_min"), job.get("wage_max"), "元/月", "面议")


def age_text(job: dict) -> str:
    """"18–45岁", "45岁以下", "18岁以上" or "不限"."""
    return _span(job.get("age_min"), job.get("age_max"), "岁", "不限")
