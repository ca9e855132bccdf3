import pytest

from db import people, search
from tests.conftest import id_of

NAMES = ["张三", "张三丰", "单雄信", "曾国藩", "解晓东", "区志强", "朴正浩", "乐嘉", "欧阳修", "李长江"]


@pytest.fixture
def registry(station):
    ids = {}
    for i, name in enumerate(NAMES):
        ids[name] = people.create_person(station, {
            "name": name, "id_number": id_of(1960 + i, seq=100 + i),
            "phone": f"1380000{i:04d}"})
    return ids


def _names(station, text):
    rows = search.fetch_rows(station, search.search_people(station, text))
    return [rows[r][1] for r in search.search_people(station, text)]


@pytest.mark.parametrize("typed, expected", [
    ("zs", ["张三", "张三丰"]),
    ("zsf", ["张三丰"]),
    ("sxx", ["单雄信"]),        # 单 read as the surname shan, not dan
    ("zgf", ["曾国藩"]),        # 曾 zeng, not ceng
    ("xxd", ["解晓东"]),        # 解 xie, not jie
    ("ozq", ["区志强"]),        # 区 ou, not qu
    ("pzh", ["朴正浩"]),        # 朴 piao
    ("yj", ["乐嘉"]),           # 乐 yue
    ("oyx", ["欧阳修"]),
    ("zhangsan", ["张三", "张三丰"]),
    ("ZS", ["张三", "张三丰"]),
])
def test_pinyin_initials_find_names_with_surname_readings(station, registry, typed, expected):
    assert sorted(_names(station, typed)) == sorted(expected)


def test_chinese_one_or_two_characters_find_by_prefix_and_inside_the_name(station, registry):
    assert sorted(_names(station, "张")) == ["张三", "张三丰"]
    assert _names(station, "三丰") == ["张三丰"]
    assert _names(station, "长江") == ["李长江"]


def test_id_number_last_digits_full_number_and_phone(station, registry):
    number = people.get_person(station, registry["曾国藩"])["id_number"]
    assert _names(station, number[-6:]) == ["曾国藩"]
    assert _names(station, number) == ["曾国藩"]
    assert _names(station, "13800000003") == ["曾国藩"]
    assert "曾国藩" in _names(station, "0003")


def test_deleted_people_are_not_found(station, registry):
    people.delete_person(station, registry["乐嘉"])
    assert _names(station, "yj") == []
    assert len(search.search_people(station, "")) == len(NAMES) - 1


def test_empty_search_lists_everyone(station, registry):
    assert len(search.search_people(station, "  ")) == len(NAMES)
