"""Two places change one record: clean merges, conflicts in plain words, settling, merging
people registered twice, and corrections that follow everywhere."""

from contextlib import closing

import pytest

from db import people
from db.errors import ValidationError
from sync import conflicts
from sync.county.store import open_county

from .helpers import add_person, county_rows, hand_over, id_number, person, usb_round

FIELDS = ("name", "id_number", "phone", "residence", "hukou_address", "deleted_at")


def _shared(tmp_path, county_dir, stations):
    """Person P registered at A, handed to B too; both in sync."""
    a, b = stations(1, "孔村站"), stations(2, "洪范站")
    pk = add_person(a, 1, "钱九", phone="13800000000")
    usb_round(a, county_dir, tmp_path / "a")
    hand_over(county_dir, pk, b, tmp_path / "b")
    assert person(b, pk)["phone"] == "13800000000"
    return a, b, pk


def _sync_all(tmp_path, county_dir, *sts, rounds=2):
    for _ in range(rounds):
        for i, st in enumerate(sts):
            usb_round(st, county_dir, tmp_path / f"s{i}")


def _same_everywhere(county_dir, pk, *sts):
    held = county_rows(county_dir, "person", FIELDS)[pk]
    for st in sts:
        assert {k: person(st, pk)[k] for k in FIELDS} == held
    return held


def test_phone_here_and_address_there_merge_cleanly(tmp_path, county_dir, stations):
    a, b, pk = _shared(tmp_path, county_dir, stations)
    people.update_person(a, pk, {"phone": "13811111111"})
    people.update_person(b, pk, {"hukou_address": "洪范池镇书院村"})
    _sync_all(tmp_path, county_dir, a, b)
    held = _same_everywhere(county_dir, pk, a, b)
    assert held["phone"] == "13811111111" and held["hukou_address"] == "洪范池镇书院村"
    assert not conflicts.open_conflicts(a) and not conflicts.open_conflicts(b)


def test_two_stations_change_one_phone_one_conflict_both_values_then_converge(
        tmp_path, county_dir, stations):
    a, b, pk = _shared(tmp_path, county_dir, stations)
    people.update_person(a, pk, {"phone": "13811111111"})
    people.update_person(b, pk, {"phone": "13922222222"})
    _sync_all(tmp_path, county_dir, a, b)
    _same_everywhere(county_dir, pk, a, b)
    for st in (a, b):
        found = conflicts.open_conflicts(st)
        assert len(found) == 1, found
        sentence = found[0]["sentence"]
        assert "13811111111" in sentence and "13922222222" in sentence
        assert "联系电话" in sentence and "钱九" in sentence
    with closing(open_county(county_dir)) as store:
        assert store.scalar("SELECT count(*) FROM sync_conflict WHERE status = 'open'") == 1

    conflicts.settle(a, conflicts.open_conflicts(a)[0]["id"], conflicts.HERE)
    assert person(a, pk)["phone"] == "13811111111"
    _sync_all(tmp_path, county_dir, a, b)
    held = _same_everywhere(county_dir, pk, a, b)
    assert held["phone"] == "13811111111"
    assert not conflicts.open_conflicts(a) and not conflicts.open_conflicts(b)
    with closing(open_county(county_dir)) as store:
        assert store.scalar("SELECT count(*) FROM sync_conflict WHERE status = 'open'") == 0


def test_manual_settlement_reaches_everyone(tmp_path, county_dir, stations):
    a, b, pk = _shared(tmp_path, county_dir, stations)
    people.update_person(a, pk, {"phone": "13811111111"})
    people.update_person(b, pk, {"phone": "13922222222"})
    _sync_all(tmp_path, county_dir, a, b)
    conflicts.settle(b, conflicts.open_conflicts(b)[0]["id"], conflicts.MANUAL, "13733333333")
    _sync_all(tmp_path, county_dir, b, a)
    assert _same_everywhere(county_dir, pk, a, b)["phone"] == "13733333333"
    assert not conflicts.open_conflicts(a)


def test_deleted_here_edited_there_is_a_conflict(tmp_path, county_dir, stations):
    a, b, pk = _shared(tmp_path, county_dir, stations)
    people.delete_person(a, pk)
    people.update_person(b, pk, {"phone": "13922222222"})
    _sync_all(tmp_path, county_dir, a, b)
    _same_everywhere(county_dir, pk, a, b)
    for st in (a, b):
        found = conflicts.open_conflicts(st)
        assert [c["kind"] for c in found] == ["delete_edit"], found
        assert "删除" in found[0]["sentence"]
    conflict_id = conflicts.open_conflicts(a)[0]["id"]
    with pytest.raises(ValidationError, match="只能选择采用本站或采用县里"):
        conflicts.settle(a, conflict_id, conflicts.MANUAL, "保留")
    conflicts.settle(a, conflict_id, conflicts.HERE)  # this station deleted it: stays deleted
    _sync_all(tmp_path, county_dir, a, b)
    held = _same_everywhere(county_dir, pk, a, b)
    assert held["deleted_at"] is not None
    assert not conflicts.open_conflicts(a) and not conflicts.open_conflicts(b)


def test_same_new_person_at_two_stations_is_one_person(tmp_path, county_dir, stations):
    a, b = stations(1), stations(2)
    pa = add_person(a, 5, "吴十", phone="13800000005")
    pb = add_person(b, 5, "吴十", residence="东阿")
    assert pa != pb
    _sync_all(tmp_path, county_dir, a, b)
    with closing(open_county(county_dir)) as store:
        live = store.query("SELECT id FROM person WHERE id_number = ? AND deleted_at IS NULL",
                           [id_number(5)])
    assert len(live) == 1
    canonical = live[0]["id"]
    for st in (a, b):
        mine = st.query("SELECT id FROM person WHERE id_number = ? AND deleted_at IS NULL",
                        [id_number(5)])
        assert [r["id"] for r in mine] == [canonical]
    held = _same_everywhere(county_dir, canonical, a, b)
    assert held["phone"] == "13800000005" and held["residence"] == "东阿"
    assert not conflicts.open_conflicts(a) and not conflicts.open_conflicts(b)


def test_same_person_registered_twice_with_different_phones_keeps_both(tmp_path, county_dir,
                                                                       stations):
    a, b = stations(1), stations(2)
    add_person(a, 6, "冯十二", phone="13800000006")
    add_person(b, 6, "冯十二", phone="13900000006")
    _sync_all(tmp_path, county_dir, a, b)
    canonical = a.scalar("SELECT id FROM person WHERE id_number = ?", [id_number(6)])
    _same_everywhere(county_dir, canonical, a, b)
    for st in (a, b):
        found = conflicts.open_conflicts(st)
        assert [c["col"] for c in found] == ["phone"]
        assert "13800000006" in found[0]["sentence"] and "13900000006" in found[0]["sentence"]


def test_mistyped_id_corrected_after_sync_propagates_and_referrals_follow(
        tmp_path, county_dir, stations):
    from datetime import date, timedelta

    from db import employment, referrals

    a, b = stations(1), stations(2)
    wrong, right = id_number(7), id_number(8)
    pk = people.create_person(a, {"name": "郑十一", "id_number": wrong})
    employment.add_status(a, pk, "unemployed", date.today() - timedelta(days=30))
    job = _job(a)
    referral = referrals.create_referral(a, pk, job)
    usb_round(a, county_dir, tmp_path / "a")
    hand_over(county_dir, pk, b, tmp_path / "b")
    assert person(b, pk)["id_number"] == wrong
    people.update_person(a, pk, {"id_number": right})
    _sync_all(tmp_path, county_dir, a, b)
    assert _same_everywhere(county_dir, pk, a, b)["id_number"] == right
    held = county_rows(county_dir, "referral", ["id", "person_id"])
    assert held[referral["id"]]["person_id"] == pk
    assert b.scalar("SELECT person_id FROM referral WHERE id = ?", [referral["id"]]) == pk


def _job(st) -> str:
    from db import employers, jobs

    owner = employers.create_employer(st, {"name": "平阴县玫瑰食品有限公司"})
    return jobs.create_job(st, {"employer_id": owner, "work_type": "包装工",
                                "place_type": "local", "wage_min": 3200, "wage_max": 4000,
                                "work_place": "玫瑰镇工业园", "headcount": 50})
