"""A mutual-aid society's own settings: what differs from place to place lives here."""

from __future__ import annotations

from dataclasses import dataclass, replace

from jiujinan.cases.enums import Level
from jiujinan.cases.errors import FieldError, ValidationError
from jiujinan.cases.text import clean_text

AREA_CODE_LENGTH = 12  # 统计用区划代码 of a village or community


@dataclass(frozen=True)
class SocietySettings:
    """The settings a society fills in on first start; amounts in fen."""

    name: str
    village: str
    area_code: str
    town: str
    district: str
    village_limit_fen: int = 200_000  # 村 may approve up to 2,000 yuan
    town_limit_fen: int = 500_000  # 乡镇 up to 5,000; above goes to the district
    fund_floor_fen: int = 1_000_000  # warn when the fund would fall under 10,000 yuan
    notice_days: int = 5
    notice_working_days: bool = True  # 5 working days, or calendar days
    emergency_deadline_days: int = 10  # 先行救助: paperwork within N working days
    # 先行救助最高金额: the largest advance paid before any review; None (a new society) takes
    # the village limit, what the village may approve on its own word.
    emergency_limit_fen: int | None = None
    objection_phone: str = ""  # printed on the public notice
    # Separation of duties: the person who entered a case may not record its village approval,
    # unless the society turns that off (a one-person office) and says why.
    entrant_may_approve: bool = False
    entrant_may_approve_reason: str = ""
    # On the papers. The office that decides at each level, as the opinion boxes name it;
    # "" takes the usual name (office_name). The district's may be the charity association.
    village_office: str = ""
    town_office: str = ""
    district_office: str = ""
    notice_shows_id: bool = False  # 公示 prints the masked ID number (off: DOMAIN says never the ID)
    objection_contact: str = ""  # office and person taking objections, beside objection_phone
    contact_phone: str = ""  # the society's phone, on the letters to applicants
    return_days: int = 10  # working days to bring the missing material (一次性告知书)
    appeal_days: int = 60  # days to object to a refusal (不予救助告知书)
    appeal_to: str = ""  # where to object: office and address; "" takes the town's office
    head_name: str = ""  # 单位负责人 (社长/理事长), printed at the foot of reports

    def validated(self) -> "SocietySettings":
        """A cleaned copy, or ValidationError listing every bad field at once."""
        errors: list[FieldError] = []
        cleaned: dict[str, str] = {}
        for field, label, max_len in (
            ("name", "互助社名称", 60),
            ("village", "村（社区）", 40),
            ("town", "乡镇（街道）", 40),
            ("district", "区（县）", 40),
        ):
            try:
                cleaned[field] = clean_text(
                    getattr(self, field), field=field, label=label, max_len=max_len, required=True
                )
            except ValidationError as err:
                errors.extend(err.errors)
        code = self.area_code.strip()
        if len(code) != AREA_CODE_LENGTH or not code.isdigit():
            errors.append(FieldError("area_code", "区划代码应为12位数字（统计用区划代码）"))
        if self.village_limit_fen <= 0:
            errors.append(FieldError("village_limit_fen", "村级审批限额必须大于零"))
        if self.town_limit_fen < self.village_limit_fen:
            errors.append(FieldError("town_limit_fen", "乡镇审批限额不能低于村级限额"))
        emergency = self.emergency_limit()  # when not set, the village limit checked above
        if self.emergency_limit_fen is None:
            pass
        elif emergency <= 0:
            errors.append(FieldError("emergency_limit_fen", "先行救助最高金额必须大于零"))
        elif emergency > self.town_limit_fen:
            # The advance is paid before any level has looked at the case; more than the town
            # itself may approve would be money only the district could grant.
            errors.append(FieldError("emergency_limit_fen", "先行救助最高金额不能高于乡镇审批限额"))
        if self.fund_floor_fen < 0:
            errors.append(FieldError("fund_floor_fen", "资金预警线不能为负数"))
        if not 1 <= self.notice_days <= 30:
            errors.append(FieldError("notice_days", "公示期应在1到30天之间"))
        if not 1 <= self.emergency_deadline_days <= 60:
            errors.append(FieldError("emergency_deadline_days", "先行救助补办期限应在1到60个工作日之间"))
        phone = self.objection_phone.strip()
        if phone and not is_phone(phone):
            errors.append(FieldError("objection_phone", "监督电话格式不对"))
        contact = self.contact_phone.strip()
        if contact and not is_phone(contact):
            errors.append(FieldError("contact_phone", "联系电话格式不对"))
        for field, label, max_len in (
            ("village_office", "村级审核单位", 40), ("town_office", "乡镇审核单位", 40),
            ("district_office", "区级审批单位", 40), ("objection_contact", "异议受理单位和联系人", 40),
            ("appeal_to", "异议受理单位和地址", 80), ("head_name", "单位负责人", 30),
        ):
            try:
                cleaned[field] = clean_text(getattr(self, field), field=field, label=label, max_len=max_len)
            except ValidationError as err:
                errors.extend(err.errors)
        if not 1 <= self.return_days <= 60:
            errors.append(FieldError("return_days", "补充材料期限应在1到60个工作日之间"))
        if not 1 <= self.appeal_days <= 365:
            errors.append(FieldError("appeal_days", "提出异议的期限应在1到365天之间"))
        reason = ""
        if self.entrant_may_approve:
            try:
                reason = clean_text(self.entrant_may_approve_reason, field="entrant_may_approve_reason",
                                    label="允许录入人审批的原因", max_len=200, required=True)
            except ValidationError as err:
                errors.extend(err.errors)
        if errors:
            raise ValidationError(errors)
        return replace(self, area_code=code, objection_phone=phone, contact_phone=contact,
                       entrant_may_approve_reason=reason,
                       emergency_limit_fen=emergency, **cleaned)

    def office_name(self, level: Level) -> str:
        """The office that decides at ``level``, as the papers name it: the setting, or the
        usual one (the society itself, the town's government, the district's 民政局)."""
        own = {Level.VILLAGE: self.village_office, Level.TOWN: self.town_office,
               Level.DISTRICT: self.district_office}[level]
        if own:
            return own
        return {Level.VILLAGE: self.name, Level.TOWN: f"{self.town}人民政府",
                Level.DISTRICT: f"{self.district}民政局"}[level]

    def objections_to(self) -> str:
        """Where an applicant objects to a refusal: the setting, or the town's office."""
        return self.appeal_to or self.office_name(Level.TOWN)

    def emergency_limit(self) -> int:
        """The largest 先行救助 (emergency advance), in fen: the setting, or the village limit."""
        return self.village_limit_fen if self.emergency_limit_fen is None else self.emergency_limit_fen


def is_phone(text: str) -> bool:
    """A mainland mobile (11 digits, 1[3-9]…) or a landline with area code (0xx-xxxxxxx)."""
    digits = text.replace("-", "").replace(" ", "")
    if not digits.isdigit():
        return False
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return True
    return digits.startswith("0") and 10 <= len(digits) <= 12


@dataclass(frozen=True)
class SocietyRecord:
    """A stored society: its id and settings."""

    id: int
    settings: SocietySettings

    @property
    def label(self) -> str:
        """How the society is named in choosers: 名称（区划代码）."""
        return f"{self.settings.name}（{self.settings.area_code}）"
