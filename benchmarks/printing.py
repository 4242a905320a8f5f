"""How fast the papers are: one approval form, a batch of 1,000, and every other paper
(roster, masked roster, ledger, monthly report, notice, both letters) for a realistic
month. Prints figures beside their references.

    python benchmarks/printing.py --db FILE   (a demo database: jiujinan demo ...)

Goals: ≤ 50 ms per form, ≤ 5 s per 1,000 forms (issue 5); one form within 2× of bare ReportLab
drawing the same content with canvas calls, without tables or wrapping (issues 8 and 16).
The other papers are printed from a demo database of one society made here (``--month-cases``
cases over two years, about 200 payments in its busiest month), each beside bare ReportLab
drawing the same rows (one drawString per cell and a rule under each row); the goal for
them is what a clerk waits for at a button, ≤ 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks.figures import emit  # noqa: E402
from jiujinan.cases.application import FIELD_LABELS  # noqa: E402
from jiujinan.cases.clock import SystemClock  # noqa: E402
from jiujinan.cases.enums import CaseStatus, LedgerKind  # noqa: E402
from jiujinan.db import reports as reports_db  # noqa: E402
from jiujinan.db import review as review_db  # noqa: E402
from jiujinan.db.models import AidCase, LedgerEntry  # noqa: E402
from jiujinan.printing.approval_form import write_form  # noqa: E402
from jiujinan.printing.base import FONT, register_font  # noqa: E402
from jiujinan.services import fund, printing  # noqa: E402
from jiujinan.services.context import open_context  # noqa: E402

READER = "基准"  # a demo database has no users: whoever holds it reads it (services/access.reader)


def bare(data) -> bytes:  # noqa: ANN001
    """The same content with bare canvas calls: every field with its label, the household
    members, the hardship text cut into lines, every step's opinion, signer and date, and a
    rule under each row, on one A4 page; no tables, wrapping rules or styles. The floor a
    form could cost."""
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont(FONT, 16)
    c.drawCentredString(297, 800, "救急难救助申请审批表")
    c.setFont(FONT, 10.5)
    app = data.case.application
    lines = [("互助社", data.society.name), ("案件编号", data.case.case_no)]
    lines += [(FIELD_LABELS.get(k, k), str(v)) for k, v in app.as_dict().items() if k not in ("members", "hardship")]
    members = app.as_dict()["members"]  # [name, relation, ID, age, income source]
    lines += [("家庭成员", "　".join(" ".join(str(x) for x in m if x not in (None, "")) for m in members))]
    lines += [("困难情况", app.hardship[i:i + 40]) for i in range(0, len(app.hardship), 40)]
    for step in data.steps:
        lines.append((step.kind.label, f"{step.opinion}　签字：{step.signer}　{step.on}"))
    y = 770
    for label, text in lines:
        c.drawString(50, y, label)
        c.drawString(150, y, text[:48])
        c.line(45, y - 4, 550, y - 4)
        y -= 15
        if y < 40:
            c.showPage()
            c.setFont(FONT, 10.5)
            y = 800
    c.showPage()
    c.save()
    return out.getvalue()


def bare_rows(title: str, rows: list[list[str]], *, landscape: bool = False) -> bytes:
    """The floor a tabular paper could cost: its title, then every row's cells with one
    drawString each at fixed columns and a rule under the row, on as many A4 pages as needed."""
    out = io.BytesIO()
    size = (A4[1], A4[0]) if landscape else A4
    c = canvas.Canvas(out, pagesize=size)
    width, height = size
    cols = max((len(r) for r in rows), default=1)
    step = (width - 100) / cols

    def head() -> float:
        c.setFont(FONT, 16)
        c.drawCentredString(width / 2, height - 60, title)
        c.setFont(FONT, 10)
        return height - 90

    y = head()
    for row in rows:
        for i, cell in enumerate(row):
            c.drawString(50 + i * step, y, cell[:40])
        c.line(45, y - 5, width - 45, y - 5)
        y -= 18
        if y < 60:
            c.showPage()
            y = head()
    c.showPage()
    c.save()
    return out.getvalue()


def _median_s(run, repeat: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def month_papers(json_path: str, cases: int, folder: Path) -> None:
    """Every paper but the form, for the busiest month of a one-society demo database."""
    from jiujinan.services.demo import run_demo

    ctx = open_context(str(folder / "month.db"), folder, SystemClock())
    run_demo(ctx, n_societies=1, n_cases=cases, seed=1)
    with ctx.read() as s:
        society = s.scalar(select(AidCase.society_id).limit(1))
        paid = Counter(f"{d:%Y-%m}" for d in s.scalars(select(LedgerEntry.posted_on).where(
            LedgerEntry.society_id == society, LedgerEntry.kind == LedgerKind.PAYMENT.value)))
        rejected = s.scalar(select(AidCase.case_no).where(AidCase.status == CaseStatus.REJECTED.value).limit(1))
        returned = s.scalar(select(AidCase.case_no).where(AidCase.status == CaseStatus.RETURNED.value).limit(1))
    month, payments = max(paid.items(), key=lambda kv: kv[1])
    period = printing.month_period(month)

    def sink() -> io.BytesIO:
        return io.BytesIO()

    def roster_rows() -> list[list[str]]:
        with ctx.read() as s:
            return [[str(v) for v in row] for row in reports_db.roster(s, society, *period)]

    def ledger_rows() -> list[list[str]]:
        view = fund.ledger(ctx, society, READER, month=month)
        return [[str(x.posted_on), str(x.id), f"{x.kind.label} {x.case_no} {x.party} {x.memo}", str(x.amount_fen),
                 str(b), x.voucher_no] for x, b in zip(view.lines, view.balances)]

    def monthly_rows() -> list[list[str]]:
        with ctx.read() as s:
            figures = reports_db.month_figures(s, society, *period)
        return [[k, str(v)] for k, v in figures.items()]

    def notice_rows() -> list[list[str]]:
        with ctx.read() as s:
            return [[str(v) for v in row] for row in review_db.notice_cases(s, society, start=period[0], end=period[1])]

    papers = [
        (f"roster ({payments} payments)", lambda: printing.print_roster(ctx, society, sink(), READER, period=period),
         lambda: bare_rows("发放花名册", roster_rows(), landscape=True)),
        ("masked roster", lambda: printing.print_roster(ctx, society, sink(), READER, period=period, masked=True),
         lambda: bare_rows("发放花名册", roster_rows(), landscape=True)),
        ("ledger statement", lambda: printing.print_ledger(ctx, society, month, sink(), READER),
         lambda: bare_rows("台账", ledger_rows(), landscape=True)),
        ("monthly report", lambda: printing.print_monthly(ctx, society, month, sink(), READER),
         lambda: bare_rows("月报", monthly_rows())),
        ("notice of the month", lambda: printing.print_notice(ctx, society, sink(), READER, period=period),
         lambda: bare_rows("公示", notice_rows())),
    ]
    for label, case_no in (("rejection letter", rejected), ("missing-material letter", returned)):
        if case_no:
            papers.append((label, lambda no=case_no: printing.print_letter(ctx, no, sink(), READER),
                           lambda: bare_rows("告知书", [["你于……提出的救急难救助申请"]] * 8)))
    for label, paper, bare_paper in papers:
        try:
            took = _median_s(paper)
        except Exception as err:  # noqa: BLE001 - a paper that cannot print is a row of the table, not a crash
            emit(json_path, f"{label}, {month}", "failed", str(err)[:80], "≤ 1 s", False)
            print(f"{label}: failed: {err}")
            continue
        ref = _median_s(bare_paper)
        emit(json_path, f"{label}, {month}", f"{took * 1000:.0f} ms", f"bare ReportLab, same rows {ref * 1000:.0f} ms "
             f"({took / ref:.1f}×)", "≤ 1 s", took <= 1)
        print(f"{label}, {month}: {took * 1000:.0f} ms; bare ReportLab, same rows {ref * 1000:.0f} ms")
    ctx.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--json", default="", help="append the figures to this file (for run.py)")
    parser.add_argument("--month-cases", type=int, default=0,
                        help="cases of the one-society demo the other papers are printed from (default 4,000: "
                             "~200 payments in its busiest month; fewer with a small --forms, as in the smoke test)")
    args = parser.parse_args()
    ctx = open_context(args.db, Path(args.db).parent, SystemClock())
    register_font()
    with ctx.read() as s:
        ids = list(s.scalars(select(AidCase.id).order_by(AidCase.id).limit(args.forms)))
    one = []
    ref = []
    for case_id in ids[:30]:
        data = printing.form_data(ctx, case_id, READER)
        t = time.perf_counter()
        write_form(data, io.BytesIO())
        one.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        bare(data)
        ref.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    for case_id in ids:
        printing.form_data(ctx, case_id, READER)
    gather = time.perf_counter() - t
    with ctx.read() as s:
        first, last = s.execute(select(func.min(AidCase.applied_on), func.max(AidCase.applied_on))
                                .where(AidCase.id.in_(ids))).one()
        society = s.scalar(select(AidCase.society_id).where(AidCase.id == ids[0]))
    t = time.perf_counter()
    count = printing.print_forms(ctx, society, io.BytesIO(), READER, period=(first, last + dt.timedelta(days=1)))
    batch = time.perf_counter() - t
    t = time.perf_counter()
    for case_id in ids:
        bare(printing.form_data(ctx, case_id, READER))
    bare_batch = time.perf_counter() - t
    one_ms, ref_ms = statistics.median(one), statistics.median(ref)
    emit(args.json, "one approval form PDF", f"{one_ms:.1f} ms",
         f"bare ReportLab, same content {ref_ms:.1f} ms ({one_ms / ref_ms:.1f}×)", "≤ 2×", one_ms <= 2 * ref_ms)
    emit(args.json, f"{count:,} approval forms in one PDF", f"{batch:.2f} s",
         f"bare ReportLab, same content, one PDF each {bare_batch:.2f} s ({batch / bare_batch:.1f}×)",
         f"≤ {5 * count / 1000:.3g} s (5 s per 1,000)", batch <= 5 * count / 1000)
    print(f"one form (layout only): median {statistics.median(one):.1f} ms; bare ReportLab lines "
          f"{statistics.median(ref):.1f} ms")
    print(f"{count} forms in one PDF (print forms), with their data: {batch:.2f} s ({batch / count * 1000:.1f} ms each; "
          f"reading the data {gather:.2f} s)")
    with tempfile.TemporaryDirectory(prefix="jiujinan-month-") as folder:
        month_papers(args.json, args.month_cases or min(4000, max(400, 4 * args.forms)), Path(folder))


if __name__ == "__main__":
    main()
