"""Sync with the county: the first sync of a big station by bundle, an incremental network
sync, and many stations syncing at once against one county server.

1. First sync by bundle (USB path): ``produce_bundle`` at the station + ``service.handle``
   at a fresh county, against the floor measured in the same run: copying the same station
   database with the SQLite backup API and gzipping the copy (level 6, gzip's default and
   the level the bundle's parts use). Target ≤ 3×. Each step runs in its own process, so
   its peak memory (ru_maxrss) is its own.
2. Incremental network sync of 100 changes: edit 100 people of that station, then
   ``sync_now`` against a real ``jobstation-county serve`` on 127.0.0.1, against one plain
   HTTP round trip of the same size to the same server: POSTing as many bytes as the sync
   sent to /api/v1/enroll, which reads the whole body and answers 422 (not JSON) without
   touching the database. Also shown: the same round trip to a bare stdlib echo server.
   Target ≤ 3×; medians.
3. A fleet: N stations (default 50 × 200 people, each its own process) all enrolled and
   syncing at once against one county server, a few rounds (the first sync, then rounds of
   edits); throughput, p95 latency, and the check that nothing was lost: the county's
   people and change log equal what the stations sent, and every station's pending is 0.

Run: .venv/bin/python -m bench.bench_sync [--people 100000] [--runs 2] [--sync-runs 7]
     [--only first,incremental,fleet] [--stations 50] [--fleet-people 200] [--rounds 3]
     [--profile]   (cProfile: the export and import steps, the station's side of the last
                   incremental sync, and a replay of the county's side of one)
     [--work NAME] (the first sync's folder under bench/out, default sync-PEOPLE)
Smaller: --people 2000 --stations 5. The 100,000-person station takes a few minutes to
generate once (bench/out/); the first sync then takes 2–5 minutes a run.
"""

import argparse
import gzip
import http.server
import json
import multiprocessing
import os
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .common import OUT, PASSWORD, p95, station_with

ROOT = Path(__file__).resolve().parent.parent
COUNTY_CODE = "370124"
GZIP_LEVEL = 6


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds of this process and its threads (user + system): on a shared machine a
    steadier figure than the wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- child steps (own process)

def _child(step: str, args: list[str], profile: str | None) -> dict:
    """Run one step in a fresh process; returns what it printed as JSON."""
    cmd = [sys.executable, "-m", "bench.bench_sync", "--child", step, *args]
    if profile:
        cmd += ["--profile-out", profile]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"step {step} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _run_child(step: str, args: list[str], profile_out: str | None) -> None:
    base = _maxrss_mb()
    cpu = _cpu_s()
    work = CHILD_STEPS[step]
    if profile_out:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    result = work(*args)
    if profile_out:
        profiler.disable()
        profiler.dump_stats(profile_out)
    result.update(maxrss_mb=_maxrss_mb(), base_mb=base, cpu_s=_cpu_s() - cpu)
    print(json.dumps(result))


def step_floor(src: str, dst: str) -> dict:
    """SQLite backup API copy of the station file, then gzip of the copy."""
    Path(dst).unlink(missing_ok=True)
    start = time.perf_counter()
    source = sqlite3.connect(src)
    dest = sqlite3.connect(dst)
    source.backup(dest)
    dest.close()
    source.close()
    copied = time.perf_counter()
    with open(dst, "rb") as raw, gzip.open(dst + ".gz", "wb", compresslevel=GZIP_LEVEL) as gz:
        shutil.copyfileobj(raw, gz, 1024 * 1024)
    end = time.perf_counter()
    return {"copy_s": copied - start, "gzip_s": end - copied, "seconds": end - start,
            "db_bytes": os.path.getsize(dst), "gz_bytes": os.path.getsize(dst + ".gz")}


def step_export(station_dir: str, out: str) -> dict:
    from db.station import open_station
    from sync.outgoing import produce_bundle

    station = open_station(Path(station_dir))
    start = time.perf_counter()
    made = produce_bundle(station, Path(out))
    seconds = time.perf_counter() - start
    station.close()
    return {"seconds": seconds, "changes": made.changes, "bytes": os.path.getsize(out)}


def step_import(county_dir: str, bundle: str, back: str) -> dict:
    from sync.county import service
    from sync.county.store import open_county

    store = open_county(Path(county_dir))
    start = time.perf_counter()
    result = service.handle(store, Path(bundle), Path(back), way="usb")
    seconds = time.perf_counter() - start
    store.close()
    return {"seconds": seconds, "applied": result.applied, "rejected": len(result.rejected),
            "conflicts": result.conflicts, "return_bytes": os.path.getsize(back)}


def step_consume(station_dir: str, back: str) -> dict:
    from db.station import open_station
    from sync.incoming import consume_bundle
    from sync.outgoing import pending

    station = open_station(Path(station_dir))
    start = time.perf_counter()
    receipt = consume_bundle(station, Path(back))
    seconds = time.perf_counter() - start
    left = pending(station)
    station.close()
    return {"seconds": seconds, "received": receipt.received, "pending": left}


CHILD_STEPS = {"floor": step_floor, "export": step_export, "import": step_import,
               "consume": step_consume}


# ---------------------------------------------------------------- county helpers

def new_county(folder: Path) -> None:
    from sync.county.store import init_county

    shutil.rmtree(folder, ignore_errors=True)
    init_county(folder, COUNTY_CODE, "平阴县")


def enroll_by_file(station_dir: Path, county_dir: Path, station_code: str) -> None:
    """The county's enrollment file and one-time code, accepted by the station (USB way):
    the station's keys reach the county inside its first bundle."""
    from db.station import open_station
    from sync.county.enrollment import write_enrollment_file
    from sync.county.store import open_county
    from sync.identity import enroll_from_file

    answer = county_dir.parent / f"enroll-{station_code}.json"
    store = open_county(county_dir)
    try:
        issued = write_enrollment_file(store, station_code, answer)
    finally:
        store.close()
    station = open_station(station_dir)
    try:
        _add_digest_column(station, quiet=True)
        enroll_from_file(station, answer, issued["code"])
    finally:
        station.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(county_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sync.county.cli", "--data-dir",
                             str(county_dir), "serve", "--host", "127.0.0.1", "--port",
                             str(port)], cwd=ROOT, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/api/v1/info", timeout=1) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("county server did not start")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------- 1. first sync by bundle

def first_sync(people: int, runs: int, profile: bool, work: Path) -> Path:
    """Returns the work folder of the last run (station enrolled and acknowledged, county
    holding its data) for the incremental measurement."""
    from db import setup

    source = station_with(people)  # builds (or migrates) the cached station once
    src = str(source.path)
    code = setup.station_info(source).code
    source.close()
    rows = []
    for run in range(runs):
        shutil.rmtree(work, ignore_errors=True)
        (work / "station").mkdir(parents=True)
        copy = work / "station" / "station.sqlite3"
        floor = _child("floor", [src, str(copy)], None)
        Path(str(copy) + ".gz").unlink()
        county_dir = work / "county"
        new_county(county_dir)
        enroll_by_file(work / "station", county_dir, code)
        up, back = work / "up.bundle", work / "back.bundle"
        prof = (lambda name: str(work.parent / f"sync-{name}.prof")) if profile else (
            lambda name: None)
        export = _child("export", [str(work / "station"), str(up)], prof("export"))
        imported = _child("import", [str(county_dir), str(up), str(back)], prof("import"))
        consumed = _child("consume", [str(work / "station"), str(back)], None)
        ours = export["seconds"] + imported["seconds"]
        rows.append((floor, export, imported, consumed, ours / floor["seconds"]))
        print(f"load average {os.getloadavg()[0]:.1f}; CPU s: floor {floor['cpu_s']:.1f}, "
              f"export {export['cpu_s']:.1f}, county import {imported['cpu_s']:.1f}", flush=True)
        print(f"run {run + 1}: floor {floor['seconds']:.1f} s (backup copy "
              f"{floor['copy_s']:.1f} s + gzip {floor['gzip_s']:.1f} s; "
              f"{floor['db_bytes'] / 1e6:.0f} MB → {floor['gz_bytes'] / 1e6:.0f} MB, "
              f"{floor['maxrss_mb']:.0f} MB peak) | export {export['seconds']:.1f} s "
              f"({export['changes']} changes, {export['bytes'] / 1e6:.1f} MB, "
              f"{export['maxrss_mb']:.0f} MB peak) | county import {imported['seconds']:.1f} s "
              f"({imported['applied']} applied, {imported['rejected']} rejected, "
              f"{imported['maxrss_mb']:.0f} MB peak) | ratio {ours / floor['seconds']:.2f}x "
              f"| station applies the return: {consumed['seconds']:.2f} s, pending after "
              f"{consumed['pending']}", flush=True)
        if profile:
            _print_profile(prof("export"), "export")
            _print_profile(prof("import"), "county import")
    ratios = [r[4] for r in rows]
    print(f"first sync by bundle, {people} people: export "
          f"{_range([r[1]['seconds'] for r in rows])} s + county import "
          f"{_range([r[2]['seconds'] for r in rows])} s against backup+gzip "
          f"{_range([r[0]['seconds'] for r in rows])} s: ratio {_range(ratios, 2)}x "
          f"(target ≤ 3x)")
    return work


def _print_profile(path: str, title: str, top: int = 25) -> None:
    import pstats

    print(f"--- where the time goes: {title} (cProfile, cumulative) ---")
    stats = pstats.Stats(path)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def _range(values: list[float], digits: int = 1) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:.{digits}f}" if f"{lo:.{digits}f}" == f"{hi:.{digits}f}" else (
        f"{lo:.{digits}f}–{hi:.{digits}f}")


# ---------------------------------------------------------------- 2. incremental network sync

class _Echo(http.server.BaseHTTPRequestHandler):
    """A bare echo server: reads the body, answers with ``X-Answer-Bytes`` bytes."""

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = bytes(int(self.headers.get("X-Answer-Bytes", len(body))))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def _echo_server() -> tuple[http.server.ThreadingHTTPServer, str]:
    """In a thread of this process is fine: it only runs while we wait on the socket."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _round_trip(url: str, body: bytes, headers: dict) -> float:
    """One POST by the same client library sync_now uses, a new connection each time."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        exc.read()
    return time.perf_counter() - start


def incremental(work: Path, changes: int, runs: int, profile: bool) -> None:
    from db import people as people_mod
    from db.station import open_station
    from sync import client
    from sync.outgoing import pending

    sizes: list[tuple[int, int]] = []
    real_post = client._post

    def counting_post(url, path, body, content_type):
        answer = real_post(url, path, body, content_type)
        sizes.append((len(body), len(answer)))
        return answer

    client._post = counting_post
    proc, url = start_server(work / "county")
    echo, echo_url = _echo_server()
    station = open_station(work / "station")
    try:
        _add_digest_column(station)
        station.act_as(_admin(station))
        ids = [r[0] for r in station.conn.execute(
            "SELECT id FROM person WHERE deleted_at IS NULL ORDER BY rowid LIMIT ?",
            [changes * (runs + 1)])]
        start = time.perf_counter()
        client.sync_now(station, url)   # warm-up: the server's first request, our imports,
        print(f"first network sync of the day (with the digest comparison): "   # the digest
              f"{time.perf_counter() - start:.1f} s", flush=True)
        assert pending(station) == 0
        ours, floor, echo_floor, syncs_profile = [], [], [], None
        stamp = time.strftime("%H%M%S")   # a new value each invocation, so every edit changes
        for run in range(runs):
            for i, person_id in enumerate(ids[run * changes:(run + 1) * changes]):
                people_mod.update_person(station, person_id,
                                         {"remarks": f"基准测试 {stamp} 第{run + 1}轮 {i}"})
            waiting = pending(station)
            if profile and run == runs - 1:
                import cProfile

                syncs_profile = cProfile.Profile()
                syncs_profile.enable()
            start = time.perf_counter()
            receipt = client.sync_now(station, url)
            ours.append(time.perf_counter() - start)
            if syncs_profile:
                syncs_profile.disable()
            assert receipt.sent == waiting and pending(station) == 0, (receipt, waiting)
            up, down = sizes[-1]
            body = os.urandom(up)
            for _ in range(5):   # the floor: same bytes to the same server, and to a bare one
                floor.append(_round_trip(url + "/api/v1/enroll", body,
                                         {"Content-Type": "application/json"}))
                echo_floor.append(_round_trip(echo_url, body,
                                              {"Content-Type": "application/octet-stream",
                                               "X-Answer-Bytes": str(down)}))
            print(f"run {run + 1}: {waiting} changes, sent {up / 1e3:.1f} KB, answer "
                  f"{down / 1e3:.1f} KB: sync {ours[-1] * 1000:.0f} ms; same-size POST to the "
                  f"county server {statistics.median(floor[-5:]) * 1000:.1f} ms, to a bare "
                  f"echo server {statistics.median(echo_floor[-5:]) * 1000:.1f} ms", flush=True)
    finally:
        station.close()
        echo.shutdown()
        stop_server(proc)
        client._post = real_post
    mid, low = statistics.median(ours), statistics.median(floor)
    print(f"incremental network sync of {changes} changes: median {mid * 1000:.0f} ms "
          f"(range {_range([x * 1000 for x in ours], 0)} ms) against a same-size round trip "
          f"to the county server, median {low * 1000:.1f} ms: ratio {mid / low:.1f}x "
          f"(target ≤ 3x); against a bare echo server "
          f"{statistics.median(echo_floor) * 1000:.1f} ms: "
          f"{mid / statistics.median(echo_floor):.1f}x")
    _durable_commit(work)
    if syncs_profile:
        import pstats

        print("--- where the time goes: one incremental sync, station process only "
              "(cProfile, cumulative) ---")
        pstats.Stats(syncs_profile).sort_stats("cumulative").print_stats(30)
        _profile_county_side(work, ids[runs * changes:(runs + 1) * changes])


def _durable_commit(work: Path, runs: int = 30) -> None:
    """Part of the floor of any sync that keeps what it applied: one durable commit (WAL,
    synchronous=FULL, as station and county files are opened) of a small transaction on
    this disk, and the same with 100 rows the size of a person's change. Each side of a
    sync commits at least once."""
    path = work / "commit-probe.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT)")
    row, times = "x" * 1200, {1: [], 100: []}
    for _ in range(runs):
        for rows in times:
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO probe (body) VALUES (?)", [(row,)] * rows)
            conn.execute("COMMIT")
            times[rows].append(time.perf_counter() - start)
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"durable commit on this disk (WAL, synchronous=FULL), median of {runs}: one row "
          f"{statistics.median(times[1]) * 1000:.2f} ms, 100 rows of 1.2 KB "
          f"{statistics.median(times[100]) * 1000:.2f} ms (p95 {p95(times[100]) * 1000:.2f} ms)",
          flush=True)


def _profile_county_side(work: Path, ids: list[str]) -> None:
    """What the server does for one incremental sync, in this process under cProfile: the
    same call as the app's handler (handle_bytes on the county database the server keeps
    open)."""
    import cProfile
    import pstats

    from db import people as people_mod
    from db.station import open_station
    from sync.county.service import handle_bytes
    from sync.county.store import open_county
    from sync.incoming import consume_bundle
    from sync.outgoing import produce_bundle

    station = open_station(work / "station")
    try:
        station.act_as(_admin(station))
        for i, person_id in enumerate(ids):
            people_mod.update_person(station, person_id, {"remarks": f"基准测试 剖析 {time.time_ns()} {i}"})
        up, back = work / "prof-up.bundle", work / "prof-back.bundle"
        produce_bundle(station, up)
        body = up.read_bytes()
        store = open_county(work / "county")   # the server keeps it open (CountyWorker)
        try:
            profiler = cProfile.Profile()
            profiler.enable()
            _result, answer = handle_bytes(store, body)
            profiler.disable()
        finally:
            store.close()
        back.write_bytes(answer)
        consume_bundle(station, back)
    finally:
        station.close()
    print("--- where the time goes: the county's side of one incremental sync "
          "(cProfile, cumulative) ---")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(15)


def _add_digest_column(station, quiet: bool = False) -> None:
    """Commit 8f70128 added ``sync_state.digest_at`` to migration 0006 in place, so a station
    migrated before it (the cached benchmark station) lacks the column and ``sync_now``
    fails with "no such column: digest_at". Added here to the benchmark's copy only."""
    columns = [r[1] for r in station.conn.execute("PRAGMA table_info(sync_state)")]
    if "digest_at" not in columns:
        if not quiet:
            print("note: this station lacks sync_state.digest_at (migrated before 8f70128); "
                  "added to the benchmark's copy", flush=True)
        with station.atomic() as db:
            db.execute("ALTER TABLE sync_state ADD COLUMN digest_at TEXT")


def _admin(station):
    from db import accounts

    return accounts.authenticate(station, "admin", PASSWORD)


# ---------------------------------------------------------------- 3. many stations at once

def fleet_templates(stations: int, people: int) -> Path:
    """``stations`` small stations with distinct codes and people, built once."""
    from db import setup
    from db.demo import DEMO_VILLAGES, seed_people

    folder = OUT / f"sync-fleet-{stations}x{people}"
    for i in range(stations):
        one = folder / f"s{i:03d}"
        if (one / "station.sqlite3").exists():
            continue
        shutil.rmtree(one, ignore_errors=True)
        st = setup.create_station(one, code=f"{COUNTY_CODE}{101 + i:03d}", name=f"基准站{i + 1}",
                                  county="平阴县", village_names=DEMO_VILLAGES,
                                  admin_username="admin", admin_display_name="站长",
                                  admin_password=PASSWORD)
        seed_people(st, people, seed=5000 + i)
        st.close()
    return folder


def _fleet_worker(folder: str, url: str, rounds: int, edits: int, barrier, results) -> None:
    from db import accounts
    from db import people as people_mod
    from db.station import open_station
    from sync import client
    from sync.outgoing import pending

    station = open_station(Path(folder))
    station.act_as(accounts.authenticate(station, "admin", PASSWORD))
    ids = [r[0] for r in station.conn.execute("SELECT id FROM person ORDER BY rowid")]
    out = []
    for rnd in range(rounds):
        if rnd:
            for i in range(edits):
                person_id = ids[((rnd - 1) * edits + i) % len(ids)]
                people_mod.update_person(station, person_id,
                                         {"remarks": f"第{rnd}轮 {i} {time.time_ns()}"})
        waiting = pending(station)
        barrier.wait(timeout=900)
        start = time.perf_counter()
        error, sent = "", 0
        try:
            sent = client.sync_now(station, url).sent
        except Exception as exc:  # noqa: BLE001 - counted, reported
            error = f"{type(exc).__name__}: {exc}"
        out.append({"round": rnd, "start": start, "end": time.perf_counter(),
                    "waiting": waiting, "sent": sent, "error": error})
    out.append({"pending": pending(station),
                "outbox": station.scalar("SELECT count(*) FROM sync_outbox"),
                "people": [r[0] for r in station.conn.execute("SELECT id_number FROM person")]})
    station.close()
    results.put((folder, out))


def fleet(stations: int, people: int, rounds: int, edits: int, runs: int) -> None:
    templates = fleet_templates(stations, people)
    for run in range(runs):
        work = OUT / "sync-fleet-run"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(templates, work / "stations")
        county_dir = work / "county"
        new_county(county_dir)
        folders = sorted((work / "stations").iterdir())
        for i, one in enumerate(folders):
            enroll_by_file(one, county_dir, f"{COUNTY_CODE}{101 + i:03d}")
        proc, url = start_server(county_dir)
        ctx = multiprocessing.get_context("fork")
        barrier, results = ctx.Barrier(len(folders)), ctx.Queue()
        workers = [ctx.Process(target=_fleet_worker,
                               args=(str(f), url, rounds, edits, barrier, results))
                   for f in folders]
        for w in workers:
            w.start()
        got = dict(results.get(timeout=1800) for _ in workers)
        for w in workers:
            w.join()
        stop_server(proc)
        _fleet_report(run, got, county_dir, rounds)


def _fleet_report(run: int, got: dict, county_dir: Path, rounds: int) -> None:
    from sync.county.store import open_county

    syncs = [s for out in got.values() for s in out[:-1]]
    errors = [s["error"] for s in syncs if s["error"]]
    print(f"run {run + 1}: {len(got)} stations, {len(syncs)} syncs, {len(errors)} errors"
          + (f" (first: {errors[0]})" if errors else ""))
    for rnd in range(rounds):
        these = [s for s in syncs if s["round"] == rnd]
        wall = max(s["end"] for s in these) - min(s["start"] for s in these)
        latency = [s["end"] - s["start"] for s in these]
        sent = sum(s["sent"] for s in these)
        print(f"  round {rnd + 1} ({'first sync' if rnd == 0 else 'edits'}): {sent} changes "
              f"in {wall:.1f} s = {sent / wall:.0f} changes/s, {len(these) / wall:.1f} "
              f"syncs/s; latency median {statistics.median(latency):.2f} s, "
              f"p95 {p95(latency):.2f} s, max {max(latency):.2f} s", flush=True)
    finals = [out[-1] for out in got.values()]
    sent_total = sum(f["outbox"] for f in finals)
    people_sent = len({n for f in finals for n in f["people"]})
    store = open_county(county_dir)
    try:
        county_people = store.scalar("SELECT count(*) FROM person")
        logged = store.scalar("SELECT count(*) FROM county_log WHERE kind = 'change'")
        rejected = store.scalar("SELECT count(*) FROM county_log WHERE kind = 'rejected'")
        parked = store.scalar("SELECT count(*) FROM county_parked")
    finally:
        store.close()
    left = sum(f["pending"] for f in finals)
    ok = (county_people == people_sent and logged == sent_total
          and not rejected and not parked and left == 0)
    print(f"  check: county people {county_people} / distinct people sent {people_sent}; "
          f"county_log changes {logged} / outbox rows sent {sent_total}; rejected "
          f"{rejected}, parked {parked}; stations' pending {left} → "
          f"{'nothing lost' if ok else 'MISMATCH'}; {len(errors)} failed syncs "
          f"(a failed sync keeps its changes: the next round sends them again)", flush=True)


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2, help="runs of the first sync and fleet")
    parser.add_argument("--only", default="first,incremental,fleet")
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--sync-runs", type=int, default=7, help="incremental syncs measured")
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--fleet-people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="fleet rounds (first = 1st sync)")
    parser.add_argument("--edits", type=int, default=20, help="people edited per fleet round")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--work", help="work folder under bench/out (default sync-PEOPLE); "
                        "another name keeps a first-sync run from replacing the folder an "
                        "incremental run elsewhere is using")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        _run_child(args.child, rest, args.profile_out)
        return
    only = set(args.only.split(","))
    work = OUT / (args.work or f"sync-{args.people}")
    if "first" in only:
        work = first_sync(args.people, args.runs, args.profile, work)
    if "incremental" in only:
        incremental(work, args.changes, args.sync_runs, args.profile)
    if "fleet" in only:
        fleet(args.stations, args.fleet_people, args.rounds, args.edits, args.runs)


if __name__ == "__main__":
    main()
