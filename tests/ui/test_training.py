"""Training in the window: a person's needs, records and brands; the county's need list."""

import openpyxl

from db import people, training
from tests.conftest import id_of
from tests.ui.conftest import ime_type
from ui.person_dialog import PersonDialog
from ui.training_screen import TrainingScreen


def test_person_training_tab_records_need_training_and_brands(qtbot, station):
    pid = people.create_person(station, {"name": "张三", "id_number": id_of(1975)})
    dialog = PersonDialog(station, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dict(dialog.history)["培训"]
    tab.load(pid)
    ime_type(tab.course, "电焊工")
    tab.need_button.click()
    assert [n["course"] for n in training.needs_of(station, pid)] == ["电焊工"]
    tab.course.clear()
    ime_type(tab.course, "育婴员")
    tab.add_button.click()
    assert [r["course"] for r in training.training_of(station, pid)] == ["育婴员"]
    tab.brands.clear()
    ime_type(tab.brands, "平阴玫瑰工匠、鲁嫂家政")
    tab.brand_button.click()
    assert sorted(training.brands_of(station, pid)) == ["平阴玫瑰工匠", "鲁嫂家政"]
    assert tab.table.rowCount() == 2


def test_training_screen_lists_needs_and_exports_them(qtbot, station, tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr("ui.training_screen.info", lambda parent, text: told.append(text))
    pid = people.create_person(station, {"name": "李四", "id_number": id_of(1980),
                                         "hukou_village": "东关村"})
    training.add_need(station, pid, "skill", "叉车司机")
    screen = TrainingScreen(station)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.count.text() == "共 1 人"
    screen.export_to(tmp_path / "needs.xlsx")
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert "已导出 1 人" in told[0]
    values = [c.value for row in openpyxl.load_workbook(tmp_path / "needs.xlsx").active.iter_rows()
              for c in row]
    assert "李四" in values and "叉车司机" in values
