"""Who may do what: roles, the permissions they grant, passwords, and login limits.

Roles follow the office: 经办人 enters applications and records money, 审核人 records the
review's decisions, 管理员 keeps the settings, the users, month close and restore. One person
may hold several roles (a small village has one clerk)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import os
from dataclasses import dataclass
from enum import Enum

from jiujinan.cases.errors import DomainError, ValidationError



class PasswordNotSet(DomainError):
    """The user has no password yet (added before passwords, or by an administrator without
    one): they choose it now."""

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
    SIGNING_KEYS = "更换或登记签名密钥"
    SEE_FULL = "查看和打印完整的身份证号、账号和电话"
    DISTRICT = "接收村级报送、登记拨款和对账"
    SWITCH_DATABASE = "改用另一个数据库"
    OFFICES = "设立本单位、登记其他单位的卡片"
    PACKETS = "收发数据包"


GRANTS: dict[Role, frozenset[Permission]] = {
    # 撤回 undoes a registration: the 经办人 who registers cases is told "entered twice" or
    # "the applicant withdrew", and an 审核人 may hear it during the review; both may record it.
    # The full numbers are for who enters them and pays (经办人) and who keeps the records (管理员);
    # an 审核人 decides on the story and the amount, and sees the numbers masked (cases/disclosure.py).
    # The district's side (导入、拨款、对账) is the 民政局's reviewers and its administrator.
    Role.CLERK: frozenset({Permission.INTAKE, Permission.MONEY, Permission.WITHDRAW, Permission.SEE_FULL,
                           Permission.PACKETS}),
    Role.REVIEWER: frozenset({Permission.REVIEW, Permission.WITHDRAW, Permission.DISTRICT, Permission.PACKETS}),
    Role.ADMIN: frozenset({Permission.SETTINGS, Permission.USERS, Permission.MONTH_CLOSE, Permission.RESTORE,
                           Permission.FULL_IDS, Permission.SEE_FULL, Permission.DISTRICT,
                           Permission.SIGNING_KEYS, Permission.SWITCH_DATABASE, Permission.OFFICES,
                           Permission.PACKETS}),
}
ALL_ROLES = frozenset(Role)


class PermissionDenied(DomainError):
    """The user's roles do not allow the operation."""


# Users are stopped, never deleted: an empty user table in a database whose trail shows users
# means they were deleted outside the program (to open it without signing in).
USERS_DELETED = ("数据库里的用户全部不见了，而审计记录表明曾设立过用户：用户是在程序之外被删除的（程序只停用、从不删除用户）。"
                 "这个数据库不能当作新数据库重新设立管理员，任何需要登录的操作都不能办理；"
                 "请运行“检查”核对，并从备份恢复（由备份中的管理员登录）")


class UsersDeleted(PermissionDenied):
    """The users of a database that had them were deleted outside the program."""


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
# A growing delay, never a lock. A lock by name let anyone at the office PC type five wrong
# passwords and shut the society's only administrator out for a quarter of an hour (and again,
# and again): nobody could then add users, close the month or restore. So after FREE_FAILURES
# wrong tries each further try waits 2^(n - FREE_FAILURES) seconds, and never more than
# MAX_DELAY, for every user alike; the last active administrator therefore waits at most
# MAX_DELAY. Guessing stays hopeless: past the cap that is one try per 5 minutes, 288 a day,
# each costing a 16 MB scrypt. The counters are kept per typed name (its digest), so a name
# nobody has gets exactly the same answers and delays as a real one; they live outside the
# user's row (table login_throttle) and write no audit entry per failure.
FREE_FAILURES = 5
MAX_DELAY = dt.timedelta(minutes=5)
FORGET_AFTER = dt.timedelta(days=1)  # a name quiet this long starts afresh
WRONG = "用户名或密码不对"  # the one answer for an unknown name, a stopped user and a wrong password


@dataclass(frozen=True)
class LoginRecord:
    """What the app keeps about the sign-in attempts under one typed name."""

    failures: int = 0
    next_try_at: dt.datetime | None = None


class LoginRefused(PermissionDenied):
    """A sign-in refused; ``seconds``: how long before the next try is heard (0: at once)."""

    def __init__(self, message: str, seconds: int = 0) -> None:
        super().__init__(message)
        self.seconds = seconds


def throttle_key(name: str) -> str:
    """The key of a typed name's counters: its digest, so a password typed into the name
    field by mistake is not kept in the clear."""
    return hashlib.sha256(name.strip().encode("utf-8")).hexdigest()


def delay_after(failures: int) -> dt.timedelta:
    """How long the next try waits after ``failures`` wrong ones in a row."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    return min(MAX_DELAY, dt.timedelta(seconds=2 ** min(failures - FREE_FAILURES, 30)))


def seconds_to_wait(record: LoginRecord, now: dt.datetime) -> int:
    """Whole seconds before the next try is heard (0: now)."""
    if record.next_try_at is None or now >= record.next_try_at:
        return 0
    return max(1, math.ceil((record.next_try_at - now).total_seconds()))


def check_may_try(record: LoginRecord, now: dt.datetime) -> None:
    """Refuse a try during the delay (the password is not even looked at)."""
    if wait := seconds_to_wait(record, now):
        raise LoginRefused(f"登录失败次数过多，请 {wait} 秒后再试", wait)


def after_failure(record: LoginRecord, now: dt.datetime) -> LoginRecord:
    failures = record.failures + 1
    wait = delay_after(failures)
    return LoginRecord(failures, now + wait if wait else None)


def failure_message(record: LoginRecord, now: dt.datetime) -> LoginRefused:
    """What a wrong try is told: the same words for every name, with the wait when one starts."""
    wait = seconds_to_wait(record, now)
    return LoginRefused(f"{WRONG}，请 {wait} 秒后再试", wait) if wait else LoginRefused(WRONG)


def dummy_hash() -> str:
    """A hash no password matches, at today's cost: checked for a name nobody has, so that an
    unknown name takes as long as a wrong password."""
    zeros = base64.b64encode(bytes(16)).decode()
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${zeros}${base64.b64encode(bytes(32)).decode()}"
