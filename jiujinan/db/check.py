"""Invariant checks over the whole database, for ``jiujinan check``: each returns the
violations it finds, as sentences a clerk or district IT can act on."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import BigInteger, and_, cast, func, select
from sqlalchemy.orm import Session, aliased

from jiujinan.cases.enums import CaseStatus, LedgerKind
from jiujinan.cases.history import summarize_history
from jiujinan.cases.money import format_yuan_label as y
from jiujinan.cases.users import USERS_DELETED
from jiujinan.db import audit, fund, seal_check, users
from jiujinan.db.cases import PRIOR_CASE_COLUMNS, prior_case
from jiujinan.db.models import AidCase, CaseStep, LedgerEntry, RemoteSociety, Society, fen_sum


def _codes(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Society.id, Society.area_code)).all())


def balances_never_negative(session: Session) -> list[str]:
    """The running balance of every society, in ledger order, never goes below zero."""
    codes = _codes(session)
    running = cast(func.sum(LedgerEntry.amount_fen).over(
        partition_by=LedgerEntry.society_id, order_by=(LedgerEntry.posted_on, LedgerEntry.id)), BigInteger)
    inner = select(LedgerEntry.society_id, LedgerEntry.id, LedgerEntry.posted_on,
                   running.label("running")).subquery()
    stmt = select(inner).where(inner.c.running < 0).order_by(inner.c.society_id, inner.c.posted_on, inner.c.id)
    out, reported = [], set()
    for society_id, entry_id, posted_on, balance in session.execute(stmt):
        if society_id not in reported:  # the first time is the one to look at
            reported.add(society_id)
            out.append(f"互助社 {codes.get(society_id)}：{posted_on} 第 {entry_id} 号记录后余额为 "
                       f"{y(balance)}（余额不得为负）")
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
    """Each case's paid amount equals its ledger payments, stays within what was approved (or
    paid first in an emergency: cases/fund.payment_cap_fen, in SQL as db/fund.payment_cap), and
    its status agrees with what was paid (a withdrawn case has nothing paid: 撤回 comes before
    any payment). The comparisons run in the
    database, which returns only the cases that break them."""
    out = []
    paid = select(LedgerEntry.case_id, (-fen_sum(LedgerEntry.amount_fen)).label("total")) \
        .where(LedgerEntry.case_id.is_not(None)).group_by(LedgerEntry.case_id).subquery()
    ledger_paid = func.coalesce(paid.c.total, 0)
    # A case received by packet was paid from its own village's ledger, not this database's.
    remote = select(RemoteSociety.society_id)
    stmt = select(AidCase.case_no, AidCase.paid_fen, ledger_paid).outerjoin(paid, paid.c.case_id == AidCase.id) \
        .where(AidCase.paid_fen != ledger_paid, AidCase.society_id.not_in(remote))
    out += [f"案件 {no}：记录的已发放 {y(p)}，台账中的发放合计 {y(lp)}" for no, p, lp in session.execute(stmt)]
    cap = fund.payment_cap(AidCase.status, AidCase.approved_fen, AidCase.emergency_fen)  # cases/fund's rule
    over = select(AidCase.case_no, AidCase.paid_fen, cap).where(AidCase.paid_fen > cap)
    out += [f"案件 {no}：已发放 {y(p)} 超过可发放金额 {y(c)}" for no, p, c in session.execute(over)]
    unpaid = select(AidCase.case_no, AidCase.paid_fen, AidCase.approved_fen).where(
        AidCase.status == CaseStatus.PAID.value, AidCase.paid_fen != AidCase.approved_fen)
    out += [f"案件 {no}：状态为已发放，但发放 {y(p)} 不等于审批金额 {y(a or 0)}"
            for no, p, a in session.execute(unpaid)]
    stuck = select(AidCase.case_no).where(AidCase.status == CaseStatus.AWAITING_PAYMENT.value,
                                          AidCase.paid_fen >= AidCase.approved_fen)
    out += [f"案件 {no}：已足额发放，状态却仍为待发放" for no in session.scalars(stuck)]
    withdrawn = select(AidCase.case_no, AidCase.paid_fen).where(AidCase.status == CaseStatus.WITHDRAWN.value,
                                                                AidCase.paid_fen != 0)
    out += [f"案件 {no}：已撤回，却有已发放 {y(p)}" for no, p in session.execute(withdrawn)]
    return out


def statuses_match_steps(session: Session) -> list[str]:
    """Each case stands where its last recorded step left it (and has one at all)."""
    last = select(CaseStep.status_after).where(CaseStep.case_id == AidCase.id) \
        .order_by(CaseStep.id.desc()).limit(1).scalar_subquery()
    stmt = select(AidCase.case_no, AidCase.status, last.label("after")).where(
        func.coalesce(last, "") != AidCase.status)
    out = []
    for no, status, after in session.execute(stmt):
        if after is None:
            out.append(f"案件 {no} 没有受理记录")
        else:
            out.append(f"案件 {no}：状态为“{_status_label(status)}”，最后一步记录为“{_status_label(after)}”")
    return out


def _status_label(value: object) -> str:
    """A status's name, or the value itself when it is none the app knows (put there from outside)."""
    try:
        return CaseStatus(value).label
    except ValueError:
        return f"{value}（程序不认识的状态）"


def entries_well_formed(session: Session) -> list[str]:
    """Money in is positive with a source; money out is negative and names its case."""
    bad_in = select(LedgerEntry.id).where(LedgerEntry.kind == LedgerKind.CONTRIBUTION.value,
                                          (LedgerEntry.amount_fen <= 0) | (LedgerEntry.source == ""))
    bad_out = select(LedgerEntry.id).where(LedgerEntry.kind == LedgerKind.PAYMENT.value,
                                           (LedgerEntry.amount_fen >= 0) | LedgerEntry.case_id.is_(None))
    return ([f"收入记录 {i} 的金额应为正数并注明来源" for i in session.scalars(bad_in)]
            + [f"支出记录 {i} 的金额应为负数并对应案件" for i in session.scalars(bad_out)])


def repeats_have_reasons(session: Session) -> list[str]:
    """一事一救: every case registered after an open or aided case of the same person, cause
    and year states why (the rule of cases/history, as intake applies it). Only the groups
    of two or more cases are read; a withdrawn case counts in no history and is left out."""
    keys = (AidCase.society_id, AidCase.id_number, AidCase.cause, AidCase.case_year)
    groups = select(*keys).group_by(*keys).having(func.count() > 1).subquery()
    stmt = select(*keys, AidCase.repeat_reason, *PRIOR_CASE_COLUMNS) \
        .join(groups, and_(*(k == groups.c[k.key] for k in keys))) \
        .order_by(AidCase.society_id, AidCase.case_year, AidCase.case_seq)
    by_group: dict[tuple, list] = defaultdict(list)
    for row in session.execute(stmt):
        by_group[(row.society_id, row.id_number, row.cause, row.case_year)].append(row)
    out = []
    for rows in by_group.values():
        priors = [prior_case(r) for r in rows]
        for row, p in zip(rows, priors):
            if p.status is CaseStatus.WITHDRAWN or row.repeat_reason.strip():
                continue
            earlier = summarize_history(priors, p.cause, p.applied_on, p.case_no).same_cause_this_year
            if earlier:
                out.append(f"案件 {p.case_no}：此人本年度已有同一事由的案件 "
                           f"{'、'.join(e.case_no for e in earlier)}，却没有写明再次救助的理由（一事一救）")
    return out


def users_not_deleted(session: Session) -> list[str]:
    """Users are stopped, never deleted: no user left in a database whose trail shows it had
    some means they were deleted outside the program (services/access.bootstrapping)."""
    return [USERS_DELETED] if users.count_users(session) == 0 and users.ever_had_users(session) else []


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
    ("一事一救的后一案件写明了理由", repeats_have_reasons),
    ("审计记录完整、未被改动", audit.chain_problems),
    ("用户没有在程序之外被删除", users_not_deleted),
)
# Run beside the others on a connection of its own (services/check.py): the two cores share the work.
SEAL_CHECK = ("每条记录与其最后的审计记录一致", seal_check.rows_match_seals)
