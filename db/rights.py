"""维权咨询 (§四(三)): unpaid wages and other labour-rights complaints.

A case names one or more people — registered people by key, or by name alone for people
the station has not registered — the employer (linked to a registered 用人单位 when one
is named: an unpaid-wage case then sets its 欠薪记录 flag through db.employers), the
amount, the period, how many people are concerned and the evidence they hold. Its status
moves 受理 → 转劳动监察 → 已解决 / 已撤回 (a case may also be resolved or withdrawn straight
from 受理); every move is dated, and a closed case moves no more.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from . import employers, glossary, service_log, settings
from .clock import today
from .errors import NotFoundError, ValidationError
from .holidays import Month
from .people import get_person
from .policy import format_money, parse_money
from .records import insert_record, next_sequence, soft_delete, update_record
from .station import Station
from .validation.dates import parse_date
from .validation.phone import normalize_phone

STATUSES = tuple(glossary.RIGHTS_STATUSES)
OPEN_STATUSES = ("accepted", "referred")
CLOSED_STATUSES = ("resolved", "withdrawn")
# Allowed moves: 受理 → 转劳动监察 / 已解决 / 已撤回; 转劳动监察 → 已解决 / 已撤回.
TRANSITIONS = {"accepted": ("referred", "resolved", "withdrawn"),
               "referred": ("resolved", "withdrawn")}
MAX_TEXT = 500


def _text(raw, limit: int = MAX_TEXT) -> str:
    return " ".join(str(raw or "").split())[:limit]


def _day(raw, field: str, label: str):
    day = parse_date(raw or today())
    if day > today():
        raise ValidationError(f"{label}不能晚于今天。", field=field)
    return day


def _evidence(raw: Iterable[str] | str | None) -> str:
    """Evidence held, as codes or Chinese labels → stored codes in the glossary's order."""
    items = raw.replace("，", ",").replace("、", ",").split(",") if isinstance(raw, str) else raw
    by_label = {label: code for code, label in glossary.RIGHTS_EVIDENCE.items()}
    codes = set()
    for item in items or []:
        item = item.strip()
        if not item:
            continue
        code = item if item in glossary.RIGHTS_EVIDENCE else by_label.get(item)
        if not code:
            raise ValidationError(f"证据类型“{item}”不正确，应为工资花名册、考勤表、结算单或欠条。",
                                  field="evidence")
        codes.add(code)
    return ",".join(code for code in glossary.RIGHTS_EVIDENCE if code in codes)


def _period(fields: Mapping, received) -> tuple[str | None, str | None]:
    first = Month.parse(fields["period_from"]) if fields.get("period_from") else None
    last = Month.parse(fields["period_to"]) if fields.get("period_to") else None
    if first and last and last < first:
        raise ValidationError("欠薪期间的起始月份不能晚于结束月份。", field="period_from")
    if (last or first) and (last or first) > Month.parse(received):
        raise ValidationError("欠薪期间不能晚于受理月份。", field="period_to")
    return (str(first) if first else None, str(last) if last else None)


def _parties(station: Station, raw: Iterable[Mapping]) -> list[dict]:
    """Registered people by ``person_id``; others by ``name`` (and ``phone``)."""
    parties, seen = [], set()
    for party in raw or []:
        if party.get("person_id"):
            person = get_person(station, party["person_id"])
            if person["id"] in seen:
                continue
            seen.add(person["id"])
            parties.append({"person_id": person["id"], "name": person["name"],
                            "phone": person["phone"]})
        elif _text(party.get("name"), 30):
            parties.append({"person_id": None, "name": _text(party["name"], 30),
                            "phone": normalize_phone(str(party.get("phone") or ""))})
    if not parties:
        raise ValidationError("请至少填写一名当事人。", field="parties")
    return parties


def _people_count(raw, parties: list[dict]) -> int:
    if raw in (None, ""):
        return len(parties)
    try:
        count = int(str(raw).strip())
    except ValueError:
        raise ValidationError("涉及人数应填写整数。", field="people_count") from None
    if count < len(parties):
        raise ValidationError(f"涉及人数不能少于填写的当事人人数（{len(parties)} 人）。",
                              field="people_count")
    return count


def link_employer(station: Station, employer_id: str | None, name: str) -> tuple[str | None, str]:
    """The registered employer named by key, or by exactly this name; else (None, name)."""
    if employer_id:
        employer = employers.get_employer(station, employer_id)
        return employer["id"], employer["name"]
    found = employers.find_employer(station, name=name) if name else None
    return (found["id"], found["name"]) if found else (None, name)


def mark_wage_arrears(station: Station, employer_id: str | None) -> None:
    """Set the employer's 欠薪记录 flag (via its service, so it is audited like any edit)."""
    if employer_id:
        employers.update_employer(station, employer_id, {"wage_arrears": 1})


def clean_case(station: Station, fields: Mapping) -> dict:
    """Validate what the clerk typed for a case; returns the columns (without parties)."""
    kind = fields.get("kind") or ""
    if kind not in glossary.RIGHTS_KINDS:
        raise ValidationError("请选择咨询类型。", field="kind")
    received = _day(fields.get("received_on"), "received_on", "受理日期")
    employer_id, employer_name = link_employer(station, fields.get("employer_id"),
                                               _text(fields.get("employer_name"), 60))
    if kind == "unpaid_wages" and not employer_name:
        raise ValidationError("拖欠工资的咨询请填写用人单位（或包工头）名称。", field="employer_name")
    amount = fields.get("amount")
    period_from, period_to = _period(fields, received)
    return {
        "kind": kind, "received_on": received.isoformat(), "employer_id": employer_id,
        "employer_name": employer_name,
        "amount": parse_money(amount, "amount", "涉及金额") if amount not in (None, "") else None,
        "period_from": period_from, "period_to": period_to,
        "evidence": _evidence(fields.get("evidence")),
        "description": _text(fields.get("description")),
    }


def create_case(station: Station, fields: Mapping) -> dict:
    """Register a consultation (受理); returns ``{"id", "number"}``.

    ``fields``: kind, received_on, employer_name / employer_id, amount (元), period_from /
    period_to (months), people_count (default: the number of parties), evidence (codes or
    labels), description, and ``parties``: ``[{"person_id": …}]`` or ``[{"name", "phone"}]``.
    Each registered party gets a 维权咨询 line in their service log.
    """
    row = clean_case(station, fields)
    parties = _parties(station, fields.get("parties") or [])
    row.update(people_count=_people_count(fields.get("people_count"), parties),
               status="accepted", clerk=_clerk(station))
    year = row["received_on"][:4]
    with station.atomic():
        code = settings.get(station, "station.code")
        row["number"] = f"{code}-WQ{year}-{next_sequence(station, f'rights.{year}'):04d}"
        case_id = insert_record(station, "rights_case", row)
        for party in parties:
            insert_record(station, "rights_party", {"case_id": case_id, **party})
            if party["person_id"]:
                service_log.log_service(
                    station, party["person_id"], "rights",
                    f"维权咨询（{glossary.RIGHTS_KINDS[row['kind']]}）："
                    f"{row['employer_name'] or '未填写单位'}，受理编号 {row['number']}。",
                    row["received_on"])
        if row["kind"] == "unpaid_wages":
            mark_wage_arrears(station, row["employer_id"])
    return {"id": case_id, "number": row["number"]}


def _clerk(station: Station) -> str:
    return station.account.display_name if station.account else station.actor


def _refusal(current: str, target: str) -> str:
    """Why a case may not move from ``current`` to ``target``, in one sentence."""
    label = glossary.RIGHTS_STATUSES
    if current in CLOSED_STATUSES:
        return f"此咨询{label[current]}，不能再改为“{label[target]}”。"
    if current == target:
        return f"此咨询已是“{label[current]}”状态，无需重复办理。"
    return f"此咨询已{label[current]}，不能退回“{label[target]}”状态。"


def move_case(station: Station, case_id: str, status: str, on=None, *, result: str = "",
              recovered=None) -> dict:
    """Move the case to ``status`` on ``on`` (default today); returns the changed columns.

    Allowed: 受理 → 转劳动监察 / 已解决 / 已撤回, 转劳动监察 → 已解决 / 已撤回. Closing needs
    ``result`` (what was obtained, or why it was withdrawn); ``recovered`` (元) is the money
    obtained for the workers, for a resolved case.
    """
    if status not in glossary.RIGHTS_STATUSES:
        raise ValidationError("请选择办理状态。", field="status")
    case = get_case(station, case_id)
    if status not in TRANSITIONS.get(case["status"], ()):
        raise ValidationError(_refusal(case["status"], status), field="status")
    day = _day(on, "status_date", "办理日期")
    earliest = case["referred_on"] or case["received_on"]
    if day.isoformat() < earliest:
        which = "转劳动监察" if case["referred_on"] else "受理"
        raise ValidationError(f"办理日期不能早于{which}日期（{earliest}）。", field="status_date")
    changes: dict = {"status": status}
    if status == "referred":
        changes["referred_on"] = day.isoformat()
    else:
        result = _text(result)
        if not result:
            raise ValidationError("请填写办理结果或撤回原因。", field="result")
        changes.update(closed_on=day.isoformat(), result=result)
        if recovered not in (None, ""):
            if status != "resolved":
                raise ValidationError("只有已解决的咨询才能填写追回金额。", field="recovered")
            changes["recovered"] = parse_money(recovered, "recovered", "追回金额")
    update_record(station, "rights_case", case_id, changes)
    return changes


def _decorate(case: dict, parties: list[dict]) -> dict:
    period = "至".join(filter(None, [case["period_from"], case["period_to"]]))
    return {
        **case, "parties": parties,
        "parties_text": "、".join(p["name"] for p in parties),
        "kind_label": glossary.RIGHTS_KINDS[case["kind"]],
        "status_label": glossary.RIGHTS_STATUSES[case["status"]],
        "evidence_labels": [glossary.RIGHTS_EVIDENCE[c] for c in case["evidence"].split(",") if c],
        "amount_text": format_money(case["amount"]) if case["amount"] is not None else "",
        "recovered_text": format_money(case["recovered"]) if case["recovered"] is not None else "",
        "period": period,
    }


def _parties_of(station: Station, case_ids: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return found
    marks = ",".join("?" * len(case_ids))
    for row in station.query(f"SELECT * FROM rights_party WHERE deleted_at IS NULL AND case_id "
                             f"IN ({marks}) ORDER BY rowid", case_ids):
        found[row["case_id"]].append(row)
    return found


def get_case(station: Station, case_id: str) -> dict:
    """A live case with its parties and labels."""
    rows = station.query("SELECT * FROM rights_case WHERE id = ? AND deleted_at IS NULL",
                         [case_id])
    if not rows:
        raise NotFoundError("找不到这条维权咨询记录，可能已被删除。")
    return _decorate(rows[0], _parties_of(station, [case_id])[case_id])


def get_by_number(station: Station, number: str) -> dict:
    """The case with this 受理编号."""
    case_id = station.scalar("SELECT id FROM rights_case WHERE number = ? AND deleted_at IS NULL",
                             [number.strip().upper()])
    if not case_id:
        raise NotFoundError(f"没有受理编号 {number.strip()}。")
    return get_case(station, case_id)


def list_cases(station: Station, *, status: str = "", person_id: str = "", since=None,
               until=None) -> list[dict]:
    """Cases, newest first, narrowed by status (``open`` for 受理 and 转劳动监察), person
    and 受理 date range."""
    clauses, params = ["c.deleted_at IS NULL"], []
    if status == "open":
        clauses.append("c.status IN ('accepted', 'referred')")
    elif status:
        clauses.append("c.status = ?")
        params.append(status)
    if person_id:
        clauses.append("EXISTS (SELECT 1 FROM rights_party r WHERE r.case_id = c.id AND "
                       "r.person_id = ? AND r.deleted_at IS NULL)")
        params.append(person_id)
    for op, value in ((">=", since), ("<=", until)):
        if value not in (None, ""):
            clauses.append(f"c.received_on {op} ?")
            params.append(parse_date(value).isoformat())
    rows = station.query(f"SELECT * FROM rights_case c WHERE {' AND '.join(clauses)} "
                         "ORDER BY c.received_on DESC, c.number DESC", params)
    parties = _parties_of(station, [r["id"] for r in rows])
    return [_decorate(r, parties[r["id"]]) for r in rows]


def update_case(station: Station, case_id: str, fields: Mapping) -> dict:
    """Correct a case's details (not its status or parties); returns the changed columns."""
    case = get_case(station, case_id)
    editable = ("kind", "received_on", "employer_id", "employer_name", "amount", "period_from",
                "period_to", "evidence", "description")
    merged = {key: case[key] for key in editable}
    merged["amount"] = None if case["amount"] is None else str(Decimal(case["amount"]) / 100)
    merged.update({k: v for k, v in fields.items() if k in editable})
    if "employer_name" in fields and "employer_id" not in fields:
        merged["employer_id"] = None  # a new name: link again by name
    row = clean_case(station, merged)
    if "people_count" in fields:
        row["people_count"] = _people_count(fields["people_count"], case["parties"])
    changed = {k: v for k, v in row.items() if case.get(k) != v}
    if changed:
        with station.atomic():
            update_record(station, "rights_case", case_id, changed)
            if row["kind"] == "unpaid_wages" and "employer_id" in changed:
                mark_wage_arrears(station, row["employer_id"])
    return changed


def delete_case(station: Station, case_id: str) -> None:
    """Withdraw a case entered by mistake (its number is never reused)."""
    get_case(station, case_id)
    soft_delete(station, "rights_case", case_id)
