"""信息比对 (§五(三)): a county list against the station's own records.

The county hands over a list from another system (失业登记, 社保参保, 防返贫监测, ...).
People are matched by ID number only and sorted into three groups:

- 名单有、本站无 (only_in_list): the list names someone the station has not registered;
- 本站有、名单无 (only_in_station): people the station holds who *should* be on such a
  list but are not. Which people should be depends on the kind of list:
  失业登记 → current status 失业 or 未就业有意愿, or an open (not 注销) 失业登记;
  防返贫监测 → people flagged 防止返贫监测对象; 社保参保 and 其他 → every registered person;
- 信息不一致 (differing): on both, but the list says otherwise about 姓名, 就业状态,
  户籍村 or 手机号. A value the station lacks counts as a difference; a value the list
  lacks does not.

Rows whose ID number cannot be read (or repeat an earlier row) are listed as 无法比对.
The list is streamed; the result (the three groups) is held in memory to show and export.
Nothing is written to the station.
"""

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import glossary
from .clock import today
from .errors import ValidationError
from .excel import Column, cell_text, is_blank, is_total_row, write_table
from .roster_fields import has_data
from .roster_import import ImportCancelled, Rejection, RosterHeader, roster_stream
from .roster_plan import lookup
from .station import Station
from .status_words import status_code
from .validation.idcard import parse_id_number
from .validation.masking import mask_id_number, mask_phone
from .validation.phone import normalize_phone

CHUNK = 500
COMPARED_FIELDS = {"name": "姓名", "status": "就业状态", "hukou_village": "户籍村",
                   "phone": "手机号"}
_RELEVANT = {
    "unemployment": (
        "(p.current_status IN ('unemployed', 'willing') OR EXISTS (SELECT 1 FROM registration r "
        "WHERE r.person_id = p.id AND r.kind = 'unemployment' AND r.cancelled_on IS NULL "
        "AND r.deleted_at IS NULL))"),
    "monitoring": "p.monitored = 1",
    "insurance": "1",
    "other": "1",
}
# Who "should be on the list" for each kind, in the clerk's words (shown on the screen).
SCOPE_NOTES = {
    "unemployment": "“本站有、名单无”指：当前就业状态为失业或未就业有意愿，或有未注销失业登记的人员。",
    "monitoring": "“本站有、名单无”指：本站标记为防止返贫监测对象的人员。",
    "insurance": "“本站有、名单无”指：本站登记的全部人员。",
    "other": "“本站有、名单无”指：本站登记的全部人员。",
}
_VILLAGE_SUFFIX = re.compile(r"(村民委员会|村委会|居民委员会|居委会|社区|村)$")

MSG_KIND = "比对名单的类型应为：失业登记、社保参保、防返贫监测或其他。"
MSG_NO_ID = "比对名单中需要有“公民身份号码”一列，请检查表头。"


def normalize_kind(text: str) -> str:
    """A kind code from its code or Chinese name (失业登记 → unemployment)."""
    value = (text or "").strip()
    for code, label in glossary.COMPARE_KINDS.items():
        if value in (code, label):
            return code
    raise ValidationError(MSG_KIND)


@dataclass(frozen=True)
class ListPerson:
    """One person of the county list, as read (phone normalized when it can be)."""

    row: int
    id_number: str
    name: str = ""
    phone: str = ""
    village: str = ""
    status: str = ""  # the list's own word


@dataclass(frozen=True)
class Difference:
    row: int
    person_id: str
    id_number: str
    name: str
    field: str
    list_value: str
    station_value: str

    @property
    def label(self) -> str:
        return COMPARED_FIELDS[self.field]


@dataclass
class Comparison:
    kind: str
    path: Path
    rows: int = 0
    matched: int = 0
    only_in_list: list[ListPerson] = field(default_factory=list)
    only_in_station: list[dict] = field(default_factory=list)
    differing: list[Difference] = field(default_factory=list)
    unreadable: list[Rejection] = field(default_factory=list)

    @property
    def differing_people(self) -> int:
        return len({d.id_number for d in self.differing})

    def counts(self) -> dict:
        return {"kind": self.kind, "rows": self.rows, "matched": self.matched,
                "only_in_list": len(self.only_in_list),
                "only_in_station": len(self.only_in_station),
                "differing": self.differing_people,
                "unreadable": [{"row": r.row, "reason": r.reason} for r in self.unreadable]}


def _village_key(text: str) -> str:
    plain = "".join(unicodedata.normalize("NFKC", text or "").split())
    return _VILLAGE_SUFFIX.sub("", plain) or plain


def same_village(a: str, b: str) -> bool:
    """东关村 = 东关 = 孔村镇东关村; 东关村 ≠ 西关村."""
    ka, kb = _village_key(a), _village_key(b)
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    return len(short) >= 2 and long.endswith(short)


def _phone(value) -> str:
    text = cell_text(value) or ""
    try:
        return normalize_phone(value if isinstance(value, int | float) else text)
    except ValidationError:
        return text


def _read_person(number: int, cells: list, columns: dict[int, str]) -> ListPerson | str:
    """The list's row as a ListPerson, or why its ID number cannot be read."""
    values = {key: cells[i] for i, key in columns.items() if i < len(cells)}
    try:
        info = parse_id_number(values.get("id_number"), today=today())
    except ValidationError as exc:
        return str(exc)
    name = "".join((cell_text(values.get("name")) or "").split())
    return ListPerson(number, info.number, name, _phone(values.get("phone")),
                      cell_text(values.get("hukou_village")) or "",
                      cell_text(values.get("status")) or "")


def _differences(entry: ListPerson, person: dict) -> list[Difference]:
    found = []

    def differ(key: str, list_value: str, station_value: str) -> None:
        found.append(Difference(entry.row, person["id"], entry.id_number, person["name"], key,
                                list_value, station_value))

    if entry.name and entry.name != person["name"]:
        differ("name", entry.name, person["name"])
    if entry.status:
        code = status_code(entry.status)
        if code != person["current_status"]:
            differ("status", entry.status, glossary.status_label(person["current_status"]))
    if entry.village and not same_village(entry.village, person["hukou_village"] or ""):
        differ("hukou_village", entry.village, person["hukou_village"] or "")
    if entry.phone and entry.phone != person["phone"]:
        differ("phone", entry.phone, person["phone"] or "")
    return found


class _Matcher:
    def __init__(self, station: Station, result: Comparison):
        self.station, self.result = station, result
        self.buffer: list[ListPerson] = []
        self.seen: dict[str, int] = {}
        self.matched_ids: set[str] = set()

    def add(self, entry: ListPerson) -> None:
        first = self.seen.get(entry.id_number)
        if first is not None:
            self.result.unreadable.append(Rejection(
                entry.row, f"与第{first}行的公民身份号码相同，名单中重复出现。"))
            return
        self.seen[entry.id_number] = entry.row
        self.buffer.append(entry)
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        found = lookup(self.station, (e.id_number for e in self.buffer))
        for entry in self.buffer:
            person = found.get(entry.id_number)
            if person is None:
                self.result.only_in_list.append(entry)
                continue
            self.result.matched += 1
            self.matched_ids.add(person["id"])
            self.result.differing.extend(_differences(entry, person))
        self.buffer = []


def _station_side(station: Station, kind: str, matched: set[str]) -> list[dict]:
    rows = station.query(
        "SELECT p.id, p.name, p.id_number, p.phone, p.hukou_village, p.current_status "
        f"FROM person p WHERE p.deleted_at IS NULL AND {_RELEVANT[kind]} "
        "ORDER BY p.hukou_village, p.search_pinyin")
    return [row for row in rows if row["id"] not in matched]


def compare_roster(station: Station, path, kind: str, *, sheet=None,
                   header: RosterHeader | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> Comparison:
    """Compare the county list at ``path`` (of ``kind``, a code or its Chinese name)."""
    kind = normalize_kind(kind)
    with roster_stream(station, path, sheet, header) as (header, rows, total):
        if "id_number" not in header.columns.values():
            raise ValidationError(MSG_NO_ID)
        result = Comparison(kind, Path(path))
        matcher = _Matcher(station, result)
        for number, cells in rows:
            if number % 200 == 0:
                if cancelled and cancelled():
                    raise ImportCancelled("已取消比对。")
                if progress:
                    progress(number, max(total, number))
            if number <= header.row_number or is_blank(cells) or is_total_row(cells):
                continue
            if not has_data(cells, header.columns):
                continue
            result.rows += 1
            entry = _read_person(number, cells, header.columns)
            if isinstance(entry, str):
                result.unreadable.append(Rejection(number, entry))
            else:
                matcher.add(entry)
        matcher.flush()
    result.only_in_station = _station_side(station, kind, matcher.matched_ids)
    return result


# -- export --------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    Column("group", "比对结果", 16), Column("row", "名单行号", 9), Column("name", "姓名", 10),
    Column("id_number", "公民身份号码", 22, text=True), Column("phone", "手机号", 14, text=True),
    Column("village", "户籍村", 12), Column("status", "就业状态", 12),
    Column("field", "不一致项目", 11), Column("list_value", "名单中", 20),
    Column("station_value", "本站中", 20), Column("reason", "说明", 40),
]


def export_rows(result: Comparison, *, full_numbers: bool = False) -> list[dict]:
    """The comparison as rows for a table or an .xlsx, numbers masked unless allowed."""
    idn = (lambda n: n) if full_numbers else mask_id_number
    tel = (lambda n: n) if full_numbers else mask_phone
    groups = glossary.COMPARE_GROUPS
    out = [{"group": groups["only_in_list"], "row": e.row, "name": e.name,
            "id_number": idn(e.id_number), "phone": tel(e.phone) if e.phone else "",
            "village": e.village, "status": e.status} for e in result.only_in_list]
    out += [{"group": groups["only_in_station"], "name": p["name"],
             "id_number": idn(p["id_number"]), "phone": tel(p["phone"]) if p["phone"] else "",
             "village": p["hukou_village"], "status": glossary.status_label(p["current_status"])}
            for p in result.only_in_station]
    for d in result.differing:
        masked = d.field == "phone" and not full_numbers
        out.append({"group": groups["differing"], "row": d.row, "name": d.name,
                    "id_number": idn(d.id_number), "field": d.label,
                    "list_value": mask_phone(d.list_value) if masked else d.list_value,
                    "station_value": mask_phone(d.station_value) if masked and d.station_value
                    else d.station_value})
    out += [{"group": groups["unreadable"], "row": r.row, "reason": r.reason}
            for r in result.unreadable]
    return out


def export_comparison(result: Comparison, out: str | os.PathLike, *,
                      full_numbers: bool = False) -> int:
    """Write the comparison to an .xlsx; returns the number of rows written."""
    kind = glossary.COMPARE_KINDS[result.kind]
    subtitle = (f"名单：{result.path.name}　比对日期：{today():%Y-%m-%d}　"
                f"名单共 {result.rows} 行；名单有、本站无 {len(result.only_in_list)} 人；"
                f"本站有、名单无 {len(result.only_in_station)} 人；"
                f"信息不一致 {result.differing_people} 人")
    return write_table(out, title=f"信息比对结果（{kind}）", subtitle=subtitle,
                       columns=EXPORT_COLUMNS, rows=export_rows(result, full_numbers=full_numbers),
                       sheet_name="比对结果")
