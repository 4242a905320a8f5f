"""The fund as operations: money in, payments out, reversals, month close (one transaction each)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.duties import check_advance_payment
from jiujinan.cases.enums import LedgerKind
from jiujinan.cases.errors import ConflictError, DomainError
from jiujinan.cases.fund import (
    ContributionInput, FundPosition, LedgerLine, PaymentInput, check_month_open, check_reversal,
    clean_voucher, month_of, payable_fen, payee_of, pays_the_advance, running_balances, validate_contribution,
    validate_payment,
)
from jiujinan.cases.review import paid, payment_reversed
from jiujinan.cases.seals import month_key
from jiujinan.cases.text import clean_text
from jiujinan.db import audit, cases, review, societies, users
from jiujinan.db import fund as fund_db
from jiujinan.db import packets as packets_db
from jiujinan.cases.users import Permission
from jiujinan.services.access import authorize, check_sees
from jiujinan.services.context import AppContext
from jiujinan.services.seal_guard import refuse_changed


@dataclass(frozen=True)
class LedgerView:
    """A stretch of the ledger with the balance before it and after each entry."""

    opening_fen: int
    lines: tuple[LedgerLine, ...]
    balances: tuple[int, ...]

    @property
    def closing_fen(self) -> int:
        return self.balances[-1] if self.balances else self.opening_fen


def position(ctx: AppContext, society_id: int, user: str) -> FundPosition:
    """Balance, reserved, available and totals by source (for a ``user`` of the society)."""
    with ctx.read() as s:
        check_sees(s, user, society_id)
        floor = societies.get_society(s, society_id).settings.fund_floor_fen
        return fund_db.position(s, society_id, floor)


def position_here(ctx: AppContext, society_id: int, user: str) -> FundPosition | None:
    """The society's fund as this database holds it, or None for a village whose cases come
    here by packet (its fund is kept at the village; an approval here does not draw on it)."""
    with ctx.read() as s:
        if packets_db.owner_elsewhere(s, society_id):
            check_sees(s, user, society_id)
            return None
    return position(ctx, society_id, user)


def add_contribution(ctx: AppContext, society_id: int, data: ContributionInput, user: str) -> int:
    """Record money coming in; returns the entry number."""
    clean = validate_contribution(data, ctx.clock.today())
    now = ctx.clock.now()
    with ctx.write() as s:
        authorize(s, user, Permission.MONEY, society_id)
        fund_db.lock_fund(s, society_id)
        check_month_open(clean.posted_on, fund_db.closed_months(s, society_id))
        entry_id = fund_db.add_entry(
            s, society_id=society_id, posted_on=clean.posted_on, kind=LedgerKind.CONTRIBUTION,
            amount_fen=clean.amount_fen, source=clean.source, party=clean.payer,
            voucher_no=clean.voucher_no, memo=clean.memo, user=user, now=now)
        audit.record(s, user=user, now=now, entity="ledger", entity_id=entry_id, action="contribution",
                     society_id=society_id, after=_plain(dataclasses.asdict(clean)), seals=[("ledger", entry_id)])
    return entry_id


def pay(ctx: AppContext, case_id: int, data: PaymentInput, user: str, *, version: int) -> int:
    """Pay an approved (or emergency) case: a payment entry, a step on its timeline, and
    已发放 once the approved amount is paid in full. Never more than the balance."""
    today, now = ctx.clock.today(), ctx.clock.now()
    with ctx.write() as s:
        case = cases.load_case(s, case_id)
        authorize(s, user, Permission.MONEY, case.society_id)
        fund_db.lock_fund(s, case.society_id)
        # Money goes out only to what was audited: the account, the approved amount.
        refuse_changed(s, "case", case_id, "不能发放")
        refuse_changed(s, "society", case.society_id, "不能发放")
        state, current = review.review_state(s, case_id)
        if current != version:
            raise ConflictError("该案件刚被他人办理过，请刷新后再操作")
        payable = payable_fen(state.status, state.approved_fen, state.emergency_fen, state.paid_fen)
        if payable == 0:  # not approved (nor paid first), paid in full, rejected or withdrawn
            raise DomainError("此案件没有待发放的金额（须审批通过，或先行救助已批准）")
        if pays_the_advance(state.status, state.emergency):
            society = societies.get_society(s, case.society_id).settings.area_code
            check_advance_payment(user, review.emergency_approver(s, case_id), users.count_payers(s, society))
        clean = validate_payment(data, payable=payable, low=fund_db.low_point(s, case.society_id, data.paid_on),
                                 today=today, applied_on=case.application.applied_on)
        check_month_open(clean.paid_on, fund_db.closed_months(s, case.society_id))
        app = case.application
        payee = payee_of(app.account_holder, app.applicant_name, clean.method)
        entry_id = fund_db.add_entry(
            s, society_id=case.society_id, posted_on=clean.paid_on, kind=LedgerKind.PAYMENT,
            amount_fen=-clean.amount_fen, case_id=case_id, party=payee, voucher_no=clean.voucher_no,
            memo=clean.memo or f"{case.case_no} 救助金", method=clean.method,
            receipt_signed=clean.receipt_signed, user=user, now=now)
        new_state, step = paid(state, clean.amount_fen, clean.paid_on, payee)
        step = dataclasses.replace(step, details={"entry": entry_id, "method": clean.method.value,
                                                  "voucher_no": clean.voucher_no})
        review.save_step(s, case_id, new_state, step, version=version, user=user, now=now)
        cases.set_paid_on(s, case_id, clean.paid_on)
        audit.record(s, user=user, now=now, entity="ledger", entity_id=entry_id, action="payment",
                     society_id=case.society_id,
                     after={"case_no": case.case_no, **_plain(dataclasses.asdict(clean))},
                     seals=[("ledger", entry_id), ("case", case_id)])
    return entry_id


def reverse(ctx: AppContext, society_id: int, entry_id: int, reason: str, on: dt.date, user: str,
            voucher_no: str = "") -> int:
    """Cancel one entry by a new entry of the opposite amount that points at it; its 凭证号 is
    the correcting voucher's when given (红字冲销), else the original's."""
    voucher = clean_voucher(voucher_no)
    if on > ctx.clock.today():
        raise DomainError("冲正日期不能晚于今天")
    now = ctx.clock.now()
    with ctx.write() as s:
        authorize(s, user, Permission.MONEY, society_id)
        fund_db.lock_fund(s, society_id)
        original = fund_db.entry(s, society_id, entry_id)
        refuse_changed(s, "ledger", entry_id, "不能冲正")
        if original.case_id is not None:
            refuse_changed(s, "case", original.case_id, "不能冲正")
        clean_reason = check_reversal(original, reason, on, fund_db.low_point(s, society_id, on))
        check_month_open(on, fund_db.closed_months(s, society_id))
        new_id = fund_db.add_entry(
            s, society_id=society_id, posted_on=on, kind=LedgerKind.REVERSAL,
            amount_fen=-original.amount_fen, source=original.source, case_id=original.case_id,
            party=original.party, voucher_no=voucher or original.voucher_no, memo=clean_reason,
            reversal_of=original.id, method=original.method, user=user, now=now)
        if original.case_id is not None:
            state, version = review.review_state(s, original.case_id)
            new_state, step = payment_reversed(state, -original.amount_fen, on, clean_reason)
            step = dataclasses.replace(step, details={"entry": new_id, "reverses": original.id})
            review.save_step(s, original.case_id, new_state, step, version=version, user=user, now=now)
        audit.record(s, user=user, now=now, entity="ledger", entity_id=new_id, action="reversal",
                     society_id=society_id, after={"reverses": original.id, "reason": clean_reason,
                                                   "amount_fen": -original.amount_fen},
                     seals=[("ledger", new_id)] + ([("case", original.case_id)] if original.case_id else []))
    return new_id


def ledger(ctx: AppContext, society_id: int, user: str, *, month: str | None = None,
           kind: LedgerKind | None = None) -> LedgerView:
    """The ledger of a month (or all of it), with running balances, for a ``user`` of the
    society (its lines name the payees).

    With a kind filter the running balance is of the lines shown, from the month's opening.
    """
    start = end = None
    if month:
        year, mon = (int(p) for p in month.split("-"))
        start = dt.date(year, mon, 1)
        end = dt.date(year + mon // 12, mon % 12 + 1, 1)
    with ctx.read() as s:
        check_sees(s, user, society_id)
        opening, lines = fund_db.ledger(s, society_id, start=start, end=end, kind=kind)
    return LedgerView(opening, tuple(lines), tuple(running_balances(opening, lines)))


def months(ctx: AppContext, society_id: int) -> tuple[list[str], set[str]]:
    """Months with entries (newest first) and the closed ones."""
    with ctx.read() as s:
        return fund_db.months_with_entries(s, society_id), fund_db.closed_months(s, society_id)


def close_month(ctx: AppContext, society_id: int, month: str, user: str) -> None:
    """Close a month after its report: its entries are final."""
    _set_month(ctx, society_id, month, True, user, "")


def reopen_month(ctx: AppContext, society_id: int, month: str, reason: str, user: str) -> None:
    """Reopen a closed month; the reason is recorded."""
    clean = clean_text(reason, field="reason", label="重新打开的理由", max_len=200, required=True)
    _set_month(ctx, society_id, month, False, user, clean)


def _set_month(ctx: AppContext, society_id: int, month: str, closed: bool, user: str, reason: str) -> None:
    try:
        year, mon = (int(p) for p in month.split("-"))
        month = month_of(dt.date(year, mon, 1))
    except ValueError:
        raise DomainError(f"月份应为 YYYY-MM，不是“{month}”") from None
    now = ctx.clock.now()
    with ctx.write() as s:
        authorize(s, user, Permission.MONTH_CLOSE, society_id)
        was = fund_db.set_month(s, society_id, month, closed=closed, user=user, now=now, reason=reason)
        if was == closed:
            raise DomainError(f"{month} 已经{'月结' if closed else '是打开的'}")
        audit.record(s, user=user, now=now, entity="month", entity_id=int(month.replace("-", "")),
                     action="close" if closed else "reopen", society_id=society_id,
                     before={"closed": was}, after={"closed": closed, "reason": reason},
                     seals=[("month", month_key(society_id, month))])


def _plain(values: dict[str, object]) -> dict[str, object]:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}

