"""Excel and CSV in and out: streaming roster reading, header detection, list export.

The clerk's world is Excel/WPS. This package reads what clerks actually hand over
(title rows, synonyms, GBK CSVs, IDs that Excel rounded) and writes exports that open
cleanly in Excel, WPS and LibreOffice. No Qt, no database access.
"""

from .headers import FIELD_SYNONYMS, HeaderMatch, find_header, normalize_header
from .reader import count_rows, open_rows, sheet_names
from .rows import cell_text, is_blank, is_excel_rounded_number, is_total_row
from .writer import Column, write_table

__all__ = [
    "FIELD_SYNONYMS",
    "Column",
    "HeaderMatch",
    "cell_text",
    "count_rows",
    "find_header",
    "is_blank",
    "is_excel_rounded_number",
    "is_total_row",
    "normalize_header",
    "open_rows",
    "sheet_names",
    "write_table",
]
