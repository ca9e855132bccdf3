"""A month's 补贴发放表 for 2,000 post holders against reportlab printing the same table.

The floor is reportlab laying out the very same table (same rows, columns and font) with
nothing else, measured in the same run; the measured work is computing every subsidy of
an open month from attendance, evaluations and the policy parameters, building the sheet
and printing it. Budget: at most 2× the floor. Also reported: building the month grid the
GUI shows (whole station and one village) and one cell edit.

Run: .venv/bin/python -m bench.bench_pay_sheet [--holders 2000] [--repeat 5]
"""

import argparse
import random
import statistics
from datetime import date

from db import attendance, demo, evaluation, placements, setup, subsidy, welfare_posts
from db.holidays import Month
from db.station import open_station, station_path
from printing.layout import build_pdf
from printing.pay_sheet import pay_table, render_pay_sheet

from .common import OUT, PASSWORD, ms, timed

STATION = "基准测试站"
OPEN_MONTH, CLOSED_MONTH = Month(2025, 3), Month(2025, 2)


def _station_with_holders(holders: int):
    """A station with ``holders`` people in post since 2025-01, built once and reused."""
    folder = OUT / f"welfare-{holders}"
    if station_path(folder).exists():
        return open_station(folder)
    st = setup.create_station(folder, code="370124101", name=STATION, county="平阴县",
                              village_names=demo.DEMO_VILLAGES, admin_username="admin",
                              admin_display_name="站长", admin_password=PASSWORD)
    demo.seed_people(st, int(holders * 1.3))
    with st.atomic():  # generated data: make enough people members of a priority group
        st.conn.execute("UPDATE person SET low_income = 1 WHERE rowid % 10 < 9")
    per_village = holders // len(demo.DEMO_VILLAGES) + 1
    posts = [welfare_posts.create_post(st, {
        "name": name, "category": "public_service", "village": village, "schedule": "part_time",
        "pay_basis": basis, "daily_hours": "3.5" if basis == "hourly" else "3",
        "monthly_hours": "60" if basis == "hourly" else None, "capacity": cap})
        for village in demo.DEMO_VILLAGES
        for name, basis, cap in (("村庄保洁员", "daily", per_village - per_village // 4),
                                 ("护林防火员", "hourly", per_village // 4))]
    _place(st, posts, holders)
    _month(st, CLOSED_MONTH)
    subsidy.approve_month(st, CLOSED_MONTH)
    _month(st, OPEN_MONTH)
    return st


def _place(st, posts: list[str], holders: int) -> None:
    people = [r[0] for r in st.conn.execute(
        "SELECT id FROM person WHERE low_income = 1 ORDER BY rowid")]
    placed = 0
    for post_id in posts:
        free = st.scalar("SELECT capacity FROM welfare_post WHERE id = ?", [post_id])
        while free and people and placed < holders:
            try:
                placements.place_person(st, people.pop(), post_id, "2025-01-01", "2025-12-31")
                free, placed = free - 1, placed + 1
            except placements.NotEligibleError:
                continue
    print(f"placed {placed} post holders")


def _month(st, month: Month) -> None:
    rng = random.Random(str(month))
    grid = attendance.attendance_grid(st, month)
    changes = []
    for row in grid.rows:
        for i, day in enumerate(month.days()):
            if row.plan[i] == "W" and rng.random() < 0.05:
                mark = rng.choice(["2", "4"]) if row.hourly else rng.choice(
                    ["absent", "leave", "half"])
                changes.append((row.placement_id, day, mark))
    attendance.set_marks(st, changes)
    evaluation.fill_qualified(st, month)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    st = _station_with_holders(args.holders)
    today = date(2025, 4, 1)
    sheet = subsidy.pay_sheet(st, OPEN_MONTH)

    def floor() -> None:  # reportlab printing the same table, nothing else
        build_pdf(lambda ctx: [pay_table(ctx, sheet)], station_name=STATION, title=sheet.title,
                  printed_on=today, landscape=True)

    def compute_and_print(month: Month) -> bytes:
        return render_pay_sheet(STATION, subsidy.pay_sheet(st, month), today)

    pages = build_pdf(lambda ctx: [pay_table(ctx, sheet)], station_name=STATION,
                      title=sheet.title, printed_on=today, landscape=True).count(b"/Type /Page\n")
    runs: dict[str, list[float]] = {"floor": [], "open": [], "closed": [], "compute": []}
    for _ in range(args.repeat):  # interleaved, so a busy machine slows all alike
        runs["floor"].append(timed(floor))
        runs["open"].append(timed(compute_and_print, OPEN_MONTH))
        runs["closed"].append(timed(compute_and_print, CLOSED_MONTH))
        runs["compute"].append(timed(subsidy.pay_sheet, st, OPEN_MONTH))
    base, computed, stored, compute_only = (min(runs[k]) for k in
                                            ("floor", "open", "closed", "compute"))
    print(f"post holders: {len(sheet.rows)}, pay sheet pages: ~{pages or '?'}")
    print(f"floor (reportlab, same table alone): {ms(base)}")
    print(f"compute + print, open month:   {ms(computed)}  ratio {computed / base:.2f}x "
          "(budget 2x)")
    print(f"read + print, approved month:  {ms(stored)}  ratio {stored / base:.2f}x")
    print(f"compute only (2,000 subsidies with explanations): {ms(compute_only)}")
    grids = [timed(attendance.attendance_grid, st, OPEN_MONTH) for _ in range(15)]
    village = [timed(attendance.attendance_grid, st, OPEN_MONTH, demo.DEMO_VILLAGES[0])
               for _ in range(15)]
    row = next(r for r in attendance.attendance_grid(st, OPEN_MONTH).rows if not r.hourly)
    edits = [timed(attendance.set_mark, st, row.placement_id, date(2025, 3, 3), mark)
             for mark in ["absent", "present"] * 5]
    print(f"month grid, whole station ({len(sheet.rows)} × {OPEN_MONTH.length}): "
          f"median {ms(statistics.median(grids))}, max {ms(max(grids))}")
    print(f"month grid, one village: median {ms(statistics.median(village))}")
    print(f"one cell edit (set_mark, returns the row): median {ms(statistics.median(edits))}")
    st.close()


if __name__ == "__main__":
    main()
