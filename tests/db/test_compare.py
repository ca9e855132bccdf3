"""信息比对: a county list against the station, in three groups, exported to Excel."""

import openpyxl
import pytest

from db import compare, employment, people, registrations
from db.compare import compare_roster, export_comparison, same_village
from db.errors import ValidationError
from tests.conftest import id_of
from tests.roster_samples import write_csv, write_xls, write_xlsx

ZHANG, LI, WANG, ZHAO, SUN = (id_of(1970 + i, seq=10 + i) for i in range(5))
OUTSIDER = id_of(1991, seq=77)


@pytest.fixture
def town(station):
    """张三 unemployed, 李四 working with an open 失业登记, 王五 monitored and working,
    赵六 willing, 孙七 working and nothing else."""
    ids = {}
    for name, number, status, extra in (
            ("张三", ZHANG, "unemployed", {"phone": "13800000001", "hukou_village": "东关村"}),
            ("李四", LI, "local", {"hukou_village": "西关村"}),
            ("王五", WANG, "out_province", {"monitored": True, "hukou_village": "东关村"}),
            ("赵六", ZHAO, "willing", {}),
            ("孙七", SUN, "local", {})):
        ids[name] = people.create_person(station, {"name": name, "id_number": number, **extra})
        employment.add_status(station, ids[name], status, "2025-01-01")
    registrations.register(station, ids["李四"], "unemployment", "hukou", "2025-02-01")
    return ids


def county_list(tmp_path, rows, name="county.xlsx"):
    header = ["序号", "姓名", "身份证号码", "联系电话", "村", "就业状态"]
    return write_xlsx(tmp_path / name, [["县失业登记人员名单"], header, *rows],
                      merges=("A1:F1",))


def test_unemployment_list_sorts_people_into_three_groups(station, town, tmp_path):
    path = county_list(tmp_path, [
        [1, "张三", ZHANG, "13800000009", "东关", "失业"],       # phone differs
        [2, "某某", OUTSIDER, None, "东关村", "失业"],           # not in the station
        [3, "王五", WANG, None, "孔村镇东关村", "外出务工"],     # agrees
    ])
    result = compare_roster(station, path, "失业登记")
    assert (result.rows, result.matched) == (3, 2)
    assert [e.id_number for e in result.only_in_list] == [OUTSIDER]
    # 李四 (open 失业登记) and 赵六 (willing) should be on it; 孙七 is not relevant
    assert {p["name"] for p in result.only_in_station} == {"李四", "赵六"}
    assert [(d.name, d.field, d.list_value, d.station_value) for d in result.differing] == [
        ("张三", "phone", "13800000009", "13800000001")]


def test_cancelled_registration_no_longer_counts(station, town, tmp_path):
    reg = registrations.list_registrations(station, town["李四"])[0]
    registrations.cancel_registration(station, reg["id"], "2025-06-01", "已就业")
    result = compare_roster(station, county_list(tmp_path, []), "unemployment")
    assert {p["name"] for p in result.only_in_station} == {"张三", "赵六"}


@pytest.mark.parametrize("kind, expected", [
    ("防返贫监测", {"王五"}), ("monitoring", {"王五"}),
    ("社保参保", {"张三", "李四", "王五", "赵六", "孙七"}),
    ("其他", {"张三", "李四", "王五", "赵六", "孙七"}),
])
def test_which_station_people_should_be_on_the_list_depends_on_its_kind(
        station, town, tmp_path, kind, expected):
    result = compare_roster(station, county_list(tmp_path, []), kind)
    assert {p["name"] for p in result.only_in_station} == expected


def test_status_village_name_and_phone_disagreements_are_listed(station, town, tmp_path):
    path = county_list(tmp_path, [[1, "张叁", ZHANG, "+86 138-0000-0001", "西关村", "本地就业"]])
    result = compare_roster(station, path, "其他")
    assert {d.field: (d.list_value, d.station_value) for d in result.differing} == {
        "name": ("张叁", "张三"), "status": ("本地就业", "失业"),
        "hukou_village": ("西关村", "东关村")}
    assert result.differing_people == 1


def test_a_value_the_station_lacks_counts_as_a_difference(station, town, tmp_path):
    path = county_list(tmp_path, [[1, "孙七", SUN, "13911112222", "南街村", None]])
    result = compare_roster(station, path, "其他")
    assert {d.field for d in result.differing} == {"phone", "hukou_village"}


def test_unreadable_and_repeated_ids_are_listed_not_guessed(station, town, tmp_path):
    path = county_list(tmp_path, [[1, "张三", float(ZHANG)], [2, "甲", "123"],
                                  [3, "王五", WANG], [4, "王五", WANG.lower()], ["合计"]])
    result = compare_roster(station, path, "其他")
    reasons = {r.row: r.reason for r in result.unreadable}
    assert set(reasons) == {3, 4, 6}
    assert "最后几位已经丢失" in reasons[3] and "第5行" in reasons[6]
    assert result.rows == 4


def test_csv_and_xls_lists_compare_alike(station, town, tmp_path):
    rows = [["姓名", "公民身份号码", "村"], ["张三", ZHANG, "西关村"], ["某某", OUTSIDER, "东关村"]]
    for path in (write_csv(tmp_path / "c.csv", rows, encoding="gb18030"),
                 write_xls(tmp_path / "c.xls", rows)):
        result = compare_roster(station, path, "防返贫监测")
        assert [e.name for e in result.only_in_list] == ["某某"]
        assert [d.field for d in result.differing] == ["hukou_village"]
        assert [p["name"] for p in result.only_in_station] == ["王五"]


def test_unknown_kind_and_list_without_id_column_are_refused(station, tmp_path):
    with pytest.raises(ValidationError, match="比对名单的类型"):
        compare_roster(station, county_list(tmp_path, []), "花名册")
    path = write_csv(tmp_path / "c.csv", [["姓名", "电话"], ["张三", "13800000000"]])
    with pytest.raises(ValidationError):
        compare_roster(station, path, "其他")


def test_export_writes_every_group_with_numbers_masked(station, town, tmp_path):
    path = county_list(tmp_path, [[1, "张三", ZHANG, "13800000009"], [2, "某某", OUTSIDER]])
    result = compare_roster(station, path, "失业登记")
    out = tmp_path / "比对结果.xlsx"
    written = export_comparison(result, out)
    sheet = openpyxl.load_workbook(out).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "信息比对结果（失业登记）"
    assert values[2][:4] == ["比对结果", "名单行号", "姓名", "公民身份号码"]
    body = values[3:]
    assert len(body) == written == 1 + 2 + 1
    assert {row[0] for row in body} == {"名单有、本站无", "本站有、名单无", "信息不一致"}
    text = " ".join(str(v) for row in body for v in row if v)
    assert OUTSIDER not in text and OUTSIDER[:4] + "**********" + OUTSIDER[-4:] in text
    assert "13800000009" not in text and "138****0009" in text
    full = export_comparison(result, tmp_path / "full.xlsx", full_numbers=True)
    assert full == written


@pytest.mark.parametrize("a, b, same", [
    ("东关村", "东关", True), ("孔村镇东关村", "东关村", True), ("东关村", "西关村", False),
    ("东关社区", "东关", True), ("关", "东关", False),
])
def test_village_names_written_differently_still_match(a, b, same):
    assert same_village(a, b) is same


def test_kind_names_and_codes_are_both_understood():
    assert compare.normalize_kind("社保参保") == compare.normalize_kind("insurance") == "insurance"
