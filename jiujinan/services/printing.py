"""Printing as operations: gather a paper's data in one read, then lay it out.

The layouts (jiujinan/printing, on ReportLab) are imported by the operations that use them:
a screen that imports this module starts without ReportLab, which then loads with the first
paper, on the thread the paper is made on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import IO, TYPE_CHECKING

from jiujinan.cases.disclosure import Kind, Output, disclose, disclose_application
from jiujinan.cases.errors import DomainError
from jiujinan.db import cases, review, societies
from jiujinan.db import reports as reports_db
from jiujinan.cases.dates import format_date_cn, parse_month
from jiujinan.cases.enums import Cause, CaseStatus, HouseholdType, Level, PaymentMethod, StepKind
from jiujinan.cases.records import StepRecord, StoredCase, deciding_office, handled_by
from jiujinan.cases.society import SocietySettings
from jiujinan.cases.users import Role
from jiujinan.services import fund, keys
from jiujinan.services.access import check_sees
from jiujinan.services.context import AppContext
from jiujinan.services.review import case_history
from jiujinan.services.seal_guard import refuse_any_changed, refuse_changed

if TYPE_CHECKING:
    from jiujinan.printing.approval_form import FormData


def form_data(ctx: AppContext, case_id: int, user: str) -> FormData:
    """The approval form's content for one case, as ``user`` may see it."""
    with ctx.read() as s:
        case = cases.load_case(s, case_id)
        who = check_sees(s, user, case.society_id)
        _refuse_changed(s, case.society_id, [case_id])
        return _form_data(s, case, who.roles, {})


def _refuse_changed(s, society_id: int, case_ids: list[int]) -> None:  # noqa: ANN001
    """A paper prints only what the app wrote: a society or case edited outside it (a planted
    account on the roster the money is paid from) is refused until 检查 has been run."""
    refuse_changed(s, "society", society_id, "不能打印")
    if case_ids:
        refuse_any_changed(s, "case", case_ids, "不能打印")


def _form_data(s, case: StoredCase, roles: frozenset[Role],  # noqa: ANN001
               society_cache: dict[int, SocietySettings]) -> FormData:
    """The form of a case the caller checked the reader may see; personal numbers full or
    masked by the disclosure table (printouts follow the screen's full-ID permission)."""
    from jiujinan.printing.approval_form import FormData

    case_id = case.id
    state, _version = review.review_state(s, case_id)
    if case.society_id not in society_cache:
        society_cache[case.society_id] = societies.get_society(s, case.society_id).settings
    return FormData(
        society=society_cache[case.society_id],
        case=dataclasses.replace(case, application=disclose_application(case.application, Output.FORM, roles)),
        steps=tuple(review.steps_of(s, case_id)),
        history=case_history(s, case.society_id, case),
        approved_fen=state.approved_fen,
    )


def print_form(ctx: AppContext, case_no: str, out: str | Path | IO[bytes], user: str) -> None:
    """Write the approval form of ``case_no`` for ``user`` (who works on its society)."""
    from jiujinan.printing.approval_form import write_form

    with ctx.read() as s:
        case_id = cases.case_id_by_no(s, case_no)
    data = form_data(ctx, case_id, user)
    _refuse_withdrawn(data.case.case_no, data.case.status, "审批表")  # a withdrawn case is no aid
    write_form(data, out)


def _refuse_withdrawn(case_no: str, status: CaseStatus, paper: str) -> None:
    if status is CaseStatus.WITHDRAWN:
        raise DomainError(f"案件 {case_no} 已撤回，不打印{paper}")


def print_notice(ctx: AppContext, society_id: int, out: str | Path | IO[bytes], user: str, *,
                 period: tuple[dt.date, dt.date] | None = None) -> int:
    """Write the public notice: the cases on notice today, or those whose notice began in
    ``period`` (start inclusive, end exclusive); one notice per notice period, each dated on
    its first day. Returns how many cases it lists."""
    from jiujinan.printing.notice import NoticeLine, write_notice

    today = ctx.clock.today()
    with ctx.read() as s:
        check_sees(s, user, society_id)
        _refuse_changed(s, society_id, [])
        society = societies.get_society(s, society_id).settings
        if period:
            rows = review.notice_cases(s, society_id, start=period[0], end=period[1])
        else:
            rows = review.notice_cases(s, society_id, on_notice_at=today)
    if not rows:
        raise DomainError("没有需要公示的案件（当前没有处于公示期的案件）" if not period else "该期间没有开始公示的案件")
    public = frozenset[Role]()  # the 公示 is for everyone: the table masks it whoever prints
    lines = [NoticeLine(disclose(name, Output.NOTICE, Kind.NAME, public),
                        # the ID leaves the database only for a society that prints the masked one
                        disclose(idn, Output.NOTICE, Kind.ID_NUMBER, public) if society.notice_shows_id else "",
                        Cause(cause), fen, start, end, place)
             for name, idn, cause, fen, start, end, place in rows]
    write_notice(society, lines, out)
    return len(lines)


def _society(ctx: AppContext, society_id: int) -> SocietySettings:
    with ctx.read() as s:
        return societies.get_society(s, society_id).settings


def _label(period: tuple[dt.date, dt.date]) -> str:
    start, end = period
    last = end - dt.timedelta(days=1)
    if start.day == 1 and last.month == start.month and (last + dt.timedelta(days=1)).day == 1:
        return f"{start.year}年{start.month}月"
    return f"{format_date_cn(start)}至{format_date_cn(last)}"


def print_roster(ctx: AppContext, society_id: int, out: str | Path | IO[bytes], user: str, *,
                 period: tuple[dt.date, dt.date], masked: bool = False) -> int:
    """The disbursement roster of the payments in ``period`` (its total is the 台账's 支出 of
    those days: db/reports.roster); returns how many lines. ID and account numbers in full
    only for a user who sees them (cases/disclosure.py); ``masked``: the roster to post or
    send out, names, IDs and accounts masked for everyone and the address cut to the 村民组."""
    from jiujinan.printing.roster import RosterLine, write_roster

    with ctx.read() as s:
        roles = check_sees(s, user, society_id).roles
        _refuse_changed(s, society_id, reports_db.case_ids_paid(s, society_id, *period))
        rows = reports_db.roster(s, society_id, *period)
    output = Output.POSTED_ROSTER if masked else Output.ROSTER

    def shown(value: str, kind: Kind) -> str:
        return disclose(value, output, kind, roles)

    lines = [RosterLine(shown(name, Kind.NAME), shown(idn, Kind.ID_NUMBER), HouseholdType(ht), Cause(cause), fen,
                        PaymentMethod(m) if m else None, on, no, shown(account, Kind.ACCOUNT),
                        shown(address, Kind.ADDRESS), size, reverses)
             for name, idn, ht, cause, fen, m, on, no, account, address, size, reverses in rows]
    write_roster(_society(ctx, society_id), lines, _label(period), out, masked=masked,
                 printed_on=ctx.clock.today())
    return len(lines)


def print_ledger(ctx: AppContext, society_id: int, month: str, out: str | Path | IO[bytes], user: str) -> int:
    """The month's ledger statement; returns how many entries."""
    from jiujinan.printing.ledger_statement import write_ledger

    month = _month(month)
    with ctx.read() as s:
        check_sees(s, user, society_id)
        _refuse_changed(s, society_id, [])
    view = fund.ledger(ctx, society_id, user, month=month)
    write_ledger(_society(ctx, society_id), month, view.opening_fen, list(view.lines), list(view.balances),
                 out, printed_on=ctx.clock.today())
    return len(view.lines)


def print_monthly(ctx: AppContext, society_id: int, month: str, out: str | Path | IO[bytes], user: str) -> None:
    """The monthly report for the town: its money from the month's ledger (so 本月发放 is the
    roster's total and 本月收入 the 台账's), its cases from the month's decisions and steps."""
    from jiujinan.printing.monthly_report import write_monthly

    month = _month(month)
    start, end = month_period(month)
    with ctx.read() as s:
        check_sees(s, user, society_id)
        _refuse_changed(s, society_id, [])
        figures = reports_db.month_figures(s, society_id, start, end)
    view = fund.ledger(ctx, society_id, user, month=month)
    write_monthly(_society(ctx, society_id), month, figures, view.opening_fen, list(view.lines), out,
                  printed_on=ctx.clock.today(), key_fingerprint=keys.fingerprint(ctx), filled_by=user)


def print_letter(ctx: AppContext, case_no: str, out: str | Path | IO[bytes], user: str) -> str:
    """不予救助告知书 for a rejected case, 一次性告知书 for a returned one; returns which. The
    letter is dated on the decision (the REJECT / RETURN step), so a reprint says the same."""
    from jiujinan.printing.letters import Letter, write_letter

    with ctx.read() as s:
        case = cases.load_case(s, cases.case_id_by_no(s, case_no))
        check_sees(s, user, case.society_id)
        _refuse_changed(s, case.society_id, [case.id])
        steps = review.steps_of(s, case.id)
        society = societies.get_society(s, case.society_id).settings
        calendar = review.load_calendar(s)
    _refuse_withdrawn(case.case_no, case.status, "告知书")
    app = case.application
    if case.status is CaseStatus.REJECTED:
        step = next(st for st in reversed(steps) if st.kind is StepKind.REJECT)
        body = (f"你于{format_date_cn(app.applied_on)}提出的救急难救助申请（{app.cause.label}），"
                f"经{_office(society, step)}审核，决定不予救助。理由如下：", step.opinion,
                # 不予救助须书面告知理由和救济途径: how long, and to whom with the address.
                f"如对本决定有异议，可自收到本告知书之日起{society.appeal_days}日内，"
                f"向{society.objections_to()}提出。")
        write_letter(society, Letter("不予救助告知书", app.applicant_name, case.case_no, body, step.on,
                                     handled_by(steps, case.created_by)), out)
        return "rejection"
    returned = [st for st in steps if st.kind is StepKind.RETURN]
    if not returned:
        raise DomainError("只有不予救助或退回补充材料的案件才有告知书")
    step = returned[-1]
    missing = tuple(str(m) for m in step.details.get("missing", []))
    # 一次性告知: everything missing at once, and a deadline of return_days working days.
    due = calendar.add_working_days(step.on, society.return_days)
    body = (f"你于{format_date_cn(app.applied_on)}提出的救急难救助申请，经{_office(society, step)}"
            "审核，需要补充以下材料（一次性告知）：",)
    tail = (f"请于{format_date_cn(due)}前（{society.return_days}个工作日内）将上述材料交到"
            f"{society.office_name(Level.VILLAGE)}，材料补齐后继续办理。",
            "逾期未补齐的，本次申请不再办理；如仍有困难，可重新提出申请。")
    write_letter(society, Letter("补充材料一次性告知书", app.applicant_name, case.case_no, body, step.on,
                                 handled_by(steps, case.created_by), missing, tail), out)
    return "missing"


def _office(society: SocietySettings, step: StepRecord) -> str:
    """The deciding office of the step's level as the letters name it (as when it decided)."""
    return deciding_office(step, step.level, society) if step.level else society.name


def print_forms(ctx: AppContext, society_id: int, out: str | Path | IO[bytes], user: str, *,
                period: tuple[dt.date, dt.date], progress=None, cancelled=None) -> int:  # noqa: ANN001
    """All approval forms of the cases applied for in ``period`` in one PDF, each form with
    its own page numbers. ``progress(done, total)`` is told as it goes; ``cancelled()``
    returning True stops it before anything is written."""
    from jiujinan.printing.approval_form import form_story, write_forms

    with ctx.read() as s:
        roles = check_sees(s, user, society_id).roles
        ids = reports_db.case_ids_applied(s, society_id, *period)
        _refuse_changed(s, society_id, ids)
    if not ids:
        raise DomainError("该期间没有申请的案件")
    stories = []
    cache: dict[int, SocietySettings] = {}
    with ctx.read() as s:  # one snapshot for the whole batch
        for n, case_id in enumerate(ids, start=1):
            if cancelled is not None and cancelled():
                raise DomainError("已取消，未生成文件")
            stories.append(form_story(_form_data(s, cases.load_case(s, case_id), roles, cache)))
            if progress is not None:
                progress(n, len(ids) + 1)  # the last step is the layout of the whole batch
    write_forms(stories, out, title=f"救助申请审批表 {_label(period)}")
    if progress is not None:
        progress(len(ids) + 1, len(ids) + 1)
    return len(ids)


def _month(month: str) -> str:
    """A month as typed (2026-11, 2026年11月, 202611) as the ledger names it, or a Chinese
    message (years 1900–2100, months 1–12)."""
    first = parse_month(month, label="月份")
    return f"{first.year:04d}-{first.month:02d}"


def month_period(month: str) -> tuple[dt.date, dt.date]:
    """"2026-11" → (2026-11-01, 2026-12-01); a bad month is parse_month's Chinese message."""
    start = parse_month(month, label="月份")
    return start, dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)


@dataclasses.dataclass(frozen=True)
class Paper:
    """Which paper to print, as the 打印 page and ``jiujinan print`` both ask for it: a case's
    (form, letter) by its number; a society's (notice, roster, forms) for a period, or the
    notice of today without one; a month's (ledger, monthly)."""

    kind: str
    case_no: str = ""
    society_id: int = 0
    period: tuple[dt.date, dt.date] | None = None
    month: str = ""
    masked: bool = False


PAPERS = ("form", "letter", "notice", "roster", "forms", "ledger", "monthly")
NEEDS_PERIOD = ("roster", "forms")


def print_paper(ctx: AppContext, paper: Paper, out: str | Path | IO[bytes], user: str, *,
                progress=None, cancelled=None) -> None:  # noqa: ANN001
    """Print ``paper`` to ``out`` (the one dispatch of the GUI and the command line)."""
    if paper.kind in NEEDS_PERIOD and paper.period is None:
        raise DomainError("请指定期间（月份，或起止日期）")
    if paper.kind == "form":
        print_form(ctx, paper.case_no, out, user)
    elif paper.kind == "letter":
        print_letter(ctx, paper.case_no, out, user)
    elif paper.kind == "notice":
        print_notice(ctx, paper.society_id, out, user, period=paper.period)
    elif paper.kind == "roster":
        print_roster(ctx, paper.society_id, out, user, period=paper.period, masked=paper.masked)  # type: ignore[arg-type]
    elif paper.kind == "forms":
        print_forms(ctx, paper.society_id, out, user, period=paper.period,  # type: ignore[arg-type]
                    progress=progress, cancelled=cancelled)
    elif paper.kind == "ledger":
        print_ledger(ctx, paper.society_id, paper.month, out, user)
    elif paper.kind == "monthly":
        print_monthly(ctx, paper.society_id, paper.month, out, user)
    else:
        raise DomainError(f"没有这种文书：{paper.kind}")
