"""An applicant's earlier aid in the society, and the 一事一救 rule over it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.dates import format_date
from jiujinan.cases.enums import INACTIVE_STATUSES, Cause, CaseStatus
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
        parts = []
        for prior in self.same_cause_this_year:
            if prior.paid_fen:
                parts.append(
                    f"{prior.case_no}（{format_date(prior.paid_on)}已发放{format_yuan_label(prior.paid_fen)}）"
                )
            else:
                parts.append(f"{prior.case_no}（{format_date(prior.applied_on)}申请，{prior.status.label}）")
        cause = self.same_cause_this_year[0].cause.label
        return (
            f"一事一救：此人本年度已有「{cause}」的救助案件 {'、'.join(parts)}。"
            "同一事由一年内再次救助，须由理事会记录理由。"
        )


def summarize_history(
    prior: list[PriorCase], cause: Cause | None, year: int, exclude_case_no: str | None = None
) -> AidHistory:
    """Summarise a person's earlier cases; ``exclude_case_no`` leaves out the case being edited."""
    cases = [p for p in prior if p.case_no != exclude_case_no]
    paid = sorted((p for p in cases if p.paid_fen > 0 and p.paid_on), key=lambda p: p.paid_on)
    same = tuple(
        p
        for p in cases
        if cause is not None
        and p.cause == cause
        and p.applied_on.year == year
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
