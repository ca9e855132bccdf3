"""Write a list (清单) to an .xlsx that opens cleanly in Excel, WPS and LibreOffice.

Layout: a title row (merged across the columns, bold, large), an optional subtitle row,
the Chinese header row (bold, shaded, frozen, repeated on every printed page, with a
filter), then the data, unstyled except for text and date formats (styling every cell
costs a third more time). Rows stream through openpyxl's write-only mode, so 100,000
people never sit in memory at once; only the first rows are held back to size the
columns. Strings are stored as inline strings (openpyxl's way), which Excel, WPS and
LibreOffice all read.
"""

import datetime as dt
import math
import os
import unicodedata
from collections.abc import Iterable, Mapping
from copy import copy
from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..errors import ValidationError
from .writer import Column

SAMPLE_ROWS = 200  # rows looked at to size the columns
MIN_WIDTH = 6
MAX_WIDTH = 40
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"

MSG_LOCKED = "无法保存文件：该文件可能正在 Excel 或 WPS 中打开，请关闭后重试。"
MSG_WRITE = "无法保存文件，请检查保存位置是否可写、磁盘空间是否充足后重试。"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def display_width(text: str) -> int:
    """Width of text in Excel character units: CJK and full-width characters count 2."""
    longest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        longest = max(longest, width)
    return longest


def _lookup(row: Mapping, key: str):
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _prepare(value, column: Column):
    """The value to store in the cell: None, str, number, date or datetime."""
    if value is None:
        return None
    if column.text:
        return _as_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    if isinstance(value, str):
        return _iso_date(value) or value
    if isinstance(value, int | float | dt.date | dt.time):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(str(item) for item in value if item is not None) or None
    return str(value)


def _iso_date(text: str) -> dt.date | None:
    """A string like 2024-03-01 (how SQLite keeps a date) as a real date, else None."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "0000-00-00 00:00"
    if isinstance(value, dt.date):
        return "0000-00-00"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _widths(columns: list[Column], sample: list[list]) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        content = max((display_width(_shown(row[index])) for row in sample), default=0)
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, display_width(column.label), content) + 2))
    return widths


def _style(ws, **attrs):
    """A reusable style: a throw-away cell's style array, copied onto each real cell."""
    cell = WriteOnlyCell(ws)
    for name, value in attrs.items():
        setattr(cell, name, value)
    return cell._style


def _cell(ws, value, style):
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula ("=...") or an error code ("#N/A")
    cell._style = copy(style)
    return cell


def _plain(ws, value):
    """An unstyled value, passed raw when openpyxl would store it as is (the fast path)."""
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value[:1] in ("=", "#"):
            cell = WriteOnlyCell(ws, value)
            cell.data_type = "s"  # never a formula ("=...") or an error code ("#N/A")
            return cell
    return value


def _title_rows(ws, title: str, subtitle: str, columns: list[Column]) -> None:
    """Append the title row and, when given, the subtitle row, each merged across."""
    last = get_column_letter(len(columns))
    lines = [(title, Font(bold=True, size=16), "center", 30)]
    if subtitle:
        lines.append((subtitle, Font(size=10), "left", 20))
    for row, (text, font, horizontal, height) in enumerate(lines, start=1):
        cell = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", text))
        cell.data_type = "s"
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center")
        ws.row_dimensions[row].height = height
        if len(columns) > 1:
            ws.merged_cells.add(f"A{row}:{last}{row}")
        ws.append([cell])


def _safe_sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in '[]:*?/\\' else ch for ch in name).strip("'")
    return (cleaned or "Sheet1")[:31]


def write_table(
    path: str | os.PathLike,
    *,
    title: str,
    subtitle: str = "",
    columns: list[Column],
    rows: Iterable[Mapping],
    sheet_name: str = "Sheet1",
) -> int:
    """Write ``rows`` (mappings keyed by ``Column.key``) to an .xlsx at ``path``.

    The file appears whole or not at all: it is written to ``path + ".tmp"`` and then
    moved over ``path``. Text columns are stored as text with format "@"; dates (``date``
    objects, or strings exactly like "2024-03-01" as SQLite keeps them) as real dates
    shown "yyyy-mm-dd"; datetimes as "yyyy-mm-dd hh:mm"; True/False as 是/否; lists joined
    with "、"; None as an empty cell. Returns the number of data rows written. Raises
    ValidationError when the file cannot be saved (for example, it is open in Excel).
    """
    if not columns:
        raise ValueError("write_table needs at least one column")
    path = os.fspath(path)
    tmp = path + ".tmp"
    source = iter(rows)
    sample = [[_prepare(_lookup(r, c.key), c) for c in columns] for r in islice(source, SAMPLE_ROWS)]
    rest = ([_prepare(_lookup(r, c.key), c) for c in columns] for r in source)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_safe_sheet_name(sheet_name))
    try:
        count = _fill(ws, title, subtitle, columns, chain(sample, rest), _widths(columns, sample))
        wb.save(tmp)
        os.replace(tmp, path)
    except PermissionError:
        _discard(ws, tmp)
        raise ValidationError(MSG_LOCKED) from None
    except OSError:
        _discard(ws, tmp)
        raise ValidationError(MSG_WRITE) from None
    except BaseException:
        _discard(ws, tmp)
        raise
    return count


def _fill(ws, title, subtitle, columns: list[Column], values_rows, widths) -> int:
    """Lay out the sheet and stream the prepared rows into it; return the data row count."""
    for index, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = width
        if column.text:
            dimension.number_format = TEXT_FORMAT  # cells the clerk adds later stay text
    header_row = 3 if subtitle else 2
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape" if len(columns) > 6 else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    _title_rows(ws, title, subtitle, columns)

    head = _style(ws, font=Font(bold=True), border=_BORDER, fill=PatternFill("solid", fgColor="DDEBF7"),
                  alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.append([_cell(ws, column.label, head) for column in columns])
    text, date, stamp = (_style(ws, number_format=f) for f in (TEXT_FORMAT, DATE_FORMAT, DATETIME_FORMAT))
    text_columns = [column.text for column in columns]

    count = 0
    for values in values_rows:
        cells = []
        for value, is_text in zip(values, text_columns, strict=True):
            if is_text:
                cells.append(_cell(ws, value, text))
            elif isinstance(value, dt.datetime):
                cells.append(_cell(ws, value, stamp))
            elif isinstance(value, dt.date):
                cells.append(_cell(ws, value, date))
            else:
                cells.append(_plain(ws, value))
        ws.append(cells)
        count += 1
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    return count


def _discard(ws, tmp: str) -> None:
    """After a failure: end the sheet's stream, delete its scratch file and ``tmp``."""
    try:
        if not ws.closed:
            if ws._rows is not None:
                ws._rows.close()
            if ws._writer is not None:
                ws._writer.close()
        if ws._writer is not None and os.path.exists(ws._writer.out):
            ws._writer.cleanup()
    except Exception:
        pass
    try:
        os.remove(tmp)
    except OSError:
        pass
