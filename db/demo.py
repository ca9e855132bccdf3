"""Realistic generated people for the demo station and for benchmarks."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from . import glossary, pinyin, villages
from .clock import now_iso, today
from .demo_names import GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, SURNAME_WEIGHTS
from .ids import uuid7
from .station import Station
from .validation.idcard import make_id_number

# Counties of Jinan and nearby (issuing codes of ID numbers).
REGION_CODES = ["370124", "370102", "370103", "370112", "370126", "370181", "371002",
                "370724", "371523", "371102"]
DEMO_VILLAGES = ["东关村", "西关村", "南街村", "北街村", "李家庄村", "王家庄村", "孙官庄村",
                 "刘集村", "张营村", "洪范池村", "书院村", "东阿村"]
STATUS_WEIGHTS = {"local": 30, "in_province": 18, "out_province": 15, "flexible": 10,
                  "self_employed": 4, "unemployed": 8, "willing": 9, "no_intention": 6}
SKILLS = ["建筑瓦工", "电焊工", "保洁", "家政服务", "育婴员", "厨师", "叉车司机", "普工",
          "电工", "种植", "养殖", "缝纫工", "快递分拣", "保安", "养老护理员", ""]
PLACES = ["济南市", "青岛市", "北京市", "天津市", "上海市", "苏州市", "平阴县城", "聊城市"]
EMPLOYERS = ["平阴县玫瑰食品有限公司", "济南宏达建筑工程有限公司", "青岛海成电子有限公司",
             "苏州精工机械有限公司", "东阿阿胶物流中心", "平阴县家政服务中心"]


def seed_people(station: Station, count: int, *, seed: int = 2026,
                progress: Callable[[int, int], None] | None = None) -> int:
    """Add ``count`` generated people (valid IDs, statuses, intentions) in one transaction."""
    rng = random.Random(seed)
    names_of = NameMaker(seed)
    names = villages.list_villages(station)
    if not names:
        for name in DEMO_VILLAGES:
            villages.add_village(station, name)
        names = list(DEMO_VILLAGES)
    taken = {r[0] for r in station.conn.execute("SELECT id_number FROM person")}
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    on = today()
    with station.atomic() as db:
        batch_people, batch_status = [], []
        for i in range(count):
            person = _person(rng, names_of, names, taken, on)
            status = rng.choices(statuses, weights)[0]
            batch_people.append(person)
            batch_status.append(_status(rng, person["id"], status, on))
            if len(batch_people) == 2000 or i == count - 1:
                db["person"].insert_all(batch_people)
                db["employment_status"].insert_all(batch_status)
                batch_people, batch_status = [], []
                if progress:
                    progress(i + 1, count)
    return count


class NameMaker:
    """Chinese names drawn by surname frequency, from its own seeded generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.surnames, self.weights = zip(*SURNAME_WEIGHTS.items(), strict=True)

    def name(self, sex: str) -> str:
        given = GIVEN_NAMES_MALE if sex == "M" else GIVEN_NAMES_FEMALE
        return self.rng.choices(self.surnames, self.weights)[0] + self.rng.choice(given)


def _person(rng: random.Random, names_of: NameMaker, village_names: list[str], taken: set, on: date
            ) -> dict:
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    while True:
        number = make_id_number(rng.choice(REGION_CODES), birth, rng.randrange(1, 999))
        if number not in taken:
            taken.add(number)
            break
    sex = "M" if int(number[16]) % 2 else "F"
    name = names_of.name(sex)
    phone = f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}" if rng.random() < 0.9 else ""
    wants_out = rng.random() < 0.25
    now = now_iso()
    return {
        "id": uuid7(), "id_number": number, "name": name, "sex": sex,
        "birth_date": birth.isoformat(), "phone": phone,
        "hukou_village": rng.choice(village_names), "hukou_address": "",
        "residence": "", "education": rng.choice(glossary.EDUCATION[1:]),
        "skills": rng.choice(SKILLS), "health": "健康", "disability": "",
        "poverty_alleviated": int(rng.random() < 0.08), "monitored": int(rng.random() < 0.03),
        "low_income": int(rng.random() < 0.05), "rural_disabled": int(rng.random() < 0.02),
        "household_no": f"H{rng.randrange(10**6, 10**7)}",
        "consent_date": (on - timedelta(days=rng.randrange(0, 700))).isoformat(),
        "wants_out": int(wants_out),
        "out_destination": rng.choice(PLACES) if wants_out else "",
        "out_work_type": rng.choice(SKILLS) if wants_out else "",
        "out_expected_wage": rng.choice([3500, 4000, 5000, 6000, 8000]) if wants_out else None,
        "wants_training": int(rng.random() < 0.15), "training_wish": "",
        "remarks": "", "search_initials": pinyin.initials(name),
        "search_pinyin": pinyin.full_pinyin(name), "id_rev": number[::-1],
        "phone_rev": phone[::-1], "created_at": now, "created_by": "演示数据",
        "updated_at": now, "updated_by": "演示数据",
    }


def _status(rng: random.Random, person_id: str, status: str, on: date) -> dict:
    employed = status in glossary.EMPLOYED_STATUSES
    now = now_iso()
    return {
        "id": uuid7(), "person_id": person_id, "status": status,
        "since_date": (on - timedelta(days=rng.randrange(0, 900))).isoformat(),
        "employer": rng.choice(EMPLOYERS) if employed and status != "flexible" else "",
        "work_place": rng.choice(PLACES) if employed else "",
        "monthly_income": rng.choice([2800, 3500, 4200, 5000, 6500]) if employed else None,
        "remarks": "", "created_at": now, "created_by": "演示数据", "updated_at": now,
        "updated_by": "演示数据",
    }


def seed_stories(station: Station, count: int = 200, *, seed: int = 7) -> int:
    """Give ``count`` people without registrations some registrations, returns and service-log lines, via the services."""
    from . import registrations, returns, service_log

    rng = random.Random(seed)
    ids = [r[0] for r in station.conn.execute(
        "SELECT id FROM person p WHERE deleted_at IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM registration r WHERE r.person_id = p.id) ORDER BY rowid LIMIT ?",
        [count])]
    on = today()
    with station.atomic():
        for person_id in ids:
            when = on - timedelta(days=rng.randrange(1, 400))
            kind = rng.choice(list(glossary.REGISTRATION_KINDS))
            registrations.register(station, person_id, kind, "hukou", when)
            if rng.random() < 0.4:
                returns.add_return(station, person_id, when - timedelta(days=30),
                                   from_place=rng.choice(PLACES), reason="春节返乡")
            service_log.log_service(station, person_id, rng.choice(list(glossary.SERVICE_KINDS)),
                                    "电话联系，了解就业意向并介绍近期岗位。", when)
    return len(ids)


# ---- Employers, jobs, referrals and a labour-export batch (issue #4) ----

DEMO_EMPLOYERS = [
    ("平阴县玫瑰食品有限公司", "食品加工", "平阴县玫瑰镇工业园", {"support_workshop": 1}),
    ("济南宏达建筑工程有限公司", "建筑业", "济南市槐荫区经十西路88号", {}),
    ("青岛海成电子有限公司", "电子制造", "青岛市黄岛区长江西路16号", {}),
    ("苏州精工机械有限公司", "机械制造", "江苏省苏州市工业园区星湖街9号", {}),
    ("东阿阿胶物流中心", "物流", "聊城市东阿县阿胶街1号", {}),
    ("平阴县家政服务中心", "居民服务", "平阴县城青龙路20号", {"village_factory": 1}),
    ("孔村镇乡村就业工厂", "服装加工", "平阴县孔村镇东关村", {"village_factory": 1}),
    ("天津滨海保安服务有限公司", "保安服务", "天津市滨海新区响螺湾", {"wage_arrears": 1}),
]
# (工种, 工作地类型, 工作地, 薪资, 年龄, 零工, 适合大龄, employer index)
DEMO_JOBS = [
    ("普工", "local", "平阴县玫瑰镇", (3200, 4200), (18, 55), 0, 1, 0),
    ("包装工", "local", "平阴县玫瑰镇", (3000, 3800), (18, 60), 0, 1, 0),
    ("建筑瓦工", "province", "济南市槐荫区", (6000, 8000), (20, 58), 0, 1, 1),
    ("电工", "province", "济南市槐荫区", (5500, 7000), (22, 50), 0, 0, 1),
    ("电焊工", "province", "山东省青岛市", (6000, 8500), (20, 50), 0, 0, 2),
    ("快递分拣", "province", "山东省聊城市东阿县", (4000, 5500), (18, 45), 0, 0, 4),
    ("叉车司机", "province", "山东省聊城市东阿县", (5000, 6500), (22, 55), 0, 0, 4),
    ("电焊工", "out_province", "江苏省苏州市", (7000, 9000), (20, 48), 0, 0, 3),
    ("普工", "out_province", "江苏省苏州市", (5000, 6500), (18, 45), 0, 0, 3),
    ("保洁", "county", "平阴县城", (2600, 3200), (30, 65), 1, 1, 5),
    ("养老护理员", "county", "平阴县城", (3500, 4500), (25, 58), 0, 1, 5),
    ("育婴员", "county", "平阴县城", (5000, 7000), (25, 50), 0, 0, 5),
    ("缝纫工", "local", "孔村镇东关村", (2800, 4000), (18, 60), 0, 1, 6),
    ("保安", "out_province", "天津市滨海新区", (4000, 5000), (20, 55), 0, 1, 7),
]


def _credit_code(rng: random.Random) -> str:
    """A valid made-up 统一社会信用代码 of a company (91…)."""
    from .validation.credit_code import ALPHABET, credit_code_check_char

    body = "91" + rng.choice(REGION_CODES) + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + credit_code_check_char(body)


def seed_employers(station: Station, *, seed: int = 11) -> list[str]:
    """The demo employers (existing ones kept), through the service; returns their keys."""
    from . import employers

    rng = random.Random(seed)
    keys = []
    for name, industry, address, flags in DEMO_EMPLOYERS:
        found = employers.find_employer(station, name=name)
        keys.append(found["id"] if found else employers.create_employer(station, {
            "name": name, "credit_code": _credit_code(rng), "industry": industry,
            "address": address, "contact_person": "人事部" + rng.choice("张王李赵刘"),
            "contact_phone": f"0531-8{rng.randrange(1000000, 9999999)}", **flags}))
    return keys


def seed_jobs(station: Station, count: int = len(DEMO_JOBS), *, seed: int = 11) -> list[str]:
    """``count`` open job postings of the demo employers, cycling through the samples."""
    from . import jobs

    rng = random.Random(seed)
    employer_keys = seed_employers(station, seed=seed)
    on = today()
    created = []
    with station.atomic():
        for i in range(count):
            work, place, where, wage, age, gig, older, emp = DEMO_JOBS[i % len(DEMO_JOBS)]
            bump = 0 if i < len(DEMO_JOBS) else rng.randrange(-5, 6) * 100
            created.append(jobs.create_job(station, {
                "employer_id": employer_keys[emp], "work_type": work, "place_type": place,
                "work_place": where, "wage_min": wage[0] + bump, "wage_max": wage[1] + bump,
                "age_min": age[0], "age_max": age[1], "gig": gig, "older_friendly": older,
                "headcount": rng.choice([2, 3, 5, 10, 20]),
                "requirements": rng.choice(["身体健康，吃苦耐劳", "有相关工作经验优先", "持证上岗",
                                            "服从安排，能适应倒班", ""]),
                "valid_until": on + timedelta(days=rng.randrange(10, 90)),
                "source": rng.choice(["station", "county", "county", "cooperation"])}))
    return created


def seed_referrals(station: Station, count: int = 40, *, seed: int = 13) -> int:
    """Refer ``count`` job seekers to their best match, with dated outcomes: some hired
    (status updated), some refused or absent, some still waiting and overdue."""
    from . import matching, referrals
    from .errors import StationError

    rng = random.Random(seed)
    seekers = [r[0] for r in station.conn.execute(
        "SELECT id FROM person WHERE deleted_at IS NULL AND current_status IN "
        "('unemployed', 'willing') ORDER BY rowid LIMIT ?", [count * 2])]
    on, made = today(), 0
    for person_id in seekers:
        if made == count:
            break
        best = matching.jobs_for_person(station, person_id, limit=1)
        if not best:
            continue
        when = on - timedelta(days=rng.randrange(0, 45))
        try:
            ref = referrals.create_referral(station, person_id, best[0].job["id"], on=when)
        except StationError:
            continue
        made += 1
        _demo_outcome(station, rng, ref["id"], when, on)
    return made


def _demo_outcome(station: Station, rng: random.Random, referral_id: str, when: date,
                  on: date) -> None:
    from . import referrals
    from .errors import StationError

    if (on - when).days < 5 or rng.random() < 0.25:
        return  # still waiting for the 回执 (overdue when old enough)
    outcome = rng.choices(["hired", "rejected", "no_show"], [6, 3, 1])[0]
    answered = when + timedelta(days=rng.randrange(1, (on - when).days + 1))
    try:
        referrals.record_outcome(station, referral_id, outcome, answered)
        if outcome == "hired":
            referrals.apply_hired_status(station, referral_id)
    except StationError:
        pass  # the job filled up meanwhile: leave it waiting


def seed_labour_export(station: Station, *, seed: int = 17) -> list[str]:
    """Two 点对点 batches to 苏州: one departed (members' status follows), one upcoming."""
    from . import employers, labour_export

    rng = random.Random(seed)
    employer = employers.find_employer(station, name="苏州精工机械有限公司")
    willing = [r[0] for r in station.conn.execute(
        "SELECT id FROM person WHERE deleted_at IS NULL AND coalesce(current_status, '') IN "
        "('unemployed', 'willing', 'flexible', '') AND birth_date > ? AND id NOT IN "
        "(SELECT person_id FROM export_member) ORDER BY wants_out DESC, rowid LIMIT 14",
        [(today() - timedelta(days=365 * 48)).isoformat()])]
    if len(willing) < 2:
        return []
    departed_on = today() - timedelta(days=rng.randrange(5, 20))
    numbers = []
    for depart, people_ids in ((departed_on, willing[:8]), (today() + timedelta(days=7),
                                                            willing[8:])):
        if not people_ids:
            continue
        batch = labour_export.create_batch(station, {
            "employer_id": employer["id"] if employer else None, "destination": "江苏省苏州市",
            "place_type": "out_province", "depart_date": depart, "transport": "包车",
            "leader": "孙志强", "leader_phone": "13805318888",
            "remarks": "点对点劳务输出，企业包车接送"})
        labour_export.add_members(station, batch["id"], people_ids, work_type="普工")
        if depart <= today():
            labour_export.mark_departed(station, batch["id"], depart)
        numbers.append(batch["number"])
    return numbers


def seed_job_stories(station: Station) -> dict:
    """Everything of issue #4 for the demo station: employers, jobs, referrals, export."""
    job_keys = seed_jobs(station)
    made = seed_referrals(station)
    batches = seed_labour_export(station)
    return {"jobs": len(job_keys), "referrals": made, "export_batches": len(batches)}


# ------------------------------------------- rural public-welfare posts (issue #5)
WELFARE_POSTS = [  # name, category, schedule, pay basis, daily hours, monthly hours, capacity
    ("村庄保洁员", "public_service", "part_time", "daily", "3", None, 3),
    ("护林防火员", "facility_maintenance", "part_time", "hourly", "3.5", "60", 2),
    ("治安巡逻员", "social_governance", "full_time", "daily", "8", None, 1),
    ("村务协理员", "public_management", "part_time", "daily", "4", "80", 1),
]
INSURERS = ["中国人寿保险股份有限公司平阴支公司", "中国人民财产保险股份有限公司平阴支公司"]


def seed_welfare_posts(station: Station, *, seed: int = 11, months: int = 4) -> dict:
    """Posts, placements, insurance and ``months`` months of attendance, evaluations and
    flexible income through the services; every month but the current one is approved
    (when the acting clerk is the 站长). Does nothing if the station already has posts."""
    from . import subsidy, welfare_posts
    from .holidays import Month

    if station.scalar("SELECT count(*) FROM welfare_post"):
        return {"welfare_posts": 0, "placements": 0, "approved_months": 0}
    rng = random.Random(seed)
    current = Month.parse(today())
    first = current
    for _ in range(months - 1):
        first = first.previous()
    post_ids = [welfare_posts.create_post(station, {
        "name": name, "category": category, "village": village, "schedule": schedule,
        "pay_basis": basis, "daily_hours": hours, "monthly_hours": monthly, "capacity": cap,
        "duties": "负责本村公共区域日常维护，服从村委会安排。",
        "subsidy_standard": "1800" if schedule == "full_time" else None})
        for village in villages.list_villages(station)
        for name, category, schedule, basis, hours, monthly, cap in WELFARE_POSTS]
    placed = _seed_placements(station, rng, post_ids, first.first)
    month = first
    approved = 0
    while month <= current:
        _seed_month(station, rng, month)
        if month < current and placed and station.account and station.account.is_head:
            subsidy.approve_month(station, month)
            approved += 1
        month = month.next()
    return {"welfare_posts": len(post_ids), "placements": len(placed),
            "approved_months": approved}


def _seed_placements(station: Station, rng: random.Random, post_ids: list[str], start: date
                     ) -> list[str]:
    from . import placements

    candidates = [r[0] for r in station.conn.execute(
        "SELECT id FROM person WHERE deleted_at IS NULL AND (poverty_alleviated = 1 OR "
        "monitored = 1 OR low_income = 1 OR rural_disabled = 1) ORDER BY rowid")]
    placed = []
    end = placements.add_months(start, 12) - timedelta(days=1)
    for post_id in post_ids:
        capacity = station.scalar("SELECT capacity FROM welfare_post WHERE id = ?", [post_id])
        for _ in range(capacity):
            while candidates:
                person_id = candidates.pop(0)
                try:
                    placed.append(placements.place_person(station, person_id, post_id, start,
                                                          end))
                    break
                except placements.NotEligibleError:
                    continue
    for n, placement_id in enumerate(placed):
        if n % 17 == 5:
            continue  # not insured yet: shows on the warning list
        until = today() + timedelta(days=12) if n % 11 == 3 else end
        placements.add_insurance(station, placement_id, rng.choice(INSURERS),
                                 f"PDEA{start.year}{370000 + n:06d}", start, until)
    return placed


def _seed_month(station: Station, rng: random.Random, month) -> None:
    from . import attendance, evaluation, flexible_income

    grid = attendance.attendance_grid(station, month)
    changes = []
    for row in grid.rows:
        for i, day in enumerate(month.days()):
            if row.plan[i] != "W" or day > today():
                continue
            roll = rng.random()
            if row.hourly and roll < 0.08:
                changes.append((row.placement_id, day, rng.choice(["2", "2.5", "4"])))
            elif not row.hourly and roll < 0.03:
                changes.append((row.placement_id, day, "absent"))
            elif not row.hourly and roll < 0.07:
                changes.append((row.placement_id, day, rng.choice(["leave", "half"])))
    attendance.set_marks(station, changes)
    results = [(row.placement_id, rng.choices(["qualified", "excellent", "unqualified"],
                                              [90, 8, 2])[0], "") for row in grid.rows]
    evaluation.set_evaluations(station, month, results)
    for n, row in enumerate(r for r in grid.rows if r.schedule == "part_time"):
        income = rng.choice([0, 200, 350, 500]) if n != 2 else 1200
        flexible_income.record_income(station, row.placement_id, month, income,
                                      "打零工" if income else "")


# ------------------------- ledger, labour-rights consultations, training (issue #6)
LEDGER_MEASURES = ["推荐就近就业岗位", "开发公益性岗位兜底安置", "组织参加技能培训",
                   "纳入有组织劳务输出", "提供创业担保贷款政策咨询", "推荐到就业帮扶车间"]
FOLLOWUP_OUTCOMES = ["本人在家务农，有外出务工意愿，已推荐岗位", "电话未接通，改日上门",
                     "身体状况一般，暂不外出，愿意就近打零工", "家中有老人需照顾，希望就近就业",
                     "已了解近期招聘信息，准备报名参加培训", "在县城打零工，收入不稳定"]
DEMO_CASES = [  # kind, employer, amount (元), people, evidence, status
    ("unpaid_wages", "天津滨海保安服务有限公司", "18600", 3, "payroll,attendance", "referred"),
    ("unpaid_wages", "刘某某（包工头）", "42000", 6, "iou,settlement", "accepted"),
    ("unpaid_wages", "济南宏达建筑工程有限公司", "9500", 1, "attendance", "resolved"),
    ("contract", "青岛海成电子有限公司", "", 1, "", "resolved"),
    ("social_insurance", "平阴县玫瑰食品有限公司", "", 2, "payroll", "withdrawn"),
    ("unpaid_wages", "聊城某物流公司", "6200", 2, "settlement", "accepted"),
]
BRAND_BY_SKILL = {"家政服务": "鲁嫂家政", "育婴员": "鲁嫂家政", "养老护理员": "沂蒙护理",
                  "建筑瓦工": "齐鲁建工", "电焊工": "齐鲁建工", "种植": "平阴玫瑰工匠"}
DEMO_COURSES = {"skill": ["育婴员", "养老护理员", "电焊工", "中式烹调师"],
                "safety": ["建筑施工安全知识", "危险化学品安全常识"],
                "adaptive": ["外出务工适应性培训", "城市生活与法律常识"],
                "agriculture": ["玫瑰种植与加工技术", "设施蔬菜栽培技术"]}


def seed_ledger_stories(station: Station, *, seed: int = 19) -> dict:
    """Follow-ups of the ledger (some overdue, a few finding work), consultations, training
    records and needs, 劳务品牌 tags, and a cluster of returns in one village (the risk
    warning), all through the services. Does nothing if the station already has cases."""
    if station.scalar("SELECT count(*) FROM rights_case"):
        return {"ledger_followups": 0, "consultations": 0, "training_records": 0}
    rng = random.Random(seed)
    return {"ledger_followups": _seed_followups(station, rng),
            "consultations": _seed_cases(station, rng), **_seed_training(station, rng),
            "risk_returns": _seed_return_cluster(station, rng)}


def _seed_followups(station: Station, rng: random.Random) -> int:
    from . import ledger

    on, made = today(), 0
    for entry in ledger.current_entries(station):
        ledger.set_measures(station, entry["id"], rng.choice(LEDGER_MEASURES))
        if rng.random() < 0.25:
            continue  # new to the ledger: due within the first days
        start = max(date.fromisoformat(entry["entered_on"]), on - timedelta(days=200))
        late = rng.random() < 0.3  # the last follow-up's next date has passed
        last = on - timedelta(days=rng.randrange(35, 80) if late else rng.randrange(0, 25))
        if last < start:
            continue
        days = sorted({last - timedelta(days=30 * k) for k in range(rng.randrange(1, 5))})
        for n, day in enumerate(d for d in days if d >= start):
            found_work = n == len(days) - 1 and not late and rng.random() < 0.08
            ledger.record_followup(
                station, entry["id"], day, rng.choice(["phone", "phone", "visit"]),
                "已在本地企业稳定就业" if found_work else rng.choice(FOLLOWUP_OUTCOMES),
                day + timedelta(days=30), new_status="local" if found_work else None)
            made += 1
    return made


def _seed_cases(station: Station, rng: random.Random) -> int:
    from . import rights

    people = [r[0] for r in station.conn.execute(
        "SELECT id FROM person WHERE deleted_at IS NULL AND current_status IN "
        "('unemployed', 'willing', 'flexible') ORDER BY rowid LIMIT 40")]
    on = today()
    for n, (kind, employer, amount, count, evidence, status) in enumerate(DEMO_CASES):
        received = on - timedelta(days=rng.randrange(3, 60))
        parties = [{"person_id": people[(2 * n + k) % len(people)]}
                   for k in range(min(count, 2))] if people else []
        if count > 2 or not parties:
            parties.append({"name": "赵" + rng.choice("建国卫东志强秀英"), "phone": ""})
        case = rights.create_case(station, {
            "kind": kind, "received_on": received, "employer_name": employer, "amount": amount,
            "people_count": count, "evidence": evidence, "parties": parties,
            **(_wage_period(received) if kind == "unpaid_wages" else {}),
            "description": "当事人反映用人单位未按约定支付劳动报酬。" if kind == "unpaid_wages"
            else "当事人咨询劳动权益相关政策。"})
        step = received + timedelta(days=rng.randrange(1, 3))
        if status in ("referred", "resolved") and kind == "unpaid_wages" and n % 2 == 0:
            rights.move_case(station, case["id"], "referred", min(step, on))
        if status in ("resolved", "withdrawn"):
            rights.move_case(station, case["id"], status, min(step + timedelta(days=5), on),
                             result="经协调，单位已足额支付" if status == "resolved" else "当事人自行协商解决",
                             recovered=amount if status == "resolved" and amount else None)
    return len(DEMO_CASES)


def _wage_period(received: date) -> dict:
    """The three months before the complaint."""
    last = date(received.year, received.month, 1) - timedelta(days=1)
    first = date(last.year, last.month, 1) - timedelta(days=62)
    return {"period_from": f"{first:%Y-%m}", "period_to": f"{last:%Y-%m}"}


def _seed_training(station: Station, rng: random.Random) -> dict:
    from . import training

    on, records, needs, tags = today(), 0, 0, 0
    rows = station.query("SELECT id, skills, wants_training FROM person WHERE deleted_at IS NULL "
                         "ORDER BY rowid LIMIT 400")
    for row in rows[:60]:
        kind = rng.choice(list(DEMO_COURSES))
        start = on - timedelta(days=rng.randrange(5, 150))
        done = start + timedelta(days=15) < on and rng.random() < 0.7
        training.record_training(station, row["id"], {
            "kind": kind, "course": rng.choice(DEMO_COURSES[kind]), "start_date": start,
            "provider": rng.choice(["平阴县职业教育中心", "孔村镇成人文化技术学校"]),
            "end_date": start + timedelta(days=15) if done else None,
            "result": "completed" if done else "enrolled",
            "certificate": "职业技能等级证书" if done and kind == "skill" else "",
            "certificate_no": f"S{rng.randrange(10**9, 10**10)}" if done and kind == "skill"
            else ""})
        records += 1
    for row in [r for r in rows[60:] if r["wants_training"]][:40]:
        kind = rng.choice(list(DEMO_COURSES))
        training.add_need(station, row["id"], kind, rng.choice(DEMO_COURSES[kind]),
                          on - timedelta(days=rng.randrange(0, 90)))
        needs += 1
    for row in rows:
        if row["skills"] in BRAND_BY_SKILL and rng.random() < 0.5:
            tags += bool(training.add_brand(station, row["id"], BRAND_BY_SKILL[row["skills"]]))
    return {"training_records": records, "training_needs": needs, "brand_tags": tags}


def _seed_return_cluster(station: Station, rng: random.Random) -> int:
    """A dozen people of the first village back home within ten days: the risk warning."""
    from . import returns

    names = villages.list_villages(station)
    if not names:
        return 0
    people = [r[0] for r in station.conn.execute(
        "SELECT id FROM person WHERE deleted_at IS NULL AND hukou_village = ? AND "
        "current_status IN ('in_province', 'out_province') ORDER BY rowid LIMIT 12", [names[0]])]
    for person_id in people:
        returns.add_return(station, person_id, today() - timedelta(days=rng.randrange(0, 10)),
                           from_place="江苏省苏州市", reason="务工企业停产减员")
    return len(people)


def seed_everything(station: Station, people: int) -> dict:
    """A whole demo station's worth of records: people and every part of their story."""
    counts = {"people": seed_people(station, people), "stories": seed_stories(station)}
    counts.update(seed_job_stories(station))
    counts.update(seed_welfare_posts(station))
    counts.update(seed_ledger_stories(station))
    return counts
