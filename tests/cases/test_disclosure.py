"""The disclosure table: one cell for every field on every output, the 公示's public rule
whoever prints it, and printouts that follow the screen's full-ID permission."""

import dataclasses

import pytest

from jiujinan.cases.application import validate_application
from jiujinan.cases.disclosure import (
    TABLE, Kind, Output, Shown, disclose, disclose_application, require_full, shown,
)
from jiujinan.cases.users import Permission, PermissionDenied, Role
from tests.conftest import TODAY, application, make_id

CLERK, REVIEWER, ADMIN = frozenset({Role.CLERK}), frozenset({Role.REVIEWER}), frozenset({Role.ADMIN})


def test_every_output_says_how_it_shows_every_kind_of_field() -> None:
    assert set(TABLE) == set(Output)
    assert all(set(row) == set(Kind) for row in TABLE.values())


@pytest.mark.parametrize("roles", [CLERK, REVIEWER, ADMIN, frozenset(Role)])
def test_the_public_papers_mask_for_everyone(roles) -> None:  # noqa: ANN001
    for output in (Output.NOTICE, Output.POSTED_ROSTER):
        assert disclose("张三丰", output, Kind.NAME, roles) == "张*丰"
        assert disclose("340102196503141234", output, Kind.ID_NUMBER, roles) == "340102********1234"
    for kind in (Kind.ACCOUNT, Kind.PHONE, Kind.HARDSHIP):  # DOMAIN: never on the 公示
        assert shown(Output.NOTICE, kind, roles) is Shown.OMITTED


def test_printouts_follow_the_screens_full_id_permission() -> None:
    for output in (Output.FORM, Output.ROSTER):
        assert TABLE[output][Kind.ID_NUMBER] == TABLE[Output.SCREEN][Kind.ID_NUMBER] == Permission.SEE_FULL
        assert shown(output, Kind.ID_NUMBER, CLERK) is shown(output, Kind.ID_NUMBER, ADMIN) is Shown.FULL
        assert shown(output, Kind.ID_NUMBER, REVIEWER) is Shown.MASKED
        assert shown(output, Kind.ID_NUMBER, CLERK, want_full=False) is Shown.MASKED
    assert shown(Output.EXPORT, Kind.ID_NUMBER, CLERK) is Shown.MASKED  # full exports: administrators
    assert shown(Output.LIST, Kind.ID_NUMBER, frozenset(Role)) is Shown.MASKED


def test_an_application_is_masked_field_by_field() -> None:
    app = validate_application(application(agent_id_number=make_id(seq="55"), agent_name="张小", agent_relation="子", agent_has_poa=True,
                                           members=[("李四", "配偶", make_id(seq="66", sex_digit="2"))]), TODAY)
    masked = disclose_application(app, Output.FORM, REVIEWER)
    assert masked.id_number == make_id()[:6] + "********" + make_id()[-4:]
    assert masked.agent_id_number.count("*") == 8 and masked.members[0].id_number.count("*") == 8
    assert masked.account_no == "622848*********8901" and masked.phone == "139****1234"
    assert (masked.applicant_name, masked.address, masked.hardship) == (app.applicant_name, app.address, app.hardship)
    assert disclose_application(app, Output.FORM, CLERK) == app
    assert dataclasses.replace(masked, id_number=app.id_number) != app


def test_the_birth_date_beside_a_masked_id_is_the_year_alone() -> None:
    """The eight masked digits are the birth date: printed beside the masked ID, the full
    date would give the whole number back."""
    from jiujinan.cases.disclosure import birth_shown

    app = validate_application(application(), TODAY)
    masked = disclose_application(app, Output.FORM, REVIEWER)
    day = app.birth_date
    assert birth_shown(masked) == f"{day.year}年"
    assert birth_shown(app) == f"{day.year}年{day.month}月{day.day}日"
    assert day.strftime("%Y%m%d") == app.id_number[6:14] and day.strftime("%m%d") not in birth_shown(masked)


def test_asking_for_the_full_numbers_without_the_right_is_refused() -> None:
    require_full("王会计", CLERK, Output.SCREEN, Kind.ID_NUMBER)
    with pytest.raises(PermissionDenied, match="需要经办人或管理员角色"):
        require_full("李主任", REVIEWER, Output.SCREEN, Kind.ID_NUMBER)
    with pytest.raises(PermissionDenied, match="导出完整身份证号：需要管理员角色"):
        require_full("王会计", CLERK, Output.EXPORT, Kind.ID_NUMBER)
    with pytest.raises(PermissionDenied, match="公示上的身份证号不给出完整内容"):
        require_full("王会计", ADMIN, Output.NOTICE, Kind.ID_NUMBER)
