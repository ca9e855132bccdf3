"""The three lists of §三(一): employed, unemployed, willing to go out — from current status."""

from dataclasses import dataclass, field
from datetime import date

from . import glossary, settings
from .clock import today
from .errors import ValidationError
from .station import Station
from .validation.masking import mask_id_number, mask_phone

GROUP_KEYS = ("poverty_alleviated", "monitored", "low_income", "rural_disabled", "older")

_KIND_WHERE = {
    "employed": "p.current_status IN ({})".format(
        ",".join(f"'{s}'" for s in glossary.EMPLOYED_STATUSES)),
    "unemployed": "p.current_status IN ({})".format(
        ",".join(f"'{s}'" for s in glossary.UNEMPLOYED_STATUSES)),
    "willing": "p.wants_out = 1",
}

_COMMON = ["name", "sex", "age", "id_number", "phone", "hukou_village", "groups"]
COLUMNS = {
    "employed": _COMMON + ["current_status", "employer", "work_place", "monthly_income",
                           "current_status_since"],
    "unemployed": _COMMON + ["current_status", "current_status_since", "skills",
                             "wants_training", "training_wish"],
    "willing": _COMMON + ["current_status", "out_destination", "out_work_type",
                          "out_expected_wage", "skills"],
}
LABELS = {**glossary.PERSON_FIELDS, "groups": "人员类别"}


@dataclass
class ListFilter:
    """What narrows a list: village, groups (all must hold), age range."""

    village: str = ""
    groups: set[str] = field(default_factory=set)
    min_age: int | None = None
    max_age: int | None = None

    def describe(self) -> str:
        parts = []
        if self.village:
            parts.append(f"村：{self.village}")
        if self.groups:
            names = {**glossary.GROUP_FLAGS, "older": "大龄"}
            parts.append("类别：" + "、".join(names[g] for g in sorted(self.groups)))
        if self.min_age is not None or self.max_age is not None:
            parts.append(f"年龄：{self.min_age or 0}–{self.max_age or '不限'}")
        return "；".join(parts) or "全部"


def _birth_bound(years: int, on: date) -> str:
    """The birth date of someone who turns ``years`` old on ``on``."""
    try:
        return on.replace(year=on.year - years).isoformat()
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28).isoformat()


def _where(station: Station, kind: str, flt: ListFilter, on: date) -> tuple[str, list]:
    if kind not in _KIND_WHERE:
        raise ValidationError("没有这种清单。")
    clauses, params = ["p.deleted_at IS NULL", _KIND_WHERE[kind]], []
    if flt.village:
        clauses.append("p.hukou_village = ?")
        params.append(flt.village)
    for group in flt.groups - {"older"}:
        if group not in glossary.GROUP_FLAGS:
            raise ValidationError("人员类别不正确。")
        clauses.append(f"p.{group} = 1")
    if "older" in flt.groups:
        clauses.append("((p.sex = 'M' AND p.birth_date <= ?) OR (p.sex = 'F' AND p.birth_date <= ?))")
        params += [_birth_bound(settings.get(station, "older_age.male"), on),
                   _birth_bound(settings.get(station, "older_age.female"), on)]
    if flt.min_age is not None:
        clauses.append("p.birth_date <= ?")
        params.append(_birth_bound(flt.min_age, on))
    if flt.max_age is not None:
        clauses.append("p.birth_date > ?")
        params.append(_birth_bound(flt.max_age + 1, on))
    return " AND ".join(clauses), params


_LATEST = ("(SELECT {col} FROM employment_status s WHERE s.person_id = p.id AND "
           "s.deleted_at IS NULL ORDER BY since_date DESC, id DESC LIMIT 1) AS {col}")


def count(station: Station, kind: str, flt: ListFilter | None = None) -> int:
    where, params = _where(station, kind, flt or ListFilter(), today())
    return station.scalar(f"SELECT count(*) FROM person p WHERE {where}", params)


def rows(station: Station, kind: str, flt: ListFilter | None = None, *,
         full_numbers: bool = False, on: date | None = None) -> list[dict]:
    """The list's rows, display-ready (Chinese labels, numbers masked unless allowed)."""
    on = on or today()
    flt = flt or ListFilter()
    where, params = _where(station, kind, flt, on)
    latest = ", ".join(_LATEST.format(col=c) for c in ("employer", "work_place", "monthly_income"))
    sql = (f"SELECT p.*, {latest} FROM person p WHERE {where} "
           "ORDER BY p.hukou_village, p.search_pinyin")
    older_m = _birth_bound(settings.get(station, "older_age.male"), on)
    older_f = _birth_bound(settings.get(station, "older_age.female"), on)
    return [_display(r, on, older_m, older_f, full_numbers)
            for r in station.query(sql, params)]


def _age(birth: str, on: date) -> int:
    b = date.fromisoformat(birth)
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def _display(r: dict, on: date, older_m: str, older_f: str, full: bool) -> dict:
    older = r["birth_date"] <= (older_m if r["sex"] == "M" else older_f)
    groups = [label for key, label in glossary.GROUP_FLAGS.items() if r[key]]
    if older:
        groups.append("大龄")
    return {
        **r,
        "sex": glossary.SEX[r["sex"]],
        "age": _age(r["birth_date"], on),
        "id_number": r["id_number"] if full else mask_id_number(r["id_number"]),
        "phone": r["phone"] if full else mask_phone(r["phone"]),
        "groups": "、".join(groups),
        "current_status": glossary.status_label(r["current_status"]),
        "wants_training": "是" if r["wants_training"] else "",
        "wants_out": "是" if r["wants_out"] else "",
    }
