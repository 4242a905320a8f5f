"""An aid application: what the clerk types, and the rules that turn it into a valid record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from jiujinan.cases.enums import Cause, CaseStatus, HouseholdType, PaymentMethod, Residence, Sex
from jiujinan.cases.errors import DomainError, FieldError, ValidationError
from jiujinan.cases.idcard import parse_id_number
from jiujinan.cases.money import format_fen, parse_yuan
from jiujinan.cases.society import is_phone
from jiujinan.cases.text import clean_text

EARLIEST_APPLIED_ON = dt.date(2000, 1, 1)
MAX_MEMBERS = 30
MAX_AGE = 120
# A member as typed: 姓名, 关系, 身份证号, 年龄, 收入来源 (older files and callers give only
# the first three; the missing cells are empty).
MEMBER_CELLS = 5
# The application may change until the village has decided (and while material is awaited).
EDITABLE_STATUSES = frozenset({CaseStatus.ACCEPTED, CaseStatus.INVESTIGATED, CaseStatus.DELIBERATED,
                               CaseStatus.NOTICE, CaseStatus.RETURNED})


@dataclass(frozen=True)
class HouseholdMember:
    """A member of the applicant's household as listed on the form."""

    name: str
    relation: str
    id_number: str = ""
    age: int | None = None  # as told at the application; the ID number's birth date when given
    income_source: str = ""  # 收入来源: 务工, 务农, 养老金, 无…


@dataclass
class ApplicationInput:
    """The form as typed: every value is the raw text (or choice) the clerk entered."""

    applicant_name: str = ""
    sex: str = ""  # Sex value, or "" to take it from the ID number
    id_number: str = ""
    phone: str = ""
    address: str = ""
    residence: str = Residence.REGISTERED.value
    hukou_address: str = ""
    household_size: str = "1"
    household_type: str = HouseholdType.ORDINARY.value
    members: list[tuple[str, ...]] = field(default_factory=list)  # MEMBER_CELLS texts each
    cause: str = ""
    hardship: str = ""
    requested_yuan: str = ""
    other_aid: str = ""
    payment_method: str = PaymentMethod.BANK.value
    bank_name: str = ""
    account_no: str = ""
    account_holder: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    agent_relation: str = ""
    agent_has_poa: bool = False
    applied_on: dt.date | None = None
    repeat_reason: str = ""


@dataclass(frozen=True)
class Application:
    """A validated application, ready to store; amounts in fen."""

    applicant_name: str
    sex: Sex
    id_number: str
    birth_date: dt.date
    phone: str
    address: str
    residence: Residence
    hukou_address: str
    household_size: int
    household_type: HouseholdType
    members: tuple[HouseholdMember, ...]
    cause: Cause
    hardship: str
    requested_fen: int
    other_aid: str
    payment_method: PaymentMethod
    bank_name: str
    account_no: str
    account_holder: str
    agent_name: str
    agent_id_number: str
    agent_relation: str
    agent_has_poa: bool
    applied_on: dt.date
    repeat_reason: str

    def as_dict(self) -> dict[str, object]:
        """Plain values for storage and the audit trail (enums as their stored values)."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "members":
                value = [[m.name, m.relation, m.id_number, m.age, m.income_source] for m in value]
            elif hasattr(value, "value"):
                value = value.value
            out[f.name] = value
        return out


def as_input(app: Application) -> ApplicationInput:
    """A stored application as the form shows it (validating it again gives it back)."""
    values = {f.name: getattr(app, f.name) for f in fields(ApplicationInput) if hasattr(app, f.name)}
    for name, value in values.items():
        if hasattr(value, "value"):
            values[name] = value.value
    values["household_size"] = str(app.household_size)
    values["members"] = [member_cells(m) for m in app.members]
    values["requested_yuan"] = format_fen(app.requested_fen)
    return ApplicationInput(**values)


def member_cells(member: HouseholdMember) -> tuple[str, ...]:
    """A stored member as the form's row of texts (an unknown age is an empty cell)."""
    age = "" if member.age is None else str(member.age)
    return (member.name, member.relation, member.id_number, age, member.income_source)


def merge_newer(mine: ApplicationInput, opened: Application, newer: Application) -> tuple[ApplicationInput, list[str]]:
    """Someone else saved the case while this clerk was editing it: the fields they changed
    take their saved values, the clerk's other edits stay. Returns the merged form and the
    names of the fields they changed (form names, in form order). Nothing is overwritten
    silently: the clerk sees both before saving again."""
    before, after = as_input(opened), as_input(newer)
    theirs = [f.name for f in fields(ApplicationInput) if getattr(before, f.name) != getattr(after, f.name)]
    merged = ApplicationInput(**{f.name: getattr(after if f.name in theirs else mine, f.name)
                                 for f in fields(ApplicationInput)})
    return merged, theirs


FIELD_LABELS: dict[str, str] = {
    "applicant_name": "申请人姓名",
    "sex": "性别",
    "id_number": "身份证号",
    "phone": "联系电话",
    "address": "现住址",
    "residence": "户籍情况",
    "hukou_address": "户籍地址",
    "household_size": "家庭人口",
    "household_type": "家庭类别",
    "members": "家庭成员",
    "cause": "救助事由",
    "hardship": "困难情况说明",
    "requested_yuan": "申请金额",
    "other_aid": "已获其他救助",
    "payment_method": "发放方式",
    "bank_name": "开户银行",
    "account_no": "账号",
    "account_holder": "户名",
    "agent_name": "代理人姓名",
    "agent_id_number": "代理人身份证号",
    "agent_relation": "与申请人关系",
    "agent_has_poa": "授权委托书",
    "applied_on": "申请日期",
    "repeat_reason": "重复申请说明",
    # Stored names that differ from the form's, as the audit trail lists them.
    "requested_fen": "申请金额",
    "birth_date": "出生日期",
    "attachments_added": "附件",
}


class _Collector:
    """Gathers every field error so the clerk is told all at once (一次性告知)."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def run(self, func, *args, **kwargs):  # noqa: ANN001, ANN202 - thin helper
        try:
            return func(*args, **kwargs)
        except ValidationError as err:
            self.errors.extend(err.errors)
            return None

    def add(self, field_name: str, message: str) -> None:
        self.errors.append(FieldError(field_name, message))


def _text(c: _Collector, value: str, name: str, max_len: int, **kw: bool) -> str:
    result = c.run(clean_text, value, field=name, label=FIELD_LABELS[name], max_len=max_len, **kw)
    return result if result is not None else ""


def _choice(c: _Collector, enum_type, value: str, name: str):  # noqa: ANN001, ANN202
    try:
        return enum_type(value)
    except ValueError:
        c.add(name, f"请选择{FIELD_LABELS[name]}")
        return None


def validate_application(data: ApplicationInput, today: dt.date) -> Application:
    """Check every rule of the form; returns the clean Application or raises with all errors."""
    c = _Collector()
    name = _text(c, data.applicant_name, "applicant_name", 30, required=True, person_name=True)
    id_info = c.run(parse_id_number, data.id_number, today, field="id_number")
    sex = None
    if data.sex:
        sex = _choice(c, Sex, data.sex, "sex")
    if id_info is not None:
        if sex is None and not data.sex:
            sex = id_info.sex
        elif sex is not None and sex != id_info.sex:
            c.add("sex", f"性别与身份证号不符（身份证号显示为{id_info.sex.label}）")

    phone = data.phone.strip()
    if not phone:
        c.add("phone", "请填写联系电话")
    elif not is_phone(phone):
        c.add("phone", "电话号码格式不对：手机11位，座机带区号如0563-1234567")
    address = _text(c, data.address, "address", 120, required=True)
    residence = _choice(c, Residence, data.residence, "residence")
    hukou_address = _text(c, data.hukou_address, "hukou_address", 120)
    household_type = _choice(c, HouseholdType, data.household_type, "household_type")

    members = _members(c, data.members, today, data.applied_on or today)
    size_text = data.household_size.strip()
    household_size = 0
    if not size_text.isdigit() or not 1 <= int(size_text) <= 99:
        c.add("household_size", "家庭人口应为1到99之间的整数")
    else:
        household_size = int(size_text)
        if household_size < len(members) + 1:
            c.add("household_size", f"家庭人口不能少于申请人加已列成员（{len(members) + 1}人）")

    cause = _choice(c, Cause, data.cause, "cause") if data.cause else None
    if cause is None and not data.cause:
        c.add("cause", "请选择救助事由")
    hardship = _text(c, data.hardship, "hardship", 2000, required=True, multiline=True)
    requested = c.run(parse_yuan, data.requested_yuan, field="requested_yuan")
    other_aid = _text(c, data.other_aid, "other_aid", 500, multiline=True)

    method = _choice(c, PaymentMethod, data.payment_method, "payment_method")
    bank_name = _text(c, data.bank_name, "bank_name", 60)
    account_no = "".join(data.account_no.split())
    account_holder = _text(c, data.account_holder, "account_holder", 30, person_name=True)
    if method in (PaymentMethod.BANK, PaymentMethod.ONE_CARD):
        if not bank_name:
            c.add("bank_name", "请填写开户银行")
        if not account_no:
            c.add("account_no", "请填写账号")
        elif not account_no.isdigit() or not 8 <= len(account_no) <= 30:
            c.add("account_no", "账号应为8到30位数字")
        if not account_holder:
            c.add("account_holder", "请填写户名")
    else:
        bank_name = account_no = account_holder = ""

    agent_name = _text(c, data.agent_name, "agent_name", 30, person_name=True)
    agent_id = ""
    agent_relation = _text(c, data.agent_relation, "agent_relation", 20)
    if agent_name:
        agent_info = c.run(parse_id_number, data.agent_id_number, today, field="agent_id_number")
        agent_id = agent_info.number if agent_info else ""
        if not agent_relation:
            c.add("agent_relation", "请填写代理人与申请人的关系")
        if not data.agent_has_poa:
            c.add("agent_has_poa", "代理申请须有申请人签字的授权委托书")
    elif data.agent_id_number.strip():
        c.add("agent_name", "填写了代理人身份证号，请同时填写代理人姓名")

    applied_on = data.applied_on
    if applied_on is None:
        c.add("applied_on", "请填写申请日期")
    elif applied_on > today:
        c.add("applied_on", "申请日期不能晚于今天")
    elif applied_on < EARLIEST_APPLIED_ON:
        c.add("applied_on", "申请日期太早，请核对")
    repeat_reason = _text(c, data.repeat_reason, "repeat_reason", 500, multiline=True)

    if c.errors:
        raise ValidationError(c.errors)
    assert id_info is not None and sex is not None and requested is not None
    assert residence and household_type and cause and method and applied_on
    return Application(
        applicant_name=name, sex=sex, id_number=id_info.number, birth_date=id_info.birth_date,
        phone=phone, address=address, residence=residence, hukou_address=hukou_address,
        household_size=household_size, household_type=household_type, members=members,
        cause=cause, hardship=hardship, requested_fen=requested, other_aid=other_aid,
        payment_method=method, bank_name=bank_name, account_no=account_no,
        account_holder=account_holder, agent_name=agent_name, agent_id_number=agent_id,
        agent_relation=agent_relation, agent_has_poa=bool(agent_name and data.agent_has_poa),
        applied_on=applied_on, repeat_reason=repeat_reason,
    )


def _members(
    c: _Collector, rows: list[tuple[str, ...]], today: dt.date, applied_on: dt.date
) -> tuple[HouseholdMember, ...]:
    """Household members; blank rows are dropped, each kept row needs a name and relation.
    The age is as told (0–120); with an ID number it is read from the birth date on the
    day of application when left empty, and must agree with it when typed."""
    members = []
    for index, row in enumerate(rows, start=1):
        name, relation, id_number, age_text, income = (tuple(row) + ("",) * MEMBER_CELLS)[:MEMBER_CELLS]
        if not any(cell.strip() for cell in (name, relation, id_number, age_text, income)):
            continue
        where = f"第{index}位家庭成员"
        clean_name = c.run(clean_text, name, field="members", label=f"{where}姓名", max_len=30,
                           required=True, person_name=True)
        clean_relation = c.run(clean_text, relation, field="members", label=f"{where}关系",
                               max_len=20, required=True)
        number = ""
        birth: dt.date | None = None
        if id_number.strip():
            try:
                info = parse_id_number(id_number, today, field="members")
                number, birth = info.number, info.birth_date
            except ValidationError as err:
                c.add("members", f"{where}：{err}")
        age = _member_age(c, where, age_text, birth, applied_on)
        clean_income = c.run(clean_text, income, field="members", label=f"{where}收入来源", max_len=40)
        members.append(HouseholdMember(clean_name or "", clean_relation or "", number, age, clean_income or ""))
    if len(members) > MAX_MEMBERS:
        c.add("members", f"家庭成员最多{MAX_MEMBERS}人")
    return tuple(members)


def _member_age(c: _Collector, where: str, text: str, birth: dt.date | None, on: dt.date) -> int | None:
    """A member's age in whole years: as typed, or from the ID number's birth date."""
    from_id = None
    if birth is not None and birth <= on:
        from_id = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    text = text.strip()
    if not text:
        return from_id
    if not (text.isdecimal() and len(text) <= 3) or not 0 <= int(text) <= MAX_AGE:
        c.add("members", f"{where}年龄应为0到{MAX_AGE}之间的整数")
        return None
    age = int(text)
    if from_id is not None and age != from_id:
        c.add("members", f"{where}年龄与身份证号不符（按身份证号申请时为{from_id}岁）")
    return age


def application_editable(status: CaseStatus) -> bool:
    """Editing the application: allowed until the village has decided, and while material is
    awaited (退回补充材料); what was decided on stays as it was decided."""
    return status in EDITABLE_STATUSES


def check_application_editable(status: CaseStatus) -> None:
    """Editing the application (application_editable), refused with the status that forbids it."""
    if not application_editable(status):
        raise DomainError(f"案件已{status.label}，申请内容不能再修改")


def check_case_year_kept(old_applied_on: dt.date, new_applied_on: dt.date) -> None:
    """The case's year is kept: an edit may not move the application date to another year,
    since the case number carries the year (and 一事一救 counts within it)."""
    if old_applied_on.year != new_applied_on.year:
        raise DomainError("申请日期不能改到另一年（案件编号含年份），如确属错误请作废后重新登记")
