"""ID numbers (GB 11643): check digit, birth date, sex, and the one masking rule."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from jiujinan.cases.enums import Sex
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.idcard import check_digit, is_valid_id, parse_id_number
from jiujinan.cases.masking import mask_id, mask_name

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), Sex.FEMALE),  # the standard's own example
        ("440524188001010014", dt.date(1880, 1, 1), None),  # too old: refused below
        ("34180219650314123" + check_digit("34180219650314123"), dt.date(1965, 3, 14), Sex.MALE),
    ],
)
def test_valid_numbers_give_birth_and_sex(number: str, birth: dt.date, sex: Sex | None) -> None:
    if sex is None:
        with pytest.raises(ValidationError, match="不合理"):
            parse_id_number(number, TODAY)
        return
    info = parse_id_number(number, TODAY)
    assert (info.birth_date, info.sex) == (birth, sex)


def test_lower_case_x_spaces_and_full_width_are_accepted() -> None:
    assert parse_id_number(" 110105 19491231 002x ", TODAY).number == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ", TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "请填写"),
        ("1101051949123100", "18位"),
        ("11010519491231002X1", "18位"),
        ("11010519491231002Y", "数字"),
        ("1101051949123100X2", "数字"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "数字"),
        ("11010519491231002" + "1", "校验位"),
        ("110105194902300020", "出生日期"),  # 30 February
        ("110105203001010020", "不合理"),  # born in the future
        ("99010519491231002X", "省级"),
    ],
)
def test_invalid_numbers_say_why(number: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number(number, TODAY)
    assert reason in str(info.value)


first17 = st.builds(
    lambda region, birth, seq: f"{region}{birth:%Y%m%d}{seq:03d}",
    st.sampled_from(["341802", "110105", "440524", "650102"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


@given(first17)
def test_check_digit_makes_any_number_valid(prefix: str) -> None:
    assert is_valid_id(prefix + check_digit(prefix), TODAY)


@given(first17, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_typo_is_caught(prefix: str, position: int, delta: int) -> None:
    number = prefix + check_digit(prefix)
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert not is_valid_id(typo, TODAY)  # MOD 11-2 catches every single-digit error


def test_masking_rule() -> None:
    assert mask_id("340102199001011234") == "340102********1234"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳娜娜") == "欧*娜娜"
    assert mask_name("王") == "王"
    assert mask_name("张 三") == "张 *" and mask_name("张·三丰") == "张·*丰"  # a separator is not the name
