"""Offices: an installation is a village society's, a town's (乡镇/街道) or the district's (区/县
民政局 or 慈善协会). Each has a 12-digit statistical area code (统计用区划代码) whose leading
digits say what it covers: a district's six, a town's nine, a village's twelve; so a town's code
covers its villages by prefix, as a user's area does (cases/areas.py).

The rules here decide what an office may hold and whom it may enrol: a village enrols its town
and its district, a town its villages and its district, the district its towns and villages.
Qt-free and SQL-free."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from jiujinan.cases.errors import DomainError, FieldError, ValidationError
from jiujinan.cases.text import clean_text

NAME_MAX = 40


class OfficeKind(Enum):
    VILLAGE = "village"
    TOWN = "town"
    DISTRICT = "district"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def short(self) -> str:
        """The kind inside a label's brackets (no brackets of its own)."""
        return _SHORT[self]

    @property
    def digits(self) -> int:
        """How many leading digits of the area code the office covers."""
        return _DIGITS[self]

    @property
    def rank(self) -> int:
        return _RANKS[self]


_LABELS = {OfficeKind.VILLAGE: "村（社区）互助社", OfficeKind.TOWN: "乡镇（街道）", OfficeKind.DISTRICT: "区（县）"}
_SHORT = {OfficeKind.VILLAGE: "村", OfficeKind.TOWN: "乡镇", OfficeKind.DISTRICT: "区县"}
_DIGITS = {OfficeKind.VILLAGE: 12, OfficeKind.TOWN: 9, OfficeKind.DISTRICT: 6}
_RANKS = {OfficeKind.VILLAGE: 0, OfficeKind.TOWN: 1, OfficeKind.DISTRICT: 2}


def parse_kind(text: str) -> OfficeKind:
    """A kind as stored (village) or as a clerk names it (村、乡镇、区 …)."""
    value = (text or "").strip()
    for kind in OfficeKind:
        if value in (kind.value, kind.label) or value in _SYNONYMS[kind]:
            return kind
    raise ValidationError("单位类别应为 village（村互助社）、town（乡镇/街道）或 district（区/县）", "kind")


_SYNONYMS = {
    OfficeKind.VILLAGE: ("村", "社区", "互助社", "村互助社", "村（社区）"),
    OfficeKind.TOWN: ("乡镇", "街道", "镇", "乡", "乡镇（街道）"),
    OfficeKind.DISTRICT: ("区", "县", "区县", "区（县）", "民政局", "慈善协会"),
}


def parse_area_code(kind: OfficeKind, text: str) -> str:
    """The office's 12-digit code, checked against its kind: a district's ends in six zeros, a
    town's in three (and not six), a village's not in three."""
    code = (text or "").strip().replace(" ", "")
    if len(code) != 12 or not code.isascii() or not code.isdigit():
        raise ValidationError("区划代码应为12位数字（统计用区划代码）", "area_code")
    shapes = {
        OfficeKind.DISTRICT: (code.endswith("000000") and not code[:6].endswith("00"),
                              "区（县）的区划代码后6位应为0，如 341802000000"),
        OfficeKind.TOWN: (code.endswith("000") and not code.endswith("000000"),
                          "乡镇（街道）的区划代码后3位应为0，如 341802100000"),
        OfficeKind.VILLAGE: (not code.endswith("000"), "村（社区）的区划代码后3位不应全为0，如 341802100201"),
    }
    fits, hint = shapes[kind]
    if not fits:
        raise ValidationError(hint, "area_code")
    return code


@dataclass(frozen=True)
class OfficeSettings:
    """What ``office setup`` is given."""

    kind: OfficeKind
    area_code: str
    name: str

    def validated(self) -> OfficeSettings:
        errors: list[FieldError] = []
        code, name = self.area_code, self.name
        try:
            code = parse_area_code(self.kind, self.area_code)
        except ValidationError as err:
            errors += err.errors
        try:
            name = clean_text(self.name, field="name", label="单位名称", max_len=NAME_MAX, required=True)
        except ValidationError as err:
            errors += err.errors
        if errors:
            raise ValidationError(errors)
        return OfficeSettings(self.kind, code, name)


@dataclass(frozen=True)
class Office:
    """This installation's office. ``derived``: a database from before offices, read as the
    village office of its societies (their codes in ``society_codes``), nothing stored."""

    kind: OfficeKind
    area_code: str
    name: str
    derived: bool = False
    society_codes: tuple[str, ...] = field(default=())

    @property
    def prefix(self) -> str:
        return self.area_code[:self.kind.digits]

    @property
    def label(self) -> str:
        return f"{self.name}（{self.kind.short}，{self.area_code}）"

    def codes(self) -> tuple[str, ...]:
        """The village codes this office stands for (a derived one: each of its societies)."""
        return self.society_codes if self.derived and self.society_codes else (self.area_code,)


def derived_office(societies: list[tuple[str, str]]) -> Office | None:
    """A database from before offices, as (area code, name) of its societies: the village office
    of them (named after the first); None when it has none (a new database, to be set up)."""
    if not societies:
        return None
    ordered = sorted(societies)
    return Office(OfficeKind.VILLAGE, ordered[0][0], ordered[0][1], derived=True,
                  society_codes=tuple(code for code, _name in ordered))


def holds_society(office: Office | None, code: str) -> bool:
    """Whether a society with this code may be kept in the office's database: a village office's
    own, or one inside a town's or district's area (villages working on its shared server). A
    derived office, or none yet, holds any (as before offices)."""
    if office is None or office.derived:
        return True
    return code.startswith(office.prefix)


def require_holds(office: Office | None, code: str, name: str) -> None:
    if not holds_society(office, code):
        raise DomainError(f"本单位是{office.label}，不能设立区划代码不在本单位范围内的互助社{name}（{code}）")


def check_setup(old: Office | None, new: OfficeSettings, society_codes: list[str]) -> bool:
    """Whether setting up ``new`` changes anything (False: set up already, alike); DomainError
    when it may not: set up already otherwise, or societies in the database outside its area."""
    if old is not None and not old.derived:
        if (old.kind, old.area_code, old.name) == (new.kind, new.area_code, new.name):
            return False
        raise DomainError(f"本单位已设立为{old.label}，不能改设；如确需更改，请联系区里重新安装")
    office = Office(new.kind, new.area_code, new.name)
    outside = [code for code in society_codes if not holds_society(office, code)]
    if outside:
        raise DomainError(f"数据库里已有不在{office.label}范围内的互助社（{'、'.join(sorted(outside)[:3])}），"
                          "不能设立为这个单位")
    return True


def related(office: Office, kind: OfficeKind, code: str) -> bool:
    """Whether ``office`` works with the office (``kind``, ``code``): one above the other and
    within each other's area (a village with its own town and district, a town with its villages
    and its district, the district with its towns and villages)."""
    if kind.rank == office.kind.rank:
        return False
    for own in office.codes():
        upper, lower = ((kind, code), (office.kind, own)) if kind.rank > office.kind.rank else \
            ((office.kind, own), (kind, code))
        if lower[1].startswith(upper[1][:upper[0].digits]):
            return True
    return False


def require_related(office: Office, kind: OfficeKind, code: str, name: str) -> None:
    if kind.rank == office.kind.rank:
        raise DomainError(f"{name}（{kind.short}）与本单位同级：只登记上下级单位的卡片")
    if not related(office, kind, code):
        raise DomainError(f"{name}（{kind.short}，{code}）不是本单位（{office.label}）的上级或下级单位，不能登记")


@dataclass(frozen=True)
class TrustedOffice:
    """Another office enrolled from its card."""

    id: int
    kind: OfficeKind
    area_code: str
    name: str
    fingerprint: str
    signing_key: str  # base64 of the raw Ed25519 key
    recipient: str  # age1…
    enrolled_at: dt.datetime
    enrolled_by: str

    @property
    def label(self) -> str:
        return f"{self.name}（{self.kind.short}，{self.area_code}）"


def fingerprint_digits(text: str) -> str:
    """The hex digits of a fingerprint as typed (read over the phone: any spacing, dashes,
    either case, full-width)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "").upper() if ch in "0123456789ABCDEF")


def same_fingerprint(typed: str, actual: str) -> bool:
    """Whether the fingerprint typed is ``actual``."""
    return bool(fingerprint_digits(typed)) and fingerprint_digits(typed) == fingerprint_digits(actual)
