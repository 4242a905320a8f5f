"""The demo's money: top-ups so the fund can always afford what arrives, and payments to
approved cases, each recorded as the app records them (a ledger entry and a timeline step)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from jiujinan.cases.enums import CaseStatus, FundSource, LedgerKind, PaymentMethod
from jiujinan.cases.review import Close, ReviewError, ReviewState, Rules, Step, apply, paid

TOP_UP = 5_000_000  # 50,000 yuan at a time
TOP_UP_SOURCES = ((FundSource.DISTRICT_BUDGET, "区财政局", "区财政追加拨款"),
                  (FundSource.CHARITY_MATCH, "区慈善协会", "慈善协会配套资金"),
                  (FundSource.DONATION, "爱心企业及个人", "社会捐赠"))


@dataclass
class DemoFund:
    """One society's money in the demo: contributions keep ahead of every application."""

    society_id: int
    contributed: int
    promised: int = 0
    vouchers: int = 0
    rows: list[dict] = field(default_factory=list)

    def entry(self, **values: object) -> None:
        self.vouchers += 1
        self.rows.append({"society_id": self.society_id, "source": "", "case_id": None, "payer": "",
                          "memo": "", "reversal_of": None, "method": "", "receipt_signed": False,
                          "voucher_no": f"记-{self.vouchers:05d}", **values})

    def fund_application(self, rng: random.Random, day: dt.date, requested: int, now: dt.datetime,
                         user: str) -> None:
        """Add a top-up dated the day a case arrives when the money so far would not cover it,
        so no approval or payment after it can overdraw the fund."""
        self.promised += requested
        while self.contributed < self.promised:
            source, payer, memo = rng.choice(TOP_UP_SOURCES)
            self.entry(posted_on=day, kind=LedgerKind.CONTRIBUTION.value, source=source.value,
                       amount_fen=TOP_UP, payer=payer, memo=memo, created_at=now, created_by=user)
            self.contributed += TOP_UP

    def pay(self, day: dt.date, case_id: int, fen: int, method: PaymentMethod, payee: str, case_no: str,
            now: dt.datetime, user: str) -> None:
        self.entry(posted_on=day, kind=LedgerKind.PAYMENT.value, amount_fen=-fen, case_id=case_id,
                   payer=payee, memo=f"{case_no} 救助金", method=method.value,
                   receipt_signed=method is PaymentMethod.CASH, created_at=now, created_by=user)


def payments(rng: random.Random, state: ReviewState, steps: list[Step], rules: Rules, today: dt.date,
             pay_one) -> tuple[ReviewState, list[Step]]:  # noqa: ANN001 - pay_one(day, fen)
    """Pay the rest of an approved case a few working days after the final approval (the
    emergency amount was paid on its day during the review), and close the case a month
    after it is paid in full."""
    cal = rules.calendar
    out: list[Step] = []
    decided = next((s.on for s in steps if s.status_after is CaseStatus.AWAITING_PAYMENT), None)
    if state.status is CaseStatus.AWAITING_PAYMENT and decided and state.approved_fen:
        day = cal.add_working_days(decided, rng.randint(1, 8))
        rest = state.approved_fen - state.paid_fen
        parts = [rest] if rng.random() < 0.9 or rest < 20000 else [rest // 2, rest - rest // 2]
        for part in parts:
            if day > today:
                break
            state, step = paid(state, part, day, "")
            pay_one(day, part)
            out.append(step)
            day = cal.add_working_days(day, rng.randint(5, 15))
    if state.status is CaseStatus.PAID and rng.random() < 0.8:
        closing = cal.add_working_days(state.last_step_on, 20)
        if closing <= today:
            try:
                state, step = apply(state, Close(closing, "救助金已发放到位"), rules, today)
                out.append(step)
            except ReviewError:
                pass
    return state, out
