"""The audit trail as a hash chain: each entry's hash covers its content and the hash of the
entry before it, so an entry edited, deleted or slipped in outside the app shows up when
the chain is walked again (``jiujinan check``).

The form of the hash is part of the stored data: changing it needs a migration that
re-chains every entry. Entries written before seals (form 1) hash a JSON list; entries
since (form 2) hash a plain text that the database can render too (so ``check`` walks
millions of entries without building Python objects for each), and it covers the entry's
seals (cases/seals.py): the digests of the rows it changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from jiujinan.cases.dates import format_moment

GENESIS = "0" * 64  # the "previous hash" of the first entry

_ENTITIES = {"case": "案件", "ledger": "台账", "society": "互助社", "user": "用户", "calendar": "节假日",
             "month": "月结", "import": "导入", "grant": "拨款", "database": "数据库",
             "key": "签名密钥", "office": "本单位", "office_key": "加密密钥", "trusted_office": "登记的单位"}
_ACTIONS = {"register": "登记", "edit": "修改", "contribution": "收入", "payment": "发放", "reversal": "冲正",
            "create": "新增", "update": "修改", "replace": "替换", "close": "结账", "imported": "导入",
            "replaced": "替换", "reopen": "重开", "restore": "从备份恢复", "seal": "封存现状",
            "demo": "演示数据", "enrol": "登记", "kept": "恢复后沿用", "export": "导出",
            "reseal": "升级后重新封存", "setup": "设立"}
FORM_JSON, FORM_TEXT = 1, 2


def _sized(value: str) -> str:
    return f"{len(value)}:{value}"


def text_content(seq: int, prev_hash: str, moment: str, user: str, society_id: int | None, entity: str,
                 entity_id: int, action: str, before_json: str, after_json: str, seals: str) -> str:
    """What a form-2 entry's hash covers; ``moment`` is UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'.
    Free text is prefixed by its length, so no value can pass for its neighbour.
    jiujinan/db/audit.py renders the same text in SQL."""
    return (f"v2|{seq}|{prev_hash}|{moment}|{_sized(user)}|{'' if society_id is None else society_id}|"
            f"{_sized(entity)}|{entity_id}|{_sized(action)}|{_sized(before_json)}|{_sized(after_json)}|{seals}")


def moment_text(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def text_digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


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
    seals: str = ""  # form 2: cases/seals.seal_list of the entry's seals
    form: int = FORM_JSON

    def digest(self) -> str:
        if self.form == FORM_TEXT:
            return text_digest(text_content(self.seq, self.prev_hash, moment_text(self.at), self.user,
                                            self.society_id, self.entity, self.entity_id, self.action,
                                            self.before_json, self.after_json, self.seals))
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
    links: dict[int, ChainLink] = {}

    def walked() -> Iterator[tuple[int, str, str, str]]:
        for entry in entries:
            links[entry.link.seq] = entry.link
            yield entry.link.seq, entry.link.prev_hash, entry.stored_hash, entry.link.digest()

    return walk(walked(), head_count, head_hash, lambda seq: links[seq].describe())


def orphan_seal_problems(seqs: Iterable[int]) -> list[str]:
    """Seals whose audit entry is not there: added outside the app to pass an edit off as
    audited (or left by an entry deleted outside it)."""
    found = sorted(set(seqs))
    if not found:
        return []
    shown = "、".join(f"第 {q} 条" for q in found[:5]) + (f" 等 {len(found)} 条" if len(found) > 5 else "")
    return [f"封存记录指向不存在的审计记录（{shown}）：在程序之外被添加"]


def walk(entries: Iterable[tuple[int, str, str, str]], head_count: int | None, head_hash: str | None,
         describe: Callable[[int], str]) -> list[str]:
    """The chain walk over plain (seq, previous hash, stored hash, hash of the content as it
    is now) tuples; ``describe(seq)`` names an entry in a message (only asked on a problem)."""
    problems: list[str] = []
    expected_prev, expected_seq, count = GENESIS, 1, 0
    last_hash = GENESIS
    for seq, prev_hash, stored_hash, computed in entries:
        count += 1
        if computed != stored_hash:
            problems.append(f"审计记录{describe(seq)}的内容与校验值不符：在程序之外被修改过")
        if seq > expected_seq:
            missing = f"第 {expected_seq} 条" if seq == expected_seq + 1 else f"第 {expected_seq}–{seq - 1} 条"
            problems.append(f"审计记录{missing}不见了：在程序之外被删除")
        elif seq < expected_seq:
            problems.append(f"审计记录{describe(seq)}的序号重复：在程序之外被插入")
        elif prev_hash != expected_prev:
            problems.append(f"审计记录{describe(seq)}与前一条接不上：前一条在程序之外被替换或插入")
        expected_prev, expected_seq, last_hash = stored_hash, seq + 1, stored_hash
    if head_count is not None and head_count > expected_seq - 1:
        gone = f"第 {expected_seq} 条" if head_count == expected_seq else f"第 {expected_seq}–{head_count} 条"
        problems.append(f"最后的审计记录{gone}不见了：在程序之外被删除")
    elif head_count is not None and head_count < expected_seq - 1:
        problems.append(f"第 {head_count} 条之后的审计记录不是程序写入的：在程序之外被添加")
    elif head_hash is not None and count and head_hash != last_hash:
        problems.append("最后一条审计记录与程序记下的链尾不符：在程序之外被修改")
    return problems
