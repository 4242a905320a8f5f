"""Exporting a society's cases, payments and ledger as CSV for the district."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

from jiujinan import __version__
from jiujinan.cases.enums import CaseStatus, FundSource, HouseholdType, LedgerKind, Level, PaymentMethod, Cause
from jiujinan.cases.errors import DomainError
from jiujinan.cases.masking import mask_id
from jiujinan.db import exports, societies
from jiujinan.exports.csv_format import CASES, ENCODINGS, FORMAT, LEDGER, PAYMENTS, neutralise, yuan
from jiujinan.services.context import AppContext

Period = tuple[dt.date, dt.date] | None


def _labels(enum_type) -> dict:  # noqa: ANN001
    """Stored value → label, with "" for none (a dict: the export looks up a million of them)."""
    return {None: "", "": "", **{m.value: m.label for m in enum_type}}


HOUSEHOLD, CAUSE, STATUS, LEVEL = _labels(HouseholdType), _labels(Cause), _labels(CaseStatus), _labels(Level)
KIND, SOURCE, METHOD = _labels(LedgerKind), _labels(FundSource), _labels(PaymentMethod)


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]], codec: str) -> dict[str, object]:
    with path.open("w", encoding=codec, newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"rows": len(rows), "sha256": digest}


def export_society(ctx: AppContext, society_id: int, out_dir: Path, *, period: Period = None,
                   full_ids: bool = False, encoding: str = "utf-8") -> dict[str, object]:
    """Write cases.csv, payments.csv, ledger.csv and manifest.json for one society into
    ``out_dir`` (created; files land under their names only once all are written)."""
    if encoding not in ENCODINGS:
        raise DomainError(f"编码应为 {'/'.join(ENCODINGS)}")
    codec = ENCODINGS[encoding]
    start, end = period if period else (None, None)
    with ctx.read() as s:  # one read transaction: every file sees the same data
        society = societies.get_society(s, society_id).settings
        cases = exports.case_rows(s, society_id, start, end)
        opening, ledger = exports.ledger_rows(s, society_id, start, end)
    code = society.area_code
    name, town, district = neutralise(society.name), neutralise(society.town), neutralise(society.district)
    # Dates go to the csv writer as they are: it writes str(date), the ISO form, and None as "".
    case_lines = [[
        c.case_no, code, name, town, district, neutralise(c.applicant_name),
        c.id_number if full_ids else mask_id(c.id_number), HOUSEHOLD[c.household_type], CAUSE[c.cause],
        yuan(c.requested_fen), yuan(c.approved_fen), yuan(c.paid_fen), STATUS[c.status], c.applied_on,
        c.decided_on, LEVEL[c.decided_level], "是" if c.emergency else "否",
    ] for c in cases]
    payment_lines, ledger_lines = [], []
    balance = opening
    for entry in ledger:
        balance += entry.amount_fen
        voucher = neutralise(entry.voucher_no)
        ledger_lines.append([entry.id, code, entry.posted_on, KIND[entry.kind], SOURCE[entry.source],
                             yuan(entry.amount_fen), yuan(balance), voucher, neutralise(entry.memo), entry.reversal_of])
        if entry.case_id is not None:
            payment_lines.append([entry.id, entry.case_no, code, entry.posted_on, yuan(-entry.amount_fen),
                                  METHOD[entry.method], neutralise(entry.payer), voucher, entry.reversal_of])
    tmp = out_dir.with_name(out_dir.name + ".part")
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        files = {
            "cases.csv": _write(tmp / "cases.csv", CASES, case_lines, codec),
            "payments.csv": _write(tmp / "payments.csv", PAYMENTS, payment_lines, codec),
            "ledger.csv": _write(tmp / "ledger.csv", LEDGER, ledger_lines, codec),
        }
        manifest = {
            "format": FORMAT, "society_code": code, "society_name": society.name, "town": society.town,
            "district": society.district,
            "period": {"from": start.isoformat(), "to": (end - dt.timedelta(days=1)).isoformat()} if period else None,
            "opening_balance_yuan": yuan(opening), "full_ids": full_ids, "encoding": encoding,
            "app_version": __version__, "exported_at": ctx.clock.now().isoformat(timespec="seconds"),
            "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DomainError(f"无法写入 {out_dir}：{err.strerror or err}") from err
    return manifest


def export_all(ctx: AppContext, out: Path, *, codes: list[str] | None = None, period: Period = None,
               full_ids: bool = False, encoding: str = "utf-8", progress=None, cancelled=None) -> list[Path]:  # noqa: ANN001
    """One folder per society (all of them, or those named) under ``out``."""
    with ctx.read() as s:
        records = societies.list_societies(s)
    if codes:
        known = {r.settings.area_code for r in records}
        missing = [c for c in codes if c not in known]
        if missing:
            raise DomainError(f"找不到区划代码为 {'、'.join(missing)} 的互助社")
        records = [r for r in records if r.settings.area_code in codes]
    suffix = "" if not period else f"-{period[0]:%Y%m%d}-{(period[1] - dt.timedelta(days=1)):%Y%m%d}"
    done = []
    for n, record in enumerate(records, start=1):
        if cancelled is not None and cancelled():
            raise DomainError(f"已取消，已导出 {len(done)} 个互助社")
        target = out / f"{record.settings.area_code}{suffix}"
        export_society(ctx, record.id, target, period=period, full_ids=full_ids, encoding=encoding)
        done.append(target)
        if progress is not None:
            progress(n, len(records))
    return done
