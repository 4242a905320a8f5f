"""How fast the papers are: one approval form, and a batch of 1,000. Prints figures.

    python benchmarks/printing.py --db FILE   (a demo database: jiujinan demo ...)

Goals: ≤ 50 ms per form, ≤ 5 s per 1,000 forms (issue 5); within 2× of bare ReportLab
drawing the same content with canvas calls, without tables or wrapping (issue 8).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.pdfgen import canvas  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks.figures import emit  # noqa: E402
from jiujinan.cases.application import FIELD_LABELS  # noqa: E402
from jiujinan.cases.clock import SystemClock  # noqa: E402
from jiujinan.db.models import AidCase  # noqa: E402
from jiujinan.printing.approval_form import write_form  # noqa: E402
from jiujinan.printing.base import FONT, register_font  # noqa: E402
from jiujinan.services import printing  # noqa: E402
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
    lines += [("家庭成员", "　".join(" ".join(m) for m in app.as_dict()["members"]))]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--json", default="", help="append the figures to this file (for run.py)")
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
    emit(args.json, "one approval form PDF", f"{one_ms:.1f} ms", f"bare ReportLab, same content {ref_ms:.1f} ms",
         "≤ 2×",
         one_ms <= 2 * ref_ms)
    emit(args.json, f"{count:,} approval forms in one PDF", f"{batch:.2f} s",
         f"bare ReportLab, same content, one PDF each {bare_batch:.2f} s", "≤ 2×", batch <= 2 * bare_batch)
    print(f"one form (layout only): median {statistics.median(one):.1f} ms; bare ReportLab lines "
          f"{statistics.median(ref):.1f} ms")
    print(f"{count} forms in one PDF (print forms), with their data: {batch:.2f} s ({batch / count * 1000:.1f} ms each; "
          f"reading the data {gather:.2f} s)")


if __name__ == "__main__":
    main()
