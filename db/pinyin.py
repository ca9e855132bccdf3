"""Pinyin keys for searching names, with surnames read as surnames (单 shan, 曾 zeng, ...)."""

from functools import cache, lru_cache

# Compound surnames first: they decide how the first two characters read.
COMPOUND_SURNAMES = {
    "欧阳": ["ou", "yang"], "司马": ["si", "ma"], "诸葛": ["zhu", "ge"], "上官": ["shang", "guan"],
    "尉迟": ["yu", "chi"], "单于": ["chan", "yu"], "万俟": ["mo", "qi"], "长孙": ["zhang", "sun"],
    "东方": ["dong", "fang"], "皇甫": ["huang", "fu"], "令狐": ["ling", "hu"], "公孙": ["gong", "sun"],
    "慕容": ["mu", "rong"], "宇文": ["yu", "wen"], "夏侯": ["xia", "hou"], "澹台": ["tan", "tai"],
}
# Characters whose surname reading differs from their most common reading.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "朴": "piao", "乐": "yue", "查": "zha",
    "仇": "qiu", "盖": "ge", "繁": "po", "覃": "qin", "尉": "yu", "种": "chong", "召": "shao",
    "翟": "zhai", "秘": "bi", "缪": "miao", "员": "yun", "折": "she", "卜": "bu", "薄": "bo",
    "隗": "wei", "句": "gou", "柏": "bai", "谌": "chen", "褚": "chu", "都": "du", "那": "na",
    "蕃": "pi", "相": "xiang", "宿": "su", "贲": "ben", "阚": "kan", "盛": "sheng", "舍": "she",
    "於": "yu", "冼": "xian", "应": "ying", "蒯": "kuai", "长": "chang", "重": "chong",
    "燕": "yan", "纪": "ji", "宁": "ning", "沈": "shen", "石": "shi", "华": "hua", "任": "ren",
    "哈": "ha", "靓": "jing", "佘": "she", "郇": "xun", "逄": "pang", "黑": "he", "藏": "zang",
}


@lru_cache(maxsize=65536)
def name_syllables(name: str) -> tuple[str, ...]:
    """Pinyin syllables of a person's name, the surname read as a surname."""
    name = name.strip()
    if not name:
        return ()
    head, rest = [], name
    if name[:2] in COMPOUND_SURNAMES:
        head, rest = COMPOUND_SURNAMES[name[:2]], name[2:]
    elif name[0] in SURNAME_READINGS:
        head, rest = [SURNAME_READINGS[name[0]]], name[1:]
    return tuple(head + [s.lower() for s in _syllables(rest) if s.strip()])


def _syllables(text: str) -> list[str]:
    """``lazy_pinyin(text)`` (style NORMAL, other characters kept as lower-case), read one
    character at a time from a cache unless a dictionary phrase occurs in ``text``.

    lazy_pinyin cuts text into dictionary phrases and reads each phrase as a whole and
    every other character alone; with no phrase inside, the text reads character by
    character, so the cached readings give the same syllables at a tenth of the cost.
    """
    phrases = _phrases()
    for start in range(len(text) - 1):
        for end in range(start + 2, len(text) + 1):
            if text[start:end] in phrases:
                return _lazy_pinyin(text)
    syllables: list[str] = []
    for char in text:
        syllables += _char_syllables(char)
    return syllables


@cache
def _char_syllables(char: str) -> tuple[str, ...]:
    return tuple(_lazy_pinyin(char))


def _lazy_pinyin(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # its dictionaries take 0.3 s to load: not at start

    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [c.lower() for c in chars])


@cache
def _phrases():
    from pypinyin.constants import PHRASES_DICT

    return PHRASES_DICT


def initials(name: str) -> str:
    """Pinyin initials: 张三 → zs, 单雄信 → sxx, 曾国藩 → zgf."""
    return "".join(s[0] for s in name_syllables(name) if s)


def full_pinyin(name: str) -> str:
    """Full pinyin without spaces: 张三 → zhangsan."""
    return "".join(name_syllables(name))
