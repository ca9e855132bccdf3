"""Phone numbers: mainland mobiles (11 digits) and landlines with an area code."""

from __future__ import annotations

import math
import re

from ..errors import ValidationError
from .idcard import DASHES, QUOTES, as_text, drop_chars, squeeze, to_half_width

FIELD = "phone"

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# 0 + area code (010, 02x, or three digits 3xx-9xx) + a 7-8 digit local number not
# starting with 0 or 1.
_LANDLINE = re.compile(r"(010|02[0-9]|0[3-9][0-9]{2})([2-9][0-9]{6,7})")
_SEPARATORS = DASHES + QUOTES + "().·"

_GENERAL = "电话号码格式不对：手机号应为11位数字，固定电话请带区号，例如0531-88886666。"


def _refuse(message: str) -> ValidationError:
    """A ValidationError for the phone field."""
    return ValidationError(message, field=FIELD)


def _digits_only(raw: object) -> str:
    """The number as text without spaces, dashes, dots, parentheses or quotes."""
    if isinstance(raw, float):  # a phone cell Excel stored as a number
        if not math.isfinite(raw) or raw != int(raw):
            raise _refuse(_GENERAL)
        return str(int(raw))
    if type(raw) is str and raw.isascii() and raw.isdigit():
        return raw  # the usual cell: nothing to clean
    return drop_chars(squeeze(to_half_width(as_text(raw))), _SEPARATORS)


def _national(text: str) -> str:
    """Strip +86 / 0086 / 86 so that a mobile or a 0-prefixed landline remains."""
    if text.startswith("+"):
        if not text.startswith("+86"):
            raise _refuse("只能登记中国大陆的手机号或固定电话，请检查号码前缀。")
        return _after_country_code(text[3:])
    if text.startswith("0086"):
        return _after_country_code(text[4:])
    if len(text) == 13 and text.startswith("86") and _MOBILE.fullmatch(text[2:]):
        return text[2:]
    return text


def _after_country_code(rest: str) -> str:
    """After +86 a landline drops its leading 0; put it back (a typed 0 is kept as is)."""
    if rest.startswith("0") or _MOBILE.fullmatch(rest):
        return rest
    return "0" + rest


def normalize_phone(raw: object) -> str:
    """A mobile as 11 digits, a landline as ``0531-88886666``; "" for no phone.

    Accepts +86/0086/86 prefixes, spaces, dashes, parentheses and full-width digits;
    refuses anything else with ValidationError(field="phone").
    """
    text = _national(_digits_only(raw))
    if not text:
        return ""
    if not text.isascii() or not text.isdigit():
        raise _refuse(_GENERAL)
    if _MOBILE.fullmatch(text):
        return text
    if text.startswith("1") and len(text) != 11:
        raise _refuse(f"手机号应为以1开头的11位数字，现在是{len(text)}位，请检查。")
    if text.startswith("1"):
        raise _refuse("手机号的第二位应为3到9，这个号段不存在，请检查。")
    landline = _LANDLINE.fullmatch(text)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    if not text.startswith("0") and 7 <= len(text) <= 8:
        raise _refuse("固定电话请加上区号，例如0531-88886666。")
    raise _refuse(_GENERAL)
