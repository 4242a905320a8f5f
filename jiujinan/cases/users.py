"""Who may do what: roles, the permissions they grant, passwords, and login limits.

Roles follow the office: 经办人 enters applications and records money, 审核人 records the
review's decisions, 管理员 keeps the settings, the users, month close and restore. One person
may hold several roles (a small village has one clerk)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass
from enum import Enum

from jiujinan.cases.errors import DomainError, ValidationError


class Role(str, Enum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"clerk": "经办人", "reviewer": "审核人", "admin": "管理员"}[self.value]


class Permission(Enum):
    """What an operation needs, with how a refusal names it."""

    INTAKE = "登记和修改申请"
    MONEY = "登记收入、发放和冲正"
    REVIEW = "记录审核审批"
    WITHDRAW = "撤回案件"
    SETTINGS = "修改互助社设置和节假日"
    USERS = "管理用户"
    MONTH_CLOSE = "月结和重开"
    RESTORE = "从备份恢复"
    FULL_IDS = "导出完整身份证号"
    SEE_FULL = "查看和打印完整的身份证号、账号和电话"
    DISTRICT = "接收村级报送、登记拨款和对账"


GRANTS: dict[Role, frozenset[Permission]] = {
    # 撤回 undoes a registration: the 经办人 who registers cases is told "entered twice" or
    # "the applicant withdrew", and an 审核人 may hear it during the review; both may record it.
    # The full numbers are for who enters them and pays (经办人) and who keeps the records (管理员);
    # an 审核人 decides on the story and the amount, and sees the numbers masked (cases/disclosure.py).
    # The district's side (导入、拨款、对账) is the 民政局's reviewers and its administrator.
    Role.CLERK: frozenset({Permission.INTAKE, Permission.MONEY, Permission.WITHDRAW, Permission.SEE_FULL}),
    Role.REVIEWER: frozenset({Permission.REVIEW, Permission.WITHDRAW, Permission.DISTRICT}),
    Role.ADMIN: frozenset({Permission.SETTINGS, Permission.USERS, Permission.MONTH_CLOSE, Permission.RESTORE,
                           Permission.FULL_IDS, Permission.SEE_FULL, Permission.DISTRICT}),
}
ALL_ROLES = frozenset(Role)


class PermissionDenied(DomainError):
    """The user's roles do not allow the operation."""


def roles_label(roles: frozenset[Role] | set[Role]) -> str:
    return "、".join(r.label for r in Role if r in roles) or "无角色"


def parse_roles(text: str) -> frozenset[Role]:
    """Roles as stored ("clerk,admin") or typed (经办人、管理员)."""
    found = set()
    for part in text.replace("、", ",").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        match = next((r for r in Role if part in (r.value, r.label)), None)
        if match is None:
            raise ValidationError(f"不认识的角色“{part}”，应为 经办人、审核人 或 管理员", "roles")
        found.add(match)
    if not found:
        raise ValidationError("至少选择一个角色", "roles")
    return frozenset(found)


def store_roles(roles: frozenset[Role]) -> str:
    return ",".join(r.value for r in Role if r in roles)


def allows(roles: frozenset[Role], permission: Permission) -> bool:
    return any(permission in GRANTS[r] for r in roles)


def roles_needed(permission: Permission) -> str:
    """The roles that grant ``permission``, as a clerk reads them (经办人 / 审核人或管理员)."""
    return "或".join(r.label for r in Role if permission in GRANTS[r])


def require(user: str, roles: frozenset[Role], permission: Permission) -> None:
    """Refuse, naming who needs which role, unless one of ``roles`` grants ``permission``."""
    if allows(roles, permission):
        return
    raise PermissionDenied(f"{user}（{roles_label(roles)}）不能{permission.value}：需要{roles_needed(permission)}角色")


def check_separation(user: str, entered_by: str, village_approval: bool, entrant_may_approve: bool) -> None:
    """职责分离: whoever entered a case does not record its village approval, unless the
    society allows it (with a reason on record)."""
    if village_approval and user == entered_by and not entrant_may_approve:
        raise PermissionDenied(f"{user} 录入了本案，不能再记录本案的村级审批（职责分离）：请由其他审核人记录，"
                               "或由管理员在设置中允许录入人审批并写明原因")


# --- passwords ---------------------------------------------------------------------------
# scrypt is memory-hard: 2**14 × 8 × 128 bytes = 16 MB per guess. The cost is stored with
# the hash, so it can be raised later without breaking older ones.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def validate_password(password: str) -> None:
    if len(password) < 8:
        raise ValidationError("密码至少 8 位", "password")
    if len(password) > 128:
        raise ValidationError("密码最多 128 位", "password")
    if len(set(password)) < 4:
        raise ValidationError("密码太简单：至少用 4 个不同的字符", "password")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
        raise ValidationError("密码不能含控制字符", "password")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32,
                            maxmem=256 * 1024 * 1024)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected), maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# --- login limits ------------------------------------------------------------------------
MAX_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class LoginRecord:
    """What the app keeps about a user's logins."""

    failures: int
    locked_until: dt.datetime | None


def check_not_locked(user: str, record: LoginRecord, now: dt.datetime) -> None:
    if record.locked_until is not None and now < record.locked_until:
        minutes = max(1, int((record.locked_until - now).total_seconds() // 60) + 1)
        raise PermissionDenied(f"{user} 密码错误次数过多，已锁定，请 {minutes} 分钟后再试，或请管理员重设密码")


def after_failure(record: LoginRecord, now: dt.datetime) -> LoginRecord:
    failures = record.failures + 1
    if failures >= MAX_FAILURES:
        return LoginRecord(0, now + LOCK_FOR)
    return LoginRecord(failures, None)
