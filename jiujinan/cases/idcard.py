"""18-digit 居民身份证号 (GB 11643-1999): check digit, birth date, sex, masking."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from jiujinan.cases.enums import Sex
from jiujinan.cases.errors import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ASCII_DIGITS = "0123456789"
# First two digits: the province-level codes of GB/T 2260 (71 台湾, 81 香港, 82 澳门).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class IdInfo:
    """What an ID number says about its holder."""

    number: str
    birth_date: dt.date
    sex: Sex


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id(text: str) -> str:
    """Fold full-width digits, strip spaces and upper-case a trailing x, as clerks type it."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def parse_id_number(text: str, today: dt.date, *, field: str = "id_number") -> IdInfo:
    """Validate an ID number and read birth date and sex from it; raises ValidationError."""
    number = normalize_id(text)
    if not number:
        raise ValidationError("请填写身份证号", field)
    if len(number) != 18:
        raise ValidationError(f"身份证号应为18位，现为{len(number)}位", field)
    if any(ch not in _ASCII_DIGITS for ch in number[:17]) or number[17] not in _ASCII_DIGITS + "X":
        raise ValidationError("身份证号只能是数字，最后一位可以是X", field)
    if number[:2] not in _PROVINCES:
        raise ValidationError("身份证号前两位不是有效的省级代码", field)
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期不存在", field) from None
    if birth > today or birth.year < 1900:
        raise ValidationError("身份证号中的出生日期不合理", field)
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(f"身份证号校验位不对（按前17位应为{expected}），请核对", field)
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return IdInfo(number=number, birth_date=birth, sex=sex)


def is_valid_id(text: str, today: dt.date) -> bool:
    """True when ``text`` is a valid 18-digit ID number."""
    try:
        parse_id_number(text, today)
    except ValidationError:
        return False
    return True
