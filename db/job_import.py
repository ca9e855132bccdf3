"""Import job postings from the Excel/WPS lists counties and partner regions hand over.

The roster reader's tolerance applies (``excel.open_rows`` + ``excel.find_header``): title
rows above the header, header synonyms, full-width digits, stray spaces, Excel dates.
Employers are found by credit code or name, or created. Every rejected row comes back
with its row number and a Chinese reason; re-importing the same file changes nothing.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from . import employers, glossary, jobs, settings
from .errors import DuplicateError, StationError, ValidationError
from .excel import Column, count_rows, find_header, is_blank, is_total_row, open_rows, write_table
from .excel import cell_text as excel_cell_text
from .station import Station

# Job-list header texts → field. Passed to find_header as taught mappings, so they win
# over the roster synonyms (where 工种 means a person's skills and 电话 a person's phone).
JOB_SYNONYMS: dict[str, tuple[str, ...]] = {
    "employer": ("单位名称", "企业名称", "用人单位", "招聘单位", "公司名称", "用工单位", "单位",
                 "企业", "用人单位名称", "招聘企业"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码"),
    "work_type": ("工种", "岗位", "岗位名称", "招聘岗位", "职位", "职位名称", "招聘工种",
                  "需求工种"),
    "headcount": ("人数", "招聘人数", "需求人数", "招工人数", "用工人数", "岗位人数",
                  "计划招聘人数"),
    "wage": ("薪资", "薪资范围", "工资", "工资待遇", "薪酬", "月薪", "薪资待遇", "待遇",
             "工资标准", "月工资", "薪酬待遇", "工资范围"),
    "wage_min": ("最低工资", "最低月薪", "工资下限", "月薪下限"),
    "wage_max": ("最高工资", "最高月薪", "工资上限", "月薪上限"),
    "place_type": ("工作地类型", "地域类型", "区域类型", "岗位区域", "本地/外地"),
    "work_place": ("工作地点", "工作地", "工作地址", "用工地点", "务工地点", "工作区域"),
    "age": ("年龄", "年龄要求", "年龄范围", "年龄限制"),
    "requirements": ("岗位要求", "要求", "任职要求", "招聘条件", "学历要求", "岗位职责",
                     "技能要求", "任职条件"),
    "gig": ("零工", "是否零工", "零工岗位"),
    "older_friendly": ("适合大龄", "是否适合大龄", "大龄适用", "适合大龄劳动者"),
    "valid_until": ("有效期", "有效期至", "截止日期", "招聘截止日期", "截止时间", "有效日期"),
    "contact_person": ("联系人",),
    "contact_phone": ("联系电话", "电话", "联系方式", "手机", "手机号", "联系手机"),
    "industry": ("行业", "所属行业", "行业类别"),
    "address": ("单位地址", "企业地址", "地址"),
    "source": ("来源", "岗位来源", "信息来源"),
    "remarks": ("备注", "说明"),
}
# find_header accepts a row as the header only when it names 姓名 or 身份证号; on a job
# list the employer's name plays that part.
_HEADER_KEY = {"employer": "name"}
_FROM_HEADER_KEY = {v: k for k, v in _HEADER_KEY.items()}

YES = {"是", "√", "✓", "✔", "y", "yes", "1", "true", "有", "适合"}
NO = {"否", "×", "n", "no", "0", "false", "无", "不适合", "-"}

PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁",
    "22": "吉林", "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽",
    "35": "福建", "36": "江西", "37": "山东", "41": "河南", "42": "湖北", "43": "湖南",
    "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
    "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏",
    "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}


@dataclass(frozen=True)
class RejectedRow:
    """A row not imported: its Excel row number, the reason, and its cells as read."""

    row: int
    reason: str
    cells: tuple = ()


@dataclass
class ImportResult:
    """What an import did: keys of the jobs created, rows already present, rows refused."""

    created: list[str] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    employers_created: int = 0
    header: dict[int, str] = field(default_factory=dict)  # column index → header text

    def summary(self) -> str:
        """One Chinese sentence for the clerk."""
        text = f"新增岗位 {len(self.created)} 个"
        if self.unchanged:
            text += f"，已存在 {len(self.unchanged)} 个"
        if self.rejected:
            text += f"，未导入 {len(self.rejected)} 行（原因见清单）"
        return text + "。"


def taught_headers() -> dict[str, str]:
    """Header text → field key as find_header expects it."""
    return {text: _HEADER_KEY.get(key, key) for key, texts in JOB_SYNONYMS.items()
            for text in texts}


def _flag(value, key: str) -> int:
    text = (excel_cell_text(value) or "").strip().lower()
    if not text or text in NO:
        return 0
    if text in YES:
        return 1
    raise ValidationError(f"“{glossary.JOB_FLAGS[key]}”一栏请填“是”或“否”。", field=key)


def infer_place_type(station: Station, work_place: str) -> str:
    """本地/县内/省内/省外 from the work place text: explicit words, the station's county,
    or a province name; ValidationError when the text does not say."""
    for code, label in glossary.JOB_PLACES.items():
        if label in work_place:
            return code
    county = settings.get(station, "station.county")
    if county and county in work_place:
        return "county"
    own = PROVINCES.get(str(settings.get(station, "station.code"))[:2], "")
    for province in PROVINCES.values():
        if province in work_place:
            return "province" if province == own else "out_province"
    raise ValidationError("看不出工作地在本地、县内、省内还是省外，请增加“工作地类型”一栏填写。",
                          field="place_type")


def _job_fields(station: Station, values: dict, source: str) -> dict:
    """The create_job fields of one row (employer_id is filled in later)."""
    row = {"work_type": excel_cell_text(values.get("work_type")) or "",
           "work_place": excel_cell_text(values.get("work_place")) or "",
           "requirements": excel_cell_text(values.get("requirements")) or "",
           "source_note": excel_cell_text(values.get("remarks")) or ""}
    if not row["work_type"]:
        raise ValidationError("缺少工种（岗位名称）。", field="work_type")
    if values.get("headcount") not in (None, ""):
        row["headcount"] = excel_cell_text(values["headcount"]).rstrip("人名")
    if values.get("wage") not in (None, ""):
        row["wage_min"], row["wage_max"] = jobs.parse_wage_range(excel_cell_text(values["wage"]))
    for key in ("wage_min", "wage_max"):
        if values.get(key) not in (None, ""):
            row[key] = excel_cell_text(values[key])
    if values.get("age") not in (None, ""):
        row["age_min"], row["age_max"] = jobs.parse_age_range(excel_cell_text(values["age"]))
    place = excel_cell_text(values.get("place_type"))
    row["place_type"] = place or infer_place_type(station, row["work_place"])
    row["gig"] = _flag(values.get("gig"), "gig")
    row["older_friendly"] = _flag(values.get("older_friendly"), "older_friendly")
    if values.get("valid_until") not in (None, ""):
        row["valid_until"] = values["valid_until"]
    row["source"] = excel_cell_text(values.get("source")) or source
    return row


def _employer_id(station: Station, values: dict, result: ImportResult) -> str:
    """The employer of a row, created when the station does not know it yet."""
    name = " ".join((excel_cell_text(values.get("employer")) or "").split())
    if not name:
        raise ValidationError("缺少用人单位名称。", field="employer")
    fields = {"name": name, "credit_code": excel_cell_text(values.get("credit_code")) or ""}
    for key in ("contact_person", "contact_phone", "industry", "address"):
        fields[key] = excel_cell_text(values.get(key)) or ""
    clean = employers.clean_fields(fields)
    found = employers.find_employer(station, name=name, credit_code=clean["credit_code"])
    if found:
        return found["id"]
    result.employers_created += 1
    return employers.create_employer(station, fields)


_SAME_JOB = ("employer_id", "work_type", "work_place", "place_type", "wage_min", "wage_max",
             "valid_until")


def _existing_job(station: Station, row: dict) -> bool:
    """Whether a live job with the same employer, 工种, place, wage and 有效期 exists."""
    clean = jobs.clean_fields(row)
    clean.setdefault("valid_until", jobs.default_valid_until(station).isoformat())
    where = " AND ".join(f"{key} IS ?" for key in _SAME_JOB)
    return bool(station.scalar(f"SELECT 1 FROM job WHERE deleted_at IS NULL AND {where}",
                               [clean.get(key) for key in _SAME_JOB]))


def _import_row(station: Station, values: dict, source: str, result: ImportResult) -> str | None:
    """Create the row's job (and employer) in a savepoint; None when it already exists."""
    with station.atomic():
        row = _job_fields(station, values, source)
        row["employer_id"] = _employer_id(station, values, result)
        if _existing_job(station, row):
            return None
        return jobs.create_job(station, row)


def _values(columns: dict[int, str], cells: list) -> dict:
    return {_FROM_HEADER_KEY.get(key, key): cells[i] for i, key in columns.items()
            if i < len(cells)}


def import_jobs(station: Station, path: str | os.PathLike, *, source: str = "county",
                sheet=None, progress: Callable[[int, int | None], None] | None = None
                ) -> ImportResult:
    """Import every job row of the file in one transaction; returns what happened.

    A file without a recognisable header raises ValidationError and writes nothing.
    """
    total = count_rows(path, sheet)
    rows = open_rows(path, sheet)
    match = find_header(rows, remembered=taught_headers())
    if match is None or "work_type" not in match.columns.values():
        raise ValidationError("找不到表头：岗位表应有“单位名称”和“工种（岗位名称）”两栏。")
    result = ImportResult(header=dict(match.labels))
    with station.atomic():
        for number, cells in (*match.following, *rows):
            if is_blank(cells) or is_total_row(cells):
                continue
            try:
                job_id = _import_row(station, _values(match.columns, cells), source, result)
            except (ValidationError, DuplicateError) as exc:
                result.rejected.append(RejectedRow(number, str(exc), tuple(cells)))
                continue
            if job_id:
                result.created.append(job_id)
            else:
                result.unchanged.append(number)
            if progress and number % 50 == 0:
                progress(number, total)
    return result


def write_rejects(path: str | os.PathLike, result: ImportResult) -> int:
    """Write the rejected rows (行号, 原因, then the original columns) to an .xlsx the clerk
    can fix and import again; returns the number of rows written."""
    if not result.rejected:
        raise StationError("没有未导入的行。")
    width = max([len(r.cells) for r in result.rejected] + [max(result.header, default=-1) + 1])
    columns = [Column("row", "行号", 8), Column("reason", "未导入原因", 40)] + [
        Column(f"c{i}", result.header.get(i, f"第{i + 1}列"), None, True) for i in range(width)]
    rows = [{"row": r.row, "reason": r.reason,
             **{f"c{i}": excel_cell_text(v) for i, v in enumerate(r.cells)}}
            for r in result.rejected]
    return write_table(path, title="未导入的岗位", subtitle="请按“未导入原因”修改后重新导入。",
                       columns=columns, rows=rows, sheet_name="未导入的岗位")
