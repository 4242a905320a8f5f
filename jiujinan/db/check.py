"""Invariant checks over the whole database, for ``jiujinan check``: each returns the
violations it finds, as sentences a clerk or district IT can act on."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from jiujinan.cases.enums import CaseStatus, LedgerKind
from jiujinan.cases.money import format_yuan_label as y
from jiujinan.cases.review import REVIEW_DONE
from jiujinan.db.models import AidCase, CaseStep, LedgerEntry, Society


def _codes(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Society.id, Society.area_code)).all())


def balances_never_negative(session: Session) -> list[str]:
    """The running balance of every society, in ledger order, never goes below zero."""
    out = []
    codes = _codes(session)
    balance: dict[int, int] = defaultdict(int)
    reported: set[int] = set()
    stmt = select(LedgerEntry.society_id, LedgerEntry.id, LedgerEntry.posted_on, LedgerEntry.amount_fen) \
        .order_by(LedgerEntry.society_id, LedgerEntry.posted_on, LedgerEntry.id)
    for society_id, entry_id, posted_on, amount in session.execute(stmt):
        balance[society_id] += amount
        if balance[society_id] < 0 and society_id not in reported:
            reported.add(society_id)
            out.append(f"互助社 {codes.get(society_id)}：{posted_on} 第 {entry_id} 号记录后余额为 "
                       f"{y(balance[society_id])}（余额不得为负）")
    return out


def reversals_are_sound(session: Session) -> list[str]:
    """Every reversal points at a real entry of the same society, cancels it exactly, is not
    itself reversed, and no entry is reversed twice."""
    out = []
    original = aliased(LedgerEntry)
    stmt = select(LedgerEntry, original).outerjoin(original, original.id == LedgerEntry.reversal_of) \
        .where(LedgerEntry.reversal_of.is_not(None))
    seen: set[int] = set()
    for rev, orig in session.execute(stmt):
        if orig is None:
            out.append(f"冲正记录 {rev.id} 指向不存在的第 {rev.reversal_of} 号记录")
            continue
        if rev.kind != LedgerKind.REVERSAL.value:
            out.append(f"第 {rev.id} 号记录指向被冲正的记录，但不是冲正记录")
        if orig.kind == LedgerKind.REVERSAL.value:
            out.append(f"冲正记录 {rev.id} 冲正的是另一条冲正记录 {orig.id}")
        if rev.amount_fen != -orig.amount_fen or rev.society_id != orig.society_id:
            out.append(f"冲正记录 {rev.id} 与原记录 {orig.id} 的金额或互助社不相符")
        if orig.id in seen:
            out.append(f"第 {orig.id} 号记录被冲正了不止一次")
        seen.add(orig.id)
    orphan = session.scalars(select(LedgerEntry.id).where(
        LedgerEntry.kind == LedgerKind.REVERSAL.value, LedgerEntry.reversal_of.is_(None))).all()
    out += [f"冲正记录 {i} 没有指明冲正哪一条记录" for i in orphan]
    return out


def payments_match_cases(session: Session) -> list[str]:
    """Each case's paid amount equals its ledger payments, stays within what was approved
    (or paid first in an emergency), and its status agrees with what was paid."""
    out = []
    paid_by_case = dict(session.execute(
        select(LedgerEntry.case_id, -func.sum(LedgerEntry.amount_fen))
        .where(LedgerEntry.case_id.is_not(None)).group_by(LedgerEntry.case_id)).all())
    stmt = select(AidCase.id, AidCase.case_no, AidCase.status, AidCase.paid_fen, AidCase.approved_fen,
                  AidCase.emergency_fen).where(
        (AidCase.paid_fen != 0) | AidCase.id.in_(select(LedgerEntry.case_id).where(LedgerEntry.case_id.is_not(None)))
        | (AidCase.status.in_([s.value for s in REVIEW_DONE])))
    for case_id, case_no, status, paid, approved, emergency in session.execute(stmt):
        ledger_paid = int(paid_by_case.get(case_id, 0) or 0)
        if ledger_paid != paid:
            out.append(f"案件 {case_no}：记录的已发放 {y(paid)}，台账中的发放合计 {y(ledger_paid)}")
        done = status in {s.value for s in REVIEW_DONE}
        cap = approved if done else (emergency or 0)
        if status == CaseStatus.REJECTED.value:
            cap = max(paid, emergency or 0)
        if paid > (cap or 0):
            out.append(f"案件 {case_no}：已发放 {y(paid)} 超过可发放金额 {y(cap or 0)}")
        if status == CaseStatus.PAID.value and paid != approved:
            out.append(f"案件 {case_no}：状态为已发放，但发放 {y(paid)} 不等于审批金额 {y(approved or 0)}")
        if status == CaseStatus.AWAITING_PAYMENT.value and approved is not None and paid >= approved:
            out.append(f"案件 {case_no}：已足额发放，状态却仍为待发放")
    return out


def statuses_match_steps(session: Session) -> list[str]:
    """Each case stands where its last recorded step left it."""
    last = select(func.max(CaseStep.id)).group_by(CaseStep.case_id)
    stmt = select(AidCase.case_no, AidCase.status, CaseStep.status_after) \
        .join(CaseStep, CaseStep.case_id == AidCase.id).where(CaseStep.id.in_(last))
    out = [f"案件 {no}：状态为“{CaseStatus(st).label}”，最后一步记录为“{CaseStatus(after).label}”"
           for no, st, after in session.execute(stmt) if st != after]
    missing = session.scalars(select(AidCase.case_no).where(
        ~AidCase.id.in_(select(CaseStep.case_id)))).all()
    out += [f"案件 {no} 没有受理记录" for no in missing]
    return out


def entries_well_formed(session: Session) -> list[str]:
    """Money in is positive with a source; money out is negative and names its case."""
    out = []
    for entry_id, kind, amount, source, case_id in session.execute(
            select(LedgerEntry.id, LedgerEntry.kind, LedgerEntry.amount_fen, LedgerEntry.source,
                   LedgerEntry.case_id).where(LedgerEntry.kind != LedgerKind.REVERSAL.value)):
        if kind == LedgerKind.CONTRIBUTION.value and (amount <= 0 or not source):
            out.append(f"收入记录 {entry_id} 的金额应为正数并注明来源")
        if kind == LedgerKind.PAYMENT.value and (amount >= 0 or case_id is None):
            out.append(f"支出记录 {entry_id} 的金额应为负数并对应案件")
    return out


def totals(session: Session) -> tuple[int, int, int]:
    """How many societies, cases and ledger entries were checked."""
    count = lambda model: session.scalar(select(func.count()).select_from(model)) or 0  # noqa: E731
    return count(Society), count(AidCase), count(LedgerEntry)


CHECKS = (
    ("台账余额任何时候不为负", balances_never_negative),
    ("冲正记录有效", reversals_are_sound),
    ("案件发放与台账一致", payments_match_cases),
    ("案件状态与办理记录一致", statuses_match_steps),
    ("台账记录格式正确", entries_well_formed),
)
