import pytest

from db import audit, employment, people
from db.errors import DuplicateError, NotFoundError, ValidationError
from tests.conftest import id_of


def test_register_person_derives_birth_date_sex_and_search_keys(station):
    pid = people.create_person(station, {"name": "张三", "id_number": id_of(1968, seq=13),
                                         "phone": "+86 138-1234-5678"})
    p = people.get_person(station, pid)
    assert p["birth_date"] == "1968-05-03"
    assert p["sex"] == "M"  # 17th digit odd
    assert p["phone"] == "13812345678"
    assert p["search_initials"] == "zs"
    assert p["age"] >= 57


def test_id_typed_with_fullwidth_digits_and_lowercase_x_is_normalized(station):
    number = id_of(1975, seq=20)
    typed = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c.lower() for c in number)
    pid = people.create_person(station, {"name": "李四", "id_number": " " + typed})
    assert people.get_person(station, pid)["id_number"] == number


def test_same_id_twice_opens_the_existing_person(station):
    number = id_of(1970)
    pid = people.create_person(station, {"name": "王五", "id_number": number})
    with pytest.raises(DuplicateError) as err:
        people.create_person(station, {"name": "王五五", "id_number": number.lower()})
    assert err.value.existing_id == pid
    assert people.count_people(station) == 1


@pytest.mark.parametrize("fields, field", [
    ({"name": "", "id_number": id_of(1980)}, "name"),
    ({"name": "赵六", "id_number": ""}, "id_number"),
    ({"name": "赵六", "id_number": "370124198005031234"}, "id_number"),
    ({"name": "赵六", "id_number": id_of(1980), "phone": "12345"}, "phone"),
    ({"name": "赵六2", "id_number": id_of(1980)}, "name"),
])
def test_bad_input_is_refused_and_nothing_is_written(station, fields, field):
    with pytest.raises(ValidationError) as err:
        people.create_person(station, fields)
    assert err.value.field == field
    assert people.count_people(station) == 0
    assert station.scalar("SELECT count(*) FROM audit_log WHERE table_name='person'") == 0


def test_update_reports_only_what_changed_and_audits_old_to_new(station):
    pid = people.create_person(station, {"name": "孙七", "id_number": id_of(1985)})
    assert people.update_person(station, pid, {"name": "孙七"}) == {}
    changed = people.update_person(station, pid, {"phone": "13900001111"})
    assert changed["phone"] == "13900001111"
    last = audit.history(station.db, "person", pid)[-1]
    assert last["actor"] == "admin"
    assert last["changes"] == {"phone": ["", "13900001111"]}


def test_deleted_person_is_hidden_and_the_id_can_be_registered_again(station):
    number = id_of(1990)
    pid = people.create_person(station, {"name": "周八", "id_number": number})
    people.delete_person(station, pid)
    with pytest.raises(NotFoundError):
        people.get_person(station, pid)
    assert people.find_by_id_number(station, number) is None
    again = people.create_person(station, {"name": "周八", "id_number": number})
    assert again != pid


def test_current_status_is_the_newest_status(station):
    pid = people.create_person(station, {"name": "吴九", "id_number": id_of(1972)})
    employment.add_status(station, pid, "unemployed", "2025-01-10")
    employment.add_status(station, pid, "out_province", "2025-06-01", employer="苏州精工")
    employment.add_status(station, pid, "local", "2024-03-01")  # older, entered late
    p = people.get_person(station, pid)
    assert (p["current_status"], p["current_status_since"]) == ("out_province", "2025-06-01")
    newest = employment.status_history(station, pid)[0]
    employment.remove_status(station, newest["id"])
    assert people.get_person(station, pid)["current_status"] == "unemployed"


def test_changing_the_id_to_one_already_registered_is_refused(station):
    a = people.create_person(station, {"name": "甲", "id_number": id_of(1971)})
    people.create_person(station, {"name": "乙", "id_number": id_of(1972)})
    with pytest.raises(DuplicateError):
        people.update_person(station, a, {"id_number": id_of(1972)})
