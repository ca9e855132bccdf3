"""Realistic generated people for the demo station and for benchmarks."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from faker import Faker

from . import glossary, pinyin, villages
from .clock import now_iso, today
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
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
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
            person = _person(rng, fake, names, taken, on)
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


def _person(rng: random.Random, fake: Faker, village_names: list[str], taken: set, on: date
            ) -> dict:
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    while True:
        number = make_id_number(rng.choice(REGION_CODES), birth, rng.randrange(1, 999))
        if number not in taken:
            taken.add(number)
            break
    sex = "M" if int(number[16]) % 2 else "F"
    name = fake.last_name() + (fake.first_name_male() if sex == "M" else fake.first_name_female())
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
