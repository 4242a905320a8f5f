"""``jiujinan society …``: list, show, add and set a society's settings, the amounts and what
the papers print (打印与告知), checked by the same rules as the 设置 form."""

from __future__ import annotations

import argparse
import dataclasses
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from jiujinan.cli import messages
from jiujinan.cases.enums import Level
from jiujinan.cases.errors import FieldError, ValidationError
from jiujinan.cases.money import format_fen
from jiujinan.cases.society import SocietySettings

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("society",)

# The society's amounts on the command line: option, default for ``society add``, label, field.
SOCIETY_AMOUNTS = (  # option, default of `society add` (cases/society's, in yuan), label, field
    ("--village-limit", format_fen(SocietySettings.village_limit_fen), "村级审批限额", "village_limit_fen"),
    ("--town-limit", format_fen(SocietySettings.town_limit_fen), "乡镇审批限额", "town_limit_fen"),
    ("--fund-floor", format_fen(SocietySettings.fund_floor_fen), "资金预警线", "fund_floor_fen"),
    ("--emergency-limit", None, "先行救助最高金额", "emergency_limit_fen"),
)

# What the papers print (打印与告知, as on the 设置 form): option, SocietySettings field, label,
# kind (text, days, yes/no). Not given: ``add`` takes the usual value, ``set`` leaves it.
SOCIETY_PAPER = (
    ("--village-office", "village_office", "村级审核单位", "text"),
    ("--town-office", "town_office", "乡镇审核单位", "text"),
    ("--district-office", "district_office", "区级审批单位", "text"),
    ("--notice-shows-id", "notice_shows_id", "公示显示身份证号（脱敏）", "yes/no"),
    ("--objection-contact", "objection_contact", "异议受理单位和联系人", "text"),
    ("--contact-phone", "contact_phone", "联系电话", "text"),
    ("--return-days", "return_days", "补充材料期限（工作日）", "days"),
    ("--appeal-days", "appeal_days", "提出异议期限（天）", "days"),
    ("--appeal-to", "appeal_to", "异议受理单位和地址", "text"),
    ("--head-name", "head_name", "单位负责人", "text"),
)
YES_NO = {"yes": True, "no": False, "是": True, "否": False}


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    soc = sub.add_parser("society", help="互助社：list 列出，show 查看设置，add 新增，set 修改设置")
    soc_sub = soc.add_subparsers(dest="action", required=True)
    soc_sub.add_parser("list")
    soc_show = soc_sub.add_parser("show", help="一个互助社的全部设置")
    soc_show.add_argument("area_code", nargs="?", help="互助社的区划代码（默认第一个互助社）")
    add = soc_sub.add_parser("add")
    for name in ("name", "village", "area-code", "town", "district"):
        add.add_argument(f"--{name}", required=True)
    change = soc_sub.add_parser("set", help="修改一个互助社的金额和打印设置（管理员）；未给的不变")
    change.add_argument("area_code", help="互助社的区划代码")
    for option, default, label, _field in SOCIETY_AMOUNTS:
        add.add_argument(option, default=default, help=f"{label}（元）" + ("" if default else "，默认同村级审批限额"))
        change.add_argument(option, default=None, help=f"{label}（元）")
    add.add_argument("--notice-days", type=messages.whole_number(1, 30), default=SocietySettings.notice_days)
    add.add_argument("--calendar-days", action="store_true", help="公示期按自然日（默认工作日）")
    add.add_argument("--objection-phone", default="")
    for option, field, label, kind in SOCIETY_PAPER:
        shown = {"yes/no": f"{label}：yes 或 no（默认 no）", "days": f"{label}，整数"}.get(kind, label)
        default = getattr(SocietySettings, field, "")
        for parser_ in (add, change):
            parser_.add_argument(option, default=None, metavar="YES|NO" if kind == "yes/no" else None,
                                 help=shown + (f"（默认 {default}）" if kind == "days" and parser_ is add else ""))


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    """Run ``society ACTION``; show and set find the society by area code among the user's."""
    from jiujinan.cases.money import format_fen
    from jiujinan.services import societies

    if args.action == "list":
        for rec in societies.list_societies(ctx, user):
            st = rec.settings
            print(f"{st.area_code}\t{st.name}\t{st.district}{st.town}{st.village}\t"
                  f"村限额{format_fen(st.village_limit_fen)}\t乡镇限额{format_fen(st.town_limit_fen)}\t"
                  f"先行救助最高{format_fen(st.emergency_limit())}")
        return 0
    if args.action == "show":
        for label, value in _society_lines(societies.society_by_code(ctx, args.area_code, user).settings):
            print(f"{label}\t{value}")
        return 0
    if args.action == "set":
        rec = societies.society_by_code(ctx, args.area_code, user)
        paper = _paper_settings(args, lambda values: dataclasses.replace(rec.settings, **values))
        clean = societies.update_society(ctx, rec.id, dataclasses.replace(rec.settings, **_amounts(args), **paper),
                                         user)
        st = clean.settings
        print(f"已修改 {clean.label}：村级审批限额 {format_fen(st.village_limit_fen)} 元，乡镇审批限额 "
              f"{format_fen(st.town_limit_fen)} 元，先行救助最高金额 {format_fen(st.emergency_limit())} 元"
              "（先行救助最高金额不随村级限额改变，要改请用 --emergency-limit）")
        if paper:
            shown = dict(_society_lines(st))
            print("打印与告知：" + "，".join(f"{_short(label)} {shown[_short(label)]}"
                                        for _o, field, label, _k in SOCIETY_PAPER if field in paper))
        return 0

    def typed(paper: dict[str, object]) -> SocietySettings:
        return SocietySettings(
            name=args.name, village=args.village, area_code=args.area_code, town=args.town,
            district=args.district, notice_days=args.notice_days, notice_working_days=not args.calendar_days,
            objection_phone=args.objection_phone, **_amounts(args), **paper,
        )

    settings = typed(_paper_settings(args, typed))
    rec = societies.create_society(ctx, settings, user)
    print(f"已新增互助社：{rec.label}")
    return 0


def _amounts(args: argparse.Namespace) -> dict[str, int]:
    """The amounts typed (in yuan) as fen, by SocietySettings field; those not given are left
    out. A bad one is named by its setting (先行救助最高金额：金额必须大于零)."""
    from jiujinan.cases.money import parse_yuan

    amounts: dict[str, int] = {}
    for option, _default, label, field in SOCIETY_AMOUNTS:
        text = getattr(args, option[2:].replace("-", "_"))
        if text is None:
            continue
        try:
            amounts[field] = parse_yuan(text, field=field, allow_zero=field == "fund_floor_fen")
        except ValidationError as err:
            raise ValidationError(f"{label}：{err.errors[0].message}", field) from None
    return amounts


def _paper_settings(args: argparse.Namespace,
                    settings_with: Callable[[dict[str, object]], SocietySettings]) -> dict[str, object]:
    """The 打印与告知 settings typed, by SocietySettings field; those not given are left out.
    Ranges and lengths are SocietySettings' rules, as on the 设置 form: when one value is
    not even a number, ``settings_with`` the others is checked too, so every bad one is
    named at once."""
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for option, field, label, kind in SOCIETY_PAPER:
        text = getattr(args, option[2:].replace("-", "_"))
        if text is None:
            continue
        typed = unicodedata.normalize("NFKC", text).strip()
        if kind == "text":
            values[field] = text
        elif kind == "yes/no":
            if typed.lower() not in YES_NO:
                errors.append(FieldError(field, f"{label}应为 yes 或 no，不是 {messages._shown(text)}"))  # noqa: SLF001
            else:
                values[field] = YES_NO[typed.lower()]
        elif typed.isdecimal() and len(typed) <= 4:
            values[field] = int(typed)
        else:
            errors.append(FieldError(field, f"{label}应为整数，不是 {messages._shown(text)}"))  # noqa: SLF001
    if errors:
        try:
            settings_with(values).validated()
        except ValidationError as err:
            errors.extend(e for e in err.errors if e.field not in {x.field for x in errors})
        raise ValidationError(errors)
    return values


def _short(label: str) -> str:
    """A label without its unit (补充材料期限（工作日） → 补充材料期限), where the value says it."""
    return label.split("（")[0] if label.endswith(("（天）", "（工作日）")) else label


def _society_lines(st: SocietySettings) -> list[tuple[str, str]]:
    """Every setting of a society as (label, value), as ``society show`` prints them; an
    empty office says what prints instead."""
    from jiujinan.cases.money import format_fen

    def days(value: int, unit: str) -> str:
        return f"{value} {unit}"

    lines = [
        ("互助社名称", st.name), ("村（社区）", st.village), ("区划代码", st.area_code), ("乡镇（街道）", st.town),
        ("区（县）", st.district), ("村级审批限额", f"{format_fen(st.village_limit_fen)} 元"),
        ("乡镇审批限额", f"{format_fen(st.town_limit_fen)} 元"), ("资金预警线", f"{format_fen(st.fund_floor_fen)} 元"),
        ("公示期", days(st.notice_days, "个工作日" if st.notice_working_days else "天")),
        ("先行救助最高金额", f"{format_fen(st.emergency_limit())} 元"),
        ("先行救助补办期限", days(st.emergency_deadline_days, "个工作日")),
        ("监督电话", st.objection_phone or "（未填）"),
        ("职责分离", f"允许录入人审批：{st.entrant_may_approve_reason}" if st.entrant_may_approve else "录入人不得审批"),
    ]
    defaults = {"village_office": st.office_name(Level.VILLAGE), "town_office": st.office_name(Level.TOWN),
                "district_office": st.office_name(Level.DISTRICT), "appeal_to": st.objections_to()}
    for _option, field, label, kind in SOCIETY_PAPER:
        value = getattr(st, field)
        if kind == "yes/no":
            lines.append((label, "是" if value else "否"))
        elif kind == "days":
            lines.append((_short(label), days(value, "个工作日" if field == "return_days" else "天")))
        elif field in defaults:
            lines.append((label, value or f"（未填，印：{defaults[field]}）"))
        else:
            lines.append((label, value or "（未填）"))
    return lines
