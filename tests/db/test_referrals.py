"""Referrals: numbers unique across stations offline, outcomes, overdue feedback, status."""

import re
from datetime import date, timedelta

import pytest

from db import (
    audit,
    demo,
    employers,
    employment,
    jobs,
    people,
    referrals,
    service_log,
    settings,
    setup,
)
from db.errors import DuplicateError, NotFoundError, ValidationError
from tests.conftest import ADMIN_PASSWORD, id_of

TODAY = date.today()


def _job(station, **fields) -> str:
    owner = employers.create_employer(station, {"name": "平阴县玫瑰食品有限公司"})
    return jobs.create_job(station, {"employer_id": owner, "work_type": "包装工",
                                     "place_type": "local", "wage_min": 3200, "wage_max": 4000,
                                     "work_place": "玫瑰镇工业园", "headcount": 50, **fields})


@pytest.fixture
def world(station):
    pid = people.create_person(station, {"name": "张三", "id_number": id_of(1985)})
    employment.add_status(station, pid, "unemployed", TODAY - timedelta(days=90))
    return station, pid, _job(station)


def test_referral_number_is_station_code_year_and_sequence(world):
    station, pid, jid = world
    made = referrals.create_referral(station, pid, jid)
    assert made["number"] == f"370124101-{TODAY.year}-00001"
    row = referrals.get_by_number(station, made["number"])
    assert (row["outcome"], row["outcome_label"], row["clerk"]) == ("pending", "待反馈", "王站长")
    assert row["due_date"] == (TODAY + timedelta(days=15)).isoformat()


def test_referral_writes_the_service_log_and_the_audit_log(world):
    station, pid, jid = world
    made = referrals.create_referral(station, pid, jid)
    (line,) = service_log.list_services(station, pid)
    assert line["kind"] == "placement" and made["number"] in line["content"]
    assert audit.history(station.conn, "referral", made["id"])[0]["actor"] == "admin"


def test_a_failed_referral_writes_nothing_and_gives_its_number_back(world, monkeypatch):
    station, pid, jid = world

    def broken(*args, **kwargs):
        raise ValidationError("服务记录写入失败。")

    monkeypatch.setattr(service_log, "log_service", broken)
    with pytest.raises(ValidationError):
        referrals.create_referral(station, pid, jid)
    assert station.scalar("SELECT count(*) FROM referral") == 0
    monkeypatch.undo()
    assert referrals.create_referral(station, pid, jid)["number"].endswith("-00001")


def _two_stations(tmp_path, codes):
    for code in codes:
        st = setup.create_station(
            tmp_path / code, code=code, name=f"{code}服务站", county="平阴县",
            village_names=["东关村"], admin_username="admin", admin_display_name="站长",
            admin_password=ADMIN_PASSWORD)
        demo.seed_people(st, 120, seed=int(code[-3:]))
        yield st


def test_numbers_never_collide_across_two_offline_stations(tmp_path):
    numbers = {}
    for st in _two_stations(tmp_path, ["370124101", "370124102"]):
        jid = _job(st, headcount=10_000)
        person_ids = [r[0] for r in st.conn.execute("SELECT id FROM person")]
        made = []
        for i, pid in enumerate(person_ids):
            day = TODAY - timedelta(days=400 if i % 4 == 0 else 0)  # some last year
            made.append(referrals.create_referral(st, pid, jid, on=day)["number"])
        numbers[settings.get(st, "station.code")] = made
        st.close()
    first, second = numbers.values()
    assert len(set(first)) == len(first) == 120 and len(set(second)) == len(second) == 120
    assert not set(first) & set(second)
    pattern = re.compile(r"(\d{9})-(\d{4})-(\d{5})")
    for code, made in numbers.items():
        assert all(pattern.fullmatch(n).group(1) == code for n in made)
        this_year = sorted(n for n in made if f"-{TODAY.year}-" in n)
        assert this_year[0].endswith("-00001") and this_year[-1].endswith(f"-{len(this_year):05d}")


@pytest.mark.parametrize("change, message", [
    ({"valid_until": TODAY - timedelta(days=1)}, "已过期"),
    ({"closed_on": TODAY}, "已停招"),
])
def test_referral_to_a_job_not_open_is_refused(world, change, message):
    station, pid, jid = world
    station.conn.execute(
        f"UPDATE job SET {next(iter(change))} = ? WHERE id = ?",
        [next(iter(change.values())).isoformat(), jid])
    with pytest.raises(ValidationError, match=message):
        referrals.create_referral(station, pid, jid)
    assert station.scalar("SELECT count(*) FROM referral") == 0


def test_second_open_referral_to_the_same_job_is_refused(world):
    station, pid, jid = world
    first = referrals.create_referral(station, pid, jid)
    with pytest.raises(DuplicateError, match=first["number"]):
        referrals.create_referral(station, pid, jid)
    referrals.record_outcome(station, first["id"], "no_show")
    referrals.create_referral(station, pid, jid)  # may be referred again


def test_outcome_dates_are_checked(world):
    station, pid, jid = world
    made = referrals.create_referral(station, pid, jid, on=TODAY - timedelta(days=3))
    with pytest.raises(ValidationError) as err:
        referrals.record_outcome(station, made["id"], "hired", TODAY - timedelta(days=5))
    assert err.value.field == "outcome_date"
    with pytest.raises(ValidationError):
        referrals.record_outcome(station, made["id"], "hired", TODAY + timedelta(days=1))
    with pytest.raises(ValidationError):
        referrals.record_outcome(station, made["id"], "maybe")
    assert referrals.get_referral(station, made["id"])["outcome"] == "pending"


def test_hired_offers_the_status_update_which_follows_the_job(world):
    station, pid, jid = world
    made = referrals.create_referral(station, pid, jid, on=TODAY - timedelta(days=4))
    answer = referrals.record_outcome(station, made["id"], "hired", TODAY - timedelta(days=1))
    assert answer == {"offer_status_update": True}
    assert referrals.apply_hired_status(station, made["id"])
    current = employment.status_history(station, pid)[0]
    assert (current["status"], current["employer"], current["monthly_income"]) == (
        "local", "平阴县玫瑰食品有限公司", 3200)
    assert current["since_date"] == (TODAY - timedelta(days=1)).isoformat()
    assert made["number"] in current["remarks"]
    assert referrals.apply_hired_status(station, made["id"]) is None  # already done


def test_only_hired_referrals_update_the_status(world):
    station, pid, jid = world
    made = referrals.create_referral(station, pid, jid)
    assert referrals.record_outcome(station, made["id"], "rejected", note="技能不符") == {
        "offer_status_update": False}
    with pytest.raises(ValidationError):
        referrals.apply_hired_status(station, made["id"])


def test_a_filled_job_takes_no_more_hires(world):
    station, pid, _jid = world
    owner = employers.find_employer(station, name="平阴县玫瑰食品有限公司")["id"]
    jid = jobs.create_job(station, {"employer_id": owner, "work_type": "叉车司机",
                                    "place_type": "local", "headcount": 1})
    other = people.create_person(station, {"name": "李四", "id_number": id_of(1990)})
    first = referrals.create_referral(station, pid, jid)
    second = referrals.create_referral(station, other, jid)
    referrals.record_outcome(station, first["id"], "hired")
    with pytest.raises(ValidationError, match="满额"):
        referrals.record_outcome(station, second["id"], "hired")
    with pytest.raises(ValidationError, match="已招满"):
        referrals.create_referral(station, people.create_person(
            station, {"name": "王五", "id_number": id_of(1991)}), jid)


def test_overdue_feedback_shows_in_the_worklist(world):
    station, pid, jid = world
    other = people.create_person(station, {"name": "李四", "id_number": id_of(1990)})
    third = people.create_person(station, {"name": "王五", "id_number": id_of(1991)})
    old = referrals.create_referral(station, pid, jid, on=TODAY - timedelta(days=20))
    recent = referrals.create_referral(station, other, jid, on=TODAY - timedelta(days=10))
    answered = referrals.create_referral(station, third, jid, on=TODAY - timedelta(days=30))
    referrals.record_outcome(station, answered["id"], "rejected", TODAY - timedelta(days=2))
    (late,) = referrals.overdue_referrals(station)
    assert (late["number"], late["overdue_days"]) == (old["number"], 5)
    settings.put(station, "referral.feedback_days", 7)
    assert [r["number"] for r in referrals.overdue_referrals(station)] == [
        old["number"], recent["number"]]


def test_referrals_are_listed_by_person_day_and_outcome(world):
    station, pid, jid = world
    made = referrals.create_referral(station, pid, jid, on=TODAY - timedelta(days=2))
    assert [r["id"] for r in referrals.list_referrals(station, person_id=pid)] == [made["id"]]
    assert referrals.numbers_on(station, TODAY - timedelta(days=2)) == [made["number"]]
    assert referrals.list_referrals(station, day=TODAY) == []
    assert referrals.list_referrals(station, outcome="hired") == []
    referrals.delete_referral(station, made["id"])
    with pytest.raises(NotFoundError):
        referrals.get_by_number(station, made["number"])
