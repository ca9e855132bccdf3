"""农民工就业服务工作月报: a month's figures for the county, as .xlsx, PDF (via
desktop) and JSON.

Every figure is read from dated records, so a past month can be reported later:
statuses are the newest status row dated on or before the month's end (``as_of``: the
month's last day, or today for the current month); flows (registrations, referrals,
follow-ups, consultations, training) count the rows dated within the month; "月末" stocks
(people in the ledger, open consultations, pending referrals) count what was open on
``as_of``. People are the station's live people as the records stand today.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import glossary, ledger, lists, settings
from .clock import today
from .errors import ValidationError
from .excel.writer import Column, write_table
from .holidays import Month
from .policy import format_money
from .setup import station_info
from .station import Station

NOT_EMPLOYED = ("unemployed", "willing", "no_intention")
NO_STATUS = "none"
INDENT = "\u3000"  # an ideographic space: lines that break down the line above


@dataclass(frozen=True)
class Line:
    """One figure of a section: label, value, and a note that breaks it down."""

    label: str
    value: int | str
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line]


@dataclass
class MonthlyReport:
    """The month's figures (``figures``, JSON-ready), laid out in titled sections and a
    table of people by village and status."""

    month: Month
    as_of: date
    station_name: str
    county: str
    figures: dict
    sections: list[Section]
    village_header: list[str]
    village_rows: list[list]

    @property
    def title(self) -> str:
        return f"{self.month.label}{glossary.REPORT_DOCUMENTS['monthly']}"

    @property
    def village_title(self) -> str:
        return _numbered(len(self.sections), "分村人员情况")

    @property
    def subtitle(self) -> str:
        county = f"{self.county}　" if self.county else ""
        return (f"{county}{self.station_name}　统计期间：{self.month.first.isoformat()} 至 "
                f"{self.month.last.isoformat()}　人员状态截至 {self.as_of.isoformat()}")


def monthly_report(station: Station, month) -> MonthlyReport:
    """Gather the figures of ``month`` (a Month, "2026-10", or a date in it)."""
    month = Month.parse(month)
    if month > Month.parse(today()):
        raise ValidationError("月报月份不能晚于本月。", field="month")
    as_of = min(month.last, today())
    period = (month.first.isoformat(), month.last.isoformat())
    referrals = _referrals(station, period, as_of) if _has(station, "referral") else None
    figures = {"month": str(month), "as_of": as_of.isoformat(),
               **_people(station, as_of),
               "registrations": _registrations(station, period),
               "returns": _returns(station, period),
               "referrals": referrals,
               "ledger": _ledger(station, period, as_of),
               "consultations": _consultations(station, period, as_of),
               "training": _training(station, period, as_of)}
    info = station_info(station)
    header, rows = _village_table(figures["villages"])
    return MonthlyReport(month, as_of, info.name, info.county, figures, _sections(figures),
                         header, rows)


def _has(station: Station, table: str) -> bool:
    return bool(station.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                               [table]))


def _grouped(station: Station, sql: str, params) -> dict[str, int]:
    return {key or "": n for key, n in station.conn.execute(sql, params)}

# ------------------------------------------------------------------- people


PEOPLE_SQL = """
    SELECT village, status, count(*), sum(poverty_alleviated), sum(monitored), sum(low_income),
           sum(rural_disabled), sum(older)
    FROM (SELECT p.hukou_village AS village, p.poverty_alleviated, p.monitored, p.low_income,
                 p.rural_disabled,
                 (p.sex = 'M' AND p.birth_date <= :older_m) OR
                 (p.sex = 'F' AND p.birth_date <= :older_f) AS older,
                 (SELECT s.status FROM employment_status s WHERE s.person_id = p.id AND
                  s.deleted_at IS NULL AND s.since_date <= :as_of
                  ORDER BY s.since_date DESC, s.id DESC LIMIT 1) AS status
          FROM person p WHERE p.deleted_at IS NULL)
    GROUP BY village, status
"""
GROUPS = (*glossary.GROUP_FLAGS, "older")


def _bucket(status: str) -> str:
    if status == NO_STATUS:
        return "unknown"
    return "employed" if status in glossary.EMPLOYED_STATUSES else "not_employed"


def _people(station: Station, as_of: date) -> dict:
    """People by status, by group (with how many work) and by village, as of ``as_of``."""
    params = {"as_of": as_of.isoformat(),
              "older_m": lists._birth_bound(settings.get(station, "older_age.male"), as_of),
              "older_f": lists._birth_bound(settings.get(station, "older_age.female"), as_of)}
    status = dict.fromkeys([*glossary.STATUS, NO_STATUS], 0)
    groups = {g: {"total": 0, "employed": 0, "not_employed": 0, "unknown": 0} for g in GROUPS}
    villages: dict[str, dict] = {}
    for village, code, people, *in_group in station.conn.execute(PEOPLE_SQL, params):
        code = code or NO_STATUS
        status[code] += people
        for group, n in zip(GROUPS, in_group, strict=True):
            groups[group]["total"] += n
            groups[group][_bucket(code)] += n
        row = villages.setdefault(village or "", {"village": village or "",
                                                  "total": 0, "status": dict.fromkeys(status, 0)})
        row["total"] += people
        row["status"][code] += people
    employment = {"employed": 0, "not_employed": 0, "unknown": 0}
    for code, n in status.items():
        employment[_bucket(code)] += n
    order = {name: i for i, name in enumerate(_village_order(station))}
    ordered = sorted(villages.values(), key=lambda r: (order.get(r["village"], len(order)),
                                                       r["village"]))
    return {"people": sum(status.values()), "status": status, "employment": employment,
            "groups": groups, "villages": ordered}


def _village_order(station: Station) -> list[str]:
    from .villages import list_villages

    return list_villages(station)

# -------------------------------------------------------------------- flows


def _registrations(station: Station, period: tuple[str, str]) -> dict:
    kinds = _grouped(station, "SELECT kind, count(*) FROM registration WHERE deleted_at IS NULL "
                              "AND reg_date BETWEEN ? AND ? GROUP BY kind", period)
    return {**{k: kinds.get(k, 0) for k in glossary.REGISTRATION_KINDS},
            "cancelled": station.scalar("SELECT count(*) FROM registration WHERE deleted_at IS "
                                        "NULL AND cancelled_on BETWEEN ? AND ?", period)}


def _returns(station: Station, period: tuple[str, str]) -> int:
    return station.scalar("SELECT count(DISTINCT person_id) FROM return_home WHERE deleted_at IS "
                          "NULL AND return_date BETWEEN ? AND ?", period)


def _referrals(station: Station, period: tuple[str, str], as_of: date) -> dict:
    outcomes = _grouped(station, "SELECT outcome, count(*) FROM referral WHERE deleted_at IS NULL "
                                 "AND outcome <> 'pending' AND outcome_date BETWEEN ? AND ? "
                                 "GROUP BY outcome", period)
    return {
        "made": station.scalar("SELECT count(*) FROM referral WHERE deleted_at IS NULL AND "
                               "referral_date BETWEEN ? AND ?", period),
        **{k: outcomes.get(k, 0) for k in ("hired", "rejected", "no_show")},
        "pending_at_end": station.scalar(
            "SELECT count(*) FROM referral WHERE deleted_at IS NULL AND referral_date <= ? AND "
            "(outcome = 'pending' OR outcome_date > ?)", [as_of.isoformat()] * 2),
    }


LEDGER_OPEN_ON = ("deleted_at IS NULL AND entered_on <= :on AND "
                  "(left_on IS NULL OR left_on > :on)")


def _ledger(station: Station, period: tuple[str, str], as_of: date) -> dict:
    left = _grouped(station, "SELECT leave_reason, count(*) FROM ledger_entry WHERE deleted_at "
                             "IS NULL AND left_on BETWEEN ? AND ? GROUP BY leave_reason", period)
    visits = _grouped(station, "SELECT method, count(*) FROM ledger_followup WHERE deleted_at IS "
                               "NULL AND followup_date BETWEEN ? AND ? GROUP BY method", period)
    return {
        "at_end": station.scalar(f"SELECT count(*) FROM ledger_entry WHERE {LEDGER_OPEN_ON}",
                                 {"on": as_of.isoformat()}),
        "entered": station.scalar("SELECT count(*) FROM ledger_entry WHERE deleted_at IS NULL "
                                  "AND entered_on BETWEEN ? AND ?", period),
        "left": {k: left.get(k, 0) for k in glossary.LEDGER_LEAVE_REASONS},
        "followups": {k: visits.get(k, 0) for k in glossary.FOLLOWUP_METHODS},
        "people_followed": station.scalar(
            "SELECT count(DISTINCT person_id) FROM ledger_followup WHERE deleted_at IS NULL "
            "AND followup_date BETWEEN ? AND ?", period),
        "overdue_at_end": _overdue_on(station, as_of),
    }


def _overdue_on(station: Station, as_of: date) -> int:
    """Entries in the ledger on ``as_of`` whose follow-up was overdue that day, judged by
    the follow-ups made by then."""
    first_days = ledger.first_followup_days(station)
    rows = station.conn.execute(
        "SELECT e.recorded_on, (SELECT f.next_due_date FROM ledger_followup f WHERE "
        "f.entry_id = e.id AND f.deleted_at IS NULL AND f.followup_date <= :on ORDER BY "
        "f.followup_date DESC, f.id DESC LIMIT 1) FROM ledger_entry e WHERE "
        + LEDGER_OPEN_ON.replace("deleted_at", "e.deleted_at"), {"on": as_of.isoformat()})
    limit = as_of.isoformat()
    unvisited = (as_of - timedelta(days=first_days)).isoformat()
    return sum(1 for recorded, due in rows if (due < limit if due else recorded < unvisited))


def _consultations(station: Station, period: tuple[str, str], as_of: date) -> dict:
    received = "deleted_at IS NULL AND received_on BETWEEN ? AND ?"
    closed = _grouped(station, "SELECT status, count(*) FROM rights_case WHERE deleted_at IS NULL "
                               "AND closed_on BETWEEN ? AND ? GROUP BY status", period)
    kinds = _grouped(station, f"SELECT kind, count(*) FROM rights_case WHERE {received} "
                              "GROUP BY kind", period)
    people, amount = station.conn.execute(
        f"SELECT coalesce(sum(people_count), 0), coalesce(sum(amount), 0) FROM rights_case "
        f"WHERE {received}", period).fetchone()
    return {
        "received": sum(kinds.values()),
        "kinds": {k: kinds.get(k, 0) for k in glossary.RIGHTS_KINDS},
        "people": people, "amount_fen": amount,
        "referred": station.scalar("SELECT count(*) FROM rights_case WHERE deleted_at IS NULL "
                                   "AND referred_on BETWEEN ? AND ?", period),
        "resolved": closed.get("resolved", 0), "withdrawn": closed.get("withdrawn", 0),
        "recovered_fen": station.scalar(
            "SELECT coalesce(sum(recovered), 0) FROM rights_case WHERE deleted_at IS NULL AND "
            "status = 'resolved' AND closed_on BETWEEN ? AND ?", period),
        "open_at_end": station.scalar(
            "SELECT count(*) FROM rights_case WHERE deleted_at IS NULL AND received_on <= ? "
            "AND (closed_on IS NULL OR closed_on > ?)", [as_of.isoformat()] * 2),
    }


def _training(station: Station, period: tuple[str, str], as_of: date) -> dict:
    started = "deleted_at IS NULL AND start_date BETWEEN ? AND ?"
    ended = "deleted_at IS NULL AND result = 'completed' AND end_date BETWEEN ? AND ?"
    kinds = _grouped(station, f"SELECT kind, count(*) FROM training_record WHERE {started} "
                              "GROUP BY kind", period)
    return {
        "started": sum(kinds.values()),
        "kinds": {k: kinds.get(k, 0) for k in glossary.TRAINING_KINDS},
        "completed": station.scalar(f"SELECT count(*) FROM training_record WHERE {ended}", period),
        "certificates": station.scalar(f"SELECT count(*) FROM training_record WHERE {ended} "
                                       "AND certificate <> ''", period),
        "open_needs": station.scalar(
            "SELECT count(*) FROM training_need WHERE deleted_at IS NULL AND recorded_on <= ? "
            "AND (met_on IS NULL OR met_on > ?)", [as_of.isoformat()] * 2),
        "brand_people": station.scalar(
            "SELECT count(DISTINCT t.person_id) FROM brand_tag t JOIN person p ON p.id = "
            "t.person_id WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL"),
    }

# ----------------------------------------------------------------- layout


def _breakdown(counts: dict[str, int], labels: dict[str, str], unit: str = "人") -> str:
    """"电话 3 人次，上门走访 2 人次" for the non-zero counts."""
    return "，".join(f"{labels[k]} {n} {unit}" for k, n in counts.items() if n)


def _sections(f: dict) -> list[Section]:
    status_labels = {**glossary.STATUS, NO_STATUS: "未登记就业状态"}
    groups = {**glossary.GROUP_FLAGS, "older": "大龄"}
    buckets = {"employed": "已就业", "not_employed": "未就业", "unknown": "未登记状态"}
    sections = [
        Section("人员就业状态", [
            Line("在册人员", f["people"], _breakdown(f["employment"], buckets)),
            *[Line(f"{INDENT}{status_labels[k]}", n) for k, n in f["status"].items()]]),
        Section("重点群体", [
            Line(groups[g], c["total"], _breakdown({k: c[k] for k in buckets}, buckets))
            for g, c in f["groups"].items()]),
        Section("登记与返乡", [
            *[Line(label, f["registrations"][k]) for k, label in
              glossary.REGISTRATION_KINDS.items()],
            Line("注销登记", f["registrations"]["cancelled"]), Line("返乡人员", f["returns"])]),
    ]
    if f["referrals"] is not None:
        r, outcomes = f["referrals"], glossary.REFERRAL_OUTCOMES
        sections.append(Section("职业介绍", [
            Line("推荐人次", r["made"]),
            *[Line(f"反馈{outcomes[k]}", r[k]) for k in ("hired", "rejected", "no_show")],
            Line("月末待反馈", r["pending_at_end"])]))
    g = f["ledger"]
    sections.append(Section("就业帮扶台账", [
        Line("月末在册人数", g["at_end"]), Line("本月新进入", g["entered"]),
        Line("本月退出", sum(g["left"].values()),
             _breakdown(g["left"], glossary.LEDGER_LEAVE_REASONS)),
        Line("本月走访人次", sum(g["followups"].values()),
             _breakdown(g["followups"], glossary.FOLLOWUP_METHODS, "人次")),
        Line("本月走访人数", g["people_followed"]), Line("月末走访逾期人数", g["overdue_at_end"])]))
    c = f["consultations"]
    sections.append(Section("维权咨询", [
        Line("本月受理（件）", c["received"], _breakdown(c["kinds"], glossary.RIGHTS_KINDS, "件")),
        Line("涉及人数", c["people"]), Line("涉及金额（元）", format_money(c["amount_fen"])),
        Line("本月转劳动监察（件）", c["referred"]), Line("本月已解决（件）", c["resolved"]),
        Line("本月已撤回（件）", c["withdrawn"]),
        Line("追回金额（元）", format_money(c["recovered_fen"])),
        Line("月末未办结（件）", c["open_at_end"])]))
    t = f["training"]
    sections.append(Section("技能培训", [
        Line("本月参训人次", t["started"], _breakdown(t["kinds"], glossary.TRAINING_KINDS, "人次")),
        Line("本月结业人次", t["completed"]), Line("取得证书", t["certificates"]),
        Line("月末未满足的培训需求", t["open_needs"]),
        Line("带劳务品牌标签人数", t["brand_people"], "当前")]))
    return [Section(_numbered(i, s.title), s.lines) for i, s in enumerate(sections)]


def _numbered(index: int, title: str) -> str:
    """"一、人员就业状态": headings numbered in order (职业介绍 only when referrals exist)."""
    return f"{'一二三四五六七八九十'[index]}、{title}"


def _village_table(villages: list[dict]) -> tuple[list[str], list[list]]:
    codes = [*glossary.STATUS, NO_STATUS]
    header = ["村", "合计", *glossary.STATUS.values(), "未登记"]
    rows = [[v["village"] or "未填写", v["total"], *[v["status"][c] for c in codes]]
            for v in villages]
    totals = ["合计", sum(v["total"] for v in villages),
              *[sum(v["status"][c] for v in villages) for c in codes]]
    return header, [*rows, totals] if rows else []


REPORT_COLUMNS = [Column("section", "类别", 18), Column("label", "项目", 24),
                  Column("value", "数值", 14), Column("note", "说明", 60)]


def report_rows(report: MonthlyReport) -> list[dict]:
    """The report as one flat table (类别, 项目, 数值, 说明), village rows last."""
    rows = [{"section": s.title, "label": line.label, "value": line.value, "note": line.note}
            for s in report.sections for line in s.lines]
    header = report.village_header
    for row in report.village_rows:
        note = "，".join(f"{label} {n} 人" for label, n in zip(header[2:], row[2:], strict=True)
                        if n)
        rows.append({"section": report.village_title, "label": row[0], "value": row[1],
                     "note": note})
    return rows


def export_xlsx(report: MonthlyReport, out: str | Path) -> int:
    """Write the report to an .xlsx (one table: 类别, 项目, 数值, 说明); returns its rows."""
    return write_table(out, title=report.title, subtitle=report.subtitle, columns=REPORT_COLUMNS,
                       rows=report_rows(report), sheet_name=f"{report.month.label}月报")
