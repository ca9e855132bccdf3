"""County-wide figures: stations and their contact, and the monthly counts by station,
employment status and group."""

import calendar
from pathlib import Path

from db import glossary
from db.excel.writer import Column, write_table
from db.station import Station

from .outgoing import pending_for

GROUPS = {"poverty_alleviated": "脱贫人口", "monitored": "防返贫监测对象",
          "low_income": "低保对象", "rural_disabled": "农村残疾人"}


def stations(store: Station) -> list[dict]:
    rows = store.query("SELECT site_id, station_code, name, enrolled_at, last_contact, "
                       "last_way, cursor, clock_skew_ms, revoked_at FROM county_station "
                       "ORDER BY station_code")
    for row in rows:
        epoch = store.scalar("SELECT coalesce(max(epoch), 1) FROM county_epoch WHERE site = ?",
                             [row["site_id"]])
        row["pending_down"] = pending_for(store, row["site_id"], row["cursor"], epoch)
        row["parked"] = store.scalar("SELECT count(*) FROM county_parked WHERE site = ?",
                                     [row["site_id"]])
        row["people"] = store.scalar(
            "SELECT count(*) FROM county_interest i JOIN person p ON p.id = i.pk "
            "WHERE i.tbl = 'person' AND i.site = ? AND p.deleted_at IS NULL", [row["site_id"]])
    return rows


def month_counts(store: Station, month: str) -> list[dict]:
    """People per station by their status at the end of ``month`` (YYYY-MM) and by group."""
    year, mon = (int(x) for x in month.split("-"))
    end = f"{month}-{calendar.monthrange(year, mon)[1]:02d}"
    status_at = ("(SELECT s.status FROM employment_status s WHERE s.person_id = p.id AND "
                 "s.deleted_at IS NULL AND s.since_date <= :end ORDER BY s.since_date DESC, "
                 "s.id DESC LIMIT 1)")
    groups = ", ".join(f"sum(p.{g}) AS {g}" for g in GROUPS)
    rows = store.query(
        f"SELECT c.station_code, c.name AS station, {status_at} AS status, count(*) AS people, "
        f"{groups} FROM person p JOIN county_interest i ON i.tbl = 'person' AND i.pk = p.id "
        "JOIN county_station c ON c.site_id = i.site WHERE p.deleted_at IS NULL AND "
        "substr(p.created_at, 1, 10) <= :end GROUP BY 1, 2, 3 ORDER BY 1, 3", {"end": end})
    for row in rows:
        row["status"] = glossary.STATUS.get(row["status"], row["status"] or "未登记状态")
    return rows


def write_month_report(store: Station, month: str, out: Path) -> int:
    rows = month_counts(store, month)
    columns = [Column("station_code", "乡镇代码", 12), Column("station", "服务站", 20),
               Column("status", "就业状态", 14), Column("people", "人数", 8),
               *[Column(key, label, 12) for key, label in GROUPS.items()]]
    write_table(Path(out), title=f"全县农民工月报（{month}）", subtitle=f"截至 {month} 月底",
                columns=columns, rows=rows, sheet_name="月报")
    return len(rows)
