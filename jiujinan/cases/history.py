"""An applicant's earlier aid in the society, and the 一事一救 rule over it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.case_number import parse_case_no
from jiujinan.cases.dates import format_date
from jiujinan.cases.enums import INACTIVE_STATUSES, Cause, CaseStatus
from jiujinan.cases.errors import DomainError
from jiujinan.cases.money import format_yuan_label


@dataclass(frozen=True)
class PriorCase:
    """One earlier case of the same person, as the history needs it."""

    case_no: str
    cause: Cause
    applied_on: dt.date
    status: CaseStatus
    requested_fen: int
    paid_fen: int
    paid_on: dt.date | None

    def describe(self) -> str:
        """Number, status and amount, as the clerk is shown an earlier case."""
        if self.paid_fen:
            return f"{self.case_no}（{format_date(self.paid_on)}已发放{format_yuan_label(self.paid_fen)}）"
        return (f"{self.case_no}（{format_date(self.applied_on)}申请{format_yuan_label(self.requested_fen)}，"
                f"{self.status.label}）")


@dataclass(frozen=True)
class AidHistory:
    """What the form shows: times aided, total received, the last aid, and 一事一救 clashes."""

    times_aided: int
    total_paid_fen: int
    last_paid_on: dt.date | None
    last_paid_fen: int
    same_cause_this_year: tuple[PriorCase, ...]
    case_count: int

    def one_event_warning(self) -> str | None:
        """一事一救: one payment per cause per calendar year; names the earlier case(s)."""
        if not self.same_cause_this_year:
            return None
        return (f"{_earlier_text(self.same_cause_this_year)}"
                "同一事由一年内再次救助，须由理事会记录理由。")


def _earlier_text(earlier: tuple[PriorCase, ...]) -> str:
    parts = "、".join(p.describe() for p in earlier)
    return f"一事一救：此人本年度已有「{earlier[0].cause.label}」的救助案件 {parts}。"


class RepeatApplication(DomainError):
    """一事一救 at intake: the person already has an earlier case for the same cause this
    year, and no reason was stated for registering another; ``earlier`` lists them."""

    def __init__(self, earlier: tuple[PriorCase, ...]) -> None:
        self.earlier = earlier
        super().__init__(f"{_earlier_text(earlier)}请打开原案件办理；如确需再次登记，须写明理由。")


def one_event_clash(history: AidHistory) -> bool:
    """一事一救: one aid per person, cause and calendar year. A case clashes when the person
    has an earlier case of the same cause this year, approved, paid or still open; such a case
    is deliberated only with the board's reason for aiding again (cases/review)."""
    return bool(history.same_cause_this_year)


def check_repeat(history: AidHistory, reason: str) -> None:
    """一事一救: a later application for the same person and cause in the same calendar year
    is registered only with a stated reason (the GUI and the command line both ask here)."""
    if one_event_clash(history) and not reason.strip():
        raise RepeatApplication(history.same_cause_this_year)


def registered_before(case_no: str, other: str | None) -> bool:
    """Was ``case_no`` registered before ``other`` (None: a new application, registered last)?

    一事一救 orders a person's cases by registration, not by the date typed as applied on: the
    running number of the society's cases in the year only grows, while applied_on is typed by
    the clerk and could be backdated to make an older case look like the repeat. A case
    number's year is its applied_on year and never changes, so within one calendar year the
    running number alone decides."""
    if other is None:
        return True
    return _registration_key(case_no) < _registration_key(other)


def _registration_key(case_no: str) -> tuple[int, int, str]:
    parsed = parse_case_no(case_no)
    if parsed is None:  # not a number this program gave; compared as text, after every real one
        return (1, len(case_no), case_no)
    return (0, parsed[2], "")


def _came_before(prior: PriorCase, case_no: str | None, applied_on: dt.date) -> bool:
    """An earlier year's case, or one registered before ``case_no`` in the same year."""
    if prior.applied_on.year != applied_on.year:
        return prior.applied_on.year < applied_on.year
    return registered_before(prior.case_no, case_no)


def summarize_history(
    prior: list[PriorCase], cause: Cause | None, applied_on: dt.date, case_no: str | None = None
) -> AidHistory:
    """Summarise a person's other cases for the case ``case_no`` applied on ``applied_on``
    (``case_no`` None: a new application, numbered after every stored one).

    一事一救 looks only at *earlier* cases: registered before this one (a lower running number,
    see registered_before; a new application comes last) in the same calendar year, of the
    same cause, and approved, paid or still open. So only the later of two cases is the
    repeat, and the earlier one goes on as if alone. Withdrawn cases count in no history."""
    cases = [p for p in prior if p.case_no != case_no and p.status is not CaseStatus.WITHDRAWN
             and _came_before(p, case_no, applied_on)]  # 此前: a later case is no part of this one's history
    # 此前救助: aid received before this application, not aid paid later on an earlier case
    # (a reprinted form must show what the signers knew of when the person applied).
    paid = sorted((p for p in cases if p.paid_fen > 0 and p.paid_on and p.paid_on < applied_on),
                  key=lambda p: p.paid_on)

    same = tuple(
        p
        for p in cases
        if cause is not None
        and p.cause == cause
        and p.applied_on.year == applied_on.year
        and registered_before(p.case_no, case_no)
        and p.status not in INACTIVE_STATUSES
    )
    last = paid[-1] if paid else None
    return AidHistory(
        times_aided=len(paid),
        total_paid_fen=sum(p.paid_fen for p in paid),
        last_paid_on=last.paid_on if last else None,
        last_paid_fen=last.paid_fen if last else 0,
        same_cause_this_year=same,
        case_count=len(cases),
    )
