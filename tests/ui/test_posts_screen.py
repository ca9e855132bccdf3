"""公益性岗位 screen: posts, placing eligible people, refusing the others with the reason."""

from datetime import date, timedelta

import pytest

from db import placements, policy, welfare_posts
from tests.db.welfare_fixtures import act_as_clerk, person, post
from tests.ui.conftest import ime_type
from ui.place_dialog import PlaceDialog
from ui.policy_dialog import PolicyDialog
from ui.posts_screen import PostsScreen
from ui.print_preview import PrintPreviewDialog


@pytest.fixture
def screen(qtbot, station):
    widget = PostsScreen(station)
    qtbot.addWidget(widget)
    widget.resize(1236, 700)
    widget.show()
    return widget


def test_creating_a_post_lists_it_with_its_terms(qtbot, screen, station):
    screen.add_post()
    dialog = screen.dialog
    ime_type(dialog.name, "村庄保洁员")
    dialog.village.setCurrentText("西关村")
    dialog.daily_hours.setText("3")
    dialog.capacity.setValue(2)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    posts = welfare_posts.list_posts(station)
    assert [(p["name"], p["village"], p["capacity"]) for p in posts] == [("村庄保洁员", "西关村", 2)]
    cells = [screen.posts_table.item(0, c).text() for c in range(9)]
    assert cells == ["西关村", "村庄保洁员", "公共管理类", "非全日制", "按日考勤", "3 小时",
                     "按政策计算", "2", "0"]


def test_post_form_errors_stay_in_the_dialog(screen):
    screen.add_post()
    dialog = screen.dialog
    dialog.name.setText("护林员")
    dialog.daily_hours.setText("6")  # 非全日制 at most 4 hours a day
    dialog.save()
    assert "不能超过 4 小时" in dialog.error.text()
    assert dialog.isVisible()


def place_dialog(qtbot, screen, typed: str) -> PlaceDialog:
    screen.load()
    screen.place()
    dialog = screen.dialog
    qtbot.keyClicks(dialog.query, typed)
    dialog.find()
    return dialog


def test_placing_an_eligible_person_by_id_digits(qtbot, station, screen):
    post(station)
    eligible = person(station, name="张三", born=date(1985, 5, 3))
    number = station.scalar("SELECT id_number FROM person WHERE id = ?", [eligible])
    dialog = place_dialog(qtbot, screen, number)
    dialog.start.setDate(dialog.start.date().fromString("2025-03-01", "yyyy-MM-dd"))
    dialog.end.setDate(dialog.end.date().fromString("2025-12-31", "yyyy-MM-dd"))
    assert dialog.verdict.text() == "符合安置条件，可以上岗。"
    assert dialog.ok_button.isEnabled()
    dialog.save()
    found = placements.list_placements(station, person_id=eligible)
    assert len(found) == 1 and found[0]["approved_at"]  # placed by the 站长: approved
    assert screen.placements_table.item(0, 0).text() == "张三"
    assert screen.posts_table.item(0, 8).text() == "1"


def test_an_ineligible_person_is_refused_with_the_reason(qtbot, station, screen):
    post(station)
    outsider = person(station, name="钱七", born=date(1995, 5, 3), monitored=False)
    number = station.scalar("SELECT id_number FROM person WHERE id = ?", [outsider])
    dialog = place_dialog(qtbot, screen, number[-6:])
    assert dialog.results.count() == 1
    assert "不属于公益性岗位安置对象" in dialog.verdict.text()
    assert not dialog.ok_button.isEnabled()
    dialog.save()
    assert "不属于公益性岗位安置对象" in dialog.error.text()
    assert placements.list_placements(station, person_id=outsider) == []


def test_clerk_placement_waits_for_the_head_and_notice_prints(qtbot, station, screen):
    post_id = post(station)
    head = station.account
    act_as_clerk(station)
    placement_id = placements.place_person(station, person(station, name="孙八"), post_id,
                                           "2025-03-01", "2025-12-31")
    station.act_as(head)
    screen.load()
    screen.placements_table.selectRow(0)
    assert screen.placements_table.item(0, 6).text() == "待站长审批"
    assert not screen.notice_button.isEnabled()
    screen.approve_button.click()
    assert placements.get_placement(station, placement_id)["approved_at"]
    screen.placements_table.selectRow(0)
    screen.notice_button.click()
    assert isinstance(screen.preview, PrintPreviewDialog) and screen.preview.isVisible()
    screen.preview.close()


def test_term_exit_and_insurance_dialogs_write(qtbot, station, screen):
    post_id = post(station)
    placement_id = placements.place_person(station, person(station, name="周九"), post_id,
                                           "2025-03-01", "2025-12-31")
    screen.load()
    screen.placements_table.selectRow(0)
    screen.insurance_button.click()
    ime_type(screen.dialog.insurer, "人保财险")
    qtbot.keyClicks(screen.dialog.policy_no, "PICC2025001")
    screen.dialog.save()
    assert placements.insurance_of(station, placement_id)[0]["policy_no"] == "PICC2025001"
    screen.placements_table.selectRow(0)
    screen.exit_button.click()
    screen.dialog.reason.setCurrentIndex(screen.dialog.reason.findData("found_job"))
    screen.dialog.save()
    assert placements.get_placement(station, placement_id)["exit_reason"] == "found_job"
    assert screen.placements_table.item(0, 5).text() == "实现其他就业"


def test_reminders_list_missing_insurance(station, qtbot):
    placements.place_person(station, person(station, name="吴十"), post(station),
                            date.today(), date.today() + timedelta(days=60))
    widget = PostsScreen(station)
    qtbot.addWidget(widget)
    widget.load()
    texts = [widget.warnings_table.item(r, 1).text()
             for r in range(widget.warnings_table.rowCount())]
    assert any("意外伤害保险" in t for t in texts)


def test_head_sets_a_policy_value_from_a_date(qtbot, station):
    dialog = PolicyDialog(station)
    qtbot.addWidget(dialog)
    dialog.key.setCurrentIndex(dialog.key.findData("hourly_min_wage"))
    qtbot.keyClicks(dialog.value, "23.5")
    dialog.effective.setDate(dialog.effective.date().fromString("2025-07-01", "yyyy-MM-dd"))
    dialog.set_button.click()
    assert policy.value(station, "hourly_min_wage", date(2025, 7, 1)) == 2350
    assert dialog.history.item(0, 0).text() == "2025-07-01"
    assert dialog.history.item(0, 1).text() == "23.50 元/小时"


def test_clerk_sees_policy_but_cannot_set_it(qtbot, station):
    act_as_clerk(station)
    dialog = PolicyDialog(station)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.set_button.isVisible()
    assert dialog.current.rowCount() == len(policy.DECLARED)
