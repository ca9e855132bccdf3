from datetime import date

import openpyxl
import pytest

from db import employment, exports, lists, people, settings
from db.lists import ListFilter
from tests.conftest import id_of

TODAY = date.today()


@pytest.fixture
def roster(station):
    def add(name, year, status, village="东关村", sex_seq=11, **flags):
        pid = people.create_person(station, {
            "name": name, "id_number": id_of(year, seq=sex_seq), "hukou_village": village,
            "phone": "13912345678", **flags})
        employment.add_status(station, pid, status, "2026-01-01", employer="玫瑰食品")
        return pid
    add("甲", 1970, "local")                                  # man, 56: older
    add("乙", 1995, "out_province", village="西关村")
    add("丙", 1990, "unemployed", poverty_alleviated=True)
    add("丁", 1984, "willing", sex_seq=12, wants_out=True)   # woman, 42: older (≥40)
    add("戊", 2000, "no_intention", wants_out=True)
    add("己", 1999, "flexible", sex_seq=14, monitored=True)
    return station


def test_each_list_takes_people_by_current_status(roster):
    assert lists.count(roster, "employed") == 3
    assert lists.count(roster, "unemployed") == 2
    assert lists.count(roster, "willing") == 2


def test_filters_by_village_group_and_age(roster):
    assert lists.count(roster, "employed", ListFilter(village="西关村")) == 1
    assert lists.count(roster, "unemployed", ListFilter(groups={"poverty_alleviated"})) == 1
    assert lists.count(roster, "employed", ListFilter(min_age=30, max_age=40)) == 1  # 乙, 31
    assert lists.count(roster, "employed", ListFilter(min_age=20, max_age=35)) == 2


def test_older_threshold_is_a_setting(roster):
    assert lists.count(roster, "unemployed", ListFilter(groups={"older"})) == 1  # 丁 (F, 42)
    settings.put(roster, "older_age.female", 45)
    assert lists.count(roster, "unemployed", ListFilter(groups={"older"})) == 0


def test_numbers_are_masked_unless_the_role_may_see_them(roster):
    masked = lists.rows(roster, "employed")[0]
    assert "*" in masked["id_number"] and masked["phone"] == "139****5678"
    full = lists.rows(roster, "employed", full_numbers=True)[0]
    assert "*" not in full["id_number"]


def test_exported_list_reads_back_with_id_as_text(roster, tmp_path):
    out = tmp_path / "employed.xlsx"
    assert exports.export_list(roster, "employed", out, full_numbers=True) == 3
    ws = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert "就业人员清单" in values[0][0]
    header_row = next(i for i, r in enumerate(values) if "公民身份号码" in r)
    col = values[header_row].index("公民身份号码")
    ids = [r[col] for r in values[header_row + 1:]]
    assert all(isinstance(v, str) and len(v) == 18 for v in ids)
    assert ws.freeze_panes is not None
