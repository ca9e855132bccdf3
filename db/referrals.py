"""推荐 referrals (职业介绍): person → job, numbered, with outcome and feedback date.

The number ``{station code}-{year}-{sequence:05d}`` is unique across every station without
any network: the 9-digit township code is the station's own, the sequence is the station
file's own counter (``records.next_sequence``), and ``referral.number`` is UNIQUE.
"""

from datetime import date, timedelta

from . import employment, glossary, jobs, service_log, settings
from .clock import today
from .errors import DuplicateError, NotFoundError, ValidationError
from .people import get_person
from .records import insert_record, next_sequence, soft_delete, update_record
from .station import Station
from .validation.dates import parse_date

OUTCOMES = tuple(glossary.REFERRAL_OUTCOMES)
FINAL_OUTCOMES = ("hired", "rejected", "no_show")

REFERRAL_SELECT = """
    SELECT r.*, p.name AS person_name, p.id_number, p.sex, p.birth_date, p.phone,
           p.hukou_village, j.work_type, j.place_type, j.work_place, j.wage_min, j.wage_max,
           j.employer_id, e.name AS employer_name
    FROM referral r
    JOIN person p ON p.id = r.person_id
    JOIN job j ON j.id = r.job_id
    JOIN employer e ON e.id = j.employer_id
    WHERE r.deleted_at IS NULL
"""


def next_number(station: Station, year: int) -> str:
    """The station's next referral number for ``year`` (call inside ``station.atomic()``)."""
    code = settings.get(station, "station.code")
    while True:
        number = f"{code}-{year}-{next_sequence(station, f'referral.{year}'):05d}"
        if not station.scalar("SELECT 1 FROM referral WHERE number = ?", [number]):
            return number


def feedback_days(station: Station) -> int:
    """Days the employer has to send the 回执 back (a station setting)."""
    return settings.get(station, "referral.feedback_days")


def _clerk(station: Station) -> str:
    return station.account.display_name if station.account else station.actor


def create_referral(station: Station, person_id: str, job_id: str, on=None) -> dict:
    """Refer a person to an open job; returns ``{"id", "number"}``.

    Also writes the 职业介绍 line of the person's service log, in the same transaction.
    """
    when = jobs.field_date(on or today(), "referral_date")
    person = get_person(station, person_id)
    job = jobs.get_job(station, job_id, on=when)
    _check_referable(station, person, job, when)
    with station.atomic():
        number = next_number(station, when.year)
        referral_id = insert_record(station, "referral", {
            "number": number, "person_id": person_id, "job_id": job_id,
            "referral_date": when.isoformat(), "clerk": _clerk(station), "outcome": "pending",
        })
        service_log.log_service(
            station, person_id, "placement",
            f"推荐至{job['employer_name']}（{job['work_type']}），推荐信编号 {number}。", when)
    return {"id": referral_id, "number": number}


def _check_referable(station: Station, person: dict, job: dict, when: date) -> None:
    """Refuse a referral to a closed, expired or filled job, or a second open one."""
    if when > today():
        raise ValidationError("推荐日期不能晚于今天。", field="referral_date")
    if job["closed_on"]:
        raise ValidationError("此岗位已停招，不能推荐。", field="job_id")
    if job["valid_until"] < when.isoformat():
        raise ValidationError(f"此岗位有效期至 {job['valid_until']}，已过期，不能推荐。",
                              field="job_id")
    if job["hired"] >= job["headcount"]:
        raise ValidationError("此岗位已招满，不能推荐。", field="job_id")
    open_one = station.query(
        "SELECT number FROM referral WHERE person_id = ? AND job_id = ? AND deleted_at IS NULL "
        "AND outcome IN ('pending', 'hired')", [person["id"], job["id"]])
    if open_one:
        raise DuplicateError(
            f"{person['name']} 已推荐到此岗位（推荐信编号 {open_one[0]['number']}）。")


def _decorate(row: dict, days: int, on: date) -> dict:
    """Labels, the feedback due date and whether the feedback is overdue."""
    due = date.fromisoformat(row["referral_date"]) + timedelta(days=days)
    row["outcome_label"] = glossary.REFERRAL_OUTCOMES[row["outcome"]]
    row["due_date"] = due.isoformat()
    row["overdue_days"] = (on - due).days if row["outcome"] == "pending" and on > due else 0
    return row


def _select(station: Station, where: str, params, order: str = "r.referral_date DESC, r.number DESC"
            ) -> list[dict]:
    days, on = feedback_days(station), today()
    rows = station.query(f"{REFERRAL_SELECT} AND {where} ORDER BY {order}", params)
    return [_decorate(row, days, on) for row in rows]


def get_referral(station: Station, referral_id: str) -> dict:
    """A live referral with person, job and employer names."""
    rows = _select(station, "r.id = ?", [referral_id])
    if not rows:
        raise NotFoundError("找不到这条推荐记录。")
    return rows[0]


def get_by_number(station: Station, number: str) -> dict:
    """The referral with this 推荐信编号."""
    rows = _select(station, "r.number = ?", [number.strip().upper()])
    if not rows:
        raise NotFoundError(f"没有推荐信编号 {number.strip()}。")
    return rows[0]


def list_referrals(station: Station, *, person_id: str = "", job_id: str = "",
                   outcome: str = "", day=None) -> list[dict]:
    """Referrals, newest first, narrowed by person, job, outcome or referral day."""
    clauses, params = ["1"], []
    for column, value in (("r.person_id", person_id), ("r.job_id", job_id),
                          ("r.outcome", outcome)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if day is not None:
        clauses.append("r.referral_date = ?")
        params.append(parse_date(day).isoformat())
    return _select(station, " AND ".join(clauses), params)


def numbers_on(station: Station, day) -> list[str]:
    """The referral numbers of one day, in number order (for batch printing)."""
    return [r[0] for r in station.conn.execute(
        "SELECT number FROM referral WHERE referral_date = ? AND deleted_at IS NULL "
        "ORDER BY number", [parse_date(day).isoformat()])]


def overdue_referrals(station: Station, on: date | None = None) -> list[dict]:
    """待反馈 referrals whose feedback is more than ``referral.feedback_days`` old: the
    worklist of 回执 to chase, most overdue first."""
    on = on or today()
    cutoff = (on - timedelta(days=feedback_days(station))).isoformat()
    rows = station.query(
        f"{REFERRAL_SELECT} AND r.outcome = 'pending' AND r.referral_date < ? "
        "ORDER BY r.referral_date, r.number", [cutoff])
    return [_decorate(row, feedback_days(station), on) for row in rows]


def record_outcome(station: Station, referral_id: str, outcome: str, outcome_date=None,
                   note: str = "") -> dict:
    """Record the employer's answer (已录用 / 未录用 / 未报到, or back to 待反馈).

    Returns ``{"offer_status_update": True}`` for 已录用: the GUI then offers
    :func:`apply_hired_status`.
    """
    if outcome not in OUTCOMES:
        raise ValidationError("推荐结果应为待反馈、已录用、未录用或未报到。", field="outcome")
    referral = get_referral(station, referral_id)
    changes = {"outcome": outcome, "outcome_note": " ".join(note.split())}
    if outcome == "pending":
        changes["outcome_date"] = None
    else:
        when = jobs.field_date(outcome_date or today(), "outcome_date")
        if when.isoformat() < referral["referral_date"]:
            raise ValidationError("反馈日期不能早于推荐日期。", field="outcome_date")
        if when > today():
            raise ValidationError("反馈日期不能晚于今天。", field="outcome_date")
        changes["outcome_date"] = when.isoformat()
    if outcome == "hired" and referral["outcome"] != "hired":
        _check_not_filled(station, referral)
    update_record(station, "referral", referral_id, changes)
    return {"offer_status_update": outcome == "hired"}


def _check_not_filled(station: Station, referral: dict) -> None:
    job = jobs.get_job(station, referral["job_id"])
    if job["hired"] >= job["headcount"]:
        raise ValidationError(f"此岗位招聘 {job['headcount']} 人，已录用满额，请先核对其他推荐结果。",
                              field="outcome")


def apply_hired_status(station: Station, referral_id: str) -> str | None:
    """Make a 已录用 referral the person's current employment status (employer, place,
    wage from the job, since the feedback date). Returns the new status row's key, or None
    when the person's current status already says so."""
    referral = get_referral(station, referral_id)
    if referral["outcome"] != "hired":
        raise ValidationError("只有已录用的推荐才能更新就业状态。", field="outcome")
    status = jobs.PLACE_STATUS[referral["place_type"]]
    current = employment.status_history(station, referral["person_id"])
    if current and (current[0]["status"], current[0]["employer"], current[0]["since_date"]) == (
            status, referral["employer_name"], referral["outcome_date"]):
        return None
    return employment.add_status(
        station, referral["person_id"], status, referral["outcome_date"],
        employer=referral["employer_name"], work_place=referral["work_place"],
        monthly_income=referral["wage_min"], remarks=f"推荐信编号 {referral['number']}")


def delete_referral(station: Station, referral_id: str) -> None:
    """Withdraw a referral entered by mistake (its number is never reused)."""
    get_referral(station, referral_id)
    soft_delete(station, "referral", referral_id)
