"""Rosters as clerks hand them over, built inside the tests: .xlsx, .xls and CSV."""

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from tests.conftest import id_of

TITLE = "孔村镇农民工花名册（2026年11月）"
NOTE = "填报单位：孔村镇就业服务站　　填报日期：2026年11月20日"
HEADER = ["序号", "姓名", "公民身份号码", "联系电话", "所在村", "就业状态", "是否脱贫户", "备注"]


def person_row(serial: int, name: str, year: int, seq: int, *, phone="13812345678",
               village="东关村", status="外出务工", poor="否", remarks=None) -> list:
    return [serial, name, id_of(year, seq=seq), phone, village, status, poor, remarks]


def write_xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    """An .xlsx with ``rows`` from A1 and the given merged ranges (e.g. "A1:H1")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return Path(path)


def write_xls(path: Path, rows: list[list], merges: tuple[tuple[int, int, int, int], ...] = ()
              ) -> Path:
    """An old-format .xls (as WPS and older systems save). ``merges`` are 0-based
    (first_row, last_row, first_col, last_col); the value sits in the first cell."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    covered = {(r, c) for r1, r2, c1, c2 in merges for r in range(r1, r2 + 1)
               for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r1, r2, c1, c2 in merges:
        value = rows[r1][c1] if c1 < len(rows[r1]) else None
        sheet.write_merge(r1, r2, c1, c2, value)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or (r, c) in covered or any(
                    (r, c) == (m[0], m[2]) for m in merges):
                continue
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return Path(path)


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return Path(path)


def simple_roster(n: int, *, start_seq: int = 11) -> list[list]:
    """Title, note, header, then ``n`` valid people (distinct IDs), as lists."""
    rows = [[TITLE], [NOTE], list(HEADER)]
    for i in range(n):
        rows.append([i + 1, f"测试{_cn(i)}", unique_id(i, start_seq), f"138{i:08d}", "东关村",
                     "外出务工", "否", None])
    return rows


def unique_id(i: int, seq: int = 1) -> str:
    """A distinct valid ID number for each ``i`` below 13,440."""
    return id_of(1960 + i % 40, 1 + (i // 40) % 12, 1 + (i // 480) % 28, seq=seq)


def _cn(i: int) -> str:
    digits = "零一二三四五六七八九"
    return "".join(digits[int(d)] for d in str(i))
