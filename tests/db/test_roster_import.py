"""Roster import: header finding, normalization, refusals, merging with the station."""

import datetime as dt

import openpyxl
import pytest

from db import audit, backup, employment, people, roster_import, roster_writer
from db.errors import ValidationError
from db.excel import FIELD_SYNONYMS
from db.roster_fields import EXTRA_HEADERS
from db.roster_import import ImportCancelled, analyze, apply_import, import_roster, read_header
from db.roster_report import write_rejected
from tests.conftest import id_of
from tests.roster_samples import (
    HEADER,
    TITLE,
    simple_roster,
    write_csv,
    write_xls,
    write_xlsx,
)


def audit_rows(station) -> int:
    return station.scalar("SELECT count(*) FROM audit_log")


def one_row(tmp_path, row: list, header=HEADER, name="r.csv"):
    """Analyze a CSV roster holding ``header`` and one data row (Excel row 2)."""
    return write_csv(tmp_path / name, [header, row])


def reasons_of(analysis) -> dict[int, str]:
    return {r.row: r.reason for r in analysis.rejected}


# -- the header ----------------------------------------------------------------------------


def test_header_is_found_below_a_merged_title_and_a_note_row(station, tmp_path):
    rows = simple_roster(2)
    path = write_xlsx(tmp_path / "花名册.xlsx", rows, merges=("A1:H1", "A2:H2"))
    header = read_header(station, path)
    assert header.row_number == 3
    assert header.columns == {0: "serial", 1: "name", 2: "id_number", 3: "phone",
                              4: "hukou_village", 5: "status", 6: "poverty_alleviated",
                              7: "remarks"}
    result = import_roster(station, path)
    assert (result.rows, result.created) == (2, 2)


SYNONYMS = [(text, key) for key, texts in FIELD_SYNONYMS.items() for text in texts
            if key not in ("name", "id_number")]
SYNONYMS += [(text, key) for text, key in EXTRA_HEADERS.items() if key]


@pytest.mark.parametrize("text, key", SYNONYMS)
def test_every_header_synonym_is_recognized(station, tmp_path, text, key):
    path = write_csv(tmp_path / "r.csv", [["姓名", "身份证号", f" {text} "]])
    assert read_header(station, path).columns[2] == key


@pytest.mark.parametrize("name_text", FIELD_SYNONYMS["name"])
@pytest.mark.parametrize("id_text", FIELD_SYNONYMS["id_number"])
def test_every_name_and_id_header_is_recognized(station, tmp_path, name_text, id_text):
    path = write_csv(tmp_path / "r.csv", [[TITLE], [id_text, name_text]])
    header = read_header(station, path)
    assert header.row_number == 2
    assert header.columns == {0: "id_number", 1: "name"}


def test_two_row_header_with_a_merged_group_cell(station, tmp_path):
    rows = [[TITLE],
            ["姓名", "公民身份号码", "联系方式", None, "就业情况"],
            [None, None, "手机号码", "家庭住址", "就业单位"],
            ["张三", id_of(1990), "13812345678", "东关村5号", "宏达建筑"]]
    path = write_xlsx(tmp_path / "r.xlsx", rows, merges=("A2:A3", "B2:B3", "C2:D2"))
    header = read_header(station, path)
    assert header.row_number == 3
    assert header.columns == {0: "name", 1: "id_number", 2: "phone", 3: "hukou_address",
                              4: "employer"}


def test_unrecognizable_header_is_refused_with_a_chinese_sentence(station, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["甲", "乙"], ["1", "2"]])
    with pytest.raises(ValidationError, match="找不到表头"):
        read_header(station, path)


def test_header_row_chosen_by_the_clerk_maps_what_it_can(station, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["人员名单"], ["劳力名", "号码", "联系电话"],
                                          ["张三", id_of(1990), "13812345678"]])
    header = read_header(station, path, header_row=2)
    assert header.texts == {0: "劳力名", 1: "号码", 2: "联系电话"}
    assert header.columns == {2: "phone"}
    with pytest.raises(ValidationError, match="公民身份号码"):
        analyze(station, path, header=header)
    analysis = analyze(station, path, header=header,
                       columns={0: "name", 1: "id_number", 2: "phone"})
    assert analysis.created == 1
    analysis.discard()


def test_one_field_on_two_columns_is_refused(station, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["姓名", "身份证号", "备注"]])
    header = read_header(station, path)
    with pytest.raises(ValidationError, match="不止一列"):
        analyze(station, path, header=header, columns={0: "name", 1: "id_number", 2: "name"})


def test_remembered_mapping_is_used_next_time_and_can_ignore_a_column(station, tmp_path):
    rows = [["姓名", "身份证号", "劳动者特长", "村干部意见"],
            ["张三", id_of(1990), "电焊", "同意"]]
    path = write_csv(tmp_path / "r.csv", rows)
    header = read_header(station, path)
    assert header.unmapped == {2: "劳动者特长", 3: "村干部意见"}
    analysis = analyze(station, path, header=header,
                       columns={**header.columns, 2: "skills"})
    apply_import(station, analysis, remember={"劳动者特长": "skills", "村干部意见": ""})
    again = read_header(station, path)
    assert again.columns[2] == "skills"
    assert 3 not in again.columns
    assert again.ignored == {3} and again.unmapped == {}
    assert roster_import.remembered_headers(station)["劳动者特长"] == "skills"
    person = people.find_by_id_number(station, id_of(1990))
    assert person["skills"] == "电焊"


# -- merged cells and file formats -----------------------------------------------------------


def test_village_merged_down_a_block_applies_to_every_row_of_it(station, tmp_path):
    rows = simple_roster(4)
    rows[3][4], rows[4][4], rows[5][4], rows[6][4] = "西关村", None, None, "李家庄村"
    path = write_xlsx(tmp_path / "r.xlsx", rows, merges=("A1:H1", "E4:E6"))
    import_roster(station, path)
    villages = [r[0] for r in station.conn.execute(
        "SELECT hukou_village FROM person ORDER BY birth_date")]
    assert sorted(villages) == ["李家庄村", "西关村", "西关村", "西关村"]


def test_xls_with_merged_cells_and_date_cells_imports(station, tmp_path):
    number = id_of(1988, 7, 9, seq=31)
    rows = [[TITLE], ["姓名", "公民身份号码", "村", "出生日期", "联系电话"],
            ["张三", number, "西关村", dt.date(1988, 7, 9), 13812345678],
            ["李四", id_of(1990, seq=33), None, None, "0531-88886666"]]
    path = write_xls(tmp_path / "r.xls", rows, merges=((0, 0, 0, 4), (2, 3, 2, 2)))
    result = import_roster(station, path)
    assert (result.created, result.rejected) == (2, ())
    zhang = people.find_by_id_number(station, number)
    li = people.find_by_id_number(station, id_of(1990, seq=33))
    assert zhang["phone"] == "13812345678" and li["phone"] == "0531-88886666"
    assert zhang["hukou_village"] == li["hukou_village"] == "西关村"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_csv_in_chinese_encodings_imports(station, tmp_path, encoding):
    rows = simple_roster(3)
    rows[3][1] = "欧阳娜娜"
    rows[4][1] = "䶮明"  # a CJK Extension A character: only GB18030 and UTF-8 hold it
    if encoding == "gbk":
        rows[4][1] = "李明"
    path = write_csv(tmp_path / "r.csv", rows, encoding=encoding)
    result = import_roster(station, path)
    assert (result.rows, result.created) == (3, 3)
    names = {r[0] for r in station.conn.execute("SELECT name FROM person")}
    assert "欧阳娜娜" in names and rows[4][1] in names


# -- normalization ---------------------------------------------------------------------------

ID = id_of(1990, 5, 3, seq=12)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("typed", [
    fullwidth(ID), f" {ID[:6]} {ID[6:14]} {ID[14:]} ", f"'{ID}", f'="{ID}"',
    ID[:6] + ID[8:17],  # the 15-digit legacy form of the same number
])
def test_id_numbers_typed_any_way_are_normalized(station, tmp_path, typed):
    path = one_row(tmp_path, ["张三", typed], header=["姓名", "身份证号"])
    result = import_roster(station, path)
    assert result.created == 1, result.rejected
    assert station.scalar("SELECT id_number FROM person") == ID


def test_lowercase_x_is_stored_upper_case(station, tmp_path):
    number = next(id_of(1980, seq=s) for s in range(1000) if id_of(1980, seq=s).endswith("X"))
    path = one_row(tmp_path, ["张三", number.lower()], header=["姓名", "身份证号"])
    import_roster(station, path)
    assert station.scalar("SELECT id_number FROM person") == number


@pytest.mark.parametrize("typed, stored", [
    ("+86 138-1234-5678", "13812345678"), ("138 1234 5678", "13812345678"),
    (fullwidth("13812345678"), "13812345678"), ("0086-13812345678", "13812345678"),
    ("(0531)88886666", "0531-88886666"), ("+86 531 8888 6666", "0531-88886666"),
    (13812345678, "13812345678"),
])
def test_phones_typed_any_way_are_normalized(station, tmp_path, typed, stored):
    path = write_xlsx(tmp_path / "r.xlsx", [["姓名", "身份证号", "电话"], ["张三", ID, typed]])
    import_roster(station, path)
    assert station.scalar("SELECT phone FROM person") == stored


@pytest.mark.parametrize("typed", [
    "1990-05-03", "1990/5/3", "1990.5.3", "1990年5月3日", "19900503", " 1990-5-3 ",
    fullwidth("1990-05-03"), "1990-05-03 00:00:00", 32996, dt.datetime(1990, 5, 3),
])
def test_birth_dates_in_every_usual_form_agree_with_the_id(station, tmp_path, typed):
    path = write_xlsx(tmp_path / "r.xlsx", [["姓名", "身份证号", "出生日期"], ["张三", ID, typed]])
    result = import_roster(station, path)
    assert result.created == 1, result.rejected


@pytest.mark.parametrize("word, code", [
    ("务工", "out_province"), ("外出务工", "out_province"), ("省外", "out_province"),
    ("县外省内", "in_province"), ("本地", "local"), ("在家务工", "local"),
    ("本地就业", "local"), ("灵活就业", "flexible"), ("打零工", "flexible"),
    ("创业", "self_employed"), ("个体", "self_employed"), ("失业", "unemployed"),
    ("待业", "unemployed"), ("未就业", "willing"), ("无意愿", "no_intention"),
    ("不愿就业", "no_intention"), ("省外务工", "out_province"), (" 省外务工（浙江） ", "out_province"),
    ("自主创业", "self_employed"), ("未就业有意愿", "willing"), ("无就业意愿", "no_intention"),
])
def test_status_words_map_to_the_station_statuses(station, tmp_path, word, code):
    path = one_row(tmp_path, ["张三", ID, word], header=["姓名", "身份证号", "就业状态"])
    import_roster(station, path)
    assert station.scalar("SELECT current_status FROM person") == code
    assert station.scalar("SELECT since_date FROM employment_status") == dt.date.today().isoformat()


@pytest.mark.parametrize("word, flag", [
    ("是", 1), ("否", 0), ("√", 1), ("1", 1), ("0", 0), ("Y", 1), ("脱贫户", 1), ("无", 0),
])
def test_yes_no_words_set_flags(station, tmp_path, word, flag):
    path = one_row(tmp_path, ["张三", ID, word], header=["姓名", "身份证号", "是否脱贫户"])
    import_roster(station, path)
    assert station.scalar("SELECT poverty_alleviated FROM person") == flag


def test_spaces_inside_a_chinese_name_are_removed(station, tmp_path):
    path = one_row(tmp_path, ["张　三 ", ID], header=["姓名", "身份证号"])
    import_roster(station, path)
    assert station.scalar("SELECT name FROM person") == "张三"


def test_status_date_employer_and_income_make_the_status_row(station, tmp_path):
    rows = [["姓名", "身份证号", "就业状态", "就业时间", "工作单位", "务工地点", "月收入（元）"],
            ["张三", ID, "省外务工", "2025年3月1日", "苏州精工", "苏州市", "5,200元"]]
    import_roster(station, write_csv(tmp_path / "r.csv", rows))
    row = station.query("SELECT * FROM employment_status")[0]
    assert (row["status"], row["since_date"], row["employer"], row["work_place"],
            row["monthly_income"]) == ("out_province", "2025-03-01", "苏州精工", "苏州市", 5200)


# -- refusals ------------------------------------------------------------------------------

FUTURE = (dt.date.today() + dt.timedelta(days=400))


def future_id() -> str:
    return id_of(FUTURE.year, FUTURE.month, min(FUTURE.day, 28))


@pytest.mark.parametrize("cells, reason", [
    (["张三", ID[:17] + ("0" if ID[17] != "0" else "1")], "校验位不符"),
    (["张三", "370124199002300012"], "出生日期“19900230”不存在"),
    (["张三", future_id()], "晚于今天"),
    (["张三", "990124199005030125"], "不是有效的行政区划代码"),
    ([None, ID], "请填写姓名"),
    (["  ", ID], "请填写姓名"),
    (["张三", None], "请填写公民身份号码"),
    (["张三", "3.70124E+17"], "被Excel当成数字保存过，最后几位已经丢失"),
    (["张三", "3701241990050312"], "应为18位"),
    (["张三", ID, "13812345"], "手机号应为以1开头的11位数字"),
    (["张三", ID, None, "打酱油"], "就业状态“打酱油”无法识别"),
    (["张三", ID, None, None, "也许"], "“是否脱贫户”应填写“是”或“否”"),
    (["张三", ID, None, None, None, "1990-05-04"], "出生日期与公民身份号码中的出生日期"),
    (["张三", ID, None, None, None, "1990-02-30"], "日期1990年2月30日不存在"),
    (["张三", ID, None, None, None, None, "男" if ID[16] in "02468" else "女"], "性别与公民身份号码不符"),
    (["张三", ID, None, None, None, None, "未知"], "性别应填写"),
    (["张三", ID, None, None, None, None, None, "很多"], "“月收入”应填写数字"),
    (["张三2", ID], "姓名不应含数字"),
])
def test_rows_that_cannot_be_right_are_refused_with_row_number_and_reason(
        station, tmp_path, cells, reason):
    header = ["姓名", "身份证号", "手机号", "就业状态", "是否脱贫户", "出生日期", "性别", "月收入"]
    path = write_csv(tmp_path / "r.csv", [[TITLE], header, cells])
    analysis = analyze(station, path)
    assert analysis.rows == 1 and analysis.created == 0
    assert len(analysis.rejected) == 1
    assert analysis.rejected[0].row == 3
    assert reason in analysis.rejected[0].reason
    assert analysis.rejected[0].reason.endswith("。")
    analysis.discard()


def test_id_that_excel_stored_as_a_number_is_refused_never_guessed(station, tmp_path):
    rows = [["姓名", "身份证号"], ["张三", float(ID)], ["李四", int(float(ID))]]
    analysis = analyze(station, write_xlsx(tmp_path / "r.xlsx", rows))
    assert [r.row for r in analysis.rejected] == [2, 3]
    assert all("最后几位已经丢失" in r.reason for r in analysis.rejected)
    assert analysis.created == 0
    analysis.discard()


def test_every_problem_of_a_row_is_named_at_once(station, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["姓名", "身份证号", "手机号"], ["", "123", "1"]])
    analysis = analyze(station, path)
    reason = analysis.rejected[0].reason
    assert "请填写姓名" in reason and "应为18位" in reason and "手机号" in reason
    analysis.discard()


def test_blank_rows_serial_only_rows_and_totals_are_skipped(station, tmp_path):
    rows = simple_roster(2)
    rows.insert(4, [None, "  ", None])
    rows += [[3], [4, None, None, None, None, None, None], ["合计", None, None, None],
             ["总计：2人"], []]
    result = import_roster(station, write_xlsx(tmp_path / "r.xlsx", rows))
    assert (result.rows, result.created, result.rejected) == (2, 2, ())


# -- merging with the station -----------------------------------------------------------------


@pytest.fixture
def registered(station):
    """张三, registered with a phone and a status, but no village or skills."""
    pid = people.create_person(station, {"name": "张三", "id_number": ID, "phone": "13900000000",
                                         "poverty_alleviated": False})
    employment.add_status(station, pid, "local", "2024-01-01", employer="玫瑰食品")
    return pid


def roster_for_zhang(tmp_path, **changes):
    values = {"name": "张三", "phone": "13900000000", "village": "东关村", "status": "本地就业",
              "employer": "玫瑰食品", "skills": "电工", "poor": "是"}
    values.update(changes)
    rows = [["姓名", "身份证号", "手机号", "村", "就业状态", "就业单位", "技能", "是否脱贫户"],
            [values["name"], ID, values["phone"], values["village"], values["status"],
             values["employer"], values["skills"], values["poor"]]]
    return write_csv(tmp_path / "r.csv", rows)


def test_a_registered_person_is_never_duplicated_and_empty_fields_are_filled(
        station, tmp_path, registered):
    result = import_roster(station, roster_for_zhang(tmp_path))
    assert (result.created, result.updated, result.conflicts) == (0, 1, 0)
    assert people.count_people(station) == 1
    person = people.get_person(station, registered)
    assert (person["hukou_village"], person["skills"], person["poverty_alleviated"]) == (
        "东关村", "电工", 1)
    assert person["phone"] == "13900000000"
    assert len(employment.status_history(station, registered)) == 1


def test_differing_values_are_conflicts_kept_as_the_station_has_them(
        station, tmp_path, registered):
    path = roster_for_zhang(tmp_path, name="张叁", phone="13811112222", status="省外务工",
                            employer="宏达建筑")
    analysis = analyze(station, path)
    assert (analysis.conflicts, analysis.updated) == (1, 1)  # village and skills still fill
    conflicts = {c.field: (c.station_value, c.file_value, c.label)
                 for c in roster_import.list_conflicts(analysis)}
    assert conflicts == {"name": ("张三", "张叁", "姓名"),
                         "phone": ("13900000000", "13811112222", "手机号"),
                         "status": ("本地就业", "省外务工", "就业状态")}
    result = apply_import(station, analysis)
    assert result.conflicts == 1
    person = people.get_person(station, registered)
    assert (person["name"], person["phone"], person["current_status"]) == (
        "张三", "13900000000", "local")


def test_the_clerk_may_choose_the_files_value_for_a_conflict(station, tmp_path, registered):
    path = roster_for_zhang(tmp_path, name="张叁", phone="13811112222", status="省外务工",
                            employer="宏达建筑")
    analysis = analyze(station, path)
    apply_import(station, analysis, use_file_values={(ID, "phone"), (ID, "status")})
    person = people.get_person(station, registered)
    assert (person["name"], person["phone"], person["current_status"]) == (
        "张三", "13811112222", "out_province")
    assert person["phone_rev"] == "13811112222"[::-1]
    history = employment.status_history(station, registered)
    assert [h["status"] for h in history] == ["out_province", "local"]  # history kept
    assert history[0]["employer"] == "宏达建筑"


def test_same_status_with_a_different_employer_corrects_the_current_row_when_chosen(
        station, tmp_path, registered):
    path = roster_for_zhang(tmp_path, employer="宏达建筑")
    analysis = analyze(station, path)
    assert [c.field for c in roster_import.list_conflicts(analysis)] == ["employer"]
    apply_import(station, analysis, use_file_values=True)
    history = employment.status_history(station, registered)
    assert len(history) == 1 and history[0]["employer"] == "宏达建筑"


def test_the_same_id_twice_in_one_file_is_reported_once(station, tmp_path):
    rows = simple_roster(3)
    rows.append(list(rows[3]))
    rows.append(list(rows[4]))
    rows[-1][2] = rows[-1][2].lower()
    analysis = analyze(station, write_csv(tmp_path / "r.csv", rows))
    assert (analysis.rows, analysis.created) == (5, 3)
    assert reasons_of(analysis) == {
        7: "与第4行的公民身份号码相同，同一人只导入一次，本行未导入。",
        8: "与第5行的公民身份号码相同，同一人只导入一次，本行未导入。"}
    analysis.discard()


def test_the_preview_writes_nothing(station, tmp_path, registered):
    before = audit_rows(station), len(backup.list_backups(station.data_dir))
    analysis = analyze(station, roster_for_zhang(tmp_path, phone="13811112222"))
    assert analysis.updated == 1
    assert (audit_rows(station), len(backup.list_backups(station.data_dir))) == before
    analysis.discard()
    assert not analysis.scratch.exists


def test_importing_backs_the_station_up_first(station, tmp_path):
    import_roster(station, write_csv(tmp_path / "r.csv", simple_roster(2)))
    names = [p.name for p in backup.list_backups(station.data_dir)]
    assert any(name.endswith("-import.sqlite3") for name in names)


def test_reimporting_the_same_roster_changes_nothing(station, tmp_path):
    rows = simple_roster(30)
    rows[5][5] = "失业"
    rows[6][6] = "是"
    path = write_xlsx(tmp_path / "r.xlsx", rows, merges=("A1:H1",))
    first = import_roster(station, path)
    assert first.created == 30
    before = audit_rows(station), len(backup.list_backups(station.data_dir))
    second = import_roster(station, path)
    assert (second.created, second.updated, second.unchanged, second.conflicts) == (0, 0, 30, 0)
    assert (audit_rows(station), len(backup.list_backups(station.data_dir))) == before


def test_import_is_audited_as_the_signed_in_clerk(station, tmp_path):
    import_roster(station, write_csv(tmp_path / "r.csv", simple_roster(1)))
    pid = station.scalar("SELECT id FROM person")
    assert audit.history(station.db, "person", pid)[0]["actor"] == "admin"


def test_json_counts_add_up(station, tmp_path):
    rows = simple_roster(5)
    rows[4][2] = "3.70124E+17"
    counts = import_roster(station, write_csv(tmp_path / "r.csv", rows)).counts()
    assert counts["rows"] == counts["created"] + counts["updated"] + counts["unchanged"] + len(
        counts["rejected"])
    assert counts["rejected"] == [{"row": 5, "reason": counts["rejected"][0]["reason"]}]


# -- rejected rows come back as .xlsx ---------------------------------------------------------


def test_rejected_rows_come_back_with_their_columns_row_number_and_reason(station, tmp_path):
    rows = simple_roster(4)
    rows[4][2] = "3.70124E+17"
    rows[5][1] = None
    path = write_xlsx(tmp_path / "r.xlsx", rows, merges=("A1:H1",))
    analysis = analyze(station, path)
    out = tmp_path / "未导入.xlsx"
    assert write_rejected(analysis, out) == 2
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[2]) == HEADER + ["原行号", "未导入原因"]
    assert values[3][2] == "3.70124E+17" and values[3][8] == 5
    assert "最后几位已经丢失" in values[3][9]
    assert values[4][8] == 6 and values[4][9] == "请填写姓名。"
    analysis.discard()


def test_fixed_rejects_file_imports_and_ignores_the_added_columns(station, tmp_path):
    rows = simple_roster(3)
    good_id = rows[4][2]
    rows[4][2] = "3.70124E+17"
    first = import_roster(station, write_csv(tmp_path / "r.csv", rows),
                          report=tmp_path / "rej.xlsx")
    assert first.created == 2
    wb = openpyxl.load_workbook(tmp_path / "rej.xlsx")
    wb.active["C4"] = good_id  # the clerk types the full number in
    wb.save(tmp_path / "rej.xlsx")
    second = import_roster(station, tmp_path / "rej.xlsx")
    assert (second.rows, second.created, second.rejected) == (1, 1, ())
    assert people.count_people(station) == 3


# -- all or nothing ------------------------------------------------------------------------


def test_cancelling_the_preview_writes_nothing_and_leaves_no_scratch(station, tmp_path):
    path = write_csv(tmp_path / "r.csv", simple_roster(1200))
    with pytest.raises(ImportCancelled, match="已取消"):
        analyze(station, path, cancelled=lambda: True)
    assert not list((station.data_dir / "import-tmp").glob("*.sqlite3"))


def test_cancelling_the_import_midway_writes_nothing(station, tmp_path):
    path = write_csv(tmp_path / "r.csv", simple_roster(1200))
    analysis = analyze(station, path)
    before = audit_rows(station)
    calls = []

    def cancel_on_second_chunk():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ImportCancelled):
        apply_import(station, analysis, cancelled=cancel_on_second_chunk)
    assert people.count_people(station) == 0 and audit_rows(station) == before
    result = apply_import(station, analysis)  # the preview can be used again
    assert result.created == 1200


def test_an_error_midway_rolls_everything_back(station, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "r.csv", simple_roster(1200))
    analysis = analyze(station, path)
    real = roster_writer.write_plans  # in the writer thread
    calls = []

    def failing(st, plans):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk went away")
        real(st, plans)

    monkeypatch.setattr(roster_writer, "write_plans", failing)
    with pytest.raises(RuntimeError):
        apply_import(station, analysis)
    assert people.count_people(station) == 0
    assert station.scalar("SELECT count(*) FROM employment_status") == 0
    analysis.discard()


def test_a_used_preview_cannot_be_applied_twice(station, tmp_path):
    analysis = analyze(station, write_csv(tmp_path / "r.csv", simple_roster(1)))
    apply_import(station, analysis)
    with pytest.raises(ValidationError, match="重新选择文件"):
        apply_import(station, analysis)


def test_progress_is_reported_while_reading_and_writing(station, tmp_path):
    path = write_csv(tmp_path / "r.csv", simple_roster(700))
    seen = []
    analysis = analyze(station, path, progress=lambda done, total: seen.append(("read", done)))
    apply_import(station, analysis, progress=lambda done, total: seen.append(("write", done)))
    assert ("read", 200) in seen and ("write", 700) in seen
    assert [d for k, d in seen if k == "write"] == sorted(d for k, d in seen if k == "write")


# -- scale -----------------------------------------------------------------------------------


def test_ten_thousand_rows_in_gb18030_import_and_reimport_unchanged(station, tmp_path):
    rows = simple_roster(10_000)
    for i in range(3, len(rows), 97):
        rows[i][5] = "本地就业"
    path = write_csv(tmp_path / "万人花名册.csv", rows, encoding="gb18030")
    first = import_roster(station, path)
    assert (first.rows, first.created, len(first.rejected)) == (10_000, 10_000, 0)
    assert station.scalar("SELECT count(*) FROM employment_status") == 10_000
    second = analyze(station, path)
    assert (second.unchanged, second.created, second.updated) == (10_000, 0, 0)
    second.discard()

