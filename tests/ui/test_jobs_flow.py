"""Person → match → refer → print preview → outcome, driven through the window."""

from datetime import date, timedelta

import pytest

from db import employers, employment, jobs, people, referrals
from tests.conftest import id_of
from ui.jobs_screen import JobsScreen
from ui.person_dialog import PersonDialog
from ui.person_jobs_tab import PersonJobsTab

TODAY = date.today()


@pytest.fixture
def world(station):
    """An unemployed welder and a local welding job."""
    pid = people.create_person(station, {"name": "张三", "id_number": id_of(1985),
                                         "hukou_village": "东关村", "skills": "电焊工"})
    employment.add_status(station, pid, "unemployed", TODAY - timedelta(days=90))
    owner = employers.create_employer(station, {"name": "平阴县玫瑰机械有限公司"})
    jid = jobs.create_job(station, {"employer_id": owner, "work_type": "电焊工",
                                    "place_type": "local", "wage_min": 4000, "wage_max": 6000,
                                    "work_place": "玫瑰镇工业园", "headcount": 3})
    return station, pid, jid


def jobs_tab(dialog: PersonDialog) -> PersonJobsTab:
    (tab,) = [tab for title, tab in dialog.history if title == "岗位推荐"]
    dialog.tabs.setCurrentWidget(tab)
    return tab


def test_person_dialog_refers_to_a_matching_job_and_previews_the_letter(qtbot, world):
    station, pid, jid = world
    dialog = PersonDialog(station, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = jobs_tab(dialog)
    assert [m.job["id"] for m in tab.matches] == [jid]
    assert "技能“电焊工”与工种“电焊工”相符" in tab.jobs_table.item(0, 6).text()
    tab.jobs_table.selectRow(0)
    tab.refer_button.click()
    (row,) = referrals.list_referrals(station, person_id=pid)
    assert row["number"] == f"370124101-{TODAY.year}-00001"
    assert tab.referral_table.item(0, 0).text() == row["number"]
    assert tab.preview.isVisible() and tab.preview.page_count.text() == "共 1 页"
    assert tab.matches == []  # no second referral to the same job is proposed


def test_hired_outcome_with_consent_makes_the_person_employed(qtbot, world, monkeypatch):
    station, pid, jid = world
    referrals.create_referral(station, pid, jid)
    monkeypatch.setattr("ui.referral_flow.confirm", lambda *a, **k: True)
    dialog = PersonDialog(station, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = jobs_tab(dialog)
    seen = []
    tab.changed.connect(seen.append)
    tab.referral_table.selectRow(0)
    tab.outcome_button.click()
    outcome = tab.dialog
    outcome.outcome.setCurrentIndex(outcome.outcome.findData("hired"))
    outcome.ok_button.click()
    assert referrals.list_referrals(station, person_id=pid)[0]["outcome"] == "hired"
    assert people.get_person(station, pid)["current_status"] == "local"
    assert seen == [{"referral", "employment_status", "person"}]
    assert "已录用" in tab.referral_table.item(0, 4).text()
    assert "本地就业" in dialog.summary.text()


def test_hired_outcome_without_consent_leaves_the_status(qtbot, world, monkeypatch):
    station, pid, jid = world
    made = referrals.create_referral(station, pid, jid)
    monkeypatch.setattr("ui.referral_flow.confirm", lambda *a, **k: False)
    from ui.referral_flow import OutcomeDialog

    outcome = OutcomeDialog(station, referrals.get_referral(station, made["id"]))
    qtbot.addWidget(outcome)
    outcome.outcome.setCurrentIndex(outcome.outcome.findData("hired"))
    outcome.ok_button.click()
    assert outcome.tables == {"referral"}
    assert people.get_person(station, pid)["current_status"] == "unemployed"


def test_jobs_screen_matches_in_the_background_and_refers(qtbot, world):
    station, pid, jid = world
    screen = JobsScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: len(screen.matches) == 1, timeout=5000)
    assert "匹配理由" == screen.match_table.horizontalHeaderItem(7).text()
    assert "相符" in screen.match_table.item(0, 7).text()
    emitted = []
    screen.changed.connect(emitted.append)
    screen.match_table.selectRow(0)
    screen.refer_button.click()
    (row,) = referrals.list_referrals(station, job_id=jid)
    assert row["person_id"] == pid and row["number"] in screen.match_title.text()
    assert screen.preview.page_count.text() == "共 1 页"
    assert emitted == [{"referral", "service_log"}]
    qtbot.waitUntil(lambda: screen.running == 0)


def test_a_refused_referral_says_why_and_writes_nothing(qtbot, world, monkeypatch):
    station, pid, jid = world
    screen = JobsScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: len(screen.matches) == 1, timeout=5000)
    jobs.close_job(station, jid)  # closed by another clerk meanwhile
    said = []
    monkeypatch.setattr("ui.jobs_screen.show_error", lambda _p, exc: said.append(str(exc)))
    screen.match_table.selectRow(0)
    screen.refer_button.click()
    assert said == ["此岗位已停招，不能推荐。"]
    assert referrals.list_referrals(station) == []
    qtbot.waitUntil(lambda: screen.running == 0)


def test_closing_the_job_while_matching_runs_says_so_quietly(qtbot, world):
    station, pid, jid = world
    screen = JobsScreen(station)
    qtbot.addWidget(screen)
    jobs.close_job(station, jid)
    screen.jobs = jobs.list_jobs(station, open_only=False)
    screen.start_matching(screen.jobs[0])  # the clerk chose it just before it closed
    qtbot.waitUntil(lambda: screen.running == 0, timeout=5000)
    assert "已停招、过期或招满" in screen.match_title.text() and screen.matches == []
