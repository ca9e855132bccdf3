"""Validation of what clerks type: ID numbers, phones, credit codes, dates, masking."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.errors import ValidationError
from db.validation.credit_code import (
    credit_code_check_char,
    is_valid_credit_code,
    normalize_credit_code,
    validate_credit_code,
)
from db.validation.dates import age_on, parse_date
from db.validation.idcard import (
    IdNumberInfo,
    check_digit,
    is_valid_id_number,
    known_region_codes,
    make_id_number,
    normalize_id_number,
    parse_id_number,
    region_name,
    upgrade_15_to_18,
)
from db.validation.masking import mask_id_number, mask_phone
from db.validation.phone import normalize_phone

TODAY = date(2026, 3, 1)
VALID_ID = "11010519491231002X"  # the GB 11643 example number
PINGYIN_1990 = make_id_number("370124", date(1990, 1, 1), 123)  # 37012419900101123X


def refusal(func, *args, **kwargs) -> ValidationError:
    """Call ``func`` and return the ValidationError it must raise."""
    with pytest.raises(ValidationError) as caught:
        func(*args, **kwargs)
    return caught.value


def assert_one_chinese_sentence(message: str) -> None:
    """A clerk-facing message: Chinese, ending in 。, one sentence."""
    assert message.endswith("。")
    assert message.count("。") == 1
    assert any("\u4e00" <= c <= "\u9fff" for c in message)


# --- normalize_id_number ------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("37012419900101123X", "37012419900101123X"),
    ("37012419900101123x", "37012419900101123X"),
    ("３７０１２４１９９００１０１１２３Ｘ", "37012419900101123X"),
    ("３７０１２４１９９００１０１１２３ｘ", "37012419900101123X"),
    (" 370124 1990 0101 123X ", "37012419900101123X"),
    ("370124\u300019900101123X", "37012419900101123X"),
    ("\t370124199001011\n23X\u00a0", "37012419900101123X"),
    ("\ufeff37012419900101123X\u200b", "37012419900101123X"),
    ("'37012419900101123X", "37012419900101123X"),
    ("‘37012419900101123X’", "37012419900101123X"),
    ('"37012419900101123X"', "37012419900101123X"),
    ("＇37012419900101123X", "37012419900101123X"),
    ('="37012419900101123X"', "37012419900101123X"),
    ("", ""),
    (None, ""),
    ("abc", "ABC"),  # normalizing does not validate
])
def test_normalize_id_number_cleans_what_clerks_paste(raw, expected):
    assert normalize_id_number(raw) == expected


# --- parse_id_number: accepted ---------------------------------------------------------------


def test_valid_id_gives_birth_date_sex_and_region():
    info = parse_id_number(VALID_ID, today=TODAY)
    assert info == IdNumberInfo(VALID_ID, date(1949, 12, 31), "F", "110105", "北京市朝阳区")


def test_pingyin_id_names_the_county():
    info = parse_id_number(PINGYIN_1990, today=TODAY)
    assert info.region_code == "370124"
    assert info.region_name == "山东省济南市平阴县"
    assert info.sex == "M"


@pytest.mark.parametrize("raw", [
    "37012419900101123x",
    " 370124 19900101 123x ",
    "３７０１２４１９９００１０１１２３ｘ",
    "'37012419900101123X",
])
def test_id_typed_any_way_is_accepted_and_normalized(raw):
    assert parse_id_number(raw, today=TODAY).number == PINGYIN_1990


@pytest.mark.parametrize(("seq", "sex"), [(122, "F"), (123, "M"), (0, "F"), (999, "M")])
def test_sex_follows_parity_of_17th_digit(seq, sex):
    number = make_id_number("370102", date(1980, 6, 15), seq)
    assert parse_id_number(number, today=TODAY).sex == sex


@pytest.mark.parametrize(("code", "name_part"), [
    ("370124", "平阴县"),
    ("370102", "历下区"),
    ("370181", "章丘市"),  # 1992-2016, now 370114 章丘区
    ("371002", "环翠区"),
    ("370121", "历城县"),  # abolished 1987
    ("110203", "通县"),  # abolished 1982
    ("130204", "古冶区"),  # renamed: the latest name is shown
])
def test_shandong_and_abolished_region_codes_are_accepted(code, name_part):
    info = parse_id_number(make_id_number(code, date(1975, 8, 8), 31), today=TODAY)
    assert name_part in info.region_name


@pytest.mark.parametrize(("code", "born"), [
    ("370124", date(1965, 3, 12)),  # 平阴县 code since 1985
    ("370126", date(1972, 11, 30)),  # 商河县 since 1989
    ("370112", date(1961, 7, 1)),  # 历城区 since 1987
    ("370281", date(1970, 1, 31)),  # 胶州市 since 1989
    ("371002", date(1968, 5, 20)),  # 环翠区 since 1987
    ("370181", date(1975, 9, 9)),  # 章丘市 1992-2016
    ("110112", date(1966, 2, 14)),  # 通州区 since 1997
    ("441900", date(1963, 10, 1)),  # 东莞市 since 1988
])
def test_id_of_person_born_1960s_70s_with_region_created_later_is_valid(code, born):
    number = make_id_number(code, born, 57)
    info = parse_id_number(number, today=TODAY)
    assert info.birth_date == born
    assert is_valid_id_number(number, today=TODAY)


def test_id_of_person_born_1965_with_region_created_later_is_valid():
    # 370124 (平阴县) only appears in cn/loc from 1985; stdnum's ric.validate refuses this.
    number = "370124196503121" + "23"
    number = number[:17] + check_digit(number[:17])
    assert parse_id_number(number, today=TODAY).birth_date == date(1965, 3, 12)


@pytest.mark.parametrize("code", ["370124", "370102", "370181", "371002", "370121", "810000"])
def test_region_codes_past_and_present_are_known(code):
    assert code in known_region_codes()
    assert region_name(code)


def test_region_table_is_large_and_cached():
    assert len(known_region_codes()) > 6000
    assert known_region_codes() == known_region_codes()


# --- check digit, 15 → 18 -------------------------------------------------------------------


@pytest.mark.parametrize(("first17", "check"), [
    ("11010519491231002", "X"),
    ("44052418800101001", "4"),
    ("37012419900101123", "X"),
])
def test_check_digit_is_iso_7064_mod_11_2(first17, check):
    assert check_digit(first17) == check


@pytest.mark.parametrize("position", range(17))
def test_single_digit_typo_is_refused(position):
    wrong = str((int(PINGYIN_1990[position]) + 1) % 10)
    number = PINGYIN_1990[:position] + wrong + PINGYIN_1990[position + 1:]
    assert not is_valid_id_number(number, today=TODAY)


def test_wrong_check_digit_is_refused():
    error = refusal(parse_id_number, PINGYIN_1990[:17] + "1", today=TODAY)
    assert error.field == "id_number"
    assert "校验位" in error.message
    assert_one_chinese_sentence(error.message)


@pytest.mark.parametrize(("old", "new"), [
    ("370124900101123", "37012419900101123X"),
    ("110105491231002", "11010519491231002X"),
])
def test_15_digit_id_is_converted_to_18(old, new):
    assert upgrade_15_to_18(old) == new
    info = parse_id_number(old, today=TODAY)
    assert info.number == new
    assert info.birth_date.year < 2000


@pytest.mark.parametrize("raw", [370124900101123, 370124900101123.0, "370124900101123.0"])
def test_15_digit_id_stored_as_excel_number_is_exact_and_accepted(raw):
    assert parse_id_number(raw, today=TODAY).number == "37012419900101123X"


@pytest.mark.parametrize("old", ["370124900230123", "370124901301123", "990101900101123"])
def test_15_digit_id_is_validated_after_conversion(old):
    assert refusal(parse_id_number, old, today=TODAY).field == "id_number"


def test_15_digit_id_with_x_is_refused():
    assert "15位" in refusal(parse_id_number, "37012490010112X", today=TODAY).message


# --- birth dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [1960, 1988, 2000, 2024])
def test_feb_29_of_leap_year_is_accepted(year):
    number = make_id_number("370102", date(year, 2, 29), 12)
    assert parse_id_number(number, today=TODAY).birth_date == date(year, 2, 29)


@pytest.mark.parametrize("digits", ["19890229", "19000229", "20230229", "19900230", "19901301",
                                    "19900001", "19900100", "19900431"])
def test_impossible_birth_date_is_refused(digits):
    first17 = "370102" + digits + "123"
    error = refusal(parse_id_number, first17 + check_digit(first17), today=TODAY)
    assert error.field == "id_number"
    assert "不存在" in error.message
    assert_one_chinese_sentence(error.message)


def test_future_birth_date_is_refused():
    number = make_id_number("370102", TODAY + timedelta(days=1), 12)
    error = refusal(parse_id_number, number, today=TODAY)
    assert "晚于今天" in error.message


def test_birth_date_of_today_is_accepted():
    assert parse_id_number(make_id_number("370102", TODAY, 12), today=TODAY)


def test_birth_year_before_1900_is_refused():
    number = make_id_number("370102", date(1899, 12, 31), 12)
    assert "1900" in refusal(parse_id_number, number, today=TODAY).message


# --- Excel-mangled numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    "3.70124E+17",
    "3.70124e+17",
    "3.70124199001011E+17",
    " 3.70124E+17 ",
    "370124199001011000.0",
    "370124199001011000",
    370124199001011000,
    3.70124199001011e17,
    370124199001011234.0,
])
def test_excel_rounded_id_is_refused_with_excel_message(raw):
    error = refusal(parse_id_number, raw, today=TODAY)
    assert error.field == "id_number"
    assert "Excel" in error.message
    assert "文本" in error.message
    assert_one_chinese_sentence(error.message)


# --- shape ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "hint"), [
    ("", "请填写"),
    ("   ", "请填写"),
    (None, "请填写"),
    ("37012419900101123", "17位"),
    ("3701241990010112345", "19位"),
    ("37012419900101123Y", "数字"),
    ("X70124199001011234", "数字"),
    ("37012419900101-123X", "数字"),
    ("身份证号", "数字"),
])
def test_wrong_length_or_characters_are_refused(raw, hint):
    error = refusal(parse_id_number, raw, today=TODAY)
    assert error.field == "id_number"
    assert hint in error.message
    assert_one_chinese_sentence(error.message)


@pytest.mark.parametrize("code", ["990101", "000000", "370199", "371099", "123456"])
def test_unknown_region_is_refused(code):
    error = refusal(parse_id_number, make_id_number(code, date(1990, 1, 1), 5), today=TODAY)
    assert error.field == "id_number"
    assert code in error.message
    assert_one_chinese_sentence(error.message)


def test_parse_without_today_uses_the_clock():
    assert parse_id_number(VALID_ID).birth_date == date(1949, 12, 31)


@pytest.mark.parametrize(("args", "problem"), [
    (("37012", date(1990, 1, 1), 1), "region"),
    (("370124", date(1990, 1, 1), 1000), "seq"),
    (("370124", date(1990, 1, 1), -1), "seq"),
])
def test_make_id_number_rejects_impossible_arguments(args, problem):
    with pytest.raises(ValueError, match=problem):
        make_id_number(*args)


# --- phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("8613812345678", "13812345678"),
    ("(+86)13812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("19912345678", "19912345678"),
    (13812345678, "13812345678"),
    (13812345678.0, "13812345678"),
    ("0531-88886666", "0531-88886666"),
    ("(0531)88886666", "0531-88886666"),
    ("（０５３１）８８８８６６６６", "0531-88886666"),
    ("0531 8888 6666", "0531-88886666"),
    ("053188886666", "0531-88886666"),
    ("0534-2345678", "0534-2345678"),
    ("010-65123456", "010-65123456"),
    ("021 5555 6666", "021-55556666"),
    ("+86 531 8888 6666", "0531-88886666"),
    ("+86 10 6512 3456", "010-65123456"),
    ("0086-0531-88886666", "0531-88886666"),
    ("", ""),
    ("  ", ""),
    (None, ""),
])
def test_normalize_phone_accepts_mobiles_and_landlines(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", [
    "1381234567", "138123456789", "12812345678", "10086", "88886666", "0531-888",
    "0531-088886666", "+1 202 555 0100", "138-1234-567a", "电话", "13812345678/13912345678",
    "0531-88886666-123", 13.5,
])
def test_bad_phone_is_refused(raw):
    error = refusal(normalize_phone, raw)
    assert error.field == "phone"
    assert_one_chinese_sentence(error.message)


# --- credit code -----------------------------------------------------------------------------


def _credit_code(first17: str) -> str:
    """A valid credit code for ``first17``."""
    return first17 + credit_code_check_char(first17)


@pytest.mark.parametrize("code", [
    "91110000600037341L",
    _credit_code("91370124MA3C5XY41"),
    _credit_code("N2370124MF1234567"),  # village collective economic organization
    _credit_code("93370124MA0000001"),  # farmers' cooperative
    _credit_code("Y1370124000000001"),
])
def test_valid_credit_code_is_accepted(code):
    assert validate_credit_code(code) == code
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(("raw", "expected"), [
    ("91110000600037341l", "91110000600037341L"),
    (" 9111 0000 6000 3734 1L ", "91110000600037341L"),
    ("911100-00600037341L", "91110000600037341L"),
    ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
    ("'91110000600037341L", "91110000600037341L"),
])
def test_credit_code_typed_any_way_is_normalized(raw, expected):
    assert normalize_credit_code(raw) == expected
    assert validate_credit_code(raw) == expected


@pytest.mark.parametrize(("raw", "hint"), [
    ("", "请填写"),
    (None, "请填写"),
    ("9111000060003734", "16位"),
    ("91110000600037341M", "校验位"),
    ("9111000060003734IL", "I"),
    ("91110000600O37341L", "O"),
    ("911A0000600037341L", "第3到8位"),
])
def test_bad_credit_code_is_refused(raw, hint):
    error = refusal(validate_credit_code, raw)
    assert error.field == "credit_code"
    assert hint in error.message
    assert_one_chinese_sentence(error.message)


# --- masking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("370124199001011234", "3701**********1234"),
    ("37012419900101123X", "3701**********123X"),
    ("37012419900101123x", "3701**********123X"),
    ("370124900101123", "3701*******1123"),
    ("", ""),
    (None, ""),
    ("123", "***"),
    ("12345678", "********"),
])
def test_mask_id_number(raw, expected):
    assert mask_id_number(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("13812345678", "138****5678"),
    ("0531-88886666", "0531-****6666"),
    ("010-6512345", "010-***2345"),
    ("", ""),
    (None, ""),
    ("123", "***"),
    ("1234567-", "********"),
])
def test_mask_phone(raw, expected):
    assert mask_phone(raw) == expected


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    "2026-03-01", "2026-3-1", "2026/3/1", "2026/03/01", "2026.3.1", "2026年3月1日",
    "2026年03月01日", "2026年3月1号", "20260301", " 2026-03-01 ", "２０２６年３月１日",
    "2026-03-01 08:30:00", "2026-03-01T08:30", 46082, 46082.0, 46082.75, "46082", "46082.0",
    date(2026, 3, 1), datetime(2026, 3, 1, 17, 45),
])
def test_parse_date_accepts_common_forms(raw):
    assert parse_date(raw) == date(2026, 3, 1)


@pytest.mark.parametrize(("serial", "expected"), [
    (1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1)),
    (36526, date(2000, 1, 1)), (45351, date(2024, 2, 29)),
])
def test_excel_serial_uses_1900_date_system(serial, expected):
    assert parse_date(serial) == expected


@pytest.mark.parametrize("raw", [
    "", None, "abc", "2026-02-29", "2026-13-01", "2026-3/1", "3/1/2026", "1899-12-31",
    "0026-03-01", 0, -1, 60, 10**30, float("nan"), float("inf"), True, "2026年2月30日",
])
def test_parse_date_refuses_the_rest(raw):
    error = refusal(parse_date, raw)
    assert error.field == "date"
    assert_one_chinese_sentence(error.message)


@pytest.mark.parametrize(("birth", "on", "age"), [
    (date(1965, 3, 12), date(2026, 3, 11), 60),
    (date(1965, 3, 12), date(2026, 3, 12), 61),
    (date(2000, 2, 29), date(2023, 2, 28), 22),
    (date(2000, 2, 29), date(2023, 3, 1), 23),
    (date(2000, 2, 29), date(2024, 2, 29), 24),
    (date(1990, 1, 1), date(1990, 1, 1), 0),
])
def test_age_on_counts_completed_years(birth, on, age):
    assert age_on(birth, on) == age


# --- property tests --------------------------------------------------------------------------

ID_ALPHABET = "0123456789xX.eE+- '\u3000０１２３４５６７８９"
anything = st.one_of(
    st.text(), st.text(alphabet=ID_ALPHABET, max_size=25), st.integers(),
    st.floats(), st.none(), st.booleans(),
)


@settings(max_examples=300)
@given(anything)
def test_parse_id_number_never_raises_anything_but_validation_error(raw):
    try:
        info = parse_id_number(raw, today=TODAY)
    except ValidationError as error:
        assert error.field == "id_number"
        assert_one_chinese_sentence(error.message)
    else:
        assert len(info.number) == 18


@settings(max_examples=300)
@given(st.one_of(anything, st.text(alphabet="0123456789+-() ８６", max_size=20)))
def test_normalize_phone_never_raises_anything_but_validation_error(raw):
    try:
        phone = normalize_phone(raw)
    except ValidationError as error:
        assert error.field == "phone"
        assert_one_chinese_sentence(error.message)
    else:
        assert phone == "" or phone.replace("-", "").isdigit()


@settings(max_examples=200)
@given(st.one_of(anything, st.text(alphabet="0123456789-/.年月日号: ", max_size=20)))
def test_parse_date_never_raises_anything_but_validation_error(raw):
    try:
        parse_date(raw)
    except ValidationError as error:
        assert error.field == "date"


@settings(max_examples=200)
@given(anything)
def test_validate_credit_code_never_raises_anything_but_validation_error(raw):
    try:
        validate_credit_code(raw)
    except ValidationError as error:
        assert error.field == "credit_code"


@settings(max_examples=300)
@given(st.one_of(anything, st.lists(st.integers()), st.binary()))
def test_masking_never_raises(raw):
    assert isinstance(mask_id_number(raw), str)
    assert isinstance(mask_phone(raw), str)


@settings(max_examples=300)
@given(
    code=st.sampled_from(sorted(known_region_codes())),
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
)
def test_every_generated_valid_id_round_trips(code, born, seq):
    number = make_id_number(code, born, seq)
    info = parse_id_number(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == born
    assert info.sex == ("M" if seq % 2 else "F")
    assert info.region_code == code
    assert info.region_name
    assert parse_id_number(number.lower()[:6] + " " + number[6:].lower(), today=TODAY) == info
    masked = mask_id_number(number)
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:] and len(masked) == 18


@settings(max_examples=200)
@given(
    code=st.sampled_from(sorted(known_region_codes())),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
)
def test_every_15_digit_id_converts_to_the_matching_18_digit_id(code, born, seq):
    old = f"{code}{born:%y%m%d}{seq:03d}"
    assert parse_id_number(old, today=TODAY).number == make_id_number(code, born, seq)


@settings(max_examples=200)
@given(
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    prefix=st.sampled_from(["", "+86", "+86 ", "0086", "86"]),
)
def test_every_mobile_round_trips(mobile, prefix):
    spaced = f"{mobile[:3]} {mobile[3:7]}-{mobile[7:]}"
    assert normalize_phone(prefix + spaced) == mobile
    assert mask_phone(mobile) == mobile[:3] + "****" + mobile[7:]
