"""Tampered, truncated, foreign, misaddressed and outdated bundles are refused before anything
is written, with one Chinese sentence; the station's outbox is kept."""

import re
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from sync import identity, incoming, outgoing
from sync.county import service
from sync.county.store import county, open_county
from sync.errors import BundleRefused, SyncError
from sync.keys import KeyPair

from .bundles import entries, flip_byte, resign, write_entries
from .helpers import add_person, county_snapshot, export, snapshot, usb_round

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _refused_by_county(county_dir: Path, path: Path, tmp_path: Path) -> BundleRefused:
    before = county_snapshot(county_dir)
    with closing(open_county(county_dir)) as store, pytest.raises(BundleRefused) as refused:
        service.handle(store, path, tmp_path / "never.back", way="usb")
    assert county_snapshot(county_dir) == before
    assert not (tmp_path / "never.back").exists()
    assert CHINESE.search(str(refused.value))
    return refused.value


def _refused_by_station(st, path: Path) -> BundleRefused:
    before = snapshot(st.path)
    with pytest.raises(BundleRefused) as refused:
        incoming.consume_bundle(st, path)
    assert snapshot(st.path) == before
    assert CHINESE.search(str(refused.value))
    return refused.value


@pytest.fixture
def a_with_changes(stations):
    a = stations(1)
    for n in range(3):
        add_person(a, n, "孙七")
    return a


def test_bundle_of_a_presented_as_b_is_refused_before_decrypting(tmp_path, county_dir,
                                                                 stations, a_with_changes):
    a, b = a_with_changes, stations(2)
    up = export(a, tmp_path / "a.up")
    b_site = identity.require(b).site_id
    # 'from' swapped, A's signature kept; and re-signed with A's own key
    swapped = resign(up, tmp_path / "swapped.up", None, **{"from": b_site})
    resigned = resign(up, tmp_path / "resigned.up", identity.require(a).keys,
                      **{"from": b_site})
    for forged in (swapped, resigned):
        # the parts are broken too: a reader that decrypted first would say 'tampered'
        files = entries(forged)
        files["part-0001.bin"] = b"garbage"
        write_entries(forged, files)
        assert _refused_by_county(county_dir, forged, tmp_path).code == "bad_signature"
    assert outgoing.pending(a) == 3


def test_bundle_signed_by_an_unknown_key_is_refused(tmp_path, county_dir, a_with_changes):
    up = export(a_with_changes, tmp_path / "a.up")
    stranger = resign(up, tmp_path / "stranger.up", KeyPair.generate())
    assert _refused_by_county(county_dir, stranger, tmp_path).code == "bad_signature"
    unknown = resign(up, tmp_path / "unknown.up", KeyPair.generate(), **{"from": "someone"})
    assert _refused_by_county(county_dir, unknown, tmp_path).code == "unknown_station"


@pytest.mark.parametrize("damage", ["flip-manifest", "flip-part", "flip-end", "truncate-half",
                                    "truncate-tail", "empty"])
def test_damaged_bundle_is_refused_and_outbox_kept(tmp_path, county_dir, a_with_changes,
                                                   damage):
    a = a_with_changes
    up = export(a, tmp_path / "a.up")
    data = up.read_bytes()
    bad = tmp_path / "bad.up"
    if damage == "flip-manifest":
        flip_byte(up, bad, data.index(b'"format"') + 3)
    elif damage == "flip-part":
        flip_byte(up, bad, data.index(b"part-0001.bin") + 60)
    elif damage == "flip-end":
        flip_byte(up, bad, len(data) - 30)
    elif damage == "truncate-half":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "truncate-tail":
        bad.write_bytes(data[:-1])
    else:
        bad.write_bytes(b"")
    _refused_by_county(county_dir, bad, tmp_path)
    assert outgoing.pending(a) == 3
    result, _ = usb_round(a, county_dir, tmp_path / "retry")
    assert result.applied == 3 and outgoing.pending(a) == 0


def test_damaged_return_bundle_is_refused_at_the_station(tmp_path, county_dir, stations,
                                                         a_with_changes):
    a = a_with_changes
    up = export(a, tmp_path / "a.up")
    with closing(open_county(county_dir)) as store:
        service.handle(store, up, tmp_path / "a.back", way="usb")
    back = tmp_path / "a.back"
    data = back.read_bytes()
    bad = tmp_path / "bad.back"
    flip_byte(back, bad, len(data) // 2)
    _refused_by_station(a, bad)
    bad.write_bytes(data[:-40])
    _refused_by_station(a, bad)
    assert outgoing.pending(a) == 3
    incoming.consume_bundle(a, back)
    assert outgoing.pending(a) == 0


def test_return_bundle_for_another_station_is_refused(tmp_path, county_dir, stations,
                                                      a_with_changes):
    a, b = a_with_changes, stations(2)
    up = export(a, tmp_path / "a.up")
    with closing(open_county(county_dir)) as store:
        service.handle(store, up, tmp_path / "a.back", way="usb")
    refused = _refused_by_station(b, tmp_path / "a.back")
    assert refused.code in ("wrong_recipient", "tampered")
    assert "不是发给本站" in str(refused) or refused.code == "tampered"
    # and B cannot read it even with the manifest readdressed to B (it is not B's key)
    with closing(open_county(county_dir)) as store:
        county_keys = county(store).keys
    readdressed = resign(tmp_path / "a.back", tmp_path / "re.back", county_keys,
                         to=identity.require(b).site_id)
    assert _refused_by_station(b, readdressed).code == "tampered"


def test_bundle_for_another_county_is_refused(tmp_path, a_with_changes):
    from sync.county.store import init_county

    init_county(tmp_path / "other", "370125", "东阿县")
    up = export(a_with_changes, tmp_path / "a.up")
    refused = _refused_by_county(tmp_path / "other", up, tmp_path)
    assert refused.code in ("unknown_station", "wrong_recipient")


@pytest.mark.parametrize("protocol, schema, code, words", [
    (99, None, "upgrade_self", "升级本程序"),
    (0, None, "upgrade_peer", "对方升级"),
    (None, "9999_future", "upgrade_self", "升级本程序"),
    (None, "0005_ledger_rights_training", "upgrade_peer", "对方升级"),
])
def test_bundle_from_a_newer_or_older_program_is_refused(tmp_path, county_dir, a_with_changes,
                                                         protocol, schema, code, words):
    a = a_with_changes
    up = export(a, tmp_path / "a.up")
    changes = {k: v for k, v in (("protocol", protocol), ("schema", schema)) if v is not None}
    other = resign(up, tmp_path / "other.up", identity.require(a).keys, **changes)
    refused = _refused_by_county(county_dir, other, tmp_path)
    assert refused.code == code and words in str(refused)
    assert outgoing.pending(a) == 3


NEWER_STATION = """
import sys
import sync
sync.PROTOCOL = int(sys.argv[3])
from contextlib import closing
from db.station import open_station
from sync import client
from sync.errors import SyncError
with closing(open_station(sys.argv[1])) as st:
    try:
        client.sync_now(st, sys.argv[2])
    except SyncError as exc:
        print(exc)
"""


@pytest.mark.parametrize("protocol, words", [(2, "请县里升级"), (0, "请升级本站程序")])
def test_station_of_another_version_is_told_which_side_to_upgrade(tmp_path, server,
                                                                  a_with_changes, protocol,
                                                                  words):
    a = a_with_changes
    a.close()
    done = subprocess.run([sys.executable, "-c", NEWER_STATION, str(a.path.parent), server.url,
                           str(protocol)], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2])
    assert words in done.stdout, done.stderr
    from db.station import open_station

    with closing(open_station(a.path.parent)) as reopened:
        assert outgoing.pending(reopened) == 3


def test_return_bundle_from_a_newer_county_is_refused(tmp_path, county_dir, a_with_changes):
    a = a_with_changes
    usb_round(a, county_dir, tmp_path / "r")
    add_person(a, 9, "周八")
    up = export(a, tmp_path / "a2.up")
    with closing(open_county(county_dir)) as store:
        service.handle(store, up, tmp_path / "a2.back", way="usb")
        keys = county(store).keys
    newer = resign(tmp_path / "a2.back", tmp_path / "newer.back", keys, protocol=99)
    refused = _refused_by_station(a, newer)
    assert refused.code == "upgrade_self" and "升级" in str(refused)
    assert outgoing.pending(a) == 1


def test_used_enrollment_code_cannot_enroll_again(tmp_path, county_dir, stations, server):
    from db import setup
    from sync import client
    from sync.county import enrollment

    with closing(open_county(county_dir)) as store:
        issued = enrollment.issue_code(store, "370124109")
    first = setup.create_station(tmp_path / "s9", code="370124109", name="九站", county="平阴县",
                                 village_names=["东村"], admin_username="admin",
                                 admin_display_name="站长", admin_password="secret123")
    thief = setup.create_station(tmp_path / "t9", code="370124109", name="冒充", county="平阴县",
                                 village_names=["东村"], admin_username="admin",
                                 admin_display_name="站长", admin_password="secret123")
    try:
        client.enroll_network(first, server.url, issued["code"])
        with pytest.raises(SyncError) as refused:
            client.enroll_network(thief, server.url, issued["code"])
        assert "登记码" in str(refused.value)
        assert identity.identity(thief) is None
        # a bundle from the thief carrying the used code's 'proof' is refused too
        thief_ident = identity.enrollment_request(thief, issued["code"])[0]
        assert thief_ident["proof"]
        with closing(open_county(county_dir)) as store:
            assert store.scalar("SELECT count(*) FROM county_station WHERE station_code = ?",
                                ["370124109"]) == 1
    finally:
        first.close()
        thief.close()


def test_wrong_enrollment_code_is_refused(tmp_path, county_dir, server):
    from db import setup
    from sync import client
    from sync.county import enrollment

    with closing(open_county(county_dir)) as store:
        enrollment.issue_code(store, "370124108")
    st = setup.create_station(tmp_path / "s8", code="370124108", name="八站", county="平阴县",
                              village_names=["东村"], admin_username="admin",
                              admin_display_name="站长", admin_password="secret123")
    try:
        with pytest.raises(SyncError):
            client.enroll_network(st, server.url, "AAAA-BBBB-CCCC")
        assert identity.identity(st) is None
    finally:
        st.close()
