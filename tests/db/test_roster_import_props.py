"""Property tests: no roster crashes the importer, and every data row is accounted for."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from db import people
from db.errors import StationError
from db.roster_import import analyze, apply_import, import_roster
from tests.conftest import id_of
from tests.roster_samples import write_csv, write_xlsx

POOL_IDS = [id_of(1960 + i, seq=i) for i in range(6)]
HEADERS = ["联系电话", "所在村", "就业状态", "是否脱贫户", "出生日期", "性别", "月收入",
           "备注", "就业单位", "状态日期", "监测对象", "期望月薪", "同意采集日期", "陌生列"]
WORDS = ["是", "否", "外出务工", "失业", "本地", "合计", "男", "女", "1990-05-03", "1990年5月3日",
         "+86 138-1234-5678", "3.70124E+17", "   ", "东关村", "=SUM(A1)", "#N/A", "无"]

# U+FFFE/U+FFFF cannot appear in XML: openpyxl would write a file no program can open.
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                             exclude_characters="\ufffe\uffff"), max_size=12)
cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), min_size=1, max_size=4)
id_cell = st.one_of(
    st.sampled_from(POOL_IDS), st.sampled_from(POOL_IDS).map(str.lower),
    st.sampled_from(POOL_IDS).map(lambda n: n[:17] + "0"), st.sampled_from(POOL_IDS).map(
        lambda n: n[:10] + "13" + n[12:]), text, st.none(), st.integers(0, 10**18).map(str))
cell = st.one_of(st.none(), text, cjk, st.sampled_from(WORDS),
                 st.integers(-10**6, 10**12).map(str), st.sampled_from(POOL_IDS))
typed_cell = st.one_of(
    cell, st.integers(-10**18, 10**18), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)))


@st.composite
def rosters(draw, cells=cell):
    extra = draw(st.lists(st.sampled_from(HEADERS), max_size=6, unique=True))
    header = ["姓名", "身份证号", *extra]
    body = draw(st.lists(
        st.tuples(st.one_of(cjk, text, st.none()), id_cell,
                  st.lists(cells, min_size=len(extra), max_size=len(extra))),
        max_size=25))
    title = draw(st.lists(st.one_of(st.just(["花名册"]), st.just([])), max_size=2))
    return title, header, [[name, number, *rest] for name, number, rest in body]


def assert_accounted(outcome, rows_after_header: int) -> None:
    counts = outcome.counts()
    assert counts["rows"] == (counts["created"] + counts["updated"] + counts["unchanged"]
                              + len(counts["rejected"]))
    assert counts["rows"] <= rows_after_header
    assert all(r["reason"].endswith("。") for r in counts["rejected"])


PROPS = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])


@PROPS
@given(roster=rosters())
def test_no_csv_roster_crashes_the_importer_and_every_row_is_accounted_for(
        station, tmp_path, roster):
    title, header, body = roster
    path = write_csv(tmp_path / "r.csv", [*title, header, *body])
    before = people.count_people(station)
    analysis = analyze(station, path)
    assert_accounted(analysis, len(body))
    assert analysis.rows + analysis.skipped == len(body)
    result = apply_import(station, analysis)
    assert_accounted(result, len(body))
    assert people.count_people(station) == before + result.created
    assert import_roster(station, path).changed is False  # the same file again


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(roster=rosters(cells=typed_cell))
def test_no_xlsx_roster_with_typed_cells_crashes_the_importer(station, tmp_path, roster):
    title, header, body = roster
    clean = [[None if isinstance(v, float) and v != v else v for v in row] for row in body]
    try:
        path = write_xlsx(tmp_path / "r.xlsx", [*title, header, *clean])
    except (ValueError, TypeError, IllegalCharacterError):
        return  # openpyxl itself cannot store this value (e.g. an infinite float)
    try:
        result = import_roster(station, path)
    except StationError:
        raise AssertionError("a readable roster must never be refused as a whole") from None
    assert_accounted(result, len(body))
