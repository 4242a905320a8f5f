"""Export and import at district scale. Prints figures; asserts nothing.

    python benchmarks/exchange.py --db FILE   (a demo database, e.g. 217 societies, 1,000,000 cases)

Goals (issue 6): export of every case within 1.5× of writing the same rows with plain
sqlite3 + csv in the same run; import of 217 villages' exports ≤ 2 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.figures import emit  # noqa: E402
from jiujinan.cases.clock import SystemClock  # noqa: E402
from jiujinan.services import district, export  # noqa: E402
from jiujinan.services.context import open_context  # noqa: E402


def plain_export(db: str, out: Path) -> None:
    """The reference: the same rows of the same three files, straight from sqlite3 into csv
    (no masking, labels or checksums)."""
    con = sqlite3.connect(db)
    queries = {
        "cases.csv": "SELECT c.case_no, s.area_code, s.name, s.town, s.district, c.applicant_name, c.id_number, "
                     "c.household_type, c.cause, c.requested_fen, c.approved_fen, c.paid_fen, c.status, "
                     "c.applied_on, c.decided_on, c.decided_level, c.emergency "
                     "FROM aid_case c JOIN society s ON s.id = c.society_id ORDER BY c.society_id, c.case_year, c.case_seq",
        "payments.csv": "SELECT e.id, c.case_no, e.society_id, e.posted_on, e.amount_fen, e.method, e.payer, "
                        "e.voucher_no, e.reversal_of FROM ledger_entry e JOIN aid_case c ON c.id = e.case_id "
                        "ORDER BY e.society_id, e.posted_on, e.id",
        "ledger.csv": "SELECT id, society_id, posted_on, kind, source, amount_fen, "
                      "SUM(amount_fen) OVER (PARTITION BY society_id ORDER BY posted_on, id), voucher_no, memo, "
                      "reversal_of FROM ledger_entry ORDER BY society_id, posted_on, id",
    }
    for name, sql in queries.items():
        with (out / name).open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(con.execute(sql))
    con.close()


def plain_read(folders: list[Path]) -> float:
    """The reference for importing: reading the same files with the csv module, nothing else."""
    t = time.perf_counter()
    for folder in folders:
        for name in ("cases.csv", "payments.csv", "ledger.csv"):
            with (folder / name).open(encoding="utf-8-sig", newline="") as f:
                for _row in csv.reader(f):
                    pass
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--month", default="", help="also time a month's export and import of every society")
    parser.add_argument("--json", default="", help="append the figures to this file (for run.py)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jiujinan-bench-"))
    try:
        ctx = open_context(args.db, Path(args.db).parent, SystemClock())
        t = time.perf_counter()
        plain_export(args.db, work)
        plain = time.perf_counter() - t
        t = time.perf_counter()
        folders = export.export_all(ctx, work / "full", user="基准")
        full = time.perf_counter() - t
        print(f"export of all cases, payments and ledgers ({len(folders)} societies): {full:.1f} s; "
              f"plain sqlite3 + csv of the same rows: {plain:.1f} s ({full / plain:.1f}×)")
        emit(args.json, "CSV export of all cases, payments, ledgers", f"{full:.1f} s",
             f"plain sqlite3 + csv {plain:.1f} s ({full / plain:.2f}×)", "≤ 1.5×", full <= 1.5 * plain)
        today = ctx.clock.today()
        start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        end = today.replace(day=1)
        t = time.perf_counter()
        monthly = export.export_all(ctx, work / "month", period=(start, end), user="基准")
        exported = time.perf_counter() - t
        district_ctx = open_context(str(work / "district.db"), work, SystemClock())
        t = time.perf_counter()
        results = district.import_folders(district_ctx, monthly, "基准")
        imported = time.perf_counter() - t
        outcomes = {r.outcome for r in results}
        print(f"{len(monthly)} villages' exports of {start:%Y-%m}: written in {exported:.1f} s, "
              f"imported in {imported:.2f} s ({outcomes})")
        emit(args.json, f"district import of {len(monthly)} monthly exports", f"{imported:.2f} s",
             f"plain csv reading {plain_read(monthly):.2f} s", "≤ 2 s", imported <= 2 and outcomes == {"imported"})
        t = time.perf_counter()
        full_results = district.import_folders(district_ctx, folders, "基准")
        full_import = time.perf_counter() - t
        rows_in = sum(len(list(open(f / "cases.csv", encoding="utf-8-sig"))) - 1 for f in folders)
        emit(args.json, f"district import of {rows_in:,} case rows (full exports)", f"{full_import:.1f} s",
             f"plain csv reading {plain_read(folders):.1f} s", "≤ 30 s", full_import <= 30)
        print(f"import of the full exports ({rows_in:,} case rows): {full_import:.1f} s "
              f"({ {r.outcome for r in full_results} })")
        t = time.perf_counter()
        report = district.reconcile(district_ctx, "基准")
        print(f"reconcile: {time.perf_counter() - t:.2f} s, {len(report.societies)} societies, "
              f"{len(report.findings)} cross-society findings")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
