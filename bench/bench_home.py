"""The home screen (首页) at 100,000 people and a year of ledger follow-ups: p95 of
``home_summary`` against a single indexed query (an ID-number lookup) in the same run.
Budget: 100 ms.

The station is generated once into bench/out/home-<N>/ (people as in bench_search, then
monthly follow-ups over the past year for everyone in the ledger, some of them late,
returns home spread over the year, jobs, referrals and welfare posts).
Run: .venv/bin/python -m bench.bench_home [--people N] [--runs 60]
"""

import argparse
import random
import time
from datetime import date, timedelta

from db import demo, home, ledger, setup
from db.clock import now_iso, today
from db.ids import uuid7
from db.station import open_station, station_path

from .common import OUT, PASSWORD, ms, p95, timed


def build_station(people: int):
    folder = OUT / f"home-{people}"
    if station_path(folder).exists():
        return open_station(folder)
    folder.mkdir(parents=True, exist_ok=True)
    station = setup.create_station(folder, code="370124101", name="基准测试站", county="平阴县",
                                   village_names=demo.DEMO_VILLAGES, admin_username="admin",
                                   admin_display_name="站长", admin_password=PASSWORD)
    started = time.perf_counter()
    demo.seed_people(station, people)
    print(f"generated {people} people in {time.perf_counter() - started:.0f} s")
    rng = random.Random(5)
    with station.atomic() as db:
        db["ledger_followup"].insert_all(_followups(station, rng), batch_size=2000)
        db["return_home"].insert_all(_returns(station, rng, people // 20), batch_size=2000)
    demo.seed_job_stories(station)
    demo.seed_welfare_posts(station, months=2)
    print(f"station ready in {time.perf_counter() - started:.0f} s")
    return station


def _meta() -> dict:
    now = now_iso()
    return {"created_at": now, "created_by": "基准", "updated_at": now, "updated_by": "基准"}


def _followups(station, rng: random.Random):
    """Monthly visits over the last year for each person in the ledger; one in ten has
    missed the latest (overdue)."""
    on = today()
    for entry_id, person_id, entered in station.conn.execute(
            "SELECT id, person_id, entered_on FROM ledger_entry WHERE left_on IS NULL").fetchall():
        last = on - timedelta(days=rng.randrange(0, 28) + (40 if rng.random() < 0.1 else 0))
        for k in range(12):
            day = last - timedelta(days=30 * k)
            if day < date.fromisoformat(entered):
                break
            yield {"id": uuid7(), "entry_id": entry_id, "person_id": person_id,
                   "followup_date": day.isoformat(), "method": rng.choice(["phone", "visit"]),
                   "outcome": "电话联系，了解就业意向", "clerk": "站长",
                   "next_due_date": (day + timedelta(days=30)).isoformat(), **_meta()}


def _returns(station, rng: random.Random, count: int):
    ids = [r[0] for r in station.conn.execute("SELECT id FROM person ORDER BY random() LIMIT ?",
                                              [count])]
    for person_id in ids:
        yield {"id": uuid7(), "person_id": person_id, "from_place": "苏州市",
               "return_date": (today() - timedelta(days=rng.randrange(0, 365))).isoformat(),
               "reason": "春节返乡", "remarks": "", **_meta()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    station = build_station(args.people)
    sizes = {table: station.scalar(f"SELECT count(*) FROM {table}") for table in (
        "person", "ledger_entry", "ledger_followup", "return_home", "referral", "placement")}
    ids = [r[0] for r in station.conn.execute(
        "SELECT id_number FROM person ORDER BY random() LIMIT 500")]
    point = [timed(lambda n: station.conn.execute(
        "SELECT * FROM person WHERE id_number = ? AND deleted_at IS NULL", [n]).fetchall(), n)
        for n in ids]
    for _ in range(5):
        home.home_summary(station)  # warm the cache as a running app has
    samples = [timed(home.home_summary, station) for _ in range(args.runs)]
    parts = {
        "overdue follow-ups": lambda: ledger.overdue(station),
        "counts": lambda: home._counts(station, today(), home.HomeSummary(today())),
        "risk warning": lambda: home.risk_warnings(station),
        "other modules": lambda: home._work(station, today(), home.ITEM_LIMIT),
    }
    summary = home.home_summary(station)
    floor = p95(point)
    print("rows:", ", ".join(f"{t} {n}" for t, n in sizes.items()))
    print(f"items: {summary.item_totals}; risk warnings: {len(summary.risks)}")
    print(f"indexed point lookup p95: {ms(floor)}")
    print(f"home_summary p95: {ms(p95(samples))}  (median {ms(sorted(samples)[len(samples) // 2])}"
          f", max {ms(max(samples))}); budget 100 ms")
    print(f"ratio home_summary / point lookup, p95: {p95(samples) / floor:.0f}x")
    for name, fn in parts.items():
        print(f"  {name}: p95 {ms(p95([timed(fn) for _ in range(20)]))}")
    station.close()


if __name__ == "__main__":
    main()
