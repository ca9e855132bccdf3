"""公民身份号码 (resident ID number, GB 11643): normalization, parsing and validation.

The first six digits are the administrative code of the place where the number was
*issued*. That code may be younger than its holder (numbers were first issued in the
1980s), and codes abolished since stay valid for life, so a code is accepted when it
appears in any year range of python-stdnum's ``cn/loc`` table. ``stdnum.cn.ric`` is not
used because it refuses codes created after the birth year.

Also holds the small text helpers shared by the other validators of this package.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import threading
from dataclasses import dataclass
from datetime import date

from ..errors import ValidationError

FIELD = "id_number"

# --- shared text helpers ----------------------------------------------------------------

# Full-width ASCII block (U+FF01..U+FF5E) maps onto printable ASCII; U+3000 is a full-width space.
_FULL_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF[0x3000] = 0x20

# Characters that are invisible yet not reported by str.isspace().
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# Quotes and apostrophes Excel/WPS users add to force a cell to text.
QUOTES = "'\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033\u300c\u300d"

# Dash-like characters people type between number groups.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\u30fc\u2500"


def to_half_width(text: str) -> str:
    """Turn full-width digits, letters and punctuation into their ASCII forms."""
    return text.translate(_FULL_TO_HALF)


def drop_chars(text: str, chars: str) -> str:
    """Remove every character of ``chars`` from ``text``."""
    return text.translate(_dropping(chars))


@functools.lru_cache(maxsize=64)
def _dropping(chars: str) -> dict[int, None]:
    return dict.fromkeys(map(ord, chars))


# re's \s is str.isspace() (both Py_UNICODE_ISSPACE), plus the invisible characters.
_SQUEEZED = re.compile(f"[\\s{_INVISIBLE}]+")


def squeeze(text: str) -> str:
    """Remove all whitespace (any Unicode space, tabs, newlines) and invisible characters."""
    return _SQUEEZED.sub("", text)


def as_text(raw: object) -> str:
    """``raw`` as a string: None becomes ""; anything else goes through ``str``."""
    if raw is None:
        return ""
    return raw if isinstance(raw, str) else str(raw)


# --- region codes -------------------------------------------------------------------------

# Codes not in cn/loc that appear on real numbers: 台湾居民居住证 numbers start with 830000.
_EXTRA_REGIONS = {"830000": "台湾地区（台湾居民居住证）"}

# Prefecture-level names that add nothing to a place name.
_FILLER_PREFECTURES = {"市辖区", "县", "林区"}

_regions: dict[str, str] | None = None
_regions_lock = threading.Lock()


def _latest_name(value: str) -> str:
    """The most recent name in a loc.dat value like ``[1983-2019]桥东区,[2020-]襄都区``."""
    best_name, best_end = value, -1
    for part in value.split(","):
        end = 9999
        if part.startswith("[") and "]" in part:
            span, part = part[1:].split("]", 1)
            end_text = span.partition("-")[2]
            end = int(end_text) if end_text.isdigit() else 9999
        if end >= best_end:
            best_name, best_end = part, end
    return best_name


def _expand(low: str, high: str) -> list[str]:
    """All codes from ``low`` to ``high`` inclusive (numdb entries may be ranges)."""
    width = len(low)
    return [str(n).zfill(width) for n in range(int(low), int(high) + 1)]


def _read_loc_table() -> dict[str, str]:
    """Every code in stdnum's ``cn/loc`` (any year range) mapped to its latest county name."""
    from stdnum import numdb

    counties: dict[str, str] = {}
    for _length, low, high, props, children in numdb.get("cn/loc").prefixes:
        for province in _expand(low, high):
            counties[province + "0000"] = props.get("province", "")
            for _clen, clow, chigh, cprops, _sub in children:
                for county in _expand(clow, chigh):
                    counties[province + county] = _latest_name(cprops.get("county", ""))
    return counties


def _full_name(code: str, counties: dict[str, str]) -> str:
    """Province + prefecture + county name for ``code`` (levels that add nothing skipped)."""
    parts = [counties.get(code[:2] + "0000", "")]
    prefecture = counties.get(code[:4] + "00", "")
    if code[2:4] != "00" and prefecture not in _FILLER_PREFECTURES and "直辖" not in prefecture:
        parts.append(prefecture)
    if code[4:] != "00":
        parts.append(counties[code])
    names: list[str] = []
    for part in parts:
        if part and part not in names:
            names.append(part)
    return "".join(names)


def _region_table() -> dict[str, str]:
    """Code → full place name, built once on first use (module-level cache)."""
    global _regions
    if _regions is None:
        with _regions_lock:
            if _regions is None:
                counties = _read_loc_table()
                table = {code: _full_name(code, counties) for code in counties}
                table.update(_EXTRA_REGIONS)
                _regions = table
    return _regions


@functools.cache
def known_region_codes() -> frozenset[str]:
    """Every six-digit administrative code an ID number may start with (past or present)."""
    return frozenset(_region_table())


def region_name(code: str) -> str | None:
    """Place name for a six-digit code, e.g. ``370124`` → 山东省济南市平阴县; None if unknown."""
    return _region_table().get(code)


# --- check digit and construction -----------------------------------------------------------

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK_CHARACTERS = "10X98765432"  # by the weighted sum modulo 11


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits ("0"-"9" or "X")."""
    if len(first17) != 17:
        raise ValueError(f"check_digit needs 17 digits: {first17!r}")
    return _CHECK_CHARACTERS[sum(map(operator.mul, map(int, first17), _WEIGHTS)) % 11]


def make_id_number(region_code: str, birth_date: date, seq: int) -> str:
    """A valid 18-digit number for ``region_code``, ``birth_date`` and sequence ``seq``.

    The sequence (0-999) decides the sex: odd for men, even for women. For demo data
    and tests; raises ValueError on arguments no real number could have.
    """
    if not re.fullmatch(r"[0-9]{6}", region_code or ""):
        raise ValueError(f"region_code must be six digits: {region_code!r}")
    if not 0 <= seq <= 999:
        raise ValueError(f"seq must be 0..999: {seq!r}")
    first17 = f"{region_code}{birth_date:%Y%m%d}{seq:03d}"
    if len(first17) != 17:
        raise ValueError(f"birth year must have four digits: {birth_date!r}")
    return first17 + check_digit(first17)


# --- normalization and parsing ----------------------------------------------------------------


@dataclass(frozen=True)
class IdNumberInfo:
    """What a valid ID number says: the 18-digit number, birth date, sex and issuing place."""

    number: str
    birth_date: date
    sex: str  # "M" or "F", from the parity of the 17th digit
    region_code: str
    region_name: str


def normalize_id_number(raw: object) -> str:
    """Clean typed or pasted text: half-width, no spaces or quotes, upper-case X. No checks."""
    if type(raw) is str and raw.isascii() and raw.isalnum():
        return raw.upper()  # the usual cell: nothing to clean
    text = squeeze(to_half_width(as_text(raw)))
    text = drop_chars(text, QUOTES)
    if text.startswith("="):  # ="370124..." is a CSV trick to keep the number as text
        text = drop_chars(text[1:], QUOTES)
    return text.upper()


def _refuse(message: str) -> ValidationError:
    """A ValidationError for the ID number field."""
    return ValidationError(message, field=FIELD)


_EXCEL_MESSAGE = (
    "这个公民身份号码被Excel当成数字保存过，最后几位已经丢失，"
    "请把单元格设为文本格式后对照证件重新录入完整号码。"
)
_EXCEL_FLOAT = re.compile(r"[0-9]+(\.[0-9]*)?E[+-]?[0-9]+|[0-9]{16,}\.[0-9]*")
_WHOLE_FLOAT = re.compile(r"([0-9]{15})\.0*")


def _from_number(raw: float) -> str:
    """Text of a number read from a spreadsheet; refuses one that has lost digits."""
    if not math.isfinite(raw) or raw != int(raw):
        raise _refuse("公民身份号码只能包含数字，最后一位可以是X，请检查是否输错。")
    if raw >= 1e15:  # more than 15 significant digits cannot survive a float
        raise _refuse(_EXCEL_MESSAGE)
    return str(int(raw))


def _candidate(raw: object) -> str:
    """The normalized text to check, refusing empty input and Excel-mangled numbers."""
    if isinstance(raw, float):
        text = _from_number(raw)
    else:
        text = normalize_id_number(raw)
    if not text:
        raise _refuse("请填写公民身份号码。")
    if _EXCEL_FLOAT.fullmatch(text):
        raise _refuse(_EXCEL_MESSAGE)
    whole = _WHOLE_FLOAT.fullmatch(text)  # a 15-digit legacy number read as "…123.0"
    return whole.group(1) if whole else text


_SHAPE = re.compile(r"[0-9]+X?")


def _check_shape(text: str) -> None:
    """Refuse wrong characters or a wrong length."""
    if not _SHAPE.fullmatch(text):
        raise _refuse("公民身份号码只能包含数字，最后一位可以是X，请检查是否输错。")
    if len(text) not in (15, 18):
        raise _refuse(f"公民身份号码应为18位（旧版为15位），现在是{len(text)}位，请检查。")
    if len(text) == 15 and text.endswith("X"):
        raise _refuse("15位的旧公民身份号码只能由数字组成，请检查。")


def upgrade_15_to_18(old: str) -> str:
    """Turn a 15-digit legacy number (all born 19xx) into its 18-digit form."""
    first17 = old[:6] + "19" + old[6:]
    return first17 + check_digit(first17)


def _birth_date(number: str, today: date) -> date:
    """The birth date in digits 7-14, refusing impossible, future and pre-1900 dates."""
    digits = number[6:14]
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    try:
        born = date(year, month, day)
    except ValueError:
        raise _refuse(
            f"公民身份号码中的出生日期“{digits}”不存在，请检查第7到14位。") from None
    if year < 1900:
        raise _refuse(f"公民身份号码中的出生年份{year}年早于1900年，请检查第7到10位。")
    if born > today:
        raise _refuse(
            f"公民身份号码中的出生日期{year}年{month}月{day}日晚于今天，请检查第7到14位。")
    return born


def _check_digit_matches(number: str) -> None:
    """Refuse a wrong check character, naming Excel when the tail is zeroed."""
    if number[17] == check_digit(number[:17]):
        return
    if number.endswith("000"):
        raise _refuse(_EXCEL_MESSAGE)
    raise _refuse("公民身份号码的校验位不符，号码中至少有一位输错了，请对照证件逐位核对。")


def _region(number: str) -> str:
    """The place name of the first six digits, refusing a code that never existed."""
    name = region_name(number[:6])
    if name is None:
        raise _refuse(
            f"公民身份号码前6位“{number[:6]}”不是有效的行政区划代码，请检查。")
    return name


def parse_id_number(raw: object, today: date | None = None) -> IdNumberInfo:
    """Validate an ID number typed any way and say what it contains.

    15-digit legacy numbers are converted to 18 digits. Every refusal is a
    ValidationError(field="id_number") with one Chinese sentence.
    """
    if today is None:
        from ..clock import today as clock_today

        today = clock_today()
    text = _candidate(raw)
    _check_shape(text)
    number = upgrade_15_to_18(text) if len(text) == 15 else text
    born = _birth_date(number, today)
    place = _region(number)
    _check_digit_matches(number)
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberInfo(number, born, sex, number[:6], place)


def is_valid_id_number(raw: object, today: date | None = None) -> bool:
    """Whether ``raw`` is a valid (or convertible 15-digit) ID number."""
    try:
        parse_id_number(raw, today=today)
    except ValidationError:
        return False
    return True
