"""One roster row → the person's cleaned fields and employment status, or the reasons why not.

Validation is the people service's own (``people.clean_fields``); this module only reads
cells the way clerks fill them in (是/否, status words, 3500元, dates of every form) and
checks what the ID number already says (sex, birth date) against the row.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from . import glossary, people, status_words
from .errors import ValidationError
from .excel import cell_text, is_excel_rounded_number
from .validation.dates import parse_date
from .validation.idcard import parse_id_number

# Every field a roster column can be mapped to, with its label for the mapping list.
PERSON_IMPORT_FIELDS = (
    "name", "id_number", "phone", "sex", "birth_date", "hukou_village", "hukou_address",
    "residence", "education", "skills", "health", "disability", "household_no",
    "poverty_alleviated", "monitored", "low_income", "rural_disabled", "wants_out",
    "out_destination", "out_work_type", "out_expected_wage", "wants_training", "training_wish",
    "consent_date", "remarks",
)
STATUS_FIELDS = ("status", "status_since", "employer", "work_place", "monthly_income")
CHECK_ONLY = ("sex", "birth_date")  # derived from the ID number: only compared with it
IGNORED = ("serial",)
IMPORT_FIELDS: dict[str, str] = {
    **{key: glossary.PERSON_FIELDS[key] for key in PERSON_IMPORT_FIELDS},
    **{key: glossary.ROSTER_EXTRA_FIELDS.get(key) or glossary.PERSON_FIELDS[key]
       for key in STATUS_FIELDS},
    "serial": glossary.ROSTER_EXTRA_FIELDS["serial"],
}

# Header texts beyond db.excel's synonyms (which cover the common roster columns); the
# clerk's remembered mappings win over these. "" means: a column never to import.
EXTRA_HEADERS: dict[str, str] = {
    "健康状况": "health", "身体状况": "health", "残疾情况": "disability", "残疾类别": "disability",
    "农村低收入人口": "low_income", "低收入人口": "low_income", "是否低收入人口": "low_income",
    "是否农村低收入人口": "low_income", "农村残疾人": "rural_disabled",
    "是否农村残疾人": "rural_disabled", "是否残疾人": "rural_disabled",
    "状态日期": "status_since", "就业时间": "status_since", "就业日期": "status_since",
    "务工时间": "status_since", "外出时间": "status_since", "外出务工时间": "status_since",
    "有意愿外出": "wants_out", "外出意愿": "wants_out", "是否有外出意愿": "wants_out",
    "意向地点": "out_destination", "意向务工地": "out_destination",
    "期望务工地点": "out_destination", "意向工种": "out_work_type",
    "期望月薪": "out_expected_wage", "期望工资": "out_expected_wage",
    "期望薪资": "out_expected_wage", "有培训意愿": "wants_training",
    "培训意愿": "wants_training", "是否有培训意愿": "wants_training",
    "意向培训": "training_wish", "培训需求": "training_wish", "培训意向": "training_wish",
    "同意采集日期": "consent_date", "户籍村": "hukou_village",
    "原行号": "", "未导入原因": "",
}

_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_MONEY_NOISE = re.compile(r"[\s,，元/月人民币¥￥]+")
_SEX = {"男": "M", "女": "F", "m": "M", "f": "F", "男性": "M", "女性": "F"}


@dataclass
class ParsedRow:
    """A valid row: ``person`` holds cleaned person columns (with derived ones such as
    birth date and search keys), ``given`` the editable fields the row filled in, and
    ``status`` the employment-status columns it filled in (codes and ISO dates)."""

    person: dict
    given: tuple[str, ...]
    status: dict = field(default_factory=dict)

    @property
    def id_number(self) -> str:
        return self.person["id_number"]


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _name_text(value) -> str:
    text = cell_text(value) or ""
    return _CJK_GAP.sub("", unicodedata.normalize("NFKC", text))


def _money(value, label: str) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = float(value)
    else:
        text = _MONEY_NOISE.sub("", unicodedata.normalize("NFKC", str(value)))
        try:
            amount = float(text)
        except ValueError:
            raise ValidationError(f"“{label}”应填写数字（元），现在是“{value}”。") from None
    if not 0 <= amount <= 1_000_000:
        raise ValidationError(f"“{label}”应在 0 到 1000000 元之间。")
    return int(amount)


def _date(value, label: str, on: date) -> str:
    try:
        when = parse_date(value)
    except ValidationError as exc:
        raise ValidationError(f"“{label}”：{exc}") from None
    if when > on:
        raise ValidationError(f"“{label}”{when.year}年{when.month}月{when.day}日晚于今天，请检查。")
    return when.isoformat()


class _Row:
    """Collects one row's values by field and the reasons it cannot be imported."""

    def __init__(self, cells: list, layout: "RowLayout"):
        self.values: dict[str, object] = {}
        self.labels: dict[str, str] = {}
        width = len(cells)
        for index, key, label in layout.cells:
            value = cells[index] if index < width else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            self.values[key] = value
            self.labels[key] = label
        self.errors: list[str] = []

    def label(self, key: str) -> str:
        return self.labels.get(key) or IMPORT_FIELDS.get(key, key)


class RowLayout:
    """What every row of one import shares, worked out once: the mapped cells as
    (column index, field, the label to name it by), and the person fields in the order
    rows hand them to the people service."""

    def __init__(self, columns: dict[int, str], labels: dict[int, str]):
        self.cells = [(index, key, labels.get(index) or IMPORT_FIELDS.get(key, key))
                      for index, key in columns.items() if key not in IGNORED]
        mapped = set(columns.values())
        self.person_fields = [key for key in PERSON_IMPORT_FIELDS
                              if key in mapped and key not in CHECK_ONLY
                              and key not in ("name", "id_number")]


def has_data(cells: list, columns: dict[int, str]) -> bool:
    """Whether any mapped column (other than 序号) holds something."""
    return any(key not in IGNORED and index < len(cells) and not _is_empty(cells[index])
               for index, key in columns.items())


def _raw_person(row: _Row, layout: RowLayout) -> dict:
    raw: dict = {"name": _name_text(row.values.get("name")),
                 "id_number": row.values.get("id_number")}
    for key in layout.person_fields:
        if key not in row.values:
            continue
        value = row.values[key]
        if key in people.FLAG_FIELDS:
            flag = _flag_value(value, row.label(key))
            if flag is None:
                row.errors.append(f"“{row.label(key)}”应填写“是”或“否”，现在是“{cell_text(value)}”。")
                continue
            raw[key] = flag
        elif key in ("phone", "consent_date", "out_expected_wage"):
            raw[key] = value if isinstance(value, int | float) else cell_text(value)
        else:
            raw[key] = cell_text(value)
    number = raw["id_number"]
    if isinstance(number, int) and not isinstance(number, bool) and is_excel_rounded_number(number):
        raw["id_number"] = float(number)  # Excel kept 15 digits: refused, never guessed
    return raw


_OWN_SENTENCE = ("name", "id_number", "phone")


def _clean(raw: dict, row: _Row, on: date) -> dict | None:
    """``people.clean_fields`` on the row; every field's refusal is collected."""
    try:
        return people.clean_fields(raw, on=on)
    except ValidationError:
        pass
    for key in raw:  # find every bad field, not only the first
        try:
            people.clean_fields({key: raw[key]}, on=on)
        except ValidationError as exc:
            text = str(exc)
            row.errors.append(text if key in _OWN_SENTENCE else f"“{row.label(key)}”：{text}")
    return None


def _check_derived(row: _Row, person: dict, on: date) -> None:
    """Sex and birth date in the row must agree with the ID number."""
    if "sex" in row.values:
        sex = _SEX.get((cell_text(row.values["sex"]) or "").lower())
        if sex is None:
            row.errors.append(f"性别应填写“男”或“女”，现在是“{cell_text(row.values['sex'])}”。")
        elif person and sex != person["sex"]:
            said = glossary.SEX[person["sex"]]
            row.errors.append(f"性别与公民身份号码不符（号码表明是{said}性），请核对。")
    if "birth_date" in row.values:
        try:
            born = _date(row.values["birth_date"], row.label("birth_date"), on)
        except ValidationError as exc:
            row.errors.append(str(exc))
            return
        if person and born != person["birth_date"]:
            row.errors.append(
                f"出生日期与公民身份号码中的出生日期（{person['birth_date']}）不一致，请核对。")


def _flag_value(value, label: str) -> bool | None:
    if type(value) is str:
        return _flag_of_text(value, label)
    return status_words.flag_value(value, label)


@lru_cache(maxsize=4096)
def _flag_of_text(text: str, label: str) -> bool | None:
    return status_words.flag_value(text, label)  # a roster repeats a few words all along


def _status_code(value) -> str | None:
    return _status_of_text(value) if type(value) is str else status_words.status_code(value)


@lru_cache(maxsize=4096)
def _status_of_text(text: str) -> str | None:
    return status_words.status_code(text)


def _status(row: _Row, on: date) -> dict:
    found: dict = {}
    if "status" in row.values:
        code = _status_code(row.values["status"])
        if code is None:
            row.errors.append(f"就业状态“{cell_text(row.values['status'])}”无法识别，"
                              f"请填写{status_words.status_choices()}之一。")
        found["status"] = code
    for key in ("employer", "work_place"):
        if key in row.values:
            found[key] = " ".join((cell_text(row.values[key]) or "").split())
    for key, parse in (("monthly_income", _money), ("status_since", None)):
        if key not in row.values:
            continue
        try:
            found[key] = (parse(row.values[key], row.label(key)) if parse
                          else _date(row.values[key], row.label(key), on))
        except ValidationError as exc:
            row.errors.append(str(exc))
    return found


def parse_row(cells: list, columns: dict[int, str], labels: dict[int, str], on: date,
              layout: RowLayout | None = None) -> ParsedRow | list[str]:
    """A valid row as ``ParsedRow``, or the Chinese reasons (one sentence each) it is not.

    ``layout`` is ``RowLayout(columns, labels)``, made once for all the rows of a file.
    """
    layout = layout or RowLayout(columns, labels)
    row = _Row(cells, layout)
    raw = _raw_person(row, layout)
    person = _clean(raw, row, on)
    _check_derived(row, person or _id_only(raw, on), on)
    status = _status(row, on)
    if row.errors or person is None:
        return row.errors
    given = tuple(key for key in raw if key != "id_number")
    return ParsedRow(person, given, status)


def _id_only(raw: dict, on: date) -> dict:
    """Sex and birth date from the ID number alone, to check them while other fields fail."""
    try:
        info = parse_id_number(raw.get("id_number"), today=on)
    except ValidationError:
        return {}
    return {"sex": info.sex, "birth_date": info.birth_date.isoformat()}
