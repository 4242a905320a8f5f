"""The export format (docs/csv-format.md), in one place: columns, how a value is written,
how a written value is read back and checked. Plain Python: no database here."""

from __future__ import annotations

import datetime as dt
import re

from jiujinan.cases.errors import ValidationError

FORMAT = "jiujinan-export/1"
ENCODINGS = {"utf-8": "utf-8-sig", "gb18030": "gb18030"}  # name in the manifest → Python codec

CASES = ("case_no", "society_code", "society_name", "town", "district", "applicant_name", "id_number",
         "household_type", "cause", "requested_yuan", "approved_yuan", "paid_yuan", "status", "applied_on",
         "decided_on", "decided_level", "emergency")
PAYMENTS = ("payment_no", "case_no", "society_code", "paid_on", "amount_yuan", "method", "payee_name",
            "voucher_no", "reversal_of")
LEDGER = ("entry_no", "society_code", "posted_on", "kind", "source", "amount_yuan", "balance_yuan",
          "voucher_no", "memo", "reversal_of")
FILES = {"cases.csv": CASES, "payments.csv": PAYMENTS, "ledger.csv": LEDGER}

# A cell a spreadsheet would run as a formula starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
AMOUNT_DIGITS = 13  # yuan: up to a trillion, well inside the database's 64-bit fen
ID_DIGITS = 9  # entry and payment numbers: inside a 32-bit integer column
_AMOUNT_RE = re.compile(rf"-?[0-9]{{1,{AMOUNT_DIGITS}}}\.[0-9]{{2}}")
_INT_RE = re.compile(rf"[0-9]{{1,{ID_DIGITS}}}")


def neutralise(text: str) -> str:
    """Make text safe to open in a spreadsheet: a leading = + - @ or tab gets a quote mark
    in front, so Excel shows it as text instead of running it."""
    return "'" + text if text.startswith(FORMULA_START) else text


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from an export made safe to print on a terminal or a page: control characters
    (escape sequences, bells, line breaks) and direction marks become "?"."""
    return _UNPRINTABLE.sub("?", text)


def inert(text: str) -> str:
    """A text cell written to a CSV: printable, and neutralised for a spreadsheet."""
    return neutralise(printable(text))


def yuan(fen: int | None) -> str:
    """An amount in yuan with exactly two decimals ("" for none); negative keeps its sign.
    (format_fen's arithmetic, without its options: an export writes millions of these.)"""
    if fen is None:
        return ""
    whole, cents = divmod(-fen if fen < 0 else fen, 100)
    return f"-{whole}.{cents:02d}" if fen < 0 else f"{whole}.{cents:02d}"


def read_yuan(text: str, *, signed: bool = False, required: bool = True) -> int | None:
    """Read an exported amount back into fen: exactly two decimals, no grouping."""
    if text == "" and not required:
        return None
    if not _AMOUNT_RE.fullmatch(text) or (text.startswith("-") and not signed):
        raise ValidationError(f"金额“{text}”应为带两位小数的数字，如 1500.00")
    negative = text.startswith("-")
    whole, frac = text.lstrip("-").split(".")
    fen = int(whole) * 100 + int(frac)
    return -fen if negative else fen


def read_date(text: str, *, required: bool = True) -> dt.date | None:
    if text == "" and not required:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"日期“{text}”应为 YYYY-MM-DD") from None


def read_int(text: str, *, required: bool = True) -> int | None:
    if text == "" and not required:
        return None
    if not _INT_RE.fullmatch(text):
        raise ValidationError(f"“{text}”应为不超过 {ID_DIGITS} 位的整数编号")
    return int(text)


def plain(text: str) -> str:
    """A text cell as written (the neutralising quote taken off again)."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text
