"""Separation of duties and the emergency limit, as plain rules (cases/duties.py, cases/society.py)."""

import dataclasses

import pytest

from jiujinan.cases.duties import check_advance_payment, check_approval_duty
from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.users import PermissionDenied
from tests.conftest import society_settings

REFUSED, ALLOWED = True, False


@pytest.mark.parametrize(("user", "kind", "level", "exempt", "refused"), [
    ("王", StepKind.EMERGENCY, None, False, REFUSED),  # the entrant approves his own advance
    ("王", StepKind.DECISION, Level.VILLAGE, False, REFUSED),
    ("王", StepKind.DECISION, Level.TOWN, False, ALLOWED),  # the town's decision is the town's
    ("王", StepKind.VISIT, None, False, ALLOWED),
    ("王", StepKind.EMERGENCY, None, True, ALLOWED),  # the society's written exemption
    ("李", StepKind.EMERGENCY, None, False, ALLOWED),
])
def test_who_entered_a_case_may_not_approve_it(user, kind, level, exempt, refused) -> None:  # noqa: ANN001
    if refused:
        with pytest.raises(PermissionDenied, match="职责分离"):
            check_approval_duty(user, "王", kind, level, exempt)
    else:
        check_approval_duty(user, "王", kind, level, exempt)


@pytest.mark.parametrize(("user", "approver", "payers", "refused"), [
    ("李", "李", 2, REFUSED),  # the approver pays his own advance while someone else could
    ("李", "李", 1, ALLOWED),  # he is the only one who may pay
    ("王", "李", 2, ALLOWED),
    ("李", None, 2, ALLOWED),  # no advance approved
])
def test_who_approved_an_advance_may_not_pay_it(user, approver, payers, refused) -> None:  # noqa: ANN001
    if refused:
        with pytest.raises(PermissionDenied, match="不能再发放这笔先行救助款"):
            check_advance_payment(user, approver, payers)
    else:
        check_advance_payment(user, approver, payers)


def test_the_emergency_limit_defaults_to_the_village_limit_and_is_checked() -> None:
    settings = dataclasses.replace(society_settings(), village_limit_fen=150_000)
    assert settings.emergency_limit_fen is None and settings.validated().emergency_limit_fen == 150_000
    for fen, said in ((0, "必须大于零"), (500_001, "不能高于乡镇审批限额")):
        with pytest.raises(ValidationError, match=said) as info:
            dataclasses.replace(settings, emergency_limit_fen=fen).validated()
        assert [e.field for e in info.value.errors] == ["emergency_limit_fen"]
    assert dataclasses.replace(settings, emergency_limit_fen=300_000).validated().emergency_limit() == 300_000
