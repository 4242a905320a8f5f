"""``jiujinan case …``: list, show and add (from a JSON file) cases; act and timeline are
the review's (cmd_review)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jiujinan.cases.enums import Cause, CaseStatus
from jiujinan.cases.errors import DomainError, FieldError, ValidationError
from jiujinan.cli import cmd_review, messages

if TYPE_CHECKING:
    from jiujinan.cases.application import ApplicationInput
    from jiujinan.services.context import AppContext

COMMANDS = ("case",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    case = sub.add_parser("case", help="案件：list 列出，show 查看，add 登记")
    case_sub = case.add_subparsers(dest="action", required=True)
    lst = case_sub.add_parser("list")
    lst.add_argument("--society", help="区划代码（默认第一个互助社）")
    statuses = {s.value: [s.label] for s in CaseStatus}
    causes = {c.value: [c.label] for c in Cause}
    lst.add_argument("--status", type=messages.one_of(statuses), metavar="STATUS",
                     help="状态，中文或英文：" + messages.listing(statuses))
    lst.add_argument("--cause", type=messages.one_of(causes), metavar="CAUSE",
                     help="救助事由，中文或英文：" + messages.listing(causes))
    lst.add_argument("--search", default="", help="姓名、身份证号或案件编号中的一段（3 个字起任意位置；1–2 个字从姓名、名字或号码开头）")
    lst.add_argument("--limit", type=messages.whole_number(0, messages.MAX_LIMIT), default=50)
    show = case_sub.add_parser("show", help="一件案件（JSON）；身份证号脱敏，--full-ids 须登录为经办人或管理员")
    show.add_argument("--full-ids", action="store_true", help="显示完整身份证号、账号")
    show.add_argument("case_no")
    cadd = case_sub.add_parser("add", help="从 JSON 文件登记申请（字段同申请表）")
    cadd.add_argument("--society", help="区划代码（默认第一个互助社）")
    cadd.add_argument("file", help="JSON 文件，- 为标准输入")
    cadd.add_argument("--attach", action="append", default=[], help="附件文件，可重复")
    cadd.add_argument("--repeat", metavar="REASON", default="",
                      help="一事一救：此人本年度已有同一事由的案件时，仍然登记的理由（记入案件和审计记录）")
    cmd_review.add_case_parsers(case_sub)


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    import dataclasses
    import json

    from jiujinan.cases.dates import format_date
    from jiujinan.cases.history import RepeatApplication
    from jiujinan.cases.listing import CaseListQuery
    from jiujinan.cases.money import format_fen
    from jiujinan.services import case_list, intake, societies

    if args.action in ("act", "timeline"):
        return cmd_review.run_case(ctx, args, user)
    if args.action == "show":  # personal numbers masked unless --full-ids (refused without the right)
        case = intake.load_by_no(ctx, args.case_no, user, full=args.full_ids)
        out = {"case_no": case.case_no, "status": case.status.label, "version": case.version,
               **case.application.as_dict(),
               "attachments": [{"name": a.original_name, "sha256": a.sha256} for a in case.attachments]}
        out["requested_yuan"] = format_fen(case.application.requested_fen)
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return 0
    society_id = societies.society_by_code(ctx, args.society, user).id
    if args.action == "list":
        query = CaseListQuery(
            society_id=society_id,
            status=CaseStatus(args.status) if args.status else None,
            cause=Cause(args.cause) if args.cause else None,
            text=args.search,
        )
        total = case_list.count(ctx, query, user)
        for row in case_list.listed(ctx, query, user, limit=args.limit):  # ID numbers masked by the service
            print(f"{row.case_no}\t{row.applicant_name}\t{row.id_number}\t{row.cause.label}\t"
                  f"{format_fen(row.requested_fen)}\t{row.status.label}\t{format_date(row.applied_on)}")
        print(f"共 {total} 件", file=sys.stderr)
        return 0
    data = _read_application(args.file, ctx)
    if args.repeat.strip():
        data = dataclasses.replace(data, repeat_reason=args.repeat)
    try:
        case = intake.register_application(ctx, society_id, data, user,
                                           attachments=[Path(p) for p in args.attach])
    except RepeatApplication as err:  # the same rule as the GUI's intake (cases/history.check_repeat)
        print(f"错误：{err}\n未登记。如确需再次登记，请加上 --repeat 理由，例如："
              f"jiujinan case add --repeat \"病情复发再次住院\" {args.file}", file=sys.stderr)
        return 1
    print(case.case_no)
    return 0


# An application file is a few KB; a larger one is not an application (and is not read whole).
APPLICATION_FILE_MAX = 1_000_000  # bytes


def _read_application(file: str, ctx: AppContext) -> ApplicationInput:
    """An application from JSON: the form's field names, values as typed. Each value's JSON
    type is checked (a file from outside is hostile until checked): every wrong one is named
    at once, and nothing is stored."""
    import json

    from jiujinan.cases.application import ApplicationInput

    try:
        if file == "-":
            data = sys.stdin.buffer.read(APPLICATION_FILE_MAX + 1)
        else:
            with Path(file).open("rb") as stream:
                data = stream.read(APPLICATION_FILE_MAX + 1)
        if len(data) > APPLICATION_FILE_MAX:
            raise DomainError(f"申请文件超过 {APPLICATION_FILE_MAX // 1_000_000} MB，不是一份申请")
        raw = json.loads(data.decode("utf-8"))
    except (OSError, ValueError) as err:  # ValueError: bad UTF-8 or JSON, an integer of thousands of digits
        raise DomainError(f"无法读取申请文件：{err}") from err
    except RecursionError:  # thousands of nested brackets
        raise DomainError("无法读取申请文件：JSON 嵌套过深") from None
    if not isinstance(raw, dict):
        raise DomainError("申请文件应为一个 JSON 对象")
    known = set(ApplicationInput.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DomainError(f"申请文件中有不认识的字段：{', '.join(unknown)}")
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for key, value in raw.items():
        try:
            values[key] = _application_value(key, value, ctx)
        except ValidationError as err:
            errors.extend(err.errors)
    if errors:
        raise ValidationError(errors)
    values.setdefault("applied_on", ctx.clock.today())
    return ApplicationInput(**values)  # type: ignore[arg-type]


def _application_value(key: str, value: object, ctx: AppContext) -> object:
    """One field of an application file as the form holds it, or ValidationError naming it."""
    if key == "members":
        return _members_value(value)
    if key == "agent_has_poa":  # "false" is text, and bool("false") is True: only true or false
        if value is None:
            return False
        if not isinstance(value, bool):
            raise ValidationError("应为 true 或 false（不加引号）", field=key)
        return value
    text = _application_text(key, value)
    if key == "applied_on":
        from jiujinan.cases.dates import parse_date

        return parse_date(text, field="applied_on", label="申请日期", today=ctx.clock.today())
    return text


# A member in an application file: a list in the form's column order, the last ones optional
# (older files give three), or an object with these names. ``case show`` prints the lists.
MEMBER_KEYS = ("name", "relation", "id_number", "age", "income_source")
MEMBERS_SHAPE = ('应为列表，每人一项 ["姓名", "关系", "身份证号", 年龄, "收入来源"]（后几项可省略；'
                 '或 {"name": …, "relation": …, "id_number": …, "age": …, "income_source": …}）')


def _members_value(value: object) -> list[tuple[str, ...]]:
    """The household members of an application file as the form's rows of text."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(MEMBERS_SHAPE, field="members")
    rows = []
    for member in value:
        if isinstance(member, dict) and set(member) <= set(MEMBER_KEYS):
            cells = [member.get(k) for k in MEMBER_KEYS]
        elif isinstance(member, list) and len(member) <= len(MEMBER_KEYS):
            cells = list(member) + [None] * (len(MEMBER_KEYS) - len(member))
        else:
            raise ValidationError(MEMBERS_SHAPE, field="members")
        if not all(isinstance(c, str) for c in cells[:2]) or not all(c is None or isinstance(c, str)
                                                                      for c in cells[2:3] + cells[4:]):
            raise ValidationError(MEMBERS_SHAPE, field="members")
        age = cells[3]
        if isinstance(age, bool) or not (age is None or isinstance(age, (str, int))):
            raise ValidationError(MEMBERS_SHAPE, field="members")
        rows.append(tuple("" if c is None else str(c) for c in cells))
    return rows


def _application_text(key: str, value: object) -> str:
    """A text field: a JSON string, or a number written as text (null is empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValidationError("应为文字或数字", field=key)
