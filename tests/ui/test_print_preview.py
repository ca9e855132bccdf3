"""The print preview shows the pages, prints them to a printer and saves the PDF."""

from datetime import date

import pypdf

from printing.lists import render_person_list
from ui.print_preview import PrintPreviewDialog, print_pdf, save_pdf
from ui.qt import QPrinter


def _pdf(rows=3):
    return render_person_list("孔村镇就业服务站", "就业人员清单", [("name", "姓名")],
                              [{"name": f"张三{i}"} for i in range(rows)], date(2026, 11, 29))


def test_preview_counts_pages_and_saves_the_same_pdf(qtbot, tmp_path):
    data = _pdf()
    dialog = PrintPreviewDialog(data, "就业人员清单", "清单.pdf")
    qtbot.addWidget(dialog)
    assert dialog.page_count.text().startswith("共 1 页")
    save_pdf(data, tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").read_bytes() == data


def test_printing_paints_every_page_on_the_printer(qtbot, tmp_path):
    data = _pdf(rows=200)
    pages = len(pypdf.PdfReader(__import__("io").BytesIO(data)).pages)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)
    assert print_pdf(data, printer) == pages
    printed = pypdf.PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == pages
