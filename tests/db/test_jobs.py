"""Employers and job postings: credit codes, ranges, open/closed/expired/filled, audit."""

from datetime import date, timedelta

import pytest

from db import audit, employers, jobs
from db.errors import DuplicateError, NotFoundError, ValidationError
from db.validation.credit_code import credit_code_check_char

TODAY = date.today()


def credit_code(body: str = "91370124MA3C4D5E6") -> str:
    """A valid 统一社会信用代码 from its first 17 characters."""
    return body + credit_code_check_char(body)


def employer(station, name="平阴县玫瑰食品有限公司", **fields) -> str:
    return employers.create_employer(station, {"name": name, **fields})


def job(station, owner, **fields) -> str:
    return jobs.create_job(station, {"employer_id": owner, "work_type": "电焊工",
                                     "place_type": "local", **fields})


def test_employer_credit_code_is_checked_and_normalized(station):
    code = credit_code()
    eid = employer(station, credit_code=" " + code.lower()[:9] + "－" + code[9:],
                   contact_phone="0531 87881234", support_workshop=True)
    row = employers.get_employer(station, eid)
    assert row["credit_code"] == code
    assert row["contact_phone"] == "0531-87881234"
    assert employers.flag_labels(row) == ["就业帮扶车间"]


def test_employer_with_wrong_check_character_is_refused_and_nothing_written(station):
    bad = credit_code()[:-1] + ("0" if credit_code()[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        employer(station, credit_code=bad)
    assert err.value.field == "credit_code" and "校验位" in str(err.value)
    assert station.scalar("SELECT count(*) FROM employer") == 0


def test_employer_without_code_is_allowed_but_names_and_codes_are_unique(station):
    first = employer(station, credit_code=credit_code())
    employer(station, name="个体户王师傅装修队")
    with pytest.raises(DuplicateError) as err:
        employer(station, name="另一家公司", credit_code=credit_code())
    assert err.value.existing_id == first
    with pytest.raises(DuplicateError):
        employer(station, name=" 平阴县玫瑰食品有限公司 ")


def test_employer_changes_are_audited_with_the_clerk(station):
    eid = employer(station)
    assert employers.update_employer(station, eid, {"wage_arrears": True}) == {"wage_arrears": 1}
    assert employers.update_employer(station, eid, {"wage_arrears": True}) == {}
    rows = audit.history(station.conn, "employer", eid)
    assert [r["op"] for r in rows] == ["insert", "update"]
    assert rows[1]["changes"] == {"wage_arrears": [0, 1]} and rows[1]["actor"] == "admin"


def test_job_defaults_and_display_texts(station):
    jid = job(station, employer(station), wage_min=4000, wage_max="6,000", age_max=45)
    row = jobs.get_job(station, jid)
    assert row["valid_until"] == (TODAY + timedelta(days=30)).isoformat()
    assert (row["headcount"], row["source"], row["hired"]) == (1, "station", 0)
    assert row["wage_text"] == "4000–6000元/月" and row["age_text"] == "45岁以下"
    assert row["place_label"] == "本地" and row["is_open"]
    assert row["employer_name"] == "平阴县玫瑰食品有限公司"


def test_job_accepts_chinese_labels_for_codes(station):
    jid = job(station, employer(station), place_type="省外", source="劳务协作")
    row = jobs.get_job(station, jid)
    assert (row["place_type"], row["source"]) == ("out_province", "cooperation")


@pytest.mark.parametrize("fields, field", [
    ({"work_type": ""}, "work_type"),
    ({"place_type": "外国"}, "place_type"),
    ({"place_type": ""}, "place_type"),
    ({"wage_min": 6000, "wage_max": 4000}, "wage_min"),
    ({"age_min": 50, "age_max": 18}, "age_min"),
    ({"age_min": 12}, "age_min"),
    ({"headcount": 0}, "headcount"),
    ({"valid_until": "2026-02-30"}, "valid_until"),
    ({"employer_id": ""}, "employer_id"),
])
def test_bad_job_fields_are_refused_and_nothing_written(station, fields, field):
    eid = employer(station)
    with pytest.raises(ValidationError) as err:
        job(station, eid, **fields)
    assert err.value.field == field
    assert station.scalar("SELECT count(*) FROM job") == 0


def test_job_of_unknown_employer_is_refused(station):
    with pytest.raises(NotFoundError):
        job(station, "no-such-employer")


@pytest.mark.parametrize("text, expected", [
    ("4000-6000", (4000, 6000)), ("4000～6000元/月", (4000, 6000)), ("4.5千-6千", (4500, 6000)),
    ("5000以上", (5000, None)), ("6000元以下", (None, 6000)), ("面议", (None, None)),
    ("5000", (5000, 5000)), ("1万-1.5万", (10000, 15000)), ("３０００－４０００", (3000, 4000)),
])
def test_wage_ranges_as_employers_write_them(text, expected):
    assert jobs.parse_wage_range(text) == expected


def test_daily_wages_must_be_converted_to_monthly():
    with pytest.raises(ValidationError, match="月薪"):
        jobs.parse_wage_range("150元/天")


@pytest.mark.parametrize("text, expected", [
    ("18-45周岁", (18, 45)), ("45岁以下", (None, 45)), ("18岁以上", (18, None)),
    ("不限", (None, None)), ("男18-50，女18-45", (18, 50)), ("", (None, None)),
])
def test_age_ranges_as_employers_write_them(text, expected):
    assert jobs.parse_age_range(text) == expected


def test_open_jobs_leave_out_expired_closed_and_deleted(station):
    eid = employer(station)
    open_id = job(station, eid, work_type="普工")
    expired = job(station, eid, work_type="保洁", valid_until=TODAY - timedelta(days=1))
    closed = job(station, eid, work_type="电工")
    deleted = job(station, eid, work_type="叉车司机")
    jobs.close_job(station, closed)
    jobs.delete_job(station, deleted)
    assert [j["id"] for j in jobs.list_jobs(station)] == [open_id]
    everything = {j["id"] for j in jobs.list_jobs(station, open_only=False)}
    assert everything == {open_id, expired, closed}
    assert not jobs.get_job(station, expired)["is_open"]
    jobs.reopen_job(station, closed)
    assert {j["id"] for j in jobs.list_jobs(station)} == {open_id, closed}
    with pytest.raises(NotFoundError):
        jobs.get_job(station, deleted)


def test_jobs_are_listed_by_text_and_employer(station):
    a, b = employer(station), employer(station, name="苏州精工机械有限公司")
    job(station, a, work_type="包装工")
    job(station, b, work_type="电焊工")
    assert [j["work_type"] for j in jobs.list_jobs(station, text="苏州")] == ["电焊工"]
    assert [j["work_type"] for j in jobs.list_jobs(station, employer_id=a)] == ["包装工"]


def test_update_job_checks_ranges_against_stored_values(station):
    jid = job(station, employer(station), wage_min=4000, wage_max=5000)
    with pytest.raises(ValidationError):
        jobs.update_job(station, jid, {"wage_min": 5500})
    assert jobs.update_job(station, jid, {"wage_max": 5500}) == {"wage_max": 5500}


def test_employer_with_open_jobs_cannot_be_deleted(station):
    eid = employer(station)
    jid = job(station, eid)
    with pytest.raises(ValidationError):
        employers.delete_employer(station, eid)
    jobs.close_job(station, jid)
    employers.delete_employer(station, eid)
    assert employers.list_employers(station) == []
