"""Who may do what, passwords and the sign-in delay, without a database (cases/users.py)."""

import datetime as dt

import pytest

from jiujinan.cases.errors import ValidationError
from jiujinan.cases.users import (
    FREE_FAILURES, MAX_DELAY, WRONG, LoginRecord, LoginRefused, Permission, PermissionDenied, Role,
    after_failure, allows, check_may_try, delay_after, dummy_hash, failure_message, hash_password, parse_roles,
    require, roles_label, roles_needed, seconds_to_wait, store_roles, throttle_key, validate_password,
    verify_password,
)

C, R, A = Role.CLERK, Role.REVIEWER, Role.ADMIN
P = Permission
NOW = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.timezone.utc)

# Which roles grant each permission: the office's division of work, one row a permission.
WHO_MAY = {
    P.INTAKE: {C}, P.MONEY: {C}, P.WITHDRAW: {C, R}, P.SEE_FULL: {C, A},
    P.REVIEW: {R}, P.DISTRICT: {R, A},
    P.SETTINGS: {A}, P.USERS: {A}, P.MONTH_CLOSE: {A}, P.RESTORE: {A}, P.FULL_IDS: {A},
    P.SIGNING_KEYS: {A}, P.SWITCH_DATABASE: {A}, P.OFFICES: {A}, P.PACKETS: {C, R, A},
}


def test_every_permission_is_in_the_table() -> None:
    assert set(WHO_MAY) == set(Permission)


@pytest.mark.parametrize("permission", list(Permission))
def test_which_roles_grant_each_permission(permission) -> None:  # noqa: ANN001
    for role in Role:
        assert allows(frozenset({role}), permission) == (role in WHO_MAY[permission]), (role, permission)
    assert allows(frozenset(Role), permission)
    assert not allows(frozenset(), permission)


@pytest.mark.parametrize(("user", "roles", "permission", "refusal"), [
    ("王", {C}, P.INTAKE, None),
    ("王", {C}, P.REVIEW, "王（经办人）不能记录审核审批：需要审核人角色"),
    ("李", {R}, P.SEE_FULL, "李（审核人）不能查看和打印完整的身份证号、账号和电话：需要经办人或管理员角色"),
    ("赵", set(), P.WITHDRAW, "赵（无角色）不能撤回案件：需要经办人或审核人角色"),
    ("钱", {C, R}, P.USERS, "钱（经办人、审核人）不能管理用户：需要管理员角色"),
])
def test_refusals_name_the_user_and_the_role_needed(user, roles, permission, refusal) -> None:  # noqa: ANN001
    if refusal is None:
        require(user, frozenset(roles), permission)
        return
    with pytest.raises(PermissionDenied) as info:
        require(user, frozenset(roles), permission)
    assert str(info.value) == refusal


@pytest.mark.parametrize(("text", "roles"), [
    ("clerk", {C}), ("经办人", {C}), ("经办人、管理员", {C, A}), ("clerk,reviewer", {C, R}),
    (" 审核人 ，管理员 ", {R, A}), ("admin,admin", {A}), ("经办人,,", {C}),
])
def test_roles_as_typed_or_stored(text, roles) -> None:  # noqa: ANN001
    parsed = parse_roles(text)
    assert parsed == roles
    assert parse_roles(store_roles(parsed)) == parsed  # what is stored reads back the same


@pytest.mark.parametrize(("text", "message"), [
    ("社长", "不认识的角色“社长”，应为 经办人、审核人 或 管理员"),
    ("经办人、出纳", "不认识的角色“出纳”"),
    ("", "至少选择一个角色"),
    (" , 、", "至少选择一个角色"),
])
def test_roles_refused(text, message) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError, match=message):
        parse_roles(text)


@pytest.mark.parametrize(("roles", "label"), [
    ({A, C}, "经办人、管理员"), ({R}, "审核人"), (set(), "无角色"), (set(Role), "经办人、审核人、管理员"),
])
def test_roles_label_in_office_order(roles, label) -> None:  # noqa: ANN001
    assert roles_label(frozenset(roles)) == label


def test_roles_needed_reads_as_a_clerk_would() -> None:
    assert roles_needed(P.MONEY) == "经办人"
    assert roles_needed(P.WITHDRAW) == "经办人或审核人"


@pytest.mark.parametrize(("password", "message"), [
    ("qingshan-2026", None),
    ("青山村2026!", None),
    ("a1b2c3d", "密码至少 8 位"),
    ("x" * 129, "密码最多 128 位"),
    ("abababab", "密码太简单：至少用 4 个不同的字符"),
    ("abcdefg\x07", "密码不能含控制字符"),
    ("abcdefg\x7f", "密码不能含控制字符"),
])
def test_passwords(password, message) -> None:  # noqa: ANN001
    if message is None:
        validate_password(password)
        return
    with pytest.raises(ValidationError, match=message):
        validate_password(password)


def test_a_password_hash_verifies_only_its_password() -> None:
    stored = hash_password("青山村2026!", salt=bytes(16))
    assert stored.startswith("scrypt$")  # its cost stored with it (the tests lower it for speed)
    assert verify_password("青山村2026!", stored)
    assert not verify_password("青山村2026", stored)
    assert not verify_password("anything", dummy_hash())  # the hash checked for a name nobody has


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$AAAA$AAAA", "scrypt$16384$8$1$!!$AAAA"])
def test_a_malformed_stored_hash_verifies_nothing(stored) -> None:  # noqa: ANN001
    assert not verify_password("qingshan-2026", stored)


@pytest.mark.parametrize(("failures", "seconds"), [
    (0, 0), (FREE_FAILURES - 1, 0), (FREE_FAILURES, 1), (FREE_FAILURES + 1, 2), (FREE_FAILURES + 8, 256),
    (FREE_FAILURES + 9, MAX_DELAY.total_seconds()), (10_000, MAX_DELAY.total_seconds()),  # never a lock
])
def test_the_delay_grows_and_stops_at_its_cap(failures, seconds) -> None:  # noqa: ANN001
    assert delay_after(failures).total_seconds() == seconds


def test_a_wrong_try_past_the_free_ones_waits_and_is_told_how_long() -> None:
    record = LoginRecord()
    for _ in range(FREE_FAILURES - 1):
        record = after_failure(record, NOW)
        assert record.next_try_at is None and str(failure_message(record, NOW)) == WRONG
    record = after_failure(record, NOW)
    assert record.failures == FREE_FAILURES and record.next_try_at == NOW + dt.timedelta(seconds=1)
    assert str(failure_message(record, NOW)) == f"{WRONG}，请 1 秒后再试"
    with pytest.raises(LoginRefused, match="登录失败次数过多，请 1 秒后再试") as info:
        check_may_try(record, NOW)
    assert info.value.seconds == 1
    check_may_try(record, NOW + dt.timedelta(seconds=1))  # heard again once the wait is over


@pytest.mark.parametrize(("next_try", "now", "seconds"), [
    (None, NOW, 0),
    (NOW, NOW, 0),
    (NOW + dt.timedelta(seconds=10), NOW, 10),
    (NOW + dt.timedelta(milliseconds=200), NOW, 1),  # a part of a second is said as one
    (NOW + dt.timedelta(seconds=1.5), NOW, 2),
])
def test_seconds_to_wait(next_try, now, seconds) -> None:  # noqa: ANN001
    assert seconds_to_wait(LoginRecord(5, next_try), now) == seconds


def test_the_throttle_keys_a_name_by_its_digest() -> None:
    assert throttle_key(" 王会计 ") == throttle_key("王会计") != throttle_key("李主任")
    assert "王会计" not in throttle_key("王会计") and len(throttle_key("王会计")) == 64
