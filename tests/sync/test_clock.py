"""A village PC whose clock is a year off: the clerk is warned and the order of edits stays
sane (a later edit is never beaten by an earlier one because of a wrong clock)."""

import sqlite3
import time
import types

from db import people
from sync import client, conflicts, incoming

from .helpers import add_person, county_rows, hand_over, person, usb_round

YEAR_MS = 365 * 24 * 3600 * 1000


def _shared(tmp_path, county_dir, stations):
    a, b = stations(1), stations(2)
    pk = add_person(a, 1, "陈十三", phone="13800000000")
    usb_round(a, county_dir, tmp_path / "a")
    hand_over(county_dir, pk, b, tmp_path / "b")
    return a, b, pk


def _set_clock(st, offset_days: float) -> None:
    """Make SQLite's 'now' on this station's connection run ``offset_days`` off, as a PC
    with a wrong clock does (every other use of julianday stays real)."""
    real = sqlite3.connect(":memory:")

    def julianday(*args):
        if args and args[0] == "now":
            return real.execute("SELECT julianday('now')").fetchone()[0] + offset_days
        return real.execute(f"SELECT julianday({', '.join('?' for _ in args)})",
                            args).fetchone()[0]

    st.conn.create_function("julianday", -1, julianday)


def _everywhere(county_dir, pk, *sts):
    held = county_rows(county_dir, "person", ["phone", "residence"])[pk]
    for st in sts:
        assert {k: person(st, pk)[k] for k in held} == held
    return held


def test_clock_a_year_ahead_is_warned_and_a_later_edit_elsewhere_still_wins(
        tmp_path, county_dir, stations):
    a, b, pk = _shared(tmp_path, county_dir, stations)
    _set_clock(a, 365)
    people.update_person(a, pk, {"phone": "13811111111"})
    assert a.scalar("SELECT max(hlc) FROM sync_outbox") > time.time() * 1000 + YEAR_MS / 2
    result, receipt = usb_round(a, county_dir, tmp_path / "a")
    assert result.clock_warning and "系统时间" in receipt.clock_warning
    _set_clock(a, 0)                      # the clerk sets the clock right

    usb_round(b, county_dir, tmp_path / "b")                 # B sees A's edit
    people.update_person(b, pk, {"phone": "13922222222"})   # and changes it later
    for _ in range(2):
        usb_round(b, county_dir, tmp_path / "b")
        usb_round(a, county_dir, tmp_path / "a")
    assert _everywhere(county_dir, pk, a, b)["phone"] == "13922222222"
    assert not conflicts.open_conflicts(a)


def test_clock_a_year_behind_never_stamps_below_the_county_time_seen(tmp_path, county_dir,
                                                                      stations):
    a, b, pk = _shared(tmp_path, county_dir, stations)
    people.update_person(a, pk, {"phone": "13811111111"})
    usb_round(a, county_dir, tmp_path / "a")
    usb_round(b, county_dir, tmp_path / "b")          # B has seen the county's time
    _set_clock(b, -365)
    people.update_person(b, pk, {"phone": "13922222222", "residence": "济南"})
    assert b.scalar("SELECT max(hlc) FROM sync_outbox") >= b.scalar(
        "SELECT county_hlc FROM sync_state")
    for _ in range(2):
        usb_round(b, county_dir, tmp_path / "b")
        usb_round(a, county_dir, tmp_path / "a")
    held = _everywhere(county_dir, pk, a, b)
    assert held == {"phone": "13922222222", "residence": "济南"}


def test_network_sync_warns_when_the_pc_clock_is_off(tmp_path, county_dir, stations, server,
                                                     monkeypatch):
    a = stations(1)
    add_person(a, 2, "褚十四")
    receipt = client.sync_now(a, server.url)
    assert receipt.clock_warning == ""
    ahead = types.SimpleNamespace(time=lambda: time.time() + YEAR_MS / 1000)
    monkeypatch.setattr(incoming, "time", ahead)
    add_person(a, 3, "卫十五")
    receipt = client.sync_now(a, server.url)
    assert "系统时间不正确" in receipt.clock_warning
