"""Amounts: parsing typed text into fen, formatting, and 大写 per the PBoC rules."""

import pytest
from hypothesis import given, strategies as st

from jiujinan.cases.errors import ValidationError
from jiujinan.cases.money import format_fen, format_yuan_label, parse_yuan, to_daxie


@pytest.mark.parametrize(
    ("text", "fen"),
    [("2000", 200000), ("1500.5", 150050), ("1500.50", 150050), ("0.01", 1), ("1,042,800.00", 104280000),
     (" ¥12.34 ", 1234), ("￥3", 300), ("7元", 700), ("1.", 100), ("１２３４．５", 123450), ("١٢", None)],
)
def test_parse_yuan_accepts_what_clerks_type(text: str, fen: int | None) -> None:
    if fen is None:
        with pytest.raises(ValidationError):
            parse_yuan(text)
    else:
        assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "reason"),
    [("12.345", "两位小数"), ("-5", "负数"), ("0", "大于零"), ("0.00", "大于零"), ("", "请填写"),
     ("1e3", "格式"), ("12,34", "格式"), ("abc", "格式"), ("1.2.3", "格式"), ("nan", "格式"),
     ("99999999999999999", "过大")],
)
def test_parse_yuan_refuses_bad_amounts_with_reason(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan(text, field="requested_yuan")
    assert reason in str(info.value)
    assert info.value.errors[0].field == "requested_yuan"


def test_parse_yuan_refuses_floats() -> None:
    with pytest.raises(TypeError):
        parse_yuan(12.5)  # type: ignore[arg-type]


def test_zero_allowed_when_asked() -> None:
    assert parse_yuan("0", allow_zero=True) == 0


@given(st.integers(min_value=1, max_value=10**13))
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen(fen, grouped=True)) == fen


def test_format() -> None:
    assert format_fen(1234) == "12.34"
    assert format_fen(5) == "0.05"
    assert format_fen(-150) == "-1.50"
    assert format_fen(104280000, grouped=True) == "1,042,800.00"
    assert format_yuan_label(58300) == "¥583.00"


@pytest.mark.parametrize(
    ("fen", "daxie"),
    [
        (104280000, "壹佰零肆万贰仟捌佰元整"),
        (100101, "壹仟零壹元零壹分"),
        (1234, "壹拾贰元叁角肆分"),
        (200000, "贰仟元整"),
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角"),
        (55, "伍角伍分"),
        (1000, "壹拾元整"),
        (1500, "壹拾伍元整"),
        (10050000, "壹拾万零伍佰元整"),
        (1000000100, "壹仟万零壹元整"),
        (10001000000, "壹亿零壹万元整"),
        (100000000100, "壹拾亿零壹元整"),
        (140950, "壹仟肆佰零玖元伍角"),
        (10700053, "壹拾万柒仟元伍角叁分"),
        (168032, "壹仟陆佰捌拾元叁角贰分"),
        (2000000000, "贰仟万元整"),
        (1200000, "壹万贰仟元整"),
        (1000000, "壹万元整"),
        (1001000, "壹万零壹拾元整"),
        (100000, "壹仟元整"),
        (10000, "壹佰元整"),
        (10100, "壹佰零壹元整"),
        (10000001, "壹拾万元零壹分"),
    ],
)
def test_daxie_table(fen: int, daxie: str) -> None:
    assert to_daxie(fen) == daxie


@given(st.integers(min_value=0, max_value=10**14))
def test_daxie_never_doubles_zero_and_ends_properly(fen: int) -> None:
    text = to_daxie(fen)
    assert "零零" not in text
    assert not text.endswith("零")
    assert text.endswith(("整", "角", "分"))
    assert not (text.endswith("分") and "整" in text)
