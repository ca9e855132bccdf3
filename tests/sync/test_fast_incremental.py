"""What makes a small network sync fast must not change what it does: loaded keys are
reused only while the stored keys stay the same, a kept-alive connection to the county is
replaced when the server went away, and a refused change still leaves nothing behind."""

from contextlib import closing

import pytest

from db import audit
from sync import client, identity
from sync.apply import Applier, Change, silenced
from sync.county.store import county, open_county
from sync.errors import SyncError
from sync.keys import KeyPair
from sync.outgoing import pending

from . import helpers
from .helpers import Server, add_person, id_number


@pytest.fixture(autouse=True)
def no_kept_connections():
    client.close_connections()
    yield
    client.close_connections()


def _kept(server) -> list:
    return [conn for key, conn in client._idle.items() if key[2] == server.port]


def _restart(server, tmp_path, county_dir, monkeypatch) -> Server:
    """The county server stopped and started again on the same port."""
    server.stop()
    monkeypatch.setattr(helpers, "free_port", lambda: server.port)
    return Server(county_dir, tmp_path / "server-again.log")


# ---------------------------------------------------------------- keys

def test_loaded_keys_are_reused_while_the_stored_keys_stay_the_same(stations):
    a = stations(1)
    first = identity.require(a).keys
    assert identity.require(a).keys is first


def test_keys_stored_anew_are_loaded_anew(stations):
    a = stations(1)
    before = identity.require(a).keys
    fresh = KeyPair.generate()
    with a.atomic() as db:
        db.execute("UPDATE sync_identity SET sign_key = ?, kex_key = ?", fresh.private_bytes())
    after = identity.require(a).keys
    assert after is not before
    assert after.public == fresh.public != before.public


def test_the_county_key_cache_follows_its_stored_key(county_dir):
    fresh = KeyPair.generate()
    with closing(open_county(county_dir)) as store:
        before = county(store).keys
        assert county(store).keys is before
        with store.atomic() as db:
            db.execute("UPDATE county_identity SET sign_key = ?, kex_key = ?",
                       fresh.private_bytes())
        assert county(store).keys.public == fresh.public != before.public


# ---------------------------------------------------------------- kept-alive connection

def test_network_syncs_reuse_one_connection(stations, server):
    a = stations(1)
    add_person(a, 1, "周一")
    client.sync_now(a, server.url)
    [conn] = _kept(server)
    where = conn.sock.getsockname()
    add_person(a, 2, "吴二")
    receipt = client.sync_now(a, server.url)
    assert receipt.sent == 1 and pending(a) == 0
    [again] = _kept(server)
    assert again.sock.getsockname() == where


def test_sync_after_the_county_server_restarted_connects_anew(tmp_path, county_dir, stations,
                                                              server, monkeypatch):
    a = stations(1)
    add_person(a, 1, "郑三")
    client.sync_now(a, server.url)
    again = _restart(server, tmp_path, county_dir, monkeypatch)
    _one_more_person_syncs(a, again, "王四")


def test_a_kept_connection_closed_unnoticed_is_replaced_once(tmp_path, county_dir, stations,
                                                             server, monkeypatch):
    """The check for a closed connection can miss (the server's close is still on its way):
    the request then fails on the old connection and is sent once more on a new one."""
    a = stations(1)
    add_person(a, 1, "冯五")
    client.sync_now(a, server.url)
    again = _restart(server, tmp_path, county_dir, monkeypatch)
    monkeypatch.setattr(client, "_dropped", lambda conn: False)
    _one_more_person_syncs(a, again, "陈六")


def test_sync_with_the_county_server_gone_says_unreachable_and_keeps_the_changes(stations,
                                                                                  server):
    a = stations(1)
    add_person(a, 1, "褚七")
    client.sync_now(a, server.url)
    server.stop()
    add_person(a, 2, "卫八")
    with pytest.raises(SyncError, match="连不上县里服务器"):
        client.sync_now(a, server.url)
    assert pending(a) == 1


def test_county_refusal_over_a_kept_connection_is_told_in_chinese(stations, server):
    a = stations(1)
    client.sync_now(a, server.url)
    with pytest.raises(SyncError, match="没有收到数据包"):
        client._post(server.url, "/api/v1/sync", b"", "application/octet-stream")
    with pytest.raises(SyncError, match="请求内容不完整"):
        client._post(server.url, "/api/v1/enroll", b"{}", "application/json")


# ---------------------------------------------------------------- applying without savepoints

def test_a_refused_change_leaves_nothing_behind_and_the_others_stay(stations):
    """A station applying changes from elsewhere: the second breaks the unique ID number; it
    is refused with nothing of it written (record, clocks, audit), the first stays."""
    a = stations(1)
    first = add_person(a, 1, "蒋九")
    second = add_person(a, 2, "沈十")
    audits = a.scalar("SELECT count(*) FROM audit_log")
    with a.atomic() as db, silenced(db.conn):
        applier = Applier(db.conn)
        kept = applier.apply(Change("person", first, 2**60, "county:370124", "县里",
                                    {"remarks": [None, "县里改的"]}))
        refused = applier.apply(Change("person", second, 2**60, "county:370124", "县里",
                                       {"remarks": [None, "不该留下"],
                                        "id_number": [id_number(2), id_number(1)]}))
    assert kept.applied and not kept.rejected
    assert refused.rejected == "身份证号与另一位在册人员重复。" and not refused.applied
    assert a.scalar("SELECT remarks FROM person WHERE id = ?", [first]) == "县里改的"
    assert a.scalar("SELECT remarks FROM person WHERE id = ?", [second]) in (None, "")
    assert a.scalar("SELECT count(*) FROM sync_row WHERE pk = ?", [second]) == 0
    assert a.scalar("SELECT count(*) FROM audit_log") == audits + 1
    assert [h["op"] for h in audit.history(a.db, "person", second)] == ["insert"]


# ---------------------------------------------------------------- the history row

def test_network_sync_commits_once_and_its_history_names_the_clerk(stations, server,
                                                                   county_dir):
    """The history row goes in with the county's answer (one durable commit a sync), and
    names the clerk even when the answer's changes were applied in the county's name."""
    import subprocess

    from .helpers import county_exe

    a = stations(1)
    a.actor = "li"
    add_person(a, 1, "韩一")
    client.sync_now(a, server.url)          # the first also stores the server's address
    subprocess.run([county_exe(), "--data-dir", str(county_dir), "set-policy", "--key",
                    "hourly_min_wage", "--value", "25", "--from", "2026-01-01"],
                   check=True, capture_output=True, timeout=60)
    add_person(a, 2, "杨二")
    rows_before = a.scalar("SELECT count(*) FROM sync_history")
    receipt, statements = _sync_tracing(a, server.url)
    assert receipt.sent == 1 and receipt.received >= 1
    assert _commits(statements) == 1
    assert a.scalar("SELECT count(*) FROM sync_history") == rows_before + 1
    last = a.query("SELECT way, ok, sent, received, actor, message FROM sync_history "
                   "ORDER BY id DESC LIMIT 1")[0]
    assert (last["way"], last["ok"], last["sent"], last["actor"]) == ("network", 1, 1, "li")
    assert last["received"] == receipt.received
    assert last["message"].startswith("发出 1 条")
    assert a.actor == "li"


def test_network_sync_with_nothing_to_apply_records_its_history_in_one_commit(stations,
                                                                             server):
    a = stations(1)
    client.sync_now(a, server.url)
    rows_before = a.scalar("SELECT count(*) FROM sync_history")
    receipt, statements = _sync_tracing(a, server.url)
    assert receipt.message == "县里没有新内容。"
    assert _commits(statements) == 1
    assert a.scalar("SELECT count(*) FROM sync_history") == rows_before + 1
    last = a.query("SELECT ok, message FROM sync_history ORDER BY id DESC LIMIT 1")[0]
    assert (last["ok"], last["message"]) == (1, "县里没有新内容。")


def _sync_tracing(station, url):
    """One network sync, with every SQL statement the station ran during it."""
    statements = []
    station.conn.set_trace_callback(statements.append)
    try:
        return client.sync_now(station, url), statements
    finally:
        station.conn.set_trace_callback(None)


def _commits(statements: list[str]) -> int:
    return sum(1 for s in statements if s.strip().upper() == "COMMIT")


def _one_more_person_syncs(station, again, name: str) -> None:
    """After a restart (``again``): a new person goes up in one sync; the server stops."""
    try:
        add_person(station, 2, name)
        receipt = client.sync_now(station, again.url)
        assert receipt.sent == 1 and pending(station) == 0
    finally:
        again.stop()
