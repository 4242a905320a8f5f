"""The society's fund (台账): entries, balances, reservations, and the rules that guard them.

The ledger is append-only: money in is a contribution, money out a payment, and a mistake is
corrected by a reversal that points at the entry it cancels. Balances are never stored;
they are sums of entries. "Do what the fund can afford" (量力而行): an approval the money
available cannot cover is refused; one that leaves less than the society's floor is warned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.enums import INACTIVE_STATUSES, REVIEW_DONE, CaseStatus, FundSource, LedgerKind, PaymentMethod
from jiujinan.cases.errors import DomainError, FieldError, ValidationError
from jiujinan.cases.money import format_yuan_label
from jiujinan.cases.text import clean_text


class FundError(DomainError):
    """A movement the fund's rules refuse."""


@dataclass(frozen=True)
class LedgerLine:
    """One entry of the ledger as the fund rules and screens see it."""

    id: int
    posted_on: dt.date
    kind: LedgerKind
    amount_fen: int  # signed: money in > 0, money out < 0
    source: FundSource | None
    case_id: int | None
    case_no: str
    party: str  # payer of a contribution, payee of a payment
    voucher_no: str
    memo: str
    method: PaymentMethod | None
    reversal_of: int | None
    reversed_by: int | None
    created_by: str


@dataclass(frozen=True)
class FundPosition:
    """The fund at a glance; reserved is what approved but unpaid cases still need."""

    balance_fen: int
    reserved_fen: int
    floor_fen: int
    by_source: dict[FundSource, int]
    paid_out_fen: int

    @property
    def available_fen(self) -> int:
        return self.balance_fen - self.reserved_fen

    @property
    def under_floor(self) -> bool:
        return self.available_fen < self.floor_fen


def month_of(day: dt.date) -> str:
    """The accounting month of a date: "2026-11"."""
    return f"{day.year:04d}-{day.month:02d}"


def check_month_open(day: dt.date, closed_months: set[str] | frozenset[str]) -> None:
    """Entries dated in a closed month are refused (reopening needs a recorded reason)."""
    if month_of(day) in closed_months:
        raise FundError(f"{month_of(day)} 已月结，不能再记入该月；如确需更正，请先重新打开该月并写明理由")


def check_approval(position: FundPosition, needed: int) -> str | None:
    """量力而行: refuse an approval the available money cannot cover; a warning (or None)
    when it would leave the fund under the society's floor."""
    if needed > position.available_fen:
        raise FundError(
            f"资金不足：本次需要 {format_yuan_label(needed)}，可用资金只有 "
            f"{format_yuan_label(position.available_fen)}（余额 {format_yuan_label(position.balance_fen)}，"
            f"已批未发 {format_yuan_label(position.reserved_fen)}）"
        )
    left = position.available_fen - needed
    if left < position.floor_fen:
        return (f"批准后可用资金为 {format_yuan_label(left)}，低于本社资金预警线 "
                f"{format_yuan_label(position.floor_fen)}")
    return None


@dataclass(frozen=True)
class ContributionInput:
    """Money coming in, as typed."""

    posted_on: dt.date
    source: FundSource
    amount_fen: int
    payer: str
    voucher_no: str
    memo: str = ""


def validate_contribution(data: ContributionInput, today: dt.date) -> ContributionInput:
    """Check a contribution's fields; every error at once."""
    errors: list[FieldError] = []
    payer = voucher = memo = ""
    try:
        payer = clean_text(data.payer, field="payer", label="缴款单位或个人", max_len=60, required=True)
    except ValidationError as err:
        errors += err.errors
    try:
        voucher = clean_text(data.voucher_no, field="voucher_no", label="凭证号", max_len=40)
        memo = clean_text(data.memo, field="memo", label="摘要", max_len=200)
    except ValidationError as err:
        errors += err.errors
    if data.amount_fen <= 0:
        errors.append(FieldError("amount", "金额必须大于零"))
    if data.posted_on > today:
        errors.append(FieldError("posted_on", "入账日期不能晚于今天"))
    if errors:
        raise ValidationError(errors)
    return ContributionInput(data.posted_on, data.source, data.amount_fen, payer, voucher, memo)


@dataclass(frozen=True)
class PaymentInput:
    """A payment to an approved case, as typed."""

    paid_on: dt.date
    method: PaymentMethod
    amount_fen: int
    voucher_no: str
    receipt_signed: bool = False  # cash handed over at home needs a signed receipt
    memo: str = ""


def clean_voucher(text: str) -> str:
    """A 凭证号 as typed, cleaned (at most 40 characters), or ValidationError."""
    return clean_text(text, field="voucher_no", label="凭证号", max_len=40)


def payee_of(account_holder: str, applicant_name: str, method: PaymentMethod) -> str:
    """Who receives a payment, as the ledger names them: the account's holder for a transfer,
    the applicant for cash (the holder of an account the money does not go to received nothing)."""
    if method is PaymentMethod.CASH:
        return applicant_name
    return account_holder or applicant_name


def payment_cap_fen(status: CaseStatus, approved_fen: int | None, emergency_fen: int | None) -> int:
    """The most a case may be paid in all: the approved amount once the review is done, the
    先行救助 amount before it (pay first), else nothing. db/fund.payment_cap is this rule in SQL
    (for the fund's position and ``check``), held to it by tests/db/test_fund_rules_sql.py."""
    if status in REVIEW_DONE and approved_fen:
        return approved_fen
    return emergency_fen or 0


def payable_fen(status: CaseStatus, approved_fen: int | None, emergency_fen: int | None, paid_fen: int) -> int:
    """What may still be paid to a case, which is what the fund holds back for it (量力而行):
    its cap less what was paid. A rejected or withdrawn case is not payable and reserves
    nothing, even a 先行救助 promised and not yet paid: 不予救助 and 撤回 end the case."""
    if status in INACTIVE_STATUSES:
        return 0
    return max(payment_cap_fen(status, approved_fen, emergency_fen) - paid_fen, 0)


def pays_the_advance(status: CaseStatus, emergency: bool) -> bool:
    """先行救助: a payment to a case with an advance, before its review is done, pays the advance
    itself (so 职责分离 keeps the advance's approver from paying it, cases/duties)."""
    return emergency and status not in REVIEW_DONE


@dataclass(frozen=True)
class LowPoint:
    """Where the ledger's running balance stands lowest from a date on: the balance, the
    date it stands so, and whether that is the balance after the last entry (today's)."""

    balance_fen: int
    on: dt.date
    is_current: bool


def lowest_balance_from(day: dt.date, before_fen: int, entries: list[tuple[dt.date, int]]) -> LowPoint:
    """The lowest running balance an entry dated ``day`` would change: the balance after the
    entries of ``day`` (a new entry goes after them, in ledger order) and after each later
    one. ``before_fen`` is the balance before ``day``; ``entries`` (date, signed amount) are
    those dated ``day`` or later, in ledger order."""
    running = before_fen + sum(amount for on, amount in entries if on <= day)
    lowest, lowest_on = running, day
    for on, amount in entries:
        if on > day:
            running += amount
            if running < lowest:
                lowest, lowest_on = running, on
    return LowPoint(lowest, lowest_on, is_current=lowest == running)


def validate_payment(data: PaymentInput, *, payable: int, low: LowPoint, today: dt.date,
                     applied_on: dt.date) -> PaymentInput:
    """Check a payment: at most what is payable, never more than the balance on its date or
    any later one (no overdraft; ``low`` is lowest_balance_from the payment's date)."""
    errors: list[FieldError] = []
    try:
        voucher = clean_text(data.voucher_no, field="voucher_no", label="凭证号", max_len=40)
        memo = clean_text(data.memo, field="memo", label="摘要", max_len=200)
    except ValidationError as err:
        errors += err.errors
        voucher = memo = ""
    if data.amount_fen <= 0:
        errors.append(FieldError("amount", "金额必须大于零"))
    elif data.amount_fen > payable:
        errors.append(FieldError("amount", f"最多还能发放 {format_yuan_label(payable)}"))
    if data.paid_on > today:
        errors.append(FieldError("paid_on", "发放日期不能晚于今天"))
    elif data.paid_on < applied_on:
        errors.append(FieldError("paid_on", "发放日期不能早于申请日期"))
    if data.method is PaymentMethod.CASH and not data.receipt_signed:
        errors.append(FieldError("receipt_signed", "现金发放须有领款人签字的收据"))
    if errors:
        raise ValidationError(errors)
    if data.amount_fen > low.balance_fen:  # 台账余额不得为负, on the payment's date and every later one
        amount, left = format_yuan_label(data.amount_fen), format_yuan_label(low.balance_fen)
        if low.is_current:
            raise FundError(f"余额不足：账上只有 {left}，不能发放 {amount}")
        raise FundError(f"余额不足：{data.paid_on:%Y-%m-%d} 起账上最少时只有 {left}（{low.on:%Y-%m-%d}），"
                        f"不能在 {data.paid_on:%Y-%m-%d} 发放 {amount}：台账余额任何一天都不得为负")
    return PaymentInput(data.paid_on, data.method, data.amount_fen, voucher, data.receipt_signed, memo)


def check_reversal(entry: LedgerLine, reason: str, on: dt.date, low: LowPoint) -> str:
    """A reversal cancels one entry once; a reversal is never itself reversed; reversing money
    in may not take the balance below zero on its date or any later one (``low`` is
    lowest_balance_from ``on``). Returns the cleaned reason."""
    if entry.kind is LedgerKind.REVERSAL:
        raise FundError("冲正记录不能再冲正；如冲正有误，请重新登记一笔正确的记录")
    if entry.reversed_by is not None:
        raise FundError(f"第 {entry.id} 号记录已被冲正过")
    if on < entry.posted_on:
        raise FundError("冲正日期不能早于原记录日期")
    if entry.amount_fen > 0 and entry.amount_fen > low.balance_fen:
        left = format_yuan_label(low.balance_fen)
        if low.is_current:
            raise FundError(f"冲正后余额将为负数（当前余额 {left}）")
        raise FundError(f"冲正后余额将为负数：{on:%Y-%m-%d} 起余额最少时只有 {left}（{low.on:%Y-%m-%d}），"
                        "台账余额任何一天都不得为负")
    return clean_text(reason, field="reason", label="冲正理由", max_len=200, required=True)


def running_balances(opening_fen: int, lines: list[LedgerLine]) -> list[int]:
    """The balance after each line, in ledger order."""
    out = []
    balance = opening_fen
    for line in lines:
        balance += line.amount_fen
        out.append(balance)
    return out


def column_of(line: LedgerLine) -> LedgerKind:
    """The column a line is counted in, 收入 or 支出: a reversal goes with the kind it reverses,
    as a negative amount there (a reversed payment is −支出, not +收入). Contributions are
    always positive and payments negative, so a reversal's sign names what it reverses."""
    if line.kind is LedgerKind.REVERSAL:
        return LedgerKind.CONTRIBUTION if line.amount_fen < 0 else LedgerKind.PAYMENT
    return line.kind


@dataclass(frozen=True)
class MonthTotals:
    """A stretch of the ledger summed the way the papers print it: 收入 by source and 支出
    each net of their reversals, so 期末 = 期初 + 收入 − 支出 and 支出 equals the roster."""

    opening_fen: int
    income_fen: int
    by_source: dict[FundSource, int]
    paid_out_fen: int

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.income_fen - self.paid_out_fen


def month_totals(opening_fen: int, lines: list[LedgerLine] | tuple[LedgerLine, ...]) -> MonthTotals:
    """Sum ``lines`` into 收入 (with its split by source) and 支出, reversals in their kind's column."""
    by_source: dict[FundSource, int] = {}
    income = paid_out = 0
    for line in lines:
        if column_of(line) is LedgerKind.CONTRIBUTION:
            income += line.amount_fen
            if line.source is not None:
                by_source[line.source] = by_source.get(line.source, 0) + line.amount_fen
        else:
            paid_out -= line.amount_fen
    return MonthTotals(opening_fen, income, by_source, paid_out)
