"""Seals: each audit entry binds the rows it changed by a digest of their after-image, so
``check`` can tell a row that differs from its last audited state and name what differs.

A *unit* is what one digest covers: a case with its members, attachments and steps; one
ledger entry; one user (without the login counters, which change on every failed sign-in
and are not audited); one society; the whole calendar; one month close; one grant; one
import with its reported rows. The image of a unit is text rendered by the database (see
jiujinan/db/seals.py) from the columns listed here, in this order: a unit is sections
joined by ``|``, a section is rows joined by ``;``, a row is values joined by ``,``; every
value is written as SQLite's ``printf('%Q')`` writes it: NULL bare, anything else as text
in single quotes with quotes doubled (numbers in digits, dates as 'YYYY-MM-DD', times as
'YYYY-MM-DD HH:MM:SS.ffffff', booleans as '0'/'1'), so the same row gives the same text on
SQLite and PostgreSQL (on SQLite, free text holding a NUL or a BLOB, which
only an edit from outside can put there, is followed by a mark ``!``).

The digest (SHA-256 of the image) is what is checked. Beside it the seal keeps a short
*detail* that only serves to name what changed: integers verbatim (so an amount can be
shown before and after) and 3 hex digits of a CRC of any other value. The form of the
image and of the digest is part of the stored data: changing it needs a migration."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from jiujinan.cases.errors import DomainError
from jiujinan.cases.money import format_yuan_label

# What a column holds, for rendering it: text, integer, money (integer fen), date,
# timestamp, boolean.
TEXT, INT, MONEY, DATE, MOMENT, BOOL = "t", "i", "m", "d", "s", "b"


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Section:
    """Rows of one table in a unit. The first section of most units is its main row;
    others are child rows ordered by ``key`` (the first value of each row)."""

    table: str
    label: str
    key: Column
    columns: tuple[Column, ...]
    named: frozenset[str] | None = None  # columns named on their own in the detail (None: all)
    parent: str = ""  # the column that points at the unit's key ("" for the main row or a whole table)

    def is_named(self, column: str) -> bool:
        return self.named is None or column in self.named


@dataclass(frozen=True)
class Unit:
    name: str
    label: str
    sections: tuple[Section, ...]


def _cols(*specs: tuple[str, str] | tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


_CASE = Section("aid_case", "案件", Column("id", "编号", INT), _cols(
    ("society_id", "所属互助社", INT), ("case_no", "案件编号"), ("case_year", "年度", INT), ("case_seq", "序号", INT),
    ("status", "状态"), ("applicant_name", "申请人姓名"), ("sex", "性别"), ("id_number", "身份证号"),
    ("birth_date", "出生日期", DATE), ("phone", "联系电话"), ("address", "住址"), ("residence", "户籍情况"),
    ("hukou_address", "户籍地址"), ("household_size", "家庭人口", INT), ("household_type", "家庭类别"),
    ("cause", "救助事由"), ("hardship", "困难情况"), ("requested_fen", "申请金额", MONEY),
    ("approved_fen", "审批金额", MONEY), ("paid_fen", "已发放金额", MONEY), ("paid_on", "发放日期", DATE),
    ("other_aid", "已获其他救助"), ("payment_method", "发放方式"), ("bank_name", "开户银行"),
    ("account_no", "收款账号"), ("account_holder", "账户名"), ("agent_name", "代理人姓名"),
    ("agent_id_number", "代理人身份证号"), ("agent_relation", "代理人关系"), ("agent_has_poa", "授权委托书", BOOL),
    ("applied_on", "申请日期", DATE), ("repeat_reason", "再次救助理由"), ("proposed_fen", "拟救助金额", MONEY),
    ("decided_level", "决定层级"), ("decided_on", "决定日期", DATE), ("notice_start", "公示开始日期", DATE),
    ("notice_end", "公示结束日期", DATE), ("open_objections", "未处理异议", INT), ("resume_status", "补齐后状态"),
    ("emergency", "先行救助", BOOL), ("emergency_fen", "先行救助金额", MONEY), ("emergency_on", "先行救助日期", DATE),
    ("emergency_deadline", "补办期限", DATE), ("last_step_on", "最后办理日期", DATE), ("version", "版本号", INT),
    ("created_at", "登记时间", MOMENT), ("created_by", "登记人"), ("updated_at", "修改时间", MOMENT),
    ("updated_by", "修改人")))
_MEMBERS = Section("household_member", "家庭成员", Column("position", "序号", INT), _cols(
    ("name", "姓名"), ("relation", "关系"), ("id_number", "身份证号"), ("age", "年龄", INT),
    ("income_source", "收入来源")), frozenset({"name", "id_number"}), "case_id")
_ATTACHMENTS = Section("attachment", "附件", Column("id", "编号", INT), _cols(
    ("original_name", "文件名"), ("sha256", "内容"), ("size_bytes", "大小", INT), ("added_at", "添加时间", MOMENT),
    ("added_by", "添加人")), frozenset({"original_name", "sha256"}), "case_id")
_STEPS = Section("case_step", "办理记录", Column("id", "编号", INT), _cols(
    ("kind", "步骤"), ("level", "层级"), ("acted_on", "日期", DATE), ("signer", "签字人"), ("opinion", "意见"),
    ("amount_fen", "金额", MONEY), ("details_json", "详情"), ("status_before", "办理前状态"),
    ("status_after", "办理后状态"), ("recorded_at", "记录时间", MOMENT), ("recorded_by", "记录人")),
    frozenset({"kind", "acted_on", "signer", "opinion", "amount_fen"}), "case_id")

_LEDGER = Section("ledger_entry", "台账", Column("id", "编号", INT), _cols(
    ("society_id", "所属互助社", INT), ("posted_on", "日期", DATE), ("kind", "类别"), ("source", "来源"),
    ("amount_fen", "金额", MONEY), ("case_id", "对应案件", INT), ("payer", "交款/收款人"), ("voucher_no", "凭证号"),
    ("memo", "摘要"), ("reversal_of", "冲正的记录", INT), ("method", "发放方式"), ("receipt_signed", "签收", BOOL),
    ("created_at", "记账时间", MOMENT), ("created_by", "记账人")))
# Not failed_logins nor locked_until: they change on every failed sign-in, which is audited
# as an event but seals nothing (a wrong count only delays or speeds a lockout).
_USER = Section("app_user", "用户", Column("id", "编号", INT), _cols(
    ("name", "用户名"), ("created_at", "创建时间", MOMENT), ("roles", "角色"), ("password_hash", "密码"),
    ("active", "在用状态", BOOL), ("area", "工作范围")))
_SOCIETY = Section("society", "互助社", Column("id", "编号", INT), _cols(
    ("area_code", "区划代码"), ("name", "名称"), ("village", "村（社区）"), ("town", "乡镇"), ("district", "区县"),
    ("village_limit_fen", "村级审批限额", MONEY), ("town_limit_fen", "镇级审批限额", MONEY),
    ("fund_floor_fen", "资金警戒线", MONEY), ("notice_days", "公示天数", INT), ("notice_working_days", "公示按工作日", BOOL),
    ("emergency_deadline_days", "先行救助补办期限", INT), ("objection_phone", "异议电话"),
    ("entrant_may_approve", "经办人可审批", BOOL), ("entrant_may_approve_reason", "经办人可审批的理由"),
    ("created_at", "创建时间", MOMENT), ("emergency_limit_fen", "先行救助最高金额", MONEY),
    ("village_office", "村级审核单位"), ("town_office", "乡镇审核单位"), ("district_office", "区级审批单位"),
    ("notice_shows_id", "公示显示身份证号", BOOL), ("objection_contact", "异议受理单位和联系人"),
    ("contact_phone", "联系电话"), ("return_days", "补充材料期限", INT), ("appeal_days", "异议期限", INT),
    ("appeal_to", "异议受理单位和地址"), ("head_name", "单位负责人")))
_CALENDAR = Section("calendar_day", "节假日", Column("day", "日期", DATE), _cols(
    ("working", "班/休", BOOL), ("name", "名称")))
_MONTH = Section("month_close", "月结", Column("society_id", "所属互助社", INT), _cols(
    ("month", "月份"), ("closed", "月结状态", BOOL), ("changed_at", "改动时间", MOMENT), ("changed_by", "改动人"),
    ("reason", "理由")))
_GRANT = Section("district_grant", "拨款", Column("id", "编号", INT), _cols(
    ("society_code", "区划代码"), ("granted_on", "拨款日期", DATE), ("amount_fen", "金额", MONEY), ("memo", "摘要"),
    ("created_at", "录入时间", MOMENT), ("created_by", "录入人")))
_BATCH = Section("import_batch", "导入", Column("id", "编号", INT), _cols(
    ("society_code", "区划代码"), ("society_name", "互助社名称"), ("town", "乡镇"), ("district", "区县"),
    ("period_from", "起始日期", DATE), ("period_to", "截止日期", DATE), ("exported_at", "导出时间"),
    ("manifest_sha256", "清单校验值"), ("full_ids", "完整身份证号", BOOL), ("opening_fen", "期初余额", MONEY),
    ("source", "来源文件夹"), ("imported_at", "导入时间", MOMENT), ("imported_by", "导入人"),
    ("replaced_by", "被替换为", INT), ("audit_entries", "审计记录条数", INT), ("audit_intact", "审计链完好", BOOL),
    ("signed", "已签名", BOOL), ("key_fingerprint", "密钥指纹"), ("chain_note", "审计链提示")))
_REPORTED_CASES = Section("reported_case", "上报案件", Column("id", "编号", INT), _cols(
    ("case_no", "案件编号"), ("applicant_name", "申请人姓名"), ("id_number", "身份证号"), ("household_type", "家庭类别"),
    ("cause", "救助事由"), ("requested_fen", "申请金额", MONEY), ("approved_fen", "审批金额", MONEY),
    ("paid_fen", "已发放金额", MONEY), ("status", "状态"), ("applied_on", "申请日期", DATE),
    ("decided_on", "决定日期", DATE), ("decided_level", "决定层级"), ("emergency", "先行救助", BOOL)),
    frozenset({"case_no", "approved_fen", "paid_fen"}), "batch_id")
_REPORTED_PAYMENTS = Section("reported_payment", "上报发放", Column("id", "编号", INT), _cols(
    ("payment_no", "发放序号", INT), ("case_no", "案件编号"), ("paid_on", "发放日期", DATE), ("amount_fen", "金额", MONEY),
    ("method", "方式"), ("payee_name", "收款人"), ("voucher_no", "凭证号"), ("reversal_of", "冲正的记录", INT)),
    frozenset({"payment_no", "amount_fen"}), "batch_id")
_REPORTED_ENTRIES = Section("reported_entry", "上报台账", Column("id", "编号", INT), _cols(
    ("entry_no", "台账序号", INT), ("posted_on", "日期", DATE), ("kind", "类别"), ("source", "来源"),
    ("amount_fen", "金额", MONEY), ("balance_fen", "余额", MONEY), ("voucher_no", "凭证号"), ("memo", "摘要"),
    ("reversal_of", "冲正的记录", INT)), frozenset({"entry_no", "amount_fen"}), "batch_id")
# The signing keys: this database's own (a key swapped in signs exports the district would
# take), the societies' keys the district enrolled (one swapped in would let forged exports
# in) and the chains it holds them to.
_KEY = Section("signing_key", "签名密钥", Column("id", "编号", INT), _cols(
    ("private_pem", "私钥"), ("public_key", "公钥"), ("fingerprint", "指纹"), ("created_at", "创建时间", MOMENT)))
_TRUST = Section("society_key", "登记的密钥", Column("id", "编号", INT), _cols(
    ("society_code", "区划代码"), ("public_key", "公钥"), ("fingerprint", "指纹"), ("how", "登记方式"),
    ("enrolled_at", "登记时间", MOMENT), ("enrolled_by", "登记人"), ("batch_id", "导入批次", INT)))
_CHAIN = Section("society_chain", "各社审计链", Column("society_code", "区划代码"), _cols(
    ("entries", "条数", INT), ("last_hash", "链尾"), ("points", "核对点"), ("exported_at", "导出时间"),
    ("batch_id", "导入批次", INT)))

# The office this installation is, its encryption key, and the offices it enrolled from their
# cards (one swapped in would let forged packets in, or send packets to a stranger).
_OFFICE = Section("office", "本单位", Column("id", "编号", INT), _cols(
    ("kind", "类别"), ("area_code", "区划代码"), ("name", "名称"), ("created_at", "设立时间", MOMENT),
    ("created_by", "设立人")))
_OFFICE_KEY = Section("office_key", "加密密钥", Column("id", "编号", INT), _cols(
    ("identity", "私钥"), ("recipient", "公钥"), ("created_at", "创建时间", MOMENT)))
_TRUSTED_OFFICE = Section("trusted_office", "登记的单位", Column("id", "编号", INT), _cols(
    ("kind", "类别"), ("area_code", "区划代码"), ("name", "名称"), ("signing_key", "签名公钥"),
    ("recipient", "加密公钥"), ("fingerprint", "指纹"), ("made_on", "卡片日期"), ("enrolled_at", "登记时间", MOMENT),
    ("enrolled_by", "登记人"), ("retired_at", "停用时间", MOMENT), ("retired_by", "停用人")))

# Where the audit chain ended at each export of a society: the next export carries the
# chain's hash at these places for the district to hold the village to.
_EXPORT = Section("export_head", "导出记录", Column("id", "编号", INT), _cols(
    ("society_id", "所属互助社", INT), ("seq", "审计记录位置", INT), ("entry_hash", "链上校验值"),
    ("exported_at", "导出时间", MOMENT)))

UNITS: dict[str, Unit] = {u.name: u for u in (
    Unit("case", "案件", (_CASE, _MEMBERS, _ATTACHMENTS, _STEPS)),
    Unit("ledger", "台账", (_LEDGER,)),
    Unit("user", "用户", (_USER,)),
    Unit("society", "互助社", (_SOCIETY,)),
    Unit("calendar", "节假日", (_CALENDAR,)),  # the whole table, key 0; no rows: no unit
    Unit("month", "月结", (_MONTH,)),  # key: month_key
    Unit("grant", "拨款", (_GRANT,)),
    Unit("import", "导入", (_BATCH, _REPORTED_CASES, _REPORTED_PAYMENTS, _REPORTED_ENTRIES)),
    Unit("key", "签名密钥", (_KEY,)),
    Unit("trust", "登记的密钥", (_TRUST,)),  # the whole table, key 0
    Unit("chain", "各社审计链", (_CHAIN,)),  # the whole table, key 0
    Unit("export", "导出记录", (_EXPORT,)),
    Unit("office", "本单位", (_OFFICE,)),
    Unit("office_key", "加密密钥", (_OFFICE_KEY,)),
    Unit("enrolled", "登记的单位", (_TRUSTED_OFFICE,)),
)}
WHOLE_TABLE = frozenset({"calendar", "trust", "chain"})  # units made of all rows of their table


def month_key(society_id: int, month: str) -> int:
    """The key of a month close: society 12, "2026-11" → 12202611 (db/seals.py computes it alike)."""
    return society_id * 1_000_000 + int(month.replace("-", ""))


@dataclass(frozen=True)
class Seal:
    """One unit's state as an audit entry binds it: digest None when the unit is gone."""

    unit: str
    key: int
    digest: str | None
    detail: str = ""

    def token(self) -> str:
        return f"{self.unit}:{self.key}:{self.digest or '-'}"


def digest(image: str) -> str:
    return hashlib.sha256(image.encode("utf-8")).hexdigest()


# A value: quoted text (with the mark db/seals.py writes after text holding a NUL or a
# BLOB), or a bare NULL; or a separator.
_TOKEN = re.compile(r"'(?:[^']|'')*'!*|[^',;|]+|[,;|]")


def parse_image(image: str) -> list[list[list[str]]]:
    """Sections → rows → values of a rendered image (values as rendered)."""
    sections: list[list[list[str]]] = [[]]
    row: list[str] | None = None
    for token in _TOKEN.findall(image):
        if token == "|":
            sections.append([])
            row = None
        elif token == ";":
            row = None
        elif token != ",":
            if row is None:
                row = []
                sections[-1].append(row)
            row.append(token)
    return sections


def _short(value: str, kind: str) -> str:
    if kind in (INT, MONEY, BOOL) or value == "NULL":
        return _plain(value)
    return f"{zlib.crc32(value.encode('utf-8')) & 0xfff:03x}"


def detail(unit: str, image: str) -> str:
    """The short form of ``image`` kept to name what changed: per row its key and, for each
    column named on its own, its value (integers) or a 12-bit fingerprint; the other columns
    of a row share one fingerprint."""
    out = []
    for section, rows in zip(UNITS[unit].sections, parse_image(image)):
        out.append(";".join(",".join(_row_detail(section, row)) for row in rows))
    return "|".join(out)


def _row_detail(section: Section, row: list[str]) -> list[str]:
    values = [row[0]]
    rest = []
    for column, value in zip(section.columns, row[1:]):
        if section.is_named(column.name):
            values.append(_short(value, column.kind))
        else:
            rest.append(value)
    if rest:
        values.append(_short(",".join(rest), TEXT))
    return values


def _plain(value: str) -> str:
    return value[1:-1].replace("''", "'") if value.startswith("'") else value


def _shown(value: str, kind: str) -> str:
    if value == "NULL":
        return "空"
    value = _plain(value)
    if kind == BOOL:
        return "是" if value == "1" else "否"
    if kind == MONEY:
        return format_yuan_label(int(value))
    return _plain(value)


def differences(unit: str, sealed_detail: str, live_image: str) -> list[str]:
    """What differs between the last audited state (its detail) and the row now, as
    phrases: «收款账号», «审批金额：审计记录 ¥1,800.00，数据库 ¥2,800.00», «第 3 条办理记录的签字人»,
    «多出一条台账»… Empty when the detail cannot tell (the digest still differs)."""
    spec = UNITS[unit]
    sealed = [[row.split(",") for row in sec.split(";")] if sec else [] for sec in sealed_detail.split("|")]
    live = parse_image(live_image)
    out: list[str] = []
    for section, old_rows, new_rows in zip(spec.sections, sealed, live):
        new_short = {r[0]: (_row_detail(section, r), r) for r in new_rows}
        old_by_key = {r[0]: r for r in old_rows}
        for position, (key, old) in enumerate(old_by_key.items(), start=1):
            if key not in new_short:
                out.append(f"{_which(section, position, old_rows, key)}被删除")
                continue
            new, values = new_short[key]
            out += _changed_columns(section, position, old, new, values, many=section.parent != "" or
                                    unit in WHOLE_TABLE)
        out += [f"多出{_which(section, None, old_rows, key)}" for key in new_short if key not in old_by_key]
    return out


def _which(section: Section, position: int | None, rows: list[list[str]], key: str) -> str:
    if section.key.kind == DATE:
        return f"{section.label} {_plain(key)}"
    if position is None:
        return f"一条{section.label}（编号 {_plain(key)}）"
    return f"第 {position} 条{section.label}"


def _changed_columns(section: Section, position: int, old: list[str], new: list[str], values: list[str],
                     many: bool) -> list[str]:
    out = []
    named = [c for c in section.columns if section.is_named(c.name)]
    where = f"{_which(section, position, [], old[0])}的" if many else ""
    for i, column in enumerate(named, start=1):
        if i < len(old) and old[i] != new[i]:
            value = values[1 + section.columns.index(column)]
            if column.kind in (MONEY, INT, BOOL):
                out.append(f"{where}{column.label}：审计记录 {_shown(old[i], column.kind)}，"
                           f"数据库 {_shown(value, column.kind)}")
            else:
                out.append(f"{where}{column.label}")
    if len(new) > len(named) + 1 and len(old) == len(new) and old[-1] != new[-1]:
        out.append(f"{where}其他内容")
    return out


def seal_list(seals: Iterable[Seal]) -> str:
    """The seals as an audit entry's hash covers them, in the order written."""
    return " ".join(s.token() for s in seals)


def who(unit: str, key: int, name: str | None = None) -> str:
    """How a message names a unit: 案件 341802100201-2026-00003, 台账第 12 条, 用户 李经办…"""
    if unit in ("ledger", "grant", "export"):
        return f"{UNITS[unit].label}第 {key} 条"
    if unit == "import":
        return f"导入第 {key} 批（{name}）" if name and name != str(key) else f"导入第 {key} 批"
    if unit == "calendar":
        return "节假日表"
    if unit == "case" and (name is None or name == str(key)):
        return f"案件（内部编号 {key}）"
    return f"{UNITS[unit].label} {name if name is not None else key}"


def _joined(unit: str) -> str:
    return "" if unit in ("ledger", "grant", "export") else " 的"


def changed_messages(unit: str, key: int, name: str | None, phrases: list[str]) -> list[str]:
    """«台账第 12 条金额：审计记录 ¥10,000.00，数据库 ¥20,000.00（在程序之外被改动）», «案件 … 的收款账号在程序之外被改动»."""
    unit_name = who(unit, key, name)
    valued = [p for p in phrases if "：审计记录" in p]
    named = [p for p in phrases if p not in valued]
    out = [f"{unit_name}{_joined(unit)}{p}（在程序之外被改动）" for p in valued]
    if named:
        out.append(f"{unit_name}{_joined(unit)}{'、'.join(named)}在程序之外被改动")
    if not phrases:
        out.append(f"{unit_name} 在程序之外被改动（与最后一条审计记录不符）")
    return out


def sealed_amounts(unit: str, sealed_detail: str) -> str:
    """The money of a unit's main row as its last seal kept it («金额 -¥500.00»), to name a
    unit that is gone."""
    section = UNITS[unit].sections[0]
    row = sealed_detail.split("|")[0].split(",")
    shown = []
    named = [c for c in section.columns if section.is_named(c.name)]
    for i, column in enumerate(named, start=1):
        if column.kind == MONEY and i < len(row) and row[i] != "NULL":
            shown.append(f"{column.label} {_shown(row[i], MONEY)}")
    return "，".join(shown)


def live_amounts(unit: str, image: str) -> str:
    """The money of a unit's main row as it is now («金额 ¥20,000.00»)."""
    section = UNITS[unit].sections[0]
    (row, *_), *_ = parse_image(image) or [[[]]]
    return "，".join(f"{c.label} {_shown(v, MONEY)}" for c, v in zip(section.columns, row[1:])
                    if c.kind == MONEY and v != "NULL")


def unsealed_message(unit: str, key: int, name: str | None, image: str) -> str:
    amounts = live_amounts(unit, image) if unit != "case" else ""
    return f"{who(unit, key, name)}{f'（{amounts}）' if amounts else ''}没有审计记录：在程序之外被添加"


def gone_message(unit: str, key: int, sealed_detail: str) -> str:
    amounts = sealed_amounts(unit, sealed_detail)
    return f"{who(unit, key)}{f'（{amounts}）' if amounts else ''}不见了：在程序之外被删除"


# --- One unit before it is used --------------------------------------------------------------
# Signing in trusts the user's row, paying trusts the case's: each is compared with its last
# seal first, so an edit made outside the app is refused rather than obeyed (and never sealed
# over by the operation, which would pass it off as audited).


class ChangedOutsideApp(DomainError):
    """A unit an operation relies on differs from its last audited state."""


def unit_changes(unit: str, image: str | None, sealed: tuple[str | None, str] | None) -> list[str]:
    """What of one unit differs from its last seal (digest, detail), as phrases («角色»,
    «收款账号»); empty when it is as sealed. A unit never sealed was added outside the app."""
    if sealed is None:
        return [] if image is None else ["没有审计记录"]
    now = digest(image) if image is not None else None
    if now == sealed[0]:
        return []
    if image is None:
        return ["被删除"]
    phrases = differences(unit, sealed[1], image) if sealed[0] is not None else []
    return phrases or ["与最后一条审计记录不符"]


def changed_refusal(unit: str, key: int, name: str | None, phrases: list[str], refused: str) -> ChangedOutsideApp:
    """«案件 … 在程序之外被改动（收款账号），不能发放：请管理员运行检查»."""
    unit_name = who(unit, key, name)
    joint = "" if unit in ("ledger", "grant", "export") else " "
    return ChangedOutsideApp(f"{unit_name}{joint}在程序之外被改动（{'、'.join(phrases)}），{refused}：请管理员运行检查")


def own_record_refusal(phrases: list[str]) -> ChangedOutsideApp:
    """A user whose own row was edited outside the app does not sign in with it."""
    return ChangedOutsideApp(f"你的用户记录在程序之外被改动（{'、'.join(phrases)}）：不能登录；请管理员运行检查并从备份恢复")
