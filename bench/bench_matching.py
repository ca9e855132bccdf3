"""Matching at scale: one person against 5,000 open jobs, one job against 100,000 people.

Reports p95 per call, next to the floor of merely fetching the same rows with SQL.
The station (generated people, 5,000 jobs, 2,000 referrals) is built once in bench/out.
Run: .venv/bin/python -m bench.bench_matching [--people N] [--jobs N] [--calls N]
"""

import argparse
import random
from datetime import date

from db import demo, matching, referrals, setup
from db.errors import StationError
from db.station import open_station, station_path

from .common import OUT, PASSWORD, ms, p95, timed


def build_station(people: int, jobs: int):
    """A station with ``people`` people, ``jobs`` open jobs and some referrals (cached)."""
    folder = OUT / f"matching-{people}-{jobs}"
    if station_path(folder).exists():
        return open_station(folder)
    folder.mkdir(parents=True, exist_ok=True)
    station = setup.create_station(
        folder, code="370124101", name="基准测试站", county="平阴县",
        village_names=demo.DEMO_VILLAGES, admin_username="admin", admin_display_name="站长",
        admin_password=PASSWORD)
    demo.seed_people(station, people, progress=lambda d, t: print(f"  people {d}/{t}", end="\r"))
    job_ids = demo.seed_jobs(station, jobs)
    _seed_referrals(station, job_ids, 2000)
    print()
    return station


def _seed_referrals(station, job_ids: list[str], count: int) -> None:
    """Random referrals, a third answered, so the exclusion subqueries have rows to check."""
    rng = random.Random(5)
    person_ids = [r[0] for r in station.conn.execute(
        "SELECT id FROM person ORDER BY random() LIMIT ?", [count])]
    with station.atomic():
        for person_id in person_ids:
            try:
                made = referrals.create_referral(station, person_id, rng.choice(job_ids))
                if rng.random() < 0.33:
                    referrals.record_outcome(station, made["id"],
                                             rng.choice(["hired", "rejected", "no_show"]))
            except StationError:
                continue


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=5_000)
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    station = build_station(args.people, args.jobs)
    today = date.today().isoformat()
    seekers = [r[0] for r in station.conn.execute(
        "SELECT id FROM person WHERE current_status IN ('unemployed', 'willing') "
        "ORDER BY random() LIMIT ?", [args.calls])]
    job_ids = [r[0] for r in station.conn.execute(
        "SELECT id FROM job WHERE valid_until >= ? ORDER BY random() LIMIT ?",
        [today, args.calls])]
    open_jobs = station.scalar("SELECT count(*) FROM job WHERE valid_until >= ? "
                               "AND closed_on IS NULL AND deleted_at IS NULL", [today])
    matching.jobs_for_person(station, seekers[0])  # warm the cache as a running app has
    matching.people_for_job(station, job_ids[0])

    floor_jobs = [timed(lambda: station.query("SELECT * FROM job j JOIN employer e "
                                              "ON e.id = j.employer_id")) for _ in range(10)]
    person_calls = [timed(matching.jobs_for_person, station, pid) for pid in seekers]
    floor_people = [timed(lambda: station.conn.execute(
        f"SELECT {matching.SCORE_COLUMNS} FROM person p").fetchall()) for _ in range(5)]
    job_calls = [timed(matching.people_for_job, station, jid) for jid in job_ids]
    candidates = [len(matching.people_for_job(station, jid, limit=10**6)) for jid in job_ids[:5]]

    print(f"people: {args.people}, open jobs: {open_jobs}, calls: {args.calls} each")
    print(f"one person against {open_jobs} open jobs: p95 {ms(p95(person_calls))} "
          f"(median {ms(sorted(person_calls)[len(person_calls) // 2])}); "
          f"floor: fetch all jobs with employers {ms(min(floor_jobs))}")
    print(f"one job against {args.people} people: p95 {ms(p95(job_calls))} "
          f"(median {ms(sorted(job_calls)[len(job_calls) // 2])}); "
          f"floor: fetch every person's matching columns {ms(min(floor_people))}")
    print(f"candidates scored per job (first 5 jobs): {candidates}")
    station.close()


if __name__ == "__main__":
    main()
