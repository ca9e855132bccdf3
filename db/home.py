"""首页: the clerk's work for today, counts for simple charts, and the 规模性失业风险 warning.

:func:`home_summary` answers in tens of milliseconds at 100,000 people (bench/bench_home.py):
the counts come from ``person_tally`` (kept by triggers, a few hundred rows) and two index
range counts, every list from an index range scan. Work items from modules a station may
not have yet (referrals, welfare posts) appear only when their tables exist.

Each work item names the record to open — ``target`` is its table (``ledger_entry``,
``referral``, ``placement``, ``attendance_month``) and ``target_id`` its key (for an
attendance month, the month itself, e.g. "2026-10").
"""

import weakref
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import attendance, glossary, ledger, lists, placements, referrals, settings
from .clock import today as clock_today
from .holidays import Month
from .station import Station

ITEM_LIMIT = 100  # items listed per kind; the totals count them all
APPROVAL_MONTHS = 12  # how far back attendance months are checked


@dataclass(frozen=True)
class WorkItem:
    """One thing to do today: kind (HOME_ITEM_KINDS), a Chinese sentence, the record."""

    kind: str
    text: str
    target: str
    target_id: str
    person_id: str | None = None
    due: date | None = None

    @property
    def kind_label(self) -> str:
        return glossary.HOME_ITEM_KINDS[self.kind]


@dataclass(frozen=True)
class RiskWarning:
    """Many people of one village came home or lost work within a short time (§五(三))."""

    village: str
    people: int
    returned: int
    lost_work: int
    since: date
    text: str


@dataclass
class HomeSummary:
    on: date
    items: list[WorkItem] = field(default_factory=list)
    item_totals: dict[str, int] = field(default_factory=dict)  # kind → all of that kind
    by_status: dict[str, int] = field(default_factory=dict)  # status code ("" 未登记) → people
    by_group: dict[str, int] = field(default_factory=dict)  # GROUP_FLAGS keys and "older"
    by_village: dict[str, int] = field(default_factory=dict)
    people: int = 0
    ledger_people: int = 0
    risks: list[RiskWarning] = field(default_factory=list)

    def status_chart(self) -> list[tuple[str, int]]:
        """(Chinese label, people) in the glossary's order, for a bar chart."""
        order = [*glossary.STATUS, ""]
        return [(glossary.status_label(code), self.by_status.get(code, 0)) for code in order]


def has_table(station: Station, name: str) -> bool:
    """Whether the station file has this table (modules arrive one migration at a time)."""
    return bool(station.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                               [name]))


def home_summary(station: Station, today: date | None = None, *, limit: int = ITEM_LIMIT
                 ) -> HomeSummary:
    """Today's work items, counts by status, group and village, and risk warnings."""
    on = today or clock_today()
    prefetched = _prefetched.pop(station, None)
    if prefetched is not None and prefetched[0] == _state(station, on, limit):
        return prefetched[1]
    summary = HomeSummary(on)
    for kind, (total, items) in _work(station, on, limit).items():
        summary.item_totals[kind] = total
        summary.items += items
    _counts(station, on, summary)
    summary.risks = risk_warnings(station, on)
    return summary


# One summary made ahead of time per station, taken by the next home_summary call.
_prefetched: "weakref.WeakKeyDictionary[Station, tuple[tuple, HomeSummary]]" = (
    weakref.WeakKeyDictionary())


def prefetch_summary(station: Station) -> None:
    """Work out the summary now, so that the next ``home_summary`` call on this station
    takes it, unless the data (any connection's write), the day or the limit changed in
    between. The window's start-up does this on its sign-in thread while Qt loads."""
    on = clock_today()
    state = _state(station, on, ITEM_LIMIT)
    _prefetched[station] = (state, home_summary(station, on))


def _state(station: Station, on: date, limit: int) -> tuple:
    """What a summary depends on besides the code: the day, the limit, and the data as
    this connection sees it (data_version moves with other connections' commits,
    total_changes with this one's writes)."""
    return (on, limit, station.scalar("PRAGMA data_version"), station.conn.total_changes)


def _work(station: Station, on: date, limit: int) -> dict[str, tuple[int, list[WorkItem]]]:
    work = {"followup_overdue": _overdue_followups(station, on, limit)}
    if has_table(station, "referral"):
        work["referral_feedback"] = _referral_feedback(station, on, limit)
    if has_table(station, "placement"):
        work["placement_approval"] = _placement_approvals(station, limit)
        work["insurance"] = _insurance(station, on, limit)
    if has_table(station, "attendance_month"):
        work["attendance_approval"] = _attendance_approvals(station, on)
    return work


def _overdue_followups(station: Station, on: date, limit: int) -> tuple[int, list[WorkItem]]:
    found = ledger.overdue(station, on, limit)
    items = []
    for row in found.rows:
        what = "尚未走访" if not row["last_followup_date"] else f"上次走访 {row['last_followup_date']}"
        items.append(WorkItem(
            "followup_overdue",
            f"{row['name']}（{row['hukou_village']}）帮扶走访已逾期 {row['overdue_days']} 天"
            f"（应于 {row['due_date']} 前走访，{what}）。",
            "ledger_entry", row["id"], row["person_id"], date.fromisoformat(row["due_date"])))
    return found.total, items


def _referral_feedback(station: Station, on: date, limit: int) -> tuple[int, list[WorkItem]]:
    rows = referrals.overdue_referrals(station, on)
    return len(rows), [WorkItem(
        "referral_feedback",
        f"{r['person_name']} 推荐至{r['employer_name']}（{r['work_type']}）已超过反馈期限 "
        f"{r['overdue_days']} 天，推荐信编号 {r['number']}，请催收回执。",
        "referral", r["id"], r["person_id"], date.fromisoformat(r["due_date"]))
        for r in rows[:limit]]


def _placement_approvals(station: Station, limit: int) -> tuple[int, list[WorkItem]]:
    where = "pl.approved_at IS NULL AND pl.exit_date IS NULL AND pl.deleted_at IS NULL"
    total = station.scalar(f"SELECT count(*) FROM placement pl WHERE {where}")
    rows = station.query(
        "SELECT pl.id, pl.person_id, pl.start_date, p.name, wp.name AS post_name, wp.village "
        "FROM placement pl JOIN person p ON p.id = pl.person_id JOIN welfare_post wp "
        f"ON wp.id = pl.post_id WHERE {where} ORDER BY pl.start_date, pl.id LIMIT ?", [limit])
    return total, [WorkItem(
        "placement_approval",
        f"{r['name']} 自 {r['start_date']} 在{r['village']}{r['post_name']}上岗，待站长审批。",
        "placement", r["id"], r["person_id"], date.fromisoformat(r["start_date"])) for r in rows]


def _insurance(station: Station, on: date, limit: int) -> tuple[int, list[WorkItem]]:
    warnings = placements.insurance_warnings(station, on)
    person_of = dict(station.conn.execute(
        "SELECT id, person_id FROM placement WHERE deleted_at IS NULL"))
    return len(warnings), [WorkItem("insurance", f"{w.name}：{w.text}", "placement",
                                    w.placement_id, person_of.get(w.placement_id))
                           for w in warnings[:limit]]


def _attendance_approvals(station: Station, on: date) -> tuple[int, list[WorkItem]]:
    """Past months with people in post whose attendance the 站长 has not approved."""
    approved = set(attendance.approved_months(station))
    month, items = Month.parse(on), []
    for _ in range(APPROVAL_MONTHS):
        month = month.previous()
        if month in approved:
            continue
        in_post = station.scalar(
            "SELECT count(*) FROM placement pl WHERE pl.deleted_at IS NULL AND "
            f"pl.start_date <= ? AND {placements.LAST_DAY_SQL} >= ?",
            [month.last.isoformat(), month.first.isoformat()])
        if in_post:
            items.append(WorkItem(
                "attendance_approval",
                f"{month.label}考勤尚未审批（在岗 {in_post} 人），请站长审核后锁定。",
                "attendance_month", str(month), None, month.last))
    return len(items), items

# ------------------------------------------------------------------- counts


def _counts(station: Station, on: date, summary: HomeSummary) -> None:
    """Counts from ``person_tally`` (live people by status, village and group, kept by
    triggers) and two index range counts for 大龄."""
    tally = "FROM person_tally WHERE people > 0"
    summary.by_status = dict(station.conn.execute(
        f"SELECT current_status, sum(people) {tally} GROUP BY current_status"))
    summary.by_village = dict(station.conn.execute(
        f"SELECT hukou_village, sum(people) {tally} GROUP BY hukou_village"))
    groups = list(glossary.GROUP_FLAGS)
    sums = station.conn.execute(
        f"SELECT {', '.join(f'sum(people * {g})' for g in groups)}, sum(people) {tally}").fetchone()
    summary.by_group = {g: n or 0 for g, n in zip(groups, sums[:-1], strict=True)}
    summary.people = sums[-1] or 0
    summary.by_group["older"] = sum(station.scalar(
        "SELECT count(*) FROM person WHERE sex = ? AND birth_date <= ? AND deleted_at IS NULL",
        [sex, lists._birth_bound(settings.get(station, f"older_age.{key}"), on)])
        for sex, key in (("M", "male"), ("F", "female")))
    summary.ledger_people = ledger.count_open(station)

# --------------------------------------------------------------------- risk


RISK_SQL = """
    SELECT village, count(DISTINCT person_id), sum(kind = 'return'), sum(kind = 'lost')
    FROM (
        SELECT p.hukou_village AS village, p.id AS person_id, 'return' AS kind
        FROM return_home r JOIN person p ON p.id = r.person_id
        WHERE r.deleted_at IS NULL AND r.return_date BETWEEN :first AND :last
          AND p.deleted_at IS NULL
        UNION
        SELECT p.hukou_village, p.id, 'lost'
        FROM employment_status s JOIN person p ON p.id = s.person_id
        WHERE s.status = 'unemployed' AND s.deleted_at IS NULL
          AND s.since_date BETWEEN :first AND :last AND p.deleted_at IS NULL
    )
    GROUP BY village HAVING count(DISTINCT person_id) >= :threshold
    ORDER BY count(DISTINCT person_id) DESC, village
"""


def risk_warnings(station: Station, on: date | None = None) -> list[RiskWarning]:
    """Villages where at least ``risk.people`` people came home (返乡) or lost work (a 失业
    status dated) within the last ``risk.window_days`` days, most people first."""
    on = on or clock_today()
    days = settings.get(station, "risk.window_days")
    threshold = settings.get(station, "risk.people")
    first = on - timedelta(days=days - 1)
    rows = station.conn.execute(RISK_SQL, {"first": first.isoformat(), "last": on.isoformat(),
                                           "threshold": threshold}).fetchall()
    return [RiskWarning(
        village or "未填写村", people, returned, lost, first,
        f"规模性失业风险：{village or '未填写村'}近 {days} 天有 {people} 人返乡或失业"
        f"（返乡 {returned} 人，失业 {lost} 人），已达到预警人数 {threshold} 人，请及时摸排并上报。")
        for village, people, returned, lost in rows]
