"""Search-as-you-type at 100,000 people: p95 per keystroke against an indexed point lookup.

A keystroke's cost is the search plus fetching the first visible page of rows, as the
registry screen does. Run: .venv/bin/python -m bench.bench_search [--people N]
"""

import argparse
import random

from db import search

from .common import ms, p95, station_with, timed


def keystrokes(station, rng: random.Random) -> list[str]:
    """What clerks type, one prefix per keystroke: names, initials, ID tails, phones."""
    rows = station.query("SELECT name, search_initials, id_number, phone FROM person "
                         "ORDER BY random() LIMIT 60")
    typed = []
    for row in rows:
        for word in (row["name"], row["search_initials"], row["id_number"][-6:], row["phone"]):
            typed += [word[:i] for i in range(1, len(word) + 1)]
    typed += ["张", "王", "李", "三", "华", "z", "w", "l", "1", "13"]
    rng.shuffle(typed)
    return typed


def one_keystroke(station, text: str) -> None:
    rowids = search.search_people(station, text)
    search.fetch_rows(station, rowids[:40])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    station = station_with(args.people)
    rng = random.Random(1)
    words = keystrokes(station, rng)
    ids = [r[0] for r in station.conn.execute(
        "SELECT id_number FROM person ORDER BY random() LIMIT 500")]
    point = [timed(lambda n: station.conn.execute(
        "SELECT * FROM person WHERE id_number = ? AND deleted_at IS NULL", [n]).fetchall(), n)
        for n in ids]
    for w in words[:50]:
        one_keystroke(station, w)  # warm the cache as a running app has
    samples = [timed(one_keystroke, station, w) for w in words]
    floor = p95(point)
    print(f"people: {args.people}, keystrokes: {len(samples)}")
    print(f"indexed point lookup p95: {ms(floor)}")
    print(f"search keystroke p95: {ms(p95(samples))}  (max {ms(max(samples))})")
    print(f"ratio keystroke/point p95: {p95(samples) / floor:.1f}x; budget one frame 16 ms")
    worst = sorted(zip(samples, words, strict=True), reverse=True)[:5]
    print("slowest:", ", ".join(f"{w!r} {ms(t)}" for t, w in worst))
    station.close()


if __name__ == "__main__":
    main()
