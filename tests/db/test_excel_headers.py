"""db.excel.headers and db.excel.rows: header detection, synonyms, row kinds."""

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.excel import (
    FIELD_SYNONYMS,
    cell_text,
    find_header,
    is_blank,
    is_excel_rounded_number,
    is_total_row,
    normalize_header,
)

ID = "37012419900101123X"


def numbered(grid):
    return list(enumerate(grid, start=1))


REQUIRED_SYNONYMS = {
    "name": ["姓名", "名字", "劳动者姓名"],
    "id_number": ["身份证号", "公民身份号码", "证件号码", "身份证号码", "身份证", "证件号"],
    "phone": ["联系电话", "手机号码", "手机号", "电话", "联系方式", "手机"],
    "sex": ["性别"],
    "birth_date": ["出生日期", "出生年月"],
    "hukou_village": ["村", "所在村", "行政村", "村居", "户籍村"],
    "hukou_address": ["户籍地", "户籍地址", "户籍所在地", "家庭住址", "住址"],
    "residence": ["常住地", "现居住地", "居住地"],
    "education": ["文化程度", "学历"],
    "skills": ["技能", "工种", "职业技能", "技能特长"],
    "status": ["就业状态", "就业情况", "务工状态"],
    "employer": ["就业单位", "工作单位", "务工单位"],
    "work_place": ["就业地点", "务工地点", "务工地"],
    "monthly_income": ["月收入", "月工资", "收入(元/月)"],
    "poverty_alleviated": ["脱贫人口", "是否脱贫人口", "脱贫户"],
    "monitored": ["监测对象", "防止返贫监测对象", "是否监测对象"],
    "household_no": ["户编号", "户号"],
    "remarks": ["备注"],
    "serial": ["序号"],
}
SYNONYM_CASES = [(key, text) for key, texts in REQUIRED_SYNONYMS.items() for text in texts]


@pytest.mark.parametrize(("key", "text"), SYNONYM_CASES)
def test_every_synonym_maps(key, text):
    anchor = "身份证号" if key == "name" else "姓名"
    grid = [["某镇农民工花名册"], [anchor, text], ["张三" if anchor == "姓名" else ID, "x"]]
    match = find_header(numbered(grid))
    assert match is not None and match.row_number == 2
    assert match.columns[1] == key
    assert match.labels[1] == text


def test_synonym_lists_cover_the_brief_and_never_overlap():
    for key, texts in REQUIRED_SYNONYMS.items():
        assert set(texts) <= set(FIELD_SYNONYMS[key])
    seen = {}
    for key, texts in FIELD_SYNONYMS.items():
        for text in texts:
            norm = normalize_header(text)
            assert seen.setdefault(norm, key) == key, f"{text} is under {seen[norm]} and {key}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 姓 名 ", "姓名"),
        ("姓　名", "姓名"),
        ("*姓名", "姓名"),
        ("＊身份证号", "身份证号"),
        ("公民身份\n号码", "公民身份号码"),
        ("月收入（元）", "月收入"),
        ("收入（元/月）", "收入"),
        ("联系电话(手机)", "联系电话"),
        ("身份证号【18位】", "身份证号"),
        ("姓名：", "姓名"),
        ("（备注）", "(备注)"),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_normalize_header(raw, expected):
    assert normalize_header(raw) == expected


def test_units_and_decorations_still_match():
    grid = [["*姓名", "身份证号\n（18位）", "月收入（元）", "收入（元/月）", "联系电话(手机)"]]
    match = find_header(numbered(grid))
    assert match.columns == {0: "name", 1: "id_number", 2: "monthly_income", 4: "phone"}
    assert match.unmapped == {3: "收入（元/月）"}  # second income column: shown, not mapped


def test_title_and_notes_rows_are_passed_over():
    grid = [
        ["孔村镇2026年农民工就业情况花名册"],
        [],
        ["填报说明：身份证号必须填写18位，姓名不能为空"],
        ["填报单位：孔村镇", None, None, "日期：2026-11-29"],
        ["序号", "姓名", "身份证号", "户籍所在村", "联系电话"],
        [1, "张三", ID, "东关村", "13812345678"],
    ]
    match = find_header(numbered(grid))
    assert match.row_number == 5
    assert match.columns == {0: "serial", 1: "name", 2: "id_number", 4: "phone"}
    assert match.unmapped == {3: "户籍所在村"}
    assert match.following == ((6, [1, "张三", ID, "东关村", "13812345678"]),)


def test_two_row_header_with_vertical_merges():
    # 序号/姓名/身份证号 merged down over two rows; 就业情况 merged across three columns.
    grid = [
        ["农民工就业情况统计表"],
        ["序号", "姓名", "身份证号", "就业情况", None, None, "备注"],
        [None, None, None, "就业单位", "就业地点", "月收入（元）", None],
        [1, "张三", ID, "某某公司", "济南", 4000, None],
    ]
    match = find_header(numbered(grid))
    assert match.row_number == 3  # data starts below the second header row
    assert match.columns == {
        0: "serial", 1: "name", 2: "id_number", 3: "employer", 4: "work_place",
        5: "monthly_income", 6: "remarks",
    }
    assert match.following[0][0] == 4


def test_group_header_above_the_real_header():
    grid = [
        ["基本信息", None, None, "就业信息", None],
        ["姓名", "身份证号", "性别", "就业单位", "务工地点"],
        ["张三", ID, "男", "某某公司", "青岛"],
    ]
    match = find_header(numbered(grid))
    assert match.row_number == 2
    assert match.columns == {0: "name", 1: "id_number", 2: "sex", 3: "employer", 4: "work_place"}


def test_data_row_below_is_never_taken_for_a_second_header():
    grid = [["姓名", "身份证号", "备注"], ["张三", ID, "村"]]
    match = find_header(numbered(grid))
    assert match.row_number == 1 and match.columns[2] == "remarks"


@pytest.mark.parametrize("first_row", [
    [None, None, "所在村"],          # a header word as a value, nothing new: data
    ["一", None, "所在村"],          # text under 姓名: data, never a label over 姓名
    [None, "王", "所在村"],          # text under 身份证号 likewise
])
def test_a_first_data_row_holding_a_header_word_stays_data(first_row):
    # found by the roster property test: the row was read as the header's second line
    grid = [["姓名", "身份证号", "所在村"], first_row]
    match = find_header(numbered(grid))
    assert match.row_number == 1
    assert match.columns == {0: "name", 1: "id_number", 2: "hukou_village"}
    assert [cells for _, cells in match.following] == [first_row]


def test_remembered_mapping_wins_and_can_ignore():
    grid = [["姓名", "身份证号", "户籍 所在组", "备注", "内部编码"], ["张三", ID, "一组", "", "A1"]]
    taught = {"户籍所在组": "hukou_village", "备注": "skills", "内部 编码": None}
    match = find_header(numbered(grid), remembered=taught)
    assert match.columns == {0: "name", 1: "id_number", 2: "hukou_village", 3: "skills"}
    assert match.unmapped == {}


def test_remembered_key_field_qualifies_a_header():
    grid = [["农户姓名", "联系电话"], ["张三", "13812345678"]]
    assert find_header(numbered(grid)) is None
    match = find_header(numbered(grid), remembered={"农户姓名": "name"})
    assert match.columns == {0: "name", 1: "phone"}


def test_best_row_wins_and_duplicates_go_unmapped():
    grid = [
        ["姓名", "备注"],
        ["姓名", "身份证号", "联系电话", "手机号", "性别"],
    ]
    match = find_header(numbered(grid))
    assert match.row_number == 2
    assert match.columns == {0: "name", 1: "id_number", 2: "phone", 4: "sex"}
    assert match.unmapped == {3: "手机号"}


def test_no_header_and_scan_limit():
    assert find_header([]) is None
    assert find_header(numbered([["随便"], [1, 2, 3]])) is None
    late = [["说明"]] * 25 + [["姓名", "身份证号"]]
    assert find_header(numbered(late)) is None
    assert find_header(numbered(late), max_scan=30).row_number == 26


def test_following_rows_let_the_import_continue():
    grid = [["姓名", "身份证号"]] + [[f"人{i}", ID] for i in range(40)]
    rows = iter(numbered(grid))
    match = find_header(rows)
    rest = list(itertools.chain(match.following, rows))
    assert [n for n, _ in rest] == list(range(2, 42))


cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from([t for texts in FIELD_SYNONYMS.values() for t in texts] + ["合计", "（元）", "*"]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
grids = st.lists(st.lists(cells, max_size=12), max_size=30)


@settings(max_examples=300, deadline=None)
@given(grid=grids, remembered=st.dictionaries(st.text(max_size=6), st.one_of(st.none(), st.text(max_size=6)), max_size=3))
def test_find_header_never_raises(grid, remembered):
    match = find_header(numbered(grid), remembered=remembered)
    if match is not None:
        assert 1 <= match.row_number <= len(grid)
        keys = set(match.columns.values())
        assert len(keys) == len(match.columns)  # one column per field
        assert not set(match.columns) & set(match.unmapped)
        assert all(0 <= i < 12 for i in list(match.columns) + list(match.unmapped))


@settings(max_examples=200, deadline=None)
@given(grid=grids)
def test_row_helpers_never_raise(grid):
    for row in grid:
        is_blank(row)
        is_total_row(row)
        for value in row:
            is_excel_rounded_number(value)
            cell_text(value)


# ---- rows.py -------------------------------------------------------------------------------


def test_is_blank():
    assert is_blank([]) and is_blank([None, "", "  ", "\u3000", "\u200b"])
    assert not is_blank([None, 0]) and not is_blank(["张三"])


@pytest.mark.parametrize(
    "row",
    [["合计"], [None, "合 计", 12], ["总计：35人"], ["小计", None, 7700.5], ["本页合计"], ["共计12人"]],
)
def test_total_rows(row):
    assert is_total_row(row)


@pytest.mark.parametrize(
    "row",
    [
        [1, "张三", ID, "合计收入3万"],  # a person whose remark starts with 合计
        [1, "张三", 370124199001011234.0, "合计"],
        ["张三", "小计划"],
        ["备注：合计"],
        [],
    ],
)
def test_not_total_rows(row):
    assert not is_total_row(row)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (3.70124199001011e17, True),
        (float(370124199001011234), True),
        ("3.70124E+17", True),
        ("3.70124e17", True),
        (" ３.７０１２４Ｅ＋１７ ", True),
        (370124199001011000, True),  # 15 significant digits: Excel's rounding
        (370124199001011234, False),  # every digit there: let the checksum judge
        (ID, False),
        ("370124199001011234", False),
        (13812345678, False),
        (13812345678.0, False),
        (True, False),
        (None, False),
        (float("inf"), False),
        ("E+17", False),
    ],
)
def test_is_excel_rounded_number(value, rounded):
    assert is_excel_rounded_number(value) is rounded


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("  张三 ", "张三"),
        ("   ", None),
        (5.0, "5"),
        (13812345678, "13812345678"),
        (3500.5, "3500.5"),
        (3.70124199001011e17, "3.70124199001011E+17"),
        (True, "是"),
        (dt.datetime(1990, 1, 1), "1990-01-01"),
        (dt.datetime(2026, 11, 29, 9, 30), "2026-11-29 09:30:00"),
        (dt.date(2024, 3, 1), "2024-03-01"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
