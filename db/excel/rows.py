"""Tell the kinds of rows a roster holds apart, and see cell values as the clerk sees them."""

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable

# A cell that opens a totals line: 合计 / 总计 / 小计 / 共计 (maybe after 总 / 本页 / 全部),
# alone or followed by a number, punctuation or 人数/户数/金额 — not "小计划".
_TOTAL_RE = re.compile(
    r"^(?:总|本页|全部)?(?:合计|总计|小计|共计)(?:$|[^\u4e00-\u9fff]|人数|户数|金额)"
)
# Scientific notation as Excel shows a long number: 3.70124E+17, 3.70124199001011e17.
_SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(?:\.\d*)?[eE][+-]?\d+$")
# Fifteen or more digits in a row: what an ID number looks like inside any cell.
ID_LIKE_RE = re.compile(r"\d{15,}")
# Characters that str.strip() leaves but a clerk cannot see.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# Doubles hold every integer exactly up to 2**53; Excel keeps 15 significant digits.
EXACT_INT_LIMIT = 2**53
ROUNDED_ID_FLOOR = 10**16


def clean_text(text: str) -> str:
    """Strip whitespace (including full-width spaces) and invisible characters from both ends."""
    return text.strip().strip(_INVISIBLE).strip()


def _text_of(value) -> str:
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    return ""


def is_blank(values: Iterable) -> bool:
    """True if every cell is empty: None, or a string of nothing but spaces."""
    for value in values:
        if value is None:
            continue
        if isinstance(value, str) and not clean_text(value):
            continue
        return False
    return True


def is_total_row(values: Iterable) -> bool:
    """True for a totals line: a cell reads 合计/总计/小计/共计 and no cell holds an ID.

    A data row whose remark happens to start with 合计 ("合计收入3万") still carries an ID
    number, so it is not taken for a totals line and is never skipped silently.
    """
    found = False
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if abs(value) >= 10**14:
                return False
            continue
        text = _text_of(value)
        if ID_LIKE_RE.search(text):
            return False
        if _TOTAL_RE.match(text):
            found = True
    return found


def is_excel_rounded_number(value) -> bool:
    """True for an ID number that Excel stored as a number, so its last digits are lost.

    That is a float of 1e16 or more (Excel keeps 15 significant digits), a string in
    scientific notation ("3.70124E+17"), or an int of 1e16 or more that has 15 significant
    digits or fewer (370124199001011000). An int whose digits are all there (a program wrote
    the file, not Excel) is not rounded: its checksum tells whether it is right.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) >= ROUNDED_ID_FLOOR
    if isinstance(value, int):
        if abs(value) < ROUNDED_ID_FLOOR:
            return False
        return len(str(abs(value)).rstrip("0")) <= 15
    if isinstance(value, str):
        text = clean_text(unicodedata.normalize("NFKC", value))
        return bool(_SCIENTIFIC_RE.match(text))
    return False


def cell_text(value) -> str | None:
    """The text a clerk sees in a cell: None when empty; 5.0 → "5"; a date → "2024-03-01".

    Floats too large to hold exactly (an ID Excel rounded) come back in the scientific form
    Excel shows, so they are never mistaken for a complete number.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = clean_text(value)
        return text or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < EXACT_INT_LIMIT:
            return str(int(value))
        return f"{value:.15g}".upper() if abs(value) >= ROUNDED_ID_FLOOR else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return clean_text(str(value)) or None
