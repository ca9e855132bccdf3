"""帮扶台账: entry and exit follow status and groups, follow-ups, overdue rules, the sheet."""

from datetime import date, timedelta

import openpyxl
import pytest
from sqlite_utils import Database

from db import audit, employment, ledger, people, service_log, settings
from db.errors import ValidationError
from db.migrations import (
    m0001_initial,
    m0002_name_characters,
    m0003_jobs,
    m0004_welfare_posts,
    m0005_ledger_rights_training,
)
from tests.conftest import id_of

TODAY = date.today()


def _person(station, seq=12, **fields) -> str:
    return people.create_person(station, {"name": "李秀英", "id_number": id_of(1975, seq=seq),
                                          "hukou_village": "东关村", **fields})


def _entries(station, person_id):
    return station.query("SELECT * FROM ledger_entry WHERE person_id = ? ORDER BY rowid",
                         [person_id])


@pytest.fixture
def poor(station):
    """A poverty-alleviated person, out of work since 2024-12-01."""
    pid = _person(station, poverty_alleviated=1)
    employment.add_status(station, pid, "unemployed", "2024-12-01")
    return pid


def test_poverty_alleviated_person_out_of_work_enters_from_the_status_date(station, poor):
    entry = ledger.open_entry(station, poor)
    assert entry["entered_on"] == "2024-12-01"
    assert entry["recorded_on"] == TODAY.isoformat()
    assert entry["entry_status"] == "unemployed"
    assert ledger.person_in_ledger(station, poor)


@pytest.mark.parametrize("status", ["unemployed", "willing", "no_intention", "flexible"])
def test_not_employed_and_flexible_work_put_monitored_people_in(station, status):
    pid = _person(station, monitored=1)
    employment.add_status(station, pid, status, "2025-03-01")
    assert ledger.open_entry(station, pid)


@pytest.mark.parametrize("status", ["local", "in_province", "out_province", "self_employed"])
def test_stable_work_keeps_people_out(station, status):
    pid = _person(station, poverty_alleviated=1)
    employment.add_status(station, pid, status, "2025-03-01")
    assert ledger.open_entry(station, pid) is None


def test_people_outside_the_groups_never_enter(station):
    pid = _person(station, low_income=1, rural_disabled=1)
    employment.add_status(station, pid, "unemployed", "2025-03-01")
    assert _entries(station, pid) == []


def test_a_person_with_no_recorded_status_is_not_in_the_ledger(station):
    pid = _person(station, poverty_alleviated=1, monitored=1)
    assert _entries(station, pid) == []


def test_moving_between_unstable_statuses_keeps_the_same_entry(station, poor):
    first = ledger.open_entry(station, poor)["id"]
    employment.add_status(station, poor, "flexible", "2025-02-01")
    employment.add_status(station, poor, "willing", "2025-04-01")
    assert [e["id"] for e in _entries(station, poor)] == [first]
    assert ledger.open_entry(station, poor)["status"] == "未就业有意愿"


def test_stable_work_takes_the_person_out_from_the_day_work_began(station, poor):
    employment.add_status(station, poor, "out_province", "2025-05-06")
    [entry] = _entries(station, poor)
    assert (entry["left_on"], entry["leave_reason"], entry["left_status"]) == (
        "2025-05-06", "employed", "out_province")
    assert ledger.open_entry(station, poor) is None


def test_leaving_the_groups_or_being_deleted_closes_the_entry_today(station, poor):
    people.update_person(station, poor, {"poverty_alleviated": 0})
    assert [(e["left_on"], e["leave_reason"]) for e in _entries(station, poor)] == [
        (TODAY.isoformat(), "left_group")]
    other = _person(station, seq=44, monitored=1)
    employment.add_status(station, other, "willing", "2025-01-01")
    people.delete_person(station, other)
    assert _entries(station, other)[0]["leave_reason"] == "person_deleted"


def test_setting_a_group_flag_enters_the_person_today(station):
    pid = _person(station)
    employment.add_status(station, pid, "unemployed", "2024-06-01")
    people.update_person(station, pid, {"monitored": 1})
    assert ledger.open_entry(station, pid)["entered_on"] == TODAY.isoformat()


def test_a_mistaken_status_withdrawn_before_any_followup_leaves_no_entry(station):
    pid = _person(station, poverty_alleviated=1)
    employment.add_status(station, pid, "local", "2024-01-01")
    wrong = employment.add_status(station, pid, "unemployed", "2025-06-01")
    employment.remove_status(station, wrong)
    assert ledger.person_entries(station, pid) == []
    assert _entries(station, pid)[0]["deleted_at"]  # kept, soft-deleted, audited


def test_withdrawing_the_job_that_took_a_person_out_reopens_their_entry(station, poor):
    first = ledger.open_entry(station, poor)["id"]
    stable = employment.add_status(station, poor, "local", "2025-01-10")
    assert ledger.open_entry(station, poor) is None
    employment.remove_status(station, stable)  # entered by mistake
    entry = ledger.open_entry(station, poor)
    assert (entry["id"], entry["entered_on"], entry["left_on"]) == (first, "2024-12-01", None)
    ledger.record_followup(station, first, "2025-02-01", "phone", "仍在家中")
    wrong = employment.add_status(station, poor, "self_employed", "2025-03-01")
    employment.remove_status(station, wrong)
    assert [e["id"] for e in _entries(station, poor)] == [first]
    assert ledger.open_entry(station, poor)["last_followup_date"] == "2025-02-01"


def test_coming_back_starts_a_new_entry_never_before_the_last_exit(station, poor):
    employment.add_status(station, poor, "local", "2025-03-01")
    employment.add_status(station, poor, "unemployed", "2025-08-15")
    first, second = ledger.person_entries(station, poor)[::-1]
    assert (first["left_on"], second["entered_on"], second["left_on"]) == (
        "2025-03-01", "2025-08-15", None)


def test_ledger_entries_are_written_in_the_audit_log_by_the_clerk(station, poor):
    entry = ledger.open_entry(station, poor)
    [row] = audit.history(station.db, "ledger_entry", entry["id"])
    assert row["actor"] == "admin" and row["changes"]["entered_on"] == [None, "2024-12-01"]


def test_migration_puts_people_already_out_of_work_in_the_ledger():
    db = Database(memory=True)
    db.conn.create_function("jobstation_actor", 0, lambda: "迁移")
    for step in (m0001_initial, m0002_name_characters, m0003_jobs, m0004_welfare_posts):
        step.migrate(db)
    now = "2025-01-01T00:00:00.000+00:00"
    meta = {"created_at": now, "created_by": "x", "updated_at": now, "updated_by": "x"}
    for pid, flag, status in (("p1", 1, "unemployed"), ("p2", 1, "local"), ("p3", 0, "willing")):
        db["person"].insert({"id": pid, "id_number": pid, "name": "某", "sex": "M",
                             "birth_date": "1970-01-01", "poverty_alleviated": flag, **meta})
        db["employment_status"].insert({"id": f"s{pid}", "person_id": pid, "status": status,
                                        "since_date": "2024-05-01", **meta})
    m0005_ledger_rights_training.migrate(db)
    rows = list(db.query("SELECT person_id, entered_on, id FROM ledger_entry"))
    assert [(r["person_id"], r["entered_on"]) for r in rows] == [("p1", "2024-05-01")]
    assert len(rows[0]["id"]) == 36 and rows[0]["id"][14] == "7"  # a UUIDv7
    tally = db.execute("SELECT current_status, poverty_alleviated, people FROM person_tally "
                       "ORDER BY 1").fetchall()
    assert tally == [("local", 1, 1), ("unemployed", 1, 1), ("willing", 0, 1)]

# ------------------------------------------------------------------ follow-ups


def test_followup_updates_the_entry_and_writes_the_service_log(station, poor):
    entry = ledger.open_entry(station, poor)
    ledger.record_followup(station, entry["id"], "2025-03-10", "visit", "在家照顾老人，想就近打零工",
                           "2025-04-10")
    entry = ledger.get_entry(station, entry["id"])
    assert (entry["last_followup_date"], entry["last_method"], entry["next_due_date"]) == (
        "2025-03-10", "visit", "2025-04-10")
    assert entry["method_label"] == "上门走访"
    [line] = service_log.list_services(station, poor)
    assert line["kind"] == "followup" and "上门走访" in line["content"]
    assert line["clerk"] == "王站长"


def test_next_due_defaults_to_the_interval_setting(station, poor):
    settings.put(station, "ledger.followup_interval_days", 45)
    entry = ledger.open_entry(station, poor)
    fid = ledger.record_followup(station, entry["id"], "2025-01-20", "phone", "电话联系")
    assert station.scalar("SELECT next_due_date FROM ledger_followup WHERE id = ?", [fid]) == (
        "2025-03-06")


@pytest.mark.parametrize("args, message", [
    (("2025-03-01", "sms", "联系了", "2025-04-01"), "请选择走访方式（电话或上门走访）。"),
    (("2025-03-01", "phone", "  ", "2025-04-01"), "请填写走访结果。"),
    ((TODAY + timedelta(days=1), "phone", "联系了", None), "走访日期不能晚于今天。"),
    (("2024-11-30", "phone", "联系了", "2025-01-01"),
     "走访日期不能早于此人进入帮扶台账的日期（2024-12-01）。"),
    (("2025-03-01", "phone", "联系了", "2025-03-01"), "下次走访日期应晚于本次走访日期。"),
])
def test_bad_followups_are_refused_in_chinese_and_write_nothing(station, poor, args, message):
    entry = ledger.open_entry(station, poor)
    before = station.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValidationError) as refused:
        ledger.record_followup(station, entry["id"], *args)
    assert str(refused.value) == message
    assert station.scalar("SELECT count(*) FROM audit_log") == before


def test_a_followup_after_the_person_left_is_refused(station, poor):
    entry = ledger.open_entry(station, poor)
    employment.add_status(station, poor, "local", "2025-02-01")
    with pytest.raises(ValidationError, match="已于 2025-02-01 退出帮扶台账"):
        ledger.record_followup(station, entry["id"], "2025-02-02", "phone", "已就业")
    ledger.record_followup(station, entry["id"], "2025-01-15", "phone", "补录走访")  # before: ok


def test_overdue_counts_from_the_latest_followup_across_a_month_end(station, poor):
    entry = ledger.open_entry(station, poor)
    ledger.record_followup(station, entry["id"], "2025-01-31", "phone", "在家", "2025-02-28")
    assert ledger.overdue(station, date(2025, 2, 28)).total == 0  # due today: not overdue
    late = ledger.overdue(station, date(2025, 3, 1))
    assert late.total == 1 and late.rows[0]["overdue_days"] == 1
    # A follow-up dated earlier than the latest one changes nothing ...
    ledger.record_followup(station, entry["id"], "2025-01-10", "visit", "补录", "2025-01-20")
    assert ledger.overdue(station, date(2025, 3, 1)).total == 1
    # ... a later one does.
    ledger.record_followup(station, entry["id"], "2025-02-27", "visit", "上门", "2025-03-31")
    assert ledger.overdue(station, date(2025, 3, 1)).total == 0
    assert ledger.overdue(station, date(2025, 4, 1)).rows[0]["due_date"] == "2025-03-31"


def test_a_person_never_followed_up_is_due_n_days_after_entering(station, poor):
    entry = ledger.open_entry(station, poor)
    # The station learned of this person on 2025-01-20 (as if recorded that day).
    station.conn.execute("UPDATE ledger_entry SET recorded_on = '2025-01-20' WHERE id = ?",
                         [entry["id"]])
    settings.put(station, "ledger.first_followup_days", 15)
    assert ledger.overdue(station, date(2025, 2, 4)).total == 0
    assert ledger.overdue(station, date(2025, 2, 5)).rows[0]["overdue_days"] == 1
    settings.put(station, "ledger.first_followup_days", 12)  # due 2025-02-01, over the month end
    assert ledger.get_entry(station, entry["id"])["due_date"] == "2025-02-01"
    assert ledger.overdue(station, date(2025, 2, 1)).total == 0
    assert ledger.overdue(station, date(2025, 2, 2)).total == 1


def test_the_fast_overdue_query_agrees_with_checking_every_entry(station):
    on = date(2025, 6, 1)
    for seq in range(20, 32):
        pid = _person(station, seq=seq, monitored=1)
        employment.add_status(station, pid, "willing", "2025-01-01")
        entry = ledger.open_entry(station, pid)
        if seq % 3:
            day = date(2025, 1, 1) + timedelta(days=11 * seq)
            ledger.record_followup(station, entry["id"], day, "phone", "联系了",
                                   day + timedelta(days=20))
    by_scan = [e["id"] for e in ledger.current_entries(station, on=on) if e["overdue_days"]]
    fast = ledger.overdue(station, on, limit=5)
    assert fast.total == len(by_scan) and len(fast.rows) == min(5, len(by_scan))
    assert [r["overdue_days"] for r in fast.rows] == sorted(
        (r["overdue_days"] for r in fast.rows), reverse=True)


def test_a_followup_that_finds_stable_work_takes_the_person_out(station, poor):
    entry = ledger.open_entry(station, poor)
    ledger.record_followup(station, entry["id"], "2025-04-01", "visit", "已在县城企业上班",
                           new_status="local", status_since="2025-03-20")
    [closed] = ledger.person_entries(station, poor)
    assert (closed["left_on"], closed["leave_reason"]) == ("2025-03-20", "employed")
    assert employment.status_history(station, poor)[0]["status"] == "local"


def test_removing_a_followup_restores_the_previous_one_and_its_service_line(station, poor):
    entry = ledger.open_entry(station, poor)
    ledger.record_followup(station, entry["id"], "2025-02-01", "phone", "一", "2025-03-01")
    second = ledger.record_followup(station, entry["id"], "2025-03-01", "visit", "二", "2025-04-01")
    ledger.remove_followup(station, second)
    assert ledger.get_entry(station, entry["id"])["next_due_date"] == "2025-03-01"
    assert [s["content"][:6] for s in service_log.list_services(station, poor)] == ["帮扶电话：一"]
    assert [f["outcome"] for f in ledger.followups(station, entry["id"])] == ["一"]


def test_left_entries_say_who_left_and_why(station, poor):
    employment.add_status(station, poor, "local", TODAY - timedelta(days=3))
    [row] = ledger.left_entries(station, TODAY - timedelta(days=30))
    assert (row["name"], row["leave_reason_label"]) == ("李秀英", "实现稳定就业")

# ------------------------------------------------------------------ the sheet


def test_the_sheet_has_the_county_columns_masks_numbers_and_flags_overdue(station, poor):
    entry = ledger.open_entry(station, poor)
    ledger.set_measures(station, entry["id"], "推荐就近就业岗位", "家有老人")
    ledger.record_followup(station, entry["id"], "2025-01-05", "phone", "在家", "2025-02-05")
    sheet = ledger.ledger_sheet(station)
    assert [label for _k, label in sheet.columns] == [
        "序号", "姓名", "性别", "身份证号", "村", "人员类别", "就业状态", "帮扶措施", "最近走访日期",
        "走访方式", "走访结果", "下次走访日期", "备注"]
    [row] = sheet.rows
    assert row["id_number"].startswith("3701") and "*" in row["id_number"]
    assert (row["groups"], row["status"], row["last_method"], row["measures"]) == (
        "脱贫人口", "失业", "电话", "推荐就近就业岗位")
    assert row["remarks"].startswith("走访已逾期") and row["remarks"].endswith("家有老人")
    assert sheet.overdue == 1 and "走访逾期 1 人" in sheet.subtitle


def test_the_sheet_exports_to_excel_with_full_numbers_for_the_head(station, poor, tmp_path):
    out = tmp_path / "台账.xlsx"
    assert ledger.export_ledger(station, out, full_numbers=True) == 1
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[3]][:4] == ["序号", "姓名", "性别", "身份证号"]
    assert ws["D4"].value == id_of(1975) and ws["D4"].data_type == "s"
