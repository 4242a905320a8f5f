"""The office rules (cases/offices.py): what an area code looks like for each kind, what an office
may hold, and whom it may enrol."""

import pytest

from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cases.offices import (
    Office, OfficeKind, OfficeSettings, check_setup, derived_office, holds_society, parse_area_code, parse_kind,
    related, require_related, same_fingerprint,
)

VILLAGE, TOWN, DISTRICT = OfficeKind.VILLAGE, OfficeKind.TOWN, OfficeKind.DISTRICT
QINGSHAN = Office(VILLAGE, "341802100201", "青山村救急难互助社")
SHUIYANG = Office(TOWN, "341802100000", "水阳镇人民政府")
XUANZHOU = Office(DISTRICT, "341802000000", "宣州区民政局")


@pytest.mark.parametrize("text, kind", [("village", VILLAGE), ("村", VILLAGE), ("town", TOWN), ("街道", TOWN),
                                        ("乡镇（街道）", TOWN), ("district", DISTRICT), ("民政局", DISTRICT)])
def test_kinds_by_any_name(text, kind) -> None:  # noqa: ANN001
    assert parse_kind(text) is kind


def test_an_unknown_kind_is_refused_in_chinese() -> None:
    with pytest.raises(ValidationError, match="village（村互助社）"):
        parse_kind("county")


@pytest.mark.parametrize("kind, code", [(VILLAGE, "341802100201"), (TOWN, "341802100000"),
                                        (DISTRICT, "341802000000"), (TOWN, " 3418 0210 0000 ")])
def test_codes_that_fit_their_kind(kind, code) -> None:  # noqa: ANN001
    assert parse_area_code(kind, code) == code.replace(" ", "")


@pytest.mark.parametrize("kind, code, says", [
    (VILLAGE, "341802100000", "村（社区）的区划代码后3位不应全为0"),
    (TOWN, "341802100201", "乡镇（街道）的区划代码后3位应为0"), (TOWN, "341802000000", "乡镇（街道）的区划代码后3位应为0"),
    (DISTRICT, "341802100000", "后6位应为0"), (DISTRICT, "340000000000", "后6位应为0"),
    (VILLAGE, "34180210020", "12位数字"), (VILLAGE, "３４１８０２１００２０１", "12位数字"), (TOWN, "", "12位数字")])
def test_codes_that_do_not_fit(kind, code, says) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError, match=says):
        parse_area_code(kind, code)


def test_settings_report_every_field_at_once() -> None:
    with pytest.raises(ValidationError) as raised:
        OfficeSettings(TOWN, "12", "  ").validated()
    assert {e.field for e in raised.value.errors} == {"area_code", "name"}


def test_who_works_with_whom() -> None:
    assert related(QINGSHAN, TOWN, SHUIYANG.area_code) and related(QINGSHAN, DISTRICT, XUANZHOU.area_code)
    assert related(SHUIYANG, VILLAGE, QINGSHAN.area_code) and related(SHUIYANG, DISTRICT, XUANZHOU.area_code)
    assert related(XUANZHOU, VILLAGE, QINGSHAN.area_code) and related(XUANZHOU, TOWN, SHUIYANG.area_code)
    assert not related(QINGSHAN, TOWN, "341802200000")  # another town
    assert not related(SHUIYANG, VILLAGE, "341802200101")  # another town's village
    assert not related(XUANZHOU, TOWN, "341803100000")  # another district's town
    assert not related(QINGSHAN, VILLAGE, "341802100202")  # villages do not enrol each other
    with pytest.raises(DomainError, match="同级"):
        require_related(SHUIYANG, TOWN, "341802200000", "金宝圩镇")
    with pytest.raises(DomainError, match="不是本单位.*的上级或下级单位"):
        require_related(QINGSHAN, TOWN, "341802200000", "金宝圩镇")


def test_a_database_from_before_offices_is_the_village_office_of_its_societies() -> None:
    assert derived_office([]) is None
    office = derived_office([("341802100202", "红星村"), ("341802100201", "青山村")])
    assert (office.kind, office.area_code, office.name, office.derived) == (VILLAGE, "341802100201", "青山村", True)
    assert related(office, TOWN, "341802100000") and holds_society(office, "999999999999")


def test_what_an_office_holds() -> None:
    assert holds_society(QINGSHAN, "341802100201") and not holds_society(QINGSHAN, "341802100202")
    assert holds_society(SHUIYANG, "341802100202") and not holds_society(SHUIYANG, "341802200101")
    assert holds_society(None, "341802200101")


def test_setup_once_and_only_around_its_societies() -> None:
    town = OfficeSettings(TOWN, "341802100000", "水阳镇人民政府")
    assert check_setup(None, town, ["341802100201", "341802100202"])
    with pytest.raises(DomainError, match="不在.*范围内的互助社"):
        check_setup(None, town, ["341802200101"])
    assert not check_setup(SHUIYANG, town, [])  # the same again: nothing to do
    with pytest.raises(DomainError, match="不能改设"):
        check_setup(SHUIYANG, OfficeSettings(TOWN, "341802100000", "水阳镇"), [])
    assert check_setup(derived_office([("341802100201", "青山村")]),
                       OfficeSettings(VILLAGE, "341802100201", "青山村"), ["341802100201"])


@pytest.mark.parametrize("typed, ok", [("929B D5F6 2806 98D4", True), ("929bd5f6280698d4", True),
                                       ("９２９Ｂ－Ｄ５Ｆ６ 2806 98D4", True), ("929B D5F6 2806 98D5", False),
                                       ("", False), ("   ", False)])
def test_a_fingerprint_read_over_the_phone(typed, ok) -> None:  # noqa: ANN001
    assert same_fingerprint(typed, "929B D5F6 2806 98D4") is ok


def test_an_opinion_from_above_changes_only_what_an_opinion_changes() -> None:
    from jiujinan.cases.exchange import STATE_FIELDS, adopt_state

    mine = {name: None for name in STATE_FIELDS} | {"status": "village_approved", "paid_fen": 50_000,
                                                     "emergency": True, "emergency_fen": 50_000}
    theirs = {name: None for name in STATE_FIELDS} | {"status": "awaiting_payment", "approved_fen": 600_000,
                                                       "paid_fen": 0, "emergency": False, "decided_level": "town"}
    taken = adopt_state(mine, theirs, from_above=True)
    assert (taken["status"], taken["approved_fen"], taken["decided_level"]) == ("awaiting_payment", 600_000, "town")
    assert (taken["paid_fen"], taken["emergency"], taken["emergency_fen"]) == (50_000, True, 50_000)
    assert adopt_state(mine, theirs, from_above=False) == theirs
