"""帮扶台账 (§五(三)): poverty-alleviated and monitored people who are not employed or
unstably employed, and their follow-ups (电话 / 上门走访).

Who is in the ledger: a live person who is 脱贫人口 or 防止返贫监测对象 and whose current
employment status is

- not employed: 失业, 未就业有意愿, 无就业意愿; or
- unstably employed: 灵活就业 — work without a fixed employer or labour contract (零工,
  摆摊, 网约配送), the 就业不稳 the notice asks stations to watch.

A person with no recorded status is not in it: record the status first. Entries are kept by
triggers on ``person`` (migration 0005), so whatever code changes a status or a group flag
(a form, an import, a referral outcome, a labour-export departure), the ledger follows:

- ``entered_on``: since when the person qualifies — the date of the status that brought
  them in, or the day a group flag was set; ``recorded_on``: the day the station learned it.
- ``left_on`` / ``leave_reason`` (实现稳定就业 from the new status's date; 不再属于帮扶对象,
  人员已删除 from that day) / ``left_status``.
- Mistakes undone: an entry brought by a status row that is then withdrawn, with no
  follow-up yet, is deleted with it; withdrawing the work that took a person out opens
  their last entry again.

Follow-ups: each is dated, says how (电话 / 上门走访) and what came of it, and sets the next
due date. An entry is due on the next due date of its latest follow-up; with no follow-up
at all, ``ledger.first_followup_days`` after it was recorded. It is overdue when that date
is before today (due today is not overdue).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import employment, glossary, service_log, settings
from .clock import today
from .errors import NotFoundError, ValidationError
from .excel.writer import Column, write_table
from .people import get_person
from .records import insert_record, soft_delete, update_record
from .setup import station_info
from .station import Station
from .validation.dates import parse_date
from .validation.masking import mask_id_number

NOT_EMPLOYED_STATUSES = ("unemployed", "willing", "no_intention")
UNSTABLE_STATUSES = ("flexible",)
LEDGER_STATUSES = NOT_EMPLOYED_STATUSES + UNSTABLE_STATUSES
LEDGER_GROUPS = ("poverty_alleviated", "monitored")

ENTRY_SELECT = """
    SELECT e.*, p.name, p.sex, p.id_number, p.phone, p.hukou_village, p.current_status,
           p.current_status_since, p.poverty_alleviated, p.monitored, p.low_income,
           p.rural_disabled
    FROM ledger_entry e JOIN person p ON p.id = e.person_id
    WHERE e.deleted_at IS NULL
"""
OPEN = "e.left_on IS NULL AND e.deleted_at IS NULL"

# The county's layout (序号 … 备注), then what a clerk's own export adds.
SHEET_KEYS = ("serial", "name", "sex", "id_number", "village", "groups", "status", "measures",
              "last_followup_date", "last_method", "last_outcome", "due_date", "remarks")
SHEET_WIDTHS = {"serial": 6, "name": 10, "sex": 6, "id_number": 22, "village": 12,
                "groups": 18, "status": 12, "measures": 24, "last_outcome": 28, "remarks": 24}


def first_followup_days(station: Station) -> int:
    """Days within which a person new to the ledger is first followed up (a setting)."""
    return settings.get(station, "ledger.first_followup_days")


def due_date(entry: Mapping, first_days: int) -> date:
    """When the entry's next follow-up is due: the latest follow-up's next due date, or
    ``first_days`` after the entry was recorded when nobody has followed up yet."""
    if entry["next_due_date"]:
        return date.fromisoformat(entry["next_due_date"])
    return date.fromisoformat(entry["recorded_on"]) + timedelta(days=first_days)


def overdue_days(entry: Mapping, first_days: int, on: date) -> int:
    """Days the follow-up of an open entry is overdue on ``on`` (0 when not overdue)."""
    if entry["left_on"]:
        return 0
    return max(0, (on - due_date(entry, first_days)).days)


def groups_text(person: Mapping) -> str:
    """人员类别: the person's group labels, e.g. "脱贫人口、农村低收入人口"."""
    return "、".join(label for key, label in glossary.GROUP_FLAGS.items() if person.get(key))


def _decorate(row: dict, first_days: int, on: date, full_numbers: bool) -> dict:
    """Labels, due date and overdue days of an entry row (numbers masked unless allowed)."""
    due = due_date(row, first_days)
    late = overdue_days(row, first_days, on)
    return {
        **row,
        "sex_label": glossary.SEX.get(row["sex"], ""),
        "id_number": row["id_number"] if full_numbers else mask_id_number(row["id_number"]),
        "village": row["hukou_village"],
        "groups": groups_text(row),
        "status": glossary.status_label(row["current_status"]),
        "method_label": glossary.FOLLOWUP_METHODS.get(row["last_method"] or "", ""),
        "leave_reason_label": glossary.LEDGER_LEAVE_REASONS.get(row["leave_reason"] or "", ""),
        "due_date": due.isoformat(),
        "overdue_days": late,
    }


def _rows(station: Station, where: str, params: list, order: str, on: date | None,
          full_numbers: bool) -> list[dict]:
    first_days, on = first_followup_days(station), on or today()
    rows = station.query(f"{ENTRY_SELECT} AND {where} ORDER BY {order}", params)
    return [_decorate(r, first_days, on, full_numbers) for r in rows]


def get_entry(station: Station, entry_id: str, *, full_numbers: bool = False) -> dict:
    """A ledger entry with its person's columns, labels and due date."""
    rows = _rows(station, "e.id = ?", [entry_id], "e.id", None, full_numbers)
    if not rows:
        raise NotFoundError("找不到这条帮扶台账记录，可能已被删除。")
    return rows[0]


def open_entry(station: Station, person_id: str) -> dict | None:
    """The person's current ledger entry, or None when they are not in the ledger."""
    rows = _rows(station, f"e.person_id = ? AND {OPEN}", [person_id], "e.id", None, True)
    return rows[0] if rows else None


def person_entries(station: Station, person_id: str) -> list[dict]:
    """Every ledger entry of the person, newest first (the history of in and out)."""
    return _rows(station, "e.person_id = ?", [person_id], "e.entered_on DESC, e.id DESC",
                 None, True)


def current_entries(station: Station, *, village: str = "", overdue_only: bool = False,
                    on: date | None = None, full_numbers: bool = False) -> list[dict]:
    """Who is in the ledger now, by village and name; ``overdue_only`` keeps the overdue."""
    where, params = OPEN, []
    if village:
        where += " AND p.hukou_village = ?"
        params.append(village)
    rows = _rows(station, where, params, "p.hukou_village, p.search_pinyin, e.id", on,
                 full_numbers)
    return [r for r in rows if r["overdue_days"]] if overdue_only else rows


def left_entries(station: Station, since, until=None, *, full_numbers: bool = False
                 ) -> list[dict]:
    """Who left the ledger from ``since`` through ``until`` (default today), and why."""
    first, last = parse_date(since), parse_date(until or today())
    return _rows(station, "e.left_on BETWEEN ? AND ?", [first.isoformat(), last.isoformat()],
                 "e.left_on DESC, e.id", None, full_numbers)


@dataclass(frozen=True)
class Overdue:
    """Overdue follow-ups: how many, and the first ones (most overdue first)."""

    total: int
    rows: list[dict]


def overdue(station: Station, on: date | None = None, limit: int = 100) -> Overdue:
    """Open entries whose follow-up is overdue on ``on`` — two index range scans, fast at
    any size: entries past their next due date, and entries never followed up."""
    on = on or today()
    first_days = first_followup_days(station)
    unvisited_before = (on - timedelta(days=first_days)).isoformat()
    parts = [(f"{OPEN} AND e.next_due_date < ?", "e.next_due_date"),
             (f"{OPEN} AND e.next_due_date IS NULL AND e.recorded_on < ?", "e.recorded_on")]
    total, rows = 0, []
    for where, order in parts:
        bound = on.isoformat() if order == "e.next_due_date" else unvisited_before
        total += station.scalar(f"SELECT count(*) FROM ledger_entry e WHERE {where}", [bound])
        rows += station.query(
            f"SELECT e.*, p.name, p.hukou_village FROM ledger_entry e JOIN person p ON "
            f"p.id = e.person_id WHERE {where} ORDER BY {order}, e.id LIMIT ?", [bound, limit])
    for row in rows:
        row["due_date"] = due_date(row, first_days).isoformat()
        row["overdue_days"] = overdue_days(row, first_days, on)
    rows.sort(key=lambda r: (r["due_date"], r["id"]))
    return Overdue(total, rows[:limit])


def count_open(station: Station) -> int:
    """How many people are in the ledger now."""
    # The open-entry index holds exactly these rows (without statistics the planner would
    # rather scan another index and read every row).
    return station.scalar("SELECT count(*) FROM ledger_entry INDEXED BY ledger_entry_open "
                          "WHERE left_on IS NULL AND deleted_at IS NULL")

# ---------------------------------------------------------------- follow-ups


def _clerk(station: Station) -> str:
    return station.account.display_name if station.account else station.actor


def _check_followup(entry: dict, when: date, method: str, outcome: str, next_due: date) -> None:
    if method not in glossary.FOLLOWUP_METHODS:
        raise ValidationError("请选择走访方式（电话或上门走访）。", field="method")
    if not outcome:
        raise ValidationError("请填写走访结果。", field="outcome")
    if when > today():
        raise ValidationError("走访日期不能晚于今天。", field="followup_date")
    if when.isoformat() < entry["entered_on"]:
        raise ValidationError(f"走访日期不能早于此人进入帮扶台账的日期（{entry['entered_on']}）。",
                              field="followup_date")
    if entry["left_on"] and when.isoformat() > entry["left_on"]:
        raise ValidationError(f"此人已于 {entry['left_on']} 退出帮扶台账，不能登记之后的走访。",
                              field="followup_date")
    if next_due <= when:
        raise ValidationError("下次走访日期应晚于本次走访日期。", field="next_due_date")


def record_followup(station: Station, entry_id: str, followup_date, method: str, outcome: str,
                    next_due=None, *, new_status: str | None = None, status_since=None) -> str:
    """Record a follow-up (电话 / 上门走访) of a ledger entry; returns its key.

    ``next_due`` defaults to ``ledger.followup_interval_days`` after the follow-up. The
    follow-up is also a line of the person's service log. When the visit found the person's
    situation changed, ``new_status`` (since ``status_since``, default the follow-up day)
    is recorded in the same transaction — a person now in stable work leaves the ledger.
    """
    entry = get_entry(station, entry_id)
    when = parse_date(followup_date or today())
    outcome = " ".join(str(outcome or "").split())
    interval = settings.get(station, "ledger.followup_interval_days")
    due = parse_date(next_due) if next_due not in (None, "") else when + timedelta(days=interval)
    _check_followup(entry, when, method, outcome, due)
    label = glossary.FOLLOWUP_METHODS[method]
    with station.atomic():
        log_id = service_log.log_service(
            station, entry["person_id"], "followup",
            f"帮扶{label}：{outcome}（下次走访 {due.isoformat()}）", when)
        followup_id = insert_record(station, "ledger_followup", {
            "entry_id": entry_id, "person_id": entry["person_id"],
            "followup_date": when.isoformat(), "method": method, "outcome": outcome,
            "next_due_date": due.isoformat(), "clerk": _clerk(station),
            "service_log_id": log_id})
        if new_status:
            employment.add_status(station, entry["person_id"], new_status, status_since or when,
                                  remarks=f"帮扶{label}时了解")
    return followup_id


def followups(station: Station, entry_id: str) -> list[dict]:
    """The entry's follow-ups, newest first, with the method's label."""
    rows = station.query(
        "SELECT * FROM ledger_followup WHERE entry_id = ? AND deleted_at IS NULL "
        "ORDER BY followup_date DESC, id DESC", [entry_id])
    for row in rows:
        row["method_label"] = glossary.FOLLOWUP_METHODS[row["method"]]
    return rows


def remove_followup(station: Station, followup_id: str) -> None:
    """Withdraw a follow-up entered by mistake, with its service-log line."""
    rows = station.query("SELECT * FROM ledger_followup WHERE id = ? AND deleted_at IS NULL",
                         [followup_id])
    if not rows:
        raise NotFoundError("找不到这条走访记录，可能已被删除。")
    with station.atomic():
        soft_delete(station, "ledger_followup", followup_id)
        if rows[0]["service_log_id"]:
            soft_delete(station, "service_log", rows[0]["service_log_id"])


def set_measures(station: Station, entry_id: str, measures: str, remarks: str | None = None
                 ) -> dict:
    """Write the entry's 帮扶措施 (and 备注); returns the columns that changed."""
    entry = get_entry(station, entry_id)
    changes = {"measures": " ".join(str(measures or "").split())}
    if remarks is not None:
        changes["remarks"] = " ".join(str(remarks).split())
    changed = {k: v for k, v in changes.items() if entry[k] != v}
    if changed:
        update_record(station, "ledger_entry", entry_id, changed)
    return changed


def person_in_ledger(station: Station, person_id: str) -> bool:
    """Whether the person is in the ledger now (checks the person exists)."""
    get_person(station, person_id)
    return open_entry(station, person_id) is not None

# ------------------------------------------------------------------ the sheet


@dataclass(frozen=True)
class LedgerSheet:
    """The printed / exported ledger: title, a line saying what it holds, rows."""

    station_name: str
    title: str
    subtitle: str
    columns: list[tuple[str, str]]
    rows: list[dict]
    overdue: int


def _sheet_row(serial: int, entry: dict) -> dict:
    notes = [f"走访已逾期 {entry['overdue_days']} 天"] if entry["overdue_days"] else []
    if not entry["last_followup_date"]:
        notes.append("尚未走访")
    if entry["remarks"]:
        notes.append(entry["remarks"])
    return {**entry, "serial": serial, "sex": entry["sex_label"],
            "last_method": entry["method_label"], "remarks": "；".join(notes)}


def ledger_sheet(station: Station, *, village: str = "", overdue_only: bool = False,
                 on: date | None = None, full_numbers: bool = False) -> LedgerSheet:
    """The 就业帮扶台账 in the county's layout (序号 … 备注), as of ``on`` (default today)."""
    on = on or today()
    entries = current_entries(station, village=village, overdue_only=overdue_only, on=on,
                              full_numbers=full_numbers)
    late = sum(1 for e in entries if e["overdue_days"])
    scope = "、".join(filter(None, [f"村：{village}" if village else "",
                                    "仅走访逾期" if overdue_only else ""])) or "全部"
    info = station_info(station)
    return LedgerSheet(
        station_name=info.name, title=glossary.REPORT_DOCUMENTS["ledger"],
        subtitle=f"截至 {on.isoformat()}　范围：{scope}　在册 {len(entries)} 人，"
                 f"其中走访逾期 {late} 人",
        columns=[(key, glossary.LEDGER_FIELDS[key]) for key in SHEET_KEYS],
        rows=[_sheet_row(n, e) for n, e in enumerate(entries, start=1)], overdue=late)


def export_ledger(station: Station, out: str | Path, *, village: str = "",
                  overdue_only: bool = False, full_numbers: bool = False) -> int:
    """Write the ledger to an .xlsx in the county's layout; returns the number of people."""
    sheet = ledger_sheet(station, village=village, overdue_only=overdue_only,
                         full_numbers=full_numbers)
    columns = [Column(key, label, SHEET_WIDTHS.get(key), key == "id_number")
               for key, label in sheet.columns]
    return write_table(out, title=f"{sheet.station_name} {sheet.title}", subtitle=sheet.subtitle,
                       columns=columns, rows=sheet.rows, sheet_name=sheet.title)
