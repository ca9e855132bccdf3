"""Lists and tables written to .xlsx for Excel/WPS, numbers masked unless the role may see them."""

from pathlib import Path

from . import glossary, lists
from .clock import today
from .excel.writer import Column, write_table
from .setup import station_info
from .station import Station

TEXT_COLUMNS = {"id_number", "phone", "household_no"}
WIDTHS = {"id_number": 22, "phone": 14, "name": 10, "groups": 20, "employer": 26}


def list_columns(kind: str) -> list[Column]:
    return [Column(key, lists.LABELS[key], WIDTHS.get(key), key in TEXT_COLUMNS)
            for key in lists.COLUMNS[kind]]


def export_list(station: Station, kind: str, out: Path, flt: lists.ListFilter | None = None,
                *, full_numbers: bool = False) -> int:
    """Write one of the three lists to ``out``; returns the number of people written."""
    flt = flt or lists.ListFilter()
    rows = lists.rows(station, kind, flt, full_numbers=full_numbers)
    info = station_info(station)
    return write_table(
        out,
        title=f"{info.name} {glossary.LIST_KINDS[kind]}",
        subtitle=f"导出日期：{today():%Y-%m-%d}　筛选：{flt.describe()}　共 {len(rows)} 人",
        columns=list_columns(kind),
        rows=rows,
        sheet_name=glossary.LIST_KINDS[kind],
    )
