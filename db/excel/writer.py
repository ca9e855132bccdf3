"""Writing tables to .xlsx: the column description here, the openpyxl work on first use.

``write_table`` lives in ``xlsx_writer``; importing this module costs nothing, so record
modules can describe their exports without loading openpyxl at start-up.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of an export: the row key, its Chinese header, an optional width in
    Excel character units, and ``text=True`` for digit strings Excel must not turn into
    numbers (ID numbers, phone numbers)."""

    key: str
    label: str
    width: float | None = None
    text: bool = False


def write_table(*args, **kwargs) -> int:
    """Write an .xlsx table; see :func:`db.excel.xlsx_writer.write_table`."""
    from .xlsx_writer import write_table as write

    return write(*args, **kwargs)
