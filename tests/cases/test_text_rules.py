"""Free text as a clerk types it (cases/text.py): trimmed, bounded, and nothing that displays or
prints other than it is stored (control and direction characters, emoji)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiujinan.cases.errors import ValidationError
from jiujinan.cases.text import NAME_SEPARATORS, clean_text, split_names


def clean(value: str, **kw: object) -> str:
    options = {"field": "memo", "label": "摘要", "max_len": 10, **kw}
    return clean_text(value, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "options", "stored"), [
    ("  张三  ", {}, "张三"),
    ("", {}, ""),
    ("\u3164\u2800", {}, ""),  # only blank-looking letters: as empty as blanks
    ("x" * 10, {}, "x" * 10),  # at the limit
    ("℃×①☎", {}, "℃×①☎"),  # symbols the font has stay
    ("第一行\r\n第二行\r第三", {"multiline": True, "max_len": 20}, "第一行\n第二行\n第三"),
    ("甲\t乙", {"multiline": True}, "甲\t乙"),
    ("阿依古丽·买买提", {"person_name": True, "max_len": 20}, "阿依古丽·买买提"),
    ("O'Neil Li-Na", {"person_name": True, "max_len": 20}, "O'Neil Li-Na"),
])
def test_text_kept(value, options, stored) -> None:  # noqa: ANN001
    assert clean(value, **options) == stored


@pytest.mark.parametrize(("value", "options", "message"), [
    ("", {"required": True}, "请填写摘要"),
    ("  \u3164 ", {"required": True}, "请填写摘要"),
    ("x" * 11, {}, "摘要最多10个字，现有11个"),
    ("甲\x00乙", {}, "摘要含有不可见的控制字符，请重新输入"),
    ("甲\u202e乙", {}, "摘要含有不可见的控制字符"),  # a direction override shows another text
    ("甲\u200b乙", {}, "摘要含有不可见的控制字符"),  # zero-width space
    ("甲\n乙", {}, "摘要含有不可见的控制字符"),  # a line break where one line is meant
    ("\ue000", {}, "摘要含有不可见的控制字符"),  # private use
    ("好😀", {}, "摘要含有表情符号，打印出来会是方框，请删去"),
    ("张三1", {"person_name": True}, "摘要只能由文字组成（少数民族姓名可用间隔号“·”），不能有“1”"),
    ("张（三）", {"person_name": True}, "不能有“（”"),
])
def test_text_refused(value, options, message) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as info:
        clean(value, **options)
    assert message in str(info.value)
    assert [e.field for e in info.value.errors] == ["memo"]  # shown beside its field


@given(st.text(max_size=30))
def test_whatever_is_kept_is_trimmed_bounded_and_clean_again(value: str) -> None:
    try:
        kept = clean(value, max_len=30)
    except ValidationError:
        return
    assert kept == kept.strip() and len(kept) <= 30
    assert clean(kept, max_len=30) == kept  # cleaning is done once and for all


@pytest.mark.parametrize(("typed", "names"), [
    ("张三、李四", ("张三", "李四")),
    ("张三，李四, 王五；赵六;钱七", ("张三", "李四", "王五", "赵六", "钱七")),
    (" 张三 、、 李四 ", ("张三", "李四")),
    ("张三", ("张三",)),
    ("", ()),
    ("、，", ()),
    ("阿依古丽·买买提、李四", ("阿依古丽·买买提", "李四")),  # the 间隔号 is in a name, not between names
])
def test_names_in_a_typed_list(typed, names) -> None:  # noqa: ANN001
    assert split_names(typed) == names
    assert split_names(NAME_SEPARATORS[0].join(names)) == names  # as the step stores them
