"""What clerks write in a roster's 就业状态 and 是/否 columns, mapped to the station's codes.

Rosters say the same thing many ways: 务工 / 外出务工 / 省外 all mean 省外务工. Words are
compared after NFKC (full-width → half-width), without spaces and brackets' contents, so
"省外务工（浙江）" reads as 省外务工. An unknown word is never guessed: the row is refused.
"""

import re
import unicodedata

from . import glossary

# Status code → the words that mean it (the glossary's own labels are added below).
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "out_province": (
        "务工", "外出务工", "省外", "省外务工", "外出", "外出打工", "出省务工", "跨省务工",
        "省外就业", "外省务工", "在外务工", "外地务工", "打工",
    ),
    "in_province": (
        "县外省内", "县外省内务工", "省内县外", "省内县外务工", "省内务工", "县外务工", "省内",
        "县外", "省内就业", "市内县外",
    ),
    "local": (
        "本地", "在家务工", "本地就业", "本地务工", "县内", "县内务工", "县内就业", "就近就业",
        "就地就业", "乡镇企业", "公益性岗位", "公益岗",
    ),
    "flexible": ("灵活就业", "打零工", "零工", "临时工", "季节工"),
    "self_employed": ("创业", "个体", "自主创业", "个体经营", "个体户", "个体工商户", "自营"),
    "unemployed": ("失业", "待业", "失业人员", "登记失业", "失业登记"),
    "willing": ("未就业", "未就业有意愿", "有就业意愿", "未就业有就业意愿", "求职", "待就业"),
    "no_intention": ("无意愿", "不愿就业", "无就业意愿", "未就业无意愿", "未就业无就业意愿",
                     "暂无意愿"),
}

TRUE_WORDS = ("是", "有", "√", "✓", "✔", "☑", "y", "yes", "true", "1", "是的")
FALSE_WORDS = ("否", "无", "不是", "×", "✗", "✘", "n", "no", "false", "0", "非", "/", "-")

_NEGATIONS = "非不未无"
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_NOISE = re.compile(r"[\s:：、.。·]+")


def _key(text) -> str:
    """Comparable form of a cell: half-width, no spaces, bracketed notes dropped, lowercase."""
    if text is None or isinstance(text, bool):
        return ""
    plain = unicodedata.normalize("NFKC", str(text)).lower()
    plain = _NOISE.sub("", plain)
    return _NOISE.sub("", _BRACKETED.sub("", plain)) or plain


_STATUS_INDEX: dict[str, str] = {
    **{_key(code): code for code in glossary.STATUS},
    **{_key(label): code for code, label in glossary.STATUS.items()},
    **{_key(word): code for code, words in STATUS_WORDS.items() for word in words},
}
_FLAG_INDEX: dict[str, bool] = {
    **{_key(word): True for word in TRUE_WORDS},
    **{_key(word): False for word in FALSE_WORDS},
}


def status_code(text) -> str | None:
    """The status code a roster word means (``"外出务工"`` → ``"out_province"``), else None."""
    return _STATUS_INDEX.get(_key(text))


def status_choices() -> str:
    """The accepted words, for a refusal message."""
    return "、".join(glossary.STATUS.values())


def flag_value(text, label: str = "") -> bool | None:
    """True/False for 是/否-like text (a true bool or 1/0 too), else None.

    A cell that repeats its column's meaning ("脱贫户" in 是否脱贫户) also counts as 是.
    """
    if isinstance(text, bool):
        return text
    if isinstance(text, int | float) and text in (0, 1):
        return bool(text)
    key = _key(text)
    if key in _FLAG_INDEX:
        return _FLAG_INDEX[key]
    label_key = _key(label).removeprefix("是否")
    negated = key[:1] in _NEGATIONS and len(key) > 2
    core = key[1:] if negated else key
    if len(core) >= 2 and label_key and (core in label_key or label_key in core):
        return not negated
    return None
