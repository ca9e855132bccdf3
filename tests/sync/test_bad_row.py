"""One bad row among good ones: that row is reported, the others apply."""

import json
import time

from .helpers import add_person, county_rows, usb_round


def _append_raw_change(st, table: str, pk: str, changes: dict) -> None:
    """A change as an older or buggy program might have captured it."""
    with st.atomic() as db:
        db.execute("INSERT INTO sync_outbox (epoch, eseq, hlc, tbl, pk, ch, actor) "
                   "SELECT epoch, next_eseq, hlc + 1, ?, ?, ?, 'admin' FROM sync_state",
                   [table, pk, json.dumps(changes)])


def test_one_bad_row_is_reported_and_the_others_apply(tmp_path, county_dir, stations):
    a = stations(1)
    good1 = add_person(a, 1, "杨十九")
    _append_raw_change(a, "employment_status", "bad-status", {
        "id": [None, "bad-status"], "person_id": [None, "nobody"], "status": [None, "employed"],
        "since_date": [None, "2026-01-01"]})
    _append_raw_change(a, "person", good1, {"shoe_size": [None, 42]})
    good2 = add_person(a, 2, "朱二十")
    result, receipt = usb_round(a, county_dir, tmp_path / "a")
    assert len(result.rejected) == 2
    assert {r["table"] for r in result.rejected} == {"employment_status", "person"}
    assert all(r["reason"] for r in result.rejected)
    assert receipt.rejected == result.rejected
    from sync import history

    told = history.receipt_sentence(receipt, a)  # the clerk is told which records, and why
    assert "县里未接受 2 条" in told and "人员“杨十九”：" in told and "就业状态：" in told
    held = county_rows(county_dir, "person", ["name"])
    assert held[good1]["name"] == "杨十九" and held[good2]["name"] == "朱二十"
    assert "bad-status" not in county_rows(county_dir, "employment_status", ["status"])
    again, _ = usb_round(a, county_dir, tmp_path / "a")
    assert again.rejected == [] and again.applied == 0


def test_a_change_from_the_county_the_station_cannot_apply_is_reported(tmp_path, county_dir,
                                                                       stations):
    from contextlib import closing

    from sync import bundle, identity, incoming
    from sync.county.store import county, open_county

    a = stations(1)
    good = add_person(a, 1, "秦二一")
    usb_round(a, county_dir, tmp_path / "a")
    ident = identity.require(a)
    cursor = a.scalar("SELECT county_cursor FROM sync_state")
    records = [
        {"z": cursor + 1, "x": "change", "t": "employment_status", "k": "orphan", "h": 1,
         "s": "county:370124", "a": "县里", "c": {
             "id": [None, "orphan"], "person_id": [None, "nobody"], "status": [None, "employed"],
             "since_date": [None, "2026-01-01"]}},
        {"z": cursor + 2, "x": "change", "t": "person", "k": good, "h": int(time.time() * 1000) + 1000,
         "s": "county:370124", "a": "县里", "c": {"residence": ["", "东阿县"]}},
    ]
    header = {"kind": "return", "acked": {"epoch": 0, "eseq": 0}, "from_cseq": cursor + 1,
              "to_cseq": cursor + 2, "county_time": 0, "status": "ok"}
    with closing(open_county(county_dir)) as store:
        made = bundle.Bundle(county(store).site_id, ident.site_id, header, records)
        bundle.write_bundle(tmp_path / "odd.back", made, county(store).keys, ident.keys.public)
    receipt = incoming.consume_bundle(a, tmp_path / "odd.back")
    assert [r["table"] for r in receipt.refused_here] == ["employment_status"]
    assert receipt.refused_here[0]["reason"]
    assert a.scalar("SELECT residence FROM person WHERE id = ?", [good]) == "东阿县"
