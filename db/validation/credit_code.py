"""统一社会信用代码 (unified social credit code, GB 32100-2015) of employers.

Layout: 1 registering-authority character, 1 entity-type character, 6 digits of the
region code, 9 characters of the organization code, 1 check character. The alphabet is
the digits and the capital letters except I, O, Z, S and V.

python-stdnum's ``stdnum.cn.uscc`` is not used: it requires the first two characters to
be digits and so refuses codes such as the ``N2…``/``N3…`` of village collective economic
organizations (registered by agriculture departments) or ``Y1…`` of other bodies.
"""

from __future__ import annotations

import re

from ..errors import ValidationError
from .idcard import DASHES, QUOTES, as_text, drop_chars, squeeze, to_half_width

FIELD = "credit_code"

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}")


def _refuse(message: str) -> ValidationError:
    """A ValidationError for the credit code field."""
    return ValidationError(message, field=FIELD)


def normalize_credit_code(raw: object) -> str:
    """Clean typed or pasted text: half-width, upper case, no spaces, dashes or quotes."""
    text = drop_chars(squeeze(to_half_width(as_text(raw))), DASHES + QUOTES)
    return text.upper()


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (all from ALPHABET)."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: object) -> str:
    """The normalized 18-character code, or ValidationError(field="credit_code")."""
    code = normalize_credit_code(raw)
    if not code:
        raise _refuse("请填写统一社会信用代码。")
    if len(code) != 18:
        raise _refuse(f"统一社会信用代码应为18位，现在是{len(code)}位，请检查。")
    if not _SHAPE.fullmatch(code):
        bad = [c for c in code if c not in ALPHABET]
        if bad:
            raise _refuse(
                f"统一社会信用代码中不能出现“{bad[0]}”，只能是数字和大写字母"
                "（不含I、O、S、V、Z），请检查。")
        raise _refuse("统一社会信用代码的第3到8位应为数字（行政区划代码），请检查。")
    if code[17] != credit_code_check_char(code[:17]):
        raise _refuse("统一社会信用代码的校验位不符，至少有一位输错了，请对照营业执照逐位核对。")
    return code


def is_valid_credit_code(raw: object) -> bool:
    """Whether ``raw`` is a valid unified social credit code."""
    try:
        validate_credit_code(raw)
    except ValidationError:
        return False
    return True
