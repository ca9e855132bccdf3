"""导入花名册 wizard: choose, map an unknown column, preview, decide conflicts, import."""

import openpyxl
import pytest

from db import people, roster_import
from tests.conftest import id_of
from tests.roster_samples import simple_roster, write_csv, write_xlsx
from tests.ui.conftest import ime_type
from ui import import_preview, import_wizard
from ui.import_wizard import IGNORE, UNKNOWN_COLOR, ImportWizard
from ui.qt import QFileDialog, Qt

ROWS = 12


@pytest.fixture
def roster(tmp_path):
    """A roster with a column no synonym knows (劳动者特长), one refused row and a title."""
    rows = simple_roster(ROWS)
    rows[2].append("劳动者特长")
    for row in rows[3:]:
        row.append("电焊")
    rows[5][2] = "3.70124E+17"
    folder = tmp_path / "县里下发"
    folder.mkdir()
    return write_xlsx(folder / "孔村镇花名册.xlsx", rows, merges=("A1:I1",)), rows


@pytest.fixture
def told(monkeypatch):
    messages = []
    monkeypatch.setattr(import_wizard, "info", lambda parent, text, *a: messages.append(text))
    monkeypatch.setattr(import_preview, "info", lambda parent, text, *a: messages.append(text))
    return messages


def open_wizard(qtbot, station, path=None) -> ImportWizard:
    wizard = ImportWizard(station)
    qtbot.addWidget(wizard)
    wizard.show()
    if path is not None:
        ime_type(wizard.file_page.path_edit, str(path))  # the path holds Chinese
    return wizard


def to_preview(qtbot, wizard) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.analysis is not None, timeout=15_000)
    assert wizard.preview_page.isComplete()


def mapping_row(wizard, text: str) -> int:
    table = wizard.mapping_page.table
    return next(r for r in range(table.rowCount()) if table.item(r, 1).text() == text)


def test_clerk_maps_an_unknown_column_imports_and_the_mapping_is_remembered(
        qtbot, station, roster, told):
    path, rows = roster
    zhang = rows[3]
    people.create_person(station, {"name": zhang[1], "id_number": zhang[2],
                                   "phone": "13900000000"})
    wizard = open_wizard(qtbot, station, path)
    assert wizard.file_page.path_edit.text() == str(path)
    wizard.next()
    page = wizard.mapping_page
    row = mapping_row(wizard, "劳动者特长")
    combo = page.table.cellWidget(row, 3)
    assert combo.currentText() == IGNORE
    assert page.table.item(row, 1).background().color() == UNKNOWN_COLOR
    assert page.table.item(row, 2).text() == "电焊"  # the first row's value, as a hint
    combo.setCurrentIndex(combo.findData("skills"))

    to_preview(qtbot, wizard)
    preview = wizard.preview_page
    shown = {key: label.text() for key, label in preview.numbers.items()}
    assert shown == {"created": str(ROWS - 2), "updated": "1", "conflicts": "1", "rejected": "1"}
    assert preview.conflict_table.item(0, 3).text() == "手机号"
    assert preview.conflict_table.item(0, 5).text() == zhang[3]  # 站长 sees full numbers
    assert preview.rejected_table.item(0, 0).text() == "6"
    assert "最后几位已经丢失" in preview.rejected_table.item(0, 2).text()
    preview.conflict_table.item(0, 6).setCheckState(Qt.CheckState.Checked)
    assert people.count_people(station) == 1  # nothing written yet

    with qtbot.waitSignal(wizard.changed, timeout=15_000) as changed:
        wizard.accept()
    assert "person" in changed.args[0]
    qtbot.waitUntil(lambda: bool(told), timeout=5_000)
    assert f"新增 {ROWS - 2} 人" in told[0]
    assert people.count_people(station) == ROWS - 1
    person = people.find_by_id_number(station, zhang[2])
    assert (person["phone"], person["skills"]) == (zhang[3], "电焊")
    assert roster_import.remembered_headers(station) == {"劳动者特长": "skills"}

    again = open_wizard(qtbot, station, path)
    again.next()
    row = mapping_row(again, "劳动者特长")
    assert again.mapping_page.table.cellWidget(row, 3).currentData() == "skills"
    assert again.mapping_page.table.item(row, 4).text() == "已自动对应"
    to_preview(qtbot, again)
    assert again.preview_page.numbers["created"].text() == "0"
    assert again.preview_page.numbers["updated"].text() == "0"
    again.reject()


def test_cancelling_the_wizard_writes_nothing_and_leaves_no_scratch_file(
        qtbot, station, roster):
    path, _ = roster
    wizard = open_wizard(qtbot, station, path)
    wizard.next()
    to_preview(qtbot, wizard)
    wizard.reject()
    assert people.count_people(station) == 0
    assert not list((station.data_dir / "import-tmp").glob("*.sqlite3"))


def test_going_back_and_forth_redoes_the_preview(qtbot, station, roster):
    path, _ = roster
    wizard = open_wizard(qtbot, station, path)
    wizard.next()
    to_preview(qtbot, wizard)
    first = wizard.analysis
    wizard.back()
    assert wizard.analysis is None and not first.scratch.exists
    to_preview(qtbot, wizard)
    assert wizard.preview_page.numbers["created"].text() == str(ROWS - 1)
    wizard.reject()


def test_clerk_points_at_the_header_row_when_none_is_recognized(qtbot, station, tmp_path):
    rows = [["人员名单"], ["劳力名", "号码", "住哪"], ["张三", id_of(1990), "东关村"]]
    path = write_csv(tmp_path / "名单.csv", rows, encoding="gb18030")
    wizard = open_wizard(qtbot, station, path)
    wizard.next()
    page = wizard.mapping_page
    assert "没有自动找到表头" in page.error.text()
    assert not page.validatePage()
    page.header_row.setValue(2)
    page.reread.click()
    assert page.table.rowCount() == 3
    assert not page.validatePage()
    assert "公民身份号码" in page.error.text()
    for row, key in ((0, "name"), (1, "id_number"), (2, "hukou_village")):
        combo = page.table.cellWidget(row, 3)
        combo.setCurrentIndex(combo.findData(key))
    to_preview(qtbot, wizard)
    assert wizard.preview_page.numbers["created"].text() == "1"
    wizard.reject()


def test_a_file_that_is_not_a_roster_is_refused_on_the_first_page(qtbot, station, tmp_path):
    bad = tmp_path / "照片.xlsx"
    bad.write_bytes(b"\x89PNG not a workbook")
    wizard = open_wizard(qtbot, station, bad)
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "无法读取" in wizard.file_page.error.text()
    wizard.file_page.path_edit.clear()
    wizard.next()
    assert "请先选择" in wizard.file_page.error.text()


def test_rejected_rows_are_exported_from_the_preview(qtbot, station, roster, told, tmp_path,
                                                      monkeypatch):
    path, _ = roster
    wizard = open_wizard(qtbot, station, path)
    wizard.next()
    to_preview(qtbot, wizard)
    target = tmp_path / "未导入的行"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    wizard.preview_page.export_rejected.click()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    values = list(openpyxl.load_workbook(target.with_suffix(".xlsx")).active.iter_rows(
        values_only=True))
    assert values[2][-2:] == ("原行号", "未导入原因") and values[3][-2] == 6
    wizard.reject()


def test_clerk_sees_masked_numbers_in_conflicts(qtbot, station, roster):
    from db import accounts

    path, rows = roster
    people.create_person(station, {"name": rows[3][1], "id_number": rows[3][2],
                                   "phone": "13900000000"})
    accounts.create_account(station, "li", "李专员", "clerk", "secret123")
    station.act_as(accounts.get_account(station, "li"))
    wizard = open_wizard(qtbot, station, path)
    wizard.next()
    to_preview(qtbot, wizard)
    table = wizard.preview_page.conflict_table
    assert "**********" in table.item(0, 2).text()
    assert table.item(0, 4).text() == "139****0000"
    wizard.reject()
