"""The rows of a roster as the clerk sees them, merged cells included.

``db.excel.open_rows`` streams cells but cannot see merged ranges (openpyxl's read-only
mode ignores them, xlrd needs formatting info): a 村 written once and merged down over a
block of people reaches only the block's first row. Here the merged ranges are read
separately and a vertically merged value is copied into every row of its range, as Excel
shows it. For .xlsx that costs one pass over the sheet's XML with ``bytes.find`` (no
parsing), which also counts the rows for a progress bar; for .xls one formatting-aware
open (at most 65,536 rows).
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from .excel import count_rows, open_rows
from .excel.reader import _detect, _open_xls, _pick_index, _xls_sheet

_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)"')
_ROW_TAGS = (b"<row ", b"<row>", b":row ")
_CHUNK = 1 << 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class SheetScan:
    """What a quick look at the sheet tells: merged ranges (first_row, last_row, first_col,
    last_col; rows 1-based) and the number of rows (None when unknown)."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    rows: int | None = None


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ch - 64
    return index - 1


def _xlsx_sheet_path(archive: zipfile.ZipFile, sheet) -> str:
    """The XML part of the sheet ``open_rows`` reads, found without loading the workbook."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")
               if r.get("Type", "").endswith("/worksheet")}
    sheets = [s for s in book.iter(f"{_MAIN}sheet") if s.get(_REL_ID) in targets]
    index = _pick_index([s.get("name") for s in sheets],
                        [s.get("state", "visible") == "visible" for s in sheets], sheet)
    target = targets[sheets[index].get(_REL_ID)]
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join("xl", target))


def _scan_xlsx(path: Path, sheet) -> SheetScan:
    with zipfile.ZipFile(path) as archive, archive.open(_xlsx_sheet_path(archive, sheet)) as xml:
        rows, carry, tail = 0, b"", b""
        while chunk := xml.read(_CHUNK):
            rows += sum(chunk.count(tag) for tag in _ROW_TAGS)  # for progress: may miss a few
            data = carry + chunk
            at = data.find(b"mergeCell")
            if at >= 0:
                tail = data[max(at - 16, 0):] + xml.read()
                break
            carry = data[-16:]
    merges = [(int(r1), int(r2), _column_index(c1), _column_index(c2))
              for c1, r1, c2, r2 in _MERGE_REF.findall(tail)]
    return SheetScan(merges, rows)


def _scan_xls(path: Path, sheet) -> SheetScan:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True,
                                  logfile=_Quiet(), ignore_workbook_corruption=True)
    except Exception:
        book = _open_xls(path)  # the plain reader then reports what is wrong
    try:
        ws = _xls_sheet(book, sheet)
        merges = [(r1 + 1, r2, c1, c2 - 1) for r1, r2, c1, c2 in ws.merged_cells]
        return SheetScan(merges, ws.nrows)
    finally:
        book.release_resources()


class _Quiet:
    def write(self, _text: str) -> None:
        pass


def scan_sheet(path: str | Path, sheet=None) -> SheetScan:
    """Merged ranges and row count of the sheet ``open_rows`` reads; never raises (an
    unreadable file is reported by ``open_rows`` itself)."""
    path = Path(path)
    try:
        kind = _detect(path)
        if kind == "xlsx":
            return _scan_xlsx(path, sheet)
        if kind == "xls":
            return _scan_xls(path, sheet)
        return SheetScan([], count_rows(path))
    except Exception:
        return SheetScan()


def merged_ranges(path: str | Path, sheet=None) -> list[tuple[int, int, int, int]]:
    """Merged ranges of the sheet ``open_rows`` reads; [] for CSV or when unreadable."""
    return scan_sheet(path, sheet).merges


def roster_rows(path: str | Path, sheet=None, scan: SheetScan | None = None
                ) -> Iterator[tuple[int, list]]:
    """``open_rows`` with each vertically merged value repeated down its range."""
    scan = scan or scan_sheet(path, sheet)
    downward = [m for m in scan.merges if m[1] > m[0]]
    if not downward:
        yield from open_rows(path, sheet)
        return
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for merge in downward:
        starts.setdefault(merge[0], []).append(merge)
    active: list[tuple[int, int, object]] = []  # (last_row, column, value)
    for number, cells in open_rows(path, sheet):
        active = [entry for entry in active if entry[0] >= number]
        for _last, column, value in active:
            if value is not None:
                while len(cells) <= column:
                    cells.append(None)
                if cells[column] is None:
                    cells[column] = value
        for _first, last, column, _ in starts.pop(number, ()):
            active.append((last, column, cells[column] if column < len(cells) else None))
        yield number, cells
