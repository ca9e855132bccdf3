"""Plain data for the printed documents, gathered from the station's records.

Each function returns dicts of display-ready values (Chinese labels, dates as ``date``)
that the matching ``printing`` module lays out; this module never builds a PDF and
``printing`` never reads the database (``ui.documents`` joins the two).
The referral letter and the registration certificate are documents about one person and
carry the full ID number; lists, rosters and summaries mask numbers unless the role may
see them (``full_numbers``).
"""

from datetime import date, timedelta

from . import (
    employment,
    glossary,
    jobs,
    labour_export,
    lists,
    referrals,
    registrations,
    returns,
    service_log,
)
from .errors import NotFoundError
from .people import get_person
from .setup import station_info
from .station import Station
from .validation.dates import age_on, parse_date
from .validation.masking import mask_id_number, mask_phone

LETTER_SELECT = """
    SELECT r.number, r.referral_date, r.clerk,
           p.name, p.sex, p.birth_date, p.id_number, p.phone, p.education, p.skills,
           p.hukou_village, p.hukou_address,
           j.work_type, j.place_type, j.work_place, j.wage_min, j.wage_max, j.requirements,
           j.headcount, e.name AS employer_name, e.credit_code, e.contact_person,
           e.contact_phone, e.address AS employer_address
    FROM referral r
    JOIN person p ON p.id = r.person_id
    JOIN job j ON j.id = r.job_id
    JOIN employer e ON e.id = j.employer_id
    WHERE r.deleted_at IS NULL
"""


def station_header(station: Station) -> dict:
    """The station's name, code and county, as every document's header shows them."""
    info = station_info(station)
    return {"name": info.name, "code": info.code, "county": info.county}


def _hukou(row: dict) -> str:
    return row["hukou_address"] or row["hukou_village"]


def _letter(row: dict, station: dict, days: int) -> dict:
    """One referral letter's data from a LETTER_SELECT row (ages as on the referral day,
    so a reprint shows what the original said)."""
    referred = date.fromisoformat(row["referral_date"])
    return {
        "station_name": station["name"], "station_county": station["county"],
        "number": row["number"], "referral_date": referred,
        "due_date": referred + timedelta(days=days), "clerk": row["clerk"],
        "person": {
            "name": row["name"], "sex": glossary.SEX[row["sex"]],
            "age": age_on(date.fromisoformat(row["birth_date"]), referred),
            "id_number": row["id_number"], "phone": row["phone"],
            "education": row["education"], "skills": row["skills"], "hukou": _hukou(row),
        },
        "employer": {
            "name": row["employer_name"], "credit_code": row["credit_code"],
            "contact_person": row["contact_person"], "contact_phone": row["contact_phone"],
            "address": row["employer_address"],
        },
        "job": {
            "work_type": row["work_type"], "wage_text": jobs.wage_text(row),
            "work_place": row["work_place"], "place_label": glossary.JOB_PLACES[row["place_type"]],
            "requirements": row["requirements"], "headcount": row["headcount"],
        },
    }


def referral_letter(station: Station, number: str) -> dict:
    """The 推荐介绍信 of one referral (stub, letter and 回执 share it)."""
    letters = _letters(station, "r.number = ?", [number.strip().upper()])
    if not letters:
        raise NotFoundError(f"没有推荐信编号 {number.strip()}。")
    return letters[0]


def referral_letters_on(station: Station, day) -> list[dict]:
    """All referral letters of one day, in number order (one query for the whole batch)."""
    return _letters(station, "r.referral_date = ?", [parse_date(day).isoformat()])


def _letters(station: Station, where: str, params: list) -> list[dict]:
    header, days = station_header(station), referrals.feedback_days(station)
    rows = station.query(f"{LETTER_SELECT} AND {where} ORDER BY r.number", params)
    return [_letter(row, header, days) for row in rows]


def registration_certificate(station: Station, number: str) -> dict:
    """The 登记凭证 of a 求职登记 or 失业登记."""
    reg = registrations.get_by_number(station, number)
    person = get_person(station, reg["person_id"])
    return {
        "station_name": station_header(station)["name"],
        "kind": glossary.REGISTRATION_KINDS[reg["kind"]], "number": reg["number"],
        "reg_date": date.fromisoformat(reg["reg_date"]),
        "place": glossary.REGISTRATION_PLACES.get(reg["place_type"], reg["place_type"]),
        "cancelled_on": date.fromisoformat(reg["cancelled_on"]) if reg["cancelled_on"] else None,
        "cancel_reason": reg["cancel_reason"],
        "person": {
            "name": person["name"], "sex": glossary.SEX[person["sex"]],
            "id_number": person["id_number"], "birth_date": date.fromisoformat(person["birth_date"]),
            "phone": person["phone"], "hukou": _hukou(person), "education": person["education"],
            "skills": person["skills"],
            "status": glossary.status_label(person["current_status"]),
        },
    }


def person_list(station: Station, kind: str, flt: lists.ListFilter | None = None, *,
                full_numbers: bool = False) -> dict:
    """One of the three lists: title, ``(key, label)`` columns, rows and the filter text."""
    flt = flt or lists.ListFilter()
    return {
        "station_name": station_header(station)["name"],
        "title": glossary.LIST_KINDS[kind],
        "columns": [(key, lists.LABELS[key]) for key in lists.COLUMNS[kind]],
        "rows": lists.rows(station, kind, flt, full_numbers=full_numbers),
        "filters_text": flt.describe(),
    }


def _numbers(person: dict, full: bool) -> tuple[str, str]:
    if full:
        return person["id_number"], person["phone"]
    return mask_id_number(person["id_number"]), mask_phone(person["phone"])


def _basic_info(person: dict, full: bool) -> dict:
    id_number, phone = _numbers(person, full)
    groups = [label for key, label in glossary.GROUP_FLAGS.items() if person[key]]
    return {
        "姓名": person["name"], "公民身份号码": id_number, "性别": glossary.SEX[person["sex"]],
        "出生日期": date.fromisoformat(person["birth_date"]), "年龄": person["age"],
        "手机号": phone, "户籍地": _hukou(person), "常住地": person["residence"],
        "文化程度": person["education"], "技能/工种": person["skills"],
        "人员类别": "、".join(groups + (["大龄"] if person["older"] else [])),
        "就业状态": glossary.status_label(person["current_status"]),
    }


def _intention(person: dict) -> list[tuple[str, object]]:
    if not person["wants_out"]:
        return []
    wage = person["out_expected_wage"]
    return [("意向地点", person["out_destination"]), ("意向工种", person["out_work_type"]),
            ("期望月薪", f"{wage} 元" if wage else "")]


def _sections(station: Station, person_id: str) -> list[tuple[str, list]]:
    person = get_person(station, person_id)
    return [
        ("就业状态历史", [
            {"日期": s["since_date"], "就业状态": glossary.status_label(s["status"]),
             "单位": s["employer"], "地点": s["work_place"], "月收入（元）": s["monthly_income"]}
            for s in employment.status_history(station, person_id)]),
        ("登记记录", [
            {"登记类型": glossary.REGISTRATION_KINDS[r["kind"]], "登记编号": r["number"],
             "登记日期": r["reg_date"], "注销日期": r["cancelled_on"], "注销原因": r["cancel_reason"]}
            for r in registrations.list_registrations(station, person_id)]),
        ("外出意愿", _intention(person)),
        ("推荐记录", [
            {"推荐日期": r["referral_date"], "推荐信编号": r["number"], "用人单位": r["employer_name"],
             "工种": r["work_type"], "结果": r["outcome_label"], "反馈日期": r["outcome_date"]}
            for r in referrals.list_referrals(station, person_id=person_id)]),
        ("返乡记录", [
            {"返乡日期": r["return_date"], "从何处返乡": r["from_place"], "原因": r["reason"]}
            for r in returns.list_returns(station, person_id)]),
        ("服务记录", [
            {"日期": s["service_date"], "服务类型": glossary.SERVICE_KINDS.get(s["kind"], s["kind"]),
             "内容": s["content"], "经办人": s["clerk"]}
            for s in service_log.list_services(station, person_id)]),
    ]


def person_summary(station: Station, person_id: str, *, full_numbers: bool = False) -> dict:
    """A person's 服务记录 summary: basic information and titled sections."""
    person = get_person(station, person_id)
    return {"station_name": station_header(station)["name"],
            "person": _basic_info(person, full_numbers),
            "sections": _sections(station, person_id)}


ROSTER_COLUMNS = [("name", "姓名"), ("sex_label", "性别"), ("age", "年龄"),
                  ("id_number", "公民身份号码"), ("phone", "手机号"),
                  ("hukou_village", "户籍村"), ("work_type", "工种"), ("remarks", "备注")]


def export_roster(station: Station, batch_id: str, *, full_numbers: bool = False) -> dict:
    """The printed roster of a 劳务输出 batch: its particulars and its people."""
    batch = labour_export.get_batch(station, batch_id)
    people = labour_export.members(station, batch_id)
    for person in people:
        person["id_number"], person["phone"] = _numbers(person, full_numbers)
    fields = glossary.EXPORT_BATCH_FIELDS
    particulars = [
        (fields["number"], batch["number"]), (fields["employer_name"], batch["employer_name"]),
        (fields["destination"], batch["destination"]),
        (fields["place_type"], batch["place_label"]),
        (fields["depart_date"], date.fromisoformat(batch["depart_date"])),
        (fields["transport"], batch["transport"]),
        (fields["leader"], batch["leader"]),
        (fields["leader_phone"], batch["leader_phone"]),
        ("人数", f"{len(people)} 人"),
        (fields["departed_on"], batch["departed_on"] or "未出发"),
        (fields["remarks"], batch["remarks"]),
    ]
    return {"station_name": station_header(station)["name"], "number": batch["number"],
            "particulars": particulars, "columns": ROSTER_COLUMNS, "rows": people}
