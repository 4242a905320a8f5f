"""The audit trail as a hash chain: each entry's hash covers its content and the hash of the
entry before it, so an entry edited, deleted or slipped in outside the app shows up when
the chain is walked again (``jiujinan check``).

The form of the hash is part of the stored data: changing it needs a migration that
re-chains every entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from jiujinan.cases.dates import format_moment

GENESIS = "0" * 64  # the "previous hash" of the first entry

_ENTITIES = {"case": "案件", "ledger": "台账", "society": "互助社", "user": "用户", "calendar": "节假日",
             "month": "月结", "import": "导入", "grant": "拨款", "database": "数据库",
             "key": "签名密钥"}
_ACTIONS = {"register": "登记", "edit": "修改", "contribution": "收入", "payment": "发放", "reversal": "冲正",
            "create": "新增", "update": "修改", "replace": "替换", "close": "结账", "imported": "导入",
            "replaced": "替换", "reopen": "重开", "restore": "从备份恢复",
            "enrol": "登记", "kept": "恢复后沿用"}


@dataclass(frozen=True)
class ChainLink:
    """What the hash of one audit entry covers."""

    seq: int
    prev_hash: str
    at: dt.datetime
    user: str
    society_id: int | None
    entity: str
    entity_id: int
    action: str
    before_json: str
    after_json: str

    def digest(self) -> str:
        moment = self.at.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")
        content = [self.seq, self.prev_hash, moment, self.user, self.society_id, self.entity, self.entity_id,
                   self.action, self.before_json, self.after_json]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()

    def describe(self) -> str:
        """第 12 条（2026-11-20 10:00，王会计，台账 221 收入）, in the PC's local time."""
        what = _ENTITIES.get(self.entity, self.entity)
        action = _ACTIONS.get(self.action, self.action.removeprefix("step:"))
        return f"第 {self.seq} 条（{format_moment(self.at)}，{self.user}，{what} {self.entity_id} {action}）"


@dataclass(frozen=True)
class StoredLink:
    """An audit entry as read back: its content and the hash stored with it."""

    link: ChainLink
    stored_hash: str


def chain_problems(entries: Iterable[StoredLink], head_count: int | None, head_hash: str | None) -> list[str]:
    """Walk the chain in order; say which entries were edited, which are missing, which were
    added outside the app. ``head_*`` is what the app last wrote down as the chain's end."""
    problems: list[str] = []
    expected_prev, expected_seq, count = GENESIS, 1, 0
    last_hash = GENESIS
    for entry in entries:
        link = entry.link
        count += 1
        if link.digest() != entry.stored_hash:
            problems.append(f"审计记录{link.describe()}的内容与校验值不符：在程序之外被修改过")
        if link.seq > expected_seq:
            missing = f"第 {expected_seq} 条" if link.seq == expected_seq + 1 else f"第 {expected_seq}–{link.seq - 1} 条"
            problems.append(f"审计记录{missing}不见了：在程序之外被删除")
        elif link.seq < expected_seq:
            problems.append(f"审计记录{link.describe()}的序号重复：在程序之外被插入")
        elif link.prev_hash != expected_prev:
            problems.append(f"审计记录{link.describe()}与前一条接不上：前一条在程序之外被替换或插入")
        expected_prev, expected_seq, last_hash = entry.stored_hash, link.seq + 1, entry.stored_hash
    if head_count is not None and head_count > expected_seq - 1:
        gone = f"第 {expected_seq} 条" if head_count == expected_seq else f"第 {expected_seq}–{head_count} 条"
        problems.append(f"最后的审计记录{gone}不见了：在程序之外被删除")
    elif head_count is not None and head_count < expected_seq - 1:
        problems.append(f"第 {head_count} 条之后的审计记录不是程序写入的：在程序之外被添加")
    elif head_hash is not None and count and head_hash != last_hash:
        problems.append("最后一条审计记录与程序记下的链尾不符：在程序之外被修改")
    return problems
