"""Three stations edit people offline and sync in random order, by network and by USB stick,
with bundles duplicated, late and lost. After a few clean rounds every station's records
match the county's field by field, and every edit either won or sits in the conflict list."""

import json
import random
from contextlib import closing
from dataclasses import dataclass, field

import pytest

from db import people
from db.errors import DuplicateError, NotFoundError
from sync import client, identity, incoming
from sync.county import publish
from sync.county.store import open_county
from sync.errors import SyncError

from .helpers import add_person, county_import, export, station_code

STEPS = 90


@dataclass
class Edit:
    station: int
    pk: str
    column: str
    value: object


@dataclass
class World:
    stations: list
    county_dir: object
    url: str
    rng: random.Random
    folder: object
    stick: dict = field(default_factory=dict)      # station → station bundles on the stick
    returns: dict = field(default_factory=dict)    # station → county answers on the stick
    edits: list = field(default_factory=list)
    superseded: set = field(default_factory=set)   # values some later edit saw and replaced
    counter: int = 0

    def fresh(self) -> int:
        self.counter += 1
        return self.counter


def _live_people(st) -> list[str]:
    return [r[0] for r in st.conn.execute("SELECT id FROM person WHERE deleted_at IS NULL")]


def _edit(world: World, i: int) -> None:
    st, rng = world.stations[i], world.rng
    live = _live_people(st)
    action = rng.choice(["create", "create_same", "phone", "phone", "address", "remarks",
                         "delete"])
    if action.startswith("create") or not live:
        n = rng.randrange(100, 105) if action == "create_same" else 200 + world.fresh()
        phone = f"139{world.fresh():08d}"
        try:
            pk = add_person(st, n, "甲乙丙", phone=phone)
        except DuplicateError:
            return
        world.edits.append(Edit(i, pk, "phone", phone))
        return
    pk = rng.choice(live)
    current = st.query("SELECT * FROM person WHERE id = ?", [pk])[0]
    if action == "delete":
        people.delete_person(st, pk)
        world.edits.append(Edit(i, pk, "deleted_at", "deleted"))
        return
    column = {"phone": "phone", "address": "hukou_address", "remarks": "remarks"}[action]
    value = (f"138{world.fresh():08d}" if column == "phone"
             else f"{column}-{world.fresh()}")
    try:
        people.update_person(st, pk, {column: value})
    except NotFoundError:
        return
    world.superseded.add((column, current[column]))
    world.edits.append(Edit(i, pk, column, value))


def _usb_out(world: World, i: int) -> None:
    path = world.folder / f"up-{i}-{world.fresh()}.bundle"
    export(world.stations[i], path)
    if world.rng.random() < 0.15:
        return                                          # the stick is lost
    world.stick.setdefault(i, []).append(path)


def _county_reads_stick(world: World, i: int) -> None:
    waiting = world.stick.get(i) or []
    if not waiting:
        return
    path = world.rng.choice(waiting)                    # not necessarily the oldest
    if world.rng.random() < 0.7:
        waiting.remove(path)                            # else it will be read again
    back = world.folder / f"back-{i}-{world.fresh()}.bundle"
    county_import(world.county_dir, path, back)
    if world.rng.random() < 0.85:
        world.returns.setdefault(i, []).append(back)


def _station_reads_stick(world: World, i: int) -> None:
    waiting = world.returns.get(i) or []
    if not waiting:
        return
    path = world.rng.choice(waiting)
    if world.rng.random() < 0.7:
        waiting.remove(path)
    try:
        incoming.consume_bundle(world.stations[i], path)
    except SyncError as exc:                            # an earlier answer is missing
        assert "较早" in str(exc) or "请再同步一次" in str(exc), exc


def _network(world: World, i: int) -> None:
    try:
        client.sync_now(world.stations[i], world.url)
    except SyncError as exc:
        assert "较早" in str(exc), exc


def _step(world: World) -> None:
    i = world.rng.randrange(len(world.stations))
    what = world.rng.choices(
        [_edit, _usb_out, _county_reads_stick, _station_reads_stick, _network],
        weights=[8, 2, 2, 2, 1])[0]
    what(world, i)


def _explain(world, i, pk, row, held):
    """What each side holds of a record that differs (printed when the check fails)."""
    print("DIVERGED station", i, {k: (row[k], held[k]) for k in row if row[k] != held[k]})
    with closing(open_county(world.county_dir)) as store:
        sites = {r[0]: r[1] for r in store.conn.execute("SELECT site_id, station_code FROM county_station")}
        for r in store.query("SELECT cseq, kind, site, hlc, ch, target FROM county_log WHERE pk = ?", [pk]):
            ch = {k: v for k, v in json.loads(r["ch"]).items() if k in ("remarks", "deleted_at", "phone", "status", "col", "value_a", "value_b")} if r["ch"].startswith("{") else r["ch"]
            print("  log", r["cseq"], r["kind"], sites.get(r["site"], r["site"]), r["hlc"], r["target"] and sites.get(r["target"]), ch)
        print("  county row", store.query("SELECT clocks FROM sync_row WHERE pk = ?", [pk]))
    for j, st in enumerate(world.stations):
        print("  station", j, sites.get(identity.require(st).site_id), "cursor", st.scalar("SELECT county_cursor FROM sync_state"))
        for r in st.query("SELECT eseq, hlc, ch FROM sync_outbox WHERE pk = ?", [pk]):
            ch = {k: v for k, v in json.loads(r["ch"]).items() if k in ("remarks", "deleted_at", "phone")}
            print("    outbox", r["eseq"], r["hlc"], ch)
        print("    row", st.query("SELECT clocks FROM sync_row WHERE pk = ?", [pk]))


def _check_converged(world: World) -> None:
    with closing(open_county(world.county_dir)) as store:
        county_people = {r["id"]: r for r in store.query("SELECT * FROM person")}
        aliases = {r[0]: r[1] for r in store.conn.execute(
            "SELECT pk, canonical FROM county_alias WHERE tbl = 'person'")}
        conflicts = store.query("SELECT * FROM sync_conflict")
        interest = {(r[0], r[1]) for r in store.conn.execute(
            "SELECT pk, site FROM county_interest WHERE tbl = 'person'")}
    for i, st in enumerate(world.stations):
        site = identity.require(st).site_id
        mine = {r["id"]: r for r in st.query("SELECT * FROM person")}
        for pk, row in mine.items():
            if pk in county_people:
                if row != county_people[pk]:
                    _explain(world, i, pk, row, county_people[pk])
                assert row == county_people[pk], (i, pk)
            else:
                assert pk in aliases and row["deleted_at"], (i, pk, "unknown to the county")
        held = {pk for pk, s in interest if s == site}
        assert held <= set(mine), (i, held - set(mine))
        theirs = {r["id"]: r["status"] for r in st.query("SELECT id, status FROM sync_conflict")}
        for row in conflicts:
            if row["pk"] in held:
                assert theirs.get(row["id"]) == row["status"], (i, theirs.get(row["id"]), row)
    mentioned = {(c["pk"], c["col"], v) for c in conflicts for v in (c["value_a"], c["value_b"])}
    deleted_in_conflict = {c["pk"] for c in conflicts if c["kind"] == "delete_edit"}
    lost = []
    for edit in world.edits:
        pk = aliases.get(edit.pk, edit.pk)
        final = county_people[pk]
        if edit.column == "deleted_at":
            if final["deleted_at"] or pk in deleted_in_conflict:
                continue
        elif (final[edit.column] == edit.value or (pk, edit.column, edit.value) in mentioned
              or (edit.column, edit.value) in world.superseded):
            continue
        lost.append(edit)
    if lost:
        with closing(open_county(world.county_dir)) as store:
            for edit in lost:
                pk = aliases.get(edit.pk, edit.pk)
                print("LOST", edit, "alias" if pk != edit.pk else "")
                print("  final", {k: county_people[pk][k] for k in ("phone", "remarks", "deleted_at")})
                for r in store.query("SELECT cseq, kind, site, epoch, eseq, hlc, ch FROM county_log WHERE pk IN (?, ?)", [pk, edit.pk]):
                    print("  log", r)
                for r in store.query("SELECT * FROM county_rejected WHERE pk IN (?, ?)", [pk, edit.pk]):
                    print("  rejected", r)
                for c in conflicts:
                    if c["pk"] == pk:
                        print("  conflict", c["col"], c["value_a"], c["value_b"], c["kind"], c["status"])
                st = world.stations[edit.station]
                for r in st.query("SELECT epoch, eseq, hlc, ch FROM sync_outbox WHERE pk IN (?, ?)", [pk, edit.pk]):
                    print("  outbox", r)
                print("  state", st.query("SELECT * FROM sync_state"))
    assert not lost, lost
    return {"edits": len(world.edits), "conflicts": len(conflicts), "merged": len(aliases),
            "people": len(county_people)}


@pytest.mark.parametrize("seed", [1, 7])
def test_three_stations_offline_in_random_order_converge(tmp_path, county_dir, stations,
                                                          server, seed):
    sts = [stations(n) for n in (1, 2, 3)]
    world = World(sts, county_dir, server.url, random.Random(seed), tmp_path)
    for i, st in enumerate(sts):
        for n in range(3):
            pk = add_person(st, 10 * i + n, "丁戊己", phone=f"137{i}{n:07d}")
            world.edits.append(Edit(i, pk, "phone", st.scalar(
                "SELECT phone FROM person WHERE id = ?", [pk])))
        client.sync_now(st, server.url)
    with closing(open_county(county_dir)) as store:   # everybody holds everybody's people
        for st in sts:
            for other in sts:
                for number in ([] if other is st else other.query(
                        "SELECT id_number FROM person WHERE deleted_at IS NULL")):
                    publish.move_person(store, number["id_number"], station_code(st))
    for st in sts:
        client.sync_now(st, server.url)
    for _ in range(STEPS):
        _step(world)
    for _ in range(3):               # clean rounds
        for st in sts:
            client.sync_now(st, server.url)
    stats = _check_converged(world)
    assert stats["conflicts"] and stats["merged"], f"too tame a run to prove much: {stats}"
