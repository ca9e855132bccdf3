"""``--self-test``: prove a build works on this PC without touching the clerk's data.

On a fresh temporary station it opens the main window, writes a person and reads them
back from the file after reopening it, renders a list and a referral letter to PDF with
the embedded Chinese font and reads the Chinese text back, and checks the file's
integrity. Each step prints one Chinese line; the exit code is 0 only when all pass.
"""

import sys
import tempfile
from datetime import date
from pathlib import Path

from db import backup, people, referrals
from db.station import Station, open_station
from db.validation.idcard import make_id_number
from printing import fonts
from ui import documents
from ui.main_window import MainWindow
from ui.qt import QApplication, QCoreApplication

from .version import program_version

DEMO_PEOPLE = 50
PROBE_NAME = "自检测试"


class SelfTestFailed(Exception):
    """A step of the self-test did not give the expected result (Chinese message)."""


def check(ok: bool, failure: str) -> None:
    if not ok:
        raise SelfTestFailed(failure)


def window_step(app: QApplication, station: Station) -> str:
    """The main window opens on the home screen and the registry lists every person."""
    window = MainWindow(station)
    window.show()
    app.processEvents()
    shown = window.registry.model.rowCount()
    window.close()
    check(shown == DEMO_PEOPLE, f"主窗口人员登记只显示 {shown} 人，应为 {DEMO_PEOPLE} 人。")
    return f"主窗口已打开，人员登记列出 {shown} 人。"


def database_step(station: Station) -> tuple[Station, str]:
    """Register a person, close the file, reopen it and find them again."""
    number = make_id_number("370124", date(1990, 5, 3), 901)
    people.create_person(station, {"name": PROBE_NAME, "id_number": number})
    account, folder = station.account, station.data_dir
    station.close()
    station = open_station(folder)
    station.act_as(account)
    found = people.find_by_id_number(station, number)
    check(bool(found) and found["name"] == PROBE_NAME, "写入数据库的人员重新打开后读不到。")
    check(not backup.check(station), "数据文件完整性检查未通过。")
    return station, f"数据库写入并读回 1 人，共 {people.count_people(station)} 人，文件完好。"


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF's first page as PDFium reads it (what a viewer would show)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def pdf_step(station: Station) -> str:
    """A list and a referral letter render to PDF with the Chinese font embedded."""
    listed = pdf_text(documents.list_pdf(station, "employed"))
    check("就业人员清单" in listed, "清单 PDF 中读不到中文标题。")
    letters = referrals.list_referrals(station)
    if letters:
        letter = pdf_text(documents.referral_letter_pdf(station, letters[0]["number"]))
        check("推荐" in letter, "推荐介绍信 PDF 中读不到中文。")
    font = fonts.font_path()
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # a built program must carry its own font, not borrow this PC's
        check(Path(bundle) in font.parents, f"打包程序没有使用自带的中文字体（用了 {font}）。")
    return f"PDF 已生成，中文可读（字体 {font.name}）。"


def qt_words_step() -> str:
    """Qt's standard buttons speak Chinese (the zh_CN catalog is in the bundle and loaded)."""
    ok = QCoreApplication.translate("QPlatformTheme", "Cancel")
    check(ok == "取消", f"Qt 标准按钮不是中文（“取消”显示为“{ok}”）。")
    return "Qt 标准按钮为中文。"


def qt_printing_step() -> str:
    """Qt's printing (loaded at the first print, not at start) is there to load."""
    try:
        from ui.qt import QPrintDialog, QPrinter  # noqa: F401
    except ImportError as exc:
        raise SelfTestFailed(f"缺少 Qt 打印组件，无法打印（{exc}）。") from exc
    return "Qt 打印组件可用。"


def run_self_test(app: QApplication, make_station) -> int:
    """Run every step on a throw-away station made by ``make_station(folder, people)``."""
    with tempfile.TemporaryDirectory(prefix="jobstation-selftest-") as folder:
        station = make_station(Path(folder), DEMO_PEOPLE)
        try:
            print(f"农民工就业服务站工作台 {program_version()}")
            print(qt_words_step())
            print(qt_printing_step())
            print(window_step(app, station))
            station, line = database_step(station)
            print(line)
            print(pdf_step(station))
        except Exception as exc:  # any failure is a failed self-test, with its reason
            print(f"自检失败：{exc}")
            return 1
        finally:
            station.close()
    print("自检通过。")
    return 0
