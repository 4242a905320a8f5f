"""Household members' age and income source (年龄, 收入来源) as the form and the files give them."""

import datetime as dt

import pytest

from jiujinan.cases.application import as_input, validate_application
from jiujinan.cases.errors import ValidationError
from tests.conftest import TODAY, application, make_id


def members_error(rows: list[tuple[str, ...]]) -> str:
    with pytest.raises(ValidationError) as info:
        validate_application(application(members=rows, household_size="9"), TODAY)
    return "；".join(e.message for e in info.value.errors if e.field == "members")


def test_age_and_income_source_are_kept_and_come_back_to_the_form() -> None:
    app = validate_application(application(members=[("李四", "配偶", "", "58", "务农"), ("张小五", "子", "")]), TODAY)
    assert [(m.age, m.income_source) for m in app.members] == [(58, "务农"), (None, "")]
    assert as_input(app).members == [("李四", "配偶", "", "58", "务农"), ("张小五", "子", "", "", "")]
    assert validate_application(as_input(app), TODAY) == app  # a round trip changes nothing


def test_the_age_is_read_from_the_id_number_on_the_day_of_application() -> None:
    born = TODAY.replace(year=TODAY.year - 30)
    number = make_id(birth=born.strftime("%Y%m%d"))
    app = validate_application(application(members=[("李四", "配偶", number, "", "")]), TODAY)
    assert app.members[0].age == 30
    earlier = validate_application(application(members=[("李四", "配偶", number)],
                                               applied_on=TODAY - dt.timedelta(days=1)), TODAY)
    assert earlier.members[0].age == 29  # the day before the birthday


@pytest.mark.parametrize(("age", "said"), [
    ("121", "年龄应为0到120之间的整数"), ("-1", "年龄应为0到120"), ("三十", "年龄应为0到120"),
    ("12.5", "年龄应为0到120"), ("9" * 5000, "年龄应为0到120"), ("²", "年龄应为0到120"),
])
def test_a_bad_age_is_named_with_its_member(age: str, said: str) -> None:
    message = members_error([("李四", "配偶", "", age, "")])
    assert "第1位家庭成员" in message and said in message


def test_an_age_that_disagrees_with_the_id_number_is_refused() -> None:
    born = TODAY.replace(year=TODAY.year - 30)
    message = members_error([("李四", "配偶", make_id(birth=born.strftime("%Y%m%d")), "31", "")])
    assert "第1位家庭成员年龄与身份证号不符（按身份证号申请时为30岁）" in message


def test_the_income_source_is_short_text() -> None:
    assert "收入来源" in members_error([("李四", "配偶", "", "", "务" * 41)])
    assert "收入来源" in members_error([("李四", "配偶", "", "", "务\x07工")])
    assert validate_application(application(members=[("李四", "配偶", "", "0", "无")]), TODAY).members[0].age == 0


def test_a_row_with_only_an_age_still_needs_a_name() -> None:
    assert "第1位家庭成员姓名" in members_error([("", "", "", "40", "")])
