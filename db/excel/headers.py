"""Find the header row of a roster and map its columns to the station's fields.

Rosters put title rows ("XX镇农民工花名册"), notes and sometimes a group header above the
real header, and every office names its columns a little differently. Matching is exact
on normalized text (no substring guessing): "户主身份证号" is not "身份证号".
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .rows import ID_LIKE_RE

# Field key → header texts that mean it. Keep each text under one key only.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "serial": ("序号",),
    "name": ("姓名", "名字", "劳动者姓名", "人员姓名", "农民工姓名"),
    "id_number": (
        "身份证号", "公民身份号码", "证件号码", "身份证号码", "身份证", "证件号",
        "居民身份证号码", "身份证件号码", "社会保障号码",
    ),
    "phone": ("联系电话", "手机号码", "手机号", "电话", "联系方式", "手机", "电话号码", "联系号码"),
    "sex": ("性别",),
    "birth_date": ("出生日期", "出生年月", "出生年月日"),
    "hukou_village": ("村", "所在村", "行政村", "村居", "户籍村", "所属村", "村名"),
    "hukou_address": ("户籍地", "户籍地址", "户籍所在地", "家庭住址", "住址"),
    "residence": ("常住地", "现居住地", "居住地", "现住址", "常住地址", "现居住地址"),
    "education": ("文化程度", "学历"),
    "skills": ("技能", "工种", "职业技能", "技能特长", "专业技能"),
    "status": ("就业状态", "就业情况", "务工状态"),
    "employer": ("就业单位", "工作单位", "务工单位", "务工企业", "就业企业"),
    "work_place": ("就业地点", "务工地点", "务工地", "就业地", "工作地点", "务工地址"),
    "monthly_income": ("月收入", "月工资", "收入(元/月)", "月均收入", "月工资收入", "月均工资"),
    "poverty_alleviated": ("脱贫人口", "是否脱贫人口", "脱贫户", "是否脱贫户"),
    "monitored": (
        "监测对象", "防止返贫监测对象", "是否监测对象", "是否防止返贫监测对象", "防返贫监测对象",
    ),
    "household_no": ("户编号", "户号"),
    "remarks": ("备注",),
}

# Fields of which one is needed before a row counts as the header.
KEY_FIELDS = ("name", "id_number")

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>|〔[^〔〕]*〕")
_NOISE = re.compile(r"[\s*※★☆:：、.。·]+")


def normalize_header(text) -> str:
    """Reduce header text to a comparable key: NFKC (full-width → half-width), no spaces,
    line breaks, asterisks or colons, no parenthesized units ("月收入（元）" → "月收入")."""
    if text is None or isinstance(text, bool):
        return ""
    if isinstance(text, int | float):
        text = str(text)
    if not isinstance(text, str):
        return ""
    plain = unicodedata.normalize("NFKC", text)
    plain = _NOISE.sub("", plain).lower()
    stripped = _BRACKETED.sub("", plain)
    stripped = _BRACKETED.sub("", stripped)  # one level of nesting
    return _NOISE.sub("", stripped) or plain


_SYNONYM_INDEX: dict[str, str] = {
    normalize_header(text): key for key, texts in FIELD_SYNONYMS.items() for text in texts
}


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is and what each column means.

    ``row_number`` is the 1-based row of the (last) header row: data begins below it.
    ``columns`` maps a 0-based column index to a field key; ``unmapped`` maps the index of
    every other non-empty header cell to its original text, to show the clerk. ``labels``
    holds the original header text of every mapped column. ``following`` holds the rows
    that were read past the header during the scan: continue with
    ``itertools.chain(match.following, rows)``.
    """

    row_number: int
    columns: dict[int, str]
    unmapped: dict[int, str]
    labels: dict[int, str] = field(default_factory=dict)
    following: tuple[tuple[int, list], ...] = ()


def _header_text(value) -> str | None:
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _map_cells(cells: list, remembered: Mapping[str, str | None]) -> dict[int, str | None]:
    """Column index → field key (None: known to be ignored) for every recognised cell."""
    found: dict[int, str | None] = {}
    for index, value in enumerate(cells):
        key = normalize_header(_header_text(value))
        if not key:
            continue
        if key in remembered:
            found[index] = remembered[key] or None
        elif key in _SYNONYM_INDEX:
            found[index] = _SYNONYM_INDEX[key]
    return found


def _score(mapped: dict[int, str | None]) -> int:
    return len({key for key in mapped.values() if key})


def _looks_like_data(cells: list) -> bool:
    for value in cells:
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e14:
            return True
        if isinstance(value, str) and ID_LIKE_RE.search(value):
            return True
    return False


def _completes(cells: list, mapped: dict, lower: list, lower_mapped: dict) -> bool:
    """Whether the row below the header is its second line (the specific labels under a
    group header) rather than the first data row: it names a field the header row does
    not, looks like no data, and puts no unknown text under a label of the header row (a
    first data row may hold a header word, such as 所在村 in the village column)."""
    new_keys = set(lower_mapped.values()) - set(mapped.values()) - {None, ""}
    if not new_keys or _looks_like_data(lower):
        return False
    for index, value in enumerate(lower):
        if (_header_text(value) is not None and index not in lower_mapped
                and index < len(cells) and _header_text(cells[index]) is not None):
            return False
    return True


def _combine(upper: list, lower: list) -> list:
    """One header from two rows: the lower (specific) label wins, the upper fills gaps."""
    width = max(len(upper), len(lower))
    merged = []
    for index in range(width):
        low = lower[index] if index < len(lower) else None
        high = upper[index] if index < len(upper) else None
        merged.append(low if _header_text(low) is not None else high)
    return merged


def _build(row_number: int, cells: list, remembered, following) -> HeaderMatch:
    mapped = _map_cells(cells, remembered)
    columns: dict[int, str] = {}
    unmapped: dict[int, str] = {}
    labels: dict[int, str] = {}
    taken: set[str] = set()
    for index, value in enumerate(cells):
        text = _header_text(value)
        if text is None:
            continue
        key = mapped.get(index, "")
        if index in mapped and key is None:
            continue  # the clerk said to ignore this column
        if key and key not in taken:
            columns[index] = key
            labels[index] = text
            taken.add(key)
        else:
            unmapped[index] = text
    return HeaderMatch(row_number, columns, unmapped, labels, tuple(following))


def find_header(
    rows: Iterable[tuple[int, list]],
    max_scan: int = 20,
    remembered: Mapping[str, str | None] | None = None,
) -> HeaderMatch | None:
    """Find the header among the first ``max_scan`` rows of ``(row_number, cells)`` pairs.

    The row matching the most known fields wins (earliest on a tie); it must name 姓名 or
    身份证号. Title and notes rows match nothing and are passed over. When the row just
    above or below the winner also holds header names (a group header over the real one),
    the two are read as one header. ``remembered`` maps header text the clerk taught
    earlier to a field key (or to None/"" to ignore that column) and wins over synonyms.
    Returns None when no row qualifies; never raises on odd cell contents.
    """
    taught = {normalize_header(text): key for text, key in (remembered or {}).items()}
    taught.pop("", None)
    scanned: list[tuple[int, list]] = []
    for number, cells in rows:
        scanned.append((number, list(cells)))
        if len(scanned) >= max_scan:
            break

    best: int | None = None
    best_score = 0
    maps = [_map_cells(cells, taught) for _, cells in scanned]
    for position, mapped in enumerate(maps):
        keys = set(mapped.values())
        if not keys.intersection(KEY_FIELDS):
            continue
        if _score(mapped) > best_score:
            best, best_score = position, _score(mapped)
    if best is None:
        return None

    cells = scanned[best][1]
    last = best
    below = best + 1
    above = best - 1
    if below < len(scanned) and _completes(cells, maps[best], scanned[below][1], maps[below]):
        cells, last = _combine(cells, scanned[below][1]), below
    elif above >= 0 and _score(maps[above]) and not _looks_like_data(scanned[above][1]):
        cells = _combine(scanned[above][1], cells)
    return _build(scanned[last][0], cells, taught, scanned[last + 1 :])
