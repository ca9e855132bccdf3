"""培训: records meet needs, the county's need list, 劳务品牌 tags."""

from datetime import date, timedelta

import openpyxl
import pytest

from db import people, service_log, settings, training
from db.errors import DuplicateError, ValidationError
from tests.conftest import id_of

TODAY = date.today()


@pytest.fixture
def worker(station):
    return people.create_person(station, {"name": "孙丽", "id_number": id_of(1988, seq=22),
                                          "hukou_village": "西关村"})


def test_a_training_record_meets_open_needs_of_its_kind_and_is_logged(station, worker):
    skill = training.add_need(station, worker, "skill", "育婴员")
    safety = training.add_need(station, worker, "safety")
    record = training.record_training(station, worker, {
        "kind": "skill", "course": "育婴员（五级）", "provider": "平阴县职业教育中心",
        "start_date": TODAY - timedelta(days=20)})
    needs = {n["id"]: n for n in training.needs_of(station, worker)}
    assert needs[skill]["record_id"] == record and needs[skill]["met_on"]
    assert needs[safety]["met_on"] is None
    [line] = service_log.list_services(station, worker)
    assert (line["kind"], line["content"]) == ("training", "技能培训：育婴员（五级）（平阴县职业教育中心）")


def test_completion_brings_the_certificate(station, worker):
    start = TODAY - timedelta(days=30)
    record = training.record_training(station, worker, {"kind": "agriculture",
                                                        "course": "玫瑰种植", "start_date": start})
    with pytest.raises(ValidationError, match="只有已结业的培训才能登记证书"):
        training.update_training(station, record, {"certificate": "结业证书"})
    changed = training.update_training(station, record, {
        "result": "completed", "end_date": start + timedelta(days=10),
        "certificate": "结业证书", "certificate_no": "NJ2026001"})
    assert set(changed) == {"result", "end_date", "certificate", "certificate_no"}
    [row] = training.training_of(station, worker)
    assert (row["kind_label"], row["result_label"]) == ("农业技术培训", "已结业")


@pytest.mark.parametrize("fields, message", [
    ({"kind": "cooking"}, "请选择培训类型"),
    ({"course": " "}, "请填写培训项目。"),
    ({"start_date": TODAY + timedelta(days=1)}, "培训开始日期不能晚于今天。"),
    ({"end_date": TODAY - timedelta(days=40)}, "培训结束日期不能早于开始日期。"),
    ({"result": "passed"}, "培训结果应为在训、已结业或退训。"),
])
def test_bad_training_records_are_refused(station, worker, fields, message):
    with pytest.raises(ValidationError, match=message):
        training.record_training(station, worker, {
            "kind": "safety", "course": "建筑施工安全", "start_date": TODAY - timedelta(days=5),
            **fields})
    assert training.training_of(station, worker) == []


def test_removing_a_record_opens_its_needs_again(station, worker):
    need = training.add_need(station, worker, "adaptive")
    record = training.record_training(station, worker, {"kind": "adaptive", "course": "外出务工适应性"})
    training.remove_training(station, record)
    [row] = training.needs_of(station, worker)
    assert (row["id"], row["met_on"], row["record_id"]) == (need, None, None)


def test_the_same_open_need_twice_is_refused(station, worker):
    training.add_need(station, worker, "skill", "电焊工")
    with pytest.raises(DuplicateError):
        training.add_need(station, worker, "skill", "电焊工")
    training.add_need(station, worker, "skill", "叉车司机")  # another course is fine


def test_the_need_list_holds_open_needs_and_people_who_asked_on_their_form(station, worker):
    asked = people.create_person(station, {"name": "周强", "id_number": id_of(1990, seq=31),
                                           "hukou_village": "东关村", "wants_training": 1,
                                           "training_wish": "挖掘机驾驶"})
    served = people.create_person(station, {"name": "吴敏", "id_number": id_of(1991, seq=33),
                                            "hukou_village": "东关村"})
    training.add_need(station, worker, "skill", "育婴员")
    training.add_need(station, served, "safety")
    training.record_training(station, served, {"kind": "safety", "course": "安全常识"})
    training.add_brand(station, worker, "鲁嫂家政")
    rows = training.need_list(station)
    assert [(r["name"], r["kind_label"], r["course"]) for r in rows] == [
        ("周强", "未定", "挖掘机驾驶"), ("孙丽", "技能培训", "育婴员")]
    assert rows[1]["brands"] == "鲁嫂家政" and "*" in rows[1]["id_number"]
    assert [r["name"] for r in training.need_list(station, village="东关村")] == ["周强"]
    assert [r["id"] for r in training.need_list(station, kind="skill")] == [worker]
    assert asked


def test_the_need_list_exports_for_the_county(station, worker, tmp_path):
    training.add_need(station, worker, "agriculture", "设施蔬菜")
    out = tmp_path / "培训需求.xlsx"
    assert training.export_need_list(station, out) == 1
    ws = openpyxl.load_workbook(out).active
    assert "培训需求名单" in ws["A1"].value
    header = [c.value for c in ws[3]]
    assert header[:2] == ["序号", "姓名"] and "培训类型" in header and "劳务品牌" in header
    assert ws.cell(4, header.index("培训类型") + 1).value == "农业技术培训"


def test_a_person_carries_several_brand_tags(station, worker):
    assert training.add_brand(station, worker, "鲁嫂家政")
    assert training.add_brand(station, worker, " 平阴玫瑰工匠 ")
    assert training.add_brand(station, worker, "鲁嫂家政") is None  # already tagged
    assert training.brands_of(station, worker) == ["鲁嫂家政", "平阴玫瑰工匠"]
    training.set_brands(station, worker, ["平阴玫瑰工匠", "东阿阿胶工匠"])
    assert training.brands_of(station, worker) == ["平阴玫瑰工匠", "东阿阿胶工匠"]
    assert training.people_with_brand(station, "东阿阿胶工匠") == [worker]
    assert training.remove_brand(station, worker, "平阴玫瑰工匠")
    assert not training.remove_brand(station, worker, "平阴玫瑰工匠")


def test_known_brands_are_the_stations_list_then_others_in_use(station, worker):
    settings.put(station, "training.brands", ["鲁嫂家政"])
    training.add_brand(station, worker, "东阿阿胶工匠")
    assert training.known_brands(station) == ["鲁嫂家政", "东阿阿胶工匠"]


@pytest.mark.parametrize("brand, message", [("  ", "请填写劳务品牌名称。"),
                                            ("很" * 21, "劳务品牌名称不超过 20 个字。")])
def test_bad_brand_names_are_refused(station, worker, brand, message):
    with pytest.raises(ValidationError, match=message):
        training.add_brand(station, worker, brand)
