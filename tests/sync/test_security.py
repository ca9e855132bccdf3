"""A station never reads another station's data and never acts without its key."""

from contextlib import closing

import pytest

from db import setup
from sync import bundle, identity, outgoing
from sync.county import outgoing as county_outgoing
from sync.county.store import county, open_county
from sync.errors import BundleRefused, SyncError

from .helpers import add_person, county_import, export, usb_round


def _two_stations_with_people(tmp_path, county_dir, stations):
    a, b = stations(1), stations(2)
    mine = {add_person(a, n, "甲") for n in range(1, 4)}
    theirs = {add_person(b, n, "乙") for n in range(10, 13)}
    for _ in range(2):
        usb_round(a, county_dir, tmp_path / "a")
        usb_round(b, county_dir, tmp_path / "b")
    return a, b, mine, theirs


def _open_as(st, path):
    ident = identity.require(st)
    return bundle.read_bundle(path, lambda m: ident.county, ident.keys, ident.site_id)


def test_return_bundle_for_a_never_carries_b_records(tmp_path, county_dir, stations):
    a, b, mine, theirs = _two_stations_with_people(tmp_path, county_dir, stations)
    add_person(b, 20, "乙")
    export_b = export(b, tmp_path / "b-last.up")
    county_import(county_dir, export_b, tmp_path / "b-last.back")
    a_site = identity.require(a).site_id
    with closing(open_county(county_dir)) as store:
        made = county_outgoing.return_bundle(store, a_site, 0, 1)
        b_keys = {r["k"] for r in store.query("SELECT pk AS k FROM county_interest i WHERE "
                                               "site <> ? AND site <> '*' AND NOT EXISTS (SELECT 1 "
                                               "FROM county_interest j WHERE j.tbl = i.tbl AND "
                                               "j.pk = i.pk AND j.site = ?)", [a_site, a_site])}
    assert theirs <= b_keys
    carried = {r["k"] for r in made.records}
    assert not carried & b_keys
    # and what A's station holds is only its own people
    assert {r["id"] for r in a.query("SELECT id FROM person")} == mine


def test_a_cannot_open_a_bundle_meant_for_b(tmp_path, county_dir, stations):
    a, b, _mine, _theirs = _two_stations_with_people(tmp_path, county_dir, stations)
    b_back = sorted((tmp_path / "b").glob("*.back"))[-1]
    a_ident, b_site = identity.require(a), identity.require(b).site_id
    with pytest.raises(BundleRefused) as refused:
        # even telling the reader it is B, A's key does not unwrap B's content key
        bundle.read_bundle(b_back, lambda m: a_ident.county, a_ident.keys, b_site)
    assert refused.value.code == "tampered"
    assert _open_as(b, b_back).recipient == b_site


def test_revoked_station_is_refused(tmp_path, county_dir, stations):
    a = stations(1)
    add_person(a, 1, "丙")
    up = export(a, tmp_path / "a.up")
    with closing(open_county(county_dir)) as store, store.atomic() as db:
        db.execute("UPDATE county_station SET revoked_at = '2026-01-01'")
    with pytest.raises(BundleRefused) as refused:
        county_import(county_dir, up, tmp_path / "a.back")
    assert refused.value.code == "unknown_station"
    assert outgoing.pending(a) == 1


def test_station_bundle_cannot_enroll_a_second_station_code_with_a_used_code(
        tmp_path, county_dir, stations):
    a = stations(1)
    ident = identity.require(a)
    # a new PC claiming to be station 101 reuses the proof from A's enrollment
    thief = setup.create_station(tmp_path / "thief", code=ident.station_code, name="冒充",
                                 county="平阴县", village_names=["东村"], admin_username="admin",
                                 admin_display_name="x", admin_password="secret123")
    try:
        with closing(open_county(county_dir)) as store:
            answer = {"format": "jobstation-enrollment", "station_code": ident.station_code,
                      "county_code": county(store).code, "county_name": "平阴县",
                      "sign_pub": ident.county.sign.hex(), "kex_pub": ident.county.kex.hex(),
                      "proof": "0" * 64}
        req, keys = identity.enrollment_request(thief, "XXXX-XXXX-XXXX")
        with pytest.raises(SyncError):
            identity.accept_county(thief, req, keys, answer, "XXXX-XXXX-XXXX")
        # pretend it got in locally anyway: the county does not know its key
        with thief.atomic() as db:
            private = keys.private_bytes()
            db["sync_identity"].insert({
                "id": 1, "county_code": answer["county_code"], "county_name": "平阴县",
                "county_sign_pub": ident.county.sign, "county_kex_pub": ident.county.kex,
                "sign_key": private[0], "kex_key": private[1], "enroll_proof": ident.enroll_proof,
                "enrolled_at": "2026-01-01"})
            db.execute("UPDATE sync_state SET site_id = ?", [ident.site_id])
        add_person(thief, 50, "冒")
        up = outgoing.produce_bundle(thief, tmp_path / "thief.up").path
        with pytest.raises(BundleRefused) as refused:
            county_import(county_dir, up, tmp_path / "thief.back")
        assert refused.value.code == "bad_signature"
    finally:
        thief.close()
