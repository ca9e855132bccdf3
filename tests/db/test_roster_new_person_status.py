"""Migration 0009: a new person written with their current status ends as the update did.

The old way (migration 0008's triggers, the person written without a status and brought
to it by ``status_current_insert``'s update) and the new way (the person written with the
status, the update skipped) are run on the same writes, each on a copy of one station:
the records, the audit log, the ledger and what the county receives must come out alike.
"""

import itertools
import json
import shutil
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import accounts, glossary, people, roster_plan
from db.migrations import m0009_new_person_status as m0009
from db.roster_fields import ParsedRow
from db.roster_plan import Plan, lookup, plan_row, write_plans
from db.station import open_station
from tests.conftest import ADMIN, id_of
from tests.db.station_snapshots import reopened, tables, triggers


def as_before_0009(station) -> None:
    """Put the station's status triggers back as migration 0008 left them (in their old
    order) and forget that 0009 ran."""
    rows = station.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                         "tbl_name = 'employment_status' ORDER BY rowid")
    for row in rows:
        station.conn.execute(f'DROP TRIGGER "{row["name"]}"')
    for row in rows:
        if row["name"] == "status_current_insert":
            station.conn.execute(m0009.OLD_STATUS_CURRENT_INSERT)
        elif row["name"] != "status_fresh_ledger":
            station.conn.execute(row["sql"])
    station.conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_new_person_status'")
    station.conn.commit()



@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Two empty stations: as a new file is (after 0009), and as it was before 0009."""
    from db import setup

    root = tmp_path_factory.mktemp("templates")
    for form in ("new", "old"):
        st = setup.create_station(
            root / form, code="370124101", name="孔村镇就业服务站", county="平阴县",
            village_names=["东关村"], admin_username=ADMIN, admin_display_name="王站长",
            admin_password="secret123")
        if form == "old":
            as_before_0009(st)
        st.close()
    return root


def _open(template, folder, form: str):
    shutil.copytree(template / form, folder)
    st = open_station(folder) if form == "new" else _open_unmigrated(folder)
    st.act_as(accounts.get_account(st, ADMIN))
    return st


def _open_unmigrated(folder):
    """The old-form copy, opened without migration 0009 running on it."""
    from db import migrations

    names = migrations.NAMES
    migrations.NAMES = tuple(name for name in names if name != "0009_new_person_status")
    try:
        station = open_station(folder)
    finally:
        migrations.NAMES = names
    assert not station.scalar("SELECT count(*) FROM sqlite_master "
                              "WHERE name = 'status_fresh_ledger'")
    return station


def test_migration_0009_upgrades_a_station_with_data_to_the_triggers_of_a_new_one(
        station, tmp_path):
    fresh_triggers = triggers(station)
    as_before_0009(station)
    first = people.create_person(station, {"name": "张三", "id_number": id_of(1980),
                                           "poverty_alleviated": True})
    from db import employment

    employment.add_status(station, first, "unemployed", "2026-01-05")
    write_plans(station, [Plan(None, person=people.clean_fields(
        {"name": "李四", "id_number": id_of(1981), "monitored": True}),
        status_insert={"status": "flexible", "since_date": "2025-03-01", "employer": "",
                       "work_place": "", "monthly_income": None})])
    station.conn.commit()
    assert station.scalar("SELECT count(*) FROM ledger_entry") == 2
    before = tables(station)
    with reopened(station) as upgraded:
        assert tables(upgraded) == before
        assert triggers(upgraded) == fresh_triggers


def test_migration_0009_leaves_a_status_trigger_it_does_not_know_alone(station):
    as_before_0009(station)
    station.conn.execute("DROP TRIGGER status_current_insert")
    station.conn.execute("CREATE TRIGGER status_current_insert AFTER INSERT ON "
                         "employment_status BEGIN SELECT 1; END")
    station.conn.commit()
    before = triggers(station)
    with reopened(station) as upgraded:
        assert triggers(upgraded) == before


# -- the old way and the new way on the same writes ---------------------------------------

def _same_ids(monkeypatch) -> None:
    """Keys and stamps the same in both runs (the ledger's, made in SQL, are set aside)."""
    keys, seconds = itertools.count(), itertools.count()
    monkeypatch.setattr(roster_plan, "uuid7",
                        lambda: f"00000000-0000-7000-8000-{next(keys):012d}")
    monkeypatch.setattr(roster_plan, "now_iso",
                        lambda: f"2026-11-29T10:00:{next(seconds):02d}.000+00:00")


def _write(st, newcomers: list[dict], later: list[dict]) -> None:
    """A chunk of new people, then (a second write) new statuses for some of them."""
    plans = [Plan(None, person=people.clean_fields(p["person"]),
                  status_insert=roster_plan._new_status(p["status"], date.today())
                  if p["status"].get("status") else None) for p in newcomers]
    with st.atomic():
        write_plans(st, plans)
    found = lookup(st, (n["id_number"] for n in later))
    plans = [plan_row(found[n["id_number"]], ParsedRow({"id_number": n["id_number"]}, (),
                                                       n["status"]),
                      date.today(), lambda _field: True) for n in later]
    with st.atomic():
        write_plans(st, plans)


def _ledger_key(st) -> dict[str, str]:
    """Ledger entries by a key the same in both runs (their ids are random)."""
    return {r["id"]: f"ledger:{r['person_id']}:{r['entered_on']}:{r['entry_status_id']}"
            for r in st.query("SELECT * FROM ledger_entry")}


_RANDOM = {"id", "created_at", "updated_at"}


def _changes(table: str, text: str) -> dict:
    changes = json.loads(text)
    return {k: v for k, v in changes.items() if k not in _RANDOM} if table == "ledger_entry" \
        else changes


def _captured(st) -> list[tuple]:
    keys = _ledger_key(st)
    return [(r["tbl"], keys.get(r["pk"], r["pk"]), _changes(r["tbl"], r["ch"]), r["actor"])
            for r in st.query("SELECT * FROM sync_outbox WHERE tbl IN ('person', "
                              "'employment_status', 'ledger_entry') ORDER BY seq")]


def _audited(st) -> list[tuple]:
    keys = _ledger_key(st)
    return [(r["actor"], r["table_name"], keys.get(r["row_id"], r["row_id"]), r["op"],
             _changes(r["table_name"], r["changes"]))
            for r in st.query("SELECT * FROM audit_log WHERE table_name IN ('person', "
                              "'employment_status', 'ledger_entry') ORDER BY id")]


def _merged(captured: list[tuple], fresh: set[str]) -> list[tuple]:
    """The old way's captured changes as the new way sends them: the status of a person
    written with one (``fresh``), captured as a change of its own after the status row,
    goes into the person's insert."""
    inserted: dict[str, dict] = {}
    out = []
    for table, pk, changes, actor in captured:
        if table == "person" and "id" in changes:
            inserted[pk] = changes
        elif table == "person" and pk in fresh and pk in inserted:
            assert set(changes) == {"current_status", "current_status_since"}
            inserted.pop(pk).update({k: v for k, v in changes.items()})
            continue
        out.append((table, pk, changes, actor))
    return out


def _state(st) -> dict:
    keys = _ledger_key(st)
    ledger = sorted((keys[r.pop("id")], {k: v for k, v in r.items() if k not in _RANDOM})
                    for r in st.query("SELECT * FROM ledger_entry"))
    return {
        "person": st.conn.execute("SELECT * FROM person ORDER BY rowid").fetchall(),
        "employment_status": st.conn.execute(
            "SELECT * FROM employment_status ORDER BY rowid").fetchall(),
        "ledger": ledger,
        "tally": st.conn.execute("SELECT * FROM person_tally WHERE people > 0 ORDER BY "
                                 "1, 2, 3, 4, 5, 6").fetchall(),
        "name_char": st.conn.execute("SELECT * FROM name_char ORDER BY 1, 2").fetchall(),
        "audit": _audited(st),
    }


STATUSES = sorted(glossary.STATUS)
today = date.today()
since = st.one_of(st.none(), st.dates(today - timedelta(days=4000), today + timedelta(days=400))
                  .map(date.isoformat))
status = st.fixed_dictionaries({"status": st.one_of(st.none(), st.sampled_from(STATUSES)),
                                "status_since": since,
                                "employer": st.sampled_from(["", "宏达"]),
                                "monthly_income": st.one_of(st.none(), st.just(4200))})
newcomer = st.fixed_dictionaries({
    "name": st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40), min_size=2,
                    max_size=4),
    "poverty_alleviated": st.booleans(), "monitored": st.booleans(),
    "hukou_village": st.sampled_from(["东关村", "西关村"]), "status": status})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(newcomer, min_size=1, max_size=8),
       again=st.lists(st.tuples(st.integers(0, 7), status), max_size=4))
def test_new_people_with_a_status_end_as_the_update_chain_left_them(
        drawn, again, templates, tmp_path_factory, monkeypatch):
    newcomers = []
    for i, d in enumerate(drawn):
        fields = {k: v for k, v in d.items() if k != "status"}
        newcomers.append({"person": {**fields, "id_number": id_of(1970 + i, seq=100 + i)},
                          "status": {k: v for k, v in d["status"].items() if v is not None}})
    later = [{"id_number": newcomers[i % len(newcomers)]["person"]["id_number"],
              "status": {k: v for k, v in s.items() if v is not None}}
             for i, s in again if s["status"]]
    later = list({n["id_number"]: n for n in later}.values())   # one row per person a write
    results = {}
    for form in ("old", "new"):
        with monkeypatch.context() as patch:
            _same_ids(patch)
            if form == "old":   # the person written without a status, as before 0009
                patch.setattr(roster_plan, "_current", lambda status: {})
            folder = tmp_path_factory.mktemp("run") / form
            st = _open(templates, folder, form)
            try:
                _write(st, newcomers, later)
                results[form] = (_state(st), _captured(st))
            finally:
                st.close()
    (old_state, old_captured), (new_state, new_captured) = results["old"], results["new"]
    assert new_state == old_state
    fresh = {pk for table, pk, changes, _ in new_captured
             if table == "person" and "current_status" in changes and "id" in changes}
    assert new_captured == _merged(old_captured, fresh)
    with_status = sum(1 for n in newcomers if n["status"].get("status"))
    assert len(old_captured) - len(new_captured) == with_status


def test_an_imported_poor_person_out_of_work_enters_the_ledger_from_the_status_date(station):
    write_plans(station, [Plan(None, person=people.clean_fields(
        {"name": "王五", "id_number": id_of(1975), "poverty_alleviated": True}),
        status_insert={"status": "unemployed", "since_date": "2026-02-01", "employer": "",
                       "work_place": "", "monthly_income": None})])
    station.conn.commit()
    person = station.query("SELECT * FROM person")[0]
    status = station.query("SELECT * FROM employment_status")[0]
    entry = station.query("SELECT * FROM ledger_entry")[0]
    assert (person["current_status"], person["current_status_since"]) == (
        "unemployed", "2026-02-01")
    assert (entry["person_id"], entry["entered_on"], entry["entry_status"],
            entry["entry_status_id"]) == (person["id"], "2026-02-01", "unemployed", status["id"])
    captured = [r["tbl"] for r in station.query(
        "SELECT tbl FROM sync_outbox WHERE tbl IN ('person', 'employment_status', "
        "'ledger_entry') ORDER BY seq")]
    assert captured == ["person", "employment_status", "ledger_entry"]
