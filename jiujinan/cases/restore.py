"""Rules for restoring a backup: what the clerk is shown before saying yes, and what is
refused whatever he says. A restore replaces the users too, so it must not lock out the
administrator who does it, and a backup of another office's database (another village's,
the district's) must never replace this one's data by a single 是."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.areas import area_label
from jiujinan.cases.errors import DomainError
from jiujinan.cases.users import Permission, Role, allows

Society = tuple[str, str]  # (area code, name)


class RestoreDeclined(DomainError):
    """The clerk said no: nothing was changed."""

    def __init__(self, message: str = "没有恢复，现有数据没有改动") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Administrator:
    name: str
    area: str  # "" = the whole database


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, next to what the database holds now."""

    societies: tuple[Society, ...]
    cases: int
    last_audit: dt.date | None  # local date of the newest audit entry
    administrators: tuple[Administrator, ...]  # active ones
    live_societies: tuple[Society, ...] = ()

    def lines(self) -> list[str]:
        """The summary as the clerk reads it (GUI confirmation, CLI before restoring)."""
        admins = "、".join(a.name + ("" if not a.area else f"（{area_label(a.area)}）")
                           for a in self.administrators) or "无"
        last = f"{self.last_audit:%Y-%m-%d}" if self.last_audit else "无记录"
        return [f"互助社：{societies_text(self.societies)}", f"案件：{self.cases} 件",
                f"最后一次操作：{last}", f"管理员：{admins}"]

    @property
    def other_societies(self) -> bool:
        """The backup holds other societies than the database now (one with none has nothing to lose)."""
        return bool(self.live_societies) and set(self.societies) != set(self.live_societies)

    def other_societies_text(self) -> str:
        return (f"备份里的互助社是 {societies_text(self.societies)}，"
                f"现在的数据库是 {societies_text(self.live_societies)}")

    def require_administrator(self, user: str) -> None:
        """A restore replaces the users: refused when ``user`` would not be an active
        administrator of the whole database afterwards (he could not sign in to undo it)."""
        if not any(a.name == user and not a.area for a in self.administrators):
            raise DomainError(f"备份里没有管理员“{user}”（范围为全部）：恢复后你将无法登录管理，不能从它恢复。"
                              "现有数据没有改动")


def societies_text(societies: tuple[Society, ...]) -> str:
    return "、".join(f"{name}（{code}）" for code, name in sorted(societies)) or "无"


def restore_refusal(active: bool, roles: frozenset[Role], area: str) -> str:
    """Why a user may not restore ("" when he may): an active administrator of the whole database."""
    if not active or not allows(roles, Permission.RESTORE):
        return "需要管理员角色才能从备份恢复"
    if area:
        return f"工作范围是{area_label(area)}：从备份恢复影响整个数据库，须由范围为全部的管理员办理"
    return ""
