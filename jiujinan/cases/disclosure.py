"""Which personal field is shown in full, masked or left out, on which output, for whom: the
one table every screen, paper and file follows (the door checks who reads; this says what
they see). Masking itself is the one public rule of cases/masking.py.

A cell is a ``Shown`` (the same for everyone) or a ``Permission``: in full for a user whose
roles grant it, masked for everyone else. Printouts follow the screen's full-ID permission
(``case show --full-ids``): Permission.SEE_FULL, which 经办人 and 管理员 hold."""

from __future__ import annotations

import dataclasses
from enum import Enum

from jiujinan.cases.application import Application, HouseholdMember
from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.masking import is_masked, mask_id, mask_name, mask_phone, village_group
from jiujinan.cases.users import Permission, PermissionDenied, Role, allows, require


class Kind(Enum):
    """A kind of personal field."""

    NAME = "姓名"
    ID_NUMBER = "身份证号"
    ACCOUNT = "银行账号"
    PHONE = "电话"
    ADDRESS = "住址"
    HARDSHIP = "困难情况"


class Output(Enum):
    """Where personal data goes."""

    SCREEN = "案件页面"  # the case screen, `case show`
    LIST = "案件列表"  # the case list, `case list`, 待办
    FORM = "救助申请审批表"
    ROSTER = "发放花名册"
    POSTED_ROSTER = "发放花名册（张贴或外送）"
    NOTICE = "公示"
    EXPORT = "导出CSV"
    MONTHLY = "月报"
    LEDGER = "资金台账"
    LETTER = "告知书"


class Shown(Enum):
    FULL = "完整"
    MASKED = "脱敏"
    OMITTED = "不出现"


F, M, O = Shown.FULL, Shown.MASKED, Shown.OMITTED
SEE = Permission.SEE_FULL  # 经办人、管理员
EXPORT_FULL = Permission.FULL_IDS  # 管理员, and only when --full-ids is asked for

_COLUMNS = (Kind.NAME, Kind.ID_NUMBER, Kind.ACCOUNT, Kind.PHONE, Kind.ADDRESS, Kind.HARDSHIP)
_ROWS: dict[Output, tuple[Shown | Permission, ...]] = {
    #                      姓名  身份证号     账号  电话  住址  困难情况
    Output.SCREEN:        (F, SEE,         SEE, SEE, F, F),
    Output.LIST:          (F, M,           O, O, O, O),
    Output.FORM:          (F, SEE,         SEE, SEE, F, F),
    Output.ROSTER:        (F, SEE,         SEE, O, F, O),  # the account paid into, where they live
    Output.POSTED_ROSTER: (M, M,           M, O, M, O),  # address masked: the 村民组 alone
    Output.NOTICE:        (M, M,           O, O, O, O),  # DOMAIN: never the ID, phone, account or diagnosis
    Output.EXPORT:        (F, EXPORT_FULL, O, O, O, O),
    Output.MONTHLY:       (O, O,           O, O, O, O),  # figures only
    Output.LEDGER:        (F, O,           O, O, O, O),  # the payee
    Output.LETTER:        (F, O,           O, O, O, O),  # addressed to the applicant
}
TABLE: dict[Output, dict[Kind, Shown | Permission]] = {
    output: dict(zip(_COLUMNS, cells, strict=True)) for output, cells in _ROWS.items()}


def shown(output: Output, kind: Kind, roles: frozenset[Role], *, want_full: bool = True) -> Shown:
    """How ``kind`` appears on ``output`` for a user with ``roles``; ``want_full`` False asks
    for masking where the table would allow the full value (the clerk's choice)."""
    cell = TABLE[output][kind]
    if isinstance(cell, Shown):
        return cell
    return Shown.FULL if want_full and allows(roles, cell) else Shown.MASKED


def present(value: str, kind: Kind, how: Shown) -> str:
    """``value`` as shown: whole, masked by the one public rule, or left out."""
    if how is Shown.OMITTED:
        return ""
    if how is Shown.FULL or not value:
        return value
    if kind is Kind.NAME:
        return mask_name(value)
    if kind is Kind.ADDRESS:
        return village_group(value)
    return mask_phone(value) if kind is Kind.PHONE else mask_id(value)


def disclose(value: str, output: Output, kind: Kind, roles: frozenset[Role], *, want_full: bool = True) -> str:
    """``value`` as ``output`` shows it to a user with ``roles``."""
    return present(value, kind, shown(output, kind, roles, want_full=want_full))


def disclose_application(app: Application, output: Output, roles: frozenset[Role], *,
                         want_full: bool = True) -> Application:
    """The application as ``output`` shows it: ID numbers (the applicant's, the agent's, the
    household's), account and phone masked where the table says so. Name, address and the
    account of hardship stay on the screen and the form (the table keeps them full there)."""
    def cell(value: str, kind: Kind) -> str:
        return disclose(value, output, kind, roles, want_full=want_full)

    return dataclasses.replace(
        app,
        applicant_name=cell(app.applicant_name, Kind.NAME),
        id_number=cell(app.id_number, Kind.ID_NUMBER),
        agent_id_number=cell(app.agent_id_number, Kind.ID_NUMBER),
        members=tuple(dataclasses.replace(m, id_number=cell(m.id_number, Kind.ID_NUMBER)) for m in app.members),
        account_no=cell(app.account_no, Kind.ACCOUNT),
        phone=cell(app.phone, Kind.PHONE),
        address=cell(app.address, Kind.ADDRESS),
        hukou_address=cell(app.hukou_address, Kind.ADDRESS),
        hardship=cell(app.hardship, Kind.HARDSHIP),
    )


def birth_shown(app: Application) -> str:
    """The birth date as shown beside the applicant's ID number: in full only where the ID is
    shown in full, else the year alone (the eight masked digits of an ID *are* the birth
    date: printed beside it, the date would undo the mask)."""
    if is_masked(app.id_number):
        return f"{app.birth_date.year}年"
    return format_date_cn(app.birth_date)


def require_full(user: str, roles: frozenset[Role], output: Output, kind: Kind) -> None:
    """Refuse, naming the role needed, a request for ``kind`` in full on ``output`` by a user
    the table shows it masked (``case show --full-ids``, ``export --full-ids``)."""
    cell = TABLE[output][kind]
    if isinstance(cell, Permission):
        require(user, roles, cell)
    elif cell is not Shown.FULL:
        raise PermissionDenied(f"{output.value}上的{kind.value}不给出完整内容")
