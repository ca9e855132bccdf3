"""Screenshots of the real windows for the user guide (docs/guide/img/*.png).

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python scripts/screenshots.py [OUT_DIR]

Makes a demo station in a temporary folder, opens each window the way a clerk sees it on a
1366×768 screen, and saves ``QWidget.grab()`` of it, reduced to 256 colours with Pillow so
each PNG stays small. Run it again after changing a screen; the guide's pictures follow.
"""

import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path, PureWindowsPath

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from PIL import Image  # noqa: E402

from db import referrals  # noqa: E402
from db.demo import NameMaker  # noqa: E402
from db.holidays import Month  # noqa: E402
from db.validation.idcard import make_id_number  # noqa: E402
from desktop.gui import make_demo_station  # noqa: E402
from ui import documents  # noqa: E402
from ui.import_wizard import ImportWizard  # noqa: E402
from ui.login_dialog import LoginDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.preferences import apply_font  # noqa: E402
from ui.print_preview import PrintPreviewDialog  # noqa: E402
from ui.qt import QApplication, QThreadPool, QWidget  # noqa: E402
from ui.qt_translation import install_chinese_qt  # noqa: E402
from ui.setup_wizard import SetupWizard  # noqa: E402

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "guide" / "img"
DEMO_PEOPLE = 3000
MAX_BYTES = 150_000  # per picture


def settle(seconds: float = 0.6) -> None:
    """Let the window paint and background work report back."""
    app = QApplication.instance()
    end = time.monotonic() + seconds
    while time.monotonic() < end or QThreadPool.globalInstance().activeThreadCount():
        app.processEvents()
        time.sleep(0.02)
        if time.monotonic() > end + 30:
            break
    app.processEvents()


def save(widget: QWidget, name: str) -> Path:
    """``OUT/name.png``: the widget as drawn, in 256 colours."""
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path), "PNG")
    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    size = path.stat().st_size
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"{shown}  {size // 1024} KB")
    if size > MAX_BYTES:  # keep the guide light enough to open from a USB stick or mail
        print(f"  larger than {MAX_BYTES // 1000} KB: shrink the window or its content",
              file=sys.stderr)
    return path


def setup_wizard() -> None:
    # Shown only, never finished: the path is the one a clerk's Windows PC shows.
    wizard = SetupWizard(PureWindowsPath(r"C:\Users\Administrator\AppData\Local\jobstation"))
    page = wizard.station_page
    page.name.setText("孔村镇就业服务站")
    page.code.setText("370124101")
    page.county.setText("平阴县")
    wizard.show()
    save(wizard, "setup")
    wizard.close()


def login(station) -> None:
    dialog = LoginDialog(station, "孔村镇就业服务站（演示）")
    dialog.username.setText("demo")
    dialog.password.setText("demo1234")
    dialog.show()
    save(dialog, "login")
    dialog.close()


def roster_file(folder: Path, station) -> Path:
    """A township roster as the county hands it over: title rows, a few known people, a
    number Excel rounded and a mistyped ID number."""
    rng, names = random.Random(5), NameMaker(5)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["孔村镇农民工花名册（2026年11月）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["填报单位：东关村村委会"])
    sheet.append(["序号", "姓名", "公民身份号码", "联系电话", "所在村", "就业状态", "备注"])
    known = station.query("SELECT name, id_number, phone FROM person LIMIT 4")
    for i in range(1, 26):
        if i <= len(known):
            person = known[i - 1]
            row = [person["name"], person["id_number"], person["phone"], "东关村", "外出务工"]
        else:
            number = make_id_number("370124", date(1975 + i, 1 + i % 12, 1 + i), 700 + i)
            sex = "M" if int(number[16]) % 2 else "F"
            row = [names.name(sex), number, f"138{rng.randrange(10**7, 10**8)}", "东关村",
                   rng.choice(["外出务工", "本地务工", "务农", "失业"])]
        sheet.append([i, *row, ""])
    sheet.append([26, "刘长顺", 3.70124e17, "13905310000", "东关村", "外出务工", ""])
    sheet.append([27, "孙玉兰", "370124198803150028", "", "东关村", "失业", ""])
    path = folder / "东关村花名册.xlsx"
    book.save(path)
    return path


def import_wizard(window: MainWindow, station, folder: Path) -> None:
    wizard = ImportWizard(station, window, path=roster_file(folder, station))
    wizard.show()
    wizard.next()
    save(wizard, "import-columns")
    wizard.next()
    settle(3)
    save(wizard, "import-preview")
    wizard.close()


def screens(window: MainWindow, station) -> None:
    window.go_to("HomeScreen")
    save(window, "home")

    registry = window.go_to("RegistryScreen")
    registry.search_box.setText("wj")
    save(window, "registry")

    person_id = registry.model.person_id(0)
    window.open_person(person_id)
    save(window.person_dialog, "person")
    window.person_dialog.close()

    window.open_person("new:" + make_id_number("370124", date(1988, 3, 15), 42))
    form = window.person_dialog.form
    form.name.setText("李秀英")
    form.phone.setText("13905318866")
    form.hukou_village.setCurrentText("东关村")
    form.education.setCurrentText("初中")
    form.skills.setText("家政服务")
    form.consent.setChecked(True)
    form.status.setCurrentIndex(form.status.findText("失业"))
    save(window.person_dialog, "person-new")
    window.person_dialog.done(0)  # close() would ask whether to drop the typing

    window.go_to("ListsScreen")
    save(window, "lists")

    window.go_to("JobsScreen")
    settle(2)
    save(window, "jobs")

    letters = referrals.list_referrals(station)
    preview = PrintPreviewDialog(documents.referral_letter_pdf(station, letters[0]["number"]),
                                 "推荐介绍信", "推荐介绍信.pdf", window)
    preview.resize(900, 720)
    preview.show()
    save(preview, "referral-letter")
    preview.close()

    window.go_to("ReferralsScreen")
    save(window, "referrals")
    window.go_to("PostsScreen")
    save(window, "posts")
    attendance = window.go_to("AttendanceScreen")
    attendance.show_month(Month.parse(date.today()))
    save(window, "attendance")
    for name, cls in (("ledger", "LedgerScreen"), ("accounts", "AccountsScreen"),
                      ("settings", "SettingsScreen")):
        window.go_to(cls)
        save(window, name)
    window.go_to("MaintenanceScreen").back_up_now()
    settle(2)
    save(window, "backup")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    apply_font(app)
    install_chinese_qt(app)  # Qt's own buttons in Chinese, as in the program
    with tempfile.TemporaryDirectory(prefix="jobstation-shots-") as tmp:
        folder = Path(tmp)
        setup_wizard()
        station = make_demo_station(folder / "jobstation", DEMO_PEOPLE)
        try:
            login(station)
            window = MainWindow(station)
            window.show()
            screens(window, station)
            import_wizard(window, station, folder)
            window.close()
        finally:
            station.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
