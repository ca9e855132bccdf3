"""Stream the rows of a roster from .xlsx, .xls or .csv, one row at a time.

Every reader yields ``(row_number, cells)``: the 1-based row number the clerk sees in
Excel, and the cell values with strings stripped, empty cells as None, trailing empty
cells dropped (a blank row is ``[]``), whole floats below 2**53 as int, and dates as
``datetime``. Floats of 1e16 or more stay floats: they are IDs Excel rounded
(see ``rows.is_excel_rounded_number``).

Merged cells: in a merged range only the top-left cell holds the value; the others come
back as None. openpyxl's read-only mode cannot see merges, so a value merged down
across several data rows (a 村 written once for a block of people) reaches only the
first row of the block; the importer must report the rows below as missing that value.
"""

import codecs
import csv
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..errors import ValidationError
from .rows import EXACT_INT_LIMIT, clean_text

XLSX_EXTENSIONS = {".xlsx", ".xlsm", ".xltx", ".xltm"}
XLS_EXTENSIONS = {".xls", ".xlt"}
CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MSG_NOT_FOUND = "找不到该文件，请确认文件没有被移动或删除。"
MSG_EMPTY = "该文件是空的，没有可以导入的内容。"
MSG_UNSUPPORTED = "不支持该文件类型，请在 Excel 或 WPS 中另存为 .xlsx、.xls 或 .csv 后再导入。"
MSG_CORRUPT = "无法读取该文件：不是有效的 Excel 文件，文件可能已损坏。"
MSG_ENCRYPTED = "无法读取该文件：文件可能设置了打开密码，请取消密码后另存再导入。"
MSG_HTML = "该文件其实是网页格式而不是真正的 Excel 文件，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
MSG_CSV = "无法读取该 CSV 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入。"
MSG_NO_SHEET = "该文件中找不到指定的工作表。"
MSG_LOCKED = "无法打开该文件：文件可能正在被其他程序使用，请关闭后重试。"


def _clean(value):
    """One cell value in the reader's shape (see module docstring)."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INT_LIMIT:
        return int(value)
    return value


def _clean_row(values) -> list:
    row = [_clean(value) for value in values]
    while row and row[-1] is None:
        row.pop()
    return row


def _detect(path: Path) -> str:
    """The reader to use: "xlsx", "xls" or "csv"; ValidationError if none fits."""
    ext = path.suffix.lower()
    if ext not in XLSX_EXTENSIONS | XLS_EXTENSIONS | CSV_EXTENSIONS:
        raise ValidationError(MSG_UNSUPPORTED)
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except FileNotFoundError:
        raise ValidationError(MSG_NOT_FOUND) from None
    except PermissionError:
        raise ValidationError(MSG_LOCKED) from None
    except OSError:
        raise ValidationError(MSG_CORRUPT) from None
    if not head:
        raise ValidationError(MSG_EMPTY)
    if ext in CSV_EXTENSIONS:
        return "csv"
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"  # also an .xlsx that was renamed .xls
    if head.startswith(_OLE2_MAGIC):
        return "xls"  # also a password-protected .xlsx (an OLE2 envelope)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<", b"\xff\xfe<")):
        raise ValidationError(MSG_HTML)
    raise ValidationError(MSG_CORRUPT)


def _load_xlsx(fh):
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(fh, read_only=True, data_only=True, keep_links=False)


def _pick_index(names: list[str], visible: list[bool], sheet) -> int:
    """0-based index of the sheet asked for; by default the first visible sheet."""
    if sheet is None:
        return next((i for i, shown in enumerate(visible) if shown), 0) if names else -1
    if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
        return sheet
    if isinstance(sheet, str) and sheet in names:
        return names.index(sheet)
    raise ValidationError(MSG_NO_SHEET)


def _xlsx_sheet(wb, sheet):
    sheets = wb.worksheets
    index = _pick_index([s.title for s in sheets], [s.sheet_state == "visible" for s in sheets], sheet)
    if index < 0:
        raise ValidationError(MSG_EMPTY)
    return sheets[index]


def _iter_xlsx(path: Path, sheet) -> Iterator[tuple[int, list]]:
    with open(path, "rb") as fh:
        try:
            wb = _load_xlsx(fh)
        except Exception:
            raise ValidationError(MSG_CORRUPT) from None
        try:
            ws = _xlsx_sheet(wb, sheet)
            # The stored size can be wrong (some programs write "A1"); never trust it.
            ws.reset_dimensions()
            rows = ws.iter_rows(values_only=True)
            number = 0
            while True:
                try:
                    values = next(rows)
                except StopIteration:
                    break
                except Exception:
                    raise ValidationError(MSG_CORRUPT) from None
                number += 1
                yield number, _clean_row(values)
        finally:
            wb.close()


def _xls_value(cell, datemode: int):
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            if 0 <= value < 1:
                return xlrd.xldate_as_datetime(value, datemode).time()
            return xlrd.xldate_as_datetime(value, datemode)
        except Exception:
            return value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#N/A")
    return value


class _Quiet:
    """A log sink for xlrd, which would otherwise print warnings to stdout."""

    def write(self, _text: str) -> None:
        pass


def _is_encrypted_ooxml(path: Path) -> bool:
    """A password-protected .xlsx is an OLE2 file holding an "EncryptedPackage" stream."""
    marker = "EncryptedPackage".encode("utf-16-le")
    try:
        with open(path, "rb") as fh:
            tail = b""
            while chunk := fh.read(1 << 20):
                if marker in tail + chunk:
                    return True
                tail = chunk[-len(marker) :]
    except OSError:
        pass
    return False


def _open_xls(path: Path):
    import xlrd

    try:
        return xlrd.open_workbook(
            path, logfile=_Quiet(), on_demand=True, ragged_rows=True,
            ignore_workbook_corruption=True,  # some systems' exports that Excel opens fine
        )
    except Exception as exc:
        if "encrypted" in str(exc).lower() or _is_encrypted_ooxml(path):
            raise ValidationError(MSG_ENCRYPTED) from None
        raise ValidationError(MSG_CORRUPT) from None


def _xls_sheet(book, sheet):
    names = book.sheet_names()
    states = list(getattr(book, "_sheet_visibility", []))
    visible = [v == 0 for v in states] if len(states) == len(names) else [True] * len(names)
    index = _pick_index(names, visible, sheet)
    if index < 0:
        raise ValidationError(MSG_EMPTY)
    try:
        return book.sheet_by_index(index)
    except Exception:
        raise ValidationError(MSG_CORRUPT) from None


def _iter_xls(path: Path, sheet) -> Iterator[tuple[int, list]]:
    book = _open_xls(path)
    try:
        ws = _xls_sheet(book, sheet)
        for rx in range(ws.nrows):
            yield rx + 1, _clean_row(_xls_value(c, book.datemode) for c in ws.row(rx))
    finally:
        book.release_resources()


def _csv_encoding(path: Path) -> str:
    """utf-8-sig / utf-16 when a BOM says so, utf-8 when the bytes are valid, else GB18030."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _sniff_delimiter(sample: str) -> str:
    """Comma unless tabs (Excel's "Unicode text") or semicolons clearly dominate."""
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    if counts["\t"] > counts[","]:
        return "\t"
    if counts[","] == 0 and counts[";"]:
        return ";"
    return ","


def _iter_csv(path: Path) -> Iterator[tuple[int, list]]:
    encoding = _csv_encoding(path)
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            delimiter = _sniff_delimiter(fh.read(64 * 1024))
            fh.seek(0)
            reader = csv.reader(fh, delimiter=delimiter)
            number = 0
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except (csv.Error, UnicodeError):
                    raise ValidationError(MSG_CSV) from None
                number += 1
                yield number, _clean_row(values)
    except OSError:
        raise ValidationError(MSG_CSV) from None


def open_rows(path: str | os.PathLike, sheet: str | int | None = None) -> Iterator[tuple[int, list]]:
    """Stream ``(excel_row_number, cells)`` from an .xlsx/.xlsm, .xls or .csv/.txt file.

    ``sheet`` picks a worksheet by name or 0-based index; by default the first visible
    one (ignored for CSV). The file type is checked by its first bytes at once, so a
    missing, empty or unsupported file raises ``ValidationError`` here; a file that turns
    out corrupt inside raises it while iterating. Close the iterator (or exhaust it) to
    release the file.
    """
    path = Path(path)
    kind = _detect(path)
    if kind == "xlsx":
        return _iter_xlsx(path, sheet)
    if kind == "xls":
        return _iter_xls(path, sheet)
    return _iter_csv(path)


def sheet_names(path: str | os.PathLike) -> list[str]:
    """Names of the worksheets in the file (one unnamed sheet, "", for CSV)."""
    path = Path(path)
    kind = _detect(path)
    if kind == "csv":
        return [""]
    if kind == "xls":
        book = _open_xls(path)
        try:
            return book.sheet_names()
        finally:
            book.release_resources()
    with open(path, "rb") as fh:
        try:
            wb = _load_xlsx(fh)
        except Exception:
            raise ValidationError(MSG_CORRUPT) from None
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()


def count_rows(path: str | os.PathLike, sheet: str | int | None = None) -> int | None:
    """A cheap estimate of the number of rows, for a progress bar; None when unknown.

    For .xlsx it is the size the file declares (absent or wrong in files some programs
    write); for .csv it counts line breaks, so quoted multi-line cells count twice.
    Never raises: an unreadable file shows up when ``open_rows`` reads it.
    """
    path = Path(path)
    try:
        kind = _detect(path)
        if kind == "csv":
            return _count_lines(path)
        if kind == "xls":
            book = _open_xls(path)
            try:
                return _xls_sheet(book, sheet).nrows
            finally:
                book.release_resources()
        with open(path, "rb") as fh:
            wb = _load_xlsx(fh)
            try:
                return _xlsx_sheet(wb, sheet).max_row
            finally:
                wb.close()
    except Exception:
        return None


def _count_lines(path: Path) -> int:
    lines = 0
    last = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk
    return lines + (1 if last and not last.endswith(b"\n") else 0)

