"""Shared benchmark helpers: a cached generated station, timing and percentiles."""

import statistics
import time
from pathlib import Path

from db import setup
from db.demo import DEMO_VILLAGES, seed_people
from db.station import open_station, station_path

OUT = Path(__file__).resolve().parent / "out"
PASSWORD = "bench-pass"


def station_with(people: int):
    """A station with ``people`` generated people, built once and reused between runs."""
    folder = OUT / f"station-{people}"
    if not station_path(folder).exists():
        folder.mkdir(parents=True, exist_ok=True)
        st = setup.create_station(folder, code="370124101", name="基准测试站", county="平阴县",
                                  village_names=DEMO_VILLAGES, admin_username="admin",
                                  admin_display_name="站长", admin_password=PASSWORD)
        seed_people(st, people)
        st.close()
    return open_station(folder)


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"
