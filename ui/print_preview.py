"""Preview a PDF document, print it on a chosen printer with copies, or save it as PDF.

Pages are rasterized with PDFium (the pypdfium2 wheel), so the preview and the printout
look exactly like the PDF whatever Qt modules the bundle carries.
"""

import os
from pathlib import Path

import pypdfium2 as pdfium

from db.errors import StationError

from .messages import show_error
from .qt import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QImage,
    QLabel,
    QPainter,
    QPixmap,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)

PREVIEW_DPI = 80
PREVIEW_MAX_PAGES = 30
PRINT_DPI = 300


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: int) -> QImage:
    """One page as a QImage at ``dpi``."""
    bitmap = pdf[index].render(scale=dpi / 72, rev_byteorder=True)
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                   QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels before PDFium frees its buffer


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Paint every page of ``data`` onto ``printer``, scaled to its page; returns pages."""
    pdf = pdfium.PdfDocument(data)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer did not start")
    try:
        dpi = min(printer.resolution(), PRINT_DPI)
        for index in range(len(pdf)):
            if index:
                printer.newPage()
            image = render_page(pdf, index, dpi)
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
        return len(pdf)
    finally:
        painter.end()


PDF_IN_USE = "这个 PDF 文件正在被其他程序打开，请关闭它或换一个文件名后再保存。"


def save_pdf(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` atomically. On Windows a PDF open in a reader cannot be
    replaced: that becomes the clerk's sentence, and the half-step file is removed."""
    tmp = Path(str(path) + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise StationError(PDF_IN_USE) from None


class PrintPreviewDialog(QDialog):
    """打印预览: the pages, then 打印… (printer, copies) or 另存为 PDF…"""

    def __init__(self, data: bytes, title: str, default_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.data, self.default_name = data, default_name
        self.setWindowTitle(f"打印预览 — {title}")
        self.pdf = pdfium.PdfDocument(data)
        pages = QWidget()
        column = QVBoxLayout(pages)
        shown = min(len(self.pdf), PREVIEW_MAX_PAGES)
        for index in range(shown):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(render_page(self.pdf, index, PREVIEW_DPI)))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        more = f"（预览前 {shown} 页）" if shown < len(self.pdf) else ""
        self.page_count = QLabel(f"共 {len(self.pdf)} 页{more}")
        self.print_button = QPushButton("打印(&P)…")
        self.save_button = QPushButton("另存为 PDF(&S)…")
        close = QPushButton("关闭")
        self.print_button.clicked.connect(self.choose_printer_and_print)
        self.save_button.clicked.connect(self.choose_file_and_save)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.page_count)
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.resize(900, 700)
        self.print_button.setDefault(True)

    def choose_printer_and_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_pdf(self.data, printer)
        except Exception as exc:
            show_error(self, exc)

    def choose_file_and_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", self.default_name,
                                              "PDF 文件 (*.pdf)")
        if not path:
            return
        try:
            save_pdf(self.data, Path(path))
        except (OSError, StationError) as exc:
            show_error(self, exc)


def preview_document(owner: QWidget, build, title: str):
    """Build a PDF with ``build()`` and open its preview (window-modal, without a nested
    event loop); the clerk's sentence is shown if it cannot be built. Returns the dialog."""
    try:
        data = build()
    except Exception as exc:
        show_error(owner, exc)
        return None
    dialog = PrintPreviewDialog(data, title, f"{title}.pdf", owner)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
