"""Money as integer fen: the one place that parses and formats amounts, including 大写.

No float ever touches an amount: text is parsed digit by digit, and formatting is integer
arithmetic.
"""

from __future__ import annotations

import re
import unicodedata

from jiujinan.cases.errors import ValidationError

# An amount a society could plausibly handle; a larger one is a typing mistake.
MAX_FEN = 100_000_000_000 * 100  # 一千亿元

_AMOUNT_RE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$", re.ASCII)


def parse_yuan(text: str, *, field: str = "amount", allow_zero: bool = False) -> int:
    """Parse a yuan amount typed by a clerk ("1234", "1,234.5", "¥12.34") into fen.

    Refuses a third decimal, a sign, a float exponent, and zero unless ``allow_zero``.
    """
    if not isinstance(text, str):
        raise TypeError("parse_yuan takes text; amounts in code are int fen")
    # NFKC folds the full-width digits and punctuation a Chinese input method types.
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("，", ",").replace("。", ".")
    for prefix in ("¥", "￥", "RMB", "人民币"):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix):].strip()
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1].strip()
    if not cleaned:
        raise ValidationError("请填写金额", field)
    if cleaned.startswith("-") or cleaned.startswith("−"):
        raise ValidationError("金额不能为负数", field)
    match = _AMOUNT_RE.match(cleaned)
    if not match:
        raise ValidationError("金额格式不对，应为数字，如 1500 或 1500.50", field)
    whole, frac = match.group(1).replace(",", ""), match.group(2) or ""
    if len(frac) > 2:
        raise ValidationError("金额最多两位小数（到分）", field)
    fen = int(whole) * 100 + int((frac + "00")[:2])
    if fen == 0 and not allow_zero:
        raise ValidationError("金额必须大于零", field)
    if fen > MAX_FEN:
        raise ValidationError("金额过大，请核对", field)
    return fen


def format_fen(fen: int, *, grouped: bool = False) -> str:
    """Format fen as yuan with exactly two decimals: 1234 -> "12.34"; grouped adds commas."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouped else str(yuan)
    return f"{sign}{whole}.{cents:02d}"


def format_yuan_label(fen: int) -> str:
    """The on-screen form of an amount: "¥1,234.50"."""
    return "¥" + format_fen(fen, grouped=True)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("仟", "佰", "拾", "")
_SECTION_UNITS = ("", "万", "亿", "万亿")


def _section_daxie(section: int) -> str:
    """One group of four digits (1..9999) in 大写, with one 零 for each inner run of zeros."""
    out = []
    pending_zero = False
    for unit_index, digit_char in enumerate(f"{section:04d}"):
        digit = int(digit_char)
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[unit_index])
    return "".join(out)


def _integer_daxie(yuan: int) -> str:
    """The whole-yuan part in 大写 (without 元), per the PBoC rules for writing amounts."""
    if yuan == 0:
        return "零"
    sections = []
    while yuan:
        yuan, section = divmod(yuan, 10_000)
        sections.append(section)
    out = ""
    zero_between = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            zero_between = bool(out)
            continue
        # A run of zeros between two non-zero digits is written as a single 零.
        if out and (zero_between or section < 1000):
            out += "零"
        out += _section_daxie(section) + _SECTION_UNITS[index]
        zero_between = False
    return out


def to_daxie(fen: int) -> str:
    """Amount in capital Chinese numerals: 104280000 -> 壹佰零肆万贰仟捌佰元整.

    PBoC rules: 壹拾 not 拾; 整 after 元 when there are no 角/分; a zero 角 before a 分 is
    written 零; no 整 after 分.
    """
    if fen < 0:
        return "负" + to_daxie(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    out = _integer_daxie(yuan) + "元" if yuan else ""
    if cents == 0:
        return out + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen_digit:
        out += _DIGITS[fen_digit] + "分"
    return out
