"""Roster import at 100,000 rows: time against merely reading the same .xlsx, and memory.

The floor is the fastest reader the importer uses: openpyxl read-only, values_only
iteration over the sheet, timed in the same run (before and after the imports, averaged,
since the machine's load drifts). Wall and CPU time are both reported: the one-call
import (command line) writes in a second thread while it reads, which shows in wall time.
The roster is generated once into bench/out/ by db.excel.write_table (inline strings and
no <dimension>, as our own exports are written, which openpyxl reads slowly).
Each measurement runs in a fresh subprocess, so peak memory (ru_maxrss) is its own. The
import is measured into an empty station (every row a new person: the most writing), then
again with the same file (every row unchanged), then the wizard's way (the whole preview,
then the writing). A second, smaller roster shows whether peak memory grows with the file.

Run: .venv/bin/python -m bench.bench_import [--rows 100000] [--small 10000]
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from .common import OUT

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-pass"

READ_FLOOR = """
import json, resource, sys, time
from openpyxl import load_workbook
start = time.perf_counter()
wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
wb.close()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows,
                  "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024}))
"""

# sys.argv: roster, station folder, mode ("one-call" as the command line imports, or
# "preview-then-write" as the wizard does: the whole preview first, then the writing).
IMPORT = """
import json, resource, sys, time
from db import accounts, roster_import
from db.station import open_station
station = open_station(sys.argv[2])
station.act_as(accounts.get_account(station, "admin"))
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
if sys.argv[3] == "one-call":
    result = roster_import.import_roster(station, sys.argv[1])
    analyzed = start
else:
    analysis = roster_import.analyze(station, sys.argv[1])
    analyzed = time.perf_counter()
    result = roster_import.apply_import(station, analysis)
done = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps({"seconds": done - start, "preview": analyzed - start, "cpu": cpu,
                  "counts": {k: v for k, v in result.counts().items() if k != "rejected"},
                  "rejected": len(result.rejected), "maxrss_mb": usage.ru_maxrss / 1024}))
"""

COLUMNS = [("serial", "序号"), ("name", "姓名"), ("sex", "性别"), ("id_number", "公民身份号码"),
           ("phone", "联系电话"), ("village", "所在村"), ("education", "文化程度"),
           ("skills", "技能"), ("status", "就业状态"), ("employer", "就业单位"),
           ("work_place", "务工地点"), ("income", "月收入"), ("poor", "是否脱贫户"),
           ("remarks", "备注")]


def roster_rows(count: int):
    """Realistic roster rows: Faker names, valid and distinct ID numbers, status words."""
    from faker import Faker

    from db.demo import DEMO_VILLAGES, EMPLOYERS, PLACES, REGION_CODES, SKILLS
    from db.validation.idcard import make_id_number

    rng, fake = random.Random(7), Faker("zh_CN")
    fake.seed_instance(7)
    seen: set[str] = set()
    statuses = ["省外务工", "外出务工", "本地就业", "县外省内", "失业", "灵活就业", "未就业"]
    for serial in range(1, count + 1):
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        number = make_id_number(rng.choice(REGION_CODES), birth, rng.randrange(1, 999))
        while number in seen:
            number = make_id_number(rng.choice(REGION_CODES), birth, rng.randrange(1, 999))
        seen.add(number)
        male = int(number[16]) % 2 == 1
        yield {"serial": serial,
               "name": fake.last_name() + (fake.first_name_male() if male else
                                           fake.first_name_female()),
               "sex": "男" if male else "女", "id_number": number,
               "phone": f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
               "village": rng.choice(DEMO_VILLAGES), "education": "初中",
               "skills": rng.choice(SKILLS), "status": rng.choice(statuses),
               "employer": rng.choice(EMPLOYERS), "work_place": rng.choice(PLACES),
               "income": rng.choice([3500, 4200, 5000]), "poor": rng.choice(["是", "否", "否"]),
               "remarks": ""}


def roster_file(count: int) -> Path:
    """The generated roster of ``count`` rows, written once and reused."""
    from db.excel import Column, write_table

    path = OUT / f"roster-{count}.xlsx"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        text = {"id_number", "phone"}
        write_table(path, title="孔村镇农民工花名册（基准测试）",
                    columns=[Column(k, label, text=k in text) for k, label in COLUMNS],
                    rows=roster_rows(count), sheet_name="花名册")
    return path


def fresh_station(name: str) -> Path:
    from db import setup

    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    setup.create_station(folder, code="370124101", name="基准测试站", county="平阴县",
                         village_names=["东关村"], admin_username="admin",
                         admin_display_name="站长", admin_password=PASSWORD).close()
    return folder


def measure(script: str, *args) -> dict:
    proc = subprocess.run([sys.executable, "-c", script, *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_size(count: int) -> dict:
    """Floor, the three imports, floor again (the machine's load drifts: average them)."""
    path = roster_file(count)
    floors = [measure(READ_FLOOR, path)]
    station = fresh_station(f"import-station-{count}")
    runs = {"one-call import, empty station": measure(IMPORT, path, station, "one-call"),
            "same file again (unchanged)": measure(IMPORT, path, station, "one-call")}
    station = fresh_station(f"import-station-{count}")
    runs["preview, then write (wizard)"] = measure(IMPORT, path, station, "preview-then-write")
    shutil.rmtree(station, ignore_errors=True)
    floors.append(measure(READ_FLOOR, path))
    return {"rows": count, "floors": floors, "runs": runs}


def report(size: dict) -> None:
    floors = size["floors"]
    wall = sum(f["seconds"] for f in floors) / len(floors)
    cpu = sum(f["cpu"] for f in floors) / len(floors)
    walls = " / ".join(f"{f['seconds']:.1f}" for f in floors)
    print(f"\n{size['rows']:,} rows. Floor = openpyxl read_only values_only iteration of the "
          f"writer-made .xlsx (no <dimension>, inline strings): "
          f"{walls} s wall, {cpu:.1f} s CPU; "
          f"peak RSS {floors[0]['maxrss_mb']:.0f} MB")
    for label, run in size["runs"].items():
        preview = f" (preview {run['preview']:.1f} s)" if run["preview"] else ""
        print(f"  {label}: {run['seconds']:.1f} s wall{preview}, {run['cpu']:.1f} s CPU; "
              f"ratio {run['seconds'] / wall:.2f}x wall, {run['cpu'] / cpu:.2f}x CPU "
              f"(target <= 2x); peak RSS {run['maxrss_mb']:.0f} MB; {run['counts']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000,
                        help="a smaller roster to show memory does not grow with the file")
    args = parser.parse_args()
    sizes = [run_size(n) for n in (args.small, args.rows) if n]
    for size in sizes:
        report(size)
    if len(sizes) == 2:
        key = "preview, then write (wizard)"
        small, big = (s["runs"][key]["maxrss_mb"] for s in sizes)
        print(f"\npeak RSS of the wizard's import: {small:.0f} MB at {sizes[0]['rows']:,} rows, "
              f"{big:.0f} MB at {sizes[1]['rows']:,} rows ({big - small:+.0f} MB for "
              f"{sizes[1]['rows'] / sizes[0]['rows']:.0f}x the rows)")


if __name__ == "__main__":
    main()
