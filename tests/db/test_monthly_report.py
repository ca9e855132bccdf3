"""The monthly report's figures, each checked against a count made here in plain Python
over the raw rows (never by calling the report's own queries)."""

from collections import Counter
from datetime import date, timedelta

import openpyxl
import pytest

from db import demo, employment, ledger, monthly_report, people, setup
from db.errors import ValidationError
from db.holidays import Month
from desktop.commands_report import monthly_report_pdf
from tests.conftest import id_of
from tests.printing.pdfcheck import font_is_embedded, page_fonts, page_texts

TODAY = date.today()
THIS_MONTH = Month.parse(TODAY)
MONTHS = [THIS_MONTH, THIS_MONTH.previous(), THIS_MONTH.previous().previous()]


@pytest.fixture(scope="module")
def demo_station(tmp_path_factory):
    station = setup.create_station(
        tmp_path_factory.mktemp("report") / "s", code="370124101", name="孔村镇就业服务站",
        county="平阴县", village_names=list(demo.DEMO_VILLAGES), admin_username="admin",
        admin_display_name="王站长", admin_password="secret123")
    demo.seed_people(station, 600)
    demo.seed_stories(station)
    demo.seed_job_stories(station)
    demo.seed_ledger_stories(station)
    yield station
    station.close()


def live(station, table):
    return station.query(f"SELECT * FROM {table} WHERE deleted_at IS NULL")


def within(day, month: Month) -> bool:
    return bool(day) and month.first.isoformat() <= day <= month.last.isoformat()


def as_of(month: Month) -> str:
    return min(month.last, TODAY).isoformat()


def statuses_on(station, day: str) -> dict[str, str]:
    """person → newest status dated on or before ``day``."""
    newest: dict[str, tuple] = {}
    for row in live(station, "employment_status"):
        key = (row["since_date"], row["id"])
        if row["since_date"] <= day and key > newest.get(row["person_id"], ("",))[:2]:
            newest[row["person_id"]] = (*key, row["status"])
    return {pid: value[2] for pid, value in newest.items()}


@pytest.fixture(scope="module", params=MONTHS, ids=str)
def report(request, demo_station):
    return request.param, monthly_report.monthly_report(demo_station, request.param).figures


def test_people_by_status_group_and_village(demo_station, report):
    month, figures = report
    status = statuses_on(demo_station, as_of(month))
    persons = live(demo_station, "person")
    expected = Counter(status.get(p["id"], "none") for p in persons)
    assert {k: v for k, v in figures["status"].items() if v} == dict(expected)
    assert figures["people"] == len(persons)
    employed = {"local", "in_province", "out_province", "flexible", "self_employed"}
    for group in ("poverty_alleviated", "monitored", "low_income", "rural_disabled"):
        members = [p for p in persons if p[group]]
        assert figures["groups"][group]["total"] == len(members)
        assert figures["groups"][group]["employed"] == sum(
            status.get(p["id"]) in employed for p in members)
    by_village = Counter(p["hukou_village"] for p in persons)
    assert {v["village"]: v["total"] for v in figures["villages"]} == dict(by_village)
    east = next(v for v in figures["villages"] if v["village"] == "东关村")
    assert east["status"]["unemployed"] == sum(
        1 for p in persons if p["hukou_village"] == "东关村" and status.get(p["id"]) == "unemployed")


def test_registrations_and_returns(demo_station, report):
    month, figures = report
    regs = live(demo_station, "registration")
    assert figures["registrations"] == {
        **{kind: sum(within(r["reg_date"], month) for r in regs if r["kind"] == kind)
           for kind in ("job_seeking", "unemployment")},
        "cancelled": sum(within(r["cancelled_on"], month) for r in regs)}
    assert figures["returns"] == len({r["person_id"] for r in live(demo_station, "return_home")
                                      if within(r["return_date"], month)})


def test_referrals_and_outcomes(demo_station, report):
    month, figures = report
    refs = live(demo_station, "referral")
    end = as_of(month)
    assert figures["referrals"] == {
        "made": sum(within(r["referral_date"], month) for r in refs),
        **{k: sum(r["outcome"] == k and within(r["outcome_date"], month) for r in refs)
           for k in ("hired", "rejected", "no_show")},
        "pending_at_end": sum(r["referral_date"] <= end and (
            r["outcome"] == "pending" or r["outcome_date"] > end) for r in refs)}
    assert sum(figures["referrals"].values()) > 0 or month != THIS_MONTH


def test_ledger_followups_entries_and_overdue(demo_station, report):
    month, figures = report
    entries, visits = live(demo_station, "ledger_entry"), live(demo_station, "ledger_followup")
    end = as_of(month)
    open_then = [e for e in entries if e["entered_on"] <= end and (
        e["left_on"] is None or e["left_on"] > end)]
    first_days = 15
    overdue = 0
    for e in open_then:
        made = [f for f in visits if f["entry_id"] == e["id"] and f["followup_date"] <= end]
        if made:
            latest = max(made, key=lambda f: (f["followup_date"], f["id"]))
            overdue += latest["next_due_date"] < end
        else:
            due = date.fromisoformat(e["recorded_on"]) + timedelta(days=first_days)
            overdue += due.isoformat() < end
    g = figures["ledger"]
    assert g["at_end"] == len(open_then)
    assert g["entered"] == sum(within(e["entered_on"], month) for e in entries)
    assert g["left"] == {k: sum(e["leave_reason"] == k and within(e["left_on"], month)
                                for e in entries)
                         for k in ("employed", "left_group", "status_withdrawn", "person_deleted")}
    assert g["followups"] == {m: sum(f["method"] == m and within(f["followup_date"], month)
                                     for f in visits) for m in ("phone", "visit")}
    assert g["people_followed"] == len({f["person_id"] for f in visits
                                        if within(f["followup_date"], month)})
    assert g["overdue_at_end"] == overdue


def test_consultations(demo_station, report):
    month, figures = report
    cases = live(demo_station, "rights_case")
    end = as_of(month)
    got = [c for c in cases if within(c["received_on"], month)]
    c = figures["consultations"]
    assert (c["received"], c["people"], c["amount_fen"]) == (
        len(got), sum(x["people_count"] for x in got), sum(x["amount"] or 0 for x in got))
    assert c["kinds"]["unpaid_wages"] == sum(x["kind"] == "unpaid_wages" for x in got)
    assert c["referred"] == sum(within(x["referred_on"], month) for x in cases)
    for status in ("resolved", "withdrawn"):
        assert c[status] == sum(x["status"] == status and within(x["closed_on"], month)
                                for x in cases)
    assert c["recovered_fen"] == sum(x["recovered"] or 0 for x in cases
                                     if x["status"] == "resolved" and within(x["closed_on"], month))
    assert c["open_at_end"] == sum(x["received_on"] <= end and (
        x["closed_on"] is None or x["closed_on"] > end) for x in cases)


def test_training(demo_station, report):
    month, figures = report
    records, needs = live(demo_station, "training_record"), live(demo_station, "training_need")
    end = as_of(month)
    finished = [r for r in records if r["result"] == "completed" and within(r["end_date"], month)]
    t = figures["training"]
    assert t["started"] == sum(within(r["start_date"], month) for r in records)
    assert t["kinds"]["skill"] == sum(within(r["start_date"], month) and r["kind"] == "skill"
                                      for r in records)
    assert (t["completed"], t["certificates"]) == (
        len(finished), sum(bool(r["certificate"]) for r in finished))
    assert t["open_needs"] == sum(n["recorded_on"] <= end and (
        n["met_on"] is None or n["met_on"] > end) for n in needs)


def test_a_past_month_shows_the_status_people_had_then(station):
    pid = people.create_person(station, {"name": "张三", "id_number": id_of(1980),
                                         "hukou_village": "东关村", "poverty_alleviated": 1})
    employment.add_status(station, pid, "unemployed", "2025-03-10")
    employment.add_status(station, pid, "local", "2025-04-15")
    march = monthly_report.monthly_report(station, "2025-03").figures
    april = monthly_report.monthly_report(station, "2025-04").figures
    assert march["status"]["unemployed"] == 1 and april["status"]["local"] == 1
    assert (march["ledger"]["at_end"], march["ledger"]["entered"]) == (1, 1)
    assert (april["ledger"]["at_end"], april["ledger"]["left"]["employed"]) == (0, 1)
    assert monthly_report.monthly_report(station, "2025-02").figures["status"]["none"] == 1
    assert ledger.person_entries(station, pid)[0]["left_on"] == "2025-04-15"


def test_a_future_month_is_refused(station):
    with pytest.raises(ValidationError, match="月报月份不能晚于本月。"):
        monthly_report.monthly_report(station, THIS_MONTH.next())


def test_the_report_exports_to_excel_as_one_table(demo_station, tmp_path):
    report = monthly_report.monthly_report(demo_station, THIS_MONTH)
    out = tmp_path / "月报.xlsx"
    count = monthly_report.export_xlsx(report, out)
    ws = openpyxl.load_workbook(out).active
    assert report.title in ws["A1"].value
    assert [c.value for c in ws[3]] == ["类别", "项目", "数值", "说明"]
    values = {(r[0], r[1].strip()): r[2] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert len(values) == count
    assert values[("一、人员就业状态", "在册人员")] == report.figures["people"]
    assert values[("五、就业帮扶台账", "月末在册人数")] == report.figures["ledger"]["at_end"]
    assert values[("八、分村人员情况", "东关村")] == next(
        v["total"] for v in report.figures["villages"] if v["village"] == "东关村")


def test_the_report_prints_with_its_figures_and_an_embedded_font(demo_station):
    report = monthly_report.monthly_report(demo_station, THIS_MONTH)
    pdf = monthly_report_pdf(demo_station, THIS_MONTH)
    text = "".join(page_texts(pdf)).replace(" ", "")
    assert report.title in text and "分村人员情况" in text and "审核人（站长）" in text
    assert all(font_is_embedded(f) for f in page_fonts(pdf))
