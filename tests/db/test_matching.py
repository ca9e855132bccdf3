"""Matching ranks on small worlds whose right order can be argued line by line."""

from datetime import date, timedelta

import pytest

from db import employers, employment, jobs, matching, people, referrals
from db.errors import ValidationError
from tests.conftest import id_of

TODAY = date.today()
_seq = iter(range(10, 990, 2))


def person(station, name, age=35, *, skills="电焊工", status="unemployed", female=False,
           **fields):
    """A person of ``age`` (birthday already passed this year) with a current status."""
    seq = next(_seq) + (1 if not female else 0)  # odd 17th digit: man
    born = date(TODAY.year - age, 1, 2)
    pid = people.create_person(station, {"name": name, "id_number": id_of(
        born.year, born.month, born.day, seq=seq), "skills": skills, **fields})
    if status:
        employment.add_status(station, pid, status, TODAY - timedelta(days=60))
    return pid


def employer(station, name, **flags):
    return employers.create_employer(station, {"name": name, **flags})


def job(station, owner, work_type="电焊工", **fields):
    return jobs.create_job(station, {"employer_id": owner, "work_type": work_type,
                                     "place_type": "local", **fields})


@pytest.fixture
def welding_job(station):
    """电焊工, 本地, 20–50岁, 5000–6000元/月, 不适合大龄; and the people of the story."""
    jid = job(station, employer(station, "平阴县机械厂"), age_min=20, age_max=50,
              wage_min=5000, wage_max=6000, headcount=5)
    cast = {
        # 40 技能 + 25 本地 + 10 年龄 + 15 月薪 + 15 失业 + 5 脱贫人口 = 110
        "脱贫焊工": person(station, "甲", poverty_alleviated=True, out_expected_wage=5000),
        # same without the priority group: 105
        "失业焊工": person(station, "乙", out_expected_wage=5000),
        # 灵活就业 gets 5 instead of 15: 95
        "灵活就业焊工": person(station, "丙", status="flexible", out_expected_wage=5500),
        # "焊工" is inside "电焊工"; no expected wage: 90
        "焊工": person(station, "丁", skills="焊工"),
        # woman of 45 is 大龄 (≥40) and the job is not marked 适合大龄: 105 − 15 − 5 = 85
        "大龄女焊工": person(station, "戊", age=45, female=True),
        # expects 8000, the job pays at most 6000: 105 − 15 − 10 = 80
        "高期望焊工": person(station, "己", out_expected_wage=8000),
        # no welding skill: 0 + 25 + 10 + 15 = 50
        "普工": person(station, "庚", skills="普工"),
        # dropped: placed, too old, deleted
        "已就业焊工": person(station, "辛", status="local"),
        "超龄焊工": person(station, "壬", age=55),
        "已删除焊工": person(station, "癸"),
    }
    people.delete_person(station, cast["已删除焊工"])
    return jid, cast


def ranked_people(station, jid):
    return [m.person["id"] for m in matching.people_for_job(station, jid)]


def test_people_for_a_job_rank_as_argued(station, welding_job):
    jid, cast = welding_job
    matches = matching.people_for_job(station, jid)
    order = ["脱贫焊工", "失业焊工", "灵活就业焊工", "焊工", "大龄女焊工", "高期望焊工", "普工"]
    assert [m.person["id"] for m in matches] == [cast[k] for k in order]
    assert [m.score for m in matches] == [110, 105, 95, 90, 85, 80, 50]


def test_each_match_says_why_in_chinese(station, welding_job):
    jid, cast = welding_job
    by_id = {m.person["id"]: m for m in matching.people_for_job(station, jid)}
    assert "技能“电焊工”与工种“电焊工”相符（+40）" in by_id[cast["失业焊工"]].explanation
    assert "脱贫人口，优先推荐（+5）" in by_id[cast["脱贫焊工"]].explanation
    assert "大龄劳动者，岗位未注明适合大龄（-5）" in by_id[cast["大龄女焊工"]].explanation
    assert "月薪最高6000元，低于期望8000元（-10）" in by_id[cast["高期望焊工"]].explanation
    assert "未登记与此工种相关的技能" in by_id[cast["普工"]].explanation
    for match in by_id.values():
        assert match.score == sum(r.points for r in match.reasons)


def test_older_friendly_job_lifts_the_older_worker(station, welding_job):
    jid, cast = welding_job
    jobs.update_job(station, jid, {"older_friendly": True})
    order = ranked_people(station, jid)
    assert order.index(cast["大龄女焊工"]) < order.index(cast["焊工"])  # 85 + 15 = 100 > 90


def test_people_placed_through_a_referral_drop_out(station, welding_job):
    jid, cast = welding_job
    other = job(station, employer(station, "另一家厂"))
    ref = referrals.create_referral(station, cast["失业焊工"], other)
    referrals.record_outcome(station, ref["id"], "hired")
    assert cast["失业焊工"] not in ranked_people(station, jid)  # hired, status not yet updated


def test_person_with_a_pending_referral_to_the_job_drops_out_until_answered(station, welding_job):
    jid, cast = welding_job
    ref = referrals.create_referral(station, cast["失业焊工"], jid)
    assert cast["失业焊工"] not in ranked_people(station, jid)
    referrals.record_outcome(station, ref["id"], "rejected")
    match = next(m for m in matching.people_for_job(station, jid)
                 if m.person["id"] == cast["失业焊工"])
    assert match.score == 90 and "曾推荐到此岗位，结果未录用（-15）" in match.explanation


def test_numbers_are_masked_unless_the_role_may_see_them(station, welding_job):
    jid, _cast = welding_job
    masked = matching.people_for_job(station, jid, limit=1)[0].person
    full = matching.people_for_job(station, jid, limit=1, full_numbers=True)[0].person
    assert "*" in masked["id_number"] and "*" not in full["id_number"]


def test_an_expired_job_matches_nobody(station, welding_job):
    jid, _cast = welding_job
    jobs.update_job(station, jid, {"valid_until": TODAY - timedelta(days=1)})
    with pytest.raises(ValidationError):
        matching.people_for_job(station, jid)


@pytest.fixture
def seeker(station):
    """A 40-year-old unemployed welder who wants to go to 苏州 for at least 6000."""
    return person(station, "张焊", age=40, wants_out=True, out_destination="苏州市",
                  out_expected_wage=6000)


def test_jobs_for_a_person_rank_as_argued(station, seeker):
    plant = employer(station, "本地机械厂")
    suzhou = employer(station, "苏州精工机械有限公司")
    arrears = employer(station, "苏州某劳务公司", wage_arrears=True)
    expect = {
        # 40 技能 + 25 外出意愿 + 5 意向地点 + 10 年龄 + 15 月薪 + 15 失业 = 110
        "苏州焊工": job(station, suzhou, place_type="out_province", work_place="江苏省苏州市",
                        wage_min=6000, wage_max=8000, age_min=20, age_max=50),
        # no 意向地点 bonus: 105
        "济南焊工": job(station, plant, place_type="province", work_place="济南市",
                        wage_min=6000, wage_max=7000),
        # as 苏州焊工 but the employer owes wages: 110 − 20 = 90
        "欠薪单位焊工": job(station, arrears, place_type="out_province", work_place="苏州市",
                            wage_min=6000, wage_max=8000),
        # 本地 25 but pays below the expectation: 40 + 25 + 10 − 10 + 15 = 80
        "本地焊工": job(station, plant, wage_min=4000, wage_max=5000),
        # 普工 takes anyone: 15 + 25 + 10 − 10 + 15 = 55
        "本地普工": job(station, plant, "普工", wage_min=3000, wage_max=4000),
        # 县内 20, no skill: 0 + 20 + 10 − 10 + 15 = 35
        "县内保洁": job(station, plant, "保洁", place_type="county", wage_max=3200),
    }
    job(station, plant, valid_until=TODAY - timedelta(days=1))  # expired
    jobs.close_job(station, job(station, plant))  # 停招
    job(station, plant, age_min=18, age_max=30)  # he is too old
    filled = job(station, plant, headcount=1)
    taken = referrals.create_referral(station, person(station, "李焊"), filled)
    referrals.record_outcome(station, taken["id"], "hired")
    matches = matching.jobs_for_person(station, seeker)
    assert [m.job["id"] for m in matches] == list(expect.values())
    assert [m.score for m in matches] == [110, 105, 90, 80, 55, 35]
    assert "意向地点“苏州市”相符（+5）" in matches[0].explanation
    assert "用人单位有欠薪记录，请谨慎推荐（-20）" in matches[2].explanation


def test_person_not_wanting_to_go_out_prefers_home(station):
    pid = person(station, "王焊")
    plant = employer(station, "本地机械厂")
    far = job(station, plant, place_type="out_province", work_place="上海市")
    near = job(station, plant)
    matches = matching.jobs_for_person(station, pid)
    assert [m.job["id"] for m in matches] == [near, far]
    assert "岗位在省外，此人未登记外出意愿（-10）" in matches[1].explanation


def test_jobs_already_referred_are_left_out_for_the_person(station, seeker):
    jid = job(station, employer(station, "本地机械厂"))
    referrals.create_referral(station, seeker, jid)
    assert matching.jobs_for_person(station, seeker) == []


def test_employed_person_still_sees_jobs_but_ranked_lower(station):
    pid = person(station, "赵焊", status="local")
    jid = job(station, employer(station, "本地机械厂"))
    (match,) = matching.jobs_for_person(station, pid)
    assert match.job["id"] == jid and "已本地就业（-20）" in match.explanation


def test_candidates_are_read_through_the_seeking_index(station, welding_job):
    """Guards the partial index person_seeking: its WHERE must stay the query's."""
    jid, _cast = welding_job
    sql, params = matching._candidates_sql(jobs.get_job(station, jid), TODAY)
    plan = " ".join(row[3] for row in station.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "person_seeking" in plan
