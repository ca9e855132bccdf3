"""Welfare posts and placements: the eligibility rules, each refusal with its reason."""

from datetime import date

import pytest

from db import audit, people, placements, policy, welfare_posts
from db.errors import PermissionDenied, ValidationError
from db.holidays import Month
from db.placements import NotEligibleError

from .welfare_fixtures import act_as_clerk, person, placement, post


def _refusal(station, person_id, post_id, start="2025-01-01", end="2025-12-31") -> str:
    with pytest.raises(NotEligibleError) as caught:
        placements.place_person(station, person_id, post_id, start, end)
    return str(caught.value)


def _count(station, table):
    return station.scalar(f"SELECT count(*) FROM {table}")

# ------------------------------------------------------------------ posts


def test_post_is_created_with_labels_and_audited(station):
    post_id = post(station, subsidy_standard="800", monthly_hours="60")
    row = welfare_posts.list_posts(station)[0]
    assert row["category_label"] == "公共服务类" and row["schedule_label"] == "非全日制"
    assert row["subsidy_standard"] == 80000 and row["monthly_hours"] == "60"
    assert audit.history(station.db, "welfare_post", post_id)[0]["op"] == "insert"


@pytest.mark.parametrize("fields, message", [
    ({"category": "x"}, "岗位类别"),
    ({"village": "火星村"}, "行政村"),
    ({"daily_hours": "5"}, "非全日制岗位每日工时不能超过 4 小时"),
    ({"daily_hours": "abc"}, "每日工时应填写数字"),
    ({"capacity": 0}, "定员"),
    ({"subsidy_standard": "-5"}, "月补贴标准"),
])
def test_post_refuses_bad_input_in_chinese(station, fields, message):
    with pytest.raises(ValidationError, match=message):
        post(station, **fields)
    assert _count(station, "welfare_post") == 0


def test_post_capacity_cannot_drop_below_people_on_it(station):
    post_id = post(station, capacity=2)
    placement(station, post_id=post_id)
    placement(station, post_id=post_id, name="李四")
    with pytest.raises(ValidationError, match="现有 2 人在岗"):
        welfare_posts.update_post(station, post_id, {"capacity": 1})

# ------------------------------------------------------------ eligibility


def test_person_of_a_priority_group_is_placed_with_a_notice_number(station):
    placement_id = placement(station, low_income=True)
    row = placements.get_placement(station, placement_id)
    assert row["notice_no"] == "370124101SG20250001"
    assert row["approved_by"] == "admin"  # placed by the 站长: approved at once


def test_person_outside_the_groups_is_refused_with_the_groups_named(station):
    someone = person(station, name="赵六", wants_out=True)
    reason = _refusal(station, someone, post(station))
    assert reason == ("赵六不属于公益性岗位安置对象（脱贫人口、防止返贫监测对象、农村低收入人口、"
                      "农村残疾人），不能安置上岗。")
    assert _count(station, "placement") == 0


def test_older_people_are_eligible_only_when_the_county_says_so(station):
    older = person(station, name="钱老汉", born=date(1960, 1, 1), wants_out=True)
    assert "不属于公益性岗位安置对象" in _refusal(station, older, post(station))
    policy.set_parameter(station, "eligibility.groups", ["poverty_alleviated", "older"],
                         "2024-01-01")
    placements.place_person(station, older, post(station), "2025-01-01", "2025-12-31")


def test_one_post_per_person(station):
    first = placement(station, name="张三")
    person_id = placements.get_placement(station, first)["person_id"]
    reason = _refusal(station, person_id, post(station, name="护林员"), "2025-06-01",
                      "2025-12-31")
    assert "张三已在东关村“村庄保洁员”岗位（2025-01-01 起）上岗，一人只能安置一个公益性岗位" in reason


def test_a_second_post_after_exit_is_allowed(station):
    first = placement(station, name="张三")
    person_id = placements.get_placement(station, first)["person_id"]
    placements.exit_placement(station, first, "2025-05-31", "resigned")
    placements.place_person(station, person_id, post(station), "2025-06-01", "2025-12-31")


def test_one_post_per_household_when_the_county_sets_it(station):
    placement(station, name="王大", household="H77")
    spouse = person(station, name="王大嫂", household="H77", sex="F")
    assert "同户成员王大已在“村庄保洁员”岗位上岗，本县实行一户一岗" in _refusal(
        station, spouse, post(station))
    policy.set_parameter(station, "eligibility.one_per_household", False, "2024-01-01")
    placements.place_person(station, spouse, post(station), "2025-01-01", "2025-12-31")


def test_household_rule_needs_the_household_number(station):
    someone = person(station, name="孙七", household="")
    assert _refusal(station, someone, post(station)) == "本县实行一户一岗，请先填写孙七的户编号。"


def test_term_longer_than_the_county_limit_is_refused_with_the_latest_end(station):
    someone = person(station)
    assert _refusal(station, someone, post(station), "2025-01-01", "2026-01-15") == \
        "聘期不能超过 12 个月，结束日期最晚为 2025-12-31。"
    assert "请填写聘期结束日期" in _refusal(station, someone, post(station), "2025-01-01", None)


def test_age_limits_apply_only_as_county_parameters(station):
    elder = person(station, name="周老伯", born=date(1955, 3, 1))
    placements.place_person(station, elder, post(station), "2025-01-01", "2025-12-31")
    policy.set_parameter(station, "eligibility.max_age_male", 65, "2024-01-01")
    other = person(station, name="吴老伯", born=date(1956, 3, 1))
    assert _refusal(station, other, post(station)) == \
        "吴老伯上岗时 68 周岁，超过本县规定的男性上岗年龄上限 65 周岁。"


def test_full_post_is_refused(station):
    post_id = post(station, capacity=1)
    placement(station, post_id=post_id)
    assert "定员 1 人，2025-01-01 时已满员" in _refusal(station, person(station, name="李四"),
                                                     post_id)


def test_every_failed_rule_is_listed_in_one_sentence(station):
    someone = person(station, name="郑十", household="", wants_out=True)
    with pytest.raises(NotEligibleError) as caught:
        placements.place_person(station, someone, post(station), "2025-01-01", None)
    assert len(caught.value.reasons) == 3
    assert str(caught.value).startswith("不能安置上岗：郑十不属于") and str(caught.value).endswith("。")


def test_clerks_placement_waits_for_the_head(station):
    post_id = post(station)
    someone = person(station)
    act_as_clerk(station)
    placement_id = placements.place_person(station, someone, post_id, "2025-01-01", "2025-12-31")
    assert placements.get_placement(station, placement_id)["approved_at"] is None
    with pytest.raises(PermissionDenied):
        placements.approve_placement(station, placement_id)
    with pytest.raises(ValidationError, match="尚未经站长审批，不能打印上岗通知书"):
        placements.notice_data(station, placement_id)

# ------------------------------------------------------------------- exit


def test_exit_needs_a_reason_and_a_date_after_start(station):
    placement_id = placement(station)
    with pytest.raises(ValidationError, match="退岗原因"):
        placements.exit_placement(station, placement_id, "2025-03-31", "bored")
    with pytest.raises(ValidationError, match="不能早于上岗日期"):
        placements.exit_placement(station, placement_id, "2024-12-31", "resigned")
    placements.exit_placement(station, placement_id, "2025-03-31", "found_job")
    row = placements.get_placement(station, placement_id)
    assert (row["exit_date"], row["exit_reason"]) == ("2025-03-31", "found_job")
    assert welfare_posts.get_post(station, row["post_id"])["filled"] == 0


def test_renewal_extends_the_term(station):
    placement_id = placement(station, start="2025-01-01", end="2025-06-30")
    placements.change_term(station, placement_id, "2025-01-01", "2025-12-31")
    assert placements.get_placement(station, placement_id)["end_date"] == "2025-12-31"

# -------------------------------------------------------------- insurance


def test_insurance_warnings_name_missing_and_expiring_policies(station):
    insured = placement(station, name="张三")
    expiring = placement(station, name="李四")
    placement(station, name="王五")
    placements.add_insurance(station, insured, "中国人寿", "P001", "2025-01-01", "2025-12-31")
    placements.add_insurance(station, expiring, "人保财险", "P002", "2025-01-01", "2025-03-20")
    warnings = {w.name: w.text for w in placements.insurance_warnings(station, date(2025, 3, 1))}
    assert warnings == {"李四": "意外伤害保险将于 2025-03-20 到期（还有 19 天），请及时续保。",
                        "王五": "没有有效的意外伤害保险，请尽快投保。"}


def test_renewed_insurance_silences_the_warning(station):
    placement_id = placement(station)
    placements.add_insurance(station, placement_id, "人保财险", "P1", "2025-01-01", "2025-03-20")
    placements.add_insurance(station, placement_id, "人保财险", "P2", "2025-03-21", "2025-12-31")
    assert placements.insurance_warnings(station, date(2025, 3, 1)) == []


def test_insurance_refuses_a_period_that_ends_before_it_starts(station):
    with pytest.raises(ValidationError, match="止期不能早于起期"):
        placements.add_insurance(station, placement(station), "人保", "P1", "2025-03-01",
                                 "2025-02-01")

# --------------------------------------------------------- monthly checks


def test_monthly_check_notices_a_person_who_left_the_groups(station):
    placement_id = placement(station, name="张三")
    person_id = placements.get_placement(station, placement_id)["person_id"]
    people.update_person(station, person_id, {"poverty_alleviated": False})
    texts = [w.text for w in placements.monthly_checks(station, Month(2025, 4))
             if w.kind == "eligibility"]
    assert texts == ["张三不属于公益性岗位安置对象（脱贫人口、防止返贫监测对象、农村低收入人口、"
                     "农村残疾人），请核实是否应退岗。"]


def test_monthly_check_notices_two_post_holders_of_one_household(station):
    placement(station, name="王大", household="H1")
    second = placement(station, name="王二", household="H2")
    people.update_person(station, placements.get_placement(station, second)["person_id"],
                         {"household_no": "H1"})
    texts = sorted(w.text for w in placements.monthly_checks(station, Month(2025, 4))
                   if w.kind == "household")
    assert texts == ["王二的同户成员王大也在“村庄保洁员”岗位上岗，本县实行一户一岗，请核实。",
                     "王大的同户成员王二也在“村庄保洁员”岗位上岗，本县实行一户一岗，请核实。"]
