"""Bundles that arrive twice, late or out of order change nothing the second time."""

import shutil
import urllib.request

from db import people
from sync import incoming

from .helpers import (
    add_person,
    county_import,
    county_rows,
    county_snapshot,
    export,
    hand_over,
    person,
    snapshot,
    usb_round,
)


def _post(url: str, body: bytes) -> bytes:
    request = urllib.request.Request(url + "/api/v1/sync", data=body, method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def test_same_bundle_by_usb_then_by_network_is_imported_once(tmp_path, county_dir, stations,
                                                               server):
    a = stations(1)
    add_person(a, 1, "李四", phone="13800000001")
    up = export(a, tmp_path / "a.up")
    first = county_import(county_dir, up, tmp_path / "a.back")
    assert first.applied > 0 and not first.duplicate
    before = county_snapshot(county_dir)

    answer = _post(server.url, up.read_bytes())
    (tmp_path / "again.back").write_bytes(answer)
    assert county_snapshot(county_dir)["person"] == before["person"]
    assert county_snapshot(county_dir)["county_log"] == before["county_log"]

    receipt = incoming.consume_bundle(a, tmp_path / "a.back")
    assert not receipt.duplicate
    state = snapshot(a.path)
    again = incoming.consume_bundle(a, tmp_path / "again.back")
    repeat = incoming.consume_bundle(a, tmp_path / "a.back")
    assert again.duplicate or repeat.duplicate
    assert "已经导入过" in repeat.message
    assert snapshot(a.path) == state


def test_bundle_three_before_two_waits_and_ends_as_if_in_order(tmp_path, county_dir, stations):
    a = stations(1)
    pk = add_person(a, 1, "王五")
    usb_round(a, county_dir, tmp_path / "r")
    early = tmp_path / "county-early"
    shutil.copytree(county_dir, early)            # the county before bundle 2 arrives
    people.update_person(a, pk, {"phone": "13900000002"})
    usb_round(a, county_dir, tmp_path / "r")      # bundle 2 (acknowledged)
    people.update_person(a, pk, {"phone": "13900000003", "residence": "济南"})
    bundle3 = export(a, tmp_path / "three.up")
    bundle2 = sorted((tmp_path / "r").glob("*.up"))[-1]

    parked = county_import(early, bundle3, tmp_path / "e3.back")
    assert parked.parked > 0 and parked.applied == 0
    assert county_rows(early, "person")[pk]["phone"] in (None, "")
    filled = county_import(early, bundle2, tmp_path / "e2.back")
    assert filled.parked == 0
    in_order = county_import(county_dir, bundle3, tmp_path / "o3.back")
    assert not in_order.rejected
    assert county_rows(early, "person") == county_rows(county_dir, "person")
    assert county_rows(early, "person")[pk]["phone"] == "13900000003"


def test_older_return_bundle_after_newer_changes_nothing(tmp_path, county_dir, stations):
    a, b = stations(1), stations(2)
    pk = add_person(a, 1, "赵六")
    usb_round(a, county_dir, tmp_path / "a")
    hand_over(county_dir, pk, b, tmp_path / "b")
    people.update_person(b, pk, {"phone": "13700000001"})
    usb_round(b, county_dir, tmp_path / "b")
    older = export(a, tmp_path / "a1.up")
    county_import(county_dir, older, tmp_path / "a1.back")        # carries phone …01
    people.update_person(b, pk, {"phone": "13700000002"})
    usb_round(b, county_dir, tmp_path / "b")
    newer = export(a, tmp_path / "a2.up")
    county_import(county_dir, newer, tmp_path / "a2.back")        # carries phone …02

    incoming.consume_bundle(a, tmp_path / "a2.back")
    assert person(a, pk)["phone"] == "13700000002"
    state = snapshot(a.path)
    late = incoming.consume_bundle(a, tmp_path / "a1.back")
    assert late.applied == 0
    assert snapshot(a.path) == state
    assert person(a, pk)["phone"] == "13700000002"
