"""The county inserts changes that create new records in bulk (table by table); every bundle
must leave the county exactly as applying its changes one by one does: every table, row
for row (rowids too), and the same answer to the station."""

import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import demo, employers, employment, outbox, people
from db.sync_tables import SYNCED
from sync import bundle, identity, incoming
from sync.apply import Change
from sync.county import ingest
from sync.county.store import county, open_county
from sync.outgoing import station_manifest

from .helpers import add_person, county_import, export

# Columns that say when something happened at the county, not what it holds.
WHEN = {"county_station": {"enrolled_at", "last_contact"},
        "county_enroll_code": {"created_at", "used_at"},
        "county_bundle_seen": {"at"}, "county_rejected": {"at"}}


def county_state(county_dir: Path) -> dict:
    """Every table of the county database, rows in rowid order (sorted when it has none)."""
    with closing(sqlite3.connect(county_dir / "station.sqlite3")) as conn:
        state = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite_%' ORDER BY name"):
            try:
                cursor = conn.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid')
            except sqlite3.OperationalError:        # WITHOUT ROWID
                cursor = conn.execute(f'SELECT NULL, * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            rows = [tuple(None if n in WHEN.get(table, ()) else v
                          for n, v in zip(names, row, strict=True)) for row in cursor]
            state[table] = rows if rows and rows[0][0] is not None else sorted(map(repr, rows))
        state["triggers"] = _triggers(conn)
        return state


def _triggers(conn) -> dict:
    """Each table's triggers in the order they were made (the order they fire in)."""
    found: dict[str, list] = {}
    for table, name, sql in conn.execute("SELECT tbl_name, name, sql FROM sqlite_master "
                                         "WHERE type = 'trigger' ORDER BY rowid"):
        found.setdefault(table, []).append((name, sql))
    return found


def _answer(result) -> dict:
    return {**result.as_dict(), "clamped": result.clamped, "rewound": result.rewound_from,
            "settled": result.settled_ids}


@pytest.fixture
def twins(tmp_path, county_dir):
    """``import_both(bundle)``: the bundle into the county (bulk) and into its twin, a copy
    taken when the first bundle arrives, with the bulk insert switched off; both must end
    alike. Returns the bulk county's result and its answer file."""
    slow_dir = tmp_path / "county-one-by-one"
    runs = []

    def import_both(up: Path, monkeypatch=None):
        if not slow_dir.exists():
            shutil.copytree(county_dir, slow_dir)
        n = len(runs)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ingest._Bulk, "add", lambda self, *args: False)
            one_by_one = county_import(slow_dir, up, tmp_path / f"slow{n}.back")
        inserted = {"rows": 0, "undone": 0}
        real_insert = ingest._Bulk._insert

        def counting(self, queue):
            try:
                real_insert(self, queue)
            except sqlite3.IntegrityError:
                inserted["undone"] += len(queue)
                raise
            inserted["rows"] += len(queue)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ingest._Bulk, "_insert", counting)
            result = county_import(county_dir, up, tmp_path / f"bulk{n}.back")
        result.bulk = inserted
        runs.append(result)
        assert _answer(result) == _answer(one_by_one)
        assert county_state(county_dir) == county_state(slow_dir)
        return result, tmp_path / f"bulk{n}.back"

    return import_both


def _round(st, twins, folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    up = export(st, folder / f"r{len(list(folder.glob('*.up')))}.up")
    result, back = twins(up)
    incoming.consume_bundle(st, back)
    return result


def _as_backfill(st) -> None:
    """Renumber the station's outbox as migration 0006 captured a station that had data
    before sync existed: table by table (the benchmark's 100,000-person station)."""
    with st.atomic() as db:
        state = db.execute("SELECT epoch, acked_eseq FROM sync_state").fetchone()
        db.execute("DELETE FROM sync_outbox WHERE epoch = ? AND eseq > ?", state)
        db.execute("UPDATE sync_state SET next_eseq = ?", [state[1] + 1])
        for table in SYNCED:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
            db.execute(outbox.snapshot_sql(table, columns))
            outbox.finish_snapshot(db)


def test_first_syncs_mixing_new_records_merges_by_id_number_and_updates_end_alike(
        tmp_path, stations, twins):
    a, b = stations(1, "孔村站"), stations(2, "洪范站")
    demo.seed_people(a, 40, seed=7)            # people, their statuses, ledger entries
    shared = a.query("SELECT id, id_number FROM person ORDER BY rowid LIMIT 3")
    employers.create_employer(a, {"name": "平阴玫瑰厂", "credit_code": "91370124MA3C0001X2"})
    result = _round(a, twins, tmp_path / "a")
    assert result.applied > 100 and not result.rejected and result.bulk["rows"] > 40

    # B registers three of A's people again (by ID number), the same employer, new people,
    # and edits; A edits people the county holds and registers more
    for n, row in enumerate(shared):
        people.create_person(b, {"name": "重复" + "甲乙丙"[n], "id_number": row["id_number"],
                                 "phone": f"1390000000{n}"})
    employers.create_employer(b, {"name": "玫瑰厂", "credit_code": "91370124MA3C0001X2"})
    for n in range(5):
        pk = add_person(b, 500 + n, "新人" + "甲乙丙丁戊"[n])
        people.update_person(b, pk, {"residence": f"洪范池镇{n}号"})
    demo.seed_people(b, 15, seed=8)
    _as_backfill(b)                               # and once more in the backfill's order
    people.update_person(a, shared[0]["id"], {"phone": "13811112222"})
    people.update_person(a, shared[1]["id"], {"remarks": "本站修改"})
    demo.seed_people(a, 10, seed=9)

    merged = _round(b, twins, tmp_path / "b")
    assert not merged.rejected and merged.bulk["rows"] > 15
    with closing(open_county(tmp_path / "county")) as store:
        assert store.scalar("SELECT count(*) FROM county_alias") == 4
    _round(a, twins, tmp_path / "a")
    _round(b, twins, tmp_path / "b")


def test_backfilled_first_sync_of_a_station_whose_people_the_county_partly_holds(
        tmp_path, stations, twins):
    a, b = stations(1), stations(2)
    demo.seed_people(a, 60, seed=11)
    _as_backfill(a)
    numbers = [r[0] for r in a.conn.execute("SELECT id_number FROM person ORDER BY rowid")]
    for n, number in enumerate(numbers[10:60:7]):
        people.create_person(b, {"name": "外站" + "甲乙丙丁戊己庚辛"[n], "id_number": number})
    _round(b, twins, tmp_path / "b")
    result = _round(a, twins, tmp_path / "a")
    assert result.applied > 120 and not result.rejected
    assert result.bulk["rows"] > 100 and not result.bulk["undone"]


# ---------------------------------------------------------------- odd genuine bundles

def _records_of(st, county_dir: Path, tmp_path: Path) -> tuple[bundle.Bundle, list[dict]]:
    up = export(st, tmp_path / "genuine.up")
    ident = identity.require(st)
    with closing(open_county(county_dir)) as store:
        good = bundle.read_bundle(up, lambda m: ident.keys.public, county(store).keys,
                                  county(store).site_id)
    return good, [dict(r) for r in good.records]


def _rewritten(st, good: bundle.Bundle, records: list[dict], out: Path) -> Path:
    ident = identity.require(st)
    bundle.write_bundle(out, bundle.Bundle(good.sender, good.recipient, dict(good.header),
                                           records), ident.keys, ident.county,
                        extra_manifest=station_manifest(ident))
    return out


def _first(records, table, **where):
    return next(i for i, r in enumerate(records) if r["t"] == table and all(
        r["c"].get(k, [None, None])[1] == v for k, v in where.items()))


def _child_before_parent(records):
    person = _first(records, "person")
    status = _first(records, "employment_status", person_id=records[person]["k"])
    records[person]["q"], records[status]["q"] = records[status]["q"], records[person]["q"]
    records.sort(key=lambda r: r["q"])


def _missing_parent(records):
    records[_first(records, "employment_status")]["c"]["person_id"] = [None, "nobody"]


def _same_id_number_twice(records):
    first, *others = [i for i, r in enumerate(records) if r["t"] == "person"]
    records[others[2]]["c"]["id_number"] = records[first]["c"]["id_number"]


def _same_id_number_deleted(records):
    first, *others = [i for i, r in enumerate(records) if r["t"] == "person"]
    records[others[3]]["c"]["id_number"] = records[first]["c"]["id_number"]
    records[others[3]]["c"]["deleted_at"] = [None, "2026-11-01T00:00:00+00:00"]


def _no_name(records):
    del records[_first(records, "person")]["c"]["name"]


def _unknown_column(records):
    records[_first(records, "person")]["c"]["shoe_size"] = [None, 42]


def _clock_a_year_ahead(records):
    for i in [i for i, r in enumerate(records) if r["t"] == "person"][5:8]:
        records[i]["h"] += 365 * 86_400_000


def _reversed(records):
    records.reverse()


def _gap(records):
    del records[len(records) // 2]


def _twice(records):
    records.insert(10, dict(records[10]))


@pytest.mark.parametrize("odd", [
    _child_before_parent, _missing_parent, _same_id_number_twice, _same_id_number_deleted,
    _no_name, _unknown_column, _clock_a_year_ahead, _reversed, _gap, _twice])
def test_odd_genuine_bundles_end_alike(tmp_path, county_dir, stations, twins, monkeypatch,
                                       odd):
    a = stations(1)
    demo.seed_people(a, 25, seed=3)
    _as_backfill(a)
    good, records = _records_of(a, county_dir, tmp_path)
    odd(records)
    frozen = time.time()
    monkeypatch.setattr(ingest.time, "time", lambda: frozen)   # clamped clocks alike
    result, _ = twins(_rewritten(a, good, records, tmp_path / "odd.up"))
    assert result.bulk["rows"] + result.bulk["undone"] > 20     # the bulk insert was tried


def test_a_rewound_history_is_refused_alike(tmp_path, county_dir, stations, twins):
    a = stations(1)
    demo.seed_people(a, 10, seed=4)
    good, records = _records_of(a, county_dir, tmp_path)
    twins(_rewritten(a, good, records, tmp_path / "first.up"))
    records[len(records) // 2]["c"]["remarks"] = [None, "另一段历史"]
    for record in records:
        record["c"] = dict(record["c"])
    result, _ = twins(_rewritten(a, good, records, tmp_path / "rewound.up"))
    assert result.rewound_from == records[len(records) // 2]["q"]


def test_changes_naming_a_merged_key_follow_the_county_key(tmp_path, stations, twins):
    """B registers A's person again and, before B hears of the merge, records a status and
    a new person: the county's aliases turn B's old key into its own, in bulk as one by
    one."""
    a, b = stations(1), stations(2)
    add_person(a, 1, "甲")
    _round(a, twins, tmp_path / "a")
    dup = add_person(b, 1, "甲")
    twins(export(b, tmp_path / "b1.up"))          # merged; B does not receive the answer
    employment.add_status(b, dup, "unemployed", "2026-11-01")
    add_person(b, 2, "乙")
    result, back = twins(export(b, tmp_path / "b2.up"))
    assert result.applied >= 2 and not result.rejected
    incoming.consume_bundle(b, back)


def test_big_ingests_drop_only_the_triggers_idle_while_applying_and_restore_them(
        tmp_path, county_dir, stations, twins, monkeypatch):
    with closing(open_county(county_dir)) as store:
        triggers = [(n, sql) for n, sql in store.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")]
        before = _triggers(store.conn)
    idle = {n for n, sql in triggers if ingest.idle_while_applying(sql)}
    capture = {f"sync_{t}_{op}" for t in SYNCED for op in ("insert", "update", "delete",
                                                            "softdelete")}
    assert idle == {n for n, _ in triggers if n in capture} | {"ledger_follow_person",
                                                               "status_fresh_ledger"}
    with closing(open_county(county_dir)) as store:   # recomputed once per bulk insert
        assert set(ingest._Summary.found(store.conn)) == {"employment_status", "ledger_followup"}
    a = stations(1)
    demo.seed_people(a, 300, seed=5)
    _as_backfill(a)
    monkeypatch.setattr(ingest, "BIG", 500)       # a big bundle, as far as ingest can tell
    result = _round(a, twins, tmp_path / "a")
    assert result.applied > ingest.BIG
    with closing(open_county(county_dir)) as store:
        assert _triggers(store.conn) == before


VALUES = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(
    max_size=3) | st.lists(st.integers(), max_size=2)
RECORDS = st.fixed_dictionaries(
    {"t": st.sampled_from(["person", 5, None]), "k": st.text(max_size=3),
     "h": st.one_of(st.integers(-5, 2**63), st.text(max_size=3)), "s": st.text(max_size=2),
     "c": st.one_of(st.dictionaries(st.text(max_size=3), st.one_of(
         st.lists(VALUES, min_size=0, max_size=3), VALUES), max_size=4), VALUES)},
    optional={"a": st.one_of(st.none(), st.text(max_size=2))})


@settings(max_examples=300, deadline=None)
@given(RECORDS)
def test_the_quick_check_of_a_change_passes_only_what_from_record_accepts_alike(record):
    quick = ingest._plain_change(record)
    try:
        full = Change.from_record(record)
    except ValueError:
        full = None
    assert quick is None or quick == full


def test_tables_whose_defaults_are_not_plain_values_go_in_by_their_changed_columns_alike(
        tmp_path, stations, twins, monkeypatch):
    monkeypatch.setattr(ingest._Bulk, "_defaults", lambda self, table: None)
    a = stations(1)
    demo.seed_people(a, 30, seed=12)
    _as_backfill(a)
    result = _round(a, twins, tmp_path / "a")
    assert result.bulk["rows"] > 50 and not result.bulk["undone"]


def test_the_flush_finds_records_to_merge_by_one_or_two_column_natural_keys():
    # the bulk path asks for the whole queue at once what the one-by-one path asks a record
    # at a time: a live county record under another key with the same natural key
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE brand_tag (id TEXT, person_id TEXT, brand TEXT, deleted_at TEXT)")
    conn.execute("CREATE TABLE person (id TEXT, id_number TEXT, deleted_at TEXT)")
    conn.executemany("INSERT INTO brand_tag VALUES (?, ?, ?, ?)",
                     [("t1", "p1", "鲁菜师傅", None), ("t2", "p2", "家政", "2026-01-01"),
                      ("t3", "p3", "月嫂", None)])
    conn.executemany("INSERT INTO person VALUES (?, ?, ?)",
                     [("p1", "370124199001010011", None), ("p2", "370124199001010022", "x")])
    bulk = SimpleNamespace(conn=conn)
    tags = {("p1", "鲁菜师傅"): ["new1"], ("p2", "家政"): ["new2"], ("p3", "月嫂"): ["t3"],
            ("p4", "月嫂"): ["new4"]}
    assert ingest._Bulk._mergeable(bulk, "brand_tag", tags) == ["new1"]
    people = {("370124199001010011",): ["q1", "p1"], ("370124199001010022",): ["q2"]}
    assert ingest._Bulk._mergeable(bulk, "person", people) == ["q1"]
