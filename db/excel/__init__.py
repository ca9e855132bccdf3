"""Excel and CSV in and out: streaming roster reading, header detection, list export.

The clerk's world is Excel/WPS. This package reads what clerks actually hand over
(title rows, synonyms, GBK CSVs, IDs that Excel rounded) and writes exports that open
cleanly in Excel, WPS and LibreOffice. No Qt, no database access.
"""

import importlib

# Loaded on first use: openpyxl and xlrd take a third of a second to import, which
# start-up should not pay for screens that only export later.
_HOMES = {
    "FIELD_SYNONYMS": "headers", "HeaderMatch": "headers", "find_header": "headers",
    "normalize_header": "headers", "count_rows": "reader", "open_rows": "reader",
    "sheet_names": "reader", "cell_text": "rows", "is_blank": "rows",
    "is_excel_rounded_number": "rows", "is_total_row": "rows", "Column": "writer",
    "write_table": "writer",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(name)


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
