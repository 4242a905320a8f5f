"""The rules a well-formed export must also obey before the district stores it: the village's
own invariants (those `jiujinan check` verifies there), so an export whose cells are each
fine but which together say the impossible is refused, row by row, with the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import compress
from typing import Protocol

from jiujinan.cases.enums import CaseStatus, LedgerKind
from jiujinan.exports.csv_format import yuan
from jiujinan.exports.manifest import CLOCK_SKEW, Manifest

_IN, _OUT, _REVERSAL = LedgerKind.CONTRIBUTION.value, LedgerKind.PAYMENT.value, LedgerKind.REVERSAL.value


class Table(Protocol):
    def problem(self, index: int, column: str, reason: str) -> None: ...


Columns = dict[str, list]


def check(read: dict[str, Columns], tables: dict[str, Table], manifest: Manifest) -> None:
    """Every rule over the read columns of the three files; problems go to the tables."""
    cases, payments, ledger = read["cases.csv"], read["payments.csv"], read["ledger.csv"]
    last_day = (manifest.exported_at + CLOCK_SKEW).date()
    _amounts_within_approval(cases, tables["cases.csv"])
    _not_after(cases, ("applied_on", "decided_on"), last_day, tables["cases.csv"])
    _not_after(payments, ("paid_on",), last_day, tables["payments.csv"])
    _not_after(ledger, ("posted_on",), last_day, tables["ledger.csv"])
    _ledger_never_negative(ledger, manifest.opening_fen, tables["ledger.csv"])
    _entries_well_formed(ledger, set(payments["payment_no"]), tables["ledger.csv"])
    _payments_well_formed(payments, tables["payments.csv"])


def _amounts_within_approval(v: Columns, t: Table) -> None:
    """Paid ≤ approved; before an approval only 先行救助 may pay, up to the request; 已发放
    means money was paid."""
    paid_status = CaseStatus.PAID.value
    rows = zip(v["requested_fen"], v["approved_fen"], v["paid_fen"], v["status"], v["emergency"])
    for index, (requested, approved, paid, status, emergency) in enumerate(rows):
        if paid is None:
            continue
        if approved is not None and paid > approved:
            t.problem(index, "paid_yuan", f"已发放 {yuan(paid)} 超过同意金额 {yuan(approved)}")
        elif approved is None and paid > 0 and not emergency:
            t.problem(index, "paid_yuan", f"尚无同意金额，却已发放 {yuan(paid)}（只有先行救助可以先发放）")
        elif approved is None and requested is not None and paid > requested:
            t.problem(index, "paid_yuan", f"先行救助已发放 {yuan(paid)} 超过申请金额 {yuan(requested)}")
        if status == paid_status and paid <= 0:
            t.problem(index, "status", "状态为已发放，但没有发放金额")


def _not_after(v: Columns, keys: Iterable[str], last: dt.date, t: Table) -> None:
    """No date of a row is later than the export was made."""
    for key in keys:
        days = v[key]
        if max(filter(None, days), default=last) > last:  # (dates are never false; None is)
            for index, day in enumerate(days):
                if day is not None and day > last:
                    t.problem(index, key, f"日期 {day} 晚于导出时间")


def _ledger_never_negative(v: Columns, opening: int, t: Table) -> None:
    """量力而行: the fund is never overdrawn; the balance after every entry is ≥ 0."""
    balance = opening
    for index, amount in enumerate(v["amount_fen"]):
        if amount is None:
            return  # the cell is already a problem; the balance after it is unknown
        balance += amount
        if balance < 0:
            t.problem(index, "amount_yuan", f"记账后余额为 {yuan(balance)}，资金不能透支")
            return


def _entries_well_formed(v: Columns, payment_nos: set, t: Table) -> None:
    """Money in is positive with a source; money out is negative and is a payment to a case
    (a row of payments.csv); a reversal names the entry it cancels and cancels it exactly."""
    if _entries_plainly_well_formed(v, payment_nos):
        return
    amounts = dict(zip(v["entry_no"], v["amount_fen"]))
    kinds = dict(zip(v["entry_no"], v["kind"]))
    rows = zip(v["entry_no"], v["kind"], v["source"], v["amount_fen"], v["reversal_of"])
    for index, (number, kind, source, amount, reversal_of) in enumerate(rows):
        if amount is None or kind is None:
            continue
        if kind == _IN and (amount <= 0 or not source):
            t.problem(index, "amount_yuan", "收入的金额应为正数并注明来源")
        elif kind == _OUT and (amount >= 0 or number not in payment_nos):
            t.problem(index, "amount_yuan", "支出的金额应为负数，并且是 payments.csv 中对某个案件的发放")
        elif kind == _REVERSAL:
            if reversal_of is None or amount == 0:
                t.problem(index, "reversal_of", "冲正记录应注明冲正的是哪一条，金额不能为零")
            elif reversal_of in amounts and (amounts[reversal_of] != -amount or kinds[reversal_of] == _REVERSAL):
                t.problem(index, "amount_yuan", f"与被冲正的第 {reversal_of} 条记录不相符")
        if kind != _REVERSAL and reversal_of is not None:
            t.problem(index, "reversal_of", "只有冲正记录才能指向被冲正的记录")


def _entries_plainly_well_formed(v: Columns, payment_nos: set) -> bool:
    """The usual ledger (no reversal, no unreadable cell) checked whole columns at a time; False
    sends it to the row-by-row check, which names the rows."""
    kinds, amounts = v["kind"], v["amount_fen"]
    if None in kinds or None in amounts or _REVERSAL in kinds or v["reversal_of"].count(None) != len(amounts):
        return False
    money_in, money_out = list(map(_IN.__eq__, kinds)), list(map(_OUT.__eq__, kinds))
    return (min(compress(amounts, money_in), default=1) > 0 and "" not in compress(v["source"], money_in)
            and max(compress(amounts, money_out), default=-1) < 0
            and payment_nos.issuperset(compress(v["entry_no"], money_out)))


def _payments_well_formed(v: Columns, t: Table) -> None:
    """A payment is positive; a reversal of one is negative and cancels a payment of the same case."""
    amounts = v["amount_fen"]
    if None not in amounts and v["reversal_of"].count(None) == len(amounts) and min(amounts, default=1) > 0:
        return  # the usual case, whole columns at a time
    originals = {n: (case, amount) for n, case, amount, rev
                 in zip(v["payment_no"], v["case_no"], v["amount_fen"], v["reversal_of"]) if rev is None}
    rows = zip(v["case_no"], v["amount_fen"], v["reversal_of"])
    for index, (case_no, amount, reversal_of) in enumerate(rows):
        if amount is None:
            continue
        if reversal_of is None and amount <= 0:
            t.problem(index, "amount_yuan", "发放金额必须大于零（冲正应注明 reversal_of）")
        elif reversal_of is not None and amount >= 0:
            t.problem(index, "amount_yuan", "冲正发放的金额应为负数")
        elif reversal_of in originals and originals[reversal_of] != (case_no, -amount):
            t.problem(index, "reversal_of", f"与被冲正的第 {reversal_of} 笔发放的案件或金额不相符")
