"""首页: today's work items with the record to open, counts, and the risk warning."""

from datetime import date, timedelta

import pytest

from db import accounts, demo, employment, home, ledger, people, returns, settings
from tests.conftest import id_of

TODAY = date.today()


def _person(station, seq, village="东关村", **fields) -> str:
    return people.create_person(station, {"name": f"张{'一二三四五六七八九十'[seq % 10]}",
                                          "id_number": id_of(1970 + seq % 30, seq=seq),
                                          "hukou_village": village, **fields})


def test_an_overdue_followup_is_an_item_that_opens_the_ledger_entry(station):
    pid = _person(station, 1, poverty_alleviated=1)
    employment.add_status(station, pid, "unemployed", "2025-01-01")
    entry = ledger.open_entry(station, pid)
    ledger.record_followup(station, entry["id"], "2025-03-01", "phone", "在家", "2025-03-31")
    summary = home.home_summary(station, date(2025, 4, 3))
    [item] = [i for i in summary.items if i.kind == "followup_overdue"]
    assert (item.target, item.target_id, item.person_id) == ("ledger_entry", entry["id"], pid)
    assert item.text == ("张二（东关村）帮扶走访已逾期 3 天（应于 2025-03-31 前走访，"
                         "上次走访 2025-03-01）。")
    assert item.kind_label == "帮扶走访逾期" and summary.item_totals["followup_overdue"] == 1
    assert home.home_summary(station, date(2025, 3, 31)).item_totals["followup_overdue"] == 0


def test_items_are_capped_but_the_totals_count_them_all(station):
    for seq in range(10, 16):
        pid = _person(station, seq, monitored=1)
        employment.add_status(station, pid, "willing", "2025-01-01")
    later = TODAY + timedelta(days=60)  # none of them visited: all overdue by then
    summary = home.home_summary(station, later, limit=4)
    assert summary.item_totals["followup_overdue"] == 6
    assert len([i for i in summary.items if i.kind == "followup_overdue"]) == 4


def test_counts_by_status_group_and_village_match_the_records(station):
    settings.put(station, "older_age.male", 50)
    for seq, (village, status, flags) in enumerate([
            ("东关村", "local", {"poverty_alleviated": 1}), ("东关村", "unemployed", {}),
            ("西关村", "flexible", {"monitored": 1, "low_income": 1}), ("西关村", None, {}),
            ("李家庄村", "local", {"rural_disabled": 1})], start=40):
        pid = _person(station, seq, village, **flags)
        if status:
            employment.add_status(station, pid, status, "2025-02-01")
    gone = _person(station, 50, "东关村", poverty_alleviated=1)
    people.delete_person(station, gone)
    summary = home.home_summary(station)
    rows = station.query("SELECT * FROM person WHERE deleted_at IS NULL")
    assert summary.people == len(rows) == 5
    assert summary.by_status == {"local": 2, "unemployed": 1, "flexible": 1, "": 1}
    assert summary.by_village == {"东关村": 2, "西关村": 2, "李家庄村": 1}
    assert {k: v for k, v in summary.by_group.items() if k != "older"} == {
        "poverty_alleviated": 1, "monitored": 1, "low_income": 1, "rural_disabled": 1}
    older = sum(1 for r in rows if people.get_person(station, r["id"])["older"])
    assert summary.by_group["older"] == older
    assert summary.ledger_people == 1  # the monitored one in flexible work
    assert dict(summary.status_chart())["本地就业"] == 2


def _returned(station, seqs, village, days_ago):
    for seq in seqs:
        pid = _person(station, seq, village)
        returns.add_return(station, pid, TODAY - timedelta(days=days_ago), reason="企业停产")


def test_ten_people_of_one_village_back_within_30_days_raise_the_risk_warning(station):
    _returned(station, range(100, 107), "东关村", 3)
    for seq in range(107, 110):  # three lost work
        pid = _person(station, seq, "东关村")
        employment.add_status(station, pid, "local", "2024-01-01")
        employment.add_status(station, pid, "unemployed", TODAY - timedelta(days=29))
    _returned(station, range(110, 119), "西关村", 1)  # nine: below the line
    [risk] = home.home_summary(station).risks
    assert (risk.village, risk.people, risk.returned, risk.lost_work) == ("东关村", 10, 7, 3)
    assert risk.since == TODAY - timedelta(days=29)
    assert risk.text.startswith("规模性失业风险：东关村近 30 天有 10 人返乡或失业")


def test_returning_and_losing_work_count_one_person_once_and_old_events_not_at_all(station):
    _returned(station, range(120, 129), "东关村", 5)
    pid = people.find_by_id_number(station, id_of(1970 + 120 % 30, seq=120))["id"]
    employment.add_status(station, pid, "unemployed", TODAY - timedelta(days=5))  # same person
    _returned(station, [129], "东关村", 30)  # 30 days ago: outside the window
    assert home.risk_warnings(station) == []
    settings.put(station, "risk.window_days", 31)
    [risk] = home.risk_warnings(station)
    assert (risk.people, risk.returned, risk.lost_work) == (10, 10, 1)


def test_the_threshold_is_a_setting(station):
    _returned(station, range(130, 133), "李家庄村", 0)
    assert home.risk_warnings(station) == []
    settings.put(station, "risk.people", 3)
    assert [r.village for r in home.risk_warnings(station)] == ["李家庄村"]


def test_modules_missing_from_the_station_bring_no_items(station, monkeypatch):
    monkeypatch.setattr(home, "has_table", lambda st, name: False)
    summary = home.home_summary(station)
    assert set(summary.item_totals) == {"followup_overdue"}


@pytest.fixture(scope="module")
def busy_station(tmp_path_factory):
    """A demo station whose welfare posts a clerk (not the 站长) filled."""
    from db import setup

    station = setup.create_station(
        tmp_path_factory.mktemp("home") / "s", code="370124101", name="孔村镇就业服务站",
        county="平阴县", village_names=list(demo.DEMO_VILLAGES), admin_username="admin",
        admin_display_name="王站长", admin_password="secret123")
    demo.seed_people(station, 400)
    demo.seed_job_stories(station)
    station.act_as(accounts.create_account(station, "clerk", "李专员", "clerk", "secret123"))
    demo.seed_welfare_posts(station, months=3)
    yield station
    station.close()


def test_referrals_placements_insurance_and_attendance_become_items(busy_station):
    summary = home.home_summary(busy_station)
    kinds = {i.kind: i for i in summary.items}
    assert summary.item_totals["referral_feedback"] == len(
        [r for r in busy_station.query("SELECT * FROM referral WHERE outcome = 'pending'")
         if date.fromisoformat(r["referral_date"]) + timedelta(days=15) < TODAY])
    assert kinds["referral_feedback"].target == "referral"
    assert kinds["placement_approval"].target == "placement"
    assert "待站长审批" in kinds["placement_approval"].text
    assert kinds["insurance"].target == "placement" and kinds["insurance"].person_id
    months = [i.target_id for i in summary.items if i.kind == "attendance_approval"]
    assert len(months) == 2 and all(i < f"{TODAY:%Y-%m}" for i in months)
    assert all(i.target == "attendance_month" for i in summary.items
               if i.kind == "attendance_approval")


def test_the_people_tally_follows_every_kind_of_write(station):
    def tally():
        return {tuple(r[:-1]): r[-1] for r in station.conn.execute(
            "SELECT current_status, hukou_village, poverty_alleviated, monitored, low_income, "
            "rural_disabled, people FROM person_tally WHERE people > 0")}

    def grouped():
        return {tuple(r[:-1]): r[-1] for r in station.conn.execute(
            "SELECT coalesce(current_status, ''), hukou_village, poverty_alleviated, monitored, "
            "low_income, rural_disabled, count(*) FROM person WHERE deleted_at IS NULL "
            "GROUP BY 1, 2, 3, 4, 5, 6")}

    a, b = _person(station, 60, poverty_alleviated=1), _person(station, 61, "西关村")
    employment.add_status(station, a, "unemployed", "2025-01-01")
    wrong = employment.add_status(station, b, "local", "2025-01-01")
    assert tally() == grouped()
    employment.remove_status(station, wrong)
    people.update_person(station, a, {"hukou_village": "李家庄村", "monitored": 1,
                                      "poverty_alleviated": 0})
    assert tally() == grouped()
    people.delete_person(station, b)
    demo.seed_people(station, 50)  # bulk inserts
    assert tally() == grouped()
    assert home.home_summary(station).people == 51


def test_a_prefetched_summary_is_taken_once_by_the_next_call(station):
    _person(station, 1)
    home.prefetch_summary(station)
    first = home.home_summary(station)
    assert first.people == 1
    assert home.home_summary(station) is not first  # taken once: computed again


def test_a_prefetched_summary_is_dropped_after_a_write(station):
    home.prefetch_summary(station)
    _person(station, 2)
    assert home.home_summary(station).people == 1


def test_a_prefetched_summary_is_dropped_after_another_connections_write(station, tmp_path):
    from db.station import open_station

    home.prefetch_summary(station)
    other = open_station(station.data_dir)
    other.act_as(accounts.get_account(other, "admin"))
    _person(other, 3)
    other.close()
    assert home.home_summary(station).people == 1
