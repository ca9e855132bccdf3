"""劳务输出 batches: numbered, members, departure moves everyone's status; the roster."""

from datetime import date, timedelta

import pytest

from db import documents, employers, employment, labour_export, people
from db.errors import DuplicateError, ValidationError
from tests.conftest import id_of
from tests.printing.pdfcheck import font_is_embedded, page_fonts, page_texts
from ui import documents as printed

TODAY = date.today()


@pytest.fixture
def batch(station):
    """A batch of three people to 苏州精工机械 (省外), leaving yesterday."""
    owner = employers.create_employer(station, {"name": "苏州精工机械有限公司"})
    made = labour_export.create_batch(station, {
        "employer_id": owner, "destination": "江苏省苏州市", "place_type": "省外",
        "depart_date": TODAY - timedelta(days=1), "transport": "包车", "leader": "孙志强",
        "leader_phone": "13805318888"})
    ids = [people.create_person(station, {"name": name, "id_number": id_of(1990 + i),
                                          "phone": "13912345678"})
           for i, name in enumerate(["赵一", "钱二", "孙三"])]
    labour_export.add_members(station, made["id"], ids, work_type="普工")
    return station, made, ids


def test_batch_is_numbered_per_station_and_year(batch):
    station, made, _ids = batch
    year = (TODAY - timedelta(days=1)).year
    assert made["number"] == f"370124101-SC-{year}-001"
    row = labour_export.get_by_number(station, made["number"])
    assert (row["member_count"], row["place_label"]) == (3, "省外")
    assert row["destination_text"] == "苏州精工机械有限公司，江苏省苏州市"


def test_batch_needs_a_destination_and_a_date(station):
    with pytest.raises(ValidationError) as err:
        labour_export.create_batch(station, {"place_type": "省外", "depart_date": TODAY})
    assert err.value.field == "destination"
    with pytest.raises(ValidationError) as err:
        labour_export.create_batch(station, {"destination": "苏州", "place_type": "省外"})
    assert err.value.field == "depart_date"
    assert station.scalar("SELECT count(*) FROM export_batch") == 0


def test_a_person_is_on_a_batch_once_and_adding_is_all_or_nothing(batch):
    station, made, ids = batch
    newcomer = people.create_person(station, {"name": "李四", "id_number": id_of(1988)})
    with pytest.raises(DuplicateError):
        labour_export.add_members(station, made["id"], [newcomer, ids[0]])
    assert len(labour_export.members(station, made["id"])) == 3
    labour_export.remove_member(station, made["id"], ids[2])
    assert [m["name"] for m in labour_export.members(station, made["id"])] == ["赵一", "钱二"]


def test_departure_moves_every_member_to_the_destination_status(batch):
    station, made, ids = batch
    assert labour_export.mark_departed(station, made["id"]) == 3
    for pid in ids:
        current = employment.status_history(station, pid)[0]
        assert (current["status"], current["employer"], current["work_place"]) == (
            "out_province", "苏州精工机械有限公司", "江苏省苏州市")
        assert made["number"] in current["remarks"]
    with pytest.raises(ValidationError, match="已出发"):
        labour_export.add_members(station, made["id"], [ids[0]])


def test_an_empty_batch_cannot_depart(station):
    made = labour_export.create_batch(station, {"destination": "天津市", "place_type": "省外",
                                                "depart_date": TODAY})
    with pytest.raises(ValidationError):
        labour_export.mark_departed(station, made["id"])


def test_roster_masks_numbers_unless_allowed(batch):
    station, made, _ids = batch
    masked = documents.export_roster(station, made["id"])
    full = documents.export_roster(station, made["id"], full_numbers=True)
    assert masked["rows"][0]["id_number"].startswith("3701****")
    assert full["rows"][0]["id_number"] == id_of(1990)
    assert ("交通方式", "包车") in masked["particulars"]


def test_printed_roster_lists_the_batch(batch):
    station, made, _ids = batch
    pdf = printed.export_roster_pdf(station, made["id"])  # 站长 sees full numbers
    text = "".join(page_texts(pdf))
    for word in ("劳务输出人员花名册", made["number"], "江苏省苏州市", "包车", "孙志强",
                 "赵一", "钱二", "孙三", id_of(1990), "共 3 人", "带队人", "（盖章）"):
        assert word in text, word
    assert all(font_is_embedded(f) for f in page_fonts(pdf))
