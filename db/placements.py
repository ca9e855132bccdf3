"""上岗 placements on welfare posts: eligibility, term, 站长 approval, exit and insurance.

Only people of the eligible groups are placed, with no conditions beyond the county's
parameters (db.policy ``eligibility.*``); every refusal says why in Chinese. A placement
is in post from ``start_date`` through the earlier of ``end_date`` (聘期结束) and
``exit_date`` (退岗日期, the last day in post).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import glossary, people, policy, settings
from .clock import now_iso, today
from .errors import NotFoundError, PermissionDenied, ValidationError
from .holidays import Month
from .records import insert_record, next_sequence, update_record
from .station import Station
from .validation.dates import age_on, parse_date
from .validation.masking import mask_id_number
from .welfare_posts import get_post

FOREVER = "9999-12-31"
LAST_DAY_SQL = ("min(coalesce(pl.end_date, '9999-12-31'), "
                "coalesce(pl.exit_date, '9999-12-31'))")
DAYS_PER_MONTH = 365.25 / 12


class NotEligibleError(ValidationError):
    """A placement the rules refuse; ``reasons`` lists every failed rule in Chinese."""

    def __init__(self, reasons: list[str]):
        if len(reasons) == 1:
            message = reasons[0]
        else:
            message = "不能安置上岗：" + "；".join(r.rstrip("。") for r in reasons) + "。"
        super().__init__(message, field="placement")
        self.reasons = reasons


@dataclass(frozen=True)
class PlacementWarning:
    """Something the clerk should look at for one placement (a month check)."""

    placement_id: str
    name: str
    kind: str  # eligibility | age | term | household | insurance | income
    text: str


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on (the 31st becomes the month's end)."""
    month = Month(day.year, day.month)
    for _ in range(months):
        month = month.next()
    return date(month.year, month.month, min(day.day, month.length))


def last_day(placement: dict) -> date | None:
    """The last day in post, or None while open-ended."""
    ends = [placement.get("end_date"), placement.get("exit_date")]
    known = [d for d in ends if d]
    return date.fromisoformat(min(known)) if known else None

# -------------------------------------------------------------- eligibility


def _overlapping(station: Station, where: str, params: list, start: date, end: date | None,
                 exclude: str | None) -> list[dict]:
    """Live placements matching ``where`` whose time in post overlaps start..end."""
    sql = (f"SELECT pl.*, p.name AS person_name, wp.name AS post_name, wp.village "
           f"FROM placement pl JOIN person p ON p.id = pl.person_id "
           f"JOIN welfare_post wp ON wp.id = pl.post_id "
           f"WHERE pl.deleted_at IS NULL AND {where} AND pl.start_date <= ? "
           f"AND {LAST_DAY_SQL} >= ? AND pl.id IS NOT ?")
    return station.query(sql, [*params, (end.isoformat() if end else FOREVER),
                               start.isoformat(), exclude])


def _older_ages(station: Station) -> dict[str, int]:
    return {sex: people.older_age(station, sex) for sex in glossary.SEX}


def _group_problem(person: dict, on: date, groups: list[str], older: dict[str, int]
                   ) -> str | None:
    held = [g for g in glossary.GROUP_FLAGS if person[g]]
    if age_on(date.fromisoformat(person["birth_date"]), on) >= older[person["sex"]]:
        held.append("older")
    if set(held) & set(groups):
        return None
    names = "、".join({**glossary.GROUP_FLAGS, "older": "大龄"}[g] for g in groups)
    return f"{person['name']}不属于公益性岗位安置对象（{names}），不能安置上岗。"


def _age_problem(person: dict, on: date, rules: dict) -> str | None:
    age = age_on(date.fromisoformat(person["birth_date"]), on)
    if age < rules["eligibility.min_age"]:
        return f"{person['name']}上岗时未满 {rules['eligibility.min_age']} 周岁。"
    key = "eligibility.max_age_male" if person["sex"] == "M" else "eligibility.max_age_female"
    limit = rules[key]
    if limit and age > limit:
        sex = glossary.SEX[person["sex"]]
        return (f"{person['name']}上岗时 {age} 周岁，超过本县规定的{sex}性上岗年龄上限 "
                f"{limit} 周岁。")
    return None


def _term_problems(station: Station, person: dict, start: date, end: date | None,
                   rules: dict, exclude: str | None) -> list[str]:
    problems = []
    term = rules["eligibility.max_term_months"]
    if term and end is None:
        problems.append(f"本县规定单次聘期不超过 {term} 个月，请填写聘期结束日期。")
    elif term and end >= add_months(start, term):
        latest = add_months(start, term) - timedelta(days=1)
        problems.append(f"聘期不能超过 {term} 个月，结束日期最晚为 {latest.isoformat()}。")
    total = rules["eligibility.max_total_months"]
    if total and end is not None:
        earlier = station.query(
            "SELECT pl.start_date, pl.end_date, pl.exit_date FROM placement pl "
            "WHERE pl.person_id = ? AND pl.deleted_at IS NULL AND pl.id IS NOT ?",
            [person["id"], exclude])
        days = (end - start).days + 1 + sum(
            ((last_day(r) or today()) - date.fromisoformat(r["start_date"])).days + 1
            for r in earlier)
        if days > total * DAYS_PER_MONTH:
            problems.append(f"{person['name']}累计在岗将达 {days / DAYS_PER_MONTH:.1f} 个月，"
                            f"超过本县规定的 {total} 个月。")
    return problems


def _capacity_problem(station: Station, post: dict, start: date, end: date | None,
                      exclude: str | None) -> str | None:
    others = _overlapping(station, "pl.post_id = ?", [post["id"]], start, end, exclude)
    points = [start] + [date.fromisoformat(o["start_date"]) for o in others
                        if o["start_date"] > start.isoformat()]
    for point in points:
        busy = sum(1 for o in others if o["start_date"] <= point.isoformat()
                   and (last_day(o) is None or last_day(o) >= point))
        if busy >= post["capacity"]:
            return f"“{post['name']}”岗位定员 {post['capacity']} 人，{point.isoformat()} 时已满员。"
    return None


def eligibility_problems(station: Station, person_id: str, post_id: str, start, end=None,
                         *, exclude: str | None = None) -> list[str]:
    """Every reason (in Chinese) why this person may not take this post for start..end.

    An empty list means the placement is allowed. ``exclude`` names a placement being
    edited, so it does not count against itself.
    """
    person = people.get_person(station, person_id)
    post = get_post(station, post_id)
    start = parse_date(start)
    end = parse_date(end) if end not in (None, "") else None
    if end is not None and end < start:
        return ["聘期结束日期不能早于上岗日期。"]
    rules = policy.values_on(station, start)
    problems = []
    if post["closed_on"] and post["closed_on"] <= start.isoformat():
        problems.append(f"“{post['name']}”岗位已于 {post['closed_on']} 撤销。")
    for problem in (_group_problem(person, start, rules["eligibility.groups"],
                                   _older_ages(station)),
                    _age_problem(person, start, rules)):
        if problem:
            problems.append(problem)
    for other in _overlapping(station, "pl.person_id = ?", [person_id], start, end, exclude):
        problems.append(f"{person['name']}已在{other['village']}“{other['post_name']}”岗位"
                        f"（{other['start_date']} 起）上岗，一人只能安置一个公益性岗位。")
    problems += _household_problems(station, person, start, end, rules, exclude)
    problems += _term_problems(station, person, start, end, rules, exclude)
    capacity = _capacity_problem(station, post, start, end, exclude)
    if capacity:
        problems.append(capacity)
    return problems


def _household_problems(station: Station, person: dict, start: date, end: date | None,
                        rules: dict, exclude: str | None) -> list[str]:
    if not rules["eligibility.one_per_household"]:
        return []
    if not person["household_no"]:
        return [f"本县实行一户一岗，请先填写{person['name']}的户编号。"]
    others = _overlapping(station, "p.household_no = ? AND pl.person_id <> ?",
                          [person["household_no"], person["id"]], start, end, exclude)
    return [f"{person['name']}的同户成员{o['person_name']}已在“{o['post_name']}”岗位上岗，"
            f"本县实行一户一岗。" for o in others]

# ------------------------------------------------------------------ writes


def _notice_number(station: Station, year: int) -> str:
    seq = next_sequence(station, f"welfare_notice.{year}")
    return f"{settings.get(station, 'station.code')}SG{year}{seq:04d}"


def _is_head(station: Station) -> bool:
    return bool(station.account and station.account.is_head)


def place_person(station: Station, person_id: str, post_id: str, start, end=None) -> str:
    """上岗: place the person on the post from ``start`` (to ``end``); returns the key.

    Raises NotEligibleError listing every failed rule. Placed by the 站长 it is approved
    at once; placed by a clerk it waits for the 站长's :func:`approve_placement`.
    """
    problems = eligibility_problems(station, person_id, post_id, start, end)
    if problems:
        raise NotEligibleError(problems)
    start = parse_date(start)
    row = {"person_id": person_id, "post_id": post_id, "start_date": start.isoformat(),
           "end_date": parse_date(end).isoformat() if end not in (None, "") else None}
    _refuse_locked(station, start, last_day(row) or date.max)
    if _is_head(station):
        row.update(approved_at=now_iso(), approved_by=station.actor)
    with station.atomic():
        row["notice_no"] = _notice_number(station, start.year)
        return insert_record(station, "placement", row)


def approve_placement(station: Station, placement_id: str) -> None:
    """The 站长 approves a clerk's placement (审批上岗)."""
    if not _is_head(station):
        raise PermissionDenied("只有站长可以审批公益性岗位上岗。")
    placement = get_placement(station, placement_id)
    if not placement["approved_at"]:
        update_record(station, "placement", placement_id,
                      {"approved_at": now_iso(), "approved_by": station.actor})


def change_term(station: Station, placement_id: str, start, end=None) -> None:
    """Change the start and end (续聘: a later end) of a placement, re-checking every rule."""
    placement = get_placement(station, placement_id)
    new = {"start_date": parse_date(start).isoformat(),
           "end_date": parse_date(end).isoformat() if end not in (None, "") else None}
    old_first, new_first = date.fromisoformat(placement["start_date"]), parse_date(start)
    if old_first != new_first:
        _refuse_locked(station, min(old_first, new_first),
                       max(old_first, new_first) - timedelta(days=1))
    old_last, new_last = last_day(placement), last_day({**placement, **new})
    if old_last != new_last:
        ends = sorted([old_last or date.max, new_last or date.max])
        _refuse_locked(station, ends[0] + timedelta(days=1), ends[1])
    problems = eligibility_problems(station, placement["person_id"], placement["post_id"],
                                    start, end, exclude=placement_id)
    if problems:
        raise NotEligibleError(problems)
    update_record(station, "placement", placement_id, new)


def exit_placement(station: Station, placement_id: str, exit_date, reason: str,
                   note: str = "") -> None:
    """退岗: ``exit_date`` is the last day in post; ``reason`` a code of EXIT_REASONS."""
    placement = get_placement(station, placement_id)
    if reason not in glossary.EXIT_REASONS:
        raise ValidationError("请选择退岗原因。", field="exit_reason")
    if reason == "other" and not note.strip():
        raise ValidationError("退岗原因为“其他”时请填写说明。", field="exit_note")
    day = parse_date(exit_date)
    if day.isoformat() < placement["start_date"]:
        raise ValidationError("退岗日期不能早于上岗日期。", field="exit_date")
    old_last = last_day(placement)
    if old_last is None or old_last > day:
        _refuse_locked(station, day + timedelta(days=1), old_last or date.max)
    update_record(station, "placement", placement_id, {
        "exit_date": day.isoformat(), "exit_reason": reason, "exit_note": note.strip()})


def _refuse_locked(station: Station, first: date, last: date) -> None:
    """Refuse a change to the days first..last if an approved month holds any of them."""
    from . import attendance  # attendance builds on placements

    for month in attendance.approved_months(station):
        if month.first <= last and month.last >= first:
            raise ValidationError(f"{month.label}的考勤已审核锁定，此项变更会影响该月，"
                                  "请先由站长重新打开该月。")

# ------------------------------------------------------------------- reads


PLACEMENT_SQL = """
SELECT pl.*, p.name, p.id_number, p.sex, p.birth_date, p.household_no, p.hukou_village,
       p.poverty_alleviated, p.monitored, p.low_income, p.rural_disabled,
       wp.name AS post_name, wp.category, wp.village, wp.schedule, wp.pay_basis,
       wp.daily_hours, wp.monthly_hours, wp.subsidy_standard, wp.duties
FROM placement pl JOIN person p ON p.id = pl.person_id JOIN welfare_post wp ON wp.id = pl.post_id
WHERE pl.deleted_at IS NULL
"""


def get_placement(station: Station, placement_id: str) -> dict:
    """A live placement with its person's and post's columns."""
    rows = station.query(PLACEMENT_SQL + " AND pl.id = ?", [placement_id])
    if not rows:
        raise NotFoundError("找不到这条上岗记录，可能已被删除。")
    return rows[0]


def list_placements(station: Station, *, month: Month | None = None, village: str | None = None,
                    person_id: str | None = None, current_only: bool = False) -> list[dict]:
    """Placements (with person and post columns) by village, post and name.

    ``month`` keeps those in post on some day of that month; ``current_only`` those not
    yet exited.
    """
    sql, params = PLACEMENT_SQL, []
    if month is not None:
        sql += f" AND pl.start_date <= ? AND {LAST_DAY_SQL} >= ?"
        params += [month.last.isoformat(), month.first.isoformat()]
    if village:
        sql += " AND wp.village = ?"
        params.append(village)
    if person_id:
        sql += " AND pl.person_id = ?"
        params.append(person_id)
    if current_only:
        sql += " AND pl.exit_date IS NULL"
    return station.query(sql + " ORDER BY wp.village, wp.name, p.search_pinyin, pl.id", params)

# --------------------------------------------------------------- insurance


def add_insurance(station: Station, placement_id: str, insurer: str, policy_no: str,
                  start, end) -> str:
    """Record the 意外伤害商业保险 bought for the placement."""
    get_placement(station, placement_id)
    insurer, policy_no = insurer.strip(), policy_no.strip()
    if not insurer:
        raise ValidationError("请填写承保保险公司。", field="insurer")
    if not policy_no:
        raise ValidationError("请填写保单号。", field="policy_no")
    first, last = parse_date(start), parse_date(end)
    if last < first:
        raise ValidationError("保险止期不能早于起期。", field="end_date")
    return insert_record(station, "insurance_policy", {
        "placement_id": placement_id, "insurer": insurer, "policy_no": policy_no,
        "start_date": first.isoformat(), "end_date": last.isoformat()})


def insurance_of(station: Station, placement_id: str) -> list[dict]:
    """The placement's insurance policies, latest period first."""
    return station.query("SELECT * FROM insurance_policy WHERE placement_id = ? AND "
                         "deleted_at IS NULL ORDER BY end_date DESC", [placement_id])


def _insurance_text(policies: list[dict], on: date, warn_days: int) -> str | None:
    covering = [p for p in policies if p["start_date"] <= on.isoformat() <= p["end_date"]]
    if not covering:
        return "没有有效的意外伤害保险，请尽快投保。"
    end = max(date.fromisoformat(p["end_date"]) for p in covering)
    later = [p for p in policies if p["start_date"] > end.isoformat()]
    left = (end - on).days
    if left <= warn_days and not later:
        return f"意外伤害保险将于 {end.isoformat()} 到期（还有 {left} 天），请及时续保。"
    return None


def insurance_warnings(station: Station, on: date | None = None) -> list[PlacementWarning]:
    """People in post on ``on`` (default today) whose insurance is missing or expiring."""
    on = on or today()
    warn_days = settings.get(station, "welfare.insurance_warn_days")
    placements = [p for p in list_placements(station, month=Month.parse(on))
                  if p["start_date"] <= on.isoformat() and (last_day(p) or on) >= on]
    policies: dict[str, list[dict]] = {}
    for row in station.query("SELECT * FROM insurance_policy WHERE deleted_at IS NULL"):
        policies.setdefault(row["placement_id"], []).append(row)
    out = []
    for p in placements:
        text = _insurance_text(policies.get(p["id"], []), on, warn_days)
        if text:
            out.append(PlacementWarning(p["id"], p["name"], "insurance", text))
    return out

# ------------------------------------------------------------ month checks


def monthly_checks(station: Station, month: Month, on: date | None = None
                   ) -> list[PlacementWarning]:
    """The checks of every month for the people in post in ``month``.

    Group membership, age limits, one post per household and term are checked again,
    the insurance as of ``on`` (default: the month's last day, or today if earlier) and
    the flexible income against the 防止返贫监测 line. Warnings only: the clerk decides.
    """
    from . import flexible_income  # builds on placements

    on = on or min(month.last, today())
    rules = policy.values_on(station, month.first)
    older = _older_ages(station)
    in_post = list_placements(station, month=month)
    out = []
    for p in in_post:
        checks = [("eligibility", _group_problem(p, month.first, rules["eligibility.groups"],
                                                 older)),
                  ("age", _age_problem(p, month.first, rules))]
        if p["end_date"] and not p["exit_date"] and p["end_date"] < on.isoformat():
            checks.append(("term", f"聘期已于 {p['end_date']} 届满，请办理退岗或续聘。"))
        out += [PlacementWarning(p["id"], p["name"], kind, _as_check(text))
                for kind, text in checks if text]
    if rules["eligibility.one_per_household"]:
        out += _household_warnings(in_post)
    out += insurance_warnings(station, on)
    out += [PlacementWarning(c.placement_id, c.name, "income", c.explanation)
            for c in flexible_income.exit_worklist(station, month)]
    return out


def _household_warnings(in_post: list[dict]) -> list[PlacementWarning]:
    """People of one household both in post in the month (一户一岗)."""
    households: dict[str, list[dict]] = {}
    for p in in_post:
        if p["household_no"]:
            households.setdefault(p["household_no"], []).append(p)
    out = []
    for members in households.values():
        for p in members:
            others = [o for o in members if o["person_id"] != p["person_id"]]
            out += [PlacementWarning(p["id"], p["name"], "household",
                                     f"{p['name']}的同户成员{o['name']}也在“{o['post_name']}”"
                                     "岗位上岗，本县实行一户一岗，请核实。") for o in others]
    return out


def _as_check(text: str) -> str:
    """Turn a refusal sentence into a monthly reminder."""
    return text.replace("，不能安置上岗。", "，请核实是否应退岗。")

# ------------------------------------------------------------ printed notice


def _subsidy_text(station: Station, p: dict) -> str:
    if p["subsidy_standard"] is not None:
        return f"岗位月补贴标准 {policy.format_money(p['subsidy_standard'])} 元，按考勤和考核结果发放"
    values = policy.values_on(station, max(today(), date.fromisoformat(p["start_date"])))
    wage = policy.format_money(values["hourly_min_wage"])
    if p["pay_basis"] == "hourly":
        return f"按小时最低工资标准（现行 {wage} 元/小时）× 实际工时计发"
    hours = p["monthly_hours"] or values[f"standard_hours.{p['schedule']}"]
    return (f"按小时最低工资标准（现行 {wage} 元/小时）× 月工时 {hours} 小时计发，"
            "按考勤和考核结果核定")


def notice_data(station: Station, placement_id: str, *, full_numbers: bool = False) -> dict:
    """Plain data of the 上岗通知书 of a placement, display-ready for printing."""
    p = get_placement(station, placement_id)
    if not p["approved_at"]:
        raise ValidationError(f"{p['name']}的上岗尚未经站长审批，不能打印上岗通知书。")
    policies = insurance_of(station, placement_id)
    insurance = "；".join(f"{i['insurer']}，保单号 {i['policy_no']}，{i['start_date']} 至 "
                         f"{i['end_date']}" for i in policies) or "尚未投保（请尽快办理）"
    return {
        "notice_no": p["notice_no"], "name": p["name"], "sex": glossary.SEX[p["sex"]],
        "id_number": p["id_number"] if full_numbers else mask_id_number(p["id_number"]),
        "village": p["village"], "post": p["post_name"],
        "category": glossary.POST_CATEGORIES[p["category"]],
        "schedule": glossary.POST_SCHEDULES[p["schedule"]],
        "hours": f"每日 {p['daily_hours']} 小时", "duties": p["duties"] or "按村安排",
        "subsidy": _subsidy_text(station, p),
        "start_date": date.fromisoformat(p["start_date"]),
        "end_date": date.fromisoformat(p["end_date"]) if p["end_date"] else None,
        "insurance": insurance,
    }
