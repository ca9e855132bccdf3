"""The jobs screen and the referral worklist, driven as a clerk would (Chinese via IME)."""

import random
from datetime import date, timedelta

import openpyxl
import pytest

from db import demo, employers, employment, jobs, labour_export, people, referrals
from tests.conftest import id_of
from tests.ui.conftest import ime_type
from ui.jobs_screen import JobsScreen
from ui.referrals_screen import ReferralsScreen

TODAY = date.today()


@pytest.fixture
def screen(qtbot, station, monkeypatch):
    monkeypatch.setattr("ui.jobs_screen.confirm", lambda *a, **k: True)
    monkeypatch.setattr("ui.export_panel.confirm", lambda *a, **k: True)
    jobs_screen = JobsScreen(station)
    qtbot.addWidget(jobs_screen)
    jobs_screen.changed.connect(jobs_screen.refresh)  # as the main window does
    jobs_screen.show()
    yield jobs_screen
    qtbot.waitUntil(lambda: jobs_screen.running == 0, timeout=5000)


def test_new_employer_with_a_bad_credit_code_is_refused_inline(qtbot, screen):
    screen.add_button.click()
    screen.dialog.new_employer.click()
    form = screen.dialog.employer_dialog
    ime_type(form.edits["name"], "平阴县玫瑰食品有限公司")
    qtbot.keyClicks(form.edits["credit_code"], "913701241234567890")
    form.ok_button.click()
    assert form.isVisible() and "信用代码" in form.error.text()
    assert employers.list_employers(screen.station) == []


def test_clerk_posts_a_job_with_a_new_employer_then_closes_it(qtbot, screen):
    station = screen.station
    screen.add_button.click()
    dialog = screen.dialog
    dialog.new_employer.click()
    form = dialog.employer_dialog
    ime_type(form.edits["name"], "平阴县玫瑰食品有限公司")
    qtbot.keyClicks(form.edits["credit_code"], demo._credit_code(random.Random(1)))
    form.flags["support_workshop"].setChecked(True)
    form.ok_button.click()
    assert dialog.employer.currentText() == "平阴县玫瑰食品有限公司"
    ime_type(dialog.work_type, "包装工")
    dialog.headcount.setValue(20)
    ime_type(dialog.wage, "3500-4500元")
    dialog.place_type.setCurrentIndex(dialog.place_type.findData("local"))
    ime_type(dialog.age, "55岁以下")
    dialog.older_friendly.setChecked(True)
    dialog.ok_button.click()
    assert not dialog.isVisible(), dialog.error.text()
    (job,) = jobs.list_jobs(station)
    assert (job["work_type"], job["headcount"], job["wage_min"], job["wage_max"],
            job["age_max"], job["older_friendly"]) == ("包装工", 20, 3500, 4500, 55, 1)
    assert screen.jobs_table.item(0, 3).text() == "3500–4500元/月"
    assert screen.jobs_table.item(0, 6).text() == "适合大龄"
    qtbot.waitUntil(lambda: screen.running == 0, timeout=10000)
    screen.jobs_table.selectRow(0)
    screen.close_button.click()
    assert jobs.list_jobs(station) == [] and screen.jobs == []
    screen.show_closed.setChecked(True)
    assert "停招" in screen.jobs_table.item(0, 8).text()


def test_a_daily_wage_is_refused_in_the_dialog(qtbot, screen):
    employers.create_employer(screen.station, {"name": "玫瑰食品"})
    screen.add_button.click()
    dialog = screen.dialog
    dialog.employer.setCurrentIndex(1)
    ime_type(dialog.work_type, "装卸工")
    ime_type(dialog.wage, "200元/天")
    dialog.place_type.setCurrentIndex(1)
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.error.text() == "薪资请折算为月薪（元/月）填写。"


def test_import_writes_the_rejected_rows_beside_the_file(qtbot, screen, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr("ui.jobs_screen.info", lambda _p, text: said.append(text))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位名称", "工种", "招聘人数", "薪资", "工作地点", "工作地类型"])
    sheet.append(["济南重工有限公司", "电焊工", 5, "5000-7000", "济南市", "省内"])
    sheet.append(["济南重工有限公司", "", 5, "5000-7000", "济南市", "省内"])
    path = tmp_path / "岗位.xlsx"
    book.save(path)
    screen.hide()  # no matching search starts afterwards (see the report on operations.py)
    screen.import_file(path)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert said[0].startswith("新增岗位 1 个，未导入 1 行")
    assert (tmp_path / "岗位_未导入.xlsx").exists()
    assert [j["work_type"] for j in jobs.list_jobs(screen.station)] == ["电焊工"]


@pytest.fixture
def old_referral(station):
    pid = people.create_person(station, {"name": "李四", "id_number": id_of(1980)})
    employment.add_status(station, pid, "unemployed", TODAY - timedelta(days=90))
    owner = employers.create_employer(station, {"name": "玫瑰食品"})
    jid = jobs.create_job(station, {"employer_id": owner, "work_type": "包装工",
                                    "place_type": "county", "headcount": 2})
    made = referrals.create_referral(station, pid, jid, on=TODAY - timedelta(days=20))
    return pid, made


def test_overdue_worklist_shows_an_old_referral_and_takes_its_outcome(qtbot, station,
                                                                      old_referral):
    pid, made = old_referral
    screen = ReferralsScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.tabs.tabText(0) == "逾期未反馈（1）"
    assert screen.overdue_table.item(0, 0).text() == made["number"]
    assert "逾期 5 天" in screen.overdue_table.item(0, 7).text()
    opened = []
    screen.open_person.connect(opened.append)
    screen.overdue_table.selectRow(0)
    screen.person_button.click()
    assert opened == [pid]
    screen.outcome_button.click()
    screen.dialog.outcome.setCurrentIndex(screen.dialog.outcome.findData("no_show"))
    screen.dialog.ok_button.click()
    assert screen.overdue == [] and screen.tabs.tabText(0) == "逾期未反馈（无）"
    assert screen.all_table.item(0, 7).text() == "未报到"


def test_the_days_letters_print_in_one_batch(qtbot, station, old_referral):
    screen = ReferralsScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    screen.print_day.setDate(screen.print_day.date().addDays(-20))
    screen.print_button.click()
    assert screen.preview.page_count.text() == "共 1 页"


def test_labour_export_batch_takes_members_and_departs(qtbot, screen):
    station = screen.station
    pid = people.create_person(station, {"name": "王五", "id_number": id_of(1975)})
    labour_export.create_batch(station, {"destination": "江苏省苏州市",
                                         "place_type": "out_province", "depart_date": TODAY})
    screen.tabs.setCurrentIndex(1)
    panel = screen.export_panel
    ime_type(panel.search, "王五")
    assert panel.found.count() == 1
    panel.add_button.click()
    assert [m["id"] for m in panel.members] == [pid]
    panel.roster_button.click()
    assert panel.preview.page_count.text() == "共 1 页"
    panel.depart_button.click()
    assert people.get_person(station, pid)["current_status"] == "out_province"
    assert "已出发" in panel.batch_table.item(0, 5).text()
