"""Checking before signing: a signed export tells the district "this is the village's own
history". Data changed outside the program (a stolen backup edited with sqlite3, say) must
not be signed, or the district takes the change for the village's figures."""

from __future__ import annotations

from collections.abc import Sequence

from jiujinan.cases.errors import DomainError

SHOWN = 5  # findings named in the message; 检查 lists them all


class ChangedOutside(DomainError):
    """An export refused: what it would sign was changed outside the program."""


def check_unchanged(findings: Sequence[str]) -> None:
    """Refuse the export when the chain or seal check found anything, naming the first few."""
    if not findings:
        return
    listed = "；".join(findings[:SHOWN]) + (f"；……共 {len(findings)} 处" if len(findings) > SHOWN else "")
    raise ChangedOutside(
        f"不能导出：数据库中的数据在程序之外被改动过，签名导出会把改动当作本社的真实数据报给上级。发现：{listed}。"
        "请运行“检查”（命令行 jiujinan check）查看全部问题，并从改动之前的备份恢复后再导出。没有写出任何文件")
