"""Printing as operations: gather a paper's data in one read, then lay it out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from jiujinan.cases.errors import DomainError
from jiujinan.db import cases, review, societies
from jiujinan.cases.enums import Cause
from jiujinan.printing.approval_form import FormData, write_form
from jiujinan.printing.notice import NoticeLine, write_notice
from jiujinan.services.context import AppContext
from jiujinan.services.review import applicant_history


def form_data(ctx: AppContext, case_id: int) -> FormData:
    """The approval form's content for one case."""
    with ctx.read() as s:
        case = cases.load_case(s, case_id)
        state, _version = review.review_state(s, case_id)
        return FormData(
            society=societies.get_society(s, case.society_id).settings,
            case=case,
            steps=tuple(review.steps_of(s, case_id)),
            history=applicant_history(s, case.society_id, case),
            approved_fen=state.approved_fen,
        )


def print_form(ctx: AppContext, case_no: str, out: str | Path | IO[bytes]) -> None:
    """Write the approval form of ``case_no``."""
    with ctx.read() as s:
        case_id = cases.case_id_by_no(s, case_no)
    write_form(form_data(ctx, case_id), out)


def print_notice(ctx: AppContext, society_id: int, out: str | Path | IO[bytes], *,
                 period: tuple[dt.date, dt.date] | None = None) -> int:
    """Write the public notice: the cases on notice today, or those whose notice began in
    ``period`` (start inclusive, end exclusive). Returns how many cases it lists."""
    today = ctx.clock.today()
    with ctx.read() as s:
        society = societies.get_society(s, society_id).settings
        if period:
            rows = review.notice_cases(s, society_id, start=period[0], end=period[1])
        else:
            rows = review.notice_cases(s, society_id, on_notice_at=today)
    if not rows:
        raise DomainError("没有需要公示的案件（当前没有处于公示期的案件）" if not period else "该期间没有开始公示的案件")
    lines = [NoticeLine(name, idn, Cause(cause), fen, start, end, place)
             for name, idn, cause, fen, start, end, place in rows]
    write_notice(society, lines, out, today)
    return len(lines)
