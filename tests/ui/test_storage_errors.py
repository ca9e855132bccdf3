"""A locked or full database reaches the clerk as the core's one sentence, not a crash box."""

import sqlite3

import pytest

from db import demo, people
from db.errors import StationError
from tests.conftest import id_of
from ui import messages


@pytest.fixture
def shown_to_clerk(qapp, monkeypatch):
    """What ``show_error`` puts in front of the clerk (warning text, or the crash box)."""
    shown = []
    monkeypatch.setattr(messages.QMessageBox, "warning",
                        lambda parent, title, text: shown.append(("warning", text)))
    monkeypatch.setattr(messages.QMessageBox, "exec", lambda box: shown.append(("crash", box.text())))
    return shown


def test_database_locked_by_another_program_is_one_sentence(station, shown_to_clerk):
    station.conn.execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(station_file(station), timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another program writing
    try:
        with pytest.raises(StationError) as refused:
            people.create_person(station, {"name": "张三", "id_number": id_of(1990)})
    finally:
        other.rollback()
        other.close()
    messages.show_error(None, refused.value)
    assert shown_to_clerk == [("warning", "数据库正被另一个程序使用，请关闭其他打开本站数据的窗口后重试。")]
    assert people.find_by_id_number(station, id_of(1990)) is None


def test_full_disk_is_the_cores_sentence_and_nothing_is_half_written(station, shown_to_clerk):
    pages = station.conn.execute("PRAGMA page_count").fetchone()[0]
    station.conn.execute(f"PRAGMA max_page_count={pages}")  # the disk has no room to grow
    with pytest.raises(StationError) as refused:
        demo.seed_people(station, 2000)
    messages.show_error(None, refused.value)
    assert len(shown_to_clerk) == 1 and shown_to_clerk[0][0] == "warning"
    assert shown_to_clerk[0][1].startswith("磁盘空间已满，数据未保存")
    assert people.count_people(station) == 0


def station_file(station):
    return station.conn.execute("PRAGMA database_list").fetchone()[2]


def test_saving_over_a_pdf_open_in_a_reader_is_a_sentence_and_leaves_no_temp_file(
        tmp_path, monkeypatch):
    from ui import print_preview

    def locked_by_reader(src, dst):  # what Windows does while a reader has the PDF open
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(print_preview.os, "replace", locked_by_reader)
    with pytest.raises(StationError) as refused:
        print_preview.save_pdf(b"%PDF-1.4", tmp_path / "清单.pdf")
    assert str(refused.value) == print_preview.PDF_IN_USE
    assert list(tmp_path.iterdir()) == []


def test_saving_over_a_workbook_open_in_excel_is_a_sentence_and_leaves_no_temp_file(
        tmp_path, monkeypatch):
    from db.excel import xlsx_writer
    from db.excel.writer import Column

    def locked_by_excel(src, dst):  # what Windows does while Excel or WPS has the file open
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(xlsx_writer.os, "replace", locked_by_excel)
    with pytest.raises(StationError) as refused:
        xlsx_writer.write_table(tmp_path / "清单.xlsx", title="就业人员清单",
                                columns=[Column("name", "姓名")], rows=[{"name": "张三"}])
    assert str(refused.value) == xlsx_writer.MSG_LOCKED
    assert list(tmp_path.iterdir()) == []
