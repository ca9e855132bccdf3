"""维权咨询: parties, employer link and 欠薪记录, evidence, and the status flow."""

import re
from datetime import date, timedelta

import pytest

from db import audit, employers, people, rights, service_log
from db.errors import ValidationError
from tests.conftest import id_of

TODAY = date.today()
RECEIVED = TODAY - timedelta(days=20)


@pytest.fixture
def worker(station):
    return people.create_person(station, {"name": "王建国", "id_number": id_of(1978)})


def _case(station, worker, **fields):
    return rights.create_case(station, {
        "kind": "unpaid_wages", "received_on": RECEIVED, "employer_name": "刘某某（包工头）",
        "amount": "12,500.50", "evidence": ["payroll", "iou"],
        "parties": [{"person_id": worker}, {"name": "赵卫东", "phone": "13805318888"}],
        **fields})


def test_a_case_names_registered_and_unregistered_people(station, worker):
    made = _case(station, worker)
    assert re.fullmatch(rf"370124101-WQ{RECEIVED.year}-0001", made["number"])
    case = rights.get_case(station, made["id"])
    assert [(p["person_id"], p["name"]) for p in case["parties"]] == [
        (worker, "王建国"), (None, "赵卫东")]
    assert case["people_count"] == 2 and case["amount"] == 1_250_050
    assert (case["amount_text"], case["status_label"], case["parties_text"]) == (
        "12,500.50", "受理", "王建国、赵卫东")
    [line] = service_log.list_services(station, worker)
    assert line["kind"] == "rights" and made["number"] in line["content"]


def test_evidence_is_a_multi_select_of_codes_or_labels(station, worker):
    made = _case(station, worker, evidence="欠条、考勤表，payroll")
    case = rights.get_case(station, made["id"])
    assert case["evidence"] == "payroll,attendance,iou"
    assert case["evidence_labels"] == ["工资花名册", "考勤表", "欠条"]


def test_an_unpaid_wage_case_sets_the_registered_employers_arrears_flag(station, worker):
    employer = employers.create_employer(station, {"name": "济南宏达建筑工程有限公司"})
    made = _case(station, worker, employer_name=" 济南宏达建筑工程有限公司 ")
    assert rights.get_case(station, made["id"])["employer_id"] == employer
    assert employers.get_employer(station, employer)["wage_arrears"] == 1
    [*_, last] = audit.history(station.db, "employer", employer)
    assert last["changes"] == {"wage_arrears": [0, 1]} and last["actor"] == "admin"


def test_an_unregistered_employer_is_kept_by_name(station, worker):
    case = rights.get_case(station, _case(station, worker)["id"])
    assert (case["employer_id"], case["employer_name"]) == (None, "刘某某（包工头）")


def test_other_complaints_leave_the_employer_flag_alone(station, worker):
    employer = employers.create_employer(station, {"name": "青岛海成电子有限公司"})
    rights.create_case(station, {"kind": "contract", "employer_id": employer,
                                 "parties": [{"person_id": worker}]})
    assert employers.get_employer(station, employer)["wage_arrears"] == 0


@pytest.mark.parametrize("path", [
    ["referred", "resolved"], ["referred", "withdrawn"], ["resolved"], ["withdrawn"]])
def test_allowed_moves_are_dated(station, worker, path):
    case_id = _case(station, worker)["id"]
    for step, status in enumerate(path, start=1):
        rights.move_case(station, case_id, status, RECEIVED + timedelta(days=step),
                         result="经协调已支付" if status != "referred" else "")
    case = rights.get_case(station, case_id)
    assert case["status"] == path[-1]
    if path[0] == "referred":
        assert case["referred_on"] == (RECEIVED + timedelta(days=1)).isoformat()
    assert case["closed_on"] == (RECEIVED + timedelta(days=len(path))).isoformat()


@pytest.mark.parametrize("path, refused, message", [
    (["resolved"], "referred", "此咨询已解决，不能再改为“转劳动监察”。"),
    (["withdrawn"], "resolved", "此咨询已撤回，不能再改为“已解决”。"),
    (["referred"], "referred", "此咨询已是“转劳动监察”状态，无需重复办理。"),
    (["referred"], "accepted", "此咨询已转劳动监察，不能退回“受理”状态。"),
    ([], "accepted", "此咨询已是“受理”状态，无需重复办理。"),
    ([], "closed", "请选择办理状态。"),
])
def test_refused_moves_say_why_and_change_nothing(station, worker, path, refused, message):
    case_id = _case(station, worker)["id"]
    for status in path:
        rights.move_case(station, case_id, status, RECEIVED, result="当事人撤回")
    before = rights.get_case(station, case_id)
    logged = station.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValidationError) as error:
        rights.move_case(station, case_id, refused, TODAY, result="再次办理")
    assert str(error.value) == message
    assert rights.get_case(station, case_id) == before
    assert station.scalar("SELECT count(*) FROM audit_log") == logged


@pytest.mark.parametrize("status, day, extra, message", [
    ("referred", RECEIVED - timedelta(days=1), {}, f"办理日期不能早于受理日期（{RECEIVED}）。"),
    ("referred", TODAY + timedelta(days=1), {}, "办理日期不能晚于今天。"),
    ("resolved", TODAY, {}, "请填写办理结果或撤回原因。"),
    ("withdrawn", TODAY, {"result": "撤回", "recovered": "100"}, "只有已解决的咨询才能填写追回金额。"),
])
def test_move_dates_and_results_are_checked(station, worker, status, day, extra, message):
    case_id = _case(station, worker)["id"]
    with pytest.raises(ValidationError, match=re.escape(message)):
        rights.move_case(station, case_id, status, day, **extra)


def test_closing_after_referral_is_not_dated_before_the_referral(station, worker):
    case_id = _case(station, worker)["id"]
    rights.move_case(station, case_id, "referred", RECEIVED + timedelta(days=5))
    with pytest.raises(ValidationError, match="不能早于转劳动监察日期"):
        rights.move_case(station, case_id, "resolved", RECEIVED + timedelta(days=2), result="好")
    rights.move_case(station, case_id, "resolved", TODAY, result="已足额支付", recovered="12500.5")
    assert rights.get_case(station, case_id)["recovered_text"] == "12,500.50"


@pytest.mark.parametrize("fields, message", [
    ({"parties": []}, "请至少填写一名当事人。"),
    ({"people_count": 1}, "涉及人数不能少于填写的当事人人数（2 人）。"),
    ({"evidence": "录音"}, "证据类型“录音”不正确"),
    ({"period_from": "2025-06", "period_to": "2025-03"}, "欠薪期间的起始月份不能晚于结束月份。"),
    ({"employer_name": ""}, "拖欠工资的咨询请填写用人单位"),
    ({"kind": "theft"}, "请选择咨询类型。"),
    ({"amount": "-5"}, "涉及金额应为不小于 0"),
    ({"received_on": TODAY + timedelta(days=1)}, "受理日期不能晚于今天。"),
])
def test_bad_cases_are_refused_and_write_nothing(station, worker, fields, message):
    logged = station.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValidationError, match=re.escape(message)):
        _case(station, worker, **fields)
    assert station.scalar("SELECT count(*) FROM audit_log") == logged


def test_people_count_may_exceed_the_named_parties(station, worker):
    case = rights.get_case(station, _case(station, worker, people_count="30")["id"])
    assert case["people_count"] == 30


def test_cases_list_by_status_person_and_date(station, worker):
    first = _case(station, worker)["id"]
    second = rights.create_case(station, {"kind": "injury", "parties": [{"name": "孙某"}]})["id"]
    rights.move_case(station, first, "withdrawn", TODAY, result="自行协商解决")
    assert [c["id"] for c in rights.list_cases(station, status="open")] == [second]
    assert [c["id"] for c in rights.list_cases(station, person_id=worker)] == [first]
    assert [c["id"] for c in rights.list_cases(station, since=TODAY)] == [second]
    assert rights.get_by_number(station, rights.get_case(station, second)["number"])["id"] == second


def test_correcting_a_case_links_a_newly_named_employer(station, worker):
    case_id = _case(station, worker)["id"]
    employer = employers.create_employer(station, {"name": "东阿阿胶物流中心"})
    changed = rights.update_case(station, case_id, {"employer_name": "东阿阿胶物流中心",
                                                    "amount": "800"})
    assert changed["employer_id"] == employer and changed["amount"] == 80_000
    assert employers.get_employer(station, employer)["wage_arrears"] == 1
    assert rights.update_case(station, case_id, {"amount": "800.00"}) == {}
