"""Users: the first is the administrator, passwords are scrypt hashes, wrong passwords are
limited, roles decide what a user may do, and all of it is on the audit trail."""

import datetime as dt

import pytest
from sqlalchemy import text

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.users import (
    ALL_ROLES, FREE_FAILURES, MAX_DELAY, LoginRefused, Permission, PermissionDenied, Role, hash_password, parse_roles,
    require, verify_password,
)
from jiujinan.services import users
from jiujinan.services.check import run_checks
from tests.conftest import NOW

CLERK, ADMIN = frozenset({Role.CLERK}), frozenset({Role.ADMIN})


def test_passwords_are_salted_scrypt_and_checked() -> None:
    one, two = hash_password("青山村2026!"), hash_password("青山村2026!")
    assert one != two and one.startswith("scrypt$") and "青山村" not in one
    assert verify_password("青山村2026!", one) and not verify_password("青山村2026?", one)
    assert not verify_password("x", "garbage") and not verify_password("x", "")


def test_roles_grant_permissions_and_refusals_say_which_role() -> None:
    require("王", frozenset({Role.CLERK}), Permission.INTAKE)
    with pytest.raises(PermissionDenied, match="王（经办人）不能记录审核审批：需要审核人角色"):
        require("王", frozenset({Role.CLERK}), Permission.REVIEW)
    assert parse_roles("经办人、管理员") == {Role.CLERK, Role.ADMIN}
    with pytest.raises(ValidationError):
        parse_roles("社长")


def test_first_user_is_the_administrator_and_creates_the_others(ctx) -> None:  # noqa: ANN001
    assert users.needs_first_admin(ctx)
    with pytest.raises(ValidationError, match="第一个用户必须是管理员"):
        users.create_user(ctx, "王会计", CLERK, "qingshan-2026", "")
    users.create_user(ctx, "王会计", ADMIN | CLERK, "qingshan-2026", "")
    users.create_user(ctx, "李委员", frozenset({Role.REVIEWER}), "lishi-2026!", "王会计")
    with pytest.raises(PermissionDenied, match="需要管理员"):
        users.create_user(ctx, "赵某", CLERK, "zhaomou-2026", "李委员")
    with pytest.raises(ValidationError, match="已有名为"):
        users.create_user(ctx, "李委员", CLERK, "lishi-2026!", "王会计")
    for bad in ("short", "aaaaaaaaaa"):
        with pytest.raises(ValidationError):
            users.create_user(ctx, "赵某", CLERK, bad, "王会计")
    assert [u.name for u in users.list_users(ctx, "王会计")] == ["王会计", "李委员"]
    assert users.login(ctx, "李委员", "lishi-2026!").roles == {Role.REVIEWER}


def test_the_password_is_never_stored(ctx, tmp_path) -> None:  # noqa: ANN001
    users.create_user(ctx, "王会计", ADMIN, "qingshan-2026", "")
    if ctx.engine.dialect.name == "sqlite":
        ctx.engine.dispose()  # the write-ahead log folded into the file
        assert b"qingshan-2026" not in (tmp_path / "test.db").read_bytes()
        return
    with ctx.engine.connect() as conn:  # every row of every table, as text
        tables = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
        dump = "".join(str(row) for t in tables for row in conn.execute(text(f'SELECT t::text FROM "{t}" t')))
    assert "王会计" in dump and "qingshan-2026" not in dump


def test_wrong_passwords_make_each_next_try_wait_longer_up_to_a_cap(ctx) -> None:  # noqa: ANN001
    users.create_user(ctx, "王会计", ADMIN, "qingshan-2026", "")
    for _ in range(FREE_FAILURES - 1):
        with pytest.raises(LoginRefused, match="^用户名或密码不对$"):
            users.login(ctx, "王会计", "wrong-password")
    with pytest.raises(LoginRefused, match="请 1 秒后再试") as refused:
        users.login(ctx, "王会计", "wrong-password")
    assert refused.value.seconds == 1
    with pytest.raises(LoginRefused, match="登录失败次数过多，请 1 秒后再试"):  # even the right password waits
        users.login(ctx, "王会计", "qingshan-2026")
    waits = []
    for _ in range(12):  # each wait over, another wrong try: 2, 4, 8 … seconds, then the cap
        ctx.clock = FixedClock(ctx.clock.now() + dt.timedelta(seconds=refused.value.seconds))
        with pytest.raises(LoginRefused) as refused:
            users.login(ctx, "王会计", "wrong-password")
        waits.append(refused.value.seconds)
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300]
    assert users.sign_in_waits(ctx) == {"王会计": 300}
    ctx.clock = FixedClock(ctx.clock.now() + MAX_DELAY)
    assert users.login(ctx, "王会计", "qingshan-2026").name == "王会计"
    assert users.sign_in_waits(ctx) == {}
    with ctx.engine.connect() as conn:  # no entry per failure; the sign-in after them is noted once
        actions = conn.scalars(text("SELECT action FROM audit_log WHERE entity = 'user'")).all()
        noted = conn.scalar(text("SELECT after_json FROM audit_log WHERE action = 'login_after_failures'"))
    assert actions == ["create", "login_after_failures"] and '"failures": 17' in noted
    with pytest.raises(LoginRefused, match="^用户名或密码不对$"):  # counting starts afresh
        users.login(ctx, "王会计", "wrong-password")
    assert run_checks(ctx).ok


def test_an_administrator_resetting_a_password_lifts_the_wait(ctx) -> None:  # noqa: ANN001
    users.create_user(ctx, "王会计", ADMIN, "qingshan-2026", "")
    users.create_user(ctx, "李委员", CLERK, "lishi-2026!", "王会计")
    for _ in range(FREE_FAILURES + 2):
        with pytest.raises(LoginRefused):
            users.login(ctx, "李委员", "wrong-password")
    assert users.sign_in_waits(ctx) == {"李委员": 1}  # tries during the wait are not heard (nor counted)
    users.reset_password(ctx, "李委员", "lishi-2027!", "王会计")
    assert users.sign_in_waits(ctx) == {}
    assert users.login(ctx, "李委员", "lishi-2027!").name == "李委员"


def test_users_from_before_passwords_set_one_at_their_next_login(ctx, tmp_path) -> None:  # noqa: ANN001
    from jiujinan.services import societies

    societies.add_user(ctx, "老会计")  # as an older version added people: a name only
    with pytest.raises(users.PasswordNotSet):
        users.login(ctx, "老会计", "")
    users.set_first_password(ctx, "老会计", "laokuaiji-2026")
    assert users.login(ctx, "老会计", "laokuaiji-2026").roles == ALL_ROLES
    with pytest.raises(PermissionDenied, match="已有密码"):
        users.set_first_password(ctx, "老会计", "someone-else-1")


def test_roles_change_and_the_last_administrator_stays(ctx) -> None:  # noqa: ANN001
    users.create_user(ctx, "王会计", ADMIN, "qingshan-2026", "")
    users.create_user(ctx, "李委员", CLERK, "lishi-2026!", "王会计")
    users.set_roles(ctx, "李委员", frozenset({Role.REVIEWER}), "王会计")
    with pytest.raises(PermissionDenied, match="至少要保留一位"):
        users.set_roles(ctx, "王会计", CLERK, "王会计")
    users.set_roles(ctx, "李委员", frozenset({Role.REVIEWER}), "王会计", active=False)
    with pytest.raises(PermissionDenied):
        users.login(ctx, "李委员", "lishi-2026!")
    users.reset_password(ctx, "王会计", "new-password-1", "王会计")
    assert users.login(ctx, "王会计", "new-password-1")
    with ctx.engine.connect() as conn:
        actions = conn.scalars(text("SELECT action FROM audit_log WHERE entity = 'user'")).all()
    assert actions.count("create") == 2 and "roles" in actions and "password_reset" in actions


def test_roles_and_separation_of_duties_guard_the_operations(ctx, society_id) -> None:  # noqa: ANN001
    import dataclasses

    from jiujinan.cases.enums import Level
    from jiujinan.cases.review import Decide, Deliberation, StartNotice, Visit
    from jiujinan.services import intake, review, societies
    from tests.conftest import application

    users.create_user(ctx, "钱录入", CLERK, "qianluru-2026", "王会计")
    users.create_user(ctx, "孙审核", frozenset({Role.REVIEWER}), "sunshenhe-2026", "王会计")
    start = NOW.date() - dt.timedelta(days=20)
    case = intake.register_application(ctx, society_id, application(requested_yuan="1500", applied_on=start),
                                       "钱录入")
    view = review.case_view(ctx, case.id, "王会计")
    with pytest.raises(PermissionDenied, match="钱录入（经办人）不能记录审核审批"):
        review.perform(ctx, case.id, Visit(start, ("甲", "乙"), "属实"), "钱录入", version=view.version)
    with pytest.raises(PermissionDenied, match="孙审核（审核人）不能登记和修改申请"):
        intake.register_application(ctx, society_id, application(), "孙审核")
    day = NOW.date()
    steps = lambda fen: (Visit(start, ("甲", "乙"), "属实"), Deliberation(start, ("甲", "乙", "丙"), "同意", fen),  # noqa: E731
                         StartNotice(start + dt.timedelta(days=1), "公开栏"))
    for action in steps(150_000):
        view = review.perform(ctx, case.id, action, "王会计", version=view.version)
    decide = Decide(Level.VILLAGE, day, "张社长", "同意", 150_000)
    view = review.perform(ctx, case.id, decide, "孙审核", version=view.version)  # someone else: fine
    assert view.case.status.value == "awaiting_payment"

    other = intake.register_application(ctx, society_id, application(
        requested_yuan="1000", cause="disaster", applied_on=start), "王会计")
    view = review.case_view(ctx, other.id, "王会计")
    for action in steps(100_000):
        view = review.perform(ctx, other.id, action, "王会计", version=view.version)
    with pytest.raises(PermissionDenied, match="职责分离"):
        review.perform(ctx, other.id, dataclasses.replace(decide, approved_fen=100_000), "王会计",
                       version=view.version)
    settings = societies.get_society(ctx, society_id).settings
    societies.update_society(ctx, society_id, dataclasses.replace(
        settings, entrant_may_approve=True, entrant_may_approve_reason="村里只有一名经办人"), "王会计")
    view = review.perform(ctx, other.id, dataclasses.replace(decide, approved_fen=100_000), "王会计",
                          version=view.version)
    assert view.case.status.value == "awaiting_payment"
